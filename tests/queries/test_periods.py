"""queries/periods.py: report spans and comparable spans on the small hand-made database."""

from __future__ import annotations

from datetime import date

import duckdb

from queries.filters import Filters
from queries.periods import Span, comparable_spans, resolve_span
from tests.query_fixture import Y2024, Y2025, F


def test_resolve_span_prefers_period_then_dates_then_latest(query_db) -> None:
    assert resolve_span(query_db, F.with_(period_id="999-2024")) == Y2024
    assert resolve_span(query_db, F.with_(date_from=date(2024, 3, 1), date_to=date(2024, 3, 31))).label == (
        "1. mar. 2024 – 31. mar. 2024"
    )
    assert resolve_span(query_db, F, today=date(2026, 1, 5)) == Y2025


def test_comparable_span_is_the_year_before(query_db) -> None:
    current, previous, note = comparable_spans(query_db, F, Y2025)
    assert (current, previous.start, previous.end, previous.label, note) == (
        Y2025,
        date(2024, 1, 1),
        date(2024, 12, 31),
        "2024",
        "Den forrige periode er det første år med registreringer (fx et opstartsår): sammenlign varsomt",
    )
    assert comparable_spans(query_db, F, Y2024) is None


def test_comparable_span_clamps_to_a_partial_first_period(query_db) -> None:
    query_db.execute("UPDATE report_period SET start_date = DATE '2024-05-01' WHERE period_id = '999-2024'")
    current, previous, note = comparable_spans(query_db, F, Y2025)
    assert (current.start, current.end) == (date(2025, 5, 1), date(2025, 12, 31))
    assert (previous.start, previous.end) == (date(2024, 5, 1), date(2024, 12, 31))
    assert "samme måneder" in note


class _Counting:
    """A connection that counts the statements run through it."""

    def __init__(self, con: duckdb.DuckDBPyConnection) -> None:
        self.con, self.statements = con, 0

    def execute(self, sql: str, params: object = None) -> duckdb.DuckDBPyConnection:
        self.statements += 1
        return self.con.execute(sql, params)


def test_a_resolved_span_knows_its_periods_so_comparing_asks_nothing(query_db) -> None:
    query_db.execute("UPDATE report_period SET start_date = DATE '2024-05-01' WHERE period_id = '999-2024'")
    for f in (
        F.with_(period_id="999-2025"),
        F.with_(date_from=date(2025, 1, 1), date_to=date(2025, 12, 31)),
        F,
    ):
        span = resolve_span(query_db, f, today=date(2026, 1, 5))
        assert span is not None and span.known is not None
        counting = _Counting(query_db)
        known = comparable_spans(counting, f, span)  # type: ignore[arg-type]
        assert counting.statements == 0
        # the same answer as from the bare dates, which reads the periods
        assert known == comparable_spans(query_db, f, Span(span.start, span.end, span.label))
        assert known is not None and "samme måneder" in known[2]
    # without report periods records begin at the first inquiry, which is read only when asked
    dates_998 = Filters(municipalities=("998",), date_from=date(2025, 1, 1), date_to=date(2025, 12, 31))
    assert resolve_span(query_db, dates_998).known is None  # type: ignore[union-attr]


def test_a_span_resolved_for_one_municipality_does_not_lend_its_periods_to_another(query_db) -> None:
    query_db.execute(
        "INSERT INTO report_period (period_id, municipality_code, label, start_date, end_date) "
        "VALUES ('998-2023', '998', '2023', DATE '2023-05-01', DATE '2023-12-31')"
    )
    span = resolve_span(query_db, F.with_(period_id="999-2024"))
    assert span == Y2024 and comparable_spans(query_db, F, span) is None  # 999's records begin in 2024
    everywhere = comparable_spans(query_db, Filters(), span)  # 998's begin in May 2023
    assert everywhere is not None
    assert (everywhere[1].start, everywhere[1].end) == (date(2023, 5, 1), date(2023, 12, 31))
