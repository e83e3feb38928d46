"""Ankestyrelsen: decisions by result, omgørelsesprocent pooled from counts, the Danmarkskort view."""

from __future__ import annotations

from datetime import date

import duckdb
import polars as pl

from data_model.denmark import WHOLE_COUNTRY
from queries.dimensions import APPEAL_GROUPS
from queries.fetch import frame as query_frame
from queries.filters import Filters, where
from queries.periods import Span
from queries.units import level_sql

# the three areas of Ankestyrelsen's Danmarkskort
DANMARKSKORT_LAW_AREAS = ("boern_handicap", "voksen_handicap", "social_generelt")
REJECTED = "afvist"
OVERTURNED = ("aendret_ophaevet", "hjemvist")


def _decision_scope(
    con: duckdb.DuckDBPyConnection, f: Filters, span: Span | None, by: str | None = None
) -> tuple[str, list[object]]:
    """Decisions under the filter, with labels; the unit hierarchy is joined only when a unit
    filter or a grouping by unit needs it."""
    units = bool(f.unit_id or f.sectors) or by in ("unit", "department")
    conditions, params = where(con, f, "decision", span)
    # by unit means by unit at the filter's level, as everywhere (queries.units.level_sql)
    levels, level_params = level_sql(con, f) if units else ("", [])
    unit_cols = (
        "lv.level_name AS unit_name, ut.top_id AS department_id, ut.top_name AS department_name"
        if units
        else "NULL::VARCHAR AS unit_name, NULL::VARCHAR AS department_id, NULL::VARCHAR AS department_name"
    )
    sql = (
        f"SELECT d.*, {unit_cols}, "  # noqa: S608 (fixed fragments; values are parameters)
        "coalesce(la.label, d.law_area_code) AS law_area, coalesce(ao.label, d.outcome_code) AS outcome, "
        "ao.sort_order AS outcome_order "
        "FROM appeal_decision d "
        + (
            f"LEFT JOIN unit_tree ut ON ut.unit_id = d.unit_id LEFT JOIN ({levels}) lv ON lv.unit_id = d.unit_id "
            if units
            else ""
        )
        + "LEFT JOIN category la ON la.kind = 'law_area' AND la.code = d.law_area_code "
        "LEFT JOIN category ao ON ao.kind = 'appeal_outcome' AND ao.code = d.outcome_code "
        f"WHERE {conditions}"
    )
    return sql, [*level_params, *params] if units else params


def decisions_by_result(
    con: duckdb.DuckDBPyConnection, f: Filters, span: Span | None, by: str = "law_area"
) -> pl.DataFrame:
    """Columns: group, outcome_code, outcome, outcome_order, count."""
    scope, params = _decision_scope(con, f, span, by)
    return query_frame(
        con,
        f"SELECT {APPEAL_GROUPS[by]} AS series, outcome_code, outcome, outcome_order, count(*)::BIGINT AS count "  # noqa: S608
        f"FROM ({scope}) x GROUP BY ALL ORDER BY series, outcome_order",
        params,
    )


def omgoerelse(
    con: duckdb.DuckDBPyConnection, f: Filters, span: Span | None, by: str | None = None
) -> pl.DataFrame:
    """Omgørelsesprocent pooled from counts: (changed + sent back) / decided on the merits.

    Columns: [group,] decisions, rejected, on_merits, changed, sent_back, pct (None when n = 0).
    """
    scope, params = _decision_scope(con, f, span, by)
    group = f"{APPEAL_GROUPS[by]} AS series, " if by else ""
    return query_frame(
        con,
        f"SELECT {group}count(*)::BIGINT AS decisions, "  # noqa: S608
        "(count(*) FILTER (WHERE outcome_code = ?))::BIGINT AS rejected, "
        "(count(*) FILTER (WHERE outcome_code <> ?))::BIGINT AS on_merits, "
        "(count(*) FILTER (WHERE outcome_code = ?))::BIGINT AS changed, "
        "(count(*) FILTER (WHERE outcome_code = ?))::BIGINT AS sent_back, "
        "100.0 * (changed + sent_back) / nullif(on_merits, 0) AS pct "
        f"FROM ({scope}) x {'GROUP BY ALL ORDER BY on_merits DESC' if by else ''}",
        [REJECTED, REJECTED, *OVERTURNED, *params],
    )


def remark_themes(
    con: duckdb.DuckDBPyConnection, f: Filters, span: Span | None, by: str | None = None
) -> pl.DataFrame:
    """Remarks Ankestyrelsen made on case handling. Columns: [group,] remark, decisions, share, n.

    A decision can carry several remarks, so the shares do not add up to 100 %.
    """
    scope, params = _decision_scope(con, f, span, by)
    group = f"{APPEAL_GROUPS[by]}" if by else "'I alt'"
    return query_frame(
        con,
        f"WITH d AS ({scope}), totals AS (SELECT {group} AS series, count(*) AS n FROM d GROUP BY ALL) "  # noqa: S608
        f"SELECT {group} AS series, coalesce(c.label, r.code) AS remark, count(*)::BIGINT AS decisions, "
        "count(*) / any_value(t.n) AS share, any_value(t.n)::BIGINT AS n "
        "FROM d, unnest(d.remark_codes) AS r(code) "
        "LEFT JOIN category c ON c.kind = 'remark_theme' AND c.code = r.code "
        f"JOIN totals t ON t.series = {group} "
        "GROUP BY ALL ORDER BY series, decisions DESC",
        params,
    )


ALL_MUNICIPALITIES = 98  # Ankestyrelsen ranks every municipality on its Danmarkskort


def law_area_choices(con: duckdb.DuckDBPyConnection, municipality: str) -> list[str]:
    """The law areas with figures for the municipality (Ankestyrelsen's statistics or the
    decisions the advisor registered), in the categories' order."""
    return [
        str(r[0])
        for r in con.execute(
            "SELECT c.code FROM category c WHERE c.kind = 'law_area' AND ("
            "  EXISTS (SELECT 1 FROM appeal_statistic s WHERE s.law_area_code = c.code AND s.municipality_code = ?) "
            "  OR EXISTS (SELECT 1 FROM appeal_decision d WHERE d.law_area_code = c.code AND d.municipality_code = ?)) "
            "ORDER BY c.sort_order, c.code",
            [municipality, municipality],
        ).fetchall()
    ]


def statistics_generated(con: duckdb.DuckDBPyConnection, municipality: str, law_area: str) -> bool:
    """Whether the municipality's Danmarkskort figures for the law area are generated examples."""
    row = con.execute(
        "SELECT count(*) FROM appeal_statistic WHERE provenance = 'generated' AND law_area_code = ? "
        "AND municipality_code IN (?, ?)",
        [law_area, municipality, WHOLE_COUNTRY],
    ).fetchall()
    return bool(row[0][0])


def danmarkskort_year(end: date) -> int:
    """The latest Danmarkskort (calendar) year inside or before a period ending on ``end``."""
    return end.year if (end.month, end.day) == (12, 31) else end.year - 1


def danmarkskort(
    con: duckdb.DuckDBPyConnection, municipality: str, law_area: str, until_year: int | None = None
) -> pl.DataFrame:
    """Per year (up to ``until_year``): own omgørelsesprocent and n, the whole country's, rank
    among the municipalities whose figures are loaded (1 = lowest percentage; ``ranked_of`` says
    how many) and the change in percentage points from the year before."""
    frame = con.sql(
        "WITH pct AS ("
        "  SELECT municipality_code, year, decided_on_merits AS n, changed + sent_back AS overturned, "
        "  100.0 * (changed + sent_back) / nullif(decided_on_merits, 0) AS pct "
        "  FROM appeal_statistic WHERE law_area_code = ?), "
        "ranked AS (SELECT *, rank() OVER (PARTITION BY year ORDER BY pct) AS rank, "
        "  count(*) OVER (PARTITION BY year) AS ranked_of FROM pct WHERE municipality_code <> ? AND pct IS NOT NULL) "
        "SELECT r.year, r.n, r.overturned, r.pct, c.pct AS country_pct, c.n AS country_n, "
        "  r.rank::BIGINT AS rank, r.ranked_of::BIGINT AS ranked_of, "
        "  r.pct - lag(r.pct) OVER (ORDER BY r.year) AS change_pp "
        "FROM ranked r LEFT JOIN pct c ON c.year = r.year AND c.municipality_code = ? "
        "WHERE r.municipality_code = ? ORDER BY r.year",
        params=[law_area, WHOLE_COUNTRY, WHOLE_COUNTRY, municipality],
    ).pl()
    return frame if until_year is None else frame.filter(pl.col("year") <= until_year)
