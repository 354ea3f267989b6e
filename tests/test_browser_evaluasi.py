"""The Evaluasi page in Debian's Chromium: the quadrant chart draws and the answers read as on a projector."""

from __future__ import annotations

import os

import pytest

from pipelines.settings import Settings
from tests.apptest import PASSWORD, create_users
from tests.browser import CHROMIUM, CHROMIUM_ARGS, WAIT_MS, Server, login, require_chromium, shot, wait_idle
from tests.test_evaluation import make_programme_city

pytestmark = pytest.mark.browser
playwright = pytest.importorskip("playwright.sync_api")
require_chromium()


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    root = tmp_path_factory.mktemp("browser_evaluasi")
    os.environ["TKPKD_HASH_KEY"] = "00" * 32
    settings = Settings(root / "data", None, "500MB", 2)
    make_programme_city(settings, root)
    create_users(settings)
    srv = Server(settings.data_dir)
    yield srv
    srv.stop()


def test_evaluation_page_draws_the_quadrants_and_answers(server):
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        # Tall enough that the whole first tab is in the screenshot (Streamlit scrolls inside the page).
        page = browser.new_page(viewport={"width": 1440, "height": 2200}, locale="id-ID")
        login(page, server.url, "pimpinan", PASSWORD, "evaluasi")
        wait_idle(page)
        page.get_by_text("Jawaban singkat untuk rapat").wait_for(timeout=WAIT_MS)
        # On a busy machine the page fills in over several frames: wait for each thing it must show.
        for text in ("Keluaran rendah, dampak tinggi", "Keluaran tinggi, dampak rendah", "Rp25,0 juta"):
            page.get_by_text(text, exact=False).first.wait_for(timeout=WAIT_MS)
        traces = (
            "() => (document.querySelector('.js-plotly-plot')?.data || []).filter(t => t.name).map(t => [t.name, t.y])"
        )
        page.wait_for_function(
            f"() => ({traces})().some(t => t[0] === 'Keluaran tinggi, dampak rendah')", timeout=WAIT_MS
        )
        wait_idle(page)
        rows = page.evaluate(traces)
        assert ["Keluaran tinggi, dampak rendah", ["Sosialisasi Kewirausahaan (SOS)"]] in rows
        shot(page, "evaluasi")
        page.get_by_role("tab", name="Ketepatan sasaran").click()
        page.get_by_text("Siapa yang terlewat").wait_for(timeout=WAIT_MS)
        page.locator('[role="tabpanel"]:visible .js-plotly-plot').first.wait_for(timeout=WAIT_MS)
        shot(page, "evaluasi_sasaran")
        browser.close()
