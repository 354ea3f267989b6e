"""Family lists (source `keluarga`), one or more files per quarter, each in a real export's shape.

2024-Q1, 2024-Q3, 2025-Q3, 2025-Q4: DTSEN-style CSV (UTF-8, comma, official names, geotags).
2024-Q2, 2024-Q4: SIKS-NG-style CSV (Windows-1252, semicolon, CRLF, UPPER_CASE headers,
                  Indonesian decimals, 'DESIL 3', Y/T, RT '005').
2025-Q1: an RT refresh form whose headers no alias knows, loaded with a mapping file.
2025-Q2: per-kecamatan files: P3KE-style workbooks for some kecamatan, CSV for the rest,
         with a few families listed by two kecamatan (a move not yet cleared).
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from demo import conditions as cond
from demo import records, render
from demo.keluarga_forms import p3ke_workbook, rt_form
from demo.population import PERIODS
from demo.writers import FileSpec, write_csv

FORMAT_OF_PERIOD = ("dtsen", "siks", "dtsen", "siks", "rt_form", "kecamatan", "dtsen", "dtsen")
# Kecamatan whose list comes as a workbook: the smallest of each city, as writing XLSX is slow.
XLSX_KECAMATAN = {"61.71": ("61.71.06",), "64.74": ("64.74.03",)}
GEOTAG_SHARE = 0.85
RATE_MOVER = 0.0005


def _kel_text(rec: dict, ctx, style: str, rng: np.random.Generator) -> np.ndarray:
    text = render.kelurahan(ctx.spell, rec["kel"], style, rng)
    return np.where(rec["foreign"], rec["foreign_kel"], text)


def dtsen_columns(rec: dict, ctx, rng: np.random.Generator) -> dict:
    n = len(rec["kk"])
    geo = rng.random(n) < GEOTAG_SHARE
    kota = np.where(rec["foreign"], ctx.other.nama, ctx.city.nama).astype(object)
    return {
        "No KK": pa.array(rec["kk"], pa.string()),
        "NIK Kepala Keluarga": pa.array(rec["nik"], pa.string()),
        "Nama Kepala Keluarga": pa.array(rec["nama"], pa.string()),
        "Kabupaten/Kota": pa.array(kota, pa.string()),
        "Kecamatan": pa.array(np.where(rec["foreign"], None, ctx.layout.kec_nama[rec["kel"]]), pa.string()),
        "Kelurahan": pa.array(_kel_text(rec, ctx, "resmi", rng), pa.string()),
        **render.rw_column(rec, ctx, "RW", "plain", rng),
        "RT": render.rtrw(rec["rt"], "mixed", rng),
        "Alamat": pa.array(rec["alamat"], pa.string()),
        "Jumlah Anggota Keluarga": render.count_text(rec["size"]),
        "Desil": render.desil(rec["desil"], "angka"),
        **render.conditions_columns(rec, cond.DTSEN, comma=False),
        "Rawan Pangan": render.yesno(rec["rawan"], "ya"),
        "Penerima PKH": render.yesno(rec["pkh"], "ya"),
        "Penerima BPNT": render.yesno(rec["bpnt"], "ya"),
        "Penerima PBI": render.yesno(rec["pbi"], "ya"),
        "Lintang": pc.if_else(pa.array(geo), render.coordinates(rec["lat"]), None),
        "Bujur": pc.if_else(pa.array(geo), render.coordinates(rec["lon"]), None),
        "Tanggal Pemutakhiran": render.dates(rec["tanggal"], "iso"),
    }


def siks_columns(rec: dict, ctx, rng: np.random.Generator) -> dict:
    kec_code = np.array([k.replace(".", "") for k in ctx.layout.kec_kode], dtype=object)[rec["kel"]]
    city_word = ctx.city.nama.replace("Kota ", "").upper()
    return {
        "NOMOR_KK": pa.array(rec["kk"], pa.string()),
        "NIK_KRT": pa.array(rec["nik"], pa.string()),
        "NAMA_KRT": pa.array(rec["nama"], pa.string()),
        "KABUPATEN": pa.array(
            np.where(rec["foreign"], ctx.other.nama.replace("Kota ", "").upper(), city_word), pa.string()
        ),
        "KODE_KECAMATAN": pa.array(np.where(rec["foreign"], None, kec_code), pa.string()),
        "KELURAHAN_DESA": pa.array(_kel_text(rec, ctx, "bps", rng), pa.string()),
        **render.rw_column(rec, ctx, "RW", "three", rng),
        "RT": render.rtrw(rec["rt"], "three", rng),
        "ALAMAT_KK": pa.array(rec["alamat"], pa.string()),
        "JML_ART": render.count_text(rec["size"]),
        "DESIL_NASIONAL": render.desil(rec["desil"], "DESIL"),
        **render.conditions_columns(
            rec,
            cond.SIKS,
            comma=True,
            headers=(
                "JENIS_LANTAI",
                "JENIS_DINDING",
                "JENIS_ATAP",
                "LUAS_LANTAI",
                "SUMBER_AIRMINUM",
                "FASILITAS_BAB",
                "SUMBER_PENERANGAN",
                "STATUS_JKN",
            ),
        ),
        "KEKURANGAN_PANGAN": render.yesno(rec["rawan"], "yt"),
        "STATUS_PKH": render.yesno(rec["pkh"], "yt"),
        "STATUS_BPNT": render.yesno(rec["bpnt"], "yt"),
        "STATUS_PBI": render.yesno(rec["pbi"], "yt"),
        "TGL_UPDATE": render.dates(rec["tanggal"], "dmy"),
    }


def kecamatan_columns(rec: dict, ctx, rng: np.random.Generator) -> dict:
    return {
        "No. KK": pa.array(rec["kk"], pa.string()),
        "NIK KRT": pa.array(rec["nik"], pa.string()),
        "Nama KRT": pa.array(rec["nama"], pa.string()),
        "Kel/Desa": pa.array(_kel_text(rec, ctx, "kel", rng), pa.string()),
        **render.rw_column(rec, ctx, "RW", "mixed", rng),
        "RT": render.rtrw(rec["rt"], "mixed", rng),
        "Alamat Lengkap": pa.array(rec["alamat"], pa.string()),
        "Jml ART": render.count_text(rec["size"]),
        "Desil Kesejahteraan": render.desil(rec["desil"], "desil"),
        **render.conditions_columns(
            rec,
            cond.DTSEN,
            comma=True,
            headers=("Lantai", "Dinding", "Atap", "Luas Bangunan", "Air Minum", "Jamban", "Penerangan", "JKN"),
        ),
        "Rawan Pangan": render.yesno(rec["rawan"], "ya"),
        "PKH": render.yesno(rec["pkh"], "ya"),
        "BPNT": render.yesno(rec["bpnt"], "ya"),
        "PBI": render.yesno(rec["pbi"], "ya"),
        "Tgl Pendataan": render.dates(rec["tanggal"], "dmy"),
    }


def _faulty(st, t: int, ctx, rng: np.random.Generator) -> tuple[dict, dict]:
    rec = records.family_records(st, t, rng)
    counts = records.break_ids(rec, rng)
    ctx.truth_rejected_kk[t] = set(rec["fam"][counts.pop("_kk_rusak")].tolist())
    extra = [records.conflicts(rec, rng), records.foreign(rec, ctx.city, rng)]
    counts.update({"konflik": len(extra[0]["kk"]), "baris_kota_lain": len(extra[1]["kk"])})
    return records.concat(rec, *extra), counts


def _write_table(columns: dict, order: pa.Array, path, **csv) -> int:
    table = pa.table(columns).take(order)
    write_csv(table, path, **csv)
    return table.num_rows


def keluarga_files(st, t: int, ctx, rng: np.random.Generator) -> list[FileSpec]:
    period, fmt = PERIODS[t], FORMAT_OF_PERIOD[t]
    rec, counts = _faulty(st, t, ctx, rng)
    n = len(rec["kk"])
    year, quarter = period.split("-Q")
    if fmt in ("dtsen", "siks"):
        order = records.row_order(n, rng)
        counts.update(records.order_counts(order, n))
        if fmt == "dtsen":
            path = ctx.folder / f"DTSEN_{ctx.slug_upper}_{year}_TW{quarter}.csv"
            rows = _write_table(dtsen_columns(rec, ctx, rng), order, path)
            label = "CSV gaya DTSEN (UTF-8, koma)"
        else:
            path = ctx.folder / f"SIKSNG_{ctx.code_compact}_{year}{int(quarter) * 3:02d}.csv"
            rows = _write_table(siks_columns(rec, ctx, rng), order, path, delimiter=";", encoding="cp1252", crlf=True)
            label = "CSV gaya SIKS-NG (Windows-1252, titik koma, CRLF)"
        return [FileSpec(path, "keluarga", period, label, rows=rows, messiness=counts)]
    if fmt == "rt_form":
        return [rt_form(rec, counts, ctx, period, rng)]
    return _per_kecamatan(st, t, rec, counts, ctx, rng)


def _per_kecamatan(st, t: int, rec: dict, counts: dict, ctx, rng: np.random.Generator) -> list[FileSpec]:
    """One file per kecamatan, in code order; movers also appear, older, in an earlier kecamatan's file."""
    period = PERIODS[t]
    n = len(rec["kk"])
    kec_of_row = np.where(rec["foreign"], 0, np.searchsorted(ctx.kec_codes, ctx.layout.kec_kode[rec["kel"]]))
    movers = np.flatnonzero((kec_of_row > 0) & ~rec["foreign"])
    movers = rng.choice(movers, size=min(len(movers), records.at_least_one(RATE_MOVER, n)), replace=False)
    stale = records.take(rec, movers)
    stale_kec = rng.integers(0, kec_of_row[movers])
    for i, k in enumerate(stale_kec):
        options = np.flatnonzero(ctx.layout.kec_kode == ctx.kec_codes[k])
        stale["kel"][i] = rng.choice(options)
    stale["tanggal"] = stale["tanggal"] - rng.integers(60, 200, len(movers))
    stale["asli"] = np.zeros(len(movers), bool)
    rec = records.concat(rec, stale)
    kec_of_row = np.concatenate([kec_of_row, stale_kec])
    specs = []
    for k, kec in enumerate(ctx.kec_codes):
        part = records.take(rec, np.flatnonzero(kec_of_row == k))
        name = ctx.layout.kec_nama[ctx.layout.kec_kode == kec][0]
        tag = name.upper().replace(" ", "_")
        part_counts = {"pindah_antar_kecamatan": int((stale_kec == k).sum())}
        if kec in XLSX_KECAMATAN[ctx.city.kode]:
            specs.append(p3ke_workbook(part, part_counts, ctx, t, name, rng))
            continue
        order = records.row_order(len(part["kk"]), rng)
        part_counts.update(records.order_counts(order, len(part["kk"])))
        path = ctx.folder / f"DATA_KELUARGA_KEC_{tag}_{period.replace('-', '_')}.csv"
        rows = _write_table(kecamatan_columns(part, ctx, rng), order, path, delimiter=";", bom=True)
        specs.append(
            FileSpec(
                path, "keluarga", period, "CSV per kecamatan (UTF-8 BOM, titik koma)", rows=rows, messiness=part_counts
            )
        )
    specs[0].messiness.update(counts)
    return specs
