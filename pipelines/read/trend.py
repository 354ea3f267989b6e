"""Rules of the trend page: shares over periods, the sentence on the change, its table, and the
ranking of sub-areas. Streamlit-free, so each rule is tested as data."""

from __future__ import annotations

import pandas as pd

from pipelines.formatting import angka, persen
from pipelines.periods import period_label
from pipelines.read import indicators as ind

# Up to this many sub-areas each gets its own small chart. Beyond it the panels are too small
# to read on a projector and the browser lays out one pair of axes per panel (73 RT of a Bontang
# kelurahan took 9.6 s in Chromium), so the page draws the worst and best as lines over all the
# others in one figure and ranks every sub-area in a table.
SMALL_MULTIPLES_MAX = 12
# Worst and best sub-areas drawn as named lines in that one figure.
HIGHLIGHTED = 3

# What the count of an indicator counts follows from what its share is taken of.
UNIT_OF_DENOMINATOR = {
    "jumlah_keluarga": "keluarga",
    "keluarga_layak_bantuan": "keluarga",
    "keluarga_penerima_program": "keluarga",
    "jumlah_balita": "balita",
    "jumlah_jiwa": "jiwa",
}
# A sub-area level as a noun in a sentence ("Setiap RT").
LEVEL_NOUN = {"kecamatan": "kecamatan", "kelurahan": "kelurahan", "rw": "RW", "rt": "RT"}
NO_DATA = "belum ada data"


def count_unit(key: str) -> str:
    """'keluarga', 'balita' or 'jiwa': what one unit of the indicator's count is."""
    return UNIT_OF_DENOMINATOR[ind.get(key).denominator]


def shares(rows: pd.DataFrame, key: str, periods: list[str]) -> pd.DataFrame:
    """Rows in period order with `porsi` (count / denominator) and `periode_label`.

    Where the denominator is missing (no member list for that period, so no children counted)
    the count is missing too: the lake writes 0 stunted children there, which is not a finding."""
    base = ind.get(key).denominator
    order = {p: i for i, p in enumerate(periods)}
    rows = rows[rows["periode"].isin(order)].sort_values("periode", key=lambda s: s.map(order), kind="stable")
    denominator = rows[base].astype("Float64").astype(float)
    count = rows[key].astype("Float64").astype(float).where(denominator.notna())
    return rows.assign(
        **{key: count, base: denominator},
        porsi=count / denominator.where(denominator > 0),
        periode_label=rows["periode"].map(period_label),
    )


def _runs(labels: list[str], missing: list[bool]) -> str:
    """Missing periods as 'Triwulan I 2024 sampai Triwulan III 2025 dan Triwulan IV 2025'."""
    runs, start = [], None
    for i, gone in enumerate([*missing, False]):
        if gone and start is None:
            start = i
        elif not gone and start is not None:
            runs.append(labels[start] if i - 1 == start else f"{labels[start]} sampai {labels[i - 1]}")
            start = None
    return runs[0] if len(runs) == 1 else ", ".join(runs[:-1]) + " dan " + runs[-1]


def change_sentence(rows: pd.DataFrame, key: str, area_name: str) -> str:
    """The change from the first to the last period with data, in the indicator's own unit; periods
    without data are named as such, never written as 0."""
    meta, unit = ind.get(key), count_unit(key)
    known = rows[rows["porsi"].notna()]
    if known.empty:
        return f"{meta.label} di {area_name}: {NO_DATA} pada periode mana pun."

    def value(r) -> str:
        return f"{persen(r['porsi'])} ({angka(r[key])} {unit})"

    first, last = known.iloc[0], known.iloc[-1]
    if len(known) == 1:
        text = f"{meta.label} di {area_name} pada {last['periode_label']}: {value(last)}."
    else:
        # Compared as shown (one decimal), so '4,2%' to '4,2%' reads as unchanged.
        before, now = round(first["porsi"] * 1000), round(last["porsi"] * 1000)
        word = "naik" if now > before else "turun" if now < before else "tetap"
        text = (
            f"Dari {first['periode_label']} ke {last['periode_label']}, {meta.label.lower()} di {area_name} "
            f"{word} dari {value(first)} menjadi {value(last)}."
        )
    missing = rows["porsi"].isna().tolist()
    if any(missing):
        text += f" {_runs(rows['periode_label'].tolist(), missing)}: {NO_DATA}."
    return text


def trend_table(series: list[tuple[str, pd.DataFrame]], key: str) -> pd.DataFrame:
    """Area, period, denominator, count and share of every line on the chart (raw numbers, missing
    as empty: the download keeps them so; the page writes them the Indonesian way)."""
    meta = ind.get(key)
    table = pd.concat([rows.assign(wilayah=name) for name, rows in series], ignore_index=True)
    return table[["wilayah", "periode_label", meta.denominator, key, "porsi"]].rename(
        columns={
            "wilayah": "Wilayah",
            "periode_label": "Periode",
            meta.denominator: ind.get(meta.denominator).label,
            key: meta.label,
            "porsi": "Porsi",
        }
    )


def ranking(rows: pd.DataFrame, key: str, period: str) -> pd.DataFrame:
    """Sub-areas at `period`, worst first (highest share where lower is better), those without data
    last; with the share of the period before and the change in percentage points."""
    meta = ind.get(key)
    periods = list(dict.fromkeys(rows["periode"]))
    previous = periods[periods.index(period) - 1] if period in periods and periods.index(period) > 0 else None
    now = rows[rows["periode"] == period].set_index("kode_wilayah")
    before = rows[rows["periode"] == previous].set_index("kode_wilayah")["porsi"] if previous else None
    out = now[["nama_wilayah", meta.denominator, key, "porsi"]].assign(
        porsi_sebelumnya=before.reindex(now.index) if before is not None else float("nan")
    )
    out = out.assign(perubahan=out["porsi"] - out["porsi_sebelumnya"])
    # Among equal shares the larger area first: 0% of 300 families says more than 0% of 5.
    out = out.sort_values(
        ["porsi", meta.denominator, "nama_wilayah"],
        ascending=[not meta.lower_is_better, False, True],
        na_position="last",
        kind="stable",
    )
    return out.reset_index().assign(periode_sebelumnya=previous)


def worst_and_best(ranked: pd.DataFrame, key: str, n: int = HIGHLIGHTED) -> tuple[list[str], list[str]]:
    """Codes of the `n` worst and the `n` best sub-areas with data (never the same area twice); among
    equal shares the larger area is named."""
    meta = ind.get(key)
    known = ranked[ranked["porsi"].notna()]
    worst = known["kode_wilayah"].tolist()[:n]
    best_first = known.sort_values(["porsi", meta.denominator], ascending=[meta.lower_is_better, False], kind="stable")
    best = [k for k in best_first["kode_wilayah"] if k not in worst][:n]
    return worst, best


def points(change) -> str:
    """A change of share as '+1,2 poin' / '-0,5 poin' / 'tetap' / '-'."""
    if pd.isna(change):
        return "-"
    value = round(float(change) * 100, 1)
    return "tetap" if value == 0 else ("+" if value > 0 else "") + angka(value, 1) + " poin"


def ranking_table(ranked: pd.DataFrame, key: str) -> pd.DataFrame:
    """The ranking as the page shows it: rank, name, share, count, denominator and the change."""
    meta = ind.get(key)
    previous = ranked["periode_sebelumnya"].iloc[0] if len(ranked) else None
    change = f"Perubahan sejak {period_label(previous)}" if previous else "Perubahan"
    known = ranked["porsi"].notna()
    return pd.DataFrame(
        {
            "Peringkat": [str(i + 1) if k else "-" for i, k in enumerate(known)],
            "Wilayah": ranked["nama_wilayah"].astype(str),
            "Porsi": ranked["porsi"].map(persen),
            meta.label: ranked[key].map(angka),
            ind.get(meta.denominator).label: ranked[meta.denominator].map(angka),
            change: ranked["perubahan"].map(points),
        }
    )
