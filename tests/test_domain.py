"""The domain module: region codes as values for every city shape, and the basic needs written
once, with the SQL checked against them so the two cannot drift."""

from __future__ import annotations

import re
from pathlib import Path

import duckdb
import pytest

from pipelines import domain
from pipelines.domain import GROUPS, NEEDS, PROGRAMME_NEEDS, WHO, BadCode, Kode, level_of, parent_code
from pipelines.ingestion.contracts import STATIC_CONTRACTS
from pipelines.read import indicators, insights

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


# ---- vulnerable groups: declared once, the SQL written from the declaration --------------------


@pytest.mark.parametrize("group", GROUPS, ids=lambda g: g.key)
def test_each_group_rule_is_a_macro_of_the_definitions_with_those_arguments(group):
    name, args = re.fullmatch(r"(def_\w+)\((.*)\)", group.rule).groups()
    [params] = re.findall(rf"MACRO {name}\((.*?)\) AS", _sql("marts/definisi.sql"))
    assert [a.strip() for a in args.split(",")] == [p.strip() for p in params.split(",")]
    assert group.who in WHO
    assert set(group.inputs) <= set(STATIC_CONTRACTS["anggota"].names), "fed by a column the member list has not"
    assert ("hubungan" in group.inputs) == (group.who == "kepala")


def test_the_marts_take_the_groups_from_the_domain_module_not_by_hand():
    family, area = _sql("marts/20_keluarga.sql"), _sql("marts/30_indikator.sql")
    assert "{kelompok_rentan}" in family and family.count("{kolom_rentan}") == 2
    assert "{kelompok_rentan}" in area
    for g in GROUPS:  # a group written by hand as well would be counted twice
        assert g.flag not in family and g.indicator not in area


def test_the_generated_sql_names_every_column_once():
    family = domain.family_group_sql()
    columns = [c for g in GROUPS for c in g.columns]
    assert len(columns) == len(set(columns)) and len({g.label for g in GROUPS}) == len(GROUPS)
    assert [c.strip() for c in domain.family_group_columns().split(",")] == columns
    assert re.findall(r" AS (\w+)", family) == columns
    assert re.findall(r" AS (\w+)", domain.area_group_sql()) == [
        c for g in GROUPS for c in (g.indicator, g.person_indicator) if c
    ]


@pytest.mark.parametrize("group", GROUPS, ids=lambda g: g.key)
def test_each_group_reaches_the_registry_and_says_which_upload_fills_it(group):
    meta = indicators.get(group.indicator)
    assert (meta.label, meta.denominator) == (group.label, "keluarga_data_anggota")
    assert meta in indicators.MAPPABLE  # Peta and Tren offer it
    assert insights.filled_by(group.indicator).startswith("diisi dari unggahan Anggota keluarga, kolom ")
    if group.person_indicator:
        assert indicators.get(group.person_indicator).denominator == "jiwa_data_anggota"


def _rule(sql: str, *values):
    con = duckdb.connect()
    con.execute((SQL / "marts" / "definisi.sql").read_text(encoding="utf-8"))
    return [con.execute(f"SELECT {sql}", [v]).fetchone()[0] for v in values]


def test_age_and_schooling_boundaries():
    assert _rule("def_lansia(?)", 59, 60, None) == [False, True, None]
    assert _rule("def_balita(?)", 4, 5) == [True, False]
    assert _rule("def_anak_tidak_sekolah(?, false)", 6, 7, 18, 19, None) == [False, True, True, False, None]
    assert _rule("def_anak_tidak_sekolah(10, ?)", True, None) == [False, None]
    assert _rule("umur_pada('2000-12-31'::DATE, ?::DATE)", "2060-12-30", "2060-12-31") == [59, 60]


def test_work_words_that_count_as_informal_or_umkm():
    informal = ["Buruh harian lepas", "Nelayan", "Pedagang kecil", "Tukang bangunan", "Sopir/ojek", "Wiraswasta"]
    informal += ["Petani/pekebun", "Tukang jahit", "Usaha warung (UMKM)"]
    formal = ["PNS/ASN", "Karyawan swasta", "Buruh pabrik", "TNI/Polri", "Pensiunan", "Tidak bekerja", "Pelajar"]
    formal += ["Mengurus rumah tangga", "Belum/tidak bekerja", "Karyawan BUMN"]
    assert _rule("def_pekerjaan_informal(?)", *informal) == [True] * len(informal)
    assert _rule("def_pekerjaan_informal(?)", *formal) == [False] * len(formal)
    assert _rule("def_pekerjaan_informal(?)", "Astronot", None) == [None, None]
