"""Ingest one upload: keep it as received, read it, clean it, stage the result.

Nothing here publishes. An upload ends in `data/staging/<id>/` with the accepted rows
(`data.parquet`), the rejects (`penolakan.csv`), the flags and warnings
(`catatan.csv`) and a report (`laporan.json`); the register records it last, so an
interrupted ingest leaves no trace that publishing would pick up. A write the disk refuses
(full, read-only) ends the ingest with disk.StorageError and takes back what this ingest wrote.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

import duckdb

from pipelines.cities import City
from pipelines.db import connect
from pipelines.files import sha256_of
from pipelines.ingestion import disk, rejects
from pipelines.ingestion.clean import EXCLUDED_FILE, TYPED_FILE, clean, staged_select
from pipelines.ingestion.contracts import Contract, contract_for
from pipelines.ingestion.csv_reader import CsvPlan
from pipelines.ingestion.mapping import Mapping
from pipelines.ingestion.readers import FileRejected, detect_file_type, plan_read, read_any
from pipelines.lake import registry
from pipelines.lake.lock import exclusive
from pipelines.periods import require_period
from pipelines.settings import Settings, get_settings
from pipelines.spreadsheet import write_csv_for_excel
from pipelines.state import active_city

REJECTS_FILE = "penolakan.csv"
NOTES_FILE = "catatan.csv"
REPORT_FILE = "laporan.json"
# Reports staged by releases before November 2026 used English keys; they are read under today's names.
_EARLIER_KEYS = {
    "upload_id": "id_unggahan",
    "source": "sumber",
    "period": "periode",
    "file": "berkas",
    "file_type": "jenis_berkas",
    "sheet": "lembar",
    "encoding": "pengodean",
    "delimiter": "pemisah",
    "header_row": "baris_judul",
    "columns_mapped": "kolom_dipetakan",
    "unmapped_columns": "kolom_tidak_dipakai",
    "rows_read": "baris_dibaca",
    "rows_skipped": "baris_dilewati",
    "skipped_rows": "rincian_baris_dilewati",
    "rows_accepted": "baris_diterima",
    "rows_rejected": "baris_ditolak",
    "rows_flagged": "baris_ditandai",
    "rejected_by_reason": "ditolak_menurut_alasan",
    "rejected_by_kelurahan": "ditolak_per_kelurahan",
    "rejects_file": "berkas_penolakan",
    "notes_file": "berkas_catatan",
    "rule_set": "aturan_fakir_miskin",
    "already_uploaded": "sudah_pernah_diunggah",
    "warnings": "peringatan",
    "conflicts": "konflik_kunci",
    "exact_duplicates": "duplikat_persis",
}


@dataclass
class IngestResult:
    report: dict

    @property
    def upload_id(self) -> str:
        return self.report["id_unggahan"]


def read_report(settings: Settings, upload_id: str) -> dict:
    """The staged report of an upload (the `ingest --json` fields), whichever release wrote it."""
    report = json.loads((settings.staging_dir / upload_id / REPORT_FILE).read_text(encoding="utf-8"))
    return {_EARLIER_KEYS.get(key, key): value for key, value in report.items()}


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
    try:
        digest = sha256_of(file)
        previous = registry.find_by_sha(settings, digest)
        if previous is not None:
            if previous["sumber"] != source or previous["periode"] != period:
                raise FileRejected(
                    f"Berkas yang sama persis sudah diunggah sebagai '{previous['sumber']}' periode "
                    f"{previous['periode']} ({previous['nama_berkas']}, {previous['diunggah_pada']}). "
                    "Periksa apakah berkasnya benar."
                )
            report = read_report(settings, previous["id"])
            return IngestResult({**report, "sudah_pernah_diunggah": True})
        # Limits and the header are checked before the lock: a hostile file never holds it.
        plan = plan_read(file, file_type, contract, mapping)
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
                plan=plan,
            )
    except OSError as exc:
        raise disk.StorageError(disk.problem(exc)) from exc
    except duckdb.IOException as exc:
        raise disk.StorageError(disk.WORK_FILES_FAILED) from exc


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
    *,
    plan: CsvPlan | None = None,
) -> IngestResult:
    upload_id = f"{period}-{source}-{digest[:12]}"
    settings.staging_dir.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f".{upload_id}-", dir=settings.staging_dir))
    try:
        con = connect(settings)
        try:
            raw = read_any(con, file, contract, mapping=mapping, sheet=sheet, work_dir=work, plan=plan)
            result = clean(con, raw, contract, city, mapping, work)
            if result.rows_read == 0:
                raise FileRejected("Berkas tidak berisi baris data di bawah judul kolom.")
            summary = rejects.summarise(con, raw)
            rejected = rejects.problem_table(con, raw, "= 'tolak'")
            notes = rejects.problem_table(con, raw, "<> 'tolak'")
            if summary["baris_diterima"] == 0:
                top = "; ".join(f"{r} ({n} baris)" for r, n in list(summary["ditolak_menurut_alasan"].items())[:3])
                out = settings.staging_dir / "ditolak" / digest[:12]
                out.mkdir(parents=True, exist_ok=True)
                write_csv_for_excel(rejected, out / REJECTS_FILE)
                raise FileRejected(
                    f"Semua {result.rows_read} baris ditolak, berkas tidak dipakai. Alasan utama: {top}. "
                    f"Daftar lengkap: {out / REJECTS_FILE}"
                )
            con.execute(
                f"COPY (SELECT _baris FROM excluded ORDER BY _baris) TO '{work / EXCLUDED_FILE}' (FORMAT parquet)"
            )
        finally:
            con.close()
        write_csv_for_excel(rejected, work / REJECTS_FILE)
        write_csv_for_excel(notes, work / NOTES_FILE)
        stored, created = _store_raw(settings, file, source, period, digest, file_type)
        try:
            mapping_copy = None
            if mapping_file:
                mapping_copy = stored.with_suffix(".pemetaan.toml")
                _copy_whole(mapping_file, mapping_copy)
            report = {
                "id_unggahan": upload_id,
                "sumber": source,
                "periode": period,
                "berkas": name,
                "sha256": digest,
                "jenis_berkas": raw.file_type,
                "lembar": raw.sheet,
                "pengodean": raw.encoding,
                "pemisah": raw.delimiter,
                "baris_judul": raw.header_row,
                "kolom_dipetakan": {k: raw.headers[v] for k, v in sorted(raw.columns.items(), key=lambda kv: kv[1])},
                "kolom_tidak_dipakai": raw.unmapped_headers,
                "baris_dibaca": result.rows_read,
                "baris_dilewati": result.rows_skipped,
                "rincian_baris_dilewati": [{"baris": b, "alasan": a} for b, a in result.skipped_detail[:50]],
                **summary,
                "berkas_penolakan": str(settings.staging_dir / upload_id / REJECTS_FILE),
                "berkas_catatan": str(settings.staging_dir / upload_id / NOTES_FILE),
                "aturan_fakir_miskin": contract.rules.nama if contract.rules else None,
                "sudah_pernah_diunggah": False,
            }
            (work / REPORT_FILE).write_text(json.dumps(report, ensure_ascii=False, indent=2), encoding="utf-8")
            final = settings.staging_dir / upload_id
            if final.exists():
                shutil.rmtree(final)
            os.replace(work, final)
            try:
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
                        "baris_dibaca": report["baris_dibaca"],
                        "baris_diterima": report["baris_diterima"],
                        "baris_ditolak": report["baris_ditolak"],
                    },
                )
            except BaseException:
                shutil.rmtree(final, ignore_errors=True)
                raise
        except BaseException:
            # Not registered: what this ingest stored goes too, so a retry starts clean.
            if created:
                stored.unlink(missing_ok=True)
                stored.with_suffix(".pemetaan.toml").unlink(missing_ok=True)
            raise
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


def _store_raw(
    settings: Settings, file: Path, source: str, period: str, digest: str, file_type: str
) -> tuple[Path, bool]:
    """The upload exactly as received, named by its sha256; and whether this call stored it."""
    folder = settings.raw_dir / source / period
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"{digest}.{file_type}"
    if target.exists():
        return target, False
    _copy_whole(file, target)
    return target, True


def _copy_whole(source: Path, target: Path) -> None:
    """Copy to a hidden name, then rename: the target is whole or absent, never cut short by a full disk.
    Kept exactly as received: read-only, and readable by the service account alone."""
    tmp = target.with_name(f".{target.name}.tmp")
    try:
        tmp.unlink(missing_ok=True)  # left by a crash; read-only, so it cannot be opened for writing
        shutil.copyfile(source, tmp)
        os.chmod(tmp, 0o400)
        os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
