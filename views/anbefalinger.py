"""Anbefalinger: every recommendation with its status, overdue and stalled first, its follow-up
timeline, and the complaint counts in its themes and units before and after it was made."""

from __future__ import annotations

from datetime import date

import polars as pl
import streamlit as st

from charts import builders
from dashboard.context import PageContext
from dashboard.data import query
from dashboard.layout import Figure, empty_state, page_header, page_table, show_figures, table_downloads
from dashboard.safe_text import md_escape
from dashboard.state import presenting
from data_model.display import display_frame
from data_model.labels import format_day
from queries import recommendations
from queries.periods import Span, as_of, format_date, ignoring_period


def render(ctx: PageContext) -> None:
    """The anbefalinger page."""
    as_of_day, as_of_words = as_of(ctx.span, date.today())
    # the recommendations shown: those of the report periods ended by then
    given = Span(date.min, as_of_day, f"fra beretningsperioder til og med {format_date(as_of_day)}")
    page_header(
        "Anbefalinger",
        "Borgerrådgiverens anbefalinger og forvaltningernes opfølgning. Forsinkede og gået i stå står øverst.",
        f"{ctx.counting('anbefalinger', given)} · Seneste kendte status · Forsinket og gået i stå {as_of_words}",
    )
    status = query(recommendations.recommendation_status, ignoring_period(ctx.filters), as_of_day)
    if status.is_empty():
        empty_state("Ingen anbefalinger for det valgte.")
        st.stop()

    counts = recommendations.status_counts(status)
    status_order = recommendations.ordered_statuses(counts)
    columns = st.columns(4)
    columns[0].metric("Anbefalinger", len(status))
    columns[1].metric("Åbne", int((~status["closed"]).sum()))
    columns[2].metric(
        "Forsinkede",
        int(status["overdue"].sum()),
        help="Fristen er overskredet, og anbefalingen er ikke afsluttet.",
    )
    columns[3].metric(
        "Gået i stå",
        int(status["stalled"].sum()),
        help="Ingen opfølgning i over et år, og anbefalingen er ikke afsluttet.",
    )

    title = "Anbefalinger pr. forvaltning og status"
    show_figures(
        [
            Figure(
                "status",
                title,
                builders.status_bars(
                    counts,
                    ctx.meta(
                        title,
                        f"{ctx.counting('anbefalinger', given)} · seneste kendte status",
                        period=f"beretningsperioder til og med {format_date(as_of_day)}",
                    ),
                    status_order,
                ),
                counts,
            )
        ],
        ctx.file_stem,
    )
    if presenting():
        st.stop()

    table = status.select(
        pl.when(pl.col("overdue"))
        .then(pl.lit("Forsinket"))
        .when(pl.col("stalled"))
        .then(pl.lit("Gået i stå"))
        .otherwise(pl.lit(""))
        .alias("warning"),
        "title",
        "targets",
        "period",
        "status",
        "status_date",
        "due_on",
    )
    labels = {"warning": "Advarsel", "title": "Anbefaling", "period": "Beretning"}
    page_table(display_frame(table, screen=True, labels=labels))
    table_downloads(display_frame(table, labels=labels), f"{ctx.file_stem}-tabel", "recs")

    st.subheader("Én anbefaling: forløb og virkning")
    titles = dict(zip(status["recommendation_id"], status["title"], strict=True))
    chosen = st.selectbox("Anbefaling", list(titles), format_func=titles.get, key="recommendation")
    if chosen:
        row = status.filter(pl.col("recommendation_id") == chosen).row(0, named=True)
        st.markdown(
            f"**{md_escape(row['title'])}**  \nRettet mod: {md_escape(row['targets'] or '–')} · Givet {format_day(row['made_on'])} · Frist {format_day(row['due_on'])}"
        )
        if row["text"]:
            st.text(row["text"])  # shown as text, never interpreted as Markdown or HTML
        per_department = query(recommendations.department_statuses, chosen)
        if per_department.height > 1:
            st.markdown(
                f"**Status pr. forvaltning** · samlet status: {row['status']} "
                "(den mindst fremskredne af forvaltningernes seneste svar)"
            )
            page_table(
                display_frame(
                    per_department.select("department", "status", "date"),
                    screen=True,
                    labels={"date": "Senest fulgt op"},
                )
            )
        timeline = query(recommendations.follow_up_timeline, chosen)
        for entry in timeline.iter_rows(named=True):
            with st.container(border=True):
                st.markdown(f"**{format_day(entry['date'])} · {md_escape(entry['status'])}**")
                if entry["text"]:
                    st.text(entry["text"])
                if entry["source"]:
                    st.caption(f"Kilde: {md_escape(entry['source'])}")
        effect = query(recommendations.before_after, chosen)
        if not effect.is_empty():
            effect_title = "Klager i anbefalingens temaer og enheder, 12 måneder før og efter"
            show_figures(
                [
                    Figure(
                        "virkning",
                        effect_title,
                        builders.before_after_bars(
                            effect,
                            ctx.meta(
                                effect_title,
                                "Tæller klager · " + row["title"],
                                period=f"{format_day(effect['start'][0])}–{format_day(effect['end'][1])}",
                            ),
                        ),
                        effect,
                    )
                ],
                f"{ctx.file_stem}-{chosen}",
            )
            if not effect["complete"].all():
                st.caption("Perioden efter er ikke afsluttet endnu: tallet kan stige.")
