"""Recommendations: current status, overdue and stalled ones, timeline, and 'did it help?'."""

from __future__ import annotations

from datetime import date, timedelta

import duckdb
import polars as pl

from queries.filters import Filters, where
from queries.published import name_reports
from queries.units import descendants

CLOSED_GROUP = "lukket"  # follow_up_status categories whose parent_code is this are finished
STALLED_AFTER_DAYS = 365

# Each department's latest follow-up (all of them when several share the latest date). A
# follow-up names its department by starting with the unit's name ("Miljø & Teknik: ...", as the
# reports print the answers); one that names none counts as the answer of the whole municipality.
# Takes one parameter: CLOSED_GROUP.
CURRENT_STATUSES_SQL = (
    "current_status AS (SELECT f.recommendation_id, f.follow_up_id, f.date, f.status_code, f.text, "
    "  f.source, u.name AS department, coalesce(c.label, f.status_code) AS status, "
    "  coalesce(c.parent_code = ?, false) AS is_closed, coalesce(c.sort_order, 0) AS sort_order "
    "  FROM follow_up f JOIN recommendation r ON r.recommendation_id = f.recommendation_id "
    "  LEFT JOIN (SELECT DISTINCT municipality_code, name FROM org_unit) u "
    "    ON u.municipality_code = r.municipality_code AND contains(f.text, ':') "
    "    AND u.name = trim(split_part(f.text, ':', 1)) "
    "  LEFT JOIN category c ON c.kind = 'follow_up_status' AND c.code = f.status_code "
    "  QUALIFY rank() OVER (PARTITION BY f.recommendation_id, u.name ORDER BY f.date DESC) = 1)"
)


def recommendation_status(con: duckdb.DuckDBPyConnection, f: Filters, today: date) -> pl.DataFrame:
    """One row per recommendation, overdue first, then stalled, then newest, measured on ``today``
    (``queries.periods.as_of``: a closed period's end): the recommendations of report periods ended
    by then (or made by then, without a period), each with its latest known status; overdue and
    stalled compare its deadline and its latest follow-up with ``today``.

    Its status is the least advanced of its departments' latest statuses (open before closed,
    then the follow-up categories' order): one department still "I gang" keeps it "I gang",
    whatever order follow-ups of the same date were stored in.

    Columns: recommendation_id, municipality, period, made_on, due_on, title, text, targets,
    departments, status_code, status, status_date, follow_ups, closed, overdue, stalled.
    """
    conditions, params = where(con, f, "recommendation")
    return con.sql(
        f"WITH {CURRENT_STATUSES_SQL}, "  # noqa: S608
        "latest AS (SELECT recommendation_id, "
        "  arg_min(status_code, (is_closed, sort_order, status_code)) AS status_code, "
        "  max(date) AS status_date FROM current_status GROUP BY ALL), "
        "counted AS (SELECT recommendation_id, count(*)::BIGINT AS follow_ups FROM follow_up GROUP BY ALL), "
        "targets AS (SELECT r.recommendation_id, string_agg(ut.unit_name, ', ' ORDER BY ut.unit_name) AS targets, "
        "  string_agg(DISTINCT ut.top_name, ', ' ORDER BY ut.top_name) AS departments "
        "  FROM recommendation r, unnest(r.target_unit_ids) AS t(unit_id) "
        "  JOIN unit_tree ut ON ut.unit_id = t.unit_id GROUP BY ALL) "
        "SELECT r.recommendation_id, m.name AS municipality, rp.label AS period, r.made_on, r.due_on, "
        "  r.title, r.text, CASE WHEN r.whole_municipality THEN 'Hele kommunen' ELSE tg.targets END AS targets, "
        "  CASE WHEN r.whole_municipality THEN 'Hele kommunen' ELSE tg.departments END AS departments, "
        "  coalesce(l.status_code, 'ikke_paabegyndt') AS status_code, coalesce(c.label, 'Ingen opfølgning') AS status, "
        "  coalesce(c.sort_order, 0) AS status_order, "
        "  l.status_date, coalesce(n.follow_ups, 0) AS follow_ups, "
        "  coalesce(c.parent_code = ?, false) AS closed, "
        "  (NOT closed AND r.due_on IS NOT NULL AND r.due_on < ?) AS overdue, "
        "  (NOT closed AND coalesce(l.status_date, r.made_on) < ?) AS stalled "
        "FROM recommendation r JOIN municipality m ON m.code = r.municipality_code "
        "LEFT JOIN report_period rp ON rp.period_id = r.period_id "
        "LEFT JOIN latest l ON l.recommendation_id = r.recommendation_id "
        "LEFT JOIN counted n ON n.recommendation_id = r.recommendation_id "
        "LEFT JOIN category c ON c.kind = 'follow_up_status' AND c.code = l.status_code "
        "LEFT JOIN targets tg ON tg.recommendation_id = r.recommendation_id "
        f"WHERE coalesce(rp.end_date, r.made_on) <= ? AND {conditions} "
        "ORDER BY overdue DESC, stalled DESC, r.made_on DESC, r.title",
        params=[
            CLOSED_GROUP,
            CLOSED_GROUP,
            today,
            today - timedelta(days=STALLED_AFTER_DAYS),
            today,
            *params,
        ],
    ).pl()


def department_statuses(con: duckdb.DuckDBPyConnection, recommendation_id: str) -> pl.DataFrame:
    """Each department's latest answer to one recommendation (least advanced first).

    Columns: department ("Hele kommunen" for an answer naming no department), status, date, text,
    source, closed.
    """
    frame = con.sql(
        f"WITH {CURRENT_STATUSES_SQL} "  # noqa: S608 (a fixed fragment; values are parameters)
        "SELECT coalesce(department, 'Hele kommunen') AS department, status, date, text, source, "
        "  is_closed AS closed FROM current_status WHERE recommendation_id = ? "
        "ORDER BY is_closed, sort_order, department",
        params=[CLOSED_GROUP, recommendation_id],
    ).pl()
    return name_reports(frame, con)


def status_counts(status: pl.DataFrame) -> pl.DataFrame:
    """Recommendations per department and status, from ``recommendation_status``'s frame."""
    return (
        status.with_columns(pl.col("departments").fill_null("(ingen enhed)").str.split(", "))
        .explode("departments")
        .group_by("departments", "status", "status_order")
        .agg(pl.len().cast(pl.Int64).alias("count"))
        .rename({"departments": "department"})
        .sort("department", "status_order")
    )


def ordered_statuses(counts: pl.DataFrame) -> list[str]:
    """The statuses present, in the follow-up categories' own order ('Ingen opfølgning' first)."""
    return counts.sort("status_order", "status")["status"].unique(maintain_order=True).to_list()


def follow_up_timeline(con: duckdb.DuckDBPyConnection, recommendation_id: str) -> pl.DataFrame:
    """Columns: date, status_code, status, text, source ("Beretning 2024, afsnit …"; oldest first,
    the recommendation first)."""
    frame = con.sql(
        "SELECT r.made_on AS date, 'givet' AS status_code, 'Anbefaling givet' AS status, r.title AS text, "
        "  NULL::VARCHAR AS source FROM recommendation r WHERE r.recommendation_id = ? "
        "UNION ALL "
        "SELECT f.date, f.status_code, coalesce(c.label, f.status_code), f.text, f.source FROM follow_up f "
        "LEFT JOIN category c ON c.kind = 'follow_up_status' AND c.code = f.status_code "
        "WHERE f.recommendation_id = ? ORDER BY date, status_code = 'givet' DESC",
        params=[recommendation_id, recommendation_id],
    ).pl()
    return name_reports(frame, con)


def before_after(con: duckdb.DuckDBPyConnection, recommendation_id: str, months: int = 12) -> pl.DataFrame:
    """Complaints in the recommendation's themes and units, ``months`` before and after it was made.

    Columns: window ('Før'/'Efter'), start, end, complaints, complete (False while the 'after'
    window has not ended yet, so a half window is never read as a fall).
    """
    row = con.execute(
        "SELECT municipality_code, made_on, target_unit_ids, theme_codes, whole_municipality "
        "FROM recommendation WHERE recommendation_id = ?",
        [recommendation_id],
    ).fetchall()
    if not row:
        return pl.DataFrame()
    municipality, made_on, units, themes, whole = row[0]
    unit_ids = sorted({u for unit in (units or []) for u in descendants(con, unit)})
    theme_codes = sorted(
        {
            str(r[0])
            for r in con.execute(
                "SELECT code FROM theme_tree WHERE list_contains(?::VARCHAR[], code) OR list_contains(?::VARCHAR[], main_code)",
                [themes or [], themes or []],
            ).fetchall()
        }
    )
    days = round(months * 365.25 / 12)
    windows = [
        ("Før", made_on - timedelta(days=days), made_on - timedelta(days=1)),
        ("Efter", made_on, made_on + timedelta(days=days - 1)),
    ]
    last_record = con.execute(
        "SELECT max(received) FROM inquiry WHERE municipality_code = ?", [municipality]
    ).fetchall()[0][0]
    # the recommendation's own units and themes narrow the count; none named: not narrowed
    narrowing: list[str] = []
    narrowing_params: list[object] = []
    if unit_ids and not whole:
        narrowing.append("list_contains(?::VARCHAR[], coalesce(p.unit_id, i.unit_id))")
        narrowing_params.append(unit_ids)
    if theme_codes:
        narrowing.append("list_contains(?::VARCHAR[], p.theme_code)")
        narrowing_params.append(theme_codes)
    first, last = windows[0][1], windows[-1][2]
    per_window = ", ".join(
        "count(DISTINCT i.inquiry_id) FILTER (WHERE i.received BETWEEN ? AND ?)" for _ in windows
    )
    counts = con.execute(
        f"SELECT {per_window} FROM inquiry i "  # noqa: S608 (fixed fragments; values are parameters)
        "JOIN category k ON k.kind = 'inquiry_kind' AND k.code = i.kind_code AND k.is_complaint "
        "LEFT JOIN complaint_point p ON p.inquiry_id = i.inquiry_id "
        "AND p.municipality_code = ? AND p.received BETWEEN ? AND ? "  # the point's own copies: read only these
        "WHERE i.municipality_code = ? AND i.received BETWEEN ? AND ?"
        + "".join(f" AND {condition}" for condition in narrowing),
        [
            *(day for _label, start, end in windows for day in (start, end)),
            *(municipality, first, last, municipality, first, last),
            *narrowing_params,
        ],
    ).fetchall()[0]
    rows = [
        {
            "window": label,
            "start": start,
            "end": end,
            "complaints": int(count or 0),
            "complete": last_record is not None and last_record >= end,
        }
        for (label, start, end), count in zip(windows, counts, strict=True)
    ]
    return pl.DataFrame(
        rows,
        schema={
            "window": pl.Utf8,
            "start": pl.Date,
            "end": pl.Date,
            "complaints": pl.Int64,
            "complete": pl.Boolean,
        },
    )
