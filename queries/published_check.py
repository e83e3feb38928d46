"""Recompute a published figure from the case-level records.

This is the contract between the transcribed figures (sample_data/reports/*/published_figures.csv,
see sample_data/FORMAT.md) and the generated records: for every figure whose ``measure`` the
case-level model can express, ``recompute`` must equal the printed ``value``.
"""

from __future__ import annotations

from typing import Any

import duckdb

from queries.units import descendants

EXPRESSIBLE = ("inquiries", "complaints", "complaint_points", "appeal_decisions", "appeal_remarks")


def _codes(value: Any) -> list[str]:
    return [c for c in str(value).split(";") if c] if value else []


def _themes_with_children(con: duckdb.DuckDBPyConnection, codes: list[str]) -> list[str]:
    rows = con.execute(
        "SELECT code FROM theme_tree WHERE list_contains(?::VARCHAR[], code) OR list_contains(?::VARCHAR[], main_code)",
        [codes, codes],
    ).fetchall()
    return sorted({str(r[0]) for r in rows})


def _units(con: duckdb.DuckDBPyConnection, codes: list[str]) -> list[str]:
    return sorted({u for code in codes for u in descendants(con, code)})


def recompute(con: duckdb.DuckDBPyConnection, figure: dict[str, Any]) -> int | None:
    """The case-level count for one published figure, or None when its measure is not expressible."""
    measure = figure["measure"]
    if measure not in EXPRESSIBLE or figure.get("value_unit", "count") != "count":
        return None
    period = con.execute(
        "SELECT start_date, end_date FROM report_period WHERE period_id = ?", [figure["period_id"]]
    ).fetchall()
    if not period:
        return None
    start, end = period[0]
    units = _units(con, _codes(figure.get("unit_id")))
    if measure in ("appeal_decisions", "appeal_remarks"):
        return _appeals(con, figure, start, end, units)
    themes = _themes_with_children(con, _codes(figure.get("theme_code")))
    where = ["i.municipality_code = ?", "i.received BETWEEN ? AND ?"]
    params: list[Any] = [figure["municipality_code"], start, end]
    unit_col = "coalesce(p.unit_id, i.unit_id)" if measure == "complaint_points" else "i.unit_id"
    for column, field in [
        ("i.kind_code", "kind_code"),
        ("i.case_type_code", "case_type_code"),
        ("i.outcome_code", "outcome_code"),
        ("i.legal_effect_code", "legal_effect_code"),
    ]:
        if codes := _codes(figure.get(field)):
            where.append(f"list_contains(?::VARCHAR[], {column})")
            params.append(codes)
    if measure == "complaints":
        where.append("k.is_complaint")
    if units:
        where.append(f"list_contains(?::VARCHAR[], {unit_col})")
        params.append(units)
    if themes:
        where.append("list_contains(?::VARCHAR[], p.theme_code)")
        params.append(themes)
    counted = "count(p.point_id)" if measure == "complaint_points" else "count(DISTINCT i.inquiry_id)"
    join = "JOIN" if measure == "complaint_points" or themes else "LEFT JOIN"
    sql = (
        f"SELECT {counted} FROM inquiry i {join} complaint_point p ON p.inquiry_id = i.inquiry_id "  # noqa: S608
        "LEFT JOIN category k ON k.kind = 'inquiry_kind' AND k.code = i.kind_code WHERE "
        + " AND ".join(where)
    )
    return int(con.execute(sql, params).fetchall()[0][0])


def _appeals(
    con: duckdb.DuckDBPyConnection, figure: dict[str, Any], start: Any, end: Any, units: list[str]
) -> int:
    where = ["d.municipality_code = ?", "d.decided BETWEEN ? AND ?"]
    params: list[Any] = [figure["municipality_code"], start, end]
    if units:
        where.append("list_contains(?::VARCHAR[], d.unit_id)")
        params.append(units)
    for column, field in [("d.outcome_code", "appeal_outcome_code"), ("d.law_area_code", "law_area_code")]:
        if codes := _codes(figure.get(field)):
            where.append(f"list_contains(?::VARCHAR[], {column})")
            params.append(codes)
    remarks = _codes(figure.get("remark_code"))
    if figure["measure"] == "appeal_remarks":
        sql = "SELECT count(*) FROM appeal_decision d, unnest(d.remark_codes) AS r(code) WHERE "
        if remarks:
            where.append("list_contains(?::VARCHAR[], r.code)")
            params.append(remarks)
    else:
        sql = "SELECT count(*) FROM appeal_decision d WHERE "
        if remarks:
            where.append("len(list_intersect(d.remark_codes, ?::VARCHAR[])) > 0")
            params.append(remarks)
    return int(con.execute(sql + " AND ".join(where), params).fetchall()[0][0])
