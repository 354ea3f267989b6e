"""The parts of Unggah data: the check's report, returning to an earlier version, withdrawing an upload.

The steps themselves (check, publish, roll back, withdraw) and their audit are in
pipelines/workflow/upload.py; these functions only draw them and pass the user's choice on."""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
import streamlit as st

from pipelines.access.accounts import Account
from pipelines.cities import City
from pipelines.formatting import angka, markdown_literal, tanggal
from pipelines.ingestion.contracts import contract_for
from pipelines.periods import period_label
from pipelines.settings import Settings
from pipelines.workflow import upload as flow
from ui import downloads

PICK_WITHDRAW = "unggah_tarik_pilih"
Finish = Callable[[str, str], None]


def upload_label(u: dict, city: City) -> str:
    return (
        f"{u['nama_berkas']} · {contract_for(u['sumber'], city).label} · {period_label(u['periode'])} · "
        f"diunggah {tanggal(u['diunggah_pada'])} oleh {u.get('oleh') or '-'}"
    )


def check_report(report: dict, city: City, account: Account) -> None:
    """What the check found: rows read, accepted, rejected and flagged, and the rejected rows themselves."""
    st.subheader(f"Hasil pemeriksaan: {markdown_literal(report['berkas'])}")
    st.markdown(
        f"Jenis data **{contract_for(report['sumber'], city).label}**, periode **{period_label(report['periode'])}**."
    )
    if report["sudah_pernah_diunggah"]:
        st.info("Berkas yang sama persis sudah pernah diunggah; tidak ada data ganda yang ditambahkan.")
    m = st.columns(4)
    m[0].metric("Baris dibaca", angka(report["baris_dibaca"]))
    m[1].metric("Diterima", angka(report["baris_diterima"]))
    m[2].metric("Ditolak", angka(report["baris_ditolak"]))
    m[3].metric("Ditandai untuk verifikasi", angka(report["baris_ditandai"]))
    st.caption(
        f"Judul kolom di baris {report['baris_judul']}"
        + (f", lembar '{markdown_literal(report['lembar'])}'" if report.get("lembar") else "")
        + (
            f", pengodean {report['pengodean']}, pemisah '{markdown_literal(report['pemisah'])}'"
            if report.get("pemisah")
            else ""
        )
        + (
            f"; kolom tidak dipakai: {markdown_literal(', '.join(report['kolom_tidak_dipakai']))}"
            if report["kolom_tidak_dipakai"]
            else ""
        )
    )
    if report["baris_ditolak"]:
        reasons = pd.DataFrame(list(report["ditolak_menurut_alasan"].items()), columns=["Alasan", "Baris"])
        st.dataframe(reasons, hide_index=True, width="stretch")
        rejects = pd.read_csv(
            report["berkas_penolakan"], sep=";", dtype=str, encoding="utf-8-sig", keep_default_na=False
        )
        st.markdown("**Baris yang ditolak** (perbaiki di berkas asal lalu unggah ulang):")
        st.dataframe(rejects.head(500), hide_index=True, width="stretch")
        downloads.table(
            rejects, name=f"Penolakan {report['berkas']}", account=account, area="seluruh kota", key="unggah_penolakan"
        )
    else:
        st.success("Semua baris diterima.")


def rollback(settings: Settings, account: Account, active_version: dict | None, done: dict, finish: Finish) -> None:
    """Return every page to the previous version, after a confirmation, apart from Terbitkan."""
    with st.expander("Kembalikan ke versi sebelumnya", expanded=done["where"] == "kembalikan"):
        if done["where"] == "kembalikan":
            st.success(done["message"])
        target = flow.rollback_target(settings, active_version)
        if target is None:
            st.caption("Tidak ada versi sebelumnya yang tersimpan untuk dikembalikan.")
        else:
            current, when = active_version["versi"], tanggal(target["diterbitkan_pada"])
            st.markdown(
                f"Bila versi aktif **{current}** ternyata salah, semua halaman bisa kembali memakai versi "
                f"**{target['versi']}** (diterbitkan {when} oleh {target['oleh']}, {len(target['unggahan'])} unggahan). "
                "Unggahan tidak dihapus: tarik unggahan yang salah di bawah agar tidak ikut terbitan berikutnya."
            )
            sure = st.checkbox(
                f"Ya, ganti versi aktif {current} dengan versi {target['versi']} ({when})",
                key=f"unggah_kembalikan_yakin_{current}_{target['versi']}",
            )
            clicked = st.button(
                f"Kembalikan ke versi {target['versi']} ({when})", disabled=not sure, key="unggah_kembalikan"
            )
            if clicked and sure:
                try:
                    back = flow.roll_back(settings, account, seen=current, to=target["versi"])
                    finish("kembalikan", f"Versi aktif sekarang {back['versi']} (dikembalikan dari {current}).")
                except flow.Refused as exc:
                    st.error(str(exc))


def withdraw(
    settings: Settings, account: Account, city: City, active: list[dict], published: set, done: dict, finish: Finish
) -> None:
    """Leave an upload out of the next publish (its file stays), after a confirmation."""
    with st.expander("Tarik unggahan", expanded=done["where"] == "tarik"):
        if done["where"] == "tarik":
            st.success(done["message"])
        st.caption(
            "Unggahan yang ditarik tidak ikut terbitan berikutnya; berkas aslinya tetap tersimpan. Versi aktif "
            "baru berubah setelah Anda menerbitkan lagi."
        )
        by_id = {u["id"]: u for u in active}
        chosen = st.selectbox(
            "Unggahan",
            list(by_id),
            index=None,
            placeholder="Pilih unggahan yang akan ditarik",
            format_func=lambda i: upload_label(by_id[i], city) + ("" if i in published else " · belum diterbitkan"),
            key=PICK_WITHDRAW,
        )
        if chosen:
            sure = st.checkbox(
                f"Ya, tarik unggahan {markdown_literal(by_id[chosen]['nama_berkas'])} ({chosen})",
                key=f"unggah_tarik_yakin_{chosen}",
            )
            if st.button("Tarik unggahan", disabled=not sure, key="unggah_tarik") and sure:
                try:
                    gone = flow.withdraw_upload(settings, account, chosen)
                    del st.session_state[PICK_WITHDRAW]
                    finish(
                        "tarik",
                        f"Unggahan {markdown_literal(gone['nama_berkas'])} ditarik. Terbitkan versi baru agar berlaku.",
                    )
                except flow.Refused as exc:
                    st.error(str(exc))
