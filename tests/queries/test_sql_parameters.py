"""Filter values reach SQL only as parameters: hostile values in every filter field change no SQL
text and no row."""

from __future__ import annotations

from data_model.db import row_counts
from queries import appeals, inquiries, recommendations
from queries.facts import facts_sql
from queries.filters import Filters
from tests.conftest import TODAY
from tests.query_fixture import Y2024, Y2025

HOSTILE_FILTERS = Filters(
    municipalities=("999", "'; DROP TABLE inquiry; --"),
    period_id="x' OR '1'='1",
    sectors=("<script>",),
    unit_id="999-tek') OR 1=1 --",
    main_theme="'",
    sub_theme='"',
    kinds=("klage", "%"),
    outcomes=("_",),
)


def test_filter_values_reach_sql_only_as_parameters(query_db) -> None:
    before = row_counts(query_db)
    for with_points in (False, True):
        sql, params = facts_sql(query_db, HOSTILE_FILTERS, Y2025, with_points=with_points)
        for value in ("DROP TABLE", "OR '1'='1", "<script>", "OR 1=1"):
            assert value not in sql
        assert ["999", "'; DROP TABLE inquiry; --"] in params
    cur = query_db.cursor()
    for dimension in ("unit", "kind", "theme"):
        assert inquiries.breakdown(cur, HOSTILE_FILTERS, Y2025, dimension)["count"].sum() == 0
    inquiries.trend(cur, HOSTILE_FILTERS, None)
    appeals.omgoerelse(cur, HOSTILE_FILTERS, Y2024)
    recommendations.recommendation_status(cur, HOSTILE_FILTERS, TODAY)
    assert row_counts(query_db) == before
