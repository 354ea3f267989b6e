"""Evaluation charts: output against impact read across one row per programme or kelurahan, effects
with their intervals, and targeting errors over time. Pure builders; rows carry a quadrant code, and
the words shown for each code come in as an argument, so rewording a label moves no point."""

from __future__ import annotations

import html
import textwrap
from collections.abc import Callable

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from charts.style import base_layout
from pipelines.evaluation.text import QUADRANTS

# Green where output and impact are high, red where output is high without impact, grey otherwise.
QUADRANT_COLOURS = {
    QUADRANTS[True, True]: "#31a354",
    QUADRANTS[False, True]: "#2980b9",
    QUADRANTS[True, False]: "#d6452b",
    QUADRANTS[False, False]: "#7f8c8d",
}
OTHER_COLOUR = "#b8b8b8"  # not judged yet, or a code this module does not know: still drawn
STATUS_COLOURS = {"positif": "#31a354", "tidak_jelas": "#7f8c8d", "negatif": "#d6452b"}
LINE = dict(color="#555", dash="dash", width=1)
ROW_HEIGHT = 34


def row_label(text, *, width: int = 34) -> str:
    """A row name from an upload, safe inside plotly's HTML-like labels, wrapped to fit beside the bars."""
    lines = textwrap.wrap(str(text), width, break_on_hyphens=False) or [""]
    return "<br>".join(html.escape(line, quote=False) for line in lines)


def _span(values: list[float]) -> list[float]:
    """An axis range from zero or below, with room beyond each end for the value written outside a bar."""
    values = [v for v in values if pd.notna(v)] or [0.0]
    lo, hi = min(0.0, *values), max(0.0, *values)
    room = max((hi - lo) * 0.14, 1e-9)
    return [lo - room if lo < 0 else 0.0, hi + room if hi > 0 else 0.0]


def output_and_impact(
    rows: pd.DataFrame,
    *,
    label_col: str,
    output_col: str,
    impact_col: str,
    labels: dict[str, str],
    output_title: str,
    impact_title: str,
    output_threshold: float,
    impact_reference: float,
    reference_note: str,
    output_text: Callable[[float], str],
    impact_text: Callable[[float], str],
    interval: tuple[str, str] | None = None,
    key_col: str | None = None,
    title: str | None = None,
) -> go.Figure:
    """Each row, top to bottom in the order given: output achievement (a share) on the left, impact on the
    right, both coloured by the row's quadrant code (`kuadran`). Impact is a bar, or a point with its
    interval when `interval` names the columns of its ends. Every name sits on its own row, so no
    label can overlap another."""
    fig = make_subplots(
        rows=1,
        cols=2,
        shared_yaxes=True,
        column_widths=[0.38, 0.62],
        horizontal_spacing=0.03,
        subplot_titles=[output_title, impact_title],
    )
    codes = [c for c in QUADRANT_COLOURS if c in set(rows["kuadran"])]
    codes += [c for c in dict.fromkeys(rows["kuadran"]) if c not in QUADRANT_COLOURS]
    for code in codes:
        part = rows[rows["kuadran"] == code]
        colour = QUADRANT_COLOURS.get(code, OTHER_COLOUR)
        common = dict(
            y=part[label_col],
            legendgroup=code,
            marker_color=colour,
            customdata=part[key_col] if key_col else None,
            hoverinfo="text",
        )
        fig.add_trace(
            go.Bar(
                x=part[output_col],
                orientation="h",
                name=labels.get(code, code),
                text=[output_text(v) for v in part[output_col]],
                textposition="outside",
                cliponaxis=False,
                hovertext=[f"{n}: {output_text(v)}" for n, v in zip(part[label_col], part[output_col])],
                **common,
            ),
            row=1,
            col=1,
        )
        hover = [f"{n}: {impact_text(v)}" for n, v in zip(part[label_col], part[impact_col])]
        if interval:
            impact = go.Scatter(
                x=part[impact_col],
                mode="markers",
                marker=dict(color=colour, size=13),
                error_x=dict(
                    type="data",
                    symmetric=False,
                    array=(part[interval[1]] - part[impact_col]).tolist(),
                    arrayminus=(part[impact_col] - part[interval[0]]).tolist(),
                    color=colour,
                    thickness=3,
                    width=7,
                ),
                hovertext=hover,
                showlegend=False,
                **{k: v for k, v in common.items() if k != "marker_color"},
            )
        else:
            impact = go.Bar(
                x=part[impact_col],
                orientation="h",
                text=[impact_text(v) for v in part[impact_col]],
                textposition="outside",
                cliponaxis=False,
                hovertext=hover,
                showlegend=False,
                **common,
            )
        fig.add_trace(impact, row=1, col=2)
    ends = [*rows[impact_col]] + ([*rows[interval[0]], *rows[interval[1]]] if interval else [])
    for axis, x, note in (
        ("x", output_threshold, output_text(output_threshold)),
        ("x2", impact_reference, reference_note),
    ):
        fig.add_vline(x=x, line=LINE, layer="below", row=1, col=1 if axis == "x" else 2)
        fig.add_annotation(
            x=x,
            y=1,
            xref=axis,
            yref="paper",
            yanchor="bottom",
            text=note,
            showarrow=False,
            font=dict(size=12, color="#555"),
        )
    base_layout(fig, title=title, height=max(300, ROW_HEIGHT * len(rows) + 190))
    fig.update_layout(
        barmode="overlay",
        legend=dict(orientation="h", x=0, y=0, yref="container", yanchor="bottom", traceorder="normal"),
        margin=dict(t=110 if title else 80, b=70),
    )
    fig.update_xaxes(
        tickformat=".0%",
        range=_span([*rows[output_col], output_threshold]),
        gridcolor="#eee",
        zeroline=False,
        row=1,
        col=1,
    )
    fig.update_xaxes(range=_span([*ends, impact_reference]), gridcolor="#eee", zeroline=False, row=1, col=2)
    fig.update_yaxes(categoryorder="array", categoryarray=list(rows[label_col])[::-1], automargin=True, row=1, col=1)
    # Subplot titles above the threshold notes.
    for note in fig.layout.annotations[:2]:
        note.update(yshift=20, font=dict(size=13))
    return fig


def effect_intervals(rows: pd.DataFrame, *, label_col: str, x_title: str, title: str | None = None) -> go.Figure:
    """Each programme's effect (percentage points) with its 95% interval; zero marks 'no difference'."""
    data = rows.dropna(subset=["efek"]).sort_values("efek")
    fig = go.Figure()
    for status, colour in STATUS_COLOURS.items():
        part = data[data["status"] == status]
        if part.empty:
            continue
        fig.add_trace(
            go.Scatter(
                x=part["efek"] * 100,
                y=part[label_col],
                mode="markers",
                name={"positif": "berdampak", "tidak_jelas": "tidak terlihat beda", "negatif": "lebih buruk"}[status],
                marker=dict(color=colour, size=13),
                error_x=dict(
                    type="data",
                    symmetric=False,
                    array=((part["batas_atas"] - part["efek"]) * 100).tolist(),
                    arrayminus=((part["efek"] - part["batas_bawah"]) * 100).tolist(),
                    color=colour,
                    thickness=3,
                    width=8,
                ),
                hovertext=part.get("kalimat", part[label_col]),
                hoverinfo="text",
                customdata=part.get("kode_program"),
            )
        )
    fig.add_vline(x=0, line=dict(color="#333", width=1))
    # Up to three lines per label (name on two, the outcome on one) need the height of three lines.
    base_layout(fig, title=title, height=max(280, 3 * 22 * len(data) + 140))
    fig.update_xaxes(title=x_title, gridcolor="#eee")
    fig.update_yaxes(categoryorder="array", categoryarray=list(data[label_col]), automargin=True)
    fig.update_layout(legend=dict(orientation="h", x=0, y=0, yref="container", yanchor="bottom"), margin=dict(b=60))
    return fig


def error_trend(rows: pd.DataFrame, *, title: str | None = None) -> go.Figure:
    """Exclusion and inclusion error rates per period (`periode_label`, `eksklusi`, `inklusi` as shares)."""
    fig = go.Figure()
    for col, name, colour in (
        ("eksklusi", "Layak tetapi tidak menerima program apa pun", "#d6452b"),
        ("inklusi", "Penerima di desil 6-10 dan bukan fakir miskin", "#2980b9"),
    ):
        fig.add_trace(
            go.Scatter(
                x=rows["periode_label"],
                y=rows[col],
                name=name,
                mode="lines+markers",
                line=dict(color=colour, width=3),
                hovertemplate="%{x}<br>" + name + ": %{y:.1%}<extra></extra>",
            )
        )
    base_layout(fig, title=title, height=380)
    fig.update_yaxes(tickformat=".0%", rangemode="tozero", gridcolor="#eee")
    fig.update_layout(legend=dict(orientation="h", y=1.02, yanchor="bottom", x=0), margin=dict(t=90))
    return fig
