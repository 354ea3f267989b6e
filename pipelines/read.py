"""The read side: the only module that reads the published lake.

A `LakeReader` holds one in-memory DuckDB connection per process with views over the
parquet files of the current version (never a DuckDB file a pipeline writes). Each
query takes a new cursor, because a connection is not safe across threads and every
browser session is a thread. Every query function takes the caller's `Scope`; rows
outside it are never returned.
"""

from __future__ import annotations

import os
import threading
from dataclasses import dataclass
from importlib import resources

import duckdb
import pandas as pd

from pipelines import lake
from pipelines.settings import Settings, get_settings

QUERIES = resources.files("pipelines") / "sql" / "queries"
LEVELS = ("kota", "kecamatan", "kelurahan", "rw", "rt")


@dataclass(frozen=True)
class Scope:
    """Whose eyes: the area a user may see (a Kemendagri code prefix) and whether names are allowed."""

    kode_wilayah: str | None  # None: the whole city
    names: bool = False
    label: str = ""

    @staticmethod
    def whole_city(names: bool = False) -> Scope:
        return Scope(None, names, "seluruh kota")

    def covers(self, kode: str) -> bool:
        return self.kode_wilayah is None or kode == self.kode_wilayah or kode.startswith(self.kode_wilayah + ".")

    @property
    def prefix(self) -> str:
        """Bound as a parameter: codes equal to, or below, the scope's area."""
        return "" if self.kode_wilayah is None else self.kode_wilayah


class LakeReader:
    def __init__(self, settings: Settings | None = None) -> None:
        self.settings = settings or get_settings()
        self._lock = threading.Lock()
        self._con: duckdb.DuckDBPyConnection | None = None
        self._version: str | None = None
        self._stamp: tuple[float, int] | None = None
        self.manifest: dict = {}

    def _manifest_stamp(self) -> tuple[float, int]:
        st = os.stat(self.settings.lake_dir / lake.MANIFEST)
        return st.st_mtime, st.st_ino

    def _ensure(self) -> None:
        """(Re)open views when the current version changed since the last query."""
        try:
            stamp = self._manifest_stamp()
        except FileNotFoundError:
            lake.read_manifest(self.settings)  # raises NoLake with the user's message
            raise
        if stamp == self._stamp and self._con is not None:
            return
        with self._lock:
            manifest = lake.read_manifest(self.settings)
            if self._con is not None and manifest["versi"] == self._version:
                self._stamp = stamp
                return
            con = duckdb.connect(
                config={
                    "threads": 2,
                    "memory_limit": "1GB",
                    "autoinstall_known_extensions": False,
                    "autoload_known_extensions": False,
                }
            )
            for table in manifest["tabel"]:
                path = lake.table_path(self.settings, manifest, table)
                con.execute(f"CREATE VIEW {table} AS SELECT * FROM read_parquet('{path}')")
            old, self._con = self._con, con
            self._version, self._stamp, self.manifest = manifest["versi"], stamp, manifest
            if old is not None:
                old.close()

    @property
    def version(self) -> str:
        self._ensure()
        return self._version or ""

    def query(self, sql: str, params: dict | list | None = None) -> pd.DataFrame:
        self._ensure()
        cur = self._con.cursor()
        try:
            return cur.execute(sql, params or {}).df()
        finally:
            cur.close()

    def run(self, name: str, params: dict) -> pd.DataFrame:
        """Run a named query file from sql/queries with bound parameters."""
        return self.query((QUERIES / f"{name}.sql").read_text(encoding="utf-8"), params)

    # ---- queries -------------------------------------------------------------------

    def periods(self) -> list[str]:
        self._ensure()
        return list(self.manifest.get("periode", []))

    def area_indicators(
        self, scope: Scope, *, period: str | None = None, level: str | None = None, parent: str | None = None
    ) -> pd.DataFrame:
        if level is not None and level not in LEVELS:
            raise ValueError(f"level tidak dikenal: {level}")
        return self.run(
            "indikator_wilayah",
            {
                "prefix": scope.prefix,
                "periode": period,
                "level": level,
                "induk": parent,
            },
        )


_readers: dict[str, LakeReader] = {}
_readers_lock = threading.Lock()


def reader(settings: Settings | None = None) -> LakeReader:
    """One reader per data directory per process."""
    settings = settings or get_settings()
    key = str(settings.data_dir)
    with _readers_lock:
        if key not in _readers:
            _readers[key] = LakeReader(settings)
        return _readers[key]
