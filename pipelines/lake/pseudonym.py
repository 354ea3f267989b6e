"""Keyed pseudonyms for NIK and No KK: HMAC-SHA256 with a key kept outside the lake.

Datasets in the lake are linked by these pseudonyms, never by raw NIK. Without the
key a pseudonym cannot be turned back into a NIK (a plain hash of a 16-digit number
could be, by trying every number). The key comes from TKPKD_HASH_KEY (hex) or is
generated once into data/secrets/kunci_hash; changing it changes every pseudonym.
"""

from __future__ import annotations

import hashlib
import hmac
import os

import duckdb

from pipelines.settings import Settings

# Truncated to 128 bits (RFC 2104 allows truncation): unique enough for any city's records.
PSEUDONYM_HEX_CHARS = 32
BLOCK = 64


def key(settings: Settings) -> bytes:
    env = os.environ.get("TKPKD_HASH_KEY")
    if env:
        return bytes.fromhex(env)
    path = settings.secrets_dir / "kunci_hash"
    if not path.exists():
        settings.secrets_dir.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as fh:
            fh.write(os.urandom(32).hex())
    return bytes.fromhex(path.read_text().strip())


def pseudonym(value: str, secret: bytes) -> str:
    return hmac.new(secret, value.encode(), hashlib.sha256).hexdigest()[:PSEUDONYM_HEX_CHARS]


def install(con: duckdb.DuckDBPyConnection, secret: bytes) -> None:
    """Define SQL macro pseudonim(x), equal to `pseudonym` above, on this connection."""
    padded = (hashlib.sha256(secret).digest() if len(secret) > BLOCK else secret).ljust(BLOCK, b"\0")
    con.execute("SET VARIABLE hmac_ipad = ?::BLOB", [bytes(b ^ 0x36 for b in padded)])
    con.execute("SET VARIABLE hmac_opad = ?::BLOB", [bytes(b ^ 0x5C for b in padded)])
    con.execute(
        f"""
        CREATE OR REPLACE MACRO pseudonim(x) AS CASE WHEN x IS NOT NULL THEN
            substr(sha256(getvariable('hmac_opad') || unhex(sha256(getvariable('hmac_ipad') || encode(x)))),
                   1, {PSEUDONYM_HEX_CHARS}) END
        """
    )
