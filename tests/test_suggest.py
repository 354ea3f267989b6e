"""Proposing a mapping for files whose headers no contract knows: by header and by values."""

from __future__ import annotations

import json
import subprocess
import sys
import tomllib

import pytest

from pipelines.cities import get_city
from pipelines.ingestion.contracts import contract_for
from pipelines.ingestion.ingest import ingest
from pipelines.ingestion.mapping import Mapping
from pipelines.ingestion.suggest import as_toml, suggest
from tests.builders import kk, nik, write_csv

BONTANG = get_city("64.74")
PONTIANAK = get_city("61.71")
# An anonymised RT verification survey: one row per person, the family by a running number,
# no NIK, names or RT; places in snake_case; the eight criteria numbered.
SURVEY_HEADER = ["no_keluarga", "kecamatan", "kelurahan", *(f"ind_{i}" for i in range(1, 9)), "jumlah_indikator"]
SURVEY_HEADER += ["jenis_kelamin", "umur", "jenis_lantai", "sumber_air", "bantuan_pkh", "butuh_pangan"]
PLACES = [("bontang_selatan", "berbas_tengah"), ("bontang_utara", "api_api"), ("bontang_utara", "lok tuan")]


def survey_rows(families: int = 12) -> list[list[str]]:
    rows = []
    for fam in range(1, families + 1):
        kecamatan, kelurahan = PLACES[fam % len(PLACES)]
        for person in range(1 + fam % 3):
            criteria = ["Memenuhi Kriteria" if (fam + person + i) % 3 == 0 else "Tidak" for i in range(8)]
            if fam == 5 and person == 0:
                criteria[2] = "Tidak ada nama Kepala Keluarga"  # the stray text real exports carry
            rows.append([str(fam), kecamatan, kelurahan, *criteria, str(criteria.count("Memenuhi Kriteria"))])
            rows[-1] += ["perempuan" if person else "laki-laki", str(20 + person), "semen", "pdam", "tidak", "1"]
    return rows


def by_column(found) -> dict[str, str | None]:
    return {p.column: p.header for p in found.proposals}


def test_the_anonymous_survey_gets_places_and_numbered_criteria_and_no_false_no_kk(tmp_path):
    path = write_csv(tmp_path / "survei.csv", SURVEY_HEADER, survey_rows())
    found = suggest(path, BONTANG)
    assert (found.source, found.header_row) == ("verval", 1)
    chosen = by_column(found)
    assert (chosen["kelurahan"], chosen["kecamatan"]) == ("kelurahan", "kecamatan")
    criteria = [c.kode for c in contract_for("verval", BONTANG).rules.kriteria]
    assert [chosen[c] for c in criteria] == [f"ind_{i}" for i in range(1, 9)]  # in the rule set's order
    # A running family number is not a No KK, however alike the header: its values say so.
    assert chosen["no_kk"] is None and chosen["nik"] is None and chosen["nama"] is None
    assert {p.column for p in found.missing_required} >= {"nik", "nama", "rt"}
    assert "no_keluarga" in found.unused and "umur" in found.unused


def test_odd_headers_of_a_family_list_are_matched_by_spelling_and_by_values(tmp_path):
    header = ["nomer kartu keluarga", "nik_kepala_kel", "NAMA KRT", "Kode Kemdagri", "rw", "rt", "desil_kesejahteraan"]
    rows = [[kk(i), nik(i), f"Kepala {i}", "61.71.01.1006", "1", str(i), str(i % 10 + 1)] for i in range(1, 9)]
    path = write_csv(tmp_path / "dtsen.csv", header, rows)
    found = suggest(path, PONTIANAK, source="keluarga")
    chosen = by_column(found)
    assert chosen["no_kk"] == "nomer kartu keluarga" and chosen["nik_kepala"] == "nik_kepala_kel"
    assert chosen["kelurahan"] == "Kode Kemdagri"  # no spelling fits; the values are kelurahan codes
    assert (chosen["rw"], chosen["rt"], chosen["desil"]) == ("rw", "rt", "desil_kesejahteraan")
    reasons = {p.column: p.reason for p in found.proposals}
    assert "isinya cocok" in reasons["kelurahan"]


def test_the_proposal_is_a_mapping_file_the_ingest_takes_as_it_is(tmp_path, settings):
    header = ["nomer kartu keluarga", "nik_kepala_kel", "NAMA KRT", "Kode Kemdagri", "rw", "rt", "desil_kesejahteraan"]
    rows = [[kk(i), nik(i), f"Kepala {i}", "61.71.01.1006", "1", str(i), "2"] for i in range(1, 6)]
    path = write_csv(tmp_path / "dtsen.csv", header, rows)
    text = as_toml(suggest(path, PONTIANAK, source="keluarga"), path.name)
    mapping_file = tmp_path / "usulan.toml"
    mapping_file.write_text(text, encoding="utf-8")
    Mapping.from_dict(tomllib.loads(text), contract_for("keluarga", PONTIANAK))  # valid as written
    report = ingest("keluarga", path, "2025-Q4", mapping_file=mapping_file, settings=settings).report
    assert (report["baris_dibaca"], report["baris_diterima"]) == (5, 5)


def test_a_header_with_quotes_survives_the_toml(tmp_path):
    path = write_csv(tmp_path / "q.csv", ['No "KK"', "kelurahan", "catatan\\lain"], [[kk(1), "Akcaya", "x"]])
    text = as_toml(suggest(path, PONTIANAK, source="keluarga"), path.name)
    assert tomllib.loads(text)["kolom"]['No "KK"'] == "no_kk"


@pytest.mark.parametrize("as_json", [False, True])
def test_the_command_line_prints_the_proposal(tmp_path, settings, as_json):
    path = write_csv(tmp_path / "survei.csv", SURVEY_HEADER, survey_rows())
    command = [sys.executable, "-m", "pipelines", "mapping", "suggest", str(path), *(["--json"] if as_json else [])]
    out = subprocess.run(command, capture_output=True, text=True, env={**_env(settings), "TKPKD_KOTA": "64.74"})
    assert out.returncode == 0, out.stderr
    if as_json:
        data = json.loads(out.stdout)
        assert data["sumber"] == "verval" and data["baris_judul"] == 1
        kelurahan = next(u for u in data["usulan"] if u["kolom"] == "kelurahan")
        assert (kelurahan["judul"], kelurahan["wajib"], kelurahan["posisi"]) == ("kelurahan", True, 2)
    else:
        assert tomllib.loads(out.stdout)["kolom"]["kelurahan"] == "kelurahan"


def test_a_missing_file_is_refused_in_indonesian(tmp_path, settings):
    command = [sys.executable, "-m", "pipelines", "mapping", "suggest", str(tmp_path / "tidak-ada.csv")]
    out = subprocess.run(command, capture_output=True, text=True, env=_env(settings))
    assert out.returncode == 2 and "tidak ditemukan" in out.stderr and "Traceback" not in out.stderr


def _env(settings) -> dict:
    import os

    return {**os.environ, "TKPKD_DATA_DIR": str(settings.data_dir)}
