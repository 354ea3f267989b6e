"""AppTest for the Evaluasi page on the small city whose effects, costs and errors are known
(tests/test_evaluation.make_programme_city)."""

from __future__ import annotations

import json
import re

import pytest

from pipelines.access import accounts
from pipelines.access.accounts import ROLES
from tests.apptest import PASSWORD, app_as, create_users, failed, texts
from tests.test_evaluation import make_programme_city
from ui.evaluasi import EFFECT_HEADER

PAGE = "views/evaluasi.py"


def literal(text: str) -> str:
    """Markdown as the reader sees it: the escapes that keep uploaded names literal undone."""
    return re.sub(r"\\(.)", r"\1", str(text)).replace("&#58;", ":")


@pytest.fixture
def lake(settings, tmp_path):
    make_programme_city(settings, tmp_path)
    create_users(settings)
    # A camat whose kecamatan (Pontianak Kota) holds the programmes; the shared camat's has none.
    accounts.create(
        settings,
        username="camat-kota",
        nama="Camat Kota",
        peran="camat",
        wilayah="61.71.01",
        password=PASSWORD,
        city_code="61.71",
    )
    return settings


@pytest.mark.parametrize("user", ["pimpinan", "camat_kota", "analis"])
def test_page_renders_for_every_role_that_has_it(lake, user):
    at = app_as(user, page=PAGE)
    assert not failed(at), failed(at)
    text = texts(at)
    assert "Jawaban singkat untuk rapat" in text
    assert "Ini keterkaitan, bukan bukti sebab-akibat." in text


def test_page_shows_the_known_effect_cost_and_targeting(lake):
    at = app_as("pimpinan", page=PAGE)
    text = literal(texts(at))
    # BSPS: 90% of its families left RTLH against 10% of comparable families, Rp20 juta per family.
    assert "Memenuhi kebutuhan dasar:** Bedah Rumah BSPS (rumah jadi layak huni, Rp25,0 juta/keluarga)" in text
    assert (
        "Keluarga penerima Bedah Rumah BSPS 80,0 poin persentase lebih mungkin tidak lagi tinggal di rumah tidak layak"
        in text
    )
    # SOS: 10% moved up a decile in both groups, with outputs above target: 50 people for 48 planned.
    assert (
        "Keluaran tinggi tanpa perubahan yang terlihat:** Sosialisasi Kewirausahaan (SOS) (capaian keluaran 104%, "
        "perkiraan masih kasar)" in text
    )
    assert "Tidak terlihat perbedaan yang meyakinkan: 10,0% keluarga penerima Sosialisasi Kewirausahaan (SOS)" in text
    assert (
        "200 keluarga layak (desil 1-4 atau fakir miskin) belum menerima program apa pun (95,2% dari yang layak)"
        in text
    )
    assert "Sosialisasi Kewirausahaan (SOS) (100,0% penerimanya di desil 6-10 dan bukan fakir miskin)" in text
    ranked = at.table[0].value
    assert [literal(p) for p in ranked["Program"]] == ["Bedah Rumah BSPS", "Sosialisasi Kewirausahaan (SOS)"]
    assert ranked.iloc[0]["Biaya per hasil"] == "Rp25,0 juta"
    assert ranked.iloc[1]["Biaya per hasil"] == "tidak dihitung"


def test_quadrant_chart_places_each_programme(lake):
    at = app_as("pimpinan", page=PAGE)
    spec = json.loads(at.get("plotly_chart")[0].proto.spec)
    placed = {t["name"]: [y.replace("<br>", " ") for y in t["y"]] for t in spec["data"] if "name" in t}
    # BSPS delivered 50 of 60 houses over the two quarters: below 90%, yet with a clear effect.
    assert placed == {
        "Keluaran rendah, dampak tinggi": ["Bedah Rumah BSPS"],
        "Keluaran tinggi, dampak rendah": ["Sosialisasi Kewirausahaan (SOS)"],
    }


def test_area_without_programmes_says_so(lake):
    at = app_as("camat", page=PAGE)  # Pontianak Barat: no programme reached anyone there
    assert not failed(at)
    assert "Belum ada data program untuk Kecamatan Pontianak Barat pada Triwulan IV 2025" in texts(at)


def test_period_without_programmes_says_so(lake):
    at = app_as("pimpinan", page=PAGE)
    at.selectbox(key="pilih_periode").select("2025-Q2").run()
    assert not failed(at)
    assert "Belum ada data program untuk Kota Pontianak pada Triwulan II 2025" in texts(at)


def test_outputs_before_any_outcome_is_measurable_are_shown_as_not_yet_judged(lake):
    at = app_as("pimpinan", page=PAGE)
    at.selectbox(key="pilih_periode").select("2025-Q3").run()
    assert not failed(at)
    text = literal(texts(at))
    assert "Hasil Bedah Rumah BSPS belum bisa diukur" in text
    assert "Belum bisa dinilai:** Bedah Rumah BSPS dan Sosialisasi Kewirausahaan (SOS)." in text
    assert at.table[0].value.iloc[0][EFFECT_HEADER] == "belum bisa diukur"


def test_a_lurah_has_no_evaluation_page(lake):
    assert "evaluasi" not in ROLES["lurah"].pages
    at = app_as("lurah")
    assert not failed(at)
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        at.switch_page(PAGE)  # not registered for this role, so no URL reaches it either
