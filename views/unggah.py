"""Unggah data: check a file before anything is published, then publish; roll back and withdraw apart."""

import pandas as pd
import streamlit as st

from pipelines.formatting import angka, markdown_literal, tanggal
from pipelines.ingestion.contracts import SOURCE_NAMES, contract_for
from pipelines.ingestion.detect import AUTO
from pipelines.periods import period_label
from pipelines.settings import get_settings
from pipelines.state import active_city
from pipelines.workflow import upload as flow
from ui import nav, unggah

ctx = nav.context()
account = ctx.account
settings = get_settings()
city = active_city(settings)
LAST = "unggah_laporan"
# What the last publish, rollback or withdrawal did, shown after the rerun where it was asked for.
DONE = "unggah_selesai"

st.title("Unggah data")
st.caption(
    "Berkas diperiksa dulu; tidak ada yang diterbitkan sampai Anda menekan **Terbitkan**. Berkas disimpan "
    "apa adanya (dengan sidik SHA-256) sehingga bisa diperiksa ulang kapan pun."
)

with st.form("form_unggah"):
    c1, c2 = st.columns(2)
    source = c1.selectbox(
        "Jenis data",
        (AUTO, *SOURCE_NAMES),
        format_func=lambda s: "Kenali otomatis dari judul kolom" if s == AUTO else contract_for(s, city).label,
        key="unggah_sumber",
    )
    period_text = c2.text_input(
        "Periode", placeholder="mis. 2025-Q4, Triwulan IV 2025, Desember 2025", key="unggah_periode"
    )
    upload = st.file_uploader("Berkas CSV atau Excel", type=["csv", "xlsx", "xls", "txt"], key="unggah_berkas")
    with st.expander("Pilihan lanjutan: lembar Excel dan berkas pemetaan kolom"):
        sheet = st.text_input("Nama lembar (kosongkan agar dipilih otomatis)", key="unggah_lembar")
        mapping = st.file_uploader("Berkas pemetaan (.toml)", type=["toml"], key="unggah_pemetaan")
    checked = st.form_submit_button("Periksa berkas", type="primary")

if checked:
    st.session_state.pop(LAST, None)
    if upload is None:
        st.error("Pilih berkas yang akan diunggah.")
    else:
        with st.status("Membaca dan memeriksa berkas...") as status:
            try:
                st.session_state[LAST] = flow.check_file(
                    settings,
                    city,
                    account,
                    name=upload.name,
                    content=upload.getbuffer(),
                    source=source,
                    period_text=period_text,
                    sheet=sheet or None,
                    mapping=mapping.getbuffer() if mapping is not None else None,
                    progress=lambda text: status.update(label=text),
                )
                status.update(label="Pemeriksaan selesai.", state="complete")
            except flow.Refused as exc:
                status.update(label="Berkas ditolak; tidak ada yang diterbitkan.", state="error", expanded=True)
                st.error(markdown_literal(exc))

report = st.session_state.get(LAST)
if report:
    unggah.check_report(report, city, account)


def finish(where: str, message: str, steps: tuple[str, ...] = ()) -> None:
    st.session_state[DONE] = {"where": where, "message": message, "steps": steps}
    st.cache_data.clear()
    st.rerun()


st.divider()
st.subheader("Terbitkan")
done = st.session_state.pop(DONE, None) or {"where": None}
now = flow.changes(settings)
published = set(now.current["unggahan"]) if now.current else set()
if now.current:
    st.markdown(
        f"Versi aktif **{now.current['versi']}**, diterbitkan {tanggal(now.current['diterbitkan_pada'])} oleh "
        f"{now.current['oleh']}, memuat {len(published)} unggahan."
    )
if now.added or now.removed:
    st.markdown(f"**{len(now.added) + len(now.removed)} perubahan belum diterbitkan:**")
    rows = [("ditambahkan", u) for u in now.added] + [("dikeluarkan (ditarik)", u) for u in now.removed]
    table = [
        {
            "Perubahan": change,
            "Berkas": u["nama_berkas"],
            "Jenis": contract_for(u["sumber"], city).label,
            "Periode": period_label(u["periode"]),
            "Diterima": angka(u["baris_diterima"]),
            "Ditolak": angka(u["baris_ditolak"]),
            "Oleh": u.get("oleh") or "-",
        }
        for change, u in rows
    ]
    st.dataframe(pd.DataFrame(table), hide_index=True, width="stretch")
else:
    st.caption("Tidak ada unggahan baru atau yang ditarik sejak versi aktif.")
go = st.button("Terbitkan versi baru", type="primary", disabled=not now.active, key="unggah_terbitkan")
# Progress and outcome stay right under the button: a publish of a whole city takes a while.
if done["where"] == "terbitkan":
    with st.status(done["message"], state="complete"):
        for text in done["steps"]:
            st.markdown(f"- {text}")
    st.success(done["message"] + " Semua halaman kini memakai data ini.")
if go:
    steps: list[str] = []

    def step(text: str) -> None:
        steps.append(text)
        status.update(label=f"{text}...")
        status.markdown(f"- {text}")

    with st.status("Menyusun versi baru...", expanded=True) as status:
        try:
            new = flow.publish_version(settings, account, progress=step)
        except flow.Refused as exc:
            status.update(label="Tidak diterbitkan.", state="error")
            st.warning(str(exc))
        else:
            finish("terbitkan", f"Versi {new['versi']} diterbitkan.", tuple(steps))

unggah.rollback(settings, account, now.current, done, finish)
unggah.withdraw(settings, account, city, now.active, published, done, finish)
