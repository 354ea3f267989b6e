"""Downloads as Excel and CSV where no cell can become a formula.

A value starting with =, +, -, @ (or a tab or carriage return) is written as text:
xlsxwriter with strings_to_formulas off for Excel; a leading apostrophe in CSV, which
Excel shows as text.
"""

from __future__ import annotations

import io

import pandas as pd
import pyarrow as pa
import xlsxwriter

from pipelines.spreadsheet import write_csv_for_excel


def to_xlsx(frame: pd.DataFrame, sheet: str = "Data", *, title: str | None = None) -> bytes:
    buffer = io.BytesIO()
    wb = xlsxwriter.Workbook(
        buffer, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False, "nan_inf_to_errors": True}
    )
    ws = wb.add_worksheet(sheet[:31])
    bold = wb.add_format({"bold": True, "bg_color": "#e8eef4", "border": 1})
    row = 0
    if title:
        ws.write_string(0, 0, title, wb.add_format({"bold": True, "font_size": 13}))
        row = 2
    for c, name in enumerate(frame.columns):
        ws.write_string(row, c, str(name), bold)
        ws.set_column(c, c, max(10, min(40, len(str(name)) + 2)))
    date_fmt = wb.add_format({"num_format": "dd/mm/yyyy"})
    for r, values in enumerate(frame.itertuples(index=False), start=row + 1):
        for c, value in enumerate(values):
            if value is None or (isinstance(value, float) and value != value) or value is pd.NaT:
                continue
            if isinstance(value, pd.Timestamp):
                ws.write_datetime(r, c, value.to_pydatetime(), date_fmt)
            elif isinstance(value, (bool,)):
                ws.write_string(r, c, "Ya" if value else "Tidak")
            elif isinstance(value, (int, float)) or hasattr(value, "dtype"):
                ws.write_number(r, c, float(value))
            else:
                ws.write_string(r, c, str(value))
    ws.freeze_panes(row + 1, 0)
    wb.close()
    return buffer.getvalue()


def to_csv(frame: pd.DataFrame) -> bytes:
    buffer = io.BytesIO()
    table = pa.Table.from_pandas(
        frame.astype({c: "string" for c in frame.columns if frame[c].dtype == object}), preserve_index=False
    )
    write_csv_for_excel(table, buffer)
    return buffer.getvalue()
