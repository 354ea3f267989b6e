"""Local accounts: argon2 password hashes, roles, areas, lockout. No external service needed.

Accounts live in data/state/pengguna.json (written atomically, never served). A role
decides which pages exist for a user; the area decides which rows every query returns.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import secrets
import threading
from dataclasses import asdict, dataclass, field

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from pipelines.lake import write_json_atomic
from pipelines.read import CODE, Scope
from pipelines.settings import Settings

# Five wrong passwords lock an account for fifteen minutes (slows guessing, not the user).
MAX_FAILURES = 5
LOCKOUT = dt.timedelta(minutes=15)
MIN_PASSWORD_LENGTH = 10
USERNAME = re.compile(r"^[a-z0-9._-]{3,40}$")


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
    gagal: int = 0
    terkunci_sampai: str | None = None
    dibuat_pada: str = field(default_factory=lambda: _now().isoformat(timespec="seconds"))

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


_hasher = PasswordHasher()
_lock = threading.Lock()


def _path(settings: Settings):
    return settings.state_dir / "pengguna.json"


def load(settings: Settings) -> dict[str, Account]:
    path = _path(settings)
    if not path.exists():
        return {}
    raw = json.loads(path.read_text(encoding="utf-8"))
    return {u: Account(**a) for u, a in raw.items()}


def _save(settings: Settings, accounts: dict[str, Account]) -> None:
    settings.state_dir.mkdir(parents=True, exist_ok=True)
    write_json_atomic(_path(settings), {u: asdict(a) for u, a in sorted(accounts.items())})
    os.chmod(_path(settings), 0o600)


def check_password_strength(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AccountError(f"Kata sandi minimal {MIN_PASSWORD_LENGTH} karakter.")
    if password.isdigit() or password.isalpha() or password.lower() in ("password123", "passwordku1"):
        raise AccountError("Kata sandi harus memuat huruf dan angka dan tidak mudah ditebak.")


def _check_area(peran: str, wilayah: str | None, city_code: str) -> str | None:
    role = ROLES.get(peran)
    if role is None:
        raise AccountError(f"Peran '{peran}' tidak dikenal. Pilih: {', '.join(ROLES)}.")
    if role.area_level is None:
        return None
    levels = {"kecamatan": 2, "kelurahan": 3}
    if not wilayah or not CODE.match(wilayah) or wilayah.count(".") != levels[role.area_level]:
        raise AccountError(
            f"Peran {role.label} memerlukan kode {role.area_level} (mis. "
            f"{'61.71.01' if role.area_level == 'kecamatan' else '61.71.01.1002'})."
        )
    if not wilayah.startswith(city_code + "."):
        raise AccountError(f"Wilayah {wilayah} bukan bagian dari kota {city_code}.")
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
    with _lock:
        accounts = load(settings)
        if username in accounts:
            raise AccountError(f"Pengguna '{username}' sudah ada.")
        account = Account(
            username,
            nama.strip() or username,
            peran,
            area,
            _hasher.hash(password),
            email=(email or "").strip().lower() or None,
        )
        accounts[username] = account
        _save(settings, accounts)
    return account


def _update(settings: Settings, username: str, **changes) -> Account:
    with _lock:
        accounts = load(settings)
        if username not in accounts:
            raise AccountError(f"Pengguna '{username}' tidak ditemukan.")
        account = Account(**{**asdict(accounts[username]), **changes})
        accounts[username] = account
        _save(settings, accounts)
    return account


def set_password(settings: Settings, username: str, password: str) -> Account:
    check_password_strength(password)
    return _update(settings, username, password_hash=_hasher.hash(password), gagal=0, terkunci_sampai=None)


def set_active(settings: Settings, username: str, active: bool) -> Account:
    return _update(settings, username, aktif=active)


def authenticate(settings: Settings, username: str, password: str) -> Account:
    """The account, or AccountError with a message that does not reveal whether the user exists."""
    username = (username or "").strip().lower()
    generic = AccountError("Nama pengguna atau kata sandi salah.")
    account = load(settings).get(username)
    if account is None:
        # Spend the same time as a real check so response time does not reveal accounts.
        _hasher.hash(password or "-")
        raise generic
    if account.terkunci_sampai and dt.datetime.fromisoformat(account.terkunci_sampai) > _now():
        raise AccountError(
            "Akun dikunci sementara karena terlalu banyak percobaan gagal. Coba lagi nanti atau hubungi admin."
        )
    try:
        _hasher.verify(account.password_hash, password or "")
    except (VerificationError, InvalidHashError):
        failures = account.gagal + 1
        locked = (_now() + LOCKOUT).isoformat(timespec="seconds") if failures >= MAX_FAILURES else None
        _update(settings, username, gagal=0 if locked else failures, terkunci_sampai=locked)
        raise generic from None
    if not account.aktif:
        raise AccountError("Akun ini dinonaktifkan. Hubungi admin.")
    if account.gagal or account.terkunci_sampai:
        account = _update(settings, username, gagal=0, terkunci_sampai=None)
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
