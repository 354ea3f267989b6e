"""Hostile CSV files and periods, through the paths an analyst takes (ingest and the command line).

Every file is built here, in tmp_path: records spanning lines, giant cells and lines, thousands of
columns, late Windows-1252 bytes, UTF-16, control bytes. Each one is either read record by record or
refused before the writer lock with an Indonesian sentence, leaving nothing in data/raw or the register.
"""

from __future__ import annotations

import json

import pytest

from pipelines.ingestion.ingest import ingest, read_staged
from pipelines.lake import registry
from pipelines.periods import parse_period
from tests.builders import KELUARGA_HEADER, keluarga_row, write_csv
from tests.test_cli import run

STATISTIK_HEADER = ["Kode Wilayah", "Periode", "Indikator", "Nilai", "Satuan", "Sumber"]


def assert_refused_cleanly(settings, out, *phrases: str) -> None:
    """Exit 2, an Indonesian sentence on stderr, no traceback, nothing kept and nothing registered."""
    assert out.returncode == 2, (out.returncode, out.stderr)
    assert out.stderr.startswith("Gagal: ")
    assert "Traceback" not in out.stderr and "Error" not in out.stderr
    for phrase in phrases:
        assert phrase in out.stderr
    raw = settings.raw_dir
    assert not raw.exists() or not [p for p in raw.rglob("*") if p.is_file()]
    assert registry.uploads(settings, include_withdrawn=True) == []


@pytest.mark.parametrize("period", ["junk 2025", "Desa 2025", "marmalade 2025", "\u0662\u0660\u0662\u0665-Q1"])
def test_period_argument_that_only_looks_like_a_month_is_refused(settings, tmp_path, period):
    path = write_csv(tmp_path / "k.csv", KELUARGA_HEADER, [keluarga_row(1)])
    out = run(settings, "ingest", "keluarga", str(path), "--period", period)
    assert_refused_cleanly(settings, out, "Periode tidak sah", "2025-Q4", "Triwulan IV 2025", "Desember 2025")


def test_full_width_digits_in_the_period_argument_give_the_same_period(settings, tmp_path):
    path = write_csv(tmp_path / "k.csv", KELUARGA_HEADER, [keluarga_row(1)])
    out = run(settings, "ingest", "keluarga", str(path), "--period", "\uff12\uff10\uff12\uff16-Q1", "--json")
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout)["periode"] == "2026-Q1"


@pytest.mark.parametrize(
    ("text", "period"),
    [
        ("Des 2025", "2025-12"),
        ("Desember 2025", "2025-12"),
        ("Agt 2025", "2025-08"),
        ("Nopember 2025", "2025-11"),
        ("TW 4 2025", "2025-Q4"),
        ("Triwulan IV 2025", "2025-Q4"),
        ("12/2025", "2025-12"),
    ],
)
def test_documented_period_spellings_still_parse(text, period):
    assert parse_period(text) == (period, None)


def test_periods_in_cells_parse_strictly(settings, tmp_path):
    rows = [
        ["61.71", "2025", "Jumlah penduduk miskin", "7110", "jiwa", "BPS"],
        ["61.71", "\uff12\uff10\uff12\uff14", "Jumlah penduduk miskin", "7000", "jiwa", "BPS"],
        ["61.71", "junk 2025", "Prevalensi stunting (SSGI)", "22,3", "persen", "SSGI"],
        ["61.71", "Desa 2025", "Jumlah balita stunting", "812", "anak", "Dinkes"],
    ]
    path = write_csv(tmp_path / "statistik.csv", STATISTIK_HEADER, rows)
    report = ingest("indikator_wilayah", path, "2025-Q4", settings=settings).report
    assert (report["baris_dibaca"], report["baris_diterima"], report["baris_ditolak"]) == (4, 2, 2)
    staged = read_staged(settings, report["id_unggahan"], "indikator_wilayah")
    assert sorted(staged["periode"]) == ["2024", "2025"]
    reasons = " ".join(report["ditolak_menurut_alasan"])
    assert "tidak dikenali" in reasons and "Triwulan IV 2025" in reasons


ALAMAT_HEADER = KELUARGA_HEADER + ["Alamat"]


def family_csv(path, n: int, alamat: dict[int, str] | None = None, *, newline: str = "\n") -> str:
    """n valid families; `alamat` gives a row's address as raw CSV text (quotes and line breaks as written)."""
    alamat = alamat or {}
    lines = [",".join(ALAMAT_HEADER)]
    lines += [",".join(keluarga_row(i, bab="Septik")) + "," + alamat.get(i, "Jl. A") for i in range(1, n + 1)]
    return newline.join(lines) + newline


def write_text(path, text: str, encoding: str = "utf-8", prefix: bytes = b""):
    path.write_bytes(prefix + text.encode(encoding))
    return path


def rejects_of(report) -> list[dict]:
    import csv

    with open(report["berkas_penolakan"], encoding="utf-8-sig") as fh:
        return list(csv.DictReader(fh, delimiter=";"))


@pytest.mark.parametrize("newline", ["\n", "\r\n"])
def test_cells_over_several_lines_blank_lines_and_lone_cr_are_one_row_each(settings, tmp_path, newline):
    special = {
        5: '"Jl. A\nGg. B\nRT 3"',
        10: '"Jl. A\n\nRT 3"',
        15: '"Jl. A\rRT 3"',
        20: '"Jl. ""Kenanga""\n\n\nNo. 4"',
    }
    text = family_csv(tmp_path, 200, special, newline=newline)
    text = text.replace(f"{newline}6171012502100100,", f"{newline}12345,")  # family 100: a bad No KK
    path = write_text(tmp_path / "multi.csv", text)
    report = ingest("keluarga", path, "2025-Q4", settings=settings).report
    assert (report["baris_dibaca"], report["baris_diterima"], report["baris_ditolak"]) == (200, 199, 1)
    got = read_staged(settings, report["id_unggahan"], "keluarga")
    # Row numbers are rows as a spreadsheet shows them: header row 1, family i in row i + 1.
    assert got["_baris"].tolist() == [i + 1 for i in range(1, 201) if i != 100]
    by_row = dict(zip(got["_baris"], got["alamat"], strict=True))
    assert (by_row[6], by_row[11], by_row[16], by_row[21]) == (
        "Jl. A Gg. B RT 3",
        "Jl. A RT 3",
        "Jl. A RT 3",
        'Jl. "Kenanga" No. 4',
    )
    assert [r["baris"] for r in rejects_of(report)] == ["101"]


def test_rows_split_across_read_chunks_keep_their_numbers(settings, tmp_path, monkeypatch):
    from pipelines.ingestion import csv_scan

    monkeypatch.setattr(csv_scan, "CHUNK_BYTES", 97)
    monkeypatch.setattr(csv_scan, "BUFFER_BYTES", 97 + csv_scan.MAX_CSV_ROW_BYTES + 1)
    special = {i: f'"Jl. {i}\n\nGg. {i}, RT\n{i}"' for i in range(3, 60, 7)}
    path = write_text(tmp_path / "potong.csv", family_csv(tmp_path, 60, special))
    report = ingest("keluarga", path, "2025-Q4", settings=settings).report
    assert (report["baris_dibaca"], report["baris_diterima"]) == (60, 60)
    got = read_staged(settings, report["id_unggahan"], "keluarga")
    assert got["_baris"].tolist() == list(range(2, 62))
    assert got.set_index("_baris").loc[11, "alamat"] == "Jl. 10 Gg. 10, RT 10"


def test_a_quote_inside_an_unquoted_cell_is_text(settings, tmp_path):
    path = write_text(tmp_path / "inci.csv", family_csv(tmp_path, 5, {2: 'Pipa 5" depan', 3: "Jl. A"}))
    report = ingest("keluarga", path, "2025-Q4", settings=settings).report
    assert (report["baris_dibaca"], report["baris_diterima"]) == (5, 5)
    got = read_staged(settings, report["id_unggahan"], "keluarga")
    assert got.set_index("_baris").loc[3, "alamat"] == 'Pipa 5" depan'


def test_a_quote_never_closed_is_refused_naming_its_row(settings, tmp_path):
    path = write_text(tmp_path / "kutip.csv", family_csv(tmp_path, 40, {33: '"Jl. A, tanpa tutup'}))
    out = run(settings, "ingest", "keluarga", str(path), "--period", "2025-Q4")
    assert_refused_cleanly(settings, out, "dibuka di baris 34", "tidak pernah ditutup")


def test_limits_are_refused_before_the_writer_lock(settings, tmp_path):
    from pipelines.lake.lock import exclusive

    wide = ",".join(ALAMAT_HEADER + ["x"] * 30_000) + "\n" + ",".join(keluarga_row(1) + ["Jl. A"] + [""] * 30_000)
    path = write_text(tmp_path / "lebar.csv", wide + "\n")
    assert 90_000 < path.stat().st_size < 100_000
    with exclusive(settings, "uji"):  # a refusal, not "another process is writing": the lock was never asked for
        out = run(settings, "ingest", "keluarga", str(path), "--period", "2025-Q4")
    assert_refused_cleanly(settings, out, "30.012 kolom", "batasnya 2.000 kolom")


@pytest.mark.parametrize(
    ("row", "alamat", "phrases"),
    [
        (5, '"' + "x" * 200_000 + '"', ("Sel pada baris 6", "batasnya 65.536 karakter per sel")),
        (50, '"' + "x" * 200_000 + '"', ("Sel pada baris 51", "batasnya 65.536 karakter per sel")),
        (50, "y" * 100_000, ("Sel pada baris 51, kolom ke-12 (Alamat), berisi 100.000 karakter", "65.536")),
        (50, '"' + "y, " * 40_000 + '"', ("Sel pada baris 51, kolom ke-12 (Alamat), berisi 120.000 karakter",)),
        (40, "z" * (4 * 1024 * 1024 + 10), ("Baris 41 panjangnya", "batasnya 1.048.576 byte (1 MiB) per baris")),
        (40, ",".join(["q"] * 2_500), ("Baris 41 berisi 2.511 kolom", "batasnya 2.000 kolom per baris")),
    ],
)
def test_giant_cells_lines_and_rows_are_refused_with_the_limit_and_the_size(settings, tmp_path, row, alamat, phrases):
    path = write_text(tmp_path / "besar.csv", family_csv(tmp_path, 60, {row: alamat}))
    with_lock_free = run(settings, "ingest", "keluarga", str(path), "--period", "2025-Q4")
    assert_refused_cleanly(settings, with_lock_free, *phrases)


def test_windows_1252_letters_late_in_the_file_are_read_as_windows_1252(settings, tmp_path):
    text = family_csv(tmp_path, 3000, {2990: "Andr\u00e9 Ma\u2019ruf", 3000: "Gg. Caf\u00e9"}).rstrip("\n")
    path = write_text(tmp_path / "akhir.csv", text, "cp1252")
    raw = path.read_bytes()
    assert raw.index(b"Andr\xe9") > 256 * 1024 and raw.endswith(b"\xe9")  # past the head; the very last byte
    out = run(settings, "ingest", "keluarga", str(path), "--period", "2025-Q4", "--json")
    assert out.returncode == 0, out.stderr
    report = json.loads(out.stdout)
    assert report["pengodean"] == "Windows-1252" and report["baris_diterima"] == 3000
    got = read_staged(settings, report["id_unggahan"], "keluarga").set_index("_baris")
    assert (got.loc[2991, "alamat"], got.loc[3001, "alamat"]) == ("Andr\u00e9 Ma\u2019ruf", "Gg. Caf\u00e9")


def test_a_windows_1252_byte_in_the_last_bytes_of_a_small_file_is_read(settings, tmp_path):
    path = write_text(tmp_path / "kecil.csv", family_csv(tmp_path, 3, {3: "Gg. Caf\u00e9"}), "cp1252")
    out = run(settings, "ingest", "keluarga", str(path), "--period", "2025-Q4", "--json")
    assert out.returncode == 0, out.stderr
    report = json.loads(out.stdout)
    assert report["pengodean"] == "Windows-1252"
    assert read_staged(settings, report["id_unggahan"], "keluarga")["alamat"].tolist()[-1] == "Gg. Caf\u00e9"


def test_utf8_and_windows_1252_mixed_in_one_file_are_refused_clearly(settings, tmp_path):
    head = family_csv(tmp_path, 3000, {2: "Gg. Caf\u00e9"}).encode("utf-8")
    path = tmp_path / "campur.csv"
    path.write_bytes(head + ",".join(keluarga_row(3001, bab="Septik")).encode() + b",Andr\xe9\n")
    out = run(settings, "ingest", "keluarga", str(path), "--period", "2025-Q4")
    assert_refused_cleanly(settings, out, "mencampur dua pengodean", "baris 3002", "CSV UTF-8")


@pytest.mark.parametrize(("encoding", "bom"), [("utf-16-le", b"\xff\xfe"), ("utf-16-be", b"\xfe\xff")])
def test_utf16_files_are_read(settings, tmp_path, encoding, bom):
    text = family_csv(tmp_path, 20, {4: '"Andr\u00e9\nGg. \u00c7"'}, newline="\r\n")
    path = write_text(tmp_path / "unicode.csv", text, encoding, bom)
    out = run(settings, "ingest", "keluarga", str(path), "--period", "2025-Q4", "--json")
    assert out.returncode == 0, out.stderr
    report = json.loads(out.stdout)
    assert (report["pengodean"], report["baris_dibaca"], report["baris_diterima"]) == ("UTF-16", 20, 20)
    got = read_staged(settings, report["id_unggahan"], "keluarga").set_index("_baris")
    assert got.loc[5, "alamat"] == "Andr\u00e9 Gg. \u00c7" and got.loc[21, "alamat"] == "Jl. A"


@pytest.mark.parametrize(("byte", "row"), [("\x1f", 7), ("\x0b", 7), ("\x00", 2500)])
def test_a_control_byte_inside_a_line_is_refused_naming_the_row(settings, tmp_path, byte, row):
    # A NUL in the first 64 KiB already makes the file "binary"; further in, the scan finds it.
    path = write_text(tmp_path / "kendali.csv", family_csv(tmp_path, 3000, {row: f"Jl. A{byte}RT 3,lebih"}))
    out = run(settings, "ingest", "keluarga", str(path), "--period", "2025-Q4")
    assert_refused_cleanly(settings, out, f"Baris {row + 1} berisi karakter kendali", f"0x{ord(byte):02X}")


def test_old_mac_line_ends_are_rows(settings, tmp_path):
    path = write_text(tmp_path / "mac.csv", family_csv(tmp_path, 4, {2: '"Jl. A\rGg. B"'}, newline="\r"))
    report = ingest("keluarga", path, "2025-Q4", settings=settings).report
    assert (report["baris_dibaca"], report["baris_diterima"]) == (4, 4)
    got = read_staged(settings, report["id_unggahan"], "keluarga").set_index("_baris")
    assert got.loc[3, "alamat"] == "Jl. A Gg. B"


def test_kind_recognition_reads_hostile_heads_as_the_ingest_does(settings, tmp_path):
    big = write_text(tmp_path / "besar.csv", family_csv(tmp_path, 10, {5: '"' + "x" * 200_000 + '"'}))
    out = run(settings, "ingest", "otomatis", str(big), "--period", "2025-Q4")
    assert_refused_cleanly(settings, out, "Sel pada baris 6", "batasnya 65.536 karakter per sel")
    wide = ",".join(ALAMAT_HEADER + ["x"] * 30_000) + "\n" + ",".join(keluarga_row(1) + ["Jl. A"] + [""] * 30_000)
    out = run(
        settings, "ingest", "otomatis", str(write_text(tmp_path / "lebar.csv", wide + "\n")), "--period", "2025-Q4"
    )
    assert_refused_cleanly(settings, out, "30.012 kolom", "batasnya 2.000 kolom")
    utf16 = write_text(tmp_path / "unicode.csv", family_csv(tmp_path, 3), "utf-16-le", b"\xff\xfe")
    out = run(settings, "ingest", "otomatis", str(utf16), "--period", "2025-Q4", "--json")
    assert out.returncode == 0, out.stderr
    assert (json.loads(out.stdout)["sumber"], json.loads(out.stdout)["baris_diterima"]) == ("keluarga", 3)
