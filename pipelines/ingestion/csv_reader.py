"""CSV: UTF-8, UTF-8 with BOM, Windows-1252 or UTF-16; `,` `;` tab or `|` delimiters.

Reading happens in two steps. `plan_csv`, before the writer lock, finds the header row and
delimiter in the head and checks the whole file (pipelines/ingestion/csv_scan.py). `read_csv`, under the
lock, loads one row per line into DuckDB (from a normalised copy when the file is not one row per
line of UTF-8) and splits it in SQL; the rows holding quotes are parsed with Python's csv module.
Row numbers (`_baris`) are rows as a spreadsheet numbers them: a cell with line breaks is one row.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from itertools import islice
from pathlib import Path

import duckdb
import pyarrow as pa

from pipelines.formatting import angka
from pipelines.ingestion.contracts import Contract
from pipelines.ingestion.csv_scan import Head, Layout, read_head, scan, write_normalised
from pipelines.ingestion.filetype import FileRejected
from pipelines.ingestion.headers import RawTable, best_header, match_headers, require_columns
from pipelines.ingestion.mapping import Mapping
from pipelines.settings import HEADER_SCAN_ROWS, MAX_CSV_COLUMNS, MAX_CSV_ROW_BYTES

DELIMITERS = (";", ",", "\t", "|")


@dataclass(frozen=True)
class CsvPlan:
    path: Path
    layout: Layout
    delimiter: str
    header_idx: int  # 0-based row of the header
    headers: list[str]
    found: dict[str, int]


def head_rows(head: Head, delimiters: tuple[str, ...] = DELIMITERS) -> dict[str, list[list[str]]]:
    """The first rows, split by each delimiter that can split them."""
    lines = head.lines()
    out = {}
    for delim in delimiters:
        rows: list[list[str]] = []
        reader = csv.reader(lines, delimiter=delim)
        try:
            for row in islice(reader, HEADER_SCAN_ROWS + 1):
                rows.append(row)
        except csv.Error:  # a cell over the csv module's limit: the rows above it still tell the header
            pass
        if rows:
            out[delim] = rows
    if not out:
        raise FileRejected(
            f"Sel di {HEADER_SCAN_ROWS} baris pertama berisi lebih dari {angka(csv.field_size_limit())} karakter, "
            'apa pun pemisah kolomnya. Periksa baris-baris awal (mungkin tanda kutip (") tidak ditutup) lalu unggah '
            "lagi."
        )
    return out


def plan_csv(path: Path, contract: Contract, mapping: Mapping | None) -> CsvPlan:
    """Header, delimiter and the whole-file check; FileRejected before any heavy work."""
    head = read_head(path)
    candidates = head_rows(head, (mapping.delimiter,) if mapping and mapping.delimiter else DELIMITERS)
    # Rows are cut one cell past the column limit: enough to find a header, cheap whatever the width.
    best: tuple[int, dict[str, int], str] = (-1, {}, next(iter(candidates)))
    for delim, rows in candidates.items():
        idx, found = best_header([r[: MAX_CSV_COLUMNS + 1] for r in rows], contract, mapping)
        if len(found) > len(best[1]):
            best = (idx, found, delim)
    header_idx, found, delim = best
    rows = candidates[delim]
    if mapping and mapping.header_row:
        header_idx = mapping.header_row - 1
        found = (
            match_headers(rows[header_idx][: MAX_CSV_COLUMNS + 1], contract, mapping) if header_idx < len(rows) else {}
        )
    headers = rows[header_idx] if 0 <= header_idx < len(rows) else []
    widest = max((len(r) for rs in candidates.values() for r in rs), default=0)
    width = len(headers) if found else widest
    if width > MAX_CSV_COLUMNS:
        raise FileRejected(
            f"Berkas ini memiliki {angka(width)} kolom; batasnya {angka(MAX_CSV_COLUMNS)} kolom. Hapus kolom yang "
            "tidak dipakai atau pecah berkasnya, lalu unggah lagi."
        )
    if header_idx < 0 or not found:
        raise FileRejected(
            f"Baris judul kolom untuk {contract.label} tidak ditemukan pada {HEADER_SCAN_ROWS} baris pertama. "
            "Pastikan berkas berisi judul kolom seperti 'No KK', 'Nama Kepala Keluarga', 'Kelurahan'."
        )
    require_columns(found, contract, headers, "")
    layout = scan(path, head, delim, headers)
    return CsvPlan(path, layout, delim, header_idx, headers, found)


def read_csv(
    con: duckdb.DuckDBPyConnection,
    path: Path,
    contract: Contract,
    mapping: Mapping | None,
    work_dir: Path,
    plan: CsvPlan | None = None,
) -> RawTable:
    plan = plan or plan_csv(path, contract, mapping)
    source = path
    if not plan.layout.one_row_per_line:
        source = work_dir / "baris.csv"
        write_normalised(path, plan.layout, source)
    _load_csv_lines(con, source, plan.header_idx, plan.delimiter, len(plan.headers))
    bad = _parse_quoted_lines(con, plan.delimiter, len(plan.headers), plan.header_idx)
    con.execute("DROP TABLE src_lines")
    return RawTable(
        headers=plan.headers,
        columns=plan.found,
        header_row=plan.header_idx + 1,
        file_type="csv",
        encoding=plan.layout.label,
        delimiter=plan.delimiter,
        bad_lines=bad,
        unmapped_headers=[h for i, h in enumerate(plan.headers) if i not in plan.found.values() and str(h).strip()],
    )


def _load_csv_lines(con: duckdb.DuckDBPyConnection, path: Path, header_idx: int, delim: str, ncols: int) -> None:
    # One row per line, whole: the scan refused control bytes, so this delimiter never occurs.
    try:
        con.execute(
            """
            CREATE OR REPLACE TEMP TABLE src_lines AS
            SELECT line FROM read_csv(?, auto_detect = false, delim = '\x1f', quote = '', escape = '',
                                      header = false, skip = ?, columns = {'line': 'VARCHAR'},
                                      strict_mode = false, max_line_size = ?)
            """,
            # Windows-1252 letters take up to 3 bytes in the UTF-8 copy.
            [str(path), header_idx + 1, 4 * MAX_CSV_ROW_BYTES],
        )
    except duckdb.InvalidInputException as exc:
        raise FileRejected(
            "Isi berkas CSV ini tidak dapat dibaca sebagai teks. Buka berkas di Excel, simpan sebagai "
            "'CSV UTF-8 (Comma delimited)', lalu unggah lagi."
        ) from exc
    # _baris: 1-based row in the file; quoted rows are parsed in Python.
    cols = ", ".join(f"f[{i + 1}] AS c{i}" for i in range(ncols))
    con.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE src AS
        WITH numbered AS (
            SELECT (rowid + ? + 2)::INTEGER AS _baris, line FROM src_lines
        ), split AS (
            SELECT _baris, string_split(line, ?) AS f FROM numbered
            WHERE line IS NOT NULL AND strpos(line, '"') = 0
        )
        SELECT _baris, len(f) AS _nfields, {cols} FROM split
        """,
        [header_idx, delim],
    )


def _parse_quoted_lines(
    con: duckdb.DuckDBPyConnection, delim: str, ncols: int, header_idx: int
) -> list[tuple[int, str, str]]:
    quoted = con.execute(
        "SELECT (rowid + ? + 2)::INTEGER, rtrim(line, chr(13)) FROM src_lines "
        "WHERE line IS NOT NULL AND strpos(line, '\"') > 0 ORDER BY rowid",
        [header_idx],
    ).fetchall()
    if not quoted:
        return []
    rows: list[tuple] = []
    bad: list[tuple[int, str, str]] = []
    for line_no, text in quoted:
        try:
            fields = next(csv.reader([text], delimiter=delim, strict=True))
        except csv.Error:
            bad.append((line_no, 'Tanda kutip (") tidak sesuai aturan CSV', text[:200]))
            continue
        rows.append((line_no, len(fields), *(fields + [None] * ncols)[:ncols]))
    table = pa.table(
        {
            "_baris": pa.array([r[0] for r in rows], pa.int32()),
            "_nfields": pa.array([r[1] for r in rows], pa.int64()),
            **{f"c{i}": pa.array([r[2 + i] for r in rows], pa.string()) for i in range(ncols)},
        }
    )
    con.register("quoted_rows", table)
    con.execute("INSERT INTO src SELECT * FROM quoted_rows")
    con.unregister("quoted_rows")
    return bad
