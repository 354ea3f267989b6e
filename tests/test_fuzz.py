"""Fuzzing the way files come in: CSV and XLSX through `ingest` and kind recognition, mapping files
through their loader. Whatever the bytes, the only way out is one of the project's own errors, whose
message is Indonesian, and no single file may take longer than the hang bound.

A short run is part of every test run. A long one, as the hardening target asks (10 minutes):

    TKPKD_FUZZ_SECONDS=600 .venv/bin/python -m pytest -m slow tests/test_fuzz.py

Each test then keeps drawing new examples until its share of the time is used up.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import re
import tempfile
import time
import zipfile
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipelines.ingestion.contracts import UnknownSource
from pipelines.ingestion.detect import detect_source
from pipelines.ingestion.ingest import ingest
from pipelines.ingestion.mapping import Mapping, MappingError
from pipelines.ingestion.readers import FileRejected
from pipelines.periods import PeriodError
from pipelines.settings import get_settings
from pipelines.state import active_city
from tests.builders import KELUARGA_HEADER, keluarga_row

pytestmark = pytest.mark.slow

# The project's own refusals; anything else escaping is a defect.
EXPECTED = (FileRejected, MappingError, PeriodError, UnknownSource)
# A file that takes longer than this to refuse or read is a hang.
HANG_S = 30
TOTAL_S = float(os.environ.get("TKPKD_FUZZ_SECONDS", "0"))
EXAMPLES = int(os.environ.get("TKPKD_FUZZ_EXAMPLES", "40"))
# An Indonesian message holds at least one of these words and none of the English ones.
INDONESIAN = {"berkas", "kolom", "baris", "tidak", "lembar", "pemetaan", "periode", "harus", "yang", "untuk", "bukan"}
ENGLISH = {"the", "invalid", "error", "expected", "cannot", "not", "failed", "line", "column", "file"}


FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=dt.timedelta(seconds=HANG_S),
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.function_scoped_fixture],
    database=None,
)


def until_time_is_up(run) -> None:
    """One batch of examples; with TKPKD_FUZZ_SECONDS, batches until the test's share is spent."""
    share = TOTAL_S / 3
    started = time.monotonic()
    run()
    while time.monotonic() - started < share:
        run()


def assert_indonesian(exc: Exception) -> None:
    words = set(re.findall(r"[a-z]+", str(exc).lower()))
    assert words & INDONESIAN and not words & ENGLISH, f"not an Indonesian message: {exc!r}"


def try_file(data: bytes, suffix: str) -> None:
    """Ingest and recognise one file in a data directory of its own; only the project's errors may escape."""
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["TKPKD_DATA_DIR"] = str(Path(tmp) / "data")
        own = get_settings()
        path = Path(tmp) / f"berkas{suffix}"
        path.write_bytes(data)
        started = time.monotonic()
        for step in (
            lambda: detect_source(path, active_city(own)),
            lambda: ingest("keluarga", path, "2025-Q4", settings=own),
        ):
            try:
                step()
            except EXPECTED as exc:
                assert_indonesian(exc)
        assert time.monotonic() - started < HANG_S
        leftovers = [p.name for p in (own.data_dir / "raw").rglob("*.tmp")] if (own.data_dir / "raw").exists() else []
        assert not leftovers, leftovers


@pytest.fixture(autouse=True)
def _environment(monkeypatch):
    monkeypatch.setenv("TKPKD_HASH_KEY", "00" * 32)
    monkeypatch.delenv("TKPKD_KOTA", raising=False)
    monkeypatch.setenv("TKPKD_DATA_DIR", os.environ.get("TKPKD_DATA_DIR", tempfile.gettempdir()))


# ---- CSV ------------------------------------------------------------------------------------

# Text a spreadsheet export can hold: quotes, delimiters, line breaks, control bytes, any script.
cell_text = st.one_of(
    st.text(max_size=30),
    st.sampled_from(['"', '""', '";"', "\r", "\n", "\r\n", "\x00", "\x1f", "\ufeff", "=1+1", "-", "3171010101010001"]),
    st.from_regex(r"[0-9]{1,20}", fullmatch=True),
)
header_cell = st.one_of(st.sampled_from(KELUARGA_HEADER), st.text(max_size=20))


@st.composite
def headers(draw) -> list[str]:
    """Mostly the real header (so rows get read), sometimes with extra or foreign cells, else anything."""
    if draw(st.integers(0, 9)) < 7:
        return list(KELUARGA_HEADER) + draw(st.lists(header_cell, max_size=3))
    return draw(st.lists(header_cell, min_size=1, max_size=14))


@st.composite
def csv_files(draw) -> bytes:
    delimiter = draw(st.sampled_from([",", ";", "\t", "|"]))
    header = draw(headers())
    good = [keluarga_row(i + 1) for i in range(draw(st.integers(0, 4)))]
    noise = draw(st.lists(st.lists(cell_text, max_size=16), max_size=6))
    rows = [header, *good, *noise]
    quote = draw(st.booleans())
    lines = []
    for row in rows:
        cells = [('"' + str(c).replace('"', '""') + '"') if quote else str(c) for c in row]
        lines.append(delimiter.join(cells))
    text = draw(st.sampled_from(["\n", "\r\n", "\r"])).join(lines)
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "cp1252", "utf-16", "latin-1"]))
    data = text.encode(encoding, errors="replace")
    # Byte-level damage: a cut, a stray byte or a run of bytes anywhere.
    damage = draw(st.sampled_from(["none", "cut", "insert"]))
    if damage == "cut" and data:
        data = data[: draw(st.integers(0, len(data)))]
    elif damage == "insert":
        at = draw(st.integers(0, len(data)))
        data = data[:at] + draw(st.binary(min_size=1, max_size=40)) + data[at:]
    return data


def test_csv_files_end_in_a_result_or_an_indonesian_refusal():
    @FUZZ
    @given(csv_files())
    def run(data):
        try_file(data, ".csv")

    until_time_is_up(run)


# ---- XLSX -----------------------------------------------------------------------------------

xlsx_value = st.one_of(
    st.none(),
    cell_text.map(lambda s: "".join(ch for ch in s if ch.isprintable())),
    st.integers(-(10**17), 10**17),
    st.floats(allow_nan=False, allow_infinity=False),
    st.dates(min_value=dt.date(1900, 3, 1), max_value=dt.date(2100, 1, 1)),
    st.sampled_from(["=A1*2", "=SUM(A1:A3)", "=1/0"]),
)


FIXED_TIME = (2025, 1, 1, 0, 0, 0)


def _repack(members: dict[str, bytes]) -> bytes:
    """A zip of the same members with fixed times: openpyxl stamps the package and its entries with
    the time of saving, so the same draw would give other bytes (and lengths) when replayed."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for name, body in members.items():
            target.writestr(zipfile.ZipInfo(name, date_time=FIXED_TIME), body, zipfile.ZIP_DEFLATED)
    return out.getvalue()


def _deterministic(data: bytes) -> dict[str, bytes]:
    source = zipfile.ZipFile(io.BytesIO(data))
    members = {name: source.read(name) for name in source.namelist()}
    if "docProps/core.xml" in members:
        members["docProps/core.xml"] = re.sub(
            rb"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z", b"2025-01-01T00:00:00Z", members["docProps/core.xml"]
        )
    return members


@st.composite
def xlsx_files(draw) -> bytes:
    wb = openpyxl.Workbook()
    for n in range(draw(st.integers(1, 3))):
        ws = wb.active if n == 0 else wb.create_sheet(f"Lembar{n}")
        ws.title = draw(st.from_regex(r"[A-Za-z0-9 ]{1,20}", fullmatch=True).filter(str.strip)) + str(n)
        ws.append(["".join(c for c in h if c.isprintable()) for h in draw(headers())])
        for i in range(draw(st.integers(0, 3))):
            ws.append(keluarga_row(i + 1))
        for row in draw(st.lists(st.lists(xlsx_value, max_size=12), max_size=5)):
            ws.append(row)
        if draw(st.booleans()) and ws.max_row >= 2 and ws.max_column >= 2:
            ws.merge_cells(start_row=2, start_column=1, end_row=ws.max_row, end_column=2)
        if n and draw(st.booleans()):
            ws.sheet_state = draw(st.sampled_from(["hidden", "veryHidden"]))
    out = io.BytesIO()
    wb.save(out)
    members = _deterministic(out.getvalue())
    data = _repack(members)
    damage = draw(st.sampled_from(["none", "none", "cut", "member"]))
    if damage == "cut":
        data = data[: draw(st.integers(0, len(data)))]
    elif damage == "member":
        # A part of the package rewritten with junk: broken XML inside a valid zip.
        victim = draw(st.sampled_from(list(members)))
        body = members[victim]
        data = _repack({**members, victim: body[: draw(st.integers(0, len(body)))] + draw(st.binary(max_size=30))})
    return data


def test_xlsx_files_end_in_a_result_or_an_indonesian_refusal():
    @FUZZ
    @given(xlsx_files())
    def run(data):
        try_file(data, ".xlsx")

    until_time_is_up(run)


# ---- mapping files --------------------------------------------------------------------------

toml_key = st.one_of(
    st.sampled_from(["sumber", "kolom", "baris_judul", "pemisah", "nilai", "lembar", "tanpa"]),
    st.from_regex(r"[a-z_]{1,12}", fullmatch=True),
)
toml_scalar = st.one_of(
    st.text(max_size=20).map(lambda s: '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'),
    st.integers(-5, 10**6).map(str),
    st.booleans().map(lambda b: "true" if b else "false"),
    st.lists(st.text(max_size=8).map(lambda s: '"' + s.replace("\\", "").replace('"', "") + '"'), max_size=3).map(
        lambda xs: "[" + ", ".join(xs) + "]"
    ),
)


@st.composite
def mapping_files(draw) -> str:
    lines = [f"{draw(toml_key)} = {draw(toml_scalar)}" for _ in range(draw(st.integers(0, 4)))]
    for _ in range(draw(st.integers(0, 3))):
        lines.append(f"[{draw(toml_key)}]")
        lines += [f'"{draw(header_cell).replace(chr(34), "")}" = {draw(toml_scalar)}' for _ in range(3)]
    text = "\n".join(lines)
    if draw(st.booleans()):
        at = draw(st.integers(0, len(text)))
        text = text[:at] + draw(st.text(max_size=10)) + text[at:]
    return text


def test_mapping_files_load_or_refuse_in_indonesian():
    csv = Path(tempfile.mkdtemp()) / "keluarga.csv"
    csv.write_text(",".join(KELUARGA_HEADER) + "\n" + ",".join(keluarga_row(1)) + "\n", encoding="utf-8")

    @FUZZ
    @given(mapping_files())
    def run(text):
        with tempfile.TemporaryDirectory() as tmp:
            os.environ["TKPKD_DATA_DIR"] = str(Path(tmp) / "data")
            mapping = Path(tmp) / "pemetaan.toml"
            mapping.write_text(text, encoding="utf-8")
            try:
                Mapping.declared_source(mapping)
            except MappingError as exc:
                assert_indonesian(exc)
            try:
                ingest("keluarga", csv, "2025-Q4", mapping_file=mapping, settings=get_settings())
            except EXPECTED as exc:
                assert_indonesian(exc)

    until_time_is_up(run)
