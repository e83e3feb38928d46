"""The facts relation: inquiries (joined to complaint points when needed) with every filter applied."""

from __future__ import annotations

import duckdb

from queries.dimensions import NEEDS_POINTS
from queries.filters import Filters, where
from queries.periods import Span
from queries.units import level_sql


def joins_points(f: Filters, with_points: bool | None = None) -> bool:
    """Whether the facts need complaint points (one row per point) or not (one row per inquiry)."""
    if with_points is not None:
        return with_points
    return f.count_unit == "points" or bool(f.main_theme or f.sub_theme) or f.split in NEEDS_POINTS


def facts_sql(
    con: duckdb.DuckDBPyConnection,
    f: Filters,
    span: Span | None,
    *,
    with_points: bool | None = None,
    by_unit: bool = False,
    tree: bool = True,
    themes: bool = True,
) -> tuple[str, list[object]]:
    """A SELECT over inquiries (joined to complaint points when needed) with every filter applied.

    Columns: inquiry_id, point_id, municipality_code, received, kind_code, is_complaint,
    outcome_code, case_type_code, legal_effect_code, provenance, unit_id, unit_name, sector_code,
    department_id, department_name, theme_code, theme_name, main_code, main_name, leaf_unit_id.
    With complaint points the unit is the point's own unit where it has one. With ``by_unit``,
    ``unit_id`` and ``unit_name`` are the unit the record counts under at the filter's level
    (``effective_level``); without it they are NULL (the roll-up costs a join, and a count by unit
    must never fall back to the units records were registered on). ``leaf_unit_id`` is the unit
    the record was registered on.

    ``tree=False`` leaves out the unit hierarchy (sector_code, department_id and department_name
    are NULL) and ``themes=False`` the theme names (theme_name, main_code, main_name NULL) where
    the caller reads none of them: each join is a fixed cost of every call (docs/BENCHMARKS.md).
    A filter that needs one (a sector, a main theme) joins it all the same.
    """
    tree = tree or bool(f.sectors)
    themes = themes or bool(f.main_theme)
    with_points = joins_points(f, with_points)
    unit_expr = "coalesce(p.unit_id, i.unit_id)" if with_points else "i.unit_id"
    no_themes = "NULL::VARCHAR AS theme_name, NULL::VARCHAR AS main_code, NULL::VARCHAR AS main_name"
    theme_cols = "th.name AS theme_name, th.main_code, th.main_name" if themes else no_themes
    point_cols = (
        f"p.point_id, p.theme_code, {theme_cols}"
        if with_points
        else f"NULL::VARCHAR AS point_id, NULL::VARCHAR AS theme_code, {no_themes}"
    )
    joins = "JOIN complaint_point p ON p.inquiry_id = i.inquiry_id " if with_points else ""
    if with_points and themes:
        joins += "LEFT JOIN theme_tree th ON th.code = p.theme_code "
    tree_cols = (
        "ut.sector_code, ut.top_id AS department_id, ut.top_name AS department_name"
        if tree
        else "NULL::VARCHAR AS sector_code, NULL::VARCHAR AS department_id, NULL::VARCHAR AS department_name"
    )
    tree_join = f"LEFT JOIN unit_tree ut ON ut.unit_id = {unit_expr} " if tree else ""
    params: list[object] = []
    level_cols, level_join = "NULL::VARCHAR AS unit_id, NULL::VARCHAR AS unit_name", ""
    if by_unit:
        levels, params = level_sql(con, f)
        level_cols = "lv.level_id AS unit_id, lv.level_name AS unit_name"
        level_join = f"LEFT JOIN ({levels}) lv ON lv.unit_id = {unit_expr} "
    conditions, where_params = where(con, f, "point" if with_points else "inquiry", span)
    params += where_params
    sql = (
        "SELECT i.inquiry_id, i.municipality_code, i.received, i.kind_code, "  # noqa: S608 (fragments are fixed text; values are parameters)
        "coalesce(k.is_complaint, false) AS is_complaint, i.outcome_code, i.case_type_code, "
        f"i.legal_effect_code, i.provenance, {level_cols}, {tree_cols}, "
        f"{point_cols}, {unit_expr} AS leaf_unit_id "
        "FROM inquiry i "
        f"{joins}"
        f"{tree_join}{level_join}"
        "LEFT JOIN category k ON k.kind = 'inquiry_kind' AND k.code = i.kind_code " + f"WHERE {conditions}"
    )
    return sql, params
