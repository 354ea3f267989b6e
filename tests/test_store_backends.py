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

from pipelines import accounts
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
    from pipelines import audit

    for i in range(8):
        audit.record(store_settings, user=f"u{i}", role="analis", action="ekspor", rows=i)
    assert audit.verify(store_settings).intact
    log = store_settings.audit_dir / "audit.jsonl"
    lines = log.read_bytes().split(b"\n")[:-1]
    log.write_bytes(b"".join(line + b"\n" for line in lines[:-3]))
    check = audit.verify(store_settings)
    assert not check.intact and any("3 catatan hilang" in problem for problem in check.problems), check.problems
