"""Ranked bars: RW and RT inside a kelurahan (no public RT polygons exist), or any sub-areas."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from charts.style import BETTER_COLOURS, WORSE_COLOURS, base_layout


def ranked_bars(
    rows: pd.DataFrame,
    *,
    value_col: str,
    label_col: str,
    fmt,
    lower_is_better: bool = True,
    title: str | None = None,
    hover_extra: str | None = None,
    limit: int = 40,
) -> go.Figure:
    """Worst first (largest value when more is worse), at most `limit` bars."""
    data = rows.dropna(subset=[value_col]).sort_values(value_col, ascending=not lower_is_better).head(limit)
    data = data.iloc[::-1]  # plotly draws the first bar at the bottom
    colour = WORSE_COLOURS[3] if lower_is_better else BETTER_COLOURS[3]
    extra = data[hover_extra].fillna("").tolist() if hover_extra else [""] * len(data)
    text = [fmt(v) for v in data[value_col]]
    fig = go.Figure(
        go.Bar(
            x=data[value_col],
            y=data[label_col],
            orientation="h",
            marker_color=colour,
            text=text,
            textposition="outside",
            cliponaxis=False,
            customdata=data.get("kode_wilayah"),
            hovertext=[
                f"<b>{n}</b><br>{t}" + (f"<br>{e}" if e else "") for n, t, e in zip(data[label_col], text, extra)
            ],
            hoverinfo="text",
        )
    )
    base_layout(fig, title=title, height=max(260, 26 * len(data) + 80))
    top = float(data[value_col].max()) if len(data) else 1.0
    # Room on the right for the value labels.
    fig.update_xaxes(showgrid=True, gridcolor="#eee", zeroline=False, showticklabels=False, range=[0, top * 1.18 or 1])
    fig.update_yaxes(automargin=True)
    return fig
