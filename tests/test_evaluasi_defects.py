"""The Evaluasi page says one thing once: one output achievement per programme, the kelurahan chart
and its table in the same quantity and sign, programme names in the charts, plain Indonesian words.

The city here is written for these tests, apart from the demo generator and from
tests/test_evaluation.make_programme_city: two kelurahan whose desil-1 shares move in opposite
directions, and two programmes whose achievement differs by period.
"""

from __future__ import annotations

import base64
import json
import re

import numpy as np
import pytest

from pipelines.evaluation import text as words
from pipelines.ingestion.ingest import ingest
from pipelines.lake.publish import publish
from pipelines.settings import get_settings
from tests.apptest import app_as, create_users, failed, texts
from tests.builders import KELUARGA_HEADER, keluarga_row, kk, write_csv
from tests.conftest import point_at
from tests.test_evaluation import PROGRAM_HEADER
from tests.test_evaluation_view import literal

PAGE = "views/evaluasi.py"
HOUSE = ("RUTILAHU", "Rehabilitasi Rumah Tidak Layak Huni")
TRAINING = ("LATIH-USAHA", "Pelatihan Usaha Mikro")
KELURAHAN = {"Akcaya": range(1, 151), "Parittokaya": range(151, 301)}


def _desil(i: int, period: str) -> str:
    """Akcaya's desil-1 share goes from 10% to 20%, Parittokaya's from 30% to 10%."""
    if period == "2025-Q4":
        return "1" if i <= 30 or 151 <= i <= 165 else "3"
    return "1" if i <= 15 or 151 <= i <= 195 else "3"


def _floor(i: int, period: str) -> str:
    """Houses of recipients 1-40 and 151-190 and of families 81-120 and 231-270 have earth floors;
    by 2025-Q4, 36 of each 40 recipients' houses and 4 of each 40 others' are fixed."""
    earth = any(a <= i <= a + 39 for a in (1, 151, 81, 231))
    fixed = any(a <= i <= a + 35 for a in (1, 151)) or any(a <= i <= a + 3 for a in (81, 231))
    return "Tanah" if earth and not (period == "2025-Q4" and fixed) else "Keramik"


def make_two_kelurahan_city(settings, tmp_path):
    """Three quarters, two kelurahan of Pontianak Kota, two programmes reaching families in 2025-Q3.

    RUTILAHU reports 20 of 20 houses in each kelurahan in 2025-Q3, and in 2025-Q4 5 of 10 in Akcaya
    and 10 of 10 in Parittokaya: 75% in the quarter, 100% over its first recipients' quarter, and
    (20 + 20 + 5 + 10) / (20 + 20 + 10 + 10) = 92% from 2025-Q3 to 2025-Q4, the page's year.
    LATIH-USAHA: 20 of 20 per kelurahan, then 10 of 8: 125% in the quarter, 60 / 56 = 107% over the year.
    """
    for period in ("2025-Q2", "2025-Q3", "2025-Q4"):
        rows = [
            keluarga_row(i, kelurahan=name, desil=_desil(i, period), lantai=_floor(i, period))
            for name, families in KELURAHAN.items()
            for i in families
        ]
        rows = rows[::-1] if period == "2025-Q3" else rows  # the same content twice is refused as one file
        ingest("keluarga", write_csv(tmp_path / f"k-{period}.csv", KELUARGA_HEADER, rows), period, settings=settings)
    receipts = [[kk(i), HOUSE[0], "15/08/2025", "20.000.000"] for i in (*range(1, 41), *range(151, 191))]
    receipts += [[kk(i), TRAINING[0], "16/08/2025", "500.000"] for i in (*range(41, 81), *range(191, 231))]
    path = write_csv(tmp_path / "terima.csv", ["No KK", "Kode Program", "Tanggal", "Nilai"], receipts)
    ingest("penerima", path, "2025-Q3", settings=settings)
    house = [*HOUSE, "Dinas Perkim", "Rumah Layak Huni", "unit"]
    training = [*TRAINING, "Dinas Koperasi", "Pemberdayaan Ekonomi", "orang"]
    program = []
    for kel in KELURAHAN:
        program += [
            [*house, "20", "20", "400.000.000", "400.000.000", "2", "5", "2025-Q3", kel],
            [*training, "20", "20", "20.000.000", "20.000.000", "2", "6", "2025-Q3", kel],
            [*training, "8", "10", "10.000.000", "10.000.000", "1", "6", "2025-Q4", kel],
        ]
    program += [
        [*house, "10", "5", "200.000.000", "100.000.000", "1", "5", "2025-Q4", "Akcaya"],
        [*house, "10", "10", "200.000.000", "200.000.000", "1", "5", "2025-Q4", "Parittokaya"],
    ]
    ingest("program", write_csv(tmp_path / "program.csv", PROGRAM_HEADER, program), "2025-Q4", settings=settings)
    publish(settings=settings)
    return settings


@pytest.fixture(scope="module")
def lake(tmp_path_factory):
    root = tmp_path_factory.mktemp("evaluasi_defects")
    with pytest.MonkeyPatch.context() as env:
        point_at(env, root / "data")
        settings = get_settings()
        make_two_kelurahan_city(settings, root)
        create_users(settings)
        yield settings


@pytest.fixture(scope="module")
def page(lake):
    at = app_as("pimpinan", page=PAGE)
    assert not failed(at), failed(at)
    return at


def _charts(at) -> list[dict]:
    return [json.loads(c.proto.spec) for c in at.get("plotly_chart")]


def _chart_words(spec: dict) -> list[str]:
    """What a reader sees of a chart: titles, axis titles, notes, legend entries, labels, hover texts."""
    layout = spec.get("layout", {})
    found = [layout.get("title", {}).get("text") or ""]
    for name, axis in layout.items():
        if name.startswith(("xaxis", "yaxis")):
            found.append((axis.get("title") or {}).get("text") or "")
    found += [a.get("text", "") for a in layout.get("annotations", [])]
    for trace in spec["data"]:
        found.append(trace.get("name") or "")
        for key in ("text", "hovertext", "x", "y"):
            values = trace.get(key)
            values = values if isinstance(values, list) else [values]
            found += [v for v in values if isinstance(v, str)]
    return [w.replace("<br>", " ") for w in found]


def _table_words(at) -> list[str]:
    found = []
    for element in [*at.table, *at.dataframe]:
        frame = element.value
        found += [str(c) for c in frame.columns]
        found += [str(v) for v in frame.astype(str).to_numpy().ravel()]
    return found


def _everything(at) -> str:
    labels = [t.label for t in at.tabs] + [e.label for e in at.expander]
    chart_words = [w for spec in _charts(at) for w in _chart_words(spec)]
    return "\n".join([texts(at), *labels, *_table_words(at), *chart_words])


def _achievement(frame) -> dict[str, str]:
    column = next(c for c in frame.columns if c.startswith("Capaian"))
    return {literal(p): v for p, v in zip(frame["Program"], frame[column])}


def test_a_programme_shows_one_achievement_in_the_ranked_table_and_the_outputs_tab(page):
    ranked, outputs = page.table[0].value, page.table[1].value
    assert _achievement(ranked) == _achievement(outputs)
    by_code = {
        code: value
        for label, value in _achievement(ranked).items()
        for code in (HOUSE[0], TRAINING[0])
        if code in label
    }
    assert by_code == {HOUSE[0]: "92%", TRAINING[0]: "107%"}
    meaning = "realisasi Triwulan III 2025 s.d. Triwulan IV 2025 dibanding target untuk periode yang sama"
    assert texts(page).count(meaning) >= 2  # said beside both tables


def _kelurahan_chart(at) -> dict:
    return next(s for s in _charts(at) if any("Parittokaya" in w for w in _chart_words(s)))


def _numbers(values) -> list[float]:
    """Plotly sends numeric arrays as base64 typed arrays."""
    if isinstance(values, dict):
        return np.frombuffer(base64.b64decode(values["bdata"]), dtype=values["dtype"]).tolist()
    return list(values)


def _drawn(spec: dict) -> dict[str, float]:
    """Kelurahan -> the impact value the chart draws (the right-hand panel when there are two)."""
    traces = spec["data"]
    if any(t.get("xaxis") == "x2" for t in traces):
        traces = [t for t in traces if t.get("xaxis") == "x2"]
    drawn = {}
    for t in traces:
        if t.get("orientation") == "h":
            names, values = t["y"], t["x"]
        else:
            names, values = t.get("hovertext") or t.get("text"), t["y"]
        drawn.update({n: round(v, 1) for n, v in zip(names, _numbers(values))})
    return drawn


def test_impact_per_kelurahan_chart_draws_the_table_values_with_their_sign_and_words(page):
    table = next(d.value for d in page.dataframe if any("desil 1" in c and "Perubahan" in c for c in d.value.columns))
    column = next(c for c in table.columns if "desil 1" in c and "Perubahan" in c)
    shown = {k: float(v.replace(",", ".")) for k, v in zip(table["Kelurahan"], table[column])}
    assert shown == {"Akcaya": 10.0, "Parittokaya": -20.0}  # desil 1: 10% -> 20%, 30% -> 10%
    spec = _kelurahan_chart(page)
    assert _drawn(spec) == shown
    # The same words over the chart's impact panel as over the table's column, and no "fall" turned upside down.
    seen = " ".join(_chart_words(spec))
    assert column.split(" (")[0] in seen and "Penurunan" not in seen


def test_kelurahan_names_sit_on_their_own_rows_so_they_cannot_overlap(page):
    spec = _kelurahan_chart(page)
    assert all(t["type"] == "bar" and t.get("orientation") == "h" for t in spec["data"])
    assert {n for t in spec["data"] for n in t["y"]} == set(KELURAHAN)


def test_no_english_or_unexplained_jargon_on_the_page(page):
    everything = _everything(page)
    assert not re.search(r"\boutput\b", everything, flags=re.IGNORECASE)
    for word in ("galat", "selang kepercayaan", "Galat"):
        assert word not in everything
    assert not re.search(r"\bpoin\b(?! persentase)", everything), re.findall(
        r".{40}\bpoin\b(?! persentase).{20}", everything
    )
    assert "Poin persentase: selisih dua persentase" in everything
    assert "Rentang keyakinan 95%:" in everything
    if "verval" in everything:
        assert everything.index("verval") > everything.index("verifikasi dan validasi (verval)")


def test_programme_charts_name_each_programme_beside_its_code(page):
    labelled = 0
    for spec in _charts(page):
        for label in _chart_words(spec):
            for code, name in (HOUSE, TRAINING):
                if re.search(rf"\b{code}\b", label):
                    assert name in label, label
                    labelled += 1
    assert labelled >= 6  # output vs impact, effects with intervals, recipients outside the target group


def test_rewording_a_quadrant_label_moves_no_programme_off_the_chart(lake, monkeypatch):
    reworded = {code: f"Kelompok {i}" for i, code in enumerate(words.QUADRANT_LABELS)}
    monkeypatch.setattr(words, "QUADRANT_LABELS", reworded)
    at = app_as("pimpinan", page=PAGE)
    assert not failed(at), failed(at)
    spec = _charts(at)[0]
    names = {t["name"] for t in spec["data"] if "name" in t}
    assert names and names <= set(reworded.values())
    rows = {y.replace("<br>", " ") for t in spec["data"] for y in t["y"]}
    assert len(rows) == 2 and all(HOUSE[1] in r or TRAINING[1] in r for r in rows)
