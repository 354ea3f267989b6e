"""What changed, where, and what needs attention: the overview in plain Indonesian.

Pure functions over rows of the `indikator` table (as read through the read side), so
the sentences a deputy mayor reads are tested like any other output.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pandas as pd

from pipelines.domain import GROUPS, LATE_PROGRAMME, NEEDS, Kode
from pipelines.formatting import angka, is_missing, persen, perubahan, tanggal
from pipelines.ingestion.contracts import STATIC_CONTRACTS
from pipelines.periods import period_bounds, period_label
from pipelines.read import indicators as ind

# The indicator that ranks areas by how poor they are: families in desil 1.
RANK_KEY = "keluarga_desil_1"
# A share must move by at least this much (0.1 percentage point) to count as a change.
MIN_SHARE_CHANGE = 0.001
# Areas this small are too noisy for warnings about trends.
MIN_FAMILIES_FOR_TREND = 20


def previous_period(periods: list[str], period: str) -> str | None:
    i = periods.index(period) if period in periods else -1
    return periods[i - 1] if i > 0 else None


def year_before(periods: list[str], period: str) -> str | None:
    if m := re.fullmatch(r"(\d{4})-(Q[1-4]|\d{2})", period):
        candidate = f"{int(m[1]) - 1}-{m[2]}"
        return candidate if candidate in periods else None
    return None


# The upload and columns that fill each headline figure, so a figure without data can say which
# file brings it (a column never uploaded is published as NULL, not 0: sql/marts/30_indikator.sql).
FILLED_BY: dict[str, tuple[str, tuple[str, ...]]] = {
    "keluarga_desil_1": ("keluarga", ("desil",)),
    "keluarga_desil_1_4": ("keluarga", ("desil",)),
    "keluarga_fakir_miskin": ("verval", ()),
    "keluarga_penerima_program": ("penerima", ()),
} | {n.indicator: ("keluarga", n.inputs) for n in NEEDS}
FILLED_BY |= {key: ("anggota", g.inputs) for g in GROUPS for key in (g.indicator, g.person_indicator) if key}


def filled_by(key: str) -> str | None:
    """Which upload brings an indicator, in the words of the upload page."""
    if key not in FILLED_BY:
        return None
    source, columns = FILLED_BY[key]
    if source == "verval":  # its columns are the criteria of the city's rule set
        return "diisi dari unggahan Verifikasi-validasi lapangan (verval), kolom kriteria fakir miskin"
    contract = STATIC_CONTRACTS[source]
    text = f"diisi dari unggahan {contract.label}"
    if columns:
        labels = [contract.column(c).label for c in columns]
        text += ", kolom " + (f"{', '.join(labels[:-1])} atau {labels[-1]}" if len(labels) > 1 else labels[0])
    return text


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
    filled_by: str | None = None  # set when there is no data: which upload brings it

    @property
    def missing(self) -> bool:
        return is_missing(self.value)


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
        missing = is_missing(value)
        worse = None
        if not missing and not is_missing(before) and value != before:
            worse = (value > before) == meta.lower_is_better
        out.append(
            Headline(
                key=meta.key,
                label=meta.label,
                description=meta.description,
                value=None if missing else value,
                share=ind.share(now, meta.key) if now and not missing else None,
                change_prev=perubahan(value, before),
                change_year=perubahan(value, year.get(meta.key) if year else None),
                worse=worse,
                filled_by=filled_by(meta.key) if missing else None,
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


def _stale(rows: pd.DataFrame, period: str, kode: str, nama: str) -> list[Warning]:
    start, _ = period_bounds(period)
    out = []
    for r in rows[rows["periode"] == period].to_dict("records"):
        last = r["terakhir_diperbarui"]
        if is_missing(last):
            text = f"{r[nama]}: belum ada data keluarga untuk {period_label(period)}."
        elif pd.Timestamp(last).date() < start:
            text = f"{r[nama]}: data terakhir diperbarui {tanggal(pd.Timestamp(last).date())}, sebelum {period_label(period)} dimulai."
        else:
            continue
        out.append(Warning("data_lama", r[kode], r[nama], text))
    return out


def stale_data(quality: pd.DataFrame, period: str) -> list[Warning]:
    """Kelurahan whose family data were last updated before the period began (or never)."""
    return _stale(quality, period, "kode_kelurahan", "nama_kelurahan")


def stale_sub_areas(rows: pd.DataFrame, period: str) -> list[Warning]:
    """RW or RT (rows of the `indikator` table) whose families were last updated before the period began."""
    return _stale(rows, period, "kode_wilayah", "nama_wilayah")


def kelurahan_of(kode: str) -> str | None:
    """The kelurahan an area lies in (itself for a kelurahan); None for the city or a kecamatan."""
    kelurahan = Kode(kode).kelurahan
    return kelurahan.text if kelurahan else None


def within(rows: pd.DataFrame, kode: str) -> pd.DataFrame:
    """Rows of the `indikator` table for an area and the areas below it."""
    codes = rows["kode_wilayah"]
    return rows[(codes == kode) | codes.str.startswith(kode + ".")]


def quality_in_area(quality: pd.DataFrame, kode: str) -> pd.DataFrame:
    """Quality rows of the kelurahan inside an area; for an RW or RT, of the kelurahan it lies in."""
    kelurahan = kelurahan_of(kode)
    if kelurahan:
        return quality[quality["kode_kelurahan"] == kelurahan]
    if Kode(kode).level == "kecamatan":
        return quality[quality["kode_kecamatan"] == kode]
    return quality


def late_programmes(programmes: pd.DataFrame, period: str, where: str | None = None) -> list[Warning]:
    """Programmes whose realised output is below LATE_PROGRAMME of target in the period.

    `programmes` holds the outputs reported for one area (`where`, named in the text when it is
    not the whole city) and the families the programme reached there."""
    rows = programmes[(programmes["periode"] == period) & programmes["capaian"].notna()]
    out = []
    for r in rows[rows["capaian"] < LATE_PROGRAMME].sort_values("capaian").to_dict("records"):
        text = (
            f"{r['nama_program']} ({r['opd']}){' di ' + where if where else ''}: capaian keluaran "
            f"{persen(r['capaian'], 0)} dari target ({angka(r['realisasi'])} dari {angka(r['target'])} "
            f"{r['satuan'] or ''}".rstrip()
            + ")"
        )
        if not is_missing(reached := r.get("keluarga_terjangkau")):
            text += f"; {angka(reached)} keluarga terjangkau"
        out.append(Warning("program_terlambat", r["kode_program"], r["nama_program"], text + "."))
    return out


def early_warnings(
    level: str,
    period: str,
    periods: list[str],
    *,
    watched: pd.DataFrame,
    quality: pd.DataFrame,
    rt_rows: pd.DataFrame,
    programmes: pd.DataFrame,
    programme_place: str | None,
) -> list[Warning]:
    """The early warnings of one area, from its own rows only.

    `watched`: the sub-areas whose trend is watched (kelurahan from the city or a kecamatan, RW or
    RT below); `quality`: its kelurahan (`quality_in_area`); `rt_rows`: its RT; `programmes`: outputs
    reported in it, named `programme_place` (None for the whole city)."""
    out = worsening(watched, period, periods) if len(watched) else []
    # A kelurahan that was not refreshed at all is one warning, not one per RT.
    stale = stale_data(quality, period) if level in ("kota", "kecamatan", "kelurahan") else []
    if level not in ("kota", "kecamatan") and not stale:
        stale = stale_sub_areas(rt_rows, period)
    return out + stale + late_programmes(programmes, period, programme_place)


def watch_note(level: str, area_name: str, watched_word: str, period: str, programme_place: str) -> str:
    """What the early warnings of an area look at, in one sentence."""
    label = period_label(period)
    clauses = []
    if watched_word:
        clauses.append(
            f"{watched_word} di {area_name} yang porsi keluarga desil 1-nya memburuk dua periode berturut-turut"
        )
    fresh = {
        "kota": f"kelurahan di {area_name} yang datanya belum diperbarui untuk {label}",
        "kecamatan": f"kelurahan di {area_name} yang datanya belum diperbarui untuk {label}",
        "kelurahan": f"data {area_name} dan RT-nya yang belum diperbarui untuk {label}",
        "rw": f"RT di {area_name} yang datanya belum diperbarui untuk {label}",
    }
    clauses.append(fresh.get(level, f"data {area_name} yang belum diperbarui untuk {label}"))
    clauses.append(f"program yang keluarannya di {programme_place} di bawah {persen(LATE_PROGRAMME, 0)} target")
    return f"Dipantau untuk {area_name}: {', '.join(clauses[:-1])}, dan {clauses[-1]}."
