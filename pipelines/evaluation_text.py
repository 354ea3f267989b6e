"""The words of the evaluation: outcome names and plain-Indonesian verdicts a meeting can read aloud."""

from __future__ import annotations

from pipelines.evaluation_stats import MIN_COMPARISON, MIN_TREATED
from pipelines.formatting import angka, is_missing, persen, rupiah
from pipelines.periods import period_label

# Outcome key -> (short label for tables and charts, what a family did, as a verb phrase).
OUTCOMES = {
    "naik_desil": ("Naik desil", "naik minimal satu desil"),
    "keluar_desil_1": ("Keluar dari desil 1", "keluar dari desil 1"),
    "keluar_fakir_miskin": ("Lepas dari fakir miskin", "lepas dari status fakir miskin"),
    "rtlh": ("Rumah jadi layak huni", "tidak lagi tinggal di rumah tidak layak huni"),
    "air": ("Air minum jadi layak", "beralih ke air minum layak"),
    "sanitasi": ("Sanitasi jadi layak", "memiliki sanitasi layak"),
    "jaminan_kesehatan": ("Punya jaminan kesehatan", "memiliki jaminan kesehatan"),
    "rawan_pangan": ("Lepas dari rawan pangan", "lepas dari rawan pangan"),
}
# The outcome a programme is judged on, from its catalogue category (cat_kebutuhan_dasar; the
# same mapping as eval_kebutuhan in sql/marts/50_evaluasi.sql). Others aim at welfare: a decile up.
MAIN_OUTCOME = {
    "rumah": "rtlh",
    "air": "air",
    "sanitasi": "sanitasi",
    "kesehatan": "jaminan_kesehatan",
    "pangan": "rawan_pangan",
}
STATUS_LABELS = {
    "positif": "Berdampak",
    "tidak_jelas": "Tidak terlihat perbedaan",
    "negatif": "Lebih buruk dari pembanding",
    "terlalu_kecil": "Pembanding terlalu kecil",
    "belum_ada": "Belum bisa diukur",
}
ASSOCIATION = "Ini keterkaitan, bukan bukti sebab-akibat."
# (output high, impact high) -> quadrant name, for programmes and kelurahan alike.
QUADRANTS = {
    (True, True): "Output tinggi, dampak tinggi",
    (True, False): "Output tinggi, dampak rendah",
    (False, True): "Output rendah, dampak tinggi",
    (False, False): "Output rendah, dampak rendah",
}
NOT_JUDGED = "Belum bisa dinilai"


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
    interval = f"selang kepercayaan 95%: {points(lo)} s.d. {points(hi)} poin"
    basis = (
        f"perkiraan {precision(lo, hi)}, dari {angka(row['penerima_cocok'])} keluarga penerima baru dan "
        f"{angka(row['pembanding'])} keluarga pembanding"
    )
    if status == "positif":
        return (
            f"Keluarga penerima {name} {points(row['efek'])} poin lebih mungkin {verb} dibanding keluarga "
            f"sebanding yang tidak menerima ({interval}; {basis}). {ASSOCIATION}"
        )
    if status == "negatif":
        return (
            f"Keluarga penerima {name} justru {points(-row['efek'])} poin lebih jarang {verb} dibanding keluarga "
            f"sebanding yang tidak menerima ({interval}; {basis}). Perlu diperiksa. {ASSOCIATION}"
        )
    return (
        f"Tidak terlihat perbedaan yang meyakinkan: {persen(row['porsi_membaik_cocok'])} keluarga penerima {name} "
        f"{verb}, keluarga sebanding yang tidak menerima {persen(row['porsi_membaik_pembanding'])} "
        f"(selisih {points(row['efek'])} poin, {interval})."
    )


def cohort_span(first, last) -> str:
    if is_missing(first):
        return "belum ada kohort"
    return period_label(first) if first == last else f"{period_label(first)} s.d. {period_label(last)}"


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


def answers(ev, area_name: str) -> list[str]:
    """The meeting's four questions answered in one sentence each, from an `Evaluation`."""
    table = ev.programmes
    out = []
    good = table[table["status"] == "positif"].sort_values("biaya_per_hasil")
    welfare = good[good["hasil"] == "naik_desil"]
    needs = good[good["hasil"] != "naik_desil"]
    if len(welfare):
        parts = [f"{r['kode_program']} (+{points(r['efek'])} poin, {_cost(r)})" for r in welfare.to_dict("records")]
        out.append(f"**Mengangkat keluarga naik desil:** {names_list(parts, 9)}.")
    else:
        out.append("**Belum ada program yang terbukti mengangkat keluarga naik desil** pada data ini.")
    if len(needs):
        parts = [
            f"{r['kode_program']} ({outcome_label(r['hasil']).lower()}, {_cost(r)})" for r in needs.to_dict("records")
        ]
        out.append(f"**Memenuhi kebutuhan dasar:** {names_list(parts, 9)}.")
    idle = table[table["kuadran"] == QUADRANTS[True, False]]
    if len(idle):
        parts = [
            f"{r['kode_program']} (capaian {persen(r['capaian_kohort'], 0)}"
            + ("" if is_precise(r["batas_bawah"], r["batas_atas"]) else ", perkiraan masih kasar")
            + ")"
            for r in idle.to_dict("records")
        ]
        out.append(f"**Keluaran tinggi tanpa perubahan yang terlihat:** {names_list(parts)}.")
    else:
        out.append("**Tidak ada program dengan keluaran tinggi tanpa perubahan yang terlihat.**")
    kel = ev.kelurahan
    if len(kel):
        slow = kel[kel["kuadran"] == QUADRANTS[True, False]].sort_values("penurunan_desil_1")
        if len(slow):
            out.append(
                f"**Keluaran tinggi, desil 1 turun lebih lambat dari {area_name}:** "
                f"{names_list(list(slow['nama_wilayah']))}."
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
                f"; penerima paling tidak tepat sasaran: {w['kode_program']} "
                f"({persen(w['galat_inklusi'])} penerimanya di desil 6-10 dan bukan fakir miskin)"
            )
        out.append(f"**Yang terlewat:** {missed}.")
    unjudged = table[table["kuadran"] == NOT_JUDGED]
    if len(unjudged):
        out.append(f"**Belum bisa dinilai:** {names_list(list(unjudged['kode_program']))}.")
    return out
