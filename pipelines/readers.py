"""Readers that survive the files cities really export.

A reader finds the header row (below any title block), maps headers to a contract,
and loads every data row into a DuckDB table `src` as text, with `_baris`: the row
number an analyst sees when opening the file (the spreadsheet row, or the CSV line).

CSV: UTF-8, UTF-8 with BOM or Windows-1252; `,` `;` tab or `|` delimiters. Lines are
loaded by DuckDB one physical line per row (so line numbers are exact) and split in
SQL; the few lines holding quotes are parsed with Python's csv module, which also
joins a quoted value that spans lines.

XLSX/XLS: read with python-calamine (no network, unlike DuckDB's excel extension),
keeping each cell's type: a number in a NIK or No KK column has lost digits to Excel
and is marked so the cleaning step rejects it instead of repairing it.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pyarrow as pa
import python_calamine as pc

from pipelines.contracts import Contract, Kind, normalize_header
from pipelines.mapping import Mapping
from pipelines.settings import (
    HEADER_SCAN_ROWS,
    MAX_UPLOAD_BYTES,
    MAX_XLSX_COMPRESSION_RATIO,
    MAX_XLSX_UNCOMPRESSED_BYTES,
)

# Marks a cell Excel stored as a number in an ID column; never appears in text.
EXCEL_NUMBER_MARK = "\x01"
DELIMITERS = (";", ",", "\t", "|")
FOOTER_WORDS = ("jumlah", "total", "grand total", "sub total", "subtotal")


class FileRejected(Exception):
    """The file cannot be used at all; the message is for the user, in Indonesian."""


@dataclass
class RawTable:
    headers: list[str]  # header text per source column position
    columns: dict[str, int]  # contract column -> source column position
    header_row: int
    file_type: str
    sheet: str | None = None
    encoding: str | None = None
    delimiter: str | None = None
    # Lines that could not be split into fields: (row number, reason, raw text).
    bad_lines: list[tuple[int, str, str]] = field(default_factory=list)
    unmapped_headers: list[str] = field(default_factory=list)

    def source_header(self, column: str) -> str:
        return self.headers[self.columns[column]]


def detect_file_type(path: Path) -> str:
    """'csv', 'xlsx' or 'xls' from the content, never from the extension."""
    size = path.stat().st_size
    if size == 0:
        raise FileRejected("Berkas kosong (0 byte). Periksa kembali berkas yang diunggah.")
    if size > MAX_UPLOAD_BYTES:
        raise FileRejected(
            f"Berkas terlalu besar ({size / 1e6:,.0f} MB); batasnya {MAX_UPLOAD_BYTES / 1e6:,.0f} MB. "
            "Pecah berkas per kecamatan atau per kelurahan."
        )
    with path.open("rb") as fh:
        head = fh.read(8)
    if head.startswith(b"PK\x03\x04"):
        return _check_zip(path)
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return _check_ole(path)
    for magic, what in (
        (b"\x89PNG", "gambar PNG"),
        (b"\xff\xd8\xff", "gambar JPEG"),
        (b"GIF8", "gambar GIF"),
        (b"%PDF", "dokumen PDF"),
        (b"Rar!", "arsip RAR"),
        (b"\x1f\x8b", "arsip gzip"),
        (b"7z\xbc\xaf", "arsip 7z"),
        (b"BM", "gambar BMP"),
    ):
        if head.startswith(magic) and not (magic == b"BM" and _looks_like_text(path)):
            raise FileRejected(f"Berkas ini adalah {what}, bukan CSV atau Excel. Unggah berkas data (.csv atau .xlsx).")
    if not _looks_like_text(path):
        raise FileRejected("Berkas ini bukan teks CSV maupun Excel (isinya biner). Unggah berkas .csv atau .xlsx.")
    return "csv"


def _looks_like_text(path: Path) -> bool:
    with path.open("rb") as fh:
        sample = fh.read(65536)
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return False
    return b"\x00" not in sample


def _check_zip(path: Path) -> str:
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
            names = {i.filename for i in infos}
            total = sum(i.file_size for i in infos)
            packed = sum(i.compress_size for i in infos) or 1
    except zipfile.BadZipFile as exc:
        raise FileRejected(
            "Berkas Excel rusak (arsip tidak bisa dibuka). Simpan ulang dari Excel lalu unggah lagi."
        ) from exc
    if "xl/workbook.xml" not in names and "xl/workbook.bin" not in names:
        raise FileRejected("Berkas ini arsip ZIP, bukan buku kerja Excel. Unggah berkas .xlsx atau .csv.")
    if "xl/workbook.bin" in names:
        raise FileRejected("Format Excel biner (.xlsb) tidak didukung. Simpan sebagai .xlsx lalu unggah lagi.")
    if "xl/vbaProject.bin" in names:
        raise FileRejected(
            "Berkas Excel ini berisi makro (.xlsm). Demi keamanan, simpan sebagai .xlsx tanpa makro lalu unggah lagi."
        )
    if total > MAX_XLSX_UNCOMPRESSED_BYTES or total / packed > MAX_XLSX_COMPRESSION_RATIO:
        raise FileRejected(
            "Isi berkas Excel ini mengembang tidak wajar saat dibuka (kemungkinan 'zip bomb'); berkas ditolak."
        )
    return "xlsx"


def _check_ole(path: Path) -> str:
    with path.open("rb") as fh:
        blob = fh.read(min(path.stat().st_size, 4 * 1024 * 1024))
    if "EncryptionInfo".encode("utf-16-le") in blob or "EncryptedPackage".encode("utf-16-le") in blob:
        raise FileRejected(
            "Berkas Excel ini dilindungi kata sandi (terenkripsi). Buka di Excel, hapus kata sandinya, simpan, "
            "lalu unggah lagi."
        )
    if "_VBA_PROJECT".encode("utf-16-le") in blob:
        raise FileRejected("Berkas Excel ini berisi makro. Simpan sebagai .xlsx tanpa makro lalu unggah lagi.")
    return "xls"


def _match_headers(cells: list[str], contract: Contract, mapping: Mapping | None) -> dict[str, int]:
    """Contract column -> position, for one candidate header row."""
    lookup: dict[str, list[tuple[int, str]]] = {}
    for col in contract.columns:
        for rank, alias in enumerate(col.aliases):
            lookup.setdefault(normalize_header(alias), []).append((rank, col.name))
    explicit = {normalize_header(k): v for k, v in (mapping.columns if mapping else {}).items()}
    found: dict[str, int] = {}
    candidates: list[tuple[int, int, str]] = []
    for pos, cell in enumerate(cells):
        key = normalize_header(cell)
        if not key:
            continue
        if key in explicit:
            target = explicit[key]
            if target and target not in found:
                found[target] = pos
            continue
        for rank, name in lookup.get(key, ()):
            candidates.append((rank, pos, name))
    taken = set(found.values())
    for _, pos, name in sorted(candidates):
        if name not in found and pos not in taken:
            found[name] = pos
            taken.add(pos)
    return found


def _require_columns(found: dict[str, int], contract: Contract, headers: list[str], where: str) -> None:
    missing = [c for c in contract.columns if c.required and c.name not in found]
    if contract.one_of and not any(n in found for n in contract.one_of):
        missing += [contract.column(n) for n in contract.one_of]
    if missing:
        seen = ", ".join(f"'{h}'" for h in headers if str(h).strip()) or "(kosong)"
        need = "; ".join(f"{c.label} (mis. {', '.join(repr(a) for a in c.aliases[1:4])})" for c in missing)
        raise FileRejected(
            f"Kolom wajib untuk {contract.label} tidak ditemukan{where}: {need}. Judul kolom yang terbaca: {seen}. "
            "Jika nama kolom berbeda, buat berkas pemetaan (lihat README, bagian 'Berkas pemetaan')."
        )


def _best_header(rows: list[list[str]], contract: Contract, mapping: Mapping | None) -> tuple[int, dict[str, int]]:
    best = (-1, {})
    for idx, cells in enumerate(rows[:HEADER_SCAN_ROWS]):
        found = _match_headers(cells, contract, mapping)
        if len(found) > len(best[1]):
            best = (idx, found)
    return best


# ---- CSV -----------------------------------------------------------------------------


def _decode_head(path: Path) -> tuple[str, str]:
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
    text, encoding = _decode_head(path)
    lines = text.splitlines()[: HEADER_SCAN_ROWS + 1]
    best: tuple[int, int, dict[str, int], str, list[str]] = (-1, -1, {}, ",", [])
    forced_delim = mapping.delimiter if mapping else None
    for delim in (forced_delim,) if forced_delim else DELIMITERS:
        rows = list(csv.reader(lines, delimiter=delim))
        idx, found = _best_header(rows, contract, mapping)
        if len(found) > best[1]:
            best = (idx, len(found), found, delim, rows[idx] if idx >= 0 else [])
    header_idx, _, found, delim, headers = best
    if mapping and mapping.header_row:
        header_idx = mapping.header_row - 1
        rows = list(csv.reader(lines, delimiter=delim))
        headers = rows[header_idx] if header_idx < len(rows) else []
        found = _match_headers(headers, contract, mapping)
    if header_idx < 0 or not found:
        raise FileRejected(
            f"Baris judul kolom untuk {contract.label} tidak ditemukan pada {HEADER_SCAN_ROWS} baris pertama. "
            "Pastikan berkas berisi judul kolom seperti 'No KK', 'Nama Kepala Keluarga', 'Kelurahan'."
        )
    _require_columns(found, contract, headers, "")
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


# ---- Excel ---------------------------------------------------------------------------


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


def _with_parents(rows: list[list], idx: int, contract: Contract, mapping: Mapping | None) -> tuple[list[str], dict]:
    cells = _header_cells(rows, idx)
    found = _match_headers(cells, contract, mapping)
    if idx == 0:
        return cells, found
    parents = _header_cells(rows, idx - 1)
    combined = [
        f"{p} {c}".strip() if pos not in found.values() and p and p != c else c
        for pos, (p, c) in enumerate(zip(parents + [""] * len(cells), cells))
    ]
    found2 = _match_headers(combined, contract, mapping)
    if len(found2) > len(found):
        return combined, found2
    return cells, found


def read_excel(
    con: duckdb.DuckDBPyConnection, path: Path, contract: Contract, mapping: Mapping | None, sheet: str | None
) -> RawTable:
    try:
        wb = pc.CalamineWorkbook.from_path(str(path))
    except Exception as exc:  # calamine raises its own error types for broken files
        raise FileRejected(
            "Berkas Excel tidak bisa dibaca (rusak, terenkripsi, atau bukan Excel). Simpan ulang sebagai .xlsx."
        ) from exc
    wanted = sheet or (mapping.sheet if mapping else None)
    names = [m.name for m in wb.sheets_metadata if str(m.typ).endswith("WorkSheet")] or wb.sheet_names
    if wanted and wanted not in wb.sheet_names:
        raise FileRejected(f"Lembar '{wanted}' tidak ada. Lembar yang tersedia: {', '.join(wb.sheet_names)}.")
    best: tuple[int, str | None, int, list[str], dict, list[list]] = (-1, None, -1, [], {}, [])
    for name in [wanted] if wanted else names:
        ws = wb.get_sheet_by_name(name)
        head = ws.to_python(skip_empty_area=False, nrows=HEADER_SCAN_ROWS + 2)
        head = [list(r) for r in head]
        _fill_merged(head, ws.merged_cell_ranges or [], HEADER_SCAN_ROWS + 2)
        if mapping and mapping.header_row:
            idx = mapping.header_row - 1
            headers, found = _with_parents(head, idx, contract, mapping) if idx < len(head) else ([], {})
        else:
            idx, found = _best_header([[str(c) for c in r] for r in head], contract, mapping)
            headers, found = _with_parents(head, idx, contract, mapping) if idx >= 0 else ([], {})
        if len(found) > best[0]:
            best = (len(found), name, idx, headers, found, head)
    nfound, name, idx, headers, found, _ = best
    if nfound <= 0:
        raise FileRejected(
            f"Tidak ada lembar berisi judul kolom {contract.label} (diperiksa: {', '.join(names)}). "
            "Pilih lembar yang benar atau buat berkas pemetaan."
        )
    _require_columns(found, contract, headers, f" di lembar '{name}'")
    ws = wb.get_sheet_by_name(name)
    ncols = len(headers)
    id_positions = {pos for col, pos in found.items() if contract.column(col).kind is Kind.ID16}
    columns: list[list[str | None]] = [[] for _ in range(ncols)]
    numbers: list[int] = []
    nfields: list[int] = []
    # Data starts below the header; with a title block above it the sheet's own
    # start row shifts every index, so row numbers are computed from ws.start.
    first_row = ws.start[0] if ws.start else 0
    for offset, row in enumerate(ws.iter_rows()):
        if offset <= idx:
            continue
        numbers.append(first_row + offset + 1)
        nfields.append(ncols)
        for pos in range(ncols):
            value = row[pos] if pos < len(row) else None
            columns[pos].append(_cell_text(value, pos in id_positions))
    table = pa.table(
        {
            "_baris": pa.array(numbers, pa.int32()),
            "_nfields": pa.array(nfields, pa.int64()),
            **{f"c{i}": pa.array(columns[i], pa.string()) for i in range(ncols)},
        }
    )
    con.register("excel_rows", table)
    con.execute("CREATE OR REPLACE TEMP TABLE src AS SELECT * FROM excel_rows")
    con.unregister("excel_rows")
    return RawTable(
        headers=headers,
        columns=found,
        header_row=(first_row + idx + 1),
        file_type="xlsx",
        sheet=name,
        unmapped_headers=[h for i, h in enumerate(headers) if i not in found.values() and str(h).strip()],
    )


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
