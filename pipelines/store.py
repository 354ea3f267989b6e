"""The transactional store for records users change: accounts, login attempts, the audit anchor,
the lurah's follow-ups on families.

SQLite in the data directory by default; PostgreSQL when TKPKD_DATABASE_URL names one
(`postgresql+psycopg://user:pass@host/db`), so several dashboard processes behind one
reverse proxy share accounts, lockouts and ended sessions. Tables are created on first use.
Every change is one transaction; counters are changed by a single UPDATE, never read and
written back, so parallel requests cannot skip a count.
"""

from __future__ import annotations

import os
import threading
from contextlib import contextmanager
from functools import cache

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from pipelines.settings import Settings

# SQLite waits this long for another process's write instead of failing at once.
SQLITE_BUSY_TIMEOUT_MS = 15_000

metadata = sa.MetaData()

akun = sa.Table(
    "akun",
    metadata,
    sa.Column("username", sa.String(40), primary_key=True),
    sa.Column("nama", sa.String(200), nullable=False),
    sa.Column("peran", sa.String(20), nullable=False),
    sa.Column("wilayah", sa.String(20)),
    sa.Column("password_hash", sa.String(200), nullable=False),
    sa.Column("email", sa.String(200)),
    sa.Column("aktif", sa.Boolean, nullable=False, default=True),
    sa.Column("dibuat_pada", sa.String(32), nullable=False),
    # Raised on every password change or deactivation: sessions started under an older value end.
    sa.Column("sesi_versi", sa.Integer, nullable=False, default=0),
)

# Failed logins per key: an account, a source address, or both together (see accounts.py).
percobaan_masuk = sa.Table(
    "percobaan_masuk",
    metadata,
    sa.Column("kunci", sa.String(300), primary_key=True),
    sa.Column("gagal", sa.Integer, nullable=False, default=0),
    sa.Column("mulai", sa.Float, nullable=False),
    sa.Column("terkunci_sampai", sa.Float),
)

# The audit log's head kept outside the log: line count, hash of the last line, file size.
audit_jangkar = sa.Table(
    "audit_jangkar",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("baris", sa.Integer, nullable=False),
    sa.Column("kepala", sa.String(64), nullable=False),
    sa.Column("ukuran", sa.BigInteger, nullable=False),
)

# When a log written before the anchor existed was taken over, and how much of it was there then.
audit_adopsi = sa.Table(
    "audit_adopsi",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("pada", sa.String(32), nullable=False),
    sa.Column("baris", sa.Integer, nullable=False),
    sa.Column("ukuran", sa.BigInteger, nullable=False),
)

# The lurah's follow-ups, appended and never edited; keyed by the family's pseudonym, not its No KK.
tindak_lanjut = sa.Table(
    "tindak_lanjut",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("kk_hash", sa.String(32), nullable=False, index=True),
    sa.Column("periode", sa.String(10), nullable=False),
    sa.Column("kode_kelurahan", sa.String(20), nullable=False, index=True),
    sa.Column("status", sa.String(20), nullable=False),
    sa.Column("catatan", sa.Text, nullable=False),
    sa.Column("oleh", sa.String(40), nullable=False),
    sa.Column("waktu", sa.String(32), nullable=False),
)

_init_lock = threading.Lock()
_READ_ONLY = "tkpkd_read_only"
_sqlite_writer = threading.RLock()


def database_url(settings: Settings) -> str:
    if settings.database_url:
        return settings.database_url
    return f"sqlite:///{settings.state_dir / 'tkpkd.sqlite'}"


@cache
def _engine_for(url: str) -> Engine:
    if url.startswith("sqlite"):
        engine = sa.create_engine(url, connect_args={"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000})

        @sa.event.listens_for(engine, "connect")
        def _pragmas(dbapi_connection, _record):
            # WAL lets readers go on while one process writes; the driver's own BEGIN is replaced
            # by BEGIN IMMEDIATE below so two writers queue instead of deadlocking on an upgrade.
            dbapi_connection.isolation_level = None
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
            cursor.close()

        @sa.event.listens_for(engine, "begin")
        def _begin(conn):
            conn.exec_driver_sql("BEGIN" if conn.get_execution_options().get(_READ_ONLY) else "BEGIN IMMEDIATE")

    else:
        engine = sa.create_engine(url, pool_pre_ping=True)
    metadata.create_all(engine)
    return engine


def engine(settings: Settings) -> Engine:
    url = database_url(settings)
    if url.startswith("sqlite"):
        settings.state_dir.mkdir(parents=True, exist_ok=True)
    with _init_lock:
        made = _engine_for(url)
    if url.startswith("sqlite"):
        # Password hashes live here: readable by the service account only.
        for suffix in ("", "-wal", "-shm"):
            path = settings.state_dir / f"tkpkd.sqlite{suffix}"
            if path.exists() and path.stat().st_mode & 0o077:
                os.chmod(path, 0o600)
    return made


@contextmanager
def transaction(settings: Settings):
    """One transaction: committed when the block ends, rolled back if it raises.

    On SQLite, threads of one process take turns here first: SQLite's busy wait polls with growing
    sleeps and is not fair, so thirty threads racing for its lock can starve one past any timeout."""
    made = engine(settings)
    if made.dialect.name == "sqlite":
        with _sqlite_writer, made.begin() as conn:
            yield conn
    else:
        with made.begin() as conn:
            yield conn


def insert_or_ignore(conn: Connection, table: sa.Table):
    """INSERT that does nothing when the key exists (both dialects spell it ON CONFLICT DO NOTHING)."""
    if conn.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    return insert(table).on_conflict_do_nothing()


def connection(settings: Settings) -> Connection:
    """A connection for reading: on SQLite it does not take the write lock, so page runs never queue."""
    return engine(settings).connect().execution_options(**{_READ_ONLY: True})
