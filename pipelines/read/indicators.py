"""What each area indicator means, for the pages and exports.

The family-level definitions (what counts as RTLH, unimproved water, an exclusion
error...) and their sources live in sql/marts/definisi.sql; the counts are made in
sql/marts/30_indikator.sql. This registry only names and describes the columns of
the published `indikator` table. A test checks both stay in step.
"""

from __future__ import annotations

from dataclasses import dataclass

from pipelines.domain import GROUPS


@dataclass(frozen=True)
class Indicator:
    key: str  # column in the `indikator` table
    label: str  # short name on a page
    description: str  # one sentence a deputy mayor understands
    lower_is_better: bool = True
    # Share denominator: column the count is divided by ("" = not a share).
    denominator: str = "jumlah_keluarga"
    headline: bool = False  # shown on the overview's headline cards
    source: str = ""


INDICATORS: tuple[Indicator, ...] = (
    Indicator(
        "keluarga_desil_1",
        "Keluarga desil 1",
        "Keluarga di 10% termiskin nasional (DTSEN desil 1): sasaran penghapusan kemiskinan ekstrem.",
        headline=True,
        source="DTSEN (Inpres 4/2025)",
    ),
    Indicator(
        "keluarga_desil_1_4",
        "Keluarga desil 1-4",
        "Keluarga di 40% terbawah (desil 1-4), rentang sasaran PKH.",
        headline=True,
        source="DTSEN",
    ),
    Indicator(
        "keluarga_fakir_miskin",
        "Keluarga fakir miskin",
        "Keluarga dengan sedikitnya satu anggota memenuhi kriteria fakir miskin pada verval terakhir.",
        headline=True,
        source="Kepmensos 262/HUK/2022",
    ),
    Indicator(
        "keluarga_rtlh",
        "Rumah tidak layak huni",
        "Keluarga yang rumahnya berlantai tanah/bambu, berdinding "
        "atau beratap tidak layak, atau kurang dari 7,2 m2 per orang.",
        headline=True,
        source="BPS; PUPR",
    ),
    Indicator(
        "keluarga_tanpa_air_layak",
        "Tanpa air minum layak",
        "Keluarga yang minum dari sumur/mata air tak terlindung, sungai atau sumber lain yang tidak layak.",
        headline=True,
        source="BPS",
    ),
    Indicator(
        "keluarga_tanpa_sanitasi_layak",
        "Tanpa sanitasi layak",
        "Keluarga tanpa jamban, memakai jamban umum, atau membuang tinja ke sungai/lubang tanah.",
        headline=True,
        source="BPS",
    ),
    Indicator(
        "keluarga_tanpa_jaminan_kesehatan",
        "Tanpa jaminan kesehatan",
        "Keluarga yang tidak terdaftar JKN (PBI maupun mandiri).",
        headline=True,
        source="Perpres 82/2018",
    ),
    Indicator(
        "keluarga_rawan_pangan",
        "Rawan pangan",
        "Keluarga yang setahun terakhir khawatir tidak makan atau pernah tidak makan.",
        headline=True,
        source="Kepmensos 262/HUK/2022; Susenas",
    ),
    Indicator(
        "keluarga_tanpa_listrik",
        "Penerangan tidak layak",
        "Keluarga tanpa listrik PLN (bukan listrik, non-PLN atau menumpang tanpa meteran).",
        source="Kepmensos 262/HUK/2022",
    ),
    Indicator(
        "keluarga_penerima_program",
        "Menerima program",
        "Keluarga yang menerima sedikitnya satu program pada periode ini.",
        lower_is_better=False,
        headline=True,
    ),
    Indicator(
        "galat_eksklusi",
        "Layak tapi tak menerima",
        "Keluarga desil 1-4 atau fakir miskin yang belum menerima program apa pun (galat eksklusi).",
        denominator="keluarga_layak_bantuan",
    ),
    Indicator(
        "galat_inklusi",
        "Menerima tapi tak layak",
        "Penerima program di desil 6-10 yang bukan fakir miskin (galat inklusi).",
        denominator="keluarga_penerima_program",
    ),
    Indicator(
        "balita_stunting",
        "Balita stunting",
        "Balita dengan tinggi badan menurut umur di bawah -2 SD (tercatat di data anggota keluarga).",
        denominator="jumlah_balita",
        source="Kemenkes (TB/U < -2 SD)",
    ),
    Indicator(
        "jumlah_balita",
        "Jumlah balita",
        "Anak di bawah lima tahun tercatat di data anggota keluarga.",
        lower_is_better=False,
        denominator="",
    ),
    Indicator(
        "jumlah_keluarga",
        "Jumlah keluarga",
        "Keluarga tercatat pada periode ini.",
        lower_is_better=False,
        denominator="",
    ),
    Indicator("jumlah_jiwa", "Jumlah jiwa", "Anggota keluarga tercatat.", lower_is_better=False, denominator=""),
    Indicator(
        "keluarga_layak_bantuan", "Layak bantuan", "Keluarga desil 1-4 atau fakir miskin.", lower_is_better=False
    ),
    Indicator(
        "keluarga_nik_valid",
        "NIK kepala valid",
        "Keluarga yang NIK kepalanya lolos pemeriksaan.",
        lower_is_better=False,
    ),
    Indicator(
        "keluarga_perlu_verifikasi",
        "Perlu verifikasi",
        "Keluarga yang ditandai untuk diperiksa (mis. NIK kepala tidak valid, hanya ditemukan di verval).",
    ),
    Indicator("konflik", "Konflik data", "No KK yang muncul dengan isi berbeda di beberapa unggahan.", denominator=""),
    # Vulnerable groups (pipelines/domain.py GROUPS): shares are of the families and persons a member
    # list was uploaded for, so an area with half its lists in is not read as half as vulnerable.
    *(
        Indicator(g.indicator, g.label, g.description, denominator="keluarga_data_anggota", source=g.source)
        for g in GROUPS
    ),
    *(
        Indicator(
            g.person_indicator,
            f"{g.label} (jiwa)",
            f"Anggota keluarga dalam kelompok {g.label.lower()}, dari anggota yang tercatat di data anggota keluarga.",
            denominator="jiwa_data_anggota",
            source=g.source,
        )
        for g in GROUPS
        if g.person_indicator
    ),
)

BY_KEY = {i.key: i for i in INDICATORS}
HEADLINE = tuple(i for i in INDICATORS if i.headline)
# Indicators a user can put on the map or the trend chart.
MAPPABLE = tuple(i for i in INDICATORS if i.key not in ("jumlah_jiwa",))


def get(key: str) -> Indicator:
    try:
        return BY_KEY[key]
    except KeyError:
        raise ValueError(f"Indikator tidak dikenal: {key}") from None


def share(row: dict, key: str) -> float | None:
    """The indicator as a share (0-1) of its denominator in one area row, or None."""
    ind = get(key)
    if not ind.denominator:
        return None
    value, base = row.get(key), row.get(ind.denominator)
    if value is None or not base:
        return None
    return float(value) / float(base)
