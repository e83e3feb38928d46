"""Krydstabel: any count by one or two dimensions, with totals, shares and small numbers marked;
and the municipality's report template (the tables and figures of its own annual report)."""

from __future__ import annotations

import streamlit as st

from charts.crosstab import crosstab_chart
from dashboard import crosstab_state as choices
from dashboard import state
from dashboard.context import PageContext
from dashboard.data import query
from dashboard.layout import Figure, empty_state, page_header, show_figures
from dashboard.safe_text import md_escape
from dashboard.template_panel import template_panel
from data_model.labels import UNDER_SMALL_N
from queries import crosstab as xt

SMALL_WORDS = (
    f"Tal med stjerne (\\*) er {UNDER_SMALL_N}: tolk dem varsomt. Totalerne tæller hver henvendelse, afgørelse eller hvert "
    "klagepunkt én gang, også når den indgår i flere rækker (fx flere temaer)."
)


def render(ctx: PageContext) -> None:
    """The crosstab as a table and a chart, then the municipality's report template."""
    choices.from_url(st.query_params, st.session_state)
    choices.keep_valid(st.session_state)
    measure = st.session_state.get("xt_measure", "inquiries")
    page_header(
        "Krydstabel",
        "Tæl henvendelser, klager, klagepunkter eller Ankestyrelsens afgørelser og bemærkninger fordelt på "
        f"to dimensioner, med totaler i begge retninger. Tal {UNDER_SMALL_N} er markeret med en stjerne.",
        ctx.counting(xt.MEASURES[measure].words.lower()),
    )
    if not state.presenting():
        choices.draw_controls(measure)
    try:
        spec = choices.spec_from(st.session_state)
    except ValueError as exc:
        st.warning(md_escape(exc))
        st.stop()
    state.set_page_params(choices.url_params(spec))
    if ctx.span is None:
        empty_state("Der er ingen beretningsperiode for det valgte.")
        return
    frame = query(xt.crosstab, ctx.filters, spec, ctx.span)
    title, measure_words = xt.title_words(spec), xt.MEASURES[spec.measure].words
    if xt.cell(frame) in (0, None) and not spec.empty:
        empty_state(f"Ingen {measure_words.lower()} i det valgte udsnit.")
    else:
        meta = ctx.meta(
            title, ctx.counting(measure_words.lower()), period=xt.period_words(spec, ctx.span.label)
        )
        chart = crosstab_chart(
            frame,
            meta,
            count_title=measure_words,
            row_title=xt.row_header_words(spec),
            column_title=xt.column_header_words(spec),
            threshold=spec.threshold,
        )
        if not state.presenting():
            st.dataframe(choices.as_text(frame, spec), hide_index=True)
            st.caption(SMALL_WORDS)
        show_figures(
            [Figure("krydstabel", title, chart, xt.wide(frame, spec, with_share=True))], ctx.file_stem
        )
    if state.presenting():
        return
    st.divider()
    st.subheader("Rapportskabelon")
    if not ctx.filters.municipality:
        st.info("Vælg en kommune i menuen til venstre for at se og redigere dens rapportskabelon.", icon="ℹ️")
        return
    template_panel(ctx, ctx.filters.municipality, spec, title)
