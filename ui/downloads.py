"""Download buttons for tables (Excel, CSV) and charts (PNG); every export is audited.

Streamlit serves a download at `/media/<id>` to anyone who holds the URL, without a session
(streamlit issue #8148). So no file exists before the click: each button carries a callable that
Streamlit runs only when the user clicks (a deferred download). That callable is the one way a
file leaves the server: it writes the audit line, then registers the file here, and the file is
deleted from Streamlit's media store once the browser has fetched it, or LIFETIME_S after it was
made if nobody fetches it, whatever the page does meanwhile.
"""

from __future__ import annotations

import itertools
import json
import os
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go
import streamlit as st
from streamlit import runtime
from streamlit.logger import get_logger
from streamlit.runtime.media_file_storage import MediaFileKind

from pipelines.access import audit
from pipelines.access.accounts import Account
from pipelines.read.exports import to_csv, to_xlsx
from pipelines.settings import Settings, get_settings

# The browser fetches a file within a second of the click; a minute covers a slow link or a
# loaded server, and a URL copied from the browser's download list is dead before it can be
# passed on. Tests shorten it through the environment.
LIFETIME_S = float(os.environ.get("TKPKD_UNDUHAN_DETIK", "60"))
# Streamlit's download button fetches the URL twice per click: once to check that it answers,
# once to save the file. The second fetch withdraws it.
FETCHES_PER_DOWNLOAD = 2
# If a browser fetches only once, the file goes this long after that fetch.
TAKEN_GRACE_S = 5.0
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

log = get_logger("tkpkd.unduhan")
_lock = threading.Lock()
_generations = itertools.count(1)


@dataclass
class _Offered:
    generation: int
    fetches: int = 0


# File id in Streamlit's media store -> the file made for the latest click with that content.
_offered: dict[str, _Offered] = {}


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:60] or "data"


def _media_store():
    """Streamlit's in-memory media store, watched so that a fetched file can be withdrawn.

    Streamlit's own server reaches the store the same way (`media_file_mgr._storage`) and its
    `/media` route looks every request up through `get_file`, which is what is watched."""
    if not runtime.exists():
        return None
    store = runtime.get_instance().media_file_mgr._storage
    with _lock:
        if not getattr(store, "_tkpkd_watched", False):
            lookup = store.get_file

            def get_file(filename: str):
                found = lookup(filename)
                file_id, extension = os.path.splitext(filename)
                if extension:  # the route asks for `<id>.xlsx`; the store's own get_url for the bare id
                    _fetched(store, file_id)
                return found

            store.get_file = get_file
            store._tkpkd_watched = True
    return store


def _register(store, data: bytes, mime: str, file_name: str) -> None:
    # The store names a file by a hash of its bytes, type and name: storing it first gives the id
    # that Streamlit finds (and keeps) when the callable returns.
    file_id = store.load_and_get_id(data, mime, MediaFileKind.DOWNLOADABLE, file_name)
    with _lock:
        generation = next(_generations)
        _offered[file_id] = _Offered(generation)
    _later(LIFETIME_S, store, file_id, generation, "kedaluwarsa")


def _fetched(store, file_id: str) -> None:
    with _lock:
        offered = _offered.get(file_id)
        if offered is None:
            return
        offered.fetches += 1
        generation, fetches = offered.generation, offered.fetches
    if fetches >= FETCHES_PER_DOWNLOAD:
        _withdraw(store, file_id, generation, "sudah diambil")
    elif fetches == 1:
        _later(TAKEN_GRACE_S, store, file_id, generation, "sudah diambil")


def _withdraw(store, file_id: str, generation: int, reason: str) -> None:
    with _lock:
        offered = _offered.get(file_id)
        if offered is None or offered.generation != generation:
            return  # already gone, or made again by a later click that has its own timers
        del _offered[file_id]
        store.delete_file(file_id)
    log.info("berkas unduhan %s ditarik: %s", file_id, reason)


def _later(delay: float, *args) -> None:
    timer = threading.Timer(delay, _withdraw, args)
    timer.daemon = True
    timer.start()


def _offer(
    label: str,
    make: Callable[[], bytes],
    *,
    file_name: str,
    mime: str,
    key: str,
    audit_line: dict,
    settings: Settings,
    once: threading.Lock | None = None,
    consume: str | None = None,
) -> None:
    """One download button whose file is made, audited and registered for withdrawal on click."""
    store = _media_store()

    def produce() -> bytes:
        # `once` is held by the first file made from a one-time offer and never released.
        if once is not None and not once.acquire(blocking=False):
            raise PermissionError("unduhan sekali pakai sudah diambil")
        data = make()
        audit.record(settings, action="ekspor", **audit_line)
        if store is not None:
            _register(store, data, mime, file_name)
        return data

    st.download_button(
        label,
        produce,
        file_name=file_name,
        mime=mime,
        key=key,
        # A one-time offer reruns the page so that its buttons disappear; others stay as they are.
        on_click=_take_offer if consume else "ignore",
        args=(consume,) if consume else None,
        icon=":material/download:",
    )


def _take_offer(consume: str) -> None:
    st.session_state.pop(consume, None)


def table(
    frame: pd.DataFrame,
    *,
    name: str,
    account: Account,
    area: str,
    key: str,
    title: str | None = None,
    consume: str | None = None,
) -> None:
    """Excel and CSV of a table shown on the page (the rows the user already sees).

    `consume`: a session key popped when a file is taken, for downloads offered only once; one
    file at most is ever made from such an offer, in whichever format is clicked first."""
    once = threading.Lock() if consume else None
    settings = get_settings()
    formats = (
        ("Unduh Excel", "Excel", "xlsx", XLSX, lambda: to_xlsx(frame, name, title=title)),
        ("Unduh CSV", "CSV", "csv", "text/csv", lambda: to_csv(frame)),
    )
    for column, (label, kind, ext, mime, make) in zip(st.columns([1, 1, 4]), formats, strict=False):
        with column:
            _offer(
                label,
                make,
                file_name=f"{_slug(name)}.{ext}",
                mime=mime,
                key=f"{key}_{ext}",
                audit_line=_line(account, f"{name} ({kind})", len(frame), area),
                settings=settings,
                once=once,
                consume=consume,
            )


def _line(account: Account, what: str, rows: int, area: str) -> dict:
    return {"user": account.username, "role": account.peran, "scope": area, "rows": rows, "detail": what}


@st.cache_data(show_spinner=False, max_entries=32)
def _png(figure_json: str) -> bytes:
    fig = go.Figure(json.loads(figure_json))
    return fig.to_image(format="png", width=1400, height=int(fig.layout.height or 600), scale=1)


def chart_png(fig: go.Figure, *, name: str, account: Account, area: str, key: str) -> None:
    """PNG on request: drawing it starts a headless Chromium (kaleido), so it is not done on every run."""
    if st.button("Siapkan gambar PNG", key=f"{key}_siapkan", icon=":material/image:"):
        st.session_state[f"{key}_png"] = True
    if st.session_state.get(f"{key}_png"):
        try:
            png = _png(fig.to_json())
        except Exception:  # kaleido needs Chromium; say so instead of failing the page
            st.error("Gambar PNG tidak bisa dibuat di server ini (Chromium tidak tersedia).")
            return
        _offer(
            "Unduh PNG",
            lambda: png,
            file_name=f"{_slug(name)}.png",
            mime="image/png",
            key=f"{key}_unduh",
            audit_line=_line(account, f"{name} (PNG)", 0, area),
            settings=get_settings(),
        )
