"""Ringkasan through the user's path: early warnings of the chosen area only, a city without RW,
and a figure whose column was never uploaded."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pandas as pd
import pytest

from pipelines.access import accounts
from pipelines.ingestion.ingest import ingest
from pipelines.lake.publish import publish
from pipelines.settings import REFERENCE_DIR, get_settings
from tests.apptest import PASSWORD, app_as, create_users, failed, texts
from tests.builders import KELUARGA_HEADER, keluarga_row, kk, nik, write_csv
from tests.conftest import point_at

PROGRAM_HEADER = ["Kode Program", "Nama Program", "OPD", "Satuan", "Target", "Realisasi", "Lokasi (Kelurahan)"]
PERIODS = ("2025-Q2", "2025-Q3", "2025-Q4")
OLD_DATE = "01/08/2025"  # before 2025-Q4 began


def _unescaped(text: str) -> str:
    """Warning items are Markdown with punctuation escaped and colons as entities (names from
    uploads stay text): what the reader sees."""
    return html.unescape(re.sub(r"\\(.)", r"\1", text))


def _warnings(at) -> str:
    return "\n".join(_unescaped(str(w.value)) for w in at.warning)


def _families(period: str) -> list[list[str]]:
    """Akcaya RW 002 (25 families) and Sungaijawi Dalam RW 005 (25 families) both get worse two
    quarters running (desil 1: 2 -> 4 -> 6 and 1 -> 3 -> 5). In 2025-Q4, Akcaya RT 003 / RW 001 and
    the whole of Sungaijawi Dalam were last updated in August, before the quarter began."""
    step = PERIODS.index(period)
    q4 = period == "2025-Q4"
    rows = []
    for i in range(1, 26):
        rows.append([*keluarga_row(i, "Akcaya", "2", "1", "1" if i <= 2 + 2 * step else "5"), ""])
    for i in range(26, 31):
        rows.append([*keluarga_row(i, "Akcaya", "1", "3", "6"), OLD_DATE if q4 else ""])
    for i in range(31, 56):
        desil = "1" if i - 30 <= 1 + 2 * step else "5"
        rows.append([*keluarga_row(i, "Sungaijawi Dalam", "5", "5", desil), OLD_DATE if q4 else ""])
    return rows


@pytest.fixture(scope="module")
def watched_lake(tmp_path_factory) -> Path:
    """Published once for the module; the pages only read it."""
    tmp = tmp_path_factory.mktemp("pantau")
    with pytest.MonkeyPatch.context() as mp:
        point_at(mp, tmp / "data")
        settings = get_settings()
        header = [*KELUARGA_HEADER, "Tanggal Pemutakhiran"]
        for period in PERIODS:
            path = write_csv(tmp / f"k-{period}.csv", header, _families(period))
            ingest("keluarga", path, period, settings=settings)
        bsps = ["BSPS", "Bedah Rumah BSPS", "Dinas Perkim", "unit"]
        programmes = [
            [*bsps, "10", "9", "Akcaya"],  # 90%: on track in Akcaya
            [*bsps, "10", "2", "Sungaijawi Dalam"],  # 20%: late there, 55% for the city
            ["SOS", "Sosialisasi Usaha", "Dinas Koperasi", "orang", "10", "1", "Sungaijawi Dalam"],
        ]
        path = write_csv(tmp / "program.csv", PROGRAM_HEADER, programmes)
        ingest("program", path, "2025-Q4", settings=settings)
        publish(settings=settings)
        create_users(settings)
    return tmp / "data"


@pytest.fixture
def watched_city(watched_lake, monkeypatch):
    point_at(monkeypatch, watched_lake)


def _open(at, *codes: str):
    for key, code in zip(("pilih_kecamatan", "pilih_kelurahan", "pilih_rw", "pilih_rt"), codes):
        at.selectbox(key=key).select(code).run()
    assert not failed(at), failed(at)
    return at


def test_city_warnings_cover_every_kelurahan_and_programme(watched_city):
    """The fixture's warnings, seen from the city, so the narrower views below are not empty by accident."""
    text = _warnings(app_as("pimpinan"))
    assert "Akcaya: keluarga desil 1 memburuk" in text and "Sungaijawi Dalam: keluarga desil 1 memburuk" in text
    assert "Data belum diperbarui (28)" in text  # 27 kelurahan without families and Sungaijawi Dalam
    assert "Bedah Rumah BSPS (Dinas Perkim): capaian keluaran 55%" in text


def test_warnings_at_a_kelurahan_name_only_its_rw_rt_data_and_programmes(watched_city):
    at = _open(app_as("pimpinan"), "61.71.01", "61.71.01.1006")
    assert "Ringkasan: Kelurahan Akcaya" in texts(at)
    text = _warnings(at)
    # Nothing of another kelurahan: not its trend, its freshness, nor programmes reported there.
    for other in ("Sungaijawi Dalam", "Tengah", "Bedah Rumah", "Sosialisasi Usaha"):
        assert other not in text, other
    assert "RW 002: keluarga desil 1 memburuk dua periode berturut-turut" in text
    assert "RT 003 / RW 001: data terakhir diperbarui 1 Agustus 2025" in text
    assert "Peringatan dini: Kelurahan Akcaya" in texts(at)
    assert "Dipantau untuk Kelurahan Akcaya" in texts(at)


def test_programmes_at_a_kelurahan_are_those_reported_there(watched_city):
    at = _open(app_as("pimpinan"), "61.71.03", "61.71.03.1002")
    text = _warnings(at)
    assert "Bedah Rumah BSPS (Dinas Perkim) di Kelurahan Sungaijawi Dalam: capaian keluaran 20%" in text
    assert "Sungaijawi Dalam: data terakhir diperbarui 1 Agustus 2025" in text
    assert "RT 005 / RW 005: data terakhir" not in text  # the kelurahan's own warning says it once
    assert "Akcaya" not in text


def test_warnings_at_a_kecamatan_stay_inside_it(watched_city):
    at = _open(app_as("pimpinan"), "61.71.01")
    text = _warnings(at)
    codes = pd.read_csv(REFERENCE_DIR / "codes" / "pontianak_wilayah.csv", dtype=str)
    kelurahan = codes[codes["level"] == "kelurahan"]
    outside = kelurahan[kelurahan["parent_kode"] != "61.71.01"]["nama_kemendagri"]
    assert "Akcaya: keluarga desil 1 memburuk" in text and "RW 002" not in text
    for name in outside:
        assert f"{name}:" not in text, name
    assert "Bedah Rumah" not in text  # 90% in Akcaya, the only kelurahan of Pontianak Selatan reporting it
    inside = kelurahan[kelurahan["parent_kode"] == "61.71.01"]["nama_kemendagri"]
    assert any(f"{name}: belum ada data keluarga" in text for name in inside if name != "Akcaya")


# ---- a city without RW (Bontang numbers households by RT only)


@pytest.fixture(scope="module")
def bontang_lake(tmp_path_factory) -> Path:
    tmp = tmp_path_factory.mktemp("bontang")
    with pytest.MonkeyPatch.context() as mp:
        point_at(mp, tmp / "data", "64.74")
        settings = get_settings()
        header = [h for h in KELUARGA_HEADER if h != "RW"]
        # 30 families in Lok Tuan's RT 001-003; desil 1 grows from 6 to 12 families, two more in each RT.
        for period, poorest in (("2025-Q3", 2), ("2025-Q4", 4)):
            rows = []
            for i in range(1, 31):
                row = keluarga_row(i, "Lok Tuan", "", f"{1 + i % 3}", "1" if i <= 3 * poorest else "6")
                row[0], row[1] = kk(i, "647401"), nik(i, kec="647401")
                rows.append([v for h, v in zip(KELUARGA_HEADER, row) if h != "RW"])
            ingest("keluarga", write_csv(tmp / f"b-{period}.csv", header, rows), period, settings=settings)
        publish(settings=settings)
        accounts.create(
            settings,
            username="pimpinan",
            nama="Pimpinan",
            peran="pimpinan",
            wilayah=None,
            password=PASSWORD,
            city_code="64.74",
        )
    return tmp / "data"


@pytest.fixture
def bontang(bontang_lake, monkeypatch):
    point_at(monkeypatch, bontang_lake, "64.74")


def _all_text(at) -> str:
    frames = " ".join(" ".join(map(str, df.value.columns)) for df in at.dataframe)
    labels = " ".join(f"{s.label} {' '.join(map(str, s.options))}" for s in at.selectbox)
    return f"{texts(at)}\n{frames}\n{labels}"


def test_a_city_without_rw_never_speaks_of_rw(bontang):
    at = app_as("pimpinan")
    assert "Ringkasan: Kota Bontang" in texts(at)
    at = _open(at, "64.74.01", "64.74.01.1003")
    assert "Ringkasan: Kelurahan Lok Tuan" in texts(at)
    text = _all_text(at)
    assert not re.search(r"\bR[Ww]\b", text), re.findall(r".{40}\bR[Ww]\b.{20}", text)
    assert [s.label for s in at.selectbox] == ["Periode", "Kecamatan", "Kelurahan", "RT"]
    assert "Semua RT" in at.selectbox(key="pilih_rt").options
    assert "Porsi keluarga desil 1 naik di 3 RT" in text
    assert "Semua RT di Kelurahan Lok Tuan" in text
    assert "RT" in [c for df in at.dataframe for c in df.value.columns]


def test_choosing_an_rt_in_a_city_without_rw_opens_it(bontang):
    at = _open(app_as("pimpinan"), "64.74.01", "64.74.01.1003")
    at.selectbox(key="pilih_rt").select_index(1).run()
    assert not failed(at), failed(at)
    assert at.selectbox(key="pilih_rt").value == "64.74.01.1003.000.001"
    assert "Ringkasan: RT 00" in texts(at)
    assert not re.search(r"\bR[Ww]\b", _all_text(at))


def test_a_link_to_an_rt_in_a_city_without_rw_restores_it(bontang):
    rt = "64.74.01.1003.000.001"
    again = app_as("pimpinan", query={"wilayah": rt})
    assert not failed(again), failed(again)
    assert again.selectbox(key="pilih_rt").value == rt
    assert "Ringkasan: RT 00" in texts(again)


# ---- a column never uploaded


def test_a_figure_whose_column_was_never_uploaded_says_so_and_where_it_comes_from(small_city):
    publish(settings=small_city)
    create_users(small_city)
    at = app_as("pimpinan")
    metrics = {m.label: m.value for m in at.metric}
    # The fixture's family list has no health-insurance or food-insecurity column.
    assert metrics["Tanpa jaminan kesehatan"] == "—"  # never "0"; the words are in the caption
    assert metrics["Rawan pangan"] == "—"
    # A column that was uploaded still shows its count, zero included.
    assert metrics["Keluarga desil 1"] == "0" and metrics["Tanpa air minum layak"] == "1"
    captions = [str(c.value) for c in at.caption]
    assert "Belum ada data: diisi dari unggahan Data keluarga (DTSEN / P3KE), kolom Jaminan Kesehatan." in captions
    assert "Belum ada data: diisi dari unggahan Data keluarga (DTSEN / P3KE), kolom Rawan Pangan." in captions
    assert "0 · 0,0%" not in texts(at)
