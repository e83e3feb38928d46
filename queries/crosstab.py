"""Krydstabel: any measure counted by one or two dimensions, with totals on both margins.

The table of dimensions (``queries.dimensions``) says, for each dimension, its Danish words and the SQL
expression that gives its code in each relation: the inquiry relation (inquiries, joined to
complaint points when a theme or the points are counted) and the decision relation
(Ankestyrelsen's decisions, unnested to remarks when remarks are counted or split by).

Counting rules (sample_data/FORMAT.md): henvendelser count distinct inquiries; klager
count distinct inquiries whose kind is a complaint; klagepunkter count complaint points (a point's
own unit where it has one); afgørelser count distinct decisions; bemærkninger count remark items
on decisions. Margins are counted, never summed, so an inquiry with two themes is one inquiry in
the total. Labels are attached after counting, so SQL groups by codes only.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, replace
from datetime import date
from typing import Any, Literal

import duckdb
import polars as pl

from data_model.labels import SMALL_N
from queries.dimensions import DIMENSIONS as ALL_DIMENSIONS
from queries.dimensions import NEEDS_POINTS, NOT_SET, Dimension
from queries.filters import FIELDS, Filters, where
from queries.filters import Relation as FilterRelation
from queries.periods import Span, resolve_span
from queries.suppression import suppress
from queries.units import LEVELS, descendants

NO_REMARK = "(ingen bemærkning)"
TOTAL = "I alt"
TREND_PERIODS = 5

Relation = Literal["inquiry", "decision"]
Share = Literal["row", "column"]

# unit levels (queries.units.LEVELS, top down); a municipality may skip one (then the nearest level
# above stands in)
LEVEL_WORDS: dict[str, str] = {"forvaltning": "Forvaltning", "omraade": "Område", "afdeling": "Afdeling"}
SHARE_SUFFIX = "andel, %"  # the header of a share column in the wide table: "<kolonne> (andel, %)"
SHARE_WORDS: dict[str, str] = {"row": "Andel af rækken", "column": "Andel af kolonnen"}


@dataclass(frozen=True)
class Measure:
    key: str
    words: str  # Danish, plural: the column header and "Tæller ..."
    relation: Relation
    count_sql: str  # over the facts aliased x


MEASURES: dict[str, Measure] = {
    m.key: m
    for m in (
        Measure("inquiries", "Henvendelser", "inquiry", "count(DISTINCT x.inquiry_id)"),
        Measure(
            "complaints", "Klager", "inquiry", "count(DISTINCT x.inquiry_id) FILTER (WHERE x.is_complaint)"
        ),
        Measure("complaint_points", "Klagepunkter", "inquiry", "count(x.point_id)"),
        Measure("appeal_decisions", "Afgørelser", "decision", "count(DISTINCT x.decision_id)"),
        Measure("appeal_remarks", "Bemærkninger", "decision", "count(x.remark_code)"),
    )
}


# The inquiry relation's aliases: i inquiry, p complaint_point, th theme_tree, ut the raw unit
# (org_unit), lv the unit at the chosen level, k the kind's category, rp report_period.
# The decision relation's: d appeal_decision, ut, lv, r the unnested remark, rp.
# The Krydstabel's dimensions: the rows of the dimension table that exist in one of them.
DIMENSIONS: tuple[Dimension, ...] = tuple(d for d in ALL_DIMENSIONS if d.inquiry or d.decision)
DIMENSION: dict[str, Dimension] = {d.key: d for d in DIMENSIONS}


def dimensions_for(measure: str) -> list[str]:
    """The dimensions a measure can be split by."""
    relation = MEASURES[measure].relation
    return [d.key for d in DIMENSIONS if getattr(d, relation) is not None]


@dataclass(frozen=True)
class CrossSpec:
    """What a cross-table shows. ``restrict`` narrows it beyond the shared filters:
    dimension key -> codes ("any of these"; a unit includes the units under it, a main theme
    its sub-themes), the way a report's table counts only complaints or only some case types."""

    rows: str
    columns: str | None = None
    measure: str = "inquiries"
    level: str = "forvaltning"
    share: Share | None = None
    threshold: int | None = None
    restrict: tuple[tuple[str, tuple[str, ...]], ...] = ()
    periods: int = TREND_PERIODS  # how many report periods a period dimension spans
    empty: bool = False  # also show rows/columns with nothing counted (every unit, category)

    def __post_init__(self) -> None:
        if not isinstance(self.rows, str):
            raise ValueError("Vælg, hvad rækkerne skal vise")
        if self.threshold is not None and (
            isinstance(self.threshold, bool) or not isinstance(self.threshold, int)
        ):
            raise ValueError("Grænsen for små tal skal være et helt tal")
        if isinstance(self.periods, bool) or not isinstance(self.periods, int) or not 1 <= self.periods <= 50:
            raise ValueError("Antal beretningsperioder skal være et helt tal fra 1 til 50")
        if self.measure not in MEASURES:
            raise ValueError(f"Ukendt mål: {self.measure}")
        allowed = dimensions_for(self.measure)
        for key in (self.rows, self.columns, *(k for k, _ in self.restrict)):
            if key is not None and key not in allowed:
                words = MEASURES[self.measure].words.lower()
                raise ValueError(
                    f"{DIMENSION[key].words if key in DIMENSION else key} kan ikke bruges med {words}"
                )
        if self.columns == self.rows:
            raise ValueError("Rækker og kolonner skal være to forskellige dimensioner")
        if self.level not in LEVELS:
            raise ValueError(f"Ukendt niveau: {self.level}")
        if self.share not in (None, "row", "column"):
            raise ValueError(f"Ukendt andel: {self.share}")
        if self.share == "column" and self.columns is None:
            object.__setattr__(self, "share", None)
        if self.threshold is not None and self.threshold < 2:
            raise ValueError("Grænsen for små tal skal være mindst 2")

    @property
    def restrictions(self) -> dict[str, tuple[str, ...]]:
        return dict(self.restrict)

    def with_(self, **changes: Any) -> CrossSpec:
        return replace(self, **changes)

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["restrict"] = {k: list(v) for k, v in self.restrict}
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> CrossSpec:
        known = {f for f in cls.__dataclass_fields__}
        values = {k: v for k, v in data.items() if k in known}
        restrict = values.pop("restrict", {}) or {}
        if isinstance(restrict, dict):
            restrict = restrict.items()
        pairs = []
        for key, codes in restrict:
            if isinstance(codes, str) or not isinstance(codes, list | tuple):
                raise ValueError(f"Afgrænsningen efter {key} skal være en liste af koder")
            if codes:
                pairs.append((str(key), tuple(str(c) for c in codes)))
        values["restrict"] = tuple(sorted(pairs))
        return cls(**values)

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, sort_keys=True)


def filter_restrictions(f: Filters) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """The filter's narrowing fields as a spec's own restrictions (for a saved template): each set
    field of the filter table that names a dimension (a sub-theme stands for its main theme)."""
    codes: dict[str, list[str]] = {}
    for row in FIELDS:
        value = getattr(f, row.name)
        if row.dimension and value:
            codes[row.dimension] = list(value) if row.many else [value]
    return make_restrict(**codes)


def make_restrict(**codes: list[str] | tuple[str, ...] | None) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """``make_restrict(kind=["klage"])`` -> the spec's restrict tuple (empty lists dropped)."""
    return tuple(sorted((k, tuple(v)) for k, v in codes.items() if v))


# --- the unit at a chosen level --------------------------------------------------------------

# For each unit: the first unit on its path from the top whose own level is the chosen level or
# finer, else the unit itself (the rule of the unit-level filter, queries.units.level_target on the
# levels branch). So a sub-afdeling counts in its afdeling, a forvaltning without områder shows its
# afdelinger at område level, and a unit above the level keeps what was registered on it directly.
_LEVEL_MAP = """
lv_param AS (SELECT ?::INTEGER AS rank),
lv_rank AS (SELECT * FROM (VALUES ('forvaltning', 0), ('omraade', 1), ('afdeling', 2)) t(level, rank)),
lv AS (
    SELECT u.unit_id,
        CASE
            WHEN coalesce(r3.rank, 2) >= lp.rank AND p3.unit_id IS NOT NULL THEN p3.unit_id
            WHEN coalesce(r2.rank, 2) >= lp.rank AND p2.unit_id IS NOT NULL THEN p2.unit_id
            WHEN coalesce(r1.rank, 2) >= lp.rank AND p1.unit_id IS NOT NULL THEN p1.unit_id
            ELSE u.unit_id
        END AS row_unit
    FROM org_unit u CROSS JOIN lv_param lp
    LEFT JOIN org_unit p1 ON p1.unit_id = u.parent_id
    LEFT JOIN org_unit p2 ON p2.unit_id = p1.parent_id
    LEFT JOIN org_unit p3 ON p3.unit_id = p2.parent_id
    LEFT JOIN lv_rank r1 ON r1.level = p1.level
    LEFT JOIN lv_rank r2 ON r2.level = p2.level
    LEFT JOIN lv_rank r3 ON r3.level = p3.level
)"""


def unit_at_level(con: duckdb.DuckDBPyConnection, level: str) -> dict[str, str]:
    """unit_id -> the unit that stands for it at ``level`` (see ``_LEVEL_MAP``)."""
    rows = con.execute(
        f"WITH {_LEVEL_MAP} SELECT unit_id, row_unit FROM lv",  # noqa: S608 (fixed text)
        [LEVELS.index(level)],
    ).fetchall()
    return {str(a): str(b) for a, b in rows}


# --- the facts ---------------------------------------------------------------------------------


def _themes_with_children(con: duckdb.DuckDBPyConnection, codes: list[str]) -> list[str]:
    rows = con.execute(
        "SELECT code FROM theme_tree WHERE list_contains(?::VARCHAR[], code) OR list_contains(?::VARCHAR[], main_code)",
        [codes, codes],
    ).fetchall()
    return sorted({str(r[0]) for r in rows} | set(codes))


def _units_under(con: duckdb.DuckDBPyConnection, codes: list[str]) -> list[str]:
    return sorted({u for code in codes for u in descendants(con, code)})


def period_span(con: duckdb.DuckDBPyConnection, f: Filters, span: Span | None, count: int) -> Span | None:
    """For a split by report period: from the start of the ``count``-th last period of the
    municipality up to the end of the shown span."""
    if span is None or not f.municipality:
        return span
    rows = con.execute(
        "SELECT min(start_date) FROM (SELECT start_date FROM report_period WHERE municipality_code = ? "
        "AND start_date <= ? ORDER BY start_date DESC LIMIT ?)",
        [f.municipality, span.start, count],
    ).fetchall()
    start = rows[0][0] if rows and rows[0][0] else span.start
    return Span(min(start, span.start), span.end, span.label)


def _facts(
    con: duckdb.DuckDBPyConnection, f: Filters, spec: CrossSpec, span: Span | None
) -> tuple[str, list[object]]:
    """The facts of the spec's relation under the filters and restrictions, with one column
    ``c_<dimension>`` per dimension used, plus the ids the measure counts."""
    measure = MEASURES[spec.measure]
    used = [d for d in (spec.rows, spec.columns) if d]
    restrict = spec.restrictions
    keys = set(used) | set(restrict)
    if "period" in used:
        span = period_span(con, f, span, spec.periods)
    if measure.relation == "inquiry":
        points = (
            spec.measure == "complaint_points"
            or bool(keys & NEEDS_POINTS)
            or bool(f.main_theme or f.sub_theme)
        )
        relation: FilterRelation = "point" if spec.measure == "complaint_points" else "inquiry"
        raw_unit = "coalesce(p.unit_id, i.unit_id)" if relation == "point" else "i.unit_id"
        date_col, muni_col = "i.received", "i.municipality_code"
        source = (
            "FROM inquiry i "
            + (
                "JOIN complaint_point p ON p.inquiry_id = i.inquiry_id LEFT JOIN theme_tree th ON th.code = p.theme_code "
                if points
                else ""
            )
            + "LEFT JOIN category k ON k.kind = 'inquiry_kind' AND k.code = i.kind_code "
        )
        ids = "i.inquiry_id, coalesce(k.is_complaint, false) AS is_complaint, " + (
            "p.point_id" if points else "NULL::VARCHAR AS point_id"
        )
    else:
        remarks = spec.measure == "appeal_remarks" or "remark" in used
        relation = "decision"
        raw_unit = "d.unit_id"
        date_col, muni_col = "d.decided", "d.municipality_code"
        # a decision without remarks keeps one row (remark NULL) so it is still counted
        source = "FROM appeal_decision d " + (
            ", unnest(CASE WHEN len(d.remark_codes) = 0 THEN [NULL::VARCHAR] ELSE d.remark_codes END) AS r(code) "
            if remarks
            else ""
        )
        ids = "d.decision_id, " + ("r.code AS remark_code" if remarks else "NULL::VARCHAR AS remark_code")
    source += f"LEFT JOIN org_unit ut ON ut.unit_id = {raw_unit} LEFT JOIN lv ON lv.unit_id = {raw_unit} " + (
        f"LEFT JOIN report_period rp ON rp.municipality_code = {muni_col} AND {date_col} BETWEEN rp.start_date AND rp.end_date "
        if "period" in keys
        else ""
    )
    conditions, params = where(con, f, relation, span)
    where_sql = [conditions]
    for key, codes in spec.restrict:
        values = list(codes)
        if key == "unit":
            where_sql.append(f"list_contains(?::VARCHAR[], {raw_unit})")
            params.append(_units_under(con, values))
        elif key == "theme":
            where_sql.append("list_contains(?::VARCHAR[], p.theme_code)")
            params.append(_themes_with_children(con, values))
        elif key == "remark" and spec.measure == "appeal_decisions" and "remark" not in used:
            where_sql.append("len(list_intersect(d.remark_codes, ?::VARCHAR[])) > 0")
            params.append(values)
        else:
            expr = getattr(DIMENSION[key], measure.relation)
            where_sql.append(f"list_contains(?::VARCHAR[], {expr})")
            params.append(values)
    if "period" in used and span is not None:
        where_sql.append("rp.period_id IS NOT NULL")
    if spec.measure == "complaints":
        where_sql.append("coalesce(k.is_complaint, false)")
    columns = ", ".join(f"{getattr(DIMENSION[d], measure.relation)} AS c_{d}" for d in used)
    sql = f"SELECT {ids}, {columns} {source}WHERE " + " AND ".join(where_sql)
    return sql, params


def _counts(con: duckdb.DuckDBPyConnection, f: Filters, spec: CrossSpec, span: Span | None) -> pl.DataFrame:
    facts, params = _facts(con, f, spec, span)
    measure = MEASURES[spec.measure]
    r = "x.c_" + spec.rows
    if spec.columns:
        c = "x.c_" + spec.columns
        sets = f"GROUPING SETS (({r}, {c}), ({r}), ({c}), ())"
        cols = f"{r} AS row_code, {c} AS col_code, grouping({r}) = 1 AS row_total, grouping({c}) = 1 AS col_total"
    else:
        sets = f"GROUPING SETS (({r}), ())"
        cols = (
            f"{r} AS row_code, NULL::VARCHAR AS col_code, grouping({r}) = 1 AS row_total, TRUE AS col_total"
        )
    return con.sql(
        f"WITH {_LEVEL_MAP}, facts AS ({facts}) "  # noqa: S608
        f"SELECT {cols}, {measure.count_sql}::BIGINT AS count FROM facts x GROUP BY {sets}",
        params=[LEVELS.index(spec.level), *params],
    ).pl()


def all_codes(con: duckdb.DuckDBPyConnection, f: Filters, spec: CrossSpec, dimension: str) -> list[str]:
    """Every code a dimension can show under the filters (for rows and columns of zeros)."""
    restricted = spec.restrictions.get(dimension)
    if restricted:
        return list(restricted)
    source = DIMENSION[dimension].labels
    if source.startswith("category:"):
        rows = con.execute("SELECT code FROM category WHERE kind = ?", [source.split(":", 1)[1]]).fetchall()
    elif source == "unit":
        in_filter, params = where(con, f, "org_unit", only=("municipalities", "unit_id"))
        rows = con.execute(
            f"WITH {_LEVEL_MAP} SELECT DISTINCT lv.row_unit FROM lv JOIN org_unit u ON u.unit_id = lv.unit_id "  # noqa: S608
            f"WHERE {in_filter}",
            [LEVELS.index(spec.level), *params],
        ).fetchall()
    elif source == "theme":
        column = "main_code" if dimension == "main_theme" else "code"
        in_filter, params = where(con, f, "theme", only=("municipalities",))
        rows = con.execute(
            f"SELECT DISTINCT tt.{column} FROM theme_tree tt JOIN theme t ON t.code = tt.code WHERE {in_filter}",  # noqa: S608
            params,
        ).fetchall()
    else:
        return []
    return [str(r[0]) for r in rows]


def _with_empty(
    con: duckdb.DuckDBPyConnection, f: Filters, spec: CrossSpec, counts: pl.DataFrame
) -> pl.DataFrame:
    """Add a zero margin for every code of the rows (and columns) nobody was counted in."""
    extra = []
    for dim, code_col, total_col in (
        (spec.rows, "row_code", "row_total"),
        (spec.columns, "col_code", "col_total"),
    ):
        if dim is None:
            continue
        present = set(counts.filter(~pl.col(total_col))[code_col].to_list())
        missing = [c for c in all_codes(con, f, spec, dim) if c not in present]
        if missing:
            other_code, other_total = (
                ("col_code", "col_total") if code_col == "row_code" else ("row_code", "row_total")
            )
            extra.append(
                pl.DataFrame(
                    {
                        code_col: missing,
                        other_code: [None] * len(missing),
                        total_col: [False] * len(missing),
                        other_total: [True] * len(missing),
                        "count": [0] * len(missing),
                    },
                    schema={
                        code_col: pl.Utf8,
                        other_code: pl.Utf8,
                        total_col: pl.Boolean,
                        other_total: pl.Boolean,
                        "count": pl.Int64,
                    },
                ).select(counts.columns)
            )
    if not extra:
        return counts
    if counts.is_empty():
        return pl.concat(extra, how="vertical_relaxed")
    return pl.concat([counts, *extra], how="vertical_relaxed")


def _complete(counts: pl.DataFrame) -> pl.DataFrame:
    """Every row with every column: a combination nobody has is a 0, not a missing cell."""
    if counts.is_empty():
        return counts
    keys_r = counts.select("row_code", "row_total").unique()
    keys_c = counts.select("col_code", "col_total").unique()
    grid = keys_r.join(keys_c, how="cross")
    return grid.join(
        counts, on=["row_code", "row_total", "col_code", "col_total"], how="left", nulls_equal=True
    ).with_columns(pl.col("count").fill_null(0))


# --- labels and order --------------------------------------------------------------------------


def _labeller(
    con: duckdb.DuckDBPyConnection, dimension: str
) -> dict[str | None, tuple[str, tuple[Any, ...]]]:
    """code -> (Danish label, sort key) for every code the dimension can take."""
    source = DIMENSION[dimension].labels
    out: dict[str | None, tuple[str, tuple[Any, ...]]] = {}
    if source.startswith("category:"):
        kind = source.split(":", 1)[1]
        for code, label, order in con.execute(
            "SELECT code, label, sort_order FROM category WHERE kind = ?", [kind]
        ).fetchall():
            out[str(code)] = (str(label), (0, order, str(label)))
    elif source == "unit":
        for unit, name, level, top, depth in con.execute(
            "SELECT u.unit_id, u.name, u.level, t.top_name, t.depth FROM org_unit u "
            "JOIN unit_tree t ON t.unit_id = u.unit_id"
        ).fetchall():
            out[str(unit)] = (str(name), (0, str(top), depth, str(name)), str(level))  # type: ignore[assignment]
    elif source == "theme":
        for code, name, main_name, is_main in con.execute(
            "SELECT code, name, main_name, code = main_code FROM theme_tree"
        ).fetchall():
            out[str(code)] = (str(name), (0, str(main_name), not is_main, str(name)))
    elif source == "period":
        for period, label, start in con.execute(
            "SELECT period_id, label, start_date FROM report_period"
        ).fetchall():
            out[str(period)] = (str(label), (0, start, str(label)))
    out[None] = (NO_REMARK if dimension == "remark" else NOT_SET, (1, ""))
    return out


def _labels(
    con: duckdb.DuckDBPyConnection, dimension: str, codes: list[str | None]
) -> dict[str | None, tuple[str, int]]:
    """code -> (label, order) for the codes present; two units with one name get their level."""
    known = _labeller(con, dimension)
    found = {c: known.get(c, (str(c), (0, str(c)))) for c in codes}
    labels = {c: v[0] for c, v in found.items()}
    if dimension == "unit":
        seen: dict[str, int] = {}
        for label in labels.values():
            seen[label] = seen.get(label, 0) + 1
        for code, value in found.items():
            if seen[labels[code]] > 1 and len(value) > 2:
                labels[code] = f"{labels[code]} ({LEVEL_WORDS.get(value[2], value[2]).lower()})"  # type: ignore[misc]
    ordered = sorted(found, key=lambda c: found[c][1])
    return {c: (labels[c], i) for i, c in enumerate(ordered)}


def _label_columns(side: str, labels: dict[str | None, tuple[str, int]]) -> list[pl.Expr]:
    """<side>_label and <side>_order from the codes (the total last, as 'I alt')."""
    code, total = f"{side}_code", f"{side}_total"

    def pick(index: int, at_total: str | int) -> pl.Expr:
        return pl.struct(code, total).map_elements(
            lambda s: at_total if s[total] else labels[s[code]][index],
            return_dtype=pl.Utf8 if index == 0 else pl.Int64,
        )

    return [pick(0, TOTAL).alias(f"{side}_label"), pick(1, len(labels)).alias(f"{side}_order")]


def crosstab(
    con: duckdb.DuckDBPyConnection,
    f: Filters,
    spec: CrossSpec,
    span: Span | None = None,
    *,
    today: date | None = None,
) -> pl.DataFrame:
    """The cross-table of ``spec`` under the filters ``f`` (span: the filter's period unless given).

    One row per cell, margins included. Columns: row_code, row_label, row_order, col_code,
    col_label, col_order, row_total, col_total (the cell is a margin), count, share (of the row's
    or column's total, when the spec asks), small (a count from 1 to SMALL_N-1) and, with a
    threshold, suppressed (counts 1..threshold-1 are null). A table without columns has one
    column, the total.
    """
    shown = span if span is not None else resolve_span(con, f, today)
    counts = _counts(con, f, spec, shown)
    if spec.empty:
        counts = _with_empty(con, f, spec, counts)
    counts = _complete(counts)
    rows = _labels(con, spec.rows, counts.filter(~pl.col("row_total"))["row_code"].unique().to_list())
    cols = (
        _labels(con, spec.columns, counts.filter(~pl.col("col_total"))["col_code"].unique().to_list())
        if spec.columns
        else {}
    )
    frame = counts.with_columns(
        *_label_columns("row", rows),
        *_label_columns("col", cols),
    )
    if frame.is_empty():
        frame = frame.with_columns(pl.lit(None, pl.Float64).alias("share"))
    elif spec.share == "row":
        totals = frame.filter(pl.col("col_total")).select(
            "row_code", "row_total", pl.col("count").alias("base")
        )
        frame = frame.join(totals, on=["row_code", "row_total"], how="left", nulls_equal=True).with_columns(
            (pl.col("count") / pl.col("base")).alias("share")
        )
    elif spec.share == "column":
        totals = frame.filter(pl.col("row_total")).select(
            "col_code", "col_total", pl.col("count").alias("base")
        )
        frame = frame.join(totals, on=["col_code", "col_total"], how="left", nulls_equal=True).with_columns(
            (pl.col("count") / pl.col("base")).alias("share")
        )
    else:
        frame = frame.with_columns(pl.lit(None, pl.Float64).alias("share"))
    frame = frame.with_columns(((pl.col("count") > 0) & (pl.col("count") < SMALL_N)).alias("small")).select(
        "row_code",
        "row_label",
        "row_order",
        "col_code",
        "col_label",
        "col_order",
        "row_total",
        "col_total",
        "count",
        pl.col("share").cast(pl.Float64),
        "small",
    )
    frame = frame.sort("row_order", "col_order")
    if spec.threshold:
        frame = suppress(frame, ["count"], ["share"], spec.threshold)
    return frame


def cell(frame: pl.DataFrame, row: str | None = None, column: str | None = None) -> int | None:
    """The count in the cell of row code ``row`` and column code ``column`` (None: the total)."""
    selected = frame.filter(
        (pl.col("row_total") if row is None else (~pl.col("row_total") & (pl.col("row_code") == row)))
        & (pl.col("col_total") if column is None else (~pl.col("col_total") & (pl.col("col_code") == column)))
    )
    if selected.is_empty():
        return 0 if (row is None and column is None) else None
    value = selected["count"][0]
    return None if value is None else int(value)


def wide(frame: pl.DataFrame, spec: CrossSpec, *, with_share: bool = False) -> pl.DataFrame:
    """Rows down, columns across, ``I alt`` last both ways: the table as a report prints it.

    The first column is named after the rows' dimension; with ``with_share`` each count column
    is followed by its share in percent (``<kolonne> (andel, %)``).
    """
    row_header = row_header_words(spec)
    if frame.is_empty():
        return pl.DataFrame({row_header: [], TOTAL: []}, schema={row_header: pl.Utf8, TOTAL: pl.Int64})
    col_labels = (
        frame.sort("col_order").select("col_label").unique(maintain_order=True)["col_label"].to_list()
    )
    values = ["count", "share"] if with_share and spec.share else ["count"]
    if "share" in values and frame["share"].dtype.is_float():  # in percent, as printed
        frame = frame.with_columns((pl.col("share") * 100).round(1))
    table = frame.sort("row_order").pivot(
        on="col_label", index=["row_order", "row_label"], values=values, aggregate_function="first"
    )
    ordered = ["row_label"]
    renamed = {"row_label": row_header}
    for label in col_labels:
        if len(values) == 1:
            ordered.append(label)
        else:
            ordered += [f"count_{label}", f"share_{label}"]
            renamed[f"count_{label}"] = label
            renamed[f"share_{label}"] = f"{label} ({SHARE_SUFFIX})"
    if spec.columns is None and len(values) == 1:
        renamed[TOTAL] = MEASURES[spec.measure].words
    return table.sort("row_order").select(ordered).rename(renamed)


def period_words(spec: CrossSpec, label: str) -> str:
    """The span a table covers in words: a split by report period reaches back before ``label``."""
    if "period" in (spec.rows, spec.columns):
        return f"de seneste {spec.periods} beretningsperioder til og med {label}"
    return label


def row_header_words(spec: CrossSpec) -> str:
    return LEVEL_WORDS[spec.level] if spec.rows == "unit" else DIMENSION[spec.rows].words


def column_header_words(spec: CrossSpec) -> str | None:
    if spec.columns is None:
        return None
    return LEVEL_WORDS[spec.level] if spec.columns == "unit" else DIMENSION[spec.columns].words


def title_words(spec: CrossSpec) -> str:
    """'Klager pr. forvaltning og tema' and the like."""
    parts = [row_header_words(spec).lower()]
    if spec.columns:
        parts.append(str(column_header_words(spec)).lower())
    return f"{MEASURES[spec.measure].words} pr. {' og '.join(parts)}"


def restriction_words(con: duckdb.DuckDBPyConnection, spec: CrossSpec) -> str:
    """The spec's own restrictions in words ('Sagstype: Dialogsag, Oversendelsessag')."""
    parts = []
    for key, codes in spec.restrict:
        labels = _labeller(con, key)
        names = [labels.get(c, (c,))[0] for c in codes]
        parts.append(f"{DIMENSION[key].words}: {', '.join(names)}")
    return " · ".join(parts)
