"""queries/units.py: unit levels and report levels, remembered only while what they are read
from is unchanged (issue 19: a stale unit label or level is a wrong number)."""

from __future__ import annotations

import duckdb

from queries import inquiries, units
from queries.filters import Filters
from tests.query_fixture import Y2024

F = Filters(municipalities=("999",), level="afdeling")


def _labels(con: duckdb.DuckDBPyConnection, f: Filters = F) -> list[str]:
    return sorted(inquiries.breakdown(con, f, Y2024, "unit")["label"].to_list())


def test_a_unit_renamed_with_plain_sql_is_counted_under_its_new_name(
    query_db: duckdb.DuckDBPyConnection,
) -> None:
    before = _labels(query_db)
    assert "Børn og Familie" in before
    query_db.execute("UPDATE org_unit SET name = 'Børn, Unge og Familie' WHERE unit_id = '999-sos-born'")
    renamed = _labels(query_db)
    assert "Børn, Unge og Familie" in renamed and "Børn og Familie" not in renamed
    query_db.execute("UPDATE org_unit SET name = 'Børn og Familie' WHERE unit_id = '999-sos-born'")
    assert _labels(query_db) == before


def test_a_unit_moved_with_plain_sql_rolls_up_under_its_new_parent(
    query_db: duckdb.DuckDBPyConnection,
) -> None:
    forvaltning = F.with_(level="forvaltning")
    assert units.unit_levels(query_db, "forvaltning", ("999",))["999-sos-born"][0] == "999-sos"
    query_db.execute("UPDATE org_unit SET parent_id = '999-tek' WHERE unit_id = '999-sos-born'")
    assert units.unit_levels(query_db, "forvaltning", ("999",))["999-sos-born"][0] == "999-tek"
    assert _labels(query_db, forvaltning) == ["Social og Sundhed", "Teknik og Miljø"]
    counts = dict(
        inquiries.breakdown(query_db, forvaltning, Y2024, "unit").select("label", "count").iter_rows()
    )
    assert counts == {"Teknik og Miljø": 4, "Social og Sundhed": 1}  # i1, i2 (Børn og Familie), i3, i4; i5


def test_the_report_level_follows_published_figures_written_with_plain_sql(
    query_db: duckdb.DuckDBPyConnection,
) -> None:
    """Without printed unit figures 999 counts at the finest level; a report that prints its two
    forvaltninger makes that its level, and the breakdown follows at once."""
    unset = Filters(municipalities=("999",))
    assert units.effective_level(query_db, unset) == units.DEFAULT_LEVEL == "afdeling"
    query_db.execute(
        "INSERT INTO published_figure (figure_id, municipality_code, period_id, table_name, measure, value, "
        "value_unit, unit_id) VALUES ('u1', '999', '999-2024', 't', 'inquiries', 3, 'count', '999-sos'), "
        "('u2', '999', '999-2024', 't', 'inquiries', 2, 'count', '999-tek')"
    )
    assert units.report_levels(query_db)["999"] == "forvaltning"
    assert units.effective_level(query_db, unset) == "forvaltning"
    assert _labels(query_db, unset) == ["Social og Sundhed", "Teknik og Miljø"]
