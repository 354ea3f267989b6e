"""Browser tests in Debian's Chromium: what only a browser shows (login gate, map, clicks, links)."""

from __future__ import annotations

import os
import re
import time

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from pipelines.lake.publish import publish
from pipelines.settings import Settings
from tests.apptest import PASSWORD, create_users
from tests.browser import WAIT_MS, Server, click_until_url, login, require_chromium, shot, wait_idle
from tests.conftest import make_small_city
from ui.nav import PAGES

pytestmark = pytest.mark.browser
playwright = pytest.importorskip("playwright.sync_api")
require_chromium()


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    root = tmp_path_factory.mktemp("browser")
    settings = Settings(root / "data", None, "500MB", 2)
    os.environ["TKPKD_HASH_KEY"] = "00" * 32
    make_small_city(settings, root)
    publish(settings=settings)
    create_users(settings)
    srv = Server(settings.data_dir)
    yield srv
    srv.stop()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1440, "height": 1000}, locale="id-ID")
    context.set_default_timeout(WAIT_MS)
    pg = context.new_page()
    yield pg
    context.close()


@pytest.mark.parametrize("path", ["", *PAGES])
def test_every_page_url_without_login_shows_only_the_login(server, page, path):
    page.goto(f"{server.url}/{path}")
    page.get_by_label("Nama pengguna").wait_for(timeout=WAIT_MS)
    wait_idle(page)
    body = page.inner_text("body")
    assert "Kata sandi" in body
    for leak in ("Ringkasan:", "Keluarga desil", "Peta", "Unggah data", "Log audit", "Akcaya"):
        assert leak not in body.replace("Masuk", ""), f"{path}: '{leak}' visible before login"


def test_overview_shows_headline_figures(server, page):
    login(page, server.url, "pimpinan", PASSWORD)
    # Cards are drawn after the summary box: wait for the ones the test reads, however loaded the machine.
    for label in ("Keluarga desil 1-4", "Keluarga fakir miskin"):
        page.locator('[data-testid="stMetricLabel"]', has_text=label).first.wait_for(timeout=WAIT_MS)
    wait_idle(page)
    metrics = page.locator('[data-testid="stMetric"]')
    found = {}
    for i in range(metrics.count()):
        label = metrics.nth(i).locator('[data-testid="stMetricLabel"]').inner_text().strip()
        found[label] = metrics.nth(i).locator('[data-testid="stMetricValue"]').inner_text().strip()
    assert found["Keluarga desil 1-4"] == "4" and found["Keluarga fakir miskin"] == "1"
    shot(page, "ringkasan")


MAP_STATE = """() => {
    const gd = document.querySelector('.js-plotly-plot');
    const map = gd && gd._fullLayout && gd._fullLayout.map && gd._fullLayout.map._subplot.map;
    const style = map && map.getStyle();
    if (!style || !style.sources) return {loaded: false, rendered: 0, locations: 0};
    // Each drawn polygon is a feature in one of the map's sources (one per legend class),
    // repeated across internal tiles; its centroid property identifies it.
    const seen = new Set();
    for (const source of Object.keys(style.sources)) {
        for (const f of map.querySourceFeatures(source)) seen.add(JSON.stringify(f.properties.ct));
    }
    return {loaded: map.loaded() && map.areTilesLoaded(), rendered: seen.size,
            locations: gd.data.flatMap(t => t.locations || []).length};
}"""


def _map_state(page, areas: int) -> dict:
    """The map's state at the moment it had loaded and drawn `areas` polygons (or what it drew when
    the wait ran out): on a loaded machine the sources fill in one by one after it first reports
    loaded, and a later redraw makes it report not-loaded again for a moment."""
    try:
        ready = page.wait_for_function(
            f"() => {{ const s = ({MAP_STATE})(); return s.loaded && s.rendered >= {areas} ? s : false; }}",
            timeout=WAIT_MS,
        )
        return ready.json_value()
    except PlaywrightTimeout:
        return page.evaluate(MAP_STATE)


def test_map_draws_all_29_kelurahan_offline(server, page):
    requests = []
    page.on("request", lambda r: requests.append(r.url))
    login(page, server.url, "pimpinan", PASSWORD, "peta")
    wait_idle(page)
    state = _map_state(page, 29)
    assert state["loaded"] and state["locations"] == 29 and state["rendered"] == 29, state
    outside = [u for u in requests if not u.startswith((server.url, "data:", f"blob:{server.url}"))]
    assert outside == [], f"the page reached the network: {outside[:3]}"
    shot(page, "peta")


def test_clicking_a_kelurahan_drills_into_it(server, page):
    login(page, server.url, "pimpinan", PASSWORD, "peta")
    wait_idle(page)
    page.wait_for_function(
        "() => document.querySelector('.js-plotly-plot') && document.querySelector('.js-plotly-plot')._fullLayout.map",
        timeout=WAIT_MS,
    )
    page.wait_for_function(
        "() => { const m = document.querySelector('.js-plotly-plot')._fullLayout.map._subplot.map;"
        " return m.loaded() && m.areTilesLoaded(); }",
        timeout=WAIT_MS,
    )
    # Sungaijawi Dalam's label point (published with the shapes), projected to screen pixels by the map.
    xy = page.evaluate(
        """() => {
            const gd = document.querySelector('.js-plotly-plot');
            const map = gd._fullLayout.map._subplot.map;
            const p = map.project([109.315294, -0.018852]);
            const box = map.getCanvas().getBoundingClientRect();
            return [box.left + p.x, box.top + p.y];
        }"""
    )
    click_until_url(page, xy, re.compile(r"wilayah=61\.71\.03\.1002"))
    wait_idle(page)
    page.get_by_text("Kelurahan Sungaijawi Dalam", exact=False).first.wait_for()
    shot(page, "peta_kelurahan")


def test_shared_link_restores_the_view_after_login(server, page):
    link = "peta?wilayah=61.71.03&periode=2025-Q3&indikator=keluarga_fakir_miskin"
    login(page, server.url, "pimpinan", PASSWORD, link)
    wait_idle(page)
    assert all(part in page.url for part in ("peta", "wilayah=61.71.03", "periode=2025-Q3"))
    page.get_by_text("Keluarga fakir miskin · Kecamatan Pontianak Barat · Triwulan III 2025").wait_for()
    shot(page, "peta_tautan")


def _fetch_as_outsider(url: str) -> int:
    """What someone holding the URL, without any session cookie, gets."""
    import urllib.error
    import urllib.request

    try:
        with urllib.request.urlopen(url, timeout=10) as r:
            return r.status
    except urllib.error.HTTPError as exc:
        return exc.code


def test_what_an_outsider_holding_a_download_url_gets(server, browser):
    """Streamlit serves /media/... to anyone holding the URL, without a session (streamlit issue
    #8148). The case list prepares a file with names only after an explicit click, and ui/downloads.py
    withdraws it once the browser has fetched it (or after TKPKD_UNDUHAN_DETIK if nobody does), so an
    outsider who learns the URL later gets nothing. The README's deployment notes close the remaining
    seconds with a reverse proxy that requires the user's login on every path, /media included."""
    context = browser.new_context(viewport={"width": 1440, "height": 1000}, accept_downloads=True)
    context.set_default_timeout(WAIT_MS)
    page = context.new_page()
    login(page, server.url, "lurah", PASSWORD, "sasaran")
    wait_idle(page)
    assert page.get_by_role("button", name="Unduh Excel").count() == 0  # nothing prepared before the click
    page.get_by_text("Tampilkan nama dan alamat").click()
    # Each click reruns the page: wait for what the rerun shows, then for the run to end, so the next
    # click never lands on a button of the run being replaced (a deferred download would be lost).
    page.get_by_role("button", name="Siapkan unduhan daftar (berisi nama)").wait_for()
    wait_idle(page)
    page.get_by_role("button", name="Siapkan unduhan daftar (berisi nama)").click()
    page.get_by_role("button", name="Unduh Excel").wait_for()
    wait_idle(page)
    with page.expect_download() as download:
        page.get_by_role("button", name="Unduh Excel").click()
    url = download.value.url
    assert "/media/" in url and download.value.suggested_filename.endswith(".xlsx")
    # Offered once: the rerun after the take removes the button (wait for it, it may not have started).
    page.get_by_role("button", name="Unduh Excel").wait_for(state="detached", timeout=WAIT_MS)
    # Taken once, the file is withdrawn within seconds, while the user stays on the page.
    deadline = time.monotonic() + 90
    while _fetch_as_outsider(url) != 404:
        assert time.monotonic() < deadline, "the names file is still served after it was taken"
        page.wait_for_timeout(250)
    context.close()
