"""Unggah data: check a file before anything is published, then publish or roll back."""

import tempfile
from pathlib import Path

import pandas as pd
import streamlit as st

from pipelines import audit, lake, registry
from pipelines.contracts import SOURCE_NAMES, contract_for
from pipelines.detect import AUTO, detect_source
from pipelines.formatting import angka, tanggal
from pipelines.ingest import ingest
from pipelines.lock import LockBusy
from pipelines.mapping import MappingError
from pipelines.periods import PeriodError, period_label, require_period
from pipelines.publish import PublishError, publish, rollback
from pipelines.readers import FileRejected
from pipelines.settings import get_settings
from pipelines.state import active_city
from ui import downloads, nav

ctx = nav.context()
account = ctx.account
settings = get_settings()
city = active_city(settings)
LAST = "unggah_laporan"

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
        work = Path(tempfile.mkdtemp(prefix="unggah-", dir=settings.tmp_dir if settings.tmp_dir.exists() else None))
        path = work / Path(upload.name).name
        path.write_bytes(upload.getbuffer())
        mapping_path = None
        if mapping is not None:
            mapping_path = work / "pemetaan.toml"
            mapping_path.write_bytes(mapping.getbuffer())
        try:
            with st.status("Membaca dan memeriksa berkas...", expanded=False) as status:
                period = require_period(period_text)
                if source == AUTO:
                    source = detect_source(path, city, sheet=sheet or None, mapping_file=mapping_path)
                    status.update(label=f"Dikenali sebagai {contract_for(source, city).label}; memeriksa baris...")
                report = ingest(
                    source,
                    path,
                    period,
                    mapping_file=mapping_path,
                    sheet=sheet or None,
                    user=account.username,
                    original_name=upload.name,
                    settings=settings,
                    city=city,
                ).report
                status.update(label="Pemeriksaan selesai.", state="complete")
            audit.record(
                settings,
                user=account.username,
                role=account.peran,
                action="unggah",
                rows=report["rows_read"],
                detail=f"{upload.name} ({source}, {period})",
            )
            st.session_state[LAST] = report
        except (FileRejected, MappingError, PeriodError, LockBusy) as exc:
            st.error(str(exc))
            audit.record(
                settings,
                user=account.username,
                role=account.peran,
                action="unggah",
                rows=0,
                detail=f"ditolak: {upload.name}: {str(exc)[:150]}",
            )
        finally:
            for item in work.iterdir():
                item.unlink()
            work.rmdir()

report = st.session_state.get(LAST)
if report:
    st.subheader(f"Hasil pemeriksaan: {report['file']}")
    st.markdown(
        f"Jenis data **{contract_for(report['source'], city).label}**, periode **{period_label(report['period'])}**."
    )
    if report["already_uploaded"]:
        st.info("Berkas yang sama persis sudah pernah diunggah; tidak ada data ganda yang ditambahkan.")
    m = st.columns(4)
    m[0].metric("Baris dibaca", angka(report["rows_read"]))
    m[1].metric("Diterima", angka(report["rows_accepted"]))
    m[2].metric("Ditolak", angka(report["rows_rejected"]))
    m[3].metric("Ditandai untuk verifikasi", angka(report["rows_flagged"]))
    st.caption(
        f"Judul kolom di baris {report['header_row']}"
        + (f", lembar '{report['sheet']}'" if report.get("sheet") else "")
        + (f", pengodean {report['encoding']}, pemisah '{report['delimiter']}'" if report.get("delimiter") else "")
        + (f"; kolom tidak dipakai: {', '.join(report['unmapped_columns'])}" if report["unmapped_columns"] else "")
    )
    if report["rows_rejected"]:
        reasons = pd.DataFrame(list(report["rejected_by_reason"].items()), columns=["Alasan", "Baris"])
        st.dataframe(reasons, hide_index=True, width="stretch")
        rejects = pd.read_csv(report["rejects_file"], sep=";", dtype=str, encoding="utf-8-sig", keep_default_na=False)
        st.markdown("**Baris yang ditolak** (perbaiki di berkas asal lalu unggah ulang):")
        st.dataframe(rejects.head(500), hide_index=True, width="stretch")
        downloads.table(
            rejects, name=f"Penolakan {report['file']}", account=account, area="seluruh kota", key="unggah_penolakan"
        )
    else:
        st.success("Semua baris diterima.")

st.divider()
st.subheader("Terbitkan")
if flash := st.session_state.pop("unggah_pesan", None):
    st.success(flash)
try:
    manifest = lake.read_manifest(settings)
except lake.NoLake:
    manifest = None
active = registry.uploads(settings)
published = set(manifest["unggahan"]) if manifest else set()
pending = [u for u in active if u["id"] not in published]
if manifest:
    st.markdown(
        f"Versi aktif **{manifest['versi']}**, diterbitkan {tanggal(manifest['diterbitkan_pada'])} oleh "
        f"{manifest['oleh']}, memuat {len(published)} unggahan."
    )
if pending:
    st.markdown(f"**{len(pending)} unggahan belum diterbitkan:**")
    st.dataframe(
        pd.DataFrame(
            [
                {
                    "Berkas": u["nama_berkas"],
                    "Jenis": u["sumber"],
                    "Periode": period_label(u["periode"]),
                    "Diterima": angka(u["baris_diterima"]),
                    "Ditolak": angka(u["baris_ditolak"]),
                    "Oleh": u["oleh"],
                }
                for u in pending
            ]
        ),
        hide_index=True,
        width="stretch",
    )
else:
    st.caption("Tidak ada unggahan baru sejak versi terakhir.")
left, right = st.columns(2)
if left.button("Terbitkan versi baru", type="primary", disabled=not active, key="unggah_terbitkan"):
    try:
        with st.spinner("Menyusun versi baru..."):
            new = publish(settings=settings, user=account.username)
        audit.record(
            settings,
            user=account.username,
            role=account.peran,
            action="terbitkan",
            rows=new["tabel"]["keluarga"]["baris"],
            detail=new["versi"],
        )
        st.cache_data.clear()
        st.session_state["unggah_pesan"] = f"Versi {new['versi']} diterbitkan. Semua halaman kini memakai data ini."
        st.rerun()
    except (PublishError, LockBusy) as exc:
        st.error(str(exc))
if (
    manifest
    and manifest.get("sebelumnya")
    and right.button(f"Kembalikan ke versi {manifest['sebelumnya']}", key="unggah_kembalikan")
):
    try:
        back = rollback(settings=settings, user=account.username)
        audit.record(
            settings,
            user=account.username,
            role=account.peran,
            action="kembalikan",
            detail=f"{back['dipulihkan_dari']} -> {back['versi']}",
        )
        st.cache_data.clear()
        st.session_state["unggah_pesan"] = (
            f"Versi aktif sekarang {back['versi']} (dikembalikan dari {back['dipulihkan_dari']})."
        )
        st.rerun()
    except (PublishError, LockBusy) as exc:
        st.error(str(exc))
