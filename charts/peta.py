"""Choropleth of an indicator by kecamatan or kelurahan, drawn without any tile server.

Plotly's `geo` maps fetch a world outline from cdn.plot.ly, which a city server without
internet cannot reach; MapLibre maps (`go.Choroplethmap`) with the built-in "white-bg"
style need nothing from the network, so the map draws offline. MapLibre writes text only
with glyphs fetched from fonts.openmaptiles.org, so the area names are plotly annotations
(plain SVG text) pinned to the map's centre and shifted by the pixels Web Mercator puts
between the centre and each label point: they stay on their area at any chart width.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import shapely.geometry

from charts.style import BETTER_COLOURS, NO_DATA, WORSE_COLOURS, base_layout

N_CLASSES = 5
# MapLibre's world is 512 px wide at zoom 0.
TILE_PX = 512
# Heights fit a 1280x720 projector screen below the page title, and a phone screen.
HEIGHT = 500
PHONE_HEIGHT = 560
# The chart is as wide as its column, which the server cannot measure and MapLibre cannot fit
# to: the areas are fitted into a box every expected column holds (beside the legend on a
# screen, above it on a phone).
FIT_BOX = (360, 450)
PHONE_FIT_BOX = (320, 400)
# Names of many small areas are written smaller so that neighbours overlap less.
MANY_AREAS = 12


@dataclass(frozen=True)
class View:
    lon: float
    lat: float
    zoom: float

    def offset(self, lon: float, lat: float) -> tuple[float, float]:
        """Pixels from the map's centre to a point: right and up are positive."""
        world = TILE_PX * 2**self.zoom
        x, y = _mercator(lon, lat)
        cx, cy = _mercator(self.lon, self.lat)
        return (x - cx) * world, (cy - y) * world


def _mercator(lon, lat):
    """Web Mercator in world units (0-1), y growing southwards as on screen (scalars or arrays)."""
    s = np.sin(np.radians(np.clip(lat, -85.0511, 85.0511)))
    return (np.asarray(lon) + 180) / 360, 0.5 - np.log((1 + s) / (1 - s)) / (4 * math.pi)


def _unmercator_lat(y: float) -> float:
    return math.degrees(math.atan(math.sinh(math.pi * (1 - 2 * y))))


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
    phone: bool = False,
) -> go.Figure:
    """One trace per class so the legend lists the ranges; areas without data are grey; every
    area carries its name. On a phone the legend goes below the map instead of beside it.

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
    fit = PHONE_FIT_BOX if phone else FIT_BOX
    view = view_of(geojson, box=fit)
    fig.update_layout(map=dict(style="white-bg", center=dict(lon=view.lon, lat=view.lat), zoom=view.zoom))
    base_layout(fig, title=title, height=PHONE_HEIGHT if phone else HEIGHT)
    legend = (
        dict(orientation="h", x=0, xanchor="left", y=0, yanchor="top")
        if phone
        else dict(orientation="v", x=1.01, xanchor="left", y=1, yanchor="top")
    )
    fig.update_layout(
        legend=dict(title=dict(text="Kelas"), **legend),
        annotations=name_labels(geojson, view, box=fit),
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


def view_of(geojson: dict, *, box: tuple[int, int] = FIT_BOX) -> View:
    """Centre and zoom that fit every feature into a box of `box` (width, height) pixels
    (MapLibre maps in plotly have no fitbounds for choropleths)."""
    points = np.array([pt[:2] for f in geojson["features"] for pt in _coords(f["geometry"])], dtype=float)
    if not len(points):
        return View(0.0, 0.0, 1.0)
    xs, ys = _mercator(points[:, 0], points[:, 1])
    span_x, span_y = max(np.ptp(xs), 1e-9), max(np.ptp(ys), 1e-9)
    zoom = math.log2(min(box[0] / (TILE_PX * span_x), box[1] / (TILE_PX * span_y)))
    lon = (xs.min() + xs.max()) / 2 * 360 - 180
    lat = _unmercator_lat((ys.min() + ys.max()) / 2)
    return View(round(float(lon), 6), round(float(lat), 6), round(zoom, 3))


def _label_point(feature: dict) -> tuple[float, float]:
    props = feature["properties"]
    if props.get("bujur") is not None and props.get("lintang") is not None:
        return float(props["bujur"]), float(props["lintang"])
    point = shapely.geometry.shape(feature["geometry"]).representative_point()
    return point.x, point.y


def _wrap(name: str, width: int = 12) -> str:
    """Long names on two lines, split at the space nearest the middle."""
    if len(name) <= width or " " not in name:
        return name
    middle = len(name) / 2
    cut = min((i for i, ch in enumerate(name) if ch == " "), key=lambda i: abs(i - middle))
    return f"{name[:cut]}<br>{name[cut + 1 :]}"


def _box(x: float, y: float, text: str, size: int) -> shapely.geometry.Polygon:
    """The pixels a label covers around its centre (DejaVu Sans is about 0.6 em wide per letter)."""
    lines = text.split("<br>")
    w = max(len(line) for line in lines) * size * 0.6 + 4
    h = len(lines) * size * 1.25 + 2
    return shapely.geometry.box(x - w / 2, y - h / 2, x + w / 2, y + h / 2)


# Label moves inside an area, in text lines: up and down first, then sideways.
_INSIDE = (
    [(0, 0)]
    + [(0, d) for r in (1, 2, 3) for d in (r, -r)]
    + [(dx, dy) for r in (2, 4, 6) for dx in (r, -r) for dy in (0, 1, -1)]
)
# Callout places around an area too small for its name: distance (px) and direction.
_OUTSIDE = [(r, math.radians(a)) for r in (28, 42, 56, 72, 90) for a in range(0, 360, 30)]


def _place(area, anchor, text: str, size: int, taken: list, anchors: list, limit) -> tuple[float, float, bool]:
    """Where a name goes: inside its area if a free spot is there, else beside it with a line to
    the area (a callout), away from other names and from other areas' label points."""
    x0, y0 = anchor
    step = size * 1.25
    for dx, dy in _INSIDE:
        x, y = x0 + dx * step, y0 + dy * step
        box = _box(x, y, text, size)
        if (
            area.contains(shapely.geometry.Point(x, y))
            and limit.contains(box)
            and not any(box.intersects(t) for t in taken)
        ):
            return x, y, False
    for r, a in _OUTSIDE:
        x, y = x0 + r * math.cos(a), y0 + r * math.sin(a)
        box = _box(x, y, text, size)
        if (
            limit.contains(box)
            and not any(box.intersects(t) for t in taken)
            and not any(box.contains(p) for p in anchors)
        ):
            return x, y, True
    return x0, y0, False


def name_labels(geojson: dict, view: View, *, box: tuple[int, int] = FIT_BOX) -> list[dict]:
    """One annotation per area with its name: at its label point, or the nearest free spot
    inside the area, or, for an area too small for its name, beside it with a line to it.
    Small areas are placed first: a large one has room to move its name."""
    features = geojson["features"]
    size = 10 if len(features) > MANY_AREAS else 12
    areas = [
        shapely.transform(
            shapely.geometry.shape(f["geometry"]), lambda c: np.column_stack(view.offset(c[:, 0], c[:, 1]))
        )
        for f in features
    ]
    points = [tuple(float(v) for v in view.offset(*_label_point(f))) for f in features]
    anchors = [shapely.geometry.Point(p).buffer(3) for p in points]
    # Names stay within the plot area, a little wider than the box the areas were fitted into.
    limit = shapely.geometry.box(-box[0] / 2 - 8, -box[1] / 2 - 8, box[0] / 2 + 8, box[1] / 2 + 8)
    taken: list = []
    labels: dict[int, dict] = {}
    for i in sorted(range(len(features)), key=lambda i: areas[i].area):
        text = _wrap(str(features[i]["properties"]["nama"]))
        others = anchors[:i] + anchors[i + 1 :]
        x, y, callout = _place(areas[i], points[i], text, size, taken, others, limit)
        taken.append(_box(x, y, text, size))
        tip = points[i] if callout else (x, y)
        labels[i] = dict(
            text=text,
            x=0.5,
            y=0.5,
            xref="paper",
            yref="paper",
            # The arrow's tip (or the text without an arrow) sits `shift` pixels from the map's centre.
            xshift=round(tip[0], 1),
            yshift=round(tip[1], 1),
            showarrow=callout,
            ax=round(x - tip[0], 1) if callout else None,
            ay=round(tip[1] - y, 1) if callout else None,
            arrowhead=0,
            arrowwidth=1,
            arrowcolor="#444",
            font=dict(size=size, color="#1b1b1b"),
            bgcolor="rgba(255,255,255,0.75)",
            borderpad=1,
            name=features[i]["id"],
        )
    return [labels[i] for i in range(len(features))]


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
