"""The command line: exit codes, JSON fields and Indonesian messages."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from pipelines.lake.lock import exclusive
from tests.builders import KELUARGA_HEADER, keluarga_row, write_csv

ROOT = Path(__file__).resolve().parent.parent


def run(settings, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "TKPKD_DATA_DIR": str(settings.data_dir), "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, "-m", "pipelines", *args], capture_output=True, text=True, env=env, cwd=ROOT, timeout=120
    )


def test_ingest_publish_summary_round_trip(settings, tmp_path):
    rows = [keluarga_row(1, desil="1"), keluarga_row(2, "Lok Tuan"), keluarga_row(3, "Sei Jawi Dalam", "5", "5", "4")]
    path = write_csv(tmp_path / "k.csv", KELUARGA_HEADER, rows)
    out = run(settings, "ingest", "keluarga", str(path), "--period", "2025-Q4", "--json")
    assert out.returncode == 0, out.stderr
    report = json.loads(out.stdout)
    assert (report["baris_dibaca"], report["baris_diterima"], report["baris_ditolak"]) == (3, 2, 1)
    assert Path(report["berkas_penolakan"]).exists()
    assert any("Kota Bontang" in reason for reason in report["ditolak_menurut_alasan"])
    assert run(settings, "publish").returncode == 0
    out = run(settings, "summary", "--period", "2025-Q4", "--level", "kelurahan", "--json")
    rows = json.loads(out.stdout)
    assert {r["kode_wilayah"]: r["jumlah_keluarga"] for r in rows} == {"61.71.01.1006": 1, "61.71.03.1002": 1}
    for key in (
        "kode_wilayah",
        "nama_wilayah",
        "periode",
        "jumlah_keluarga",
        "jumlah_jiwa",
        "keluarga_fakir_miskin",
        "keluarga_desil_1_4",
    ):
        assert key in rows[0]
    text = run(settings, "summary", "--period", "Triwulan IV 2025", "--level", "kota")
    assert "Kota Pontianak" in text.stdout


def test_unusable_file_exits_2_with_an_indonesian_message(settings, tmp_path):
    path = tmp_path / "kosong.csv"
    path.write_text("")
    out = run(settings, "ingest", "keluarga", str(path), "--period", "2025-Q4")
    assert out.returncode == 2 and "Berkas kosong" in out.stderr


def test_bad_period_exits_2(settings, tmp_path):
    path = write_csv(tmp_path / "k.csv", KELUARGA_HEADER, [keluarga_row(1)])
    out = run(settings, "ingest", "keluarga", str(path), "--period", "kemarin")
    assert out.returncode == 2 and "Periode tidak sah" in out.stderr


def test_busy_lock_exits_3(settings, tmp_path):
    path = write_csv(tmp_path / "k.csv", KELUARGA_HEADER, [keluarga_row(1)])
    with exclusive(settings, "uji"):
        out = run(settings, "ingest", "keluarga", str(path), "--period", "2025-Q4")
    assert out.returncode == 3 and "Proses lain" in out.stderr


def test_summary_without_a_lake_explains_what_to_do(settings):
    out = run(settings, "summary", "--period", "2025-Q4", "--level", "kota")
    assert out.returncode == 2 and "Belum ada data yang diterbitkan" in out.stderr


def test_command_line_uploads_and_publishes_are_audited(settings, tmp_path):
    from pipelines.access import audit

    path = write_csv(tmp_path / "k.csv", KELUARGA_HEADER, [keluarga_row(1)])
    assert run(settings, "ingest", "keluarga", str(path), "--period", "2025-Q4", "--user", "budi").returncode == 0
    assert run(settings, "publish", "--user", "budi").returncode == 0
    actions = [(e["pengguna"], e["aksi"]) for e in audit.entries(settings)]
    assert ("budi", "unggah") in actions and ("budi", "terbitkan") in actions
