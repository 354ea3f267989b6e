"""Tren page: official reference lines, the sentence and table of the change, and sub-areas.

Two fixture lakes: the small Pontianak city of conftest with official figures and a member list
added, and a Bontang kelurahan (no RW) with 30 RT and 1,200 families."""

from __future__ import annotations

import base64
import json
import re

import numpy as np
import pandas as pd
import pytest

from charts.tren import subarea_lines, trend_lines
from pipelines.access import accounts
from pipelines.formatting import persen
from pipelines.ingestion.ingest import ingest
from pipelines.lake.publish import publish
from pipelines.read import reference, trend
from tests.apptest import PASSWORD, app_as, create_users, failed, texts
from tests.builders import KELUARGA_HEADER, keluarga_row, kk, nik, write_csv

STATISTIK_HEADER = ["Kode Wilayah", "Periode", "Indikator", "Nilai", "Satuan", "Sumber"]
ANGGOTA_HEADER = ["NIK", "No KK", "Nama", "Tanggal Lahir", "Stunting"]


@pytest.fixture
def lake(small_city, tmp_path):
    """conftest.small_city, plus official figures for 2025 and, in 2025-Q4 only, a member list with
    two under-fives of family 1 (one stunted). 2025-Q3 has no member list: stunting is unknown there."""
    stats = [
        ["61.71", "2025", "Persentase penduduk miskin (P0)", "4,20", "persen", "BPS Susenas Maret 2025"],
        ["61.71", "2025", "Jumlah penduduk miskin", "7110", "jiwa", "BPS"],
        ["61.71", "2025", "Prevalensi stunting (SSGI)", "22,3", "persen", "SSGI 2025"],
        ["61.71", "2025", "Jumlah balita stunting", "812", "anak", "Dinkes"],
    ]
    path = write_csv(tmp_path / "statistik.csv", STATISTIK_HEADER, stats)
    ingest("indikator_wilayah", path, "2025-Q4", settings=small_city)
    members = [
        [nik(101), kk(1), "Anak Satu", "10/02/2023", "Ya"],
        [nik(102), kk(1), "Anak Dua", "11/03/2024", "Tidak"],
    ]
    ingest("anggota", write_csv(tmp_path / "anggota.csv", ANGGOTA_HEADER, members), "2025-Q4", settings=small_city)
    publish(settings=small_city)
    create_users(small_city)
    return small_city


def figure(at, key: str) -> dict:
    """The figure of the chart drawn with `key`, numeric arrays decoded from plotly's binary form."""
    [chart] = [c for c in at.get("plotly_chart") if key in c.proto.id]
    spec = json.loads(chart.proto.spec)
    for trace in spec["data"]:
        for axis in ("x", "y"):
            if isinstance(trace.get(axis), dict) and "bdata" in trace[axis]:
                raw = base64.b64decode(trace[axis]["bdata"])
                trace[axis] = np.frombuffer(raw, dtype=trace[axis]["dtype"]).tolist()
    return spec


def shown_table(at) -> pd.DataFrame:
    """The trend table as the page shows it (area, period, counts, share)."""
    return next(d.value for d in at.dataframe if {"Wilayah", "Periode", "Porsi"} <= set(d.value.columns))


def test_reference_for_a_family_share_is_the_poverty_rate_over_every_quarter_of_its_year(lake):
    at = app_as("pimpinan", page="views/tren.py")
    assert not failed(at), failed(at)
    spec = figure(at, "tren_garis")
    area, *refs = spec["data"]
    assert area["name"] == "Kota Pontianak"
    # The persons count (7.110 jiwa) is never drawn as a share; the 4,2% rate spans both 2025 quarters.
    assert len(refs) == 1 and "Persentase penduduk miskin" in refs[0]["name"]
    assert refs[0]["x"] == ["Triwulan III 2025", "Triwulan IV 2025"]
    assert refs[0]["y"] == pytest.approx([0.042, 0.042])


def test_stunting_speaks_of_children_and_says_where_data_is_missing(lake):
    at = app_as("pimpinan", page="views/tren.py")
    at.selectbox(key="tren_indikator").select("balita_stunting").run()
    assert not failed(at), failed(at)
    text = texts(at)
    [sentence] = [line for line in text.splitlines() if "stunting di Kota Pontianak" in line]
    assert "50,0% (1 balita)" in sentence
    assert "Triwulan III 2025: belum ada data" in sentence
    assert "keluarga" not in sentence and "(0 " not in sentence
    # Only the prevalence is a reference; the count of stunted children is not.
    refs = figure(at, "tren_garis")["data"][1:]
    assert [r["name"] for r in refs] == ["Prevalensi stunting (SSGI), Kota Pontianak"]
    # The table: the quarter without a member list is empty, not 0.
    table = shown_table(at)
    q3 = table[table["Periode"] == "Triwulan III 2025"].iloc[0]
    assert (q3["Balita stunting"], q3["Jumlah balita"], q3["Porsi"]) == ("-", "-", "-")


# ---- a Bontang kelurahan: RT only, many of them

LOK_TUAN = "64.74.01.1003"
RT_COUNT = 30


@pytest.fixture
def bontang(settings, tmp_path, monkeypatch):
    """Lok Tuan with 30 RT of 40 families in two quarters. In 2025-Q4 RT n has n-1 families in desil 1
    (RT 1 none, RT 30 twenty-nine: 435 in all), so RT 030 is the worst and RT 001 the best; no RW column."""
    monkeypatch.setenv("TKPKD_KOTA", "64.74")
    from pipelines.settings import get_settings

    city = get_settings()
    header = [h for h in KELUARGA_HEADER if h != "RW"]

    def rows(poor_in_last_rt: int) -> list[list[str]]:
        out = []
        for rt in range(1, RT_COUNT + 1):
            poor = poor_in_last_rt if rt == RT_COUNT else rt - 1
            for j in range(40):
                row = keluarga_row(rt * 100 + j, "Lok Tuan", rt=str(rt), desil="1" if j < poor else "5")
                out.append(row[:4] + row[5:])
        return out

    # 2025-Q3: RT 030 had one poor family fewer (28), so the two files differ.
    for period, poor in (("2025-Q3", RT_COUNT - 2), ("2025-Q4", RT_COUNT - 1)):
        ingest("keluarga", write_csv(tmp_path / f"{period}.csv", header, rows(poor)), period, settings=city)
    publish(settings=city)
    accounts.create(
        city,
        username="lurah-loktuan",
        nama="Lurah",
        peran="lurah",
        wilayah=LOK_TUAN,
        password=PASSWORD,
        city_code="64.74",
    )
    return city


def test_kelurahan_with_many_rt_draws_them_in_one_figure_and_ranks_all(bontang):
    at = app_as("lurah-loktuan", page="views/tren.py")
    assert not failed(at), failed(at)
    assert len(at.get("plotly_chart")) <= 2
    spec = figure(at, "tren_kecil")
    # One pair of axes, not one per RT.
    assert [k for k in spec["layout"] if k.startswith("xaxis")] == ["xaxis"]
    named = [t["name"] for t in spec["data"] if t.get("legendgroup")]
    assert named[:3] == ["RT 030", "RT 029", "RT 028"] and named[3:] == ["RT 001", "RT 002", "RT 003"]
    ranking = next(d.value for d in at.dataframe if "Peringkat" in d.value.columns)
    assert len(ranking) == RT_COUNT
    assert (ranking.iloc[0]["Wilayah"], ranking.iloc[0]["Porsi"]) == ("RT 030", "72,5%")


def test_city_without_rw_never_says_rw(bontang):
    at = app_as("lurah-loktuan", page="views/tren.py")
    text = texts(at)
    assert "Setiap RT" in text
    assert not re.search(r"\bRW\b", text), text
    names = [t.get("name", "") for t in figure(at, "tren_kecil")["data"]]
    assert not any(re.search(r"\bRW\b", n) for n in names)


def test_table_writes_numbers_the_indonesian_way(bontang):
    at = app_as("lurah-loktuan", page="views/tren.py")
    table = shown_table(at)
    row = table[table["Periode"] == "Triwulan III 2025"].iloc[0]
    assert {"1.200", "434", "36,2%"} <= set(row.tolist())


def test_stunting_without_member_lists_is_missing_not_zero(bontang):
    at = app_as("lurah-loktuan", page="views/tren.py")
    at.selectbox(key="tren_indikator").select("balita_stunting").run()
    assert not failed(at), failed(at)
    assert "Balita stunting di Kelurahan Lok Tuan: belum ada data" in texts(at)
    table = shown_table(at)
    assert set(table["Balita stunting"]) == {"-"}


# ---- the rules, as data


def stats(*rows) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["kode_wilayah", "periode", "indikator", "nilai", "satuan", "sumber"])


QUARTERS = ["2024-Q3", "2024-Q4", "2025-Q1", "2025-Q2"]


def test_reference_matches_indicator_and_unit():
    rows = stats(
        ("61.71", "2024", "Persentase penduduk miskin (P0)", 4.2, "persen", "BPS"),
        ("61.71", "2024", "Jumlah penduduk miskin", 7110.0, "jiwa", "BPS"),
        ("61.71", "2024", "Persentase penduduk miskin ekstrem", 0.4, "persen", "BPS"),
        ("61.71", "2024", "Garis kemiskinan", 677512.0, "Rp/kapita/bulan", "BPS"),
        ("61.71", "2024", "Angka kemiskinan", 4.1, None, "tanpa satuan"),  # no unit, no 'persen' in name
        ("61.71", "2024", "Penduduk miskin (%)", 4.3, "", "satuan di nama"),
        ("61.71", "2024", "Persentase penduduk miskin (P0)", 710.0, "persen", "salah ketik"),
    )
    found = reference.matching(rows, "keluarga_desil_1_4")
    assert found["sumber"].tolist() == ["BPS", "satuan di nama"]
    assert reference.matching(rows, "keluarga_rtlh").empty


def test_annual_figure_spans_its_quarters_and_a_month_its_quarter():
    rows = stats(
        ("61.71", "2024", "Prevalensi stunting (SSGI)", 22.3, "persen", "SSGI"),
        ("61.71", "2025-04", "Prevalensi stunting (operasi timbang)", 12.0, "persen", "Dinkes"),
        ("61.71", "2025-05", "Prevalensi stunting (operasi timbang)", 11.0, "persen", "Dinkes"),
    )
    out = reference.series(rows, "balita_stunting", QUARTERS, {"61.71": "Kota Pontianak"})
    ssgi = out[out["seri"] == "Prevalensi stunting (SSGI), Kota Pontianak"]
    assert ssgi["periode"].tolist() == ["2024-Q3", "2024-Q4"] and ssgi["acuan"].unique().tolist() == ["Tahun 2024"]
    timbang = out[out["seri"].str.contains("operasi timbang")]
    # Two months in one quarter: the later figure stands.
    assert timbang[["periode", "nilai"]].values.tolist() == [["2025-Q2", pytest.approx(0.11)]]


def test_reference_segments_are_broken_between_figures():
    rows = stats(
        ("61.71", "2024", "Persentase penduduk miskin (P0)", 4.2, "persen", "BPS"),
        ("61.71", "2025", "Persentase penduduk miskin (P0)", 4.0, "persen", "BPS"),
    )
    refs = reference.series(rows, "keluarga_fakir_miskin", QUARTERS, {})
    series = [("area", "Kota", pd.DataFrame({"periode_label": ["a"], "porsi": [0.1]}))]
    fig = trend_lines(series, value_col="porsi", fmt=persen, references=refs)
    ref = fig.data[1]
    # A gap between the 2024 and the 2025 figure: two flat segments, not one line sloping between them.
    assert [None if pd.isna(v) else round(v, 3) for v in ref.y] == [0.042, 0.042, None, 0.04, 0.04]
    assert list(ref.x) == ["Triwulan III 2024", "Triwulan IV 2024", None, "Triwulan I 2025", "Triwulan II 2025"]


def test_shares_drop_counts_without_a_denominator():
    rows = pd.DataFrame(
        {
            "periode": ["2025-Q4", "2025-Q3"],
            "balita_stunting": [3, 0],
            "jumlah_balita": [12.0, None],
        }
    )
    out = trend.shares(rows, "balita_stunting", ["2025-Q3", "2025-Q4"])
    assert out["periode"].tolist() == ["2025-Q3", "2025-Q4"]
    assert pd.isna(out["balita_stunting"].iloc[0]) and pd.isna(out["porsi"].iloc[0])
    assert out["porsi"].iloc[1] == pytest.approx(0.25)


def test_change_sentence_in_the_indicators_unit():
    rows = trend.shares(
        pd.DataFrame(
            {
                "periode": ["2024-Q4", "2025-Q1", "2025-Q2", "2025-Q3"],
                "keluarga_desil_1": [None, 4200, 4000, 4000],
                "jumlah_keluarga": [None, 100000, 100000, 100000],
            }
        ),
        "keluarga_desil_1",
        ["2024-Q4", "2025-Q1", "2025-Q2", "2025-Q3"],
    )
    text = trend.change_sentence(rows, "keluarga_desil_1", "Kota X")
    assert text == (
        "Dari Triwulan I 2025 ke Triwulan III 2025, keluarga desil 1 di Kota X turun dari 4,2% (4.200 keluarga) "
        "menjadi 4,0% (4.000 keluarga). Triwulan IV 2024: belum ada data."
    )
    assert trend.count_unit("balita_stunting") == "balita"


def test_ranking_puts_the_worst_first_whichever_way_is_better():
    rows = trend.shares(
        pd.DataFrame(
            {
                "kode_wilayah": ["a", "b", "c", "a", "b", "c"],
                "nama_wilayah": ["RT 001", "RT 002", "RT 003"] * 2,
                "periode": ["2025-Q3"] * 3 + ["2025-Q4"] * 3,
                "keluarga_penerima_program": [1, 2, 3, 1, 5, None],
                "jumlah_keluarga": [10, 10, 10, 10, 10, 10],
            }
        ),
        "keluarga_penerima_program",
        ["2025-Q3", "2025-Q4"],
    )
    ranked = trend.ranking(rows, "keluarga_penerima_program", "2025-Q4")
    # Reaching more families is better: the lowest share is the worst; no data goes last.
    assert ranked["kode_wilayah"].tolist() == ["a", "b", "c"]
    assert trend.worst_and_best(ranked, "keluarga_penerima_program", 1) == (["a"], ["b"])
    shown = trend.ranking_table(ranked, "keluarga_penerima_program")
    assert shown["Perubahan sejak Triwulan III 2025"].tolist() == ["tetap", "+30,0 poin", "-"]
    assert shown["Peringkat"].tolist() == ["1", "2", "-"]


def test_many_sub_areas_share_one_pair_of_axes():
    rows = pd.DataFrame(
        {
            "kode_wilayah": [f"k{i}" for i in range(20) for _ in range(2)],
            "nama_wilayah": [f"RT {i:03d}" for i in range(20) for _ in range(2)],
            "periode_label": ["A", "B"] * 20,
            "porsi": [i / 100 for i in range(20) for _ in range(2)],
        }
    )
    fig = subarea_lines(rows, value_col="porsi", fmt=persen, worst=["k19"], best=["k0"], others_name="18 RT lainnya")
    assert [t.name for t in fig.data] == ["18 RT lainnya", "RT 019", "RT 000"]
    # Every other sub-area is one grey line of a single trace, broken between areas.
    assert list(fig.data[0].x).count(None) == 18


def test_among_equal_shares_the_larger_area_is_named():
    rows = trend.shares(
        pd.DataFrame(
            {
                "kode_wilayah": ["kecil", "besar", "tengah", "buruk"],
                "nama_wilayah": ["RT 001", "RT 002", "RT 003", "RT 004"],
                "periode": ["2025-Q4"] * 4,
                "keluarga_desil_1": [0, 0, 0, 9],
                "jumlah_keluarga": [5, 300, 40, 30],
            }
        ),
        "keluarga_desil_1",
        ["2025-Q4"],
    )
    ranked = trend.ranking(rows, "keluarga_desil_1", "2025-Q4")
    assert trend.worst_and_best(ranked, "keluarga_desil_1", 1) == (["buruk"], ["besar"])
    assert trend.worst_and_best(ranked, "keluarga_desil_1", 2) == (["buruk", "besar"], ["tengah", "kecil"])
