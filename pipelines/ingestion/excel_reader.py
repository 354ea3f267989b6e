"""XLSX/XLS, read with python-calamine (no network, unlike DuckDB's excel extension).

Each cell keeps its type: a number in a NIK or No KK column has lost digits to Excel and
is marked so the cleaning step rejects it instead of repairing it. The header row may sit
under a title block, inside merged cells, or under a merged group ("Kriteria" over 1..8).
Only visible sheets are searched: a hidden sheet (an old copy, a lookup list) is read only
when the analyst names it. A damaged workbook is refused, never half read.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from itertools import chain
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.compute as pa_compute
import python_calamine as pc

from pipelines.ingestion.contracts import Contract, Kind
from pipelines.ingestion.excel_checks import refuse_formulas_without_values, refuse_merged_data_cells
from pipelines.ingestion.filetype import FileRejected
from pipelines.ingestion.headers import RawTable, best_header, match_headers, missing_columns, require_columns
from pipelines.ingestion.mapping import Mapping
from pipelines.settings import HEADER_SCAN_ROWS

# Marks a cell Excel stored as a number in an ID column; never appears in text.
EXCEL_NUMBER_MARK = "\x01"
CORRUPT = (
    "Berkas Excel rusak: sebagian isinya tidak utuh sehingga tidak bisa dibaca. Buka di Excel (Excel akan "
    "menawarkan perbaikan), simpan ulang sebagai .xlsx lalu unggah lagi, atau minta berkas baru dari pengirimnya."
)


def _cell_text(value, is_id: bool) -> str | None:
    if value is None or value == "":
        return None
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "ya" if value else "tidak"
    if isinstance(value, (int, float)):
        if is_id:
            return EXCEL_NUMBER_MARK + (f"{int(value)}" if float(value).is_integer() else repr(value))
        if isinstance(value, float) and not value.is_integer():
            # Comma decimal, so '1.125' can never be read as Indonesian thousands.
            return repr(value).replace(".", ",")
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    if isinstance(value, dt.timedelta):
        return str(value)
    return str(value)


def _column_text(values, is_id: bool) -> pa.Array:
    """One column as text. Columns of plain text cells (the common case) convert in C; only
    columns holding numbers, dates or booleans go cell by cell. Converting to a string array
    refuses any number, so an ID column that converts holds no number Excel rounded."""
    try:
        array = pa.array(values, pa.string())
    except (pa.ArrowTypeError, pa.ArrowInvalid):
        pass  # numbers, dates or booleans among the text: cell by cell below
    else:
        return pa_compute.if_else(pa_compute.equal(array, ""), pa.scalar(None, pa.string()), array)
    return pa.array([_cell_text(v, is_id) for v in values], pa.string())


def _blank_in_content_rows(arrays: list[pa.Array]) -> bool:
    """Is any read column blank in a row that holds data in another? Only then can a blank be a formula
    whose result was never saved (blank rows and a one-cell JUMLAH footer are not data)."""
    if not arrays or not any(a.null_count for a in arrays):
        return False
    filled = pa.array([0] * len(arrays[0]), pa.int16())
    for a in arrays:
        filled = pa_compute.add(filled, pa_compute.cast(pa_compute.is_valid(a), pa.int16()))
    content = pa_compute.greater_equal(filled, min(2, len(arrays)))
    return any(pa_compute.any(pa_compute.and_(content, pa_compute.is_null(a))).as_py() for a in arrays if a.null_count)


def _fill_merged(rows: list[list], merged: list[tuple[tuple[int, int], tuple[int, int]]], limit: int) -> None:
    """Copy a merged cell's value into every cell it covers (header rows only)."""
    for (r0, c0), (r1, c1) in merged or ():
        if r0 >= limit or r0 >= len(rows):
            continue
        value = rows[r0][c0] if c0 < len(rows[r0]) else ""
        for r in range(r0, min(r1, limit - 1, len(rows) - 1) + 1):
            for c in range(c0, min(c1, len(rows[r]) - 1) + 1):
                if rows[r][c] in ("", None):
                    rows[r][c] = value


def _header_cells(rows: list[list], idx: int) -> list[str]:
    """Header text; a sub-header under a merged group also tries 'group sub' (e.g. 'Kriteria 1')."""
    return [str(c).strip() if c is not None else "" for c in rows[idx]]


def with_parents(rows: list[list], idx: int, contract: Contract, mapping: Mapping | None) -> tuple[list[str], dict]:
    cells = _header_cells(rows, idx)
    found = match_headers(cells, contract, mapping)
    if idx == 0:
        return cells, found
    parents = _header_cells(rows, idx - 1)
    combined = [
        f"{p} {c}".strip() if pos not in found.values() and p and p != c else c
        for pos, (p, c) in enumerate(zip(parents + [""] * len(cells), cells))
    ]
    found2 = match_headers(combined, contract, mapping)
    if len(found2) > len(found):
        return combined, found2
    return cells, found


@contextmanager
def calamine_errors() -> Iterator[None]:
    """A workbook that breaks while being read (bad XML, a damaged zip member) is refused in words."""
    try:
        yield
    except pc.CalamineError as exc:
        raise FileRejected(CORRUPT) from exc


def open_workbook(path: Path, wanted: str | None):
    """(workbook, visible worksheets to search, hidden worksheets); FileRejected for a broken file or a
    missing sheet. A sheet asked for by name is read even when hidden: the analyst chose it."""
    try:
        wb = pc.CalamineWorkbook.from_path(str(path))
    except Exception as exc:  # calamine raises its own error types for broken files
        raise FileRejected(
            "Berkas Excel tidak bisa dibaca (rusak, terenkripsi, atau bukan Excel). Simpan ulang sebagai .xlsx."
        ) from exc
    if wanted and wanted not in wb.sheet_names:
        raise FileRejected(f"Lembar '{wanted}' tidak ada. Lembar yang tersedia: {', '.join(wb.sheet_names)}.")
    if wanted:
        return wb, [wanted], []
    sheets = [m for m in wb.sheets_metadata if str(m.typ).endswith("WorkSheet")]
    visible = [m.name for m in sheets if m.visible == pc.SheetVisibleEnum.Visible]
    hidden = [m.name for m in sheets if m.visible != pc.SheetVisibleEnum.Visible]
    if not sheets:
        visible = list(wb.sheet_names)
    return wb, visible, hidden


def hidden_sheet_rejected(sheet: str, what: str) -> FileRejected:
    """The data were found only in a hidden sheet: never read silently, the analyst decides."""
    return FileRejected(
        f"{what} hanya ditemukan di lembar tersembunyi '{sheet}'. Lembar tersembunyi tidak dibaca tanpa "
        f"diminta, karena sering berisi salinan lama. Tampilkan lembar itu di Excel (klik kanan nama lembar > "
        f"Unhide) lalu simpan dan unggah lagi, atau sebutkan lembarnya secara eksplisit: isi 'Nama lembar' "
        f'dengan {sheet} di halaman Unggah, --sheet "{sheet}" di baris perintah, atau '
        f'lembar = "{sheet}" di berkas pemetaan.'
    )


def head_rows(ws) -> list[list]:
    """The rows a header can be in, merged header cells filled in."""
    head = [list(r) for r in ws.to_python(skip_empty_area=False, nrows=HEADER_SCAN_ROWS + 2)]
    _fill_merged(head, ws.merged_cell_ranges or [], HEADER_SCAN_ROWS + 2)
    return head


def _best_sheet(wb, names: list[str], contract: Contract, mapping: Mapping | None) -> tuple:
    """(columns found, sheet name, header index, headers, mapping, parsed sheet) of the best sheet."""
    best: tuple = (-1, None, -1, [], {}, None)
    for name in names:
        ws = wb.get_sheet_by_name(name)
        head = head_rows(ws)
        if mapping and mapping.header_row:
            idx = mapping.header_row - 1
            headers, found = with_parents(head, idx, contract, mapping) if idx < len(head) else ([], {})
        else:
            idx, found = best_header([[str(c) for c in r] for r in head], contract, mapping)
            headers, found = with_parents(head, idx, contract, mapping) if idx >= 0 else ([], {})
        if len(found) > best[0]:
            best = (len(found), name, idx, headers, found, ws)
    return best


def read_excel(
    con: duckdb.DuckDBPyConnection, path: Path, contract: Contract, mapping: Mapping | None, sheet: str | None
) -> RawTable:
    with calamine_errors():
        return _read_excel(con, path, contract, mapping, sheet)


def _read_excel(
    con: duckdb.DuckDBPyConnection, path: Path, contract: Contract, mapping: Mapping | None, sheet: str | None
) -> RawTable:
    wanted = sheet or (mapping.sheet if mapping else None)
    wb, names, hidden = open_workbook(path, wanted)
    # Parsing a sheet is the costliest step of reading a workbook, so the chosen sheet is parsed only once.
    nfound, name, idx, headers, found, ws = _best_sheet(wb, names, contract, mapping)
    if hidden and (nfound <= 0 or missing_columns(found, contract)):
        for hidden_name in hidden:
            _, _, _, _, hidden_found, _ = _best_sheet(wb, [hidden_name], contract, mapping)
            if hidden_found and not missing_columns(hidden_found, contract):
                raise hidden_sheet_rejected(hidden_name, f"Judul kolom {contract.label}")
    if nfound <= 0:
        checked = ", ".join(names) or "tidak ada lembar yang tampil"
        raise FileRejected(
            f"Tidak ada lembar berisi judul kolom {contract.label} (diperiksa: {checked}). "
            "Pilih lembar yang benar atau buat berkas pemetaan."
        )
    require_columns(found, contract, headers, f" di lembar '{name}'")
    ncols = len(headers)
    id_positions = {pos for col, pos in found.items() if contract.column(col).kind is Kind.ID16}
    # Rows from the sheet's origin, so a row's index + 1 is the row number Excel shows.
    data = ws.to_python(skip_empty_area=False)[idx + 1 :]
    # The rows flattened once; a column is then a strided slice of that list (both in C).
    width = max((len(r) for r in data), default=ncols)
    flat = list(chain.from_iterable(r if len(r) == width else [*r, *[None] * (width - len(r))] for r in data))
    columns = {}
    for pos in range(ncols):
        values = flat[pos::width] if pos < width else [None] * len(data)
        columns[f"c{pos}"] = _column_text(values, pos in id_positions)
    del flat
    read = {pos: headers[pos] for pos in found.values()}
    refuse_merged_data_cells(ws.merged_cell_ranges, read, idx)
    if _blank_in_content_rows([columns[f"c{pos}"] for pos in read]):
        refuse_formulas_without_values(path, name, read, idx, corrupt=CORRUPT)
    table = pa.table(
        {
            "_baris": pa.array(range(idx + 2, idx + 2 + len(data)), pa.int32()),
            "_nfields": pa.array([ncols] * len(data), pa.int64()),
            **columns,
        }
    )
    con.register("excel_rows", table)
    con.execute("CREATE OR REPLACE TEMP TABLE src AS SELECT * FROM excel_rows")
    con.unregister("excel_rows")
    return RawTable(
        headers=headers,
        columns=found,
        header_row=idx + 1,
        file_type="xlsx",
        sheet=name,
        unmapped_headers=[h for i, h in enumerate(headers) if i not in found.values() and str(h).strip()],
    )
