"""Inquiry and complaint-point queries: trends, year over year, breakdowns, key figures, rows."""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass
from datetime import date, timedelta

import duckdb
import polars as pl

from data_model.labels import MONTHS_SHORT, SMALL_N
from queries.dimensions import DIMENSION, NEEDS_POINTS, NOT_SET
from queries.facts import facts_sql, joins_points
from queries.fetch import frame as query_frame
from queries.filters import FIELDS, Filters, Grain, Relation, where
from queries.periods import Span, comparable_spans, coverage_start, report_periods


def count_expr(f: Filters, with_points: bool | None = None) -> str:
    """The count for the filter's unit; without points the facts hold one row per inquiry, so a
    plain count(*) is enough (and much cheaper than count(DISTINCT))."""
    if not joins_points(f, with_points):
        return "count(*)"
    return "count(point_id)" if f.count_unit == "points" else "count(DISTINCT inquiry_id)"


def complaints_expr(f: Filters, with_points: bool | None = None) -> str:
    if not joins_points(f, with_points):
        return "count(*) FILTER (WHERE x.is_complaint)"
    return "count(DISTINCT x.inquiry_id) FILTER (WHERE x.is_complaint)"


def _dimension_select(dimension: str) -> tuple[str, str, str]:
    """(code expression, label expression, extra join) over the facts aliased ``x``."""
    row = DIMENSION[dimension]
    if row.facts is None:
        raise KeyError(f"{dimension} is not a column of the facts")
    code = f"x.{row.facts}"
    if row.labels == "municipality":
        return code, "m.name", f"LEFT JOIN municipality m ON m.code = {code} "
    if row.labels.startswith("category:"):
        kind = row.labels.removeprefix("category:")
        return (
            code,
            f"coalesce(c.label, {code})",
            f"LEFT JOIN category c ON c.kind = '{kind}' AND c.code = {code} ",
        )
    return code, f"x.{row.facts_label}", ""


def _needs_points(f: Filters, dimension: str | None) -> bool | None:
    return True if dimension in NEEDS_POINTS else None


# the facts' columns every count reads (cheap: the inquiry's own, and the kind's is_complaint)
COUNTED = ("inquiry_id", "point_id", "municipality_code", "received", "kind_code", "is_complaint")


def _columns(dimension: str | None) -> dict[str, tuple[str, ...]]:
    """The columns of the facts (``facts_sql``) a count grouped by ``dimension`` reads."""
    row = DIMENSION.get(dimension or "")
    own = tuple(c for c in (row.facts, row.facts_label) if c) if row else ()
    return {"columns": (*COUNTED, *own)}


ONLY_COUNTED = _columns(None)


def breakdown(con: duckdb.DuckDBPyConnection, f: Filters, span: Span | None, dimension: str) -> pl.DataFrame:
    """Counts per value of one dimension, with complaints and each value's share of the total.

    Columns: code, label, count, complaints, share, n (the total the share is of: counted once,
    so an inquiry with two themes is one inquiry in n).
    """
    points = _needs_points(f, dimension)
    facts, params = facts_sql(
        con, f, span, with_points=points, by_unit=dimension == "unit", **_columns(dimension)
    )
    code, label, join = _dimension_select(dimension)
    counted = count_expr(f, points)
    # a count of rows adds up over the groups (each row is in one); a count of distinct
    # inquiries does not (an inquiry with two themes is in two), so its total is its own set
    additive = not counted.startswith("count(DISTINCT")
    grouping = f"({code}, {label})" if additive else f"GROUPING SETS (({code}, {label}), ())"
    is_total = "false" if additive else f"grouping({code}) = 1"
    frame = query_frame(
        con,
        f"SELECT {code} AS code, coalesce({label}, '{NOT_SET}') AS label, "  # noqa: S608
        f"{counted}::BIGINT AS count, {complaints_expr(f, points)}::BIGINT AS complaints, "
        f"{is_total} AS is_total "
        f"FROM ({facts}) x {join}GROUP BY {grouping} ORDER BY count DESC, label",
        params,
    )
    if additive:
        total = int(frame["count"].sum())
    else:
        totals = frame.filter(pl.col("is_total"))
        total = int(totals["count"][0]) if totals.height else 0
    return (
        frame.filter(~pl.col("is_total"))
        .drop("is_total")
        .with_columns(
            (pl.col("count") / total if total else pl.lit(None, pl.Float64)).alias("share"),
            pl.lit(total, pl.Int64).alias("n"),
        )
    )


def unit_table(con: duckdb.DuckDBPyConnection, f: Filters, span: Span | None) -> pl.DataFrame:
    """Department > unit at the filter's unit level: inquiries, complaints and complaint share, like
    the reports' tables; ``label`` names the row without ever repeating another row's label."""
    facts, params = facts_sql(
        con,
        f,
        span,
        with_points=False,
        by_unit=True,
        columns=("is_complaint", "unit_id", "unit_name", "department_id", "department_name"),
    )
    return query_frame(
        con,
        "SELECT coalesce(department_name, ?) AS department, coalesce(unit_name, ?) AS unit, unit_id, "  # noqa: S608
        "count(*)::BIGINT AS inquiries, "  # one row per inquiry: no points joined
        "(count(*) FILTER (WHERE is_complaint))::BIGINT AS complaints, "
        "complaints / nullif(inquiries, 0) AS complaint_share, "
        "CASE WHEN unit_id IS NOT DISTINCT FROM department_id THEN unit ELSE department || ' › ' || unit END AS label "
        f"FROM ({facts}) x GROUP BY department, unit, unit_id, department_id "
        "ORDER BY department, inquiries DESC, unit",
        [NOT_SET, NOT_SET, *params],
    )


_BUCKETS = {
    "month": "date_trunc('month', x.received)",
    "quarter": "date_trunc('quarter', x.received)",
    "year": "date_trunc('year', x.received)",
}


def _bucket_sql(f: Filters) -> tuple[str, str, str]:
    """(bucket expression, bucket label expression, extra join); ``f.grain`` must be resolved."""
    if f.grain == "period":
        join = (
            "JOIN report_period rp ON rp.municipality_code = x.municipality_code "
            "AND x.received BETWEEN rp.start_date AND rp.end_date "
        )
        return "rp.start_date", "rp.label", join
    return _BUCKETS[f.grain or "year"], "NULL::VARCHAR", ""


_BUCKET_MONTHS = {"month": 1, "quarter": 3, "year": 12}


def bucket_end(grain: str, day: date) -> date:
    months = day.month - 1 + _BUCKET_MONTHS[grain]
    return date(day.year + months // 12, months % 12 + 1, 1) - timedelta(days=1)


def bucket_label(grain: str, day: object) -> str:
    if grain == "month":
        return f"{MONTHS_SHORT[day.month - 1]} {day.year}"  # type: ignore[attr-defined]
    if grain == "quarter":
        return f"K{(day.month - 1) // 3 + 1} {day.year}"  # type: ignore[attr-defined]
    return str(day.year)  # type: ignore[attr-defined]


def _months(start: date, end: date) -> int:
    """Whole months from ``start`` to ``end`` (a month begun counts when most of it is covered)."""
    return max(0, round(((end - start).days + 1) / 30.44))


def bucket_mark(start: date, end: date, grain: str, first: date | None, today: date) -> str:
    """Why a bucket is not a whole one, in words for its label ('' when it is whole):
    '(foreløbig)' while it runs, '(delvis: 8 mdr.)' when records or the report period cover only
    part of it, '(første år)' for the first year (or report period) on record, a start-up year."""
    if end >= today:
        return " (foreløbig)"
    covered_from = max(start, first) if first else start
    full = 12 if grain == "period" else _BUCKET_MONTHS[grain]
    months = _months(covered_from, end)
    if months < full:
        return f" (delvis: {months} mdr.)"
    if grain in ("year", "period") and first and start <= first <= end:
        return " (første år)"
    return ""


def _label_buckets(
    con: duckdb.DuckDBPyConnection, f: Filters, frame: pl.DataFrame, grain: str, today: date | None
) -> pl.DataFrame:
    """Danish bucket labels, each saying when its bucket is not a whole one (``bucket_mark``), so a
    running year, a partial first period or a start-up year is not read as a rise or a fall.
    Adds ``partial`` (True for such buckets)."""
    cutoff = today or date.today()
    periods = report_periods(con, f)
    first = coverage_start(con, f, periods)
    if grain == "period":
        ends: dict[date, date] = {}
        for start, end, _label in periods:
            ends[start] = max(end, ends.get(start, end))
        marks = [
            bucket_mark(d, ends.get(d, d), grain, first, cutoff) if d else ""
            for d in frame["bucket"].to_list()
        ]
        labels = [
            str(label) + mark for label, mark in zip(frame["bucket_label"].to_list(), marks, strict=True)
        ]
    else:
        marks = [
            bucket_mark(d, bucket_end(grain, d), grain, first, cutoff) for d in frame["bucket"].to_list()
        ]
        labels = [
            bucket_label(grain, d) + mark for d, mark in zip(frame["bucket"].to_list(), marks, strict=True)
        ]
    return frame.with_columns(
        pl.Series("bucket_label", labels, dtype=pl.Utf8),
        pl.Series("partial", [bool(m) for m in marks], dtype=pl.Boolean),
    )


def effective_grain(con: duckdb.DuckDBPyConnection, f: Filters) -> Grain:
    """The filter's time grain, or by default the report period where the municipality's periods
    are mostly not calendar years (Albertslund's April–March), else the calendar year."""
    if f.grain:
        return f.grain
    if not f.municipality:
        return "year"
    row = con.execute(
        "SELECT count(*) FILTER (WHERE month(start_date) <> 1 OR day(start_date) <> 1), count(*) "
        "FROM report_period WHERE municipality_code = ?",
        [f.municipality],
    ).fetchall()
    return "period" if row and row[0][0] * 2 > row[0][1] else "year"


def trend(
    con: duckdb.DuckDBPyConnection, f: Filters, span: Span | None, today: date | None = None
) -> pl.DataFrame:
    """Counts per time bucket (``f.grain``), split by ``f.split``.

    Columns: bucket (date), bucket_label, series, count, partial (``bucket_mark``), small (count
    under SMALL_N).
    """
    f = f.with_(grain=effective_grain(con, f))
    split = None if f.split == "none" else f.split
    facts, params = facts_sql(
        con, f, span, with_points=_needs_points(f, split), by_unit=split == "unit", **_columns(split)
    )
    bucket, label, bucket_join = _bucket_sql(f)
    if split:
        _code, group_label, join = _dimension_select(split)
        group = f"coalesce({group_label}, '{NOT_SET}')"
    else:
        group, join = "'I alt'", ""
    frame = query_frame(
        con,
        f"SELECT {bucket}::DATE AS bucket, {label} AS bucket_label, {group} AS series, "  # noqa: S608
        f"{count_expr(f, _needs_points(f, split))}::BIGINT AS count FROM ({facts}) x {bucket_join}{join}"
        "GROUP BY ALL ORDER BY bucket, series",
        params,
    )
    frame = _label_buckets(con, f, frame, f.grain, today)
    return frame.with_columns((pl.col("count") < SMALL_N).alias("small"))


# Kinds that are not citizens' own inquiries. The reports' complaint share is of the citizen
# inquiries (Haderslev 2024: 182 complaints of 335 citizen inquiries, not of all 385).
NON_CITIZEN_KINDS = ("intern", "egen_drift")
SHARE_BASE_WORDS = "Klager i procent af borgerhenvendelser (uden interne henvendelser)"
NO_SHARE_WORDS = (
    "Klageandelen vises ikke: alle henvendelser er registreret som klager, så andelen siger intet."
)


def _share_meaning(con: duckdb.DuckDBPyConnection, among: tuple[str, ...]) -> dict[str, bool]:
    """Per municipality with records (of ``among``; empty: all): whether its records hold citizen
    inquiries that are not complaints, i.e. whether a complaint share means something there."""
    in_filter, params = where(con, Filters(municipalities=among), "inquiry", only=("municipalities",))
    return {
        str(m): bool(meaningful)
        for m, meaningful in con.execute(
            "SELECT i.municipality_code, bool_or(NOT coalesce(k.is_complaint, false) "  # noqa: S608
            "AND NOT list_contains(?::VARCHAR[], i.kind_code)) FROM inquiry i "
            "LEFT JOIN category k ON k.kind = 'inquiry_kind' AND k.code = i.kind_code "
            f"WHERE {in_filter} GROUP BY 1",
            [list(NON_CITIZEN_KINDS), *params],
        ).fetchall()
    }


def share_municipalities(con: duckdb.DuckDBPyConnection, among: tuple[str, ...] = ()) -> list[str]:
    """Municipalities (of ``among``; empty: all) whose records hold citizen inquiries that are not
    complaints. Where every inquiry is a complaint by registration (Albertslund records complaints
    only), a complaint share says nothing and is not shown."""
    return sorted(m for m, meaningful in _share_meaning(con, among).items() if meaningful)


def complaint_only_municipalities(con: duckdb.DuckDBPyConnection, among: tuple[str, ...] = ()) -> list[str]:
    """The other municipalities with records: the share means nothing there (usually none, so the
    share's condition needs no per-row municipality test)."""
    return sorted(m for m, meaningful in _share_meaning(con, among).items() if not meaningful)


def _share_base(con: duckdb.DuckDBPyConnection, f: Filters) -> tuple[str, list[object]]:
    """The condition (over facts ``x``) for an inquiry in the complaint share's base: a citizen
    inquiry in a municipality where the share means something."""
    citizen = "NOT list_contains(?::VARCHAR[], x.kind_code)"
    excluded = complaint_only_municipalities(con, f.municipalities)
    if not excluded:
        return citizen, [list(NON_CITIZEN_KINDS)]
    return f"{citizen} AND NOT list_contains(?::VARCHAR[], x.municipality_code)", [
        list(NON_CITIZEN_KINDS),
        excluded,
    ]


def _share_columns(con: duckdb.DuckDBPyConnection, f: Filters) -> tuple[str, list[object]]:
    """citizen_inquiries, share_base and share_complaints over the facts ``x`` of ``f``: the citizen
    inquiries, and the complaint share's base and numerator counted only in municipalities where
    the share means something. Without points the facts hold one row per inquiry: count(*)."""
    counted = "count(DISTINCT x.inquiry_id)" if joins_points(f) else "count(*)"
    citizen = "NOT list_contains(?::VARCHAR[], x.kind_code)"
    in_base, base = _share_base(con, f)
    sql = (
        f"({counted} FILTER (WHERE {citizen}))::BIGINT AS citizen_inquiries, "
        f"({counted} FILTER (WHERE {in_base}))::BIGINT AS share_base, "
        f"({counted} FILTER (WHERE x.is_complaint AND {in_base}))::BIGINT AS share_complaints"
    )
    return sql, [list(NON_CITIZEN_KINDS), *base, *base]


def complaint_share_trend(
    con: duckdb.DuckDBPyConnection, f: Filters, span: Span | None, today: date | None = None
) -> pl.DataFrame:
    """Per bucket: inquiries, complaints, citizen_inquiries and complaints as a share of the
    citizen inquiries (``SHARE_BASE_WORDS``; None where the share means nothing, see
    ``share_municipalities``). n = citizen_inquiries."""
    f = f.with_(grain=effective_grain(con, f))
    inquiry_filter = f.with_(count_unit="inquiries")
    facts, params = facts_sql(con, inquiry_filter, span, **ONLY_COUNTED)
    bucket, label, bucket_join = _bucket_sql(f)
    share_sql, share_params = _share_columns(con, inquiry_filter)
    frame = query_frame(
        con,
        f"SELECT {bucket}::DATE AS bucket, {label} AS bucket_label, "  # noqa: S608
        f"{count_expr(inquiry_filter)}::BIGINT AS inquiries, "
        f"{complaints_expr(inquiry_filter)}::BIGINT AS complaints, {share_sql} "
        f"FROM ({facts}) x {bucket_join}GROUP BY ALL ORDER BY bucket",
        [*share_params, *params],
    )
    frame = _label_buckets(con, f, frame, f.grain, today)
    return frame.with_columns(
        pl.when(pl.col("share_base") > 0)
        .then(pl.col("share_complaints") / pl.col("share_base"))
        .otherwise(None)
        .alias("share"),
        (pl.col("share_base") < SMALL_N).alias("small"),
    ).drop("share_base", "share_complaints")


@dataclass(frozen=True)
class Comparison:
    current: Span
    previous: Span
    note: str
    table: pl.DataFrame


def uncertain_change(current: int, previous: int) -> bool:
    """True when the change is within what chance alone gives (two Poisson counts, about 95 %)."""
    total = current + previous
    return total == 0 or abs(current - previous) <= 1.96 * math.sqrt(total)


def uncertain_expr(current: str, previous: str) -> pl.Expr:
    """``uncertain_change`` as a Polars expression over two count columns."""
    total = pl.col(current) + pl.col(previous)
    return (total == 0) | ((pl.col(current) - pl.col(previous)).abs() <= 1.96 * total.sqrt())


def _two_period_counts(
    con: duckdb.DuckDBPyConnection, f: Filters, current: Span, previous: Span, dimension: str
) -> pl.DataFrame:
    """code, label, current, previous: both periods counted in one pass over the facts."""
    points = _needs_points(f, dimension)
    facts, params = facts_sql(
        con,
        f,
        Span(min(previous.start, current.start), max(previous.end, current.end), ""),
        with_points=points,
        by_unit=dimension == "unit",
        **_columns(dimension),
    )
    code, label, join = _dimension_select(dimension)
    counted = count_expr(f, points)
    in_period = "x.received BETWEEN ? AND ?"
    per_period = [
        f"({counted} FILTER (WHERE {in_period}))::BIGINT AS {name}" for name in ("current", "previous")
    ]
    return query_frame(
        con,
        f"SELECT {code} AS code, coalesce({label}, '{NOT_SET}') AS label, {', '.join(per_period)} "  # noqa: S608
        f"FROM ({facts}) x {join}WHERE {in_period} OR {in_period} GROUP BY ALL",
        [
            current.start,
            current.end,
            previous.start,
            previous.end,
            *params,
            current.start,
            current.end,
            previous.start,
            previous.end,
        ],
    )


def year_over_year(
    con: duckdb.DuckDBPyConnection, f: Filters, span: Span, dimension: str
) -> Comparison | None:
    """This period against the previous comparable one, per value of ``dimension``.

    Columns: code, label, current, previous, diff, pct_change (None from 0), small_n, uncertain;
    biggest increases first, then the biggest decreases last.
    """
    spans = comparable_spans(con, f, span)
    if spans is None:
        return None
    current, previous, note = spans
    table = (
        _two_period_counts(con, f, current, previous, dimension)
        .with_columns((pl.col("current") - pl.col("previous")).alias("diff"))
        .with_columns(
            pl.when(pl.col("previous") > 0)
            .then(pl.col("diff") / pl.col("previous") * 100)
            .otherwise(None)
            .alias("pct_change"),
            (pl.max_horizontal("current", "previous") < SMALL_N).alias("small_n"),
            uncertain_expr("current", "previous").alias("uncertain"),
        )
        .sort(["diff", "current"], descending=[True, True])
    )
    return Comparison(current, previous, note, table)


COMPLAINT_SHARE = "complaint_share"  # the key of the complaint share among the key figures


@dataclass(frozen=True)
class KeyFigure:
    label: str
    value: float | None
    previous: float | None
    unit: str  # "count" or "percent"
    n: int | None = None
    lower_is_better: bool = False  # a rise is worse (complaints, omgørelsesprocent), a fall better
    key: str = ""  # ASCII name of the figure, for code to find it (never the Danish label)

    @property
    def delta(self) -> float | None:
        if self.value is None or self.previous is None:
            return None
        return self.value - self.previous


def _only_municipalities(f: Filters, relation: Relation) -> bool:
    """Whether the filter narrows ``relation`` by nothing but its municipalities (and dates)."""
    return all(
        row.name == "municipalities" or relation not in row.sql or not getattr(f, row.name) for row in FIELDS
    )


def _points_from(con: duckdb.DuckDBPyConnection, f: Filters, whole: Span) -> tuple[str, list[object]]:
    """A FROM clause of the complaint points under the filter in ``whole`` (alias ``p``, with a
    ``received`` column; one row per point). Narrowed by municipality and dates only, they are
    read from complaint_point alone: its municipality_code and received are its inquiry's
    (migration 9), so the join to the inquiries changes nothing."""
    if not _only_municipalities(f, "point"):
        facts, params = facts_sql(con, f, whole, with_points=True, columns=("point_id", "received"))
        return f"({facts}) p", params
    in_filter = "list_contains(?::VARCHAR[], p.municipality_code) AND " if f.municipalities else ""
    return (
        f"complaint_point p WHERE {in_filter}p.received BETWEEN ? AND ?",
        [*([list(f.municipalities)] if f.municipalities else []), whole.start, whole.end],
    )


def _span_index(spans: list[Span], column: str) -> tuple[str, list[object], bool]:
    """(expression, params, unnest): the index of the span a row's ``column`` falls in (NULL:
    none). Disjoint spans (the usual period and the one a year before) take a CASE, one value per
    row; overlapping ones (a range longer than a year) a list of every span the row is in, to be
    unnested."""
    ordered = sorted(spans, key=lambda s: s.start)
    disjoint = all(a.end < b.start for a, b in itertools.pairwise(ordered))
    params: list[object] = [day for span in spans for day in (span.start, span.end)]
    whens = [f"WHEN {column} BETWEEN ? AND ? THEN {n}" for n in range(len(spans))]
    if disjoint:
        return f"CASE {' '.join(whens)} END", params, False
    return f"[{', '.join(f'CASE {when} END' for when in whens)}]", params, True


def _key_counts(
    con: duckdb.DuckDBPyConnection, f: Filters, spans: list[Span]
) -> list[tuple[int, int, int, int, int]]:
    """Per span: (inquiries, complaints, complaint points, share base, share complaints) under the
    filter, whatever it counts, all spans in one statement (one pass over the inquiries and one
    over the complaint points of the spans' whole range).

    For one municipality the complaint share's base is first counted as the citizen inquiries;
    if the range read holds a citizen inquiry that is not a complaint (more in the base than
    complaints in it, in some span or between them), the share means something there
    (``share_municipalities``) and no other statement is needed; only if not are all the
    municipality's records asked (``complaint_only_municipalities``)."""
    inquiry_filter = f.with_(count_unit="inquiries")
    whole = Span(min(s.start for s in spans), max(s.end for s in spans), "")
    # only the columns the counts read (each one bound is a fixed cost): the inquiry's id where
    # the facts hold a row per point, its municipality where the share's base names some
    distinct = joins_points(inquiry_filter)
    one = len(f.municipalities) == 1
    read = ("received", "kind_code", "is_complaint", *(() if one else ("municipality_code",)))
    facts, params = facts_sql(
        con, inquiry_filter, whole, columns=(*read, *(("inquiry_id",) if distinct else ()))
    )
    points_from, point_params = _points_from(con, f, whole)
    counted = "count(DISTINCT x.inquiry_id)" if distinct else "count(*)"
    citizen = "NOT list_contains(?::VARCHAR[], x.kind_code)"
    in_base, base = (citizen, [list(NON_CITIZEN_KINDS)]) if one else _share_base(con, f)
    index, index_params, unnest = _span_index(spans, "received")
    points = ", ".join(
        f"count(*) FILTER (WHERE p.received BETWEEN ? AND ?) AS points_{n}" for n in range(len(spans))
    )
    # disjoint spans: each row's span is one CASE value, grouped on directly; overlapping ones: a
    # list of spans per row, unnested a level below the counts (an aggregate cannot unnest)
    spread = f"(SELECT *, unnest({index}) AS span FROM ({facts})) x"  # noqa: S608 (fixed fragments)
    span_of, rows_from = ("x.span", spread) if unnest else (index, f"({facts}) x")
    # the points: one row of a count per span (each point one test per span); the inquiries: a
    # row per span they fall in, grouped (four counts per span, each row's tests done once)
    sql = (
        f"SELECT * FROM (SELECT {points} FROM {points_from}) b LEFT JOIN ("  # noqa: S608 (fixed fragments)
        f"SELECT {span_of} AS span, {counted} AS inquiries, {counted} FILTER (WHERE x.is_complaint) AS complaints, "
        f"{counted} FILTER (WHERE {in_base}) AS base, "
        f"{counted} FILTER (WHERE x.is_complaint AND {in_base}) AS share "
        f"FROM {rows_from} GROUP BY ALL) a ON true"
    )
    point_span_params = [day for span in spans for day in (span.start, span.end)]
    inner = [*index_params, *base, *base, *params] if not unnest else [*base, *base, *index_params, *params]
    # fetched whole: the cursor must be free for the next query
    rows = con.execute(sql, [*point_span_params, *point_params, *inner]).fetchall()
    counts = [[0, 0, 0, 0, 0] for _ in spans]
    found = False
    for row in rows:
        span, inquiries, complaints, in_base_n, share = row[len(spans) :]
        for n in range(len(spans)):
            counts[n][2] = int(row[n])
        # a citizen inquiry that is not a complaint, in any span or none (the rows between them)
        found = found or (in_base_n or 0) > (share or 0)
        if span is not None:
            counts[span][0], counts[span][1] = int(inquiries), int(complaints)
            counts[span][3], counts[span][4] = int(in_base_n), int(share)
    if one and not found and complaint_only_municipalities(con, f.municipalities):
        for c in counts:  # the share means nothing here: no base, as _share_base gives
            c[3] = c[4] = 0
    return [tuple(c) for c in counts]  # type: ignore[misc]


def inquiry_key_figures(con: duckdb.DuckDBPyConnection, f: Filters, span: Span) -> list[KeyFigure]:
    """Inquiries, complaints, complaint share and complaint points, with the comparable period."""
    spans = comparable_spans(con, f, span)
    counts = _key_counts(con, f, [spans[0], spans[1]] if spans else [span])
    cur, prev = counts[0], counts[1] if spans else None

    def share(c: tuple[int, ...]) -> float | None:
        return c[4] / c[3] * 100 if c[3] else None

    return [
        KeyFigure("Henvendelser", cur[0], prev[0] if prev else None, "count", key="inquiries"),
        KeyFigure(
            "Klager", cur[1], prev[1] if prev else None, "count", lower_is_better=True, key="complaints"
        ),
        KeyFigure(
            "Klageandel",
            share(cur),
            share(prev) if prev else None,
            "percent",
            n=cur[3],
            lower_is_better=True,
            key=COMPLAINT_SHARE,
        ),
        KeyFigure(
            "Klagepunkter", cur[2], prev[2] if prev else None, "count", lower_is_better=True, key="points"
        ),
    ]


def inquiry_rows(
    con: duckdb.DuckDBPyConnection, f: Filters, span: Span | None, limit: int = 5000
) -> pl.DataFrame:
    """The underlying inquiries, one row per inquiry, newest first: id (``inquiry``), dates,
    municipality, department, unit, and the Danish names of kind, outcome and themes."""
    facts, params = facts_sql(con, f, span, columns=("inquiry_id", "received"))
    # cut first (the newest ``limit`` inquiries), label after; their themes from the points of the
    # selection's municipalities and period only (the point relation narrows the points too)
    in_filter, scope_params = where(con, f, "point", span, only=("municipalities",))
    # the same scope on the inquiries read for the labels: no row changes (the ids are in it),
    # but the scan reads the selection's row groups only, not the whole country's
    in_scope, inquiry_params = where(con, f, "inquiry", span, only=("municipalities",))
    return con.sql(
        "WITH ids AS (SELECT inquiry_id, any_value(received) AS received FROM (" + facts + ") x "  # noqa: S608
        "GROUP BY inquiry_id ORDER BY received DESC, inquiry_id LIMIT ?), "
        "themes AS (SELECT p.inquiry_id, string_agg(t.name, ', ' ORDER BY t.name) AS names "
        "FROM complaint_point p JOIN ids ON ids.inquiry_id = p.inquiry_id "
        "JOIN inquiry i ON i.inquiry_id = p.inquiry_id JOIN theme t ON t.code = p.theme_code "
        f"WHERE {in_filter} GROUP BY p.inquiry_id) "
        "SELECT i.inquiry_id AS inquiry, i.received, i.closed, m.name AS municipality, "
        "ut.top_name AS department, ut.unit_name AS unit, k.label AS kind, o.label AS inquiry_outcome, "
        "th.names AS themes, i.provenance "
        "FROM ids JOIN inquiry i ON i.inquiry_id = ids.inquiry_id "
        "LEFT JOIN municipality m ON m.code = i.municipality_code "
        "LEFT JOIN unit_tree ut ON ut.unit_id = i.unit_id "
        "LEFT JOIN category k ON k.kind = 'inquiry_kind' AND k.code = i.kind_code "
        "LEFT JOIN category o ON o.kind = 'outcome' AND o.code = i.outcome_code "
        "LEFT JOIN themes th ON th.inquiry_id = i.inquiry_id "
        f"WHERE {in_scope} ORDER BY i.received DESC, i.inquiry_id",
        params=[*params, limit, *scope_params, *inquiry_params],
    ).pl()


def trend_events(con: duckdb.DuckDBPyConnection, f: Filters, grain: str) -> pl.DataFrame:
    """Dated annotations (law changes, reorganisations) placed in the trend's time buckets.

    Columns: bucket (date), label. Events without a municipality apply to all.
    """
    bucket = _BUCKETS.get(grain, _BUCKETS["year"]).replace("x.received", "e.date")
    in_filter, params = where(con, f, "event", only=("municipalities",))
    return con.sql(
        f"SELECT {bucket}::DATE AS bucket, string_agg(e.label, '; ' ORDER BY e.date) AS label FROM event e "  # noqa: S608
        f"WHERE {in_filter} GROUP BY ALL ORDER BY bucket",
        params=params,
    ).pl()
