"""Where a published figure sits in a municipality's template: the cell named by its codes.

A figure restricts its measure by code columns (sample_data/FORMAT.md). In a cross-table item
of the template each such code is either the item's row or column (the cell with that code;
a unit at its own level) or one of the item's own restrictions (the same set of codes, read at
the margin); every dimension of the item the figure does not name is read at its total. A figure
of another report period than the pack's is read in the row or column of that period.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import duckdb
import polars as pl

from queries.crosstab import CrossSpec, cell, crosstab
from queries.filters import Filters
from queries.published_check import EXPRESSIBLE
from queries.units import descendants
from report_pack.resolve import period_by_id
from report_pack.template import TemplateItem

FIELDS = {
    "unit_id": "unit",
    "kind_code": "kind",
    "case_type_code": "case_type",
    "outcome_code": "outcome",
    "legal_effect_code": "legal_effect",
    "appeal_outcome_code": "appeal_outcome",
    "law_area_code": "law_area",
    "remark_code": "remark",
}


def expressible(figure: dict[str, Any]) -> bool:
    return figure["measure"] in EXPRESSIBLE and figure["value_unit"] == "count"


def _codes(value: Any) -> tuple[str, ...]:
    return tuple(sorted(c for c in str(value).split(";") if c)) if value else ()


def alternatives(
    con: duckdb.DuckDBPyConnection, figure: dict[str, Any]
) -> list[tuple[str, dict[str, tuple[str, ...]]]]:
    """(measure, dimension -> codes) readings of a figure. A main theme without sub-themes reads
    the same as a theme or a main theme; complaints are inquiries of a complaint kind."""
    base: dict[str, tuple[str, ...]] = {}
    for column, dimension in FIELDS.items():
        if codes := _codes(figure.get(column)):
            base[dimension] = codes
    readings = [base]
    if themes := _codes(figure.get("theme_code")):
        mains = {
            str(r[0])
            for r in con.execute(
                "SELECT code FROM theme WHERE parent_code IS NULL AND list_contains(?, code)", [list(themes)]
            ).fetchall()
        }
        parents = {
            str(r[0])
            for r in con.execute(
                "SELECT DISTINCT parent_code FROM theme WHERE list_contains(?, parent_code)", [list(themes)]
            ).fetchall()
        }
        readings = []
        if all(t in mains for t in themes):
            readings.append(base | {"main_theme": themes})
        if not parents & set(themes) or not readings:
            readings.append(base | {"theme": themes})
    out = [(figure["measure"], r) for r in readings]
    if figure["measure"] == "complaints":
        complaint_kinds = {
            str(r[0])
            for r in con.execute(
                "SELECT code FROM category WHERE kind = 'inquiry_kind' AND is_complaint"
            ).fetchall()
        }
        for reading in readings:
            kinds = tuple(sorted(set(reading.get("kind", complaint_kinds)) & complaint_kinds))
            if kinds:
                out.append(("inquiries", reading | {"kind": kinds}))
            if "kind" in reading and set(kinds) == complaint_kinds:  # "complaints of kind klage"
                out.append(("complaints", {k: v for k, v in reading.items() if k != "kind"}))
    return out


@dataclass
class Found:
    item: int  # 1-based position in the template
    row: str | None
    column: str | None
    value: int | None


def coordinates(
    spec: CrossSpec, wanted: dict[str, tuple[str, ...]], under: Callable[[str], set[str]] = lambda c: {c}
) -> tuple[str | None, str | None] | None:
    """(row code, column code; None = the total) of the figure in the item, or None when the
    item cannot hold it: a code the item neither splits by nor restricts to exactly."""
    needed = dict(wanted)
    restrict = {k: tuple(sorted(v)) for k, v in spec.restrictions.items()}
    used = [d for d in (spec.rows, spec.columns) if d]
    coordinate: dict[str, str | None] = {}
    for dim in used:
        codes = needed.pop(dim, None)
        allowed = restrict.get(dim)
        if codes is None:
            if allowed:
                return None
            coordinate[dim] = None
        elif len(codes) == 1 and (allowed is None or any(codes[0] in under(a) for a in allowed)):
            coordinate[dim] = codes[0]
        elif allowed == codes:
            coordinate[dim] = None
        else:
            return None
    for dim, allowed in restrict.items():
        if dim not in used and needed.pop(dim, None) != allowed:
            return None
    if needed:
        return None
    return coordinate[spec.rows], coordinate[spec.columns] if spec.columns else None


def locate(
    con: duckdb.DuckDBPyConnection,
    figure: dict[str, Any],
    template: list[TemplateItem],
    pack_period: str,
    tables: dict[int, pl.DataFrame],
) -> Found | None:
    """The first template item whose cell for the figure holds the printed value."""
    readings = alternatives(con, figure)
    for index, item in enumerate(template, start=1):
        spec = item.spec
        if spec is None or spec.threshold:
            continue
        for measure, wanted in readings:
            if spec.measure != measure:
                continue
            if "period" in (spec.rows, spec.columns):
                wanted = wanted | {"period": (figure["period_id"],)}
            elif figure["period_id"] != pack_period:
                continue
            where = coordinates(spec, wanted, lambda unit: set(descendants(con, unit)))
            if where is None:
                continue
            if index not in tables:
                tables[index] = table_for(con, spec, pack_period)
            value = cell(tables[index], *where)
            if value == int(float(figure["value"])):
                return Found(index, where[0], where[1], value)
    return None


def table_for(con: duckdb.DuckDBPyConnection, spec: CrossSpec, period_id: str) -> pl.DataFrame:
    period = period_by_id(con, period_id)
    f = Filters(municipalities=(period.municipality_code,), period_id=period_id)
    return crosstab(con, f, spec, period.span)
