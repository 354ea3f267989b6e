"""Kualitas data: which kelurahan must refresh, and how clean each one's data are."""

import pandas as pd
import streamlit as st

from pipelines.domain import Kode
from pipelines.formatting import angka, persen, tanggal
from pipelines.periods import period_bounds, period_label
from pipelines.read.insights import quality_in_area, stale_data
from pipelines.settings import get_settings
from pipelines.workflow import casework
from ui import data, downloads, nav, widgets

ctx = nav.context()
nav.require_lake(ctx)
scope, area, period = ctx.account.scope, ctx.area, ctx.period

st.title("Kualitas data")
title_area = widgets.area_name(area)
st.caption(
    f"{title_area} · {period_label(period)} · per kelurahan: kapan terakhir diperbarui, seberapa bersih, "
    "dan berapa baris yang ditolak pada unggahan terakhirnya."
)

rows = data.quality(scope, period=period)
rows = quality_in_area(rows, area)
if rows.empty:
    st.info(f"Belum ada catatan kualitas data untuk {title_area} pada {period_label(period)}.")
    st.stop()

start, _ = period_bounds(period)
stale = stale_data(rows, period)
valid_share = rows["keluarga_nik_valid"] / rows["jumlah_keluarga"].where(rows["jumlah_keluarga"] > 0)
c1, c2, c3, c4 = st.columns(4)
c1.metric("Kelurahan perlu memperbarui", f"{len(stale)} dari {len(rows)}")
c2.metric("NIK kepala keluarga valid", persen(rows["keluarga_nik_valid"].sum() / max(1, rows["jumlah_keluarga"].sum())))
c3.metric("Keluarga perlu verifikasi", angka(rows["keluarga_perlu_verifikasi"].sum()))
c4.metric("Konflik antar-unggahan", angka(rows["konflik"].sum()))

if stale:
    st.warning(
        "**Perlu memperbarui data:** "
        + "; ".join(w.nama for w in stale[:12])
        + (f" dan {len(stale) - 12} lainnya" if len(stale) > 12 else "")
        + "."
    )
else:
    st.success(f"Semua kelurahan sudah memperbarui data untuk {period_label(period)}.")

table = pd.DataFrame(
    {
        "Kelurahan": rows["nama_kelurahan"],
        "Keluarga": rows["jumlah_keluarga"],
        "Terakhir diperbarui": rows["terakhir_diperbarui"],
        "NIK valid": valid_share,
        "Perlu verifikasi": rows["keluarga_perlu_verifikasi"],
        "Konflik": rows["konflik"],
        "Ditolak di unggahan terakhir": rows["baris_ditolak_unggahan_terakhir"],
        "Berkas terakhir": rows["berkas_terakhir"],
    }
)
table["Status"] = [
    "Belum ada data" if pd.isna(d) else ("Perlu diperbarui" if pd.Timestamp(d).date() < start else "Baru")
    for d in table["Terakhir diperbarui"]
]
table = table.sort_values(["Status", "NIK valid"], ascending=[True, True])
shown = table.assign(
    **{
        "Keluarga": table["Keluarga"].map(angka),
        "Terakhir diperbarui": table["Terakhir diperbarui"].map(tanggal),
        "NIK valid": table["NIK valid"].map(persen),
        "Perlu verifikasi": table["Perlu verifikasi"].map(angka),
        "Konflik": table["Konflik"].map(angka),
        "Ditolak di unggahan terakhir": table["Ditolak di unggahan terakhir"].map(angka),
    }
)
st.dataframe(shown, hide_index=True, width="stretch")
st.caption(
    "NIK valid: 16 digit dengan kode wilayah dan tanggal lahir yang masuk akal. Perlu verifikasi: NIK kepala "
    "tidak valid atau keluarga hanya ditemukan di verval. Konflik: No KK yang sama dengan isi berbeda di "
    "beberapa unggahan."
)
downloads.table(
    table,
    name=f"Kualitas data {title_area} {period_label(period)}",
    account=ctx.account,
    area=area,
    key="kualitas_tabel",
)

followups = casework.latest(get_settings(), kode_prefix=None if Kode(area).level == "kota" else area)
if followups:
    st.markdown("#### Tindak lanjut lurah")
    latest = pd.DataFrame([f.__dict__ for f in followups.values()])
    counts = latest.pivot_table(
        index="kode_kelurahan", columns="status", values="kk_hash", aggfunc="count", fill_value=0
    )
    names = dict(zip(rows["kode_kelurahan"], rows["nama_kelurahan"]))
    counts.index = [names.get(k, k) for k in counts.index]
    st.dataframe(counts.rename(columns=casework.STATUSES), width="stretch")
    fix = latest[latest["status"].isin(casework.NEEDS_DATA_CORRECTION)]
    if len(fix):
        st.warning(f"{angka(len(fix))} keluarga dilaporkan pindah atau meninggal: perbaiki di unggahan berikutnya.")
