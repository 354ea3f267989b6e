"""Every session-state key, named once, with typed getters."""

from __future__ import annotations

import time

import streamlit as st

ACCOUNT = "akun"  # username of the logged-in account
LOGIN_AT = "masuk_pada"
LAST_SEEN = "terakhir_aktif"
SESSION_VERSION = "versi_sesi"  # the account's sesi_versi at login; a change ends the session
AREA = "wilayah"  # selected Kemendagri code
PERIOD = "periode"
INDICATOR = "indikator"
MAP_MODE = "mode_peta"  # "porsi" (share of families) or "jumlah"
SHOW_NAMES = "tampilkan_nama"  # names unmasked on the case list, per session
# Widget keys of the area cascade, top to bottom.
PICK_KECAMATAN = "pilih_kecamatan"
PICK_KELURAHAN = "pilih_kelurahan"
PICK_RW = "pilih_rw"
PICK_RT = "pilih_rt"
PICK_PERIOD = "pilih_periode"
CASCADE = (PICK_KECAMATAN, PICK_KELURAHAN, PICK_RW, PICK_RT)


def account_username() -> str | None:
    return st.session_state.get(ACCOUNT)


def area() -> str | None:
    return st.session_state.get(AREA)


def period() -> str | None:
    return st.session_state.get(PERIOD)


def indicator(default: str) -> str:
    return st.session_state.get(INDICATOR, default)


def touch() -> None:
    st.session_state[LAST_SEEN] = time.time()


def clear_login() -> None:
    for key in (ACCOUNT, LOGIN_AT, LAST_SEEN, SESSION_VERSION, SHOW_NAMES):
        st.session_state.pop(key, None)
