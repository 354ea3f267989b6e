"""The overview's sentences and warnings, on small frames whose answer is known."""

from __future__ import annotations

import pandas as pd

from pipelines.formatting import angka, persen, perubahan
from pipelines.read import insights

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
        "Lama: data terakhir diperbarui 2 Agustus 2025, sebelum Triwulan IV 2025 dimulai.",
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


def test_programmes_name_the_area_and_the_families_reached_there():
    programmes = pd.DataFrame(
        [
            {
                "periode": "2025-Q4",
                "kode_program": "A",
                "nama_program": "Bedah rumah",
                "opd": "Perkim",
                "capaian": 0.2,
                "realisasi": 2,
                "target": 10,
                "satuan": "unit",
                "keluarga_terjangkau": 3,
            }
        ]
    )
    [late] = insights.late_programmes(programmes, "2025-Q4", "Kelurahan Akcaya")
    assert late.text == (
        "Bedah rumah (Perkim) di Kelurahan Akcaya: capaian keluaran 20% dari target (2 dari 10 unit); "
        "3 keluarga terjangkau."
    )


QUALITY = pd.DataFrame(
    [
        {"kode_kelurahan": "61.71.01.1006", "kode_kecamatan": "61.71.01", "nama_kelurahan": "Akcaya"},
        {"kode_kelurahan": "61.71.01.1001", "kode_kecamatan": "61.71.01", "nama_kelurahan": "Benuamelayu Darat"},
        {"kode_kelurahan": "61.71.03.1002", "kode_kecamatan": "61.71.03", "nama_kelurahan": "Sungaijawi Dalam"},
    ]
).assign(periode="2025-Q4", terakhir_diperbarui=None)


def test_quality_of_an_area_is_its_own_kelurahan():
    def names(kode):
        return list(insights.quality_in_area(QUALITY, kode)["nama_kelurahan"])

    assert names("61.71") == ["Akcaya", "Benuamelayu Darat", "Sungaijawi Dalam"]
    assert names("61.71.01") == ["Akcaya", "Benuamelayu Darat"]
    assert names("61.71.01.1006") == ["Akcaya"]
    assert names("61.71.01.1006.002.003") == ["Akcaya"]  # an RT: the kelurahan it lies in


def test_a_stale_kelurahan_is_one_warning_and_a_fresh_one_names_its_old_rt():
    rts = pd.DataFrame(
        [
            {"kode_wilayah": "61.71.01.1006.001.003", "nama_wilayah": "RT 003 / RW 001", "tanggal": "2025-08-01"},
            {"kode_wilayah": "61.71.01.1006.002.001", "nama_wilayah": "RT 001 / RW 002", "tanggal": "2025-11-01"},
        ]
    ).rename(columns={"tanggal": "terakhir_diperbarui"})
    rts["periode"] = "2025-Q4"
    none = pd.DataFrame(columns=["periode", "capaian"])
    kwargs = dict(watched=pd.DataFrame(), rt_rows=rts, programmes=none, programme_place="Kelurahan Akcaya")
    akcaya = insights.quality_in_area(QUALITY, "61.71.01.1006")
    stale = insights.early_warnings("kelurahan", "2025-Q4", PERIODS, quality=akcaya, **kwargs)
    assert [w.text for w in stale] == ["Akcaya: belum ada data keluarga untuk Triwulan IV 2025."]
    fresh = akcaya.assign(terakhir_diperbarui="2025-12-01")
    found = insights.early_warnings("kelurahan", "2025-Q4", PERIODS, quality=fresh, **kwargs)
    assert [w.nama for w in found] == ["RT 003 / RW 001"]
    assert "data terakhir diperbarui 1 Agustus 2025" in found[0].text


def test_a_figure_without_data_is_missing_and_says_which_upload_fills_it():
    area = pd.DataFrame(
        [{"periode": "2025-Q4", "jumlah_keluarga": 10, "keluarga_desil_1": 0, "keluarga_tanpa_jaminan_kesehatan": None}]
    )
    heads = {h.key: h for h in insights.headlines(area, "2025-Q4", PERIODS)}
    assert not heads["keluarga_desil_1"].missing and heads["keluarga_desil_1"].share == 0
    jkn = heads["keluarga_tanpa_jaminan_kesehatan"]
    assert jkn.missing and jkn.share is None
    assert jkn.filled_by == "diisi dari unggahan Data keluarga (DTSEN / P3KE), kolom Jaminan Kesehatan"
    assert insights.filled_by("keluarga_rtlh").endswith(
        "kolom Jenis Lantai, Jenis Dinding, Jenis Atap atau Luas Lantai (m2)"
    )


def test_indonesian_number_formats():
    assert angka(1234567.8) == "1.234.568" and angka(1234.5, 1) == "1.234,5"
    assert persen(0.042) == "4,2%"
    assert perubahan(92, 100) == "-8%" and perubahan(100, 100) == "tetap" and perubahan(997, 1000) == "-0,3%"
    assert perubahan(5, 0) == "baru muncul" and perubahan(None, 3) is None
