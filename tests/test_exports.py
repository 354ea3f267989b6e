"""Downloads: Excel and CSV where no cell becomes a formula; charts as PNG offline."""

from __future__ import annotations

import io

import openpyxl
import pandas as pd
import plotly.graph_objects as go

from pipelines.read.exports import to_csv, to_xlsx
from tests.browser import require_chromium

HOSTILE = pd.DataFrame(
    {
        "Wilayah": ['=HYPERLINK("http://contoh","klik")', "+62 811", "-1+1", "@SUM(A1)", "Akcaya"],
        "Keluarga": [1, 2, 3, 4, 1234567],
    }
)


def test_excel_writes_formula_like_text_as_text():
    wb = openpyxl.load_workbook(io.BytesIO(to_xlsx(HOSTILE, "Uji")))
    ws = wb["Uji"]
    cells = [ws.cell(row=r, column=1) for r in range(2, 7)]
    assert [c.value for c in cells] == HOSTILE["Wilayah"].tolist()
    assert all(c.data_type == "s" for c in cells)
    assert ws.cell(row=6, column=2).value == 1234567


def test_csv_prefixes_formula_like_text_with_an_apostrophe():
    text = to_csv(HOSTILE).decode("utf-8-sig")
    lines = text.splitlines()
    assert lines[0] == '"Wilayah";"Keluarga"'
    assert lines[1].startswith("\"'=HYPERLINK") and lines[2].startswith("\"'+62") and lines[4].startswith("\"'@SUM")
    assert lines[5] == '"Akcaya";1234567'


# Text an upload may carry: placeholders a spreadsheet shows as they are, and formulas it would run.
PLACEHOLDERS = ["-", "+", "=", "@", "- ", ""]
FORMULAS = ["=1+1", "-2+3", "+62 811", "@SUM(A1)", "\t=1+1", "\r=1+1", "- 1", "=cmd|' /C calc'!A0"]


def test_csv_leaves_placeholders_as_they_are_and_guards_only_formulas():
    frame = pd.DataFrame({"Catatan": PLACEHOLDERS + FORMULAS})
    text = to_csv(frame).decode("utf-8-sig")
    cells = pd.read_csv(io.StringIO(text), sep=";", keep_default_na=False, dtype=str)["Catatan"].tolist()
    assert cells[: len(PLACEHOLDERS)] == PLACEHOLDERS
    assert cells[len(PLACEHOLDERS) :] == ["'" + f for f in FORMULAS]


def test_excel_keeps_placeholders_and_formula_text_as_plain_text():
    frame = pd.DataFrame({"Catatan": PLACEHOLDERS[:-1] + FORMULAS})
    ws = openpyxl.load_workbook(io.BytesIO(to_xlsx(frame, "Uji")))["Uji"]
    cells = [ws.cell(row=r, column=1) for r in range(2, len(frame) + 2)]
    # A carriage return is stored as OOXML's _x000D_ escape, which openpyxl leaves as it is.
    assert [c.value.replace("_x000D_", "\r") for c in cells] == frame["Catatan"].tolist()
    assert all(c.data_type == "s" for c in cells)


def test_chart_png_renders_offline():
    require_chromium()
    fig = go.Figure(go.Bar(x=[1, 2], y=["a", "b"], orientation="h"))
    png = fig.to_image(format="png", width=400, height=300)
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and len(png) > 1000
