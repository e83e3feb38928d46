"""Overblik: the period's key figures with year-over-year change, and the charts that tell its story."""

from __future__ import annotations

from datetime import date

import streamlit as st

from charts import catalogue
from dashboard.context import PageContext
from dashboard.data import query
from dashboard.layout import catalogue_figure, empty_state, key_figures, page_header, show_figures
from dashboard.safe_text import md_escape
from queries import inquiries
from queries.key_figures import overview
from queries.periods import ignoring_period


def render(ctx: PageContext) -> None:
    """Key figures, then units, themes and the complaint share over every period."""
    f = ctx.filters
    page_header("Overblik", "Periodens nøgletal sammenlignet med samme periode året før.", ctx.words)
    if ctx.span is None:
        empty_state(
            "Vælg en kommune eller en beretningsperiode for at se nøgletal."
            if not f.municipalities
            else "Der er ingen beretningsperiode for det valgte."
        )
        return
    row = query(overview, f, ctx.span, date.today())
    key_figures(row.figures, compared_with=row.compared_with)
    for note in row.notes:
        st.caption(md_escape(note))

    units = query(inquiries.unit_table, f, ctx.span)
    if units.is_empty():
        empty_state("Ingen henvendelser i den valgte periode og det valgte udsnit.")
        return
    themes = query(inquiries.breakdown, f.with_(count_unit="points"), ctx.span, "main_theme")
    share = query(inquiries.complaint_share_trend, ignoring_period(f).with_(grain="period"), None)
    figures = [
        catalogue_figure(
            catalogue.UNITS, units, ctx.meta(catalogue.UNITS.title, ctx.words + ctx.unit_words())
        ),
        catalogue_figure(
            catalogue.THEMES, themes, ctx.meta(catalogue.THEMES.title, ctx.counting("klagepunkter"))
        ),
    ]
    if catalogue.has_share(share):
        words = f"{inquiries.SHARE_BASE_WORDS} · alle beretningsperioder · n = borgerhenvendelser"
        meta = ctx.meta(catalogue.COMPLAINT_SHARE.title, words, period="alle perioder")
        # every period on record, so its files say so rather than carry the selected period's name
        figures.append(
            catalogue_figure(catalogue.COMPLAINT_SHARE, share, meta, key="klageandel-alle-perioder")
        )
    show_figures(figures, ctx.file_stem)
