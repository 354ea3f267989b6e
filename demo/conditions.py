"""Houses and basic services of a family, tied to its welfare, and how they change.

Each variable is a category chosen by a multinomial logit on the latent welfare `z`
(score = a + b * z), so poorer families more often have earth or bamboo floors, river
water, a toilet over the river and no health insurance. Each category has the labels
three kinds of export write for it (DTSEN, SIKS-NG, short field wording); every label
is classified by the pipeline's vocabularies in sql/staging/macros.sql.
Needs follow sql/marts/definisi.sql.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

# Label styles: 0 DTSEN, 1 SIKS-NG (upper case), 2 short field wording (P3KE, RT forms).
DTSEN, SIKS, SHORT = 0, 1, 2


@dataclass(frozen=True)
class Cat:
    code: str
    labels: tuple[str, str, str]
    a: float
    b: float


LANTAI = (
    Cat("keramik", ("Keramik", "KERAMIK/UBIN/TEGEL", "Keramik"), 1.5, 1.6),
    Cat("semen", ("Semen/bata merah", "SEMEN/BATA MERAH", "Plester semen"), 0.8, 0.0),
    Cat("kayu", ("Kayu/papan kualitas tinggi", "KAYU/PAPAN KUALITAS TINGGI", "Kayu"), -1.5, 0.0),
    Cat("kayu_rendah", ("Kayu/papan kualitas rendah", "KAYU/PAPAN KUALITAS RENDAH", "Papan"), 0.2, -0.9),
    Cat("bambu", ("Bambu", "BAMBU", "Bambu"), -3.7, -1.2),
    Cat("tanah", ("Tanah", "TANAH", "Tanah"), -4.2, -1.2),
)
DINDING = (
    Cat("tembok", ("Tembok", "TEMBOK", "Tembok/beton"), 1.0, 1.5),
    Cat("plester_bambu", ("Plesteran anyaman bambu/kawat", "PLESTERAN ANYAMAN BAMBU/KAWAT", "Plester bambu"), -2.5, 0),
    Cat("kayu", ("Kayu/papan", "KAYU/PAPAN", "Papan"), 0.6, -0.6),
    Cat("tanpa_plester", ("Tembok tanpa plester", "TEMBOK TANPA PLESTER", "Bata tanpa plester"), -1.0, -0.5),
    Cat("seng", ("Seng", "SENG", "Seng"), -3.0, -0.8),
    Cat("bambu", ("Anyaman bambu", "ANYAMAN BAMBU", "Bambu"), -3.9, -1.3),
    Cat("lainnya", ("Lainnya (terpal/kardus)", "LAINNYA", "Terpal/kardus"), -5.5, -1.3),
)
ATAP = (
    Cat("beton", ("Beton/genteng beton", "BETON", "Cor beton"), -2.0, 1.5),
    Cat("genteng", ("Genteng metal", "GENTENG", "Genteng"), 0.0, 1.2),
    Cat("seng", ("Seng", "SENG", "Seng"), 2.0, 0.0),
    Cat("asbes", ("Asbes", "ASBES", "Asbes"), -0.5, 0.0),
    Cat("kayu", ("Sirap", "SIRAP", "Sirap kayu"), -2.0, 0.0),
    Cat("jerami", ("Jerami/ijuk/daun-daunan/rumbia", "DAUN NIPAH/RUMBIA", "Daun nipah"), -4.6, -1.5),
    Cat("bambu", ("Bambu", "BAMBU", "Bambu"), -6.0, -1.0),
)
AIR = (
    Cat("isi_ulang", ("Air isi ulang", "AIR ISI ULANG", "Isi ulang"), 1.2, 0.2),
    Cat("kemasan", ("Air kemasan bermerk", "AIR KEMASAN BERMERK", "Air kemasan"), -1.0, 1.0),
    Cat("ledeng", ("Leding/PDAM", "LEDENG METERAN", "PDAM"), 0.7, 0.3),
    Cat("hujan", ("Air hujan", "AIR HUJAN", "Tadah hujan"), 0.5, -0.3),
    Cat("sumur_bor", ("Sumur bor/pompa", "SUMUR BOR/POMPA", "Sumur bor"), -2.5, 0.0),
    Cat("sumur_tak", ("Sumur tak terlindung", "SUMUR TAK TERLINDUNG", "Sumur tidak terlindung"), -3.6, -1.0),
    Cat("sungai", ("Air permukaan (sungai/danau/parit)", "AIR SUNGAI/PARIT", "Sungai"), -3.6, -1.3),
)
SANITASI = (
    Cat(
        "sendiri",
        ("Sendiri dengan tangki septik", "MILIK SENDIRI - TANGKI SEPTIK", "Jamban sendiri (septik)"),
        2.5,
        1.2,
    ),
    Cat("bersama", ("Bersama/MCK komunal", "BERSAMA", "MCK komunal"), -0.5, -0.3),
    Cat("umum", ("MCK umum", "UMUM", "WC umum"), -2.5, -0.5),
    Cat("cemplung", ("Jamban cemplung ke sungai/parit", "CEMPLUNG/CUBLUK", "Jamban apung di sungai"), -2.2, -1.5),
    Cat("tidak_ada", ("Tidak ada", "TIDAK ADA", "Tidak ada jamban"), -5.0, -1.5),
)
PENERANGAN = (
    Cat("pln_450", ("Listrik PLN 450 VA", "PLN 450 VA", "450 VA"), -0.5, -1.2),
    Cat("pln_900", ("Listrik PLN 900 VA", "PLN 900 VA", "900 VA"), 1.0, 0.0),
    Cat("pln_1300", ("Listrik PLN 1.300 VA", "PLN 1300 VA", "1300 VA"), 0.0, 1.0),
    Cat("pln_2200", ("Listrik PLN 2.200 VA", "PLN 2200 VA", "2200 VA"), -1.5, 1.5),
    Cat("tanpa_meter", ("Listrik PLN tanpa meteran", "PLN TANPA METERAN", "Numpang tetangga"), -3.5, -1.0),
    Cat("non_pln", ("Listrik non-PLN", "NON PLN", "Genset/surya"), -5.5, -0.5),
    Cat("bukan", ("Bukan listrik", "BUKAN LISTRIK", "Pelita/lampu minyak"), -7.0, -1.0),
)
JKN = (
    Cat("pbi_apbn", ("PBI JK", "PBI APBN", "KIS PBI"), 0.3, -1.1),
    Cat("pbi_apbd", ("PBI APBD (Jamkesda)", "PBI APBD", "KIS Pemda"), -1.2, -0.8),
    Cat("mandiri", ("JKN Mandiri/PBPU", "NON PBI MANDIRI", "BPJS Mandiri"), 0.5, 0.3),
    Cat("ppu", ("BPJS Kesehatan pekerja (PPU)", "NON PBI PPU", "BPJS pekerja"), 0.5, 0.9),
    Cat("tidak", ("Tidak memiliki", "TIDAK PUNYA", "Belum punya"), -0.7, -0.3),
)
VARIABLES = {
    "lantai": LANTAI,
    "dinding": DINDING,
    "atap": ATAP,
    "sumber_air": AIR,
    "sanitasi": SANITASI,
    "penerangan": PENERANGAN,
    "jaminan_kesehatan": JKN,
}


def code(var: str, name: str) -> int:
    return [c.code for c in VARIABLES[var]].index(name)


def codes(var: str, *names: str) -> np.ndarray:
    return np.array([code(var, n) for n in names])


def labels(var: str, style: int) -> np.ndarray:
    return np.array([c.labels[style] for c in VARIABLES[var]], dtype=object)


def draw(var: str, z: np.ndarray, rng: np.random.Generator, bonus: dict[str, np.ndarray] | None = None) -> np.ndarray:
    """A category per family; `bonus` adds to a category's score (e.g. river water by the river)."""
    cats = VARIABLES[var]
    score = np.stack([c.a + c.b * z for c in cats], axis=1)
    for name, extra in (bonus or {}).items():
        score[:, code(var, name)] += extra
    gumbel = -np.log(-np.log(rng.random(score.shape)))
    return np.argmax(score + gumbel, axis=1).astype(np.int8)


def logistic(x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-x))


def rtlh(lantai: np.ndarray, dinding: np.ndarray, atap: np.ndarray, luas: np.ndarray, size: np.ndarray) -> np.ndarray:
    return (
        np.isin(lantai, codes("lantai", "tanah", "bambu"))
        | np.isin(dinding, codes("dinding", "bambu", "lainnya"))
        | np.isin(atap, codes("atap", "jerami", "bambu"))
        | (luas / np.maximum(size, 1) < 7.2)
    )


def unimproved_water(air: np.ndarray) -> np.ndarray:
    return np.isin(air, codes("sumber_air", "sumur_tak", "sungai"))


def unsafe_sanitation(san: np.ndarray) -> np.ndarray:
    return np.isin(san, codes("sanitasi", "umum", "cemplung", "tidak_ada"))


def uninsured(jkn: np.ndarray) -> np.ndarray:
    return jkn == code("jaminan_kesehatan", "tidak")


def floor_area(z: np.ndarray, size: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Floor area in m2, one decimal: bigger for richer and larger families."""
    median = 55 * np.exp(0.3 * z) * np.sqrt(size / 3.4)
    return np.round(median * np.exp(rng.normal(0, 0.3, len(z))), 1)
