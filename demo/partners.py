"""Partner contributions (source `kontribusi`) and area statistics (source `indikator_wilayah`).

Partners are fictional organisations of the five pentahelix kinds. Area statistics are the
real published city figures of the calibration data, with their sources, and for Bontang
the per-kelurahan stunting and extreme-poverty counts.
"""

from __future__ import annotations

import datetime as dt
import re

import numpy as np
import pandas as pd
import pyarrow as pa

from demo import ids, render
from demo.geography import CALIBRATION
from demo.writers import FileSpec, write_csv

PARTNERS = {
    "61.71": (
        ("PT Kapuas Sinar Berkah Abadi", "Dunia Usaha (CSR/TJSL)"),
        ("PT Borneo Agro Lestari Mandiri", "Dunia Usaha (CSR/TJSL)"),
        ("Bank Perkreditan Rakyat Tepian Jaya", "Dunia Usaha (CSR/TJSL)"),
        ("Lembaga Amil Zakat Cahaya Umat Khatulistiwa", "Masyarakat (Lembaga Zakat)"),
        ("Universitas Tanjung Harapan", "Akademisi (Perguruan Tinggi)"),
        ("Politeknik Muara Sejahtera", "Akademisi (Perguruan Tinggi)"),
        ("Radio Suara Parit 101,7 FM", "Media"),
        ("Komunitas Relawan Gang Sehat", "Masyarakat (Komunitas)"),
        ("Yayasan Peduli Tepian Kapuas", "Masyarakat (Yayasan)"),
    ),
    "64.74": (
        ("PT Teluk Energi Mandiri", "Dunia Usaha (CSR/TJSL)"),
        ("PT Pupuk Borneo Timur Raya", "Dunia Usaha (CSR/TJSL)"),
        ("Koperasi Nelayan Bahari Sejahtera", "Dunia Usaha (Koperasi)"),
        ("Lembaga Amil Zakat Insan Taqwa Bontang", "Masyarakat (Lembaga Zakat)"),
        ("Sekolah Tinggi Teknologi Kaltim Lestari", "Akademisi (Perguruan Tinggi)"),
        ("Harian Warta Pesisir Timur", "Media"),
        ("Komunitas Peduli Anak Pesisir", "Masyarakat (Komunitas)"),
    ),
}
ACTIVITIES = {
    "Dunia Usaha": (
        "Bedah rumah warga kurang mampu",
        "Paket sembako untuk keluarga rawan pangan",
        "Pelatihan menjahit untuk ibu rumah tangga",
        "Beasiswa anak keluarga miskin",
    ),
    "Masyarakat": (
        "Santunan keluarga fakir miskin",
        "Bantuan modal usaha mustahik",
        "Gotong royong perbaikan jamban",
        "Dapur sehat atasi stunting",
    ),
    "Akademisi": ("KKN tematik pendampingan UMKM", "Pemeriksaan kesehatan gratis", "Pelatihan pemasaran digital"),
    "Media": ("Kampanye cegah stunting", "Dialog interaktif pengentasan kemiskinan"),
}
INDICATORS = {
    "poverty_rate": ("Persentase penduduk miskin (P0)", "persen"),
    "poverty_line_rp_per_capita_month": ("Garis kemiskinan", "Rp/kapita/bulan"),
    "gini_ratio": ("Rasio Gini", "rasio"),
    "ipm_hdi": ("Indeks Pembangunan Manusia", "indeks"),
    "open_unemployment_rate": ("Tingkat pengangguran terbuka", "persen"),
    "extreme_poverty": ("Persentase penduduk miskin ekstrem", "persen"),
    "extreme_poverty_rate": ("Persentase penduduk miskin ekstrem", "persen"),
    "poor_persons": ("Jumlah penduduk miskin", "jiwa"),
    "poverty_depth_p1": ("Indeks kedalaman kemiskinan (P1)", "indeks"),
    "poverty_severity_p2": ("Indeks keparahan kemiskinan (P2)", "indeks"),
    "stunting_prevalence_ssgi": ("Prevalensi stunting (SSGI)", "persen"),
    "stunting_prevalence_ski": ("Prevalensi stunting (SKI)", "persen"),
    "stunting_eppgbm_tbu": ("Prevalensi stunting (e-PPGBM)", "persen"),
    "stunting_eppgbm": ("Prevalensi stunting (e-PPGBM)", "persen"),
    "stunting_operasi_timbang": ("Prevalensi stunting (operasi timbang)", "persen"),
    "population_dukcapil": ("Jumlah penduduk (Dukcapil)", "jiwa"),
    "population_bps": ("Jumlah penduduk (BPS)", "jiwa"),
    "rt_count": ("Jumlah RT", "RT"),
    "balita_count": ("Jumlah balita", "anak"),
}
KELURAHAN_COLUMNS = {
    "stunt_2025_05": ("Jumlah balita stunting", "anak", "2025-05"),
    "stunt_2025_08": ("Jumlah balita stunting", "anak", "2025-08"),
    "ext_pers_2024_12": ("Penduduk miskin ekstrem (P3KE)", "jiwa", "2024-12"),
    "ext_kk_2024_12": ("Keluarga miskin ekstrem (P3KE)", "KK", "2024-12"),
    "ext_pers_2025_04": ("Penduduk miskin ekstrem (P3KE)", "jiwa", "2025-04"),
    "ext_kk_2025_04": ("Keluarga miskin ekstrem (P3KE)", "KK", "2025-04"),
}
BONTANG_SOURCE = "Dinkes/Dinsos-PM Kota Bontang via laporan media (lihat calibration/city_indicators.csv)"


def kontribusi_file(ctx, year: int, period: str, rng: np.random.Generator) -> FileSpec:
    partners = PARTNERS[ctx.city.kode]
    n = 36 + int(rng.integers(0, 12))
    pick = rng.integers(0, len(partners), n)
    org = [partners[i][0] for i in pick]
    kind = [partners[i][1] for i in pick]
    groups = [ACTIVITIES.get(k.split(" (")[0], ACTIVITIES["Masyarakat"]) for k in kind]
    activity = [g[int(rng.integers(0, len(g)))] for g in groups]
    start = ids.days(dt.date(year, 1, 10))
    day = start + np.sort(rng.integers(0, 340, n))
    media = np.array(["Media" in k for k in kind])
    donation = np.where(media, 0, np.round(rng.lognormal(17.0, 1.0, n), -5)).astype(np.int64)
    participants = rng.integers(15, 250, n)
    beneficiaries = np.where(media, 0, rng.integers(5, 120, n))
    kel = render.kelurahan(ctx.spell, rng.integers(0, len(ctx.layout.kode), n), "resmi", rng)
    dates = render.dates(day, "dmy").to_numpy(zero_copy_only=False).astype(object)
    dates[int(rng.integers(0, n))] = None  # a report sent without its date: rejected, as it must be
    link = [f"https://dokumentasi.example/{ctx.city.slug}/{year}/kegiatan-{i + 1:03d}" for i in range(n)]
    table = pa.table(
        {
            "Nama Organisasi": pa.array(org, pa.string()),
            "Unsur Pentahelix": pa.array(kind, pa.string()),
            "Nama Kegiatan": pa.array(activity, pa.string()),
            "Jumlah Peserta": render.count_text(participants),
            "Nilai Donasi (Rp)": pa.array([f"{v:,}".replace(",", ".") if v else None for v in donation], pa.string()),
            "Jumlah Penerima Manfaat": pa.array([str(v) if v else None for v in beneficiaries], pa.string()),
            "Kelurahan": pa.array(kel, pa.string()),
            "Tanggal Kegiatan": pa.array(dates, pa.string()),
            "Link Dokumentasi": pa.array(link, pa.string()),
        }
    )
    path = ctx.folder / f"KONTRIBUSI_MITRA_{ctx.slug_upper}_{year}.csv"
    write_csv(table, path, delimiter=";")
    return FileSpec(
        path, "kontribusi", period, "CSV kontribusi mitra pentahelix", rows=n, messiness={"tanpa_tanggal": 1}
    )


def _period(text: str) -> str | None:
    """Calibration periods that are a year or a month; '2020-S1', '~2014' and the like are left out."""
    if re.fullmatch(r"\d{4}", text) or re.fullmatch(r"\d{4}-\d{2}", text):
        return text
    if m := re.fullmatch(r"(\d{4}-\d{2})-\d{2}", text):
        return m[1]
    return None


def indikator_file(ctx, period: str) -> FileSpec:
    cal = pd.read_csv(CALIBRATION / "city_indicators.csv", dtype=str, keep_default_na=False)
    cal = cal[(cal["kode_kemendagri"] == ctx.city.kode) & (cal["value"] != "") & cal["indicator"].isin(INDICATORS)]
    rows = []
    for r in cal.itertuples():
        when = _period(r.period)
        if when:
            name, unit = INDICATORS[r.indicator]
            rows.append((r.kode_kemendagri, when, name, r.value.replace(".", ","), unit, f"{r.source}; {r.source_url}"))
    if ctx.city.kode == "64.74":
        kel = pd.read_csv(CALIBRATION / "bontang_kelurahan_indicators.csv", dtype=str)
        for r in kel.to_dict("records"):
            for col, (name, unit, when) in KELURAHAN_COLUMNS.items():
                rows.append((r["kode_kemendagri"], when, name, r[col], unit, BONTANG_SOURCE))
    headers = ("Kode Wilayah", "Periode", "Indikator", "Nilai", "Satuan", "Sumber")
    table = pa.table({h: pa.array([row[i] for row in rows], pa.string()) for i, h in enumerate(headers)})
    path = ctx.folder / f"STATISTIK_WILAYAH_{ctx.slug_upper}.csv"
    write_csv(table, path, delimiter=";")
    return FileSpec(
        path, "indikator_wilayah", period, "CSV statistik wilayah (BPS, Dinkes; angka nyata)", rows=len(rows)
    )
