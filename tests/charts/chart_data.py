"""Frames and chart metadata shared by the chart tests: one of each kind of chart."""

from __future__ import annotations

from datetime import date

import polars as pl

from charts import builders
from charts.theme import ChartMeta, source_line

META = ChartMeta(
    "Klagepunkter fordelt på tema",
    "Tæller klagepunkter · Haderslev Kommune · 2024",
    source_line("Haderslev Kommune", "2024", generated=True),
)
BREAKDOWN = pl.DataFrame(
    {"label": ["Begrundelse", "Partshøring"], "count": [1234, 7], "share": [0.99, 0.01], "n": [1241, 1241]}
)
TREND = pl.DataFrame(
    {
        "bucket": [date(2024, 1, 1), date(2024, 2, 1)],
        "bucket_label": ["jan. 2024", "feb. 2024"],
        "series": ["I alt", "I alt"],
        "count": [12, 3],
        "small": [False, True],
    }
)


SPLIT_TREND = pl.DataFrame(
    {
        "bucket": [date(2024, m, 1) for m in (1, 2, 3)] * 2,
        "bucket_label": ["jan. 2024", "feb. 2024", "mar. 2024"] * 2,
        "series": ["Social og Sundhed"] * 3 + ["Børn og Kultur"] * 3,
        "count": [40, 44, 3, 12, 9, 15],
        "small": [False, False, True, False, False, False],
    }
)
LONG_EVENT = pl.DataFrame(
    {
        "bucket": [date(2024, 2, 1), date(2024, 3, 1)],
        "label": [
            "Barnets Lov træder i kraft",
            "Familieafdelingen ansætter flyverrådgivere (i løbet af 2025)",
        ],
    }
)
UNITS = pl.DataFrame(
    {
        "department": ["Social og Sundhed", "Arbejdsmarked og Borgerservice"],
        "unit": ["Handicap, socialpsykiatri og myndighed", "Rehabiliteringsteamet"],
        "inquiries": [32, 10],
        "complaints": [20, 2],
        "complaint_share": [0.62, 0.2],
    }
)


CHANGES = pl.DataFrame(
    {
        "label": ["Social og Sundhed", "Arbejdsmarked og Borgerservice"],
        "current": [158, 102],
        "previous": [104, 125],
        "diff": [54, -23],
        "pct_change": [52.0, -18.0],
        "uncertain": [False, True],
    }
)
BEFORE_AFTER = pl.DataFrame(
    {
        "window": ["Før", "Efter"],
        "complete": [True, False],
        "start": [date(2024, 1, 1), date(2025, 1, 1)],
        "end": [date(2024, 12, 31), date(2025, 12, 31)],
        "complaints": [97, 100],
    }
)
# one of each kind of chart: bars with long labels, a split trend with events, two-line unit
# names, labels printed right of the plot, and a narrow chart (drawn at a larger scale for print)
BUILDS = {
    "breakdown": lambda: builders.breakdown_bars(BREAKDOWN, META, count_title="Klagepunkter"),
    "trend": lambda: builders.trend_lines(SPLIT_TREND, META, count_title="Henvendelser", events=LONG_EVENT),
    "units": lambda: builders.unit_bars(UNITS, META),
    "change": lambda: builders.change_bars(CHANGES, META),
    "before-after": lambda: builders.before_after_bars(BEFORE_AFTER, META),
}
