"""The upload register: an append-only JSON-lines file beside the raw uploads.

Each upload is recorded once, after its file is stored and its staged result written,
so a crash in between leaves no half-registered upload. Withdrawing an upload appends
a record; nothing is ever rewritten.
"""

from __future__ import annotations

import datetime as dt
import errno
import fcntl
import json
import os
from pathlib import Path

from pipelines.ingestion.disk import StorageError, problem
from pipelines.settings import Settings

REGISTER = "unggahan.jsonl"


class UploadNotFound(ValueError):
    pass


def register_path(settings: Settings) -> Path:
    return settings.raw_dir / REGISTER


def now_iso() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def append(settings: Settings, entry: dict) -> None:
    settings.raw_dir.mkdir(parents=True, exist_ok=True)
    line = json.dumps(entry, ensure_ascii=False, sort_keys=True) + "\n"
    data = line.encode("utf-8")
    fd = os.open(register_path(settings), os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o640)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        size = os.fstat(fd).st_size
        try:
            written = os.write(fd, data)
            if written != len(data):
                raise OSError(errno.ENOSPC, "short write")
            os.fsync(fd)
        except OSError as exc:
            # Never half a line: the register goes back to what it was and the upload is refused.
            os.ftruncate(fd, size)
            raise StorageError(problem(exc)) from exc
    finally:
        os.close(fd)


def uploads(settings: Settings, *, include_withdrawn: bool = False) -> list[dict]:
    """Uploads in the order they were made; withdrawn ones are left out unless asked."""
    path = register_path(settings)
    if not path.exists():
        return []
    entries: dict[str, dict] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        record = json.loads(line)
        if record.get("ditarik"):
            if record["id"] in entries:
                entries[record["id"]] = {**entries[record["id"]], "ditarik_pada": record["ditarik_pada"]}
            continue
        entries[record["id"]] = record
    result = list(entries.values())
    if not include_withdrawn:
        result = [e for e in result if "ditarik_pada" not in e]
    return result


def find_by_sha(settings: Settings, sha256: str) -> dict | None:
    for entry in uploads(settings):
        if entry["sha256"] == sha256:
            return entry
    return None


def withdraw(settings: Settings, upload_id: str, user: str) -> dict:
    active = {e["id"]: e for e in uploads(settings)}
    if upload_id not in active:
        raise UploadNotFound(f"Unggahan '{upload_id}' tidak ditemukan atau sudah ditarik.")
    append(settings, {"id": upload_id, "ditarik": True, "ditarik_pada": now_iso(), "oleh": user})
    return active[upload_id]
