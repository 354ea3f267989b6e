"""The programmes of the synthetic city, with their TRUE effects.

Every effect is a difference in the probability of an outcome, measured between the
period before a family is first reached (t-1) and the period after (t+1), among the
families reached in period t (for outcomes about a need: those who had the need at t-1).
Selection into a programme depends only on what the city can observe in the period
before (desil, fakir-miskin status, needs, kelurahan) plus chance, so comparing reached
families with comparable families not reached recovers the effect.
"""

from __future__ import annotations

from dataclasses import dataclass, field

# Outcome names used in kebenaran.json (the dashboard's outcome vocabulary).
OUTCOMES = (
    "naik_desil",
    "keluar_desil_1",
    "keluar_fakir_miskin",
    "rtlh",
    "air",
    "sanitasi",
    "jaminan_kesehatan",
    "rawan_pangan",
)


@dataclass(frozen=True)
class Programme:
    kode: str
    nama: str
    opd: str
    kebutuhan: str  # label classified by cat_kebutuhan_dasar
    kegiatan: str
    indikator: str
    satuan: str
    hasil: str  # outcome the true effect is on
    efek: float  # TRUE effect: probability difference
    ongoing: bool  # paid every quarter once enrolled (effect counted at enrolment)
    desil_maks: int
    # Selection weight per desil at t-1 (index 0 = desil 1), before need and FM multipliers.
    peluang: tuple[float, ...]
    butuh: str | None = None  # need required at t-1: rtlh, air, sanitasi, jaminan_kesehatan
    pengali_fm: float = 1.0
    pengali_rawan: float = 1.0
    nilai: int = 0  # rupiah per receipt (0: none)
    efek_lain: dict = field(default_factory=dict)
    # Kelurahan (official names) where delivery falls short of plan, with the share delivered.
    kapasitas: dict = field(default_factory=dict)
    seleksi: str = ""


def catalogue(city_code: str) -> list[Programme]:
    pontianak = city_code == "61.71"
    return [
        Programme(
            "PKH",
            "Program Keluarga Harapan (PKH)",
            "Dinas Sosial",
            "Jaminan Sosial",
            "Penyaluran bantuan sosial bersyarat PKH",
            "Keluarga penerima manfaat PKH tersalurkan",
            "KPM",
            "naik_desil",
            0.05,
            True,
            4,
            (0.035, 0.03, 0.02, 0.012),
            pengali_fm=1.5,
            seleksi="Penerima baru dari desil 1-4 periode sebelumnya; peluang 3,5%/3%/2%/1,2% per triwulan menurut "
            "desil, x1,5 bila fakir miskin; penerima lama keluar bila naik ke desil 6+ (25%/triwulan).",
        ),
        Programme(
            "BPNT",
            "Bantuan Pangan Non Tunai (BPNT/Sembako)",
            "Dinas Sosial",
            "Pangan",
            "Penyaluran bantuan pangan non tunai",
            "Keluarga penerima BPNT tersalurkan",
            "KPM",
            "rawan_pangan",
            0.30,
            True,
            5,
            (0.05, 0.04, 0.03, 0.02, 0.01),
            pengali_rawan=1.4,
            nilai=600_000,
            seleksi="Penerima baru dari desil 1-5 periode sebelumnya; peluang 5% s.d. 1% menurut desil, x1,4 "
            "bila rawan pangan; efek diukur pada penerima baru yang rawan pangan pada t-1.",
        ),
        Programme(
            "BSPS",
            "Bantuan Stimulan Perumahan Swadaya (BSPS)",
            "Dinas Perumahan Rakyat dan Kawasan Permukiman",
            "Rumah Layak Huni",
            "Peningkatan kualitas rumah tidak layak huni (bedah rumah)",
            "Rumah tidak layak huni yang ditingkatkan kualitasnya",
            "unit",
            "rtlh",
            0.85,
            False,
            5,
            (0.05, 0.04, 0.03, 0.02, 0.01),
            butuh="rtlh",
            pengali_fm=1.5,
            nilai=20_000_000,
            kapasitas={"Batulayang": 0.45, "Siantan Hilir": 0.5} if pontianak else {"Bontang Kuala": 0.45},
            seleksi="Keluarga RTLH desil 1-5 pada t-1; peluang 5% s.d. 1% menurut desil, x1,5 bila fakir miskin; "
            "di kelurahan dengan kendala status lahan hanya sebagian yang terlaksana.",
        ),
        Programme(
            "SR-MBR",
            "Sambungan Rumah Air Minum MBR",
            "Perumda Air Minum",
            "Air Bersih",
            "Pemasangan sambungan rumah air minum bagi masyarakat berpenghasilan rendah",
            "Sambungan rumah air minum terpasang",
            "sambungan",
            "air",
            0.80,
            False,
            6,
            (0.06, 0.06, 0.05, 0.05, 0.04, 0.03),
            butuh="air",
            nilai=1_750_000,
            kapasitas=(
                {"Siantan Hulu": 0.6, "Siantan Tengah": 0.6, "Siantan Hilir": 0.6, "Batulayang": 0.6}
                if pontianak
                else {"Bontang Lestari": 0.5}
            ),
            seleksi="Keluarga dengan sumber air minum tidak layak desil 1-6 pada t-1; peluang 6% s.d. 3%; "
            "jaringan pipa belum menjangkau sebagian kelurahan.",
        ),
        Programme(
            "JAMBAN",
            "Pembangunan Jamban Sehat dan Tangki Septik Individual",
            "Dinas Pekerjaan Umum dan Penataan Ruang",
            "Sanitasi",
            "Pembangunan tangki septik individual",
            "Jamban sehat dengan tangki septik terbangun",
            "unit",
            "sanitasi",
            0.75,
            False,
            6,
            (0.04, 0.04, 0.035, 0.03, 0.025, 0.02),
            butuh="sanitasi",
            nilai=5_500_000,
            kapasitas={"Paritmayor": 0.5} if pontianak else {"Berbas Pantai": 0.5},
            seleksi="Keluarga tanpa sanitasi layak desil 1-6 pada t-1; peluang 4% s.d. 2%.",
        ),
        Programme(
            "PBI-DAERAH",
            "PBI Jaminan Kesehatan Daerah (APBD)",
            "Dinas Kesehatan",
            "Kesehatan",
            "Pendaftaran peserta JKN dibiayai APBD",
            "Keluarga didaftarkan sebagai peserta PBI APBD",
            "KK",
            "jaminan_kesehatan",
            0.90,
            False,
            6,
            (0.08, 0.08, 0.08, 0.05, 0.05, 0.05),
            butuh="jaminan_kesehatan",
            pengali_fm=1.5,
            seleksi="Keluarga tanpa jaminan kesehatan desil 1-6 pada t-1; peluang 8% (desil 1-3) dan 5% "
            "(desil 4-6), x1,5 bila fakir miskin.",
        ),
        Programme(
            "UMKM",
            "Pelatihan dan Modal Usaha UMKM",
            "Dinas Koperasi, Usaha Mikro dan Perdagangan",
            "Pemberdayaan Ekonomi",
            "Pelatihan keterampilan dan bantuan modal usaha mikro",
            "Pelaku usaha mikro dilatih dan menerima modal",
            "orang",
            "naik_desil",
            0.25,
            False,
            4,
            (0.014, 0.014, 0.012, 0.010),
            nilai=3_500_000,
            efek_lain={"keluar_desil_1": 0.25},
            seleksi="Kepala keluarga usia 20-60 tahun dari desil 1-4 pada t-1; peluang 1,4% s.d. 1%.",
        ),
        Programme(
            "SOS-WIRAUSAHA",
            "Sosialisasi dan Penyuluhan Kewirausahaan",
            "Dinas Koperasi, Usaha Mikro dan Perdagangan",
            "Pemberdayaan Ekonomi",
            "Sosialisasi dan penyuluhan kewirausahaan di kelurahan",
            "Peserta sosialisasi kewirausahaan",
            "orang",
            "naik_desil",
            0.0,
            False,
            6,
            (0.03, 0.03, 0.03, 0.025, 0.025, 0.02),
            seleksi="Peserta dari desil 1-6 pada t-1 (peluang 3% s.d. 2%); banyak kegiatan, target keluaran "
            "tercapai, tetapi TANPA efek pada kesejahteraan (keluaran tinggi, dampak nol).",
        ),
        Programme(
            "BERAS-PEMKOT",
            "Bantuan Beras Cadangan Pangan Pemerintah Kota",
            "Dinas Ketahanan Pangan",
            "Pangan",
            "Penyaluran beras cadangan pangan pemerintah daerah",
            "Keluarga menerima beras 30 kg",
            "KK",
            "rawan_pangan",
            0.10,
            False,
            10,
            (0.02, 0.02, 0.02, 0.02, 0.012) + (0.006,) * 5,
            pengali_rawan=1.5,
            nilai=390_000,
            seleksi="Usulan ketua RT tanpa memeriksa desil: peluang 2% (desil 1-4), 1,2% (desil 5), 0,6% "
            "(desil 6-10), x1,5 bila rawan pangan; sasaran buruk, banyak penerima desil 6-10.",
        ),
    ]


# Enrolled before 2024 (PKH and BPNT only): share of each desil already receiving in 2024-Q1.
STOCK = {
    "PKH": (0.40, 0.30, 0.18, 0.08, 0.02) + (0.003,) * 5,
    "BPNT": (0.60, 0.50, 0.38, 0.25, 0.12, 0.02) + (0.005,) * 4,
}
# Ongoing recipients leave when they rise to this desil (at this rate per quarter), else rarely.
EXIT_DESIL, EXIT_RATE_HIGH, EXIT_RATE_LOW = 6, 0.25, 0.03
