"""Each cleaning rule (sql/staging/macros.sql) on the spellings real exports use."""

from __future__ import annotations

import datetime as dt

import duckdb
import pytest

from pipelines.ingestion.clean import load_macros


@pytest.fixture(scope="module")
def con():
    c = duckdb.connect()
    load_macros(c)
    yield c
    c.close()


def one(con, expr: str, value):
    return con.execute(f"SELECT {expr}", [value]).fetchall()[0][0]


@pytest.mark.parametrize("raw", ["5", "05", "005", "RT 05", "RT.5", "rw 005", "RW: 5", "5,0", " 5 ", "Rt 05"])
def test_rt_rw_in_any_spelling_becomes_three_digits(con, raw):
    assert one(con, "rtrw(?)", raw) == "005"


@pytest.mark.parametrize("raw", ["0", "000", "RT", "1000", "5a", "lima", "", None])
def test_rt_rw_that_is_not_a_number_from_1_to_999_is_invalid(con, raw):
    assert one(con, "rtrw(?)", raw) is None


@pytest.mark.parametrize(
    "raw,expected",
    [
        ("Ya", True),
        ("ya", True),
        ("Y", True),
        ("1", True),
        ("Memenuhi Kriteria", True),
        ("Ada", True),
        ("√", True),
        ("Tidak", False),
        ("T", False),
        ("0", False),
        ("Tidak Memenuhi Kriteria", False),
        ("N", False),
        ("tdk", False),
    ],
)
def test_yes_no_words(con, raw, expected):
    assert one(con, "yesno(?)", raw) is expected


@pytest.mark.parametrize("raw", ["mungkin", "2", "x"])
def test_unknown_yes_no_word_is_not_guessed(con, raw):
    assert one(con, "yesno(?)", raw) is None


@pytest.mark.parametrize(
    "raw,expected",
    [
        ("3", 3),
        ("03", 3),
        ("Desil 3", 3),
        ("DESIL 3", 3),
        ("desil 10", 10),
        ("D3", 3),
        ("3,0", 3),
        ("Desil 1 (Sangat Miskin)", 1),
    ],
)
def test_desil_spellings(con, raw, expected):
    assert one(con, "desil(?)", raw) == expected


@pytest.mark.parametrize("raw", ["0", "11", "Desil", "tiga", "3,5"])
def test_desil_outside_1_to_10_is_invalid(con, raw):
    assert one(con, "desil(?)", raw) is None


@pytest.mark.parametrize(
    "raw,expected",
    [
        ("1.234.567", 1234567.0),
        ("12,5", 12.5),
        ("1.234,5", 1234.5),
        ("Rp 1.500.000", 1500000.0),
        ("Rp1.500.000,-", 1500000.0),
        ("12.5", 12.5),
        ("1500000", 1500000.0),
        ("-3", -3.0),
        ("1.500", 1500.0),
    ],
)
def test_indonesian_numbers(con, raw, expected):
    assert one(con, "angka(?)", raw) == expected


@pytest.mark.parametrize("raw", ["1,234,567", "satu", "12..5", "1.23.4"])
def test_ambiguous_or_foreign_numbers_are_not_guessed(con, raw):
    assert one(con, "angka(?)", raw) is None


@pytest.mark.parametrize(
    "raw",
    [
        "19/12/2025",
        "19-12-2025",
        "19.12.2025",
        "2025-12-19",
        "19 Desember 2025",
        "19 Des 2025",
        "19 desember 2025",
        "46010",
    ],
)
def test_dates_are_read_day_first(con, raw):
    assert one(con, "tanggal(?)", raw) == dt.date(2025, 12, 19)


@pytest.mark.parametrize("raw", ["31/02/2025", "kemarin", "19/12/1850"])
def test_impossible_dates_are_invalid(con, raw):
    assert one(con, "tanggal(?)", raw) is None


@pytest.mark.parametrize("raw", ["6171014506800001", "6171 0145 0680 0001", "'6171014506800001", "6171-0145-0680-0001"])
def test_valid_nik_in_field_spellings(con, raw):
    assert one(con, "nik_problem(?)", raw) is None
    assert one(con, "id_digits(?)", raw) == "6171014506800001"


@pytest.mark.parametrize(
    "raw,reason",
    [
        ("617101450680001", "harus 16 digit"),
        ("61710145068000011", "harus 16 digit"),
        ("6.17101E+15", "notasi ilmiah"),
        ("9971014506800001", "kode provinsi"),
        ("6171013206800001", "tanggal lahir"),  # day 32
        ("6171011513800001", "tanggal lahir"),  # month 13
        ("6171014506800000", "0000"),
        ("61710145O6800001", "selain angka"),
    ],
)
def test_invalid_nik_names_its_reason(con, raw, reason):
    assert reason in one(con, "nik_problem(?)", raw)


def test_excel_number_marker_is_rejected_not_repaired(con):
    assert "Excel" in one(con, "nik_problem(?)", "\x016171014506800000")
    assert "Excel" in one(con, "kk_problem(?)", "\x016171012502100000")


def test_women_day_plus_40_is_valid_for_nik_but_not_for_no_kk(con):
    assert one(con, "nik_problem(?)", "6171015506800001") is None
    assert "tanggal terbit" in one(con, "kk_problem(?)", "6171015506800001")


@pytest.mark.parametrize("raw", ["-", "NULL", "#N/A", "  ", "n/a", "..."])
def test_placeholders_are_missing_values(con, raw):
    assert one(con, "clean_text(?)", raw) is None


@pytest.mark.parametrize(
    "macro,raw,expected",
    [
        ("cat_lantai", "Tanah", "tanah"),
        ("cat_lantai", "Keramik/Ubin", "keramik"),
        ("cat_lantai", "Semen/Bata Merah", "semen"),
        ("cat_lantai", "Kayu/papan kualitas rendah", "kayu_rendah"),
        ("cat_dinding", "Tembok tanpa plester", "tembok_tanpa_plester"),
        ("cat_dinding", "Anyaman bambu", "bambu"),
        ("cat_atap", "Rumbia/daun", "jerami"),
        ("cat_atap", "Seng", "seng"),
        ("cat_sumber_air", "Air hujan", "air_hujan"),
        ("cat_sumber_air", "Air isi ulang", "isi_ulang"),
        ("cat_sumber_air", "Sumur tak terlindung", "sumur_tak_terlindung"),
        ("cat_sumber_air", "Leding/PDAM", "ledeng"),
        ("cat_sumber_air", "Sungai/danau", "sungai"),
        ("cat_sanitasi", "Jamban sendiri, buang ke sungai", "tidak_layak"),
        ("cat_sanitasi", "Tidak ada", "tidak_ada"),
        ("cat_sanitasi", "Milik sendiri, tangki septik", "sendiri"),
        ("cat_sanitasi", "MCK umum", "umum"),
        ("cat_penerangan", "Listrik PLN 450 VA", "pln_450"),
        ("cat_penerangan", "Bukan listrik", "bukan_listrik"),
        ("cat_jaminan_kesehatan", "PBI JKN", "pbi"),
        ("cat_jaminan_kesehatan", "Non PBI", "mandiri"),
        ("cat_jaminan_kesehatan", "Tidak punya", "tidak"),
        ("cat_jaminan_kesehatan", "Ya", "ada"),
        ("cat_pentahelix", "CSR Perusahaan", "dunia_usaha"),
        ("cat_pentahelix", "Baznas", "masyarakat"),
        ("cat_kebutuhan_dasar", "Bedah rumah (RTLH)", "rumah"),
        ("cat_kebutuhan_dasar", "Air bersih", "air"),
    ],
)
def test_vocabularies(con, macro, raw, expected):
    assert one(con, f"{macro}(?)", raw) == expected


def test_unknown_vocabulary_word_is_not_guessed(con):
    assert one(con, "cat_lantai(?)", "entahlah") is None


def test_high_quality_wood_floor_is_not_low_quality(con):
    assert one(con, "cat_lantai(?)", "Kayu/papan kualitas tinggi") == "kayu"
    assert one(con, "cat_lantai(?)", "Kayu/papan kualitas rendah") == "kayu_rendah"


@pytest.mark.parametrize(
    "raw,expected", [("-0.034", -0.034), ("109.345", 109.345), ("109,3427", 109.3427), ("-0,0345", -0.0345)]
)
def test_coordinates_are_decimal_degrees_never_thousands(con, raw, expected):
    assert one(con, "koordinat(?)", raw) == pytest.approx(expected)


@pytest.mark.parametrize("raw", ["1.234.567", "utara", "200,5"])
def test_impossible_coordinates_are_invalid(con, raw):
    assert one(con, "koordinat(?)", raw) is None
