"""Cross-table charts: a heatmap for two dimensions, bars for one (charts.builders), in the theme.

Expects the long frame of ``queries.crosstab.crosstab``; the margins are left out of the chart
(the table beside it has them). A hidden (suppressed) count prints as '<n' in a grey cell.
"""

from __future__ import annotations

import altair as alt
import polars as pl

from charts import builders
from charts.theme import GRID, TEXT, WIDTH, ChartMeta, finish
from data_model.labels import format_count

CELL = 30  # px per heatmap row
MAX_HEIGHT = 900
HEATMAP_SCHEME = "blues"


def _cells(frame: pl.DataFrame, threshold: int | None) -> pl.DataFrame:
    inner = frame.filter(~pl.col("row_total") & ~pl.col("col_total"))
    hidden = f"<{threshold}" if threshold else "–"
    return inner.with_columns(
        pl.when(pl.col("count").is_null())
        .then(pl.lit(hidden))
        .otherwise(pl.col("count").map_elements(format_count, return_dtype=pl.Utf8))
        .alias("text"),
        pl.when(pl.col("share").is_not_null())
        .then((pl.col("share") * 100).round(0).cast(pl.Int64).cast(pl.Utf8) + " %")
        .otherwise(pl.lit(""))
        .alias("share_text"),
    )


def _order(frame: pl.DataFrame, label: str, order: str) -> list[str]:
    return frame.sort(order).select(label).unique(maintain_order=True)[label].to_list()


def crosstab_chart(
    frame: pl.DataFrame,
    meta: ChartMeta,
    *,
    count_title: str,
    row_title: str,
    column_title: str | None,
    threshold: int | None = None,
) -> alt.VConcatChart:
    """Bars when the table has one dimension; a heatmap (count printed in every cell) for two."""
    if column_title is None:
        bars = (
            frame.filter(~pl.col("row_total"))
            .select(pl.col("row_label").alias("label"), "count", "share")
            .with_columns(pl.col("count").fill_null(0))
        )
        if frame["share"].is_null().all():
            bars = bars.drop("share")
        return builders.breakdown_bars(bars, meta, count_title=count_title, label_title=row_title)
    cells = _cells(frame, threshold)
    rows = _order(cells, "row_label", "row_order")
    cols = _order(cells, "col_label", "col_order")
    tooltip = [
        alt.Tooltip("row_label:N", title=row_title),
        alt.Tooltip("col_label:N", title=column_title),
        alt.Tooltip("text:N", title=count_title),
    ]
    if not cells["share_text"].str.len_chars().eq(0).all():
        tooltip.append(alt.Tooltip("share_text:N", title="Andel"))
    base = alt.Chart(cells).encode(
        y=alt.Y("row_label:N", sort=rows, title=row_title, axis=alt.Axis(labelLimit=260)),
        x=alt.X(
            "col_label:N",
            sort=cols,
            title=column_title,
            axis=alt.Axis(
                orient="top", labelAngle=-40 if len(cols) > 4 else 0, labelLimit=180, labelOverlap=False
            ),
        ),
        tooltip=tooltip,
    )
    top = max(int(cells["count"].max() or 0), 1)
    # a hidden count is grey, a zero white, the rest shades of blue (the number is in every cell)
    counted = (
        base.transform_filter("isValid(datum.count) && datum.count > 0")
        .mark_rect(stroke="white", strokeWidth=1)
        .encode(
            color=alt.Color("count:Q", scale=alt.Scale(scheme=HEATMAP_SCHEME, domain=[0, top]), legend=None)
        )
    )
    blank = (
        base.transform_filter("!isValid(datum.count) || datum.count == 0")
        .mark_rect(stroke=GRID, strokeWidth=1)
        .encode(color=alt.condition("isValid(datum.count)", alt.value("white"), alt.value(GRID)))
    )
    text = base.mark_text(fontSize=12).encode(
        text="text:N",
        color=alt.condition(f"datum.count > {top * 0.6}", alt.value("white"), alt.value(TEXT)),
    )
    width = min(WIDTH, max(60 * len(cols), 240))
    height = min(CELL * len(rows), MAX_HEIGHT)
    return finish((blank + counted + text).properties(width=width, height=height), meta, width=WIDTH)
