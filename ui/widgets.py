"""Shared widgets: the area and period selectors (kept across pages and in the URL)."""

from __future__ import annotations

import streamlit as st

from pipelines.access import audit
from pipelines.access.accounts import Account
from pipelines.cities import city_levels, level_below
from pipelines.domain import CODE, Kode, level_of
from pipelines.periods import period_label
from pipelines.settings import get_settings
from ui import data, state

ALL = ""  # the "all sub-areas" choice of a cascade select
LEVEL_WORDS = {"kota": "Kota", "kecamatan": "Kecamatan", "kelurahan": "Kelurahan", "rw": "RW", "rt": "RT"}
CHILD_WORDS = {"kota": "kecamatan", "kecamatan": "kelurahan", "kelurahan": "RW", "rw": "RT", "rt": ""}
# A level as a sentence says it ("naik di 3 kelurahan", "di 4 RT").
LEVEL_NOUNS = {"kota": "kota", "kecamatan": "kecamatan", "kelurahan": "kelurahan", "rw": "RW", "rt": "RT"}
# The widget key of each level's select in the sidebar cascade.
CASCADE_KEYS = dict(zip(("kecamatan", "kelurahan", "rw", "rt"), state.CASCADE))


def levels() -> tuple[str, ...]:
    """The area levels of the current city, top to bottom (no 'rw' where the city has no RW)."""
    return city_levels(data.city()[0])


def uses_rw() -> bool:
    return "rw" in levels()


def child_level(level: str) -> str | None:
    """The level of the sub-areas of an area at `level` in the current city."""
    return level_below(data.city()[0], level)


def child_word(level: str) -> str:
    """The sub-areas of an area at `level`, as a sentence says them: 'kelurahan', 'RW', 'RT' ('' below RT)."""
    below = child_level(level)
    return LEVEL_NOUNS[below] if below else ""


def child_label(level: str) -> str:
    """The same as a column header or heading: 'Kelurahan', 'RW', 'RT'."""
    below = child_level(level)
    return LEVEL_WORDS[below] if below else ""


def _known_areas(account: Account, period: str) -> dict[str, dict]:
    rows = data.indicators(account.scope, period=period)
    return {
        r["kode_wilayah"]: r for r in rows[["kode_wilayah", "nama_wilayah", "level", "kode_induk"]].to_dict("records")
    }


def _apply_url(account: Account, periods: list[str], city_code: str) -> None:
    """Take the area and period from the link when they differ from the session (a shared link)."""
    params = st.query_params
    wanted_period = params.get("periode")
    if wanted_period and wanted_period != state.period():
        if wanted_period in periods:
            st.session_state[state.PERIOD] = wanted_period
            st.session_state[state.PICK_PERIOD] = wanted_period
        else:
            st.toast(f"Periode {wanted_period} tidak tersedia; menampilkan periode terakhir.")
    wanted_area = params.get("wilayah")
    if wanted_area and wanted_area != state.area():
        scope = account.scope
        if not CODE.match(wanted_area) or not wanted_area.startswith(city_code) or not scope.covers(wanted_area):
            audit.refused(get_settings(), account, f"tautan ke wilayah {wanted_area[:40]}")
            st.warning("Wilayah pada tautan berada di luar wilayah kewenangan Anda; menampilkan wilayah Anda.")
            return
        _set_cascade(account, wanted_area)
    if (ind := params.get("indikator")) and ind != st.session_state.get(state.INDICATOR):
        st.session_state[state.INDICATOR] = ind


def _set_cascade(account: Account, kode: str) -> None:
    """Point the cascade selects at `kode` (before they are drawn)."""
    st.session_state[state.AREA] = kode
    # The account's own area and those above it have no select.
    base = len(Kode(account.wilayah).ancestors()) if account.wilayah else 1
    for key in state.CASCADE:
        st.session_state[key] = ALL
    used = levels()
    # An RT code of a city without RW still has an RW part ('.000.'): that part has no select.
    for code in Kode(kode).ancestors()[base:]:
        if code.level in used:
            st.session_state[CASCADE_KEYS[code.level]] = code.text


PENDING = "_pindah_ke"


def go_to(account: Account, kode: str) -> None:
    """Drill into an area (e.g. after a click on the map) when the scope allows it.

    The selects are already drawn in this run, so the move is applied at the start of the next."""
    if account.scope.covers(kode):
        st.session_state[PENDING] = kode
        st.rerun()


def _reset_below(index: int) -> None:
    for key in state.CASCADE[index + 1 :]:
        st.session_state[key] = ALL


def select_area_and_period(account: Account) -> tuple[str, str]:
    """Sidebar selectors; returns (area code, period). The choice is kept in the session and the URL."""
    periods = data.periods()
    city_code, city_name = data.city()
    if state.period() not in periods:
        st.session_state[state.PERIOD] = periods[-1]
    if not state.area():
        _set_cascade(account, account.wilayah or city_code)
    _apply_url(account, periods, city_code)
    if (target := st.session_state.pop(PENDING, None)) and account.scope.covers(target):
        _set_cascade(account, target)
    names = data.region_names()
    with st.sidebar:
        chosen_period = st.selectbox(
            "Periode",
            periods[::-1],
            format_func=period_label,
            key=state.PICK_PERIOD,
            index=periods[::-1].index(state.period()),
        )
        st.session_state[state.PERIOD] = chosen_period
        known = _known_areas(account, chosen_period)
        root = account.wilayah or city_code
        st.markdown(f"**Wilayah:** {names.get(root, city_name) if level_of(root) != 'kota' else city_name}")
        current = root
        while options := [k for k, r in known.items() if r["kode_induk"] == current]:
            # The sub-areas' own level names the select: RT right under a kelurahan where a city has no RW.
            level = known[options[0]]["level"]
            key = CASCADE_KEYS[level]
            if st.session_state.get(key) not in options:
                st.session_state[key] = ALL
            choice = st.selectbox(
                LEVEL_WORDS[level],
                [ALL, *sorted(options)],
                key=key,
                on_change=_reset_below,
                args=(state.CASCADE.index(key),),
                format_func=lambda k, lv=level: f"Semua {LEVEL_NOUNS[lv]}" if k == ALL else known[k]["nama_wilayah"],
            )
            if choice == ALL:
                break
            current = choice
        st.session_state[state.AREA] = current
    st.query_params["wilayah"] = current
    st.query_params["periode"] = chosen_period
    return current, chosen_period


def area_name(kode: str, rows_name: str | None = None) -> str:
    names = data.region_names()
    if kode in names:
        level = level_of(kode)
        return names[kode] if level == "kota" else f"{LEVEL_WORDS[level]} {names[kode]}"
    return rows_name or kode
