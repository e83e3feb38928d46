"""Query frames (English column names, raw values) turned into what a user sees or downloads.

One function, ``display_frame``, is used by every table on screen and every CSV/Excel download:
Danish headers from ``data_model.labels``, internal columns dropped, shares as rounded percent,
booleans as "ja"/"nej", and on screen Danish decimal commas, one minus sign (U+2212) and "–"
for a missing value. Key-figure deltas are worded here too (``metric_delta``), so a fall is
always drawn as a fall.
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from data_model.labels import COLUMN_LABELS, format_number, format_signed

# fractions 0..1 shown as percent with one decimal (what the charts' tooltips show)
SHARE_COLUMNS = frozenset({"share", "complaint_share"})
# already in percent / percentage points
PERCENT_COLUMNS = frozenset({"pct", "country_pct"})
# changes: shown with a sign (+12, −3, ±0)
SIGNED_COLUMNS = frozenset({"diff", "pct_change", "change_pp", "delta"})
# columns a user never needs: sort keys, flags used for drawing, raw codes with a label beside them
INTERNAL_COLUMNS = frozenset(
    {"status_order", "outcome_order", "sort_order", "is_total", "code", "small", "bucket", "label_text"}
)
INTERNAL_SUFFIXES = ("_order", "_code", "_id")
DECIMALS = {"per_month": 1, "per_1000": 2}  # floats not listed here get one decimal
MISSING = "–"


def _is_internal(name: str) -> bool:
    return name in INTERNAL_COLUMNS or name.endswith(INTERNAL_SUFFIXES)


def _decimals(name: str, dtype: pl.DataType) -> int:
    if dtype.is_integer() or name == "pct_change":
        return 0
    return DECIMALS.get(name, 1)


def _signed_text(value: float | None, decimals: int, suffix: str) -> str:
    if value is None:
        return MISSING
    if round(value, decimals) == 0:
        return f"±0{suffix}"
    return format_signed(value, decimals, suffix)


def display_frame(
    frame: pl.DataFrame,
    *,
    screen: bool = False,
    labels: dict[str, str] | None = None,
    keep: tuple[str, ...] = (),
) -> pl.DataFrame:
    """The frame as shown or downloaded.

    ``labels`` overrides the Danish header of a column (e.g. a period's label for ``current``);
    ``keep`` keeps a column that would count as internal. Downloads (``screen=False``) keep
    numbers as numbers (the CSV writer puts decimal commas) and leave a missing value empty;
    on screen (``screen=True``) every number is Danish text and a missing value is "–".
    Columns already carrying a Danish header pass through untouched, so applying it twice is safe.
    """
    overrides = labels or {}
    columns = [c for c in frame.columns if c in keep or c in overrides or not _is_internal(c)]
    exprs: list[pl.Expr] = []
    for name in columns:
        dtype = frame.schema[name]
        col = pl.col(name)
        decimals = _decimals(name, dtype)
        if name in SHARE_COLUMNS and dtype.is_numeric():
            col = (col * 100).round(decimals)
        elif dtype.is_float():
            col = col.round(decimals)
        if dtype == pl.Boolean:
            col = pl.when(col).then(pl.lit("ja")).when(~col).then(pl.lit("nej")).otherwise(pl.lit(None))
        elif screen and dtype.is_numeric():
            if name in SIGNED_COLUMNS:
                suffix = " %" if name == "pct_change" else ""
                col = col.map_elements(
                    lambda v, d=decimals, s=suffix: _signed_text(v, d, s),
                    return_dtype=pl.Utf8,
                    skip_nulls=False,
                )
            elif dtype.is_float():
                col = col.map_elements(
                    lambda v, d=decimals: MISSING if v is None else format_number(v, d),
                    return_dtype=pl.Utf8,
                    skip_nulls=False,
                )
            else:
                col = col.map_elements(
                    lambda v: MISSING if v is None else format_number(v, 0),
                    return_dtype=pl.Utf8,
                    skip_nulls=False,
                )
        elif screen and dtype == pl.Date:
            col = col.dt.strftime("%d.%m.%Y")
        exprs.append(col.alias(overrides.get(name) or COLUMN_LABELS.get(name, name)))
    out = frame.select(exprs)
    if screen:
        out = out.with_columns(pl.col(pl.Utf8).fill_null(MISSING))
    return out


@dataclass(frozen=True)
class MetricDelta:
    """How st.metric draws a change: the text, its arrow and its colour."""

    text: str
    arrow: str  # "up", "down" or "off"
    color: str  # "red", "green" or "gray"


def metric_delta(delta: float | None, unit: str, better: str | None) -> MetricDelta | None:
    """A change as an advisor reads it: a fall points down, no change has no arrow ("±0"), and
    colour only where the direction is clearly good or bad (``better`` "lower"/"higher"; None
    keeps it grey, e.g. more inquiries is neither good nor bad).

    The direction is taken from the rounded change, so "±0,0" never gets an arrow.
    """
    if delta is None:
        return None
    decimals = 1 if unit == "percent" else 0
    suffix = " pct.-point" if unit == "percent" else ""
    rounded = round(delta, decimals)
    if rounded == 0:
        return MetricDelta(f"±0{suffix}", "off", "gray")
    arrow = "up" if rounded > 0 else "down"
    color = "gray"
    if better == "lower":
        color = "red" if rounded > 0 else "green"
    elif better == "higher":
        color = "green" if rounded > 0 else "red"
    return MetricDelta(format_signed(delta, decimals, suffix), arrow, color)
