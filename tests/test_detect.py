"""Recognising the source kind from a file's headers, for an analyst who does not pick one."""

from __future__ import annotations

import subprocess
import sys

import pytest

from demo.build import generate
from pipelines.cities import get_city
from pipelines.ingestion.detect import detect_source
from pipelines.ingestion.filetype import FileRejected
from tests.builders import KELUARGA_HEADER, keluarga_row, write_csv, write_xlsx

PONTIANAK = get_city("61.71")


@pytest.fixture(scope="module")
def demo_files(tmp_path_factory):
    """Every export the synthetic city writes (DTSEN, SIKS-NG, kecamatan lists, P3KE workbooks, RT
    surveys, verval, members, agency workbooks, receipts, partners, area statistics), each of known kind."""
    _, _, specs = generate(PONTIANAK, tmp_path_factory.mktemp("demo"), scale=0.005, seed=11)
    return specs


def test_every_demo_export_is_recognised_as_its_kind(demo_files):
    kinds = {s.source for s in demo_files}
    assert kinds == {"keluarga", "anggota", "verval", "penerima", "program", "kontribusi", "indikator_wilayah"}
    found = {s.path.name: (s.source, detect_source(s.path, PONTIANAK, mapping_file=s.mapping)) for s in demo_files}
    wrong = {name: kinds for name, kinds in found.items() if kinds[0] != kinds[1]}
    assert not wrong, wrong


def test_headers_in_a_workbook_under_a_title_block_are_recognised(tmp_path):
    path = write_xlsx(tmp_path / "k.xlsx", KELUARGA_HEADER, [keluarga_row(1)], title_rows=3)
    assert detect_source(path, PONTIANAK) == "keluarga"


def test_unrecognisable_headers_are_refused_with_a_way_forward(tmp_path):
    path = write_csv(tmp_path / "x.csv", ["Tanggal", "Keterangan", "Jumlah"], [["1/1/2025", "x", "3"]])
    with pytest.raises(FileRejected, match="tidak bisa dikenali.*Pilih jenis data secara manual"):
        detect_source(path, PONTIANAK)


def test_a_family_list_missing_a_required_column_is_not_guessed(tmp_path):
    header = [h for h in KELUARGA_HEADER if h != "Desa/Kelurahan"]
    rows = [[v for h, v in zip(KELUARGA_HEADER, keluarga_row(1)) if h != "Desa/Kelurahan"]]
    with pytest.raises(FileRejected, match="tidak bisa dikenali"):
        detect_source(write_csv(tmp_path / "k.csv", header, rows), PONTIANAK)


def test_a_hostile_file_gets_the_same_refusal_as_with_a_chosen_kind(tmp_path):
    path = tmp_path / "foto.xlsx"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * 64)
    with pytest.raises(FileRejected, match="gambar PNG"):
        detect_source(path, PONTIANAK)


def test_command_line_ingest_recognises_the_kind(settings, tmp_path):
    path = write_csv(tmp_path / "k.csv", KELUARGA_HEADER, [keluarga_row(1), keluarga_row(2)])
    out = subprocess.run(
        [sys.executable, "-m", "pipelines", "ingest", "otomatis", str(path), "--period", "2025-Q4", "--json"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert '"sumber": "keluarga"' in out and '"baris_diterima": 2' in out
