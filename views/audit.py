"""Log audit: every login, view of names, upload, publish, rollback and export (admin only)."""

import datetime as dt
from zoneinfo import ZoneInfo

import pandas as pd
import streamlit as st

from pipelines.access import audit
from pipelines.access.accounts import ROLES
from pipelines.domain import CODE, Kode
from pipelines.formatting import angka
from pipelines.periods import date_label
from pipelines.settings import get_settings
from pipelines.state import active_city
from ui import downloads, nav

# Lines written by the server's command line, and by someone not logged in (a failed login).
OTHER_ROLES = {"cli": "Baris perintah di server", "-": "-"}
DAMAGED = "Catatan rusak"

ctx = nav.context()
settings = get_settings()
city = active_city(settings)
zone = ZoneInfo(city.zona_waktu)
regions = city.regions()
names = {"seluruh kota": "Seluruh kota"} | {
    r.kode_kemendagri: r.nama_kemendagri
    if r.level == "kota"
    else f"{(r.kelurahan_or_desa or r.level).title()} {r.nama_kemendagri}"
    for r in regions.itertuples()
}


def area_label(code) -> str:
    if code is None:
        return "-"
    code = str(code)
    if code in names:
        return names[code]
    if not CODE.match(code):
        return code
    home = Kode(code).kelurahan
    if home and home != Kode(code) and home.text in names:
        # RW and RT inside the kelurahan: 'Kelurahan Akcaya RW 005 RT 012'.
        deeper = [f"{a.level.upper()} {a.parts[-1]}" for a in Kode(code).ancestors() if a.level in ("rw", "rt")]
        return " ".join([names[home.text], *deeper])
    return code


def role_label(key) -> str:
    return ROLES[key].label if key in ROLES else OTHER_ROLES.get(key, plain(key))


def plain(value) -> str:
    return "-" if value is None else str(value)


def when(value) -> str:
    try:
        moment = dt.datetime.fromisoformat(str(value))
    except ValueError:
        return "-"
    return moment.replace(tzinfo=moment.tzinfo or dt.UTC).astimezone(zone).strftime("%d/%m/%Y %H:%M")


def rows_label(value) -> str:
    """Rows only where an action touched rows (an upload, a view of names, an export); else a dash."""
    return angka(value) if isinstance(value, int) and not isinstance(value, bool) else "-"


st.title("Log audit")
check = audit.verify(settings)
if check.intact:
    st.caption(
        "Log hanya bisa ditambah. Setiap catatan memuat nomor urut dan sidik catatan sebelumnya, dan kepala "
        "rantainya disimpan terpisah di basis data aplikasi: rantainya utuh."
    )
else:
    st.error(
        "Log audit tidak utuh: ada catatan yang diubah, dihapus atau rusak. Laporkan ke pimpinan.\n\n"
        + "\n".join(f"- {problem}" for problem in check.problems)
    )
if check.adopted_on:
    adopted = date_label(dt.datetime.fromisoformat(check.adopted_on).astimezone(zone))
    st.info(
        f"Log ini dibuat oleh versi aplikasi sebelumnya dan diadopsi pada {adopted}. "
        f"{angka(check.adopted_lines)} catatan pertama ditulis sebelum kepala rantai disimpan di basis data: "
        "pemotongan log sebelum tanggal itu tidak dapat dipastikan."
    )

entries = audit.entries(settings)
if not entries:
    st.info("Belum ada catatan.")
    st.stop()
log = pd.DataFrame(
    [
        {
            "No.": angka(e["nomor"]),
            "Waktu": when(e["waktu"]),
            "Pengguna": plain(e["pengguna"]),
            "Peran": role_label(e["peran"]),
            "Aksi": DAMAGED if e["rusak"] else audit.ACTIONS.get(e["aksi"], plain(e["aksi"])),
            "Wilayah": area_label(e["wilayah"]),
            "Baris": rows_label(e["baris"]),
            "Rincian": e["teks"] if e["rusak"] else plain(e["rincian"]),
        }
        for e in entries
    ]
)
c1, c2, c3 = st.columns(3)
# Streamlit's own "Select all" entry is English: hidden, the list is short anyway.
who = c1.multiselect(
    "Pengguna", sorted(log["Pengguna"].unique()), key="audit_pengguna", placeholder="Semua", select_all=False
)
what = c2.multiselect("Aksi", sorted(log["Aksi"].unique()), key="audit_aksi", placeholder="Semua", select_all=False)
text = c3.text_input("Cari di rincian", key="audit_cari")
view = log
if who:
    view = view[view["Pengguna"].isin(who)]
if what:
    view = view[view["Aksi"].isin(what)]
if text:
    view = view[view["Rincian"].str.contains(text, case=False, regex=False)]
view = view.iloc[::-1]
st.markdown(f"**{angka(len(view))} catatan** (terbaru di atas; waktu {city.nama_zona}).")
st.dataframe(view, hide_index=True, width="stretch")
downloads.table(view, name="Log audit", account=ctx.account, area="seluruh kota", key="audit_unduh")
