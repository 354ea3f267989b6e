"""Trends over periods: an area beside its parent and the city, and small multiples of sub-areas."""

from __future__ import annotations

import math

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from charts.style import LINE_COLOURS, base_layout


def trend_lines(
    series: list[tuple[str, str, pd.DataFrame]],
    *,
    value_col: str,
    fmt,
    title: str | None = None,
    y_title: str = "",
    references: list[tuple[str, pd.DataFrame]] | None = None,
) -> go.Figure:
    """`series`: (role, name, rows with periode_label and value_col); roles: area, induk, kota.

    `references`: (name, rows with periode_label and nilai) drawn dotted, e.g. BPS poverty rate.
    """
    fig = go.Figure()
    for role, name, rows in series:
        if rows.empty:
            continue
        fig.add_trace(
            go.Scatter(
                x=rows["periode_label"],
                y=rows[value_col],
                name=name,
                mode="lines+markers",
                line=dict(
                    color=LINE_COLOURS.get(role, "#888"),
                    width=4 if role == "area" else 2,
                    dash="solid" if role == "area" else "dash",
                ),
                hovertemplate="%{x}<br>" + name + ": %{text}<extra></extra>",
                text=[fmt(v) for v in rows[value_col]],
            )
        )
    for name, rows in references or []:
        fig.add_trace(
            go.Scatter(
                x=rows["periode_label"],
                y=rows["nilai"],
                name=name,
                mode="lines+markers",
                line=dict(color=LINE_COLOURS["acuan"], width=2, dash="dot"),
                hovertemplate="%{x}<br>" + name + ": %{y}<extra></extra>",
            )
        )
    base_layout(fig, title=title, height=420)
    fig.update_yaxes(title=y_title, rangemode="tozero", gridcolor="#eee")
    fig.update_xaxes(type="category")
    fig.update_layout(legend=dict(orientation="h", y=-0.2), hovermode="x unified")
    return fig


def small_multiples(
    rows: pd.DataFrame,
    *,
    value_col: str,
    fmt,
    title: str | None = None,
    columns: int = 4,
    highlight: set[str] | None = None,
) -> go.Figure:
    """One small line chart per sub-area (rows: kode_wilayah, nama_wilayah, periode_label, value_col), same y axis."""
    areas = list(dict.fromkeys(rows.sort_values(value_col, ascending=False)["kode_wilayah"]))
    names = rows.drop_duplicates("kode_wilayah").set_index("kode_wilayah")["nama_wilayah"]
    n_rows = max(1, math.ceil(len(areas) / columns))
    fig = make_subplots(
        rows=n_rows,
        cols=columns,
        subplot_titles=[names[a] for a in areas],
        shared_yaxes="all",
        vertical_spacing=min(0.08, 0.5 / n_rows),
        horizontal_spacing=0.03,
    )
    for i, kode in enumerate(areas):
        part = rows[rows["kode_wilayah"] == kode]
        colour = LINE_COLOURS["area"] if highlight and kode in highlight else LINE_COLOURS["kota"]
        fig.add_trace(
            go.Scatter(
                x=part["periode_label"],
                y=part[value_col],
                mode="lines",
                line=dict(color=colour, width=2),
                showlegend=False,
                name=names[kode],
                text=[fmt(v) for v in part[value_col]],
                hovertemplate="%{x}<br>" + names[kode] + ": %{text}<extra></extra>",
            ),
            row=i // columns + 1,
            col=i % columns + 1,
        )
    base_layout(fig, title=title, height=max(300, 170 * n_rows + 60))
    fig.update_layout(margin=dict(t=40))
    fig.update_xaxes(showticklabels=False, type="category")
    fig.update_yaxes(rangemode="tozero", gridcolor="#eee", tickformat=".1%" if value_col.startswith("porsi") else None)
    fig.update_annotations(font_size=12)
    return fig
