"""Shared fixtures: every test gets its own data directory; nothing touches ./data."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from pipelines.ingestion.ingest import ingest
from pipelines.settings import get_settings
from tests.builders import KELUARGA_HEADER, keluarga_row, kk, nik, write_csv

HASH_KEY = "00" * 32


def point_at(env: pytest.MonkeyPatch, data_dir: Path, city: str | None = None) -> None:
    """Settings for `data_dir` (and `city`, else the default), with the tests' fixed hash key."""
    env.setenv("TKPKD_DATA_DIR", str(data_dir))
    env.setenv("TKPKD_HASH_KEY", HASH_KEY)
    if city:
        env.setenv("TKPKD_KOTA", city)
    else:
        env.delenv("TKPKD_KOTA", raising=False)


@pytest.fixture
def settings(tmp_path, monkeypatch):
    point_at(monkeypatch, tmp_path / "data")
    return get_settings()


VERVAL_HEADER = ["NIK", "No KK", "Nama", "Kelurahan", "RW", "RT"] + [f"K{i}" for i in range(1, 9)]


@pytest.fixture(scope="session")
def small_city_template(tmp_path_factory):
    """The small city ingested once per test session (its uploads, staged files and register)."""
    root = tmp_path_factory.mktemp("kota_kecil")
    with pytest.MonkeyPatch.context() as env:
        point_at(env, root / "data")
        make_small_city(get_settings(), root)
    return root


@pytest.fixture
def small_city(settings, tmp_path, small_city_template):
    """A copy of the ingested small city in this test's own data folder: each test may upload, publish
    and write as it likes, without paying for the four ingests again."""
    shutil.copytree(small_city_template / "data", settings.data_dir, dirs_exist_ok=True)
    for source in small_city_template.glob("*.csv"):
        shutil.copy2(source, tmp_path / source.name)
    # Staged reports name their rejects and notes files by full path: point them at the copy.
    for report in settings.staging_dir.glob("*/laporan.json"):
        text = report.read_text(encoding="utf-8")
        report.write_text(text.replace(str(small_city_template / "data"), str(settings.data_dir)), encoding="utf-8")
    return settings


def make_small_city(settings, tmp_path):
    """Ingest a small city: two kelurahan, two quarters; truth known by construction.

    2025-Q3: Akcaya RW1/RT1: families 1 (desil 1, earth floor), 2 (desil 3), 3 (desil 7, PKH);
             Sei Jawi Dalam RW5/RT5: family 4 (desil 2, river water).
    2025-Q4: family 1 moved up to desil 2, family 5 joins Akcaya; family 4 unchanged.
    Verval 2025-Q3: a member of family 2 meets 7 criteria (FM); family 6 is found only by verval.
    Receipts 2025-Q4: family 1 gets BSPS (by No KK), family 4 gets PKH (by the head's NIK).
    """
    q3 = [
        keluarga_row(1, desil="1", lantai="Tanah"),
        keluarga_row(2, desil="3"),
        keluarga_row(3, desil="7", pkh="Ya"),
        keluarga_row(4, "Sei Jawi Dalam", "5", "5", "2", air="Sungai"),
    ]
    q4 = [
        keluarga_row(1, desil="2", lantai="Tanah"),
        keluarga_row(2, desil="3"),
        keluarga_row(3, desil="7", pkh="Ya"),
        keluarga_row(4, "Sei Jawi Dalam", "5", "5", "2", air="Sungai"),
        keluarga_row(5, desil="4"),
    ]
    ingest("keluarga", write_csv(tmp_path / "q3.csv", KELUARGA_HEADER, q3), "2025-Q3", settings=settings)
    ingest("keluarga", write_csv(tmp_path / "q4.csv", KELUARGA_HEADER, q4), "2025-Q4", settings=settings)
    verval = [
        [nik(21), kk(2), "Anggota Dua", "Akcaya", "1", "1", *(["Ya"] * 7), "Tidak"],
        [nik(61), kk(6), "Warga Enam", "Akcaya", "1", "2", *(["Ya"] * 6), "Tidak", "Tidak"],
    ]
    ingest("verval", write_csv(tmp_path / "verval.csv", VERVAL_HEADER, verval), "2025-Q3", settings=settings)
    receipts = [[kk(1), "", "BSPS", "10/11/2025", "20.000.000"], ["", nik(4), "PKH", "15/11/2025", "750.000"]]
    ingest(
        "penerima",
        write_csv(tmp_path / "terima.csv", ["No KK", "NIK", "Kode Program", "Tanggal", "Nilai"], receipts),
        "2025-Q4",
        settings=settings,
    )
    return settings


@pytest.fixture(scope="module")
def browser():
    """Debian's Chromium driven by Playwright, one per test module (browser tests only)."""
    from playwright.sync_api import sync_playwright

    from tests.browser import CHROMIUM, CHROMIUM_ARGS

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()
