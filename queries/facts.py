"""The facts relation: inquiries (joined to complaint points when needed) with every filter applied."""

from __future__ import annotations

from collections.abc import Collection

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


FACT_COLUMNS: tuple[str, ...] = (
    "inquiry_id",
    "municipality_code",
    "received",
    "kind_code",
    "is_complaint",
    "outcome_code",
    "case_type_code",
    "legal_effect_code",
    "provenance",
    "unit_id",
    "unit_name",
    "sector_code",
    "department_id",
    "department_name",
    "point_id",
    "theme_code",
    "theme_name",
    "main_code",
    "main_name",
    "leaf_unit_id",
)
_TREE = frozenset({"sector_code", "department_id", "department_name"})
_THEMES = frozenset({"theme_name", "main_code", "main_name"})
_NULL = "NULL::VARCHAR"


def facts_sql(
    con: duckdb.DuckDBPyConnection,
    f: Filters,
    span: Span | None,
    *,
    with_points: bool | None = None,
    by_unit: bool = False,
    columns: Collection[str] | None = None,
) -> tuple[str, list[object]]:
    """A SELECT over inquiries (joined to complaint points when needed) with every filter applied.

    Columns: inquiry_id, point_id, municipality_code, received, kind_code, is_complaint,
    outcome_code, case_type_code, legal_effect_code, provenance, unit_id, unit_name, sector_code,
    department_id, department_name, theme_code, theme_name, main_code, main_name, leaf_unit_id
    (``FACT_COLUMNS``; only ``columns`` of them, in that order, where given). With complaint
    points the unit is the point's own unit where it has one. With ``by_unit``, ``unit_id`` and
    ``unit_name`` are the unit the record counts under at the filter's level
    (``effective_level``); without it they are NULL (the roll-up costs a join, and a count by unit
    must never fall back to the units records were registered on). ``leaf_unit_id`` is the unit
    the record was registered on.

    Each join is there only for the columns that read it (the unit tree for sector and
    department, the theme names, the kinds for is_complaint, the unit levels for unit_id and
    unit_name) or for a filter that needs it (a sector, a main theme): each is a fixed cost of
    every call, and so is binding columns nobody reads (docs/BENCHMARKS.md).
    """
    wanted = FACT_COLUMNS if columns is None else tuple(c for c in FACT_COLUMNS if c in columns)
    if columns is not None and (unknown := set(columns) - set(FACT_COLUMNS)):
        raise ValueError(f"not columns of the facts: {sorted(unknown)}")
    with_points = joins_points(f, with_points)
    tree = bool(_TREE.intersection(wanted)) or bool(f.sectors)
    themes = with_points and (bool(_THEMES.intersection(wanted)) or bool(f.main_theme))
    levels_read = by_unit and ("unit_id" in wanted or "unit_name" in wanted)
    unit_expr = "coalesce(p.unit_id, i.unit_id)" if with_points else "i.unit_id"
    expression = {
        "inquiry_id": "i.inquiry_id",
        "municipality_code": "i.municipality_code",
        "received": "i.received",
        "kind_code": "i.kind_code",
        "is_complaint": "coalesce(k.is_complaint, false)",
        "outcome_code": "i.outcome_code",
        "case_type_code": "i.case_type_code",
        "legal_effect_code": "i.legal_effect_code",
        "provenance": "i.provenance",
        "unit_id": "lv.level_id" if levels_read else _NULL,
        "unit_name": "lv.level_name" if levels_read else _NULL,
        "sector_code": "ut.sector_code" if tree else _NULL,
        "department_id": "ut.top_id" if tree else _NULL,
        "department_name": "ut.top_name" if tree else _NULL,
        "point_id": "p.point_id" if with_points else _NULL,
        "theme_code": "p.theme_code" if with_points else _NULL,
        "theme_name": "th.name" if themes else _NULL,
        "main_code": "th.main_code" if themes else _NULL,
        "main_name": "th.main_name" if themes else _NULL,
        "leaf_unit_id": unit_expr,
    }
    select = ", ".join(f"{expression[c]} AS {c}" for c in wanted)
    joins = "JOIN complaint_point p ON p.inquiry_id = i.inquiry_id " if with_points else ""
    if themes:
        joins += "LEFT JOIN theme_tree th ON th.code = p.theme_code "
    if tree:
        joins += f"LEFT JOIN unit_tree ut ON ut.unit_id = {unit_expr} "
    params: list[object] = []
    if levels_read:
        levels, params = level_sql(con, f)
        joins += f"LEFT JOIN ({levels}) lv ON lv.unit_id = {unit_expr} "
    if "is_complaint" in wanted:
        joins += "LEFT JOIN category k ON k.kind = 'inquiry_kind' AND k.code = i.kind_code "
    conditions, where_params = where(con, f, "point" if with_points else "inquiry", span)
    params += where_params
    return f"SELECT {select} FROM inquiry i {joins}WHERE {conditions}", params  # noqa: S608 (fixed fragments; values are parameters)
