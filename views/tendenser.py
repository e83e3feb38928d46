"""Tendenser: counts over time, split by a dimension, with drill-down and the underlying rows."""

from __future__ import annotations

import polars as pl
import streamlit as st

from charts import catalogue
from dashboard.context import PageContext
from dashboard.data import query
from dashboard.interval import interval_control
from dashboard.layout import catalogue_figure, empty_state, page_header, show_figures, table_with_downloads
from dashboard.state import presenting, widget_key
from data_model.labels import HOLLOW_POINTS, PROVENANCE_LABELS
from queries import inquiries
from queries.describe import COUNT_UNIT_WORDS, GRAIN_WORDS, describe_filters
from queries.dimensions import DRILL, SPLIT_WORDS, SPLITS
from queries.filters import FIELD, Filters
from queries.periods import Span, ignoring_period

UNBOUNDED = " afgrænser ikke tendenserne"
INTRO = (
    f". {HOLLOW_POINTS}, og perioder mærket (delvis), (foreløbig) eller (første år) "
    "er ikke hele år: tolk dem varsomt."
)


def _drill(field: str, next_split: str) -> None:
    choice = st.session_state.get("drill_choice")
    if choice:
        st.session_state[widget_key(field)] = [choice] if FIELD[field].many else choice
        st.session_state[widget_key("split")] = next_split
        st.session_state["drill_choice"] = None


def _controls(f: Filters, qf: Filters, span: Span | None) -> None:
    """Interval and split (part of the filters, so in the URL), and the drill-down of a split."""
    left, right = st.columns(2)
    interval_control(left, f)
    right.selectbox(
        "Opdel efter", SPLITS, format_func=SPLIT_WORDS.get, key=widget_key("split"), persist_state="session"
    )
    if f.split in DRILL:
        codes = query(inquiries.breakdown, qf, span, f.split).select("code", "label").drop_nulls()
        labels = dict(zip(codes["code"], codes["label"], strict=True))
        st.selectbox(
            f"Bor ned i en {SPLIT_WORDS[f.split].lower()}",
            [None, *labels],
            format_func=lambda c: "Vælg …" if c is None else labels[c],
            key="drill_choice",
            on_change=_drill,
            args=DRILL[f.split],
        )


def render(ctx: PageContext) -> None:
    """The trend and the complaint share over time; without a date range every period on record."""
    f = ctx.filters
    span = ctx.span if (f.date_from or f.date_to) else None
    qf = f if span else ignoring_period(f)  # the queries' filter: no period in the key when unused
    words, period = describe_filters(f, ctx.names, span), span.label if span else "alle perioder"
    file_stem = ctx.stem_for(period)
    selected = f" i alle perioder: den valgte beretningsperiode ({ctx.span.label if ctx.span else '–'})"
    page_header("Tendenser", "Udviklingen over tid" + ("" if span else selected + UNBOUNDED) + INTRO, words)
    if not presenting():
        _controls(f, qf, span)
    trend = query(inquiries.trend, qf, span)
    if trend.is_empty():
        empty_state("Ingen henvendelser i det valgte udsnit.")
        return
    grain, count_word = query(inquiries.effective_grain, qf), COUNT_UNIT_WORDS[f.count_unit].capitalize()
    split = f", opdelt efter {SPLIT_WORDS[f.split].lower()}" if f.split != "none" else ""
    title = f"{count_word} pr. {GRAIN_WORDS[grain]}{split}"
    events = query(inquiries.trend_events, qf, grain) if grain != "period" else None
    entry = catalogue.trend(title, count_word.lower(), count_word, SPLIT_WORDS[f.split], events)
    counted = words + (ctx.unit_words() if f.split == "unit" else "")
    figures = [catalogue_figure(entry, trend, ctx.meta(title, counted, period=period))]
    share = query(inquiries.complaint_share_trend, qf, span)
    if catalogue.has_share(share):
        counted = ctx.counting("henvendelser", span) + f" · {inquiries.SHARE_BASE_WORDS}"
        meta = ctx.meta(catalogue.COMPLAINT_SHARE.title, counted, period=period)
        figures.append(catalogue_figure(catalogue.COMPLAINT_SHARE, share, meta))
    show_figures(figures, file_stem)
    if not presenting():
        rows_section = st.expander("Se de underliggende henvendelser", key="rows_open", on_change="rerun")
        if rows_section.open:  # the rows are read only when asked for
            with rows_section:
                rows = query(inquiries.inquiry_rows, qf, span)
                rows = rows.with_columns(pl.col("provenance").replace(PROVENANCE_LABELS))
                caption = f"{len(rows)} henvendelser (højst 5.000 vises)."
                table_with_downloads(rows, f"{file_stem}-henvendelser", "rows", caption=caption)
