"""Time every query behind the pages, on the sample data and at national scale.

    python -m bench.run [--scale sample|national|both] [--runs 7] [--national-db PATH] [--json PATH]

For each scale: every query function the pages call (one municipality, one report period; trends
over all years), each timed ``--runs`` times after one untimed warm-up call (reported as
"first"); median and p90 (nearest rank: with 7 runs, the slowest). Targets are judged on the
median, with p90 excursions listed (the machine may be shared). For the main answers the same
result is also computed by hand-written DuckDB SQL (our overhead = ours / raw) and by plain pandas
on DataFrames loaded from the database beforehand (only the aggregation is timed); the script
asserts that all three answers are equal. Then a chart's PNG export, page reruns through
AppTest (once the app has pages), and the process's peak memory.

The national database is built by ``bench.national_data`` when the file is missing. The sample
database is built fresh in a temporary file by ``data_model.seed.load_sample_data``.
"""

from __future__ import annotations

import argparse
import gc
import json
import math
import os
import platform
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
import polars as pl

from bench import national_data
from charts.builders import breakdown_bars
from charts.export import to_png
from charts.theme import ChartMeta
from data_model.db import connect, row_counts
from data_model.seed import SeedError, load_sample_data
from queries import appeals, inquiries, published, recommendations
from queries.filters import Filters
from queries.periods import Span, resolve_span

ROOT = Path(__file__).resolve().parent.parent
APP = ROOT / "app.py"
DEFAULT_NATIONAL_DB = Path(tempfile.gettempdir()) / "national.duckdb"
NOT_SET = inquiries.NOT_SET

# The quality bars (seconds / ratios / bytes), as listed in docs/BENCHMARKS.md.
TARGET_SAMPLE_QUERY = 0.100
TARGET_NATIONAL_QUERY = 0.300
TARGET_PAGE_RERUN = 1.0
TARGET_RAW_RATIO = 1.5
TARGET_PNG = 1.0
TARGET_PEAK_BYTES = 2**30


# --------------------------------------------------------------------------------------------
# timing helpers


@dataclass
class Timing:
    name: str
    first: float
    runs: list[float]
    rows: int | None = None

    @property
    def median(self) -> float:
        return statistics.median(self.runs)

    @property
    def p90(self) -> float:
        ordered = sorted(self.runs)
        return ordered[max(0, math.ceil(0.9 * len(ordered)) - 1)]


def _size(result: object) -> int | None:
    if isinstance(result, pl.DataFrame | pd.DataFrame):
        return len(result)
    if isinstance(result, inquiries.Comparison):
        return result.table.height
    if isinstance(result, list | bytes):
        return len(result)
    return None


def time_call(name: str, fn: Callable[[], object], runs: int) -> tuple[Timing, object]:
    gc.collect()
    t0 = time.perf_counter()
    result = fn()
    first = time.perf_counter() - t0
    samples = []
    for _ in range(runs):
        t0 = time.perf_counter()
        result = fn()
        samples.append(time.perf_counter() - t0)
    return Timing(name, first, samples, _size(result)), result


def ms(seconds: float) -> str:
    return "–" if math.isnan(seconds) else f"{seconds * 1000:.1f}"


def peak_rss_bytes() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # Linux: KiB


# --------------------------------------------------------------------------------------------
# the scenario: which municipality, period, recommendation


@dataclass
class Scenario:
    scale: str
    con: duckdb.DuckDBPyConnection
    db_path: Path
    municipality: str
    period_id: str
    span: Span
    previous: Span
    law_area: str
    recommendation_id: str | None
    counts: dict[str, int]
    notes: list[str] = field(default_factory=list)

    @property
    def filters(self) -> Filters:
        return Filters(municipalities=(self.municipality,), period_id=self.period_id)

    @property
    def all_years(self) -> Filters:
        return Filters(municipalities=(self.municipality,))


def _scenario(
    scale: str, con: duckdb.DuckDBPyConnection, db_path: Path, municipality: str, period_id: str
) -> Scenario:
    span = resolve_span(con, Filters(municipalities=(municipality,), period_id=period_id))
    if span is None:
        raise SystemExit(f"{scale}: report period {period_id} not found")
    previous = span.shifted_years(-1)
    row = con.execute(
        "SELECT recommendation_id FROM recommendation WHERE municipality_code = ? AND NOT whole_municipality "
        "AND len(theme_codes) > 0 ORDER BY abs(made_on - ?), recommendation_id LIMIT 1",
        [municipality, span.start],
    ).fetchall()
    law = con.execute(
        "SELECT law_area_code FROM appeal_decision WHERE municipality_code = ? GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1",
        [municipality],
    ).fetchall()
    return Scenario(
        scale=scale,
        con=con,
        db_path=db_path,
        municipality=municipality,
        period_id=period_id,
        span=span,
        previous=previous,
        law_area=law[0][0] if law else "boern_handicap",
        recommendation_id=row[0][0] if row else None,
        counts=row_counts(con),
    )


def sample_scenario(tmp: Path) -> Scenario:
    path = tmp / "sample.duckdb"
    con = connect(path)
    notes = []
    try:
        load_sample_data(con)
    except SeedError as exc:
        notes.append(f"load_sample_data failed; timing whatever loaded. {str(exc)[:300]}")
    # Haderslev 2024: the report with per-unit tables; else the first period that exists.
    row = con.execute(
        "SELECT municipality_code, period_id FROM report_period ORDER BY period_id = '510-2024' DESC, "
        "end_date DESC LIMIT 1"
    ).fetchall()
    if not row:
        raise SystemExit("sample: no report periods loaded")
    scenario = _scenario("sample", con, path, row[0][0], row[0][1])
    scenario.notes += notes
    if scenario.counts["inquiry"] == 0:
        scenario.notes.append(
            "the sample has no case-level records yet (sample_data/generated/ is missing): "
            "inquiry and appeal queries run on empty tables"
        )
    return scenario


def national_scenario(db_path: Path) -> tuple[Scenario, dict[str, Any] | None]:
    build: dict[str, Any] | None = None
    if not db_path.exists():
        print(f"building the national database {db_path} ...", flush=True)
        build = national_data.build(db_path)
    else:
        sidecar = db_path.with_name(db_path.name + ".build.json")
        if sidecar.is_file():
            build = json.loads(sidecar.read_text(encoding="utf-8"))
    con = connect(db_path)
    # The biggest municipality (worst case for one municipality), its 2024 report period.
    row = con.execute(
        "SELECT municipality_code FROM inquiry GROUP BY 1 ORDER BY count(*) DESC LIMIT 1"
    ).fetchall()
    municipality = row[0][0]
    return _scenario("national", con, db_path, municipality, f"{municipality}-2024"), build


# --------------------------------------------------------------------------------------------
# a. every query behind every page


def query_cases(s: Scenario) -> list[tuple[str, Callable[[], object]]]:
    cur = s.con.cursor()
    f, span, all_years = s.filters, s.span, s.all_years
    today = date.today()
    cases: list[tuple[str, Callable[[], object]]] = []
    for dimension in ("unit", "department", "sector", "main_theme", "theme", "outcome", "kind"):
        cases.append(
            (f"inquiries.breakdown({dimension})", lambda d=dimension: inquiries.breakdown(cur, f, span, d))
        )
    cases += [
        (
            "inquiries.breakdown(main_theme, points)",
            lambda: inquiries.breakdown(cur, f.with_(count_unit="points"), span, "main_theme"),
        ),
        ("inquiries.unit_table", lambda: inquiries.unit_table(cur, f, span)),
        (
            "inquiries.trend(year, split=sector, all years)",
            lambda: inquiries.trend(cur, all_years.with_(grain="year", split="sector"), None),
        ),
        (
            "inquiries.trend(month, split=main_theme, period)",
            lambda: inquiries.trend(cur, f.with_(grain="month", split="main_theme"), span),
        ),
        (
            "inquiries.complaint_share_trend(year, all years)",
            lambda: inquiries.complaint_share_trend(cur, all_years.with_(grain="year"), None),
        ),
        ("inquiries.year_over_year(unit)", lambda: inquiries.year_over_year(cur, f, span, "unit")),
        (
            "inquiries.year_over_year(main_theme)",
            lambda: inquiries.year_over_year(cur, f, span, "main_theme"),
        ),
        ("inquiries.inquiry_key_figures", lambda: inquiries.inquiry_key_figures(cur, f, span)),
        ("inquiries.inquiry_rows(limit 5000)", lambda: inquiries.inquiry_rows(cur, f, span)),
        (
            "appeals.decisions_by_result(law_area)",
            lambda: appeals.decisions_by_result(cur, f, span, "law_area"),
        ),
        ("appeals.omgoerelse(law_area)", lambda: appeals.omgoerelse(cur, f, span, "law_area")),
        ("appeals.omgoerelse(total)", lambda: appeals.omgoerelse(cur, f, span)),
        ("appeals.remark_themes", lambda: appeals.remark_themes(cur, f, span)),
        ("appeals.danmarkskort", lambda: appeals.danmarkskort(cur, s.municipality, s.law_area)),
        (
            "recommendations.recommendation_status",
            lambda: recommendations.recommendation_status(cur, all_years, today),
        ),
    ]
    if s.recommendation_id:
        rid = s.recommendation_id
        cases.append(("recommendations.before_after", lambda: recommendations.before_after(cur, rid)))
    cases += [
        ("published.published_totals(all)", lambda: published.published_totals(cur)),
        ("published.published_totals(one)", lambda: published.published_totals(cur, [s.municipality])),
        (
            "inquiries.breakdown(municipality, whole country)",
            lambda: inquiries.breakdown(cur, Filters(period_id=None), s.span, "municipality"),
        ),
    ]
    return cases


def run_queries(s: Scenario, runs: int) -> list[Timing]:
    timings = []
    for name, fn in query_cases(s):
        timing, _ = time_call(name, fn, runs)
        timings.append(timing)
        print(f"  {name:<52} median {ms(timing.median):>7} ms  p90 {ms(timing.p90):>7} ms", flush=True)
    return timings


# --------------------------------------------------------------------------------------------
# b. the same answers by raw SQL and by pandas


def _rows(frame: pl.DataFrame | pd.DataFrame, columns: Sequence[str]) -> list[tuple[Any, ...]]:
    """Rows as sorted tuples; floats rounded, NaN/None unified, dates as ISO text."""
    data = pl.from_pandas(frame) if isinstance(frame, pd.DataFrame) else frame
    out = []
    for row in data.select(columns).iter_rows():
        values = []
        for v in row:
            if isinstance(v, float):
                v = None if math.isnan(v) else round(v, 9)
            elif hasattr(v, "isoformat"):
                v = v.isoformat()[:10]
            values.append(v)
        out.append(tuple(values))
    return sorted(out, key=lambda r: tuple((x is None, str(x)) for x in r))


def assert_same(what: str, columns: Sequence[str], **answers: pl.DataFrame | pd.DataFrame) -> None:
    reference_name, reference = next(iter(answers.items()))
    expected = _rows(reference, columns)
    for name, frame in answers.items():
        got = _rows(frame, columns)
        if got != expected:
            diff = [r for r in got if r not in expected][:3], [r for r in expected if r not in got][:3]
            raise AssertionError(f"{what}: {name} differs from {reference_name}: {diff}")


@dataclass
class Comparison:
    name: str
    columns: list[str]
    ours: Timing
    raw: Timing
    answers: dict[str, Any]
    pandas: Timing | None = None

    @property
    def raw_ratio(self) -> float:
        return self.ours.median / self.raw.median

    @property
    def pandas_ratio(self) -> float | None:
        return self.ours.median / self.pandas.median if self.pandas else None


RAW_BREAKDOWN_UNIT = """
SELECT i.unit_id AS code, coalesce(u.name, ?) AS label, count(*) AS count,
       count(*) FILTER (WHERE k.is_complaint) AS complaints,
       count(*) / sum(count(*)) OVER () AS share, sum(count(*)) OVER () AS n
FROM inquiry i
LEFT JOIN org_unit u ON u.unit_id = i.unit_id
LEFT JOIN category k ON k.kind = 'inquiry_kind' AND k.code = i.kind_code
WHERE i.municipality_code = ? AND i.received BETWEEN ? AND ?
GROUP BY ALL ORDER BY count DESC, label
"""

RAW_TREND_SECTOR = """
SELECT date_trunc('year', i.received)::DATE AS bucket,
       year(i.received)::VARCHAR || CASE WHEN make_date(year(i.received), 12, 31) >= ? THEN ' (foreløbig)' ELSE '' END
           AS bucket_label,
       coalesce(c.label, u.sector_code, ?) AS series, count(*) AS count
FROM inquiry i
LEFT JOIN org_unit u ON u.unit_id = i.unit_id
LEFT JOIN category c ON c.kind = 'sector' AND c.code = u.sector_code
WHERE i.municipality_code = ?
GROUP BY ALL ORDER BY bucket, series
"""

RAW_YOY_UNIT = """
WITH c AS (
    SELECT i.unit_id AS code, coalesce(u.name, ?) AS label,
           count(*) FILTER (WHERE i.received BETWEEN ? AND ?) AS current,
           count(*) FILTER (WHERE i.received BETWEEN ? AND ?) AS previous
    FROM inquiry i LEFT JOIN org_unit u ON u.unit_id = i.unit_id
    WHERE i.municipality_code = ? AND (i.received BETWEEN ? AND ? OR i.received BETWEEN ? AND ?)
    GROUP BY ALL)
SELECT *, current - previous AS diff,
       CASE WHEN previous > 0 THEN (current - previous) / previous * 100 END AS pct_change,
       greatest(current, previous) < 5 AS small_n,
       current + previous = 0 OR abs(current - previous) <= 1.96 * sqrt(current + previous) AS uncertain
FROM c ORDER BY diff DESC, current DESC
"""

RAW_OMGOERELSE = """
SELECT coalesce(la.label, d.law_area_code) AS series, count(*) AS decisions,
       count(*) FILTER (WHERE d.outcome_code = 'afvist') AS rejected,
       count(*) FILTER (WHERE d.outcome_code <> 'afvist') AS on_merits,
       count(*) FILTER (WHERE d.outcome_code = 'aendret_ophaevet') AS changed,
       count(*) FILTER (WHERE d.outcome_code = 'hjemvist') AS sent_back,
       100.0 * (changed + sent_back) / nullif(on_merits, 0) AS pct
FROM appeal_decision d
LEFT JOIN category la ON la.kind = 'law_area' AND la.code = d.law_area_code
WHERE d.municipality_code = ? AND d.decided BETWEEN ? AND ?
GROUP BY ALL ORDER BY on_merits DESC
"""


@dataclass
class PandasData:
    """What a typical analyst starts from: whole tables read into pandas once."""

    inquiry: pd.DataFrame
    org_unit: pd.DataFrame
    category: pd.DataFrame
    appeal_decision: pd.DataFrame
    load_seconds: float

    @classmethod
    def load(cls, con: duckdb.DuckDBPyConnection) -> PandasData:
        t0 = time.perf_counter()
        data = cls(
            inquiry=con.sql(
                "SELECT inquiry_id, municipality_code, received, kind_code, unit_id FROM inquiry"
            ).df(),
            org_unit=con.sql("SELECT unit_id, name, sector_code FROM org_unit").df(),
            category=con.sql("SELECT kind, code, label, is_complaint FROM category").df(),
            appeal_decision=con.sql(
                "SELECT decision_id, municipality_code, decided, law_area_code, outcome_code FROM appeal_decision"
            ).df(),
            load_seconds=0.0,
        )
        data.load_seconds = time.perf_counter() - t0
        return data


def _ts(day: date) -> pd.Timestamp:
    return pd.Timestamp(day)


def pandas_breakdown_unit(p: PandasData, municipality: str, span: Span) -> pd.DataFrame:
    inq = p.inquiry
    d = inq[
        (inq["municipality_code"] == municipality)
        & (inq["received"] >= _ts(span.start))
        & (inq["received"] <= _ts(span.end))
    ]
    kinds = p.category[p.category["kind"] == "inquiry_kind"][["code", "is_complaint"]]
    d = d.merge(p.org_unit[["unit_id", "name"]], on="unit_id", how="left")
    d = d.merge(kinds, left_on="kind_code", right_on="code", how="left")
    d["is_complaint"] = d["is_complaint"].fillna(False).astype(bool)
    out = (
        d.groupby("unit_id", dropna=False)
        .agg(label=("name", "first"), count=("inquiry_id", "size"), complaints=("is_complaint", "sum"))
        .reset_index()
        .rename(columns={"unit_id": "code"})
    )
    out["label"] = out["label"].fillna(NOT_SET)
    out["n"] = out["count"].sum()
    out["share"] = out["count"] / out["n"]
    return out.sort_values(["count", "label"], ascending=[False, True])


def pandas_trend_sector(p: PandasData, municipality: str, today: date) -> pd.DataFrame:
    inq = p.inquiry
    d = inq[inq["municipality_code"] == municipality]
    sectors = p.category[p.category["kind"] == "sector"][["code", "label"]]
    d = d.merge(p.org_unit[["unit_id", "sector_code"]], on="unit_id", how="left")
    d = d.merge(sectors, left_on="sector_code", right_on="code", how="left")
    d["series"] = d["label"].fillna(d["sector_code"]).fillna(NOT_SET)
    d["year"] = d["received"].dt.year
    out = d.groupby(["year", "series"]).size().reset_index(name="count")
    out["bucket"] = pd.to_datetime(out["year"].astype(str) + "-01-01")
    running = out["year"] >= today.year  # the bucket's last day (31 December) is not past yet
    out["bucket_label"] = out["year"].astype(str) + running.map({True: " (foreløbig)", False: ""})
    return out.sort_values(["bucket", "series"])


def pandas_yoy_unit(p: PandasData, municipality: str, current: Span, previous: Span) -> pd.DataFrame:
    inq = p.inquiry
    d = inq[inq["municipality_code"] == municipality]
    d = d.merge(p.org_unit[["unit_id", "name"]], on="unit_id", how="left")
    d["label"] = d["name"].fillna(NOT_SET)
    d["current"] = d["received"].between(_ts(current.start), _ts(current.end))
    d["previous"] = d["received"].between(_ts(previous.start), _ts(previous.end))
    d = d[d["current"] | d["previous"]]
    out = (
        d.groupby(["unit_id", "label"], dropna=False)[["current", "previous"]]
        .sum()
        .reset_index()
        .rename(columns={"unit_id": "code"})
    )
    out["diff"] = out["current"] - out["previous"]
    out["pct_change"] = (out["diff"] / out["previous"] * 100).where(out["previous"] > 0)
    out["small_n"] = out[["current", "previous"]].max(axis=1) < inquiries.SMALL_N
    total = out["current"] + out["previous"]
    out["uncertain"] = (total == 0) | (out["diff"].abs() <= 1.96 * total.pow(0.5))
    return out.sort_values(["diff", "current"], ascending=[False, False])


def pandas_omgoerelse(p: PandasData, municipality: str, span: Span) -> pd.DataFrame:
    dec = p.appeal_decision
    d = dec[
        (dec["municipality_code"] == municipality)
        & (dec["decided"] >= _ts(span.start))
        & (dec["decided"] <= _ts(span.end))
    ]
    counts = d.groupby(["law_area_code", "outcome_code"]).size().unstack(fill_value=0)
    for outcome in ("stadfaestet", "aendret_ophaevet", "hjemvist", "afvist"):
        if outcome not in counts.columns:
            counts[outcome] = 0
    out = pd.DataFrame(
        {
            "decisions": counts.sum(axis=1),
            "rejected": counts["afvist"],
            "changed": counts["aendret_ophaevet"],
            "sent_back": counts["hjemvist"],
        }
    )
    out["on_merits"] = out["decisions"] - out["rejected"]
    out["pct"] = (100.0 * (out["changed"] + out["sent_back"]) / out["on_merits"]).where(out["on_merits"] > 0)
    labels = p.category[p.category["kind"] == "law_area"].set_index("code")["label"]
    out = out.reset_index()
    out["series"] = out["law_area_code"].map(labels).fillna(out["law_area_code"])
    return out.sort_values("on_merits", ascending=False)


def comparison_specs(
    s: Scenario,
) -> list[tuple[str, list[str], Callable[[], Any], Callable[[], Any], Callable[[PandasData], Any]]]:
    """(name, columns compared, ours, raw SQL, pandas) for the main answers."""
    cur = s.con.cursor()
    f, span, m, prev = s.filters, s.span, s.municipality, s.previous
    today = date.today()  # a year still running is labelled '(foreløbig)'
    specs: list[tuple[str, list[str], Callable[[], Any], Callable[[], Any], Callable[[PandasData], Any]]] = [
        (
            "breakdown by unit",
            ["code", "label", "count", "complaints", "share", "n"],
            lambda: inquiries.breakdown(cur, f, span, "unit"),
            lambda: cur.sql(RAW_BREAKDOWN_UNIT, params=[NOT_SET, m, span.start, span.end]).pl(),
            lambda p: pandas_breakdown_unit(p, m, span),
        ),
        (
            "trend by sector (all years)",
            ["bucket", "bucket_label", "series", "count"],
            lambda: inquiries.trend(cur, s.all_years.with_(grain="year", split="sector"), None, today),
            lambda: cur.sql(RAW_TREND_SECTOR, params=[today, NOT_SET, m]).pl(),
            lambda p: pandas_trend_sector(p, m, today),
        ),
        (
            "year over year by unit",
            ["code", "label", "current", "previous", "diff", "pct_change", "small_n", "uncertain"],
            lambda: inquiries.year_over_year(cur, f, span, "unit").table,  # type: ignore[union-attr]
            lambda: cur.sql(
                RAW_YOY_UNIT,
                params=[
                    *(NOT_SET, span.start, span.end, prev.start, prev.end),
                    *(m, prev.start, prev.end, span.start, span.end),
                ],
            ).pl(),
            lambda p: pandas_yoy_unit(p, m, span, prev),
        ),
        (
            "omgørelse by law area",
            ["series", "decisions", "rejected", "on_merits", "changed", "sent_back", "pct"],
            lambda: appeals.omgoerelse(cur, f, span, "law_area"),
            lambda: cur.sql(RAW_OMGOERELSE, params=[m, span.start, span.end]).pl(),
            lambda p: pandas_omgoerelse(p, m, span),
        ),
    ]
    if inquiries.comparable_spans(cur, f, span) is None:
        s.notes.append("no earlier period: year over year not compared")
        specs = [spec for spec in specs if spec[0] != "year over year by unit"]
    return specs


def run_raw_comparisons(s: Scenario, runs: int) -> list[Comparison]:
    """Ours vs hand-written DuckDB SQL, asserting equal answers."""
    results = []
    for name, columns, ours_fn, raw_fn, _pandas_fn in comparison_specs(s):
        ours_t, ours = time_call(name, ours_fn, runs)
        raw_t, raw = time_call(name, raw_fn, runs)
        assert_same(f"{s.scale}: {name}", columns, ours=ours, raw_sql=raw)
        c = Comparison(name, columns, ours_t, raw_t, {"ours": ours})
        results.append(c)
        print(
            f"  {name:<30} ours {ms(ours_t.median):>7} ms  raw {ms(raw_t.median):>7} ms "
            f"ours/raw {c.raw_ratio:.2f}  [equal answers]",
            flush=True,
        )
    return results


def run_pandas_comparisons(s: Scenario, comparisons: list[Comparison], data: PandasData, runs: int) -> None:
    """The same answers in pandas on frames loaded beforehand (only the aggregation is timed)."""
    pandas_fns = {spec[0]: spec[4] for spec in comparison_specs(s)}
    for c in comparisons:
        fn = pandas_fns[c.name]
        c.pandas, answer = time_call(c.name, lambda fn=fn: fn(data), runs)
        assert_same(f"{s.scale}: {c.name}", c.columns, ours=c.answers["ours"], pandas=answer)
        print(
            f"  {c.name:<30} ours {ms(c.ours.median):>7} ms  pandas {ms(c.pandas.median):>7} ms "
            f"ours/pandas {c.pandas_ratio:.2f}  [equal answers]",
            flush=True,
        )


# --------------------------------------------------------------------------------------------
# c. PNG export


def run_png(s: Scenario, runs: int) -> Timing:
    frame = inquiries.breakdown(s.con.cursor(), s.filters, s.span, "unit")
    meta = ChartMeta(
        title="Henvendelser pr. enhed",
        subtitle=f"Antal henvendelser, {s.span.label}",
        source=f"Kilde: Borgerrådgiveren, {s.municipality}, {s.span.label}. Generede data (benchmark)",
    )

    def export() -> bytes:
        return to_png(breakdown_bars(frame, meta, count_title="Henvendelser", label_title="Enhed"))

    timing, png = time_call(f"breakdown_bars + to_png ({frame.height} bars)", export, runs)
    assert isinstance(png, bytes) and png.startswith(b"\x89PNG")
    print(
        f"  PNG export: first {ms(timing.first)} ms, median {ms(timing.median)} ms, "
        f"p90 {ms(timing.p90)} ms, {len(png) // 1024} KiB",
        flush=True,
    )
    return timing


# --------------------------------------------------------------------------------------------
# page reruns, cold start, report pack


def app_pages() -> list[str]:
    """The page files app.py registers with st.navigation (``st.Page("pages/...py", ...)``), else []."""
    if not APP.is_file():
        return []
    text = APP.read_text(encoding="utf-8")
    if "st.navigation(" not in text:
        return []
    return sorted(set(re.findall(r"st\.Page\(\s*[\"']([^\"']+\.py)[\"']", text)))


def quiet_streamlit() -> None:
    """AppTest outside a server warns on every cache call; keep the benchmark output readable."""
    import logging

    for name in list(logging.root.manager.loggerDict):
        if name.startswith("streamlit"):
            logging.getLogger(name).setLevel(logging.ERROR)


def run_page_reruns(s: Scenario, runs: int) -> list[Timing]:
    """Each page through AppTest with BORGERRAAD_DB = this scale's DB and the scenario's municipality
    and period in the URL: switch to the page, then time reruns twice: with the app's query cache
    (st.cache_data) warm, i.e. a repeated view, and with it cleared before every rerun (not timed),
    i.e. the cost after a filter change (an upper bound: the catalog lookups are recomputed too)."""
    pages = app_pages()
    if not pages:
        print("  page rerun (AppTest): not yet measured (app.py does not use st.navigation yet)", flush=True)
        return []
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    os.environ["BORGERRAAD_DB"] = str(s.db_path)
    timings = []
    for page in pages:
        st.cache_data.clear()
        at = AppTest.from_file(str(APP), default_timeout=120)
        at.query_params["kommune"] = s.municipality
        at.query_params["periode"] = s.period_id
        at.run()
        quiet_streamlit()
        try:
            at.switch_page(page)
        except ValueError as exc:
            print(f"  {page}: not registered with st.navigation ({exc})", flush=True)
            continue
        warm, _ = time_call(f"{page} (cached)", lambda at=at: at.run(), runs)
        cold_runs = []
        for _ in range(runs):
            st.cache_data.clear()
            t0 = time.perf_counter()
            at.run()
            cold_runs.append(time.perf_counter() - t0)
        cold = Timing(f"{page} (cache cleared)", math.nan, cold_runs)
        if at.exception:
            s.notes.append(f"{page} raised: {at.exception[0].value[:200]}")
            print(f"  {page}: raised {at.exception[0].value[:200]}", flush=True)
        timings += [warm, cold]
        print(
            f"  rerun {page:<28} cached median {ms(warm.median):>7} ms p90 {ms(warm.p90):>7} ms; "
            f"cache cleared median {ms(cold.median):>7} ms p90 {ms(cold.p90):>7} ms",
            flush=True,
        )
    st.cache_data.clear()
    return timings


COLD_START_SCRIPT = """
import os, sys, time
started = time.perf_counter()
from streamlit.testing.v1 import AppTest
at = AppTest.from_file(sys.argv[1], default_timeout=300)
at.query_params["kommune"] = sys.argv[2]
at.query_params["periode"] = sys.argv[3]
at.run()
assert not at.exception, at.exception
print(time.perf_counter() - started)
"""


def run_cold_start(s: Scenario, runs: int = 3) -> None:
    """A fresh Python process: imports, opening the database, and the first page (Overblik) run
    through AppTest. The browser's own rendering is not included."""
    env = {**os.environ, "BORGERRAAD_DB": str(s.db_path)}
    seconds = []
    for _ in range(runs):
        done = subprocess.run(
            [sys.executable, "-c", COLD_START_SCRIPT, str(APP), s.municipality, s.period_id],
            capture_output=True,
            text=True,
            env=env,
            timeout=600,
            check=True,
        )
        seconds.append(float(done.stdout.strip().splitlines()[-1]))
    print(
        f"  cold start to the first page (fresh process, {runs} runs): median {statistics.median(seconds):.2f} s, "
        f"max {max(seconds):.2f} s",
        flush=True,
    )


def run_report_pack(s: Scenario) -> None:
    """The whole report pack of the scenario's period (every figure as PNG and SVG, tables, docx)."""
    import tempfile

    from report_pack.build import build_pack

    with tempfile.TemporaryDirectory() as out:
        started = time.perf_counter()
        result = build_pack(s.con.cursor(), s.municipality, s.period_id, out)
        elapsed = time.perf_counter() - started
    print(f"  report pack: {elapsed:.1f} s for {len(result.files)} files (target < 30 s)", flush=True)


# --------------------------------------------------------------------------------------------
# output


@dataclass
class ScaleResult:
    scenario: Scenario
    queries: list[Timing]
    comparisons: list[Comparison]
    png: Timing
    pages: list[Timing]
    peak_after_runs: int | None = None
    peak_after_pandas: int | None = None
    pandas_load_seconds: float | None = None
    build: dict[str, Any] | None = None


def markdown(result: ScaleResult, runs: int) -> str:
    s = result.scenario
    limit = TARGET_SAMPLE_QUERY if s.scale == "sample" else TARGET_NATIONAL_QUERY
    lines = [
        f"### {s.scale}: municipality {s.municipality}, period {s.period_id} ({s.span.start} – {s.span.end})",
        "",
        f"Rows: {s.counts['inquiry']:,} inquiries, {s.counts['complaint_point']:,} complaint points, "
        f"{s.counts['appeal_decision']:,} decisions, {s.counts['recommendation']:,} recommendations. "
        f"{runs} timed runs after one warm-up (first); times in ms.",
        "",
    ]
    lines += [f"Note: {n}" for n in s.notes]
    lines += [
        "",
        f"| query | rows | first | median | p90 | < {limit * 1000:.0f} ms |",
        "|---|---:|---:|---:|---:|---|",
    ]
    for t in result.queries:
        ok = "yes" if t.median < limit else "**no**"
        ok += "" if t.p90 < limit else " (p90 over)"
        lines.append(f"| {t.name} | {t.rows} | {ms(t.first)} | {ms(t.median)} | {ms(t.p90)} | {ok} |")
    lines += [
        "",
        "| answer | ours median | raw SQL median | ours / raw | pandas median | ours / pandas |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for c in result.comparisons:
        pandas_median = ms(c.pandas.median) if c.pandas else "-"
        pandas_ratio = f"{c.pandas_ratio:.2f}" if c.pandas_ratio is not None else "-"
        lines.append(
            f"| {c.name} | {ms(c.ours.median)} | {ms(c.raw.median)} | {c.raw_ratio:.2f} | {pandas_median} | {pandas_ratio} |"
        )
    lines += [
        "",
        f"PNG export ({result.png.name}): first {ms(result.png.first)} ms, median {ms(result.png.median)} ms, "
        f"p90 {ms(result.png.p90)} ms.",
    ]
    if result.pages:
        lines += [
            "",
            f"| page rerun (AppTest) | first after switch | median | p90 | < {TARGET_PAGE_RERUN * 1000:.0f} ms |",
            "|---|---:|---:|---:|---|",
        ]
        for t in result.pages:
            ok = "yes" if t.median < TARGET_PAGE_RERUN else "**no**"
            ok += "" if t.p90 < TARGET_PAGE_RERUN else " (p90 over)"
            lines.append(f"| {t.name} | {ms(t.first)} | {ms(t.median)} | {ms(t.p90)} | {ok} |")
        lines.append("")
    if result.peak_after_runs:
        lines.append(
            f"Peak RSS after the query, raw SQL, PNG and page runs: {result.peak_after_runs / 2**20:.0f} MiB."
        )
    if result.peak_after_pandas:
        lines.append(
            f"Peak RSS after also loading the pandas frames ({result.pandas_load_seconds:.1f} s) and running "
            f"pandas: {result.peak_after_pandas / 2**20:.0f} MiB."
        )
    return "\n".join(lines)


def targets(results: list[ScaleResult]) -> list[tuple[str, bool | None, str]]:
    out: list[tuple[str, bool | None, str]] = []
    for r in results:
        limit = TARGET_SAMPLE_QUERY if r.scenario.scale == "sample" else TARGET_NATIONAL_QUERY
        # Judged on the median (the machine may be shared); p90 excursions are listed beside it.
        slow = [t for t in r.queries if t.median >= limit]
        p90_over = [t for t in r.queries if t.p90 >= limit]
        worst = max(r.queries, key=lambda t: t.median)
        out.append(
            (
                f"{r.scenario.scale}: every query median < {limit * 1000:.0f} ms",
                not slow,
                f"slowest {worst.name} median {ms(worst.median)} ms, p90 {ms(worst.p90)} ms"
                + (f"; {len(slow)} over" if slow else "")
                + (f"; p90 over for {len(p90_over)}" if p90_over else ""),
            )
        )
        if r.pages:
            slow_pages = [t for t in r.pages if t.median >= TARGET_PAGE_RERUN]
            p90_pages = [t for t in r.pages if t.p90 >= TARGET_PAGE_RERUN]
            worst_page = max(r.pages, key=lambda t: t.median)
            out.append(
                (
                    f"{r.scenario.scale}: page rerun median < {TARGET_PAGE_RERUN:.0f} s",
                    not slow_pages,
                    f"slowest {worst_page.name} median {ms(worst_page.median)} ms, p90 {ms(worst_page.p90)} ms"
                    + (f"; p90 over for {', '.join(t.name for t in p90_pages)}" if p90_pages else ""),
                )
            )
        if r.scenario.scale == "national":
            over = [c for c in r.comparisons if c.raw_ratio > TARGET_RAW_RATIO]
            out.append(
                (
                    f"national: within {TARGET_RAW_RATIO}x of raw SQL",
                    not over,
                    ", ".join(f"{c.name} {c.raw_ratio:.2f}x" for c in r.comparisons),
                )
            )
            slower = [c for c in r.comparisons if c.pandas_ratio is not None and c.pandas_ratio >= 1]
            out.append(
                (
                    "national: faster than pandas",
                    not slower if any(c.pandas for c in r.comparisons) else None,
                    ", ".join(f"{c.name} {c.pandas_ratio:.2f}" for c in r.comparisons if c.pandas_ratio),
                )
            )
            if not r.pages:
                out.append((f"national: page rerun < {TARGET_PAGE_RERUN:.0f} s", None, "not yet measured"))
            out.append(
                (
                    f"national: peak memory < {TARGET_PEAK_BYTES / 2**30:.0f} GiB",
                    (r.peak_after_runs or 0) < TARGET_PEAK_BYTES,
                    f"{(r.peak_after_runs or 0) / 2**20:.0f} MiB",
                )
            )
        out.append(
            (
                f"{r.scenario.scale}: PNG export < {TARGET_PNG:.0f} s (warm)",
                r.png.median < TARGET_PNG,
                f"median {ms(r.png.median)} ms, p90 {ms(r.png.p90)} ms",
            )
        )
    if results:
        cold = results[0].png.first  # the process's first export: vl-convert starts its JS runtime
        out.append(
            (
                f"PNG export < {TARGET_PNG:.0f} s (first export in the process)",
                cold < TARGET_PNG,
                f"{ms(cold)} ms ({results[0].scenario.scale} chart)",
            )
        )
    return out


# --------------------------------------------------------------------------------------------


def run_scale(s: Scenario, runs: int, build: dict[str, Any] | None = None) -> ScaleResult:
    print(f"\n== {s.scale}: municipality {s.municipality}, period {s.period_id} ==", flush=True)
    for note in s.notes:
        print(f"  note: {note}", flush=True)
    print("a. queries", flush=True)
    queries_t = run_queries(s, runs)
    print("b. ours vs raw SQL", flush=True)
    comparisons = run_raw_comparisons(s, runs)
    print("c. PNG export", flush=True)
    png = run_png(s, runs)
    print("page reruns (AppTest)", flush=True)
    pages = run_page_reruns(s, runs)
    run_cold_start(s)
    run_report_pack(s)
    result = ScaleResult(s, queries_t, comparisons, png, pages, build=build)
    result.peak_after_runs = peak_rss_bytes()
    print(f"d. peak RSS so far: {result.peak_after_runs / 2**20:.0f} MiB", flush=True)
    print(
        "b. ours vs raw SQL vs pandas (pandas frames loaded beforehand, only the aggregation timed)",
        flush=True,
    )
    pandas_data = PandasData.load(s.con)
    result.pandas_load_seconds = pandas_data.load_seconds
    run_pandas_comparisons(s, comparisons, pandas_data, runs)
    del pandas_data
    gc.collect()
    result.peak_after_pandas = peak_rss_bytes()
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Time the dashboard's queries (see docs/BENCHMARKS.md).")
    parser.add_argument("--scale", choices=("sample", "national", "both"), default="both")
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--national-db", type=Path, default=DEFAULT_NATIONAL_DB)
    parser.add_argument("--json", type=Path, help="also write the figures as JSON here")
    args = parser.parse_args(argv)

    print(
        f"{platform.platform()}, Python {platform.python_version()}, {os.cpu_count()} CPUs, "
        f"duckdb {duckdb.__version__}, polars {pl.__version__}, pandas {pd.__version__}",
        flush=True,
    )
    print(f"load average before: {os.getloadavg()[0]:.2f} (the machine may be shared)", flush=True)
    started = time.perf_counter()
    results: list[ScaleResult] = []
    with tempfile.TemporaryDirectory(prefix="bench-") as tmp:
        if args.scale in ("sample", "both"):
            sample = sample_scenario(Path(tmp))
            results.append(run_scale(sample, args.runs))
            sample.con.close()
        if args.scale in ("national", "both"):
            national, build = national_scenario(args.national_db)
            if build:
                print(f"national build: {build['build_seconds']} s (seed {build['seed']})", flush=True)
            results.append(run_scale(national, args.runs, build))
            national.con.close()

    print("\n" + "\n\n".join(markdown(r, args.runs) for r in results))
    print("\n| target | met | figure |\n|---|---|---|")
    for name, met, figure in targets(results):
        shown = "not yet measured" if met is None else ("met" if met else "**missed**")
        print(f"| {name} | {shown} | {figure} |")
    print(
        f"\nwhole run: {time.perf_counter() - started:.0f} s; final peak RSS {peak_rss_bytes() / 2**20:.0f} MiB; "
        f"load average after: {os.getloadavg()[0]:.2f}"
    )

    if args.json:
        payload = [
            {
                "scale": r.scenario.scale,
                "municipality": r.scenario.municipality,
                "period": r.scenario.period_id,
                "rows": r.scenario.counts,
                "notes": r.scenario.notes,
                "queries": [
                    {"name": t.name, "rows": t.rows, "first": t.first, "median": t.median, "p90": t.p90}
                    for t in r.queries
                ],
                "comparisons": [
                    {
                        "name": c.name,
                        "ours": c.ours.median,
                        "raw": c.raw.median,
                        "pandas": c.pandas.median if c.pandas else None,
                    }
                    for c in r.comparisons
                ],
                "png": {"first": r.png.first, "median": r.png.median, "p90": r.png.p90},
                "pages": [{"name": t.name, "median": t.median, "p90": t.p90} for t in r.pages],
                "peak_rss_after_runs": r.peak_after_runs,
                "peak_rss_after_pandas": r.peak_after_pandas,
                "build": r.build,
            }
            for r in results
        ]
        args.json.write_text(json.dumps(payload, indent=2, default=str), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
