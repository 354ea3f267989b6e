"""Pengguna: accounts, roles and areas (admin only)."""

import pandas as pd
import streamlit as st

from pipelines import accounts, audit
from pipelines.accounts import ROLES, AccountError
from pipelines.formatting import tanggal
from pipelines.settings import get_settings
from pipelines.state import active_city
from ui import nav

ctx = nav.context()
settings = get_settings()
city = active_city(settings)
names = dict(zip(city.regions()["kode_kemendagri"], city.regions()["nama_kemendagri"]))

st.title("Pengguna")
st.caption(
    "Peran menentukan halaman yang tersedia; wilayah menentukan data yang terlihat. Lurah hanya melihat "
    "kelurahannya sendiri, camat kecamatannya."
)
users = accounts.load(settings)
st.dataframe(
    pd.DataFrame(
        [
            {
                "Nama pengguna": a.username,
                "Nama": a.nama,
                "Peran": a.role.label,
                "Wilayah": names.get(a.wilayah, "Seluruh kota") if a.wilayah else "Seluruh kota",
                "Status": ("aktif" if a.aktif else "nonaktif") + (" (terkunci)" if a.terkunci_sampai else ""),
                "Dibuat": tanggal(a.dibuat_pada),
                "E-mail SSO": a.email or "-",
            }
            for a in users.values()
        ]
    ),
    hide_index=True,
    width="stretch",
)


def _record(detail: str) -> None:
    audit.record(settings, user=ctx.account.username, role=ctx.account.peran, action="kelola_pengguna", detail=detail)


st.subheader("Tambah pengguna")
with st.form("form_pengguna_baru", clear_on_submit=True):
    c1, c2 = st.columns(2)
    username = c1.text_input("Nama pengguna (huruf kecil)")
    nama = c2.text_input("Nama lengkap")
    role = c1.selectbox("Peran", list(ROLES), format_func=lambda r: ROLES[r].label)
    areas = {k: v for k, v in names.items() if k.count(".") in (2, 3)}
    area = c2.selectbox(
        "Wilayah (untuk camat: kecamatan; untuk lurah: kelurahan)",
        ["", *areas],
        format_func=lambda k: "Seluruh kota" if not k else f"{areas[k]} ({k})",
    )
    email = c1.text_input("E-mail untuk SSO (boleh kosong)")
    if st.form_submit_button("Buat akun", type="primary"):
        password = accounts.generate_password()
        try:
            accounts.create(
                settings,
                username=username,
                nama=nama,
                peran=role,
                wilayah=area or None,
                password=password,
                city_code=city.kode,
                email=email or None,
            )
            _record(f"buat {username} ({role}, {area or 'seluruh kota'})")
            st.success(
                f"Akun {username} dibuat. Kata sandi awal (sampaikan langsung, hanya ditampilkan sekali): `{password}`"
            )
        except AccountError as exc:
            st.error(str(exc))

st.subheader("Ubah akun")
if users:
    chosen = st.selectbox("Akun", list(users), key="pengguna_pilih")
    c1, c2 = st.columns(2)
    if c1.button("Atur ulang kata sandi", key="pengguna_reset"):
        password = accounts.generate_password()
        accounts.set_password(settings, chosen, password)
        _record(f"atur ulang sandi {chosen}")
        st.success(f"Kata sandi baru untuk {chosen} (hanya ditampilkan sekali): `{password}`")
    active = users[chosen].aktif
    if chosen != ctx.account.username and c2.button("Nonaktifkan" if active else "Aktifkan", key="pengguna_aktif"):
        accounts.set_active(settings, chosen, not active)
        _record(f"{'nonaktifkan' if active else 'aktifkan'} {chosen}")
        st.rerun()
