"""Kommuner: the figures the reports published, several municipalities side by side."""

from __future__ import annotations

import polars as pl
import streamlit as st

from charts import builders
from charts.theme import ChartMeta
from dashboard.context import PageContext
from dashboard.data import query
from dashboard.layout import Figure, empty_state, page_header, show_figures, table_with_downloads
from dashboard.safe_text import md_escape
from data_model.denmark import WHOLE_COUNTRY
from data_model.display import display_frame
from queries import published


def published_meta(title: str, measure: str) -> ChartMeta:
    return ChartMeta(
        title,
        f"Publicerede tal · {measure.lower()} pr. beretningsperiode",
        "Kilde: kommunernes borgerrådgiverberetninger",
    )


def render(ctx: PageContext) -> None:
    """One published measure, every municipality's reports side by side, as bars and a table."""
    page_header(
        "Kommuner",
        "Tal fra kommunernes egne beretninger. Perioder og opgørelsesmåder er forskellige: læs perioden med.",
        "Publicerede tal · "
        + ", ".join(n for c, n in ctx.names.municipalities.items() if c != WHOLE_COUNTRY),
    )
    totals = query(published.published_totals, None)
    if totals.is_empty():
        empty_state("Der er ingen publicerede tal.")
        return
    measures = totals["measure_label"].unique(maintain_order=True).to_list()
    measure = (
        st.segmented_control(
            "Mål", measures, default=measures[0], format_func=md_escape, key="benchmark_measure"
        )
        or measures[0]
    )
    chosen = totals.filter(pl.col("measure_label") == measure)
    per_month = chosen.with_columns((pl.col("value") / pl.col("months")).alias("per_month"))
    title = f"{measure} i beretningerne"
    # the figure's data download is the table below: no raw codes or file names
    table = per_month.select("municipality", "period", "months", "value", "per_month", "per_1000", "source")
    show_figures(
        [
            Figure(
                "publiceret",
                title,
                builders.benchmark_bars(chosen, published_meta(title, measure), value_title=measure),
                display_frame(table, labels={"value": measure}),
            )
        ],
        "kommuner-publicerede-tal",
    )
    table_with_downloads(
        table,
        "kommuner-publicerede-tal",
        "bench",
        labels={"value": measure},
        caption="Perioderne er ikke lige lange (fx Gentoftes første periode maj–dec. 2023): sammenlign pr. "
        "måned. Pr. 1.000 indbyggere vises, når indbyggertallet er indlæst.",
    )
