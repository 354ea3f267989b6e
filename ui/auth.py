"""Login gate: local accounts (argon2, lockout) and, when configured, OIDC through st.login."""

from __future__ import annotations

import logging
import os
import threading
import time

import streamlit as st

from pipelines.access import accounts, audit
from pipelines.access.accounts import Account, AccountError
from pipelines.settings import Settings, get_settings
from ui import state

# A session ends after 30 idle minutes, and after 12 hours whatever happens.
IDLE_TIMEOUT_S = 30 * 60
MAX_SESSION_S = 12 * 60 * 60
# Password checks running at once in this server process; the others wait their turn. A check is
# argon2 (about 0.2 s of CPU and 64 MiB), so more at once than cores only adds memory. And a check in
# progress counts against its source address until it succeeds: a meeting room behind one address
# logging in together would otherwise reach accounts.SOURCE_MAX_FAILURES and lock that address.
LOGINS_AT_ONCE = 2
_login_slots = threading.BoundedSemaphore(LOGINS_AT_ONCE)
log = logging.getLogger("tkpkd")


def oidc_configured() -> bool:
    try:
        return "auth" in st.secrets
    except Exception:  # no secrets.toml at all
        return False


def client_source() -> str:
    """The client's address as the server saw it; behind a reverse proxy, the proxy's own
    X-Forwarded-For (TKPKD_TRUST_PROXY=1) names the client instead."""
    try:
        if os.environ.get("TKPKD_TRUST_PROXY") == "1":
            forwarded = st.context.headers.get("X-Forwarded-For", "")
            if isinstance(forwarded, str) and forwarded:
                return forwarded.split(",")[-1].strip()[:64]
        address = st.context.ip_address
        # AppTest hands out a mock context: anything but a real address string counts as unknown.
        return address[:64] if isinstance(address, str) and address else "-"
    except Exception:  # AppTest and bare mode have no request
        return "-"


def current_account() -> Account | None:
    """The logged-in account, re-read from the store each run so deactivation takes effect at once."""
    settings = get_settings()
    username = state.account_username()
    now = time.time()
    if username:
        started = st.session_state.get(state.LOGIN_AT, 0)
        seen = st.session_state.get(state.LAST_SEEN, 0)
        account = accounts.get(settings, username)
        if (
            account is None
            or not account.aktif
            # A password change or a deactivation raises the account's session version.
            or st.session_state.get(state.SESSION_VERSION, 0) != account.sesi_versi
            or now - seen > IDLE_TIMEOUT_S
            or now - started > MAX_SESSION_S
        ):
            state.clear_login()
            st.session_state["pesan_masuk"] = "Sesi berakhir. Silakan masuk lagi."
            return None
        state.touch()
        return account
    if oidc_configured() and getattr(st.user, "is_logged_in", False):
        account = accounts.by_email(settings, st.user.get("email", ""))
        if account is None:
            return None
        try:
            _start_session(account, "oidc")
        except audit.AuditError as exc:
            st.session_state["pesan_masuk"] = str(exc)
            return None
        return account
    return None


def check_password(settings: Settings, username: str, password: str, *, source: str) -> Account:
    """The account whose password this is (accounts.authenticate), a few checks at a time."""
    with _login_slots:
        return accounts.authenticate(settings, username, password, source=source)


def _start_session(account: Account, how: str) -> None:
    """Audited first: a login the log cannot record does not happen."""
    audit.record(
        get_settings(), user=account.username, role=account.peran, action="masuk", scope=account.wilayah, detail=how
    )
    st.session_state[state.ACCOUNT] = account.username
    st.session_state[state.LOGIN_AT] = time.time()
    st.session_state[state.SESSION_VERSION] = account.sesi_versi
    state.touch()


def login_page() -> None:
    """The only page an unauthenticated browser can reach, whatever URL it opens."""
    st.title("Dasbor TKPKD")
    st.caption("Tim Koordinasi Penanggulangan Kemiskinan Daerah")
    if message := st.session_state.pop("pesan_masuk", None):
        st.info(message)
    with st.form("form_masuk"):
        username = st.text_input("Nama pengguna", key="masuk_nama")
        password = st.text_input("Kata sandi", type="password", key="masuk_sandi")
        submitted = st.form_submit_button("Masuk", type="primary")
    if submitted:
        settings = get_settings()
        try:
            try:
                account = check_password(settings, username, password, source=client_source())
            except AccountError as exc:
                audit.record(settings, user=(username or "-")[:40], role="-", action="gagal_masuk", detail=str(exc))
                st.error(str(exc))
                return
            _start_session(account, "kata sandi")
        except audit.AuditError as exc:
            st.error(str(exc))
            return
        st.rerun()
    if oidc_configured():
        st.divider()
        if st.button("Masuk dengan akun instansi (SSO)", key="masuk_sso"):
            st.login()
        if getattr(st.user, "is_logged_in", False):
            st.warning("Akun SSO Anda belum terdaftar di dasbor ini. Minta admin mendaftarkan e-mail Anda.")


def logout(account: Account) -> None:
    try:
        audit.record(get_settings(), user=account.username, role=account.peran, action="keluar", scope=account.wilayah)
    except audit.AuditError:
        # Ending a session never widens anyone's access: it goes ahead, and the server log keeps the failure.
        log.exception("keluar tanpa catatan audit: %s", account.username)
    state.clear_login()
    if oidc_configured() and getattr(st.user, "is_logged_in", False):
        st.logout()
    st.rerun()
