"""One source of configuration: a frozen settings object with environment overrides."""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import cache
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
REFERENCE_DIR = PROJECT_ROOT / "data" / "reference"

# Uploads larger than this are refused before reading: the largest real export
# (a province-size DTSEN extract) is about 900 MB as CSV.
MAX_UPLOAD_BYTES = 1_000 * 1024 * 1024
# An XLSX is a zip; refuse archives whose declared uncompressed size is absurd
# compared to the file (zip bombs) before calamine inflates them.
MAX_XLSX_UNCOMPRESSED_BYTES = 2_000 * 1024 * 1024
MAX_XLSX_COMPRESSION_RATIO = 200
# Rows scanned from the top of a sheet or CSV to find the header row.
HEADER_SCAN_ROWS = 30
# CSV limits, checked over the whole file before the writer lock is taken (pipelines/ingestion/csv_scan.py).
# The widest real export (a KoboToolbox survey with its repeat groups flattened) has a few hundred
# columns; 30,000 columns in a 91 KB file once ran the reader out of memory.
MAX_CSV_COLUMNS = 2_000
# An address or a note is a few hundred characters; a longer cell is a broken quote or not data.
MAX_CSV_CELL_CHARS = 64 * 1024
# One row, quoted line breaks included; real family rows are under 1 KB.
MAX_CSV_ROW_BYTES = 1024 * 1024
# Suggestions offered for an unresolved region name.
REGION_SUGGESTIONS = 3


@dataclass(frozen=True)
class Settings:
    data_dir: Path
    city_code: str | None
    # DuckDB defaults to 80% of RAM; the pipeline must leave room for the dashboard.
    memory_limit: str
    threads: int
    # Accounts, lockouts and the audit anchor; None: SQLite in the data directory (see store.py).
    database_url: str | None = None

    @property
    def raw_dir(self) -> Path:
        return self.data_dir / "raw"

    @property
    def staging_dir(self) -> Path:
        return self.data_dir / "staging"

    @property
    def lake_dir(self) -> Path:
        return self.data_dir / "lake"

    @property
    def state_dir(self) -> Path:
        return self.data_dir / "state"

    @property
    def audit_dir(self) -> Path:
        return self.data_dir / "audit"

    @property
    def secrets_dir(self) -> Path:
        return self.data_dir / "secrets"

    @property
    def demo_dir(self) -> Path:
        return self.data_dir / "demo"

    @property
    def tmp_dir(self) -> Path:
        return self.data_dir / "state" / "tmp"


@cache
def _settings_for(data_dir: str, city: str | None, memory: str, threads: int, database_url: str | None) -> Settings:
    return Settings(Path(data_dir).resolve(), city, memory, threads, database_url)


def get_settings() -> Settings:
    """Settings from the environment; cached per distinct environment."""
    return _settings_for(
        os.environ.get("TKPKD_DATA_DIR", str(PROJECT_ROOT / "data")),
        os.environ.get("TKPKD_KOTA") or None,
        os.environ.get("TKPKD_DUCKDB_MEMORY", "1500MB"),
        int(os.environ.get("TKPKD_DUCKDB_THREADS", "0")) or (os.cpu_count() or 2),
        os.environ.get("TKPKD_DATABASE_URL") or None,
    )
