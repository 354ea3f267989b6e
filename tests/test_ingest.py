"""Ingest on hostile files: every row accepted or rejected, with row, column, value and reason."""

from __future__ import annotations

import csv
import io
import json
import zipfile

import pandas as pd
import pytest

from pipelines.ingestion import filetype
from pipelines.ingestion.ingest import ingest, read_staged
from pipelines.ingestion.readers import FileRejected
from pipelines.lake import registry
from tests.builders import KELUARGA_HEADER, keluarga_row, kk, nik, write_csv, write_xlsx


def staged_rows(settings, report) -> list[dict]:
    return read_staged(settings, report["id_unggahan"], report["sumber"]).to_dict("records")


def rejects(report) -> list[dict]:
    with open(report["berkas_penolakan"], encoding="utf-8-sig") as fh:
        return list(csv.DictReader(fh, delimiter=";"))


def notes(report) -> list[dict]:
    with open(report["berkas_catatan"], encoding="utf-8-sig") as fh:
        return list(csv.DictReader(fh, delimiter=";"))


def assert_nothing_lost(settings, report):
    assert report["baris_diterima"] + report["baris_ditolak"] == report["baris_dibaca"]
    assert len(staged_rows(settings, report)) == report["baris_diterima"]
    assert len({r["baris"] for r in rejects(report)}) == report["baris_ditolak"]


def test_bom_semicolon_title_block_blank_rows_and_footer(settings, tmp_path):
    rows = [
        keluarga_row(1),
        keluarga_row(2, "Sei Jawi Dalam", "05", "RT 05", "Desil 1"),
        ["", "", ""],
        keluarga_row(3, "Kel. Benua Melayu Laut", "005", "5", "DESIL 4"),
        ["JUMLAH", "", "", "", "", "", "3"],
    ]
    path = write_csv(
        tmp_path / "dtsen.csv",
        KELUARGA_HEADER,
        rows,
        delimiter=";",
        bom=True,
        title=["LAPORAN DATA KELUARGA", "Kota Pontianak", ""],
    )
    report = ingest("keluarga", path, "2025-Q4", settings=settings).report
    assert report["baris_judul"] == 4 and report["pemisah"] == ";"
    assert (report["baris_dibaca"], report["baris_diterima"], report["baris_ditolak"], report["baris_dilewati"]) == (
        3,
        3,
        0,
        2,
    )
    got = staged_rows(settings, report)
    assert [r["_baris"] for r in got] == [5, 6, 8]
    assert [(r["kode_kelurahan"], r["rw"], r["rt"], r["desil"]) for r in got] == [
        ("61.71.01.1006", "001", "002", 3),
        ("61.71.03.1002", "005", "005", 1),
        ("61.71.01.1002", "005", "005", 4),
    ]
    assert_nothing_lost(settings, report)


def test_windows_1252_names_survive(settings, tmp_path):
    row = keluarga_row(1)
    row[2] = "André Ma\u2019ruf"
    path = write_csv(tmp_path / "siks.csv", KELUARGA_HEADER, [row], delimiter=";", encoding="cp1252", newline="\r\n")
    report = ingest("keluarga", path, "2025-Q4", settings=settings).report
    assert report["pengodean"] == "Windows-1252"
    assert staged_rows(settings, report)[0]["nama_kepala"] == "André Ma\u2019ruf"


def test_quoted_delimiter_and_newline_keep_exact_row_numbers(settings, tmp_path):
    header = KELUARGA_HEADER + ["Alamat"]
    rows = [
        keluarga_row(1) + ["Jl. Merdeka, No. 5"],
        keluarga_row(2) + ["Gg. Mawar\nRT 2"],
        keluarga_row(3) + ["Jl. A"],
        keluarga_row(4) + ['Jl. "B" No. 1'],
    ]
    path = write_csv(tmp_path / "alamat.csv", header, rows, delimiter=",")
    report = ingest("keluarga", path, "2025-Q4", settings=settings).report
    got = staged_rows(settings, report)
    # Rows as a spreadsheet numbers them: the address holding a line break is one row, not two lines.
    assert [r["_baris"] for r in got] == [2, 3, 4, 5]
    # Text rule: inner whitespace, line breaks included, collapses to one space.
    assert [r["alamat"] for r in got] == ["Jl. Merdeka, No. 5", "Gg. Mawar RT 2", "Jl. A", 'Jl. "B" No. 1']


def test_row_with_more_fields_than_header_is_rejected(settings, tmp_path):
    path = write_csv(tmp_path / "geser.csv", KELUARGA_HEADER, [keluarga_row(1), keluarga_row(2) + ["lebih"]])
    report = ingest("keluarga", path, "2025-Q4", settings=settings).report
    assert report["baris_ditolak"] == 1
    assert "lebih banyak dari judul" in rejects(report)[0]["alasan"]
    assert_nothing_lost(settings, report)


def test_excel_title_block_merged_header_notes_sheet_and_numeric_nik(settings, tmp_path):
    rows = [keluarga_row(i) for i in range(1, 6)]
    rows[1][1] = int(nik(2))  # head NIK typed as a number: Excel kept 15 digits
    rows[3][0] = int(kk(4))  # No KK typed as a number
    path = write_xlsx(
        tmp_path / "p3ke.xlsx",
        KELUARGA_HEADER,
        rows,
        merged_group=(0, 2, "IDENTITAS"),
        numeric_columns={1: {1}, 0: {3}},
    )
    report = ingest("keluarga", path, "2025-Q4", settings=settings).report
    assert report["lembar"] == "Data P3KE" and report["baris_judul"] == 5
    assert (report["baris_dibaca"], report["baris_diterima"], report["baris_ditolak"]) == (5, 4, 1)
    [rejected] = rejects(report)
    assert rejected["baris"] == "9" and rejected["kolom"] == "No KK" and "Excel" in rejected["alasan"]
    assert rejected["nilai"] == kk(4)
    flagged = [r for r in staged_rows(settings, report) if r["_ditandai"]]
    assert [r["_baris"] for r in flagged] == [7]
    assert pd.isna(flagged[0]["nik_kepala"]) and "Excel" in flagged[0]["_alasan_tanda"]
    assert_nothing_lost(settings, report)


def test_two_row_header_with_merged_group_maps_criteria(settings, tmp_path):
    header = ["NIK", "No KK", "Nama", "Kelurahan", "RW", "RT"] + [str(i) for i in range(1, 9)]
    criteria_yes = ["Ya"] * 6 + ["Tidak"] * 2
    rows = [
        [nik(1), kk(1), "Ani", "Akcaya", "1", "1", *criteria_yes],
        [nik(2), kk(2), "Budi", "Akcaya", "1", "1", *(["Tidak"] * 8)],
    ]
    path = write_xlsx(tmp_path / "verval.xlsx", header, rows, merged_group=(6, 13, "Kriteria"), footer=False)
    report = ingest("verval", path, "2025-Q4", settings=settings).report
    assert report["baris_diterima"] == 2
    got = staged_rows(settings, report)
    assert [(r["skor"], r["fakir_miskin"]) for r in got] == [(6, True), (0, False)]


def test_exact_duplicates_count_once_and_conflicts_keep_the_later_row(settings, tmp_path):
    a, b = keluarga_row(1), keluarga_row(2)
    b_changed = keluarga_row(2, desil="5")
    path = write_csv(tmp_path / "ganda.csv", KELUARGA_HEADER, [a, b, a, b_changed])
    report = ingest("keluarga", path, "2025-Q4", settings=settings).report
    assert (report["baris_diterima"], report["duplikat_persis"], report["konflik_kunci"]) == (2, 1, 1)
    reasons = {r["baris"]: r["alasan"] for r in rejects(report)}
    assert "duplikat persis dari baris 2" in reasons["4"]
    assert "konflik" in reasons["3"] and "baris 5 yang dipakai" in reasons["3"]
    assert [r["desil"] for r in staged_rows(settings, report) if r["no_kk"] == kk(2)] == [5]
    assert_nothing_lost(settings, report)


def test_invalid_head_nik_flags_the_family_and_invalid_no_kk_rejects_the_row(settings, tmp_path):
    bad_nik, bad_kk = keluarga_row(1), keluarga_row(2)
    bad_nik[1] = "617101450680"
    bad_kk[0] = "1234"
    path = write_csv(tmp_path / "id.csv", KELUARGA_HEADER, [bad_nik, bad_kk, keluarga_row(3)])
    report = ingest("keluarga", path, "2025-Q4", settings=settings).report
    assert (report["baris_diterima"], report["baris_ditolak"], report["baris_ditandai"]) == (2, 1, 1)
    assert rejects(report)[0]["kolom"] == "No KK" and "16 digit" in rejects(report)[0]["alasan"]
    assert any(n["kolom"] == "NIK Kepala Keluarga" and "16 digit" in n["alasan"] for n in notes(report))


def test_rows_of_another_city_are_rejected_as_such(settings, tmp_path):
    path = write_csv(
        tmp_path / "campur.csv",
        KELUARGA_HEADER,
        [keluarga_row(1), keluarga_row(2, "Lok Tuan"), keluarga_row(3, "6474011003")],
    )
    report = ingest("keluarga", path, "2025-Q4", settings=settings).report
    assert report["baris_ditolak"] == 2
    assert all("Kota Bontang" in r["alasan"] for r in rejects(report))


def test_a_file_entirely_of_another_city_is_refused(settings, tmp_path):
    path = write_csv(tmp_path / "bontang.csv", KELUARGA_HEADER, [keluarga_row(i, "Lok Tuan") for i in range(1, 4)])
    with pytest.raises(FileRejected, match="Semua 3 baris ditolak.*Kota Bontang"):
        ingest("keluarga", path, "2025-Q4", settings=settings)
    assert registry.uploads(settings) == []


def test_unknown_region_name_suggests_the_closest(settings, tmp_path):
    path = write_csv(tmp_path / "typo.csv", KELUARGA_HEADER, [keluarga_row(1), keluarga_row(2, "Akcayaa")])
    report = ingest("keluarga", path, "2025-Q4", settings=settings).report
    assert "mungkin maksudnya: Akcaya" in rejects(report)[0]["alasan"]


def test_mapping_file_fits_unrecognised_headers_and_values(settings, tmp_path):
    header = ["KK_NO", "NIK_KRT", "NAMA_KRT", "DESA", "NO_RW", "NO_RT", "DESIL", "RAWAN"]
    rows = [
        [kk(1), nik(1), "Ani", "Akcaya", "1", "1", "2", "Memenuhi Kriteria"],
        [kk(2), nik(2), "Budi", "Akcaya", "1", "1", "2", "Tidak Memenuhi Kriteria"],
    ]
    path = write_csv(tmp_path / "lain.csv", header, rows)
    mapping = tmp_path / "peta.toml"
    mapping.write_text(
        'sumber = "keluarga"\n[kolom]\nKK_NO = "no_kk"\nDESA = "kelurahan"\nNO_RW = "rw"\nNO_RT = "rt"\n'
        'RAWAN = "rawan_pangan"\n[nilai.rawan_pangan]\n"Memenuhi Kriteria" = "ya"\n"Tidak Memenuhi Kriteria" = "tidak"\n',
        encoding="utf-8",
    )
    with pytest.raises(FileRejected, match="Kolom wajib"):
        ingest("keluarga", path, "2025-Q4", settings=settings)
    report = ingest("keluarga", path, "2025-Q4", mapping_file=mapping, settings=settings).report
    assert report["baris_diterima"] == 2
    assert [r["rawan_pangan"] for r in staged_rows(settings, report)] == [True, False]


def test_same_file_twice_is_recognised_without_duplicate_data(settings, tmp_path):
    path = write_csv(tmp_path / "a.csv", KELUARGA_HEADER, [keluarga_row(1)])
    first = ingest("keluarga", path, "2025-Q4", settings=settings).report
    second = ingest("keluarga", path, "2025-Q4", settings=settings).report
    assert (first["sudah_pernah_diunggah"], second["sudah_pernah_diunggah"]) == (False, True)
    assert second["id_unggahan"] == first["id_unggahan"] and len(registry.uploads(settings)) == 1
    with pytest.raises(FileRejected, match="sudah diunggah"):
        ingest("keluarga", path, "2025-Q3", settings=settings)


def test_raw_file_is_kept_exactly_as_received(settings, tmp_path):
    path = write_csv(tmp_path / "a.csv", KELUARGA_HEADER, [keluarga_row(1)])
    report = ingest("keluarga", path, "2025-Q4", settings=settings).report
    [entry] = registry.uploads(settings)
    stored = settings.data_dir / entry["berkas_mentah"]
    assert stored.read_bytes() == path.read_bytes() and report["sha256"] in stored.name


def test_formula_like_values_in_rejects_file_are_text(settings, tmp_path):
    row = keluarga_row(1)
    row[0] = '=HYPERLINK("http://x")'
    path = write_csv(tmp_path / "f.csv", KELUARGA_HEADER, [row, keluarga_row(2)])
    report = ingest("keluarga", path, "2025-Q4", settings=settings).report
    assert rejects(report)[0]["nilai"].startswith("'=")


def test_json_report_fields(settings, tmp_path):
    path = write_csv(tmp_path / "a.csv", KELUARGA_HEADER, [keluarga_row(1)])
    report = ingest("keluarga", path, "2025-Q4", settings=settings).report
    for key in ("baris_dibaca", "baris_diterima", "baris_ditolak", "berkas_penolakan", "ditolak_menurut_alasan"):
        assert key in report
    json.dumps(report)


# ---- files that cannot be used at all: clear message, nothing stored -------------------


def _assert_refused(settings, path, pattern, source="keluarga"):
    with pytest.raises(FileRejected, match=pattern):
        ingest(source, path, "2025-Q4", settings=settings)
    assert registry.uploads(settings) == []
    assert not (settings.raw_dir / source).exists()


def test_empty_file_is_refused(settings, tmp_path):
    path = tmp_path / "kosong.csv"
    path.write_bytes(b"")
    _assert_refused(settings, path, "kosong")


def test_header_only_file_is_refused(settings, tmp_path):
    _assert_refused(settings, write_csv(tmp_path / "judul.csv", KELUARGA_HEADER, []), "tidak berisi baris data")


def test_image_renamed_xlsx_is_refused(settings, tmp_path):
    path = tmp_path / "foto.xlsx"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 100)
    _assert_refused(settings, path, "gambar PNG")


def test_binary_renamed_csv_is_refused(settings, tmp_path):
    path = tmp_path / "program.csv"
    path.write_bytes(b"MZ\x90\x00\x03\x00\x00\x00" + bytes(range(256)) * 4)
    _assert_refused(settings, path, "biner")


def test_macro_enabled_workbook_is_refused(settings, tmp_path):
    path = tmp_path / "makro.xlsx"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("xl/workbook.xml", "<workbook/>")
        zf.writestr("xl/vbaProject.bin", b"\x00" * 64)
    _assert_refused(settings, path, "makro")


def test_encrypted_workbook_is_refused(settings, tmp_path):
    # An encrypted .xlsx is an OLE2 container holding EncryptionInfo and EncryptedPackage streams.
    path = tmp_path / "sandi.xlsx"
    path.write_bytes(
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
        + b"\x00" * 504
        + "EncryptionInfo".encode("utf-16-le")
        + b"\x00" * 64
        + "EncryptedPackage".encode("utf-16-le")
    )
    _assert_refused(settings, path, "kata sandi")


def test_zip_bomb_is_refused_before_inflating(settings, tmp_path):
    path = tmp_path / "bom.xlsx"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("xl/workbook.xml", "<workbook/>")
        zf.writestr("xl/worksheets/sheet1.xml", b"\x00" * (40 * 1024 * 1024))
    _assert_refused(settings, path, "zip bomb")


def test_file_over_the_size_limit_is_refused(settings, tmp_path, monkeypatch):
    monkeypatch.setattr(filetype, "MAX_UPLOAD_BYTES", 100)
    path = write_csv(tmp_path / "besar.csv", KELUARGA_HEADER, [keluarga_row(i) for i in range(10)])
    _assert_refused(settings, path, "terlalu besar")


def test_wrong_columns_are_refused_with_what_was_expected(settings, tmp_path):
    path = write_csv(tmp_path / "salah.csv", ["Tanggal", "Keterangan", "Jumlah"], [["1/1/2025", "x", "3"]])
    _assert_refused(settings, path, "Kolom wajib|judul kolom")


def test_not_a_workbook_zip_is_refused(settings, tmp_path):
    path = tmp_path / "arsip.xlsx"
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("foto.jpg", b"\xff\xd8\xff" + b"\x00" * 10)
    path.write_bytes(buf.getvalue())
    _assert_refused(settings, path, "bukan buku kerja Excel")


def test_footer_in_a_leading_number_column_is_skipped_not_rejected(settings, tmp_path):
    header = ["No", *KELUARGA_HEADER]
    rows = [["1", *keluarga_row(1)], ["2", *keluarga_row(2)], ["JUMLAH", "", "", "", "", "", "", "2"]]
    path = write_xlsx(tmp_path / "p3ke_no.xlsx", header, rows, footer=False)
    report = ingest("keluarga", path, "2025-Q4", settings=settings).report
    assert (report["baris_dibaca"], report["baris_ditolak"], report["baris_dilewati"]) == (2, 0, 1)


def test_a_city_without_rw_accepts_files_without_rw(settings, tmp_path, monkeypatch):
    monkeypatch.setenv("TKPKD_KOTA", "64.74")
    from pipelines.settings import get_settings

    bontang = get_settings()
    header = [h for h in KELUARGA_HEADER if h != "RW"]
    rows = [[v for i, v in enumerate(keluarga_row(1, "Lok Tuan", rt="12")) if i != 4]]
    report = ingest("keluarga", write_csv(tmp_path / "bontang.csv", header, rows), "2025-Q4", settings=bontang).report
    assert report["baris_diterima"] == 1
    with pytest.raises(FileRejected, match="RW"):
        ingest(
            "keluarga",
            write_csv(tmp_path / "ptk.csv", header, [keluarga_row(2)[:4] + keluarga_row(2)[5:]]),
            "2025-Q4",
            settings=settings,
        )


def test_sheet_starting_below_empty_rows_keeps_excel_row_numbers(settings, tmp_path):
    import xlsxwriter

    path = tmp_path / "kosong_di_atas.xlsx"
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet("Data")
    ws.write_row(4, 1, KELUARGA_HEADER)  # rows 1-4 and column A empty
    ws.write_row(5, 1, keluarga_row(1))
    ws.write_row(6, 1, keluarga_row(2, "Lok Tuan"))
    wb.close()
    report = ingest("keluarga", path, "2025-Q4", settings=settings).report
    assert report["baris_judul"] == 5
    assert [r["baris"] for r in rejects(report)] == ["7"]
    assert [r["_baris"] for r in staged_rows(settings, report)] == [6]


def test_a_report_staged_by_an_earlier_release_with_english_keys_still_publishes(settings, tmp_path):
    from pipelines.ingestion import ingest as ingest_module
    from pipelines.lake.publish import publish

    rows = [keluarga_row(1), keluarga_row(2, "Kota Lain")]
    path = write_csv(tmp_path / "a.csv", KELUARGA_HEADER, rows)
    report = ingest("keluarga", path, "2025-Q4", settings=settings).report
    staged = settings.staging_dir / report["id_unggahan"] / ingest_module.REPORT_FILE
    english = {v: k for k, v in ingest_module._EARLIER_KEYS.items()}
    staged.write_text(json.dumps({english.get(k, k): v for k, v in report.items()}), encoding="utf-8")
    assert "rows_read" in json.loads(staged.read_text(encoding="utf-8"))
    again = ingest("keluarga", path, "2025-Q4", settings=settings).report
    assert (again["baris_dibaca"], again["baris_ditolak"], again["sudah_pernah_diunggah"]) == (2, 1, True)
    manifest = publish(settings=settings)
    assert manifest["tabel"]["keluarga"]["baris"] == 1
