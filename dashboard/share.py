"""The complaint-share figure, shared by Overblik and Tendenser."""

from __future__ import annotations

import polars as pl

from charts import builders
from charts.theme import ChartMeta
from dashboard.layout import Figure


def complaint_share_figures(share: pl.DataFrame, meta: ChartMeta) -> list[Figure]:
    """The complaint share over time (``queries.inquiries.complaint_share_trend``), or no figure
    where no period has a meaningful share (every inquiry registered as a complaint)."""
    if not share["share"].is_not_null().any():
        return []
    return [Figure("klageandel", "Klageandel over tid", builders.share_trend(share, meta), share)]
