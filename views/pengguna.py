"""Pengguna: accounts, roles and areas (admin only)."""

import pandas as pd
import streamlit as st

from pipelines.access import accounts, audit
from pipelines.access.accounts import ROLES, AccountError
from pipelines.formatting import tanggal
from pipelines.settings import get_settings
from pipelines.state import active_city
from ui import nav
from ui.widgets import LEVEL_WORDS

ctx = nav.context()
settings = get_settings()
city = active_city(settings)
regions = city.regions()
# Bumped after each reset, so the next reset asks for its own confirmation again.
RESETS = "pengguna_reset_ke"


def area_choices(level: str) -> dict[str, str]:
    """Areas an account of `level` may hold, by name: 'Kelurahan Siantan Hilir (61.71.04.1003)'."""
    rows = regions[regions["level"] == level].sort_values("nama_kemendagri")
    return {
        r.kode_kemendagri: f"{'Desa' if r.kelurahan_or_desa == 'desa' else LEVEL_WORDS[level]} "
        f"{r.nama_kemendagri} ({r.kode_kemendagri})"
        for r in rows.itertuples()
    }


AREA_LABELS = {**area_choices("kecamatan"), **area_choices("kelurahan")}


def _record(detail: str) -> None:
    audit.record(settings, user=ctx.account.username, role=ctx.account.peran, action="kelola_pengguna", detail=detail)


st.title("Pengguna")
st.caption(
    "Peran menentukan halaman yang tersedia; wilayah menentukan data yang terlihat. Lurah hanya melihat "
    "kelurahannya sendiri, camat kecamatannya."
)
# Filled at the end of the run, so an account made or changed below is already in it.
table = st.container()

st.subheader("Tambah pengguna")
# The role sits outside the form: the area list below follows it at once.
role = st.selectbox("Peran", list(ROLES), format_func=lambda r: ROLES[r].label, key="pengguna_baru_peran")
level = ROLES[role].area_level
with st.form("form_pengguna_baru", clear_on_submit=True):
    c1, c2 = st.columns(2)
    username = c1.text_input("Nama pengguna (huruf kecil)", key="pengguna_baru_nama")
    nama = c2.text_input("Nama lengkap", key="pengguna_baru_lengkap")
    if level:
        choices = area_choices(level)
        area = c1.selectbox(
            f"Wilayah ({level})",
            list(choices),
            index=None,
            format_func=choices.get,
            placeholder=f"Pilih {level}",
            key=f"pengguna_baru_wilayah_{level}",
        )
    else:
        area = None
        c1.caption(f"{ROLES[role].label} melihat seluruh kota; tidak ada wilayah yang dipilih.")
    email = c2.text_input("E-mail untuk SSO (boleh kosong)", key="pengguna_baru_email")
    submitted = st.form_submit_button("Buat akun", type="primary")
if submitted:
    password = accounts.generate_password()
    try:
        accounts.create(
            settings,
            username=username,
            nama=nama,
            peran=role,
            wilayah=area,
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
users = accounts.load(settings)
chosen = st.selectbox(
    "Akun",
    list(users),
    index=None,
    placeholder="Pilih akun yang akan diubah",
    format_func=lambda u: f"{u} · {users[u].nama} · {users[u].role.label}",
    key="pengguna_pilih",
)
if chosen:
    c1, c2 = st.columns(2)
    resets = st.session_state.get(RESETS, 0)
    sure = c1.checkbox(f"Ya, atur ulang kata sandi {chosen}", key=f"pengguna_reset_yakin_{chosen}_{resets}")
    c1.caption("Kata sandi lama langsung tidak berlaku; sesi yang sedang terbuka berakhir.")
    if c1.button("Atur ulang kata sandi", disabled=not sure, key="pengguna_reset") and sure:
        password = accounts.generate_password()
        accounts.set_password(settings, chosen, password)
        _record(f"atur ulang sandi {chosen}")
        st.session_state[RESETS] = resets + 1
        c1.success(f"Kata sandi baru untuk {chosen} (hanya ditampilkan sekali): `{password}`")
    active = users[chosen].aktif
    if chosen != ctx.account.username and c2.button("Nonaktifkan" if active else "Aktifkan", key="pengguna_aktif"):
        accounts.set_active(settings, chosen, not active)
        _record(f"{'nonaktifkan' if active else 'aktifkan'} {chosen}")
        st.rerun()

table.dataframe(
    pd.DataFrame(
        [
            {
                "Nama pengguna": a.username,
                "Nama": a.nama,
                "Peran": a.role.label,
                "Wilayah": AREA_LABELS.get(a.wilayah, a.wilayah) if a.wilayah else "Seluruh kota",
                "Status": ("aktif" if a.aktif else "nonaktif") + (" (terkunci)" if a.terkunci_sampai else ""),
                "Dibuat": tanggal(a.dibuat_pada),
                "E-mail SSO": a.email or "-",
            }
            for a in accounts.load(settings).values()
        ]
    ),
    hide_index=True,
    width="stretch",
)
