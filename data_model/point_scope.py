"""Complaint points carry their inquiry's municipality and received date (migration 9).

The two columns are copies, so a query for one municipality and period can filter the points
before joining them (the point table then scales with the municipality, not the country). Every
write of an inquiry or a complaint point calls ``sync_point_scope`` inside its transaction:
``importer.upsert`` (imports, the seed, the own-sheet import, the forms) and
``editing.save_inquiry_with_points``. ``python -m data_model check`` reports points out of step.
"""

from __future__ import annotations

import duckdb

# the tables whose writes move a point's municipality or date
SCOPED_TABLES = frozenset({"inquiry", "complaint_point"})

_OUT_OF_STEP = (
    "p.municipality_code IS DISTINCT FROM i.municipality_code OR p.received IS DISTINCT FROM i.received"
)


def sync_point_scope(con: duckdb.DuckDBPyConnection, inquiry_ids: str | list[str] | None = None) -> None:
    """Copy each inquiry's municipality and received date onto its complaint points.

    ``inquiry_ids``: a list of inquiry ids, or the name of a registered relation with an
    ``inquiry_id`` column (an import's stage); None for every point. Only points whose values
    differ are written.
    """
    sql = (
        "UPDATE complaint_point AS p SET municipality_code = i.municipality_code, received = i.received "  # noqa: S608
        f"FROM inquiry i WHERE p.inquiry_id = i.inquiry_id AND ({_OUT_OF_STEP})"
    )
    if inquiry_ids is None:
        con.execute(sql)
    elif isinstance(inquiry_ids, str):
        if not inquiry_ids.isidentifier():
            raise ValueError(f"not a relation name: {inquiry_ids!r}")
        con.execute(f"{sql} AND p.inquiry_id IN (SELECT inquiry_id FROM {inquiry_ids})")  # noqa: S608
    elif inquiry_ids:
        con.execute(f"{sql} AND list_contains(?::VARCHAR[], p.inquiry_id)", [list(inquiry_ids)])


def points_out_of_step(con: duckdb.DuckDBPyConnection) -> int:
    """Complaint points whose municipality or date differs from their inquiry's (0 when healthy)."""
    row = con.execute(
        f"SELECT count(*) FROM complaint_point p JOIN inquiry i ON i.inquiry_id = p.inquiry_id WHERE {_OUT_OF_STEP}"  # noqa: S608
    ).fetchall()
    return int(row[0][0]) if row else 0
