"""Tren: indicators over all periods for the area, beside its parent and the city; sub-areas side by side."""

import pandas as pd
import streamlit as st

from charts.tren import small_multiples, trend_lines
from pipelines import indicators as ind
from pipelines.formatting import angka, persen
from pipelines.periods import period_label
from pipelines.read import parent_code
from ui import data, downloads, nav, state, widgets

ctx = nav.context()
nav.require_lake(ctx)
scope, area, period = ctx.account.scope, ctx.area, ctx.period
city_code, city_name = data.city()

st.title("Tren")
keys = [i.key for i in ind.MAPPABLE if i.denominator]
default = state.indicator("keluarga_desil_1")
chosen = st.selectbox(
    "Indikator",
    keys,
    index=keys.index(default) if default in keys else 0,
    format_func=lambda k: ind.get(k).label,
    key="tren_indikator",
)
st.session_state[state.INDICATOR] = chosen
meta = ind.get(chosen)
title_area = widgets.area_name(area)
st.caption(
    f"{meta.label} sebagai persen dari {'semua keluarga' if meta.denominator == 'jumlah_keluarga' else ind.get(meta.denominator).label.lower()}. {meta.description}"
)


def as_share(rows: pd.DataFrame) -> pd.DataFrame:
    rows = rows.sort_values("periode", key=lambda s: s.map(data.periods().index))
    return rows.assign(
        porsi=rows[chosen] / rows[meta.denominator].where(rows[meta.denominator] > 0),
        periode_label=rows["periode"].map(period_label),
    )


series = [("area", title_area, as_share(data.indicators(scope, kode=area, totals=True)))]
parent = parent_code(area)
if parent and parent != city_code:
    series.append(("induk", widgets.area_name(parent), as_share(data.indicators(scope, kode=parent, totals=True))))
if area != city_code:
    series.append(("kota", city_name, as_share(data.indicators(scope, kode=city_code, totals=True))))
if series[0][2].empty:
    st.info(f"Belum ada data untuk {title_area}.")
    st.stop()

REFERENCE = {  # official city series drawn beside a family-list indicator
    "keluarga_desil_1": ("penduduk miskin", "Angka kemiskinan BPS (persen penduduk)"),
    "keluarga_desil_1_4": ("penduduk miskin", "Angka kemiskinan BPS (persen penduduk)"),
    "keluarga_fakir_miskin": ("penduduk miskin", "Angka kemiskinan BPS (persen penduduk)"),
    "balita_stunting": ("stunting", "Prevalensi stunting (survei)"),
}
references = []
stats = data.statistics(scope, area)
if chosen in REFERENCE and len(stats):
    word, ref_name = REFERENCE[chosen]
    names = stats["indikator"].str.lower()
    poverty = stats[names.str.contains(word) & ~names.str.contains("ekstrem")]
    # An annual BPS figure (Susenas, March) sits on the first period of its year in the list.
    first_of_year = {}
    for p in data.periods():
        first_of_year.setdefault(p[:4], p)
    poverty = poverty.assign(periode=poverty["periode"].map(lambda p: first_of_year.get(p[:4]) if len(p) == 4 else p))
    poverty = poverty.dropna(subset=["periode"])
    if len(poverty):
        references.append(
            (ref_name, poverty.assign(periode_label=poverty["periode"].map(period_label), nilai=poverty["nilai"] / 100))
        )
fig = trend_lines(series, value_col="porsi", fmt=persen, title=f"{meta.label}: {title_area}", references=references)
fig.update_yaxes(tickformat=".1%")
st.plotly_chart(fig, key="tren_garis", config={"displayModeBar": False})
if references:
    st.caption(
        "Garis titik-titik: angka resmi (BPS/Kemenkes, tahunan) sebagai acuan; ukurannya berbeda dari porsi "
        "keluarga di daftar, jadi bandingkan arahnya, bukan angkanya."
    )

last = series[0][2].iloc[-1]
first = series[0][2].iloc[0]
st.markdown(
    f"Dari {first['periode_label']} ke {last['periode_label']}, {meta.label.lower()} di {title_area} "
    f"{'naik' if last['porsi'] > first['porsi'] else 'turun' if last['porsi'] < first['porsi'] else 'tetap'} "
    f"dari {persen(first['porsi'])} ({angka(first[chosen])} keluarga) menjadi {persen(last['porsi'])} "
    f"({angka(last[chosen])} keluarga)."
)

children = data.children(scope, area)
if len(children):
    child_word = widgets.CHILD_WORDS[series[0][2]["level"].iloc[0]]
    multiples = as_share(children)
    st.markdown(f"#### Setiap {child_word}")
    worst_now = multiples[multiples["periode"] == period].nlargest(3, "porsi")["kode_wilayah"]
    fig2 = small_multiples(
        multiples,
        value_col="porsi",
        fmt=persen,
        highlight=set(worst_now),
        columns=5 if len(children["kode_wilayah"].unique()) > 12 else 4,
    )
    st.plotly_chart(fig2, key="tren_kecil", config={"displayModeBar": False})
    st.caption("Merah: tiga wilayah dengan porsi tertinggi pada periode terpilih. Sumbu tegak sama untuk semua.")

table = pd.concat([rows.assign(wilayah=name) for _, name, rows in series])
table = table[["wilayah", "periode_label", "jumlah_keluarga", chosen, "porsi"]].rename(
    columns={
        "wilayah": "Wilayah",
        "periode_label": "Periode",
        "jumlah_keluarga": "Keluarga",
        chosen: meta.label,
        "porsi": "Porsi",
    }
)
with st.expander("Tabel dan unduhan"):
    st.dataframe(table.assign(Porsi=table["Porsi"].map(persen)), hide_index=True, width="stretch")
    downloads.table(table, name=f"Tren {meta.label} {title_area}", account=ctx.account, area=area, key="tren_tabel")
    downloads.chart_png(fig, name=f"Tren {meta.label} {title_area}", account=ctx.account, area=area, key="tren_png")
