"""Is this a file we can read at all? Decided from the content, never from the extension.

Refused outright, with a message in Indonesian: empty files, files over the size limit,
images and other binaries renamed .csv/.xlsx, macro-enabled, encrypted and binary (.xlsb)
workbooks, zip bombs (an .xlsx is a zip: its declared inflated size is checked before
anything is inflated), and web pages or Excel 2003 XML saved under an Excel name (the
"Export to Excel" of many web applications writes an HTML table and calls it .xls).
"""

from __future__ import annotations

import codecs
import re
import zipfile
from pathlib import Path

from pipelines.settings import MAX_UPLOAD_BYTES, MAX_XLSX_COMPRESSION_RATIO, MAX_XLSX_UNCOMPRESSED_BYTES


class FileRejected(Exception):
    """The file cannot be used at all; the message is for the user, in Indonesian."""


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
    _refuse_markup(path)
    if not _looks_like_text(path):
        raise FileRejected("Berkas ini bukan teks CSV maupun Excel (isinya biner). Unggah berkas .csv atau .xlsx.")
    return "csv"


# Markup at the start of a file, after any XML declaration, processing instructions and comments.
_MARKUP_START = re.compile(r"\s*(?:<\?[^>]*\?>\s*)*(?:<!--.*?-->\s*)*<(!doctype\s+html|[a-z]+)", re.I | re.S)
_HTML_TAGS = {"!doctype html", "html", "head", "body", "meta", "table", "style", "title", "div"}
SAVE_AS_XLSX = (
    "Buka berkas di Excel, pilih Simpan Sebagai (Save As) > Buku Kerja Excel (.xlsx) atau CSV, "
    "lalu unggah berkas hasilnya."
)


def _head_text(path: Path) -> str:
    """The first few KB as text, whatever the encoding a web application used."""
    with path.open("rb") as fh:
        head = fh.read(4096)
    for bom, encoding in ((codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be")):
        if head.startswith(bom):
            return head[len(bom) :].decode(encoding, errors="ignore")
    return head.removeprefix(codecs.BOM_UTF8).decode("utf-8", errors="ignore")


def _refuse_markup(path: Path) -> None:
    """An HTML page or an Excel 2003 XML spreadsheet: say what it is and how to get a real workbook."""
    text = _head_text(path)
    start = _MARKUP_START.match(text)
    if not start:
        return
    suffix = path.suffix.lower()
    named = f" yang disimpan dengan nama {suffix}" if suffix in (".xls", ".xlsx", ".csv") else ""
    tag = start.group(1).lower()
    if tag in _HTML_TAGS or (tag != "workbook" and "<html" in text.lower()):
        raise FileRejected(
            f"Berkas ini halaman web (HTML){named}, bukan buku kerja Excel: fitur 'ekspor ke Excel' di banyak "
            f"aplikasi web membuat berkas seperti ini. {SAVE_AS_XLSX}"
        )
    if "urn:schemas-microsoft-com:office:spreadsheet" in text:
        raise FileRejected(
            f"Berkas ini lembar kerja XML Excel 2003 (XML Spreadsheet){named}, format lama yang tidak didukung. "
            f"{SAVE_AS_XLSX}"
        )


def _looks_like_text(path: Path) -> bool:
    with path.open("rb") as fh:
        sample = fh.read(65536)
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return True  # UTF-16 text ("Unicode Text" from Excel): the CSV reader re-encodes it
    return b"\x00" not in sample


def _check_zip(path: Path) -> str:
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
            names = {i.filename for i in infos}
            total = sum(i.file_size for i in infos)
            packed = sum(i.compress_size for i in infos) or 1
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, ValueError, EOFError) as exc:
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
