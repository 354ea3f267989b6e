"""What the server's disk refused, in words a user can act on (never a path or a traceback)."""

from __future__ import annotations

import errno

from pipelines.ingestion.filetype import FileRejected

REASONS = {
    errno.ENOSPC: "ruang disk server habis",
    errno.EDQUOT: "kuota disk server habis",
    errno.EFBIG: "berkas melampaui batas ukuran berkas",
    errno.EACCES: "aplikasi tidak berizin membuka atau menulis berkas itu",
    errno.EPERM: "aplikasi tidak berizin membuka atau menulis berkas itu",
    errno.EROFS: "disk server hanya bisa dibaca",
    errno.ENOTDIR: "ada berkas di tempat yang seharusnya folder data",
    errno.EEXIST: "ada berkas di tempat yang seharusnya folder data",
    errno.EIO: "disk server gagal membaca atau menulis",
}

# DuckDB's own write errors carry no errno.
WORK_FILES_FAILED = "berkas kerja tidak dapat ditulis; ruang disk server mungkin habis"


class StorageError(FileRejected):
    """The server's disk refused a write (full, read-only, no permission); nothing of the upload is kept.
    A FileRejected, so every caller that shows a refused file shows this message too."""

    def __init__(self, reason: str) -> None:
        self.reason = reason
        super().__init__(
            f"Berkas tidak dapat disimpan: {reason}. Tidak ada yang tersimpan dari unggahan ini. "
            "Minta admin mengosongkan ruang disk atau memeriksa folder data, lalu unggah lagi."
        )


def problem(exc: OSError) -> str:
    """The reason for an OSError, e.g. 'ruang disk server habis'."""
    code = errno.errorcode.get(exc.errno, exc.errno) if exc.errno else type(exc).__name__
    return REASONS.get(exc.errno, f"kesalahan berkas {code}")
