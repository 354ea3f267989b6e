"""Ingest benchmark: generate family files, time ingest + clean + publish end to end.

    python benchmarks/ingest.py                 # all cases, 3 runs each
    python benchmarks/ingest.py --runs 5 --cases csv_200k csv_2m

Each run happens in a fresh child process with its own data directory, so the
figures include start-up and the peak memory (max RSS) is that run's alone. Input
files are generated once into benchmarks/out/ (gitignored) and reused.
Targets (2-core machine): 2,000,000 CSV rows in under 15 s, 200,000 in under 3 s,
the 200,000-row XLSX within 1.5x of a bare python-calamine read, peak memory under 2 GB.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "benchmarks" / "out"
sys.path.insert(0, str(ROOT))

HEADER = [
    "No KK",
    "NIK Kepala Keluarga",
    "Nama Kepala Keluarga",
    "Alamat",
    "Kecamatan",
    "Desa/Kelurahan",
    "RW",
    "RT",
    "Jumlah Anggota Keluarga",
    "Desil Kesejahteraan",
    "Jenis Lantai",
    "Jenis Dinding",
    "Jenis Atap",
    "Luas Lantai (m2)",
    "Sumber Air Minum",
    "Fasilitas BAB",
    "Sumber Penerangan",
    "Jaminan Kesehatan",
    "Rawan Pangan",
    "Penerima PKH",
    "Penerima BPNT",
    "Penerima PBI",
    "Lintang",
    "Bujur",
    "Tanggal Pemutakhiran",
]

GENERATE_SQL = """
WITH kel AS (
    SELECT row_number() OVER () - 1 AS k, * FROM (VALUES
        ('Akcaya', 'Pontianak Selatan'), ('Sei Jawi Dalam', 'Pontianak Barat'), ('Benua Melayu Laut', 'Pontianak Selatan'),
        ('6171041004', 'Pontianak Utara'), ('Kel. Tengah', 'Pontianak Kota'), ('Bansir Laut', 'Pontianak Tenggara'),
        ('Saigon', 'Pontianak Timur'), ('Siantan Hilir', 'Pontianak Utara'), ('SUNGAI BANGKONG', 'Pontianak Kota')
    ) t(nama, kec)
)
SELECT
    '6171' || lpad((i % 6 + 1)::VARCHAR, 2, '0') || lpad(((i // 9999) % 28 + 1)::VARCHAR, 2, '0')
        || lpad(((i // 9999 // 28) % 12 + 1)::VARCHAR, 2, '0') || lpad((10 + (i // 9999 // 336))::VARCHAR, 2, '0')
        || lpad((i % 9999 + 1)::VARCHAR, 4, '0') AS no_kk,
    '6171' || lpad((i % 6 + 1)::VARCHAR, 2, '0') || lpad((i % 28 + 1 + CASE WHEN i % 2 = 0 THEN 40 ELSE 0 END)::VARCHAR, 2, '0')
        || lpad((i % 12 + 1)::VARCHAR, 2, '0') || lpad((50 + i % 50)::VARCHAR, 2, '0') || lpad((i % 9999 + 1)::VARCHAR, 4, '0')
        AS nik,
    'Kepala Keluarga ' || i AS nama,
    'Jl. Tanjungpura Gg. Mawar No. ' || (i % 300) || ' Kelurahan contoh' AS alamat,
    kel.kec, kel.nama AS kelurahan,
    CASE i % 3 WHEN 0 THEN (i % 30 + 1)::VARCHAR WHEN 1 THEN lpad((i % 30 + 1)::VARCHAR, 3, '0') ELSE 'RW ' || (i % 30 + 1) END AS rw,
    CASE i % 2 WHEN 0 THEN (i % 12 + 1)::VARCHAR ELSE 'RT ' || lpad((i % 12 + 1)::VARCHAR, 2, '0') END AS rt,
    (1 + i % 7)::VARCHAR AS anggota,
    CASE i % 3 WHEN 0 THEN (i % 10 + 1)::VARCHAR WHEN 1 THEN 'Desil ' || (i % 10 + 1) ELSE 'DESIL ' || (i % 10 + 1) END AS desil,
    (['Keramik', 'Semen/Bata Merah', 'Kayu/Papan', 'Tanah'])[i % 4 + 1] AS lantai,
    (['Tembok', 'Kayu/Papan', 'Anyaman bambu'])[i % 3 + 1] AS dinding,
    (['Seng', 'Genteng', 'Asbes', 'Rumbia/daun'])[i % 4 + 1] AS atap,
    (20 + i % 80)::VARCHAR || ',5' AS luas,
    (['Air isi ulang', 'Leding/PDAM', 'Air hujan', 'Sumur bor/pompa', 'Sungai'])[i % 5 + 1] AS air,
    (['Milik sendiri, tangki septik', 'Bersama', 'Jamban cemplung ke sungai', 'Tidak ada'])[i % 4 + 1] AS bab,
    (['Listrik PLN 900 VA', 'Listrik PLN 450 VA', 'Listrik PLN 1300 VA'])[i % 3 + 1] AS listrik,
    (['PBI JKN', 'Non PBI', 'Tidak punya'])[i % 3 + 1] AS jkn,
    (['Ya', 'Tidak', 'T', 'Y'])[i % 4 + 1] AS pangan,
    (['Ya', 'Tidak'])[i % 2 + 1] AS pkh, (['1', '0'])[i % 2 + 1] AS bpnt, (['Y', 'T'])[i % 2 + 1] AS pbi,
    '-0,0' || (30000 + i % 60000)::VARCHAR AS lintang, '109,3' || (10000 + i % 80000)::VARCHAR AS bujur,
    lpad((i % 28 + 1)::VARCHAR, 2, '0') || '/' || lpad((i % 12 + 1)::VARCHAR, 2, '0') || '/2025' AS tgl
FROM range(?) t(i) JOIN kel ON kel.k = t.i % 9
"""


def generate_csv(rows: int) -> Path:
    import duckdb

    path = OUT / f"keluarga_{rows}.csv"
    if path.exists():
        return path
    OUT.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect()
    con.execute("CREATE TABLE gen AS " + GENERATE_SQL, [rows])
    names = ", ".join(f'"{c}"' for c in HEADER)
    cols = [r[0] for r in con.execute("DESCRIBE gen").fetchall()]
    select = ", ".join(f'{c} AS "{h}"' for c, h in zip(cols, HEADER))
    tmp = path.with_suffix(".tmp")
    con.execute(f"COPY (SELECT {select} FROM gen ORDER BY rowid) TO '{tmp}' (HEADER, DELIMITER ';')")
    del names
    os.replace(tmp, path)
    return path


def generate_xlsx(rows: int) -> Path:
    import datetime as dt

    import duckdb
    import xlsxwriter

    path = OUT / f"keluarga_{rows}.xlsx"
    if path.exists():
        return path
    OUT.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect()
    data = con.execute(GENERATE_SQL, [rows]).fetchall()
    tmp = path.with_suffix(".tmp.xlsx")
    wb = xlsxwriter.Workbook(str(tmp), {"constant_memory": True})
    wb.set_properties({"created": dt.datetime(2025, 1, 1)})
    ws = wb.add_worksheet("Data P3KE")
    ws.write_string(0, 0, "DATA P3KE KOTA PONTIANAK")
    ws.write_string(1, 0, "Sumber: Kemenko PMK")
    for c, h in enumerate(HEADER):
        ws.write_string(3, c, h)
    for r, row in enumerate(data, start=4):
        for c, value in enumerate(row):
            ws.write_string(r, c, value)
    ws.write_string(4 + len(data), 0, "JUMLAH")
    wb.close()
    os.replace(tmp, path)
    return path


def _peak_rss_mb() -> float:
    """This process image's peak resident memory. Not ru_maxrss: on Linux a child inherits the
    parent's resident size at fork in ru_maxrss, and the parent may have just generated 2M rows."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def child(case: str, file: str, data_dir: str) -> None:
    """One measured run: ingest + publish in this process; prints JSON."""
    os.environ["TKPKD_DATA_DIR"] = data_dir
    os.environ["TKPKD_HASH_KEY"] = "11" * 32
    from pipelines.ingestion.ingest import ingest
    from pipelines.lake.publish import publish

    t0 = time.perf_counter()
    report = ingest("keluarga", Path(file), "2025-Q4").report
    t1 = time.perf_counter()
    publish()
    t2 = time.perf_counter()
    peak_mb = _peak_rss_mb()
    print(
        json.dumps(
            {
                "case": case,
                "ingest_s": t1 - t0,
                "publish_s": t2 - t1,
                "total_s": t2 - t0,
                "rows": report["baris_dibaca"],
                "accepted": report["baris_diterima"],
                "peak_mb": peak_mb,
            }
        )
    )


def calamine_child(file: str) -> None:
    import python_calamine as pc

    t0 = time.perf_counter()
    wb = pc.CalamineWorkbook.from_path(file)
    rows = wb.get_sheet_by_name(wb.sheet_names[0]).to_python()
    print(json.dumps({"calamine_s": time.perf_counter() - t0, "rows": len(rows)}))


def run_child(args: list[str]) -> dict:
    out = subprocess.run([sys.executable, __file__, *args], capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


CASES = {
    "csv_200k": ("csv", 200_000, 3.0),
    "csv_2m": ("csv", 2_000_000, 15.0),
    "xlsx_200k": ("xlsx", 200_000, None),
}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--cases", nargs="*", default=list(CASES))
    parser.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    parser.add_argument("--calamine", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(*args.child)
        return
    if args.calamine:
        calamine_child(args.calamine)
        return
    print(f"Mesin: {os.cpu_count()} inti. Median dari {args.runs} kali jalan per kasus.")
    for case in args.cases:
        kind, rows, target = CASES[case]
        file = generate_csv(rows) if kind == "csv" else generate_xlsx(rows)
        results = []
        for _ in range(args.runs):
            data_dir = tempfile.mkdtemp(prefix="bench-")
            try:
                results.append(run_child(["--child", case, str(file), data_dir]))
            finally:
                shutil.rmtree(data_dir, ignore_errors=True)
        total = statistics.median(r["total_s"] for r in results)
        line = (
            f"{case}: {rows:,} baris ({file.stat().st_size / 1e6:,.0f} MB): total {total:.2f} s "
            f"(ingest {statistics.median(r['ingest_s'] for r in results):.2f} s, "
            f"publish {statistics.median(r['publish_s'] for r in results):.2f} s), "
            f"{rows / total:,.0f} baris/s, memori puncak {max(r['peak_mb'] for r in results):,.0f} MB, "
            f"diterima {results[0]['accepted']:,}"
        )
        if kind == "xlsx":
            bare = statistics.median(run_child(["--calamine", str(file)])["calamine_s"] for _ in range(args.runs))
            ingest_s = statistics.median(r["ingest_s"] for r in results)
            line += f"; baca calamine saja {bare:.2f} s, rasio ingest/calamine {ingest_s / bare:.2f} (target <= 1,5: {'TERCAPAI' if ingest_s / bare <= 1.5 else 'BELUM'})"
        elif target:
            line += f"; target < {target:.0f} s: {'TERCAPAI' if total < target else 'BELUM'}"
        peak = max(r["peak_mb"] for r in results)
        line += f"; memori < 2 GB: {'TERCAPAI' if peak < 2048 else 'BELUM'}"
        print(line, flush=True)


if __name__ == "__main__":
    main()
