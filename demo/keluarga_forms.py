"""The two family-list shapes that need more than a CSV writer.

- An RT refresh form (2025-Q1) with headers no contract alias knows and 'Rawan Pangan' /
  'Tahan Pangan' answers: loaded with a mapping file written beside it.
- A P3KE-style workbook per kecamatan (2025-Q2): a notes sheet first, a title block, a
  merged group header, some No KK / NIK typed as numbers (Excel kept 15 digits), blank
  rows and a JUMLAH footer.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa

from demo import conditions as cond
from demo import ids, records, render
from demo.population import PERIODS
from demo.writers import FileSpec, write_csv, write_mapping, write_report_xlsx
from pipelines.periods import period_label

RATE_EXCEL_NUMBER = 0.003
FORM_COLUMNS = {
    "ID_KK_DUKCAPIL": "no_kk",
    "NIK_PENANGGUNG_JAWAB": "nik_kepala",
    "NAMA_PENANGGUNG_JAWAB": "nama_kepala",
    "KODE_KEL_KEMENDAGRI": "kelurahan",
    "NOMOR_RUKUN_WARGA": "rw",
    "NOMOR_RUKUN_TETANGGA": "rt",
    "ALAMAT_DOMISILI": "alamat",
    "BANYAK_JIWA": "jumlah_anggota",
    "PERINGKAT_DTSEN": "desil",
    "LANTAI_RUMAH": "lantai",
    "DINDING_RUMAH": "dinding",
    "ATAP_RUMAH": "atap",
    "LUAS_RUMAH_M2": "luas_lantai",
    "AIR_MINUM_KELUARGA": "sumber_air",
    "JAMBAN_KELUARGA": "sanitasi",
    "LISTRIK_RUMAH": "penerangan",
    "KEPESERTAAN_JKN": "jaminan_kesehatan",
    "STATUS_PANGAN": "rawan_pangan",
    "BANSOS_PKH": "penerima_pkh",
    "BANSOS_BPNT": "penerima_bpnt",
    "STATUS_KIS_PBI": "penerima_pbi",
    "TGL_SURVEI": "tanggal_pemutakhiran",
    "KETERANGAN": "",
}
P3KE_NOTES = [
    ["PETUNJUK"],
    ["Lembar 'Data Keluarga' berisi keluarga hasil pemutakhiran kelurahan dalam format P3KE."],
    ["Desil mengikuti peringkat kesejahteraan DTSEN: 1 = 10% terbawah nasional."],
    ["Isian Ya/Tidak: Ya berarti keluarga mengalami atau menerima."],
    ["Data contoh sintetis untuk pelatihan dasbor TKPKD; bukan data orang sebenarnya."],
]


def rt_form(rec: dict, counts: dict, ctx, period: str, rng: np.random.Generator) -> FileSpec:
    n = len(rec["kk"])
    order = records.row_order(n, rng)
    counts.update(records.order_counts(order, n))
    rawan = np.where(rec["rawan"], "Rawan Pangan", "Tahan Pangan").astype(object)
    note = np.where(rng.random(n) < 0.3, "Sudah diverifikasi lurah", None)
    columns = {
        "ID_KK_DUKCAPIL": pa.array(rec["kk"], pa.string()),
        "NIK_PENANGGUNG_JAWAB": pa.array(rec["nik"], pa.string()),
        "NAMA_PENANGGUNG_JAWAB": pa.array(rec["nama"], pa.string()),
        "KODE_KEL_KEMENDAGRI": pa.array(
            np.where(rec["foreign"], rec["foreign_kel"], render.kelurahan(ctx.spell, rec["kel"], "kode", rng)),
            pa.string(),
        ),
        **render.rw_column(rec, ctx, "NOMOR_RUKUN_WARGA", "prefixed", rng),
        "NOMOR_RUKUN_TETANGGA": render.rtrw(rec["rt"], "prefixed", rng),
        "ALAMAT_DOMISILI": pa.array(rec["alamat"], pa.string()),
        "BANYAK_JIWA": render.count_text(rec["size"]),
        "PERINGKAT_DTSEN": render.desil(rec["desil"], "dua"),
        **render.conditions_columns(
            rec,
            cond.SHORT,
            comma=True,
            headers=(
                "LANTAI_RUMAH",
                "DINDING_RUMAH",
                "ATAP_RUMAH",
                "LUAS_RUMAH_M2",
                "AIR_MINUM_KELUARGA",
                "JAMBAN_KELUARGA",
                "LISTRIK_RUMAH",
                "KEPESERTAAN_JKN",
            ),
        ),
        "STATUS_PANGAN": pa.array(rawan, pa.string()),
        "BANSOS_PKH": render.yesno(rec["pkh"], "terima"),
        "BANSOS_BPNT": render.yesno(rec["bpnt"], "terima"),
        "STATUS_KIS_PBI": render.yesno(rec["pbi"], "terima"),
        "TGL_SURVEI": render.dates(rec["tanggal"], "dash"),
        "KETERANGAN": pa.array(note, pa.string()),
    }
    year, quarter = period.split("-Q")
    path = ctx.folder / f"PEMUTAKHIRAN_RT_{year}_TW{quarter}.csv"
    table = pa.table(columns).take(order)
    write_csv(table, path, delimiter=";", bom=True)
    mapping = path.with_suffix(".pemetaan.toml")
    write_mapping(
        mapping,
        source="keluarga",
        columns={k: v for k, v in FORM_COLUMNS.items() if k in columns},
        values={"rawan_pangan": {"Rawan Pangan": "ya", "Tahan Pangan": "tidak", "Memenuhi Kriteria": "ya"}},
        delimiter=";",
        comment="Pemetaan formulir pemutakhiran RT ke kontrak data keluarga (dibuat oleh pembangkit data contoh).",
    )
    return FileSpec(
        path,
        "keluarga",
        period,
        "CSV formulir RT (judul kolom tak dikenal, dengan berkas pemetaan)",
        mapping=mapping,
        rows=table.num_rows,
        messiness=counts,
    )


def p3ke_workbook(part: dict, counts: dict, ctx, t: int, kec_name: str, rng: np.random.Generator) -> FileSpec:
    period = PERIODS[t]
    n = len(part["kk"])
    order = records.row_order(n, rng)
    counts.update(records.order_counts(order, n))
    kk = list(part["kk"])
    nik = list(part["nik"])
    own = np.flatnonzero(part["asli"])
    for key, values in (("no_kk_angka_excel", kk), ("nik_angka_excel", nik)):
        rows = rng.choice(own, size=min(len(own), records.at_least_one(RATE_EXCEL_NUMBER, n)), replace=False)
        for r, number in zip(rows, ids.excel_number(pa.array([values[r] for r in rows], pa.string()))):
            values[r] = number
        counts[key] = int(len(rows))
        if key == "no_kk_angka_excel":
            ctx.truth_rejected_kk[t] |= set(part["fam"][rows].tolist())
    kel_text = np.where(part["foreign"], part["foreign_kel"], render.kelurahan(ctx.spell, part["kel"], "lapangan", rng))
    label = {v: cond.labels(v, cond.SHORT) for v in cond.VARIABLES}
    yes = np.array(["Tidak", "Ya"], dtype=object)
    dates = render.to_dates(part["tanggal"])
    id_p3ke = [f"{ctx.code_compact}{100000 + int(f)}" for f in part["fam"]]
    columns = [
        kk,
        nik,
        list(part["nama"]),
        id_p3ke,
        list(kel_text),
        *([[int(v) for v in np.maximum(part["rw"], 1)]] if ctx.write_rw else []),
        [int(v) for v in part["rt"]],
        list(part["alamat"]),
        list(label["lantai"][part["lantai"]]),
        list(label["dinding"][part["dinding"]]),
        list(label["atap"][part["atap"]]),
        [float(v) for v in part["luas"]],
        list(label["sumber_air"][part["air"]]),
        list(label["sanitasi"][part["san"]]),
        list(label["penerangan"][part["pen"]]),
        list(label["jaminan_kesehatan"][part["jkn"]]),
        [int(v) for v in part["size"]],
        [f"Desil {int(v)}" for v in part["desil"]],
        list(yes[part["rawan"].astype(int)]),
        list(yes[part["pkh"].astype(int)]),
        list(yes[part["bpnt"].astype(int)]),
        list(yes[part["pbi"].astype(int)]),
        dates,
    ]
    records_rows = list(zip(*columns))
    blank = [None] * (len(columns) + 1)
    rows, number = [], 0
    for i, valid in zip(order.fill_null(0).to_numpy(), order.is_valid().to_numpy(zero_copy_only=False)):
        if valid:
            number += 1
            rows.append([number, *records_rows[i]])
        else:
            rows.append(blank)
    headers = [
        "No",
        "No KK",
        "NIK Kepala Keluarga",
        "Nama Kepala Keluarga",
        "ID Keluarga P3KE",
        "Kelurahan",
        *(["RW"] if ctx.write_rw else []),
        "RT",
        "Alamat",
        "Jenis Lantai",
        "Jenis Dinding",
        "Jenis Atap",
        "Luas Lantai (m2)",
        "Sumber Air Minum",
        "Fasilitas BAB",
        "Sumber Penerangan",
        "Jaminan Kesehatan",
        "Jumlah Anggota Keluarga",
        "Desil",
        "Rawan Pangan",
        "Penerima PKH",
        "Penerima BPNT",
        "Penerima PBI",
        "Tanggal Pemutakhiran",
    ]
    size_col = headers.index("Jumlah Anggota Keluarga")
    footer = ["JUMLAH"] + [None] * (len(headers) - 1)
    footer[size_col] = int(sum(r[size_col] for r in rows if r[0] is not None))
    path = ctx.folder / f"P3KE_KEC_{kec_name.upper().replace(' ', '_')}_{period.replace('-', '_')}.xlsx"
    write_report_xlsx(
        path,
        author="Kecamatan " + kec_name,
        titles=[
            "DATA KELUARGA HASIL PEMUTAKHIRAN (FORMAT P3KE)",
            f"KECAMATAN {kec_name.upper()} - {ctx.city.nama.upper()}",
            f"Keadaan: {period_label(period)}",
        ],
        groups=[
            ("No", 1),
            ("Identitas Keluarga", 4),
            ("Lokasi", 4 if ctx.write_rw else 3),
            ("Kondisi Rumah", 4),
            ("Akses Layanan Dasar", 4),
            ("Status Keluarga", 7),
        ],
        headers=headers,
        rows=rows,
        footer=footer,
        notes=P3KE_NOTES,
        sheet="Data Keluarga",
    )
    return FileSpec(
        path,
        "keluarga",
        period,
        "XLSX gaya P3KE per kecamatan (blok judul, judul bergabung, JUMLAH)",
        rows=len(rows),
        messiness=counts,
    )
