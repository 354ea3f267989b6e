"""DuckDB connections for pipeline work: in memory, bounded, never reaching the network."""

from __future__ import annotations

import duckdb

from pipelines.settings import Settings


def connect(settings: Settings) -> duckdb.DuckDBPyConnection:
    settings.tmp_dir.mkdir(parents=True, exist_ok=True)
    return duckdb.connect(
        config={
            "memory_limit": settings.memory_limit,
            "threads": settings.threads,
            # Spill to the data disk rather than fail when a big file exceeds the memory limit.
            "temp_directory": str(settings.tmp_dir),
            # Row order is part of the contract: _baris and deterministic output depend on it.
            "preserve_insertion_order": True,
            # A city server may have no internet: never download an extension.
            "autoinstall_known_extensions": False,
            "autoload_known_extensions": False,
        }
    )
