"""A Streamlit session without a browser, for benchmarks/crowd.py: one websocket speaking Streamlit's own protocol.

On the wire it does what Streamlit's frontend (1.67) does, and draws nothing:
- GET `/`, `/_stcore/health` and `/_stcore/host-config`, as the frontend does before connecting; the health answer
  sets the XSRF cookie (`_streamlit_xsrf`, with server.enableXsrfProtection on);
- open ws://HOST/_stcore/stream with the subprotocols ["streamlit", <XSRF cookie>] (the frontend's way of handing
  the token over), the cookie and the page's Origin, and no keepalive pings (a browser sends none);
- ask for script runs with `BackMsg.rerun_script` (a ClientState: page script hash, query string, widget values,
  the browser's context) and read each run's `ForwardMsg`s, from `new_session` to `script_finished`.

The client declares no cached messages (`cached_message_hashes` empty), so the server sends every element in
full instead of a `ref_hash` to a message the browser would hold; a `ref_hash` would still be counted as a delta.
The JavaScript, CSS and fonts a browser also fetches are not fetched (a browser that has visited before has them).
"""

from __future__ import annotations

import asyncio
import contextlib
import time
import urllib.request
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from urllib.parse import urlsplit

from streamlit.proto.AppPage_pb2 import AppPage
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ClientState_pb2 import ContextInfo
from streamlit.proto.Delta_pb2 import Delta
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed

XSRF_COOKIE = "_streamlit_xsrf"
# What the frontend sends when it has neither a host's token nor the XSRF cookie.
NO_TOKEN = "PLACEHOLDER_AUTH_TOKEN"
# A desktop browser (views/peta.py draws a phone layout for "Mobi").
USER_AGENT = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0 Safari/537.36"
EARLY = ForwardMsg.FINISHED_EARLY_FOR_RERUN


@dataclass
class Run:
    """What the server sent for one script run, from its `new_session` to its `script_finished`."""

    status: int | None = None
    deltas: int = 0
    bytes: int = 0
    headings: list[str] = field(default_factory=list)  # st.title's text (h1)
    alerts: list[str] = field(default_factory=list)  # st.error, st.warning, st.info, st.success
    exceptions: list[str] = field(default_factory=list)
    widgets: list[tuple[str, object]] = field(default_factory=list)  # (element type, its proto)

    def add(self, delta: Delta) -> None:
        self.deltas += 1
        if delta.WhichOneof("type") != "new_element":
            return
        element = delta.new_element
        kind = element.WhichOneof("type")
        if kind == "heading" and element.heading.tag == "h1":
            self.headings.append(element.heading.body)
        elif kind == "alert":
            self.alerts.append(element.alert.body)
        elif kind == "exception":
            self.exceptions.append(element.exception.message)
        elif kind in ("text_input", "button"):
            self.widgets.append((kind, getattr(element, kind)))

    def widget(self, kind: str, label: str):
        """The widget of this type and label that the run drew (its id and form_id are what a rerun names)."""
        found = [proto for k, proto in self.widgets if k == kind and proto.label == label]
        if not found:
            raise LookupError(f"no {kind} labelled {label!r} in the run")
        return found[0]


def text_value(widget, value: str) -> WidgetState:
    return WidgetState(id=widget.id, string_value=value)


def trigger(widget) -> WidgetState:
    return WidgetState(id=widget.id, trigger_value=True)


def form_submission(submit, values: list[tuple[object, str]]) -> list[WidgetState]:
    """A form's values as its submit button sends them: every text input of the form with its value, and the
    button's trigger. A form's widgets reach the server only with its submit (st.form's semantics)."""
    if not submit.is_form_submitter:
        raise ValueError(f"{submit.label!r} is not a form's submit button")
    for widget, _ in values:
        if widget.form_id != submit.form_id:
            raise ValueError(f"{widget.label!r} is not in the form of {submit.label!r}")
    return [text_value(widget, value) for widget, value in values] + [trigger(submit)]


def _get(url: str, cookies: SimpleCookie, timeout_s: float) -> None:
    """GET `url` with the cookies so far; keeps the cookies the answer sets."""
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT, "Accept-Encoding": "gzip"})
    if cookies:
        request.add_header("Cookie", "; ".join(f"{k}={m.value}" for k, m in cookies.items()))
    # No proxy on loopback, whatever the environment says.
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    with opener.open(request, timeout=timeout_s) as response:
        response.read()
        for header in response.headers.get_all("Set-Cookie") or []:
            cookies.load(header)


class Session:
    """One browser tab's worth of Streamlit session: connect with `open`, then `rerun`."""

    def __init__(self, base_url: str, ws: ClientConnection) -> None:
        self.base_url = base_url
        self.ws = ws
        self.pages: dict[str, AppPage] = {}  # by title, from the last `navigation` message
        self.page_script_hash = ""  # the page of the last run (its new_session)
        self.query_string = ""  # as the last page_info_changed left the URL
        self._run = Run()
        self._finished: asyncio.Queue[tuple[Run | None, float | BaseException]] = asyncio.Queue()
        self._reader = asyncio.create_task(self._read())

    @classmethod
    async def open(cls, base_url: str, timeout_s: float) -> Session:
        cookies: SimpleCookie = SimpleCookie()
        for path in ("/", "/_stcore/health", "/_stcore/host-config"):
            await asyncio.to_thread(_get, base_url + path, cookies, timeout_s)
        xsrf = cookies[XSRF_COOKIE].value if XSRF_COOKIE in cookies else NO_TOKEN
        headers = {"Cookie": "; ".join(f"{k}={m.value}" for k, m in cookies.items())} if cookies else None
        ws = await connect(
            "ws://" + urlsplit(base_url).netloc + "/_stcore/stream",
            subprotocols=["streamlit", xsrf],
            origin=base_url,
            additional_headers=headers,
            user_agent_header=USER_AGENT,
            proxy=None,
            open_timeout=timeout_s,
            ping_interval=None,
            max_size=None,
            max_queue=None,
        )
        if ws.subprotocol != "streamlit":
            await ws.close()
            raise ConnectionError(f"server chose subprotocol {ws.subprotocol!r}")
        return cls(base_url, ws)

    def context_info(self) -> ContextInfo:
        # What a browser reports about itself (st.context): here, a desktop browser on UTC.
        return ContextInfo(
            timezone="UTC", timezone_offset=0, locale="en-US", url=self.base_url + "/", color_scheme="light"
        )

    async def rerun(
        self,
        *,
        widgets: list[WidgetState] | None = None,
        page_script_hash: str = "",
        page_name: str = "",
        query_string: str | None = None,
        timeout_s: float,
    ) -> tuple[Run, float]:
        """Ask for a script run; return the run that finished and the seconds from sending the request to its
        `script_finished`. A run that ends early for a rerun (st.rerun, as after a login) is followed to the
        run it hands over to."""
        msg = BackMsg()
        state = msg.rerun_script
        state.query_string = self.query_string if query_string is None else query_string
        state.widget_states.widgets.extend(widgets or [])
        # The frontend names the page it is on when it does not switch: the server would run the default page.
        state.page_script_hash = page_script_hash or self.page_script_hash
        state.page_name = page_name
        state.context_info.CopyFrom(self.context_info())
        while not self._finished.empty():  # nothing should be pending; a stray run is not this one's
            self._raise_if_closed(self._finished.get_nowait())
        t0 = time.monotonic()
        await self.ws.send(msg.SerializeToString())
        try:
            answer = await asyncio.wait_for(self._finished.get(), timeout_s)
        except TimeoutError:
            raise TimeoutError(f"no finished run within {timeout_s:.0f} s") from None
        run, t1 = self._raise_if_closed(answer)
        return run, t1 - t0

    @staticmethod
    def _raise_if_closed(answer: tuple[Run | None, float | BaseException]) -> tuple[Run, float]:
        run, value = answer
        if run is None:
            raise ConnectionError(f"websocket closed: {value}")
        return run, value

    async def _read(self) -> None:
        reason: BaseException | str = "by the server"
        try:
            async for frame in self.ws:
                at = time.monotonic()
                msg = ForwardMsg.FromString(frame)
                kind = msg.WhichOneof("type")
                if kind == "new_session":
                    self._run = Run()
                    self.page_script_hash = msg.new_session.page_script_hash
                self._run.bytes += len(frame)
                if kind == "delta":
                    self._run.add(msg.delta)
                elif kind == "ref_hash":
                    self._run.deltas += 1
                elif kind == "navigation":
                    self.pages = {page.page_name: page for page in msg.navigation.app_pages}
                    self.page_script_hash = msg.navigation.page_script_hash or self.page_script_hash
                elif kind == "page_info_changed":
                    self.query_string = msg.page_info_changed.query_string
                elif kind == "script_finished":
                    self._run.status = msg.script_finished
                    if msg.script_finished != EARLY:
                        self._finished.put_nowait((self._run, at))
        except ConnectionClosed as exc:
            reason = exc
        except Exception as exc:  # a frame that is not a ForwardMsg: the session is over
            reason = exc
        self._finished.put_nowait((None, reason))  # type: ignore[arg-type]

    async def close(self) -> None:
        await self.ws.close()
        self._reader.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await self._reader
