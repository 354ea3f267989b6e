"""Eight quarters of the synthetic city: welfare, deciles, conditions, verval and programmes.

Latent welfare z = kelurahan offset + RT effect + permanent part + programme gains
+ an AR(1) transient part + a city-wide drift (+ a shock in the worsening kelurahan).
Deciles use fixed national cut points, set so that the first quarter's desil-1 share is
the city's BPS poverty rate; the drift then lowers it mildly, as BPS figures do.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from demo import conditions as cond
from demo.catalogue import Programme, catalogue
from demo.geography import Layout
from demo.ids import days
from demo.population import PERIODS, SD_TRANSIENT, Families, Persons, quarter_start
from demo.programmes import Delivery, apply_effect, new_delivery, select
from demo.verval import run_verval

# Desil-1 share in the first and last quarter: BPS P0 2024 (Pontianak 4,20%, Bontang 3,74%).
DESIL_1_START = {"61.71": 0.042, "64.74": 0.0374}
DESIL_1_END = {"61.71": 0.035, "64.74": 0.031}
# Shares of desil 2..9; desil 10 takes the rest (a city richer than the national average).
DESIL_STEPS = (0.050, 0.060, 0.070, 0.080, 0.090, 0.105, 0.125, 0.150)
RHO = 0.92
# Welfare shock of the worsening kelurahan in the last two quarters.
SHOCK = {6: -0.12, 7: -0.28}
SD_KELURAHAN_NOISE = 0.02


@dataclass
class State:
    layout: Layout
    fam: Families
    persons: Persons
    city_code: str
    n_periods: int = len(PERIODS)
    cuts: np.ndarray = field(default_factory=lambda: np.zeros(9))
    deliveries: dict[str, Delivery] = field(default_factory=dict)
    programmes: list[Programme] = field(default_factory=list)
    verval_rows: dict = field(default_factory=dict)

    def __post_init__(self) -> None:
        n, t = len(self.fam), self.n_periods
        self.z = np.zeros((n, t))
        self.desil = np.zeros((n, t), np.int8)
        for name in ("lantai", "dinding", "atap", "air", "san", "pen", "jkn"):
            setattr(self, name, np.zeros((n, t), np.int8))
        self.luas = np.zeros((n, t))
        for name in ("rawan", "jobless", "k3", "k4", "verval", "fm_now"):
            setattr(self, name, np.zeros((n, t), bool))
        self.fm_asof = np.full((n, t), -1, np.int8)
        self.boost = np.zeros(n)
        self.transient = self.fam.transient0.copy()
        head = self.persons.head_of
        self._head_birth = self.persons.birth[head]
        # PKH components per family: children under 18 and elderly from 70 (Kemensos PKH rules).
        age = (days(quarter_start(0)) - self.persons.birth) / 365.25
        self.pkh_components = np.bincount(self.persons.fam, weights=(age < 18) | (age >= 70), minlength=n).astype(int)

    def head_age(self, t: int) -> np.ndarray:
        return ages_at_birth(self._head_birth, t)

    def desil_of(self, z: np.ndarray) -> np.ndarray:
        return (1 + np.searchsorted(self.cuts, z, side="right")).astype(np.int8)

    def capacity(self, p: Programme) -> np.ndarray:
        return np.array([p.kapasitas.get(n, 1.0) for n in self.layout.nama])

    def lift(self, idx: np.ndarray, s: int, t: int, rng: np.random.Generator) -> None:
        """Raise families from starting desil s to desil s+1 (a lasting gain)."""
        gap = self.cuts[s] - self.cuts[s - 1] if s < 9 else 0.4
        target = self.cuts[s - 1] + rng.uniform(0.02, 0.5, len(idx)) * gap
        delta = np.maximum(target - self.z[idx, t], 0)
        self.boost[idx] += delta
        self.z[idx, t] += delta

    def resolve(self, need: str, idx: np.ndarray, t: int, rng: np.random.Generator) -> None:
        if need == "rtlh":
            for arr, var, bad, good in (
                (self.lantai, "lantai", ("tanah", "bambu"), "semen"),
                (self.dinding, "dinding", ("bambu", "lainnya"), "tembok"),
                (self.atap, "atap", ("jerami", "bambu"), "seng"),
            ):
                hit = idx[np.isin(arr[idx, t], cond.codes(var, *bad))]
                arr[hit, t] = cond.code(var, good)
            room = 7.5 * self.fam.size[idx] + rng.uniform(2, 8, len(idx))
            self.luas[idx, t] = np.round(np.maximum(self.luas[idx, t], room), 1)
        elif need == "air":
            self.air[idx, t] = cond.code("sumber_air", "ledeng")
        elif need == "sanitasi":
            self.san[idx, t] = cond.code("sanitasi", "sendiri")
        elif need == "jaminan_kesehatan":
            self.jkn[idx, t] = cond.code("jaminan_kesehatan", "pbi_apbd")
        elif need == "rawan_pangan":
            self.rawan[idx, t] = False


def ages_at_birth(birth: np.ndarray, t: int) -> np.ndarray:
    return (days(quarter_start(t)) - birth) / 365.25


def _river(st: State) -> np.ndarray:
    """Riverside kelurahan (the poorest offsets): river water and toilets over the river are common."""
    return (st.layout.offset[st.fam.kel] < -0.35).astype(float)


def _init(st: State, rng: np.random.Generator) -> None:
    z = st.fam.base + st.transient
    st.z[:, 0] = z
    start = DESIL_1_START[st.city_code]
    shares = np.cumsum((start, *DESIL_STEPS))
    present = st.fam.present(0)
    st.cuts = np.quantile(z[present], shares)
    river = _river(st)
    pontianak = st.city_code == "61.71"
    bonus_air = {
        "sungai": 1.2 * river,
        "hujan": np.full(len(z), 0.0 if pontianak else -1.5),
        "ledeng": np.full(len(z), 0.0 if pontianak else 0.8),
    }
    st.lantai[:, 0] = cond.draw("lantai", z, rng)
    st.dinding[:, 0] = cond.draw("dinding", z, rng, {"kayu": 0.8 * river})
    st.atap[:, 0] = cond.draw("atap", z, rng, {"jerami": 0.8 * river})
    st.air[:, 0] = cond.draw("sumber_air", z, rng, bonus_air)
    st.san[:, 0] = cond.draw("sanitasi", z, rng, {"cemplung": 1.5 * river})
    st.pen[:, 0] = cond.draw("penerangan", z, rng)
    st.jkn[:, 0] = cond.draw("jaminan_kesehatan", z, rng)
    st.luas[:, 0] = cond.floor_area(z, st.fam.size, rng)
    st.rawan[:, 0] = rng.random(len(z)) < cond.logistic(-2.9 - 1.3 * z)
    st.jobless[:, 0] = rng.random(len(z)) < cond.logistic(-2.8 - 0.9 * z + 0.06 * np.maximum(st.head_age(0) - 55, 0))
    st.k3[:, 0] = rng.random(len(z)) < cond.logistic(-0.7 - 1.6 * z)
    st.k4[:, 0] = rng.random(len(z)) < cond.logistic(-2.4 - 1.5 * z)
    end = np.quantile(z[present], DESIL_1_END[st.city_code])
    st.drift = (st.cuts[0] - end) * np.arange(st.n_periods) / (st.n_periods - 1)
    shock = np.zeros((len(st.layout.kode), st.n_periods))
    shock[:, 1:] = rng.normal(0, SD_KELURAHAN_NOISE, (len(st.layout.kode), st.n_periods - 1))
    for t, value in SHOCK.items():
        shock[st.layout.worsening, t] += value
    st.shock = shock


def _flip(mask: np.ndarray, p, rng: np.random.Generator) -> np.ndarray:
    return mask & (rng.random(len(mask)) < p)


def _step(st: State, t: int, rng: np.random.Generator) -> None:
    """Natural change from t-1 to t, the same for every family whether reached or not."""
    n = len(st.fam)
    st.transient = RHO * st.transient + np.sqrt(1 - RHO**2) * SD_TRANSIENT * rng.standard_normal(n)
    z = st.fam.base + st.boost + st.transient + st.drift[t] + st.shock[st.fam.kel, t]
    st.z[:, t] = z
    poor = st.desil[:, t - 1] <= 2
    for arr, var, bad, good in (
        (st.lantai, "lantai", ("tanah", "bambu"), "semen"),
        (st.dinding, "dinding", ("bambu", "lainnya"), "kayu"),
        (st.atap, "atap", ("jerami", "bambu"), "seng"),
    ):
        arr[:, t] = arr[:, t - 1]
        arr[_flip(np.isin(arr[:, t], cond.codes(var, *bad)), 0.02, rng), t] = cond.code(var, good)
    st.luas[:, t] = st.luas[:, t - 1] + 9.0 * (rng.random(n) < 0.01)
    st.air[:, t] = st.air[:, t - 1]
    st.air[_flip(cond.unimproved_water(st.air[:, t]), 0.03, rng), t] = cond.code("sumber_air", "isi_ulang")
    st.air[_flip(poor & ~cond.unimproved_water(st.air[:, t]), 0.004, rng), t] = cond.code("sumber_air", "sungai")
    st.san[:, t] = st.san[:, t - 1]
    st.san[_flip(cond.unsafe_sanitation(st.san[:, t]), 0.015, rng), t] = cond.code("sanitasi", "bersama")
    st.san[_flip(poor & ~cond.unsafe_sanitation(st.san[:, t]), 0.002, rng), t] = cond.code("sanitasi", "umum")
    st.jkn[:, t] = st.jkn[:, t - 1]
    joins = _flip(cond.uninsured(st.jkn[:, t]), 0.04, rng)
    st.jkn[joins, t] = np.where(
        z[joins] > st.cuts[2], cond.code("jaminan_kesehatan", "mandiri"), cond.code("jaminan_kesehatan", "pbi_apbn")
    )
    arrears = _flip((st.jkn[:, t] == cond.code("jaminan_kesehatan", "mandiri")) & (st.desil[:, t - 1] <= 3), 0.015, rng)
    st.jkn[arrears, t] = cond.code("jaminan_kesehatan", "tidak")
    st.pen[:, t] = st.pen[:, t - 1]
    st.pen[_flip(st.pen[:, t] == cond.code("penerangan", "pln_450"), 0.015, rng), t] = cond.code(
        "penerangan", "pln_900"
    )
    st.rawan[:, t] = rng.random(n) < cond.logistic(-3.3 - 1.3 * z + 1.8 * st.rawan[:, t - 1])
    older = 0.06 * np.maximum(st.head_age(t) - 55, 0)
    st.jobless[:, t] = rng.random(n) < cond.logistic(-3.4 - 0.9 * z + 2.2 * st.jobless[:, t - 1] + older)
    st.k3[:, t] = rng.random(n) < cond.logistic(-1.2 - 1.6 * z + 1.2 * st.k3[:, t - 1])
    st.k4[:, t] = rng.random(n) < cond.logistic(-2.9 - 1.5 * z + 1.2 * st.k4[:, t - 1])


def simulate(layout: Layout, fam: Families, persons: Persons, city_code: str, rng: np.random.Generator) -> State:
    st = State(layout, fam, persons, city_code)
    st.programmes = catalogue(city_code)
    st.deliveries = {p.kode: new_delivery(len(fam), len(layout.kode), st.n_periods) for p in st.programmes}
    for t in range(st.n_periods):
        if t == 0:
            _init(st, rng)
        else:
            _step(st, t, rng)
            for p in st.programmes:
                apply_effect(p, st.deliveries[p.kode], st, t, rng)
        st.desil[:, t] = st.desil_of(st.z[:, t])
        run_verval(st, t, rng)
        for p in st.programmes:
            select(p, st.deliveries[p.kode], st, t, rng)
    return st
