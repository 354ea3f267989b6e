"""Programme recipients (source `penerima`) per agency and quarter, and outputs (source `program`).

Each agency sends its own list in its own shape: Dinas Sosial a SIKS-style semicolon CSV,
Perkim a small workbook, Dinkes and the cooperative office lists by NIK only, PUPR/PDAM
naming the programme in words. A few recipients match no family in any list (people the
registers miss). Outputs come from Bappeda per kelurahan, with target and realisation.
"""

from __future__ import annotations

import math

import numpy as np
import pyarrow as pa

from demo import ids, records, render
from demo.catalogue import Programme
from demo.population import PASANGAN, PERIODS, quarter_start
from demo.writers import FileSpec, write_csv, write_simple_xlsx

RATE_UNMATCHED = 0.005
# (file tag, agency, programme codes, quarters per list, delimiter or "xlsx", encoding). Transfers are
# reported every quarter; works (houses, connections, toilets) once a year, health enrolment per semester.
# The columns of each agency's list are in _write_agency.
AGENCY_FILES = (
    ("DINSOS", "Dinas Sosial", ("PKH", "BPNT"), 1, ";", "cp1252"),
    ("PERKIM", "Dinas Perkim", ("BSPS",), 4, "xlsx", ""),
    ("PUPR_PDAM", "Dinas PUPR dan Perumda Air Minum", ("SR-MBR", "JAMBAN"), 4, ",", "utf-8"),
    ("DINKES", "Dinas Kesehatan", ("PBI-DAERAH",), 2, ",", "utf-8"),
    ("DISKUMDAG", "Dinas Koperasi, UM dan Perdagangan", ("UMKM", "SOS-WIRAUSAHA"), 1, ";", "utf-8"),
    ("DKP", "Dinas Ketahanan Pangan", ("BERAS-PEMKOT",), 1, ",", "utf-8"),
)


def receipt_values(p: Programme, st, fam: np.ndarray, t: int) -> np.ndarray:
    """Rupiah per receipt; PKH depends on the family's components (children, elderly)."""
    if p.kode == "PKH":
        return 300_000 + 250_000 * np.clip(st.pkh_components[fam], 1, 4)
    if p.kode == "PBI-DAERAH":
        return 42_000 * 3 * st.fam.size[fam].astype(np.int64)
    return np.full(len(fam), p.nilai, np.int64)


def _recipients(st, p: Programme, t: int, rng: np.random.Generator) -> dict:
    fam = np.flatnonzero(st.deliveries[p.kode].received[:, t] & st.fam.present(t))
    person = st.persons.head_of[fam].copy()
    if p.kode == "SOS-WIRAUSAHA":
        # Either spouse may attend; the list records whoever came.
        spouse = np.minimum(st.persons.head_of[fam] + 1, len(st.persons.fam) - 1)
        ok = (st.persons.fam[spouse] == fam) & (st.persons.rel[spouse] == PASANGAN)
        person = np.where(ok & (rng.random(len(fam)) < 0.5), spouse, person)
    return {
        "fam": fam,
        "person": person,
        "nilai": receipt_values(p, st, fam, t),
        "tanggal": ids.days(quarter_start(t)) + rng.integers(5, 85, len(fam)),
    }


def _unmatched(st, n: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    region = np.array([int(k.replace(".", "")) for k in rng.choice(st.layout.kec_kode, n)])
    born = rng.integers(ids.days(quarter_start(0)) - 60 * 365, ids.days(quarter_start(0)) - 20 * 365, n)
    kk = ids.compose(region, born + 7000) + 9500
    nik = ids.compose(region, born) + 9500
    return np.array([str(v) for v in kk], dtype=object), np.array([str(v) for v in nik], dtype=object)


def penerima_files(st, t: int, ctx, rng: np.random.Generator) -> list[FileSpec]:
    by_code = {p.kode: p for p in st.programmes}
    specs = []
    for tag, agency, codes, span, delim, enc in AGENCY_FILES:
        if (t + 1) % span:
            continue
        parts = [(by_code[c], _recipients(st, by_code[c], q, rng)) for q in range(t + 1 - span, t + 1) for c in codes]
        parts = [(p, r) for p, r in parts if len(r["fam"])]
        if not parts:
            continue
        fam = np.concatenate([r["fam"] for _, r in parts])
        kk = st.fam.kk_text.take(pa.array(fam)).to_numpy(zero_copy_only=False).astype(object)
        nik = (
            st.persons.nik_text.take(pa.array(np.concatenate([r["person"] for _, r in parts])))
            .to_numpy(zero_copy_only=False)
            .astype(object)
        )
        nama = (
            st.persons.nama.take(pa.array(np.concatenate([r["person"] for _, r in parts])))
            .to_numpy(zero_copy_only=False)
            .astype(object)
        )
        program = np.concatenate(
            [np.full(len(r["fam"]), p.nama if tag == "PUPR_PDAM" else p.kode, dtype=object) for p, r in parts]
        )
        nilai = np.concatenate([r["nilai"] for _, r in parts])
        tanggal = np.concatenate([r["tanggal"] for _, r in parts])
        kel = render.kelurahan(ctx.spell, st.fam.kel[fam], "resmi", rng)
        # Recipients no register knows: other fields copied from a real row, IDs new.
        extra = records.at_least_one(RATE_UNMATCHED, len(fam))
        rows = np.r_[np.arange(len(fam)), rng.choice(len(fam), size=extra)]
        fake_kk, fake_nik = _unmatched(st, extra, rng)
        columns = dict(
            kk=np.concatenate([kk, fake_kk]),
            nik=np.concatenate([nik, fake_nik]),
            nama=nama[rows],
            program=program[rows],
            nilai=nilai[rows],
            tanggal=tanggal[rows],
            kel=kel[rows],
        )
        specs.append(_write_agency(tag, agency, delim, enc, t, ctx, columns, extra))
    return specs


def _write_agency(tag, agency, delim, enc, t, ctx, c: dict, unmatched: int) -> FileSpec:
    period = PERIODS[t]
    stem = f"PENERIMA_{tag}_{period.replace('-', '_')}"
    if tag in ("PERKIM", "PUPR_PDAM"):
        stem = f"PENERIMA_{tag}_TAHUN_{period[:4]}"
    counts = {"penerima_tidak_dikenal": unmatched}
    nilai_present = c["nilai"] > 0
    if delim == "xlsx":
        dates = render.to_dates(c["tanggal"])
        rows = [
            [k, n, nm, pr, d, int(v) if v else None, kl]
            for k, n, nm, pr, d, v, kl in zip(c["kk"], c["nik"], c["nama"], c["program"], dates, c["nilai"], c["kel"])
        ]
        path = ctx.folder / f"{stem}.xlsx"
        write_simple_xlsx(
            rows,
            ["No KK", "NIK", "Nama Penerima", "Kode Program", "Tanggal Penyaluran", "Nilai (Rp)", "Kelurahan"],
            path,
            sheet="Penerima",
            author=agency,
        )
        return FileSpec(path, "penerima", period, f"XLSX penerima {agency}", rows=len(rows), messiness=counts)
    nilai = pa.array(
        np.where(nilai_present, render.rupiah(c["nilai"], "dots").to_numpy(zero_copy_only=False), None), pa.string()
    )
    if tag == "DINSOS":
        columns = {
            "NO_KK": c["kk"],
            "NIK_KPM": c["nik"],
            "NAMA_KPM": c["nama"],
            "JENIS_BANTUAN": c["program"],
            "TGL_SALUR": render.dates(c["tanggal"], "dmy"),
            "NOMINAL": render.rupiah(c["nilai"], "plain"),
            "KELURAHAN": c["kel"],
        }
    elif tag == "PUPR_PDAM":
        columns = {
            "No KK": c["kk"],
            "NIK Penerima": c["nik"],
            "Nama Penerima": c["nama"],
            "Nama Program": c["program"],
            "Tanggal": render.dates(c["tanggal"], "iso"),
            "Nilai Bantuan": render.rupiah(c["nilai"], "rp"),
            "Kelurahan": c["kel"],
        }
    elif tag == "DKP":
        columns = {
            "No KK": c["kk"],
            "Nama": c["nama"],
            "Program": c["program"],
            "Tanggal Bantuan": render.dates(c["tanggal"], "long"),
            "Jumlah Bantuan": nilai,
            "Kelurahan": c["kel"],
        }
    else:
        columns = {
            "NIK Penerima": c["nik"],
            "Nama Penerima": c["nama"],
            "Kode Program": c["program"],
            "Tanggal Bantuan": render.dates(c["tanggal"], "dmy"),
            "Nilai (Rp)": nilai,
            "Desa/Kelurahan": c["kel"],
        }
    table = pa.table({k: v if isinstance(v, pa.Array) else pa.array(v, pa.string()) for k, v in columns.items()})
    path = ctx.folder / f"{stem}.csv"
    write_csv(table, path, delimiter=delim, encoding=enc, crlf=enc == "cp1252")
    return FileSpec(path, "penerima", period, f"CSV penerima {agency}", rows=table.num_rows, messiness=counts)


def _outputs_rows(st, t: int, rng: np.random.Generator) -> list[dict]:
    rows = []
    for p in st.programmes:
        d = st.deliveries[p.kode]
        got = np.bincount(st.fam.kel, weights=d.received[:, t] & st.fam.present(t), minlength=len(st.layout.kode))
        unit = {"PKH": 800_000, "PBI-DAERAH": 450_000}.get(p.kode, p.nilai)
        for k in np.flatnonzero((got > 0) | (d.planned[:, t] >= 0.5)):
            real = int(got[k])
            if p.kode == "SOS-WIRAUSAHA":
                target = int(math.floor(real * rng.uniform(0.8, 0.95)))
                sessions = max(1, math.ceil(real / 25))
            else:
                target = max(int(round(d.planned[k, t] if t else real * rng.uniform(1.0, 1.05))), 1)
                sessions = {"PKH": 1, "BPNT": 3}.get(p.kode, max(1, math.ceil(real / 15)))
            overhead = sessions * 5_000_000 if p.kode in ("SOS-WIRAUSAHA", "UMKM") else 0
            rows.append(
                {
                    "kode": p.kode,
                    "p": p,
                    "kel": k,
                    "target": target,
                    "realisasi": real,
                    "kegiatan": sessions,
                    "anggaran": round((target * unit + overhead) * rng.uniform(1.02, 1.1), -3),
                    "realisasi_anggaran": round(real * unit * rng.uniform(0.97, 1.0) + overhead, -3),
                }
            )
    return rows


def program_file(st, t: int, ctx, rng: np.random.Generator) -> FileSpec:
    period = PERIODS[t]
    rows = _outputs_rows(st, t, rng)
    year, quarter = period.split("-Q")
    label = f"{['TW I', 'TW II', 'TW III', 'TW IV'][int(quarter) - 1]} {year}"
    headers = [
        "Kode Program",
        "Nama Program",
        "OPD",
        "Kegiatan",
        "Kebutuhan Dasar",
        "Indikator Keluaran",
        "Satuan",
        "Target",
        "Realisasi",
        "Anggaran (Rp)",
        "Realisasi Anggaran (Rp)",
        "Jumlah Kegiatan",
        "Sasaran Desil Maksimum",
        "Periode",
        "Lokasi (Kelurahan)",
    ]
    values = [
        [
            r["kode"],
            r["p"].nama,
            r["p"].opd,
            r["p"].kegiatan,
            r["p"].kebutuhan,
            r["p"].indikator,
            r["p"].satuan,
            r["target"],
            r["realisasi"],
            r["anggaran"],
            r["realisasi_anggaran"],
            r["kegiatan"],
            r["p"].desil_maks,
            label,
            ctx.layout.nama[r["kel"]],
        ]
        for r in rows
    ]
    stem = f"KELUARAN_PROGRAM_{ctx.slug_upper}_{period.replace('-', '_')}"
    if t == len(PERIODS) - 1:
        path = ctx.folder / f"{stem}.xlsx"
        write_simple_xlsx(values, headers, path, sheet="Keluaran", author="Bappeda")
        return FileSpec(path, "program", period, "XLSX keluaran program (Bappeda)", rows=len(values))

    def fmt(v):
        return f"{int(v):,}".replace(",", ".") if isinstance(v, (int, float)) and not isinstance(v, bool) else v

    table = pa.table({h: pa.array([str(fmt(row[i])) for row in values], pa.string()) for i, h in enumerate(headers)})
    path = ctx.folder / f"{stem}.csv"
    write_csv(table, path, delimiter=";")
    return FileSpec(path, "program", period, "CSV keluaran program (Bappeda, titik koma)", rows=table.num_rows)
