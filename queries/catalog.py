"""What exists in the database: the catalog URL values are checked against, and the busiest municipality."""

from __future__ import annotations

import duckdb

from queries.filters import Catalog


def load_catalog(con: duckdb.DuckDBPyConnection) -> Catalog:
    def pairs(sql: str) -> dict[str, str]:
        return {str(a): str(b) for a, b in con.execute(sql).fetchall()}

    def codes(sql: str) -> frozenset[str]:
        return frozenset(str(r[0]) for r in con.execute(sql).fetchall())

    themes = pairs("SELECT code, main_code FROM theme_tree")
    categories: dict[str, set[str]] = {}
    for kind, code in con.execute("SELECT kind, code FROM category").fetchall():
        categories.setdefault(str(kind), set()).add(str(code))
    return Catalog(
        municipalities=codes("SELECT code FROM municipality"),
        periods=pairs("SELECT period_id, municipality_code FROM report_period"),
        units=pairs("SELECT unit_id, municipality_code FROM org_unit"),
        main_themes=frozenset(themes.values()),
        themes=themes,
        categories={kind: frozenset(found) for kind, found in categories.items()},
    )


def busiest_municipality(con: duckdb.DuckDBPyConnection) -> str | None:
    rows = con.execute(
        "SELECT municipality_code FROM inquiry GROUP BY ALL ORDER BY count(*) DESC, municipality_code LIMIT 1"
    ).fetchall()
    return str(rows[0][0]) if rows else None
