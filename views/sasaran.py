"""Keluarga sasaran: the lurah's case list of extreme-poor and fakir-miskin families, with follow-ups.

One family's detail and the follow-up form are in ui/sasaran.py; everything that came from data is
shown as plain text there and here."""

import hashlib

import streamlit as st

from pipelines.domain import Kode
from pipelines.formatting import angka, markdown_literal
from pipelines.periods import period_label
from pipelines.settings import get_settings
from pipelines.state import active_city
from pipelines.workflow import casework
from ui import data, downloads, nav, sasaran, widgets

TABLE = "sasaran_tabel"
LISTED = "sasaran_daftar"  # fingerprint of the families listed in the last run, in their order
WIDTHS = {"Tindak lanjut": 150, "Kepala keluarga": 170, "RW/RT": 70, "Desil": 50, "Fakir miskin": 110}

ctx = nav.context()
nav.require_lake(ctx)
account, area, period = ctx.account, ctx.area, ctx.period
settings = get_settings()
zone = active_city(settings).zona_waktu


st.title("Keluarga sasaran")
code = Kode(area)
if code.kelurahan is None:
    sasaran.choose_kelurahan(account, area, period)
    st.stop()
kelurahan, rw, rt = code.kelurahan.text, code.rw, code.rt
place = markdown_literal(widgets.area_name(area))
st.caption(
    f"{place} · {period_label(period)} · keluarga desil 1 dan fakir miskin, kebutuhan dasar "
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
    st.info(f"Tidak ada keluarga desil 1 atau fakir miskin di {place} pada {period_label(period)}.")
    st.stop()

table = casework.case_table(rows, casework.latest(settings, kode_prefix=kelurahan), zone)
only_unserved = st.toggle("Hanya yang belum menerima program", key="sasaran_belum")
need_filter = st.multiselect(
    "Kebutuhan belum terpenuhi", list(casework.NEEDS.values()), key="sasaran_kebutuhan", placeholder="Semua kebutuhan"
)
group_filter = st.multiselect(
    "Kelompok rentan", list(casework.GROUPS.values()), key="sasaran_rentan", placeholder="Semua kelompok"
)
keep = casework.chosen(rows, only_unserved=only_unserved, needs=need_filter, groups=group_filter)
view, table = rows[keep], table[keep]

st.markdown(
    f"**{angka(len(view))} keluarga** ({angka((~view['menerima_program'].fillna(False)).sum())} belum menerima "
    "program). Klik satu baris untuk membuka rincian keluarga dan mencatat tindak lanjut."
)
flash = st.session_state.pop(sasaran.SAVED, None)
listed = hashlib.sha256("\n".join(view["kk_hash"]).encode()).hexdigest()
if st.session_state.get(LISTED, listed) != listed:
    # Another list (filter, period, area): the selected row number would now name another family.
    st.session_state[TABLE] = {"selection": {"rows": [], "columns": [], "cells": []}}
st.session_state[LISTED] = listed
picked = st.dataframe(
    table,
    hide_index=True,
    width="stretch",
    column_order=casework.CASE_COLUMNS,
    column_config={name: st.column_config.TextColumn(name, width=px) for name, px in WIDTHS.items()},
    on_select="rerun",
    selection_mode="single-row",
    key=TABLE,
)
selected = picked.selection.rows if picked and picked.selection else []
if selected and selected[0] < len(view):
    with st.container(border=True):
        place = sasaran.Place(settings, account, kelurahan, period, zone)
        sasaran.family(place, view.iloc[selected[0]], reveal=reveal, full_ids=full_ids, flash=flash)
elif flash:
    st.success(flash, icon=":material/check_circle:")

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
