"""The words of the evaluation: outcome names and plain-Indonesian verdicts a meeting can read aloud."""

from __future__ import annotations

from pipelines.domain import PROGRAMME_NEEDS
from pipelines.evaluation.stats import MIN_COMPARISON, MIN_TREATED
from pipelines.formatting import angka, is_missing, persen, rupiah
from pipelines.periods import period_label

# Outcome key -> (short label for tables and charts, what a family did, as a verb phrase).
OUTCOMES = {
    "naik_desil": ("Naik desil", "naik minimal satu desil"),
    "keluar_desil_1": ("Keluar dari desil 1", "keluar dari desil 1"),
    "keluar_fakir_miskin": ("Lepas dari fakir miskin", "lepas dari status fakir miskin"),
} | {n.outcome: (n.outcome_label, n.outcome_phrase) for n in PROGRAMME_NEEDS}
# The outcome a programme is judged on, from its catalogue category (cat_kebutuhan_dasar; the
# same mapping as eval_kebutuhan in sql/marts/50_evaluasi.sql). Others aim at welfare: a decile up.
MAIN_OUTCOME = {n.category: n.outcome for n in PROGRAMME_NEEDS}
STATUS_LABELS = {
    "positif": "Berdampak",
    "tidak_jelas": "Tidak terlihat perbedaan",
    "negatif": "Lebih buruk dari pembanding",
    "terlalu_kecil": "Pembanding terlalu kecil",
    "belum_ada": "Belum bisa diukur",
}
ASSOCIATION = "Ini keterkaitan, bukan bukti sebab-akibat."
# (output high, impact high) -> quadrant code, for programmes and kelurahan alike. Codes place and
# colour the points; the words shown are in QUADRANT_LABELS, so rewording one moves nothing.
QUADRANTS = {
    (True, True): "keluaran_tinggi_dampak_tinggi",
    (True, False): "keluaran_tinggi_dampak_rendah",
    (False, True): "keluaran_rendah_dampak_tinggi",
    (False, False): "keluaran_rendah_dampak_rendah",
}
NOT_JUDGED = "belum_dinilai"
QUADRANT_LABELS = {
    QUADRANTS[True, True]: "Keluaran tinggi, dampak tinggi",
    QUADRANTS[True, False]: "Keluaran tinggi, dampak rendah",
    QUADRANTS[False, True]: "Keluaran rendah, dampak tinggi",
    QUADRANTS[False, False]: "Keluaran rendah, dampak rendah",
    NOT_JUDGED: "Belum bisa dinilai",
}
# One-line explanations for readers who are not statisticians, shown where the terms are used.
POINTS_NOTE = "Poin persentase: selisih dua persentase; misalnya dari 12% menjadi 9% berarti turun 3 poin persentase."
INTERVAL_NOTE = (
    "Rentang keyakinan 95%: kisaran tempat selisih sebenarnya hampir pasti berada (95 dari 100 kali); "
    "makin sempit rentangnya, makin pasti angkanya."
)


def quadrant_label(code: str) -> str:
    return QUADRANT_LABELS.get(code, code)


def programme_label(name, code) -> str:
    """A programme as people know it, with its code where the name does not already carry it."""
    if is_missing(name) or not str(name).strip():
        return str(code)
    name = str(name).strip()
    return name if str(code) in name else f"{name} ({code})"


def main_outcome(category) -> str:
    return MAIN_OUTCOME.get(category if isinstance(category, str) else "", "naik_desil")


def outcome_label(key: str) -> str:
    return OUTCOMES.get(key, (key, key))[0]


def points(share) -> str:
    """A difference of shares in percentage points: 0.245 -> '24,5'."""
    return "-" if is_missing(share) else angka(float(share) * 100, 1)


def precision(lo: float, hi: float) -> str:
    """How tight the interval is, in words: half-width up to 5 points, up to 15, wider."""
    half = (hi - lo) / 2 * 100
    return "cukup tepat" if half <= 5 else "kasar" if half <= 15 else "sangat kasar"


def is_precise(lo, hi) -> bool:
    return not is_missing(lo) and not is_missing(hi) and precision(lo, hi) == "cukup tepat"


def verdict(row: dict, name: str) -> str:
    """One estimate in plain words: the size, how sure, and that it is an association."""
    verb = OUTCOMES.get(row["hasil"], ("", row["hasil"]))[1]
    status = row.get("status")
    if status == "belum_ada" or is_missing(row.get("penerima")):
        return (
            f"Hasil {name} belum bisa diukur: belum ada keluarga penerima baru yang sudah tercatat satu periode "
            "sesudah menerima."
        )
    if status == "terlalu_kecil":
        return (
            f"Kelompok pembanding terlalu kecil untuk menilai {name}: {angka(row['penerima_cocok'])} dari "
            f"{angka(row['penerima'])} keluarga penerima baru punya keluarga sebanding yang tidak menerima "
            f"({angka(row['pembanding'])} keluarga pembanding; perlu sedikitnya {MIN_TREATED} penerima dan "
            f"{MIN_COMPARISON} pembanding)."
        )
    lo, hi = row["batas_bawah"], row["batas_atas"]
    interval = f"rentang keyakinan 95%: {points(lo)} s.d. {points(hi)} poin persentase"
    basis = (
        f"perkiraan {precision(lo, hi)}, dari {angka(row['penerima_cocok'])} keluarga penerima baru dan "
        f"{angka(row['pembanding'])} keluarga pembanding"
    )
    if status == "positif":
        return (
            f"Keluarga penerima {name} {points(row['efek'])} poin persentase lebih mungkin {verb} dibanding keluarga "
            f"sebanding yang tidak menerima ({interval}; {basis}). {ASSOCIATION}"
        )
    if status == "negatif":
        return (
            f"Keluarga penerima {name} justru {points(-row['efek'])} poin persentase lebih jarang {verb} dibanding "
            f"keluarga "
            f"sebanding yang tidak menerima ({interval}; {basis}). Perlu diperiksa. {ASSOCIATION}"
        )
    return (
        f"Tidak terlihat perbedaan yang meyakinkan: {persen(row['porsi_membaik_cocok'])} keluarga penerima {name} "
        f"{verb}, keluarga sebanding yang tidak menerima {persen(row['porsi_membaik_pembanding'])} "
        f"(selisih {points(row['efek'])} poin persentase, {interval})."
    )


def period_span(periods: list[str]) -> str:
    """'Triwulan I 2025 s.d. Triwulan IV 2025', or one period's name."""
    first, last = period_label(periods[0]), period_label(periods[-1])
    return first if first == last else f"{first} s.d. {last}"


def achievement_meaning(window: list[str]) -> str:
    """What every 'capaian keluaran' on the page means, with the periods it adds up."""
    return (
        f"Capaian keluaran: realisasi {period_span(window)} dibanding target untuk periode yang sama (100% berarti "
        "sesuai target; periode tanpa target tidak ikut dihitung)."
    )


def cohort_span(first, last) -> str:
    return "belum ada kohort" if is_missing(first) else period_span([first, last])


def cost_text(value, outcome: str) -> str:
    if is_missing(value):
        return "-"
    return f"{rupiah(value)} per keluarga yang {OUTCOMES.get(outcome, ('', outcome))[1]}"


def names_list(items: list[str], limit: int = 4) -> str:
    items = [i for i in items if i]
    if len(items) > limit:
        return ", ".join(items[:limit]) + f" dan {len(items) - limit} lainnya"
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " dan " + items[-1] if items else ""


def _cost(r: dict) -> str:
    return "biaya belum diketahui" if is_missing(r["biaya_per_hasil"]) else f"{rupiah(r['biaya_per_hasil'])}/keluarga"


def _name(r: dict) -> str:
    return programme_label(r["nama_program"], r["kode_program"])


def answers(ev, area_name: str) -> list[tuple[str, str]]:
    """The meeting's questions answered in one sentence each, from an `Evaluation`: (lead, detail) pairs.

    The lead is this module's own words; the detail names programmes from uploaded files, so the
    page must show it as plain text, never as Markdown."""
    table = ev.programmes
    out = []
    good = table[table["status"] == "positif"].sort_values("biaya_per_hasil")
    welfare = good[good["hasil"] == "naik_desil"]
    needs = good[good["hasil"] != "naik_desil"]
    if len(welfare):
        parts = [f"{_name(r)} (+{points(r['efek'])} poin persentase, {_cost(r)})" for r in welfare.to_dict("records")]
        out.append(("Mengangkat keluarga naik desil:", f"{names_list(parts, 9)}."))
    else:
        out.append(("Belum ada program yang terbukti mengangkat keluarga naik desil", "pada data ini."))
    if len(needs):
        parts = [f"{_name(r)} ({outcome_label(r['hasil']).lower()}, {_cost(r)})" for r in needs.to_dict("records")]
        out.append(("Memenuhi kebutuhan dasar:", f"{names_list(parts, 9)}."))
    idle = table[table["kuadran"] == QUADRANTS[True, False]]
    if len(idle):
        parts = [
            f"{_name(r)} (capaian keluaran {persen(r['capaian'], 0)}"
            + ("" if is_precise(r["batas_bawah"], r["batas_atas"]) else ", perkiraan masih kasar")
            + ")"
            for r in idle.to_dict("records")
        ]
        out.append(("Keluaran tinggi tanpa perubahan yang terlihat:", f"{names_list(parts)}."))
    else:
        out.append(("Tidak ada program dengan keluaran tinggi tanpa perubahan yang terlihat.", ""))
    kel = ev.kelurahan
    if len(kel):
        slow = kel[kel["kuadran"] == QUADRANTS[True, False]].sort_values("keluarga_desil_1_perubahan", ascending=False)
        if len(slow):
            out.append(
                (
                    f"Keluaran tinggi, tetapi porsi keluarga desil 1 tidak turun sebanyak di {area_name}:",
                    f"{names_list(list(slow['nama_wilayah']))}.",
                )
            )
    now = ev.area_trend[ev.area_trend["periode"] == ev.period]
    if len(now):
        r = now.iloc[0]
        missed = (
            f"{angka(r['galat_eksklusi'])} keluarga layak (desil 1-4 atau fakir miskin) belum menerima program apa pun"
        )
        if r["keluarga_layak_bantuan"]:
            missed += f" ({persen(r['galat_eksklusi'] / r['keluarga_layak_bantuan'])} dari yang layak)"
        worst = table.sort_values("galat_inklusi", ascending=False).head(1)
        if len(worst) and worst.iloc[0]["galat_inklusi"] > 0:
            w = worst.iloc[0]
            missed += (
                f"; penerima paling tidak tepat sasaran: {_name(w)} "
                f"({persen(w['galat_inklusi'])} penerimanya di desil 6-10 dan bukan fakir miskin)"
            )
        out.append(("Yang terlewat:", f"{missed}."))
    unjudged = table[table["kuadran"] == NOT_JUDGED]
    if len(unjudged):
        out.append(("Belum bisa dinilai:", f"{names_list([_name(r) for r in unjudged.to_dict('records')])}."))
    return out
