"""Where the synthetic families live: kelurahan, RW and RT of a city, and map points.

Pontianak's RW and RT counts per kelurahan are the real ones (calibration CSV); Bontang
has RT only, and its 499 RT are spread over kelurahan by the stunting and inmigration
counts of each kelurahan, the best proxies for population that the calibration data hold.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

import numpy as np
import pandas as pd
import shapely

from pipelines.cities import City
from pipelines.settings import REFERENCE_DIR

CALIBRATION = REFERENCE_DIR / "calibration"
# Families at scale 1.0: Disdukcapil KK counts (Pontianak 195,544 in 2020; Bontang about
# 51,000 in 2010 plus growth, i.e. roughly 55,000 today).
FAMILIES = {"61.71": 196_000, "64.74": 55_000}
BONTANG_RT = 499
# Welfare offset per kelurahan, in standard deviations of the latent welfare index.
# Riverside and fishing kelurahan are poorer; the old commercial centres richer.
OFFSETS = {
    "61.71": {
        "Batulayang": -0.55,
        "Siantan Hilir": -0.45,
        "Tambelansampit": -0.6,
        "Paritmayor": -0.55,
        "Banjar Serasan": -0.5,
        "Dalambugis": -0.45,
        "Tanjung Hilir": -0.3,
        "Bansir Darat": -0.15,
        "Siantan Tengah": -0.1,
        "Saigon": -0.1,
        "Akcaya": 0.55,
        "Tengah": 0.5,
        "Daratsekip": 0.45,
        "Mariana": 0.5,
        "Sungaibangkong": 0.35,
        "Benuamelayu Darat": 0.3,
        "Parittokaya": 0.25,
        "Kotabaru": 0.25,
    },
    "64.74": {
        "Berbas Tengah": -0.5,
        "Lok Tuan": -0.35,
        "Api-api": -0.35,
        "Tanjung Laut Indah": -0.3,
        "Bontang Baru": -0.25,
        "Berbas Pantai": -0.3,
        "Bontang Kuala": -0.3,
        "Satimpo": 0.4,
        "Gunung Telihan": 0.35,
        "Belimbing": 0.3,
        "Guntung": 0.2,
        "Gunung Elai": 0.2,
    },
}
# Kelurahan whose welfare falls in the last two quarters (the early-warning signal).
WORSENING = {"61.71": ("Tanjung Hulu", "Bansir Laut", "Pallima"), "64.74": ("Guntung", "Berbas Pantai")}
# Spread of RT centres and of houses around them, in degrees (about 90 m).
HOUSE_SPREAD_DEG = 0.0008


@dataclass
class Layout:
    """Kelurahan (index k) and RT (index r) of one city; families are assigned later."""

    kode: np.ndarray  # kelurahan Kemendagri codes, e.g. 61.71.01.1002
    nama: np.ndarray  # official names
    kec_kode: np.ndarray  # kecamatan code of each kelurahan
    kec_nama: np.ndarray
    offset: np.ndarray  # welfare offset per kelurahan
    worsening: np.ndarray  # bool per kelurahan
    n_rw: np.ndarray
    n_rt: np.ndarray
    families: np.ndarray  # families per kelurahan at the start
    rt_kel: np.ndarray  # per RT: kelurahan index
    rt_rw: np.ndarray  # per RT: RW number (0 where the city has no RW)
    rt_no: np.ndarray  # per RT: RT number within its RW (or kelurahan)
    rt_weight: np.ndarray  # per RT: share of its kelurahan's families
    rt_lat: np.ndarray
    rt_lon: np.ndarray
    geoms: list  # shapely geometry per kelurahan

    @property
    def kecamatan_codes(self) -> list[str]:
        return sorted(set(self.kec_kode.tolist()))


def _largest_remainder(total: int, weights: np.ndarray) -> np.ndarray:
    raw = total * weights / weights.sum()
    out = np.floor(raw).astype(np.int64)
    out[np.argsort(-(raw - out), kind="stable")[: total - out.sum()]] += 1
    return out


def _rw_rt_counts(city: City, codes: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    if city.kode == "61.71":
        cal = pd.read_csv(CALIBRATION / "pontianak_kelurahan_rw_rt.csv", dtype={"kode_kemendagri": str})
        cal = cal.set_index("kode_kemendagri").loc[codes["kode_kemendagri"]]
        return cal["rw"].to_numpy(np.int64), cal["rt"].to_numpy(np.int64)
    cal = pd.read_csv(CALIBRATION / "bontang_kelurahan_indicators.csv", dtype={"kode_kemendagri": str})
    cal = cal.set_index("kode_kemendagri").loc[codes["kode_kemendagri"]]
    stunting = (cal["stunt_2025_05"] + cal["stunt_2025_08"]).to_numpy(float)
    migrants = cal["inmig_2018"].to_numpy(float)
    weights = 0.5 * stunting / stunting.sum() + 0.5 * migrants / migrants.sum()
    return np.zeros(len(codes), np.int64), _largest_remainder(BONTANG_RT, weights)


def _points_in(geom, n: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """n points inside a polygon by rejection sampling in its bounding box."""
    x0, y0, x1, y1 = geom.bounds
    xs, ys = np.empty(0), np.empty(0)
    while len(xs) < n:
        cx, cy = rng.uniform(x0, x1, 4 * n + 16), rng.uniform(y0, y1, 4 * n + 16)
        inside = shapely.contains_xy(geom, cx, cy)
        xs, ys = np.concatenate([xs, cx[inside]]), np.concatenate([ys, cy[inside]])
    return ys[:n], xs[:n]


def build_layout(city: City, scale: float, rng: np.random.Generator) -> Layout:
    regions = city.regions()
    codes = regions[regions["level"] == "kelurahan"].sort_values("kode_kemendagri").reset_index(drop=True)
    kec_names = dict(zip(regions["kode_kemendagri"], regions["nama_kemendagri"]))
    n_rw, n_rt = _rw_rt_counts(city, codes)
    names = codes["nama_kemendagri"].to_numpy()
    offset = np.array([OFFSETS[city.kode].get(n, 0.0) for n in names]) + rng.normal(0, 0.05, len(names))
    families = _largest_remainder(max(len(names) * 20, round(FAMILIES[city.kode] * scale)), n_rt.astype(float))
    features = json.loads(city.batas_kelurahan.read_text(encoding="utf-8"))["features"]
    by_code = {f["properties"]["kode"]: shapely.geometry.shape(f["geometry"]) for f in features}
    geoms = [by_code[k] for k in codes["kode_kemendagri"]]
    rt_kel, rt_rw, rt_no, lat, lon = [], [], [], [], []
    for k in range(len(names)):
        if n_rw[k]:
            # Every RW has at least one RT; the rest of the kelurahan's RTs fall at random.
            per_rw = np.ones(n_rw[k], np.int64) + rng.multinomial(n_rt[k] - n_rw[k], np.full(n_rw[k], 1 / n_rw[k]))
            rw = np.repeat(np.arange(1, n_rw[k] + 1), per_rw)
            no = np.concatenate([np.arange(1, m + 1) for m in per_rw])
        else:
            rw, no = np.zeros(n_rt[k], np.int64), np.arange(1, n_rt[k] + 1)
        y, x = _points_in(geoms[k], n_rt[k], rng)
        rt_kel.append(np.full(n_rt[k], k)), rt_rw.append(rw), rt_no.append(no), lat.append(y), lon.append(x)
    rt_kel_a = np.concatenate(rt_kel)
    weight = rng.gamma(4.0, 1.0, len(rt_kel_a))
    weight /= np.bincount(rt_kel_a, weights=weight)[rt_kel_a]
    return Layout(
        kode=codes["kode_kemendagri"].to_numpy(),
        nama=names,
        kec_kode=codes["parent_kode"].to_numpy(),
        kec_nama=np.array([kec_names[c] for c in codes["parent_kode"]]),
        offset=offset,
        worsening=np.isin(names, WORSENING[city.kode]),
        n_rw=n_rw,
        n_rt=n_rt,
        families=families,
        rt_kel=rt_kel_a,
        rt_rw=np.concatenate(rt_rw),
        rt_no=np.concatenate(rt_no),
        rt_weight=weight,
        rt_lat=np.concatenate(lat),
        rt_lon=np.concatenate(lon),
        geoms=geoms,
    )


def pick_rt(layout: Layout, kel: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """An RT for each family of the given kelurahan, with the RTs' uneven sizes."""
    out = np.empty(len(kel), np.int64)
    for k in np.unique(kel):
        rows = np.flatnonzero(kel == k)
        rts = np.flatnonzero(layout.rt_kel == k)
        out[rows] = rng.choice(rts, size=len(rows), p=layout.rt_weight[rts])
    return out


def house_points(layout: Layout, rt: np.ndarray, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """A house point near its RT centre, pulled back to the centre when it falls outside the kelurahan."""
    lat = layout.rt_lat[rt] + rng.normal(0, HOUSE_SPREAD_DEG, len(rt))
    lon = layout.rt_lon[rt] + rng.normal(0, HOUSE_SPREAD_DEG, len(rt))
    kel = layout.rt_kel[rt]
    for k in np.unique(kel):
        rows = np.flatnonzero(kel == k)
        outside = ~shapely.contains_xy(layout.geoms[k], lon[rows], lat[rows])
        lat[rows[outside]], lon[rows[outside]] = layout.rt_lat[rt[rows[outside]]], layout.rt_lon[rt[rows[outside]]]
    return lat, lon
