"""Consistency rules the schema cannot state, for `python -m data_model check`."""

from __future__ import annotations

import duckdb

from data_model.point_scope import points_out_of_step


def generated_inquiries_without_points(con: duckdb.DuckDBPyConnection) -> int:
    """Generated complaints (kind ``klage``) always come with their complaint points (the sample
    data is loaded in one transaction); any without points mean a load was cut off half-way."""
    row = con.execute(
        "SELECT count(*) FROM inquiry i WHERE i.provenance = 'generated' AND i.kind_code = 'klage' "
        "AND NOT EXISTS (SELECT 1 FROM complaint_point p WHERE p.inquiry_id = i.inquiry_id)"
    ).fetchone()
    return int(row[0]) if row else 0


def integrity_lines(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Danish lines, one per broken rule; empty when all hold."""
    lines = []
    if missing := generated_inquiries_without_points(con):
        lines.append(
            f"Genererede klager uden klagepunkter: {missing} (en indlæsning af eksempeldata blev "
            "afbrudt; indlæs eksempeldata igen i en tom database)"
        )
    if out_of_step := points_out_of_step(con):
        lines.append(
            f"Klagepunkter med en anden kommune eller dato end deres henvendelse: {out_of_step} "
            "(skrevet uden om programmet; importér henvendelserne igen, så følger punkterne med)"
        )
    return lines
