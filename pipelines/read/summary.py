"""`python -m pipelines summary`: area indicators of the current version, full access."""

from __future__ import annotations

import datetime as dt
import math

from pipelines.access.scope import Scope
from pipelines.periods import require_period
from pipelines.read.query import reader

SUMMARY_COLUMNS = (
    "kode_wilayah",
    "nama_wilayah",
    "level",
    "periode",
    "jumlah_keluarga",
    "jumlah_jiwa",
    "keluarga_desil_1",
    "keluarga_desil_1_4",
    "keluarga_fakir_miskin",
    "keluarga_rtlh",
    "keluarga_tanpa_air_layak",
    "keluarga_tanpa_sanitasi_layak",
    "keluarga_tanpa_jaminan_kesehatan",
    "keluarga_rawan_pangan",
    "keluarga_penerima_program",
    "galat_eksklusi",
    "galat_inklusi",
    "keluarga_nik_valid",
    "keluarga_perlu_verifikasi",
    "konflik",
    "terakhir_diperbarui",
)


def _plain(value):
    """JSON-friendly: NaN/NaT -> None, whole floats -> int, dates -> ISO."""
    if value is None or (isinstance(value, float) and math.isnan(value)) or str(value) == "NaT":
        return None
    if isinstance(value, dt.date):
        return value.isoformat()[:10]
    if hasattr(value, "item"):
        value = value.item()
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def summary(period: str, level: str) -> list[dict]:
    period = require_period(period)
    frame = reader().area_indicators(Scope.whole_city(), period=period, level=level)
    return [{k: _plain(v) for k, v in row.items()} for row in frame[list(SUMMARY_COLUMNS)].to_dict("records")]
