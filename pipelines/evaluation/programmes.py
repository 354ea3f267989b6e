"""Programme evaluation for the coordination meeting: output -> outcome -> impact, and targeting.

One computation behind the Evaluasi page and `python -m pipelines evaluasi`: `evaluate` reads
the area's precomputed tables through the read side (sql/marts/50_evaluasi.sql) and returns
every table both show. Outcomes pool all cohorts whose "after" period is at or before the chosen
period; output achievement, impact and partner contributions cover the year up to it (`window`).
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from pipelines.access.scope import Scope
from pipelines.domain import HIGH_INCLUSION, OUTPUT_HIGH
from pipelines.evaluation import area as area_eval
from pipelines.evaluation import text
from pipelines.evaluation.area import achievement
from pipelines.evaluation.precompute import cells_upto
from pipelines.evaluation.stats import estimate, typed
from pipelines.evaluation.text import NOT_JUDGED, QUADRANTS
from pipelines.formatting import persen
from pipelines.periods import PeriodError, period_label
from pipelines.read.insights import year_before
from pipelines.read.query import LakeReader

ACTIONS = {
    QUADRANTS[True, True]: "Lanjutkan; bandingkan biaya per hasil dengan program lain.",
    QUADRANTS[False, True]: "Berdampak tetapi keluaran tertinggal: percepat penyaluran.",
    QUADRANTS[True, False]: "Keluaran tercapai tanpa perubahan yang terlihat: tinjau desain program.",
    QUADRANTS[False, False]: "Keluaran dan dampak rendah: tinjau pelaksanaan dan desain program.",
    NOT_JUDGED: "Belum bisa dinilai: target keluaran tidak dilaporkan.",
}
NOT_MEASURED = {
    "belum_ada": "Belum bisa dinilai: penerima baru belum tercatat satu periode sesudah menerima.",
    "terlalu_kecil": "Belum bisa dinilai: kelompok pembanding terlalu kecil; nilai di tingkat kota atau periode berikutnya.",
}
META = ["nama_program", "opd", "kegiatan", "kebutuhan_dasar", "indikator_keluaran", "satuan", "sasaran_desil_maks"]
SUMS = [
    "target",
    "realisasi",
    "anggaran",
    "realisasi_anggaran",
    "jumlah_kegiatan",
    "keluarga_terjangkau",
    "keluarga_baru",
    "penerima_galat_inklusi",
    "sasaran_layak",
    "sasaran_terjangkau",
]
# Added up over the page's year for the outputs tab, beside the one output achievement.
YEAR_SUMS = ["anggaran", "realisasi_anggaran", "jumlah_kegiatan", "keluarga_baru"]


@dataclass(frozen=True)
class Evaluation:
    period: str
    area: str
    base_period: str | None  # a year before (or the first period): the baseline of impact
    window: list[str]  # periods after the baseline up to `period`
    cohorts: list[str]  # cohort periods pooled in the outcome estimates
    programmes: pd.DataFrame  # one row per programme: outputs, outcome, cost, targeting, quadrant
    estimates: pd.DataFrame  # every programme and outcome estimated
    outputs: pd.DataFrame  # outputs per programme and kelurahan in `period`
    kelurahan: pd.DataFrame  # impact per kelurahan beside the outputs delivered there
    area_trend: pd.DataFrame  # the area's own indicator rows up to `period`
    programme_trend: pd.DataFrame  # targeting of each programme per period
    contributions: pd.DataFrame  # partner contributions in the window

    @property
    def empty(self) -> bool:
        return self.programmes.empty


def _sum(frame: pd.DataFrame, periods: list[str]) -> pd.DataFrame:
    rows = frame[frame["periode"].isin(periods)]
    return rows.groupby("kode_program")[SUMS].sum(min_count=1)


def _ratio(num, den):
    return num / den.where(den > 0)


def _quadrant(achievement, status) -> str:
    if status not in ("positif", "tidak_jelas", "negatif") or pd.isna(achievement):
        return NOT_JUDGED
    return QUADRANTS[achievement >= OUTPUT_HIGH, status == "positif"]


def _action(row) -> str:
    action = "Hasil penerima lebih buruk dari pembanding: periksa segera." if row["status"] == "negatif" else ""
    if row["status"] == "tidak_jelas" and not text.is_precise(row["batas_bawah"], row["batas_atas"]):
        # A wide interval around zero is missing evidence, not evidence of no effect.
        action = "Belum pasti: perkiraan masih kasar; nilai lagi setelah lebih banyak penerima tercatat."
    if row["status"] in NOT_MEASURED:
        action = NOT_MEASURED[row["status"]]
    action = action or ACTIONS[row["kuadran"]]
    if row["galat_inklusi"] >= HIGH_INCLUSION:
        action += f" Perbaiki sasaran: {persen(row['galat_inklusi'])} penerima di desil 6-10 dan bukan fakir miskin."
    return action


def programme_table(
    outputs: pd.DataFrame,
    estimates: pd.DataFrame,
    *,
    period: str,
    window: list[str],
    cohorts: list[str],
    base: str | None,
) -> pd.DataFrame:
    """Per programme: outputs in `period` and over the `window` (the `_tahun` columns and the one
    output achievement, `capaian`), its main outcome estimate, cost per outcome, targeting."""
    if outputs.empty:
        return pd.DataFrame()
    meta = outputs.sort_values("periode").groupby("kode_program")[META].last()
    now = _sum(outputs, [period])
    year = _sum(outputs, window)[YEAR_SUMS].add_suffix("_tahun")
    reached = achievement(outputs[outputs["periode"].isin(window)], ["kode_program"])
    reached = reached.rename(columns={"target": "target_tahun", "realisasi": "realisasi_tahun"})
    pooled = _sum(outputs, cohorts or [period])
    before = _sum(outputs, [base] if base else [])
    table = meta.join(now).join(year).join(reached).reset_index()
    table = table[table["kode_program"].isin(now.index)]
    table["hasil"] = table["kebutuhan_dasar"].map(text.main_outcome)
    main = estimates.set_index(["kode_program", "hasil"])
    est = main.reindex(list(zip(table["kode_program"], table["hasil"]))).reset_index(drop=True)
    table = pd.concat([table.reset_index(drop=True), est.drop(columns=["status"]), est[["status"]]], axis=1)
    table["status"] = table["status"].fillna("belum_ada")
    table["serapan_anggaran"] = _ratio(table["realisasi_anggaran_tahun"], table["anggaran_tahun"])
    by_code = table["kode_program"]
    # Spending per family reached per period of receipt, times the periods a new family received
    # until its outcome was measured, over the effect: rupiah per family whose outcome changed.
    per_family = _ratio(pooled["realisasi_anggaran"], pooled["keluarga_terjangkau"])
    table["biaya_per_keluarga"] = by_code.map(per_family)
    effective = table["status"] == "positif"
    table["biaya_per_hasil"] = (table["biaya_per_keluarga"] * table["periode_terima_rata"] / table["efek"]).where(
        effective
    )
    table["galat_inklusi"] = _ratio(table["penerima_galat_inklusi"], table["keluarga_terjangkau"]).fillna(0.0)
    table["belum_terjangkau"] = (table["sasaran_layak"] - table["sasaran_terjangkau"]).clip(lower=0)
    table["galat_eksklusi"] = _ratio(table["belum_terjangkau"], table["sasaran_layak"])
    table["galat_inklusi_lalu"] = by_code.map(_ratio(before["penerima_galat_inklusi"], before["keluarga_terjangkau"]))
    table["kuadran"] = [_quadrant(a, s) for a, s in zip(table["capaian"], table["status"])]
    table["tindak_lanjut"] = table.apply(_action, axis=1)
    table["kalimat"] = [
        text.verdict(r, text.programme_label(r["nama_program"], r["kode_program"])) for r in table.to_dict("records")
    ]
    return _rank(table)


def _rank(table: pd.DataFrame) -> pd.DataFrame:
    """Effective programmes first, cheapest outcome first; then the biggest spending without a visible change."""
    group = table["status"].map({"positif": 0, "tidak_jelas": 1, "negatif": 1}).fillna(2)
    value = table["biaya_per_hasil"].where(group == 0, -table["realisasi_anggaran"].fillna(0))
    order = pd.DataFrame({"g": group, "v": value.fillna(0), "k": table["kode_program"]}).sort_values(["g", "v", "k"])
    ranked = table.loc[order.index].reset_index(drop=True)
    return ranked.assign(peringkat=range(1, len(ranked) + 1))


def evaluate(reader: LakeReader, scope: Scope, period: str, *, area: str | None = None) -> Evaluation:
    """Everything the page and the command show for `area` (default: the scope's area) and `period`."""
    periods = reader.periods()
    if period not in periods:
        known = ", ".join(period_label(p) for p in periods)
        raise PeriodError(f"Periode {period_label(period)} tidak ada di data terbit. Periode yang tersedia: {known}.")
    area = area or scope.kode_wilayah or reader.city()[0]
    upto = periods[: periods.index(period) + 1]
    base = year_before(periods, period) or (upto[0] if len(upto) > 1 else None)
    window = upto[upto.index(base) + 1 :] if base else [period]
    # The city's and each kecamatan's estimates were computed at publish (precompute.py): the same
    # function on the same cells. Other areas, and versions published before that table, compute here.
    precomputed = reader.evaluation_results(scope, area=area, period=period)
    if precomputed is None:
        cells = cells_upto(reader.evaluation_cells(scope, area=area), periods, period)
        seen = set(cells["periode_kohort"])
        estimates = estimate(cells)
    else:
        seen = set(reader.evaluation_cohorts(scope, area=area, periods=upto))
        estimates = typed(precomputed)
    cohorts = [p for p in periods if p in seen]
    outputs = reader.programme_outputs(scope, area=area)
    outputs = outputs[outputs["periode"].isin(upto)]
    programmes = programme_table(outputs, estimates, period=period, window=window, cohorts=cohorts, base=base)
    indicators = reader.area_indicators(scope, level="kelurahan")
    inside = (indicators["kode_wilayah"] == area) | indicators["kode_wilayah"].str.startswith(area + ".")
    trend = reader.area_indicators(scope, kode=area)
    trend = trend[trend["periode"].isin(upto)]
    return Evaluation(
        period=period,
        area=area,
        base_period=base,
        window=window,
        cohorts=cohorts,
        programmes=programmes,
        estimates=estimates,
        outputs=outputs[outputs["periode"] == period].reset_index(drop=True),
        kelurahan=area_eval.kelurahan_impact(
            indicators[inside], trend, outputs, period=period, base=base, window=window
        ),
        area_trend=trend.reset_index(drop=True),
        programme_trend=area_eval.programme_targeting_trend(outputs),
        contributions=area_eval.partners(reader.contributions(scope, area=area), outputs, window=window),
    )
