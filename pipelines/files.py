"""Content hashing, in one place: the SHA-256 that names a raw upload, finds a file uploaded twice,
and fingerprints every published table."""

from __future__ import annotations

import hashlib
from pathlib import Path


def sha256_of(path: Path) -> str:
    """Hex SHA-256 of a file's bytes, read in chunks (a 600 MB upload never sits in memory)."""
    with path.open("rb") as fh:
        return hashlib.file_digest(fh, "sha256").hexdigest()
