"""queries/appeals.py on the small hand-made database (tests/query_fixture.py), counted by eye."""

from __future__ import annotations

import pytest

from queries import appeals
from tests.query_fixture import Y2024, F


def test_decisions_and_pooled_omgoerelse(query_db) -> None:
    by_result = appeals.decisions_by_result(query_db, F, Y2024, by="unit")
    assert by_result.select("series", "outcome", "count").rows() == [
        ("Børn og Familie", "Stadfæstet", 1),
        ("Børn og Familie", "Ændret/ophævet", 1),
        ("Børn og Familie", "Hjemvist", 1),
        ("Teknik og Miljø", "Stadfæstet", 1),
        ("Teknik og Miljø", "Afvist/henvist", 1),
    ]
    total = appeals.omgoerelse(query_db, F, Y2024)
    assert total.select("decisions", "rejected", "on_merits", "changed", "sent_back").row(0) == (
        5,
        1,
        4,
        1,
        1,
    )
    assert total["pct"][0] == pytest.approx(50.0)


def test_remark_themes_share_of_decisions(query_db) -> None:
    frame = appeals.remark_themes(query_db, F, Y2024)
    assert frame.select("remark", "decisions", "n").rows()[0] == ("Mangelfuld begrundelse", 2, 5)


def test_danmarkskort_rank_and_change(query_db) -> None:
    frame = appeals.danmarkskort(query_db, "999", "boern_handicap")
    assert frame.select("year", "n", "pct", "country_pct", "rank", "ranked_of").rows() == [
        (2023, 20, 25.0, 25.0, 2, 2),
        (2024, 10, 20.0, 25.0, 1, 2),
    ]
    assert frame["change_pp"].to_list()[1] == pytest.approx(-5.0)
