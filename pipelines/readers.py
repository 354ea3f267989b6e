"""Readers that survive the files cities really export.

A reader finds the header row (below any title block), maps headers to a contract,
and loads every data row into a DuckDB table `src` as text, with `_baris`: the row
number an analyst sees when opening the file (the spreadsheet row, or the CSV line).
CSV: pipelines/csv_reader.py; Excel: pipelines/excel_reader.py; what is refused before
reading: pipelines/filetype.py.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from pipelines.contracts import Contract
from pipelines.csv_reader import read_csv
from pipelines.excel_reader import read_excel
from pipelines.filetype import FileRejected, detect_file_type
from pipelines.headers import RawTable
from pipelines.mapping import Mapping

__all__ = ["FileRejected", "RawTable", "detect_file_type", "read_any"]


def read_any(
    con: duckdb.DuckDBPyConnection,
    path: Path,
    contract: Contract,
    *,
    mapping: Mapping | None = None,
    sheet: str | None = None,
    work_dir: Path,
) -> RawTable:
    kind = detect_file_type(path)
    if kind == "csv":
        return read_csv(con, path, contract, mapping, work_dir)
    return read_excel(con, path, contract, mapping, sheet)
