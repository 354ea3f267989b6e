"""One writer at a time: ingest, publish and rollback take an exclusive lock."""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import json
import os
from collections.abc import Iterator

from pipelines.settings import Settings


class LockBusy(RuntimeError):
    pass


@contextlib.contextmanager
def exclusive(settings: Settings, what: str) -> Iterator[None]:
    settings.state_dir.mkdir(parents=True, exist_ok=True)
    path = settings.state_dir / "proses.lock"
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 4096, 0).decode("utf-8", errors="replace")
            try:
                info = json.loads(holder)
                detail = f" ({info.get('proses')} sejak {info.get('mulai')}, pid {info.get('pid')})"
            except ValueError:
                detail = ""
            raise LockBusy(
                f"Proses lain sedang mengubah data{detail}. Tunggu sampai selesai, lalu coba lagi."
            ) from None
        os.ftruncate(fd, 0)
        info = {"proses": what, "pid": os.getpid(), "mulai": dt.datetime.now().isoformat(timespec="seconds")}
        os.pwrite(fd, json.dumps(info).encode(), 0)
        yield
    finally:
        with contextlib.suppress(OSError):
            os.ftruncate(fd, 0)
        os.close(fd)
