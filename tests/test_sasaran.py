"""Keluarga sasaran through the user's path: the family detail, the follow-up confirmation,
data text never read as Markdown, and the city-wide analyst reaching a kelurahan's list."""

from __future__ import annotations

import re

import pytest

from pipelines.access import audit, masking
from pipelines.access.scope import OutOfScope, Scope
from pipelines.ingestion.ingest import ingest
from pipelines.lake.pseudonym import key, pseudonym
from pipelines.lake.publish import publish
from pipelines.read.query import LakeReader
from tests.apptest import app_as, create_users, failed, texts
from tests.builders import kk, nik, write_csv
from ui import state

PAGE = "views/sasaran.py"
AKCAYA = "61.71.01.1006"
# Family 2 of the small city (Akcaya RW 001 / RT 002) is fakir miskin in 2025-Q3 and 2025-Q4.
HEAD = "Kepala 2"
HEAD_MASKED = masking.mask_name(HEAD)  # 'K***** 2**': Markdown would read the stars
MEMBERS = {
    nik(2): (HEAD, "Kepala Keluarga", "15/06/1980"),
    nik(22, woman=True): ("Siti *Aminah* [x](y)", "Istri", "15/06/1982"),
    nik(23): ("Budi_Santoso", "Anak", "01/02/2015"),
}
UNESCAPED_STAR = re.compile(r"(?<!\\)\*")


def add_members(settings, tmp_path) -> None:
    """Family 2's member list, uploaded for 2025-Q4 (names with Markdown characters on purpose)."""
    rows = [[n, kk(2), name, "L" if rel != "Istri" else "P", born, rel] for n, (name, rel, born) in MEMBERS.items()]
    header = ["NIK", "No KK", "Nama", "Jenis Kelamin", "Tanggal Lahir", "Hubungan"]
    ingest("anggota", write_csv(tmp_path / "anggota.csv", header, rows), "2025-Q4", settings=settings)


@pytest.fixture
def lake(small_city, tmp_path):
    add_members(small_city, tmp_path)
    publish(settings=small_city)
    create_users(small_city)
    return small_city


def open_family(at, head: str):
    """Click the family's row (AppTest sets the grid's selection state directly)."""
    row = at.dataframe[0].value["Kepala keluarga"].tolist().index(head)
    at.session_state["sasaran_tabel"] = {"selection": {"rows": [row], "columns": []}}
    return at.run()


def table_with(at, *columns: str):
    [frame] = [d.value for d in at.dataframe if set(columns) <= set(d.value.columns)]
    return frame


def unescaped(markdown: str) -> str:
    """What CommonMark shows for text whose punctuation is backslash-escaped."""
    return re.sub(r"\\(.)", r"\1", markdown).replace("&#58;", ":")


def test_family_detail_shows_members_masked_until_names_are_opened(lake):
    at = open_family(app_as("lurah", page=PAGE), HEAD_MASKED)
    assert not failed(at)
    members = table_with(at, "Nama", "NIK", "Hubungan")
    assert len(members) == 3
    assert members["Nama"].tolist() == [masking.mask_name(name) for name, _, _ in MEMBERS.values()]
    assert members["NIK"].str.fullmatch(r"\d{6}\*{6}\d{4}").all()
    assert members["Hubungan"].tolist() == ["Kepala keluarga", "Istri/suami", "Anak"]
    history = table_with(at, "Periode", "Desil", "Fakir miskin")
    assert history["Periode"].tolist() == ["Triwulan III 2025", "Triwulan IV 2025"]
    assert history["Fakir miskin"].str.startswith("Ya").all()
    shown = "\n".join(t.value for t in at.text)
    assert "RW 001 / RT 002" in shown and HEAD not in shown
    assert not [e for e in audit.entries(lake) if e["aksi"] == "lihat_nama"]

    at.toggle(key="sasaran_buka").set_value(True).run()
    members = table_with(at, "Nama", "NIK", "Hubungan")
    assert members["Nama"].tolist() == [name for name, _, _ in MEMBERS.values()]
    assert members["NIK"].str.fullmatch(r"\d{6}\*{6}\d{4}").all(), "a lurah never sees a whole NIK"
    detail_views = [e for e in audit.entries(lake) if e["aksi"] == "lihat_nama" and "rincian keluarga" in e["rincian"]]
    assert detail_views and detail_views[-1]["wilayah"] == AKCAYA and detail_views[-1]["baris"] == 3


def test_saving_a_follow_up_confirms_with_the_masked_family_and_the_status(lake):
    at = app_as("lurah", page=PAGE)
    at.toggle(key="sasaran_buka").set_value(True).run()  # names open: the confirmation still masks
    at = open_family(at, HEAD)
    [status] = [s for s in at.selectbox if s.label == "Status"]
    status.set_value("kunjungan")
    at.text_area[0].input("Rumah perlu dicek bersama RT")
    [save] = [b for b in at.button if b.label == "Simpan tindak lanjut"]
    save.click().run()
    assert not failed(at)
    [done] = at.success
    assert HEAD_MASKED in unescaped(done.value) and "Perlu kunjungan rumah" in done.value
    assert HEAD not in unescaped(done.value)
    notes = table_with(at, "Waktu", "Oleh", "Status", "Catatan")
    assert notes[["Oleh", "Status", "Catatan"]].values.tolist() == [
        ["lurah", "Perlu kunjungan rumah", "Rumah perlu dicek bersama RT"]
    ]
    assert at.dataframe[0].value["Tindak lanjut"].tolist() == ["Perlu kunjungan rumah"]


def test_a_follow_up_is_audited_and_one_that_cannot_be_audited_is_not_kept(lake, monkeypatch):
    from pipelines.workflow import casework

    at = app_as("lurah", page=PAGE)
    at = open_family(at, HEAD_MASKED)
    at.text_area[0].input("Sudah dikunjungi")
    [save] = [b for b in at.button if b.label == "Simpan tindak lanjut"]
    save.click().run()
    assert not failed(at)
    settings = lake
    [line] = [e for e in audit.entries(settings) if e["aksi"] == "tindak_lanjut"]
    assert (line["pengguna"], line["wilayah"], line["baris"]) == ("lurah", AKCAYA, 1)
    kept = len(casework.history(settings))

    def full_disk(*args, **kwargs):
        raise audit.AuditError("Log audit tidak dapat ditulis.")

    monkeypatch.setattr(audit, "record", full_disk)
    with pytest.raises(audit.AuditError):
        casework.follow_up(
            settings,
            kk_hash=casework.history(settings)[0].kk_hash,
            periode="2025-Q4",
            kode_kelurahan=AKCAYA,
            status="kunjungan",
            catatan="tidak tercatat",
            user="lurah",
            role="lurah",
        )
    assert len(casework.history(settings)) == kept


@pytest.mark.parametrize("reveal", [False, True])
def test_names_from_data_are_never_read_as_markdown(lake, reveal):
    at = app_as("lurah", page=PAGE)
    at.toggle(key="sasaran_buka").set_value(reveal).run()
    at = open_family(at, HEAD if reveal else HEAD_MASKED)
    # No Markdown element carries a data value raw (the masked name, a member's name)...
    for element in [*at.markdown, *at.caption, *at.info, *at.success, *at.subheader, *at.title]:
        assert HEAD_MASKED not in element.value and "*Aminah*" not in element.value
    # ...the family's heading is a heading element whose every star is escaped: shown, not bold...
    [heading] = at.subheader
    assert unescaped(heading.value) == (HEAD if reveal else HEAD_MASKED)
    assert not UNESCAPED_STAR.search(heading.value)
    # ...and members' names sit in a table, which shows text as it is.
    if reveal:
        assert "Siti *Aminah* [x](y)" in table_with(at, "Nama", "NIK")["Nama"].tolist()


def test_analyst_opens_a_kelurahan_case_list_from_the_page(lake):
    at = app_as("analis", page=PAGE)
    assert not failed(at)
    pick = at.selectbox(key="sasaran_pilih_kelurahan")  # on the page, not only in the sidebar
    assert {"Akcaya", "Sungaijawi Dalam"} <= {o.split(" (")[0] for o in pick.options}
    pick.set_value(AKCAYA).run()
    assert not failed(at)
    assert at.session_state[state.AREA] == AKCAYA
    assert "Kelurahan Akcaya" in texts(at)
    assert HEAD_MASKED in at.dataframe[0].value["Kepala keluarga"].tolist()
    # Back to the whole city in the sidebar: the page asks again, it does not jump back.
    at.selectbox(key=state.PICK_KECAMATAN).set_value("").run()
    assert not failed(at)
    assert at.session_state[state.AREA] == "61.71"
    assert at.selectbox(key="sasaran_pilih_kelurahan").value is None


def test_the_lurah_is_not_offered_other_kelurahan(lake):
    at = app_as("lurah", page=PAGE)
    assert "sasaran_pilih_kelurahan" not in [s.key for s in at.selectbox]


def test_family_detail_stays_inside_the_users_kelurahan(lake):
    reader = LakeReader(lake)
    lurah = Scope(AKCAYA, names=True, user="lurah", role="lurah")
    with pytest.raises(OutOfScope):
        reader.family_detail(lurah, "61.71.03.1002", pseudonym(kk(4), key(lake)), "2025-Q4")
    # Family 4 lives in Sungaijawi Dalam: asked for under Akcaya, nothing of it comes back.
    other = reader.family_detail(lurah, AKCAYA, pseudonym(kk(4), key(lake)), "2025-Q4")
    assert other.history.empty and other.members.empty and other.receipts.empty
    with pytest.raises(OutOfScope):
        reader.family_detail(Scope(None, names=False), AKCAYA, pseudonym(kk(2), key(lake)), "2025-Q4")
