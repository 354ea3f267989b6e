"""Hostile CSV files and periods, through the paths an analyst takes (ingest and the command line).

Every file is built here, in tmp_path: records spanning lines, giant cells and lines, thousands of
columns, late Windows-1252 bytes, UTF-16, control bytes. Each one is either read record by record or
refused before the writer lock with an Indonesian sentence, leaving nothing in data/raw or the register.
"""

from __future__ import annotations

import json

import pytest

from pipelines import registry
from pipelines.ingest import ingest, read_staged
from pipelines.periods import parse_period
from tests.builders import KELUARGA_HEADER, keluarga_row, write_csv
from tests.test_cli import run

STATISTIK_HEADER = ["Kode Wilayah", "Periode", "Indikator", "Nilai", "Satuan", "Sumber"]


def assert_refused_cleanly(settings, out, *phrases: str) -> None:
    """Exit 2, an Indonesian sentence on stderr, no traceback, nothing kept and nothing registered."""
    assert out.returncode == 2, (out.returncode, out.stderr)
    assert out.stderr.startswith("Gagal: ")
    assert "Traceback" not in out.stderr and "Error" not in out.stderr
    for phrase in phrases:
        assert phrase in out.stderr
    raw = settings.raw_dir
    assert not raw.exists() or not [p for p in raw.rglob("*") if p.is_file()]
    assert registry.uploads(settings, include_withdrawn=True) == []


@pytest.mark.parametrize("period", ["junk 2025", "Desa 2025", "marmalade 2025", "\u0662\u0660\u0662\u0665-Q1"])
def test_period_argument_that_only_looks_like_a_month_is_refused(settings, tmp_path, period):
    path = write_csv(tmp_path / "k.csv", KELUARGA_HEADER, [keluarga_row(1)])
    out = run(settings, "ingest", "keluarga", str(path), "--period", period)
    assert_refused_cleanly(settings, out, "Periode tidak sah", "2025-Q4", "Triwulan IV 2025", "Desember 2025")


def test_full_width_digits_in_the_period_argument_give_the_same_period(settings, tmp_path):
    path = write_csv(tmp_path / "k.csv", KELUARGA_HEADER, [keluarga_row(1)])
    out = run(settings, "ingest", "keluarga", str(path), "--period", "\uff12\uff10\uff12\uff16-Q1", "--json")
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout)["period"] == "2026-Q1"


@pytest.mark.parametrize(
    ("text", "period"),
    [
        ("Des 2025", "2025-12"),
        ("Desember 2025", "2025-12"),
        ("Agt 2025", "2025-08"),
        ("Nopember 2025", "2025-11"),
        ("TW 4 2025", "2025-Q4"),
        ("Triwulan IV 2025", "2025-Q4"),
        ("12/2025", "2025-12"),
    ],
)
def test_documented_period_spellings_still_parse(text, period):
    assert parse_period(text) == (period, None)


def test_periods_in_cells_parse_strictly(settings, tmp_path):
    rows = [
        ["61.71", "2025", "Jumlah penduduk miskin", "7110", "jiwa", "BPS"],
        ["61.71", "\uff12\uff10\uff12\uff14", "Jumlah penduduk miskin", "7000", "jiwa", "BPS"],
        ["61.71", "junk 2025", "Prevalensi stunting (SSGI)", "22,3", "persen", "SSGI"],
        ["61.71", "Desa 2025", "Jumlah balita stunting", "812", "anak", "Dinkes"],
    ]
    path = write_csv(tmp_path / "statistik.csv", STATISTIK_HEADER, rows)
    report = ingest("indikator_wilayah", path, "2025-Q4", settings=settings).report
    assert (report["rows_read"], report["rows_accepted"], report["rows_rejected"]) == (4, 2, 2)
    staged = read_staged(settings, report["upload_id"], "indikator_wilayah")
    assert sorted(staged["periode"]) == ["2024", "2025"]
    reasons = " ".join(report["rejected_by_reason"])
    assert "tidak dikenali" in reasons and "Triwulan IV 2025" in reasons
