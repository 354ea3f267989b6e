"""Region shapes for the map: simplified once at publish, published with the lake.

The shipped boundaries (BIG village boundaries via cahyadsn/wilayah_boundaries) have
more vertices than a city-wide map needs; a figure costs about 1 MB of JSON per
1,000 twenty-vertex polygons. Shapes are simplified to about 10 m and coordinates
rounded to 1 m, which keeps every kelurahan recognisable and the page light.
"""

from __future__ import annotations

import json

import geopandas as gpd
import pandas as pd
import shapely
import shapely.geometry
import shapely.geometry.polygon

from pipelines.cities import City

# Degrees; about 10 m at the equator.
SIMPLIFY_TOLERANCE = 0.0001
COORD_DECIMALS = 5


def _round(geom):
    return shapely.set_precision(geom, 10**-COORD_DECIMALS)


def _clockwise(geom):
    """Exterior rings clockwise: plotly's geo maps (d3-geo) read counter-clockwise rings as
    'everything but this shape', which draws nothing and breaks fitbounds."""
    if geom.geom_type == "Polygon":
        return shapely.geometry.polygon.orient(geom, sign=-1.0)
    if geom.geom_type == "MultiPolygon":
        return shapely.geometry.MultiPolygon([_clockwise(p) for p in geom.geoms])
    return geom


def shapes(city: City) -> pd.DataFrame:
    """One row per kecamatan and kelurahan: code, name, parent, GeoJSON geometry, label point."""
    frames = []
    for level, path in (("kecamatan", city.batas_kecamatan), ("kelurahan", city.batas_kelurahan)):
        gdf = gpd.read_file(path)
        geom = gdf.geometry.simplify(SIMPLIFY_TOLERANCE, preserve_topology=True).map(_round).map(_clockwise)
        point = gdf.geometry.representative_point()
        parent = gdf["kode_kec"] if level == "kelurahan" else gdf["kode_kab"]
        frames.append(
            pd.DataFrame(
                {
                    "level": level,
                    "kode": gdf["kode"],
                    "nama": gdf["nama"],
                    "kode_induk": parent,
                    "geojson": [json.dumps(shapely.geometry.mapping(g), separators=(",", ":")) for g in geom],
                    "bujur": point.x.round(COORD_DECIMALS),
                    "lintang": point.y.round(COORD_DECIMALS),
                }
            )
        )
    return pd.concat(frames, ignore_index=True).sort_values(["level", "kode"]).reset_index(drop=True)


def feature_collection(rows: pd.DataFrame) -> dict:
    """GeoJSON FeatureCollection with the Kemendagri code as feature id.

    Each feature carries its label point (`bujur`, `lintang`): a point inside the shape where
    the map writes the area's name (a centroid can fall outside a crescent-shaped kelurahan)."""
    return {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "id": r.kode,
                "properties": {"kode": r.kode, "nama": r.nama, "bujur": float(r.bujur), "lintang": float(r.lintang)},
                "geometry": json.loads(r.geojson),
            }
            for r in rows.itertuples()
        ],
    }
