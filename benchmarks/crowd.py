"""Crowd benchmark: a meeting room opening the dashboard at once.

    python benchmarks/crowd.py                        # 20 websocket sessions against one server process
    python benchmarks/crowd.py --sessions 10 --runs 3
    python benchmarks/crowd.py --clients browser      # 20 Chromium sessions instead
    python benchmarks/crowd.py --servers 2            # sessions spread over two server processes
    python benchmarks/crowd.py --clients-nice 19      # the server first, as when every laptop draws its own
    python benchmarks/crowd.py --think 5              # 5 s between a session's pages (default 0)
    python benchmarks/crowd.py --debug                # also the deltas each session received per page

It starts the dashboard (`streamlit run dashboard.py`, headless, on a free 86xx port) on the demo
lake of benchmarks/views.py (built once under benchmarks/out/), creates accounts of mixed roles
(per ten sessions: 1 pimpinan, 2 analis, 3 camat, 4 lurah, each with an area of their own where
the role has one), then:

1. the yardstick: one lone session per role, one after another, on a fresh server;
2. the crowd: N sessions at once on a fresh server (cold caches, as at the start of a rakor).

Each session opens the login page, logs in, waits for its first page (Ringkasan), then opens Peta,
Tren and Evaluasi program (Keluarga sasaran instead of Evaluasi for a lurah), with `--think` seconds
before each of those. Two kinds of client (`--clients`):

- `ws` (the default): a websocket client speaking Streamlit's own protocol (benchmarks/crowd_ws.py),
  all sessions on one asyncio loop here. It sends the rerun requests a browser sends (the login
  form's values with its submit button's trigger, then each page's script hash from the navigation
  message) and reads the server's ForwardMsgs without drawing them. A step is timed from sending its
  rerun request to receiving the run's script_finished: the server's answer. A page counts as loaded
  when its run finished successfully with the page's title among its elements, and as failed when
  the run shows the dashboard's failure message (ui/nav.run) or an exception.
- `browser`: one Chromium with a browser context per session (isolated cookies and cache, one
  renderer per page), driven by Playwright from one asyncio loop. Each step is timed twice: in the
  browser, until the page's title is shown and Streamlit reports the script run finished (connected,
  not running, no status widget), the condition the browser tests wait for; and on the wire, the
  server's answer, from the websocket frame asking for the run to the frame saying it finished, both
  stamped by Chromium's network stack (CDP), so a renderer still busy drawing does not add to it.

Printed: sessions that saw the login form and their first page; first-page and page-load times
(median and 90th percentile); the server's peak memory (RSS of the server processes and their
children, from /proc) and its CPU per session; each beside the yardstick and the ratio; the
clients' CPU; the machine's load average during the run (other work on the machine slows every
figure). Targets (2 cores), PASS/FAIL: every session sees its first page, page-load p90 under 5 s,
server memory under 1.5 GB. Nothing is asserted.

The clients run here too and take CPU from the server. Chromium takes about 7 s of CPU per session
(login and four pages; a third of it drawing plotly charts), six to seven times what the server
spends: with 20 sessions, 161 s of client CPU against the server's 27 s. Sharing one context (a warm
cache) saves the server's static files but not the clients' CPU, nor does turning WebGL off. Browser
figures are therefore upper bounds for a room where every participant brings their own laptop. The
websocket client takes a small fraction of that (printed with each run), so its figures are the
closer ones; it fetches no JavaScript, CSS or fonts (a browser that has visited before has them
cached) and draws nothing.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import contextlib
import math
import os
import re
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from streamlit.proto.BackMsg_pb2 import BackMsg  # noqa: E402
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg  # noqa: E402

from benchmarks import crowd_ws  # noqa: E402
from benchmarks.views import OUT, build_lake  # noqa: E402
from tests.browser import CHROMIUM, CHROMIUM_ARGS, IDLE  # noqa: E402

PASSWORD = "Rahasia12345"
# Per ten sessions: one chair, two analysts, three camat, four lurah.
MIX = ("pimpinan", "analis", "camat", "lurah", "camat", "lurah", "lurah", "camat", "lurah", "analis")
# Sidebar link and the start of the page's title, after the first page (Ringkasan).
NEXT_PAGES = {
    "pimpinan": ("Peta", "Tren", "Evaluasi program"),
    "analis": ("Peta", "Tren", "Evaluasi program"),
    "camat": ("Peta", "Tren", "Evaluasi program"),
    "lurah": ("Peta", "Tren", "Keluarga sasaran"),
}
PORTS = range(8600, 8700)
FAILED_PAGE = "Maaf, halaman ini gagal ditampilkan"  # ui/nav.run's message
# A projector's screen.
VIEWPORT = {"width": 1280, "height": 720}
FINISHED = ForwardMsg.FINISHED_SUCCESSFULLY
TARGET_P90_S = 5.0
TARGET_RSS_BYTES = 1.5 * 1024**3


def free_port(taken: set[int]) -> int:
    for port in PORTS:
        if port in taken:
            continue
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError("no free port in 8600-8699")


def ensure_accounts(data: Path, count: int) -> list[tuple[str, str]]:
    """(username, role) for `count` sessions; accounts are created once, each with an area of its own."""
    from pipelines.access import accounts
    from pipelines.cities import get_city
    from pipelines.settings import Settings

    settings = Settings(data, None, "1GB", 2)
    regions = get_city("61.71").regions()
    areas = {
        level: sorted(regions.loc[regions["level"] == level, "kode_kemendagri"]) for level in ("kecamatan", "kelurahan")
    }
    existing = accounts.load(settings)
    users, seen = [], {role: 0 for role in set(MIX)}
    for i in range(count):
        role = MIX[i % len(MIX)]
        n = seen[role]
        seen[role] += 1
        username = f"rapat-{role}-{n + 1:02d}"
        level = accounts.ROLES[role].area_level
        if username not in existing:
            accounts.create(
                settings,
                username=username,
                nama=f"Peserta rapat {i + 1}",
                peran=role,
                wilayah=areas[level][n % len(areas[level])] if level else None,
                password=PASSWORD,
                city_code="61.71",
            )
        users.append((username, role))
    return users


def _ppids() -> dict[int, int]:
    parents = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as f:
                    parents[int(entry)] = int(f.read().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
    return parents


def process_tree(root: int) -> list[int]:
    """The process and all its descendants (from /proc; no psutil needed)."""
    children: dict[int, list[int]] = {}
    for pid, ppid in _ppids().items():
        children.setdefault(ppid, []).append(pid)
    tree, todo = [], [root]
    while todo:
        pid = todo.pop()
        tree.append(pid)
        todo += children.get(pid, [])
    return tree


def rss_bytes(pids: list[int]) -> int:
    total = 0
    for pid in pids:
        try:
            with open(f"/proc/{pid}/status") as f:
                total += next((int(line.split()[1]) * 1024 for line in f if line.startswith("VmRSS:")), 0)
        except OSError:
            continue
    return total


def cpu_seconds(pids: list[int]) -> float:
    """User + system CPU of the processes, their reaped children included."""
    ticks = 0
    for pid in pids:
        try:
            with open(f"/proc/{pid}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            ticks += sum(int(v) for v in fields[11:15])
        except (OSError, IndexError, ValueError):
            continue
    return ticks / os.sysconf("SC_CLK_TCK")


class Servers:
    """`count` dashboard processes on the same lake, each on its own 86xx port."""

    def __init__(self, data: Path, count: int, log_name: str) -> None:
        env = {**os.environ, "TKPKD_DATA_DIR": str(data), "PYTHONPATH": str(ROOT)}
        self.procs: list[subprocess.Popen] = []
        self.urls: list[str] = []
        self.logs = []
        taken: set[int] = set()
        for i in range(count):
            port = free_port(taken)
            taken.add(port)
            log = open(OUT / f"{log_name}-{i + 1}.log", "w")  # noqa: SIM115 - closed in stop()
            self.logs.append(log)
            self.procs.append(
                subprocess.Popen(
                    [sys.executable, "-m", "streamlit", "run", str(ROOT / "dashboard.py"), "--server.port", str(port)]
                    + ["--server.address", "127.0.0.1", "--server.headless", "true"],
                    cwd=ROOT,
                    env=env,
                    stdout=log,
                    stderr=subprocess.STDOUT,
                )
            )
            self.urls.append(f"http://127.0.0.1:{port}")
        for url in self.urls:
            self._wait_healthy(url)
        self.peak_rss = 0
        self.loads: list[float] = []  # the machine's 1-minute load average, sampled alongside
        self._sampling = False

    def _wait_healthy(self, url: str) -> None:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(url + "/_stcore/health", timeout=2) as r:
                    if r.status == 200:
                        return
            except OSError:
                time.sleep(0.3)
        self.stop()
        raise RuntimeError(f"server at {url} did not start")

    def pids(self) -> list[int]:
        return [pid for proc in self.procs for pid in process_tree(proc.pid)]

    def rss(self) -> int:
        return rss_bytes(self.pids())

    def cpu(self) -> float:
        return cpu_seconds(self.pids())

    def sample_memory(self, every_s: float = 0.25) -> None:
        """Record the peak RSS in a background thread until `stop_sampling`."""
        self._sampling = True

        def loop() -> None:
            while self._sampling:
                self.peak_rss = max(self.peak_rss, self.rss())
                self.loads.append(os.getloadavg()[0])
                time.sleep(every_s)

        self._sampler = threading.Thread(target=loop, daemon=True)
        self._sampler.start()

    def stop_sampling(self) -> None:
        self._sampling = False
        self._sampler.join()
        self.peak_rss = max(self.peak_rss, self.rss())

    def stop(self) -> None:
        for proc in self.procs:
            proc.terminate()
        for proc in self.procs:
            try:
                proc.wait(15)
            except subprocess.TimeoutExpired:
                proc.kill()
        for log in self.logs:
            log.close()


@dataclass
class Session:
    username: str
    role: str
    form_s: float | None = None  # login form received, from opening the URL
    first_s: float | None = None  # first page shown (browser) or its run finished (ws), from opening the URL
    first_wire_s: float | None = None  # login sent until the first page's run finished, on the wire
    # page, in the browser (None for a websocket client), on the wire
    loads: list[tuple[str, float | None, float]] = field(default_factory=list)
    # page, deltas and bytes of its run as received (counted for --debug in the browser)
    received: list[tuple[str, int, int]] = field(default_factory=list)
    error: str | None = None


class Wire:
    """Times of the session's websocket frames, taken by Chromium's network stack (CDP), whose clock
    is this process's time.monotonic(): when a run was asked for and when a run finished; with
    `count`, also the deltas and bytes of each finished run (every frame parsed, at a cost in CPU)."""

    def __init__(self, count: bool = False) -> None:
        self.count = count
        self.asked: list[float] = []
        self.finished: list[tuple[float, int, int]] = []  # time, deltas, bytes
        self._deltas = self._bytes = 0

    def sent(self, event: dict) -> None:
        frame = event["response"]
        if frame["opcode"] == 2:
            msg = BackMsg.FromString(base64.b64decode(frame["payloadData"]))
            if msg.WhichOneof("type") == "rerun_script":
                self.asked.append(event["timestamp"])

    def received(self, event: dict) -> None:
        frame = event["response"]
        # script_finished is a frame of a few bytes; pages and figures are parsed only when counting.
        if frame["opcode"] != 2 or not (self.count or len(frame["payloadData"]) < 64):
            return
        payload = base64.b64decode(frame["payloadData"])
        msg = ForwardMsg.FromString(payload)
        kind = msg.WhichOneof("type")
        if kind == "new_session":
            self._deltas = self._bytes = 0
        self._bytes += len(payload)
        if kind in ("delta", "ref_hash"):
            self._deltas += 1
        elif kind == "script_finished" and msg.script_finished == FINISHED:
            self.finished.append((event["timestamp"], self._deltas, self._bytes))

    async def run_time(self, since: float, timeout_s: float) -> tuple[float, int, int]:
        """From the first run asked for after `since` to the end of the first run after it that
        finished (a login's first run ends early, for the rerun into the page); that run's deltas and bytes."""
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            asked = next((t for t in self.asked if t >= since), None)
            done = next((f for f in self.finished if asked is not None and f[0] >= asked), None)
            if done is not None:
                return done[0] - asked, done[1], done[2]
            await asyncio.sleep(0.05)
        raise TimeoutError("no finished run seen on the websocket")


async def _loaded(page, title: str, timeout_ms: int) -> None:
    await page.locator("h1", has_text=re.compile(r"^\s*" + re.escape(title))).first.wait_for(timeout=timeout_ms)
    await page.wait_for_function(IDLE, timeout=timeout_ms, polling=50)
    # A page that failed still has its title: count it as failed, not as loaded.
    if await page.get_by_text(FAILED_PAGE).count():
        raise RuntimeError(f"halaman {title} gagal ditampilkan (lihat log server di {OUT})")


async def run_session(browser, url: str, session: Session, timeout_ms: int, think_s: float, count: bool) -> Session:
    context = await browser.new_context(viewport=VIEWPORT)
    # Clicks and typing wait for the page as long as loading does (Playwright's default is 30 s).
    context.set_default_timeout(timeout_ms)
    page = await context.new_page()
    wire = Wire(count)
    cdp = await context.new_cdp_session(page)
    cdp.on("Network.webSocketFrameSent", wire.sent)
    cdp.on("Network.webSocketFrameReceived", wire.received)
    await cdp.send("Network.enable")
    step = "membuka halaman masuk"
    try:
        t0 = time.monotonic()
        await page.goto(url, timeout=timeout_ms)
        await page.get_by_label("Nama pengguna").wait_for(timeout=timeout_ms)
        session.form_s = time.monotonic() - t0
        step = "masuk"
        await page.get_by_label("Nama pengguna").fill(session.username)
        await page.get_by_label("Kata sandi").fill(PASSWORD)
        t1 = time.monotonic()
        await page.get_by_role("button", name="Masuk").click()
        await _loaded(page, "Ringkasan", timeout_ms)
        session.first_s = time.monotonic() - t0
        session.first_wire_s, deltas, size = await wire.run_time(t1, timeout_ms / 1000)
        session.received.append(("Ringkasan", deltas, size))
        for title in NEXT_PAGES[session.role]:
            step = title
            await asyncio.sleep(think_s)
            t1 = time.monotonic()
            await page.get_by_role("link", name=title).click()
            await _loaded(page, title, timeout_ms)
            shown = time.monotonic() - t1
            on_wire, deltas, size = await wire.run_time(t1, timeout_ms / 1000)
            session.loads.append((title, shown, on_wire))
            session.received.append((title, deltas, size))
    except Exception as exc:  # a session that fails is counted and named, the others go on
        session.error = f"{step}: {type(exc).__name__}: {str(exc).splitlines()[0][:120]}"
    finally:
        await context.close()
    return session


def _ws_loaded(run: crowd_ws.Run, title: str) -> None:
    """A run that finished with the page's title and without the failure message (as `_loaded` in a browser)."""
    if any(FAILED_PAGE in alert for alert in run.alerts) or run.exceptions:
        raise RuntimeError(f"halaman {title} gagal ditampilkan (lihat log server di {OUT})")
    if run.status != FINISHED:
        raise RuntimeError(f"halaman {title}: run selesai dengan status {run.status}")
    if not any(heading.startswith(title) for heading in run.headings):
        shown = "; ".join(run.headings + [alert[:80] for alert in run.alerts])
        raise RuntimeError(f"judul {title!r} tidak tampil (tampil: {shown or 'kosong'})")


async def run_ws_session(url: str, session: Session, timeout_s: float, think_s: float) -> Session:
    """What run_session does in Chromium, as a websocket client (benchmarks/crowd_ws.py)."""
    client = None
    step = "membuka halaman masuk"
    try:
        t0 = time.monotonic()
        client = await crowd_ws.Session.open(url, timeout_s)
        form, _ = await client.rerun(timeout_s=timeout_s)
        name, password = form.widget("text_input", "Nama pengguna"), form.widget("text_input", "Kata sandi")
        submit = form.widget("button", "Masuk")
        session.form_s = time.monotonic() - t0
        step = "masuk"
        values = crowd_ws.form_submission(submit, [(name, session.username), (password, PASSWORD)])
        run, on_wire = await client.rerun(widgets=values, timeout_s=timeout_s)
        _ws_loaded(run, "Ringkasan")
        session.first_s, session.first_wire_s = time.monotonic() - t0, on_wire
        session.received.append(("Ringkasan", run.deltas, run.bytes))
        for title in NEXT_PAGES[session.role]:
            step = title
            await asyncio.sleep(think_s)
            page = client.pages.get(title)
            if page is None:
                raise LookupError(f"tidak ada di navigasi ({', '.join(client.pages)})")
            # A sidebar link, as the frontend follows it: the page's script hash and the URL's parameters
            # dropped. No widget values: for a widget a rerun does not name, the server keeps its last
            # value, which is what the browser would send back for the sidebar's selectors.
            run, on_wire = await client.rerun(
                page_script_hash=page.page_script_hash, query_string="", timeout_s=timeout_s
            )
            _ws_loaded(run, title)
            session.loads.append((title, None, on_wire))
            session.received.append((title, run.deltas, run.bytes))
    except Exception as exc:  # a session that fails is counted and named, the others go on
        session.error = f"{step}: {type(exc).__name__}: {str(exc).splitlines()[0][:160] if str(exc) else ''}"
    finally:
        if client is not None:
            await client.close()
    return session


def client_cpu(servers: list[int]) -> float:
    """CPU of this process and its descendants other than the servers: the driver and Chromium, or
    the websocket clients."""
    theirs = {pid for root in servers for pid in process_tree(root)}
    return cpu_seconds([pid for pid in process_tree(os.getpid()) if pid not in theirs])


def renice_clients(servers: list[int], nice: int) -> None:
    """This process, the Playwright driver and Chromium (whose zygote passes it on to every renderer
    started later) at `nice`; the servers keep theirs."""
    theirs = {pid for root in servers for pid in process_tree(root)}
    for pid in process_tree(os.getpid()):
        if pid not in theirs:
            with contextlib.suppress(OSError):
                os.setpriority(os.PRIO_PROCESS, pid, nice)


@dataclass(frozen=True)
class Clients:
    kind: str  # "ws" or "browser"
    nice: int = 0
    think_s: float = 0.0
    debug: bool = False


async def run_sessions(dashboards: Servers, users: list[tuple[str, str]], *, together: bool, timeout_ms: int, clients):
    """The sessions at once (`together`) or one after another; returns them and the clients' CPU seconds."""
    urls, servers = dashboards.urls, [proc.pid for proc in dashboards.procs]
    sessions = [Session(u, r) for u, r in users]
    if clients.kind == "ws":
        if clients.nice:
            renice_clients(servers, clients.nice)
        clients_before = client_cpu(servers)

        def start(url: str, s: Session):
            return run_ws_session(url, s, timeout_ms / 1000, clients.think_s)

        if together:
            await asyncio.gather(*(start(urls[i % len(urls)], s) for i, s in enumerate(sessions)))
        else:
            for s in sessions:
                await start(urls[0], s)
        used = client_cpu(servers) - clients_before
    else:
        from playwright.async_api import async_playwright

        async with async_playwright() as p:
            browser = await p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            if clients.nice:
                renice_clients(servers, clients.nice)
            clients_before = client_cpu(servers)

            def start(url: str, s: Session):
                return run_session(browser, url, s, timeout_ms, clients.think_s, clients.debug)

            if together:
                await asyncio.gather(*(start(urls[i % len(urls)], s) for i, s in enumerate(sessions)))
            else:
                for s in sessions:
                    await start(urls[0], s)
            used = client_cpu(servers) - clients_before
            await browser.close()
    if clients.nice:
        # Back to normal, so that the next phase's servers do not start niced (root may lower it again).
        os.setpriority(os.PRIO_PROCESS, 0, 0)
    return sessions, used


def percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile (q in 0-100); NaN for no values."""
    if not values:
        return math.nan
    ordered = sorted(values)
    return ordered[max(0, math.ceil(q / 100 * len(ordered)) - 1)]


@dataclass
class Figures:
    sessions: int
    saw_form: int
    saw_first: int
    # Median and 90th percentile, seconds: in the browser here (NaN for websocket clients), and the
    # server's answer on the wire.
    first: tuple[float, float]
    first_wire: tuple[float, float]
    load: tuple[float, float]
    load_wire: tuple[float, float]
    peak_rss: int
    wall_s: float
    server_cpu_s: float
    client_cpu_s: float
    load_average: float
    errors: list[str]

    @property
    def server_cpu_per_session(self) -> float:
        return self.server_cpu_s / self.sessions


def spread(values: list[float]) -> tuple[float, float]:
    return (statistics.median(values) if values else math.nan, percentile(values, 90))


def print_received(sessions: list[Session]) -> None:
    """--debug: what each session received per page (to compare the two kinds of client) and the server's answer."""
    for s in sessions:
        waits = [s.first_wire_s] + [on_wire for _, _, on_wire in s.loads]
        pages = ", ".join(
            f"{title} {deltas} delta {size / 1000:.0f} kB {wait:.2f} s"
            for (title, deltas, size), wait in zip(s.received, waits, strict=False)
        )
        print(f"    {s.username}: {pages}{'; gagal: ' + s.error if s.error else ''}", flush=True)


def phase(data: Path, users, *, servers: int, together: bool, timeout_ms: int, name: str, clients: Clients) -> Figures:
    dashboards = Servers(data, servers, name)
    try:
        dashboards.sample_memory()
        cpu0, t0 = dashboards.cpu(), time.perf_counter()
        sessions, client_cpu_s = asyncio.run(
            run_sessions(dashboards, users, together=together, timeout_ms=timeout_ms, clients=clients)
        )
        wall, server_cpu = time.perf_counter() - t0, dashboards.cpu() - cpu0
        dashboards.stop_sampling()
    finally:
        dashboards.stop()
    if clients.debug:
        print(f"  [{name}] delta, byte dan jawaban server per halaman:")
        print_received(sessions)
    return Figures(
        sessions=len(sessions),
        saw_form=sum(s.form_s is not None for s in sessions),
        saw_first=sum(s.first_s is not None for s in sessions),
        first=spread([s.first_s for s in sessions if s.first_s is not None]),
        first_wire=spread([s.first_wire_s for s in sessions if s.first_wire_s is not None]),
        load=spread([shown for s in sessions for _, shown, _ in s.loads if shown is not None]),
        load_wire=spread([on_wire for s in sessions for _, _, on_wire in s.loads]),
        peak_rss=dashboards.peak_rss,
        wall_s=wall,
        server_cpu_s=server_cpu,
        client_cpu_s=client_cpu_s,
        load_average=statistics.mean(dashboards.loads) if dashboards.loads else math.nan,
        errors=[f"{s.username}: {s.error}" for s in sessions if s.error],
    )


def median_of(runs: list[Figures], attr: str, index: int | None = None) -> float:
    values = [getattr(r, attr) if index is None else getattr(r, attr)[index] for r in runs]
    return statistics.median(values)


def line(label: str, crowd: float, lone: float, unit: str = "s") -> str:
    ratio = crowd / lone if lone else math.nan
    return f"  {label:<50} {crowd:7.2f} {unit}   sendiri {lone:6.2f} {unit}   x{ratio:.1f}"


def report(runs: list[Figures], lone: Figures, clients: Clients) -> None:
    gb = 1024**3
    browser = clients.kind == "browser"
    for i, r in enumerate(runs, 1):
        shown = f"{r.load[0]:.2f}/{r.load[1]:.2f} s di peramban, " if browser else ""
        print(
            f"  jalan {i}: halaman pertama {r.saw_first}/{r.sessions}; muat halaman median/p90 "
            f"{shown}{r.load_wire[0]:.2f}/{r.load_wire[1]:.2f} s jawaban server; memori {r.peak_rss / gb:.2f} GB; "
            f"CPU server {r.server_cpu_s:.0f} s, klien {r.client_cpu_s:.1f} s dalam {r.wall_s:.0f} s, "
            f"beban mesin rata-rata {r.load_average:.1f}"
        )
        for error in r.errors:
            print(f"    gagal: {error}")
    n, sessions = len(runs), runs[0].sessions
    kind = "Chromium" if browser else "websocket"
    print(
        f"\nMedian dari {n} kali jalan, klien {kind}, jeda antarhalaman {clients.think_s:g} s, dibanding satu sesi "
        "sendirian (tolok ukur, satu per peran, server dingin):"
    )
    print(f"  sesi melihat form masuk      {min(r.saw_form for r in runs)}/{sessions} (terendah dari {n} jalan)")
    saw_first = min(r.saw_first for r in runs)
    print(f"  sesi melihat halaman pertama {saw_first}/{sessions} (terendah dari {n} jalan)")
    if browser:
        rows = [
            ("halaman pertama di peramban", "first"),
            ("masuk -> halaman pertama, jawaban server", "first_wire"),
            ("muat halaman di peramban", "load"),
            ("muat halaman, jawaban server", "load_wire"),
        ]
    else:
        rows = [
            ("membuka -> halaman pertama, klien websocket", "first"),
            ("masuk -> halaman pertama, jawaban server", "first_wire"),
            ("muat halaman, jawaban server", "load_wire"),
        ]
    for label, attr in rows:
        for index, which in ((0, "median"), (1, "p90")):
            print(line(f"{label}, {which}", median_of(runs, attr, index), getattr(lone, attr)[index]))
    rss = median_of(runs, "peak_rss")
    print(line("memori server puncak", rss / gb, lone.peak_rss / gb, "GB"))
    print(line("CPU server per sesi", median_of(runs, "server_cpu_per_session"), lone.server_cpu_per_session))
    who = "Chromium dan pengendalinya" if browser else "klien websocket di proses ini"
    print(
        f"  CPU selama rombongan: server {median_of(runs, 'server_cpu_s'):.0f} s, klien ({who}) "
        f"{median_of(runs, 'client_cpu_s'):.1f} s, dalam {median_of(runs, 'wall_s'):.0f} s pada {os.cpu_count()} inti; "
        f"beban mesin rata-rata {median_of(runs, 'load_average'):.1f}"
    )
    p90, p90_wire = median_of(runs, "load", 1), median_of(runs, "load_wire", 1)
    print(f"\nSasaran (klien {kind}, jeda antarhalaman {clients.think_s:g} s):")
    print(f"  [{'PASS' if saw_first == sessions else 'FAIL'}] setiap sesi melihat halaman pertamanya")
    checks = [("jawaban server", p90_wire)]
    if browser:
        checks.append(("di peramban, klien di mesin yang sama", p90))
    for label, value in checks:
        verdict = "PASS" if value < TARGET_P90_S else "FAIL"
        print(f"  [{verdict}] muat halaman p90 < {TARGET_P90_S:.0f} s, {label} ({value:.2f} s)")
    print(f"  [{'PASS' if rss < TARGET_RSS_BYTES else 'FAIL'}] memori server < 1,5 GB ({rss / gb:.2f} GB)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=20, help="sesi serentak (bawaan 20)")
    parser.add_argument("--runs", type=int, default=1, help="berapa kali rombongan diulang (median dicetak)")
    parser.add_argument("--servers", type=int, default=1, help="proses server; sesi dibagi bergiliran (lengket)")
    parser.add_argument("--timeout", type=float, default=180, help="batas tunggu tiap langkah, detik")
    parser.add_argument(
        "--clients",
        choices=("ws", "browser"),
        default="ws",
        help="ws (bawaan): klien websocket protokol Streamlit, tanpa menggambar; browser: Chromium per sesi",
    )
    parser.add_argument(
        "--think", type=float, default=0.0, metavar="S", help="jeda S detik sebelum tiap halaman berikutnya (bawaan 0)"
    )
    parser.add_argument(
        "--clients-nice",
        type=int,
        default=0,
        metavar="N",
        help="klien berjalan dengan prioritas nice N (mis. 19): server didahulukan, seperti bila "
        "setiap peserta memakai laptopnya sendiri",
    )
    parser.add_argument(
        "--debug", action="store_true", help="cetak delta, byte dan jawaban server tiap sesi per halaman"
    )
    args = parser.parse_args()
    timeout_ms = int(args.timeout * 1000)
    clients = Clients(args.clients, args.clients_nice, args.think, args.debug)
    data = build_lake("demo")
    users = ensure_accounts(data, args.sessions)
    kind = "websocket (--clients ws)" if args.clients == "ws" else "Chromium (--clients browser)"
    print(
        f"Mesin: {os.cpu_count()} inti, beban rata-rata {os.getloadavg()[0]:.1f}. {args.sessions} sesi serentak, "
        f"{args.servers} proses server, {args.runs} kali jalan, klien {kind} pada nice {args.clients_nice}, "
        f"jeda antarhalaman {args.think:g} s (--think).",
        flush=True,
    )
    roles = [role for role in dict.fromkeys(MIX) if any(r == role for _, r in users)]
    lone_users = [next(u for u in users if u[1] == role) for role in roles]
    lone = phase(
        data, lone_users, servers=1, together=False, timeout_ms=timeout_ms, name="crowd-sendiri", clients=clients
    )
    shown = f"{lone.load[0]:.2f} s di peramban, " if args.clients == "browser" else ""
    print(
        f"Tolok ukur (satu sesi per peran, berurutan): muat halaman median {shown}{lone.load_wire[0]:.2f} s "
        "jawaban server",
        flush=True,
    )
    for error in lone.errors:
        print(f"  gagal: {error}")
    runs = []
    for i in range(args.runs):
        runs.append(
            phase(
                data,
                users,
                servers=args.servers,
                together=True,
                timeout_ms=timeout_ms,
                name=f"crowd-{i + 1}",
                clients=clients,
            )
        )
        print(f"Jalan {i + 1} selesai.", flush=True)
    print()
    report(runs, lone, clients)


if __name__ == "__main__":
    main()
