"""The one table of dimensions: every page's choice of split reads it, and every row works."""

from __future__ import annotations

from datetime import date

import duckdb
import pytest

from queries import appeals, crosstab, inquiries
from queries.dimensions import (
    APPEAL_GROUPS,
    COMPARISONS,
    DIMENSION,
    DIMENSIONS,
    DRILL,
    NEEDS_POINTS,
    SPLIT_WORDS,
    SPLITS,
)
from queries.filters import FIELD, Filters
from queries.periods import Span

Y2024 = Span(date(2024, 1, 1), date(2024, 12, 31), "2024")
F = Filters(municipalities=("999",))


def test_one_row_per_dimension_and_one_word_each() -> None:
    assert len(DIMENSION) == len(DIMENSIONS)
    assert all(SPLIT_WORDS[d.key] == d.words and d.words[0].isupper() for d in DIMENSIONS)
    assert SPLITS[0] == "none" and COMPARISONS[0] == "department"  # the defaults the pages open on
    # the Krydstabel offers exactly the rows that exist in one of its relations, with the same words
    assert [d.key for d in crosstab.DIMENSIONS] == [d.key for d in DIMENSIONS if d.inquiry or d.decision]
    assert crosstab.DIMENSION["outcome"].words == SPLIT_WORDS["outcome"]


@pytest.mark.parametrize("key", sorted(DRILL))
def test_a_drill_narrows_a_filter_field_and_splits_by_a_split(key: str) -> None:
    field, next_split = DRILL[key]
    assert field in FIELD and next_split in SPLITS and key in SPLITS


@pytest.mark.parametrize(
    "key", [k for k in SPLITS if k != "none"] + ["case_type", "legal_effect", "municipality"]
)
def test_each_facts_dimension_breaks_the_total_down(query_db: duckdb.DuckDBPyConnection, key: str) -> None:
    frame = inquiries.breakdown(query_db, F, Y2024, key)
    # 5 inquiries in 2024, 3 of them with complaint points; without themes each is in one group
    assert frame["n"].unique().to_list() == [3 if key in NEEDS_POINTS else 5]
    if key not in NEEDS_POINTS:
        assert frame["count"].sum() == 5


@pytest.mark.parametrize("key", COMPARISONS)
def test_each_comparison_counts_both_years(query_db: duckdb.DuckDBPyConnection, key: str) -> None:
    result = inquiries.year_over_year(query_db, F, Span(date(2025, 1, 1), date(2025, 12, 31), "2025"), key)
    assert result is not None and not result.table.is_empty()


@pytest.mark.parametrize("key", sorted(APPEAL_GROUPS))
def test_each_appeal_grouping_counts_every_decision(query_db: duckdb.DuckDBPyConnection, key: str) -> None:
    frame = appeals.decisions_by_result(query_db, F, Y2024, key)
    assert frame["count"].sum() == 5  # d1..d5
