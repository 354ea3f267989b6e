"""Columns of the family-member list: schooling, work, disability and stunting by age and welfare.

Stunting is flagged for under-fives only, more often in poorer families (about one in
eight overall, between the e-PPGBM and SSGI figures of the calibration data).
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa

from demo import conditions as cond
from demo import render
from demo.population import ANAK, CUCU, FAMILI, KEPALA, ORANG_TUA, PASANGAN, ages_at, quarter_start

EDUCATION = np.array(
    [
        "Tidak/belum sekolah",
        "Tamat SD/sederajat",
        "SLTP/sederajat",
        "SLTA/sederajat",
        "Diploma I-III",
        "Diploma IV/Strata I",
        "Strata II/III",
        "Belum tamat SD/sederajat",
    ],
    dtype=object,
)
NOT_YET_PRIMARY = 7
LOW_JOBS = np.array(
    ["Buruh harian lepas", "Nelayan", "Pedagang kecil", "Tukang bangunan", "Sopir/ojek", "Buruh pabrik"], dtype=object
)
MID_JOBS = np.array(["Wiraswasta", "Karyawan swasta", "Pedagang", "Petani/pekebun", "Tukang jahit"], dtype=object)
HIGH_JOBS = np.array(
    ["PNS/ASN", "Karyawan BUMN", "TNI/Polri", "Karyawan swasta", "Dokter/tenaga kesehatan"], dtype=object
)
RELATION = {KEPALA: "Kepala Keluarga", ANAK: "Anak", CUCU: "Cucu", ORANG_TUA: "Orang Tua", FAMILI: "Famili Lain"}


def _blank_where(values: np.ndarray, keep: np.ndarray) -> pa.Array:
    return pa.array(np.where(keep, values, None), pa.string())


def member_columns(st, t: int, person: np.ndarray, rng: np.random.Generator) -> dict:
    p = st.persons
    fam = p.fam[person]
    z = st.z[fam, t]
    age = ages_at(p, quarter_start(t))[person]
    female = p.female[person]
    rel = p.rel[person]
    n = len(person)
    # Highest schooling finished: adults by welfare, children by age.
    level = np.clip(np.round(3.0 + 0.9 * z + rng.normal(0, 1.0, n)), 0, 6).astype(int)
    child_level = np.select([age < 13, age < 16, age < 19, age < 23], [0, 1, 2, 3], 3)
    level = np.where(age < 23, np.minimum(level, child_level), level)
    level = np.where((age >= 7) & (age < 13), NOT_YET_PRIMARY, level)
    in_school_p = np.select(
        [age < 7, age < 16, age < 19, age < 24],
        [0.0, cond.logistic(3.0 + 1.0 * z), cond.logistic(1.2 + z), cond.logistic(-1.5 + 1.2 * z)],
        0.0,
    )
    school_age = (age >= 7) & (age < 24)
    in_school = rng.random(n) < in_school_p
    band = np.digitize(z, [st.cuts[3], st.cuts[7]])
    job = np.where(
        band == 0,
        LOW_JOBS[rng.integers(0, len(LOW_JOBS), n)],
        np.where(band == 1, MID_JOBS[rng.integers(0, len(MID_JOBS), n)], HIGH_JOBS[rng.integers(0, len(HIGH_JOBS), n)]),
    )
    job = np.where((rel == PASANGAN) & female & (rng.random(n) < 0.55), "Mengurus rumah tangga", job)
    job = np.where(age >= 65, np.where(band == 2, "Pensiunan", "Tidak bekerja"), job)
    job = np.where((rel == KEPALA) & st.jobless[fam, t], "Tidak bekerja", job)
    job = np.where(in_school & school_age, "Pelajar/Mahasiswa", job)
    job = np.where((age < 15) & ~(in_school & school_age), "Belum/tidak bekerja", job)
    disabled = rng.random(n) < 0.015 + 0.04 * (age > 60)
    under_five = age < 5
    stunted = rng.random(n) < cond.logistic(-2.3 - 0.7 * z)
    relation = np.array([RELATION.get(r, "") for r in range(6)], dtype=object)[rel]
    relation = np.where(rel == PASANGAN, np.where(female, "Istri", "Suami"), relation)
    sex = np.where(female, "Perempuan", "Laki-laki").astype(object)
    short_sex = rng.random(n) < 0.05
    sex = np.where(short_sex, np.where(female, "P", "L"), sex)
    return {
        "NIK": p.nik_text.take(pa.array(person)),
        "No KK": st.fam.kk_text.take(pa.array(fam)),
        "Nama Lengkap": p.nama.take(pa.array(person)),
        "Jenis Kelamin": pa.array(sex, pa.string()),
        "Tanggal Lahir": render.dates(p.birth[person], "dmy"),
        "Hubungan dengan Kepala Keluarga": pa.array(relation, pa.string()),
        "Pendidikan Terakhir": pa.array(EDUCATION[level], pa.string()),
        "Masih Sekolah": _blank_where(np.where(in_school, "Ya", "Tidak"), school_age),
        "Pekerjaan Utama": pa.array(job.astype(object), pa.string()),
        "Penyandang Disabilitas": pa.array(np.where(disabled, "Ya", "Tidak").astype(object), pa.string()),
        "Balita Stunting": _blank_where(np.where(stunted, "Ya", "Tidak"), under_five),
    }
