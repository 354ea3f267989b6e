"""Programme evaluation: the precomputed cells, the estimates and the command, on data whose truth is known.

`make_programme_city` builds a small city where every number is known by construction; the
known-truth test builds the synthetic demo city, whose generator sets each programme's true effect.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from pipelines.access.scope import OutOfScope, Scope
from pipelines.evaluation.programmes import evaluate
from pipelines.evaluation.stats import MIN_TREATED, estimate
from pipelines.evaluation.text import QUADRANTS, verdict
from pipelines.ingestion.ingest import ingest
from pipelines.lake.publish import publish
from pipelines.read.query import LakeReader
from tests.builders import KELUARGA_HEADER, keluarga_row, kk, write_csv

ROOT = Path(__file__).resolve().parent.parent
PROGRAM_HEADER = [
    "Kode Program",
    "Nama Program",
    "OPD",
    "Kebutuhan Dasar",
    "Satuan",
    "Target",
    "Realisasi",
    "Anggaran (Rp)",
    "Realisasi Anggaran (Rp)",
    "Jumlah Kegiatan",
    "Sasaran Desil Maksimum",
    "Periode",
    "Lokasi (Kelurahan)",
]


def _family(i: int, period: str) -> list[str]:
    """Families 1-200 desil 2 with an earth floor (RTLH); 201-210 desil 7; 211-220 new in 2025-Q4."""
    desil, floor = ("7", "Keramik") if 201 <= i <= 210 else ("2", "Tanah")
    if period == "2025-Q4":
        if i <= 36 or 41 <= i <= 56:  # BSPS fixed 36 of its 40 houses; 16 of the 160 others were fixed anyway
            floor = "Keramik"
        if 81 <= i <= 84 or 121 <= i <= 136:  # 4 of 40 SOS participants and 16 of 160 others moved up
            desil = "3"
    return keluarga_row(i, desil=desil, lantai=floor)


def make_programme_city(settings, tmp_path):
    """Three quarters in Kelurahan Akcaya; truth by construction.

    BSPS reaches families 1-40 in 2025-Q3: 36 of them (90%) leave RTLH by 2025-Q4 against 16 of the
    160 comparable families (10%): effect 0,8. Budget Rp800 juta for 40 families: Rp20 juta each,
    Rp25 juta per house made decent. SOS (a talk) reaches families 81-120: 10% of them move up a
    decile, as do 10% of the 160 others: effect 0. In 2025-Q4 SOS reaches 10 desil-7 families (all
    inclusion errors) and BSPS 10 new desil-2 families, so 200 of 210 eligible families get nothing.
    """
    ids = {"2025-Q2": range(1, 211), "2025-Q3": range(1, 211), "2025-Q4": range(1, 221)}
    for period, members in ids.items():
        rows = [_family(i, period) for i in members]
        rows = rows[::-1] if period == "2025-Q3" else rows  # the same content twice is refused as one file
        ingest("keluarga", write_csv(tmp_path / f"k-{period}.csv", KELUARGA_HEADER, rows), period, settings=settings)
    receipts = [[kk(i), "BSPS", "15/08/2025", "20.000.000"] for i in range(1, 41)]
    receipts += [[kk(i), "SOS", "16/08/2025", "0"] for i in range(81, 121)]
    receipts += [[kk(i), "SOS", "15/11/2025", "0"] for i in range(201, 211)]
    receipts += [[kk(i), "BSPS", "16/11/2025", "20.000.000"] for i in range(211, 221)]
    path = write_csv(tmp_path / "terima.csv", ["No KK", "Kode Program", "Tanggal", "Nilai"], receipts)
    ingest("penerima", path, "2025-Q3", settings=settings)
    bsps = ["BSPS", "Bedah Rumah BSPS", "Dinas Perkim", "Rumah Layak Huni", "unit"]
    sos = ["SOS", "Sosialisasi Kewirausahaan", "Dinas Koperasi", "Pemberdayaan Ekonomi", "orang"]
    program = [
        [*bsps, "40", "40", "800.000.000", "800.000.000", "4", "5", "2025-Q3", "Akcaya"],
        [*sos, "40", "40", "20.000.000", "20.000.000", "2", "6", "2025-Q3", "Akcaya"],
        [*bsps, "20", "10", "400.000.000", "200.000.000", "1", "5", "2025-Q4", "Akcaya"],
        [*sos, "8", "10", "10.000.000", "10.000.000", "1", "6", "2025-Q4", "Akcaya"],
    ]
    ingest("program", write_csv(tmp_path / "program.csv", PROGRAM_HEADER, program), "2025-Q4", settings=settings)
    partner = [["Baznas Kota", "Baznas", "Santunan modal usaha", "50", "25.000.000", "20", "Akcaya", "10/11/2025"]]
    header = [
        "Organisasi",
        "Kategori",
        "Kegiatan",
        "Jumlah Peserta",
        "Nilai Donasi (Rp)",
        "Jumlah Penerima Manfaat",
        "Kelurahan",
        "Tanggal",
    ]
    ingest("kontribusi", write_csv(tmp_path / "mitra.csv", header, partner), "2025-Q4", settings=settings)
    publish(settings=settings)
    return settings


@pytest.fixture
def programme_city(settings, tmp_path):
    return make_programme_city(settings, tmp_path)


def test_cells_count_first_receipts_against_families_not_reached(programme_city):
    cells = LakeReader(programme_city).evaluation_cells(Scope.whole_city())
    house = cells[(cells["kode_program"] == "BSPS") & (cells["hasil"] == "rtlh")]
    assert house[["penerima", "penerima_membaik", "pembanding", "pembanding_membaik"]].sum().tolist() == [
        40,
        36,
        160,
        16,
    ]
    assert set(house["periode_kohort"]) == {"2025-Q3"}  # 2025-Q4 recipients have no "after" yet
    talk = cells[(cells["kode_program"] == "SOS") & (cells["hasil"] == "naik_desil")]
    assert talk[["penerima", "penerima_membaik", "pembanding", "pembanding_membaik"]].sum().tolist() == [40, 4, 160, 16]


def test_known_effects_costs_and_quadrants_of_the_small_city(programme_city):
    ev = evaluate(LakeReader(programme_city), Scope.whole_city(), "2025-Q4")
    rows = ev.programmes.set_index("kode_program")
    assert rows.loc["BSPS", "efek"] == pytest.approx(0.8)
    assert rows.loc["BSPS", "status"] == "positif" and rows.loc["BSPS", "batas_bawah"] > 0.6
    assert rows.loc["BSPS", "biaya_per_hasil"] == pytest.approx(25_000_000)
    # 50 of 60 houses over 2025-Q3 and 2025-Q4 (10 of 20 in the last quarter): below nine in ten.
    assert rows.loc["BSPS", "capaian"] == pytest.approx(50 / 60)
    assert rows.loc["BSPS", "kuadran"] == QUADRANTS[False, True]
    assert rows.loc["SOS", "efek"] == pytest.approx(0.0)
    assert rows.loc["SOS", "status"] == "tidak_jelas" and pd.isna(rows.loc["SOS", "biaya_per_hasil"])
    assert rows.loc["SOS", "kuadran"] == QUADRANTS[True, False]
    assert rows.loc["SOS", "galat_inklusi"] == 1.0 and rows.loc["BSPS", "galat_inklusi"] == 0.0
    assert (rows.loc["BSPS", "realisasi"], rows.loc["BSPS", "target"], rows.loc["BSPS", "keluarga_baru"]) == (
        10,
        20,
        10,
    )
    assert list(ev.programmes["kode_program"]) == ["BSPS", "SOS"]  # effective first
    now = ev.area_trend[ev.area_trend["periode"] == "2025-Q4"].iloc[0]
    assert (now["galat_eksklusi"], now["keluarga_layak_bantuan"]) == (200, 210)
    partners = ev.contributions.set_index("pelaku")
    assert partners.loc["Baznas Kota", ["peserta", "rupiah", "penerima_manfaat"]].tolist() == [50, 25_000_000, 20]


def test_queries_stay_inside_the_scope(programme_city):
    lake = LakeReader(programme_city)
    assert lake.evaluation_cells(Scope("61.71.03")).empty
    assert lake.programme_outputs(Scope("61.71.03")).empty
    assert len(lake.evaluation_cells(Scope("61.71.01")))
    with pytest.raises(OutOfScope):
        lake.programme_outputs(Scope("61.71.03"), area="61.71.01.1006")


def _cells(effect: float, *, n: int = 400, programme: str = "P", seed: int = 1) -> pd.DataFrame:
    """Synthetic strata: base improvement rates 10-40%, the treated's raised by `effect`."""
    rng = np.random.default_rng(seed)
    rows = []
    for s, base in enumerate((0.1, 0.2, 0.3, 0.4)):
        kt = rng.binomial(n, min(base + effect, 1.0))
        kc = rng.binomial(10 * n, base)
        rows.append(
            dict(
                kode_program=programme,
                periode_kohort="2025-Q2",
                periode_sebelum="2025-Q1",
                periode_sesudah="2025-Q3",
                hasil="naik_desil",
                kode_kecamatan="61.71.01",
                kode_kelurahan="61.71.01.1006",
                desil_awal=s + 1,
                fm_awal=-1,
                butuh_awal=0,
                penerima=n,
                penerima_membaik=kt,
                periode_terima=n,
                pembanding=10 * n,
                pembanding_membaik=kc,
            )
        )
    return pd.DataFrame(rows)


def test_estimate_recovers_an_effect_and_does_not_invent_one():
    found = estimate(pd.concat([_cells(0.2, programme="A"), _cells(0.0, programme="B")])).set_index("kode_program")
    assert found.loc["A", "batas_bawah"] < 0.2 < found.loc["A", "batas_atas"] and found.loc["A", "status"] == "positif"
    assert (
        found.loc["B", "batas_bawah"] < 0 < found.loc["B", "batas_atas"] and found.loc["B", "status"] == "tidak_jelas"
    )
    assert "Tidak terlihat perbedaan yang meyakinkan" in verdict(
        found.loc["B"].to_dict() | {"hasil": "naik_desil"}, "B"
    )


def test_interval_is_the_same_every_time_and_whatever_else_is_in_view():
    alone = estimate(_cells(0.2, programme="A"))
    together = estimate(pd.concat([_cells(0.1, programme="Z", seed=3), _cells(0.2, programme="A")]))
    assert alone.iloc[0]["batas_bawah"] == together.set_index("kode_program").loc["A", "batas_bawah"]
    assert alone.equals(estimate(_cells(0.2, programme="A")))


def test_too_few_treated_families_say_so_instead_of_a_number():
    small = _cells(0.3, n=MIN_TREATED // 4 - 1)
    row = estimate(small).iloc[0].to_dict()
    assert row["status"] == "terlalu_kecil"
    assert verdict(row, "X").startswith("Kelompok pembanding terlalu kecil")


def _cli(settings, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "TKPKD_DATA_DIR": str(settings.data_dir), "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, "-m", "pipelines", "evaluasi", *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=120,
    )


def test_command_prints_the_same_figures_as_the_page(programme_city):
    out = _cli(programme_city, "--period", "Triwulan IV 2025", "--json")
    assert out.returncode == 0, out.stderr
    report = json.loads(out.stdout)
    bsps = next(p for p in report["program"] if p["kode_program"] == "BSPS")
    assert bsps["hasil"]["efek"] == pytest.approx(0.8) and bsps["hasil"]["pembanding"] == 160
    assert bsps["biaya_per_hasil"] == pytest.approx(25_000_000)
    assert bsps["sasaran"]["porsi_galat_inklusi"] == 0
    text = _cli(programme_city, "--period", "2025-Q4")
    assert "Rp25,0 juta per keluarga yang tidak lagi tinggal di rumah tidak layak huni" in text.stdout
    assert "Tidak terlihat perbedaan" in text.stdout or "tidak terlihat" in text.stdout.lower()


def test_command_refuses_an_unknown_period_and_a_missing_lake(programme_city, tmp_path):
    out = _cli(programme_city, "--period", "2023-Q4")
    assert out.returncode == 2 and "tidak ada di data terbit" in out.stderr
    empty = type(programme_city)(tmp_path / "kosong", None, "500MB", 2)
    out = _cli(empty, "--period", "2025-Q4")
    assert out.returncode == 2 and "Belum ada data" in out.stderr


@pytest.fixture(scope="module")
def demo_lake(tmp_path_factory):
    """The synthetic Pontianak at 15% scale: the smallest at which every real effect is told from zero."""
    from demo import build_demo
    from pipelines.cities import get_city
    from pipelines.settings import Settings

    root = tmp_path_factory.mktemp("demo")
    os.environ["TKPKD_HASH_KEY"] = "00" * 32
    settings = Settings(root / "data", None, "1GB", 2)
    result = build_demo(get_city("61.71"), settings=settings, scale=0.15, progress=False)
    return settings, json.loads(Path(result["kebenaran"]).read_text(encoding="utf-8"))


def test_estimates_recover_the_true_effects_of_the_demo_city(demo_lake):
    settings, truth = demo_lake
    ev = evaluate(LakeReader(settings), Scope.whole_city(), "2025-Q4")
    found = ev.estimates.set_index(["kode_program", "hasil"])
    for programme in truth["program"]:
        effects = [(programme["hasil"], programme["efek_benar"])]
        effects += [(e["hasil"], e["efek_benar"]) for e in programme["efek_lain"]]
        for outcome, true in effects:
            row = found.loc[(programme["kode"], outcome)]
            assert row["batas_bawah"] <= true <= row["batas_atas"], (programme["kode"], outcome, true, row.to_dict())
            assert row["status"] == ("positif" if true > 0 else "tidak_jelas"), (programme["kode"], row["status"])
    main = ev.programmes.set_index("kode_program")
    assert main.loc["SOS-WIRAUSAHA", "status"] != "positif"
    assert main.loc["SOS-WIRAUSAHA", "kuadran"] == QUADRANTS[True, False]
    assert main["galat_inklusi"].idxmax() == "BERAS-PEMKOT"
