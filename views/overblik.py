"""Overblik: the period's key figures with year-over-year change, and the charts that tell its story."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import polars as pl
import streamlit as st

from charts import builders
from dashboard.context import PageContext
from dashboard.data import query
from dashboard.layout import Figure, empty_state, key_figures, page_header, show_figures
from dashboard.safe_text import md_escape
from dashboard.share import complaint_share_figures
from queries import appeals, inquiries, recommendations
from queries.inquiries import KeyFigure
from queries.periods import as_of, comparable_spans, format_date, ignoring_period


def render(ctx: PageContext) -> None:
    """The overblik page."""
    f = ctx.filters
    page_header("Overblik", "Periodens nøgletal sammenlignet med samme periode året før.", ctx.words)

    if ctx.span is None:
        empty_state(
            "Vælg en kommune eller en beretningsperiode for at se nøgletal."
            if not f.municipalities
            else "Der er ingen beretningsperiode for det valgte."
        )
        st.stop()

    figures = query(inquiries.inquiry_key_figures, f, ctx.span)
    as_of_day, _as_of_words = as_of(ctx.span, date.today())
    status = query(recommendations.recommendation_status, ignoring_period(f), as_of_day)
    spans = query(comparable_spans, f, ctx.span)
    appeal_now = query(appeals.omgoerelse, f, ctx.span)
    appeal_before = query(appeals.omgoerelse, f, spans[1]) if spans else None
    open_count = int(status.filter(~pl.col("closed")).height) if status.height else 0
    figures.append(KeyFigure(f"Åbne anbefalinger pr. {format_date(as_of_day)}", open_count, None, "count"))
    figures.append(
        KeyFigure(
            "Omgørelsesprocent",
            appeal_now["pct"][0],
            appeal_before["pct"][0] if appeal_before is not None else None,
            "percent",
            n=int(appeal_now["on_merits"][0]),
        )
    )
    # no meaningful complaint share: said below the row instead of a "–"
    figures = [
        fig
        for fig in figures
        if fig.label != "Klageandel" or fig.value is not None or fig.previous is not None
    ]
    key_figures(
        figures,
        lower_is_better={"Klager", "Klageandel", "Klagepunkter", "Omgørelsesprocent"},
        compared_with=spans[1].label if spans else None,
    )
    if spans and spans[2]:
        st.caption(md_escape(spans[2]))
    if not any(fig.label == "Klageandel" for fig in figures):
        st.caption(inquiries.NO_SHARE_WORDS)

    units = query(inquiries.unit_table, f, ctx.span)
    unit_words = ctx.words + ctx.unit_words()
    unit_meta = ctx.meta("Henvendelser og klager pr. enhed", unit_words)
    if units.is_empty():
        empty_state("Ingen henvendelser i den valgte periode og det valgte udsnit.")
        st.stop()

    themes = query(inquiries.breakdown, f.with_(count_unit="points"), ctx.span, "main_theme")
    share = query(inquiries.complaint_share_trend, ignoring_period(f).with_(grain="period"), None)
    share_figures = complaint_share_figures(
        share,
        ctx.meta(
            "Klageandel",
            f"{inquiries.SHARE_BASE_WORDS} · alle beretningsperioder · n = borgerhenvendelser",
            period="alle perioder",
        ),
    )
    show_figures(
        [
            Figure(
                "enheder",
                "Henvendelser og klager pr. enhed",
                builders.unit_bars(units, unit_meta),
                units,
                largest=lambda n: builders.unit_bars(
                    units.sort("inquiries", descending=True).head(n), unit_meta
                ),
            ),
            Figure(
                "temaer",
                "Klagepunkter pr. tema",
                builders.breakdown_bars(
                    themes,
                    ctx.meta("Klagepunkter pr. tema", ctx.counting("klagepunkter")),
                    count_title="Klagepunkter",
                ),
                themes,
            ),
            # every period on record, so its files say so rather than carry the selected period's name
            *(replace(fig, key=f"{fig.key}-alle-perioder") for fig in share_figures),
        ],
        ctx.file_stem,
    )
