"""Trends over periods: an area beside its parent, the city and official figures; its sub-areas as
small multiples when few, or in one figure with the worst and best named when many."""

from __future__ import annotations

import html
import math

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from charts.style import BETTER_COLOURS, LINE_COLOURS, WORSE_COLOURS, base_layout


def _plain(text) -> str:
    """Names from uploaded files as plain text: plotly would render tags in them."""
    return html.escape(str(text), quote=False)


def _period_axis(fig: go.Figure, categories: list[str] | None, **more) -> None:
    """Periods as categories, in the lake's order when given (a line starting late keeps its place)."""
    order = dict(categoryorder="array", categoryarray=categories) if categories else {}
    fig.update_xaxes(type="category", **order, **more)


def trend_lines(
    series: list[tuple[str, str, pd.DataFrame]],
    *,
    value_col: str,
    fmt,
    title: str | None = None,
    y_title: str = "",
    references: pd.DataFrame | None = None,
    categories: list[str] | None = None,
) -> go.Figure:
    """`series`: (role, name, rows with periode_label and value_col); roles: area, induk, kota.

    `references` (pipelines.read.query.reference.series): official figures drawn dotted, each figure a flat
    segment over the periods it covers, so an annual rate spans its quarters. `categories`: every
    period label in order, so the axis keeps its order whichever line starts first.
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
                hovertemplate="%{x}<br>" + _plain(name) + ": %{text}<extra></extra>",
                text=[fmt(v) for v in rows[value_col]],
            )
        )
    for dash, (name, rows) in zip(("dot", "dashdot", "longdashdot"), _reference_traces(references)):
        fig.add_trace(
            go.Scatter(
                x=rows["periode_label"],
                y=rows["nilai"],
                name=_plain(name),
                mode="lines+markers",
                marker=dict(size=5),
                connectgaps=False,
                line=dict(color=LINE_COLOURS["acuan"], width=2, dash=dash),
                text=[None if pd.isna(v) else f"{fmt(v)} ({_plain(a)})" for v, a in zip(rows["nilai"], rows["acuan"])],
                hovertemplate="%{x}<br>" + _plain(name) + ": %{text}<extra></extra>",
            )
        )
    base_layout(fig, title=title, height=420)
    fig.update_yaxes(title=y_title, rangemode="tozero", gridcolor="#eee")
    _period_axis(fig, categories)
    fig.update_layout(legend=dict(orientation="h", y=-0.2), hovermode="x unified")
    return fig


def _reference_traces(references: pd.DataFrame | None):
    """(name, rows) per reference series, a blank row between two figures so each is its own segment."""
    if references is None or references.empty:
        return
    for name, rows in references.groupby("seri", sort=False):
        parts = []
        for _, segment in rows.groupby("segmen", sort=False):
            if parts:
                parts.append(pd.DataFrame({"periode_label": [None], "nilai": [None], "acuan": [None]}))
            parts.append(segment[["periode_label", "nilai", "acuan"]])
        yield name, pd.concat(parts, ignore_index=True)


def subarea_lines(
    rows: pd.DataFrame,
    *,
    value_col: str,
    fmt,
    worst: list[str],
    best: list[str],
    others_name: str,
    title: str | None = None,
    categories: list[str] | None = None,
) -> go.Figure:
    """Many sub-areas in one figure: the worst and the best as named lines, every other one as a
    thin grey line of a single trace (rows: kode_wilayah, nama_wilayah, periode_label, value_col)."""
    fig = go.Figure()
    rest = rows[~rows["kode_wilayah"].isin(worst + best)]
    x, y = [], []
    for _, part in rest.groupby("kode_wilayah", sort=True):
        x += [*part["periode_label"], None]
        y += [*part[value_col], None]
    if x:
        fig.add_trace(
            go.Scatter(
                x=x,
                y=y,
                name=others_name,
                mode="lines+markers",
                marker=dict(size=3, color="#c8c8c8"),
                connectgaps=False,
                line=dict(color="#c8c8c8", width=1),
                hoverinfo="skip",
            )
        )
    groups = (("Terburuk", worst, WORSE_COLOURS[3]), ("Terbaik", best, BETTER_COLOURS[3]))
    for group, codes, colour in groups:
        for dash, kode in zip(("solid", "dash", "dot"), codes):
            part = rows[rows["kode_wilayah"] == kode]
            name = _plain(part["nama_wilayah"].iloc[0])
            fig.add_trace(
                go.Scatter(
                    x=part["periode_label"],
                    y=part[value_col],
                    name=name,
                    legendgroup=group,
                    legendgrouptitle_text=group,
                    mode="lines+markers",
                    line=dict(color=colour, width=3, dash=dash),
                    text=[fmt(v) for v in part[value_col]],
                    hovertemplate="%{x}<br>" + name + ": %{text}<extra></extra>",
                )
            )
    base_layout(fig, title=title, height=440)
    fig.update_yaxes(rangemode="tozero", gridcolor="#eee", tickformat=".1%" if value_col.startswith("porsi") else None)
    _period_axis(fig, categories)
    fig.update_layout(legend=dict(orientation="h", y=-0.2))
    return fig


def small_multiples(
    rows: pd.DataFrame,
    *,
    value_col: str,
    fmt,
    title: str | None = None,
    columns: int = 4,
    highlight: set[str] | None = None,
    order: list[str] | None = None,
    categories: list[str] | None = None,
) -> go.Figure:
    """One small line chart per sub-area (rows: kode_wilayah, nama_wilayah, periode_label, value_col), same y axis.

    `order`: sub-area codes in panel order (worst first); by default the highest value first."""
    areas = order or list(dict.fromkeys(rows.sort_values(value_col, ascending=False)["kode_wilayah"]))
    names = rows.drop_duplicates("kode_wilayah").set_index("kode_wilayah")["nama_wilayah"].map(_plain)
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
                # Markers too: a sub-area with data in one period only is a point, not a line.
                mode="lines+markers",
                marker=dict(size=4),
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
    _period_axis(fig, categories, showticklabels=False)
    fig.update_yaxes(rangemode="tozero", gridcolor="#eee", tickformat=".1%" if value_col.startswith("porsi") else None)
    fig.update_annotations(font_size=12)
    return fig
