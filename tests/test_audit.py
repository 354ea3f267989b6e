"""The audit log: appends that nothing in a line can stop, a chain anchored in the store that
reveals edits, cuts and rewrites, a full disk that fails closed, and the admin's Log audit page."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys

import pytest

from pipelines import store
from pipelines.access import accounts, audit
from pipelines.cli import main
from tests.apptest import PASSWORD, ROOT, app_as, create_users, failed, texts
from ui import auth, state


def log_path(settings):
    return settings.audit_dir / "audit.jsonl"


def lines_of(settings) -> list[bytes]:
    return log_path(settings).read_bytes().split(b"\n")[:-1]


def write_lines(settings, lines: list[bytes]) -> None:
    log_path(settings).write_bytes(b"".join(line + b"\n" for line in lines))


def hostile_usernames():
    """What the login page stores of a hostile username (its first 40 characters), a few hundred times:
    multi-byte characters put every possible byte offset inside a character, and Unicode line
    separators split a line for str.splitlines()."""
    for _ in range(4):
        for n in range(1, 41):
            yield ("é" * n)[:40]
            yield ("𝕏" * n)[:40]
    yield "a\u2028b"
    yield "c\x85d"


def fail_login(settings, username: str) -> None:
    """The line ui/auth.py writes for a failed login."""
    audit.record(
        settings, user=username[:40], role="-", action="gagal_masuk", detail="Nama pengguna atau kata sandi salah."
    )


def log_in(username: str, password: str):
    at = app_as(None)
    at.text_input(key="masuk_nama").input(username)
    at.text_input(key="masuk_sandi").input(password)
    at.button[0].click().run()
    return at


@pytest.fixture
def users(settings, monkeypatch):
    create_users(settings)
    # AppTest's request has a mock for an address: the login counters want text.
    monkeypatch.setattr(auth, "client_source", lambda: "-")
    return settings


def short_write_to_log(real):
    """A full disk for the audit log only: its writes stop halfway and report what they wrote."""

    def write(fd, data):
        if os.readlink(f"/proc/self/fd/{fd}").endswith("audit.jsonl"):
            return real(fd, data[: len(data) // 2])
        return real(fd, data)

    return write


@pytest.fixture
def short_writes(monkeypatch):
    monkeypatch.setattr(os, "write", short_write_to_log(os.write))


def test_multibyte_usernames_never_stop_logins(users):
    for username in hostile_usernames():
        fail_login(users, username)
    assert log_path(users).stat().st_size > 65536, "the tail the old reader decoded is full of multi-byte text"
    at = log_in("𝕏" * 50, "salah-sandi-1")
    assert "Nama pengguna atau kata sandi salah" in texts(at)
    at = log_in("admin", PASSWORD)
    assert not failed(at) and at.session_state[state.ACCOUNT] == "admin"
    last = audit.entries(users)[-1]
    assert (last["pengguna"], last["aksi"], last["urutan"]) == ("admin", "masuk", len(lines_of(users)))
    assert [e["pengguna"] for e in audit.entries(users)][-2] == "𝕏" * 40
    assert audit.verify(users).intact


def test_the_chain_reveals_an_edited_line(settings):
    for i in range(3):
        audit.record(settings, user=f"u{i}", role="analis", action="ekspor", rows=i, detail="uji")
    assert audit.verify(settings).intact and len(audit.entries(settings)) == 3
    lines = lines_of(settings)
    edited = json.loads(lines[1])
    edited["baris"] = 999
    lines[1] = json.dumps(edited, ensure_ascii=False, sort_keys=True).encode()
    write_lines(settings, lines)
    check = audit.verify(settings)
    assert check.first_break == 3 and "catatan no. 2 diubah" in check.problems[0]


def test_unknown_audit_action_is_refused(settings):
    with pytest.raises(ValueError):
        audit.record(settings, user="x", role="x", action="hapus_semua")


def _edit_last(lines):
    last = json.loads(lines[-1])
    last["rincian"] = "tidak ada apa-apa"
    return [*lines[:-1], json.dumps(last, ensure_ascii=False, sort_keys=True).encode()]


def _rechain(lines):
    """What a careful forger does: drop lines, then renumber and rehash every line after them."""
    out, previous = [], "0" * 64
    for number, line in enumerate(lines, 1):
        entry = json.loads(line) | {"sebelumnya": previous, "urutan": number}
        out.append(json.dumps(entry, ensure_ascii=False, sort_keys=True).encode())
        previous = hashlib.sha256(out[-1]).hexdigest()
    return out


TAMPERING = {
    "last line edited": (_edit_last, "Catatan terakhir diubah"),
    "last 30 lines deleted": (lambda lines: lines[:-30], "30 catatan hilang"),
    "lines removed and the chain recomputed": (lambda lines: _rechain(lines[:10] + lines[20:]), "10 catatan hilang"),
    "a middle line replaced by text": (lambda lines: [*lines[:5], b"dihapus", *lines[6:]], "Catatan no. 6 rusak"),
    "file emptied": (lambda lines: [], "Berkas log dikosongkan"),
    "file deleted": (None, "Berkas log hilang"),
}


@pytest.mark.parametrize("case", TAMPERING)
def test_tampering_is_named_not_reported_intact(settings, case):
    change, said = TAMPERING[case]
    for i in range(50):
        audit.record(settings, user=f"u{i}", role="analis", action="ekspor", rows=i)
    if change is None:
        log_path(settings).unlink()
    else:
        write_lines(settings, change(lines_of(settings)))
    check = audit.verify(settings)
    assert not check.intact and any(said in problem for problem in check.problems), check.problems


def test_a_deleted_log_stays_visible_after_the_next_line(settings):
    for i in range(5):
        audit.record(settings, user=f"u{i}", role="analis", action="ekspor")
    log_path(settings).unlink()
    audit.record(settings, user="admin", role="admin", action="masuk")
    check = audit.verify(settings)
    assert check.problems == ("Catatan no. 1 bernomor urut 6: 5 catatan sebelumnya hilang.",)


def test_a_short_write_leaves_nothing_and_raises_in_indonesian(settings, monkeypatch):
    audit.record(settings, user="a", role="analis", action="ekspor")
    before = log_path(settings).read_bytes()
    monkeypatch.setattr(os, "write", short_write_to_log(os.write))
    with pytest.raises(audit.AuditError, match="Log audit tidak dapat ditulis .*ruang disk"):
        audit.record(settings, user="b", role="analis", action="ekspor", detail="x" * 500)
    assert log_path(settings).read_bytes() == before
    monkeypatch.undo()
    audit.record(settings, user="c", role="analis", action="ekspor")
    assert [e["urutan"] for e in audit.entries(settings)] == [1, 2] and audit.verify(settings).intact


def test_a_login_the_log_cannot_record_does_not_happen(users, short_writes):
    at = log_in("admin", PASSWORD)
    assert "Log audit tidak dapat ditulis" in texts(at)
    assert not failed(at) and state.ACCOUNT not in at.session_state
    assert [t.label for t in at.text_input] == ["Nama pengguna", "Kata sandi"]


FILE_SIZE_LIMIT = """
import resource, signal, sys
from pipelines.access import audit
from pipelines.settings import get_settings

settings = get_settings()
size = (settings.audit_dir / "audit.jsonl").stat().st_size
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
resource.setrlimit(resource.RLIMIT_FSIZE, (size + 100, resource.getrlimit(resource.RLIMIT_FSIZE)[1]))
try:
    audit.record(settings, user="b", role="analis", action="ekspor", detail="x" * 500)
except audit.AuditError as exc:
    print(exc)
    sys.exit(0)
sys.exit(1)
"""


def test_a_file_size_limit_in_another_process_fails_closed(settings):
    audit.record(settings, user="a", role="analis", action="ekspor")
    before = log_path(settings).read_bytes()
    env = {**os.environ, "TKPKD_DATA_DIR": str(settings.data_dir), "PYTHONPATH": str(ROOT)}
    out = subprocess.run(
        [sys.executable, "-c", FILE_SIZE_LIMIT], capture_output=True, text=True, env=env, cwd=ROOT, timeout=120
    )
    assert out.returncode == 0 and "Log audit tidak dapat ditulis" in out.stdout, out.stdout + out.stderr
    assert log_path(settings).read_bytes() == before
    audit.record(settings, user="c", role="analis", action="ekspor")
    assert audit.verify(settings).intact


def test_command_line_refuses_to_act_when_the_log_cannot_be_written(settings, monkeypatch, capsys):
    class NoRoom:
        f_bavail = 0
        f_frsize = 4096

    monkeypatch.setattr(os, "fstatvfs", lambda fd: NoRoom)
    code = main(["users", "add", "budi", "--role", "analis", "--password", "Rahasia12345"])
    assert code == 4 and "perintah tidak dijalankan" in capsys.readouterr().err
    assert accounts.get(settings, "budi") is None


def test_command_line_says_when_an_action_ran_unaudited(settings, short_writes, capsys):
    code = main(["users", "add", "budi", "--role", "analis", "--password", "Rahasia12345"])
    assert code == 4 and "perintah sudah dijalankan, tetapi log audit tidak dapat ditulis" in capsys.readouterr().err


APPENDER = """
import sys
from pipelines.access import audit
from pipelines.settings import get_settings

worker, count = int(sys.argv[1]), int(sys.argv[2])
settings = get_settings()
print("siap", flush=True)
sys.stdin.readline()  # every process is loaded before any appends: the appends really overlap
for i in range(count):
    audit.record(settings, user="\U0001d54f" * (1 + (worker * count + i) % 40), role="-", action="gagal_masuk")
"""


def test_processes_appending_at_once_keep_one_chain(settings):
    workers, each = 4, 40
    env = {**os.environ, "TKPKD_DATA_DIR": str(settings.data_dir), "PYTHONPATH": str(ROOT)}
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", APPENDER, str(w), str(each)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            env=env,
            cwd=ROOT,
        )
        for w in range(workers)
    ]
    assert [p.stdout.readline().strip() for p in procs] == ["siap"] * workers
    for p in procs:
        p.stdin.write("mulai\n")
        p.stdin.flush()
    assert [p.wait(timeout=300) for p in procs] == [0] * workers
    assert [e["urutan"] for e in audit.entries(settings)] == list(range(1, workers * each + 1))
    assert audit.verify(settings).intact


def legacy_log(settings, n: int) -> None:
    """A log written by the release before the anchor: chained, no sequence numbers, no anchor."""
    previous, lines = "", []
    for i in range(n):
        entry = {
            "waktu": f"2025-11-0{i + 1}T02:00:00+00:00",
            "pengguna": f"u{i}",
            "peran": "analis",
            "aksi": "ekspor",
            "wilayah": "seluruh kota",
            "baris": None,
            "rincian": None,
            "sebelumnya": hashlib.sha256(previous.encode()).hexdigest() if previous else "0" * 64,
        }
        previous = json.dumps(entry, ensure_ascii=False, sort_keys=True)
        lines.append(previous.encode())
    settings.audit_dir.mkdir(parents=True, exist_ok=True)
    write_lines(settings, lines)


def test_a_log_of_an_older_release_is_adopted_once(settings):
    legacy_log(settings, 3)
    check = audit.verify(settings)
    assert check.intact and check.adopted_lines == 3 and check.adopted_on
    entry = audit.record(settings, user="admin", role="admin", action="masuk")
    assert entry["urutan"] == 4 and entry["sebelumnya"] == hashlib.sha256(lines_of(settings)[2]).hexdigest()
    again = audit.verify(settings)
    assert again.intact and again.lines == 4 and (again.adopted_on, again.adopted_lines) == (check.adopted_on, 3)
    with store.connection(settings) as conn:
        assert len(conn.execute(store.audit_adopsi.select()).all()) == 1


def test_log_page_names_areas_and_roles_and_shows_text_as_text(users):
    audit.record(users, user="lurah", role="lurah", action="lihat_nama", scope="61.71.01.1006", rows=12)
    audit.record(users, user="camat", role="camat", action="masuk", scope="61.71.03")
    audit.record(users, user="cli", role="cli", action="terbitkan", rows=1234, detail="v0002, CLI")
    fail_login(users, "**tebal** [klik](http://contoh.invalid)")
    at = app_as("admin", page="views/audit.py")
    assert not failed(at) and "rantainya utuh" in texts(at)
    shown = at.dataframe[0].value
    assert shown["Wilayah"].tolist() == [
        "Seluruh kota",
        "Seluruh kota",
        "Kecamatan Pontianak Barat",
        "Kelurahan Akcaya",
    ]
    assert shown["Peran"].tolist() == ["-", "Baris perintah di server", "Camat", "Lurah"]
    assert shown["Pengguna"].tolist()[0] == "**tebal** [klik](http://contoh.invalid)"
    assert "klik" not in texts(at), "log text is never Markdown"
    assert all(m.proto.select_all == 0 for m in at.multiselect), "Streamlit's English 'Select all' is hidden"


def test_log_page_shows_a_damaged_line_instead_of_failing(users):
    for i in range(3):
        audit.record(users, user=f"u{i}", role="analis", action="ekspor")
    lines = lines_of(users)
    write_lines(users, [lines[0], b"{bukan json", b"[" * 100_000, *lines[1:]])
    at = app_as("admin", page="views/audit.py")
    assert not failed(at)
    assert "Log audit tidak utuh" in texts(at) and "Catatan no. 2 rusak" in texts(at)
    shown = at.dataframe[0].value
    assert shown["Aksi"].tolist().count("Catatan rusak") == 2 and "{bukan json" in shown["Rincian"].tolist()


def test_log_page_says_when_an_older_log_was_adopted(users):
    legacy_log(users, 3)
    at = app_as("admin", page="views/audit.py")
    assert not failed(at) and "rantainya utuh" in texts(at)
    assert "diadopsi pada" in texts(at) and "3 catatan pertama" in texts(at)
