"""The Peta page in Debian's Chromium: what only a browser shows. The whole map, its legend and its
names fit a 1280x720 projector screen and a phone; each name sits on its own area as MapLibre draws
it; the CSV of the count view holds counts and real shares; the way back up works after a click."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest
import shapely.geometry

from tests import test_browser as shared
from tests.apptest import PASSWORD
from tests.browser import click_until_url, login, require_chromium, shot, wait_idle

# The small city's server and Chromium, as the other browser tests start them.
server = shared.server

pytestmark = pytest.mark.browser
playwright = pytest.importorskip("playwright.sync_api")
require_chromium()

WAIT_MS = 120_000  # a loaded 2-core machine can take a minute for a first page
PHONE = dict(
    viewport={"width": 390, "height": 844},
    is_mobile=True,
    has_touch=True,
    device_scale_factor=2,
    user_agent="Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1",
)

# The map has drawn: MapLibre has loaded its sources and stopped moving, and every name is on the page.
MAP_READY = """() => {
    const gd = document.querySelector('.js-plotly-plot');
    const sub = gd && gd._fullLayout && gd._fullLayout.map && gd._fullLayout.map._subplot;
    const names = (gd && gd.layout && gd.layout.annotations) || [];
    return !!(sub && sub.map && sub.map.loaded() && !sub.map.isMoving()) && names.length > 0
        && gd.querySelectorAll('.annotation').length === names.length
        && !document.querySelector('[data-testid="stStatusWidget"]');
}"""

# Boxes on the page of the figure, its legend, the map canvas, each drawn area and each name; and
# where on the map (lon/lat) each name is written, or where its line points for a name set beside.
LAYOUT = """() => {
    const gd = document.querySelector('.js-plotly-plot');
    const map = gd._fullLayout.map._subplot.map;
    const canvas = map.getCanvas().getBoundingClientRect();
    const rect = r => [r.left, r.top, r.right, r.bottom];
    const areas = [];
    for (const trace of gd.data) {
        const wanted = new Set(trace.locations || []);
        for (const f of (trace.geojson ? trace.geojson.features : [])) {
            if (!wanted.has(f.id)) continue;
            const polys = f.geometry.type === 'Polygon' ? [f.geometry.coordinates] : f.geometry.coordinates;
            let box = [Infinity, Infinity, -Infinity, -Infinity];
            for (const ring of polys.flat()) for (const pt of ring) {
                const p = map.project(pt);
                box = [Math.min(box[0], p.x), Math.min(box[1], p.y), Math.max(box[2], p.x), Math.max(box[3], p.y)];
            }
            areas.push({id: f.id, geometry: f.geometry,
                        box: [canvas.left + box[0], canvas.top + box[1], canvas.left + box[2], canvas.top + box[3]]});
        }
    }
    const size = gd._fullLayout._size;
    const names = gd._fullLayout.annotations.map((a, i) => {
        const r = gd.querySelector(`.annotation[data-index="${i}"] .annotation-text-g`).getBoundingClientRect();
        const at = a.showarrow
            ? [size.w / 2 + a.xshift, size.h / 2 - a.yshift]
            : [(r.left + r.right) / 2 - canvas.left, (r.top + r.bottom) / 2 - canvas.top];
        const ll = map.unproject(at);
        return {id: a.name, text: a.text, line: !!a.showarrow, box: rect(r), lonlat: [ll.lng, ll.lat]};
    });
    const legend = gd.querySelector('.legend');
    return {figure: rect(gd.getBoundingClientRect()), legend: legend && rect(legend.getBoundingClientRect()),
            canvas: rect(canvas), areas, names, viewport: [innerWidth, innerHeight]};
}"""


@pytest.fixture
def open_map(browser, server):
    contexts = []

    def opener(user: str, path: str = "peta", **context):
        ctx = browser.new_context(locale="id-ID", accept_downloads=True, **context)
        contexts.append(ctx)
        page = ctx.new_page()
        login(page, server.url, user, PASSWORD, path)
        page.wait_for_function(MAP_READY, timeout=WAIT_MS)
        return page

    yield opener
    for ctx in contexts:
        ctx.close()


def inside(inner, outer, slack: float = 1.0) -> bool:
    return (
        inner[0] >= outer[0] - slack
        and inner[1] >= outer[1] - slack
        and inner[2] <= outer[2] + slack
        and inner[3] <= outer[3] + slack
    )


def assert_whole_map_visible(layout: dict, screen) -> None:
    assert inside(layout["figure"], screen), f"figure {layout['figure']} outside the screen {screen}"
    assert layout["legend"] and inside(layout["legend"], screen), f"legend {layout['legend']} off the screen"
    cut = [a["id"] for a in layout["areas"] if not inside(a["box"], layout["canvas"])]
    assert layout["areas"] and cut == [], f"areas cut off by the map's edge: {cut}"
    outside = [n["text"] for n in layout["names"] if not inside(n["box"], layout["figure"])]
    assert outside == [], f"names outside the figure: {outside}"


@pytest.mark.parametrize("user", ["pimpinan", "camat"])
def test_whole_map_its_legend_and_names_fit_a_1280x720_screen_without_scrolling(open_map, user):
    page = open_map(user, viewport={"width": 1280, "height": 720})
    layout = page.evaluate(LAYOUT)
    assert_whole_map_visible(layout, [0, 0, 1280, 720])
    assert len(layout["names"]) == len(layout["areas"]) == (29 if user == "pimpinan" else 4)
    shot(page, f"peta_1280x720_{user}")


def test_on_a_phone_the_whole_map_and_its_legend_fit_the_screen_once_scrolled_to(open_map):
    page = open_map("pimpinan", **PHONE)
    close = page.locator('[data-testid="stSidebarCollapseButton"] button')
    if close.is_visible():  # a phone opens with the sidebar over the page
        close.click()
        page.wait_for_function('() => !document.querySelector(\'[data-testid="stSidebar"][aria-expanded="true"]\')')
    page.locator(".js-plotly-plot").first.scroll_into_view_if_needed()
    layout = page.evaluate(LAYOUT)
    assert_whole_map_visible(layout, [0, 0, 390, 844])
    shot(page, "peta_ponsel")


def test_each_name_sits_on_its_own_area_as_the_browser_draws_it(open_map):
    page = open_map("pimpinan", viewport={"width": 1280, "height": 720})
    layout = page.evaluate(LAYOUT)
    shapes = {a["id"]: shapely.geometry.shape(a["geometry"]) for a in layout["areas"]}
    # About 20 m of slack: the point is read back from screen pixels.
    astray = [
        n["text"] for n in layout["names"] if not shapes[n["id"]].buffer(0.0002).contains(shapely.Point(n["lonlat"]))
    ]
    assert astray == []
    assert any(n["line"] for n in layout["names"]), "the small kelurahan of the centre need names set beside them"


def test_the_count_view_downloads_counts_and_real_shares(open_map):
    page = open_map("pimpinan", "peta?indikator=keluarga_desil_1_4", viewport={"width": 1440, "height": 1000})
    page.get_by_text("Jumlah", exact=True).click()
    # The count view has redrawn: its legend lists family counts, not percentages.
    page.wait_for_function(
        "() => { const l = document.querySelector('.js-plotly-plot .legend'); return l && !l.textContent.includes('%'); }",
        timeout=WAIT_MS,
    )
    page.wait_for_function(MAP_READY, timeout=WAIT_MS)
    # The rerun ends after the map: a button clicked before then belongs to the run being replaced.
    wait_idle(page)
    page.get_by_text("Tabel dan unduhan").click()
    with page.expect_download(timeout=WAIT_MS) as saved:
        page.get_by_role("button", name="Unduh CSV").click()
    text = Path(saved.value.path()).read_text(encoding="utf-8-sig")
    rows = {r["Wilayah"]: r for r in csv.DictReader(io.StringIO(text), delimiter=";")}
    # Akcaya, 2025-Q4: 3 of its 4 families are in desil 1-4.
    assert (rows["Akcaya"]["Keluarga desil 1-4"], rows["Akcaya"]["Persen keluarga"]) == ("3", "75,0%")
    assert (rows["Sungaijawi Dalam"]["Keluarga desil 1-4"], rows["Sungaijawi Dalam"]["Persen keluarga"]) == (
        "1",
        "100,0%",
    )


def test_after_a_click_into_a_kelurahan_the_buttons_lead_back_to_the_city(open_map):
    page = open_map("pimpinan", viewport={"width": 1280, "height": 720})
    # A click on the name of Sungaijawi Dalam reaches the area under it.

    def name_of_sungaijawi_dalam():
        [name] = [n for n in page.evaluate(LAYOUT)["names"] if n["id"] == "61.71.03.1002"]
        return ((name["box"][0] + name["box"][2]) / 2, (name["box"][1] + name["box"][3]) / 2)

    click_until_url(page, name_of_sungaijawi_dalam, re.compile(r"wilayah=61\.71\.03\.1002(&|$)"))
    page.get_by_role("button", name="Kembali ke Kecamatan Pontianak Barat").click()
    page.wait_for_url(re.compile(r"wilayah=61\.71\.03(&|$)"), timeout=WAIT_MS)
    page.wait_for_function(MAP_READY, timeout=WAIT_MS)
    assert len(page.evaluate(LAYOUT)["names"]) == 4  # the kelurahan of Pontianak Barat
    page.get_by_role("button", name="Kembali ke Kota Pontianak").click()
    page.wait_for_url(re.compile(r"wilayah=61\.71(&|$)"), timeout=WAIT_MS)
    page.wait_for_function(
        "() => document.querySelectorAll('.js-plotly-plot .annotation').length === 29", timeout=WAIT_MS
    )
    assert page.get_by_role("button", name=re.compile("^Kembali")).count() == 0
    shot(page, "peta_kembali_ke_kota")
