"""Accounts, lockout and masking (no Streamlit); the audit log is in test_audit.py."""

from __future__ import annotations

import datetime as dt

import pytest

from pipelines.access import accounts, masking
from pipelines.access.accounts import AccountError
from pipelines.workflow import casework


def make(settings, username="lurah1", role="lurah", area="61.71.01.1006"):
    return accounts.create(
        settings, username=username, nama="Uji", peran=role, wilayah=area, password="Rahasia12345", city_code="61.71"
    )


def test_password_is_stored_as_argon2_hash_only(settings):
    make(settings)
    stored = b"".join(p.read_bytes() for p in settings.state_dir.glob("tkpkd.sqlite*"))
    assert b"Rahasia12345" not in stored and b"$argon2id$" in stored
    assert all(oct(p.stat().st_mode)[-3:] == "600" for p in settings.state_dir.glob("tkpkd.sqlite*"))


def test_login_with_right_and_wrong_password(settings):
    make(settings)
    assert accounts.authenticate(settings, "LURAH1", "Rahasia12345").username == "lurah1"
    with pytest.raises(AccountError, match="salah"):
        accounts.authenticate(settings, "lurah1", "keliru12345")
    with pytest.raises(AccountError, match="salah"):  # unknown users get the same message
        accounts.authenticate(settings, "tidakada", "keliru12345")


def test_repeated_failures_lock_the_account(settings):
    make(settings)
    for _ in range(accounts.MAX_FAILURES):
        with pytest.raises(AccountError):
            accounts.authenticate(settings, "lurah1", "keliru12345")
    with pytest.raises(AccountError, match="Terlalu banyak"):
        accounts.authenticate(settings, "lurah1", "Rahasia12345")


def test_lock_expires(settings, monkeypatch):
    make(settings)
    for _ in range(accounts.MAX_FAILURES):
        with pytest.raises(AccountError):
            accounts.authenticate(settings, "lurah1", "keliru12345")
    later = dt.datetime.now(dt.UTC) + accounts.LOCKOUT + dt.timedelta(seconds=1)
    monkeypatch.setattr(accounts, "_now", lambda: later)
    assert accounts.authenticate(settings, "lurah1", "Rahasia12345").username == "lurah1"


def test_deactivated_account_cannot_log_in(settings):
    make(settings)
    accounts.set_active(settings, "lurah1", False)
    with pytest.raises(AccountError, match="dinonaktifkan"):
        accounts.authenticate(settings, "lurah1", "Rahasia12345")


@pytest.mark.parametrize(
    "role,area,message",
    [
        ("lurah", None, "memerlukan kode kelurahan"),
        ("lurah", "61.71.01", "memerlukan kode kelurahan"),
        ("camat", "61.71.01.1006", "memerlukan kode kecamatan"),
        ("lurah", "64.74.01.1001", "bukan bagian dari kota"),
        ("raja", None, "tidak dikenal"),
    ],
)
def test_role_needs_a_matching_area(settings, role, area, message):
    with pytest.raises(AccountError, match=message):
        make(settings, role=role, area=area)


@pytest.mark.parametrize("password", ["pendek1", "hanyahurufsaja", "1234567890123"])
def test_weak_passwords_are_refused(settings, password):
    with pytest.raises(AccountError):
        accounts.create(
            settings, username="x-1", nama="x", peran="analis", wilayah=None, password=password, city_code="61.71"
        )


def test_scope_follows_role_and_area(settings):
    lurah = make(settings)
    assert lurah.scope.kode_wilayah == "61.71.01.1006" and lurah.scope.names and not lurah.scope.full_ids
    chair = make(settings, "ketua", "pimpinan", None)
    assert chair.scope.kode_wilayah is None and not chair.scope.names


def test_masking_shows_first_six_and_last_four_digits():
    assert masking.mask_id("6171014506800001") == "617101******0001"
    assert masking.mask_name("Siti Aminah") == "S*** A*****"
    assert masking.mask_address("Jl. Merdeka No. 5") == "Jl. ***"
    assert masking.mask_id(None) == "-"


def test_follow_ups_are_appended_and_latest_wins(settings):
    h = "a" * 32
    casework.record(
        settings,
        kk_hash=h,
        periode="2025-Q3",
        kode_kelurahan="61.71.01.1006",
        status="kunjungan",
        catatan="perlu dicek",
        user="lurah1",
    )
    casework.record(
        settings,
        kk_hash=h,
        periode="2025-Q4",
        kode_kelurahan="61.71.01.1006",
        status="terverifikasi",
        catatan="",
        user="lurah1",
    )
    assert casework.latest(settings)[h].status == "terverifikasi"
    assert len(casework.history(settings, kode_prefix="61.71.01")) == 2
    assert casework.history(settings, kode_prefix="61.71.02") == []
    with pytest.raises(casework.FollowUpError):
        casework.record(
            settings,
            kk_hash=h,
            periode="2025-Q4",
            kode_kelurahan="61.71.01.1006",
            status="dihapus",
            catatan="",
            user="x",
        )
