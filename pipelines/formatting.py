"""Numbers, shares, rupiah, dates and changes written the Indonesian way (1.234,5)."""

from __future__ import annotations

import datetime as dt
import math
import re

from pipelines.periods import BULAN, date_label, period_label

__all__ = [
    "angka",
    "persen",
    "rupiah",
    "tanggal",
    "perubahan",
    "period_label",
    "date_label",
    "is_missing",
    "markdown_literal",
]
# Markdown syntax characters, plus the ones Streamlit adds: :color[..] and :material/..: directives, $ LaTeX.
_MARKDOWN_SYNTAX = re.compile(r"([\\`*_{}\[\]()#+\-.!|~<>$&=^\"'])")


def is_missing(value) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value)) or str(value) in ("NaT", "<NA>", "nan")


def angka(value, decimals: int = 0) -> str:
    """1234567.8 -> '1.234.568' (decimals=0) or '1.234.567,8' (decimals=1)."""
    if is_missing(value):
        return "-"
    text = f"{float(value):,.{decimals}f}"
    return text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")


def persen(share, decimals: int = 1) -> str:
    """0.042 -> '4,2%'."""
    if is_missing(share):
        return "-"
    return f"{angka(float(share) * 100, decimals)}%"


def rupiah(value) -> str:
    """1500000 -> 'Rp1.500.000'; large sums as 'Rp1,5 miliar'."""
    if is_missing(value):
        return "-"
    v = float(value)
    if abs(v) >= 1e12:
        return f"Rp{angka(v / 1e12, 1)} triliun"
    if abs(v) >= 1e9:
        return f"Rp{angka(v / 1e9, 1)} miliar"
    if abs(v) >= 1e6:
        return f"Rp{angka(v / 1e6, 1)} juta"
    return f"Rp{angka(v)}"


def tanggal(value) -> str:
    """A date as '19 Desember 2025'."""
    if is_missing(value):
        return "-"
    if isinstance(value, str):
        value = dt.date.fromisoformat(value[:10])
    return date_label(value)


def bulan_tahun(value: dt.date) -> str:
    return f"{BULAN[value.month - 1]} {value.year}"


def perubahan(now, before, *, relative: bool = True) -> str | None:
    """Change as text: '+12%' / '-8%' (relative) or '+3' (absolute); None when not comparable."""
    if is_missing(now) or is_missing(before):
        return None
    now, before = float(now), float(before)
    if relative:
        if before == 0:
            return None if now == 0 else "baru muncul"
        change = (now - before) / before
        if abs(change) < 0.0005:
            return "tetap"
        # Small moves keep a decimal, so "-0,3%" is not shown as no change at all.
        return ("+" if change > 0 else "") + persen(change, 1 if abs(change) < 0.01 else 0)
    diff = now - before
    return ("+" if diff > 0 else "") + angka(diff) if diff else "tetap"


def markdown_literal(value) -> str:
    """Text from data (a name, an address, a note) made safe to put inside Markdown: shown exactly as
    written, never as bold, a link, a colour, an icon or a formula ('S** H***' stays 'S** H***')."""
    # One line: a heading or a list item never breaks, whatever line breaks the file held.
    text = "-" if is_missing(value) else " ".join(str(value).splitlines())
    # A colon as an entity: Streamlit still reads a backslash-escaped ':material/x:' as an icon.
    return _MARKDOWN_SYNTAX.sub(r"\\\1", text).replace(":", "&#58;")
