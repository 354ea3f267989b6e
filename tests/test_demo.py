"""The synthetic demo city: deterministic files, a realistic published lake, and the known truth.

One small Pontianak build (in this process) and one small Bontang build (in a child
process, side by side on the second core) serve most tests.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pytest

from demo import build_demo
from demo.build import TRUTH_FILE, generate
from demo.geography import build_layout
from demo.ids import compose, days
from pipelines.cities import get_city
from pipelines.ingestion.ingest import ingest
from pipelines.ingestion.readers import FileRejected
from pipelines.lake import registry
from pipelines.lake.publish import PublishError, publish
from pipelines.settings import Settings, get_settings
from pipelines.state import active_city
from tests.conftest import HASH_KEY, point_at

ROOT = Path(__file__).absolute().parents[1]
SCALE = 0.02
QUARTERS = ["2024-Q1", "2024-Q2", "2024-Q3", "2024-Q4", "2025-Q1", "2025-Q2", "2025-Q3", "2025-Q4"]


@dataclass
class Built:
    settings: Settings
    result: dict
    truth: dict


def _env_for(data_dir: Path) -> dict:
    env = {k: v for k, v in os.environ.items() if k != "TKPKD_KOTA"}
    return {**env, "TKPKD_DATA_DIR": str(data_dir), "TKPKD_HASH_KEY": HASH_KEY}


@pytest.fixture(scope="module")
def builds(tmp_path_factory):
    bontang_dir = tmp_path_factory.mktemp("bontang") / "data"
    child = subprocess.Popen(
        [sys.executable, "-m", "pipelines", "demo", "--city", "64.74", "--scale", str(SCALE), "--json"],
        cwd=ROOT,
        env=_env_for(bontang_dir),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        with pytest.MonkeyPatch.context() as mp:
            point_at(mp, tmp_path_factory.mktemp("pontianak") / "data")
            settings = get_settings()
            result = build_demo(get_city("61.71"), settings=settings, scale=SCALE, seed=2025, progress=False)
    finally:
        out, err = child.communicate(timeout=900)
    truth = json.loads(Path(result["kebenaran"]).read_text(encoding="utf-8"))
    return {"pontianak": Built(settings, result, truth), "bontang": (child.returncode, out, err, bontang_dir)}


def _lake(settings: Settings, table: str) -> str:
    manifest = json.loads((settings.lake_dir / "manifest.json").read_text(encoding="utf-8"))
    return str(settings.lake_dir / "versions" / manifest["versi"] / manifest["tabel"][table]["berkas"])


def _kota(settings: Settings) -> pd.DataFrame:
    return duckdb.sql(f"SELECT * FROM '{_lake(settings, 'indikator')}' WHERE level = 'kota' ORDER BY periode").df()


def _hashes(folder: Path) -> dict[str, str]:
    return {
        p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir()) if p.name != TRUTH_FILE
    }


def test_same_seed_gives_byte_identical_files_and_another_seed_different_ones(builds, tmp_path):
    built = builds["pontianak"]
    city = get_city("61.71")
    generate(city, tmp_path / "again", scale=SCALE, seed=2025)
    generate(city, tmp_path / "other", scale=SCALE, seed=7)
    first = _hashes(built.settings.demo_dir / city.slug)
    assert _hashes(tmp_path / "again") == first
    other = _hashes(tmp_path / "other")
    assert other.keys() == first.keys()
    assert all(other[name] != digest for name, digest in first.items() if name.startswith(("DTSEN", "SIKSNG", "P3KE")))


def test_published_lake_has_eight_quarters_and_all_29_kelurahan(builds):
    settings = builds["pontianak"].settings
    manifest = json.loads((settings.lake_dir / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["periode"] == QUARTERS
    per_period = duckdb.sql(
        f"SELECT periode, count(DISTINCT kode_wilayah) AS n FROM '{_lake(settings, 'indikator')}' "
        "WHERE level = 'kelurahan' GROUP BY periode"
    ).df()
    assert sorted(per_period["periode"]) == QUARTERS
    assert (per_period["n"] == 29).all()


def test_desil_1_share_starts_near_the_bps_poverty_rate(builds):
    kota = _kota(builds["pontianak"].settings).set_index("periode")
    share = kota["keluarga_desil_1"] / kota["jumlah_keluarga"]
    assert 0.036 <= share["2024-Q1"] <= 0.048
    assert 0.18 <= kota.loc["2024-Q1", "keluarga_desil_1_4"] / kota.loc["2024-Q1", "jumlah_keluarga"] <= 0.27


def test_published_counts_agree_with_the_known_truth(builds):
    built = builds["pontianak"]
    kota = _kota(built.settings).set_index("periode")
    for period, truth in built.truth["kota_per_periode"].items():
        assert kota.loc[period, "jumlah_keluarga"] == pytest.approx(truth["keluarga_terbit_diharapkan"], rel=0.005)
        assert kota.loc[period, "keluarga_desil_1"] == pytest.approx(truth["keluarga_desil_1"], abs=3)
        fm = kota.loc[period, "keluarga_fakir_miskin"]
        assert fm == pytest.approx(truth["keluarga_fakir_miskin"], rel=0.05, abs=3)
        assert 0.01 < fm / kota.loc[period, "jumlah_keluarga"] < 0.08


def test_truth_lists_the_programmes_with_one_zero_effect_and_one_badly_targeted(builds):
    programmes = builds["pontianak"].truth["program"]
    codes = {p["kode"] for p in programmes}
    assert {"PKH", "BPNT", "BSPS", "SR-MBR", "JAMBAN", "PBI-DAERAH", "UMKM"} <= codes
    assert [p["kode"] for p in programmes if p["efek_benar"] == 0] == ["SOS-WIRAUSAHA"]
    assert max(programmes, key=lambda p: p["persen_penerima_desil_6_10"])["kode"] == "BERAS-PEMKOT"
    assert any(p["kelurahan_di_bawah_target"] for p in programmes)
    for p in programmes:
        assert p["hasil"] in ("naik_desil", "rtlh", "air", "sanitasi", "jaminan_kesehatan", "rawan_pangan")
        cohorts = p["efek_terealisasi_per_kohort"].values()
        base = sum(c["dasar"] for c in cohorts)
        if base >= 30:
            assert sum(c["diperbaiki"] for c in cohorts) / base == pytest.approx(p["efek_benar"], abs=0.08)


def test_every_family_list_is_mostly_accepted_but_never_spotless(builds):
    uploads = [u for u in registry.uploads(builds["pontianak"].settings) if u["sumber"] == "keluarga"]
    assert len(uploads) >= 8
    for u in uploads:
        assert u["baris_diterima"] / u["baris_dibaca"] > 0.98, u["nama_berkas"]
        assert u["baris_ditolak"] > 0, u["nama_berkas"]


def test_unrecognised_headers_need_the_mapping_file_written_beside_them(builds, settings):
    files = [f for f in builds["pontianak"].truth["berkas"] if f["pemetaan"]]
    assert {f["sumber"] for f in files} == {"keluarga", "verval"}
    assert all(f["baris_diterima"] > 0 for f in files)
    folder = builds["pontianak"].settings.demo_dir / "pontianak"
    keluarga = next(f for f in files if f["sumber"] == "keluarga")
    with pytest.raises(FileRejected):
        ingest("keluarga", folder / keluarga["berkas"], keluarga["periode"], settings=settings, city=get_city("61.71"))


def test_bontang_builds_with_its_15_kelurahan_and_no_rw_level(builds):
    code, out, err, data_dir = builds["bontang"]
    assert code == 0, err
    assert json.loads(out)["kota"] == "Kota Bontang"
    indikator = next((data_dir / "lake" / "versions").glob("v*/indikator.parquet"))
    levels = (
        duckdb.sql(f"SELECT level, count(DISTINCT kode_wilayah) AS n FROM '{indikator}' GROUP BY level")
        .df()
        .set_index("level")["n"]
    )
    assert "rw" not in levels.index
    assert levels["kelurahan"] == 15 and levels["kecamatan"] == 3
    assert 0 < levels["rt"] <= 499


def test_a_data_dir_holding_another_citys_uploads_is_refused(builds):
    settings = builds["pontianak"].settings
    with pytest.raises(PublishError, match="kota lain"):
        build_demo(get_city("64.74"), settings=settings, scale=SCALE, progress=False)
    assert active_city(settings).kode == "61.71"


def test_layout_has_each_kelurahans_real_rw_and_rt_counts_at_full_scale():
    calibration = pd.read_csv(ROOT / "data/reference/calibration/pontianak_kelurahan_rw_rt.csv", dtype=str)
    layout = build_layout(get_city("61.71"), 1.0, np.random.default_rng(1))
    expected = dict(zip(calibration["kode_kemendagri"], calibration["rt"].astype(int)))
    assert dict(zip(layout.kode, layout.n_rt.tolist())) == expected
    assert layout.families.sum() == 196_000
    for k in range(len(layout.kode)):
        rws = layout.rt_rw[layout.rt_kel == k]
        assert sorted(set(rws.tolist())) == list(range(1, layout.n_rw[k] + 1))


def test_ids_carry_region_date_and_a_serial_and_never_repeat():
    import datetime as dt

    born = np.array([days(dt.date(1985, 3, 7))] * 3)
    niks = compose(np.array([617101] * 3), born, np.array([0, 1, 1]))
    assert [str(n) for n in niks] == ["6171010703850001", "6171014703850001", "6171014703850002"]


def test_family_tables_hold_one_row_per_family_and_period(builds):
    """The family tables' sort key ends in kk_hash because it is unique per period (publish.UNIQUE_KEY)."""
    settings = builds["pontianak"].settings
    for table in ("keluarga", "keluarga_pribadi"):
        rows, distinct = duckdb.sql(
            f"SELECT count(*), count(DISTINCT (periode, kk_hash)) FROM '{_lake(settings, table)}'"
        ).fetchall()[0]
        assert rows == distinct > 0, table


def test_publishing_the_same_uploads_again_gives_the_same_bytes(builds):
    settings = builds["pontianak"].settings
    first, second = publish(settings=settings), publish(settings=settings)
    assert first["sidik_isi"] == second["sidik_isi"]


def test_generated_files_share_disk_with_their_raw_copies(builds):
    settings = builds["pontianak"].settings
    files = [p for p in (settings.demo_dir / "pontianak").iterdir() if p.suffix in (".csv", ".xlsx")]
    assert files
    raw_inodes = {p.stat().st_ino for p in settings.raw_dir.rglob("*") if p.is_file()}
    assert all(p.stat().st_ino in raw_inodes for p in files)


def test_demo_is_never_written_beside_real_uploads(small_city):
    from demo import build_demo
    from pipelines.lake.publish import PublishError

    before = sorted(p.name for p in small_city.raw_dir.rglob("*"))
    with pytest.raises(PublishError, match="data asli"):
        build_demo(get_city("61.71"), settings=small_city, scale=0.01, progress=False)
    assert sorted(p.name for p in small_city.raw_dir.rglob("*")) == before
    assert not small_city.demo_dir.exists()
