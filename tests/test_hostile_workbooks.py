"""Workbooks that look like data but are not what they seem: hidden sheets, damaged archives, web
pages named .xls, formulas without saved results, merged data cells. Each is refused in words or
read from the right place, never read silently from the wrong one."""

from __future__ import annotations

import zipfile
from pathlib import Path

import openpyxl
import pytest
import xlsxwriter

import pipelines.ingestion.excel_reader as excel_reader
from pipelines.cities import get_city
from pipelines.ingestion.detect import detect_source
from pipelines.ingestion.filetype import FileRejected
from pipelines.ingestion.ingest import ingest, read_staged
from pipelines.lake import registry
from tests.builders import KELUARGA_HEADER, keluarga_row

PONTIANAK = get_city("61.71")


def workbook(path: Path, sheets: list[tuple[str, list[list], str]]) -> Path:
    """An openpyxl workbook: (sheet name, rows, state: 'visible', 'hidden' or 'veryHidden') per sheet."""
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, rows, state in sheets:
        ws = wb.create_sheet(name)
        for row in rows:
            ws.append(row)
        ws.sheet_state = state
    wb.save(path)
    return path


def families(*serials: int, width: int = len(KELUARGA_HEADER)) -> list[list]:
    return [KELUARGA_HEADER[:width]] + [keluarga_row(i)[:width] for i in serials]


def staged_kk(settings, report) -> list[str]:
    rows = read_staged(settings, report["id_unggahan"], report["sumber"])
    return sorted(rows["no_kk"])


@pytest.mark.parametrize("state", ["hidden", "veryHidden"])
def test_a_hidden_first_sheet_matching_more_columns_is_not_read(settings, tmp_path, state):
    path = workbook(
        tmp_path / "dua_lembar.xlsx",
        [("Salinan lama", families(91, 92, 93), state), ("Data", families(1, 2, width=8), "visible")],
    )
    report = ingest("keluarga", path, "2025-Q4", settings=settings).report
    assert report["lembar"] == "Data"
    assert staged_kk(settings, report) == [keluarga_row(1)[0], keluarga_row(2)[0]]


def test_data_only_in_a_hidden_sheet_is_refused_with_the_sheet_named(settings, tmp_path):
    path = workbook(
        tmp_path / "tersembunyi.xlsx",
        [("Petunjuk", [["Data ini bersifat rahasia."]], "visible"), ("Data KK", families(1, 2), "hidden")],
    )
    with pytest.raises(FileRejected) as refused:
        ingest("keluarga", path, "2025-Q4", settings=settings)
    message = str(refused.value)
    assert "lembar tersembunyi 'Data KK'" in message
    assert "Unhide" in message and '--sheet "Data KK"' in message
    assert registry.uploads(settings) == []


def test_a_hidden_sheet_named_by_the_analyst_is_read(settings, tmp_path):
    path = workbook(
        tmp_path / "tersembunyi.xlsx",
        [("Petunjuk", [["Data ini bersifat rahasia."]], "visible"), ("Data KK", families(1, 2), "hidden")],
    )
    report = ingest("keluarga", path, "2025-Q4", sheet="Data KK", settings=settings).report
    assert report["lembar"] == "Data KK" and report["baris_diterima"] == 2


def test_kind_recognition_skips_hidden_sheets_and_names_one_that_alone_fits(tmp_path):
    visible = workbook(
        tmp_path / "campur.xlsx",
        [("Lama", families(91), "hidden"), ("Data", families(1, width=8), "visible")],
    )
    assert detect_source(visible, PONTIANAK) == "keluarga"
    hidden_only = workbook(
        tmp_path / "tersembunyi.xlsx",
        [("Petunjuk", [["Baca dulu"]], "visible"), ("Rahasia", families(1), "veryHidden")],
    )
    with pytest.raises(FileRejected, match="lembar tersembunyi 'Rahasia'"):
        detect_source(hidden_only, PONTIANAK)


def _rewrite_member(source: Path, target: Path, member: str, change) -> Path:
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info.filename)
            zout.writestr(info.filename, change(data) if info.filename == member else data)
    return target


def test_a_workbook_with_broken_xml_is_refused_in_words(settings, tmp_path):
    good = workbook(tmp_path / "baik.xlsx", [("Data", families(1, 2), "visible")])
    broken = _rewrite_member(good, tmp_path / "rusak.xlsx", "xl/worksheets/sheet1.xml", lambda d: d[: len(d) // 2])
    for attempt in (
        lambda: ingest("keluarga", broken, "2025-Q4", settings=settings),
        lambda: detect_source(broken, PONTIANAK),
    ):
        with pytest.raises(FileRejected, match="Berkas Excel rusak"):
            attempt()
    assert registry.uploads(settings) == []


def test_a_truncated_workbook_is_refused_in_words(settings, tmp_path):
    good = workbook(tmp_path / "baik.xlsx", [("Data", families(1, 2), "visible")])
    cut = tmp_path / "terpotong.xlsx"
    cut.write_bytes(good.read_bytes()[: good.stat().st_size * 2 // 3])
    with pytest.raises(FileRejected, match="rusak"):
        ingest("keluarga", cut, "2025-Q4", settings=settings)


HTML_TABLE = (
    "<table border=1><tr>"
    + "".join(f"<th>{h}</th>" for h in KELUARGA_HEADER)
    + "</tr><tr>"
    + "".join(f"<td>{v}</td>" for v in keluarga_row(1))
    + "</tr></table>"
)


@pytest.mark.parametrize(
    "content,encoding",
    [
        (f"<html><head><meta charset='utf-8'></head><body>{HTML_TABLE}</body></html>", "utf-8"),
        (
            '<html xmlns:o="urn:schemas-microsoft-com:office:office" '
            f'xmlns:x="urn:schemas-microsoft-com:office:excel"><body>{HTML_TABLE}</body></html>',
            "utf-16",
        ),
        (f"\n\n<!DOCTYPE html>\n{HTML_TABLE}", "utf-8"),
        (HTML_TABLE, "utf-8"),
    ],
)
def test_a_web_page_saved_as_xls_is_named_as_such(settings, tmp_path, content, encoding):
    path = tmp_path / "ekspor_siks.xls"
    path.write_bytes(content.encode(encoding))
    with pytest.raises(FileRejected) as refused:
        ingest("keluarga", path, "2025-Q4", settings=settings)
    message = str(refused.value)
    assert "halaman web (HTML)" in message and ".xls" in message
    assert "Simpan Sebagai" in message and ".xlsx" in message
    with pytest.raises(FileRejected, match="halaman web"):
        detect_source(path, PONTIANAK)


def test_an_excel_2003_xml_spreadsheet_is_named_as_such(settings, tmp_path):
    path = tmp_path / "lama.xls"
    path.write_text(
        '<?xml version="1.0"?>\n<?mso-application progid="Excel.Sheet"?>\n'
        '<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet"><Worksheet ss:Name="Data"/></Workbook>',
        encoding="utf-8",
    )
    with pytest.raises(FileRejected, match="XML Excel 2003"):
        ingest("keluarga", path, "2025-Q4", settings=settings)


def test_formulas_without_saved_values_are_named_not_rejected_row_by_row(settings, tmp_path):
    rows = families(1, 2, 3)
    for row in rows[1:]:
        row[3] = '=PROPER("akcaya")'  # written by a program: openpyxl saves no result
    path = workbook(tmp_path / "rumus.xlsx", [("Data", rows, "visible")])
    with pytest.raises(FileRejected) as refused:
        ingest("keluarga", path, "2025-Q4", settings=settings)
    message = str(refused.value)
    assert "rumus tanpa nilai tersimpan" in message
    assert "'Desa/Kelurahan' (kolom D) di sel D2, D3, D4" in message
    assert "simpan ulang" in message and "wajib diisi" not in message
    assert registry.uploads(settings) == []


def test_formulas_with_saved_values_are_read(settings, tmp_path):
    path = tmp_path / "rumus_tersimpan.xlsx"
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet("Data")
    for c, h in enumerate(KELUARGA_HEADER):
        ws.write_string(0, c, h)
    for r, serial in enumerate((1, 2), start=1):
        for c, value in enumerate(keluarga_row(serial)):
            if c == 3:
                ws.write_formula(r, c, '=PROPER("akcaya")', None, "Akcaya")
            else:
                ws.write_string(r, c, value)
    wb.close()
    report = ingest("keluarga", path, "2025-Q4", settings=settings).report
    assert report["baris_diterima"] == 2


def test_a_formula_cell_in_a_column_not_read_does_not_matter(settings, tmp_path):
    rows = [[*r, "Catatan"] if i == 0 else [*r, "=1+1"] for i, r in enumerate(families(1, 2))]
    path = workbook(tmp_path / "rumus_lain.xlsx", [("Data", rows, "visible")])
    report = ingest("keluarga", path, "2025-Q4", settings=settings).report
    assert report["baris_diterima"] == 2


def test_merged_data_cells_are_named_with_their_rows(settings, tmp_path):
    path = tmp_path / "gabung.xlsx"
    workbook(path, [("Data", families(1, 2, 3, 4, 5), "visible")])
    wb = openpyxl.load_workbook(path)
    wb["Data"].merge_cells("D2:D5")  # one kelurahan written once for four families
    wb.save(path)
    with pytest.raises(FileRejected) as refused:
        ingest("keluarga", path, "2025-Q4", settings=settings)
    message = str(refused.value)
    assert "Sel digabung" in message and "'Desa/Kelurahan' (kolom D) di baris 2-5" in message
    assert "Unmerge" in message and "wajib diisi" not in message
    assert registry.uploads(settings) == []


def test_a_merged_title_block_and_footer_are_not_data(settings, tmp_path):
    path = tmp_path / "judul.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Data"
    ws.append(["DATA KELUARGA KOTA PONTIANAK"])
    ws.merge_cells("A1:K1")
    for row in families(1, 2):
        ws.append(row)
    ws.append(["JUMLAH", None, None, None, None, None, 2])
    ws.merge_cells("A5:F5")
    wb.save(path)
    report = ingest("keluarga", path, "2025-Q4", settings=settings).report
    assert report["baris_diterima"] == 2 and report["baris_ditolak"] == 0


def test_a_sheet_without_blanks_is_not_scanned_for_formulas(settings, tmp_path, monkeypatch):
    """The scan inflates the whole sheet again: it runs only when a read column has a blank in a data row."""
    scanned = []
    monkeypatch.setattr(excel_reader, "refuse_formulas_without_values", lambda *a, **k: scanned.append(a))
    path = workbook(tmp_path / "lengkap.xlsx", [("Data", [*families(1, 2), [], ["JUMLAH"]], "visible")])
    assert ingest("keluarga", path, "2025-Q4", settings=settings).report["baris_diterima"] == 2
    assert scanned == []
    rows = families(3, 4)
    rows[2][8] = None
    path = workbook(tmp_path / "kosong_satu.xlsx", [("Data", rows, "visible")])
    ingest("keluarga", path, "2025-Q4", settings=settings)
    assert len(scanned) == 1
