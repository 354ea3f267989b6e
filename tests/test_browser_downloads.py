"""Downloads in Debian's Chromium: the page stays, each click is one audit line, and a /media URL
serves nothing to someone without a session once the file is taken or has expired.

Streamlit serves /media/... to anyone holding the URL (streamlit issue #8148). Files are made only
on click (ui/downloads.py) and withdrawn once the browser has fetched them, or after
TKPKD_UNDUHAN_DETIK seconds if nobody does; this server uses a short lifetime so that the expiry is
seen within the test.
"""

from __future__ import annotations

import json
import os
import re
import urllib.error
import urllib.request

import openpyxl
import pytest

from pipelines.lake.publish import publish
from pipelines.settings import Settings
from tests.apptest import PASSWORD, create_users
from tests.browser import WAIT_MS, Server, login, require_chromium, shot, wait_idle
from tests.conftest import make_small_city

pytestmark = pytest.mark.browser
playwright = pytest.importorskip("playwright.sync_api")
require_chromium()

LIFETIME_S = "6"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    root = tmp_path_factory.mktemp("unduhan")
    settings = Settings(root / "data", None, "500MB", 2)
    os.environ["TKPKD_HASH_KEY"] = "00" * 32
    make_small_city(settings, root)
    publish(settings=settings)
    create_users(settings)
    os.environ["TKPKD_UNDUHAN_DETIK"] = LIFETIME_S
    try:
        srv = Server(settings.data_dir)
    finally:
        del os.environ["TKPKD_UNDUHAN_DETIK"]
    srv.settings = settings
    yield srv
    srv.stop()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1440, "height": 1000}, locale="id-ID", accept_downloads=True)
    pg = context.new_page()
    yield pg
    context.close()


def outsider_status(url: str) -> int:
    """What someone holding the URL, without any session cookie, gets."""
    try:
        with urllib.request.urlopen(url, timeout=10) as r:
            return r.status
    except urllib.error.HTTPError as exc:
        return exc.code


def exports(server) -> list[dict]:
    path = server.settings.audit_dir / "audit.jsonl"
    return [json.loads(line) for line in path.read_text().splitlines() if '"ekspor"' in line]


def wait_for_withdrawal(page, server, url: str, reason: str, timeout_s: float = 60) -> None:
    """Until the server's log says the file behind `url` was withdrawn for `reason`."""
    file_id = re.search(r"/media/([0-9a-f]+)\.", url).group(1)
    line = f"berkas unduhan {file_id} ditarik: {reason}"
    log = server.settings.data_dir / "streamlit.log"
    for _ in range(int(timeout_s * 5)):
        if line in log.read_text():
            return
        page.wait_for_timeout(200)
    raise AssertionError(f"not withdrawn ({reason}): {url}")


def take(page, label: str):
    """Click a download button; returns (download, URL) once the browser has checked and saved it."""
    with (
        page.expect_response(
            lambda r: "/media/" in r.url and r.request.resource_type == "fetch", timeout=WAIT_MS
        ) as checked,
        page.expect_download(timeout=WAIT_MS) as saved,
    ):
        page.get_by_role("button", name=label).click()
    assert checked.value.url == saved.value.url
    return saved.value, saved.value.url


def open_names(page, server) -> None:
    login(page, server.url, "lurah", PASSWORD, "sasaran")
    wait_idle(page)
    page.get_by_text("Tampilkan nama dan alamat").click()
    page.get_by_role("button", name="Siapkan unduhan daftar (berisi nama)").wait_for()
    wait_idle(page)  # the next click must not land on a button of the run being replaced
    assert page.get_by_role("button", name="Unduh Excel").count() == 0, "offered before it was asked for"
    page.get_by_role("button", name="Siapkan unduhan daftar (berisi nama)").click()
    page.get_by_role("button", name="Unduh Excel").wait_for()
    wait_idle(page)


@pytest.mark.parametrize("label", ["Unduh Excel", "Unduh CSV"])
def test_chair_downloads_the_overview_table_and_the_url_then_serves_nothing(server, page, label):
    login(page, server.url, "pimpinan", PASSWORD)
    page.get_by_text("Apa yang berubah").wait_for()
    wait_idle(page)
    before = len(exports(server))
    download, url = take(page, label)
    assert download.suggested_filename.startswith("ringkasan-")
    wait_idle(page)
    page.get_by_text("Apa yang berubah").wait_for()
    assert "This app has encountered an error" not in page.inner_text("body")
    [line] = exports(server)[before:]
    assert line["pengguna"] == "pimpinan" and line["rincian"].startswith("Ringkasan")
    assert outsider_status(url) == 404
    wait_for_withdrawal(page, server, url, "sudah diambil")
    shot(page, f"unduh_ringkasan_{label.split()[-1].lower()}")


def test_lurah_takes_the_names_list_once_and_an_outsider_then_gets_nothing(server, page):
    open_names(page, server)
    before = len(exports(server))
    download, url = take(page, "Unduh Excel")
    with open(download.path(), "rb") as fh:
        rows = list(openpyxl.load_workbook(fh).active.iter_rows(values_only=True))
    assert "Kepala 2" in {value for row in rows for value in row}
    wait_idle(page)
    page.get_by_role("heading", name="Keluarga sasaran").wait_for()
    page.get_by_role("button", name="Unduh Excel").wait_for(state="detached", timeout=WAIT_MS)  # a one-time offer
    assert page.get_by_role("button", name="Unduh CSV").count() == 0
    [line] = exports(server)[before:]
    assert (line["pengguna"], line["wilayah"]) == ("lurah", "61.71.01.1006")
    assert outsider_status(url) == 404
    wait_for_withdrawal(page, server, url, "sudah diambil")
    shot(page, "unduh_sasaran")


def test_a_names_file_the_browser_never_fetches_expires(server, page):
    open_names(page, server)
    # The file is made on the server, but the browser never fetches it (a dropped connection): its
    # check is aborted and the link it would follow to save the file is not followed.
    page.route("**/media/**", lambda route: route.abort())
    page.evaluate(
        """() => {
            const follow = HTMLAnchorElement.prototype.click;
            HTMLAnchorElement.prototype.click = function () {
                if (!this.href.includes('/media/')) return follow.call(this);
                window.asked = this.href;
            };
        }"""
    )
    before = len(exports(server))
    page.get_by_role("button", name="Unduh Excel").click()
    url = page.wait_for_function("() => window.asked").json_value()
    assert len(exports(server)) == before + 1
    wait_for_withdrawal(page, server, url, "kedaluwarsa")
    assert outsider_status(url) == 404


@pytest.mark.parametrize("user", ["pimpinan", "lurah"])
def test_the_data_grid_offers_no_csv_download_of_its_own(server, page, user):
    if user == "lurah":
        login(page, server.url, "lurah", PASSWORD, "sasaran")
        wait_idle(page)
        page.get_by_text("Tampilkan nama dan alamat").click()
    else:
        login(page, server.url, "pimpinan", PASSWORD)
    wait_idle(page)
    grid = page.locator('[data-testid="stDataFrame"]').first
    grid.scroll_into_view_if_needed()
    grid.hover()
    toolbar = page.locator('[data-testid="stElementToolbar"]').first
    toolbar.get_by_role("button", name="Search").wait_for()
    assert toolbar.get_by_role("button", name="Download as CSV").count() == 0
