"""Which pages a role gets, the sidebar frame, and the per-run context views read."""

from __future__ import annotations

import base64
import logging
from dataclasses import dataclass
from pathlib import Path

import streamlit as st

from pipelines.access import audit
from pipelines.access.accounts import ROLES, Account
from pipelines.access.scope import OutOfScope
from pipelines.formatting import markdown_literal, tanggal
from pipelines.lake import manifest as lake
from pipelines.lake.publish import FAMILY_OUTPUTS, OUTPUTS, rollback
from pipelines.settings import get_settings
from ui import auth, data, widgets

ROOT = Path(__file__).resolve().parent.parent
# The browser tab's icon as a data URL, read once: given a file path, Streamlit would open, decode and
# re-encode the image on every script run of every session.
ICON = "data:image/png;base64," + base64.b64encode((ROOT / "ui" / "ikon.png").read_bytes()).decode("ascii")
# key: (script, title, icon). A role's pages come from pipelines.access.accounts.ROLES.
PAGES = {
    "ringkasan": ("views/ringkasan.py", "Ringkasan", ":material/dashboard:"),
    "peta": ("views/peta.py", "Peta", ":material/map:"),
    "tren": ("views/tren.py", "Tren", ":material/show_chart:"),
    "evaluasi": ("views/evaluasi.py", "Evaluasi program", ":material/insights:"),
    "kualitas": ("views/kualitas.py", "Kualitas data", ":material/fact_check:"),
    "sasaran": ("views/sasaran.py", "Keluarga sasaran", ":material/groups:"),
    "unggah": ("views/unggah.py", "Unggah data", ":material/upload_file:"),
    "pengguna": ("views/pengguna.py", "Pengguna", ":material/manage_accounts:"),
    "audit": ("views/audit.py", "Log audit", ":material/history:"),
}
# Pages that follow the shared area and period selectors.
AREA_PAGES = {"ringkasan", "peta", "tren", "evaluasi", "kualitas", "sasaran"}
_CONTEXT = "_konteks"
log = logging.getLogger("tkpkd")


@dataclass(frozen=True)
class Context:
    account: Account
    area: str | None
    period: str | None


def _keys(account: Account) -> list[str]:
    return [k for k in ROLES[account.peran].pages if (ROOT / PAGES[k][0]).exists()]


def pages_for(account: Account) -> list[st.Page]:
    keys = _keys(account)
    return [
        st.Page(PAGES[k][0], title=PAGES[k][1], icon=PAGES[k][2], url_path=k, default=i == 0)
        for i, k in enumerate(keys)
    ]


def login_pages(login) -> list[st.Page]:
    """The login form under every page's URL (and at the root)."""
    return [st.Page(login, title="Masuk", url_path="masuk", default=True)] + [
        st.Page(login, title="Masuk", url_path=key) for key in PAGES
    ]


def page_key(account: Account, page) -> str:
    """The page's key; the default page is served at '/' and reports an empty url_path."""
    return page.url_path or _keys(account)[0]


def frame(account: Account, page) -> None:
    """Sidebar: who is logged in, the shared selectors when the page uses them, logout."""
    area = period = None
    key = page_key(account, page)
    with st.sidebar:
        role = ROLES[account.peran]
        # An account name is typed by an admin: shown as written, never as Markdown.
        st.markdown(f"**{markdown_literal(account.nama)}**  \n{role.label}")
    if key in AREA_PAGES and data.has_lake():
        try:
            area, period = widgets.select_area_and_period(account)
        except lake.DamagedVersion as exc:
            damaged(account, exc)
    with st.sidebar:
        if data.has_lake():
            manifest = data.manifest()
            st.caption(f"Data versi {manifest['versi']}, diterbitkan {tanggal(manifest['diterbitkan_pada'])}.")
        if st.button("Keluar", key="tombol_keluar", icon=":material/logout:"):
            auth.logout(account)
    st.session_state[_CONTEXT] = Context(account, area, period)


def run(page, account: Account) -> None:
    """Run the page; an error shows a plain Indonesian message (details go to the server log only)."""
    try:
        page.run()
    except OutOfScope as exc:
        audit.refused(get_settings(), account, str(exc))
        st.error("Wilayah yang diminta berada di luar wilayah kewenangan Anda.")
    except lake.DamagedVersion as exc:
        damaged(account, exc)
    except lake.NoLake as exc:
        st.info(str(exc))
    except Exception:
        log.exception("halaman %s gagal", page_key(account, page))
        st.error("Maaf, halaman ini gagal ditampilkan. Kesalahan sudah dicatat untuk admin; coba muat ulang halaman.")


def damaged(account: Account, exc: lake.DamagedVersion) -> None:
    """A damaged current version: say so, and let a user who may publish go back to the previous one."""
    log.error("versi %s rusak: %s", exc.version, exc.__cause__)
    st.error(str(exc))
    if exc.previous and "unggah" in ROLES[account.peran].pages:
        sure = st.checkbox(f"Saya yakin: kembalikan ke versi {exc.previous}", key="rusak_yakin")
        if st.button(f"Kembalikan ke versi {exc.previous}", key="rusak_kembalikan", disabled=not sure):
            back = rollback(settings=get_settings(), user=account.username, to=exc.previous)
            audit.record(
                get_settings(),
                user=account.username,
                role=account.peran,
                action="kembalikan",
                detail=f"{exc.version} rusak, kembali ke {back['versi']}",
            )
            st.cache_data.clear()
            st.rerun()
    st.stop()


def context() -> Context:
    """The logged-in account and the selected area and period, set by dashboard.py for this run."""
    ctx = st.session_state.get(_CONTEXT)
    if ctx is None:
        st.stop()
    return ctx


def require_lake(ctx: Context) -> None:
    if data.has_lake():
        missing = {name for name, _, _ in FAMILY_OUTPUTS + OUTPUTS} - set(data.manifest()["tabel"])
        if missing:
            # A lake published by an older release lacks tables this release reads.
            st.warning(
                "Data terbit dibuat oleh versi aplikasi sebelumnya. Minta analis menerbitkan ulang "
                "(halaman Unggah data, tombol Terbitkan, atau `python -m pipelines publish`)."
            )
            st.stop()
        return
    if lake.existing_versions(get_settings()):
        try:
            lake.read_manifest(get_settings())
        except lake.NoLake as exc:  # versions exist but the manifest naming the current one is gone
            st.error(str(exc))
            st.stop()
    if "unggah" in ROLES[ctx.account.peran].pages:
        st.info("Belum ada data yang diterbitkan. Unggah data keluarga di halaman **Unggah data**, lalu terbitkan.")
    else:
        st.info("Belum ada data yang diterbitkan. Minta analis Bappeda/Dinsos mengunggah dan menerbitkan data.")
    st.stop()
