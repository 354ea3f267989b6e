"""Evaluation charts: output against impact in four named quadrants, effects with their intervals,
and targeting errors over time. Pure builders; the quadrant names come with the rows."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from charts.style import base_layout

# Quadrant -> colour: green where output and impact are high, red where output is high without impact.
QUADRANT_COLOURS = {
    "Output tinggi, dampak tinggi": "#31a354",
    "Output rendah, dampak tinggi": "#2980b9",
    "Output tinggi, dampak rendah": "#d6452b",
    "Output rendah, dampak rendah": "#7f8c8d",
}
STATUS_COLOURS = {"positif": "#31a354", "tidak_jelas": "#7f8c8d", "negatif": "#d6452b"}


def quadrant_scatter(
    rows: pd.DataFrame,
    *,
    x_col: str,
    y_col: str,
    label_col: str,
    x_threshold: float,
    y_threshold: float,
    x_title: str,
    y_title: str,
    title: str | None = None,
    hover_col: str | None = None,
    error: tuple[str, str] | None = None,
    labels: bool = True,
) -> go.Figure:
    """Output achievement (x, a share) against outcome or impact (y), one trace per quadrant.

    `rows` needs a `kuadran` column; `error` names the columns of the y interval's ends.
    """
    data = rows.dropna(subset=[x_col, y_col]).sort_values(y_col)
    # Neighbours in height put their labels on alternate sides, so close points stay readable.
    sides = ["middle right", "middle left"]
    data = data.assign(_side=[sides[i % 2] for i in range(len(data))])
    fig = go.Figure()
    for name, colour in QUADRANT_COLOURS.items():
        part = data[data["kuadran"] == name]
        if part.empty:
            continue
        error_y = None
        if error:
            error_y = dict(
                type="data",
                symmetric=False,
                array=(part[error[1]] - part[y_col]).tolist(),
                arrayminus=(part[y_col] - part[error[0]]).tolist(),
                color=colour,
                thickness=2,
                width=6,
            )
        fig.add_trace(
            go.Scatter(
                x=part[x_col],
                y=part[y_col],
                mode="markers+text" if labels else "markers",
                name=name,
                marker=dict(color=colour, size=14, line=dict(color="white", width=1)),
                text=part[label_col] if labels else None,
                textposition=part["_side"].tolist(),
                textfont=dict(size=12),
                error_y=error_y,
                hovertext=part[hover_col] if hover_col else part[label_col],
                hoverinfo="text",
                customdata=part.get("kode_wilayah", part.get("kode_program")),
            )
        )
    xs = pd.concat([data[x_col], pd.Series([x_threshold])])
    # Room for the quadrant names on both sides of the threshold and for labels right of the last point.
    x_lo, x_hi = min(float(xs.min()) - 0.05, x_threshold - 0.2), max(float(xs.max()) + 0.1, x_threshold + 0.2)
    ys = [y_threshold, *data[y_col]]
    if error:
        ys += [*data[error[0]], *data[error[1]]]
    pad = max((max(ys) - min(ys)) * 0.12, 1.0)
    y_lo, y_hi = min(ys) - pad, max(ys) + pad
    fig.add_vline(x=x_threshold, line=dict(color="#555", dash="dash", width=1))
    fig.add_hline(y=y_threshold, line=dict(color="#555", dash="dash", width=1))
    corners = {
        "Output tinggi, dampak tinggi": (x_hi, y_hi, "right", "top"),
        "Output rendah, dampak tinggi": (x_lo, y_hi, "left", "top"),
        "Output tinggi, dampak rendah": (x_hi, y_lo, "right", "bottom"),
        "Output rendah, dampak rendah": (x_lo, y_lo, "left", "bottom"),
    }
    for name, (x, y, xanchor, yanchor) in corners.items():
        fig.add_annotation(
            x=x,
            y=y,
            text=f"<b>{name}</b>",
            showarrow=False,
            xanchor=xanchor,
            yanchor=yanchor,
            font=dict(color=QUADRANT_COLOURS[name], size=13),
        )
    base_layout(fig, title=title, height=520)
    fig.update_xaxes(title=x_title, tickformat=".0%", range=[x_lo, x_hi], gridcolor="#eee", zeroline=False)
    fig.update_yaxes(title=y_title, range=[y_lo, y_hi], gridcolor="#eee", zeroline=False)
    fig.update_layout(showlegend=False)
    return fig


def effect_intervals(rows: pd.DataFrame, *, label_col: str, title: str | None = None) -> go.Figure:
    """Each programme's effect (points) with its 95% interval; zero marks 'no difference'."""
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
            )
        )
    fig.add_vline(x=0, line=dict(color="#333", width=1))
    base_layout(fig, title=title, height=max(280, 46 * len(data) + 110))
    fig.update_xaxes(title="Selisih peluang membaik dibanding keluarga sebanding (poin)", gridcolor="#eee")
    fig.update_yaxes(categoryorder="array", categoryarray=list(data[label_col]), automargin=True)
    fig.update_layout(legend=dict(orientation="h", y=-0.25, x=0))
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
