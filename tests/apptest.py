"""Helpers for driving the app with Streamlit's AppTest as a given user."""

from __future__ import annotations

import html
import re
import time
from pathlib import Path

import streamlit as st
from streamlit.testing.v1 import AppTest

from pipelines.access import accounts
from ui import state

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "Rahasia12345"
USERS = {
    "pimpinan": ("pimpinan", None),
    "camat": ("camat", "61.71.03"),  # Pontianak Barat: Sungaijawi Dalam has data
    "lurah": ("lurah", "61.71.01.1006"),  # Akcaya
    "lurah_kosong": ("lurah", "61.71.05.1003"),  # Tengah: no families in the fixture
    "analis": ("analis", None),
    "admin": ("admin", None),
}


def create_users(settings) -> None:
    for username, (role, area) in USERS.items():
        accounts.create(
            settings,
            username=username.replace("_", "-"),
            nama=username.title(),
            peran=role,
            wilayah=area,
            password=PASSWORD,
            city_code="61.71",
        )


def app_as(username: str | None, *, page: str | None = None, query: dict | None = None) -> AppTest:
    """A fresh app, logged in as `username` (None: anonymous), optionally on `page` (views/x.py)."""
    st.cache_data.clear()
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
    if username:
        now = time.time()
        at.session_state[state.ACCOUNT] = username.replace("_", "-")
        at.session_state[state.LOGIN_AT] = now
        at.session_state[state.LAST_SEEN] = now
    if query:
        at.query_params.update(query)
    at.run()
    if page:
        at.switch_page(page)
        at.run()
    return at


def seen(markdown: str) -> str:
    """What a reader sees of Markdown written with markdown_literal: escapes and entities undone."""
    return html.unescape(re.sub(r"\\(.)", r"\1", markdown))


def texts(at: AppTest) -> str:
    """Every text the page wrote (markdown, captions, titles, alerts, metrics)."""
    parts = []
    for kind in ("title", "header", "subheader", "markdown", "caption", "info", "warning", "success", "error"):
        parts += [str(e.value) for e in at.get(kind)]
    parts += [f"{m.label}: {m.value}" for m in at.metric]
    return "\n".join(parts)


def failed(at: AppTest) -> list[str]:
    """Exceptions and the page's own failure message."""
    errors = [str(e.value) for e in at.exception]
    errors += [str(e.value) for e in at.error if "gagal ditampilkan" in str(e.value)]
    return errors
