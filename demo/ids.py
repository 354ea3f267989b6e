"""Valid-looking NIK and No KK, and the ways real exports break them.

Both are 16 digits: a 6-digit region code (province, city, kecamatan), a date DDMMYY
(birth date for a NIK, with 40 added to the day for women; issue date for a No KK) and a
4-digit serial. Serials count up within each region and date, as Dukcapil issues them,
so every generated ID is unique by construction.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

EPOCH = dt.date(1900, 1, 1)
# Kecamatan-level region codes of places many residents were born or first registered.
ELSEWHERE = {
    "61.71": [610101, 610203, 611201, 617201, 610705, 327301, 337401, 357801, 352601, 352701, 737101, 730801],
    "64.74": [647101, 647201, 640201, 737101, 731301, 730801, 357801, 337401, 630101, 530101, 731801],
}


def days(value: dt.date) -> int:
    return (value - EPOCH).days


def _ymd(day_numbers: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    d = (np.datetime64(EPOCH.isoformat()) + day_numbers.astype("timedelta64[D]")).astype("datetime64[D]")
    years = d.astype("datetime64[Y]").astype(int) + 1970
    months = d.astype("datetime64[M]").astype(int) % 12 + 1
    dom = (d - d.astype("datetime64[M]")).astype(int) + 1
    return years, months, dom


def compose(region: np.ndarray, day_numbers: np.ndarray, female: np.ndarray | None = None) -> np.ndarray:
    """16-digit IDs as int64; the serial is the rank within (region, date[, sex]) plus one."""
    years, months, dom = _ymd(day_numbers)
    if female is not None:
        dom = dom + 40 * female
    date_part = dom * 10_000 + months * 100 + years % 100
    stem = region.astype(np.int64) * 1_000_000 + date_part
    order = np.argsort(stem, kind="stable")
    sorted_stem = stem[order]
    starts = np.r_[0, np.flatnonzero(np.diff(sorted_stem)) + 1]
    run_start = np.repeat(starts, np.diff(np.r_[starts, len(stem)]))
    serial = np.empty(len(stem), np.int64)
    serial[order] = np.arange(len(stem)) - run_start + 1
    if serial.max(initial=0) > 9999:
        raise ValueError("serial NIK/KK melebihi 9999")
    return stem * 10_000 + serial


def as_text(ids: np.ndarray) -> pa.Array:
    return pc.cast(pa.array(ids, pa.int64()), pa.string())


def corrupt(ids: pa.Array, rows: np.ndarray, rng: np.random.Generator, *, is_nik: bool) -> pa.Array:
    """Break the IDs at `rows` the way typing and spreadsheets do; never into another valid ID."""
    values = ids.to_numpy(zero_copy_only=False).copy()
    kinds = rng.integers(0, 5, len(rows))
    for row, kind in zip(rows, kinds):
        v = values[row]
        if v is None:
            continue
        if kind == 0:
            v = v[:7] + v[8:]  # a digit dropped: 15 digits
        elif kind == 1:
            v = v[:10] + "O" + v[11:]  # letter O typed for zero
        elif kind == 2:
            v = f"{v[0]},{v[1:6]}E+15"  # Excel scientific notation pasted back as text
        elif kind == 3:
            v = v + str(rng.integers(0, 10))  # a digit too many
        else:
            # Day 00 in a NIK birth date or month 13 in a KK issue date: the date part is impossible.
            v = v[:6] + ("00" + v[8:] if is_nik else v[6:8] + "13" + v[10:])
        values[row] = v
    return pa.array(values, pa.string())


def excel_number(ids: pa.Array) -> list[float | str | None]:
    """What Excel keeps of a 16-digit ID typed as a number: 15 significant digits (IDs already
    broken otherwise stay as they are)."""
    return [float(f"{int(v):.14e}") if v and v.isdigit() else v for v in ids.to_pylist()]
