"""Tables and charts of the Evaluasi page as the meeting reads them (Indonesian numbers, programme names),
and as downloaded (raw). Programme and OPD names come from uploaded files: in `st.table`, whose cells
are Markdown, they are written literally.

`page` derives everything the page shows of one area and period, the same for every user who may see
that area: ui/data.evaluation_page builds it once per scope and caches it, each session only draws it."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd
import plotly.graph_objects as go

from charts.batang import ranked_bars
from charts.evaluasi import effect_intervals, error_trend, output_and_impact, row_label
from pipelines.domain import OUTPUT_HIGH
from pipelines.evaluation import text as words
from pipelines.evaluation.area import IMPACT, area_change
from pipelines.evaluation.programmes import Evaluation
from pipelines.formatting import angka, is_missing, markdown_literal, persen, rupiah
from pipelines.periods import period_label

EFFECT_HEADER = "Selisih membaik dibanding pembanding, poin persentase (rentang keyakinan 95%)"
DESIL_1_CHANGE = f"Perubahan porsi {IMPACT['keluarga_desil_1']}"


def _names(t: pd.DataFrame) -> list[str]:
    return [words.programme_label(n, c) for n, c in zip(t["nama_program"], t["kode_program"])]


def _percent(v) -> str:
    return persen(v, 0)


def signed(v) -> str:
    """A change in percentage points as the table and the chart both write it: '+3,0', '-1,2', '0,0'."""
    if is_missing(v):
        return "-"
    return "0,0" if round(v, 1) == 0 else ("+" if v > 0 else "") + angka(v, 1)


def _effect(r: dict) -> str:
    if r["status"] == "belum_ada":
        return "belum bisa diukur"
    if r["status"] == "terlalu_kecil" or is_missing(r["efek"]):
        return "pembanding terlalu kecil"
    return f"{words.points(r['efek'])} ({words.points(r['batas_bawah'])} s.d. {words.points(r['batas_atas'])})"


def ranked(ev: Evaluation) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The action table: one row per programme, best value first."""
    t = ev.programmes
    names = _names(t)
    raw = pd.DataFrame(
        {
            "Peringkat": t["peringkat"],
            "Program": t["kode_program"],
            "Nama program": t["nama_program"],
            "OPD": t["opd"],
            "Capaian keluaran": t["capaian"],
            "Hasil dinilai": t["hasil"].map(words.outcome_label),
            "Selisih (poin persentase)": t["efek"] * 100,
            "Batas bawah (poin persentase)": t["batas_bawah"] * 100,
            "Batas atas (poin persentase)": t["batas_atas"] * 100,
            "Penerima baru dinilai": t["penerima_cocok"],
            "Keluarga pembanding": t["pembanding"],
            "Biaya per hasil (Rp)": t["biaya_per_hasil"],
            "Penerima tak tepat sasaran": t["galat_inklusi"],
            "Kuadran": t["kuadran"].map(words.quadrant_label),
            "Tindak lanjut": t["tindak_lanjut"],
        }
    )
    records = t.to_dict("records")
    shown = pd.DataFrame(
        {
            "#": t["peringkat"].astype(str),
            "Program": [markdown_literal(n) for n in names],
            "Capaian keluaran": t["capaian"].map(_percent),
            "Hasil dinilai": raw["Hasil dinilai"],
            EFFECT_HEADER: [_effect(r) for r in records],
            "Biaya per hasil": t["biaya_per_hasil"].map(lambda v: "tidak dihitung" if is_missing(v) else rupiah(v)),
            "Tak tepat sasaran": t["galat_inklusi"].map(_percent),
            "Tindak lanjut": t["tindak_lanjut"],
        }
    )
    return shown, raw


def estimates(ev: Evaluation) -> pd.DataFrame:
    """Every outcome measured for every programme (the main one and the welfare ones)."""
    names = dict(zip(ev.programmes["kode_program"], _names(ev.programmes)))
    e = ev.estimates
    return pd.DataFrame(
        {
            "Program": e["kode_program"].map(lambda c: names.get(c, c)),
            "Hasil": e["hasil"].map(words.outcome_label),
            "Penerima baru": e["penerima"].map(angka),
            "Membaik (penerima)": e["porsi_membaik_cocok"].map(persen),
            "Membaik (pembanding)": e["porsi_membaik_pembanding"].map(persen),
            EFFECT_HEADER: [_effect(r) for r in e.to_dict("records")],
            "Keluarga pembanding": e["pembanding"].map(angka),
            "Penilaian": e["status"].map(words.STATUS_LABELS),
        }
    )


def _kelurahan_rows(ev: Evaluation) -> pd.DataFrame:
    """Worst change in the desil-1 share first, in the table and the chart alike."""
    return ev.kelurahan.sort_values(["keluarga_desil_1_perubahan", "nama_wilayah"], ascending=[False, True])


def kelurahan(ev: Evaluation) -> pd.DataFrame:
    k = _kelurahan_rows(ev)
    table = {
        "Kelurahan": k["nama_wilayah"],
        "Capaian keluaran": k["capaian_keluaran"].map(_percent),
        "Anggaran terserap": k["realisasi_anggaran"].map(rupiah),
        "Keluarga baru terjangkau": k["keluarga_baru"].map(angka),
        f"Porsi desil 1, {period_label(ev.period)}": k["keluarga_desil_1"].map(persen),
    }
    for key, label in IMPACT.items():
        table[f"Perubahan porsi {label} (poin persentase)"] = k[f"{key}_perubahan"].map(signed)
    table["Kuadran"] = k["kuadran"].map(words.quadrant_label)
    return pd.DataFrame(table)


def targeting_programmes(ev: Evaluation) -> pd.DataFrame:
    t = ev.programmes.sort_values("galat_inklusi", ascending=False)
    since = period_label(ev.base_period) if ev.base_period else "awal data"
    return pd.DataFrame(
        {
            "Program": _names(t),
            "Penerima": t["keluarga_terjangkau"].map(angka),
            "Tak tepat sasaran": [
                f"{angka(n)} ({persen(r, 0)})" for n, r in zip(t["penerima_galat_inklusi"], t["galat_inklusi"])
            ],
            f"Tak tepat sasaran {since}": t["galat_inklusi_lalu"].map(_percent),
            "Keluarga layak sasaran": t["sasaran_layak"].map(angka),
            "Belum terjangkau": [
                f"{angka(n)} ({persen(r, 0)})" for n, r in zip(t["belum_terjangkau"], t["galat_eksklusi"])
            ],
        }
    )


def targeting_kelurahan(ev: Evaluation) -> pd.DataFrame:
    k = ev.kelurahan.sort_values("porsi_galat_eksklusi", ascending=False)
    return pd.DataFrame(
        {
            "Kelurahan": k["nama_wilayah"],
            "Layak, tak menerima apa pun": [
                f"{angka(n)} ({persen(r, 0)})" for n, r in zip(k["galat_eksklusi"], k["porsi_galat_eksklusi"])
            ],
            "Menerima, tak layak": [
                f"{angka(n)} ({persen(r, 0)})" for n, r in zip(k["galat_inklusi"], k["porsi_galat_inklusi"])
            ],
        }
    )


def error_rates(ev: Evaluation) -> pd.DataFrame:
    t = ev.area_trend.sort_values("periode")
    return pd.DataFrame(
        {
            "periode_label": t["periode"].map(period_label),
            "eksklusi": t["galat_eksklusi"] / t["keluarga_layak_bantuan"].where(t["keluarga_layak_bantuan"] > 0),
            "inklusi": t["galat_inklusi"] / t["keluarga_penerima_program"].where(t["keluarga_penerima_program"] > 0),
        }
    )


def inclusion_bars(ev: Evaluation) -> pd.DataFrame:
    """Programmes named for the ranked bars of recipients outside the target group."""
    return ev.programmes.assign(nama=[row_label(n, width=64) for n in _names(ev.programmes)])


def outputs(ev: Evaluation) -> pd.DataFrame:
    """Outputs over the page's year, with the same achievement as the ranked table."""
    t = ev.programmes.sort_values(["opd", "kode_program"])
    units = t["satuan"].fillna("")
    return pd.DataFrame(
        {
            "OPD": t["opd"].map(markdown_literal),
            "Program": [markdown_literal(n) for n in _names(t)],
            "Keluaran (realisasi / target)": [
                markdown_literal(f"{angka(r)} / {angka(g)} {u}".strip())
                for r, g, u in zip(t["realisasi_tahun"], t["target_tahun"], units)
            ],
            "Capaian keluaran": t["capaian"].map(_percent),
            "Anggaran": t["anggaran_tahun"].map(rupiah),
            "Terserap": t["realisasi_anggaran_tahun"].map(rupiah),
            "Kegiatan": t["jumlah_kegiatan_tahun"].map(angka),
            "Keluarga baru": t["keluarga_baru_tahun"].map(angka),
            f"Keluarga terjangkau {period_label(ev.period)}": t["keluarga_terjangkau"].map(angka),
        }
    )


def partners(ev: Evaluation) -> pd.DataFrame:
    p = ev.contributions
    return pd.DataFrame(
        {
            "Pelaku": p["jenis"],
            "Nama": p["pelaku"],
            "Kegiatan": p["kegiatan"].map(angka),
            "Peserta / keluarga baru": p["peserta"].map(angka),
            "Rupiah": p["rupiah"].map(rupiah),
            "Penerima manfaat": p["penerima_manfaat"].map(angka),
        }
    )


def programme_chart(ev: Evaluation) -> go.Figure:
    """Each programme read across: output achievement, then the effect with its interval."""
    t = ev.programmes
    rows = t.assign(
        label=[row_label(n) for n in _names(t)],
        efek_poin=t["efek"] * 100,
        bawah=t["batas_bawah"] * 100,
        atas=t["batas_atas"] * 100,
    )
    return output_and_impact(
        rows,
        label_col="label",
        output_col="capaian",
        impact_col="efek_poin",
        interval=("bawah", "atas"),
        labels=words.QUADRANT_LABELS,
        output_title="Capaian keluaran",
        impact_title="Selisih peluang membaik dibanding keluarga sebanding<br>(poin persentase, rentang keyakinan 95%)",
        output_threshold=OUTPUT_HIGH,
        impact_reference=0.0,
        reference_note="0 = sama dengan pembanding",
        output_text=_percent,
        impact_text=lambda v: "-" if is_missing(v) else words.points(v / 100),
        key_col="kode_program",
    )


def effects(ev: Evaluation) -> go.Figure:
    t = ev.programmes
    label = [
        row_label(n, width=44) + "<br><i>" + row_label(words.outcome_label(h).lower(), width=44) + "</i>"
        for n, h in zip(_names(t), t["hasil"])
    ]
    return effect_intervals(
        t.assign(label=label),
        label_col="label",
        x_title="Selisih peluang membaik dibanding keluarga sebanding (poin persentase)",
    )


def kelurahan_chart(ev: Evaluation, *, since: str, reference: float, area_name: str) -> go.Figure:
    """The kelurahan table's own rows and numbers: achievement, and the change in the desil-1 share."""
    k = _kelurahan_rows(ev)
    return output_and_impact(
        k,
        label_col="nama_wilayah",
        output_col="capaian_keluaran",
        impact_col="keluarga_desil_1_perubahan",
        labels=words.QUADRANT_LABELS,
        output_title="Capaian keluaran semua program<br>(ditimbang anggaran)",
        impact_title=f"{DESIL_1_CHANGE} sejak {since}<br>(poin persentase; minus berarti membaik)",
        output_threshold=OUTPUT_HIGH,
        impact_reference=reference,
        reference_note=f"{area_name}: {signed(reference)}",
        output_text=_percent,
        impact_text=signed,
        key_col="kode_wilayah",
    )


# Raw output rows as downloaded: the lake's columns under the words the page uses.
DOWNLOAD_COLUMNS = {
    "periode": "Periode",
    "kode_program": "Kode program",
    "nama_program": "Nama program",
    "opd": "OPD",
    "kode_kecamatan": "Kode kecamatan",
    "kode_kelurahan": "Kode kelurahan",
    "target": "Target",
    "realisasi": "Realisasi",
    "satuan": "Satuan",
    "anggaran": "Anggaran (Rp)",
    "realisasi_anggaran": "Anggaran terserap (Rp)",
    "jumlah_kegiatan": "Kegiatan",
    "keluarga_terjangkau": "Keluarga terjangkau",
    "keluarga_baru": "Keluarga baru",
    "penerima_galat_inklusi": "Penerima di desil 6-10 dan bukan fakir miskin",
    "sasaran_layak": "Keluarga layak sasaran",
    "sasaran_terjangkau": "Keluarga layak sasaran yang terjangkau",
}


def outputs_download(ev: Evaluation) -> pd.DataFrame:
    """Outputs per programme and kelurahan in the period, as reported and reached."""
    columns = [c for c in DOWNLOAD_COLUMNS if c in ev.outputs.columns]
    return ev.outputs[columns].rename(columns=DOWNLOAD_COLUMNS)


def error_chart(ev: Evaluation, area_name: str) -> go.Figure:
    return error_trend(error_rates(ev), title=f"Salah sasaran di {area_name}, semua program")


def inclusion_chart(ev: Evaluation) -> go.Figure:
    return ranked_bars(
        inclusion_bars(ev),
        value_col="galat_inklusi",
        label_col="nama",
        fmt=lambda v: persen(v, 0),
        title=f"Penerima di desil 6-10 dan bukan fakir miskin, per program ({period_label(ev.period)})",
    )


@dataclass(frozen=True)
class Page:
    """What the Evaluasi page shows of one area and period, derived once for everybody with that scope.

    Figures are kept as plotly's own dictionaries (`Figure.to_dict()` of a built, validated figure), small
    to cache and copy; `figure` makes each session its own Figure from one without validating it again."""

    empty: bool
    window: list[str] = field(default_factory=list)
    cohorts: list[str] = field(default_factory=list)
    base_period: str | None = None
    answers: list[tuple[str, str]] = field(default_factory=list)
    sentences: list[str] = field(default_factory=list)  # one verdict per programme, ranked
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)
    figures: dict[str, dict] = field(default_factory=dict)
    reference: float | None = None  # the area's own change in the desil-1 share; None: no kelurahan view


def page(ev: Evaluation, area_name: str) -> Page:
    """Every answer, table and figure of the page for `ev`, the evaluation of an area named `area_name`."""
    if ev.empty:
        return Page(empty=True)
    shown, raw = ranked(ev)
    tables = {
        "ranked": shown,
        "ranked_raw": raw,
        "estimates": estimates(ev),
        "targeting_programmes": targeting_programmes(ev),
        "targeting_kelurahan": targeting_kelurahan(ev),
        "outputs": outputs(ev),
        "partners": partners(ev),
        "outputs_download": outputs_download(ev),
    }
    figures = {
        "programmes": programme_chart(ev),
        "effects": effects(ev),
        "errors": error_chart(ev, area_name),
        "inclusion": inclusion_chart(ev),
    }
    reference = None
    if not ev.kelurahan.empty and ev.base_period is not None:
        reference = area_change(ev.area_trend, period=ev.period, base=ev.base_period) or 0.0
        since = period_label(ev.base_period)
        figures["kelurahan"] = kelurahan_chart(ev, since=since, reference=reference, area_name=area_name)
        tables["kelurahan"] = kelurahan(ev)
    return Page(
        empty=False,
        window=list(ev.window),
        cohorts=list(ev.cohorts),
        base_period=ev.base_period,
        answers=words.answers(ev, area_name),
        sentences=list(ev.programmes["kalimat"]),
        tables=tables,
        figures={name: fig.to_dict() for name, fig in figures.items()},
        reference=reference,
    )


def figure(spec: dict) -> go.Figure:
    """A figure from `Page.figures`: built and validated once already, so not validated again (that
    costs as much as building it)."""
    return go.Figure(spec, _validate=False)
