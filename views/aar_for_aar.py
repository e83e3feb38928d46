"""År for år: this period against the last comparable one, biggest changes first, small n marked."""

from __future__ import annotations

import streamlit as st

from charts import catalogue
from dashboard.context import PageContext
from dashboard.data import query
from dashboard.layout import catalogue_figure, empty_state, page_header, show_figures, table_with_downloads
from dashboard.safe_text import md_escape
from dashboard.state import presenting
from queries import inquiries
from queries.dimensions import COMPARISONS, SPLIT_WORDS


def render(ctx: PageContext) -> None:
    """The changes per group of the chosen dimension, as bars and as a table."""
    page_header(
        "År for år",
        "Den valgte periode mod samme periode året før. Blege søjler: ændringen kan skyldes tilfældigheder.",
        ctx.words,
    )
    if ctx.span is None:
        empty_state("Der er ingen beretningsperiode for det valgte.")
        return
    if presenting():
        dimension = st.session_state.get("yoy_dimension", "department")
    else:
        dimension = st.selectbox(
            "Sammenlign pr.",
            COMPARISONS,
            format_func=SPLIT_WORDS.get,
            key="yoy_dimension",
            persist_state="session",
        )
    dimension = dimension or "department"
    result = query(inquiries.year_over_year, ctx.filters, ctx.span, dimension)
    if result is None or result.table.is_empty():
        empty_state("Der er ingen sammenlignelig periode året før.")
        return
    previous, current = result.previous.label, result.current.label
    st.markdown(f"**{md_escape(current)}** sammenlignet med **{md_escape(previous)}**")
    if result.note:
        st.caption(md_escape(result.note))
    words = SPLIT_WORDS[dimension]
    title = f"Ændring fra {previous} til {current} pr. {words.lower()}"
    entry = catalogue.year_over_year(title, words, previous, current)
    table = catalogue.with_remark(result.table)
    counted = ctx.words + (ctx.unit_words() if dimension == "unit" else "")
    show_figures([catalogue_figure(entry, table, ctx.meta(title, counted))], ctx.file_stem)
    if not presenting():
        table_with_downloads(
            table.select(c.name for c in entry.columns),
            f"{ctx.file_stem}-tabel",
            "yoy",
            labels=entry.labels(),
            caption=catalogue.YEAR_OVER_YEAR_NOTE,
        )
