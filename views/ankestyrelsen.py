"""Ankestyrelsen: results by law area and unit, omgørelsesprocent against the whole country, rank,
trend and the remarks on case handling; built for the council's yearly Danmarkskort discussion."""

from __future__ import annotations

import streamlit as st

from charts import catalogue
from charts.theme import ChartMeta, source_line
from dashboard.appeal_words import (
    ANKESTYRELSEN,
    LOAD_NATIONAL,
    NO_DECISIONS,
    WHERE_DECISIONS_COME_FROM,
    danmarkskort_words,
    own_decisions_words,
)
from dashboard.context import PageContext
from dashboard.data import query
from dashboard.layout import Figure, catalogue_figure, empty_state, key_figures, page_header, show_figures
from dashboard.safe_text import md_escape
from dashboard.state import presenting
from queries import appeals
from queries.key_figures import appeal_figures


def _decision_figures(ctx: PageContext) -> list[Figure]:
    """The key figures of the period's registered decisions, and their charts."""
    f, span, words = ctx.filters, ctx.span, ctx.counting("afgørelser")
    row = query(appeal_figures, f, span) if span is not None else None
    if row is None:
        empty_state(NO_DECISIONS if presenting() else f"{NO_DECISIONS} {WHERE_DECISIONS_COME_FROM}")
        return []
    key_figures(row.figures, compared_with=row.compared_with)
    figures = []
    for by in ("law_area", "unit"):
        entry = catalogue.appeal_results(by)
        frame = query(appeals.decisions_by_result, f, span, by)
        figures.append(catalogue_figure(entry, frame, ctx.meta(entry.title, words)))
    remarks = query(appeals.remark_themes, f, span)
    if not remarks.is_empty():
        meta = ctx.meta(catalogue.REMARKS.title, f"{words} · en afgørelse kan have flere bemærkninger")
        figures.append(catalogue_figure(catalogue.REMARKS, catalogue.remark_bars(remarks), meta))
    return figures


def _danmarkskort(ctx: PageContext, municipality: str) -> Figure | None:
    """The municipality against the whole country in one law area: the sentence and the chart."""
    if not presenting():  # a meeting screen keeps the chart in view: its title says what it is
        st.subheader("Danmarkskortet")
    name = ctx.names.municipalities.get(municipality, municipality)
    choices = query(appeals.law_area_choices, municipality)
    if not choices:
        st.info(f"Der er ingen tal fra Ankestyrelsen for {md_escape(name)}. {LOAD_NATIONAL}", icon="ℹ️")
        return None
    law_area = st.selectbox(
        "Lovområde",
        choices,
        format_func=lambda c: ctx.names.category("law_area", c),
        key="law_area",
        persist_state="session",
    )
    law_area = law_area if law_area in choices else choices[0]
    area = ctx.names.category("law_area", law_area)
    until = appeals.danmarkskort_year(ctx.span.end) if ctx.span else None
    kort = query(appeals.danmarkskort, municipality, law_area, until)
    if kort.is_empty() and ctx.span and not query(appeals.danmarkskort, municipality, law_area).is_empty():
        st.markdown(
            f"Ankestyrelsens Danmarkskort har ingen tal for {md_escape(area)} til og med {md_escape(ctx.span.label)}."
        )
        return None
    if kort.is_empty():
        by_area = query(appeals.omgoerelse, ctx.filters, ctx.span, "law_area") if ctx.span else None
        st.markdown(own_decisions_words(by_area, area, name, ctx.span))
        return None
    st.markdown(
        danmarkskort_words(kort.row(-1, named=True), name, area, ctx.span, how_to_load=not presenting())
    )
    generated = query(appeals.statistics_generated, municipality, law_area)
    shown = f"{kort['year'].min()}–{kort['year'].max()}"
    source = source_line(f"{name} og hele landet", shown, generated, source=ANKESTYRELSEN)
    if not presenting():  # the chart prints its source too
        st.caption(md_escape(source))
    entry = catalogue.danmarkskort(law_area, area, name)
    return catalogue_figure(
        entry, kort, ChartMeta(entry.title, f"{name} mod hele landet · realitetsbehandlede sager", source)
    )


def render(ctx: PageContext) -> None:
    """Key figures and charts of the registered decisions, then the Danmarkskort (shown first)."""
    page_header(
        "Ankestyrelsen",
        "Afgørelser fra Ankestyrelsen og omgørelsesprocenten, puljet fra antal (aldrig et gennemsnit af procenter).",
        ctx.counting("afgørelser"),
    )
    figures = _decision_figures(ctx)
    kort = _danmarkskort(ctx, ctx.filters.municipality) if ctx.filters.municipality else None
    show_figures([kort, *figures] if kort else figures, ctx.file_stem)
