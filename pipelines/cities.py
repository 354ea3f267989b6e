"""Cities are configuration: one TOML file per city under data/reference/cities/."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

import pandas as pd

from pipelines.domain import LEVELS
from pipelines.settings import REFERENCE_DIR

CITIES_DIR = REFERENCE_DIR / "cities"
# Every area level a city can have, top to bottom.
ALL_LEVELS = LEVELS


class UnknownCity(ValueError):
    pass


@dataclass(frozen=True)
class City:
    kode: str
    nama: str
    slug: str
    kode_wilayah_csv: Path
    batas_kelurahan: Path
    batas_kecamatan: Path
    batas_kota: Path
    ejaan_lapangan_csv: Path | None
    pakai_rw: bool
    aturan_fakir_miskin: Path
    zona_waktu: str = "Asia/Jakarta"

    @property
    def nama_zona(self) -> str:
        return {"Asia/Jakarta": "WIB", "Asia/Pontianak": "WIB", "Asia/Makassar": "WITA", "Asia/Jayapura": "WIT"}.get(
            self.zona_waktu, self.zona_waktu
        )

    @property
    def levels(self) -> tuple[str, ...]:
        """The area levels this city uses, top to bottom: no RW where households are numbered by RT only."""
        return tuple(level for level in ALL_LEVELS if self.pakai_rw or level != "rw")

    def regions(self) -> pd.DataFrame:
        """Official codes of this city: one row per kota, kecamatan and kelurahan."""
        return _read_codes(self.kode_wilayah_csv)


@cache
def _read_codes(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, dtype=str, keep_default_na=False)


def _load(path: Path) -> City:
    raw = tomllib.loads(path.read_text(encoding="utf-8"))
    ref = REFERENCE_DIR
    spelling = raw.get("ejaan_lapangan_csv") or ""
    return City(
        kode=raw["kode"],
        nama=raw["nama"],
        slug=raw["slug"],
        kode_wilayah_csv=ref / raw["kode_wilayah_csv"],
        batas_kelurahan=ref / raw["batas_kelurahan"],
        batas_kecamatan=ref / raw["batas_kecamatan"],
        batas_kota=ref / raw["batas_kota"],
        ejaan_lapangan_csv=(ref / spelling) if spelling else None,
        pakai_rw=bool(raw.get("pakai_rw", True)),
        aturan_fakir_miskin=ref / raw["aturan_fakir_miskin"],
        zona_waktu=raw.get("zona_waktu", "Asia/Jakarta"),
    )


@lru_cache(maxsize=1)
def all_cities() -> dict[str, City]:
    cities = (_load(p) for p in sorted(CITIES_DIR.glob("*.toml")))
    return {c.kode: c for c in cities}


def get_city(code_or_slug: str) -> City:
    key = code_or_slug.strip().lower()
    for city in all_cities().values():
        if key in (city.kode, city.kode.replace(".", ""), city.slug):
            return city
    known = ", ".join(f"{c.kode} ({c.nama})" for c in all_cities().values())
    raise UnknownCity(f"Kota '{code_or_slug}' tidak dikenal. Kota yang tersedia: {known}.")


def city_levels(code: str) -> tuple[str, ...]:
    """The area levels of the city with this code (all five for a city without a city file)."""
    try:
        return get_city(code).levels
    except UnknownCity:
        return ALL_LEVELS


def level_below(code: str, level: str) -> str | None:
    """The level under `level` in that city: 'rt' under a kelurahan where the city has no RW."""
    levels = city_levels(code)
    i = levels.index(level) if level in levels else len(levels)
    return levels[i + 1] if i + 1 < len(levels) else None
