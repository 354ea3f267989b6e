"""The audit log's line format and its chain: how lines are split, hashed and checked.

A line is one JSON object ending in b"\\n", with its sequence number ("urutan", absent in logs
of releases before the anchor) and the SHA-256 of the previous line's bytes ("sebelumnya").
The anchor is the head kept outside the file: line count, hash of the last line, file size.
Pure functions of bytes: the file and the store are audit.py's business.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass

from pipelines.formatting import angka

GENESIS = "0" * 64
# Where a log went wrong, without burying the page under one message per line.
MAX_PROBLEMS = 20


@dataclass(frozen=True)
class Anchor:
    baris: int
    kepala: str
    ukuran: int


def digest(line: bytes) -> str:
    return hashlib.sha256(line).hexdigest()


def split(data: bytes) -> list[bytes]:
    """Lines as written; a last line cut before its newline is still a line."""
    lines = data.split(b"\n")
    return lines[:-1] if lines[-1] == b"" else lines


def parse(line: bytes) -> dict | None:
    try:
        entry = json.loads(line.decode("utf-8"))
    except (ValueError, RecursionError):  # bad UTF-8, not JSON, or nested past the parser
        return None
    return entry if isinstance(entry, dict) else None


def problems(data: bytes, anchor: Anchor) -> tuple[list[str], int | None, int]:
    """Messages in Indonesian (none: intact), the first line concerned, and the line count."""
    lines = split(data)
    found, last_seq = _walk(lines)
    found += _against_anchor(lines, last_seq, len(data), anchor, chained=not found)
    if data and not data.endswith(b"\n"):
        found.append((len(lines), "Catatan terakhir terpotong: tidak diakhiri ganti baris."))
    messages = [message for _, message in found[:MAX_PROBLEMS]]
    if len(found) > MAX_PROBLEMS:
        messages.append(f"... dan {angka(len(found) - MAX_PROBLEMS)} masalah lain.")
    return messages, min((number for number, _ in found), default=None), len(lines)


def _walk(lines: list[bytes]) -> tuple[list[tuple[int, str]], int]:
    """Problems line by line, and the sequence number the last line carries (or its position)."""
    found: list[tuple[int, str]] = []
    expected_hash, expected_seq = GENESIS, 1
    for number, line in enumerate(lines, 1):
        entry = parse(line)
        seq = entry.get("urutan") if entry else None
        seq = seq if type(seq) is int else None
        if entry is None:
            found.append((number, f"Catatan no. {angka(number)} rusak: bukan catatan audit yang terbaca."))
        elif seq is not None and seq != expected_seq:
            gap = seq - expected_seq
            why = f"{angka(gap)} catatan sebelumnya hilang" if gap > 0 else "ada catatan yang disisipkan atau diulang"
            found.append((number, f"Catatan no. {angka(number)} bernomor urut {angka(seq)}: {why}."))
        elif entry.get("sebelumnya") != expected_hash:
            where = (
                f"catatan no. {angka(number - 1)} diubah, atau ada catatan yang dihapus atau disisipkan di antaranya"
                if number > 1
                else "catatan di awal log dihapus"
            )
            found.append((number, f"Catatan no. {angka(number)} tidak menyambung ke catatan sebelumnya: {where}."))
        expected_hash = digest(line)
        expected_seq = (seq if seq is not None else number) + 1
    return found, expected_seq - 1


def _against_anchor(
    lines: list[bytes], last_seq: int, size: int, anchor: Anchor, *, chained: bool
) -> list[tuple[int, str]]:
    """An intact chain can still be cut short or rewritten as a whole: only the anchor tells.
    Counts are compared only when the walk found nothing: a gap it found already explains them."""
    count = len(lines)
    if not lines and anchor.baris:
        return [(1, f"Berkas log dikosongkan: jangkar mencatat {angka(anchor.baris)} catatan.")]
    if (digest(lines[-1]) if lines else GENESIS) != anchor.kepala:
        if last_seq < anchor.baris:
            lost = anchor.baris - last_seq
            return [
                (
                    count + 1,
                    f"{angka(lost)} catatan hilang: jangkar mencatat {angka(anchor.baris)} catatan, log berakhir pada "
                    f"catatan no. {angka(last_seq)}. Catatan terakhir dihapus, atau log ditulis ulang.",
                )
            ]
        if last_seq > anchor.baris:
            extra = last_seq - anchor.baris
            return [
                (count, f"{angka(extra)} catatan terakhir tidak tercatat di jangkar: ditambahkan di luar aplikasi.")
            ]
        return [(count, "Catatan terakhir diubah: sidiknya berbeda dari yang tercatat di jangkar.")]
    if not chained:
        return []
    if count != anchor.baris:
        return [(count, f"Berkas memuat {angka(count)} catatan, jangkar mencatat {angka(anchor.baris)}.")]
    if size != anchor.ukuran:
        return [(count, "Ukuran berkas log berbeda dari yang tercatat di jangkar.")]
    return []
