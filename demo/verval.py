"""Field verification (verval) of the poorer families, scored like Kepmensos 262/HUK/2022.

Each quarter the RT heads and Dinas Sosial visit the families in desil 1-3 and a sample
of desil 4-5, and record, for each adult, the eight criteria plus the direct criterion
(no place to live). The criteria follow the family's real conditions, with a little
disagreement between enumerators, so a person meets six or more criteria mostly in the
poorest families. A family is fakir miskin (FM) if any verified member is.
"""

from __future__ import annotations

import numpy as np

from demo import conditions as cond
from demo.population import KEPALA, PASANGAN, ages_at, quarter_start

SAMPLE_DESIL_4_5 = 0.15
OTHER_ADULT_SHARE = 0.35
# Chance that an enumerator records a criterion differently from the family's situation.
NOISE = 0.03
HOMELESS_SHARE = 0.002
THRESHOLD = 6
N_CRITERIA = 8


def family_criteria(st, t: int) -> np.ndarray:
    """(families, 8) bool: criteria as the family's situation stands at t."""
    return np.stack(
        [
            st.jobless[:, t],
            st.rawan[:, t],
            st.k3[:, t],
            st.k4[:, t],
            np.isin(st.lantai[:, t], cond.codes("lantai", "tanah", "bambu", "semen", "kayu_rendah")),
            np.isin(st.dinding[:, t], cond.codes("dinding", "kayu", "tanpa_plester", "seng", "bambu", "lainnya")),
            st.san[:, t] != cond.code("sanitasi", "sendiri"),
            np.isin(st.pen[:, t], cond.codes("penerangan", "pln_450", "tanpa_meter", "non_pln", "bukan")),
        ],
        axis=1,
    )


def run_verval(st, t: int, rng: np.random.Generator) -> None:
    """Visit families at t: fills st.verval, st.fm_now, st.fm_asof and st.verval_rows[t]."""
    present = st.fam.present(t)
    d = st.desil[:, t]
    visited = present & ((d <= 3) | ((d <= 5) & (rng.random(len(d)) < SAMPLE_DESIL_4_5)))
    persons = st.persons
    adult = ages_at(persons, quarter_start(t)) >= 17
    core = np.isin(persons.rel, (KEPALA, PASANGAN))
    chosen = visited[persons.fam] & (core | (adult & (rng.random(len(adult)) < OTHER_ADULT_SHARE)))
    idx = np.flatnonzero(chosen)
    fam_idx = persons.fam[idx]
    crit = family_criteria(st, t)[fam_idx] ^ (rng.random((len(idx), N_CRITERIA)) < NOISE)
    homeless_fam = visited & (d == 1) & (rng.random(len(d)) < HOMELESS_SHARE)
    homeless = homeless_fam[fam_idx]
    score = crit.sum(axis=1)
    fm_person = (score >= THRESHOLD) | homeless
    fm_fam = np.zeros(len(d), bool)
    np.logical_or.at(fm_fam, fam_idx, fm_person)
    st.verval[:, t] = visited
    st.fm_now[:, t] = fm_fam & visited
    previous = st.fm_asof[:, t - 1] if t else np.full(len(d), -1, np.int8)
    st.fm_asof[:, t] = np.where(visited, fm_fam.astype(np.int8), previous)
    bits = (crit * (1 << np.arange(N_CRITERIA))).sum(axis=1).astype(np.uint16)
    st.verval_rows[t] = (idx, bits, homeless)
