"""Vulnerable-group lenses of one area: each group of pipelines/domain.py GROUPS as families (and
persons) in the period, their share and the change since the previous period, in plain Indonesian.

Pure functions over an area's rows of the `indikator` table, like pipelines/read/insights.py."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from pipelines.domain import GROUPS, VulnerableGroup
from pipelines.formatting import angka, is_missing, persen, perubahan
from pipelines.ingestion.contracts import STATIC_CONTRACTS
from pipelines.read import indicators as ind
from pipelines.read.insights import previous_period

NO_DATA = "Belum ada data"


@dataclass(frozen=True)
class Lens:
    group: VulnerableGroup
    families: float | None  # None: the member list does not say (never uploaded for the period)
    share: float | None  # of the families a member list was uploaded for
    change_prev: str | None  # families, relative to the previous period
    persons: float | None
    person_share: float | None

    @property
    def missing(self) -> bool:
        return self.families is None


def _value(row: dict | None, key: str | None) -> float | None:
    value = row.get(key) if row and key else None
    return None if is_missing(value) else float(value)


def lenses(trend: pd.DataFrame, period: str, periods: list[str]) -> list[Lens]:
    """Every group for one area (its rows over all periods) in `period`."""

    def row(p: str | None) -> dict | None:
        rows = trend[trend["periode"] == p] if p else trend.iloc[0:0]
        return rows.iloc[0].to_dict() if len(rows) else None

    now, before = row(period), row(previous_period(periods, period))
    out = []
    for g in GROUPS:
        families, persons = _value(now, g.indicator), _value(now, g.person_indicator)
        out.append(
            Lens(
                g,
                families,
                ind.share(now, g.indicator) if now and families is not None else None,
                perubahan(families, _value(before, g.indicator)),
                persons,
                ind.share(now, g.person_indicator) if now and persons is not None else None,
            )
        )
    return out


def table(items: list[Lens], prev_label: str | None) -> pd.DataFrame:
    """The Ringkasan table: one row per group, every cell text; a group without data says so."""
    change = f"Perubahan sejak {prev_label}" if prev_label else "Perubahan"
    rows = []
    for lens in items:
        if lens.missing:
            rows.append({"Kelompok": lens.group.label, "Keluarga": NO_DATA, "Porsi": "", change: "", "Jiwa": ""})
            continue
        persons = "" if lens.persons is None else f"{angka(lens.persons)} ({persen(lens.person_share)})"
        rows.append(
            {
                "Kelompok": lens.group.label,
                "Keluarga": angka(lens.families),
                "Porsi": persen(lens.share),
                # The previous period's member list did not say (or there is none): nothing to compare.
                change: lens.change_prev or "belum ada pembanding",
                "Jiwa": persons,
            }
        )
    return pd.DataFrame(rows, columns=["Kelompok", "Keluarga", "Porsi", change, "Jiwa"])


def note(items: list[Lens], row: dict) -> str:
    """What the shares are shares of, or which upload brings the groups when none has data."""
    contract = STATIC_CONTRACTS["anggota"]
    if all(lens.missing for lens in items):
        columns = sorted({c for g in GROUPS for c in g.inputs}, key=contract.names.index)
        labels = [contract.column(c).label for c in columns]
        return (
            f"{NO_DATA}: kelompok rentan diisi dari unggahan {contract.label} untuk periode ini "
            f"(kolom {', '.join(labels[:-1])} dan {labels[-1]})."
        )
    known, families = row.get("keluarga_data_anggota"), row.get("jumlah_keluarga")
    text = (
        f"Porsi dihitung dari {angka(known)} dari {angka(families)} keluarga yang daftar anggotanya sudah "
        "diunggah; jiwa dari anggota yang tercatat."
    )
    if any(lens.missing for lens in items):
        text += f" {NO_DATA}: kolomnya belum ada di {contract.label} yang diunggah."
    return text
