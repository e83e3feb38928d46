"""queries/fetch.py: a statement's rows as the very frame ``con.sql(...).pl()`` gives."""

from __future__ import annotations

import duckdb
import pytest

from queries.fetch import frame

PLAIN = (
    "SELECT * FROM (VALUES (1::BIGINT, 2::INTEGER, 3::SMALLINT, 4::TINYINT, 0.5::DOUBLE, 0.25::FLOAT, "
    "'æøå', true, DATE '2024-02-29'), (NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL)) "
    "t(a, b, c, d, e, f, g, h, i) WHERE a IS NULL OR a = ?"
)
OTHER = (
    "SELECT sum(x) AS total, [x] AS xs, 1.5::DECIMAL(10, 2) AS dec FROM (SELECT ?::BIGINT AS x) GROUP BY x"
)


@pytest.mark.parametrize(
    ("sql", "params"),
    [(PLAIN, [1]), (PLAIN, [2]), (PLAIN.replace("a IS NULL OR ", ""), [2]), (OTHER, [7])],
    ids=["plain", "plain-null-row", "empty", "other-types"],
)
def test_frame_is_what_pl_gives(sql: str, params: list[object]) -> None:
    con = duckdb.connect()
    expected = con.sql(sql, params=params).pl()
    got = frame(con, sql, params)
    assert got.schema == expected.schema
    assert got.equals(expected)
    assert frame(con, "SELECT 1 AS one", []).item() == 1  # the connection is free afterwards


def test_frame_with_a_repeated_column_name_is_what_pl_gives() -> None:
    con = duckdb.connect()
    sql = "SELECT 1 AS a, 2 AS a"
    assert frame(con, sql, []).equals(con.sql(sql).pl())
