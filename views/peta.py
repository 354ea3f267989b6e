"""Peta: an indicator by kecamatan or kelurahan; click an area to drill in, a button to go back up;
inside a kelurahan its RW (or RT, where the city has no RW) as ranked bars."""

import streamlit as st

from charts.batang import ranked_bars
from charts.peta import choropleth
from pipelines.domain import level_of
from pipelines.periods import period_label
from pipelines.read import indicators as ind
from pipelines.read import map_values as mv
from pipelines.read.insights import previous_period
from ui import data, downloads, nav, state, tables, widgets

ctx = nav.context()
nav.require_lake(ctx)
scope, area, period = ctx.account.scope, ctx.area, ctx.period
prev = previous_period(data.periods(), period)
since = period_label(prev) if prev else None
level = level_of(area)
# Phones get a narrower map with its legend below (the server cannot measure the screen).
phone = "Mobi" in (st.context.headers.get("User-Agent") or "")


def name_of(kode: str) -> str:
    """'Kecamatan Pontianak Utara', 'Kota Pontianak', or 'RW 005' (RW and RT have no official name)."""
    return widgets.area_name(kode, f"{widgets.LEVEL_WORDS[level_of(kode)]} {kode.rsplit('.', 1)[-1]}")


title_area = name_of(area)
head, back = st.columns([1, 2], gap="medium", vertical_alignment="bottom")
head.title("Peta")
# Right above the map: one level up, through the same move as a click on the map.
up = mv.parent_of(area, widgets.levels())
if up and scope.covers(up) and back.button(f"Kembali ke {name_of(up)}", icon=":material/arrow_upward:"):
    widgets.go_to(ctx.account, up)
side, main = st.columns([1, 2], gap="medium")
with side:
    keys = [i.key for i in ind.MAPPABLE]
    remembered = state.indicator("keluarga_desil_1")
    chosen = st.selectbox(
        "Indikator",
        keys,
        format_func=lambda k: ind.get(k).label,
        index=keys.index(remembered) if remembered in keys else 0,
        key="peta_indikator",
    )
    st.session_state[state.INDICATOR] = chosen
    st.query_params["indikator"] = chosen
    meta = ind.get(chosen)
    mode = st.radio(
        "Tampilkan sebagai", mv.modes(meta), horizontal=True, key=state.MAP_MODE, format_func=mv.MODE_WORDS.get
    )
    map_level = {"kecamatan": "kelurahan"}.get(level)
    if level == "kota":
        map_level = st.radio(
            "Tingkat", ["kelurahan", "kecamatan"], horizontal=True, key="peta_tingkat", format_func=str.capitalize
        )
    st.markdown(f"##### {meta.label} · {title_area} · {period_label(period)}")
    st.caption(meta.description)
    if map_level:
        st.caption("Klik sebuah wilayah pada peta untuk melihat rinciannya.")

fmt = mv.formatter(mode)
with main:
    if map_level:
        rows = data.indicators(scope, period=period, level=map_level)
        rows = rows[rows["kode_wilayah"].str.startswith(area + ".")] if level == "kecamatan" else rows
        if rows.empty:
            st.info(f"Belum ada data {meta.label.lower()} untuk {title_area} pada {period_label(period)}.")
            st.stop()
        before = data.indicators(scope, period=prev, level=map_level) if prev else rows.iloc[0:0]
        rows = rows.assign(
            nilai=mv.shown(rows, meta, mode).values, perubahan=mv.changes(rows, before, meta, mode, since)
        )
        geojson = data.shapes(map_level)
        if level == "kecamatan":
            geojson = {**geojson, "features": [f for f in geojson["features"] if f["id"].startswith(area + ".")]}
        fig = choropleth(
            rows,
            geojson,
            value_col="nilai",
            fmt=fmt,
            lower_is_better=meta.lower_is_better,
            hover_extra="perubahan",
            phone=phone,
        )
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
        child = widgets.child_level(level)
        if not child:
            st.info(f"{title_area} adalah wilayah terkecil; tidak ada rincian di bawahnya.")
            st.stop()
        words = widgets.LEVEL_NOUNS[child]
        rows = data.children(scope, area, period=period)
        if rows.empty:
            st.info(f"Tidak ada rincian {words} untuk {title_area} pada {period_label(period)}.")
            st.stop()
        st.caption(f"Batas {words} tidak tersedia sebagai peta; {words} diurutkan dari yang paling berat.")
        fig = ranked_bars(
            rows.assign(nilai=mv.shown(rows, meta, mode).values, nama=rows["nama_wilayah"]),
            value_col="nilai",
            label_col="nama",
            fmt=fmt,
            lower_is_better=meta.lower_is_better,
            title=f"{meta.label} per {widgets.LEVEL_WORDS[child]} di {title_area}",
        )
        st.plotly_chart(fig, key="peta_batang", config={"displayModeBar": False})

table = mv.area_table(rows, meta, mode)
name = f"Peta {meta.label} {title_area} {period_label(period)}"
with st.expander("Tabel dan unduhan", expanded=False):
    st.dataframe(tables.counts_as_text(table), hide_index=True, width="stretch")
    downloads.table(table, name=name, account=ctx.account, area=area, key="peta_tabel")
    downloads.chart_png(fig, name=name, account=ctx.account, area=area, key="peta_png")
