"""Family records of one quarter as a list would hold them, and the faults real lists carry.

A record set is a dict of equal-length arrays (one entry per written row). Faults are
kept small so totals stay realistic: about 0.3% invalid head NIK (flagged by the
pipeline), 0.1% invalid No KK (rejected), 0.2% exact duplicate rows, a few conflicting
rows (same No KK, other content, older date: the newer row wins), a handful of rows from
the other city, and blank rows; in the last quarter two kelurahan send last quarter's list. Each fault happens at least once per file, so every
file exercises the cleaning rules.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pyarrow as pa

from demo import conditions as cond
from demo import ids
from demo.population import PERIODS, quarter_start
from pipelines.cities import City, all_cities

RATE_BAD_NIK = 0.003
RATE_BAD_KK = 0.001
RATE_DUPLICATE = 0.002
RATE_CONFLICT = 0.0002
RATE_BLANK = 0.0005
FOREIGN_ROWS = 3


def at_least_one(rate: float, n: int) -> int:
    return max(1, int(round(rate * n)))


def family_records(st, t: int, rng: np.random.Generator, families: np.ndarray | None = None) -> dict:
    """One record per present family (or the given families), with the list's update date."""
    f = np.flatnonzero(st.fam.present(t)) if families is None else families
    heads = st.persons.head_of[f]
    start = ids.days(quarter_start(t))
    return {
        "fam": f,
        "kk": st.fam.kk_text.take(pa.array(f)).to_numpy(zero_copy_only=False).astype(object),
        "nik": st.persons.nik_text.take(pa.array(heads)).to_numpy(zero_copy_only=False).astype(object),
        "nama": st.persons.nama.take(pa.array(heads)).to_numpy(zero_copy_only=False).astype(object),
        "kel": st.fam.kel[f],
        "rw": st.layout.rt_rw[st.fam.rt[f]],
        "rt": st.layout.rt_no[st.fam.rt[f]],
        "alamat": st.fam.alamat.take(pa.array(f)).to_numpy(zero_copy_only=False).astype(object),
        "size": st.fam.size[f].astype(np.int64),
        "desil": st.desil[f, t].astype(np.int64),
        "lantai": st.lantai[f, t],
        "dinding": st.dinding[f, t],
        "atap": st.atap[f, t],
        "air": st.air[f, t],
        "san": st.san[f, t],
        "pen": st.pen[f, t],
        "jkn": st.jkn[f, t],
        "luas": st.luas[f, t],
        "rawan": st.rawan[f, t],
        "pkh": st.deliveries["PKH"].received[f, t],
        "bpnt": st.deliveries["BPNT"].received[f, t],
        "pbi": st.jkn[f, t] == cond.code("jaminan_kesehatan", "pbi_apbn"),
        "lat": st.fam.lat[f],
        "lon": st.fam.lon[f],
        "tanggal": _update_dates(st, t, f, start, rng),
        "asli": np.ones(len(f), bool),  # the family's own current record (not a copy or a stray row)
        "foreign": np.zeros(len(f), bool),
        "foreign_kel": np.full(len(f), None, dtype=object),
    }


def stale_kelurahan(n_kel: int) -> tuple[int, ...]:
    """Kelurahan (by layout index) that did not refresh their list for the last quarter."""
    return (1, n_kel - 3) if n_kel > 4 else ()


def _update_dates(st, t: int, f: np.ndarray, start: int, rng: np.random.Generator) -> np.ndarray:
    """Days since the epoch the list was updated; in the last quarter two kelurahan still carry the
    previous quarter's dates, so the data-quality view and the early warnings have real cases."""
    dates = start + rng.integers(5, 85, len(f))
    if t == len(PERIODS) - 1:
        stale = np.isin(st.fam.kel[f], stale_kelurahan(len(st.layout.kode)))
        dates[stale] = start - rng.integers(60, 85, int(stale.sum()))
    return dates


def take(rec: dict, idx: np.ndarray) -> dict:
    return {k: v[idx] for k, v in rec.items()}


def concat(*recs: dict) -> dict:
    return {k: np.concatenate([r[k] for r in recs]) for k in recs[0]}


def other_city(city: City) -> City:
    return next(c for c in all_cities().values() if c.kode != city.kode)


def break_ids(rec: dict, rng: np.random.Generator, *, kk_key: str = "kk", nik_key: str = "nik") -> dict:
    """Invalid head NIK (some left blank) and invalid No KK, in place; returns the counts."""
    n = len(rec[kk_key])
    bad_nik = rng.choice(n, size=min(n, at_least_one(RATE_BAD_NIK, n)), replace=False)
    blank = bad_nik[: len(bad_nik) // 10]
    rec[nik_key] = (
        ids.corrupt(pa.array(rec[nik_key], pa.string()), bad_nik, rng, is_nik=True)
        .to_numpy(zero_copy_only=False)
        .astype(object)
    )
    rec[nik_key][blank] = "-"
    bad_kk = rng.choice(n, size=min(n, at_least_one(RATE_BAD_KK, n)), replace=False)
    rec[kk_key] = (
        ids.corrupt(pa.array(rec[kk_key], pa.string()), bad_kk, rng, is_nik=False)
        .to_numpy(zero_copy_only=False)
        .astype(object)
    )
    return {"nik_kepala_tidak_sah": int(len(bad_nik)), "no_kk_tidak_sah": int(len(bad_kk)), "_kk_rusak": bad_kk}


def conflicts(rec: dict, rng: np.random.Generator) -> dict:
    """Older, different copies of a few records (another RT and size): the newer row must win."""
    n = len(rec["kk"])
    pick = rng.choice(n, size=min(n, at_least_one(RATE_CONFLICT, n)), replace=False)
    copy = take(rec, pick)
    copy["rt"] = copy["rt"] + 1
    copy["size"] = copy["size"] + 1
    copy["tanggal"] = copy["tanggal"] - rng.integers(20, 60, len(pick))
    copy["asli"] = np.zeros(len(pick), bool)
    return copy


def foreign(rec: dict, city: City, rng: np.random.Generator, n: int = FOREIGN_ROWS) -> dict:
    """Rows of families of the other city that slipped into this city's list."""
    other = other_city(city)
    regions = other.regions()
    kel = regions[regions["level"] == "kelurahan"]
    pick = rng.choice(len(rec["kk"]), size=n, replace=False)
    rows = take(rec, pick)
    region = np.array([int(k.replace(".", "")) for k in rng.choice(kel["parent_kode"].to_numpy(), n)])
    born = rng.integers(ids.days(dt.date(1960, 1, 1)), ids.days(dt.date(2000, 1, 1)), n)
    # Serials from 9000 up: never equal to a generated family of either city.
    rows["kk"] = np.array([str(v + 9000) for v in ids.compose(region, born + 5000)], dtype=object)
    rows["nik"] = np.array([str(v + 9000) for v in ids.compose(region, born)], dtype=object)
    rows["foreign"] = np.ones(n, bool)
    rows["asli"] = np.zeros(n, bool)
    rows["fam"] = np.full(n, -1)
    rows["foreign_kel"] = rng.choice(kel["nama_kemendagri"].to_numpy(), n).astype(object)
    return rows


def row_order(n: int, rng: np.random.Generator, *, duplicates: bool = True, blanks: bool = True) -> pa.Array:
    """Row order for writing: every record once, some twice (exact duplicates), some blank (null)."""
    order = np.arange(n, dtype=np.int64)
    if duplicates:
        dup = rng.choice(n, size=min(n, at_least_one(RATE_DUPLICATE, n)), replace=False)
        order = np.insert(order, rng.integers(0, n, len(dup)), dup)
    mask = np.zeros(len(order), bool)
    if blanks:
        where = rng.integers(1, len(order), at_least_one(RATE_BLANK, n))
        order = np.insert(order, where, -1)
        mask = order < 0
    return pa.array(np.where(mask, 0, order), mask=mask)


def order_counts(order: pa.Array, n: int) -> dict:
    return {"duplikat_persis": int(len(order) - order.null_count - n), "baris_kosong": int(order.null_count)}
