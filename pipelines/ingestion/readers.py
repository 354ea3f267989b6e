"""Readers that survive the files cities really export.

A reader finds the header row (below any title block), maps headers to a contract,
and loads every data row into a DuckDB table `src` as text, with `_baris`: the row
number an analyst sees when opening the file in a spreadsheet (a CSV cell holding line
breaks stays in one row).
CSV: pipelines/ingestion/csv_reader.py; Excel: pipelines/ingestion/excel_reader.py; what is refused before
reading: pipelines/ingestion/filetype.py.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from pipelines.ingestion.contracts import Contract
from pipelines.ingestion.csv_reader import CsvPlan, plan_csv, read_csv
from pipelines.ingestion.excel_reader import read_excel
from pipelines.ingestion.filetype import FileRejected, detect_file_type
from pipelines.ingestion.headers import RawTable
from pipelines.ingestion.mapping import Mapping

__all__ = ["FileRejected", "RawTable", "detect_file_type", "plan_read", "read_any"]


def plan_read(path: Path, file_type: str, contract: Contract, mapping: Mapping | None) -> CsvPlan | None:
    """What can be checked before the writer lock: a CSV's header and whole-file limits (FileRejected)."""
    return plan_csv(path, contract, mapping) if file_type == "csv" else None


def read_any(
    con: duckdb.DuckDBPyConnection,
    path: Path,
    contract: Contract,
    *,
    mapping: Mapping | None = None,
    sheet: str | None = None,
    work_dir: Path,
    plan: CsvPlan | None = None,
) -> RawTable:
    kind = detect_file_type(path)
    if kind == "csv":
        return read_csv(con, path, contract, mapping, work_dir, plan)
    return read_excel(con, path, contract, mapping, sheet)
