"""The analyst's upload page: check before publish, publish, roll back; every bad file refused, lake unchanged."""

from __future__ import annotations

import io
import re
import zipfile

import pytest

from pipelines import audit, filetype, lake, registry
from pipelines.publish import publish
from tests.apptest import app_as, create_users, failed, texts
from tests.builders import KELUARGA_HEADER, keluarga_row, write_csv, write_xlsx

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def lake_ready(small_city):
    publish(settings=small_city)
    create_users(small_city)
    return small_city


def upload(at, name: str, content: bytes, period: str = "2025-Q4", source: str = "keluarga"):
    at.selectbox(key="unggah_sumber").set_value(source)
    at.text_input(key="unggah_periode").input(period)
    at.file_uploader(key="unggah_berkas").set_value((name, content, XLSX if name.endswith("xlsx") else "text/csv"))
    [check] = [b for b in at.button if b.label == "Periksa berkas"]
    check.click().run()
    return at


def lake_state(settings) -> tuple:
    manifest = lake.read_manifest(settings)
    return manifest["versi"], manifest["sidik_isi"]


def test_valid_file_is_checked_then_published(lake_ready, tmp_path):
    before = lake_state(lake_ready)
    path = write_csv(tmp_path / "baru.csv", KELUARGA_HEADER, [keluarga_row(7, desil="1"), keluarga_row(8, "Lok Tuan")])
    at = upload(app_as("analis", page="views/unggah.py"), "baru.csv", path.read_bytes())
    assert not failed(at)
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Baris dibaca"] == "2" and metrics["Diterima"] == "1" and metrics["Ditolak"] == "1"
    reasons = " ".join(at.dataframe[0].value["Alasan"])
    rejected = at.dataframe[1].value
    assert "Kota Bontang" in reasons and rejected["baris"].tolist() == ["3"]
    assert lake_state(lake_ready) == before, "checking a file publishes nothing"
    [go] = [b for b in at.button if b.label == "Terbitkan versi baru"]
    go.click().run()
    assert "diterbitkan" in texts(at) and lake_state(lake_ready)[0] != before[0]
    actions = [e["aksi"] for e in audit.entries(lake_ready)]
    assert "unggah" in actions and "terbitkan" in actions
    [back] = [b for b in at.button if b.label.startswith("Kembalikan ke versi")]
    back.click().run()
    assert lake_state(lake_ready)[0] == before[0]
    assert "kembalikan" in [e["aksi"] for e in audit.entries(lake_ready)]


def _zip_bomb() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("xl/workbook.xml", "<workbook/>")
        zf.writestr("xl/worksheets/sheet1.xml", b"\0" * (40 * 1024 * 1024))
    return buf.getvalue()


def _macro() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("xl/workbook.xml", "<workbook/>")
        zf.writestr("xl/vbaProject.bin", b"\0" * 32)
    return buf.getvalue()


BAD_FILES = {
    "kosong": ("kosong.csv", lambda p: b"", "Berkas kosong"),
    "gambar": ("foto.xlsx", lambda p: b"\x89PNG\r\n\x1a\n" + b"\0" * 64, "gambar PNG"),
    "biner": ("data.csv", lambda p: b"MZ\x90\0" + bytes(range(256)) * 8, "biner"),
    "terenkripsi": (
        "sandi.xlsx",
        lambda p: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504 + "EncryptionInfo".encode("utf-16-le"),
        "kata sandi",
    ),
    "makro": ("makro.xlsx", lambda p: _macro(), "makro"),
    "zip_bomb": ("bom.xlsx", lambda p: _zip_bomb(), "zip bomb"),
    "kolom_salah": (
        "salah.csv",
        lambda p: write_csv(p / "s.csv", ["Tanggal", "Keterangan"], [["1/1/2025", "x"]]).read_bytes(),
        "judul kolom|Kolom wajib",
    ),
    "kota_lain": (
        "bontang.xlsx",
        lambda p: write_xlsx(
            p / "b.xlsx", KELUARGA_HEADER, [keluarga_row(i, "Lok Tuan") for i in range(1, 4)]
        ).read_bytes(),
        "Semua 3 baris ditolak.*Kota Bontang",
    ),
}


@pytest.mark.parametrize("source", ["keluarga", "otomatis"])
@pytest.mark.parametrize("case", list(BAD_FILES))
def test_bad_file_is_refused_with_a_clear_message_and_nothing_changes(lake_ready, tmp_path, case, source):
    name, make, pattern = BAD_FILES[case]
    before, uploads_before = lake_state(lake_ready), registry.uploads(lake_ready)
    at = upload(app_as("analis", page="views/unggah.py"), name, make(tmp_path), source=source)
    assert not failed(at)
    errors = " ".join(str(e.value) for e in at.error)
    assert errors and re.search(pattern, errors), errors
    assert lake_state(lake_ready) == before and registry.uploads(lake_ready) == uploads_before


def test_file_over_the_size_limit_is_refused(lake_ready, tmp_path, monkeypatch):
    monkeypatch.setattr(filetype, "MAX_UPLOAD_BYTES", 200)
    before, uploads_before = lake_state(lake_ready), registry.uploads(lake_ready)
    path = write_csv(tmp_path / "besar.csv", KELUARGA_HEADER, [keluarga_row(i) for i in range(20)])
    at = upload(app_as("analis", page="views/unggah.py"), "besar.csv", path.read_bytes())
    assert "terlalu besar" in " ".join(str(e.value) for e in at.error)
    assert lake_state(lake_ready) == before and registry.uploads(lake_ready) == uploads_before


def test_same_file_twice_is_recognised_without_duplicate_data(lake_ready, tmp_path):
    path = write_csv(tmp_path / "dua.csv", KELUARGA_HEADER, [keluarga_row(9)])
    at = upload(app_as("analis", page="views/unggah.py"), "dua.csv", path.read_bytes())
    count = len(registry.uploads(lake_ready))
    at = upload(at, "dua.csv", path.read_bytes())
    assert "sudah pernah diunggah" in texts(at)
    assert len(registry.uploads(lake_ready)) == count


def test_bad_period_is_refused(lake_ready, tmp_path):
    path = write_csv(tmp_path / "p.csv", KELUARGA_HEADER, [keluarga_row(9)])
    at = upload(app_as("analis", page="views/unggah.py"), "p.csv", path.read_bytes(), period="kemarin")
    assert "Periode tidak sah" in " ".join(str(e.value) for e in at.error)


def test_kind_left_to_recognition_is_named_in_the_result(lake_ready, tmp_path):
    path = write_xlsx(tmp_path / "p3ke.xlsx", KELUARGA_HEADER, [keluarga_row(11, desil="1"), keluarga_row(12)])
    at = upload(app_as("analis", page="views/unggah.py"), "p3ke.xlsx", path.read_bytes(), source="otomatis")
    assert not failed(at) and not at.error
    assert "Jenis data **Data keluarga (DTSEN / P3KE)**" in texts(at)
    assert {m.label: m.value for m in at.metric}["Diterima"] == "2"
    assert registry.uploads(lake_ready)[-1]["sumber"] == "keluarga"
