"""Every download on every page, clicked through AppTest the way the browser takes it.

A click in the browser does two things: it sends the button's trigger (the page reruns, or not) and
asks the server for the deferred file, which it then fetches twice from /media (a check and the
save). `take` does the same against the media manager of the run that drew the button.
"""

from __future__ import annotations

import io
import json
import time

import openpyxl
import pytest
from streamlit.runtime.media_file_storage import MediaFileStorageError
from streamlit.testing.v1 import app_test

from pipelines.lake.publish import publish
from tests.apptest import app_as, create_users, failed, texts
from tests.test_evaluation import make_programme_city
from ui import downloads

AREA_PAGES = {
    "views/ringkasan.py": "Ringkasan",
    "views/peta.py": "Peta",
    "views/tren.py": "Tren",
    "views/kualitas.py": "Kualitas data",
}


@pytest.fixture
def media(monkeypatch):
    """The media manager of each AppTest run (AppTest makes a fresh one per run)."""
    made = []
    real = app_test.MediaFileManager

    def record(storage):
        made.append(real(storage))
        return made[-1]

    monkeypatch.setattr(app_test, "MediaFileManager", record)
    return made


@pytest.fixture
def lake(small_city):
    publish(settings=small_city)
    create_users(small_city)
    return small_city


def exports(settings) -> list[dict]:
    path = settings.audit_dir / "audit.jsonl"
    lines = [json.loads(line) for line in path.read_text().splitlines()] if path.exists() else []
    return [line for line in lines if line["aksi"] == "ekspor"]


def button(at, key: str):
    found = [b for b in at.get("download_button") if b.key == key]
    return found[0] if found else None


def take(at, media, key: str, *, fetch: bool = True) -> tuple[bytes | None, object, str]:
    """Click the download button `key` as a browser does; (bytes fetched, media manager, file name)."""
    manager, clicked = media[-1], button(at, key)
    file_id = clicked.proto.deferred_file_id
    assert file_id and not clicked.proto.url, "a file was on the server before the click"
    clicked.click()
    url = manager.execute_deferred(file_id)
    at.run()
    name = url.rsplit("/", 1)[1]
    if not fetch:
        return None, manager, name
    checked, saved = manager.read_file(name), manager.read_file(name)
    assert checked is not None and saved is not None
    return saved.content, manager, name


def download_keys(at) -> list[str]:
    return [b.key for b in at.get("download_button")]


def click_every_download(at, media, settings, title: str) -> list[str]:
    """Click each download on the page once; each one leaves the page intact and adds one audit line."""
    keys = download_keys(at)
    assert keys
    for key in keys:
        before = len(exports(settings))
        data, manager, name = take(at, media, key)
        assert not failed(at), (key, failed(at))
        assert title in texts(at), key
        lines = exports(settings)[before:]
        assert len(lines) == 1, (key, lines)
        assert data and manager.read_file(name) is None, f"{key}: still served after it was taken"
    return keys


@pytest.mark.parametrize("view", list(AREA_PAGES))
def test_every_table_and_chart_download_on_an_area_page_keeps_the_page_and_is_audited(lake, media, view):
    at = app_as("pimpinan", page=view)
    for prepare in [b for b in at.button if b.label == "Siapkan gambar PNG"]:
        prepare.click().run()
    keys = click_every_download(at, media, lake, AREA_PAGES[view])
    assert any(k.endswith("_xlsx") for k in keys) and any(k.endswith("_csv") for k in keys)
    details = [line["rincian"] for line in exports(lake)]
    assert len(details) == len(keys)
    assert all(line["pengguna"] == "pimpinan" and line["peran"] == "pimpinan" for line in exports(lake))


def test_every_download_on_the_evaluation_page_keeps_the_page_and_is_audited(settings, tmp_path, media):
    make_programme_city(settings, tmp_path)
    create_users(settings)
    at = app_as("pimpinan", page="views/evaluasi.py")
    keys = click_every_download(at, media, settings, "Jawaban singkat untuk rapat")
    assert {"evaluasi_peringkat_xlsx", "evaluasi_keluaran_csv"} <= set(keys)


def names_offer(at):
    at.toggle(key="sasaran_buka").set_value(True).run()
    [prepare] = [b for b in at.button if b.key == "sasaran_siapkan"]
    prepare.click().run()
    assert download_keys(at) == ["sasaran_unduh_tabel_xlsx", "sasaran_unduh_tabel_csv"]


def test_lurah_takes_the_names_list_once_as_excel_and_it_is_withdrawn(lake, media):
    at = app_as("lurah", page="views/sasaran.py")
    names_offer(at)
    csv_id = button(at, "sasaran_unduh_tabel_csv").proto.deferred_file_id
    data, manager, name = take(at, media, "sasaran_unduh_tabel_xlsx")
    assert not failed(at), failed(at)
    assert "Keluarga sasaran" in texts(at)
    rows = list(openpyxl.load_workbook(io.BytesIO(data)).active.iter_rows(min_row=2, values_only=True))
    assert "Kepala 2" in {value for row in rows for value in row}
    assert download_keys(at) == [], "the one-time offer is still on the page"
    assert manager.read_file(name) is None, "the names file is still served after it was taken"
    with pytest.raises(MediaFileStorageError):
        manager.execute_deferred(csv_id)  # the other format of the same offer
    [line] = exports(lake)
    assert (line["pengguna"], line["wilayah"], line["baris"]) == ("lurah", "61.71.01.1006", len(rows))
    assert line["rincian"].endswith("(Excel)")


def test_names_csv_keeps_placeholders_and_is_audited_once(lake, media):
    at = app_as("lurah", page="views/sasaran.py")
    names_offer(at)
    data, manager, name = take(at, media, "sasaran_unduh_tabel_csv")
    assert not failed(at), failed(at)
    text = data.decode("utf-8-sig")
    assert "Kepala 2" in text
    assert '"-"' in text and "'-" not in text
    assert manager.read_file(name) is None
    assert len(exports(lake)) == 1


def test_a_names_file_nobody_fetches_is_withdrawn_after_its_lifetime(lake, media, monkeypatch):
    # Only the lifetime can withdraw it here: probing it does not count as taking it.
    monkeypatch.setattr(downloads, "LIFETIME_S", 0.2)
    monkeypatch.setattr(downloads, "FETCHES_PER_DOWNLOAD", 10**9)
    monkeypatch.setattr(downloads, "TAKEN_GRACE_S", 3600.0)
    at = app_as("lurah", page="views/sasaran.py")
    names_offer(at)
    _, manager, name = take(at, media, "sasaran_unduh_tabel_xlsx", fetch=False)
    deadline = time.monotonic() + 30
    while manager.read_file(name) is not None:
        assert time.monotonic() < deadline, "the unfetched names file was never withdrawn"
        time.sleep(0.05)
    assert len(exports(lake)) == 1
