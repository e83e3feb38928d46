"""År for år: this period against the last comparable one, biggest changes first, small n marked."""

from __future__ import annotations

import polars as pl
import streamlit as st

from charts import builders
from dashboard.context import PageContext
from dashboard.data import query
from dashboard.layout import Figure, empty_state, page_header, page_table, show_figures, table_downloads
from dashboard.safe_text import md_escape
from dashboard.state import presenting
from data_model.display import display_frame
from data_model.labels import SMALL_OR_UNCERTAIN
from queries import inquiries
from queries.describe import SPLIT_WORDS

DIMENSIONS = ["department", "unit", "sector", "main_theme", "theme", "outcome", "kind"]


def render(ctx: PageContext) -> None:
    """The aar_for_aar page."""
    page_header(
        "År for år",
        "Den valgte periode mod samme periode året før. Blege søjler: ændringen kan skyldes tilfældigheder.",
        ctx.words,
    )
    if ctx.span is None:
        empty_state("Der er ingen beretningsperiode for det valgte.")
        st.stop()
    dimension = (
        st.selectbox(
            "Sammenlign pr.",
            DIMENSIONS,
            format_func=SPLIT_WORDS.get,
            key="yoy_dimension",
            persist_state="session",
        )
        if not presenting()
        else st.session_state.get("yoy_dimension", "department")
    )
    result = query(inquiries.year_over_year, ctx.filters, ctx.span, dimension or "department")
    if result is None or result.table.is_empty():
        empty_state("Der er ingen sammenlignelig periode året før.")
        st.stop()
    st.markdown(
        f"**{md_escape(result.current.label)}** sammenlignet med **{md_escape(result.previous.label)}**"
    )
    if result.note:
        st.caption(md_escape(result.note))
    title = (
        f"Ændring fra {result.previous.label} til {result.current.label} pr. {SPLIT_WORDS[dimension].lower()}"
    )
    show_figures(
        [
            Figure(
                "aendringer",
                title,
                builders.change_bars(
                    result.table,
                    ctx.meta(title, ctx.words + (ctx.unit_words() if dimension == "unit" else "")),
                ),
                result.table,
            )
        ],
        ctx.file_stem,
    )
    if not presenting():
        notes = result.table.with_columns(
            pl.when(pl.col("small_n"))
            .then(pl.lit("Lille n"))
            .when(pl.col("uncertain"))
            .then(pl.lit("Usikker"))
            .otherwise(pl.lit(""))
            .alias("note")
        ).select("label", "previous", "current", "diff", "pct_change", "note")
        labels = {
            "label": SPLIT_WORDS[dimension],
            "previous": result.previous.label,
            "current": result.current.label,
            "note": "Bemærkning",
        }
        page_table(display_frame(notes, screen=True, labels=labels))
        table = display_frame(notes, labels=labels)
        st.caption(SMALL_OR_UNCERTAIN)
        table_downloads(table, f"{ctx.file_stem}-tabel", "yoy")
