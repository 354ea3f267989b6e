"""Region codes as values: one place takes them apart, for every city shape."""

from __future__ import annotations

import pytest

from pipelines.domain import BadCode, Kode, level_of, parent_code

CITY_WITHOUT_RW = ("kota", "kecamatan", "kelurahan", "rt")


@pytest.mark.parametrize(
    ("text", "level", "parent"),
    [
        ("61.71", "kota", None),
        ("61.71.01", "kecamatan", "61.71"),
        ("61.71.01.1002", "kelurahan", "61.71.01"),
        ("61.71.01.1002.005", "rw", "61.71.01.1002"),
        ("61.71.01.1002.005.012", "rt", "61.71.01.1002.005"),
    ],
)
def test_level_and_parent(text, level, parent):
    kode = Kode.parse(text)
    assert (kode.level, level_of(text)) == (level, level)
    assert parent_code(text) == parent
    assert (kode.parent.text if kode.parent else None) == parent


def test_parts_of_an_rt_code():
    kode = Kode.parse("61.71.01.1002.005.012")
    assert (kode.kota.text, kode.kecamatan.text, kode.kelurahan.text) == ("61.71", "61.71.01", "61.71.01.1002")
    assert (kode.rw, kode.rt) == ("005", "012")
    assert [a.text for a in kode.ancestors()] == [
        "61.71",
        "61.71.01",
        "61.71.01.1002",
        "61.71.01.1002.005",
        "61.71.01.1002.005.012",
    ]
    above = Kode.parse("61.71.01")
    assert (above.kelurahan, above.rw, above.rt) == (None, None, None)


def test_in_a_city_without_rw_an_rt_belongs_to_its_kelurahan():
    rt = Kode.parse("64.74.01.1001.000.002")
    assert rt.parent.text == "64.74.01.1001.000"  # the placeholder RW, as stored
    assert rt.parent_in(CITY_WITHOUT_RW).text == "64.74.01.1001"


def test_covers_is_by_whole_parts_not_by_text_prefix():
    kecamatan = Kode.parse("61.71.01")
    assert kecamatan.covers("61.71.01") and kecamatan.covers("61.71.01.1002.005")
    assert not kecamatan.covers("61.71.010") and not kecamatan.covers("61.71.010.1001")
    assert not kecamatan.covers("61.71")


@pytest.mark.parametrize("text", ["", "61", "61.71.1", "61.71.01.1002.5", "61.71.01'; --", None, 61.71])
def test_anything_else_is_refused_in_indonesian(text):
    with pytest.raises(BadCode, match="Kode wilayah tidak sah"):
        Kode.parse(text)
