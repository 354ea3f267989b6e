"""Person-level files: verval (every quarter) and family members (latest quarter).

Verval files change shape from quarter to quarter, as the forms did: K1..K8 columns with
Ya/Tidak or Y/T, the full criterion wording as headers with 1/0, 'Kriteria 1..8', and
once a Dinas Sosial form with its own headers and MK/TMK answers, loaded with a mapping.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa

from demo import ids, records, render
from demo.members import member_columns
from demo.population import PERIODS, quarter_start
from demo.writers import FileSpec, write_csv, write_mapping
from pipelines.ingestion.contracts import RuleSet

# (criteria header style, yes/no style, kelurahan style, date style, delimiter, encoding, bom)
VERVAL_FORMAT = (
    ("k", "ya", "resmi", "long", ",", "utf-8", True),
    ("k", "yt", "resmi", "dmy", ",", "utf-8", False),
    ("label", "10", "lapangan", "dmy", ";", "cp1252", False),
    ("k", "ya", "resmi", "long", ",", "utf-8", False),
    ("kriteria", "10", "lapangan", "dmy", ";", "utf-8", False),
    ("k", "ya", "resmi", "long", ",", "utf-8", False),
    ("mapped", "mk", "kode", "dmy", ";", "utf-8", True),
    ("k", "ya", "resmi", "long", ",", "utf-8", False),
)
MAPPED_HEADERS = (
    "A1_STATUS_KERJA_KRT",
    "A2_KONSUMSI_MAKAN",
    "A3_PROPORSI_PANGAN",
    "A4_BELANJA_PAKAIAN",
    "B1_LANTAI_RUMAH",
    "B2_DINDING_RUMAH",
    "B3_KEPEMILIKAN_JAMBAN",
    "B4_DAYA_LISTRIK",
)
MAPPED_IDENTITY = {
    "NIK_WARGA": "nik",
    "KK_WARGA": "no_kk",
    "NAMA_WARGA": "nama",
    "WILAYAH_KEL": "kelurahan",
    "RW_WARGA": "rw",
    "RT_WARGA": "rt",
    "ALAMAT_WARGA": "alamat",
    "TGL_KUNJUNGAN": "tanggal",
}
HOMELESS_MAPPED = "C_TIDAK_BERTEMPAT_TINGGAL"
RATE_BAD_NIK = 0.003


def _criteria_headers(style: str, rules: RuleSet) -> list[str]:
    if style == "k":
        return [f"K{i}" for i in range(1, 9)] + ["Tidak punya tempat tinggal"]
    if style == "label":
        return [c.label for c in rules.kriteria] + [rules.langsung.label]
    if style == "kriteria":
        return [f"Kriteria {i}" for i in range(1, 9)] + ["Tunawisma"]
    return [*MAPPED_HEADERS, HOMELESS_MAPPED]


def _answers(values: np.ndarray, style: str, rng: np.random.Generator) -> pa.Array:
    if style != "mk":
        return render.yesno(values, style)
    short = np.where(values, "MK", "TMK").astype(object)
    long = np.where(values, "Memenuhi Kriteria", "Tidak Memenuhi Kriteria").astype(object)
    return pa.array(np.where(rng.random(len(values)) < 0.1, long, short), pa.string())


def verval_file(st, t: int, ctx, rng: np.random.Generator) -> FileSpec:
    head_style, yn, kel_style, date_style, delim, enc, bom = VERVAL_FORMAT[t]
    person, bits, homeless = st.verval_rows[t]
    fam = st.persons.fam[person]
    rec = records.family_records(st, t, rng, fam)
    nik = st.persons.nik_text.take(pa.array(person)).to_numpy(zero_copy_only=False).astype(object)
    n = len(nik)
    bad = rng.choice(n, size=min(n, records.at_least_one(RATE_BAD_NIK, n)), replace=False)
    nik = ids.corrupt(pa.array(nik, pa.string()), bad, rng, is_nik=True).to_numpy(zero_copy_only=False).astype(object)
    # A person verified twice with different answers: the earlier row loses to the later one.
    again = rng.choice(n, size=min(n, records.at_least_one(0.0003, n)), replace=False)
    rows = np.concatenate([again, np.arange(n)])
    crit = ((bits[:, None] >> np.arange(8)) & 1).astype(bool)
    crit_rows = crit[rows].copy()
    crit_rows[: len(again), 0] = ~crit_rows[: len(again), 0]
    visit = ids.days(quarter_start(t)) + rng.integers(3, 80, len(rows))
    headers = _criteria_headers(head_style, ctx.rules)
    columns = {
        "NIK": pa.array(nik[rows], pa.string()),
        "No KK": pa.array(rec["kk"][rows], pa.string()),
        "Nama": st.persons.nama.take(pa.array(person[rows])),
        "Kelurahan": pa.array(render.kelurahan(ctx.spell, rec["kel"][rows], kel_style, rng), pa.string()),
        "Kecamatan": pa.array(ctx.layout.kec_nama[rec["kel"][rows]], pa.string()),
        **render.rw_column(records.take(rec, rows), ctx, "RW", "plain", rng),
        "RT": render.rtrw(rec["rt"][rows], "mixed", rng),
        "Alamat": pa.array(rec["alamat"][rows], pa.string()),
        "Tanggal Verval": render.dates(visit, date_style),
        **{h: _answers(crit_rows[:, i], yn, rng) for i, h in enumerate(headers[:8])},
        headers[8]: _answers(homeless[rows], yn, rng),
    }
    mapping = None
    if head_style == "mapped":
        renamed = dict(
            zip(("NIK", "No KK", "Nama", "Kelurahan", "RW", "RT", "Alamat", "Tanggal Verval"), MAPPED_IDENTITY)
        )
        columns = {renamed.get(k, k): v for k, v in columns.items() if k != "Kecamatan"}
    order = records.row_order(len(rows), rng)
    table = pa.table(columns).take(order)
    name = f"VERVAL_FM_{ctx.slug_upper}_{PERIODS[t].replace('-', '_')}.csv"
    path = ctx.folder / name
    write_csv(table, path, delimiter=delim, encoding=enc, bom=bom)
    if head_style == "mapped":
        mapping = path.with_suffix(".pemetaan.toml")
        codes = [c.kode for c in ctx.rules.kriteria] + [ctx.rules.langsung.kode]
        answers = {"MK": "ya", "TMK": "tidak", "Memenuhi Kriteria": "ya", "Tidak Memenuhi Kriteria": "tidak"}
        write_mapping(
            mapping,
            source="verval",
            columns={**{k: v for k, v in MAPPED_IDENTITY.items() if k in columns}, **dict(zip(headers, codes))},
            values={code: answers for code in codes},
            delimiter=";",
            comment="Pemetaan formulir verval Dinas Sosial (jawaban MK/TMK) ke kontrak verval.",
        )
    counts = {"nik_tidak_sah": int(len(bad)), "konflik": int(len(again)), **records.order_counts(order, len(rows))}
    label = "CSV verval" + (" (judul kolom tak dikenal, dengan berkas pemetaan)" if mapping else "")
    return FileSpec(path, "verval", PERIODS[t], label, mapping=mapping, rows=table.num_rows, messiness=counts)


def anggota_file(st, t: int, ctx, rng: np.random.Generator) -> FileSpec:
    present = st.fam.present(t)
    person = np.flatnonzero(present[st.persons.fam])
    columns = member_columns(st, t, person, rng)
    n = len(person)
    bad = rng.choice(n, size=min(n, records.at_least_one(RATE_BAD_NIK, n)), replace=False)
    columns["NIK"] = ids.corrupt(columns["NIK"], bad, rng, is_nik=True)
    order = records.row_order(n, rng)
    table = pa.table(columns).take(order)
    path = ctx.folder / f"ANGGOTA_KELUARGA_{ctx.slug_upper}_{PERIODS[t].replace('-', '_')}.csv"
    write_csv(table, path)
    counts = {"nik_tidak_sah": int(len(bad)), **records.order_counts(order, n)}
    return FileSpec(
        path, "anggota", PERIODS[t], "CSV anggota keluarga (UTF-8, koma)", rows=table.num_rows, messiness=counts
    )
