"""Tables of the Evaluasi page as the meeting reads them (Indonesian numbers), and as downloaded (raw)."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from charts.evaluasi import effect_intervals, quadrant_scatter
from pipelines import evaluation_text as words
from pipelines.evaluation import Evaluation
from pipelines.evaluation_area import IMPACT, OUTPUT_HIGH
from pipelines.formatting import angka, is_missing, persen, rupiah
from pipelines.periods import period_label


def _effect(r: dict) -> str:
    if r["status"] == "belum_ada":
        return "belum bisa diukur"
    if r["status"] == "terlalu_kecil" or is_missing(r["efek"]):
        return "pembanding terlalu kecil"
    return f"{words.points(r['efek'])} ({words.points(r['batas_bawah'])} s.d. {words.points(r['batas_atas'])})"


def ranked(ev: Evaluation) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The action table: one row per programme, best value first."""
    t = ev.programmes
    raw = pd.DataFrame(
        {
            "Peringkat": t["peringkat"],
            "Program": t["kode_program"],
            "Nama program": t["nama_program"],
            "OPD": t["opd"],
            "Capaian keluaran": t["capaian_kohort"],
            "Hasil dinilai": t["hasil"].map(words.outcome_label),
            "Perubahan (poin)": t["efek"] * 100,
            "Batas bawah (poin)": t["batas_bawah"] * 100,
            "Batas atas (poin)": t["batas_atas"] * 100,
            "Penerima baru dinilai": t["penerima_cocok"],
            "Keluarga pembanding": t["pembanding"],
            "Biaya per hasil (Rp)": t["biaya_per_hasil"],
            "Penerima tak tepat sasaran": t["galat_inklusi"],
            "Kuadran": t["kuadran"],
            "Tindak lanjut": t["tindak_lanjut"],
        }
    )
    records = t.to_dict("records")
    shown = pd.DataFrame(
        {
            "#": t["peringkat"].astype(str),
            "Program": t["kode_program"],
            "Capaian keluaran": t["capaian_kohort"].map(lambda v: persen(v, 0)),
            "Hasil dinilai": raw["Hasil dinilai"],
            "Perubahan, poin (selang 95%)": [_effect(r) for r in records],
            "Biaya per hasil": t["biaya_per_hasil"].map(lambda v: "tidak dihitung" if is_missing(v) else rupiah(v)),
            "Tak tepat sasaran": t["galat_inklusi"].map(lambda v: persen(v, 0)),
            "Tindak lanjut": t["tindak_lanjut"],
        }
    )
    return shown, raw


def estimates(ev: Evaluation) -> pd.DataFrame:
    """Every outcome measured for every programme (the main one and the welfare ones)."""
    names = dict(zip(ev.programmes["kode_program"], ev.programmes["nama_program"]))
    e = ev.estimates
    return pd.DataFrame(
        {
            "Program": e["kode_program"],
            "Hasil": e["hasil"].map(words.outcome_label),
            "Penerima baru": e["penerima"].map(angka),
            "Membaik (penerima)": e["porsi_membaik_cocok"].map(persen),
            "Membaik (pembanding)": e["porsi_membaik_pembanding"].map(persen),
            "Perubahan, poin (selang 95%)": [_effect(r) for r in e.to_dict("records")],
            "Keluarga pembanding": e["pembanding"].map(angka),
            "Penilaian": e["status"].map(words.STATUS_LABELS),
            "Nama program": e["kode_program"].map(names),
        }
    )


def kelurahan(ev: Evaluation) -> pd.DataFrame:
    k = ev.kelurahan.sort_values("penurunan_desil_1")
    table = {
        "Kelurahan": k["nama_wilayah"],
        "Capaian keluaran": k["capaian_keluaran"].map(lambda v: persen(v, 0)),
        "Anggaran terserap": k["realisasi_anggaran"].map(rupiah),
        "Keluarga baru terjangkau": k["keluarga_baru"].map(angka),
        "Desil 1 kini": k["keluarga_desil_1"].map(persen),
    }
    for key, label in IMPACT.items():
        table[f"Perubahan {label.lower()} (poin)"] = k[f"{key}_perubahan"].map(_signed)
    table["Kuadran"] = k["kuadran"]
    return pd.DataFrame(table)


def _signed(v) -> str:
    if is_missing(v):
        return "-"
    return "0,0" if round(v, 1) == 0 else ("+" if v > 0 else "") + angka(v, 1)


def targeting_programmes(ev: Evaluation) -> pd.DataFrame:
    t = ev.programmes.sort_values("galat_inklusi", ascending=False)
    since = period_label(ev.base_period) if ev.base_period else "awal data"
    return pd.DataFrame(
        {
            "Program": t["kode_program"],
            "Penerima": t["keluarga_terjangkau"].map(angka),
            "Tak tepat sasaran": [
                f"{angka(n)} ({persen(r, 0)})" for n, r in zip(t["penerima_galat_inklusi"], t["galat_inklusi"])
            ],
            f"Tak tepat sasaran {since}": t["galat_inklusi_lalu"].map(lambda v: persen(v, 0)),
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


def outputs(ev: Evaluation) -> pd.DataFrame:
    t = ev.programmes.sort_values(["opd", "kode_program"])
    return pd.DataFrame(
        {
            "OPD": t["opd"],
            "Program": t["kode_program"],
            "Keluaran": [
                f"{angka(r)} / {angka(g)} {u or ''}" for r, g, u in zip(t["realisasi"], t["target"], t["satuan"])
            ],
            "Capaian": t["capaian"].map(lambda v: persen(v, 0)),
            "Keluarga terjangkau": t["keluarga_terjangkau"].map(angka),
            "Keluarga baru": t["keluarga_baru"].map(angka),
            "Anggaran": t["anggaran"].map(rupiah),
            "Terserap": t["realisasi_anggaran"].map(rupiah),
            "Kegiatan": t["jumlah_kegiatan"].map(angka),
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


def _in_points(ev: Evaluation) -> pd.DataFrame:
    t = ev.programmes
    return t.assign(
        efek_poin=t["efek"] * 100,
        bawah=t["batas_bawah"] * 100,
        atas=t["batas_atas"] * 100,
        label=t["kode_program"] + " (" + t["hasil"].map(words.outcome_label).str.lower() + ")",
    )


def programme_quadrant(ev: Evaluation) -> go.Figure:
    """Programmes that can be judged: output achievement against the effect with its interval."""
    judged = _in_points(ev)
    return quadrant_scatter(
        judged[judged["kuadran"] != words.NOT_JUDGED],
        x_col="capaian_kohort",
        y_col="efek_poin",
        label_col="kode_program",
        x_threshold=OUTPUT_HIGH,
        y_threshold=0,
        x_title="Capaian target keluaran",
        y_title="Selisih peluang membaik vs keluarga sebanding (poin)",
        hover_col="kalimat",
        error=("bawah", "atas"),
    )


def effects(ev: Evaluation) -> go.Figure:
    return effect_intervals(_in_points(ev), label_col="label")


def kelurahan_quadrant(ev: Evaluation, *, since: str, reference: float) -> go.Figure:
    """Only kelurahan that need attention are named on the chart; every point names itself on hover."""
    k = ev.kelurahan
    named = k.assign(label=k["nama_wilayah"].where(k["kuadran"] != words.QUADRANTS[True, True], ""))
    return quadrant_scatter(
        named,
        x_col="capaian_keluaran",
        y_col="penurunan_desil_1",
        label_col="label",
        x_threshold=OUTPUT_HIGH,
        y_threshold=reference,
        x_title="Capaian target keluaran semua program (bobot anggaran)",
        y_title=f"Penurunan porsi desil 1 sejak {since} (poin)",
        hover_col="nama_wilayah",
    )
