"""Workbook cells that read as blank but are not: merged data cells, formulas without a saved value.

calamine gives a merged range's value in its first cell only, and a formula cell's last saved
result. A workbook written by a program that never computed its formulas has no result to give.
Left alone, both reach the cleaning step as blanks and every row is rejected as 'wajib diisi';
the analyst is told what the cells really are instead, and how to fix the file in Excel.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
import zlib
from pathlib import Path
from xml.etree import ElementTree

from pipelines.ingestion.filetype import FileRejected

# How much of a sheet's XML is inflated at once while looking for formulas.
SCAN_CHUNK_BYTES = 4 << 20
# Places named in a message, per column.
SHOWN_PLACES = 3

# A formula cell whose value is absent or empty: <c r="D2"><f>..</f><v/></c>, <c r="D3"><f t="shared" si="0"/></c>.
_EMPTY_FORMULA = re.compile(
    rb"<(?:\w+:)?c\b([^>]*)>\s*<(?:\w+:)?f\b[^>]*(?:/>|>[^<]*</(?:\w+:)?f>)\s*"
    rb"(?:<(?:\w+:)?v\s*/>|<(?:\w+:)?v>\s*</(?:\w+:)?v>)?\s*</(?:\w+:)?c>"
)
_CELL_REF = re.compile(rb'\br="([A-Z]{1,3})(\d+)"')


def column_letter(pos: int) -> str:
    """0 -> A, 26 -> AA: the column as Excel names it."""
    letters = ""
    pos += 1
    while pos:
        pos, rest = divmod(pos - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def _column_index(letters: bytes) -> int:
    pos = 0
    for ch in letters:
        pos = pos * 26 + (ch - ord("A") + 1)
    return pos - 1


def _label(pos: int, header: str) -> str:
    return f"'{header}' (kolom {column_letter(pos)})" if header.strip() else f"kolom {column_letter(pos)}"


def refuse_merged_data_cells(merged, columns: dict[int, str], header_index: int) -> None:
    """FileRejected when cells merged over several data rows sit in a column the contract reads.

    `merged` is calamine's ((first row, first col), (last row, last col)) list, 0-based; `columns`
    maps each read column's position to its header; data start below row `header_index`."""
    found: dict[int, list[tuple[int, int]]] = {}
    for (r0, c0), (r1, c1) in merged or ():
        if r0 <= header_index or r1 == r0:
            continue  # title and header blocks, or a single-row merge (a footer such as JUMLAH)
        for pos in range(c0, c1 + 1):
            if pos in columns:
                found.setdefault(pos, []).append((r0 + 1, r1 + 1))
    if not found:
        return
    parts = []
    for pos, spans in sorted(found.items()):
        rows = ", ".join(f"{a}-{b}" for a, b in sorted(spans)[:SHOWN_PLACES])
        more = f" dan {len(spans) - SHOWN_PLACES} tempat lain" if len(spans) > SHOWN_PLACES else ""
        parts.append(f"{_label(pos, columns[pos])} di baris {rows}{more}")
    raise FileRejected(
        f"Sel digabung (merge) di baris data: {'; '.join(parts)}. Sel gabungan hanya menyimpan nilai di baris "
        "pertamanya, jadi baris lain akan terbaca kosong. Di Excel, pilih sel itu, batalkan penggabungan "
        "(Merge & Center > Unmerge Cells), isi nilainya di setiap baris, simpan, lalu unggah lagi."
    )


def _sheet_part(zf: zipfile.ZipFile, sheet: str) -> str | None:
    """The archive member holding a sheet's cells, from workbook.xml and its relationships."""
    workbook = ElementTree.fromstring(zf.read("xl/workbook.xml"))
    rel_id = None
    for el in workbook.iter():
        if el.tag.rsplit("}", 1)[-1] == "sheet" and el.get("name") == sheet:
            rel_id = next((v for k, v in el.attrib.items() if k.rsplit("}", 1)[-1] == "id"), None)
            break
    if rel_id is None:
        return None
    rels = ElementTree.fromstring(zf.read("xl/_rels/workbook.xml.rels"))
    for el in rels.iter():
        if el.tag.rsplit("}", 1)[-1] == "Relationship" and el.get("Id") == rel_id:
            target = el.get("Target") or ""
            return target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join("xl", target))
    return None


def _empty_formulas(fh, columns: dict[int, str], first_data_row: int) -> dict[int, tuple[int, list[str]]]:
    """Column position -> (how many, the first cells: D2, D3, ...) holding a formula without a saved value."""
    found: dict[int, tuple[int, list[str]]] = {}
    carry = b""
    while True:
        chunk = fh.read(SCAN_CHUNK_BYTES)
        buf = carry + chunk
        # Whole rows only (up to a row's end tag), so that no cell is cut between two reads.
        cut = buf.rfind(b"row>") if chunk else -1
        if cut >= 0:
            part, carry = buf[: cut + 4], buf[cut + 4 :]
        elif chunk and len(buf) < 16 * SCAN_CHUNK_BYTES:
            carry = buf
            continue
        else:
            part, carry = buf, b""
        if b"<f" in part or b":f" in part:
            for match in _EMPTY_FORMULA.finditer(part):
                ref = _CELL_REF.search(match.group(1))
                if ref is None:
                    continue
                pos, row = _column_index(ref.group(1)), int(ref.group(2))
                if pos in columns and row >= first_data_row:
                    count, first = found.get(pos, (0, []))
                    if count < SHOWN_PLACES:
                        first.append(f"{ref.group(1).decode()}{row}")
                    found[pos] = (count + 1, first)
        if not chunk:
            return found


def refuse_formulas_without_values(
    path: Path, sheet: str, columns: dict[int, str], header_index: int, *, corrupt: str
) -> None:
    """FileRejected when a column the contract reads holds formulas whose result was never saved.

    Excel always saves results, and keeps xl/calcChain.xml beside formulas it computed; a workbook
    without it may come from a program that wrote formulas only, so its sheet is scanned."""
    if not zipfile.is_zipfile(path):
        return  # .xls (BIFF) keeps every formula's result beside it
    try:
        with zipfile.ZipFile(path) as zf:
            names = set(zf.namelist())
            if "xl/calcChain.xml" in names or "xl/workbook.xml" not in names:
                return
            try:
                part = _sheet_part(zf, sheet)
            except (KeyError, ElementTree.ParseError):
                return  # calamine found the sheet its own way; nothing to scan here
            if part is None or part not in names:
                return
            with zf.open(part) as fh:
                found = _empty_formulas(fh, columns, header_index + 2)
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError) as exc:
        raise FileRejected(corrupt) from exc
    if not found:
        return
    parts = []
    for pos, (count, cells) in sorted(found.items()):
        more = f" dan {count - len(cells)} sel lain" if count > len(cells) else ""
        parts.append(f"{_label(pos, columns[pos])} di sel {', '.join(cells)}{more}")
    raise FileRejected(
        f"Kolom berisi rumus tanpa nilai tersimpan: {'; '.join(parts)}. Berkas ini dibuat oleh program yang "
        "tidak menghitung rumusnya, jadi nilainya belum ada. Buka berkas di Excel (atau LibreOffice), simpan "
        "ulang sebagai .xlsx agar hasil rumus ikut tersimpan, lalu unggah lagi."
    )
