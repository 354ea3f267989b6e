"""Append-only audit log: who did what, when, in which area, on how many rows.

Every login, view of names, upload, publish, rollback and export is one JSON line in
data/audit/audit.jsonl, carrying its sequence number ("urutan") and the SHA-256 of the line
before it ("sebelumnya"). The head of the chain (line count, hash of the last line, file size)
is kept outside the file, in the transactional store (store.audit_jangkar), and moves in the
same critical section as the append. An edited, inserted or deleted line breaks the chain; a
cut, rewritten or deleted file no longer matches the anchor. `verify()` says which.

Appending never reads the file: the previous hash comes from the anchor, so nothing a line
contains (a username cut inside a multi-byte character, a Unicode line separator) can stop the
next one from being written. Lines are split on b"\\n" only and hashed as bytes.
"""

from __future__ import annotations

import datetime as dt
import errno
import fcntl
import json
import os
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa

from pipelines import store
from pipelines.access import chain
from pipelines.formatting import angka
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
FIELDS = ("waktu", "pengguna", "peran", "aksi", "wilayah", "baris", "rincian")
ANCHOR_ID = 1
# A damaged line is shown as text, cut to this length.
DAMAGED_TEXT_CHARS = 300
# Less free space than this and `ready()` refuses: a line and the store's commit need far less.
MIN_FREE_BYTES = 1 << 20

_REASONS = {
    errno.ENOSPC: "ruang disk server habis",
    errno.EDQUOT: "kuota disk server habis",
    errno.EFBIG: "berkas log melampaui batas ukuran berkas",
    errno.EACCES: "aplikasi tidak berizin menulis berkas log",
    errno.EPERM: "aplikasi tidak berizin menulis berkas log",
    errno.EROFS: "disk server hanya bisa dibaca",
}
STORE_FAILED = "basis data aplikasi tidak dapat dipakai"
SHORT_WRITE = "hanya sebagian catatan yang tertulis; ruang disk server kemungkinan habis"


class AuditError(RuntimeError):
    """The log could not be written; the request that needed the line stops here."""

    def __init__(self, reason: str) -> None:
        self.reason = reason
        super().__init__(f"Log audit tidak dapat ditulis ({reason}), jadi permintaan ini dihentikan. Hubungi admin.")


@dataclass(frozen=True)
class Check:
    """What `verify()` found: problems in Indonesian (none: intact) and where the first one is."""

    problems: tuple[str, ...]
    lines: int
    first_break: int | None = None
    adopted_on: str | None = None  # a log of an older release was taken over then (ISO time, UTC)
    adopted_lines: int = 0

    @property
    def intact(self) -> bool:
        return not self.problems


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
    """Append one line, or raise AuditError (nothing half-written stays behind)."""
    if action not in ACTIONS:
        raise ValueError(f"aksi audit tidak dikenal: {action}")
    entry = {
        "waktu": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "pengguna": user,
        "peran": role,
        "aksi": action,
        "wilayah": scope or "seluruh kota",
        "baris": rows,
        "rincian": detail,
    }
    with _locked(settings) as fd:
        before = os.fstat(fd).st_size
        try:
            with store.transaction(settings) as conn:
                anchor = _anchor(conn, fd)
                entry |= {"urutan": anchor.baris + 1, "sebelumnya": anchor.kepala}
                line = json.dumps(entry, ensure_ascii=False, sort_keys=True).encode("utf-8")
                size = _append(fd, line, before)
                conn.execute(
                    sa.update(store.audit_jangkar)
                    .where(store.audit_jangkar.c.id == ANCHOR_ID)
                    .values(baris=anchor.baris + 1, kepala=chain.digest(line), ukuran=size)
                )
        except sa.exc.SQLAlchemyError as exc:
            # The anchor did not move (or its commit failed): the line must not stay without it.
            _truncate(fd, before)
            raise AuditError(STORE_FAILED) from exc
    return entry


def ready(settings: Settings) -> None:
    """Raise AuditError now if a line could not be written (no room, no store, no permission).
    Commands that act first and record afterwards call this before acting."""
    with _locked(settings) as fd:
        room = os.fstatvfs(fd)
        if room.f_bavail * room.f_frsize < MIN_FREE_BYTES:
            raise AuditError(_REASONS[errno.ENOSPC])
        try:
            with store.transaction(settings) as conn:
                _anchor(conn, fd)
        except sa.exc.SQLAlchemyError as exc:
            raise AuditError(STORE_FAILED) from exc


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


def _append(fd: int, line: bytes, before: int) -> int:
    """Write the line with one write and check it all went; else cut the file back and raise."""
    data = line + b"\n"
    if before and os.pread(fd, 1, before - 1) != b"\n":
        data = b"\n" + data  # a line cut short earlier stays a line of its own
    try:
        written = os.write(fd, data)
        if written == len(data):
            os.fsync(fd)
    except OSError as exc:
        _truncate(fd, before)
        code = errno.errorcode.get(exc.errno, exc.errno)
        raise AuditError(_REASONS.get(exc.errno, f"kesalahan berkas {code}")) from exc
    if written != len(data):
        _truncate(fd, before)
        raise AuditError(SHORT_WRITE)
    return before + written


def _truncate(fd: int, size: int) -> None:
    with suppress(OSError):
        os.ftruncate(fd, size)
        os.fsync(fd)


@contextmanager
def _locked(settings: Settings):
    """The log open for appending under an exclusive lock: writers of every process queue here.
    The store transaction inside it serialises writers whose file was swapped underneath them."""
    try:
        settings.audit_dir.mkdir(parents=True, exist_ok=True)
        fd = os.open(_path(settings), os.O_RDWR | os.O_APPEND | os.O_CREAT, 0o640)
    except OSError as exc:
        raise AuditError(_REASONS.get(exc.errno, "berkas log tidak dapat dibuka")) from exc
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield fd
    finally:
        os.close(fd)  # releases the lock


def _anchor(conn, fd: int) -> chain.Anchor:
    table = store.audit_jangkar
    row = conn.execute(sa.select(table).where(table.c.id == ANCHOR_ID).with_for_update()).first()
    if row is not None:
        return chain.Anchor(row.baris, row.kepala, row.ukuran)
    # A log of an older release (or none yet): the anchor starts from the file as it is.
    data = _read_all(fd)
    size = len(data)
    lines = chain.split(data)
    anchor = chain.Anchor(len(lines), chain.digest(lines[-1]) if lines else chain.GENESIS, size)
    conn.execute(sa.insert(table).values(id=ANCHOR_ID, baris=anchor.baris, kepala=anchor.kepala, ukuran=size))
    if lines:
        now = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
        conn.execute(sa.insert(store.audit_adopsi).values(pada=now, baris=len(lines), ukuran=size))
    return anchor


def _read_all(fd: int) -> bytes:
    chunks, offset = [], 0
    while chunk := os.pread(fd, 1 << 24, offset):
        chunks.append(chunk)
        offset += len(chunk)
    return b"".join(chunks)


def _snapshot(settings: Settings) -> tuple[bytes | None, chain.Anchor | None, tuple[str, int] | None]:
    """The file's bytes (None: no file), the anchor and the last adoption, read together under a
    shared lock so that no append falls between them."""
    try:
        fd = os.open(_path(settings), os.O_RDONLY)
    except FileNotFoundError:
        fd = None
    try:
        if fd is not None:
            fcntl.flock(fd, fcntl.LOCK_SH)
        with store.connection(settings) as conn:
            row = conn.execute(sa.select(store.audit_jangkar).where(store.audit_jangkar.c.id == ANCHOR_ID)).first()
            adopted = conn.execute(
                sa.select(store.audit_adopsi.c.pada, store.audit_adopsi.c.baris)
                .order_by(store.audit_adopsi.c.id.desc())
                .limit(1)
            ).first()
        data = _read_all(fd) if fd is not None else None
    finally:
        if fd is not None:
            os.close(fd)
    anchor = chain.Anchor(row.baris, row.kepala, row.ukuran) if row else None
    return data, anchor, (adopted.pada, adopted.baris) if adopted else None


def entries(settings: Settings, *, limit: int | None = None) -> list[dict]:
    """Every line as a dict with its line number ("nomor"); a line that cannot be read comes back
    with "rusak" set and its text in "teks", so one bad line hides nothing else."""
    path = _path(settings)
    if not path.exists():
        return []
    with path.open("rb") as fh:
        fcntl.flock(fh, fcntl.LOCK_SH)
        data = fh.read()
    lines = chain.split(data)
    start = max(0, len(lines) - limit) if limit else 0
    return [_entry(number, line) for number, line in enumerate(lines[start:], start + 1)]


def _entry(number: int, line: bytes) -> dict:
    entry = chain.parse(line)
    if entry is None:
        text = line.decode("utf-8", errors="replace")[:DAMAGED_TEXT_CHARS]
        return dict.fromkeys(FIELDS) | {"nomor": number, "rusak": True, "teks": text}
    return dict.fromkeys(FIELDS) | entry | {"nomor": number, "rusak": False}


def verify(settings: Settings) -> Check:
    """Walk the log and hold it against the anchor; a log without one is adopted first."""
    data, anchor, adopted = _snapshot(settings)
    if anchor is None and data:
        with _locked(settings) as fd, store.transaction(settings) as conn:
            _anchor(conn, fd)
        data, anchor, adopted = _snapshot(settings)
    since = {"adopted_on": adopted[0], "adopted_lines": adopted[1]} if adopted else {}
    anchor = anchor or chain.Anchor(0, chain.GENESIS, 0)
    if data is None:
        if anchor.baris:
            return Check((f"Berkas log hilang: jangkar mencatat {angka(anchor.baris)} catatan.",), 0, 1, **since)
        return Check((), 0, **since)
    messages, first, count = chain.problems(data, anchor)
    return Check(tuple(messages), count, first, **since)
