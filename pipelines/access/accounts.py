"""Local accounts: argon2 password hashes, roles, areas, lockout. No external service needed.

Accounts live in the transactional store (pipelines/store.py: SQLite in data/state by default,
PostgreSQL by URL), never served. A role decides which pages exist for a user; the area decides
which rows every query returns.

Guessing is slowed three ways, counted atomically in the store before the password is checked,
so parallel guesses cannot outrun the count, and counted the same whether or not the username
exists, so the answer never reveals an account:
- one account from one source: MAX_FAILURES failures lock that pair;
- one source over any accounts: SOURCE_MAX_FAILURES failures throttle the source;
- one account from every source: ACCOUNT_MAX_FAILURES failures lock the account itself, so a
  distributed attack stops too, while one attacker cannot lock a user out of their own device.
A right password takes back only its own attempt: the failures before and beside it keep counting
for the window, so at most MAX_FAILURES wrong passwords per pair are ever checked in it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import secrets
from dataclasses import asdict, dataclass, field

import sqlalchemy as sa
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from pipelines import store
from pipelines.access.scope import Scope
from pipelines.cities import UnknownCity, get_city
from pipelines.domain import CODE
from pipelines.settings import Settings

# Five wrong passwords from one source lock that account there for fifteen minutes.
MAX_FAILURES = 5
# A source guessing across many accounts is throttled after this many failures in the window.
SOURCE_MAX_FAILURES = 20
# Failures on one account from all sources together: a distributed attack locks the account.
ACCOUNT_MAX_FAILURES = 50
LOCKOUT = dt.timedelta(minutes=15)
MIN_PASSWORD_LENGTH = 10
USERNAME = re.compile(r"^[a-z0-9._-]{3,40}$")
LOCKED_MESSAGE = "Terlalu banyak percobaan masuk yang gagal. Coba lagi dalam 15 menit atau hubungi admin."


@dataclass(frozen=True)
class Role:
    key: str
    label: str
    area_level: str | None  # the level of the area the account must have; None: whole city
    names: bool  # may see names, NIK and addresses (masked by default)
    pages: tuple[str, ...]
    full_ids: bool = False  # may unmask whole NIK / No KK (fixing records needs them)


ROLES = {
    r.key: r
    for r in (
        Role("pimpinan", "Pimpinan TKPKD", None, False, ("ringkasan", "peta", "tren", "evaluasi", "kualitas")),
        Role("camat", "Camat", "kecamatan", False, ("ringkasan", "peta", "tren", "evaluasi", "kualitas")),
        Role("lurah", "Lurah", "kelurahan", True, ("ringkasan", "peta", "tren", "kualitas", "sasaran")),
        Role(
            "analis",
            "Analis (Bappeda/Dinsos)",
            None,
            True,
            ("ringkasan", "peta", "tren", "evaluasi", "kualitas", "sasaran", "unggah"),
            full_ids=True,
        ),
        Role("admin", "Admin sistem", None, False, ("pengguna", "audit")),
    )
}


class AccountError(ValueError):
    pass


@dataclass(frozen=True)
class Account:
    username: str
    nama: str
    peran: str
    wilayah: str | None
    password_hash: str
    email: str | None = None
    aktif: bool = True
    dibuat_pada: str = field(default_factory=lambda: _now().isoformat(timespec="seconds"))
    sesi_versi: int = 0
    # Filled on load from the login counters: the account-wide lock, if any (ISO time).
    terkunci_sampai: str | None = field(default=None, compare=False)

    @property
    def role(self) -> Role:
        return ROLES[self.peran]

    @property
    def scope(self) -> Scope:
        return Scope(self.wilayah, self.role.names, user=self.username, role=self.peran, full_ids=self.role.full_ids)

    def public(self) -> dict:
        data = asdict(self)
        data.pop("password_hash")
        return data


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _clock() -> float:
    return _now().timestamp()


_hasher = PasswordHasher()
_COLUMNS = ("username", "nama", "peran", "wilayah", "password_hash", "email", "aktif", "dibuat_pada", "sesi_versi")


def _legacy_path(settings: Settings):
    return settings.state_dir / "pengguna.json"


def _import_legacy(settings: Settings, conn) -> None:
    """Accounts of an older release (data/state/pengguna.json) move into the store once."""
    path = _legacy_path(settings)
    if not path.exists():
        return
    if conn.execute(sa.select(sa.func.count()).select_from(store.akun)).scalar_one() == 0:
        for row in json.loads(path.read_text(encoding="utf-8")).values():
            conn.execute(sa.insert(store.akun).values({k: row[k] for k in _COLUMNS if k in row}))
    path.unlink()


def load(settings: Settings) -> dict[str, Account]:
    with store.transaction(settings) as conn:
        _import_legacy(settings, conn)
        rows = conn.execute(sa.select(store.akun).order_by(store.akun.c.username)).mappings().all()
        locks = dict(
            conn.execute(
                sa.select(store.percobaan_masuk.c.kunci, store.percobaan_masuk.c.terkunci_sampai).where(
                    store.percobaan_masuk.c.terkunci_sampai > _clock()
                )
            ).all()
        )
    accounts = {}
    for row in rows:
        until = locks.get(_account_key(row["username"]))
        iso = dt.datetime.fromtimestamp(until, dt.UTC).isoformat(timespec="seconds") if until else None
        accounts[row["username"]] = Account(**dict(row), terkunci_sampai=iso)
    return accounts


def get(settings: Settings, username: str) -> Account | None:
    """One account, or None; read fresh on every call (a deactivation takes effect at once)."""
    if _legacy_path(settings).exists():
        with store.transaction(settings) as conn:
            _import_legacy(settings, conn)
    with store.connection(settings) as conn:
        row = conn.execute(sa.select(store.akun).where(store.akun.c.username == username)).mappings().first()
    return Account(**dict(row)) if row else None


def check_password_strength(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AccountError(f"Kata sandi minimal {MIN_PASSWORD_LENGTH} karakter.")
    if password.isdigit() or password.isalpha() or password.lower() in ("password123", "passwordku1"):
        raise AccountError("Kata sandi harus memuat huruf dan angka dan tidak mudah ditebak.")


def _check_area(peran: str, wilayah: str | None, city_code: str) -> str | None:
    """The account's area: a code of the role's level in the city's official region list, or None
    for a role that sees the whole city."""
    role = ROLES.get(peran)
    if role is None:
        raise AccountError(f"Peran '{peran}' tidak dikenal. Pilih: {', '.join(ROLES)}.")
    wilayah = (wilayah or "").strip() or None
    if role.area_level is None:
        if wilayah:
            raise AccountError(
                f"Peran {role.label} melihat seluruh kota dan tidak diberi wilayah; kosongkan wilayah ({wilayah})."
            )
        return None
    try:
        city = get_city(city_code)
    except UnknownCity as exc:
        raise AccountError(f"Kota {city_code} tidak dikenal, jadi wilayah akun tidak bisa diperiksa.") from exc
    regions = city.regions()
    levels = dict(zip(regions["kode_kemendagri"], regions["level"]))
    names = dict(zip(regions["kode_kemendagri"], regions["nama_kemendagri"]))
    example = next(code for code, level in levels.items() if level == role.area_level)
    need = f"Peran {role.label} memerlukan kode {role.area_level} (mis. {example} untuk {names[example]})"
    if not wilayah:
        raise AccountError(f"{need}.")
    if wilayah not in levels:
        if CODE.match(wilayah) and not wilayah.startswith(city.kode + "."):
            raise AccountError(f"Wilayah {wilayah} bukan bagian dari kota ini ({city.nama}). {need}.")
        raise AccountError(f"Kode wilayah {wilayah} tidak ada dalam daftar wilayah resmi {city.nama}. {need}.")
    if levels[wilayah] != role.area_level:
        raise AccountError(f"{need}; {wilayah} ({names[wilayah]}) adalah kode {levels[wilayah]}.")
    return wilayah


def create(
    settings: Settings,
    *,
    username: str,
    nama: str,
    peran: str,
    wilayah: str | None,
    password: str,
    city_code: str,
    email: str | None = None,
) -> Account:
    username = username.strip().lower()
    if not USERNAME.match(username):
        raise AccountError("Nama pengguna 3-40 karakter: huruf kecil, angka, titik, garis bawah atau tanda minus.")
    check_password_strength(password)
    area = _check_area(peran, wilayah, city_code)
    account = Account(
        username,
        nama.strip() or username,
        peran,
        area,
        _hasher.hash(password),
        email=(email or "").strip().lower() or None,
    )
    with store.transaction(settings) as conn:
        _import_legacy(settings, conn)
        exists = conn.execute(sa.select(store.akun.c.username).where(store.akun.c.username == username)).first()
        if exists:
            raise AccountError(f"Pengguna '{username}' sudah ada.")
        conn.execute(sa.insert(store.akun).values({k: getattr(account, k) for k in _COLUMNS}))
    return account


def _update(settings: Settings, username: str, *, end_sessions: bool = False, **changes) -> Account:
    values = dict(changes)
    if end_sessions:
        values["sesi_versi"] = store.akun.c.sesi_versi + 1
    with store.transaction(settings) as conn:
        done = conn.execute(sa.update(store.akun).where(store.akun.c.username == username).values(values))
        if done.rowcount != 1:
            raise AccountError(f"Pengguna '{username}' tidak ditemukan.")
        row = conn.execute(sa.select(store.akun).where(store.akun.c.username == username)).mappings().one()
    return Account(**dict(row))


def set_password(settings: Settings, username: str, password: str) -> Account:
    """A new password; every session of the account ends and its login counters are cleared."""
    check_password_strength(password)
    account = _update(settings, username, end_sessions=True, password_hash=_hasher.hash(password))
    _clear_keys(settings, [_account_key(username)], prefix=_account_key(username) + "|")
    return account


def set_active(settings: Settings, username: str, active: bool) -> Account:
    """Enable or disable; disabling ends every session of the account at its next page run."""
    return _update(settings, username, end_sessions=not active, aktif=active)


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:32]


def _account_key(username: str) -> str:
    return "akun:" + _digest(username)


def _source_key(source: str) -> str:
    return "sumber:" + _digest(source)


def _reserve(conn, key: str, limit: int, now: float) -> bool:
    """Count one attempt under `key` before the password is checked; False when the key is locked.

    The row is created if missing, then locked (FOR UPDATE on PostgreSQL; SQLite's writer lock
    already serialises), so parallel attempts see each other's counts. Keys are always taken in
    the same order by every caller, so two attempts cannot deadlock."""
    table = store.percobaan_masuk
    window = LOCKOUT.total_seconds()
    insert = store.insert_or_ignore(conn, table).values(kunci=key, gagal=0, mulai=now, terkunci_sampai=None)
    conn.execute(insert)
    row = conn.execute(sa.select(table).where(table.c.kunci == key).with_for_update()).mappings().one()
    if row["terkunci_sampai"] and row["terkunci_sampai"] > now:
        return False
    count = 1 if row["mulai"] < now - window else row["gagal"] + 1
    start = now if row["mulai"] < now - window else row["mulai"]
    conn.execute(
        sa.update(table)
        .where(table.c.kunci == key)
        .values(gagal=count, mulai=start, terkunci_sampai=now + window if count >= limit else None)
    )
    return True


def _clear_keys(settings: Settings, keys: list[str], *, prefix: str | None = None) -> None:
    table = store.percobaan_masuk
    with store.transaction(settings) as conn:
        condition = table.c.kunci.in_(keys)
        if prefix:
            condition = condition | table.c.kunci.startswith(prefix, autoescape=True)
        conn.execute(sa.delete(table).where(condition))


def _forget_one(conn, key: str, limit: int) -> None:
    """Take the right attempt's own reservation back from `key`.

    Only that one: failures counted beside it (parallel guesses still being checked) keep
    counting, so a right password among parallel guesses never hands them a fresh allowance.
    A lock stays only while the count still reaches the limit."""
    table = store.percobaan_masuk
    conn.execute(
        sa.update(table)
        .where(table.c.kunci == key, table.c.gagal > 0)
        .values(
            gagal=table.c.gagal - 1,
            terkunci_sampai=sa.case((table.c.gagal - 1 >= limit, table.c.terkunci_sampai), else_=None),
        )
    )


def authenticate(settings: Settings, username: str, password: str, *, source: str = "-") -> Account:
    """The account, or AccountError with a message that does not reveal whether the user exists.

    `source` is where the request came from (the client address); attempts are counted per
    account and source, per source, and per account before the password is checked."""
    username = (username or "").strip().lower()
    generic = AccountError("Nama pengguna atau kata sandi salah.")
    now = _clock()
    account_key = _account_key(username)
    pair_key = f"{account_key}|{_source_key(source)}"
    source_key = _source_key(source)
    with store.transaction(settings) as conn:
        conn.execute(
            sa.delete(store.percobaan_masuk).where(
                store.percobaan_masuk.c.mulai < now - 2 * LOCKOUT.total_seconds(),
                sa.or_(
                    store.percobaan_masuk.c.terkunci_sampai.is_(None), store.percobaan_masuk.c.terkunci_sampai < now
                ),
            )
        )
        allowed = all(
            [
                _reserve(conn, pair_key, MAX_FAILURES, now),
                _reserve(conn, source_key, SOURCE_MAX_FAILURES, now),
                _reserve(conn, account_key, ACCOUNT_MAX_FAILURES, now),
            ]
        )
    if not allowed:
        _hasher.hash(password or "-")
        raise AccountError(LOCKED_MESSAGE)
    account = get(settings, username) if USERNAME.match(username) else None
    if account is None:
        # Spend the same time as a real check so response time does not reveal accounts.
        _hasher.hash(password or "-")
        raise generic
    try:
        _hasher.verify(account.password_hash, password or "")
    except (VerificationError, InvalidHashError):
        raise generic from None
    if not account.aktif:
        raise AccountError("Akun ini dinonaktifkan. Hubungi admin.")
    # The attempt was right: it no longer counts against the pair, the source or the account.
    # Earlier failures in the window still do (MAX_FAILURES wrong passwords per window, whatever
    # succeeds between them); a new password or the window's end clears them.
    with store.transaction(settings) as conn:
        for key, limit in (
            (pair_key, MAX_FAILURES),
            (source_key, SOURCE_MAX_FAILURES),
            (account_key, ACCOUNT_MAX_FAILURES),
        ):
            _forget_one(conn, key, limit)
    return account


def by_email(settings: Settings, email: str) -> Account | None:
    """The active account bound to an OIDC identity's e-mail address."""
    email = (email or "").strip().lower()
    for account in load(settings).values():
        if account.email and account.email == email and account.aktif:
            return account
    return None


def generate_password() -> str:
    """A random password shown once (letters and digits, 16 characters)."""
    while True:
        candidate = secrets.token_urlsafe(12)
        if any(c.isdigit() for c in candidate) and any(c.isalpha() for c in candidate):
            return candidate
