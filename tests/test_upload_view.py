"""The analyst's upload page: check before publish, publish, roll back; every bad file refused, lake unchanged."""

from __future__ import annotations

import io
import json
import re
import zipfile

import pytest

from pipelines.access import audit
from pipelines.formatting import tanggal
from pipelines.ingestion import filetype
from pipelines.ingestion.ingest import ingest
from pipelines.lake import manifest as lake
from pipelines.lake import registry
from pipelines.lake.publish import publish, rollback
from tests.apptest import ROOT, app_as, create_users, failed, seen, texts
from tests.builders import KELUARGA_HEADER, keluarga_row, write_csv, write_xlsx

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def lake_ready(small_city):
    publish(settings=small_city)
    create_users(small_city)
    return small_city


def upload(at, name: str, content: bytes, period: str = "2025-Q4", source: str = "keluarga"):
    at.selectbox(key="unggah_sumber").set_value(source)
    at.text_input(key="unggah_periode").input(period)
    at.file_uploader(key="unggah_berkas").set_value((name, content, XLSX if name.endswith("xlsx") else "text/csv"))
    [check] = [b for b in at.button if b.label == "Periksa berkas"]
    check.click().run()
    return at


@pytest.fixture
def two_versions(lake_ready, tmp_path):
    """v0001 from the small city, v0002 with one more upload (id returned)."""
    path = write_csv(tmp_path / "tambahan.csv", KELUARGA_HEADER, [keluarga_row(7, desil="1")])
    added = ingest("keluarga", path, "2025-Q4", settings=lake_ready, original_name="tambahan.csv").upload_id
    publish(settings=lake_ready)
    return lake_ready, added


def lake_state(settings) -> tuple:
    manifest = lake.read_manifest(settings)
    return manifest["versi"], manifest["sidik_isi"]


def button(at, start: str):
    [found] = [b for b in at.button if seen(b.label).startswith(start)]
    return found


def checkbox(at, start: str):
    [found] = [c for c in at.checkbox if seen(c.label).startswith(start)]
    return found


def in_order(node):
    """The page's elements in the order the user sees them, blocks before their content."""
    yield node
    children = getattr(node, "children", {})
    for key in sorted(children):
        yield from in_order(children[key])


def inside(block) -> str:
    return "\n".join(str(getattr(n, "value", "")) for n in in_order(block))


def test_valid_file_is_checked_then_published(lake_ready, tmp_path):
    before = lake_state(lake_ready)
    path = write_csv(tmp_path / "baru.csv", KELUARGA_HEADER, [keluarga_row(7, desil="1"), keluarga_row(8, "Lok Tuan")])
    at = upload(app_as("analis", page="views/unggah.py"), "baru.csv", path.read_bytes())
    assert not failed(at)
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Baris dibaca"] == "2" and metrics["Diterima"] == "1" and metrics["Ditolak"] == "1"
    reasons = " ".join(at.dataframe[0].value["Alasan"])
    rejected = at.dataframe[1].value
    assert "Kota Bontang" in reasons and rejected["baris"].tolist() == ["3"]
    assert lake_state(lake_ready) == before, "checking a file publishes nothing"
    [go] = [b for b in at.button if b.label == "Terbitkan versi baru"]
    go.click().run()
    assert "diterbitkan" in texts(at) and lake_state(lake_ready)[0] != before[0]
    actions = [e["aksi"] for e in audit.entries(lake_ready)]
    assert "unggah" in actions and "terbitkan" in actions
    checkbox(at, "Ya, ganti versi aktif").check().run()
    button(at, "Kembalikan ke versi").click().run()
    assert lake_state(lake_ready)[0] == before[0]
    assert "kembalikan" in [e["aksi"] for e in audit.entries(lake_ready)]


def _zip_bomb() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("xl/workbook.xml", "<workbook/>")
        zf.writestr("xl/worksheets/sheet1.xml", b"\0" * (40 * 1024 * 1024))
    return buf.getvalue()


def _macro() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("xl/workbook.xml", "<workbook/>")
        zf.writestr("xl/vbaProject.bin", b"\0" * 32)
    return buf.getvalue()


BAD_FILES = {
    "kosong": ("kosong.csv", lambda p: b"", "Berkas kosong"),
    "gambar": ("foto.xlsx", lambda p: b"\x89PNG\r\n\x1a\n" + b"\0" * 64, "gambar PNG"),
    "biner": ("data.csv", lambda p: b"MZ\x90\0" + bytes(range(256)) * 8, "biner"),
    "terenkripsi": (
        "sandi.xlsx",
        lambda p: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504 + "EncryptionInfo".encode("utf-16-le"),
        "kata sandi",
    ),
    "makro": ("makro.xlsx", lambda p: _macro(), "makro"),
    "zip_bomb": ("bom.xlsx", lambda p: _zip_bomb(), "zip bomb"),
    "kolom_salah": (
        "salah.csv",
        lambda p: write_csv(p / "s.csv", ["Tanggal", "Keterangan"], [["1/1/2025", "x"]]).read_bytes(),
        "judul kolom|Kolom wajib",
    ),
    "kota_lain": (
        "bontang.xlsx",
        lambda p: write_xlsx(
            p / "b.xlsx", KELUARGA_HEADER, [keluarga_row(i, "Lok Tuan") for i in range(1, 4)]
        ).read_bytes(),
        "Semua 3 baris ditolak.*Kota Bontang",
    ),
}


@pytest.mark.parametrize("source", ["keluarga", "otomatis"])
@pytest.mark.parametrize("case", list(BAD_FILES))
def test_bad_file_is_refused_with_a_clear_message_and_nothing_changes(lake_ready, tmp_path, case, source):
    name, make, pattern = BAD_FILES[case]
    before, uploads_before = lake_state(lake_ready), registry.uploads(lake_ready)
    at = upload(app_as("analis", page="views/unggah.py"), name, make(tmp_path), source=source)
    assert not failed(at)
    errors = " ".join(str(e.value) for e in at.error)
    assert errors and re.search(pattern, errors), errors
    [status] = at.get("status")
    assert status.state == "error" and "ditolak" in status.label
    assert lake_state(lake_ready) == before and registry.uploads(lake_ready) == uploads_before


def test_file_over_the_size_limit_is_refused(lake_ready, tmp_path, monkeypatch):
    monkeypatch.setattr(filetype, "MAX_UPLOAD_BYTES", 200)
    before, uploads_before = lake_state(lake_ready), registry.uploads(lake_ready)
    path = write_csv(tmp_path / "besar.csv", KELUARGA_HEADER, [keluarga_row(i) for i in range(20)])
    at = upload(app_as("analis", page="views/unggah.py"), "besar.csv", path.read_bytes())
    assert "terlalu besar" in " ".join(str(e.value) for e in at.error)
    assert lake_state(lake_ready) == before and registry.uploads(lake_ready) == uploads_before


def test_same_file_twice_is_recognised_without_duplicate_data(lake_ready, tmp_path):
    path = write_csv(tmp_path / "dua.csv", KELUARGA_HEADER, [keluarga_row(9)])
    at = upload(app_as("analis", page="views/unggah.py"), "dua.csv", path.read_bytes())
    count = len(registry.uploads(lake_ready))
    at = upload(at, "dua.csv", path.read_bytes())
    assert "sudah pernah diunggah" in texts(at)
    assert len(registry.uploads(lake_ready)) == count


def test_bad_period_is_refused(lake_ready, tmp_path):
    path = write_csv(tmp_path / "p.csv", KELUARGA_HEADER, [keluarga_row(9)])
    at = upload(app_as("analis", page="views/unggah.py"), "p.csv", path.read_bytes(), period="kemarin")
    assert "Periode tidak sah" in " ".join(str(e.value) for e in at.error)


def test_kind_left_to_recognition_is_named_in_the_result(lake_ready, tmp_path):
    path = write_xlsx(tmp_path / "p3ke.xlsx", KELUARGA_HEADER, [keluarga_row(11, desil="1"), keluarga_row(12)])
    at = upload(app_as("analis", page="views/unggah.py"), "p3ke.xlsx", path.read_bytes(), source="otomatis")
    assert not failed(at) and not at.error
    assert "Jenis data **Data keluarga (DTSEN / P3KE)**" in texts(at)
    assert {m.label: m.value for m in at.metric}["Diterima"] == "2"
    assert registry.uploads(lake_ready)[-1]["sumber"] == "keluarga"


def test_refused_file_ends_the_status_in_the_refused_state_with_the_reason(lake_ready):
    at = upload(app_as("analis", page="views/unggah.py"), "kosong.csv", b"")
    [status] = at.get("status")
    assert status.state == "error"
    assert status.label.startswith("Berkas ditolak") and "Membaca" not in status.label
    assert "Berkas kosong" in inside(status), "the reason is shown in the refused status itself"


def test_publish_with_nothing_new_is_refused_and_publishes_nothing(lake_ready):
    before = lake_state(lake_ready)
    at = app_as("analis", page="views/unggah.py")
    button(at, "Terbitkan versi baru").click().run()
    assert not failed(at)
    when = tanggal(lake.read_manifest(lake_ready)["diterbitkan_pada"])
    assert f"Tidak ada perubahan sejak versi {before[0]} (diterbitkan {when})" in texts(at)
    assert lake_state(lake_ready) == before and lake.existing_versions(lake_ready) == [before[0]]
    assert "terbitkan" not in [e["aksi"] for e in audit.entries(lake_ready)]


def test_publish_progress_and_outcome_show_right_under_the_button(lake_ready, tmp_path):
    path = write_csv(tmp_path / "baru.csv", KELUARGA_HEADER, [keluarga_row(7, desil="1")])
    ingest("keluarga", path, "2025-Q4", settings=lake_ready)
    at = app_as("analis", page="views/unggah.py")
    button(at, "Terbitkan versi baru").click().run()
    order = [n for n in in_order(at.main) if n.type not in ("vertical", "flex_container")]
    at_button = next(i for i, n in enumerate(order) if getattr(n, "label", "") == "Terbitkan versi baru")
    status = order[at_button + 1]
    assert status.type == "status" and status.state == "complete", [n.type for n in order[at_button:]]
    assert "v0002 diterbitkan" in status.label
    assert "Menulis tabel versi baru" in inside(status), "the steps of the publish stay readable"


def test_rollback_is_apart_from_publish_and_needs_a_confirmation_naming_version_and_date(two_versions):
    settings, _ = two_versions
    first = json.loads((lake.version_path(settings, "v0001") / lake.MANIFEST).read_text(encoding="utf-8"))
    at = app_as("analis", page="views/unggah.py")
    back = button(at, "Kembalikan ke versi v0001")
    assert tanggal(first["diterbitkan_pada"]) in back.label
    assert back.disabled, "no rollback on one click"
    [section] = [e for e in at.get("expander") if e.label == "Kembalikan ke versi sebelumnya"]
    assert any(getattr(n, "label", "") == back.label for n in in_order(section)), "not beside Terbitkan"
    checkbox(at, "Ya, ganti versi aktif v0002 dengan versi v0001").check().run()
    button(at, "Kembalikan ke versi v0001").click().run()
    assert not failed(at) and lake_state(settings)[0] == "v0001"
    assert "Versi aktif sekarang v0001" in texts(at)
    assert [e["rincian"] for e in audit.entries(settings) if e["aksi"] == "kembalikan"] == ["v0002 -> v0001"]


def test_rolled_back_upload_is_withdrawn_from_the_page_with_confirmation_and_audit(two_versions):
    settings, added = two_versions
    rollback(settings=settings)
    at = app_as("analis", page="views/unggah.py")
    at.selectbox(key="unggah_tarik_pilih").set_value(added).run()
    assert button(at, "Tarik unggahan").disabled, "no withdrawal without the confirmation"
    checkbox(at, "Ya, tarik unggahan tambahan.csv").check().run()
    button(at, "Tarik unggahan").click().run()
    assert not failed(at) and "tambahan.csv ditarik" in seen(texts(at))
    assert added not in [u["id"] for u in registry.uploads(settings)]
    [entry] = [e for e in audit.entries(settings) if e["rincian"] == f"tarik {added}"]
    assert entry["aksi"] == "unggah" and entry["pengguna"] == "analis"
    button(at, "Terbitkan versi baru").click().run()
    assert "Tidak ada perubahan sejak versi v0001" in texts(at), "the withdrawn upload does not come back"


@pytest.mark.parametrize("source", ["keluarga", "otomatis"])
def test_mapping_help_names_a_readme_section_that_exists(lake_ready, tmp_path, source):
    path = write_csv(tmp_path / "s.csv", ["No KK", "Keterangan"], [[keluarga_row(1)[0], "x"]])
    at = upload(app_as("analis", page="views/unggah.py"), "kurang.csv", path.read_bytes(), source=source)
    [section] = re.findall(r"README, bagian '([^']+)'", " ".join(seen(str(e.value)) for e in at.error))
    headings = [
        line.lstrip("#").strip() for line in (ROOT / "README.md").read_text().splitlines() if line.startswith("#")
    ]
    assert any(h.startswith(section) for h in headings), (section, headings)


def test_reject_summary_says_how_many_digits_were_read(lake_ready, tmp_path):
    short = keluarga_row(8)
    short[0] = short[0][:15]
    path = write_csv(tmp_path / "pendek.csv", KELUARGA_HEADER, [keluarga_row(7), short])
    at = upload(app_as("analis", page="views/unggah.py"), "pendek.csv", path.read_bytes())
    reasons = at.dataframe[0].value["Alasan"].tolist()
    assert reasons == ["No KK: harus 16 digit (terbaca 15 digit)"]


def test_a_full_disk_during_publish_keeps_the_current_version_and_says_so(lake_ready, tmp_path, monkeypatch):
    import errno

    from pipelines.lake import publish as publishing

    before = lake_state(lake_ready)
    path = write_csv(tmp_path / "baru.csv", KELUARGA_HEADER, [keluarga_row(7, desil="1")])
    ingest("keluarga", path, "2025-Q4", settings=lake_ready)

    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(publishing, "_write", full)
    at = app_as("analis", page="views/unggah.py")
    button(at, "Terbitkan versi baru").click().run()
    assert not failed(at)
    assert "Versi baru tidak dapat ditulis: ruang disk server habis. Versi aktif tidak berubah." in seen(texts(at))
    assert lake_state(lake_ready) == before
    assert not [p for p in (lake_ready.lake_dir / "versions").iterdir() if p.name.startswith(".")]
