"""Headline cards and warning lists drawn from pipelines.read.insights results."""

from __future__ import annotations

import streamlit as st

from pipelines.formatting import angka, markdown_literal, persen
from pipelines.read.insights import Headline, Warning

NO_DATA = "Belum ada data"
# The card's big figure for a column never uploaded: the words go in the caption under it, where
# they fit (a metric's value is cut to one line: "Belum ada..." on a four-card row).
NO_VALUE = "—"

WARNING_TITLES = {
    "memburuk": "Memburuk dua periode berturut-turut",
    "data_lama": "Data belum diperbarui",
    "program_terlambat": "Program di bawah target keluaran",
}


def headline_cards(heads: list[Headline], prev_label: str | None, year_label: str | None, per_row: int = 4) -> None:
    for start in range(0, len(heads), per_row):
        cols = st.columns(per_row)
        for col, h in zip(cols, heads[start : start + per_row]):
            with col.container(border=True):
                if h.missing:
                    # A column never uploaded: say so and which upload brings it, never "0".
                    st.metric(h.label, NO_VALUE, help=h.description)
                    st.caption(f"{NO_DATA}: {h.filled_by}." if h.filled_by else f"{NO_DATA}.")
                    continue
                delta = None
                if h.change_prev and prev_label and h.change_prev != "tetap":
                    delta = f"{h.change_prev} sejak {prev_label}"
                lower_is_better = h.key != "keluarga_penerima_program"
                st.metric(
                    h.label,
                    angka(h.value),
                    delta=delta,
                    help=h.description,
                    delta_color="inverse" if lower_is_better else "normal",
                )
                parts = [f"tidak berubah sejak {prev_label}"] if h.change_prev == "tetap" and prev_label else []
                if h.share is not None:
                    parts.append(f"{persen(h.share)} dari semua keluarga")
                if h.change_year and year_label:
                    parts.append(f"{h.change_year} dibanding {year_label}")
                st.caption(" · ".join(parts) or " ")


def warning_list(warnings: list[Warning], limit: int = 8) -> None:
    if not warnings:
        st.success("Tidak ada peringatan dini untuk wilayah dan periode ini.")
        return
    for kind, title in WARNING_TITLES.items():
        items = [w for w in warnings if w.kind == kind]
        if not items:
            continue
        # Programme and OPD names come from uploads: shown as written, never as Markdown.
        shown = "\n".join(f"- {markdown_literal(w.text)}" for w in items[:limit])
        more = f"\n- … dan {len(items) - limit} lainnya" if len(items) > limit else ""
        st.warning(f"**{title} ({len(items)})**\n\n{shown}{more}")
