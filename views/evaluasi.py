"""Evaluasi program: which programmes changed families' lives and at what cost, where outputs were
high but nothing changed, and whom the programmes missed."""

import streamlit as st

from pipelines.access.accounts import ROLES
from pipelines.domain import OUTPUT_HIGH
from pipelines.evaluation import text as words
from pipelines.formatting import markdown_literal, persen
from pipelines.periods import period_label
from ui import data, downloads, nav, widgets
from ui import evaluasi as tables

ctx = nav.context()
nav.require_lake(ctx)
scope, area, period = ctx.account.scope, ctx.area, ctx.period
title = widgets.area_name(area)
st.title(f"Evaluasi program: {title}")
# Answers, tables and figures are derived once per scope (ui/data.evaluation_page); this script draws them.
ev = data.evaluation_page(scope, area, period, title)
if ev.empty:
    st.info(
        f"Belum ada data program untuk {title} pada {period_label(period)}. Pilih periode lain, atau minta OPD "
        "mengunggah daftar penerima dan keluaran program."
    )
    st.stop()
span = words.cohort_span(ev.cohorts[0], ev.cohorts[-1]) if ev.cohorts else "belum ada"
since = period_label(ev.base_period) if ev.base_period else "awal data"
achieved = words.achievement_meaning(ev.window)
st.caption(
    f"{period_label(period)} · hasil diukur pada keluarga yang pertama kali menerima program ({span}), satu "
    f"periode sebelum dan sesudah menerima, dibanding keluarga sebanding yang tidak menerima · keluaran dan "
    f"dampak wilayah: {words.period_span(ev.window)}"
)
with st.container(border=True):
    st.markdown("#### Jawaban singkat untuk rapat")
    # The details name programmes from uploaded files: written literally, never as Markdown.
    st.markdown("\n".join(f"- **{lead}** {markdown_literal(detail)}" for lead, detail in ev.answers))
    st.caption(words.ASSOCIATION + " Perbandingan dengan keluarga sebanding menyisihkan tren seluruh kota.")

tab_quadrant, tab_outcome, tab_area, tab_targeting, tab_outputs = st.tabs(
    ["Keluaran dan dampak", "Hasil per program", "Dampak per kelurahan", "Ketepatan sasaran", "Keluaran & mitra"]
)
with tab_quadrant:
    st.markdown("#### Program mana yang keluarannya tinggi tetapi tidak mengubah hidup keluarga?")
    st.plotly_chart(
        tables.figure(ev.figures["programmes"]), key="evaluasi_kuadran_program", config={"displayModeBar": False}
    )
    st.caption(
        f"Keluaran tinggi: capaian keluaran sedikitnya {persen(OUTPUT_HIGH, 0)} (garis putus-putus kiri). Dampak "
        "tinggi: keluarga penerima lebih sering membaik daripada keluarga sebanding, dan seluruh rentang keyakinan "
        "95% (garis mendatar di tiap titik) di atas nol."
    )
    st.markdown("#### Peringkat program untuk ditindaklanjuti")
    st.caption(f"{achieved} {words.POINTS_NOTE} {words.INTERVAL_NOTE}")
    st.table(ev.tables["ranked"], hide_index=True, border="horizontal")
    downloads.table(
        ev.tables["ranked_raw"],
        name=f"Evaluasi program {title} {period_label(period)}",
        account=ctx.account,
        area=area,
        key="evaluasi_peringkat",
        title=f"Evaluasi program {title}, {period_label(period)}",
    )

with tab_outcome:
    st.markdown("#### Seberapa yakin kita bahwa program mengubah hidup penerimanya?")
    st.plotly_chart(tables.figure(ev.figures["effects"]), key="evaluasi_efek", config={"displayModeBar": False})
    st.caption(f"{words.POINTS_NOTE} {words.INTERVAL_NOTE}")
    st.markdown("\n".join(f"- {markdown_literal(sentence)}" for sentence in ev.sentences))
    with st.expander("Semua hasil yang diukur (termasuk naik desil dan lepas fakir miskin untuk tiap program)"):
        st.dataframe(ev.tables["estimates"], hide_index=True, width="stretch")

with tab_area:
    st.markdown("#### Di kelurahan mana keluaran tinggi tetapi kemiskinan tidak turun?")
    if ev.reference is None:
        st.info("Belum ada periode pembanding untuk menilai perubahan per kelurahan.")
    else:
        st.caption(
            "Satu baris per kelurahan, yang porsi keluarga desil 1-nya paling naik di atas. Kiri: capaian keluaran "
            "semua program di kelurahan itu, ditimbang anggarannya. Kanan: perubahan porsi keluarga desil 1 sejak "
            f"{since}, dalam poin persentase: plus berarti naik (memburuk), minus berarti turun (membaik). Garis "
            f"putus-putus kanan: perubahan di {title} ({tables.signed(ev.reference)}); dampak tinggi bila kelurahan "
            "turun sedikitnya sebesar itu."
        )
        fig = tables.figure(ev.figures["kelurahan"])
        st.plotly_chart(fig, key="evaluasi_kuadran_kelurahan", config={"displayModeBar": False})
        st.caption(f"{words.achievement_meaning(ev.window)} {words.POINTS_NOTE}")
        st.dataframe(ev.tables["kelurahan"], hide_index=True, width="stretch")

with tab_targeting:
    st.markdown("#### Siapa yang terlewat, dan siapa yang menerima padahal tidak layak?")
    st.plotly_chart(
        tables.figure(ev.figures["errors"]), key="evaluasi_salah_sasaran_tren", config={"displayModeBar": False}
    )
    st.plotly_chart(tables.figure(ev.figures["inclusion"]), key="evaluasi_inklusi", config={"displayModeBar": False})
    st.markdown("**Per program** (layak sasaran: desil 1-4 atau fakir miskin yang punya kebutuhan program itu)")
    st.dataframe(ev.tables["targeting_programmes"], hide_index=True, width="stretch")
    st.markdown("**Per kelurahan**")
    st.dataframe(ev.tables["targeting_kelurahan"], hide_index=True, width="stretch")
    if "sasaran" in ROLES[ctx.account.peran].pages:
        st.caption("Daftar keluarga di balik angka ini ada di halaman **Keluarga sasaran** (per kelurahan).")
    else:
        st.caption("Daftar nama keluarga hanya dibuka lurah dan analis di halaman Keluarga sasaran.")

with tab_outputs:
    st.markdown(f"#### Apa yang dikerjakan OPD pada {words.period_span(ev.window)}, dan apa yang dikerjakan mitra?")
    st.caption(achieved)
    st.table(ev.tables["outputs"], hide_index=True, border="horizontal")
    st.markdown(f"**Program pemerintah dan kontribusi mitra, {words.period_span(ev.window)}**")
    st.dataframe(ev.tables["partners"], hide_index=True, width="stretch")
    downloads.table(
        ev.tables["outputs_download"],
        name=f"Keluaran program per kelurahan {title} {period_label(period)}",
        account=ctx.account,
        area=area,
        key="evaluasi_keluaran",
    )
