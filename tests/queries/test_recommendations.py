"""queries/recommendations.py on the small hand-made database (tests/query_fixture.py)."""

from __future__ import annotations

from datetime import date

import polars as pl
import pytest

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


@pytest.mark.parametrize(
    ("recommendation", "expected", "complete"),
    [
        # sagsbehandlingstid complaints in Teknik og Miljø: i4 (Nov 2024) after 1 Jul 2024; none before
        ("r2", [("Før", 0), ("Efter", 1)], [True, True]),
        # begrundelse in Social og Sundhed and its Børn og Familie: i1 (Jan 2024) before; none after
        ("r1", [("Før", 1), ("Efter", 0)], [True, True]),
        # the whole municipality, no theme: every complaint, i1, i2, i4 in 2024 and j1, j5 in 2025;
        # the records end 1 Dec 2025, so the year after is not complete
        ("r3", [("Før", 3), ("Efter", 2)], [True, False]),
    ],
)
def test_before_after_counts_complaints_in_themes_and_units(
    query_db, recommendation: str, expected: list[tuple[str, int]], complete: list[bool]
) -> None:
    frame = recommendations.before_after(query_db, recommendation, months=12)
    assert frame.select("window", "complaints").rows() == expected
    assert frame["complete"].to_list() == complete
