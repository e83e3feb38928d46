"""Small-number suppression for anything meant for publication."""

from __future__ import annotations

from collections.abc import Sequence

import polars as pl

from data_model.labels import SMALL_N, format_count


def suppress(
    frame: pl.DataFrame,
    counts: Sequence[str],
    shares: Sequence[str] = (),
    threshold: int = SMALL_N,
) -> pl.DataFrame:
    """Counts from 1 to threshold-1 become null (zero reveals nobody); shares computed from a
    hidden count are hidden with it. A ``suppressed`` column says which rows were touched."""
    hidden = pl.any_horizontal([(pl.col(c) > 0) & (pl.col(c) < threshold) for c in counts])
    return frame.with_columns(
        *[
            pl.when((pl.col(c) > 0) & (pl.col(c) < threshold)).then(None).otherwise(pl.col(c)).alias(c)
            for c in counts
        ],
        *[pl.when(hidden).then(None).otherwise(pl.col(s)).alias(s) for s in shares],
        hidden.alias("suppressed"),
    )


def shown_count(value: int | None, threshold: int = SMALL_N) -> str:
    """How a (possibly suppressed) count is printed in a table: '<5' for a hidden one."""
    return f"<{threshold}" if value is None else format_count(value)
