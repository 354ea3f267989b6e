"""Keluarga sasaran: the lurah's case list of extreme-poor and fakir-miskin families, with follow-ups.

Everything that came from data (names, addresses, programme names, notes) is shown in plain-text
elements (st.text, tables) or escaped before it goes into Markdown."""

import hashlib

import streamlit as st

from pipelines.access import audit, masking
from pipelines.domain import Kode, parent_code
from pipelines.formatting import angka, markdown_literal
from pipelines.periods import period_label
from pipelines.settings import get_settings
from pipelines.state import active_city
from pipelines.workflow import casework
from ui import data, downloads, nav, widgets

SAVED = "sasaran_tersimpan"  # the confirmation shown in the run after a follow-up is saved
TABLE = "sasaran_tabel"
LISTED = "sasaran_daftar"  # fingerprint of the families listed in the last run, in their order
WIDTHS = {"Tindak lanjut": 150, "Kepala keluarga": 170, "RW/RT": 70, "Desil": 50, "Fakir miskin": 110}

ctx = nav.context()
nav.require_lake(ctx)
account, area, period = ctx.account, ctx.area, ctx.period
settings = get_settings()
zone = active_city(settings).zona_waktu


def choose_kelurahan() -> None:
    """The list opens one kelurahan at a time; a city- or kecamatan-wide user picks it right here."""
    names = data.region_names()
    rows = data.indicators(account.scope, period=period, level="kelurahan")
    codes = [k for k in rows["kode_wilayah"] if k.startswith(area + ".") and account.scope.covers(k)]
    codes.sort(key=lambda k: (names.get(parent_code(k), ""), names.get(k, k)))
    st.info("Daftar keluarga dibuka per kelurahan. Pilih kelurahannya di bawah ini (atau di panel kiri).")
    choice = st.selectbox(
        "Kelurahan",
        codes,
        index=None,
        key="sasaran_pilih_kelurahan",
        placeholder="Pilih kelurahan",
        format_func=lambda k: f"{names.get(k, k)} (Kecamatan {names.get(parent_code(k), '-')})",
    )
    if choice:
        widgets.go_to(account, choice)  # the sidebar follows, so other pages open the same kelurahan


def fact(column, label: str, value) -> None:
    column.caption(label)
    column.text(casework.as_text(value))


def show_family(family, reveal: bool, full_ids: bool, flash: str | None) -> None:
    """Members, address, desil over time, needs, programmes and follow-ups of one family, then the form."""
    detail = data.lake_reader().family_detail(
        account.scope, kelurahan, family["kk_hash"], period, reveal=reveal, full_ids=full_ids
    )
    now = detail.history[detail.history["periode"] == period]
    record = (now if len(now) else detail.history).iloc[-1]
    st.subheader(markdown_literal(record["nama_kepala"]), anchor=False)
    if not reveal:
        st.caption("Nama dan alamat disamarkan; nyalakan **Tampilkan nama dan alamat** untuk membukanya.")
    left, middle, right = st.columns(3)
    fact(left, "Alamat", record["alamat"])
    fact(left, "RW / RT", f"RW {record['rw']} / RT {record['rt']}")
    fact(middle, "No KK", record["no_kk"])
    fact(middle, "NIK kepala keluarga", record["nik_kepala"])
    fact(
        right,
        "Desil · fakir miskin",
        f"{casework.as_text(record['desil'])} · {casework.fakir_miskin_text(record['fakir_miskin'], record['skor_fm'])}",
    )
    fact(right, "Jumlah jiwa", record["jumlah_jiwa"])
    fact(left, "Kebutuhan dasar belum terpenuhi", casework.unmet_needs(record))
    fact(middle, f"Program diterima ({period_label(record['periode'])})", casework.programmes_text(record["program"]))
    follow_ups = casework.for_family(settings, family["kk_hash"], kode_prefix=kelurahan)
    members, history, receipts, notes = st.tabs(
        [
            f"Anggota ({angka(len(detail.members))})",
            "Riwayat desil",
            "Bantuan diterima",
            f"Tindak lanjut ({len(follow_ups)})",
        ]
    )
    with members:
        if detail.members_period is None:
            st.text("Belum ada daftar anggota keluarga yang diunggah untuk keluarga ini.")
        else:
            st.caption(f"Menurut data anggota {period_label(detail.members_period)}.")
            st.dataframe(casework.member_table(detail.members), hide_index=True, key="sasaran_anggota")
    with history:
        st.dataframe(casework.history_table(detail.history), hide_index=True, key="sasaran_riwayat")
    with receipts:
        if detail.receipts.empty:
            st.text("Belum ada penerimaan program yang tercatat.")
        else:
            st.dataframe(casework.receipt_table(detail.receipts), hide_index=True, key="sasaran_bantuan")
    with notes:
        if follow_ups:
            st.dataframe(casework.follow_up_table(follow_ups, zone), hide_index=True, key="sasaran_riwayat_tl")
        else:
            st.text("Belum ada tindak lanjut untuk keluarga ini.")
    if flash:
        st.success(flash, icon=":material/check_circle:")
    with st.form("form_tindak_lanjut", clear_on_submit=True):
        st.markdown("**Catat tindak lanjut untuk keluarga ini**")
        status = st.selectbox("Status", list(casework.STATUSES), format_func=casework.STATUSES.get)
        note = st.text_area("Catatan", max_chars=casework.MAX_NOTE)
        if st.form_submit_button("Simpan tindak lanjut", type="primary"):
            save(family, status, note, reveal)


def save(family, status: str, note: str, reveal: bool) -> None:
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
    # The confirmation names the family masked even when names are open: it may be read over a shoulder.
    name = masking.mask_name(family["nama_kepala"]) if reveal else family["nama_kepala"]
    st.session_state[SAVED] = (
        f"Tindak lanjut untuk {markdown_literal(name)} (RW {family['rw']} / RT {family['rt']}) tersimpan: "
        f"**{casework.STATUSES[status]}**. Tampil juga pada periode berikutnya."
    )
    st.rerun()


st.title("Keluarga sasaran")
code = Kode(area)
if code.kelurahan is None:
    choose_kelurahan()
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
flash = st.session_state.pop(SAVED, None)
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
        show_family(view.iloc[selected[0]], reveal, full_ids, flash)
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
