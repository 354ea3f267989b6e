"""Ingest one upload: keep it as received, read it, clean it, stage the result.

Nothing here publishes. An upload ends in `data/staging/<id>/` with the accepted rows
(`data.parquet`), the rejects (`penolakan.csv`), the flags and warnings
(`catatan.csv`) and a report (`laporan.json`); the register records it last, so an
interrupted ingest leaves no trace that publishing would pick up.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from pipelines import registry
from pipelines.cities import City
from pipelines.clean import EXCLUDED_FILE, TYPED_FILE, clean, staged_select
from pipelines.contracts import Contract, contract_for
from pipelines.db import connect
from pipelines.lock import exclusive
from pipelines.mapping import Mapping
from pipelines.periods import require_period
from pipelines.readers import FileRejected, RawTable, detect_file_type, read_any
from pipelines.settings import Settings, get_settings
from pipelines.state import active_city

REJECTS_FILE = "penolakan.csv"
NOTES_FILE = "catatan.csv"
REPORT_FILE = "laporan.json"


@dataclass
class IngestResult:
    report: dict

    @property
    def upload_id(self) -> str:
        return self.report["upload_id"]


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while chunk := fh.read(8 * 1024 * 1024):
            digest.update(chunk)
    return digest.hexdigest()


def _as_text(column: pa.ChunkedArray) -> pa.ChunkedArray:
    """Values Excel would run as formulas get a leading apostrophe (shown as text)."""
    if pa.types.is_large_string(column.type):
        column = pc.cast(column, pa.string())
    if not pa.types.is_string(column.type):
        return column
    formula = pc.fill_null(pc.match_substring_regex(column, "^[=+\\-@\t\r]"), False)
    return pc.if_else(formula, pc.binary_join_element_wise("'", column, ""), column)


def write_csv_for_excel(table: pa.Table, target) -> None:
    """UTF-8 with BOM and `;`: what Excel in an Indonesian locale opens correctly.

    `target` is a path or a writable binary file object."""
    cleaned = pa.table([_as_text(c) for c in table.columns], names=table.column_names)
    fh = target.open("wb") if isinstance(target, Path) else target
    try:
        fh.write(b"\xef\xbb\xbf")
        pacsv.write_csv(cleaned, fh, pacsv.WriteOptions(delimiter=";", quoting_style="needed"))
    finally:
        if isinstance(target, Path):
            fh.close()


def _problem_table(con, raw: RawTable, action_filter: str) -> pa.Table:
    """Problems of one kind joined with the row as it was read, headers as in the file."""
    originals = ", ".join(f"replace(s.c{i}, chr(1), '') AS c{i}" for i in range(len(raw.headers)))
    table = con.sql(
        f"""
        SELECT p.baris, p.kolom, replace(p.nilai, chr(1), '') AS nilai, p.alasan, {originals}
        FROM problems p LEFT JOIN src s ON s._baris = p.baris
        WHERE p.tindakan {action_filter}
        ORDER BY p.baris, p.kolom
        """
    ).to_arrow_table()
    header_of = {name: raw.headers[pos] for name, pos in raw.columns.items()}
    kolom = pc.cast(table.column("kolom"), pa.string()).to_pylist()
    table = table.set_column(1, "kolom", pa.array([header_of.get(k, k) for k in kolom], pa.string()))
    names = ["baris", "kolom", "nilai", "alasan"] + [
        f"{h or f'kolom_{i + 1}'} (asli)" for i, h in enumerate(raw.headers)
    ]
    return table.rename_columns(_unique(names))


def _unique(names: list[str]) -> list[str]:
    seen: dict[str, int] = {}
    out = []
    for n in names:
        seen[n] = seen.get(n, 0) + 1
        out.append(n if seen[n] == 1 else f"{n} ({seen[n]})")
    return out


def _summarise(con, raw: RawTable) -> dict:
    header_of = {name: raw.headers[pos] for name, pos in raw.columns.items()}
    by_reason = con.execute(
        """
        SELECT kolom, regexp_replace(alasan, '(baris|terbaca|berisi) [0-9]+', '\\1 N', 'g') AS alasan,
               count(DISTINCT baris) AS n
        FROM problems WHERE tindakan = 'tolak' GROUP BY ALL ORDER BY n DESC, alasan
        """
    ).fetchall()
    flagged = con.execute("SELECT count(*) FROM accepted WHERE _ditandai").fetchall()[0][0]
    warnings = con.execute("SELECT count(*) FROM problems WHERE tindakan = 'peringatan'").fetchall()[0][0]
    conflicts = con.execute("SELECT count(DISTINCT _kunci) FROM key_conflicts").fetchall()[0][0]
    duplicates = con.execute("SELECT count(*) FROM exact_dupes").fetchall()[0][0]
    rejected = con.execute("SELECT count(DISTINCT baris) FROM problems WHERE tindakan = 'tolak'").fetchall()[0][0]
    accepted = con.execute("SELECT count(*) FROM accepted").fetchall()[0][0]
    has_area = "kode_kelurahan" in [r[0] for r in con.execute("DESCRIBE typed").fetchall()]
    per_area = con.execute(
        """
        SELECT t.kode_kelurahan, count(DISTINCT p.baris)
        FROM problems p LEFT JOIN typed t ON t._baris = p.baris
        WHERE p.tindakan = 'tolak' GROUP BY 1 ORDER BY 1 NULLS LAST
        """
        if has_area
        else "SELECT NULL, count(DISTINCT baris) FROM problems WHERE tindakan = 'tolak' HAVING count(*) > 0"
    ).fetchall()
    return {
        "rejected_by_kelurahan": {(k or "tidak_diketahui"): n for k, n in per_area},
        "rows_accepted": accepted,
        "rows_rejected": rejected,
        "rejected_by_reason": {f"{header_of.get(k, k)}: {a}": n for k, a, n in by_reason},
        "rows_flagged": flagged,
        "warnings": warnings,
        "conflicts": conflicts,
        "exact_duplicates": duplicates,
    }


def ingest(
    source: str,
    file: Path,
    period: str,
    *,
    mapping_file: Path | None = None,
    sheet: str | None = None,
    user: str = "cli",
    original_name: str | None = None,
    settings: Settings | None = None,
    city: City | None = None,
) -> IngestResult:
    """Read, clean and stage one file. Raises FileRejected when it cannot be used at all."""
    settings = settings or get_settings()
    city = city or active_city(settings)
    period = require_period(period)
    file = Path(file)
    if not file.is_file():
        raise FileRejected(f"Berkas '{file}' tidak ditemukan.")
    contract = contract_for(source, city)
    mapping = Mapping.load(mapping_file, contract) if mapping_file else None
    file_type = detect_file_type(file)
    digest = sha256_of(file)
    previous = registry.find_by_sha(settings, digest)
    if previous is not None:
        if previous["sumber"] != source or previous["periode"] != period:
            raise FileRejected(
                f"Berkas yang sama persis sudah diunggah sebagai '{previous['sumber']}' periode {previous['periode']} "
                f"({previous['nama_berkas']}, {previous['diunggah_pada']}). Periksa apakah berkasnya benar."
            )
        report = json.loads((settings.staging_dir / previous["id"] / REPORT_FILE).read_text(encoding="utf-8"))
        return IngestResult({**report, "already_uploaded": True})
    with exclusive(settings, f"unggah {source} {period}"):
        return _ingest_locked(
            source,
            file,
            period,
            file_type,
            digest,
            contract,
            mapping,
            mapping_file,
            sheet,
            user,
            original_name or file.name,
            settings,
            city,
        )


def _ingest_locked(
    source: str,
    file: Path,
    period: str,
    file_type: str,
    digest: str,
    contract: Contract,
    mapping: Mapping | None,
    mapping_file: Path | None,
    sheet: str | None,
    user: str,
    name: str,
    settings: Settings,
    city: City,
) -> IngestResult:
    upload_id = f"{period}-{source}-{digest[:12]}"
    settings.staging_dir.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f".{upload_id}-", dir=settings.staging_dir))
    try:
        con = connect(settings)
        try:
            raw = read_any(con, file, contract, mapping=mapping, sheet=sheet, work_dir=work)
            result = clean(con, raw, contract, city, mapping, work)
            if result.rows_read == 0:
                raise FileRejected("Berkas tidak berisi baris data di bawah judul kolom.")
            summary = _summarise(con, raw)
            rejects = _problem_table(con, raw, "= 'tolak'")
            notes = _problem_table(con, raw, "<> 'tolak'")
            if summary["rows_accepted"] == 0:
                top = "; ".join(f"{r} ({n} baris)" for r, n in list(summary["rejected_by_reason"].items())[:3])
                out = settings.staging_dir / "ditolak" / digest[:12]
                out.mkdir(parents=True, exist_ok=True)
                write_csv_for_excel(rejects, out / REJECTS_FILE)
                raise FileRejected(
                    f"Semua {result.rows_read} baris ditolak, berkas tidak dipakai. Alasan utama: {top}. "
                    f"Daftar lengkap: {out / REJECTS_FILE}"
                )
            con.execute(
                f"COPY (SELECT _baris FROM excluded ORDER BY _baris) TO '{work / EXCLUDED_FILE}' (FORMAT parquet)"
            )
        finally:
            con.close()
        write_csv_for_excel(rejects, work / REJECTS_FILE)
        write_csv_for_excel(notes, work / NOTES_FILE)
        stored = _store_raw(settings, file, source, period, digest, file_type)
        mapping_copy = None
        if mapping_file:
            mapping_copy = stored.with_suffix(".pemetaan.toml")
            shutil.copyfile(mapping_file, mapping_copy)
        report = {
            "upload_id": upload_id,
            "source": source,
            "period": period,
            "file": name,
            "sha256": digest,
            "file_type": raw.file_type,
            "sheet": raw.sheet,
            "encoding": raw.encoding,
            "delimiter": raw.delimiter,
            "header_row": raw.header_row,
            "columns_mapped": {k: raw.headers[v] for k, v in sorted(raw.columns.items(), key=lambda kv: kv[1])},
            "unmapped_columns": raw.unmapped_headers,
            "rows_read": result.rows_read,
            "rows_skipped": result.rows_skipped,
            "skipped_rows": [{"baris": b, "alasan": a} for b, a in result.skipped_detail[:50]],
            **summary,
            "rejects_file": str(settings.staging_dir / upload_id / REJECTS_FILE),
            "notes_file": str(settings.staging_dir / upload_id / NOTES_FILE),
            "rule_set": contract.rules.nama if contract.rules else None,
            "already_uploaded": False,
        }
        (work / REPORT_FILE).write_text(json.dumps(report, ensure_ascii=False, indent=2), encoding="utf-8")
        final = settings.staging_dir / upload_id
        if final.exists():
            shutil.rmtree(final)
        os.replace(work, final)
        registry.append(
            settings,
            {
                "id": upload_id,
                "sumber": source,
                "periode": period,
                "sha256": digest,
                "nama_berkas": name,
                "ukuran": file.stat().st_size,
                "diunggah_pada": registry.now_iso(),
                "oleh": user,
                "kota": city.kode,
                "berkas_mentah": str(stored.relative_to(settings.data_dir)),
                "pemetaan": str(mapping_copy.relative_to(settings.data_dir)) if mapping_copy else None,
                "baris_dibaca": report["rows_read"],
                "baris_diterima": report["rows_accepted"],
                "baris_ditolak": report["rows_rejected"],
            },
        )
        return IngestResult(report)
    finally:
        if work.exists():
            shutil.rmtree(work, ignore_errors=True)


def read_staged(settings: Settings, upload_id: str, source: str, city: City | None = None):
    """Accepted rows of one staged upload, as a DataFrame with the contract's output columns."""
    import duckdb

    city = city or active_city(settings)
    contract = contract_for(source, city)
    folder = settings.staging_dir / upload_id
    return duckdb.sql(
        f"SELECT {staged_select(contract)} FROM read_parquet('{folder / TYPED_FILE}') r "
        f"ANTI JOIN read_parquet('{folder / EXCLUDED_FILE}') e ON e._baris = r._baris ORDER BY r._baris"
    ).df()


def _store_raw(settings: Settings, file: Path, source: str, period: str, digest: str, file_type: str) -> Path:
    """The upload exactly as received, named by its sha256 (write, then rename)."""
    folder = settings.raw_dir / source / period
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"{digest}.{file_type}"
    if not target.exists():
        tmp = folder / f".{digest}.tmp"
        shutil.copyfile(file, tmp)
        os.replace(tmp, target)
    return target
