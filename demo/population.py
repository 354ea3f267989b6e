"""The synthetic families and their members (static attributes).

Families are a pool: those present at the start plus the new families (new KK from a
marriage or a move into the city) that appear in later quarters; some families leave.
Household size, and the house and services described in conditions.py, follow a latent
welfare value; members get ages, sexes, names and NIKs consistent with their family.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pyarrow as pa

from demo import ids, names
from demo.geography import Layout, house_points, pick_rt

PERIODS = ("2024-Q1", "2024-Q2", "2024-Q3", "2024-Q4", "2025-Q1", "2025-Q2", "2025-Q3", "2025-Q4")
START = dt.date(2024, 1, 1)
# Quarterly churn: a KK leaves (moved away, merged) or a new KK appears (marriage, moving in).
EXIT_RATE = 0.006
ENTRY_RATE = 0.008
# Latent welfare: permanent part, RT-level part (poverty clusters by neighbourhood).
SD_PERMANENT = 0.75
SD_RT = 0.25
SD_TRANSIENT = 0.35
# Relationship codes and the words exports use for them.
KEPALA, PASANGAN, ANAK, CUCU, ORANG_TUA, FAMILI = range(6)


def quarter_start(t: int) -> dt.date:
    return dt.date(2024 + t // 4, 3 * (t % 4) + 1, 1)


@dataclass
class Families:
    kel: np.ndarray
    rt: np.ndarray  # global RT index (geography.Layout)
    entry: np.ndarray  # first period present
    exit: np.ndarray  # first period absent (8 = stays)
    eth: np.ndarray
    size: np.ndarray
    base: np.ndarray  # kelurahan offset + RT effect + permanent welfare
    transient0: np.ndarray
    kk: np.ndarray  # int64 No KK
    kk_text: pa.Array
    alamat: pa.Array
    lat: np.ndarray
    lon: np.ndarray
    second: np.ndarray  # uniform per family: shared surname for some groups

    def __len__(self) -> int:
        return len(self.kel)

    def present(self, t: int) -> np.ndarray:
        return (self.entry <= t) & (self.exit > t)


@dataclass
class Persons:
    fam: np.ndarray
    rel: np.ndarray
    female: np.ndarray
    birth: np.ndarray  # days since 1900-01-01
    nik: np.ndarray
    nik_text: pa.Array
    nama: pa.Array
    head_of: np.ndarray  # per family: index of its head in this table


def build_families(layout: Layout, city_code: str, rng: np.random.Generator) -> Families:
    n0 = int(layout.families.sum())
    kel0 = np.repeat(np.arange(len(layout.kode)), layout.families)
    # Entrants per quarter, placed like the existing families.
    n_new = [int(round(ENTRY_RATE * n0 * (1 + 0.002 * t))) for t in range(1, len(PERIODS))]
    kel_new = rng.choice(len(layout.kode), size=sum(n_new), p=layout.families / n0)
    kel = np.concatenate([kel0, kel_new])
    entry = np.concatenate([np.zeros(n0, np.int8), np.repeat(np.arange(1, len(PERIODS)), n_new).astype(np.int8)])
    n = len(kel)
    # A family leaves after a geometric number of quarters; most stay the whole time.
    life = rng.geometric(EXIT_RATE, n)
    exit_ = np.minimum(entry.astype(np.int64) + life, len(PERIODS)).astype(np.int8)
    rt = pick_rt(layout, kel, rng)
    rt_effect = rng.normal(0, SD_RT, len(layout.rt_kel))
    base = layout.offset[kel] + rt_effect[rt] + rng.normal(0, SD_PERMANENT, n)
    # New families are young and a little poorer than average.
    base[entry > 0] -= 0.15
    transient0 = rng.normal(0, SD_TRANSIENT, n)
    lam = np.clip(2.45 - 0.45 * (base + transient0), 0.6, 5.5)
    size = np.minimum(1 + rng.poisson(lam), 12).astype(np.int8)
    size[entry > 0] = np.minimum(size[entry > 0], 2 + rng.integers(0, 2, (entry > 0).sum()))
    region = np.array([int(c.replace(".", "")) for c in layout.kec_kode])[kel]
    issued = rng.integers(ids.days(dt.date(2005, 1, 1)), ids.days(dt.date(2023, 12, 20)), n)
    starts = np.array([ids.days(quarter_start(t)) for t in range(len(PERIODS))])
    issued[entry > 0] = starts[entry[entry > 0]] - rng.integers(1, 80, (entry > 0).sum())
    kk = ids.compose(region, issued)
    lat, lon = house_points(layout, rt, rng)
    return Families(
        kel=kel,
        rt=rt,
        entry=entry,
        exit=exit_,
        eth=names.draw_ethnicity(city_code, n, rng),
        size=size,
        base=base,
        transient0=transient0,
        kk=kk,
        kk_text=ids.as_text(kk),
        alamat=names.addresses(city_code, rt, rng),
        lat=lat,
        lon=lon,
        second=rng.random(n),
    )


def build_persons(fam: Families, layout: Layout, city_code: str, rng: np.random.Generator) -> Persons:
    n_fam = len(fam)
    size = fam.size.astype(np.int64)
    owner = np.repeat(np.arange(n_fam), size)
    pos = np.arange(len(owner)) - np.repeat(np.cumsum(size) - size, size)
    welfare = fam.base + fam.transient0
    # Heads: mostly men; widows head a larger share of poor and elderly families.
    head_age = np.clip(rng.normal(45, 12, n_fam) - 15 * (fam.entry > 0), 19, 85)
    head_female = rng.random(n_fam) < np.clip(0.12 + 0.06 * (welfare < -1) + 0.004 * (head_age - 45), 0.05, 0.5)
    married = (size >= 2) & (rng.random(n_fam) < np.where(head_female, 0.1, 0.9))
    rel = np.full(len(owner), ANAK, np.int8)
    rel[pos == 0] = KEPALA
    rel[(pos == 1) & married[owner]] = PASANGAN
    others = (rel == ANAK) & (rng.random(len(owner)) < 0.08)
    rel[others] = rng.choice([CUCU, ORANG_TUA, FAMILI], size=others.sum(), p=[0.4, 0.35, 0.25])
    female = np.where(rel == KEPALA, head_female[owner], rng.random(len(owner)) < 0.5)
    female[rel == PASANGAN] = ~head_female[owner][rel == PASANGAN]
    age = np.empty(len(owner))
    age[rel == KEPALA] = head_age
    h = head_age[owner]
    m = rel == PASANGAN
    age[m] = np.clip(h[m] + rng.normal(-3, 4, m.sum()), 17, 90)
    m = rel == ANAK
    age[m] = rng.uniform(0.1, np.clip(h[m] - 19, 0.5, 40))
    m = rel == CUCU
    age[m] = rng.uniform(0.1, np.clip(h[m] - 38, 0.5, 20))
    m = rel == ORANG_TUA
    age[m] = np.clip(h[m] + rng.uniform(20, 32, m.sum()), 40, 98)
    m = rel == FAMILI
    age[m] = rng.uniform(5, 70, m.sum())
    # Ages are as of the end of 2023, so no member is born after the lists begin.
    birth = ids.days(dt.date(2023, 12, 31)) - (age * 365.25).astype(np.int64)
    kec_codes = np.array([int(c.replace(".", "")) for c in layout.kecamatan_codes])
    elsewhere = np.array(ids.ELSEWHERE[city_code])
    born_away = rng.random(len(owner)) < np.where(rel == ANAK, 0.06, 0.25)
    region = np.where(
        born_away,
        elsewhere[rng.integers(0, len(elsewhere), len(owner))],
        kec_codes[rng.integers(0, len(kec_codes), len(owner))],
    )
    nik = ids.compose(region, birth, female.astype(np.int64))
    head_of = np.flatnonzero(pos == 0)
    return Persons(
        fam=owner,
        rel=rel,
        female=female,
        birth=birth,
        nik=nik,
        nik_text=ids.as_text(nik),
        nama=names.person_names(city_code, fam.eth[owner], female, fam.second[owner], rng),
        head_of=head_of,
    )


def ages_at(persons: Persons, day: dt.date) -> np.ndarray:
    return (ids.days(day) - persons.birth) / 365.25
