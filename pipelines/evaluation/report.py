"""`python -m pipelines evaluasi`: the page's evaluation as JSON records or Indonesian text."""

from __future__ import annotations

from pipelines.evaluation import text as words
from pipelines.evaluation.programmes import Evaluation
from pipelines.formatting import angka, is_missing, persen, rupiah
from pipelines.periods import period_label


def _p(value):
    """JSON-friendly: missing -> None, numpy scalars -> Python, whole counts -> int."""
    if is_missing(value):
        return None
    if hasattr(value, "item"):
        value = value.item()
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def records(ev: Evaluation, area_name: str) -> dict:
    """Plain data for automation: one entry per programme, ranked as on the page."""
    programmes = []
    for r in ev.programmes.to_dict("records"):
        programmes.append(
            {
                "peringkat": r["peringkat"],
                "kode_program": r["kode_program"],
                "nama_program": r["nama_program"],
                "opd": r["opd"],
                "kebutuhan_dasar": r["kebutuhan_dasar"],
                "keluaran": {
                    k: _p(r[k])
                    for k in (
                        "target",
                        "realisasi",
                        "satuan",
                        "keluarga_terjangkau",
                        "keluarga_baru",
                        "anggaran",
                        "realisasi_anggaran",
                        "jumlah_kegiatan",
                        "target_tahun",
                        "realisasi_tahun",
                        "anggaran_tahun",
                        "realisasi_anggaran_tahun",
                        "serapan_anggaran",
                        "capaian",
                    )
                },
                "hasil": {
                    "indikator": r["hasil"],
                    "keterangan": words.outcome_label(r["hasil"]),
                    "kohort": [_p(r["kohort_pertama"]), _p(r["kohort_terakhir"])],
                    "penerima_baru": _p(r["penerima"]),
                    "penerima_cocok": _p(r["penerima_cocok"]),
                    "pembanding": _p(r["pembanding"]),
                    "porsi_membaik_penerima": _p(r["porsi_membaik_cocok"]),
                    "porsi_membaik_pembanding": _p(r["porsi_membaik_pembanding"]),
                    "efek": _p(r["efek"]),
                    "selang_95": [_p(r["batas_bawah"]), _p(r["batas_atas"])],
                    "status": r["status"],
                    "kalimat": r["kalimat"],
                },
                "biaya_per_keluarga_per_periode": _p(r["biaya_per_keluarga"]),
                "biaya_per_hasil": _p(r["biaya_per_hasil"]),
                "sasaran": {
                    "penerima_galat_inklusi": _p(r["penerima_galat_inklusi"]),
                    "porsi_galat_inklusi": _p(r["galat_inklusi"]),
                    "sasaran_layak": _p(r["sasaran_layak"]),
                    "belum_terjangkau": _p(r["belum_terjangkau"]),
                    "porsi_galat_eksklusi": _p(r["galat_eksklusi"]),
                },
                "kuadran": r["kuadran"],
                "kuadran_keterangan": words.quadrant_label(r["kuadran"]),
                "tindak_lanjut": r["tindak_lanjut"],
            }
        )
    others = ev.estimates.to_dict("records")
    return {
        "periode": ev.period,
        "wilayah": ev.area,
        "nama_wilayah": area_name,
        "kohort": ev.cohorts,
        "periode_capaian": ev.window,
        "capaian_keluaran": words.achievement_meaning(ev.window),
        "program": programmes,
        "semua_hasil": [{k: _p(v) for k, v in e.items()} for e in others],
    }


def lines(ev: Evaluation, area_name: str) -> list[str]:
    """The same, as text an analyst can paste into the meeting notes."""
    span = words.cohort_span(ev.cohorts[0], ev.cohorts[-1]) if ev.cohorts else "belum ada kohort"
    out = [
        f"Evaluasi program {area_name}, {period_label(ev.period)} (kohort penerima baru: {span})",
        words.achievement_meaning(ev.window),
        "",
    ]
    if ev.programmes.empty:
        return [*out, f"Belum ada data program untuk {area_name} pada {period_label(ev.period)}."]
    window = words.period_span(ev.window)
    for r in ev.programmes.to_dict("records"):
        unit = r["satuan"] or "unit"
        out += [
            f"{r['peringkat']}. {r['kode_program']}: {r['nama_program']} ({r['opd']})",
            f"   Keluaran {window}: realisasi {angka(r['realisasi_tahun'])} dari target "
            f"{angka(r['target_tahun'])} {unit} (capaian {persen(r['capaian'])}); "
            f"{angka(r['keluarga_baru_tahun'])} keluarga baru; anggaran {rupiah(r['anggaran_tahun'])}, terserap "
            f"{rupiah(r['realisasi_anggaran_tahun'])}; {angka(r['jumlah_kegiatan_tahun'])} kegiatan; "
            f"{angka(r['keluarga_terjangkau'])} keluarga terjangkau pada {period_label(ev.period)}",
            f"   Hasil ({words.outcome_label(r['hasil']).lower()}): {_effect(r)}",
            f"   Biaya per hasil: {words.cost_text(r['biaya_per_hasil'], r['hasil'])}",
            f"   Sasaran: {persen(r['galat_inklusi'])} penerima di desil 6-10 dan bukan fakir miskin "
            f"({angka(r['penerima_galat_inklusi'])} dari {angka(r['keluarga_terjangkau'])}); "
            f"{angka(r['belum_terjangkau'])} dari {angka(r['sasaran_layak'])} keluarga layak belum terjangkau "
            f"({persen(r['galat_eksklusi'])})",
            f"   {r['tindak_lanjut']}"
            if r["kuadran"] == words.NOT_JUDGED
            else f"   {words.quadrant_label(r['kuadran'])}. {r['tindak_lanjut']}",
            "",
        ]
    out.append(words.ASSOCIATION)
    return out


def _effect(r: dict) -> str:
    label = words.STATUS_LABELS.get(r["status"], r["status"])
    if r["status"] == "belum_ada":
        return f"{label}: belum ada penerima baru yang tercatat satu periode sesudah menerima"
    if r["status"] == "terlalu_kecil" or is_missing(r["efek"]):
        return f"{label} ({angka(r['penerima_cocok'])} penerima baru cocok, {angka(r['pembanding'])} pembanding)"
    sign = "+" if r["efek"] > 0 else ""
    return (
        f"{sign}{words.points(r['efek'])} poin persentase (rentang keyakinan 95%: {words.points(r['batas_bawah'])} "
        f"s.d. {words.points(r['batas_atas'])}), {angka(r['penerima_cocok'])} penerima baru, "
        f"{angka(r['pembanding'])} keluarga pembanding: {label}"
    )
