"""Evaluasi program: which programmes changed families' lives and at what cost, where outputs were
high but nothing changed, and whom the programmes missed."""

import streamlit as st

from charts.batang import ranked_bars
from charts.evaluasi import error_trend
from pipelines import evaluation_text as words
from pipelines.accounts import ROLES
from pipelines.evaluation_area import OUTPUT_HIGH, area_change
from pipelines.formatting import persen
from pipelines.periods import period_label
from ui import data, downloads, nav, widgets
from ui import evaluasi as tables

ctx = nav.context()
nav.require_lake(ctx)
scope, area, period = ctx.account.scope, ctx.area, ctx.period
title = widgets.area_name(area)
st.title(f"Evaluasi program: {title}")
ev = data.evaluation(scope, area, period)
if ev.empty:
    st.info(
        f"Belum ada data program untuk {title} pada {period_label(period)}. Pilih periode lain, atau minta OPD "
        "mengunggah daftar penerima dan keluaran program."
    )
    st.stop()
span = words.cohort_span(ev.cohorts[0], ev.cohorts[-1]) if ev.cohorts else "belum ada"
since = period_label(ev.base_period) if ev.base_period else "awal data"
st.caption(
    f"{period_label(period)} · hasil diukur pada keluarga yang pertama kali menerima program ({span}), satu "
    f"periode sebelum dan sesudah menerima, dibanding keluarga sebanding yang tidak menerima · dampak wilayah "
    f"sejak {since}"
)
with st.container(border=True):
    st.markdown("#### Jawaban singkat untuk rapat")
    st.markdown("\n".join(f"- {line}" for line in words.answers(ev, title)))
    st.caption(words.ASSOCIATION + " Perbandingan dengan keluarga sebanding menyisihkan tren seluruh kota.")

tab_quadrant, tab_outcome, tab_area, tab_targeting, tab_outputs = st.tabs(
    ["Keluaran vs dampak", "Hasil per program", "Dampak per kelurahan", "Ketepatan sasaran", "Keluaran & mitra"]
)
with tab_quadrant:
    st.markdown("#### Program mana yang keluarannya tinggi tetapi tidak mengubah hidup keluarga?")
    fig = tables.programme_quadrant(ev)
    st.plotly_chart(fig, key="evaluasi_kuadran_program", config={"displayModeBar": False})
    st.caption(
        f"Output tinggi: realisasi sedikitnya {persen(OUTPUT_HIGH, 0)} dari target. Dampak tinggi: keluarga penerima "
        "lebih sering membaik daripada keluarga sebanding dan selang kepercayaan 95% (garis tegak) di atas nol."
    )
    st.markdown("#### Peringkat program untuk ditindaklanjuti")
    shown, raw = tables.ranked(ev)
    st.table(shown, hide_index=True, border="horizontal")
    downloads.table(
        raw,
        name=f"Evaluasi program {title} {period_label(period)}",
        account=ctx.account,
        area=area,
        key="evaluasi_peringkat",
        title=f"Evaluasi program {title}, {period_label(period)}",
    )

with tab_outcome:
    st.markdown("#### Seberapa yakin kita bahwa program mengubah hidup penerimanya?")
    st.plotly_chart(tables.effects(ev), key="evaluasi_efek", config={"displayModeBar": False})
    st.markdown("\n".join(f"- **{r['kode_program']}**: {r['kalimat']}" for r in ev.programmes.to_dict("records")))
    with st.expander("Semua hasil yang diukur (termasuk naik desil dan lepas fakir miskin untuk tiap program)"):
        st.dataframe(tables.estimates(ev), hide_index=True, width="stretch")

with tab_area:
    st.markdown("#### Di kelurahan mana keluaran tinggi tetapi kemiskinan tidak turun?")
    if ev.kelurahan.empty or ev.base_period is None:
        st.info("Belum ada periode pembanding untuk menilai perubahan per kelurahan.")
    else:
        reference = area_change(ev.area_trend, period=period, base=ev.base_period) or 0.0
        fig = tables.kelurahan_quadrant(ev, since=since, reference=reference)
        st.plotly_chart(fig, key="evaluasi_kuadran_kelurahan", config={"displayModeBar": False})
        st.caption(
            f"Garis datar: penurunan porsi desil 1 di {title} ({words.points(reference / 100)} poin). Dampak tinggi: "
            "kelurahan yang turun sedikitnya sebesar itu. Perubahan per kebutuhan dasar ada di tabel."
        )
        st.dataframe(tables.kelurahan(ev), hide_index=True, width="stretch")

with tab_targeting:
    st.markdown("#### Siapa yang terlewat, dan siapa yang menerima padahal tidak layak?")
    st.plotly_chart(
        error_trend(tables.error_rates(ev), title=f"Galat sasaran di {title}, semua program"),
        key="evaluasi_galat_tren",
        config={"displayModeBar": False},
    )
    bars = ev.programmes.assign(nama=ev.programmes["kode_program"])
    st.plotly_chart(
        ranked_bars(
            bars,
            value_col="galat_inklusi",
            label_col="nama",
            fmt=lambda v: persen(v, 0),
            title=f"Penerima di desil 6-10 dan bukan fakir miskin, per program ({period_label(period)})",
        ),
        key="evaluasi_inklusi",
        config={"displayModeBar": False},
    )
    st.markdown("**Per program** (layak sasaran: desil 1-4 atau fakir miskin yang punya kebutuhan program itu)")
    st.dataframe(tables.targeting_programmes(ev), hide_index=True, width="stretch")
    st.markdown("**Per kelurahan**")
    st.dataframe(tables.targeting_kelurahan(ev), hide_index=True, width="stretch")
    if "sasaran" in ROLES[ctx.account.peran].pages:
        st.caption("Daftar keluarga di balik angka ini ada di halaman **Keluarga sasaran** (per kelurahan).")
    else:
        st.caption("Daftar nama keluarga hanya dibuka lurah dan analis di halaman Keluarga sasaran.")

with tab_outputs:
    st.markdown(f"#### Apa yang dikerjakan OPD pada {period_label(period)}, dan apa yang dikerjakan mitra?")
    st.table(tables.outputs(ev), hide_index=True, border="horizontal")
    st.markdown(
        f"**Program pemerintah dan kontribusi mitra, {period_label(ev.window[0])} s.d. {period_label(period)}**"
    )
    st.dataframe(tables.partners(ev), hide_index=True, width="stretch")
    downloads.table(
        ev.outputs,
        name=f"Keluaran program per kelurahan {title} {period_label(period)}",
        account=ctx.account,
        area=area,
        key="evaluasi_keluaran",
    )
