"""CSV files that Excel in an Indonesian locale opens correctly and never runs as formulas.

Used for the rejects an upload leaves and for every table download."""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv


def _as_text(column: pa.ChunkedArray) -> pa.ChunkedArray:
    """Values Excel would run as formulas get a leading apostrophe (shown as text).

    A spreadsheet runs a cell that starts with = + - @ (or a tab or carriage return) only when
    something follows; a lone "-" or "+" is a placeholder and stays as it is."""
    if pa.types.is_large_string(column.type):
        column = pc.cast(column, pa.string())
    if not pa.types.is_string(column.type):
        return column
    formula = pc.fill_null(pc.match_substring_regex(column, "^[=+\\-@\t\r]\\s*\\S"), False)
    return pc.if_else(formula, pc.binary_join_element_wise("'", column, ""), column)


def write_csv_for_excel(table: pa.Table, target) -> None:
    """UTF-8 with BOM and `;`: what Excel in an Indonesian locale opens correctly.

    `target` is a path or a writable binary file object."""
    cleaned = pa.table([_as_text(c) for c in table.columns], names=table.column_names)
    fh = target.open("wb") if isinstance(target, Path) else target
    try:
        fh.write(b"\xef\xbb\xbf")
        pacsv.write_csv(cleaned, fh, pacsv.WriteOptions(delimiter=";", quoting_style="needed"))
    finally:
        if isinstance(target, Path):
            fh.close()
