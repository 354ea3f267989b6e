"""Region names and codes resolve to Kemendagri codes; other cities' are refused as such."""

from __future__ import annotations

import pytest

from pipelines.cities import get_city
from pipelines.regions import normalize_name, region_index, resolve_any_level, resolve_city


@pytest.fixture(scope="module")
def pontianak():
    return region_index("61.71")


@pytest.mark.parametrize(
    "raw,code",
    [
        ("Sungaijawi Dalam", "61.71.03.1002"),  # Kemendagri
        ("Sungai Jawi Dalam", "61.71.03.1002"),  # BPS
        ("Sei Jawi Dalam", "61.71.03.1002"),  # field spelling
        ("SEI. JAWI DALAM", "61.71.03.1002"),
        ("Kel. Benua Melayu Laut", "61.71.01.1002"),
        ("  benuamelayu   LAUT ", "61.71.01.1002"),
        ("Kelurahan Akcaya", "61.71.01.1006"),
        ("Kampung Dalam Bugis", "61.71.02.1006"),
        ("Tj. Hulu", "61.71.02.1004"),
        ("61.71.01.1002", "61.71.01.1002"),
        ("6171011006", "61.71.01.1006"),  # compact Kemendagri (Akcaya)
        ("6171011001", "61.71.06.1003"),  # BPS code of Bangkabelitung Laut; no kelurahan has it as Kemendagri
        ("6171010002", "61.71.01.1002"),  # BPS code
    ],
)
def test_spellings_and_codes_resolve(pontianak, raw, code):
    res = pontianak.resolve(raw)
    assert (res.kode, res.alasan) == (code, None)


def test_sungai_jawi_is_not_confused_with_sungai_jawi_dalam(pontianak):
    assert pontianak.resolve("Sei Jawi").kode == "61.71.05.1005"


def test_a_compact_code_that_is_both_kemendagri_and_bps_is_not_guessed(pontianak):
    # Kemendagri 61.71.01.1002 (Benuamelayu Laut) and BPS 6171011002 (Bangkabelitung Darat)
    # share the compact form 6171011002.
    res = pontianak.resolve("6171011002")
    assert res.kode is None and "Benuamelayu Laut" in res.alasan and "Bangkabelitung Darat" in res.alasan
    assert pontianak.resolve("61.71.01.1002").kode == "61.71.01.1002"


def test_unknown_name_is_rejected_with_closest_suggestions(pontianak):
    res = pontianak.resolve("Benua Melayu Lau")
    assert res.kode is None
    assert "tidak dikenal" in res.alasan and "Benuamelayu Laut" in res.alasan


def test_another_citys_kelurahan_is_named_as_such(pontianak):
    res = pontianak.resolve("Lok Tuan")
    assert res.kode is None and "Kota Bontang" in res.alasan


def test_another_citys_code_is_named_as_such(pontianak):
    assert "Kota Bontang" in pontianak.resolve("64.74.01.1003").alasan
    assert "kota/kabupaten lain" in pontianak.resolve("3171011001").alasan


def test_code_of_this_city_that_does_not_exist_is_rejected(pontianak):
    assert "bukan kode kelurahan" in pontianak.resolve("6171019999").alasan


def test_kecamatan_mismatch_is_a_warning(pontianak):
    assert "Pontianak Selatan" in pontianak.check_kecamatan("61.71.01.1002", "Pontianak Barat")
    assert pontianak.check_kecamatan("61.71.01.1002", "Kec. Pontianak Selatan") is None


def test_bontang_resolves_its_own_spellings():
    ix = region_index("64.74")
    assert ix.resolve("Loktuan").kode == "64.74.01.1003"
    assert ix.resolve("Berebas Tengah").kode == "64.74.02.1002"
    assert "Kota Pontianak" in ix.resolve("Sei Jawi Dalam").alasan


def test_city_column_of_another_city_rejects_the_row():
    city = get_city("pontianak")
    assert resolve_city("Kota Pontianak", city) is None
    assert resolve_city("PONTIANAK", city) is None
    assert "kota lain" in resolve_city("Kota Bontang", city)
    assert "kota lain" in resolve_city("6474", city)


def test_area_statistics_accept_any_level():
    city = get_city("61.71")
    assert resolve_any_level("Kota Pontianak", city) == ("61.71", None)
    assert resolve_any_level("Pontianak Barat", city) == ("61.71.03", None)
    assert resolve_any_level("Sei Jawi Luar", city) == ("61.71.03.1003", None)


def test_normal_form_expands_abbreviations_and_drops_level_words():
    assert normalize_name("Kel. Sei Jawi") == normalize_name("Sungai Jawi") == "sungaijawi"


def test_each_city_shows_times_in_its_own_zone():
    from pipelines.cities import get_city

    assert (get_city("61.71").zona_waktu, get_city("61.71").nama_zona) == ("Asia/Pontianak", "WIB")
    assert (get_city("64.74").zona_waktu, get_city("64.74").nama_zona) == ("Asia/Makassar", "WITA")
