"""Periods: a month ('2025-12'), a quarter ('2025-Q4') or, for area statistics, a year ('2024')."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

BULAN = (
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
)
# Month words accepted, each exactly: full names, three-letter abbreviations and the old spellings
# still in use. A word is never matched by its first letters alone ("junk" is not "Juni").
_NAMA_BULAN = (
    {b.lower(): i for i, b in enumerate(BULAN, 1)}
    | {b.lower()[:3]: i for i, b in enumerate(BULAN, 1)}
    | {"agt": 8, "ags": 8, "agus": 8, "sept": 9, "nop": 11, "nopember": 11, "peb": 2, "pebruari": 2}
)
ROMAWI = {"i": 1, "ii": 2, "iii": 3, "iv": 4}
ROMAWI_TULIS = {1: "I", 2: "II", 3: "III", 4: "IV"}

# ASCII digits only: text is NFKC-normalised first, so full-width digits become ASCII and other
# scripts' digits (which int() would also take) are refused rather than making a second spelling.
_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$", re.ASCII)
_QUARTER = re.compile(r"^(\d{4})\s*-?\s*(?:q|tw|triwulan)\s*-?\s*([1-4])$", re.ASCII)
_QUARTER_FIRST = re.compile(r"^(?:q|tw|triwulan|trw)\s*[-.]?\s*(i{1,3}|iv|[1-4])\s*[-/]?\s*(\d{4})$", re.ASCII)
_MONTH_NAME = re.compile(r"^([a-z]+)\s*[-/]?\s*(\d{4})$", re.ASCII)
_MONTH_SLASH = re.compile(r"^(\d{1,2})\s*[/.-]\s*(\d{4})$", re.ASCII)
_YEAR = re.compile(r"^(\d{4})$", re.ASCII)
# The spellings named to the user when a period is refused (README lists them under `ingest`).
ACCEPTED_FORMS = (
    "2025-12",
    "12/2025",
    "Desember 2025",
    "Des 2025",
    "2025-Q4",
    "Q4 2025",
    "TW 4 2025",
    "Triwulan IV 2025",
)


class PeriodError(ValueError):
    pass


def parse_period(value: str | None, *, allow_year: bool = False) -> tuple[str | None, str | None]:
    """(canonical period, None) or (None, reason in Indonesian)."""
    if value is None or not str(value).strip():
        return None, "periode kosong"
    text = re.sub(r"\s+", " ", unicodedata.normalize("NFKC", str(value)).strip().lower())
    if m := _MONTH.match(text):
        year, month = int(m[1]), int(m[2])
        if 1 <= month <= 12:
            return _checked(f"{year}-{month:02d}", year)
    if m := _QUARTER.match(text):
        return _checked(f"{m[1]}-Q{m[2]}", int(m[1]))
    if m := _QUARTER_FIRST.match(text):
        q = ROMAWI.get(m[1]) or int(m[1])
        return _checked(f"{m[2]}-Q{q}", int(m[2]))
    if (m := _MONTH_NAME.match(text)) and (month := _NAMA_BULAN.get(m[1])):
        return _checked(f"{m[2]}-{month:02d}", int(m[2]))
    if (m := _MONTH_SLASH.match(text)) and 1 <= int(m[1]) <= 12:
        return _checked(f"{m[2]}-{int(m[1]):02d}", int(m[2]))
    if allow_year and (m := _YEAR.match(text)):
        return _checked(m[1], int(m[1]))
    forms = (*ACCEPTED_FORMS, "2024 (tahun)") if allow_year else ACCEPTED_FORMS
    shown = str(value) if len(str(value)) <= 40 else f"{str(value)[:40]}..."
    return None, f"periode '{shown}' tidak dikenali; bentuk yang diterima: {', '.join(forms[:-1])} atau {forms[-1]}"


def _checked(period: str, year: int) -> tuple[str | None, str | None]:
    if not 2000 <= year <= 2100:
        return None, f"tahun {year} di luar rentang 2000-2100"
    return period, None


def require_period(value: str) -> str:
    """A month or quarter given on the command line or in the upload form."""
    period, problem = parse_period(value)
    if period is None:
        raise PeriodError(f"Periode tidak sah: {problem}.")
    return period


def period_bounds(period: str) -> tuple[dt.date, dt.date]:
    """First and last day of a period."""
    if m := re.fullmatch(r"(\d{4})-Q([1-4])", period):
        year, q = int(m[1]), int(m[2])
        start = dt.date(year, 3 * q - 2, 1)
        end_month = 3 * q
    elif m := re.fullmatch(r"(\d{4})-(\d{2})", period):
        year, end_month = int(m[1]), int(m[2])
        start = dt.date(year, end_month, 1)
    elif m := re.fullmatch(r"(\d{4})", period):
        year, end_month = int(m[1]), 12
        start = dt.date(year, 1, 1)
    else:
        raise PeriodError(f"Periode tidak sah: {period}")
    nxt = dt.date(year + (end_month == 12), end_month % 12 + 1, 1)
    return start, nxt - dt.timedelta(days=1)


def period_label(period: str) -> str:
    """'2025-Q4' -> 'Triwulan IV 2025'; '2025-12' -> 'Desember 2025'; '2024' -> 'Tahun 2024'."""
    if m := re.fullmatch(r"(\d{4})-Q([1-4])", period):
        return f"Triwulan {ROMAWI_TULIS[int(m[2])]} {m[1]}"
    if m := re.fullmatch(r"(\d{4})-(\d{2})", period):
        return f"{BULAN[int(m[2]) - 1]} {m[1]}"
    if re.fullmatch(r"\d{4}", period):
        return f"Tahun {period}"
    return period


def date_label(value: dt.date | dt.datetime | None) -> str:
    """'19 Desember 2025'."""
    if value is None:
        return "-"
    return f"{value.day} {BULAN[value.month - 1]} {value.year}"


def period_of_date(value: dt.date, quarterly: bool) -> str:
    if quarterly:
        return f"{value.year}-Q{(value.month - 1) // 3 + 1}"
    return f"{value.year}-{value.month:02d}"


def is_quarter(period: str) -> bool:
    return bool(re.fullmatch(r"\d{4}-Q[1-4]", period))
