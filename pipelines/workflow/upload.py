"""What the upload page does, without the page: check a file, publish, roll back, withdraw.

Each step is audited here, the same whether the page or a test drives it, and refusals come back
as Indonesian sentences the page shows as they are.
"""

from __future__ import annotations

import json
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

import duckdb

from pipelines.access import audit
from pipelines.access.accounts import Account
from pipelines.cities import City
from pipelines.ingestion.contracts import contract_for
from pipelines.ingestion.detect import AUTO, detect_source
from pipelines.ingestion.disk import WORK_FILES_FAILED, StorageError, problem
from pipelines.ingestion.ingest import ingest
from pipelines.ingestion.mapping import MappingError
from pipelines.ingestion.readers import FileRejected
from pipelines.lake import manifest as lake
from pipelines.lake import registry
from pipelines.lake.lock import LockBusy
from pipelines.lake.publish import Progress, PublishError, publish, rollback
from pipelines.periods import PeriodError, require_period
from pipelines.settings import Settings

# Audit details hold the refusal's start only: enough to find the case, not a copy of the file's headers.
AUDIT_DETAIL_CHARS = 150
# Marks that start Markdown inside a line: emphasis, code, links, HTML, maths, tables, strike-through,
# Streamlit's `:colour[...]` and icons. Line-start marks (#, -, 1.) cannot occur: newlines become spaces.


class Refused(Exception):
    """A file, period or action refused; the message is for the user, in Indonesian."""


def check_file(
    settings: Settings,
    city: City,
    account: Account,
    *,
    name: str,
    content: bytes,
    source: str,
    period_text: str,
    sheet: str | None = None,
    mapping: bytes | None = None,
    progress: Progress = lambda _: None,
) -> dict:
    """Keep, read and clean one uploaded file (nothing is published); its report, or Refused."""
    base = settings.tmp_dir if settings.tmp_dir.exists() else None
    work = Path(tempfile.mkdtemp(prefix="unggah-", dir=base))
    try:
        path = work / (Path(name).name or "berkas")
        path.write_bytes(content)
        mapping_path = None
        if mapping is not None:
            mapping_path = work / "pemetaan.toml"
            mapping_path.write_bytes(mapping)
        period = require_period(period_text)
        if source == AUTO:
            source = detect_source(path, city, sheet=sheet, mapping_file=mapping_path)
            progress(f"Dikenali sebagai {contract_for(source, city).label}; memeriksa baris...")
        report = ingest(
            source,
            path,
            period,
            mapping_file=mapping_path,
            sheet=sheet,
            user=account.username,
            original_name=name,
            settings=settings,
            city=city,
        ).report
    except OSError as exc:
        # The server's disk refused a working copy (full, read-only): nothing of the upload was kept.
        refused = StorageError(problem(exc))
        _record(settings, account, "unggah", f"ditolak: {name}: {str(refused)[:AUDIT_DETAIL_CHARS]}", rows=0)
        raise Refused(str(refused)) from exc
    except (FileRejected, MappingError, PeriodError, LockBusy) as exc:
        _record(settings, account, "unggah", f"ditolak: {name}: {str(exc)[:AUDIT_DETAIL_CHARS]}", rows=0)
        raise Refused(str(exc)) from exc
    finally:
        shutil.rmtree(work, ignore_errors=True)
    _record(settings, account, "unggah", f"{name} ({source}, {period})", rows=report["baris_dibaca"])
    return report


@dataclass(frozen=True)
class Changes:
    """What a publish now would change against the current version."""

    current: dict | None
    active: list[dict]
    added: list[dict]  # active uploads the current version does not hold
    removed: list[dict]  # uploads the current version holds that were withdrawn since


def changes(settings: Settings) -> Changes:
    try:
        current = lake.read_manifest(settings)
    except lake.NoLake:
        current = None
    published = set(current["unggahan"]) if current else set()
    everything = registry.uploads(settings, include_withdrawn=True)
    active = [u for u in everything if "ditarik_pada" not in u]
    return Changes(
        current=current,
        active=active,
        added=[u for u in active if u["id"] not in published],
        removed=[u for u in everything if "ditarik_pada" in u and u["id"] in published],
    )


def publish_version(settings: Settings, account: Account, *, progress: Progress) -> dict:
    """A new version, or Refused when nothing changed since the current one (or another writer runs)."""
    try:
        new = publish(settings=settings, user=account.username, only_if_changed=True, progress=progress)
    except (PublishError, LockBusy) as exc:
        raise Refused(str(exc)) from exc
    except (OSError, duckdb.IOException) as exc:
        reason = problem(exc) if isinstance(exc, OSError) else WORK_FILES_FAILED
        raise Refused(
            f"Versi baru tidak dapat ditulis: {reason}. Versi aktif tidak berubah. "
            "Minta admin memeriksa ruang disk server, lalu terbitkan lagi."
        ) from exc
    _record(settings, account, "terbitkan", new["versi"], rows=new["tabel"]["keluarga"]["baris"])
    return new


def rollback_target(settings: Settings, current: dict | None) -> dict | None:
    """The version a rollback would restore (its manifest), or None when there is none left."""
    target = (current or {}).get("sebelumnya")
    if not target:
        return None
    path = lake.version_path(settings, target) / lake.MANIFEST
    if not path.exists():
        return None
    return json.loads(path.read_text(encoding="utf-8"))


def roll_back(settings: Settings, account: Account, *, seen: str, to: str) -> dict:
    """Restore version `to`, only while `seen` is still current: the user confirmed that exact step."""
    try:
        if lake.read_manifest(settings)["versi"] != seen:
            raise Refused("Versi aktif sudah berubah sejak halaman ini dibuka; periksa lagi sebelum mengembalikan.")
        back = rollback(settings=settings, user=account.username, to=to)
    except (PublishError, LockBusy) as exc:
        raise Refused(str(exc)) from exc
    _record(settings, account, "kembalikan", f"{back['dipulihkan_dari']} -> {back['versi']}")
    return back


def withdraw_upload(settings: Settings, account: Account, upload_id: str) -> dict:
    """Withdraw an upload from the next publish, audited as the command line's `withdraw` is."""
    try:
        entry = registry.withdraw(settings, upload_id, account.username)
    except registry.UploadNotFound as exc:
        raise Refused(str(exc)) from exc
    _record(settings, account, "unggah", f"tarik {entry['id']}")
    return entry


def _record(settings: Settings, account: Account, action: str, detail: str, *, rows: int | None = None) -> None:
    audit.record(settings, user=account.username, role=account.peran, action=action, rows=rows, detail=detail)
