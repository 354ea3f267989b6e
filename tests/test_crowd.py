"""A meeting room opening the dashboard at once: logins from one address, shared work, server settings."""

from __future__ import annotations

import base64
import threading
import time
import tomllib
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from pipelines.access import accounts
from tests.apptest import PASSWORD, failed, texts
from tests.test_evaluation import make_programme_city
from ui import auth, data, nav, state

ROOT = Path(__file__).resolve().parent.parent
# More people than accounts.SOURCE_MAX_FAILURES, all behind one address (a meeting room's network).
ROOM = accounts.SOURCE_MAX_FAILURES + 5
ADDRESS = "-"  # what AppTest's login form reports as the client's address


def _login(username: str) -> AppTest:
    """The login form, filled in and sent, as one participant does."""
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=120)
    at.run()
    at.text_input(key="masuk_nama").input(username)
    at.text_input(key="masuk_sandi").input(PASSWORD)
    return at.button[0].click().run()


def test_a_room_behind_one_address_logging_in_together_all_get_in(settings, monkeypatch):
    names = [f"peserta{i:02d}" for i in range(ROOM)]
    for name in names:
        accounts.create(
            settings, username=name, nama=name, peran="pimpinan", wilayah=None, password=PASSWORD, city_code="61.71"
        )
    checking, most = 0, 0
    count = threading.Lock()
    real = accounts.authenticate

    def counted(*args, **kwargs):
        nonlocal checking, most
        with count:
            checking += 1
            most = max(most, checking)
        try:
            return real(*args, **kwargs)
        finally:
            with count:
                checking -= 1

    monkeypatch.setattr(accounts, "authenticate", counted)
    start = threading.Barrier(len(names))
    answers: dict[str, str] = {}

    def submit(name: str) -> None:
        # The check the login form makes, for everyone at the same moment from the same address.
        start.wait()
        try:
            answers[name] = auth.check_password(settings, name, PASSWORD, source=ADDRESS).username
        except accounts.AccountError as exc:
            answers[name] = str(exc)

    threads = [threading.Thread(target=submit, args=(name,)) for name in names]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert answers == {name: name for name in names}
    assert most <= auth.LOGINS_AT_ONCE
    # Whoever comes in late through the form, from the same address, is not locked out either.
    late = _login(names[0])
    assert not late.error
    assert late.session_state[state.ACCOUNT] == names[0]


def _page_as(username: str, page: str) -> AppTest:
    """A logged-in session on `page`, keeping what earlier sessions left in Streamlit's caches."""
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=120)
    now = time.time()
    at.session_state[state.ACCOUNT] = username
    at.session_state[state.LOGIN_AT] = now
    at.session_state[state.LAST_SEEN] = now
    at.run()
    at.switch_page(page)
    return at.run()


@pytest.fixture
def programmes(settings, tmp_path):
    """The small city with programmes, its chair and analyst, and the camat of Pontianak Kota."""
    make_programme_city(settings, tmp_path)
    for username, role, area in (
        ("pimpinan", "pimpinan", None),
        ("analis", "analis", None),
        ("camat-kota", "camat", "61.71.01"),
    ):
        accounts.create(
            settings, username=username, nama=username, peran=role, wilayah=area, password=PASSWORD, city_code="61.71"
        )
    return settings


def test_the_chair_and_the_analysts_share_one_evaluation_and_a_camat_gets_their_own(programmes, monkeypatch):
    computed: list[tuple[str | None, str | None]] = []
    real = data.evaluate

    def counted(reader, scope, period, *, area=None):
        computed.append((scope.kode_wilayah, area))
        return real(reader, scope, period, area=area)

    monkeypatch.setattr(data, "evaluate", counted)
    st.cache_data.clear()
    for user in ("pimpinan", "analis", "pimpinan", "camat-kota"):
        at = _page_as(user, "views/evaluasi.py")
        assert not failed(at), failed(at)
        assert "Jawaban singkat untuk rapat" in texts(at)
    # The camat's scope stays in the key: their kecamatan is computed within their own area.
    assert computed == [(None, "61.71"), ("61.71.01", "61.71.01")]


def test_the_server_settings_that_keep_a_crowd_moving():
    """Read as Streamlit reads them: a misspelt option would be ignored silently by the server."""
    from streamlit import config

    settings = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    options = {f"{section}.{key}": value for section, values in settings.items() for key, value in values.items()}
    assert set(options) <= set(config._config_options)
    assert options["server.fileWatcherType"] == "none"
    assert options["runner.postScriptGC"] is False


def test_the_tab_icon_is_the_shipped_icon_read_once():
    assert nav.ICON.startswith("data:image/png;base64,")
    assert base64.b64decode(nav.ICON.split(",", 1)[1]) == (ROOT / "ui" / "ikon.png").read_bytes()
