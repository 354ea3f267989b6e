"""How exports spell values: kelurahan names, RT/RW, desil, yes/no, numbers and dates.

Each function turns clean values into the text one kind of export writes. Every
kelurahan spelling used is checked against the pipeline's resolver when it is built,
so a spelling the pipeline cannot read is never written by accident.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from demo import conditions as cond
from demo.geography import Layout
from demo.ids import EPOCH
from pipelines.cities import City
from pipelines.periods import BULAN
from pipelines.regions import region_index

KEL_STYLES = ("resmi", "bps", "lapangan", "kode", "kel")


def kelurahan_spellings(city: City, layout: Layout) -> dict[str, np.ndarray]:
    """Per style, one spelling per kelurahan: official, BPS upper case, field, 10-digit code, 'Kel. X'."""
    regions = city.regions().set_index("kode_kemendagri")
    field = {}
    if city.ejaan_lapangan_csv is not None:
        spell = pd.read_csv(city.ejaan_lapangan_csv, dtype=str, keep_default_na=False)
        field = dict(zip(spell["kode_kemendagri"], spell["nama_sumber"]))
    out: dict[str, list[str]] = {s: [] for s in KEL_STYLES}
    for kode, nama in zip(layout.kode, layout.nama):
        row = regions.loc[kode]
        bps = row["nama_bps"] or nama
        out["resmi"].append(nama)
        out["bps"].append(bps.upper().replace(" ", "  ", 1) if " " in bps else bps.upper())
        out["lapangan"].append(field.get(kode) or row["nama_areaid"].split("(")[0].strip() or nama)
        # Compact codes that are also another kelurahan's BPS code are ambiguous; exports write those dotted.
        compact = row["kode_kemendagri_10digit"]
        out["kode"].append(kode if compact in region_index(city.kode).ambiguous else compact)
        out["kel"].append(f"Kel. {bps}")
    index = region_index(city.kode)
    for style, names in out.items():
        for kode, name in zip(layout.kode, names):
            got = index.resolve(name).kode
            if got != kode:
                raise ValueError(f"ejaan '{name}' ({style}) terbaca sebagai {got}, bukan {kode}")
    return {s: np.array(v, dtype=object) for s, v in out.items()}


def kelurahan(
    spell: dict[str, np.ndarray], kel: np.ndarray, main: str, rng: np.random.Generator, other: float = 0.04
) -> np.ndarray:
    """Mostly the file's own style; a few rows in another style (lists are merged from many hands)."""
    text = spell[main][kel].copy()
    mixed = np.flatnonzero(rng.random(len(kel)) < other)
    styles = [s for s in KEL_STYLES if s != main]
    for s, rows in zip(styles, np.array_split(mixed, len(styles))):
        text[rows] = spell[s][kel[rows]]
    return text


def rtrw(values: np.ndarray, style: str, rng: np.random.Generator, prefix: str = "RT") -> pa.Array:
    """'5', '05', '005' or 'RT 05' (style: plain, two, three, prefixed, mixed)."""
    plain = pc.cast(pa.array(values, pa.int64()), pa.string())
    two = pc.utf8_lpad(plain, 2, "0")
    three = pc.utf8_lpad(plain, 3, "0")
    if style == "plain":
        return plain
    if style == "three":
        return three
    if style == "prefixed":
        return pc.binary_join_element_wise(prefix, two, " ")
    pick = rng.integers(0, 3, len(values))
    return pc.if_else(pa.array(pick == 0), plain, pc.if_else(pa.array(pick == 1), two, three))


def desil(values: np.ndarray, style: str) -> pa.Array:
    table = {
        "angka": [str(i) for i in range(11)],
        "dua": [f"{i:02d}" for i in range(11)],
        "desil": [f"Desil {i}" for i in range(11)],
        "DESIL": [f"DESIL {i}" for i in range(11)],
    }[style]
    return pa.array(np.array(table, dtype=object)[values], pa.string())


YESNO = {"ya": ("Tidak", "Ya"), "yt": ("T", "Y"), "10": ("0", "1"), "terima": ("Tidak Terima", "Terima")}


def yesno(values: np.ndarray, style: str) -> pa.Array:
    words = np.array(YESNO[style], dtype=object)
    return pa.array(words[values.astype(np.int64)], pa.string())


def _fixed(values: np.ndarray, digits: int, *, keep_zero: bool) -> pa.Array:
    """Fixed-point text without Python loops: '-0.034567', '36.5' ('36' when keep_zero is False)."""
    scale = 10**digits
    scaled = np.round(np.abs(values) * scale).astype(np.int64)
    whole = pc.cast(pa.array(scaled // scale), pa.string())
    frac = pc.utf8_lpad(pc.cast(pa.array(scaled % scale), pa.string()), digits, "0")
    text = pc.binary_join_element_wise(whole, frac, ".")
    if not keep_zero:
        text = pc.if_else(pa.array(scaled % scale == 0), whole, text)
    negative = pa.array((values < 0) & (scaled > 0))
    return pc.if_else(negative, pc.binary_join_element_wise("-", text, ""), text)


def decimal(values: np.ndarray, comma: bool, digits: int = 1) -> pa.Array:
    """'36.5' (DTSEN) or '36,5' (Indonesian locale); whole numbers without decimals."""
    text = _fixed(values, digits, keep_zero=False)
    return pc.replace_substring(text, ".", ",") if comma else text


def coordinates(values: np.ndarray) -> pa.Array:
    """Six decimals, so '109.345' (thousand-group look-alike) is never written."""
    return _fixed(values, 6, keep_zero=True)


def to_dates(day_numbers: np.ndarray) -> list[dt.date]:
    base = EPOCH.toordinal()
    return [dt.date.fromordinal(base + int(d)) for d in day_numbers]


def dates(day_numbers: np.ndarray, style: str) -> pa.Array:
    """iso 2025-03-15, dmy 15/03/2025, dash 15-03-2025, long 15 Maret 2025 (each distinct day formatted once)."""
    unique, inverse = np.unique(day_numbers, return_inverse=True)
    return _format_days(unique, style).take(pa.array(inverse))


def _format_days(day_numbers: np.ndarray, style: str) -> pa.Array:
    stamps = pa.array((np.datetime64(EPOCH.isoformat()) + day_numbers.astype("timedelta64[D]")).astype("datetime64[s]"))
    if style == "iso":
        return pc.strftime(stamps, "%Y-%m-%d")
    if style == "dmy":
        return pc.strftime(stamps, "%d/%m/%Y")
    if style == "dash":
        return pc.strftime(stamps, "%d-%m-%Y")
    months = np.array(BULAN, dtype=object)[pc.month(stamps).to_numpy() - 1]
    return pc.binary_join_element_wise(
        pc.cast(pc.day(stamps), pa.string()), pa.array(months, pa.string()), pc.cast(pc.year(stamps), pa.string()), " "
    )


def rupiah(values: np.ndarray, style: str) -> pa.Array:
    """plain 600000, dots 600.000, rp 'Rp 600.000', sen '600.000,00'."""
    plain = [str(int(v)) for v in values]
    if style == "plain":
        return pa.array(plain, pa.string())
    dots = [f"{int(v):,}".replace(",", ".") for v in values]
    if style == "dots":
        return pa.array(dots, pa.string())
    if style == "rp":
        return pa.array([f"Rp {d}" for d in dots], pa.string())
    return pa.array([f"{d},00" for d in dots], pa.string())


def labels(cat_labels: np.ndarray, values: np.ndarray) -> pa.Array:
    return pa.array(cat_labels[values.astype(np.int64)], pa.string())


def rw_column(rec: dict, ctx, header: str, style: str, rng: np.random.Generator) -> dict:
    """RW only where the city numbers by RW (see ctx.write_rw for the Bontang caveat)."""
    return {header: rtrw(np.maximum(rec["rw"], 1), style, rng, "RW")} if ctx.write_rw else {}


def count_text(values: np.ndarray) -> pa.Array:
    return pa.array(values.astype(str).astype(object), pa.string())


def conditions_columns(rec: dict, style: int, *, comma: bool, headers: tuple[str, ...] | None = None) -> dict:
    names = headers or (
        "Jenis Lantai",
        "Jenis Dinding",
        "Jenis Atap",
        "Luas Lantai (m2)",
        "Sumber Air Minum",
        "Fasilitas BAB",
        "Sumber Penerangan",
        "Jaminan Kesehatan",
    )
    values = (
        labels(cond.labels("lantai", style), rec["lantai"]),
        labels(cond.labels("dinding", style), rec["dinding"]),
        labels(cond.labels("atap", style), rec["atap"]),
        decimal(rec["luas"], comma),
        labels(cond.labels("sumber_air", style), rec["air"]),
        labels(cond.labels("sanitasi", style), rec["san"]),
        labels(cond.labels("penerangan", style), rec["pen"]),
        labels(cond.labels("jaminan_kesehatan", style), rec["jkn"]),
    )
    return dict(zip(names, values))
