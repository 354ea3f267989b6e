"""Choropleth of an indicator by kecamatan or kelurahan, drawn without any tile server.

Plotly's `geo` maps fetch a world outline from cdn.plot.ly, which a city server without
internet cannot reach; MapLibre maps (`go.Choroplethmap`) with the built-in "white-bg"
style need nothing from the network, so the map draws offline.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from charts.style import BETTER_COLOURS, NO_DATA, WORSE_COLOURS, base_layout

N_CLASSES = 5


def classify(values: pd.Series, n: int = N_CLASSES) -> list[float]:
    """Class breaks by quantiles (equal numbers of areas per class), deduplicated.

    Quantiles suit a map meant to rank areas for attention; with few distinct values
    the classes collapse rather than show empty ranges.
    """
    clean = values.dropna().astype(float)
    if clean.empty:
        return []
    breaks = np.unique(np.quantile(clean, np.linspace(0, 1, n + 1)))
    return [float(b) for b in breaks]


def _label(lo: float, hi: float, fmt) -> str:
    return fmt(lo) if lo == hi else f"{fmt(lo)} – {fmt(hi)}"


def choropleth(
    areas: pd.DataFrame,
    geojson: dict,
    *,
    value_col: str,
    fmt,
    lower_is_better: bool = True,
    title: str | None = None,
    hover_extra: str | None = None,
) -> go.Figure:
    """One trace per class so the legend lists the ranges; areas without data are grey.

    `areas` needs kode_wilayah, nama_wilayah and `value_col`; `hover_extra` names a text
    column appended to the hover label (e.g. the change since the previous period).
    """
    codes = [f["id"] for f in geojson["features"]]
    data = areas.set_index("kode_wilayah").reindex(codes)
    names = {f["id"]: f["properties"]["nama"] for f in geojson["features"]}
    data["nama"] = [names[c] for c in codes]
    breaks = classify(data[value_col])
    colours = WORSE_COLOURS if lower_is_better else BETTER_COLOURS
    fig = go.Figure()
    if len(breaks) >= 2:
        bins = pd.cut(data[value_col], bins=breaks, include_lowest=True, labels=False, duplicates="drop")
    else:
        bins = pd.Series(np.where(data[value_col].notna(), 0, np.nan), index=data.index)
    n_bins = max(1, len(breaks) - 1)
    palette = [colours[round(i * (len(colours) - 1) / max(1, n_bins - 1))] for i in range(n_bins)]
    for cls in range(n_bins):
        members = data[bins == cls]
        if members.empty:
            continue
        lo, hi = (breaks[cls], breaks[cls + 1]) if len(breaks) >= 2 else (breaks[0], breaks[0])
        fig.add_trace(_trace(members, geojson, palette[cls], _label(lo, hi, fmt), value_col, fmt, hover_extra))
    missing = data[data[value_col].isna()]
    if len(missing):
        fig.add_trace(_trace(missing, geojson, NO_DATA, "tidak ada data", value_col, fmt, hover_extra))
    lon, lat, zoom = view_of(geojson)
    fig.update_layout(map=dict(style="white-bg", center=dict(lon=lon, lat=lat), zoom=zoom))
    base_layout(fig, title=title, height=580)
    fig.update_layout(
        legend=dict(title=dict(text="Kelas"), x=0.01, y=0.01, xanchor="left", yanchor="bottom"),
        clickmode="event+select",
        dragmode=False,
    )
    return fig


def _coords(geometry: dict):
    rings = (
        geometry["coordinates"] if geometry["type"] == "Polygon" else [r for p in geometry["coordinates"] for r in p]
    )
    for ring in rings:
        yield from ring


def view_of(geojson: dict, width_px: int = 900, height_px: int = 560) -> tuple[float, float, float]:
    """Centre and zoom that fit every feature (MapLibre has no fitbounds)."""
    points = [pt for f in geojson["features"] for pt in _coords(f["geometry"])]
    lons = [p[0] for p in points]
    lats = [p[1] for p in points]
    if not points:
        return 0.0, 0.0, 1.0
    lon_span = max(max(lons) - min(lons), 1e-4)
    lat_span = max(max(lats) - min(lats), 1e-4)
    # Web Mercator: 256 px cover 360 degrees at zoom 0; keep a margin of about 10%.
    zoom = min(math.log2(width_px * 360 / (256 * lon_span)), math.log2(height_px * 180 / (256 * lat_span))) - 0.1
    return (min(lons) + max(lons)) / 2, (min(lats) + max(lats)) / 2, round(zoom, 2)


def _trace(
    members: pd.DataFrame, geojson: dict, colour: str, name: str, value_col: str, fmt, hover_extra: str | None
) -> go.Choroplethmap:
    values = [fmt(v) for v in members[value_col]]
    extra = members[hover_extra].fillna("").tolist() if hover_extra else [""] * len(members)
    text = [f"<b>{n}</b><br>{v}" + (f"<br>{e}" if e else "") for n, v, e in zip(members["nama"], values, extra)]
    return go.Choroplethmap(
        geojson=geojson,
        locations=list(members.index),
        z=[1] * len(members),
        colorscale=[[0, colour], [1, colour]],
        showscale=False,
        marker=dict(line=dict(color="white", width=1), opacity=0.9),
        text=text,
        customdata=list(members.index),
        hovertemplate="%{text}<extra></extra>",
        name=name,
        showlegend=True,
    )
