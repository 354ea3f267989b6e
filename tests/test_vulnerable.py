"""Vulnerable-group lenses through the user's path: counts per area known by construction (a
Pontianak kelurahan with RW and Bontang without), NULL where the member list does not say, the
Ringkasan section and the case-list filter."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from pipelines.access import masking
from pipelines.domain import GROUPS
from pipelines.ingestion.ingest import ingest
from pipelines.lake import manifest as lake
from pipelines.lake.publish import publish
from pipelines.settings import get_settings
from tests.apptest import app_as, create_users, failed, texts
from tests.builders import KELUARGA_HEADER, keluarga_row, kk, nik, write_csv
from tests.conftest import point_at

AKCAYA = "61.71.01.1006"
HEADER = ["NIK", "No KK", "Nama", "Jenis Kelamin", "Tanggal Lahir", "Hubungan", "Masih Sekolah", "Disabilitas"]
WORK = "Pekerjaan"
# Akcaya RW 001, all desil 1 (so all are on the case list). Ages at the end of 2025-Q4:
# 1 (RT 001): man 45, buruh harian lepas; wife 43; child 10 out of school; child 3.
# 2 (RT 001): woman 70 living alone, not working.
# 3 (RT 002): man 50, PNS, with a disability; his mother 80, with a disability.
# 4 (RT 002): woman 35, pedagang kecil; child 15 at school; child 17 whose schooling is blank.
# 5 (RT 002): no member list at all.
MEMBERS = {
    1: [
        ("L", "15/06/1980", "Kepala Keluarga", "", "Tidak", "Buruh harian lepas"),
        ("P", "15/06/1982", "Istri", "", "Tidak", "Mengurus rumah tangga"),
        ("L", "01/01/2015", "Anak", "Tidak", "Tidak", "Belum/tidak bekerja"),
        ("P", "01/06/2022", "Anak", "", "Tidak", ""),
    ],
    2: [("P", "01/03/1955", "Kepala Keluarga", "", "Tidak", "Tidak bekerja")],
    3: [
        ("L", "05/05/1975", "Kepala Keluarga", "", "Ya", "PNS/ASN"),
        ("P", "01/01/1945", "Orang Tua", "", "Ya", "Tidak bekerja"),
    ],
    4: [
        ("P", "02/02/1990", "Kepala Keluarga", "", "Tidak", "Pedagang kecil"),
        ("L", "03/03/2010", "Anak", "Ya", "Tidak", "Pelajar"),
        ("P", "04/04/2008", "Anak", "", "Tidak", "Pelajar"),
    ],
}
RT = {1: "1", 2: "1", 3: "2", 4: "2", 5: "2"}
# 2025-Q4, Akcaya: group -> (families, persons); shares are of the 4 families with a member list.
EXPECTED_Q4 = {
    "lansia": (2, 2),
    "lansia_sendiri": (1, None),
    "disabilitas": (1, 2),
    "balita": (1, 1),
    "anak_tidak_sekolah": (1, 1),
    "kepala_perempuan": (2, None),
    "kepala_informal": (2, None),
}


def _member_rows(families, *, work: bool, kec: str = "617101") -> list[list[str]]:
    rows = []
    for f in families:
        for j, (sex, born, rel, school, disabled, job) in enumerate(MEMBERS[f]):
            row = [nik(10 * f + j, woman=sex == "P", kec=kec), kk(f, kec), f"Anggota {f}.{j}", sex, born, rel]
            rows.append(row + [school, disabled] + ([job] if work else []))
    return rows


def _indikator(settings) -> dict[tuple[str, str], dict]:
    manifest = lake.read_manifest(settings)
    path = lake.table_path(settings, manifest, "indikator")
    rows = duckdb.sql(f"SELECT * FROM '{path}'").df().to_dict("records")
    return {(r["periode"], r["kode_wilayah"]): r for r in rows}


@pytest.fixture(scope="module")
def lensed_lake(tmp_path_factory) -> Path:
    """2025-Q3: members of families 1, 3 and 4, in a list without a work column. 2025-Q4: all four."""
    tmp = tmp_path_factory.mktemp("rentan")
    with pytest.MonkeyPatch.context() as mp:
        point_at(mp, tmp / "data")
        settings = get_settings()
        header = [*KELUARGA_HEADER, "Tanggal Pemutakhiran"]
        for period, updated in (("2025-Q3", "15/08/2025"), ("2025-Q4", "15/11/2025")):
            families = [[*keluarga_row(i, "Akcaya", "1", RT[i], "1"), updated] for i in RT]
            ingest("keluarga", write_csv(tmp / f"k-{period}.csv", header, families), period, settings=settings)
        q3 = write_csv(tmp / "a-q3.csv", HEADER, _member_rows((1, 3, 4), work=False))
        ingest("anggota", q3, "2025-Q3", settings=settings)
        q4 = write_csv(tmp / "a-q4.csv", [*HEADER, WORK], _member_rows((1, 2, 3, 4), work=True))
        ingest("anggota", q4, "2025-Q4", settings=settings)
        publish(settings=settings)
        create_users(settings)
    return tmp / "data"


@pytest.fixture
def lensed(lensed_lake, monkeypatch):
    point_at(monkeypatch, lensed_lake)
    return get_settings()


def test_each_group_counts_the_families_and_persons_built_into_the_fixture(lensed):
    rows = _indikator(lensed)
    for code in (AKCAYA, "61.71.01", "61.71"):
        row = rows[("2025-Q4", code)]
        assert (row["jumlah_keluarga"], row["keluarga_data_anggota"], row["jiwa_data_anggota"]) == (5, 4, 10)
        for g in GROUPS:
            families, persons = EXPECTED_Q4[g.key]
            assert row[g.indicator] == families, (code, g.key)
            if g.person_indicator:
                assert row[g.person_indicator] == persons, (code, g.key)
    # Down to the RT: family 2 (70, alone) lives in RT 001, families 3 and 4 in RT 002.
    rt1, rt2 = rows[("2025-Q4", f"{AKCAYA}.001.001")], rows[("2025-Q4", f"{AKCAYA}.001.002")]
    assert (rt1["keluarga_lansia_sendiri"], rt2["keluarga_lansia_sendiri"]) == (1, 0)
    assert (rt1["jiwa_disabilitas"], rt2["jiwa_disabilitas"]) == (0, 2)
    assert (rt1["keluarga_kepala_perempuan"], rt2["keluarga_kepala_perempuan"]) == (1, 1)


def test_a_column_the_member_list_lacked_is_null_not_zero(lensed):
    q3 = _indikator(lensed)[("2025-Q3", AKCAYA)]
    assert q3["keluarga_kepala_informal"] is None or q3["keluarga_kepala_informal"] != q3["keluarga_kepala_informal"]
    assert (q3["keluarga_data_anggota"], q3["keluarga_lansia"], q3["keluarga_lansia_sendiri"]) == (3, 1, 0)


def test_without_any_member_list_every_group_is_null(small_city):
    publish(settings=small_city)
    row = _indikator(small_city)[("2025-Q4", "61.71")]
    assert row["jumlah_keluarga"] == 5 and row["keluarga_data_anggota"] == 0
    for g in GROUPS:
        assert row[g.indicator] != row[g.indicator] or row[g.indicator] is None, g.key  # NULL (NaN), not 0


def test_ringkasan_shows_the_groups_with_share_and_change(lensed):
    at = app_as("lurah")
    assert not failed(at), failed(at)
    assert "Kelompok rentan: Kelurahan Akcaya" in texts(at)
    [frame] = [d.value for d in at.dataframe if "Kelompok" in d.value.columns]
    shown = frame.set_index("Kelompok")
    assert shown.loc["Lansia (60+)", "Keluarga"] == "2" and shown.loc["Lansia (60+)", "Porsi"] == "50,0%"
    assert shown.loc["Lansia (60+)", "Jiwa"] == "2 (20,0%)"
    assert shown.loc["Lansia (60+)", "Perubahan sejak Triwulan III 2025"] == "+100%"
    assert shown.loc["Lansia tinggal sendiri", "Perubahan sejak Triwulan III 2025"] == "baru muncul"
    assert shown.loc["Penyandang disabilitas", "Jiwa"] == "2 (20,0%)"
    assert shown.loc["Kepala bekerja informal/UMKM", "Keluarga"] == "2"
    # The 2025-Q3 member list had no work column: no comparison, rather than a made-up change.
    assert shown.loc["Kepala bekerja informal/UMKM", "Perubahan sejak Triwulan III 2025"] == "belum ada pembanding"
    assert "Porsi dihitung dari 4 dari 5 keluarga yang daftar anggotanya sudah diunggah" in texts(at)


def test_ringkasan_says_no_data_when_no_member_list_was_uploaded(small_city):
    publish(settings=small_city)
    create_users(small_city)
    at = app_as("pimpinan")
    assert not failed(at), failed(at)
    [frame] = [d.value for d in at.dataframe if "Kelompok" in d.value.columns]
    assert set(frame["Keluarga"]) == {"Belum ada data"} and len(frame) == len(GROUPS)
    assert "Belum ada data: kelompok rentan diisi dari unggahan Anggota keluarga untuk periode ini" in texts(at)


def _case_heads(at) -> list[str]:
    return at.dataframe[0].value["Kepala keluarga"].tolist()


@pytest.mark.parametrize(
    ("groups", "heads"),
    [
        (["Lansia tinggal sendiri"], [2]),
        (["Kepala keluarga perempuan"], [2, 4]),
        (["Kepala keluarga perempuan", "Kepala bekerja informal/UMKM"], [4]),
        (["Anak 7-18 tidak sekolah"], [1]),
        (["Penyandang disabilitas"], [3]),
    ],
)
def test_the_case_list_filter_narrows_to_the_group(lensed, groups, heads):
    at = app_as("lurah", page="views/sasaran.py")
    assert len(_case_heads(at)) == 5
    at.multiselect(key="sasaran_rentan").set_value(groups).run()
    assert not failed(at), failed(at)
    assert sorted(_case_heads(at)) == sorted(masking.mask_name(f"Kepala {i}") for i in heads)
    assert f"{len(heads)} keluarga" in texts(at)


# ---- a city without RW


@pytest.fixture(scope="module")
def bontang_lake(tmp_path_factory) -> Path:
    """Lok Tuan (Bontang, RT only): families 1-4 as above in RT 001-002; the list has no RW column."""
    tmp = tmp_path_factory.mktemp("rentan-bontang")
    with pytest.MonkeyPatch.context() as mp:
        point_at(mp, tmp / "data", "64.74")
        settings = get_settings()
        header = [h for h in KELUARGA_HEADER if h != "RW"]
        rows = []
        for i in (1, 2, 3, 4):
            row = keluarga_row(i, "Lok Tuan", "", RT[i], "1")
            row[0], row[1] = kk(i, "647401"), nik(i, kec="647401")
            rows.append([v for h, v in zip(KELUARGA_HEADER, row) if h != "RW"])
        ingest("keluarga", write_csv(tmp / "k.csv", header, rows), "2025-Q4", settings=settings)
        members = write_csv(tmp / "a.csv", [*HEADER, WORK], _member_rows((1, 2, 3, 4), work=True, kec="647401"))
        ingest("anggota", members, "2025-Q4", settings=settings)
        publish(settings=settings)
    return tmp / "data"


def test_a_city_without_rw_counts_the_groups_per_rt(bontang_lake, monkeypatch):
    point_at(monkeypatch, bontang_lake, "64.74")
    rows = _indikator(get_settings())
    kelurahan = rows[("2025-Q4", "64.74.01.1003")]
    for g in GROUPS:
        assert kelurahan[g.indicator] == EXPECTED_Q4[g.key][0], g.key
    rt1, rt2 = rows[("2025-Q4", "64.74.01.1003.000.001")], rows[("2025-Q4", "64.74.01.1003.000.002")]
    assert (rt1["keluarga_lansia_sendiri"], rt1["keluarga_balita"], rt2["keluarga_disabilitas"]) == (1, 1, 1)
    assert not any(r["level"] == "rw" for r in rows.values())
