"""Guessing passwords: counted atomically, the same for known and unknown users, per source too."""

from __future__ import annotations

import json
import threading

import pytest

from pipelines.access import accounts
from pipelines.access.accounts import AccountError
from tests.apptest import app_as, create_users

RIGHT = "Rahasia12345"


def make(settings, username="lurah1"):
    return accounts.create(
        settings,
        username=username,
        nama="Uji",
        peran="lurah",
        wilayah="61.71.01.1006",
        password=RIGHT,
        city_code="61.71",
    )


def answer(settings, username, password, source="10.0.0.1") -> str:
    try:
        accounts.authenticate(settings, username, password, source=source)
    except AccountError as exc:
        return str(exc)
    return "masuk"


def test_parallel_guesses_cannot_outrun_the_lockout(settings):
    make(settings)
    guesses = [f"keliru{i:05d}x" for i in range(59)] + [RIGHT]
    answers: list[str] = []
    start = threading.Barrier(len(guesses))

    def attempt(password):
        start.wait()
        answers.append(answer(settings, "lurah1", password))

    threads = [threading.Thread(target=attempt, args=(p,)) for p in guesses]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wrong = answers.count("Nama pengguna atau kata sandi salah.")
    refused = answers.count(accounts.LOCKED_MESSAGE)
    # Only MAX_FAILURES wrong passwords are ever checked, however the right one interleaves: its
    # success takes back its own attempt, never the failures counted beside it. (It may also land
    # after the lock, then refused like the rest; with all others refused before it ends, the
    # window can close on one failure fewer.)
    assert accounts.MAX_FAILURES - 1 <= wrong <= accounts.MAX_FAILURES, answers
    assert answers.count("masuk") <= 1
    assert wrong + refused + answers.count("masuk") == len(guesses)


def test_a_right_password_between_guesses_gives_them_no_fresh_allowance(settings):
    make(settings)
    for _ in range(accounts.MAX_FAILURES - 1):
        assert answer(settings, "lurah1", "keliru12345") == "Nama pengguna atau kata sandi salah."
    assert answer(settings, "lurah1", RIGHT) == "masuk"
    # The failures before it still count in the window: one more wrong password locks the pair.
    assert answer(settings, "lurah1", "keliru12345") == "Nama pengguna atau kata sandi salah."
    assert answer(settings, "lurah1", RIGHT) == accounts.LOCKED_MESSAGE
    # Elsewhere the user is not locked out, and a new password clears the counters.
    assert answer(settings, "lurah1", RIGHT, source="10.9.9.9") == "masuk"
    accounts.set_password(settings, "lurah1", "BaruSekali123")
    assert answer(settings, "lurah1", "BaruSekali123") == "masuk"


def test_known_and_unknown_usernames_get_the_same_answers(settings):
    make(settings)
    known = [answer(settings, "lurah1", "keliru12345") for _ in range(accounts.MAX_FAILURES + 2)]
    unknown = [
        answer(settings, "tidak-ada", "keliru12345", source="10.0.0.2") for _ in range(accounts.MAX_FAILURES + 2)
    ]
    assert known == unknown
    assert known[-1] == accounts.LOCKED_MESSAGE


def test_an_attacker_elsewhere_cannot_lock_the_user_out_of_their_own_device(settings):
    make(settings)
    for _ in range(accounts.MAX_FAILURES + 3):
        answer(settings, "lurah1", "keliru12345", source="203.0.113.9")
    assert answer(settings, "lurah1", RIGHT, source="203.0.113.9") == accounts.LOCKED_MESSAGE
    assert answer(settings, "lurah1", RIGHT, source="10.1.1.1") == "masuk"


def test_one_source_guessing_across_accounts_is_throttled(settings):
    make(settings)
    for i in range(accounts.SOURCE_MAX_FAILURES):
        answer(settings, f"tebakan{i:03d}", "keliru12345", source="198.51.100.7")
    assert answer(settings, "lurah1", RIGHT, source="198.51.100.7") == accounts.LOCKED_MESSAGE
    assert answer(settings, "lurah1", RIGHT, source="10.1.1.1") == "masuk"


def test_many_sources_together_lock_the_account(settings):
    make(settings)
    for i in range(accounts.ACCOUNT_MAX_FAILURES):
        answer(settings, "lurah1", "keliru12345", source=f"192.0.2.{i}")
    assert answer(settings, "lurah1", RIGHT, source="10.1.1.1") == accounts.LOCKED_MESSAGE
    assert accounts.load(settings)["lurah1"].terkunci_sampai is not None


@pytest.mark.parametrize("change", ["passwd", "disable"])
def test_password_change_or_deactivation_ends_open_sessions(settings, change):
    create_users(settings)
    at = app_as("lurah", page="views/ringkasan.py")
    assert not at.get("text_input") or "Kata sandi" not in [w.label for w in at.text_input]
    if change == "passwd":
        accounts.set_password(settings, "lurah", "SandiBaru98765")
    else:
        accounts.set_active(settings, "lurah", False)
    at.run()
    assert "Kata sandi" in [w.label for w in at.text_input]


def test_accounts_of_an_older_release_move_into_the_store(settings):
    make(settings)
    legacy = {
        "lama1": {
            "username": "lama1",
            "nama": "Lama",
            "peran": "analis",
            "wilayah": None,
            "password_hash": accounts.load(settings)["lurah1"].password_hash,
            "email": None,
            "aktif": True,
            "gagal": 2,
            "terkunci_sampai": None,
            "dibuat_pada": "2025-01-01T00:00:00+00:00",
        }
    }
    # An older release kept accounts in a JSON file; a store that already has accounts ignores it.
    path = settings.state_dir / "pengguna.json"
    path.write_text(json.dumps(legacy))
    assert "lama1" not in accounts.load(settings)
    assert not path.exists()


def test_accounts_file_of_an_older_release_is_imported_into_an_empty_store(settings):
    settings.state_dir.mkdir(parents=True)
    hashed = accounts._hasher.hash(RIGHT)
    legacy = {"lama1": {"username": "lama1", "nama": "Lama", "peran": "analis", "wilayah": None,
                        "password_hash": hashed, "email": None, "aktif": True, "gagal": 0,
                        "terkunci_sampai": None, "dibuat_pada": "2025-01-01T00:00:00+00:00"}}  # fmt: skip
    (settings.state_dir / "pengguna.json").write_text(json.dumps(legacy))
    assert answer(settings, "lama1", RIGHT) == "masuk"
    assert not (settings.state_dir / "pengguna.json").exists()
