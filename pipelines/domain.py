"""The domain's ideas, each written down once: region codes, the basic needs, policy thresholds.

Region codes are Kemendagri codes with the project's RW/RT extension (Permendagri 72/2019 for the
first four parts): '61.71' kota, '61.71.01' kecamatan, '61.71.01.1002' kelurahan, then '.005' RW and
'.005.012' RT. A city without RW keeps a placeholder RW part ('64.74.01.1001.000.002'). Views,
widgets, the read side and access checks take codes apart only through `Kode`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property

LEVELS = ("kota", "kecamatan", "kelurahan", "rw", "rt")
# Kemendagri codes and their RW/RT extensions: 61.71, 61.71.01, 61.71.01.1002, .005, .005.012
CODE = re.compile(r"^\d{2}\.\d{2}(\.\d{2}(\.\d{4}(\.\d{3}(\.\d{3})?)?)?)?$")
# Parts of a kelurahan code ('61', '71', '01', '1002').
KELURAHAN_PARTS = 4


class BadCode(ValueError):
    """Text that is not a region code; the message is for the user."""


@dataclass(frozen=True)
class Kode:
    """A region code as a value: its level, its parent, the areas it lies in, what it covers."""

    text: str

    @classmethod
    def parse(cls, text) -> Kode:
        if not isinstance(text, str) or not CODE.match(text):
            raise BadCode(f"Kode wilayah tidak sah: {text!r}")
        return cls(text)

    def __str__(self) -> str:
        return self.text

    @cached_property
    def parts(self) -> tuple[str, ...]:
        return tuple(self.text.split("."))

    @property
    def level(self) -> str:
        return LEVELS[len(self.parts) - 2]

    @property
    def parent(self) -> Kode | None:
        """The code one level up (a placeholder RW included); the city has none."""
        return Kode(".".join(self.parts[:-1])) if len(self.parts) > 2 else None

    def parent_in(self, levels: tuple[str, ...]) -> Kode | None:
        """The nearest area above at a level the city uses: in a city without RW an RT's parent is
        its kelurahan, not the placeholder RW."""
        above = self.parent
        while above is not None and above.level not in levels:
            above = above.parent
        return above

    def at(self, level: str) -> Kode | None:
        """The area at `level` this code lies in (itself at its own level); None below its level."""
        size = LEVELS.index(level) + 2
        return Kode(".".join(self.parts[:size])) if len(self.parts) >= size else None

    @property
    def kota(self) -> Kode:
        return Kode(".".join(self.parts[:2]))

    @property
    def kecamatan(self) -> Kode | None:
        return self.at("kecamatan")

    @property
    def kelurahan(self) -> Kode | None:
        return self.at("kelurahan")

    @property
    def rw(self) -> str | None:
        """The RW number ('005'), or None above the RW level."""
        return self.parts[4] if len(self.parts) > 4 else None

    @property
    def rt(self) -> str | None:
        """The RT number ('012'), or None above the RT level."""
        return self.parts[5] if len(self.parts) > 5 else None

    def ancestors(self) -> list[Kode]:
        """From the city down to this code itself."""
        return [Kode(".".join(self.parts[:n])) for n in range(2, len(self.parts) + 1)]

    def covers(self, other: Kode | str) -> bool:
        """The area itself or one below it ('61.71.01' covers '61.71.01.1002', not '61.71.010')."""
        other = str(other)
        return other == self.text or other.startswith(self.text + ".")


def level_of(kode: str) -> str:
    """'61.71' kota, '61.71.01' kecamatan, '61.71.01.1002' kelurahan, then RW and RT."""
    return Kode(kode).level


def parent_code(kode: str) -> str | None:
    """'61.71.01.1002' -> '61.71.01'; the city has no parent."""
    parent = Kode(kode).parent
    return parent.text if parent else None


# ---- basic needs ---------------------------------------------------------------------------


@dataclass(frozen=True)
class BasicNeed:
    """One basic need, named once for the SQL, the case list, the indicators and the evaluation."""

    flag: str  # family column in the lake, true when the need is unmet (sql/marts/20_keluarga.sql)
    indicator: str  # count column of the `indikator` table (sql/marts/30_indikator.sql)
    inputs: tuple[str, ...]  # columns of the family upload that fill it
    case_label: str  # the case list's words for the unmet need
    share_label: str  # what a share of families is a share of ("porsi RTLH")
    # Programme side (None: no programme category aims at it): the catalogue category
    # (cat_kebutuhan_dasar in sql/staging/macros.sql), the evaluation's outcome name and its words.
    category: str | None = None
    outcome: str | None = None
    outcome_label: str = ""
    outcome_phrase: str = ""


NEEDS: tuple[BasicNeed, ...] = (
    BasicNeed(
        "rtlh",
        "keluarga_rtlh",
        ("lantai", "dinding", "atap", "luas_lantai"),
        "Rumah tidak layak",
        "RTLH",
        "rumah",
        "rtlh",
        "Rumah jadi layak huni",
        "tidak lagi tinggal di rumah tidak layak huni",
    ),
    BasicNeed(
        "tanpa_air_layak",
        "keluarga_tanpa_air_layak",
        ("sumber_air",),
        "Air minum",
        "tanpa air layak",
        "air",
        "air",
        "Air minum jadi layak",
        "beralih ke air minum layak",
    ),
    BasicNeed(
        "tanpa_sanitasi_layak",
        "keluarga_tanpa_sanitasi_layak",
        ("sanitasi",),
        "Sanitasi",
        "tanpa sanitasi layak",
        "sanitasi",
        "sanitasi",
        "Sanitasi jadi layak",
        "memiliki sanitasi layak",
    ),
    BasicNeed(
        "tanpa_jaminan_kesehatan",
        "keluarga_tanpa_jaminan_kesehatan",
        ("jaminan_kesehatan",),
        "Jaminan kesehatan",
        "tanpa jaminan kesehatan",
        "kesehatan",
        "jaminan_kesehatan",
        "Punya jaminan kesehatan",
        "memiliki jaminan kesehatan",
    ),
    BasicNeed(
        "rawan_pangan",
        "keluarga_rawan_pangan",
        ("rawan_pangan",),
        "Pangan",
        "rawan pangan",
        "pangan",
        "rawan_pangan",
        "Lepas dari rawan pangan",
        "lepas dari rawan pangan",
    ),
    BasicNeed("tanpa_listrik", "keluarga_tanpa_listrik", ("penerangan",), "Listrik", "tanpa listrik"),
)
# Needs a programme category aims at, in the evaluation's order.
PROGRAMME_NEEDS = tuple(n for n in NEEDS if n.category)


# ---- policy thresholds, each with where it comes from ---------------------------------------

# Output achievement (realisation / target) from which a programme or kelurahan counts as "keluaran
# tinggi": nine units delivered in ten planned (the TKPKD's own rule for the rakor; Permendagri 86/2017
# asks for realisation against target, not for a cut-off).
OUTPUT_HIGH = 0.9
# Below this share of their output target, programmes are late (an early warning on Ringkasan).
LATE_PROGRAMME = 0.8
# Inclusion error (recipients outside desil 1-4 and not fakir miskin) above which the evaluation asks to
# fix targeting: one recipient in four. Desil 1-4 is PKH's target range (DTSEN, Inpres 4/2025).
HIGH_INCLUSION = 0.25


# ---- vulnerable groups ------------------------------------------------------------------------

# Whose member row decides that a family belongs to a group: any listed member ('anggota'), the
# head's row ('kepala'), or the family's only listed member ('sendiri').
WHO = ("anggota", "kepala", "sendiri")


@dataclass(frozen=True)
class VulnerableGroup:
    """A group of people the TKPKD watches, named once: the SQL (family flag, per-area counts), the
    indicator registry (Peta, Tren), Ringkasan and the case-list filter all read it from here.

    `rule` calls a member-level macro of sql/marts/definisi.sql on a member row (`umur` is the age at
    the end of the period, from Tanggal Lahir); a test checks the macro exists with those arguments."""

    key: str  # family column in the lake: true when the family belongs (rentan_<key>)
    label: str  # the group's name on pages and in the case-list filter
    description: str  # one sentence a deputy mayor understands
    source: str  # where the definition comes from
    rule: str  # member-level rule: a call of a def_* macro in sql/marts/definisi.sql
    inputs: tuple[str, ...]  # columns of the member upload (Anggota keluarga) that fill it
    who: str = "anggota"
    persons: bool = False  # also count the persons (jiwa_<key>), not only the families

    @property
    def flag(self) -> str:
        return f"rentan_{self.key}"

    @property
    def indicator(self) -> str:
        return f"keluarga_{self.key}"

    @property
    def person_indicator(self) -> str | None:
        return f"jiwa_{self.key}" if self.persons else None

    def family_sql(self) -> str:
        """The family's columns, aggregated over its member rows (sql/marts/20_keluarga.sql)."""
        if self.who == "kepala":  # no head row, or the head's value unknown: NULL
            flag = f"bool_or({self.rule}) FILTER (WHERE hubungan = 'kepala')"
        elif self.who == "sendiri":  # two members listed: known not to live alone
            flag = f"CASE WHEN count(*) > 1 THEN false ELSE bool_or({self.rule}) END"
        else:
            flag = f"bool_or({self.rule})"
        out = f"{flag} AS {self.flag}"
        if self.persons:
            out += f", CASE WHEN count({self.rule}) > 0 THEN count(*) FILTER (WHERE {self.rule}) END AS {self.person_indicator}"
        return out

    def area_sql(self) -> str:
        """The area's counts (sql/marts/30_indikator.sql): NULL when no family of the area says."""
        out = f"hitung_diketahui({self.flag}) AS {self.indicator}"
        if self.persons:
            out += f", sum({self.person_indicator}) AS {self.person_indicator}"
        return out

    @property
    def columns(self) -> tuple[str, ...]:
        """The family columns it adds to the lake."""
        return (self.flag, self.person_indicator) if self.persons else (self.flag,)


GROUPS: tuple[VulnerableGroup, ...] = (
    VulnerableGroup(
        "lansia",
        "Lansia (60+)",
        "Keluarga dengan sedikitnya satu anggota berumur 60 tahun atau lebih.",
        "UU 13/1998 tentang Kesejahteraan Lanjut Usia (lansia: 60 tahun ke atas)",
        "def_lansia(umur)",
        ("tanggal_lahir",),
        persons=True,
    ),
    VulnerableGroup(
        "lansia_sendiri",
        "Lansia tinggal sendiri",
        "Keluarga yang satu-satunya anggota tercatatnya berumur 60 tahun atau lebih.",
        "UU 13/1998; Susenas (lansia tinggal sendiri)",
        "def_lansia(umur)",
        ("tanggal_lahir",),
        who="sendiri",
    ),
    VulnerableGroup(
        "disabilitas",
        "Penyandang disabilitas",
        "Keluarga dengan sedikitnya satu anggota penyandang disabilitas (jenisnya belum tercatat di data).",
        "UU 8/2016 tentang Penyandang Disabilitas",
        "def_disabilitas(disabilitas)",
        ("disabilitas",),
        persons=True,
    ),
    VulnerableGroup(
        "balita",
        "Balita",
        "Keluarga dengan sedikitnya satu anak berumur di bawah lima tahun.",
        "Kemenkes (balita: 0-59 bulan)",
        "def_balita(umur)",
        ("tanggal_lahir",),
        persons=True,
    ),
    VulnerableGroup(
        "anak_tidak_sekolah",
        "Anak 7-18 tidak sekolah",
        "Keluarga dengan anak berumur 7-18 tahun yang tercatat tidak (lagi) bersekolah.",
        "Wajib belajar 12 tahun (Permendikbud 19/2016, PIP); kolom Masih Sekolah",
        "def_anak_tidak_sekolah(umur, masih_sekolah)",
        ("tanggal_lahir", "masih_sekolah"),
        persons=True,
    ),
    VulnerableGroup(
        "kepala_perempuan",
        "Kepala keluarga perempuan",
        "Keluarga yang kepalanya perempuan.",
        "BPS/Susenas (rumah tangga dengan kepala perempuan); PEKKA",
        "def_perempuan(jenis_kelamin)",
        ("jenis_kelamin", "hubungan"),
        who="kepala",
    ),
    VulnerableGroup(
        "kepala_informal",
        "Kepala bekerja informal/UMKM",
        "Keluarga yang kepalanya buruh lepas, pedagang kecil, petani, nelayan, tukang, sopir/ojek "
        "atau berusaha sendiri (UMKM).",
        "BPS (pekerja informal: berusaha sendiri, pekerja bebas, pekerja keluarga); UU 20/2008 (UMKM)",
        "def_pekerjaan_informal(pekerjaan)",
        ("pekerjaan", "hubungan"),
        who="kepala",
    ),
)


def family_group_sql() -> str:
    """Every group's family columns, for the member aggregation of sql/marts/20_keluarga.sql."""
    return ",\n       ".join(g.family_sql() for g in GROUPS)


def family_group_columns() -> str:
    """Every group's family columns by name, as keluarga_final carries them."""
    return ", ".join(c for g in GROUPS for c in g.columns)


def area_group_sql() -> str:
    """Every group's per-area counts, for sql/marts/30_indikator.sql."""
    return ",\n        ".join(g.area_sql() for g in GROUPS)
