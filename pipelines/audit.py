"""Append-only audit log: who did what, when, in which area, on how many rows.

Every login, view of names, upload, publish, rollback and export is one JSON line in
data/audit/audit.jsonl. Each line carries the SHA-256 of the line before it, so an
edited or deleted line breaks the chain and `verify()` says where.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import hashlib
import json
import os
from pathlib import Path

from pipelines.settings import Settings

ACTIONS = {
    "masuk": "Masuk",
    "gagal_masuk": "Gagal masuk",
    "keluar": "Keluar",
    "lihat_nama": "Melihat daftar nama",
    "unggah": "Mengunggah berkas",
    "terbitkan": "Menerbitkan versi",
    "kembalikan": "Mengembalikan versi",
    "ekspor": "Mengunduh data",
    "tindak_lanjut": "Mencatat tindak lanjut",
    "kelola_pengguna": "Mengelola pengguna",
    "tolak_akses": "Akses ditolak",
}
GENESIS = "0" * 64


def _path(settings: Settings) -> Path:
    return settings.audit_dir / "audit.jsonl"


def record(
    settings: Settings,
    *,
    user: str,
    role: str,
    action: str,
    scope: str | None = None,
    rows: int | None = None,
    detail: str | None = None,
) -> dict:
    if action not in ACTIONS:
        raise ValueError(f"aksi audit tidak dikenal: {action}")
    settings.audit_dir.mkdir(parents=True, exist_ok=True)
    path = _path(settings)
    fd = os.open(path, os.O_RDWR | os.O_APPEND | os.O_CREAT, 0o640)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        previous = _last_line(path)
        entry = {
            "waktu": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "pengguna": user,
            "peran": role,
            "aksi": action,
            "wilayah": scope or "seluruh kota",
            "baris": rows,
            "rincian": detail,
            "sebelumnya": hashlib.sha256(previous.encode()).hexdigest() if previous else GENESIS,
        }
        os.write(fd, (json.dumps(entry, ensure_ascii=False, sort_keys=True) + "\n").encode("utf-8"))
        os.fsync(fd)
    finally:
        fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)
    return entry


def refused(settings: Settings, account, detail: str) -> dict:
    """A request for data outside the account's area (a link, a parameter), refused."""
    return record(
        settings,
        user=account.username,
        role=account.peran,
        action="tolak_akses",
        scope=account.wilayah,
        detail=detail[:200],
    )


def _last_line(path: Path) -> str:
    with path.open("rb") as fh:
        fh.seek(0, os.SEEK_END)
        size = fh.tell()
        if size == 0:
            return ""
        block = min(size, 65536)
        fh.seek(size - block)
        lines = fh.read(block).decode("utf-8").splitlines()
    return lines[-1] if lines else ""


def entries(settings: Settings, *, limit: int | None = None) -> list[dict]:
    path = _path(settings)
    if not path.exists():
        return []
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return rows[-limit:] if limit else rows


def verify(settings: Settings) -> int | None:
    """Line number (1-based) where the chain breaks, or None when the log is intact."""
    path = _path(settings)
    if not path.exists():
        return None
    previous = ""
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        expected = hashlib.sha256(previous.encode()).hexdigest() if previous else GENESIS
        if json.loads(line).get("sebelumnya") != expected:
            return number
        previous = line
    return None
