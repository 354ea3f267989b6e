"""Peta: an indicator by kecamatan or kelurahan; click an area to drill in; RW and RT as ranked bars."""

import pandas as pd
import streamlit as st

from charts.batang import ranked_bars
from charts.peta import choropleth
from pipelines import indicators as ind
from pipelines.formatting import angka, persen, perubahan
from pipelines.insights import previous_period
from pipelines.periods import period_label
from ui import data, downloads, nav, state, tables, widgets

ctx = nav.context()
nav.require_lake(ctx)
scope, area, period = ctx.account.scope, ctx.area, ctx.period
periods = data.periods()
prev = previous_period(periods, period)

title_area = widgets.area_name(area)
st.title("Peta")
keys = [i.key for i in ind.MAPPABLE]
left, mid, right = st.columns([3, 2, 2])
chosen = left.selectbox(
    "Indikator",
    keys,
    format_func=lambda k: ind.get(k).label,
    index=keys.index(state.indicator("keluarga_desil_1")) if state.indicator("keluarga_desil_1") in keys else 0,
    key="peta_indikator",
)
st.session_state[state.INDICATOR] = chosen
st.query_params["indikator"] = chosen
meta = ind.get(chosen)
modes = ["porsi", "jumlah"] if meta.denominator else ["jumlah"]
mode = mid.radio(
    "Tampilkan sebagai",
    modes,
    horizontal=True,
    key=state.MAP_MODE,
    format_func=lambda m: "Persen keluarga" if m == "porsi" else "Jumlah",
)
level_here = area.count(".")
map_level = None
if level_here == 1:
    map_level = right.radio(
        "Tingkat", ["kelurahan", "kecamatan"], horizontal=True, key="peta_tingkat", format_func=str.capitalize
    )
elif level_here == 2:
    map_level = "kelurahan"

st.markdown(f"#### {meta.label} · {title_area} · {period_label(period)}")
st.caption(meta.description)


def values(rows: pd.DataFrame) -> pd.Series:
    if mode == "porsi":
        return rows[chosen] / rows[meta.denominator].where(rows[meta.denominator] > 0)
    return rows[chosen].astype(float)


fmt = persen if mode == "porsi" else angka


def change_text(now, before) -> str:
    """Hover line: change since the previous period (percentage points for shares)."""
    if prev is None or before is None or pd.isna(before) or pd.isna(now):
        return ""
    if mode == "porsi":
        diff = (now - before) * 100
        return f"{'+' if diff > 0 else ''}{angka(diff, 1)} poin sejak {period_label(prev)}"
    return f"{perubahan(now, before, relative=False)} sejak {period_label(prev)}"


if map_level:
    rows = data.indicators(scope, period=period, level=map_level)
    rows = rows[rows["kode_wilayah"].str.startswith(area + ".")] if level_here == 2 else rows
    before = data.indicators(scope, period=prev, level=map_level) if prev else rows.iloc[0:0]
    rows = rows.assign(nilai=values(rows).values)
    old = dict(zip(before["kode_wilayah"], values(before))) if len(before) else {}
    rows["perubahan"] = [change_text(v, old.get(k)) for k, v in zip(rows["kode_wilayah"], rows["nilai"])]
    geojson = data.shapes(map_level)
    if level_here == 2:
        geojson = {**geojson, "features": [f for f in geojson["features"] if f["id"].startswith(area + ".")]}
    if rows.empty:
        st.info(f"Belum ada data {meta.label.lower()} untuk {title_area} pada {period_label(period)}.")
        st.stop()
    fig = choropleth(
        rows, geojson, value_col="nilai", fmt=fmt, lower_is_better=meta.lower_is_better, hover_extra="perubahan"
    )
    st.caption("Klik sebuah wilayah pada peta untuk melihat rinciannya.")
    event = st.plotly_chart(
        fig,
        key=f"peta_{area}_{map_level}",
        on_select="rerun",
        selection_mode="points",
        config={"displayModeBar": False, "scrollZoom": False},
    )
    points = (
        (event or {}).get("selection", {}).get("points", [])
        if isinstance(event, dict)
        else getattr(getattr(event, "selection", None), "points", [])
    )
    if points:
        clicked = points[0].get("location") or points[0].get("customdata")
        if clicked and clicked != area and scope.covers(clicked):
            widgets.go_to(ctx.account, clicked)
else:
    rows = data.children(scope, area, period=period)
    if rows.empty:
        st.info(f"Tidak ada rincian RW/RT untuk {title_area} pada {period_label(period)}.")
        st.stop()
    rows = rows.assign(nilai=values(rows).values, nama=rows["nama_wilayah"])
    st.caption("Batas RW dan RT tidak tersedia sebagai peta; wilayah diurutkan dari yang paling berat.")
    fig = ranked_bars(
        rows,
        value_col="nilai",
        label_col="nama",
        fmt=fmt,
        lower_is_better=meta.lower_is_better,
        title=f"{meta.label} per {rows['level'].iloc[0].upper()} di {title_area}",
    )
    st.plotly_chart(fig, key="peta_batang", config={"displayModeBar": False})

table = rows[["nama_wilayah", "jumlah_keluarga", chosen]].assign(
    porsi=values(rows).map(persen) if meta.denominator else None
)
table = table.rename(
    columns={"nama_wilayah": "Wilayah", "jumlah_keluarga": "Keluarga", chosen: meta.label, "porsi": "Persen"}
).sort_values(meta.label, ascending=not meta.lower_is_better)
with st.expander("Tabel dan unduhan", expanded=False):
    st.dataframe(tables.counts_as_text(table), hide_index=True, width="stretch")
    downloads.table(
        table,
        name=f"Peta {meta.label} {title_area} {period_label(period)}",
        account=ctx.account,
        area=area,
        key="peta_tabel",
    )
    downloads.chart_png(
        fig,
        name=f"Peta {meta.label} {title_area} {period_label(period)}",
        account=ctx.account,
        area=area,
        key="peta_png",
    )
