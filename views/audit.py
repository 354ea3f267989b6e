"""Log audit: every login, view of names, upload, publish, rollback and export (admin only)."""

import pandas as pd
import streamlit as st

from pipelines import audit
from pipelines.formatting import angka
from pipelines.settings import get_settings
from pipelines.state import active_city
from ui import downloads, nav

ctx = nav.context()
settings = get_settings()
city = active_city(settings)

st.title("Log audit")
broken = audit.verify(settings)
if broken:
    st.error(f"Log audit tidak utuh mulai baris {broken}: ada catatan yang diubah atau dihapus. Laporkan ke pimpinan.")
else:
    st.caption("Log hanya bisa ditambah; setiap baris memuat sidik baris sebelumnya, dan rantainya utuh.")

entries = audit.entries(settings)
if not entries:
    st.info("Belum ada catatan.")
    st.stop()
log = pd.DataFrame(entries)
log["waktu"] = pd.to_datetime(log["waktu"]).dt.tz_convert(city.zona_waktu).dt.strftime("%d/%m/%Y %H:%M")
log["aksi"] = log["aksi"].map(audit.ACTIONS).fillna(log["aksi"])
# Rows only where an action touched rows (an upload, a view of names, an export); else a dash.
log["baris"] = [angka(int(n)) if pd.notna(n) else "-" for n in log["baris"]]
c1, c2, c3 = st.columns(3)
who = c1.multiselect("Pengguna", sorted(log["pengguna"].unique()), key="audit_pengguna", placeholder="Semua")
what = c2.multiselect("Aksi", sorted(log["aksi"].unique()), key="audit_aksi", placeholder="Semua")
text = c3.text_input("Cari di rincian", key="audit_cari")
view = log
if who:
    view = view[view["pengguna"].isin(who)]
if what:
    view = view[view["aksi"].isin(what)]
if text:
    view = view[view["rincian"].fillna("").str.contains(text, case=False, regex=False)]
view = view.iloc[::-1]
st.markdown(f"**{angka(len(view))} catatan** (terbaru di atas; waktu {city.nama_zona}).")
table = view[["waktu", "pengguna", "peran", "aksi", "wilayah", "baris", "rincian"]].rename(columns=str.capitalize)
st.dataframe(table, hide_index=True, width="stretch")
downloads.table(table, name="Log audit", account=ctx.account, area="seluruh kota", key="audit_unduh")
