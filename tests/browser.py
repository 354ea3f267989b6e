"""A real dashboard server and Debian's Chromium for browser tests (Playwright, no downloaded browser)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# How long a browser test waits for a condition: generous, because a loaded 2-core machine (a
# demo build beside the suite) can take a minute for a first page; a healthy run never waits it out.
WAIT_MS = 120_000
ARTEFACTS = ROOT / "tests" / "artefacts"
CHROMIUM = "/usr/bin/chromium"
# Chromium in a closed network: no background connections, no sandbox for root in CI.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


def require_chromium() -> None:
    """Skip a browser module where Chromium is missing; in CI (TKPKD_CI=1) a missing browser is a failure."""
    if Path(CHROMIUM).exists():
        return
    message = "Debian's chromium is not installed (apt-get install -y chromium)"
    if os.environ.get("TKPKD_CI") == "1":
        pytest.fail(message, pytrace=False)
    pytest.skip(message, allow_module_level=True)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    def __init__(self, data_dir: Path, *, extra_args: list[str] | None = None, before_start=None) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        if before_start:
            before_start(self.port)
        env = {**os.environ, "TKPKD_DATA_DIR": str(data_dir), "PYTHONPATH": str(ROOT)}
        self.log = open(data_dir / "streamlit.log", "w")  # noqa: SIM115 - closed in stop()
        self.proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "streamlit",
                "run",
                str(ROOT / "dashboard.py"),
                "--server.port",
                str(self.port),
                "--server.address",
                "127.0.0.1",
                "--server.headless",
                "true",
                *(extra_args or []),
            ],
            cwd=ROOT,
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.time() + 60
        while time.time() < deadline:
            try:
                with urllib.request.urlopen(self.url + "/_stcore/health", timeout=2) as r:
                    if r.status == 200:
                        return
            except OSError:
                time.sleep(0.3)
        self.stop()
        raise RuntimeError("server did not start")

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        self.log.close()


def login(page, base: str, username: str, password: str, path: str = "") -> None:
    page.goto(f"{base}/{path}")
    page.get_by_label("Nama pengguna").fill(username)
    page.get_by_label("Kata sandi").fill(password)
    page.get_by_role("button", name="Masuk").click()
    page.get_by_role("button", name="Keluar", exact=True).wait_for(timeout=WAIT_MS)


IDLE = """() => {
    const app = document.querySelector('[data-testid="stApp"]');
    return app && app.dataset.testConnectionState === 'CONNECTED'
        && app.dataset.testScriptState === 'notRunning'
        && !document.querySelector('[data-testid="stStatusWidget"]');
}"""


def wait_idle(page, timeout: int = WAIT_MS) -> None:
    """Until Streamlit is connected and not running the script. Right after a click the app may not
    have started the rerun yet, so a test then waits for what the rerun shows (`wait_for_text`)."""
    page.wait_for_function(IDLE, timeout=timeout)


def click_until_url(page, where, url, *, tries: int = 6, timeout: int = WAIT_MS) -> None:
    """Click a point of the map until the page's URL matches `url` (a compiled pattern). `where` is
    the point, or a function measuring it afresh before each click (the map may have moved).

    A click that lands while the map is still wiring its handlers, or redrawing after a rerun, does
    nothing; choosing an area is idempotent, so the click is repeated, each try waiting for the URL
    (a condition, never a fixed time)."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    for _ in range(tries):
        page.mouse.click(*(where() if callable(where) else where))
        try:
            page.wait_for_url(url, timeout=timeout // tries)
            return
        except PlaywrightTimeout:
            continue
    page.wait_for_url(url, timeout=1000)


def wait_for_text(page, text: str, timeout: int = WAIT_MS) -> None:
    """Until `text` is on the page and the script run that wrote it has finished."""
    page.get_by_text(text, exact=False).first.wait_for(timeout=timeout)
    wait_idle(page, timeout)


def shot(page, name: str) -> Path:
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTEFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
