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
    page.get_by_role("button", name="Keluar", exact=True).wait_for(timeout=30000)


def wait_idle(page, timeout: int = 30000) -> None:
    """Until Streamlit has finished running the script (its status widget is gone)."""
    page.wait_for_timeout(300)
    page.wait_for_function("() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=timeout)


def shot(page, name: str) -> Path:
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTEFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
