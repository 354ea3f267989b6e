"""Keluarga sasaran in Debian's Chromium: the sidebar on a phone, and a follow-up saved by clicking a row."""

from __future__ import annotations

import os
import re

import pytest

from pipelines.lake.publish import publish
from pipelines.settings import Settings
from tests.apptest import PASSWORD, create_users
from tests.browser import WAIT_MS, Server, require_chromium, shot, wait_idle
from tests.conftest import make_small_city
from tests.test_sasaran import HEAD_MASKED, add_members

pytestmark = pytest.mark.browser
playwright = pytest.importorskip("playwright.sync_api")
require_chromium()

# Streamlit tells a phone by its user agent (and by width): a 390 px window alone is not a phone.
PHONE = {
    "viewport": {"width": 390, "height": 844},
    "is_mobile": True,
    "has_touch": True,
    "user_agent": "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0.0.0 Mobile Safari/537.36",
}
DESKTOP = {"viewport": {"width": 1440, "height": 2200}}
SIDEBAR_IS = "(state) => document.querySelector('[data-testid=stSidebar]')?.dataset.collapsed === state"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    root = tmp_path_factory.mktemp("browser_sasaran")
    os.environ["TKPKD_HASH_KEY"] = "00" * 32
    settings = Settings(root / "data", None, "500MB", 2)
    make_small_city(settings, root)
    add_members(settings, root)
    publish(settings=settings)
    create_users(settings)
    srv = Server(settings.data_dir)
    yield srv
    srv.stop()


def open_as_lurah(browser, server, device: dict, path: str):
    """Log in on the given device (tests.browser.login waits for a sidebar button a phone hides)."""
    page = browser.new_context(locale="id-ID", **device).new_page()
    page.goto(f"{server.url}/{path}")
    page.get_by_label("Nama pengguna").fill("lurah")
    page.get_by_label("Kata sandi").fill(PASSWORD)
    page.get_by_role("button", name="Masuk").click()
    return page


def wait_sidebar(page, collapsed: bool) -> None:
    page.wait_for_function(SIDEBAR_IS, arg="true" if collapsed else "false", timeout=WAIT_MS)


def test_phone_sidebar_stays_out_of_the_way_after_login_and_navigation(browser, server):
    page = open_as_lurah(browser, server, PHONE, "sasaran")
    page.get_by_role("heading", name="Keluarga sasaran").wait_for(timeout=WAIT_MS)
    wait_idle(page)
    wait_sidebar(page, collapsed=True)
    assert page.get_by_test_id("stSidebar").bounding_box()["x"] < 0, "the sidebar is off the screen"
    shot(page, "sasaran_ponsel")
    page.get_by_test_id("stExpandSidebarButton").click()
    wait_sidebar(page, collapsed=False)
    page.get_by_role("link", name="Ringkasan").click()
    page.get_by_role("heading", name="Ringkasan").wait_for(timeout=WAIT_MS)
    wait_idle(page)
    wait_sidebar(page, collapsed=True)
    shot(page, "ringkasan_ponsel_setelah_pindah")
    page.context.close()


def test_desktop_sidebar_stays_open(browser, server):
    page = open_as_lurah(browser, server, DESKTOP, "sasaran")
    page.get_by_role("heading", name="Keluarga sasaran").wait_for(timeout=WAIT_MS)
    wait_idle(page)
    wait_sidebar(page, collapsed=False)
    page.get_by_role("link", name="Ringkasan").click()
    page.get_by_role("heading", name="Ringkasan").wait_for(timeout=WAIT_MS)
    wait_idle(page)
    wait_sidebar(page, collapsed=False)
    page.context.close()


@pytest.mark.parametrize("device", [DESKTOP, PHONE], ids=["desktop", "ponsel"])
def test_lurah_clicks_a_family_and_saves_a_follow_up(browser, server, device):
    page = open_as_lurah(browser, server, device, "sasaran")
    page.get_by_role("heading", name="Keluarga sasaran").wait_for(timeout=WAIT_MS)
    wait_idle(page)
    grid = page.get_by_test_id("stDataFrame").first
    grid.scroll_into_view_if_needed()
    box = grid.bounding_box()
    page.mouse.click(box["x"] + 14, box["y"] + 35 + 17)  # the first row's selection box
    page.get_by_text("Catat tindak lanjut untuk keluarga ini").wait_for(timeout=WAIT_MS)
    wait_idle(page)
    assert page.get_by_role("heading", name=HEAD_MASKED).count() == 1
    page.get_by_role("tab", name="Anggota (3)").wait_for()
    notes_tab = page.get_by_role("tab", name=re.compile(r"^Tindak lanjut \(\d+\)$"))
    before = int(re.search(r"\d+", notes_tab.inner_text()).group())
    status = page.get_by_label("Status")
    # A phone opens the list on a tap (the box is read-only there); a desktop on a click.
    status.tap() if device is PHONE else status.click()
    page.get_by_role("option", name="Perlu kunjungan rumah").click()
    page.get_by_label("Catatan").fill("Atap bocor, cek bersama RT")
    page.get_by_role("button", name="Simpan tindak lanjut").click()
    done = page.get_by_text(f"Tindak lanjut untuk {HEAD_MASKED} (RW 001 / RT 002) tersimpan: Perlu kunjungan rumah")
    done.wait_for(timeout=WAIT_MS)
    wait_idle(page)
    # The same family stays open, one follow-up more, and the confirmation stays until the next action.
    page.get_by_role("tab", name=f"Tindak lanjut ({before + 1})").click()
    assert page.get_by_role("heading", name=HEAD_MASKED).count() == 1
    assert done.is_visible()
    shot(page, f"sasaran_tindak_lanjut_{'ponsel' if device is PHONE else 'desktop'}")
    page.context.close()
