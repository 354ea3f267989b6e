"""The overview's sentences and warnings, on small frames whose answer is known."""

from __future__ import annotations

import pandas as pd

from pipelines import insights
from pipelines.formatting import angka, persen, perubahan

PERIODS = ["2025-Q1", "2025-Q2", "2025-Q3", "2025-Q4"]


def rows(kode, nama, desil1, total=100):
    return [
        {"kode_wilayah": kode, "nama_wilayah": nama, "periode": p, "keluarga_desil_1": d, "jumlah_keluarga": total}
        for p, d in zip(PERIODS, desil1)
    ]


def test_worsening_two_periods_running_is_flagged_and_noise_is_not():
    frame = pd.DataFrame(
        rows("a", "Akcaya", [5, 5, 6, 7])
        + rows("b", "Tengah", [5, 6, 5, 6])
        + rows("c", "Kecil", [1, 2, 3, 4], total=10)
    )
    found = insights.worsening(frame, "2025-Q4", PERIODS)
    assert [w.nama for w in found] == ["Akcaya"]  # Tengah went up and down; Kecil is too small
    assert "5,0% → 6,0% → 7,0%" in found[0].text


def test_sub_area_changes_and_narrative_name_where_it_moved():
    frame = pd.DataFrame(rows("a", "Akcaya", [5, 5, 6, 8]) + rows("b", "Tengah", [5, 5, 6, 4]))
    changes = insights.sub_area_changes(frame, "2025-Q4", PERIODS)
    assert changes.iloc[0]["nama_wilayah"] == "Akcaya" and round(changes.iloc[0]["selisih_porsi"], 3) == 0.02
    city = pd.DataFrame(
        [{"periode": p, "keluarga_desil_1": v, "jumlah_keluarga": 200} for p, v in zip(PERIODS, [10, 10, 12, 12])]
    )
    heads = insights.headlines(city, "2025-Q4", PERIODS)
    lines = insights.narrative("Kota Uji", "2025-Q4", PERIODS, heads, changes, "kelurahan")
    assert lines[0].startswith("Kota Uji mencatat 12 keluarga desil 1 (6,0% dari semua keluarga)")
    assert "tidak berubah sejak Triwulan III 2025" in lines[0]
    assert any("naik di 1 kelurahan: Akcaya" in line for line in lines)
    assert any("Turun di 1 kelurahan, paling banyak di Tengah" in line for line in lines)


def test_stale_and_missing_data_are_warned():
    quality = pd.DataFrame(
        [
            {
                "kode_kelurahan": "x",
                "nama_kelurahan": "Lama",
                "periode": "2025-Q4",
                "terakhir_diperbarui": "2025-08-02",
            },
            {
                "kode_kelurahan": "y",
                "nama_kelurahan": "Baru",
                "periode": "2025-Q4",
                "terakhir_diperbarui": "2025-11-02",
            },
            {"kode_kelurahan": "z", "nama_kelurahan": "Kosong", "periode": "2025-Q4", "terakhir_diperbarui": None},
        ]
    )
    texts = [w.text for w in insights.stale_data(quality, "2025-Q4")]
    assert texts == [
        "Lama: data terakhir diperbarui 02/08/2025, sebelum Triwulan IV 2025 dimulai.",
        "Kosong: belum ada data keluarga untuk Triwulan IV 2025.",
    ]


def test_programmes_below_80_percent_of_target_are_late():
    programmes = pd.DataFrame(
        [
            {
                "periode": "2025-Q4",
                "kode_program": "A",
                "nama_program": "Bedah rumah",
                "opd": "Perkim",
                "capaian": 0.5,
                "realisasi": 50,
                "target": 100,
                "satuan": "unit",
            },
            {
                "periode": "2025-Q4",
                "kode_program": "B",
                "nama_program": "PKH",
                "opd": "Dinsos",
                "capaian": 0.95,
                "realisasi": 95,
                "target": 100,
                "satuan": "KK",
            },
        ]
    )
    [late] = insights.late_programmes(programmes, "2025-Q4")
    assert late.text == "Bedah rumah (Perkim): capaian keluaran 50% dari target (50 dari 100 unit)."


def test_indonesian_number_formats():
    assert angka(1234567.8) == "1.234.568" and angka(1234.5, 1) == "1.234,5"
    assert persen(0.042) == "4,2%"
    assert perubahan(92, 100) == "-8%" and perubahan(100, 100) == "tetap" and perubahan(997, 1000) == "-0,3%"
    assert perubahan(5, 0) == "baru muncul" and perubahan(None, 3) is None
