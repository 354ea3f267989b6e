"""AppTest for every dashboard view on a fixture lake whose truth is known (see conftest.small_city)."""

from __future__ import annotations

import json

import pytest

from pipelines.lake.publish import publish
from tests.apptest import app_as, create_users, failed, texts

VIEWS = ["views/ringkasan.py", "views/peta.py", "views/tren.py", "views/kualitas.py"]


@pytest.fixture
def lake(small_city):
    publish(settings=small_city)
    create_users(small_city)
    return small_city


def test_anonymous_browser_gets_only_the_login_form(lake):
    at = app_as(None)
    assert not failed(at)
    assert [t.label for t in at.text_input] == ["Nama pengguna", "Kata sandi"]
    assert "Ringkasan" not in texts(at)


def test_login_with_password_opens_the_overview(lake):
    at = app_as(None)
    at.text_input(key="masuk_nama").input("pimpinan")
    at.text_input(key="masuk_sandi").input("Rahasia12345")
    at.button[0].click().run()
    assert not failed(at)
    assert "Ringkasan: Kota Pontianak" in texts(at)


def test_wrong_password_says_so_in_indonesian(lake):
    at = app_as(None)
    at.text_input(key="masuk_nama").input("pimpinan")
    at.text_input(key="masuk_sandi").input("salah-sandi-1")
    at.button[0].click().run()
    assert "Nama pengguna atau kata sandi salah" in texts(at)


@pytest.mark.parametrize("view", VIEWS)
def test_every_view_renders_for_the_chair(lake, view):
    at = app_as("pimpinan", page=view)
    assert not failed(at), failed(at)
    assert texts(at)


def test_overview_shows_the_known_headline_figures(lake):
    at = app_as("pimpinan")
    metrics = {m.label: m.value for m in at.metric}
    # Truth (conftest.small_city, 2025-Q4): desil 1 = 0, desil 1-4 = 4, FM = 1, RTLH = 1 (family 1),
    # programme reach = 3; the change of desil 1 since 2025-Q3 is from 1 to 0.
    assert metrics["Keluarga desil 1"] == "0"
    assert metrics["Keluarga desil 1-4"] == "4"
    assert metrics["Keluarga fakir miskin"] == "1"
    assert metrics["Rumah tidak layak huni"] == "1"
    assert metrics["Menerima program"] == "3"
    text = texts(at)
    assert "Kota Pontianak mencatat 0 keluarga desil 1" in text and "turun 100% sejak Triwulan III 2025" in text
    assert "Triwulan IV 2025" in text


def test_overview_follows_the_period_selector(lake):
    at = app_as("pimpinan")
    at.selectbox(key="pilih_periode").select("2025-Q3").run()
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Keluarga desil 1"] == "1" and metrics["Keluarga fakir miskin"] == "2"


def test_area_without_data_says_so(lake):
    at = app_as("lurah_kosong")
    assert not failed(at)
    assert "Belum ada data keluarga untuk Kelurahan Tengah" in texts(at)


def test_map_draws_the_kelurahan_with_values(lake):
    at = app_as("pimpinan", page="views/peta.py")
    spec = json.loads(at.get("plotly_chart")[0].proto.spec)
    located = {loc for trace in spec["data"] for loc in trace.get("locations", [])}
    assert len(located) == 29  # every Pontianak kelurahan: two with data, the rest grey
    names = {trace["name"] for trace in spec["data"]}
    assert "tidak ada data" in names
    assert spec["layout"]["map"]["style"] == "white-bg"  # no tile server


def test_map_inside_a_kelurahan_ranks_rw(lake):
    at = app_as("lurah", page="views/peta.py")
    spec = json.loads(at.get("plotly_chart")[0].proto.spec)
    assert spec["data"][0]["type"] == "bar"
    assert "RW 001" in spec["data"][0]["y"]


def test_trend_has_both_periods(lake):
    at = app_as("pimpinan", page="views/tren.py")
    spec = json.loads(at.get("plotly_chart")[0].proto.spec)
    assert spec["data"][0]["x"] == ["Triwulan III 2025", "Triwulan IV 2025"]
    assert "turun dari 20,0% (1 keluarga) menjadi 0,0% (0 keluarga)" in texts(at)


def test_quality_lists_kelurahan_that_must_refresh(lake):
    at = app_as("pimpinan", page="views/kualitas.py")
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Kelurahan perlu memperbarui"] == "27 dari 29"
    assert "Perlu memperbarui data" in texts(at)


def test_shared_link_restores_area_and_period(lake):
    at = app_as("pimpinan", query={"wilayah": "61.71.03.1002", "periode": "2025-Q3"})
    assert "Ringkasan: Kelurahan Sungaijawi Dalam" in texts(at)
    assert at.query_params["periode"] == ["2025-Q3"] or at.query_params["periode"] == "2025-Q3"


def test_link_to_another_area_is_refused_for_a_lurah(lake):
    at = app_as("lurah", query={"wilayah": "61.71.03.1002"})
    text = texts(at)
    assert "di luar wilayah kewenangan Anda" in text
    assert "Ringkasan: Kelurahan Akcaya" in text


def test_chart_png_is_prepared_on_request(lake):
    at = app_as("pimpinan", page="views/peta.py")
    assert not [b for b in at.get("download_button") if b.label == "Unduh PNG"]
    [prepare] = [b for b in at.button if b.label == "Siapkan gambar PNG"]
    prepare.click().run()
    assert not failed(at)
    assert [b for b in at.get("download_button") if b.label == "Unduh PNG"] or at.error


def test_a_lake_from_an_older_release_asks_for_a_republish(lake):
    from pipelines.lake import manifest as lake_module

    manifest = lake_module.read_manifest(lake)
    del manifest["tabel"]["evaluasi_sel"]
    lake_module.switch_to(lake, manifest)
    at = app_as("pimpinan")
    assert not failed(at)
    assert "menerbitkan ulang" in texts(at)
