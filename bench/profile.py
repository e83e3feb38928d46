"""Where the time of a query function goes: every SQL statement it issues, timed, and what-ifs.

    python -m bench.profile [--db /tmp/national.duckdb] [--runs 7]

1. Trace: each query function runs against a cursor proxy that times every ``execute``/``sql``
   call (statement count, SQL time, Python time around it).
2. What-ifs for the facts relation behind every inquiry query (``queries.facts.facts_sql``): the
   same breakdown SQL with one change at a time (count(*) instead of count(DISTINCT), a
   materialized unit hierarchy instead of the recursive ``unit_tree`` view, the total in the same
   statement via GROUPING SETS), each checked to give the same counts.
3. PNG export split into Altair's ``to_dict`` and vl-convert, and vl-convert's first-call cost.

Nothing here changes the database (the materialized hierarchy is a TEMP table).
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import duckdb

from bench.run import DEFAULT_NATIONAL_DB, ms
from data_model.db import connect
from queries import appeals, inquiries, recommendations
from queries.facts import facts_sql
from queries.filters import Filters
from queries.periods import resolve_span


@dataclass
class Statement:
    sql: str
    seconds: float


@dataclass
class TracingCursor:
    """Delegates to a DuckDB cursor; records each statement and the time until its result is read."""

    cur: duckdb.DuckDBPyConnection
    log: list[Statement] = field(default_factory=list)

    def execute(self, sql: str, params: Any = None) -> _TimedResult:
        t0 = time.perf_counter()
        self.cur.execute(sql, params)
        entry = Statement(sql, time.perf_counter() - t0)
        self.log.append(entry)
        return _TimedResult(self.cur, entry)

    def sql(self, sql: str, params: Any = None) -> _TimedResult:
        entry = Statement(sql, 0.0)
        self.log.append(entry)
        t0 = time.perf_counter()
        relation = self.cur.sql(sql, params=params)
        entry.seconds += time.perf_counter() - t0
        return _TimedResult(relation, entry)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.cur, name)


@dataclass
class _TimedResult:
    inner: Any
    entry: Statement

    def __getattr__(self, name: str) -> Any:
        attr = getattr(self.inner, name)
        if name not in ("pl", "df", "fetchall", "fetchone", "fetchdf"):
            return attr

        def timed(*args: Any, **kwargs: Any) -> Any:
            t0 = time.perf_counter()
            result = attr(*args, **kwargs)
            self.entry.seconds += time.perf_counter() - t0
            return result

        return timed


def median_time(fn: Callable[[], object], runs: int) -> float:
    fn()
    samples = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - t0)
    return statistics.median(samples)


def trace(con: duckdb.DuckDBPyConnection, name: str, fn: Callable[[Any], object], runs: int) -> None:
    """Median over ``runs`` of: total, SQL per statement; prints one line per statement."""
    fn(TracingCursor(con.cursor()))  # warm-up
    totals, per_statement = [], []
    for _ in range(runs):
        tc = TracingCursor(con.cursor())
        t0 = time.perf_counter()
        fn(tc)
        totals.append(time.perf_counter() - t0)
        per_statement.append([s.seconds for s in tc.log])
    statements = tc.log
    sql_median = [statistics.median(run[i] for run in per_statement) for i in range(len(statements))]
    total = statistics.median(totals)
    print(
        f"\n{name}: {ms(total)} ms, {len(statements)} SQL statements = {ms(sum(sql_median))} ms, "
        f"Python/Polars around them {ms(total - sum(sql_median))} ms"
    )
    for s, seconds in zip(statements, sql_median, strict=True):
        text = " ".join(s.sql.split())
        print(f"    {ms(seconds):>7} ms  {text[:150]}")


def what_ifs(con: duckdb.DuckDBPyConnection, f: Filters, runs: int) -> None:
    cur = con.cursor()
    span = resolve_span(cur, f)
    assert span is not None
    facts, params = facts_sql(cur, f, span, with_points=False, by_unit=True)
    base = (
        "SELECT x.unit_id AS code, coalesce(x.unit_name, '(ikke angivet)') AS label, "  # noqa: S608 (facts_sql text)
        "count(DISTINCT inquiry_id) AS count, count(DISTINCT x.inquiry_id) FILTER (WHERE x.is_complaint) AS complaints "
        f"FROM ({facts}) x GROUP BY ALL"
    )
    total = f"SELECT count(DISTINCT inquiry_id) FROM ({facts}) x"  # noqa: S608
    cur.execute("CREATE OR REPLACE TEMP TABLE unit_tree_materialized AS SELECT * FROM unit_tree")
    plain = base.replace("count(DISTINCT inquiry_id)", "count(*)").replace(
        "count(DISTINCT x.inquiry_id) FILTER", "count(*) FILTER"
    )
    materialized = base.replace("LEFT JOIN unit_tree ut", "LEFT JOIN unit_tree_materialized ut")
    both = plain.replace("LEFT JOIN unit_tree ut", "LEFT JOIN unit_tree_materialized ut")
    grouping = both.replace("GROUP BY ALL", "GROUP BY GROUPING SETS ((code, label), ())").replace(
        "SELECT x.unit_id AS code", "SELECT grouping(code) AS is_total, x.unit_id AS code"
    )

    reference = sorted(cur.execute(base, params).fetchall(), key=str)
    for sql in (plain, materialized, both):
        assert sorted(cur.execute(sql, params).fetchall(), key=str) == reference
    grouped = cur.execute(grouping, params).fetchall()
    assert sorted((r[1:] for r in grouped if r[0] == 0), key=str) == reference
    assert [r[3] for r in grouped if r[0] == 1] == [cur.execute(total, params).fetchall()[0][0]]

    print("\nWhat-ifs: breakdown(unit) as issued today = grouped SQL + separate total SQL")
    rows = [
        ("today: grouped SQL (count DISTINCT, recursive unit_tree view)", base, params),
        ("today: separate total SQL", total, params),
        ("count(*) instead of count(DISTINCT) (facts are one row per inquiry)", plain, params),
        ("materialized unit hierarchy instead of the recursive view", materialized, params),
        ("both", both, params),
        ("both + the total in the same statement (GROUPING SETS)", grouping, params),
        ("the recursive unit_tree view alone", "SELECT * FROM unit_tree", []),
    ]
    for label, sql, p in rows:
        seconds = median_time(lambda sql=sql, p=p: cur.execute(sql, p).fetchall(), runs)
        print(f"    {ms(seconds):>7} ms  {label}")

    # Complaint points (key figures, theme breakdowns, count_unit='points'): the facts join
    # complaint_point -> inquiry -> theme_tree -> unit_tree on coalesce(point unit, inquiry unit).
    point_facts, point_params = facts_sql(cur, f, span, with_points=True)
    cur.execute("CREATE OR REPLACE TEMP TABLE theme_tree_materialized AS SELECT * FROM theme_tree")
    points_today = f"SELECT count(point_id) FROM ({point_facts}) x"  # noqa: S608
    points_materialized = points_today.replace("JOIN unit_tree ut", "JOIN unit_tree_materialized ut").replace(
        "JOIN theme_tree th", "JOIN theme_tree_materialized th"
    )
    points_raw = (
        "SELECT count(*) FROM complaint_point p JOIN inquiry i ON i.inquiry_id = p.inquiry_id "
        "WHERE i.municipality_code = ? AND i.received BETWEEN ? AND ?"
    )
    raw_params = [f.municipalities[0], span.start, span.end]
    expected = cur.execute(points_today, point_params).fetchall()
    assert cur.execute(points_materialized, point_params).fetchall() == expected
    assert cur.execute(points_raw, raw_params).fetchall() == expected
    print("\nWhat-ifs: counting complaint points in the period (inquiry_key_figures issues this twice)")
    for label, sql, p in (
        ("today: facts with points (recursive unit_tree + theme_tree views)", points_today, point_params),
        ("the same facts with both hierarchies materialized", points_materialized, point_params),
        ("hand-written: points join inquiry, filter on the inquiry", points_raw, raw_params),
    ):
        seconds = median_time(lambda sql=sql, p=p: cur.execute(sql, p).fetchall(), runs)
        print(f"    {ms(seconds):>7} ms  {label}")
    cur.execute("DROP TABLE unit_tree_materialized")
    cur.execute("DROP TABLE theme_tree_materialized")


def png_split(con: duckdb.DuckDBPyConnection, f: Filters, runs: int) -> None:
    import subprocess
    import sys

    from charts.builders import breakdown_bars
    from charts.export import to_png
    from charts.theme import ChartMeta

    cur = con.cursor()
    span = resolve_span(cur, f)
    frame = inquiries.breakdown(cur, f, span, "unit")
    meta = ChartMeta("Henvendelser pr. enhed", "Antal henvendelser", "Kilde: benchmark")
    chart = breakdown_bars(frame, meta, count_title="Henvendelser")
    spec = chart.to_dict()
    first_process = subprocess.run(
        [
            sys.executable,
            "-c",
            "import time, vl_convert as v; t=time.perf_counter(); "
            'v.vegalite_to_png({"mark":"point","data":{"values":[{"a":1}]},"encoding":{"x":{"field":"a"}}}); '
            "print(time.perf_counter()-t)",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    print("\nPNG export split")
    print(
        f"    {float(first_process.stdout) * 1000:7.1f} ms  vl-convert's first call in a fresh process (tiny spec)"
    )
    print(
        f"    {ms(median_time(lambda: breakdown_bars(frame, meta, count_title='x'), runs)):>7} ms  breakdown_bars"
    )
    print(f"    {ms(median_time(chart.to_dict, runs)):>7} ms  Altair to_dict (validation)")
    print(f"    {ms(median_time(lambda: to_png(spec), runs)):>7} ms  to_png(spec dict), scale 3 (print)")
    print(f"    {ms(median_time(lambda: to_png(spec, scale=1), runs)):>7} ms  to_png(spec dict), scale 1")


def page_split(db: Path, municipality: str, period: str, runs: int) -> None:
    """Each page rerun with the query cache cleared, split into query-function time and the rest
    (Streamlit, Altair charts, widgets). The query functions are wrapped (same module and name, so
    dashboard.data's cache key is unchanged) to time each call the page makes."""
    import functools
    import os

    import streamlit as st
    from streamlit.testing.v1 import AppTest

    from bench.run import APP, app_pages, open_page, quiet_streamlit
    from queries import catalog, describe, facts, periods, published, units

    calls: list[tuple[str, float]] = []
    depth = [0]
    originals: list[tuple[Any, str, Any]] = []
    for module in (inquiries, appeals, recommendations, published, describe, catalog, periods, units, facts):
        for name, fn in list(vars(module).items()):
            if callable(fn) and getattr(fn, "__module__", "") == module.__name__ and not isinstance(fn, type):

                @functools.wraps(fn)
                def timed(
                    *args: Any, _fn: Any = fn, _name: str = f"{module.__name__}.{name}", **kwargs: Any
                ) -> Any:
                    depth[0] += 1
                    t0 = time.perf_counter()
                    try:
                        return _fn(*args, **kwargs)
                    finally:
                        depth[0] -= 1
                        if depth[0] == 0:  # nested calls (year_over_year -> breakdown) count once
                            calls.append((_name, time.perf_counter() - t0))

                originals.append((module, name, fn))
                setattr(module, name, timed)
    os.environ["BORGERRAAD_DB"] = str(db)
    print("\nPage reruns with the query cache cleared: query functions vs everything else (median of runs)")
    try:
        for page in app_pages():
            at = AppTest.from_file(str(APP), default_timeout=120)
            at.query_params["kommune"] = municipality
            at.query_params["periode"] = period
            at.run()
            quiet_streamlit()
            open_page(at, page)
            at.run()
            totals: list[float] = []
            in_queries: list[float] = []
            per_call: list[list[tuple[str, float]]] = []
            for _ in range(runs):
                st.cache_data.clear()
                calls.clear()
                t0 = time.perf_counter()
                at.run()
                totals.append(time.perf_counter() - t0)
                per_call.append(list(calls))
                in_queries.append(sum(sec for _name, sec in calls))
            total, q = statistics.median(totals), statistics.median(in_queries)
            last = per_call[-1]
            print(f"  {page}: {ms(total)} ms, query functions {ms(q)} ms, rest {ms(total - q)} ms")
            for name, seconds in sorted(last, key=lambda c: -c[1])[:8]:
                print(f"      {ms(seconds):>7} ms  {name}")
            if at.exception:
                print(f"      raised: {at.exception[0].value[:200]}")
    finally:
        for module, name, fn in originals:
            setattr(module, name, fn)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Profile the query functions (see docs/BENCHMARKS.md).")
    parser.add_argument("--db", type=Path, default=DEFAULT_NATIONAL_DB)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--municipality", default="101")
    parser.add_argument("--period", default=None, help="default: <municipality>-2024")
    args = parser.parse_args(argv)
    con = connect(args.db)
    m = args.municipality
    f = Filters(municipalities=(m,), period_id=args.period or f"{m}-2024")
    span = resolve_span(con, f)
    assert span is not None
    today = date.today()
    traced: list[tuple[str, Callable[[Any], object]]] = [
        ("inquiries.breakdown(unit)", lambda c: inquiries.breakdown(c, f, span, "unit")),
        (
            "inquiries.trend(year, split=sector, all years)",
            lambda c: inquiries.trend(c, Filters(municipalities=(m,), grain="year", split="sector"), None),
        ),
        ("inquiries.year_over_year(unit)", lambda c: inquiries.year_over_year(c, f, span, "unit")),
        ("inquiries.inquiry_key_figures", lambda c: inquiries.inquiry_key_figures(c, f, span)),
        ("inquiries.inquiry_rows", lambda c: inquiries.inquiry_rows(c, f, span)),
        (
            "inquiries.breakdown(main_theme, points)",
            lambda c: inquiries.breakdown(c, f.with_(count_unit="points"), span, "main_theme"),
        ),
        ("appeals.omgoerelse(law_area)", lambda c: appeals.omgoerelse(c, f, span, "law_area")),
        (
            "recommendations.recommendation_status",
            lambda c: recommendations.recommendation_status(c, f, today),
        ),
    ]
    for name, fn in traced:
        trace(con, name, fn, args.runs)
    what_ifs(con, f, args.runs)
    png_split(con, f, args.runs)
    page_split(args.db, m, f.period_id or "", min(args.runs, 3))
    con.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
