"""Shared look: Indonesian number separators, readable fonts for a projector, calm colours."""

from __future__ import annotations

import plotly.graph_objects as go

# Sequential classes for indicators where more is worse (poverty, unmet needs) and better.
WORSE_COLOURS = ("#fff3cd", "#fdc981", "#f4894b", "#d6452b", "#8e1b16")
BETTER_COLOURS = ("#edf8e9", "#bae4b3", "#74c476", "#31a354", "#006d2c")
NO_DATA = "#d9d9d9"
LINE_COLOURS = {"area": "#c0392b", "induk": "#7f8c8d", "kota": "#2c3e50", "acuan": "#2980b9"}
FONT = dict(family="DejaVu Sans, Arial, sans-serif", size=14)


def base_layout(fig: go.Figure, *, title: str | None = None, height: int | None = None) -> go.Figure:
    fig.update_layout(
        # Decimal comma, thousands dot: 1.234,5
        separators=",.",
        font=FONT,
        title=dict(text=title, x=0, xanchor="left", font=dict(size=17)) if title else None,
        margin=dict(l=10, r=10, t=50 if title else 10, b=10),
        paper_bgcolor="white",
        plot_bgcolor="white",
        legend=dict(orientation="v", bgcolor="rgba(255,255,255,0.85)"),
        height=height,
    )
    return fig
