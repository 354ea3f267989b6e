"""The command line under hostile input and a hostile server: wrong mapping types, areas that do not
exist, an audit log that cannot be written, a full disk. Always one Indonesian line and a non-zero
exit, never a traceback, and nothing half-written."""

from __future__ import annotations

import errno
import os
import shutil
from pathlib import Path

import pytest

from pipelines.access import accounts, audit
from pipelines.cli import EXIT_AUDIT, EXIT_STORAGE, EXIT_UNUSABLE, main
from pipelines.lake import registry
from tests.builders import KELUARGA_HEADER, keluarga_row, write_csv
from tests.test_cli import run

PASSWORD = "sandiuji12345"


def cli(capsys, *args: str) -> tuple[int, str, str]:
    code = main([*args])
    out = capsys.readouterr()
    return code, out.out, out.err


def family_file(tmp_path: Path, name: str = "k.csv") -> Path:
    header = ["KK_RUMAH_TANGGA", *KELUARGA_HEADER[1:]]
    return write_csv(tmp_path / name, header, [keluarga_row(1), keluarga_row(2)])


@pytest.mark.parametrize(
    "toml,key,expected",
    [
        ('kolom = ["KK_RUMAH_TANGGA"]', "'kolom'", "tabel [kolom]"),
        ('[kolom]\n"KK_RUMAH_TANGGA" = 5', 'kolom "KK_RUMAH_TANGGA"', "teks"),
        ('[kolom]\n"KK_RUMAH_TANGGA" = "no_kk"\n[nilai]\nrawan_pangan = "ya"', "nilai.rawan_pangan", "tabel"),
        ('[kolom]\n"KK_RUMAH_TANGGA" = "no_kk"\n[nilai.rawan_pangan]\n"Ya" = 1', 'nilai.rawan_pangan "Ya"', "teks"),
        ('[kolom]\n"KK_RUMAH_TANGGA" = "no_kk"\n[nilai.rawan_pangan.Ya]\nx = "ya"', 'nilai.rawan_pangan "Ya"', "teks"),
        ('lembar = 3\n[kolom]\n"KK_RUMAH_TANGGA" = "no_kk"', "'lembar'", "teks"),
        ('sumber = 5\n[kolom]\n"KK_RUMAH_TANGGA" = "no_kk"', "'sumber'", "teks"),
        ('baris_judul = true\n[kolom]\n"KK_RUMAH_TANGGA" = "no_kk"', "'baris_judul'", "bilangan bulat"),
        ('baris_judul = 1.5\n[kolom]\n"KK_RUMAH_TANGGA" = "no_kk"', "'baris_judul'", "bilangan bulat"),
    ],
)
@pytest.mark.parametrize("source", ["keluarga", "otomatis"])
def test_a_mapping_value_of_the_wrong_type_is_named(settings, tmp_path, capsys, toml, key, expected, source):
    mapping = tmp_path / "peta.toml"
    mapping.write_text(toml, encoding="utf-8")
    path = family_file(tmp_path)
    code, _, err = cli(capsys, "ingest", source, str(path), "--period", "2025-Q4", "--mapping", str(mapping))
    assert code == EXIT_UNUSABLE, err
    assert f"Di berkas pemetaan, {key} harus {expected}" in err
    assert registry.uploads(settings) == []


def test_a_mapping_of_the_right_types_still_works(settings, tmp_path, capsys):
    mapping = tmp_path / "peta.toml"
    mapping.write_text('sumber = "keluarga"\nbaris_judul = 1\n[kolom]\n"KK_RUMAH_TANGGA" = "no_kk"\n')
    code, out, err = cli(capsys, "ingest", "otomatis", str(family_file(tmp_path)), "--period", "2025-Q4")
    assert code == EXIT_UNUSABLE  # the header is unknown without the mapping
    code, out, err = cli(
        capsys, "ingest", "otomatis", str(family_file(tmp_path)), "--period", "2025-Q4", "--mapping", str(mapping)
    )
    assert code == 0, err
    assert "diterima 2" in out


@pytest.mark.parametrize(
    "role,area,words",
    [
        ("lurah", "61.71.01", ["memerlukan kode kelurahan", "61.71.01 (Pontianak Selatan) adalah kode kecamatan"]),
        ("lurah", "61.71.09.9999", ["61.71.09.9999 tidak ada dalam daftar wilayah resmi Kota Pontianak"]),
        ("lurah", "61.71.01.1001", ["61.71.01.1001 tidak ada dalam daftar wilayah resmi"]),
        ("camat", "61.71.99", ["61.71.99 tidak ada dalam daftar wilayah resmi"]),
        ("camat", "61.71.01.1006", ["memerlukan kode kecamatan", "(Akcaya) adalah kode kelurahan"]),
        ("lurah", "64.74.01.1001", ["bukan bagian dari kota ini (Kota Pontianak)"]),
        ("pimpinan", "61.71.01", ["melihat seluruh kota", "kosongkan wilayah"]),
    ],
)
def test_an_account_area_must_be_an_official_area_of_the_roles_level(settings, capsys, role, area, words):
    code, _, err = cli(capsys, "users", "add", "akun1", "--role", role, "--area", area, "--password", PASSWORD)
    assert code == EXIT_UNUSABLE
    for word in words:
        assert word in err
    assert accounts.load(settings) == {}
    assert [e["aksi"] for e in audit.entries(settings)] == []


def test_an_official_area_of_the_right_level_is_accepted(settings, capsys):
    code, out, err = cli(capsys, "users", "add", "lurah1", "--role", "lurah", "--area", "61.71.01.1006")
    assert code == 0, err
    assert accounts.load(settings)["lurah1"].wilayah == "61.71.01.1006"
    code, _, err = cli(capsys, "users", "add", "camat1", "--role", "camat", "--area", " 61.71.03 ")
    assert code == 0, err
    assert accounts.load(settings)["camat1"].wilayah == "61.71.03"


def test_a_wrong_area_through_the_real_command_line_has_no_traceback(settings):
    out = run(settings, "users", "add", "lurah2", "--role", "lurah", "--area", "61.71.01", "--password", PASSWORD)
    assert out.returncode == EXIT_UNUSABLE
    assert "Traceback" not in out.stderr and "memerlukan kode kelurahan" in out.stderr


def _nothing_stored(settings) -> None:
    assert registry.uploads(settings, include_withdrawn=True) == []
    raw = settings.raw_dir
    assert not raw.exists() or not [p for p in raw.rglob("*") if p.is_file() and p.name != registry.REGISTER]
    staging = settings.staging_dir
    assert not staging.exists() or not [p for p in staging.iterdir() if p.name != "ditolak"]


def test_a_full_disk_while_storing_the_upload_leaves_nothing_half_written(settings, tmp_path, capsys, monkeypatch):
    real_copy = shutil.copyfile

    def half_then_full(src, dst, *args, **kwargs):
        if Path(dst).is_relative_to(settings.raw_dir):
            data = Path(src).read_bytes()
            Path(dst).write_bytes(data[: len(data) // 2])
            raise OSError(errno.ENOSPC, "No space left on device", str(dst))
        return real_copy(src, dst, *args, **kwargs)

    monkeypatch.setattr(shutil, "copyfile", half_then_full)
    path = write_csv(tmp_path / "k.csv", KELUARGA_HEADER, [keluarga_row(1), keluarga_row(2)])
    code, _, err = cli(capsys, "ingest", "keluarga", str(path), "--period", "2025-Q4")
    assert code == EXIT_STORAGE
    assert "ruang disk server habis" in err and "Tidak ada yang tersimpan" in err
    assert not [p for p in settings.data_dir.rglob("*.tmp")]
    _nothing_stored(settings)
    monkeypatch.setattr(shutil, "copyfile", real_copy)  # the disk has room again: the same file goes in
    code, out, err = cli(capsys, "ingest", "keluarga", str(path), "--period", "2025-Q4")
    assert code == 0, err
    assert len(registry.uploads(settings)) == 1


def test_a_full_disk_while_registering_takes_back_the_stored_upload(settings, tmp_path, capsys, monkeypatch):
    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(registry, "append", full)
    path = write_csv(tmp_path / "k.csv", KELUARGA_HEADER, [keluarga_row(1)])
    mapping = tmp_path / "peta.toml"
    mapping.write_text('[kolom]\n"No KK" = "no_kk"\n')
    code, _, err = cli(capsys, "ingest", "keluarga", str(path), "--period", "2025-Q4", "--mapping", str(mapping))
    assert code == EXIT_STORAGE and "ruang disk server habis" in err
    _nothing_stored(settings)


def test_an_unwritable_audit_log_stops_a_command_before_it_acts(settings, tmp_path, capsys):
    settings.audit_dir.mkdir(parents=True)
    (settings.audit_dir / "audit.jsonl").mkdir()  # cannot be opened for appending
    path = write_csv(tmp_path / "k.csv", KELUARGA_HEADER, [keluarga_row(1)])
    for args in (
        ("ingest", "keluarga", str(path), "--period", "2025-Q4", "--json"),
        ("users", "add", "analis1", "--role", "analis", "--password", PASSWORD),
        ("users", "init-admin"),
        ("publish",),
    ):
        code, _, err = cli(capsys, *args)
        assert code == EXIT_AUDIT, args
        assert "log audit tidak dapat ditulis" in err and "perintah tidak dijalankan" in err
    _nothing_stored(settings)
    assert accounts.load(settings) == {}


def test_an_audit_line_lost_after_acting_is_said_plainly(settings, capsys, monkeypatch):
    def lost(*args, **kwargs):
        raise audit.AuditError("ruang disk server habis")

    monkeypatch.setattr(audit, "record", lost)
    code, _, err = cli(capsys, "users", "add", "analis1", "--role", "analis", "--password", PASSWORD)
    assert code == EXIT_AUDIT
    assert "perintah sudah dijalankan, tetapi log audit tidak dapat ditulis (ruang disk server habis)" in err


def test_the_first_admin_is_audited(settings, capsys, monkeypatch):
    monkeypatch.setenv("TKPKD_ADMIN_PASSWORD", PASSWORD)
    code, _, err = cli(capsys, "users", "init-admin")
    assert code == 0, err
    assert [(e["aksi"], e["rincian"]) for e in audit.entries(settings)] == [("kelola_pengguna", "buat admin admin")]


def test_a_data_folder_in_the_way_ends_in_words_not_a_traceback(settings, tmp_path):
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    (settings.data_dir / "state").write_text("bukan folder")
    listed = run(settings, "users", "list")
    assert listed.returncode == EXIT_STORAGE
    assert "Traceback" not in listed.stderr and "seharusnya folder data" in listed.stderr
    path = write_csv(tmp_path / "k.csv", KELUARGA_HEADER, [keluarga_row(1)])
    ingested = run(settings, "ingest", "keluarga", str(path), "--period", "2025-Q4")
    assert ingested.returncode == EXIT_AUDIT
    assert "Traceback" not in ingested.stderr and "log audit tidak dapat ditulis" in ingested.stderr


def test_a_short_write_to_the_register_leaves_no_half_line(settings, tmp_path, capsys, monkeypatch):
    first = write_csv(tmp_path / "a.csv", KELUARGA_HEADER, [keluarga_row(1)])
    assert cli(capsys, "ingest", "keluarga", str(first), "--period", "2025-Q3")[0] == 0
    before = (settings.raw_dir / registry.REGISTER).read_bytes()
    real_write = os.write

    def half(fd, data):
        if os.fstat(fd).st_ino == (settings.raw_dir / registry.REGISTER).stat().st_ino:
            return real_write(fd, data[: len(data) // 2])
        return real_write(fd, data)

    monkeypatch.setattr(os, "write", half)
    second = write_csv(tmp_path / "b.csv", KELUARGA_HEADER, [keluarga_row(2)])
    code, _, err = cli(capsys, "ingest", "keluarga", str(second), "--period", "2025-Q4")
    monkeypatch.setattr(os, "write", real_write)
    assert code == EXIT_STORAGE and "Tidak ada yang tersimpan" in err
    assert (settings.raw_dir / registry.REGISTER).read_bytes() == before
    assert [u["periode"] for u in registry.uploads(settings)] == ["2025-Q3"]
