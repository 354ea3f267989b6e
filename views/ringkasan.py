"""Ringkasan: headline figures, what changed and where, and early warnings for the chosen area."""

from dataclasses import replace

import pandas as pd
import streamlit as st

from charts.batang import ranked_bars
from pipelines.formatting import angka, is_missing, persen
from pipelines.periods import period_label
from pipelines.read import indicators as ind
from pipelines.read import insights, vulnerable
from ui import cards, data, downloads, nav, tables, widgets

ctx = nav.context()
nav.require_lake(ctx)
scope, area, period = ctx.account.scope, ctx.area, ctx.period
periods = data.periods()

trend = data.indicators(scope, kode=area, totals=True)
current = trend[trend["periode"] == period]
title = widgets.area_name(area, current["nama_wilayah"].iloc[0] if len(current) else None)
st.title(f"Ringkasan: {title}")
if current.empty:
    st.info(
        f"Belum ada data keluarga untuk {title} pada {period_label(period)}. Pilih periode lain atau minta "
        "lurah/analis mengunggah data wilayah ini."
    )
    st.stop()

row = current.iloc[0]
prev = insights.previous_period(periods, period)
year = insights.year_before(periods, period)
people = "" if is_missing(row["jumlah_jiwa"]) else f", {angka(row['jumlah_jiwa'])} jiwa"
st.caption(
    f"{period_label(period)} · {angka(row['jumlah_keluarga'])} keluarga{people} · "
    "desil 1 = 10% termiskin nasional (DTSEN)"
)

children = data.children(scope, area)
level = row["level"]
child_word, child_label = widgets.child_word(level), widgets.child_label(level)
heads = insights.headlines(trend, period, periods)
changes = insights.sub_area_changes(children, period, periods) if len(children) else pd.DataFrame()

with st.container(border=True):
    st.markdown("#### Apa yang berubah")
    for sentence in insights.narrative(title, period, periods, heads, changes, child_word or "wilayah"):
        st.markdown(f"- {sentence}")

cards.headline_cards(heads, period_label(prev) if prev else None, period_label(year) if year else None)

st.markdown(f"#### Kelompok rentan: {title}")
lenses = vulnerable.lenses(trend, period, periods)
st.dataframe(vulnerable.table(lenses, period_label(prev) if prev else None), hide_index=True, key="ringkasan_rentan")
st.caption(vulnerable.note(lenses, row.to_dict()))

if len(changes):
    left, right = st.columns(2)
    worst = changes.dropna(subset=["porsi"]).head(10)
    with left:
        fig = ranked_bars(
            worst.assign(nama=worst["nama_wilayah"]),
            value_col="porsi",
            label_col="nama",
            fmt=persen,
            title=f"Porsi keluarga desil 1 tertinggi per {child_word}",
        )
        st.plotly_chart(fig, key="ringkasan_terberat", config={"displayModeBar": False})
    with right:
        st.markdown(f"**Paling membaik sejak {period_label(prev)}**" if prev else "**Perubahan**")
        better = changes[changes["selisih_porsi"] < -insights.MIN_SHARE_CHANGE].sort_values("selisih_porsi").head(8)
        if better.empty:
            st.caption("Tidak ada yang membaik." if prev else "Belum ada periode pembanding.")
        else:
            st.dataframe(
                pd.DataFrame(
                    {
                        child_label: better["nama_wilayah"],
                        "Desil 1 sekarang": better["porsi"].map(persen),
                        "Sebelumnya": better["porsi_lalu"].map(persen),
                        "Perubahan (poin)": (better["selisih_porsi"] * 100).map(lambda v: angka(v, 1)),
                    }
                ),
                hide_index=True,
                width="stretch",
            )

st.markdown(f"#### Peringatan dini: {title}")
# From the city or a kecamatan the trends watched are its kelurahan: that is where a lurah can act.
# Programme outputs are reported per kelurahan, so an RW or RT is watched through its kelurahan.
kelurahan = insights.kelurahan_of(area)
if level in ("kota", "kecamatan"):
    watched = insights.within(data.indicators(scope, level="kelurahan"), area)
    watched_word, rt_rows = "kelurahan", pd.DataFrame()
else:
    watched, watched_word = children, child_word
    rt_rows = insights.within(data.indicators(scope, level="rt", period=period), area)
programme_area = kelurahan or area
programme_place = None if level == "kota" else widgets.area_name(programme_area)
warnings = insights.early_warnings(
    level,
    period,
    periods,
    watched=watched,
    quality=insights.quality_in_area(data.quality(scope, period=period), area),
    rt_rows=rt_rows,
    # The area is inside the user's scope (nav checked it); narrowing the scope to it only hides rows.
    programmes=data.programmes(
        replace(scope, kode_wilayah=programme_area) if level != "kota" and scope.covers(programme_area) else scope,
        period=period,
    ),
    programme_place=programme_place,
)
st.caption(insights.watch_note(level, title, watched_word, period, programme_place or title))
cards.warning_list(warnings)

if len(children):
    st.markdown(f"#### Semua {child_word} di {title} ({period_label(period)})")
    now = children[children["periode"] == period]
    cols = ["nama_wilayah", "jumlah_keluarga"] + [h.key for h in ind.HEADLINE]
    table = now[cols].rename(
        columns={
            "nama_wilayah": child_label,
            "jumlah_keluarga": "Keluarga",
            **{h.key: h.label for h in ind.HEADLINE},
        }
    )
    st.dataframe(tables.counts_as_text(table), hide_index=True, width="stretch")
    downloads.table(
        table,
        name=f"Ringkasan {title} {period_label(period)}",
        account=ctx.account,
        area=area,
        key="ringkasan_tabel",
        title=f"Ringkasan {title}, {period_label(period)}",
    )
