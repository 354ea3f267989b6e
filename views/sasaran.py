"""Keluarga sasaran: the lurah's case list of extreme-poor and fakir-miskin families, with follow-ups."""

import pandas as pd
import streamlit as st

from pipelines import audit, casework
from pipelines.formatting import angka, tanggal
from pipelines.periods import period_label
from pipelines.settings import get_settings
from ui import data, downloads, nav, widgets

NEEDS = {
    "rtlh": "Rumah tidak layak",
    "tanpa_air_layak": "Air minum",
    "tanpa_sanitasi_layak": "Sanitasi",
    "tanpa_jaminan_kesehatan": "Jaminan kesehatan",
    "rawan_pangan": "Pangan",
    "tanpa_listrik": "Listrik",
}

ctx = nav.context()
nav.require_lake(ctx)
account, area, period = ctx.account, ctx.area, ctx.period
settings = get_settings()

st.title("Keluarga sasaran")
if area.count(".") < 3:
    st.info("Pilih satu kelurahan di panel kiri untuk membuka daftar keluarganya.")
    st.stop()
kelurahan = ".".join(area.split(".")[:4])
parts = area.split(".")
rw = parts[4] if len(parts) > 4 else None
rt = parts[5] if len(parts) > 5 else None
st.caption(
    f"{widgets.area_name(area)} · {period_label(period)} · keluarga desil 1 dan fakir miskin, kebutuhan dasar "
    "yang belum terpenuhi, dan program yang diterima. Data pribadi disamarkan kecuali Anda membukanya; "
    "setiap pembukaan tercatat di log audit."
)

c1, c2, c3 = st.columns([2, 2, 3])
wider = c1.toggle("Sertakan desil 1-4", key="sasaran_luas", help="Semua keluarga layak bantuan, bukan hanya desil 1/FM")
reveal = c2.toggle("Tampilkan nama dan alamat", key="sasaran_buka")
full_ids = account.role.full_ids and reveal and c3.toggle("Tampilkan NIK/No KK lengkap", key="sasaran_nik")

rows = data.lake_reader().case_list(
    account.scope, kelurahan, period, rw=rw, rt=rt, reveal=reveal, full_ids=full_ids, wider=wider
)
if rows.empty:
    st.info(f"Tidak ada keluarga desil 1 atau fakir miskin di {widgets.area_name(area)} pada {period_label(period)}.")
    st.stop()

follow = casework.latest(settings, kode_prefix=kelurahan)
needs = rows[list(NEEDS)].fillna(False)
rows["kebutuhan"] = [", ".join(NEEDS[k] for k in NEEDS if r[k]) or "-" for r in needs.to_dict("records")]
rows["tindak_lanjut"] = [
    f"{casework.STATUSES[f.status]} ({tanggal(f.waktu)})" if (f := follow.get(h)) else "-" for h in rows["kk_hash"]
]
only_unserved = st.toggle("Hanya yang belum menerima program", key="sasaran_belum")
need_filter = st.multiselect(
    "Kebutuhan belum terpenuhi", list(NEEDS.values()), key="sasaran_kebutuhan", placeholder="Semua kebutuhan"
)
view = rows
if only_unserved:
    view = view[~view["menerima_program"]]
for label in need_filter:
    key = next(k for k, v in NEEDS.items() if v == label)
    view = view[view[key].fillna(False)]

table = pd.DataFrame(
    {
        "RW": view["rw"],
        "RT": view["rt"],
        "Kepala keluarga": view["nama_kepala"],
        "Alamat": view["alamat"],
        "No KK": view["no_kk"],
        "Jiwa": view["jumlah_jiwa"],
        "Desil": view["desil"],
        "Fakir miskin": view["fakir_miskin"].map({True: "Ya", False: "Tidak"}).fillna("belum diverval"),
        "Belum terpenuhi": view["kebutuhan"],
        "Program diterima": view["program"].map(lambda p: ", ".join(p) or "-"),
        "Tindak lanjut": view["tindak_lanjut"],
    }
)
st.markdown(
    f"**{angka(len(view))} keluarga** ({angka((~view['menerima_program']).sum())} belum menerima program). "
    "Klik satu baris untuk mencatat tindak lanjut."
)
picked = st.dataframe(
    table, hide_index=True, width="stretch", on_select="rerun", selection_mode="single-row", key="sasaran_tabel"
)
selected = picked.selection.rows if picked and picked.selection else []

if selected:
    family = view.iloc[selected[0]]
    with st.form("form_tindak_lanjut", clear_on_submit=True):
        st.markdown(f"**Tindak lanjut untuk {family['nama_kepala']}** (RW {family['rw']} / RT {family['rt']})")
        status = st.selectbox("Status", list(casework.STATUSES), format_func=casework.STATUSES.get)
        note = st.text_area("Catatan", max_chars=casework.MAX_NOTE)
        if st.form_submit_button("Simpan tindak lanjut", type="primary"):
            casework.record(
                settings,
                kk_hash=family["kk_hash"],
                periode=period,
                kode_kelurahan=kelurahan,
                status=status,
                catatan=note,
                user=account.username,
            )
            audit.record(
                settings,
                user=account.username,
                role=account.peran,
                action="tindak_lanjut",
                scope=kelurahan,
                rows=1,
                detail=casework.STATUSES[status],
            )
            st.success("Tindak lanjut tersimpan; tampil juga pada periode berikutnya.")
            st.rerun()

if reveal:
    if st.button("Siapkan unduhan daftar (berisi nama)", key="sasaran_siapkan", icon=":material/lock:"):
        st.session_state["sasaran_unduh"] = True
    if st.session_state.get("sasaran_unduh"):
        downloads.table(
            table,
            name=f"Keluarga sasaran {widgets.area_name(area)} {period_label(period)}",
            account=account,
            area=kelurahan,
            key="sasaran_unduh_tabel",
            consume="sasaran_unduh",
        )
else:
    st.caption("Unduhan daftar tersedia setelah nama ditampilkan.")
