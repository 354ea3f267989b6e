"""Who receives each programme in each quarter, and how the true effect is realised.

Selection at period t uses only the state observed at t-1. The effect of the cohort
first reached at t lands at t+1: among that cohort, those whose outcome would not have
improved anyway are improved, chosen at random, in the number that makes the improvement
probability exactly `efek` higher than without the programme (the counterfactual is known
here because the simulation computes it first). For decile outcomes this is done within
each starting desil, so the effect is the same whatever desil the evaluator compares.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from demo import conditions as cond
from demo.catalogue import EXIT_DESIL, EXIT_RATE_HIGH, EXIT_RATE_LOW, STOCK, Programme


@dataclass
class Delivery:
    """What happened to one programme: receipts, first receipts, planned counts, realised effects."""

    received: np.ndarray  # (families, periods) bool
    first: np.ndarray  # (families, periods) bool: first period reached
    planned: np.ndarray  # (kelurahan, periods) expected recipients without delivery shortfalls
    base: dict = field(default_factory=dict)  # period of receipt -> families counted for the effect
    forced: dict = field(default_factory=dict)  # period of receipt -> families improved by the programme


def _stochastic_round(x: float, rng: np.random.Generator) -> int:
    return int(np.floor(x + rng.random()))


def need_at(st, need: str, t: int) -> np.ndarray:
    if need == "rtlh":
        return cond.rtlh(st.lantai[:, t], st.dinding[:, t], st.atap[:, t], st.luas[:, t], st.fam.size)
    if need == "air":
        return cond.unimproved_water(st.air[:, t])
    if need == "sanitasi":
        return cond.unsafe_sanitation(st.san[:, t])
    if need == "jaminan_kesehatan":
        return cond.uninsured(st.jkn[:, t])
    if need == "rawan_pangan":
        return st.rawan[:, t].copy()
    raise KeyError(need)


def _weights(p: Programme, st, t_obs: int) -> np.ndarray:
    """Selection probability from what was observed at t_obs (desil, FM, needs)."""
    table = np.zeros(11)
    table[1 : len(p.peluang) + 1] = p.peluang
    w = table[st.desil[:, t_obs]]
    if p.pengali_fm != 1.0:
        w = w * np.where(st.fm_asof[:, t_obs] == 1, p.pengali_fm, 1.0)
    if p.pengali_rawan != 1.0:
        w = w * np.where(st.rawan[:, t_obs], p.pengali_rawan, 1.0)
    if p.butuh:
        w = w * need_at(st, p.butuh, t_obs)
    if p.kode == "UMKM":
        w = w * ((st.head_age(t_obs) >= 20) & (st.head_age(t_obs) <= 60))
    return np.clip(w, 0, 1)


def select(p: Programme, d: Delivery, st, t: int, rng: np.random.Generator) -> None:
    present = st.fam.present(t)
    if t == 0:
        if p.ongoing:
            stock = np.asarray(STOCK[p.kode])[st.desil[:, 0] - 1]
            d.received[:, 0] = present & (rng.random(len(present)) < stock)
        return
    seen = present & st.fam.present(t - 1)
    w = _weights(p, st, t - 1) * seen
    capacity = st.capacity(p)
    already = d.received[:, :t].any(axis=1)
    eligible = ~already
    d.planned[:, t] = np.bincount(st.fam.kel, weights=w * eligible, minlength=len(st.layout.kode))
    new = eligible & (rng.random(len(w)) < w * capacity[st.fam.kel])
    if p.ongoing:
        stays = d.received[:, t - 1] & present
        rate = np.where(st.desil[:, t - 1] >= EXIT_DESIL, EXIT_RATE_HIGH, EXIT_RATE_LOW)
        stays &= rng.random(len(rate)) >= rate
        d.planned[:, t] += np.bincount(st.fam.kel, weights=stays, minlength=len(st.layout.kode))
        d.received[:, t] = stays | new
    else:
        d.received[:, t] = new
    d.first[:, t] = new


def apply_effect(p: Programme, d: Delivery, st, t: int, rng: np.random.Generator) -> None:
    """Land the effect of the cohort first reached at t-1 on period t (baseline t-2)."""
    r, b = t - 1, t - 2
    if b < 0:
        return
    cohort = d.first[:, r] & st.fam.present(b) & st.fam.present(t)
    if p.hasil == "naik_desil":
        base_n, forced = 0, 0
        current = st.desil_of(st.z[:, t])
        for s in range(1, 10):
            stratum = cohort & (st.desil[:, b] == s)
            n = int(stratum.sum())
            stuck = np.flatnonzero(stratum & (current <= s))
            k = min(len(stuck), _stochastic_round(p.efek * n, rng))
            base_n, forced = base_n + n, forced + k
            if k:
                st.lift(rng.choice(stuck, size=k, replace=False), s, t, rng)
        d.base[r], d.forced[r] = base_n, forced
        return
    had = cohort & need_at(st, p.hasil, b)
    stuck = np.flatnonzero(had & need_at(st, p.hasil, t))
    k = min(len(stuck), _stochastic_round(p.efek * had.sum(), rng))
    d.base[r], d.forced[r] = int(had.sum()), k
    if k:
        st.resolve(p.hasil, rng.choice(stuck, size=k, replace=False), t, rng)


def new_delivery(n_fam: int, n_kel: int, n_periods: int) -> Delivery:
    return Delivery(
        received=np.zeros((n_fam, n_periods), bool),
        first=np.zeros((n_fam, n_periods), bool),
        planned=np.zeros((n_kel, n_periods)),
    )
