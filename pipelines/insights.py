"""What changed, where, and what needs attention: the overview in plain Indonesian.

Pure functions over rows of the `indikator` table (as read through the read side), so
the sentences a deputy mayor reads are tested like any other output.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pandas as pd

from pipelines import indicators as ind
from pipelines.formatting import angka, is_missing, persen, perubahan
from pipelines.periods import period_bounds, period_label

# The indicator that ranks areas by how poor they are: families in desil 1.
RANK_KEY = "keluarga_desil_1"
# A share must move by at least this much (0.1 percentage point) to count as a change.
MIN_SHARE_CHANGE = 0.001
# Areas this small are too noisy for warnings about trends.
MIN_FAMILIES_FOR_TREND = 20
# Programmes below this share of their output target are late.
LATE_PROGRAMME = 0.8


def previous_period(periods: list[str], period: str) -> str | None:
    i = periods.index(period) if period in periods else -1
    return periods[i - 1] if i > 0 else None


def year_before(periods: list[str], period: str) -> str | None:
    if m := re.fullmatch(r"(\d{4})-(Q[1-4]|\d{2})", period):
        candidate = f"{int(m[1]) - 1}-{m[2]}"
        return candidate if candidate in periods else None
    return None


@dataclass(frozen=True)
class Headline:
    key: str
    label: str
    description: str
    value: float | None
    share: float | None
    change_prev: str | None
    change_year: str | None
    worse: bool | None  # True when it moved the wrong way since the previous period


def _row(trend: pd.DataFrame, period: str | None) -> dict | None:
    if period is None:
        return None
    rows = trend[trend["periode"] == period]
    return rows.iloc[0].to_dict() if len(rows) else None


def headlines(trend: pd.DataFrame, period: str, periods: list[str]) -> list[Headline]:
    """Headline figures of one area (its rows over all periods) for `period`."""
    now = _row(trend, period)
    prev = _row(trend, previous_period(periods, period))
    year = _row(trend, year_before(periods, period))
    out = []
    for meta in ind.HEADLINE:
        value = now.get(meta.key) if now else None
        before = prev.get(meta.key) if prev else None
        worse = None
        if not is_missing(value) and not is_missing(before) and value != before:
            worse = (value > before) == meta.lower_is_better
        out.append(
            Headline(
                key=meta.key,
                label=meta.label,
                description=meta.description,
                value=value,
                share=ind.share(now, meta.key) if now else None,
                change_prev=perubahan(value, before),
                change_year=perubahan(value, year.get(meta.key) if year else None),
                worse=worse,
            )
        )
    return out


def sub_area_changes(children: pd.DataFrame, period: str, periods: list[str], key: str = RANK_KEY) -> pd.DataFrame:
    """Per sub-area: the indicator now and one period before, as count and share."""
    prev = previous_period(periods, period)
    denominator = ind.get(key).denominator or "jumlah_keluarga"
    cols = ["kode_wilayah", "nama_wilayah", key, denominator]
    now = children[children["periode"] == period][cols]
    before = children[children["periode"] == prev][["kode_wilayah", key, denominator]] if prev else None
    table = now.rename(columns={key: "nilai", denominator: "basis"})
    table["porsi"] = table["nilai"] / table["basis"].where(table["basis"] > 0)
    if before is not None and len(before):
        before = before.rename(columns={key: "nilai_lalu", denominator: "basis_lalu"})
        table = table.merge(before, on="kode_wilayah", how="left")
        table["porsi_lalu"] = table["nilai_lalu"] / table["basis_lalu"].where(table["basis_lalu"] > 0)
    else:
        table["nilai_lalu"] = table["porsi_lalu"] = float("nan")
    table["selisih_porsi"] = table["porsi"] - table["porsi_lalu"]
    return table.sort_values("porsi", ascending=False).reset_index(drop=True)


def _names(items: list[str], limit: int = 4) -> str:
    shown = items[:limit]
    more = len(items) - len(shown)
    text = shown[0] if len(shown) == 1 else ", ".join(shown[:-1]) + " dan " + shown[-1]
    return text + (f" (dan {more} lainnya)" if more else "")


def narrative(
    area_name: str, period: str, periods: list[str], heads: list[Headline], changes: pd.DataFrame, child_word: str
) -> list[str]:
    """A few sentences: what changed since the previous period, where, and where it is worst."""
    prev = previous_period(periods, period)
    lines = []
    main = {h.key: h for h in heads}
    d1 = main.get(RANK_KEY)
    if d1 is not None and not is_missing(d1.value):
        text = f"{area_name} mencatat {angka(d1.value)} keluarga desil 1 ({persen(d1.share)} dari semua keluarga) pada {period_label(period)}"
        if prev and d1.change_prev and d1.change_prev not in ("tetap", "baru muncul"):
            verb = "naik" if d1.change_prev.startswith("+") else "turun"
            text += f"; {verb} {d1.change_prev.lstrip('+-')} sejak {period_label(prev)}"
        elif prev and d1.change_prev == "tetap":
            text += f"; tidak berubah sejak {period_label(prev)}"
        lines.append(text + ".")
    if len(changes) and changes["selisih_porsi"].notna().any():
        up = changes[changes["selisih_porsi"] > MIN_SHARE_CHANGE].sort_values("selisih_porsi", ascending=False)
        down = changes[changes["selisih_porsi"] < -MIN_SHARE_CHANGE].sort_values("selisih_porsi")
        if len(up):
            lines.append(f"Porsi keluarga desil 1 naik di {len(up)} {child_word}: {_names(list(up['nama_wilayah']))}.")
        if len(down):
            lines.append(
                f"Turun di {len(down)} {child_word}, paling banyak di {_names(list(down['nama_wilayah']), 3)}."
            )
    if len(changes):
        worst = changes.iloc[0]
        if not is_missing(worst["porsi"]):
            lines.append(f"Paling berat: {worst['nama_wilayah']} ({persen(worst['porsi'])} keluarga desil 1).")
    worse = [
        f"{h.label.lower()} ({'naik' if h.change_prev.startswith('+') else 'turun'} {h.change_prev.lstrip('+-')})"
        for h in heads
        if h.worse and h.key != RANK_KEY and h.change_prev
    ]
    if worse:
        lines.append(f"Memburuk sejak periode lalu: {_names(worse, 5)}.")
    return lines


@dataclass(frozen=True)
class Warning:
    kind: str  # 'memburuk', 'data_lama', 'program_terlambat'
    kode: str
    nama: str
    text: str


def worsening(children: pd.DataFrame, period: str, periods: list[str], key: str = RANK_KEY) -> list[Warning]:
    """Sub-areas whose share got worse in each of the last two periods."""
    p1 = previous_period(periods, period)
    p2 = previous_period(periods, p1) if p1 else None
    if not p2:
        return []
    meta = ind.get(key)
    pivot = children[children["periode"].isin([p2, p1, period])].copy()
    pivot["porsi"] = pivot[key] / pivot[meta.denominator].where(pivot[meta.denominator] > 0)
    wide = pivot.pivot_table(index=["kode_wilayah", "nama_wilayah"], columns="periode", values="porsi")
    size = pivot[pivot["periode"] == period].set_index("kode_wilayah")["jumlah_keluarga"]
    out = []
    for (kode, nama), row in wide.iterrows():
        if size.get(kode, 0) < MIN_FAMILIES_FOR_TREND or row.isna().any():
            continue
        a, b, c = row[p2], row[p1], row[period]
        sign = 1 if meta.lower_is_better else -1
        if sign * (b - a) > MIN_SHARE_CHANGE and sign * (c - b) > MIN_SHARE_CHANGE:
            out.append(
                Warning(
                    "memburuk",
                    kode,
                    nama,
                    f"{nama}: {meta.label.lower()} memburuk dua periode berturut-turut "
                    f"({persen(a)} → {persen(b)} → {persen(c)}).",
                )
            )
    return out


def stale_data(quality: pd.DataFrame, period: str) -> list[Warning]:
    """Kelurahan whose family data were last updated before the period began (or never)."""
    start, _ = period_bounds(period)
    rows = quality[quality["periode"] == period]
    out = []
    for r in rows.itertuples():
        last = r.terakhir_diperbarui
        if is_missing(last):
            out.append(
                Warning(
                    "data_lama",
                    r.kode_kelurahan,
                    r.nama_kelurahan,
                    f"{r.nama_kelurahan}: belum ada data keluarga untuk {period_label(period)}.",
                )
            )
        elif pd.Timestamp(last).date() < start:
            out.append(
                Warning(
                    "data_lama",
                    r.kode_kelurahan,
                    r.nama_kelurahan,
                    f"{r.nama_kelurahan}: data terakhir diperbarui {pd.Timestamp(last).strftime('%d/%m/%Y')}, "
                    f"sebelum {period_label(period)} dimulai.",
                )
            )
    return out


def late_programmes(programmes: pd.DataFrame, period: str) -> list[Warning]:
    """Programmes whose realised output is below LATE_PROGRAMME of target in the period."""
    rows = programmes[(programmes["periode"] == period) & programmes["capaian"].notna()]
    out = []
    for r in rows[rows["capaian"] < LATE_PROGRAMME].sort_values("capaian").itertuples():
        out.append(
            Warning(
                "program_terlambat",
                r.kode_program,
                r.nama_program,
                f"{r.nama_program} ({r.opd}): capaian keluaran {persen(r.capaian, 0)} dari target "
                f"({angka(r.realisasi)} dari {angka(r.target)} {r.satuan or ''})".rstrip()
                + ".",
            )
        )
    return out
