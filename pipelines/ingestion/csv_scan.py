"""The whole-file check of a CSV, made before any lock is taken and before DuckDB reads a byte.

One pass over the bytes, vectorised with numpy, learns the encoding (UTF-8 throughout, else
Windows-1252 for the whole file; UTF-16 by its byte-order mark), refuses control bytes, rows over
MAX_CSV_ROW_BYTES, cells over MAX_CSV_CELL_CHARS and rows over MAX_CSV_COLUMNS, and finds the rows
that run over several lines because a quoted cell holds a line break. A quote opens a cell only at
the start of a field, as Python's csv module and spreadsheets read it. When the file is not one row
per line of UTF-8, `write_normalised` makes a copy that is, so a row number is a row, never a line.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from pipelines.formatting import angka
from pipelines.ingestion.filetype import FileRejected
from pipelines.settings import MAX_CSV_CELL_CHARS, MAX_CSV_COLUMNS, MAX_CSV_ROW_BYTES

CHUNK_BYTES = 4 * 1024 * 1024  # small enough for numpy's passes to stay in cache
HEAD_BYTES = 256 * 1024
BUFFER_BYTES = CHUNK_BYTES + MAX_CSV_ROW_BYTES + 1  # a chunk behind the longest unfinished row
LABELS = {"utf-8": "UTF-8", "utf-8-sig": "UTF-8", "cp1252": "Windows-1252", "utf-16": "UTF-16"}
_CONTROL = re.compile(rb"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_LONE_CR = re.compile("\r(?!\n)")
_SAVE_AS_UTF8 = "Buka berkas di Excel, simpan sebagai 'CSV UTF-8 (Comma delimited)', lalu unggah lagi."


def _latin1_fallback(err: UnicodeDecodeError) -> tuple[str, int]:
    return err.object[err.start : err.end].decode("latin-1"), err.end


# Windows-1252 leaves five bytes undefined; they pass as Latin-1 rather than stop the read.
codecs.register_error("latin1fallback", _latin1_fallback)


@dataclass(frozen=True)
class Head:
    """The first HEAD_BYTES of a file as text, one row per line as far as the head goes."""

    text: str
    encoding: str
    mac: bool  # lines end in a bare CR (old Mac exports)

    def lines(self) -> list[str]:
        """Each line with its LF, so that the csv module keeps a line break inside a quoted cell."""
        lines = _LONE_CR.sub(" ", self.text.replace("\r\n", "\n")).split("\n")
        return [line + "\n" for line in lines[:-1]] + ([lines[-1]] if lines[-1] else [])


@dataclass(frozen=True)
class Layout:
    """What the whole-file scan learned."""

    encoding: str  # utf-8, utf-8-sig, cp1252 or utf-16
    mac: bool
    lone_cr: bool  # a CR ending no line, inside a cell: read as a space
    spans: tuple[tuple[int, int], ...]  # (first, last) line index, from 0, of rows over several lines

    @property
    def one_row_per_line(self) -> bool:
        return self.encoding in ("utf-8", "utf-8-sig") and not (self.mac or self.lone_cr or self.spans)

    @property
    def label(self) -> str:
        return LABELS[self.encoding]


def read_head(path: Path) -> Head:
    with path.open("rb") as fh:
        raw = fh.read(HEAD_BYTES)
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        text, encoding = codecs.getincrementaldecoder("utf-16")(errors="replace").decode(raw), "utf-16"
    elif raw.startswith(codecs.BOM_UTF8):
        text, encoding = raw[3:].decode("utf-8", errors="replace"), "utf-8-sig"
    else:
        try:
            text, encoding = raw.decode("utf-8"), "utf-8"
        except UnicodeDecodeError as exc:
            if exc.start >= len(raw) - 4 and len(raw) == HEAD_BYTES:  # a character cut by the sample
                text, encoding = raw[: exc.start].decode("utf-8", errors="replace"), "utf-8"
            else:
                text, encoding = raw.decode("cp1252", errors="latin1fallback"), "cp1252"
    mac = "\r" in text and "\n" not in text
    return Head(text.replace("\r", "\n") if mac else text, encoding, mac)


class _Source:
    """The file as bytes in which every ASCII byte means itself (UTF-16 re-encoded as UTF-8, a Mac
    file's CRs as LFs), read into a caller's buffer."""

    def __init__(self, fh, encoding: str, mac: bool):
        self.fh = fh
        if encoding == "utf-8-sig":
            fh.read(3)
        self.decoder = codecs.getincrementaldecoder("utf-16")() if encoding == "utf-16" else None
        self.mac = mac
        self.pending = b""
        self.eof = False

    def read_into(self, view: memoryview) -> int:
        if self.decoder is None and not self.mac:
            return self.fh.readinto(view)
        while len(self.pending) < len(view) and not self.eof:
            chunk = self.fh.read(CHUNK_BYTES)
            self.eof = not chunk
            if self.decoder is not None:
                chunk = self.decoder.decode(chunk, final=self.eof).encode("utf-8")
            self.pending += chunk.replace(b"\r", b"\n") if self.mac else chunk
        n = min(len(view), len(self.pending))
        view[:n] = self.pending[:n]
        self.pending = self.pending[n:]
        return n


def _too_long(row: int, size: str) -> FileRejected:
    return FileRejected(
        f"Baris {row} panjangnya {size} byte; batasnya {angka(MAX_CSV_ROW_BYTES)} byte (1 MiB) per baris. Periksa "
        'baris itu (mungkin tanda kutip (") tidak ditutup atau baris-baris tergabung) lalu unggah lagi.'
    )


def _ends_inside(line: bytes, inside: bool, delim: int) -> bool:
    """Whether a line ends inside a quoted cell: a quote opens a cell only at the start of a field."""
    i = line.find(b'"')
    while i != -1:
        if inside:
            if line[i + 1 : i + 2] == b'"':
                i = line.find(b'"', i + 2)
                continue
            inside = False
        elif i == 0 or line[i - 1] == delim:
            inside = True
        i = line.find(b'"', i + 1)
    return inside


class _Scan:
    def __init__(self, head: Head, delimiter: str, headers: list[str]):
        self.encoding = head.encoding
        self.delim = delimiter
        self.headers = headers
        self.spans: list[tuple[int, int]] = []
        self.lone_cr = False
        self.first_line = 0  # index of the first line of the part being read
        self.continued = 0  # lines so far that continue a row begun on an earlier line
        self.seen_utf8 = head.encoding == "utf-8-sig"  # multi-byte UTF-8 (or a UTF-8 mark) met so far
        self.mask = np.empty(BUFFER_BYTES, bool)

    def row_number(self, line: int, spans: list[tuple[int, int]] = ()) -> int:
        """1-based row of a line of the current part, as a spreadsheet numbers the file's rows."""
        inner = sum(min(last, line) - first for first, last in spans if first < line)
        return self.first_line + line + 1 - self.continued - inner

    def part(self, buf: bytearray, end: int, final: bool) -> int | None:
        """Check the whole lines in buf[:end]; the offset where an unfinished row starts, or None."""
        a = np.frombuffer(buf, np.uint8, count=end)
        mask = self.mask[:end]  # one scratch array for every comparison: no 16 MiB allocation per test
        ends = np.flatnonzero(np.equal(a, 10, out=mask))
        lf = len(ends)
        if final and (not len(ends) or ends[-1] != end - 1):
            ends = np.append(ends, end)
        starts = np.concatenate(([0], ends[:-1] + 1))
        spans, open_at = self._quoted_rows(buf, a, starts, ends)
        self._text(buf, a, ends, spans)
        # Counted with numpy: bytes.count is several times slower per byte.
        low = int(np.count_nonzero(np.less(a, 32, out=mask)))
        carriage = int(np.count_nonzero(np.equal(a, 13, out=mask))) if low > lf else 0
        if low > lf and low != lf + carriage + np.count_nonzero(np.equal(a, 9, out=mask)):
            found = _CONTROL.search(buf, 0, end)
            raise FileRejected(
                f"Baris {self.row_number(int(np.searchsorted(ends, found.start())), spans)} berisi karakter kendali "
                f"tak terlihat (kode 0x{found.group()[0]:02X}) yang dapat memotong data tanpa terlihat. Hapus "
                "karakter itu (biasanya terbawa dari sistem lain), simpan ulang, lalu unggah lagi."
            )
        if carriage:
            before_lf = ends[(ends > 0) & (ends < end)] - 1
            self.lone_cr |= carriage != np.count_nonzero(a[before_lf] == 13)
        if open_at is not None and final:
            raise FileRejected(
                f'Tanda kutip (") yang dibuka di baris {self.row_number(open_at, spans)} tidak pernah ditutup sampai '
                "akhir berkas, sehingga semua isi sesudahnya terbaca sebagai satu sel. Perbaiki tanda kutip di baris "
                "itu lalu unggah lagi."
            )
        done = len(ends) if open_at is None else open_at
        self._sizes(buf, starts[:done], ends[:done], spans)
        self.spans += [(self.first_line + f, self.first_line + last) for f, last in spans]
        self.continued += sum(last - f for f, last in spans)
        self.first_line += done
        return None if open_at is None else int(starts[open_at])

    def _text(self, buf: bytearray, a: np.ndarray, ends: np.ndarray, spans: list[tuple[int, int]]) -> None:
        if self.encoding not in ("utf-8", "utf-8-sig") or not len(a) or a.max() < 128:
            return
        data = bytes(buf[: len(a)])
        try:
            data.decode("utf-8")
            self.seen_utf8 = True
        except UnicodeDecodeError as exc:
            if self.seen_utf8 or not data[: exc.start].isascii():
                raise FileRejected(
                    "Berkas ini mencampur dua pengodean teks: sebagian UTF-8, tetapi baris "
                    f"{self.row_number(int(np.searchsorted(ends, exc.start)), spans)} berisi huruf yang bukan UTF-8 "
                    f"(mungkin Windows-1252). {_SAVE_AS_UTF8}"
                ) from exc
            self.encoding = "cp1252"

    def _quoted_rows(self, buf: bytearray, a: np.ndarray, starts, ends) -> tuple[list[tuple[int, int]], int | None]:
        """Rows over several lines, as (first, last) line of this part, and the line of a row still open."""
        if buf.find(b'"', 0, len(a)) == -1:
            return [], None
        quotes = np.flatnonzero(np.equal(a, 34, out=self.mask[: len(a)]))
        per_line = np.bincount(np.searchsorted(ends, quotes), minlength=len(ends))
        delim = ord(self.delim)
        spans: list[tuple[int, int]] = []
        open_at = None
        # A line with an even number of quotes leaves a row open or closed as it found it.
        for li in np.flatnonzero(per_line & 1).tolist():
            line = bytes(buf[starts[li] : ends[li]])
            if open_at is None:
                if _ends_inside(line, False, delim):
                    open_at = li
            elif not _ends_inside(line, True, delim):
                spans.append((open_at, li))
                open_at = None
        return spans, open_at

    def _sizes(self, buf: bytearray, starts, ends, spans: list[tuple[int, int]]) -> None:
        lengths = ends - starts
        inner = np.zeros(len(lengths), bool)
        rows = []
        for first, last in spans:
            inner[first : last + 1] = True
            rows.append((first, int(starts[first]), int(ends[last])))
        # Only a row this long can hold more columns, or a longer cell, than allowed.
        for li in np.flatnonzero((lengths >= MAX_CSV_COLUMNS) & ~inner).tolist():
            rows.append((li, int(starts[li]), int(ends[li])))
        for li, start, end in rows:
            if end - start > MAX_CSV_ROW_BYTES:
                raise _too_long(self.row_number(li, spans), angka(end - start))
            if end - start >= MAX_CSV_COLUMNS:
                self._row(bytes(buf[start:end]), self.row_number(li, spans))

    def _row(self, raw: bytes, row: int) -> None:
        if raw.count(self.delim.encode()) < MAX_CSV_COLUMNS and len(raw) <= MAX_CSV_CELL_CHARS:
            return
        text = raw.decode("utf-8" if self.encoding != "cp1252" else "cp1252", errors="replace")
        try:
            fields = next(csv.reader(io.StringIO(text, newline=""), delimiter=self.delim))
        except csv.Error as exc:
            if "field larger" not in str(exc):
                return  # a malformed row: the reader rejects it with its reason
            raise FileRejected(
                f"Sel pada baris {row} berisi lebih dari {angka(csv.field_size_limit())} karakter; batasnya "
                f'{angka(MAX_CSV_CELL_CHARS)} karakter per sel. Periksa baris itu (mungkin tanda kutip (") tidak '
                "ditutup) lalu unggah lagi."
            ) from exc
        if len(fields) > MAX_CSV_COLUMNS:
            raise FileRejected(
                f"Baris {row} berisi {angka(len(fields))} kolom; batasnya {angka(MAX_CSV_COLUMNS)} kolom per baris. "
                "Hapus kolom yang tidak dipakai atau periksa pemisah kolomnya, lalu unggah lagi."
            )
        for k, value in enumerate(fields):
            if len(value) > MAX_CSV_CELL_CHARS:
                name = f" ({self.headers[k]})" if k < len(self.headers) and self.headers[k].strip() else ""
                raise FileRejected(
                    f"Sel pada baris {row}, kolom ke-{k + 1}{name[:60]}, berisi {angka(len(value))} karakter; batasnya "
                    f'{angka(MAX_CSV_CELL_CHARS)} karakter per sel. Periksa isi sel itu (mungkin tanda kutip (") '
                    "tidak ditutup) lalu unggah lagi."
                )


def scan(path: Path, head: Head, delimiter: str, headers: list[str]) -> Layout:
    """Check the whole file against the limits; FileRejected (in Indonesian) at the first breach."""
    state = _Scan(head, delimiter, headers)
    # One buffer for the whole file: each chunk is read in behind the unfinished row kept from the last.
    buf = bytearray(BUFFER_BYTES)
    view = memoryview(buf)
    have = 0
    try:
        with path.open("rb") as fh:
            source = _Source(fh, head.encoding, head.mac)
            while n := source.read_into(view[have : have + CHUNK_BYTES]):
                end = have + n
                cut = buf.rfind(b"\n", 0, end) + 1
                keep = 0
                if cut:
                    open_at = state.part(buf, cut, final=False)
                    keep = cut if open_at is None else open_at
                have = end - keep
                if have > MAX_CSV_ROW_BYTES:
                    raise _too_long(state.first_line - state.continued + 1, f"lebih dari {angka(MAX_CSV_ROW_BYTES)}")
                buf[:have] = buf[keep:end]
            if have:
                state.part(buf, have, final=True)
    except UnicodeError as exc:
        raise FileRejected(f"Berkas teks UTF-16 ini rusak (ada karakter yang tidak sah). {_SAVE_AS_UTF8}") from exc
    finally:
        view.release()
    return Layout(state.encoding, head.mac, state.lone_cr, tuple(state.spans))


def _texts(path: Path, layout: Layout) -> Iterator[str]:
    """The file decoded, in pieces that end at a line end."""
    errors = "latin1fallback" if layout.encoding == "cp1252" else "strict"
    decoder = codecs.getincrementaldecoder(layout.encoding)(errors=errors)
    rest = ""
    with path.open("rb") as fh:
        while True:
            chunk = fh.read(CHUNK_BYTES)
            text = rest + decoder.decode(chunk, final=not chunk)
            if layout.mac:
                text = text.replace("\r", "\n")
            cut = text.rfind("\n") + 1 if chunk else len(text)
            if cut:
                yield text[:cut]
            rest = text[cut:]
            if not chunk:
                return


def write_normalised(path: Path, layout: Layout, target: Path) -> None:
    """A UTF-8 copy with one row per line: line breaks inside quoted cells and lone CRs become spaces
    (the text rule collapses them to one space anyway)."""
    spans = layout.spans
    k = 0
    line = 0
    with target.open("w", encoding="utf-8", newline="") as out:
        for text in _texts(path, layout):
            if layout.lone_cr:
                text = _LONE_CR.sub(" ", text)
            n = text.count("\n")
            while k < len(spans) and spans[k][1] <= line:
                k += 1
            if k == len(spans) or spans[k][0] >= line + n:
                out.write(text)
                line += n
                continue
            pieces = text.split("\n")
            for j, piece in enumerate(pieces[:-1]):
                g = line + j
                while k < len(spans) and spans[k][1] <= g:
                    k += 1
                inside = k < len(spans) and spans[k][0] <= g
                out.write(piece.rstrip("\r") + " " if inside else piece + "\n")
            out.write(pieces[-1])
            line += n
