"""Small builders of messy export files for tests (the fixtures are code, so they stay readable)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import xlsxwriter

KELUARGA_HEADER = [
    "No KK",
    "NIK Kepala Keluarga",
    "Nama Kepala Keluarga",
    "Desa/Kelurahan",
    "RW",
    "RT",
    "Desil Kesejahteraan",
    "Jenis Lantai",
    "Sumber Air Minum",
    "Fasilitas BAB",
    "Penerima PKH",
]


def kk(serial: int, kec: str = "617101") -> str:
    """A valid No KK: region, issue date 25/02/10, serial."""
    return f"{kec}250210{serial:04d}"


def nik(serial: int, *, woman: bool = False, kec: str = "617101") -> str:
    """A valid NIK: region, birth date 15/06/80 (+40 on the day for women), serial."""
    day = 15 + (40 if woman else 0)
    return f"{kec}{day:02d}0680{serial:04d}"


def keluarga_row(
    i: int,
    kelurahan: str = "Akcaya",
    rw: str = "1",
    rt: str = "2",
    desil: str = "3",
    lantai: str = "Keramik",
    air: str = "PDAM",
    bab: str = "Milik sendiri, tangki septik",
    pkh: str = "Tidak",
) -> list[str]:
    return [kk(i), nik(i), f"Kepala {i}", kelurahan, rw, rt, desil, lantai, air, bab, pkh]


def write_csv(
    path: Path,
    header: list[str],
    rows: list[list[str]],
    *,
    delimiter: str = ",",
    encoding: str = "utf-8",
    bom: bool = False,
    title: list[str] | None = None,
    newline: str = "\n",
) -> Path:
    def quote(v: str) -> str:
        v = "" if v is None else str(v)
        if any(ch in v for ch in (delimiter, '"', "\n")):
            return '"' + v.replace('"', '""') + '"'
        return v

    lines = list(title or []) + [delimiter.join(quote(h) for h in header)]
    lines += [delimiter.join(quote(v) for v in row) for row in rows]
    data = newline.join(lines) + newline
    raw = data.encode(encoding)
    if bom:
        raw = b"\xef\xbb\xbf" + raw
    path.write_bytes(raw)
    return path


def write_xlsx(
    path: Path,
    header: list[str],
    rows: list[list],
    *,
    title_rows: int = 3,
    notes_sheet: bool = True,
    footer: bool = True,
    numeric_columns: dict[int, set[int]] | None = None,
    merged_group: tuple[int, int, str] | None = None,
) -> Path:
    """A P3KE-style workbook: notes sheet first, title block, optional merged group header, JUMLAH footer.

    numeric_columns: {column index: row indexes} whose values are written as Excel numbers.
    merged_group: (first col, last col, text) merged across the row above the header.
    """
    wb = xlsxwriter.Workbook(str(path))
    wb.set_properties({"created": dt.datetime(2025, 1, 1)})
    if notes_sheet:
        info = wb.add_worksheet("Petunjuk")
        info.write(0, 0, "Data ini bersifat rahasia.")
    ws = wb.add_worksheet("Data P3KE")
    ws.merge_range(0, 0, 0, max(1, len(header) - 1), "DATA P3KE KOTA PONTIANAK")
    ws.write(1, 0, "Sumber: Kemenko PMK")
    header_row = title_rows + (1 if merged_group else 0)
    if merged_group:
        first, last, text = merged_group
        ws.merge_range(header_row - 1, first, header_row - 1, last, text)
    for c, h in enumerate(header):
        ws.write_string(header_row, c, h)
    numeric_columns = numeric_columns or {}
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            target = header_row + 1 + r
            if value is None:
                continue
            if r in numeric_columns.get(c, set()):
                ws.write_number(target, c, float(value))
            elif isinstance(value, (dt.date, dt.datetime)):
                ws.write_datetime(
                    target,
                    c,
                    dt.datetime.combine(value, dt.time())
                    if isinstance(value, dt.date) and not isinstance(value, dt.datetime)
                    else value,
                    wb.add_format({"num_format": "dd/mm/yyyy"}),
                )
            elif isinstance(value, (int, float)):
                ws.write_number(target, c, value)
            else:
                ws.write_string(target, c, str(value))
    if footer:
        ws.write_string(header_row + 2 + len(rows), 0, "JUMLAH")
        ws.write_number(header_row + 2 + len(rows), 6, len(rows))
    wb.close()
    return path
