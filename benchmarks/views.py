"""View benchmark: server-side time of each page, cold and warm, and time until the map is visible.

    python benchmarks/views.py                      # demo lake and province lake, 5 runs each
    python benchmarks/views.py --lakes demo --runs 3

Lakes are built once into benchmarks/out/ (gitignored): the demo (Kota Pontianak, about
196,000 families x 8 quarters) and a province-size lake (about 2,000,000 families x 8
quarters, the same generator at scale 10.2; building it takes a while the first time).
Cold: the first run of a page with Streamlit's caches and the read side's connection
reset. Warm: the same page run again. Targets (2 cores): each view under 1 s warm and
3 s cold on the demo lake; under 2 s warm on the province lake; map visible under 3 s.
With the Evaluasi page it also times what publish adds for it: the estimates of the city
and every kecamatan in every period (pipelines/evaluation/precompute.py), on the lake's cells.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "benchmarks" / "out"
sys.path.insert(0, str(ROOT))

LAKES = {"demo": 1.0, "provinsi": 10.2}
USER, PASSWORD = "bench-analis", "Rahasia12345"
# The case list opens per kelurahan: time it on a large, poor one (Siantan Hilir).
PAGE_QUERY = {"sasaran": {"wilayah": "61.71.04.1003"}}


def build_lake(name: str) -> Path:
    data = OUT / f"lake_{name}"
    if (data / "lake" / "manifest.json").exists():
        return data
    env = {**os.environ, "TKPKD_DATA_DIR": str(data), "TKPKD_HASH_KEY": "22" * 32}
    print(f"Membangun danau data '{name}' (sekali saja)...", flush=True)
    t0 = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "pipelines", "demo", "--scale", str(LAKES[name])], cwd=ROOT, env=env, check=True
    )
    print(f"  selesai dalam {time.perf_counter() - t0:,.0f} s", flush=True)
    return data


def ensure_user(data: Path) -> None:
    from pipelines.access import accounts
    from pipelines.settings import Settings

    settings = Settings(data, None, "1GB", 2)
    if USER not in accounts.load(settings):
        accounts.create(
            settings, username=USER, nama="Bench", peran="analis", wilayah=None, password=PASSWORD, city_code="61.71"
        )


def page_times(data: Path, pages: list[str], runs: int) -> dict[str, tuple[float, float]]:
    """(median cold, median warm) seconds per page, measured with AppTest in this process."""
    import streamlit as st
    import streamlit.logger

    from pipelines.read import query as read
    from tests.apptest import app_as

    os.environ["TKPKD_DATA_DIR"] = str(data)
    results = {}
    for page in pages:
        cold, warm = [], []
        for _ in range(runs):
            # Caches are cleared outside a server here, and each test run reapplies the configured log
            # level: without this, Streamlit's "no runtime" warnings would bury the figures.
            streamlit.logger.set_log_level("error")
            st.cache_data.clear()
            st.cache_resource.clear()
            read._readers.clear()
            t0 = time.perf_counter()
            at = app_as(USER, page=f"views/{page}.py", query=PAGE_QUERY.get(page))
            cold.append(time.perf_counter() - t0)
            if at.exception:
                raise RuntimeError(f"{page}: {at.exception[0].value}")
            t0 = time.perf_counter()
            at.run()
            warm.append(time.perf_counter() - t0)
        results[page] = (statistics.median(cold), statistics.median(warm))
    return results


def precompute_time(data: Path, runs: int) -> tuple[float, int, int]:
    """Median seconds of the estimates publish computes (city and every kecamatan, every period), the
    number of areas and of periods: the part of a publish the precomputed evaluation adds."""
    from pipelines.access.scope import Scope
    from pipelines.evaluation import precompute
    from pipelines.read.query import LakeReader
    from pipelines.settings import get_settings

    os.environ["TKPKD_DATA_DIR"] = str(data)
    reader = LakeReader(get_settings())
    city = reader.city()[0]
    kecamatan = sorted(k for k in reader.region_names() if k.count(".") == 2)
    cells = {area: reader.evaluation_cells(Scope.whole_city(), area=area) for area in [city, *kecamatan]}
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        precompute.results(cells, reader.periods(), workers=get_settings().threads)
        times.append(time.perf_counter() - t0)
    return statistics.median(times), len(cells), len(reader.periods())


def map_visible(data: Path, runs: int) -> float:
    """Median seconds from clicking "Peta" in the sidebar (logged in) until the map has drawn its regions.

    Navigation happens inside the app: reloading a URL starts a new Streamlit session, which
    asks for the login again."""
    from playwright.sync_api import sync_playwright

    from tests.browser import CHROMIUM, CHROMIUM_ARGS, Server, login

    server = Server(data)
    times = []
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            page = browser.new_page(viewport={"width": 1440, "height": 1000})
            login(page, server.url, USER, PASSWORD)
            for _ in range(runs):
                page.get_by_role("link", name="Ringkasan").click()
                page.get_by_text("Apa yang berubah").wait_for(timeout=60000)
                t0 = time.perf_counter()
                page.get_by_role("link", name="Peta").click()
                page.wait_for_function(
                    """() => { const gd = document.querySelector('.js-plotly-plot');
                               if (!gd || !gd._fullLayout || !gd._fullLayout.map) return false;
                               const map = gd._fullLayout.map._subplot.map;
                               return map.loaded() && Object.keys(map.getStyle().sources)
                                   .some(s => map.querySourceFeatures(s).length > 0); }""",
                    timeout=60000,
                    polling=50,
                )
                times.append(time.perf_counter() - t0)
            browser.close()
    finally:
        server.stop()
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--lakes", nargs="*", default=list(LAKES))
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument(
        "--pages", nargs="*", default=["ringkasan", "peta", "tren", "kualitas", "evaluasi", "sasaran", "unggah"]
    )
    args = parser.parse_args()
    pages = [p for p in args.pages if (ROOT / "views" / f"{p}.py").exists()]
    print(f"Mesin: {os.cpu_count()} inti. Median dari {args.runs} kali jalan.")
    for name in args.lakes:
        data = build_lake(name)
        ensure_user(data)
        target_warm = 1.0 if name == "demo" else 2.0
        print(f"\nDanau '{name}':")
        for page, (cold, warm) in page_times(data, pages, args.runs).items():
            verdict = "TERCAPAI" if warm < target_warm and (name != "demo" or cold < 3.0) else "BELUM"
            print(f"  {page:<10} dingin {cold:5.2f} s, hangat {warm:5.2f} s  [{verdict}]", flush=True)
        if "evaluasi" in pages:
            seconds, areas, periods = precompute_time(data, min(args.runs, 3))
            print(f"  perkiraan dampak saat terbit: {seconds:.2f} s ({areas} wilayah x {periods} periode)", flush=True)
        seconds = map_visible(data, args.runs)
        print(f"  peta tampil di peramban: {seconds:.2f} s  [{'TERCAPAI' if seconds < 3 else 'BELUM'}]", flush=True)


if __name__ == "__main__":
    main()
