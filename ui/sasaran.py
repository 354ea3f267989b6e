"""The parts of Keluarga sasaran: choosing a kelurahan, and one family's detail with its follow-up form.

Everything that came from data (names, addresses, programme names, notes) is shown in plain-text
elements (st.text, tables) or escaped before it goes into Markdown."""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from pipelines.access import masking
from pipelines.access.accounts import Account
from pipelines.domain import parent_code
from pipelines.formatting import angka, markdown_literal
from pipelines.periods import period_label
from pipelines.settings import Settings
from pipelines.workflow import casework
from ui import data, widgets

SAVED = "sasaran_tersimpan"  # the confirmation shown in the run after a follow-up is saved


@dataclass(frozen=True)
class Place:
    """Who is looking, at which kelurahan and period."""

    settings: Settings
    account: Account
    kelurahan: str
    period: str
    zone: str


def choose_kelurahan(account: Account, area: str, period: str) -> None:
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


def _fact(column, label: str, value) -> None:
    column.caption(label)
    column.text(casework.as_text(value))


def family(place: Place, chosen, *, reveal: bool, full_ids: bool, flash: str | None) -> None:
    """Members, address, desil over time, needs, programmes and follow-ups of one family, then the form."""
    detail = data.lake_reader().family_detail(
        place.account.scope, place.kelurahan, chosen["kk_hash"], place.period, reveal=reveal, full_ids=full_ids
    )
    now = detail.history[detail.history["periode"] == place.period]
    record = (now if len(now) else detail.history).iloc[-1]
    st.subheader(markdown_literal(record["nama_kepala"]), anchor=False)
    if not reveal:
        st.caption("Nama dan alamat disamarkan; nyalakan **Tampilkan nama dan alamat** untuk membukanya.")
    left, middle, right = st.columns(3)
    _fact(left, "Alamat", record["alamat"])
    _fact(left, "RW / RT", f"RW {record['rw']} / RT {record['rt']}")
    _fact(middle, "No KK", record["no_kk"])
    _fact(middle, "NIK kepala keluarga", record["nik_kepala"])
    _fact(
        right,
        "Desil · fakir miskin",
        f"{casework.as_text(record['desil'])} · {casework.fakir_miskin_text(record['fakir_miskin'], record['skor_fm'])}",
    )
    _fact(right, "Jumlah jiwa", record["jumlah_jiwa"])
    _fact(left, "Kebutuhan dasar belum terpenuhi", casework.unmet_needs(record))
    _fact(middle, f"Program diterima ({period_label(record['periode'])})", casework.programmes_text(record["program"]))
    follow_ups = casework.for_family(place.settings, chosen["kk_hash"], kode_prefix=place.kelurahan)
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
            st.dataframe(casework.follow_up_table(follow_ups, place.zone), hide_index=True, key="sasaran_riwayat_tl")
        else:
            st.text("Belum ada tindak lanjut untuk keluarga ini.")
    if flash:
        st.success(flash, icon=":material/check_circle:")
    with st.form("form_tindak_lanjut", clear_on_submit=True):
        st.markdown("**Catat tindak lanjut untuk keluarga ini**")
        status = st.selectbox("Status", list(casework.STATUSES), format_func=casework.STATUSES.get)
        note = st.text_area("Catatan", max_chars=casework.MAX_NOTE)
        if st.form_submit_button("Simpan tindak lanjut", type="primary"):
            _save(place, chosen, status, note, reveal)


def _save(place: Place, chosen, status: str, note: str, reveal: bool) -> None:
    casework.follow_up(
        place.settings,
        kk_hash=chosen["kk_hash"],
        periode=place.period,
        kode_kelurahan=place.kelurahan,
        status=status,
        catatan=note,
        user=place.account.username,
        role=place.account.peran,
    )
    # The confirmation names the family masked even when names are open: it may be read over a shoulder.
    name = masking.mask_name(chosen["nama_kepala"]) if reveal else chosen["nama_kepala"]
    st.session_state[SAVED] = (
        f"Tindak lanjut untuk {markdown_literal(name)} (RW {chosen['rw']} / RT {chosen['rt']}) tersimpan: "
        f"**{casework.STATUSES[status]}**. Tampil juga pada periode berikutnya."
    )
    st.rerun()
