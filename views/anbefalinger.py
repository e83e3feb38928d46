"""Anbefalinger: every recommendation with its status, overdue and stalled first, its follow-up
timeline, and the complaint counts in its themes and units before and after it was made."""

from __future__ import annotations

from datetime import date

import polars as pl
import streamlit as st

from charts import builders, catalogue
from dashboard import layout
from dashboard.context import PageContext
from dashboard.data import query
from dashboard.safe_text import md_escape
from dashboard.state import presenting
from data_model.display import display_frame
from data_model.labels import format_day
from queries import recommendations
from queries.periods import Span, as_of, format_date, ignoring_period

TABLE = ("warning", "title", "targets", "period", "status", "status_date", "due_on")


def _one(ctx: PageContext, row: dict[str, object], chosen: str) -> None:
    """One recommendation: its text, status per department, follow-up timeline and effect."""
    made, due = format_day(row["made_on"]), format_day(row["due_on"])  # type: ignore[arg-type]
    st.markdown(
        f"**{md_escape(row['title'])}**  \nRettet mod: {md_escape(row['targets'] or '–')} · Givet {made} · Frist {due}"
    )
    if row["text"]:
        st.text(row["text"])  # shown as text, never interpreted as Markdown or HTML
    per_department = query(recommendations.department_statuses, chosen)
    if per_department.height > 1:
        st.markdown(
            f"**Status pr. forvaltning** · samlet status: {row['status']} "
            "(den mindst fremskredne af forvaltningernes seneste svar)"
        )
        shown = per_department.select("department", "status", "date")
        layout.page_table(display_frame(shown, screen=True, labels={"date": "Senest fulgt op"}))
    for entry in query(recommendations.follow_up_timeline, chosen).iter_rows(named=True):
        with st.container(border=True):
            st.markdown(f"**{format_day(entry['date'])} · {md_escape(entry['status'])}**")
            if entry["text"]:
                st.text(entry["text"])
            if entry["source"]:
                st.caption(f"Kilde: {md_escape(entry['source'])}")
    effect = query(recommendations.before_after, chosen)
    if effect.is_empty():
        return
    title = "Klager i anbefalingens temaer og enheder, 12 måneder før og efter"
    period = f"{format_day(effect['start'][0])}–{format_day(effect['end'][1])}"
    chart = builders.before_after_bars(
        effect, ctx.meta(title, f"Tæller klager · {row['title']}", period=period)
    )
    layout.show_figures([layout.Figure("virkning", title, chart, effect)], f"{ctx.file_stem}-{chosen}")
    if not effect["complete"].all():
        st.caption("Perioden efter er ikke afsluttet endnu: tallet kan stige.")


def render(ctx: PageContext) -> None:
    """Counts and the status chart, the list, and one recommendation's history."""
    as_of_day, as_of_words = as_of(ctx.span, date.today())
    # the recommendations shown: those of the report periods ended by then
    given = Span(date.min, as_of_day, f"fra beretningsperioder til og med {format_date(as_of_day)}")
    counted = ctx.counting("anbefalinger", given)
    layout.page_header(
        "Anbefalinger",
        "Borgerrådgiverens anbefalinger og forvaltningernes opfølgning. Forsinkede og gået i stå står øverst.",
        f"{counted} · Seneste kendte status · Forsinket og gået i stå {as_of_words}",
    )
    status = query(recommendations.recommendation_status, ignoring_period(ctx.filters), as_of_day)
    if status.is_empty():
        layout.empty_state("Ingen anbefalinger for det valgte.")
        return
    not_closed = ", og anbefalingen er ikke afsluttet."
    metrics = [
        ("Anbefalinger", len(status), None),
        ("Åbne", int((~status["closed"]).sum()), None),
        ("Forsinkede", int(status["overdue"].sum()), "Fristen er overskredet" + not_closed),
        ("Gået i stå", int(status["stalled"].sum()), "Ingen opfølgning i over et år" + not_closed),
    ]
    for column, (label, value, help_text) in zip(st.columns(4), metrics, strict=True):
        column.metric(label, value, help=help_text)
    counts = recommendations.status_counts(status)
    entry = catalogue.recommendation_status(recommendations.ordered_statuses(counts))
    period = f"beretningsperioder til og med {format_date(as_of_day)}"
    meta = ctx.meta(entry.title, f"{counted} · seneste kendte status", period=period)
    layout.show_figures([layout.catalogue_figure(entry, counts, meta)], ctx.file_stem)
    if presenting():
        return
    table = catalogue.with_warning(status).select(TABLE)
    labels = catalogue.RECOMMENDATIONS.labels()
    layout.table_with_downloads(table, f"{ctx.file_stem}-tabel", "recs", labels=labels)
    st.subheader("Én anbefaling: forløb og virkning")
    titles = dict(zip(status["recommendation_id"], status["title"], strict=True))
    chosen = st.selectbox("Anbefaling", list(titles), format_func=titles.get, key="recommendation")
    if chosen:
        _one(ctx, status.filter(pl.col("recommendation_id") == chosen).row(0, named=True), chosen)
