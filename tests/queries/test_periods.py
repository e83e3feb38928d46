"""queries/periods.py: report spans and comparable spans on the small hand-made database."""

from __future__ import annotations

from datetime import date

from queries.periods import comparable_spans, resolve_span
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
