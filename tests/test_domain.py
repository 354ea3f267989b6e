"""The domain module: region codes as values for every city shape, and the basic needs written
once, with the SQL checked against them so the two cannot drift."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from pipelines.domain import NEEDS, PROGRAMME_NEEDS, BadCode, Kode, level_of, parent_code

ROOT = Path(__file__).resolve().parent.parent

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


# ---- the SQL says what the domain module says --------------------------------------------------

SQL = ROOT / "pipelines" / "sql"


def _sql(name: str) -> str:
    return " ".join((SQL / name).read_text(encoding="utf-8").split())


@pytest.mark.parametrize("need", NEEDS, ids=lambda n: n.flag)
def test_each_need_is_defined_from_its_inputs_and_counted_under_its_indicator(need):
    family = _sql("marts/20_keluarga.sql")
    [call] = re.findall(rf"def_{need.flag}\((.*?)\) AS {need.flag}\b", family)
    assert [c.strip() for c in call.split(",")][: len(need.inputs)] == list(need.inputs)
    assert f"hitung_diketahui({need.flag}) AS {need.indicator}" in _sql("marts/30_indikator.sql")


@pytest.mark.parametrize("need", PROGRAMME_NEEDS, ids=lambda n: n.flag)
def test_a_programme_category_leads_to_its_need_in_the_evaluation(need):
    assert f"THEN '{need.category}'" in _sql("staging/macros.sql"), "the catalogue never yields the category"
    evaluation = _sql("marts/50_evaluasi.sql")
    assert f"WHEN '{need.category}' THEN '{need.outcome}'" in evaluation
    assert f"WHEN '{need.outcome}' THEN" in evaluation.split("MACRO eval_butuh", 1)[1]


def test_the_evaluation_knows_no_category_the_domain_does_not():
    mapping = _sql("marts/50_evaluasi.sql").split("MACRO eval_kebutuhan", 1)[1].split("END", 1)[0]
    assert set(re.findall(r"WHEN '(\w+)' THEN '(\w+)'", mapping)) == {(n.category, n.outcome) for n in PROGRAMME_NEEDS}
