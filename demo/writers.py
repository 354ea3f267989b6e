"""Writing files the way the city receives them, byte for byte reproducibly.

CSV goes through DuckDB's writer, which quotes a value only when it must (as spreadsheet
exports do); Windows-1252 and CRLF are applied afterwards. XLSX goes through xlsxwriter
with fixed document properties, so the same data always gives the same bytes.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.csv as pacsv
import xlsxwriter

# xlsxwriter stamps the creation time into docProps/core.xml; a fixed one keeps files identical.
FIXED_CREATED = dt.datetime(2025, 12, 31, 8, 0, 0)
XLSX_OPTIONS = {
    "constant_memory": True,
    "strings_to_numbers": False,
    "strings_to_formulas": False,
    "strings_to_urls": False,
    "default_date_format": "dd/mm/yyyy",
}


def write_csv(
    table: pa.Table,
    path: Path,
    *,
    delimiter: str = ",",
    encoding: str = "utf-8",
    bom: bool = False,
    crlf: bool = False,
) -> None:
    """All columns are written as given (strings); nulls become empty fields; quotes only where needed."""
    path.parent.mkdir(parents=True, exist_ok=True)
    data = _plain_csv(table, delimiter)
    if data is None:
        con = duckdb.connect(config={"threads": 1, "preserve_insertion_order": True})
        try:
            con.register("out_table", table)
            con.execute(f"COPY (SELECT * FROM out_table) TO '{path}' (FORMAT csv, HEADER, DELIMITER '{delimiter}')")
        finally:
            con.close()
        data = path.read_bytes()
    if crlf:
        data = data.replace(b"\n", b"\r\n")
    if encoding != "utf-8":
        data = data.decode("utf-8").encode(encoding, errors="replace")
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + data)


def _plain_csv(table: pa.Table, delimiter: str) -> bytes | None:
    """The fast path: pyarrow's writer when no value needs quoting (it quotes every header, so the
    header is written here); None when some value holds a delimiter, quote or line break."""
    if any(ch in name for name in table.column_names for ch in (delimiter, '"', "\n")):
        return None
    body = io.BytesIO()
    try:
        pacsv.write_csv(
            table, body, pacsv.WriteOptions(include_header=False, delimiter=delimiter, quoting_style="none")
        )
    except pa.ArrowInvalid:
        return None
    return (delimiter.join(table.column_names) + "\n").encode("utf-8") + body.getvalue()


def _workbook(path: Path, author: str) -> xlsxwriter.Workbook:
    path.parent.mkdir(parents=True, exist_ok=True)
    wb = xlsxwriter.Workbook(str(path), XLSX_OPTIONS)
    wb.set_properties({"created": FIXED_CREATED, "author": author, "company": author})
    return wb


def write_simple_xlsx(rows: list[list], headers: list[str], path: Path, *, sheet: str, author: str) -> None:
    """A plain sheet: header on the first row, data below (the small agency lists)."""
    wb = _workbook(path, author)
    ws = wb.add_worksheet(sheet)
    bold = wb.add_format({"bold": True})
    ws.write_row(0, 0, headers, bold)
    for i, row in enumerate(rows, 1):
        ws.write_row(i, 0, row)
    wb.close()


def write_report_xlsx(
    path: Path,
    *,
    author: str,
    titles: list[str],
    groups: list[tuple[str, int]],
    headers: list[str],
    rows: list[list],
    footer: list,
    notes: list[list[str]],
    sheet: str,
) -> None:
    """A government-report workbook: a notes sheet first, then a data sheet with a title block,
    a merged group-header row over the column headers, and a JUMLAH footer.

    `groups` gives (group title, number of columns) from the left; a group of one column
    is merged vertically over both header rows, as such reports do.
    """
    wb = _workbook(path, author)
    note_ws = wb.add_worksheet("Petunjuk")
    for r, line in enumerate(notes):
        note_ws.write_row(r, 0, line)
    ws = wb.add_worksheet(sheet)
    bold = wb.add_format({"bold": True})
    head = wb.add_format({"bold": True, "align": "center", "valign": "vcenter", "border": 1, "text_wrap": True})
    ncols = len(headers)
    for r, title in enumerate(titles):
        ws.merge_range(r, 0, r, ncols - 1, title, bold)
    top = len(titles) + 1
    col = 0
    for title, width in groups:
        if width == 1:
            ws.merge_range(top, col, top + 1, col, title, head)
        else:
            ws.merge_range(top, col, top, col + width - 1, title, head)
        col += width
    for c, name in enumerate(headers):
        if groups_cover_single(groups, c):
            continue
        ws.write_string(top + 1, c, name, head)
    for i, row in enumerate(rows):
        ws.write_row(top + 2 + i, 0, row)
    last = top + 2 + len(rows)
    ws.merge_range(last, 0, last, 3, footer[0], bold)
    for c, value in enumerate(footer[4:], 4):
        if value is not None:
            ws.write(last, c, value, bold)
    wb.close()


def groups_cover_single(groups: list[tuple[str, int]], column: int) -> bool:
    """True when `column` is a one-column group (its header is the vertically merged cell)."""
    start = 0
    for _, width in groups:
        if start == column and width == 1:
            return True
        start += width
    return False


def toml_string(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def write_mapping(
    path: Path,
    *,
    source: str,
    columns: dict[str, str],
    values: dict[str, dict[str, str]],
    delimiter: str | None = None,
    comment: str = "",
) -> None:
    lines = [f"# {line}" for line in comment.splitlines()] + [f"sumber = {toml_string(source)}"]
    if delimiter:
        lines.append(f"pemisah = {toml_string(delimiter)}")
    lines += ["", "[kolom]"] + [f"{toml_string(k)} = {toml_string(v)}" for k, v in columns.items()]
    for column, mapping in values.items():
        lines += ["", f"[nilai.{column}]"] + [f"{toml_string(k)} = {toml_string(v)}" for k, v in mapping.items()]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


@dataclass
class FileSpec:
    """One generated export and how it is loaded: source kind, period, optional mapping file."""

    path: Path
    source: str
    period: str
    format: str  # short description in Indonesian, for the truth file and progress lines
    mapping: Path | None = None
    rows: int = 0
    messiness: dict = field(default_factory=dict)
