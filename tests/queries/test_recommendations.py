"""queries/recommendations.py on the small hand-made database (tests/query_fixture.py)."""

from __future__ import annotations

from datetime import date

import polars as pl

from queries import recommendations
from tests.query_fixture import F


def test_recommendation_status_overdue_first(query_db) -> None:
    frame = recommendations.recommendation_status(query_db, F, today=date(2025, 9, 2))
    assert frame.select("recommendation_id", "status", "closed", "overdue", "stalled").rows() == [
        ("r2", "I gang", False, False, True),
        ("r3", "Ingen opfølgning", False, False, False),
        ("r1", "Implementeret", True, False, False),
    ]
    assert frame.filter(pl.col("recommendation_id") == "r3")["targets"][0] == "Hele kommunen"
    counts = recommendations.status_counts(frame)
    assert counts.filter(pl.col("department") == "Teknik og Miljø").select("status", "count").rows() == [
        ("I gang", 1)
    ]


def test_follow_up_timeline(query_db) -> None:
    frame = recommendations.follow_up_timeline(query_db, "r1")
    assert frame.select("status").to_series().to_list() == ["Anbefaling givet", "I gang", "Implementeret"]


def test_before_after_counts_complaints_in_themes_and_units(query_db) -> None:
    frame = recommendations.before_after(query_db, "r2", months=12)
    # sagsbehandlingstid complaints in Teknik og Miljø: i4 (Nov 2024) after 1 Jul 2024; none before
    assert frame.select("window", "complaints").rows() == [("Før", 0), ("Efter", 1)]
    assert frame["complete"].to_list() == [True, True]
