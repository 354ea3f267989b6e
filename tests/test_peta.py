"""Peta: the values behind the map (counts stay counts, shares are real shares), the map's names,
fit and legend, the way back up, and a city without RW (Bontang) never speaking of RW."""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import shapely.geometry

from charts.peta import FIT_BOX, PHONE_FIT_BOX, View, choropleth, view_of
from pipelines.access import accounts
from pipelines.cities import get_city
from pipelines.formatting import persen
from pipelines.ingestion.ingest import ingest
from pipelines.lake.geometry import feature_collection, shapes
from pipelines.lake.publish import publish
from pipelines.read import indicators as ind
from pipelines.read import map_values as mv
from tests import test_views
from tests.apptest import PASSWORD, app_as, failed, texts
from tests.builders import KELUARGA_HEADER, keluarga_row, kk, nik, write_csv
from ui import state

ROOT = Path(__file__).resolve().parent.parent
BOUNDARIES = ROOT / "data/reference/boundaries"
PETA = "views/peta.py"


def reference_names(file: str) -> set[str]:
    """Area names straight from the shipped boundary file, not through the code under test."""
    return {f["properties"]["nama"] for f in json.loads((BOUNDARIES / file).read_text())["features"]}


def spec(at) -> dict:
    return json.loads(at.get("plotly_chart")[0].proto.spec)


def label_texts(figure: dict) -> set[str]:
    return {a["text"].replace("<br>", " ") for a in figure["layout"].get("annotations", [])}


# Values behind the page (no Streamlit)


def _areas(**columns) -> pd.DataFrame:
    n = len(next(iter(columns.values())))
    return pd.DataFrame({"kode_wilayah": [f"61.71.0{i + 1}" for i in range(n)], **columns})


def test_count_mode_table_keeps_the_count_and_the_real_share():
    """The tester's cases: 2,381 desil-1 families were shown as '238.100,0%', 38 as '3.800,0%'."""
    rows = _areas(
        nama_wilayah=["Pontianak Utara", "Lok Tuan"], jumlah_keluarga=[10_000, 120], keluarga_desil_1=[2381, 38]
    )
    table = mv.area_table(rows, ind.get("keluarga_desil_1"), mv.COUNT)
    assert table.to_dict("records") == [
        {"Wilayah": "Pontianak Utara", "Keluarga": 10_000, "Keluarga desil 1": 2381, "Persen keluarga": "23,8%"},
        {"Wilayah": "Lok Tuan", "Keluarga": 120, "Keluarga desil 1": 38, "Persen keluarga": "31,7%"},
    ]
    assert table.equals(mv.area_table(rows, ind.get("keluarga_desil_1"), mv.SHARE).iloc[::-1].reset_index(drop=True))


def test_share_is_missing_where_an_area_has_no_families_and_absent_for_a_plain_count():
    rows = _areas(nama_wilayah=["A", "B"], jumlah_keluarga=[0, 4], keluarga_desil_1=[0, 1], konflik=[2, 0])
    shares = mv.shares(rows, ind.get("keluarga_desil_1"))
    assert math.isnan(shares.iloc[0]) and shares.iloc[1] == 0.25
    assert list(mv.area_table(rows, ind.get("konflik"), mv.COUNT).columns) == ["Wilayah", "Keluarga", "Konflik data"]
    assert mv.modes(ind.get("konflik")) == [mv.COUNT]


def test_a_share_of_another_denominator_says_which_and_shows_it():
    rows = _areas(nama_wilayah=["A"], jumlah_keluarga=[50], jumlah_balita=[8], balita_stunting=[2])
    table = mv.area_table(rows, ind.get("balita_stunting"), mv.COUNT)
    assert table.to_dict("records") == [
        {"Wilayah": "A", "Keluarga": 50, "Jumlah balita": 8, "Balita stunting": 2, "Persen dari jumlah balita": "25,0%"}
    ]


def test_change_is_in_points_for_a_share_and_in_families_for_a_count():
    meta = ind.get("keluarga_desil_1")
    now = _areas(nama_wilayah=["A", "B"], jumlah_keluarga=[100, 50], keluarga_desil_1=[12, 5])
    before = _areas(nama_wilayah=["A"], jumlah_keluarga=[100], keluarga_desil_1=[10])
    since = "Triwulan III 2025"
    assert mv.changes(now, before, meta, mv.SHARE, since) == ["+2,0 poin sejak Triwulan III 2025", ""]
    assert mv.changes(now, before, meta, mv.COUNT, since) == ["+2 sejak Triwulan III 2025", ""]
    assert mv.changes(now, before, meta, mv.COUNT, None) == ["", ""]


def test_one_level_up_skips_the_rw_a_city_does_not_have():
    pontianak, bontang = get_city("61.71").levels, get_city("64.74").levels
    assert mv.parent_of("61.71", pontianak) is None
    assert mv.parent_of("61.71.03", pontianak) == "61.71"
    assert mv.parent_of("61.71.03.1002", pontianak) == "61.71.03"
    assert mv.parent_of("61.71.03.1002.005.012", pontianak) == "61.71.03.1002.005"
    assert mv.parent_of("64.74.01.1003.000.012", bontang) == "64.74.01.1003"


# The map as data (no Streamlit)


@pytest.fixture(scope="module")
def pontianak_shapes() -> dict[str, dict]:
    rows = shapes(get_city("61.71"))
    return {level: feature_collection(rows[rows["level"] == level]) for level in ("kecamatan", "kelurahan")}


def _pixel_areas(geojson: dict, view: View) -> dict[str, shapely.geometry.base.BaseGeometry]:
    out = {}
    for f in geojson["features"]:
        geom = shapely.geometry.shape(f["geometry"])
        out[f["id"]] = shapely.transform(geom, lambda c: np.column_stack(view.offset(c[:, 0], c[:, 1])))
    return out


def test_web_mercator_offsets_are_maplibres_512_pixel_world():
    view = View(0.0, 0.0, 0.0)
    assert view.offset(180, 0) == pytest.approx((256, 0))
    assert view.offset(0, 85.0511287798)[1] == pytest.approx(256, abs=0.01)
    assert View(0.0, 0.0, 1.0).offset(-90, 0) == pytest.approx((-256, 0))  # a quarter of a 1,024 px world


@pytest.mark.parametrize("box", [FIT_BOX, PHONE_FIT_BOX], ids=["layar", "ponsel"])
def test_city_and_every_kecamatan_fill_the_box_without_leaving_it(pontianak_shapes, box):
    kelurahan = pontianak_shapes["kelurahan"]
    groups = {"kota": kelurahan["features"]}
    for f in kelurahan["features"]:
        groups.setdefault(f["id"][:8], []).append(f)
    for name, features in groups.items():
        geojson = {"type": "FeatureCollection", "features": features}
        bounds = shapely.union_all(list(_pixel_areas(geojson, view_of(geojson, box=box)).values())).bounds
        width, height = bounds[2] - bounds[0], bounds[3] - bounds[1]
        assert width <= box[0] + 0.5 and height <= box[1] + 0.5, name
        assert max(width / box[0], height / box[1]) > 0.99, f"{name} is drawn smaller than its box"
        assert abs(bounds[0] + bounds[2]) < 0.5 and abs(bounds[1] + bounds[3]) < 0.5, f"{name} is off centre"


@pytest.mark.parametrize("phone", [False, True], ids=["layar", "ponsel"])
def test_every_kelurahan_is_named_on_its_own_area_and_no_names_overlap(pontianak_shapes, phone):
    geojson = pontianak_shapes["kelurahan"]
    values = pd.DataFrame({"kode_wilayah": [f["id"] for f in geojson["features"]], "nilai": 0.1})
    fig = choropleth(values, geojson, value_col="nilai", fmt=persen, phone=phone).to_dict()
    assert label_texts(fig) == reference_names("pontianak_kelurahan.geojson")
    view = View(
        fig["layout"]["map"]["center"]["lon"], fig["layout"]["map"]["center"]["lat"], fig["layout"]["map"]["zoom"]
    )
    areas = _pixel_areas(geojson, view)
    boxes = []
    for a in fig["layout"]["annotations"]:
        # A name without a line sits on its area; a name with a line points at its area.
        tip = shapely.geometry.Point(a["xshift"], a["yshift"])
        assert areas[a["name"]].buffer(1).contains(tip), a["text"]
        x, y = a["xshift"] + (a.get("ax") or 0), a["yshift"] - (a.get("ay") or 0)
        lines = a["text"].split("<br>")
        w, h = max(map(len, lines)) * a["font"]["size"] * 0.55, len(lines) * a["font"]["size"]
        boxes.append((a["text"], shapely.geometry.box(x - w / 2, y - h / 2, x + w / 2, y + h / 2)))
    overlaps = [(p, q) for i, (p, b) in enumerate(boxes) for q, c in boxes[i + 1 :] if b.intersects(c)]
    assert overlaps == []


def test_the_legend_stands_beside_the_map_on_a_screen_and_below_it_on_a_phone(pontianak_shapes):
    geojson = pontianak_shapes["kecamatan"]
    values = pd.DataFrame({"kode_wilayah": [f["id"] for f in geojson["features"]], "nilai": range(6)})
    screen = choropleth(values, geojson, value_col="nilai", fmt=str).layout.legend
    phone = choropleth(values, geojson, value_col="nilai", fmt=str, phone=True).layout.legend
    assert screen.x > 1 and screen.orientation == "v"
    assert phone.y <= 0 and phone.yanchor == "top" and phone.orientation == "h"


# The page, through AppTest


lake = test_views.lake  # the small city, published, with its accounts


def test_count_mode_table_on_the_page_shows_counts_and_the_real_share(lake):
    """Akcaya, 2025-Q4: families 1 (desil 2), 2 (desil 3), 3 (desil 7), 5 (desil 4): 3 of 4 in desil 1-4."""
    at = app_as("pimpinan", page=PETA)
    at.selectbox(key="peta_indikator").set_value("keluarga_desil_1_4").run()
    at.radio(key=state.MAP_MODE).set_value(mv.COUNT).run()
    assert not failed(at), failed(at)
    table = at.dataframe[0].value.set_index("Wilayah")
    assert table.loc["Akcaya", ["Keluarga", "Keluarga desil 1-4", "Persen keluarga"]].tolist() == ["4", "3", "75,0%"]


def test_the_map_names_every_kelurahan(lake):
    at = app_as("pimpinan", page=PETA)
    assert label_texts(spec(at)) == reference_names("pontianak_kelurahan.geojson")
    at.radio(key="peta_tingkat").set_value("kecamatan").run()
    assert label_texts(spec(at)) == reference_names("pontianak_kecamatan.geojson")


def _button(at, label: str):
    found = [b for b in at.button if b.label == label]
    return found[0] if found else None


def test_back_button_takes_the_chair_from_a_kecamatan_to_the_city(lake):
    at = app_as("pimpinan", page=PETA, query={"wilayah": "61.71.03"})
    assert "Keluarga desil 1 · Kecamatan Pontianak Barat" in texts(at)
    _button(at, "Kembali ke Kota Pontianak").click().run()
    assert at.session_state[state.AREA] == "61.71"
    assert at.selectbox(key=state.PICK_KECAMATAN).value == ""
    assert "Keluarga desil 1 · Kota Pontianak" in texts(at)
    assert _button(at, "Kembali ke Kota Pontianak") is None  # nothing above the city


def test_camat_goes_back_from_a_kelurahan_but_never_above_their_kecamatan(lake):
    at = app_as("camat", page=PETA, query={"wilayah": "61.71.03.1002"})
    assert "Kelurahan Sungaijawi Dalam" in texts(at)
    _button(at, "Kembali ke Kecamatan Pontianak Barat").click().run()
    assert at.session_state[state.AREA] == "61.71.03"
    assert not [b for b in at.button if b.label.startswith("Kembali")]


# A city without RW


@pytest.fixture
def bontang(settings, tmp_path, monkeypatch):
    """Lok Tuan (64.74.01.1003), numbered by RT only: RT 012 holds families 1-5 (two in desil 1),
    RT 003 families 6-8."""
    from pipelines.settings import get_settings

    monkeypatch.setenv("TKPKD_KOTA", "64.74")
    city = get_settings()
    header = [h for h in KELUARGA_HEADER if h != "RW"]
    rows = [keluarga_row(i, "Lok Tuan", rt="12" if i <= 5 else "3", desil="1" if i <= 2 else "5") for i in range(1, 9)]
    rows = [[v for j, v in enumerate(r) if j != 4] for r in rows]
    rows = [[kk(i + 1, kec="647401"), nik(i + 1, kec="647401"), *r[2:]] for i, r in enumerate(rows)]
    ingest("keluarga", write_csv(tmp_path / "bontang.csv", header, rows), "2025-Q4", settings=city)
    publish(settings=city)
    accounts.create(
        city, username="pimpinan", nama="Pimpinan", peran="pimpinan", wilayah=None, password=PASSWORD, city_code="64.74"
    )
    return city


def test_inside_a_bontang_kelurahan_rt_are_ranked_and_rw_is_never_mentioned(bontang):
    at = app_as("pimpinan", page=PETA, query={"wilayah": "64.74.01.1003"})
    assert not failed(at), failed(at)
    figure = spec(at)
    bars = figure["data"][0]
    assert list(bars["y"]) == ["RT 003", "RT 012"]  # worst (2 of 5 in desil 1) drawn last, at the top
    words = " ".join([texts(at), figure["layout"]["title"]["text"], *bars["y"], *[b.label for b in at.button]])
    assert "RT" in words and "RW" not in words


def test_from_a_bontang_rt_the_way_up_is_the_kelurahan(bontang):
    at = app_as("pimpinan", page=PETA, query={"wilayah": "64.74.01.1003.000.012"})
    assert not failed(at), failed(at)
    assert "RW" not in texts(at)
    _button(at, "Kembali ke Kelurahan Lok Tuan").click().run()
    assert at.session_state[state.AREA] == "64.74.01.1003"


def test_bontang_count_table_has_real_shares(bontang):
    at = app_as("pimpinan", page=PETA, query={"wilayah": "64.74.01"})
    at.radio(key=state.MAP_MODE).set_value(mv.COUNT).run()
    table = at.dataframe[0].value.set_index("Wilayah")
    assert table.loc["Lok Tuan", ["Keluarga", "Keluarga desil 1", "Persen keluarga"]].tolist() == ["8", "2", "25,0%"]
