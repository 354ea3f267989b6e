"""Synthetic Indonesian names and addresses.

Names are drawn at random from common given names and family names of the groups that
live in each city, so any resemblance to a real person is chance: no list of real people
was used. The mixes follow the cities' known make-up (Pontianak: Malay, Chinese-Indonesian,
Dayak, Javanese, Bugis, Madurese; Bontang: Bugis, Javanese, Banjar, Kutai, Toraja).
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

# Group: (male given names, female given names, second names; empty second name = none).
GROUPS = {
    "melayu": (
        "Ahmad Muhammad Usman Hamdan Zulkifli Rudi Hendri Jamaludin Ismail Mahmud Rusli Sulaiman Yusuf Idrus "
        "Hasan Husin Firman Riduan Syahrial Marzuki Zainal Ardiansyah Junaidi Mu’min",
        "Nurhayati Aminah Rahmawati Fatimah Zubaidah Halimah Maimunah Nurul Salmah Rosmiati Suriani Juliana "
        "Mariam Rohani Zainab Aisyah Hadijah Rabiah Nurlela",
        " | | |Abdullah|Hamid|Rahman|Saleh|Ali|Umar|Ibrahim|Effendi|Syahputra|Yani",
    ),
    "tionghoa": (
        "Hendra Suwandi Budiman Ferry Jimmy Steven Aming Acui Kiong Hartono Gunawan Sugianto Wendy Jonathan "
        "Kevin Rudy Sutanto Lukas Herman",
        "Susanti Lili Yanti Meliana Veronika Aling Lina Mei Ling Siska Fransiska Yuliani Cindy Novi Anita Erni",
        "Wijaya|Halim|Gunawan|Tanjaya|Santoso|Lim|Tjhai|Bong|Lie|Phang|Liu|Chang|Ng|Wong|Sim|Kho|Tan|Lo",
    ),
    "dayak": (
        "Yohanes Paulus Markus Agustinus Fransiskus Yosef Antonius Benediktus Petrus Stefanus Lukas Ignatius",
        "Maria Theresia Yuliana Agnes Natalia Katarina Elisabet Rosalia Veronika Margareta Helena Monika",
        "Ajun|Dayung|Lansau|Ngadan|Atong|Jau|Kueng|Ringgo|Sandai|Tingang|Ukat|Lawing",
    ),
    "jawa": (
        "Sutrisno Bambang Joko Agus Eko Budi Wahyu Heru Sugeng Supriyadi Teguh Dwi Slamet Suparman Hadi Bayu",
        "Sri Endang Tri Sumarni Suparmi Wulandari Dewi Ratna Siti Sulastri Purwanti Handayani Kartini Lestari",
        " |Santoso|Susilo|Prasetyo|Setiawan|Hidayat|Purnomo|Cahyono|Wibowo|Nugroho|Saputra|Widodo|Kurniawan",
    ),
    "bugis": (
        "Baharuddin Syamsuddin Arsyad Haerul Amiruddin Sudirman Ridwan Nasruddin Jumardi Andi Syahrir Muhlis",
        "Hasnah Haslinda Nurhaedah Sitti Hasmawati Jumriani Rosdiana Wahidah Nurhayati Andi Kasmawati Suarni",
        " |Daeng|Baso|Tang|Lolo|Majid|Rahim|Tahir|Latif|Mappiasse|Lamada",
    ),
    "madura": (
        "Holil Kadir Sahri Matrawi Sunardi Hairul Fathurrahman Jufri Marzuki Subairi Mat Romli",
        "Maisaroh Sumiati Halimatus Muawanah Hosniyah Rukmini Khotijah Sa’diyah Rofiah Mutmainnah",
        " | |Ma’ruf|Hasan|Sahrawi|Rosyid|Bakri",
    ),
    "banjar": (
        "Rasyid Fauzi Sarbini Rusdiansyah Anang Riduan Jailani Mahyudin Akhmad Syarifuddin Ramli",
        "Masitah Rusmiati Jamilah Halimatussa’diah Siti Norhayati Rusmini Mahrita Fitriani Salasiah",
        " |Noor|Arsyad|Hamdani|Ramadhan|Rahmadi|Nor",
    ),
    "kutai": (
        "Awang Aji Sulaiman Yusran Jumransyah Herry Fadli Kaharuddin",
        "Dayang Aji Rabiatul Nurbaya Masdiana Laila",
        " |Bachtiar|Syahrani|Riduansyah|Idris",
    ),
    "toraja": (
        "Yohanis Marthen Paulus Daniel Yusuf Samuel Petrus",
        "Yulianti Marta Debora Ribka Lidia Ester",
        "Palinggi|Tandi|Rante|Sampe|Pasang|Bua|Tangke",
    ),
}
MIX = {
    "61.71": {"melayu": 0.30, "tionghoa": 0.29, "dayak": 0.10, "jawa": 0.14, "bugis": 0.08, "madura": 0.09},
    "64.74": {"bugis": 0.36, "jawa": 0.30, "banjar": 0.15, "kutai": 0.09, "toraja": 0.05, "madura": 0.05},
}
STREETS = {
    "61.71": "Jl. Tanjung Raya|Jl. Parit Haji Husin|Jl. Khatulistiwa|Jl. Kom Yos Sudarso|Jl. Tebu|Jl. Merdeka|"
    "Jl. Pahlawan|Jl. Kapuas Indah|Jl. Sungai Raya Dalam|Jl. Ampera|Jl. Karet|Jl. Pesisir|Jl. Tanjung Pura|"
    "Jl. Harapan Jaya|Jl. Perdana|Jl. Sepakat|Jl. Tepian Kapuas|Jl. Selat Panjang",
    "64.74": "Jl. Ahmad Yani|Jl. Bhayangkara|Jl. Pupuk Raya|Jl. Cipto Mangunkusumo|Jl. Awang Long|Jl. Brigjend Katamso|"
    "Jl. KS Tubun|Jl. Imam Bonjol|Jl. Gunung Arjuna|Jl. Pelabuhan|Jl. Kapal Pinisi|Jl. Selat Makassar|Jl. Padat Karya",
}
GANG = "Mawar|Melati|Sepakat|Bersatu|Karya Baru|Family|Rukun|Damai|Amal|Harapan|Sejahtera|Tepian|Jambu|Manggis|Mandiri"


def _split(text: str, sep: str | None = None) -> np.ndarray:
    return np.array([s.strip() for s in (text.split(sep) if sep else text.split())], dtype=object)


POOLS = {g: (_split(m), _split(f), _split(s, "|")) for g, (m, f, s) in GROUPS.items()}


def ethnic_groups(city_code: str) -> list[str]:
    return list(MIX[city_code])


def draw_ethnicity(city_code: str, n: int, rng: np.random.Generator) -> np.ndarray:
    shares = np.array(list(MIX[city_code].values()))
    return rng.choice(len(shares), size=n, p=shares / shares.sum()).astype(np.int8)


def person_names(
    city_code: str, eth: np.ndarray, female: np.ndarray, family_second: np.ndarray, rng: np.random.Generator
) -> pa.Array:
    """Full names; `family_second` (a uniform number per family) makes Chinese and Toraja names share a surname."""
    groups = ethnic_groups(city_code)
    out = np.empty(len(eth), dtype=object)
    for g, name in enumerate(groups):
        rows = np.flatnonzero(eth == g)
        if not len(rows):
            continue
        male_pool, female_pool, second = POOLS[name]
        fem = female[rows]
        given = np.where(
            fem,
            female_pool[rng.integers(0, len(female_pool), len(rows))],
            male_pool[rng.integers(0, len(male_pool), len(rows))],
        )
        shared = name in ("tionghoa", "toraja", "dayak")
        pick = (family_second[rows] * len(second)).astype(int) if shared else rng.integers(0, len(second), len(rows))
        out[rows] = pc.utf8_trim_whitespace(
            pc.binary_join_element_wise(pa.array(given, pa.string()), pa.array(second[pick], pa.string()), " ")
        ).to_numpy(zero_copy_only=False)
    return pa.array(out, pa.string())


def addresses(city_code: str, rt: np.ndarray, rng: np.random.Generator) -> pa.Array:
    """'Jl. X Gg. Y No. n': the street and gang follow the RT, so neighbours share them."""
    streets, gangs = _split(STREETS[city_code], "|"), _split(GANG, "|")
    street = streets[(rt * 7919) % len(streets)]
    gang = gangs[(rt * 104729 // 7) % len(gangs)]
    number = rng.integers(1, 120, len(rt)).astype(str)
    has_gang = ((rt * 31) % 5) != 0
    text = pc.binary_join_element_wise(
        pa.array(street, pa.string()),
        pc.if_else(pa.array(has_gang), pc.binary_join_element_wise("Gg.", pa.array(gang, pa.string()), " "), ""),
        pc.binary_join_element_wise("No.", pa.array(number, pa.string()), " "),
        " ",
    )
    return pc.replace_substring(text, "  ", " ")
