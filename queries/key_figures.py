"""The rows of key figures the pages open with: each figure with the comparable period's value,
whether lower is better, and the notes the row needs (what it is compared with, what is missing)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import duckdb
import polars as pl

from queries import appeals, inquiries, recommendations
from queries.filters import Filters
from queries.inquiries import KeyFigure
from queries.periods import Span, as_of, comparable_spans, format_date


@dataclass(frozen=True)
class KeyFigureRow:
    figures: list[KeyFigure]
    compared_with: str | None  # the previous comparable period's label (what the arrows compare with)
    notes: list[str] = field(default_factory=list)  # said under the row, in order


def _omgoerelse(now: pl.DataFrame, before: pl.DataFrame | None) -> KeyFigure:
    return KeyFigure(
        "Omgørelsesprocent",
        now["pct"][0],
        before["pct"][0] if before is not None else None,
        "percent",
        n=int(now["on_merits"][0]),
        lower_is_better=True,
        key="omgoerelse",
    )


def overview(con: duckdb.DuckDBPyConnection, f: Filters, span: Span, today: date) -> KeyFigureRow:
    """Overblik: inquiries, complaints, complaint share and points, the open recommendations
    and the omgørelsesprocent, each against the same period a year before."""
    figures = inquiries.inquiry_key_figures(con, f, span)
    as_of_day, _words = as_of(span, today)
    status = recommendations.recommendation_status(con, f, as_of_day)
    spans = comparable_spans(con, f, span)
    appeal_before = appeals.omgoerelse(con, f, spans[1]) if spans else None
    figures.append(
        KeyFigure(
            f"Åbne anbefalinger pr. {format_date(as_of_day)}",
            int(status.filter(~pl.col("closed")).height) if status.height else 0,
            None,
            "count",
            key="open_recommendations",
        )
    )
    figures.append(_omgoerelse(appeals.omgoerelse(con, f, span), appeal_before))
    # a complaint share that means nothing (every inquiry a complaint) is said below the row, not shown as "–"
    meaningless = [
        k for k in figures if k.key == inquiries.COMPLAINT_SHARE and k.value is None and k.previous is None
    ]
    notes = [spans[2]] if spans and spans[2] else []
    if meaningless:
        notes.append(inquiries.NO_SHARE_WORDS)
    return KeyFigureRow(
        [k for k in figures if k not in meaningless], spans[1].label if spans else None, notes
    )


def appeal_figures(con: duckdb.DuckDBPyConnection, f: Filters, span: Span) -> KeyFigureRow | None:
    """Ankestyrelsen: decisions, decisions on the merits and the omgørelsesprocent against the
    comparable period; None when no decision is registered."""
    now = appeals.omgoerelse(con, f, span)
    if not int(now["decisions"][0]):
        return None
    spans = comparable_spans(con, f, span)
    before = appeals.omgoerelse(con, f, spans[1]) if spans else None

    def count(label: str, column: str) -> KeyFigure:
        previous = int(before[column][0]) if before is not None else None
        return KeyFigure(label, int(now[column][0]), previous, "count", key=column)

    return KeyFigureRow(
        [
            count("Afgørelser", "decisions"),
            count("Realitetsbehandlede", "on_merits"),
            _omgoerelse(now, before),
        ],
        spans[1].label if spans else None,
    )
