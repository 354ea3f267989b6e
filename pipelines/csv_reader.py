"""CSV: UTF-8, UTF-8 with BOM or Windows-1252; `,` `;` tab or `|` delimiters.

Lines are loaded by DuckDB one physical line per row (so line numbers are exact) and
split in SQL; the few lines holding quotes are parsed with Python's csv module, which
also joins a quoted value that spans lines.
"""

from __future__ import annotations

import codecs
import csv
import io
from pathlib import Path

import duckdb
import pyarrow as pa

from pipelines.contracts import Contract
from pipelines.filetype import FileRejected
from pipelines.headers import RawTable, best_header, match_headers, require_columns
from pipelines.mapping import Mapping
from pipelines.settings import HEADER_SCAN_ROWS

DELIMITERS = (";", ",", "\t", "|")


def decode_head(path: Path) -> tuple[str, str]:
    with path.open("rb") as fh:
        raw = fh.read(256 * 1024)
    if raw.startswith(codecs.BOM_UTF8):
        return raw[3:].decode("utf-8", errors="ignore"), "utf-8-sig"
    try:
        return raw.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as exc:
        # A multi-byte character cut at the end of the sample is still UTF-8.
        if exc.start >= len(raw) - 4:
            return raw[: exc.start].decode("utf-8"), "utf-8"
        return raw.decode("cp1252", errors="replace"), "cp1252"


def _transcode(path: Path, target: Path) -> None:
    """Windows-1252 to UTF-8; the five bytes cp1252 leaves undefined pass as Latin-1."""
    decoder = codecs.getincrementaldecoder("cp1252")(errors="latin1fallback")
    with path.open("rb") as src, target.open("w", encoding="utf-8", newline="") as dst:
        while chunk := src.read(16 * 1024 * 1024):
            dst.write(decoder.decode(chunk))
        dst.write(decoder.decode(b"", final=True))


def _latin1_fallback(err: UnicodeDecodeError) -> tuple[str, int]:
    return err.object[err.start : err.end].decode("latin-1"), err.end


codecs.register_error("latin1fallback", _latin1_fallback)


def read_csv(
    con: duckdb.DuckDBPyConnection, path: Path, contract: Contract, mapping: Mapping | None, work_dir: Path
) -> RawTable:
    text, encoding = decode_head(path)
    lines = text.splitlines()[: HEADER_SCAN_ROWS + 1]
    best: tuple[int, int, dict[str, int], str, list[str]] = (-1, -1, {}, ",", [])
    forced_delim = mapping.delimiter if mapping else None
    for delim in (forced_delim,) if forced_delim else DELIMITERS:
        rows = list(csv.reader(lines, delimiter=delim))
        idx, found = best_header(rows, contract, mapping)
        if len(found) > best[1]:
            best = (idx, len(found), found, delim, rows[idx] if idx >= 0 else [])
    header_idx, _, found, delim, headers = best
    if mapping and mapping.header_row:
        header_idx = mapping.header_row - 1
        rows = list(csv.reader(lines, delimiter=delim))
        headers = rows[header_idx] if header_idx < len(rows) else []
        found = match_headers(headers, contract, mapping)
    if header_idx < 0 or not found:
        raise FileRejected(
            f"Baris judul kolom untuk {contract.label} tidak ditemukan pada {HEADER_SCAN_ROWS} baris pertama. "
            "Pastikan berkas berisi judul kolom seperti 'No KK', 'Nama Kepala Keluarga', 'Kelurahan'."
        )
    require_columns(found, contract, headers, "")
    source = path
    if encoding == "cp1252":
        source = work_dir / "transcoded.csv"
        _transcode(path, source)
    _load_csv_lines(con, source, header_idx, delim, len(headers))
    bad = _parse_quoted_lines(con, delim, len(headers), header_idx)
    con.execute("DROP TABLE src_lines")
    return RawTable(
        headers=headers,
        columns=found,
        header_row=header_idx + 1,
        file_type="csv",
        encoding="Windows-1252" if encoding == "cp1252" else "UTF-8",
        delimiter=delim,
        bad_lines=bad,
        unmapped_headers=[h for i, h in enumerate(headers) if i not in found.values() and str(h).strip()],
    )


def _load_csv_lines(con: duckdb.DuckDBPyConnection, path: Path, header_idx: int, delim: str, ncols: int) -> None:
    # One physical line per row: a delimiter and quote that never occur in text files.
    con.execute(
        """
        CREATE OR REPLACE TEMP TABLE src_lines AS
        SELECT line FROM read_csv(?, auto_detect = false, delim = '\x1f', quote = '', escape = '',
                                  header = false, skip = ?, columns = {'line': 'VARCHAR'},
                                  strict_mode = false, max_line_size = 4194304)
        """,
        [str(path), header_idx + 1],
    )
    # _baris: 1-based line number in the file; quoted lines are parsed in Python.
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
    pending: tuple[int, str] | None = None
    for line_no, text in quoted:
        if pending is not None:
            start, acc = pending
            # A continuation line must follow its start directly; otherwise the quote was never closed.
            text_all = f"{acc}\n{text}" if line_no == start + acc.count("\n") + 1 else None
            if text_all is None:
                bad.append((start, 'Tanda kutip (") tidak ditutup', acc[:200]))
                pending = None
            else:
                text = text_all
                line_no = start
                pending = None
        if text.count('"') % 2 == 1:
            pending = (line_no, text)
            continue
        try:
            fields = next(csv.reader(io.StringIO(text), delimiter=delim, strict=True))
        except csv.Error:
            bad.append((line_no, 'Tanda kutip (") tidak sesuai aturan CSV', text[:200]))
            continue
        rows.append((line_no, len(fields), *(fields + [None] * ncols)[:ncols]))
    if pending is not None:
        bad.append((pending[0], 'Tanda kutip (") tidak ditutup sampai akhir berkas', pending[1][:200]))
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
    # Lines swallowed into a multi-line value are not rows of their own.
    return bad
