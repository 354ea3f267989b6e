"""Tren: an indicator over all periods for the area, beside its parent, the city and official figures;
then every sub-area, ranked."""

import streamlit as st

from charts.tren import small_multiples, subarea_lines, trend_lines
from pipelines.formatting import persen
from pipelines.periods import period_label
from pipelines.read import indicators as ind
from pipelines.read import reference, trend
from ui import data, downloads, nav, state, tables, widgets

ctx = nav.context()
nav.require_lake(ctx)
scope, area, period = ctx.account.scope, ctx.area, ctx.period
city_code, city_name = data.city()
periods = data.periods()
labels = [period_label(p) for p in periods]

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
base = "semua keluarga" if meta.denominator == "jumlah_keluarga" else ind.get(meta.denominator).label.lower()
st.caption(f"{meta.label} sebagai persen dari {base}. {meta.description}")


def line(kode: str) -> tuple[str, object]:
    """(name, rows with shares) of one area; RW and RT are named from their rows."""
    rows = trend.shares(data.indicators(scope, kode=kode, totals=True), chosen, periods)
    return widgets.area_name(kode, rows["nama_wilayah"].iloc[0] if len(rows) else None), rows


title_area, own = line(area)
if own.empty:
    st.info(f"Belum ada data untuk {title_area}.")
    st.stop()
series = [("area", title_area, own)]
# The parent from the rows, not from the code: an RT of a city without RW hangs from its kelurahan.
parent = own["kode_induk"].dropna().iloc[0] if own["kode_induk"].notna().any() else None
if parent and parent != city_code:
    series.append(("induk", *line(parent)))
if area != city_code:
    series.append(("kota", city_name, line(city_code)[1]))

refs = reference.series(data.statistics(scope, area), chosen, periods, data.region_names())
fig = trend_lines(
    series, value_col="porsi", fmt=persen, title=f"{meta.label}: {title_area}", references=refs, categories=labels
)
fig.update_yaxes(tickformat=".1%")
st.plotly_chart(fig, key="tren_garis", config={"displayModeBar": False})
if len(refs):
    st.caption(
        "Garis titik-titik: angka resmi (BPS/Kemenkes) sebagai acuan, ditarik sepanjang periode yang dicakupnya "
        "(angka tahunan mencakup setiap periode tahun itu). Angka resmi mengukur hal lain (mis. persen penduduk, "
        "bukan keluarga), jadi bandingkan arahnya, bukan angkanya."
    )
st.markdown(trend.change_sentence(own, chosen, title_area))

children = data.children(scope, area)
if len(children):
    sub = trend.shares(children, chosen, periods)
    noun = trend.LEVEL_NOUN[sub["level"].iloc[0]]
    ranked = trend.ranking(sub, chosen, period)
    worst, best = trend.worst_and_best(ranked, chosen)
    count = sub["kode_wilayah"].nunique()
    st.markdown(f"#### Setiap {noun}")
    if count <= trend.SMALL_MULTIPLES_MAX:
        order = list(dict.fromkeys([*ranked["kode_wilayah"], *sub["kode_wilayah"]]))
        fig2 = small_multiples(sub, value_col="porsi", fmt=persen, highlight=set(worst), order=order, categories=labels)
        note = f"Merah: tiga {noun} dengan keadaan terburuk pada {period_label(period)}. Sumbu tegak sama untuk semua."
    else:
        fig2 = subarea_lines(
            sub,
            value_col="porsi",
            fmt=persen,
            worst=worst,
            best=best,
            others_name=f"{count - len(worst) - len(best)} {noun} lainnya",
            categories=labels,
        )
        note = (
            f"Merah: tiga {noun} terburuk, hijau: tiga terbaik pada {period_label(period)}; abu-abu: {noun} lainnya. "
            f"Semua {count} {noun} berurutan di tabel di bawah."
        )
    st.plotly_chart(fig2, key="tren_kecil", config={"displayModeBar": False})
    st.caption(note)
    st.dataframe(trend.ranking_table(ranked, chosen), hide_index=True, width="stretch", key="tren_peringkat")

table = trend.trend_table([(name, rows) for _, name, rows in series], chosen)
with st.expander("Tabel dan unduhan"):
    shown = tables.counts_as_text(table.assign(Porsi=table["Porsi"].map(persen)))
    st.dataframe(shown, hide_index=True, width="stretch")
    if len(refs):
        st.dataframe(reference.figures(refs), hide_index=True, width="stretch")
    downloads.table(table, name=f"Tren {meta.label} {title_area}", account=ctx.account, area=area, key="tren_tabel")
    downloads.chart_png(fig, name=f"Tren {meta.label} {title_area}", account=ctx.account, area=area, key="tren_png")
