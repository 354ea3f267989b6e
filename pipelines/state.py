"""Which city this data directory serves: the city is configuration, not code.

Order: the TKPKD_KOTA environment variable, then the city recorded in the data
directory (by `demo --city` or `kota --set`), then Kota Pontianak.
"""

from __future__ import annotations

from pipelines.cities import City, get_city
from pipelines.settings import Settings

DEFAULT_CITY = "61.71"


def _city_file(settings: Settings):
    return settings.state_dir / "kota"


def active_city(settings: Settings) -> City:
    if settings.city_code:
        return get_city(settings.city_code)
    path = _city_file(settings)
    if path.exists():
        return get_city(path.read_text(encoding="utf-8").strip())
    return get_city(DEFAULT_CITY)


def set_city(settings: Settings, city: City) -> None:
    settings.state_dir.mkdir(parents=True, exist_ok=True)
    _city_file(settings).write_text(city.kode, encoding="utf-8")
