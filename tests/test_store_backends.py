"""The transactional store behaves the same on SQLite and on PostgreSQL.

PostgreSQL runs where TKPKD_TEST_POSTGRES_URL names a server (`.ci/run` starts one with
scripts/postgres.sh); each test gets a database of its own. In CI a missing server fails.
"""

from __future__ import annotations

import os
import threading
import uuid

import pytest
import sqlalchemy as sa

from pipelines.access import accounts
from pipelines.settings import get_settings

RIGHT = "Rahasia12345"


@pytest.fixture(params=["sqlite", "postgresql"])
def store_settings(request, settings, monkeypatch):
    if request.param == "sqlite":
        yield settings
        return
    url = os.environ.get("TKPKD_TEST_POSTGRES_URL")
    if not url:
        message = 'no PostgreSQL server (eval "$(bash scripts/postgres.sh)" starts one)'
        if os.environ.get("TKPKD_CI") == "1":
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    name = f"tkpkd_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    monkeypatch.setenv("TKPKD_DATABASE_URL", url.rsplit("/", 1)[0] + "/" + name)
    yield get_settings()
    from pipelines import store

    store._engine_for(get_settings().database_url).dispose()
    with admin.connect() as conn:
        conn.exec_driver_sql(f'DROP DATABASE "{name}" WITH (FORCE)')
    admin.dispose()


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


def test_accounts_round_trip(store_settings):
    made = make(store_settings)
    assert accounts.load(store_settings)["lurah1"] == made
    with pytest.raises(accounts.AccountError, match="sudah ada"):
        make(store_settings)
    accounts.set_active(store_settings, "lurah1", False)
    assert accounts.get(store_settings, "lurah1").aktif is False
    assert accounts.get(store_settings, "lurah1").sesi_versi == 1


def test_parallel_guesses_are_counted_atomically(store_settings):
    make(store_settings)
    answers: list[str] = []
    start = threading.Barrier(30)

    def attempt(i):
        start.wait()
        try:
            accounts.authenticate(store_settings, "lurah1", f"keliru{i:05d}x", source="10.9.9.9")
            answers.append("masuk")
        except accounts.AccountError as exc:
            answers.append(str(exc))

    threads = [threading.Thread(target=attempt, args=(i,)) for i in range(30)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert answers.count("Nama pengguna atau kata sandi salah.") == accounts.MAX_FAILURES
    assert answers.count(accounts.LOCKED_MESSAGE) == 30 - accounts.MAX_FAILURES


def test_audit_anchor_in_the_store_catches_a_cut_log(store_settings):
    """The chain's head lives in the store: with either backend, lines cut from the end are named."""
    from pipelines.access import audit

    for i in range(8):
        audit.record(store_settings, user=f"u{i}", role="analis", action="ekspor", rows=i)
    assert audit.verify(store_settings).intact
    log = store_settings.audit_dir / "audit.jsonl"
    lines = log.read_bytes().split(b"\n")[:-1]
    log.write_bytes(b"".join(line + b"\n" for line in lines[:-3]))
    check = audit.verify(store_settings)
    assert not check.intact and any("3 catatan hilang" in problem for problem in check.problems), check.problems


def test_follow_ups_are_kept_in_the_store_and_read_per_area(store_settings):
    from pipelines.workflow import casework

    def note(kk, kelurahan, status):
        return casework.record(
            store_settings,
            kk_hash=kk * 32,
            periode="2025-Q4",
            kode_kelurahan=kelurahan,
            status=status,
            catatan="Atap bocor",
            user="lurah1",
        )

    first = note("a", "61.71.01.1006", "kunjungan")
    note("b", "61.71.01.1001", "terverifikasi")
    note("a", "61.71.01.1006", "dirujuk")
    note("c", "61.71.010.1001", "pindah")  # a code that merely starts like 61.71.01
    assert casework.history(store_settings, kode_prefix="61.71.01.1006")[0] == first
    assert [f.status for f in casework.history(store_settings, kode_prefix="61.71.01")] == [
        "kunjungan",
        "terverifikasi",
        "dirujuk",
    ]
    assert casework.latest(store_settings, kode_prefix="61.71.01")["a" * 32].status == "dirujuk"
    assert not (store_settings.state_dir / "tindak_lanjut.jsonl").exists()


def test_follow_ups_of_an_older_release_move_into_the_store_once(store_settings):
    import json

    from pipelines.workflow import casework

    old = {
        "kk_hash": "d" * 32,
        "periode": "2025-Q3",
        "kode_kelurahan": "61.71.01.1006",
        "status": "kunjungan",
        "catatan": "Catatan lama",
        "oleh": "lurah1",
        "waktu": "2025-09-01T02:00:00+00:00",
    }
    store_settings.state_dir.mkdir(parents=True, exist_ok=True)
    (store_settings.state_dir / "tindak_lanjut.jsonl").write_text(json.dumps(old) + "\n", encoding="utf-8")
    assert [f.catatan for f in casework.history(store_settings)] == ["Catatan lama"]
    assert [f.catatan for f in casework.history(store_settings)] == ["Catatan lama"], "imported twice"
    assert (store_settings.state_dir / "tindak_lanjut.jsonl.dipindahkan").exists()
