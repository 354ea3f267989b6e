"""Resolve the region names and codes found in uploads to Kemendagri kelurahan codes.

Field spellings differ from the official list: "Sei Jawi Dalam" and "Sungai Jawi
Dalam" are Kemendagri "Sungaijawi Dalam"; "Benua Melayu Laut" is "Benuamelayu Laut".
Names are therefore compared in a normal form (lower case, abbreviations expanded,
"Kel." dropped, spaces and punctuation removed), against the Kemendagri, BPS and
postal-code spellings plus the field spellings a city lists.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache

import pandas as pd
from rapidfuzz import fuzz, process

from pipelines.cities import City, all_cities
from pipelines.settings import REGION_SUGGESTIONS

# Rule: abbreviations used in field lists, expanded before comparing.
ABBREVIATIONS = {
    "sei": "sungai",
    "sg": "sungai",
    "sgi": "sungai",
    "sng": "sungai",
    "tj": "tanjung",
    "tg": "tanjung",
    "tjg": "tanjung",
    "kp": "kampung",
    "kpg": "kampung",
    "gn": "gunung",
    "pt": "parit",
    "prt": "parit",
}
# Rule: prefixes that name the level, not the place ("Kel. Akcaya", "Kelurahan Tengah").
LEVEL_PREFIXES = {"kel", "kelurahan", "desa", "ds", "kec", "kecamatan", "kota", "kab", "kabupaten"}


def normalize_name(value: str) -> str:
    text = unicodedata.normalize("NFKC", value).lower()
    text = re.sub(r"[\u2018\u2019`']", "", text)
    tokens = [t for t in re.split(r"[^a-z0-9]+", text) if t]
    while tokens and tokens[0] in LEVEL_PREFIXES:
        tokens = tokens[1:]
    return "".join(ABBREVIATIONS.get(t, t) for t in tokens)


def _digits(value: str) -> str:
    return re.sub(r"[\s.\-/]", "", value)


def _spellings(raw: str) -> list[str]:
    """'Sei/Sungai Jawi Dalam' -> both; 'Loktuan (Lok Tuan)' -> both."""
    if not raw:
        return []
    out = [raw]
    inner = re.findall(r"\(([^)]*)\)", raw)
    outer = re.sub(r"\([^)]*\)", "", raw).strip()
    out += inner + [outer]
    if "/" in outer:
        head, _, tail = outer.partition(" ")
        out += [f"{alt} {tail}".strip() for alt in head.split("/")]
    return [s for s in out if s]


@dataclass(frozen=True)
class Resolution:
    kode: str | None
    alasan: str | None


@dataclass(frozen=True)
class RegionIndex:
    city: City
    names: dict[str, str]  # normal form -> kelurahan code
    compact: dict[str, str]  # 10-digit Kemendagri or BPS code -> kelurahan code
    official: dict[str, str]  # kelurahan code -> official name
    kecamatan_of: dict[str, str]  # kelurahan code -> kecamatan code
    kecamatan_names: dict[str, str]  # normal form of kecamatan name -> code
    kecamatan_official: dict[str, str]  # kecamatan code -> official name
    foreign_names: dict[str, str]  # normal form -> name of the other city it belongs to
    foreign_prefixes: dict[str, str]  # 4-digit city prefix -> city name
    ambiguous: dict[str, tuple[str, str]]  # 10-digit code -> (as Kemendagri, as BPS)

    def resolve(self, value: str | None, kecamatan: str | None = None) -> Resolution:
        if value is None or not str(value).strip():
            return Resolution(None, "Kelurahan kosong")
        value = str(value).strip()
        digits = _digits(value)
        if digits.isdigit():
            return self._resolve_code(value, digits)
        key = normalize_name(value)
        if key in self.names:
            return Resolution(self.names[key], None)
        if key in self.foreign_names:
            return Resolution(None, f"Kelurahan '{value}' berada di {self.foreign_names[key]}, bukan {self.city.nama}")
        return Resolution(None, f"Nama kelurahan '{value}' tidak dikenal{self._suggest(key)}")

    def _resolve_code(self, value: str, digits: str) -> Resolution:
        prefix = self.city.kode.replace(".", "")
        if not digits.startswith(prefix):
            owner = self.foreign_prefixes.get(digits[:4], "kota/kabupaten lain")
            return Resolution(None, f"Kode wilayah {value} milik {owner}, bukan {self.city.nama}")
        if re.fullmatch(r"\d{2}\.\d{2}\.\d{2}\.\d{4}", value) and value in self.official:
            return Resolution(value, None)  # the dotted form is Kemendagri's own
        if digits in self.ambiguous:
            as_kemendagri, as_bps = self.ambiguous[digits]
            return Resolution(
                None,
                (
                    f"Kode {value} bisa berarti {self.official[as_kemendagri]} (kode Kemendagri) atau "
                    f"{self.official[as_bps]} (kode BPS); tulis kode bertitik (mis. {as_kemendagri}) atau nama kelurahan"
                ),
            )
        if digits in self.compact:
            return Resolution(self.compact[digits], None)
        return Resolution(None, f"Kode wilayah {value} bukan kode kelurahan {self.city.nama} yang berlaku")

    def _suggest(self, key: str) -> str:
        if not key:
            return ""
        found = process.extract(key, list(self.names), scorer=fuzz.ratio, limit=REGION_SUGGESTIONS * 4)
        codes: list[str] = []
        for _, score, idx in found:
            code = self.names[list(self.names)[idx]]
            if score >= 50 and code not in codes:
                codes.append(code)
        if not codes:
            return ""
        names = ", ".join(self.official[c] for c in codes[:REGION_SUGGESTIONS])
        return f"; mungkin maksudnya: {names}"

    def check_kecamatan(self, kode_kelurahan: str, kecamatan: str | None) -> str | None:
        """A warning when the kecamatan written beside a kelurahan is not its own."""
        if not kecamatan or not str(kecamatan).strip():
            return None
        raw = str(kecamatan).strip()
        digits = _digits(raw)
        expected = self.kecamatan_of[kode_kelurahan]
        if digits.isdigit():
            ok = digits == expected.replace(".", "")
        else:
            ok = self.kecamatan_names.get(normalize_name(raw)) == expected
        if ok:
            return None
        return f"Kecamatan '{raw}' tidak sesuai; {self.official[kode_kelurahan]} ada di Kecamatan {self.kecamatan_official[expected]}"


@cache
def region_index(city_code: str) -> RegionIndex:
    cities = all_cities()
    city = cities[city_code]
    codes = city.regions()
    kel = codes[codes["level"] == "kelurahan"]
    kec = codes[codes["level"] == "kecamatan"]
    names: dict[str, str] = {}
    for row in kel.itertuples():
        for col in ("nama_kemendagri", "nama_bps", "nama_areaid"):
            for spelling in _spellings(getattr(row, col)):
                names.setdefault(normalize_name(spelling), row.kode_kemendagri)
    if city.ejaan_lapangan_csv is not None:
        field = pd.read_csv(city.ejaan_lapangan_csv, dtype=str, keep_default_na=False)
        for row in field.itertuples():
            for spelling in _spellings(row.nama_sumber):
                names.setdefault(normalize_name(spelling), row.kode_kemendagri)
    compact = {r.kode_kemendagri_10digit: r.kode_kemendagri for r in kel.itertuples()}
    compact.update({r.kode_kemendagri.replace(".", ""): r.kode_kemendagri for r in kel.itertuples()})
    ambiguous: dict[str, tuple[str, str]] = {}
    for r in kel.itertuples():
        if not r.kode_bps:
            continue
        if r.kode_bps in compact and compact[r.kode_bps] != r.kode_kemendagri:
            # A BPS 10-digit code that is also another kelurahan's Kemendagri code (Pontianak
            # Tenggara's BPS 6171011001-1004 are Kemendagri codes in Pontianak Selatan).
            ambiguous[r.kode_bps] = (compact[r.kode_bps], r.kode_kemendagri)
        else:
            compact.setdefault(r.kode_bps, r.kode_kemendagri)
    foreign_names: dict[str, str] = {}
    foreign_prefixes: dict[str, str] = {}
    for other in cities.values():
        if other.kode == city.kode:
            continue
        foreign_prefixes[other.kode.replace(".", "")] = other.nama
        other_kel = other.regions()
        for row in other_kel[other_kel["level"] == "kelurahan"].itertuples():
            for col in ("nama_kemendagri", "nama_bps", "nama_areaid"):
                for spelling in _spellings(getattr(row, col)):
                    key = normalize_name(spelling)
                    if key not in names:
                        foreign_names[key] = other.nama
    return RegionIndex(
        city=city,
        names=names,
        compact=compact,
        official=dict(zip(kel["kode_kemendagri"], kel["nama_kemendagri"])),
        kecamatan_of=dict(zip(kel["kode_kemendagri"], kel["parent_kode"])),
        kecamatan_names={normalize_name(n): k for k, n in zip(kec["kode_kemendagri"], kec["nama_kemendagri"])},
        kecamatan_official=dict(zip(kec["kode_kemendagri"], kec["nama_kemendagri"])),
        foreign_names=foreign_names,
        foreign_prefixes=foreign_prefixes,
        ambiguous=ambiguous,
    )


def resolve_city(value: str | None, city: City) -> str | None:
    """Reason to reject a row whose city column names another city, else None."""
    if value is None or not str(value).strip():
        return None
    raw = str(value).strip()
    digits = _digits(raw)
    if digits.isdigit():
        return (
            None if digits == city.kode.replace(".", "") else f"Baris milik kota lain (kode {raw}), bukan {city.nama}"
        )
    key = normalize_name(raw)
    own = {normalize_name(city.nama), normalize_name(city.nama.replace("Kota ", ""))}
    if key in own:
        return None
    return f"Baris milik kota lain ({raw}), bukan {city.nama}"


def resolve_any_level(value: str | None, city: City) -> tuple[str | None, str | None]:
    """A kota, kecamatan or kelurahan name or code (area statistics) -> (code, problem)."""
    if value is None or not str(value).strip():
        return None, "wilayah kosong"
    raw = str(value).strip()
    codes = city.regions()
    digits = _digits(raw)
    if digits.isdigit():
        for row in codes.itertuples():
            if digits in (row.kode_kemendagri.replace(".", ""), row.kode_kemendagri_10digit, row.kode_bps):
                return row.kode_kemendagri, None
    key = normalize_name(raw)
    for level in ("kota", "kecamatan"):
        for row in codes[codes["level"] == level].itertuples():
            if key in (normalize_name(row.nama_kemendagri), normalize_name(row.nama_bps)):
                return row.kode_kemendagri, None
    res = region_index(city.kode).resolve(raw)
    return res.kode, res.alasan
