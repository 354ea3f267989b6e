"""What the Peta page shows for each area: the value in the chosen mode, the real share, the
change since the previous period, the table, and the area one level up.

A count and a share are different things: a table column called "Persen" holds the share of
the area's families whatever the map shows, and a count is never turned into a percentage.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from pipelines.domain import Kode
from pipelines.formatting import angka, persen, perubahan
from pipelines.read import indicators as ind

SHARE = "porsi"  # share of the denominator (families, toddlers...)
COUNT = "jumlah"
MODE_WORDS = {SHARE: "Persen keluarga", COUNT: "Jumlah"}


def modes(meta: ind.Indicator) -> list[str]:
    """A share only exists for an indicator with a denominator."""
    return [SHARE, COUNT] if meta.denominator else [COUNT]


def shares(rows: pd.DataFrame, meta: ind.Indicator) -> pd.Series:
    """Count over denominator; missing where the denominator is zero or the indicator has none."""
    if not meta.denominator:
        return pd.Series(np.nan, index=rows.index, dtype=float)
    denominator = rows[meta.denominator].astype(float)
    return rows[meta.key].astype(float) / denominator.where(denominator > 0)


def shown(rows: pd.DataFrame, meta: ind.Indicator, mode: str) -> pd.Series:
    """The value drawn on the map or the bars: the share, or the count itself."""
    return shares(rows, meta) if mode == SHARE else rows[meta.key].astype(float)


def formatter(mode: str):
    return persen if mode == SHARE else angka


def change_text(now, before, *, mode: str, since: str) -> str:
    """Hover line: the change since the previous period, in percentage points for shares."""
    if before is None or pd.isna(before) or pd.isna(now):
        return ""
    if mode == SHARE:
        diff = (now - before) * 100
        return f"{'+' if diff > 0 else ''}{angka(diff, 1)} poin sejak {since}"
    return f"{perubahan(now, before, relative=False)} sejak {since}"


def changes(rows: pd.DataFrame, before: pd.DataFrame, meta: ind.Indicator, mode: str, since: str | None) -> list[str]:
    """One hover line per row of `rows` (empty when there is no earlier period or area)."""
    if since is None or before.empty:
        return [""] * len(rows)
    old = dict(zip(before["kode_wilayah"], shown(before, meta, mode)))
    now = shown(rows, meta, mode)
    return [change_text(v, old.get(k), mode=mode, since=since) for k, v in zip(rows["kode_wilayah"], now)]


def share_words(meta: ind.Indicator) -> str:
    """'Persen keluarga', or the share of another denominator ('Persen dari jumlah balita')."""
    if meta.denominator == "jumlah_keluarga":
        return MODE_WORDS[SHARE]
    return f"Persen dari {ind.get(meta.denominator).label.lower()}"


def area_table(rows: pd.DataFrame, meta: ind.Indicator, mode: str) -> pd.DataFrame:
    """The table under the map and its download: the count as a count and, for an indicator with a
    denominator, the real share as text; areas in the order of the map's value, worst first."""
    rows = rows.reset_index(drop=True)
    columns = {"Wilayah": rows["nama_wilayah"], "Keluarga": rows["jumlah_keluarga"]}
    if meta.denominator not in ("", "jumlah_keluarga"):
        columns[ind.get(meta.denominator).label] = rows[meta.denominator]
    if meta.key != "jumlah_keluarga":
        columns[meta.label] = rows[meta.key]
    if meta.denominator:
        columns[share_words(meta)] = shares(rows, meta).map(persen)
    worst_first = shown(rows, meta, mode).sort_values(
        ascending=not meta.lower_is_better, na_position="last", kind="stable"
    )
    return pd.DataFrame(columns).loc[worst_first.index].reset_index(drop=True)


def parent_of(kode: str, levels: tuple[str, ...]) -> str | None:
    """The nearest area above `kode` at a level the city uses (`levels`): in a city without RW an
    RT's code keeps a placeholder RW ('64.74.01.1001.000.002') and its parent is the kelurahan."""
    parent = Kode(kode).parent_in(levels)
    return parent.text if parent else None
