"""Official area figures (BPS, Kemenkes) drawn beside a dashboard indicator as a reference.

A published figure (table `statistik_wilayah`, uploaded as `indikator_wilayah`) is a reference for
an indicator only when it measures the same thing in a comparable unit: the poverty rate beside the
share of poor families, stunting prevalence beside the share of stunted children. A count (7.110
poor persons) is never drawn against a share. A figure covers the periods of the dashboard that
fall in its own period: an annual Susenas rate spans the four quarters of its year.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pandas as pd

from pipelines.formatting import is_missing, persen
from pipelines.periods import PeriodError, period_bounds, period_label


@dataclass(frozen=True)
class Rule:
    """Which official figures may stand beside an indicator."""

    name: re.Pattern  # matched against the official indicator name, case-insensitive
    exclude: re.Pattern | None  # names that match `name` but measure something else
    unit: str  # normalised unit the figure must have


_POVERTY_RATE = Rule(
    re.compile(r"penduduk miskin|kemiskinan|\bp0\b", re.I),
    # Extreme poverty, the poverty line and the depth/severity indices are other measures.
    re.compile(r"ekstrem|garis|kedalaman|keparahan|\bp[12]\b", re.I),
    "persen",
)
_STUNTING = Rule(re.compile(r"stunting", re.I), None, "persen")

# Dashboard indicator -> rule. Family-list shares sit beside the BPS poverty rate (a share of
# persons): the two differ in what they count, so the page compares direction, not level.
RULES: dict[str, Rule] = {
    "keluarga_desil_1": _POVERTY_RATE,
    "keluarga_desil_1_4": _POVERTY_RATE,
    "keluarga_fakir_miskin": _POVERTY_RATE,
    "balita_stunting": _STUNTING,
}

# Unit spellings seen in statistics files, by normalised unit.
_UNITS = {
    "persen": {"persen", "%", "percent", "persentase", "pct", "prosen"},
    "jiwa": {"jiwa", "orang", "persons", "penduduk"},
}
# Names that say the figure is a percentage when the file leaves the unit empty.
_PERCENT_NAME = re.compile(r"persentase|prevalensi|\(%\)|\bpersen\b", re.I)


def unit_of(name: str, unit) -> str | None:
    """The normalised unit of an official figure; without a stated unit, only a name that says it
    is a percentage counts as one (anything else stays unknown and is never drawn)."""
    text = "" if is_missing(unit) else str(unit).strip().lower()
    if text:
        return next((key for key, spellings in _UNITS.items() if text in spellings), text)
    return "persen" if _PERCENT_NAME.search(str(name)) else None


def matching(stats: pd.DataFrame, indicator: str) -> pd.DataFrame:
    """Rows of `stats` (indikator, nilai, satuan, ...) that are a reference for `indicator`."""
    rule = RULES.get(indicator)
    if rule is None or stats.empty:
        return stats.iloc[0:0]
    names = stats["indikator"].astype(str)
    units = [unit_of(n, u) for n, u in zip(names, stats.get("satuan", pd.Series(None, index=stats.index)))]
    keep = names.str.contains(rule.name) & (pd.Series(units, index=stats.index) == rule.unit)
    if rule.exclude is not None:
        keep &= ~names.str.contains(rule.exclude)
    rows = stats[keep]
    # A percentage outside 0-100 is a mislabelled count: never drawn as a share.
    return rows[rows["nilai"].between(0, 100)]


def _covered(official: str, periods: list[str]) -> list[str]:
    """Dashboard periods that overlap an official figure's own period ('2024', '2025-05', '2024-Q1')."""
    try:
        start, end = period_bounds(str(official))
    except PeriodError:
        return []
    out = []
    for p in periods:
        p_start, p_end = period_bounds(p)
        if p_start <= end and start <= p_end:
            out.append(p)
    return out


def series(stats: pd.DataFrame, indicator: str, periods: list[str], area_names: dict[str, str]) -> pd.DataFrame:
    """Reference points over the dashboard's periods, one row per (series, period):

    seri (legend name), segmen (one official figure: its periods form one flat segment), periode,
    periode_label, nilai (share 0-1), acuan (the figure's own period, e.g. 'Tahun 2024'), sumber.
    Where two figures of one series cover the same period (two months in one quarter), the later
    one stands.
    """
    columns = ["seri", "segmen", "periode", "periode_label", "nilai", "acuan", "sumber"]
    rows = matching(stats, indicator)
    order = {p: i for i, p in enumerate(periods)}
    out = []
    for (name, kode), group in rows.groupby(["indikator", "kode_wilayah"], sort=True):
        label = f"{name}, {area_names.get(kode, kode)}"
        taken: dict[str, dict] = {}
        for r in group.sort_values("periode").to_dict("records"):
            for p in _covered(r["periode"], periods):
                taken[p] = {
                    "seri": label,
                    "segmen": f"{label}|{r['periode']}",
                    "periode": p,
                    "periode_label": period_label(p),
                    "nilai": float(r["nilai"]) / 100,
                    "acuan": period_label(str(r["periode"])),
                    "sumber": "" if is_missing(r.get("sumber")) else str(r["sumber"]),
                }
        out += sorted(taken.values(), key=lambda v: order[v["periode"]])
    return pd.DataFrame(out, columns=columns)


def figures(refs: pd.DataFrame) -> pd.DataFrame:
    """The official figures behind the reference lines, one row each, with their source."""
    rows = refs.drop_duplicates("segmen")
    return pd.DataFrame(
        {
            "Angka resmi": rows["seri"],
            "Periode": rows["acuan"],
            "Nilai": rows["nilai"].map(persen),
            "Sumber": rows["sumber"],
        }
    )
