"""The known truth of the synthetic city, written to kebenaran.json for tests and evaluation.

City and kelurahan figures are those of the simulated population (before any file fault);
`keluarga_terbit_diharapkan` is what a correct pipeline should publish after rejecting the
rows whose No KK was broken on purpose. Programme entries give each TRUE effect, how it is
measured, and the effect realised in each cohort (known exactly because the simulation
computes what would have happened without the programme).
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from demo import conditions as cond
from demo.population import PERIODS
from demo.programmes import need_at
from demo.simulate import DESIL_1_END, DESIL_1_START

EFFECT_DEFINITION = (
    "Selisih peluang (0-1) hasil membaik antara periode sebelum menerima (t-1) dan periode sesudah menerima "
    "(t+1), pada keluarga yang pertama kali menerima program pada periode t, dibanding keluarga sebanding yang "
    "tidak menerima (desil awal, status fakir miskin dan kebutuhan yang sama pada t-1)."
)
OUTCOME_LABELS = {
    "naik_desil": "naik minimal satu desil (desil t+1 > desil t-1)",
    "keluar_desil_1": "keluar dari desil 1 (di antara penerima yang desil 1 pada t-1)",
    "rtlh": "rumah tidak lagi RTLH (di antara penerima yang RTLH pada t-1)",
    "air": "tidak lagi memakai sumber air minum tidak layak",
    "sanitasi": "tidak lagi tanpa sanitasi layak",
    "jaminan_kesehatan": "memiliki jaminan kesehatan",
    "rawan_pangan": "tidak lagi rawan pangan",
}


def _city(st, ctx) -> dict:
    out = {}
    for t, period in enumerate(PERIODS):
        present = st.fam.present(t)
        f = np.flatnonzero(present)
        rejected = np.array(sorted(ctx.truth_rejected_kk.get(t, ())), dtype=np.int64)
        back = int(st.verval[rejected, t].sum()) if len(rejected) else 0
        out[period] = {
            "keluarga": int(present.sum()),
            "jiwa": int(st.fam.size[f].sum()),
            "keluarga_desil_1": int((st.desil[f, t] == 1).sum()),
            "keluarga_desil_1_4": int((st.desil[f, t] <= 4).sum()),
            "keluarga_fakir_miskin": int((st.fm_asof[f, t] == 1).sum()),
            "keluarga_rtlh": int(need_at(st, "rtlh", t)[f].sum()),
            "keluarga_tanpa_air_layak": int(cond.unimproved_water(st.air[f, t]).sum()),
            "keluarga_tanpa_sanitasi_layak": int(cond.unsafe_sanitation(st.san[f, t]).sum()),
            "keluarga_tanpa_jaminan_kesehatan": int(cond.uninsured(st.jkn[f, t]).sum()),
            "keluarga_rawan_pangan": int(st.rawan[f, t].sum()),
            "keluarga_diverval": int(st.verval[f, t].sum()),
            "keluarga_no_kk_rusak": int(len(rejected)),
            "keluarga_terbit_diharapkan": int(present.sum() - len(rejected) + back),
        }
    return out


def _kelurahan(st) -> dict:
    out = {}
    for k, kode in enumerate(st.layout.kode):
        rows = {}
        for t, period in enumerate(PERIODS):
            f = np.flatnonzero(st.fam.present(t) & (st.fam.kel == k))
            rows[period] = {
                "keluarga": int(len(f)),
                "keluarga_desil_1": int((st.desil[f, t] == 1).sum()),
                "keluarga_fakir_miskin": int((st.fm_asof[f, t] == 1).sum()),
            }
        out[kode] = {
            "nama": st.layout.nama[k],
            "kecamatan": st.layout.kec_kode[k],
            "rw": int(st.layout.n_rw[k]),
            "rt": int(st.layout.n_rt[k]),
            "periode": rows,
        }
    return out


def _programmes(st) -> list[dict]:
    out = []
    for p in st.programmes:
        d = st.deliveries[p.kode]
        recv = {PERIODS[t]: int((d.received[:, t] & st.fam.present(t)).sum()) for t in range(len(PERIODS))}
        first = {PERIODS[t]: int(d.first[:, t].sum()) for t in range(len(PERIODS))}
        # Desil in the period of receipt, as the dashboard's inclusion error counts it.
        desil = np.concatenate([st.desil[d.received[:, t] & st.fam.present(t), t] for t in range(len(PERIODS))])
        realised = {
            PERIODS[r]: {
                "dasar": int(d.base[r]),
                "diperbaiki": int(d.forced[r]),
                "efek": round(d.forced[r] / d.base[r], 4) if d.base[r] else None,
            }
            for r in d.base
        }
        out.append(
            {
                "kode": p.kode,
                "nama": p.nama,
                "opd": p.opd,
                "kebutuhan_dasar": p.kebutuhan,
                "jenis": "berkelanjutan (dibayar tiap triwulan sejak terdaftar)" if p.ongoing else "sekali terima",
                "hasil": p.hasil,
                "hasil_keterangan": OUTCOME_LABELS[p.hasil],
                "efek_benar": p.efek,
                "efek_lain": [
                    {"hasil": k, "hasil_keterangan": OUTCOME_LABELS[k], "efek_benar": v} for k, v in p.efek_lain.items()
                ],
                "definisi_efek": EFFECT_DEFINITION,
                "seleksi": p.seleksi,
                "sasaran_desil_maks": p.desil_maks,
                "penerima_per_periode": recv,
                "penerima_baru_per_periode": first,
                "efek_terealisasi_per_kohort": realised,
                "persen_penerima_desil_6_10": round(100 * float((desil >= 6).mean()), 1) if len(desil) else 0.0,
                "kelurahan_di_bawah_target": [{"kelurahan": k, "porsi_terlaksana": v} for k, v in p.kapasitas.items()],
            }
        )
    return out


def truth_of(st, ctx, *, seed: int, scale: float) -> dict:
    """Everything known about the simulated city; the loaded files are added after ingest."""
    worsening = [
        {"kode": str(k), "nama": str(n), "periode_memburuk": [PERIODS[-2], PERIODS[-1]]}
        for k, n in zip(st.layout.kode[st.layout.worsening], st.layout.nama[st.layout.worsening])
    ]
    truth = {
        "kota": ctx.city.nama,
        "kode_kota": ctx.city.kode,
        "benih": seed,
        "skala": scale,
        "catatan": "Data sintetis: semua nama orang, NIK, No KK, alamat dan nama organisasi mitra adalah rekaan.",
        "periode": list(PERIODS),
        "kalibrasi": {
            "target_porsi_desil_1_awal": DESIL_1_START[ctx.city.kode],
            "target_porsi_desil_1_akhir_tanpa_guncangan": DESIL_1_END[ctx.city.kode],
            "ambang_fakir_miskin": ctx.rules.ambang,
            "aturan": ctx.rules.nama,
            "jumlah_rt": int(st.layout.n_rt.sum()),
            "jumlah_rw": int(st.layout.n_rw.sum()),
        },
        "kota_per_periode": _city(st, ctx),
        "kelurahan": _kelurahan(st),
        "kelurahan_memburuk": worsening,
        "program": _programmes(st),
        "berkas": [],
    }
    return truth


def write_truth(path: Path, truth: dict) -> None:
    path.write_text(json.dumps(truth, ensure_ascii=False, indent=1, default=_plain), encoding="utf-8")


def _plain(value):
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, Path):
        return value.name
    raise TypeError(type(value))
