"""Tendenser: counts over time, split by a dimension, with drill-down and the underlying rows."""

from __future__ import annotations

import polars as pl
import streamlit as st

from charts import builders
from dashboard.context import PageContext
from dashboard.data import query
from dashboard.layout import Figure, empty_state, page_header, page_table, show_figures, table_downloads
from dashboard.share import complaint_share_figures
from dashboard.state import presenting, widget_key
from data_model.display import display_frame
from data_model.labels import HOLLOW_POINTS, PROVENANCE_LABELS
from queries import inquiries
from queries.describe import COUNT_UNIT_WORDS, GRAIN_WORDS, SPLIT_WORDS, describe_filters
from queries.filters import GRAINS, SPLITS

# drilling into one group of a split narrows the filter and splits one level deeper
DRILL = {
    "sector": ("sectors", "unit"),
    "department": ("unit_id", "unit"),
    "main_theme": ("main_theme", "theme"),
}


def _drill(field: str, next_split: str) -> None:
    choice = st.session_state.get("drill_choice")
    if choice:
        st.session_state[widget_key(field)] = [choice] if field == "sectors" else choice
        st.session_state[widget_key("split")] = next_split
        st.session_state["drill_choice"] = None


def render(ctx: PageContext) -> None:
    """The tendenser page."""
    f = ctx.filters
    # a trend needs time: without an explicit date range it shows every period on record, and says so
    span = ctx.span if (f.date_from or f.date_to) else None
    words = describe_filters(f, ctx.names, span)
    words_period = span.label if span else "alle perioder"
    file_stem = ctx.stem_for(words_period)
    page_header(
        "Tendenser",
        "Udviklingen over tid"
        + (
            ""
            if span
            else f" i alle perioder: den valgte beretningsperiode ({ctx.span.label if ctx.span else '–'}) "
            "afgrænser ikke tendenserne"
        )
        + f". {HOLLOW_POINTS}, og perioder mærket (delvis), (foreløbig) eller (første år) "
        "er ikke hele år: tolk dem varsomt.",
        words,
    )
    if not presenting():
        left, right = st.columns(2)
        left.segmented_control(
            "Interval",
            GRAINS,
            format_func=lambda g: GRAIN_WORDS[g].capitalize(),
            key=widget_key("grain"),
            persist_state="session",
        )
        right.selectbox(
            "Opdel efter",
            SPLITS,
            format_func=SPLIT_WORDS.get,
            key=widget_key("split"),
            persist_state="session",
        )
    trend = query(inquiries.trend, f, span)
    if trend.is_empty():
        empty_state("Ingen henvendelser i det valgte udsnit.")
        st.stop()

    if not presenting() and f.split in DRILL:
        field, next_split = DRILL[f.split]
        codes = query(inquiries.breakdown, f, span, f.split).select("code", "label").drop_nulls()
        labels = dict(zip(codes["code"], codes["label"], strict=True))
        st.selectbox(
            f"Bor ned i en {SPLIT_WORDS[f.split].lower()}",
            [None, *labels],
            format_func=lambda c: "Vælg …" if c is None else labels[c],
            key="drill_choice",
            on_change=_drill,
            args=(field, next_split),
        )

    grain = query(inquiries.effective_grain, f)
    events = query(inquiries.trend_events, f, grain) if grain != "period" else None
    count_word = COUNT_UNIT_WORDS[f.count_unit].capitalize()
    title = f"{count_word} pr. {GRAIN_WORDS[grain]}" + (
        f", opdelt efter {SPLIT_WORDS[f.split].lower()}" if f.split != "none" else ""
    )
    share = query(inquiries.complaint_share_trend, f, span)
    show_figures(
        [
            Figure(
                "udvikling",
                title,
                builders.trend_lines(
                    trend,
                    ctx.meta(
                        title, words + (ctx.unit_words() if f.split == "unit" else ""), period=words_period
                    ),
                    count_title=count_word,
                    events=events,
                ),
                trend,
            ),
            *complaint_share_figures(
                share,
                ctx.meta(
                    "Klageandel",
                    ctx.counting("henvendelser", span) + f" · {inquiries.SHARE_BASE_WORDS}",
                    period=words_period,
                ),
            ),
        ],
        file_stem,
    )
    if not presenting():
        with st.expander("Se de underliggende henvendelser"):
            rows = query(inquiries.inquiry_rows, f, span)
            rows = rows.with_columns(pl.col("provenance").replace(PROVENANCE_LABELS))
            page_table(display_frame(rows, screen=True))
            st.caption(f"{len(rows)} henvendelser (højst 5.000 vises).")
            table_downloads(rows, f"{file_stem}-henvendelser", "rows")
