"""Download buttons for tables (Excel, CSV) and charts (PNG); every export is audited."""

from __future__ import annotations

import json
import re

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from pipelines import audit
from pipelines.accounts import Account
from pipelines.exports import to_csv, to_xlsx
from pipelines.settings import get_settings


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:60] or "data"


def _audit_export(account: Account, what: str, rows: int, area: str) -> None:
    audit.record(
        get_settings(), user=account.username, role=account.peran, action="ekspor", scope=area, rows=rows, detail=what
    )


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

    `consume`: a session key popped when a file is taken, for downloads offered only once."""
    left, right, _ = st.columns([1, 1, 4])
    left.download_button(
        "Unduh Excel",
        to_xlsx(frame, name, title=title),
        file_name=f"{_slug(name)}.xlsx",
        key=f"{key}_xlsx",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        on_click=_audit_export,
        args=(account, f"{name} (Excel)", len(frame), area, consume),
        icon=":material/download:",
    )
    right.download_button(
        "Unduh CSV",
        to_csv(frame),
        file_name=f"{_slug(name)}.csv",
        key=f"{key}_csv",
        mime="text/csv",
        on_click=_audit_export,
        args=(account, f"{name} (CSV)", len(frame), area, consume),
        icon=":material/download:",
    )


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
        st.download_button(
            "Unduh PNG",
            png,
            file_name=f"{_slug(name)}.png",
            mime="image/png",
            key=f"{key}_unduh",
            on_click=_audit_export,
            args=(account, f"{name} (PNG)", 0, area),
            icon=":material/download:",
        )
