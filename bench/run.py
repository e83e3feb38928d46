"""Time every query behind the pages, side by side with hand-written SQL and the best pandas.

    python -m bench.run [--scale sample,1m,5m] [--runs 7] [--data-dir DIR] [--json FILE]
                        [--no-pages] [--no-pack] [--server-memory]

Per scale (``sample``: the bundled sample data; ``1m``/``5m``/``20k``...: a generated national
database with that many inquiries, ``bench.national_data``, built into ``--data-dir`` when missing):

- **queries**: every query function the pages call, one warm-up then ``--runs`` timed runs.
- **comparisons**: the main answers computed three ways, ours, hand-written DuckDB SQL and the best
  pandas we could write (filter, aggregate, then attach labels, on frames loaded beforehand);
  equal answers are asserted. Timed *paired*: every round runs the three in a fresh shuffled
  order, and the ratios are the medians of the per-round ratios, so load on the shared machine
  hits all three alike.
- **pages**: each page through Streamlit's AppTest (no browser, the server side of a rerun):
  opened, then rerun after a filter change (a period not yet seen in that session, so every
  period-dependent query misses the cache), for one municipality and for "Alle kommuner".
- **pack_ms**: the report pack of the scenario's period (``report_pack.build.build_pack``).
- **server memory** (``--server-memory``): a real ``streamlit run`` server on the scale's
  database, every page opened by HTTP-driven headless Chromium (Playwright), then the server
  process's peak resident memory (VmHWM in /proc/<pid>/status).

The one municipality is the one whose 2024 size is nearest ``MUNICIPALITY_SIZE`` (at 1 M the
largest, '101'), so its size is the same at every national scale: a one-municipality query's
growth from 1 M to 5 M is the cost of the country around it.
"""

from __future__ import annotations

import argparse
import gc
import json
import math
import os
import platform
import random
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
from data_model.db import connect, row_counts
from data_model.seed import SeedError, load_sample_data
from queries import appeals, inquiries, published, recommendations
from queries.filters import Filters
from queries.periods import Span, comparable_spans, resolve_span

ROOT = Path(__file__).resolve().parent.parent
APP = ROOT / "app.py"
DEFAULT_DATA_DIR = Path(tempfile.gettempdir())
DEFAULT_NATIONAL_DB = DEFAULT_DATA_DIR / "national_1m.duckdb"  # bench.profile's default
NOT_SET = inquiries.NOT_SET
MUNICIPALITY_SIZE = 5_700  # inquiries in 2024 of the one municipality (the largest at 1 M)
YEAR = 2024

# Targets (issue 19, docs/BENCHMARKS.md): seconds / ratios.
TARGET_QUERY = 0.300
TARGET_RAW_RATIO = 1.3
TARGET_PAGE_RERUN = 1.0
TARGET_GROWTH = 1.5


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


def paired(fns: dict[str, Callable[[], object]], runs: int, rng: random.Random) -> dict[str, list[float]]:
    """Each function once untimed, then ``runs`` rounds, each running all of them in a freshly
    shuffled order: round i of one is timed next to round i of the others."""
    for fn in fns.values():
        fn()
    samples: dict[str, list[float]] = {name: [] for name in fns}
    for _ in range(runs):
        order = list(fns)
        rng.shuffle(order)
        for name in order:
            t0 = time.perf_counter()
            fns[name]()
            samples[name].append(time.perf_counter() - t0)
    return samples


def paired_ratio(a: list[float], b: list[float]) -> float:
    return statistics.median(x / y for x, y in zip(a, b, strict=True))


def ms(seconds: float | None) -> str:
    return "–" if seconds is None or math.isnan(seconds) else f"{seconds * 1000:.1f}"


def peak_rss_bytes() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # Linux: KiB


def load_average() -> float:
    return round(os.getloadavg()[0], 2)


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
    size: int  # the municipality's inquiries in the period
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
        previous=span.shifted_years(-1),
        law_area=law[0][0] if law else "boern_handicap",
        recommendation_id=row[0][0] if row else None,
        counts=row_counts(con),
        size=con.execute(
            "SELECT count(*) FROM inquiry WHERE municipality_code = ? AND received BETWEEN ? AND ?",
            [municipality, span.start, span.end],
        ).fetchall()[0][0],
    )


def sample_scenario(tmp: Path) -> Scenario:
    path = tmp / "sample.duckdb"
    con = connect(path)
    notes = []
    try:
        load_sample_data(con)
    except SeedError as exc:
        notes.append(f"load_sample_data failed; timing whatever loaded. {str(exc)[:300]}")
    row = con.execute(
        "SELECT municipality_code, period_id FROM report_period ORDER BY period_id = '510-2024' DESC, "
        "end_date DESC LIMIT 1"
    ).fetchall()
    if not row:
        raise SystemExit("sample: no report periods loaded")
    scenario = _scenario("sample", con, path, row[0][0], row[0][1])
    scenario.notes += notes
    return scenario


def scale_inquiries(scale: str) -> int:
    """'1m' -> 1,000,000; '20k' -> 20,000."""
    match = re.fullmatch(r"(\d+(?:\.\d+)?)([km])", scale.lower())
    if not match:
        raise SystemExit(f"unknown scale {scale!r}: use sample, or a size such as 20k, 1m, 5m")
    return int(float(match.group(1)) * (1_000 if match.group(2) == "k" else 1_000_000))


def national_scenario(scale: str, data_dir: Path) -> tuple[Scenario, dict[str, Any] | None]:
    db_path = data_dir / f"national_{scale.lower()}.duckdb"
    build: dict[str, Any] | None = None
    if not db_path.exists():
        print(f"building the {scale} database {db_path} ...", flush=True)
        build = national_data.build(db_path, inquiries=scale_inquiries(scale))
    else:
        sidecar = db_path.with_name(db_path.name + ".build.json")
        if sidecar.is_file():
            build = json.loads(sidecar.read_text(encoding="utf-8"))
    con = connect(db_path)
    row = con.execute(
        "SELECT municipality_code FROM inquiry WHERE received BETWEEN ? AND ? GROUP BY 1 "
        "ORDER BY abs(count(*) - ?), 1 LIMIT 1",
        [date(YEAR, 1, 1), date(YEAR, 12, 31), MUNICIPALITY_SIZE],
    ).fetchall()
    municipality = row[0][0]
    return _scenario(scale, con, db_path, municipality, f"{municipality}-{YEAR}"), build


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
    everywhere = Filters(date_from=span.start, date_to=span.end)
    cases += [
        ("published.published_totals(all)", lambda: published.published_totals(cur)),
        ("published.published_totals(one)", lambda: published.published_totals(cur, [s.municipality])),
        (
            "all municipalities: breakdown(municipality)",
            lambda: inquiries.breakdown(cur, everywhere, span, "municipality"),
        ),
        (
            "all municipalities: breakdown(main_theme)",
            lambda: inquiries.breakdown(cur, everywhere, span, "main_theme"),
        ),
        (
            "all municipalities: inquiry_key_figures",
            lambda: inquiries.inquiry_key_figures(cur, everywhere, span),
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
# b. the same answers by hand-written SQL and by the best pandas, timed paired


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
    samples: dict[str, list[float]]

    def median(self, who: str) -> float:
        return statistics.median(self.samples[who])

    @property
    def ratio_raw(self) -> float:
        return paired_ratio(self.samples["ours"], self.samples["raw"])

    @property
    def ratio_pandas(self) -> float:
        return paired_ratio(self.samples["ours"], self.samples["pandas"])

    def as_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "ours_ms": round(self.median("ours") * 1000, 2),
            "raw_ms": round(self.median("raw") * 1000, 2),
            "pandas_ms": round(self.median("pandas") * 1000, 2),
            "ratio_raw": round(self.ratio_raw, 3),
            "ratio_pandas": round(self.ratio_pandas, 3),
        }


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
       year(i.received)::VARCHAR || CASE WHEN make_date(year(i.received), 12, 31) >= ? THEN ' (foreløbig)'
           WHEN year(i.received) = (SELECT year(min(start_date)) FROM report_period WHERE municipality_code = ?)
           THEN ' (første år)' ELSE '' END AS bucket_label,
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

# Complaint points filtered on their own municipality and date (migration 9), then joined.
RAW_MAIN_THEME = """
SELECT th.main_code AS code, coalesce(th.main_name, ?) AS label,
       count(DISTINCT p.inquiry_id) AS count,
       count(DISTINCT p.inquiry_id) FILTER (WHERE k.is_complaint) AS complaints,
       grouping(th.main_code) = 1 AS is_total
FROM complaint_point p
JOIN inquiry i ON i.inquiry_id = p.inquiry_id
LEFT JOIN theme_tree th ON th.code = p.theme_code
LEFT JOIN category k ON k.kind = 'inquiry_kind' AND k.code = i.kind_code
WHERE p.municipality_code = ? AND p.received BETWEEN ? AND ?
GROUP BY GROUPING SETS ((th.main_code, th.main_name), ())
"""

RAW_KEY_FIGURES = """
SELECT count(*) FILTER (WHERE i.received BETWEEN $cs AND $ce) AS inquiries,
       count(*) FILTER (WHERE i.received BETWEEN $ps AND $pe) AS inquiries_before,
       count(*) FILTER (WHERE k.is_complaint AND i.received BETWEEN $cs AND $ce) AS complaints,
       count(*) FILTER (WHERE k.is_complaint AND i.received BETWEEN $ps AND $pe) AS complaints_before,
       count(*) FILTER (WHERE NOT list_contains($other, i.kind_code) AND i.received BETWEEN $cs AND $ce) AS citizen,
       count(*) FILTER (WHERE NOT list_contains($other, i.kind_code) AND i.received BETWEEN $ps AND $pe)
           AS citizen_before,
       (SELECT count(*) FROM complaint_point p WHERE p.municipality_code = $m AND p.received BETWEEN $cs AND $ce)
           AS points,
       (SELECT count(*) FROM complaint_point p WHERE p.municipality_code = $m AND p.received BETWEEN $ps AND $pe)
           AS points_before
FROM inquiry i LEFT JOIN category k ON k.kind = 'inquiry_kind' AND k.code = i.kind_code
WHERE i.municipality_code = $m AND i.received BETWEEN $ps AND $ce
"""


def _key_frame(values: dict[str, float | None]) -> pl.DataFrame:
    return pl.DataFrame(
        {"figure": list(values), "value": [None if v is None else float(v) for v in values.values()]},
        schema={"figure": pl.Utf8, "value": pl.Float64},
    )


def ours_key_figures(figures: list[inquiries.KeyFigure]) -> pl.DataFrame:
    values: dict[str, float | None] = {}
    for k in figures:
        values[k.label] = k.value
        values[k.label + " før"] = k.previous
    return _key_frame(values)


def key_figures_from_counts(c: dict[str, float]) -> pl.DataFrame:
    def pct(complaints: float, citizen: float) -> float | None:
        return complaints / citizen * 100 if citizen else None

    return _key_frame(
        {
            "Henvendelser": c["inquiries"],
            "Henvendelser før": c["inquiries_before"],
            "Klager": c["complaints"],
            "Klager før": c["complaints_before"],
            "Klageandel": pct(c["complaints"], c["citizen"]),
            "Klageandel før": pct(c["complaints_before"], c["citizen_before"]),
            "Klagepunkter": c["points"],
            "Klagepunkter før": c["points_before"],
        }
    )


@dataclass
class PandasData:
    """What an analyst starts from: the tables read into pandas once (not timed)."""

    inquiry: pd.DataFrame
    complaint_point: pd.DataFrame
    org_unit: pd.DataFrame
    category: pd.DataFrame
    theme_tree: pd.DataFrame
    appeal_decision: pd.DataFrame
    load_seconds: float

    @classmethod
    def load(cls, con: duckdb.DuckDBPyConnection) -> PandasData:
        t0 = time.perf_counter()
        data = cls(
            inquiry=con.sql(
                "SELECT inquiry_id, municipality_code, received, kind_code, unit_id FROM inquiry"
            ).df(),
            complaint_point=con.sql(
                "SELECT point_id, inquiry_id, theme_code, municipality_code, received FROM complaint_point"
            ).df(),
            org_unit=con.sql("SELECT unit_id, name, sector_code FROM org_unit").df(),
            category=con.sql("SELECT kind, code, label, is_complaint FROM category").df(),
            theme_tree=con.sql("SELECT code, main_code, main_name FROM theme_tree").df(),
            appeal_decision=con.sql(
                "SELECT decision_id, municipality_code, decided, law_area_code, outcome_code FROM appeal_decision"
            ).df(),
            load_seconds=0.0,
        )
        data.load_seconds = time.perf_counter() - t0
        return data

    def complaint_kinds(self) -> list[str]:
        c = self.category
        return c.loc[
            (c["kind"] == "inquiry_kind") & c["is_complaint"].fillna(False).astype(bool), "code"
        ].tolist()


def _ts(day: date) -> pd.Timestamp:
    return pd.Timestamp(day)


def _in(frame: pd.DataFrame, column: str, municipality: str, start: date, end: date) -> pd.DataFrame:
    return frame[
        (frame["municipality_code"] == municipality)
        & (frame[column] >= _ts(start))
        & (frame[column] <= _ts(end))
    ]


def pandas_breakdown_unit(p: PandasData, municipality: str, span: Span) -> pd.DataFrame:
    d = _in(p.inquiry, "received", municipality, span.start, span.end)
    complaint = d["kind_code"].isin(p.complaint_kinds())
    out = (
        complaint.groupby(d["unit_id"], dropna=False)
        .agg(["size", "sum"])
        .set_axis(["count", "complaints"], axis=1)
        .reset_index()
        .rename(columns={"unit_id": "code"})
    )
    names = p.org_unit.set_index("unit_id")["name"]
    out["label"] = out["code"].map(names).fillna(NOT_SET)
    out["n"] = out["count"].sum()
    out["share"] = out["count"] / out["n"]
    return out


def pandas_trend_sector(p: PandasData, municipality: str, today: date) -> pd.DataFrame:
    inq = p.inquiry
    d = inq[inq["municipality_code"] == municipality]
    counts = d.groupby([d["received"].dt.year.rename("year"), d["unit_id"]], dropna=False).size()
    counts = counts.reset_index(name="count")
    sector = counts["unit_id"].map(p.org_unit.set_index("unit_id")["sector_code"])
    sectors = p.category[p.category["kind"] == "sector"].set_index("code")["label"]
    counts["series"] = sector.map(sectors).fillna(sector).fillna(NOT_SET)
    out = counts.groupby(["year", "series"], as_index=False)["count"].sum()
    out["bucket"] = pd.to_datetime(out["year"].astype(str) + "-01-01")
    running = out["year"] >= today.year  # the bucket's last day (31 December) is not past yet
    first = out["year"] == out["year"].min()  # the first year on record: a start-up year
    mark = running.map({True: " (foreløbig)", False: ""}).where(running | ~first, " (første år)")
    out["bucket_label"] = out["year"].astype(str) + mark
    return out


def pandas_yoy_unit(p: PandasData, municipality: str, current: Span, previous: Span) -> pd.DataFrame:
    d = _in(
        p.inquiry,
        "received",
        municipality,
        min(previous.start, current.start),
        max(previous.end, current.end),
    )
    flags = pd.DataFrame(
        {
            "current": d["received"].between(_ts(current.start), _ts(current.end)),
            "previous": d["received"].between(_ts(previous.start), _ts(previous.end)),
        }
    )
    d, flags = d[flags.any(axis=1)], flags[flags.any(axis=1)]
    out = flags.groupby(d["unit_id"], dropna=False).sum().reset_index().rename(columns={"unit_id": "code"})
    out["label"] = out["code"].map(p.org_unit.set_index("unit_id")["name"]).fillna(NOT_SET)
    out["diff"] = out["current"] - out["previous"]
    out["pct_change"] = (out["diff"] / out["previous"] * 100).where(out["previous"] > 0)
    out["small_n"] = out[["current", "previous"]].max(axis=1) < inquiries.SMALL_N
    total = out["current"] + out["previous"]
    out["uncertain"] = (total == 0) | (out["diff"].abs() <= 1.96 * total.pow(0.5))
    return out


def pandas_omgoerelse(p: PandasData, municipality: str, span: Span) -> pd.DataFrame:
    d = _in(p.appeal_decision, "decided", municipality, span.start, span.end)
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
    return out


def pandas_main_theme(p: PandasData, municipality: str, span: Span) -> pd.DataFrame:
    points = _in(p.complaint_point, "received", municipality, span.start, span.end)
    kinds = p.inquiry.loc[p.inquiry["inquiry_id"].isin(points["inquiry_id"]), ["inquiry_id", "kind_code"]]
    complaint = points["inquiry_id"].map(kinds.set_index("inquiry_id")["kind_code"]).isin(p.complaint_kinds())
    main = p.theme_tree.set_index("code")
    frame = pd.DataFrame(
        {
            "code": points["theme_code"].map(main["main_code"]),
            "inquiry_id": points["inquiry_id"],
            "c": complaint,
        }
    )
    out = frame.groupby("code", dropna=False).agg(
        count=("inquiry_id", "nunique"),
        complaints=("inquiry_id", lambda s: s[frame.loc[s.index, "c"]].nunique()),
    )
    out = out.reset_index()
    out["label"] = out["code"].map(main.drop_duplicates("main_code").set_index("main_code")["main_name"])
    out["label"] = out["label"].fillna(NOT_SET)
    n = frame["inquiry_id"].nunique()
    out["n"] = n
    out["share"] = out["count"] / n if n else None
    return out


def pandas_key_figures(p: PandasData, municipality: str, current: Span, previous: Span) -> pl.DataFrame:
    d = _in(p.inquiry, "received", municipality, previous.start, current.end)
    points = _in(p.complaint_point, "received", municipality, previous.start, current.end)
    now = d["received"] >= _ts(current.start)
    before = d["received"] <= _ts(previous.end)
    complaint = d["kind_code"].isin(p.complaint_kinds())
    citizen = ~d["kind_code"].isin(inquiries.NON_CITIZEN_KINDS)
    point_now = points["received"] >= _ts(current.start)
    point_before = points["received"] <= _ts(previous.end)
    return key_figures_from_counts(
        {
            "inquiries": int(now.sum()),
            "inquiries_before": int(before.sum()),
            "complaints": int((complaint & now).sum()),
            "complaints_before": int((complaint & before).sum()),
            "citizen": int((citizen & now).sum()),
            "citizen_before": int((citizen & before).sum()),
            "points": int(point_now.sum()),
            "points_before": int(point_before.sum()),
        }
    )


ComparisonSpec = tuple[str, list[str], Callable[[], Any], Callable[[], Any], Callable[[PandasData], Any]]


def comparison_specs(s: Scenario) -> list[ComparisonSpec]:
    """(name, columns compared, ours, hand-written SQL, pandas) for the main answers."""
    cur = s.con.cursor()
    f, span, m = s.filters, s.span, s.municipality
    today = date.today()  # a year still running is labelled '(foreløbig)'
    spans = comparable_spans(cur, f, span)
    specs: list[ComparisonSpec] = [
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
            lambda: cur.sql(RAW_TREND_SECTOR, params=[today, m, NOT_SET, m]).pl(),
            lambda p: pandas_trend_sector(p, m, today),
        ),
        (
            "omgørelse by law area",
            ["series", "decisions", "rejected", "on_merits", "changed", "sent_back", "pct"],
            lambda: appeals.omgoerelse(cur, f, span, "law_area"),
            lambda: cur.sql(RAW_OMGOERELSE, params=[m, span.start, span.end]).pl(),
            lambda p: pandas_omgoerelse(p, m, span),
        ),
        (
            "breakdown by main theme (complaint points)",
            ["code", "label", "count", "complaints", "share", "n"],
            lambda: inquiries.breakdown(cur, f, span, "main_theme"),
            lambda: raw_main_theme(cur, m, span),
            lambda p: pandas_main_theme(p, m, span),
        ),
    ]
    if spans is None:
        s.notes.append("no earlier period: year over year and key figures not compared")
        return specs
    current, previous, _note = spans
    return [
        *specs,
        (
            "year over year by unit",
            ["code", "label", "current", "previous", "diff", "pct_change", "small_n", "uncertain"],
            lambda: inquiries.year_over_year(cur, f, span, "unit").table,  # type: ignore[union-attr]
            lambda: cur.sql(
                RAW_YOY_UNIT,
                params=[
                    *(NOT_SET, current.start, current.end, previous.start, previous.end),
                    *(m, previous.start, previous.end, current.start, current.end),
                ],
            ).pl(),
            lambda p: pandas_yoy_unit(p, m, current, previous),
        ),
        (
            "key figures (4 figures, 2 periods)",
            ["figure", "value"],
            lambda: ours_key_figures(inquiries.inquiry_key_figures(cur, f, span)),
            lambda: raw_key_figures(cur, m, current, previous),
            lambda p: pandas_key_figures(p, m, current, previous),
        ),
    ]


def raw_main_theme(cur: duckdb.DuckDBPyConnection, municipality: str, span: Span) -> pl.DataFrame:
    frame = cur.sql(RAW_MAIN_THEME, params=[NOT_SET, municipality, span.start, span.end]).pl()
    total = frame.filter(pl.col("is_total"))["count"]
    n = int(total[0]) if len(total) else 0
    return (
        frame.filter(~pl.col("is_total"))
        .drop("is_total")
        .with_columns((pl.col("count") / n).alias("share"), pl.lit(n).alias("n"))
    )


def raw_key_figures(
    cur: duckdb.DuckDBPyConnection, municipality: str, current: Span, previous: Span
) -> pl.DataFrame:
    row = cur.execute(
        RAW_KEY_FIGURES,
        {
            "cs": current.start,
            "ce": current.end,
            "ps": previous.start,
            "pe": previous.end,
            "m": municipality,
            "other": list(inquiries.NON_CITIZEN_KINDS),
        },
    )
    names = [d[0] for d in row.description or []]
    values = row.fetchall()[0]
    return key_figures_from_counts(dict(zip(names, values, strict=True)))


def run_comparisons(s: Scenario, runs: int, seed: int = 19) -> tuple[list[Comparison], float]:
    """Ours, hand-written SQL and the best pandas, equal answers asserted, timed paired."""
    data = PandasData.load(s.con)
    print(f"  pandas frames loaded in {data.load_seconds:.1f} s (not timed below)", flush=True)
    rng = random.Random(seed)
    results = []
    for name, columns, ours_fn, raw_fn, pandas_fn in comparison_specs(s):
        assert_same(f"{s.scale}: {name}", columns, ours=ours_fn(), raw_sql=raw_fn(), pandas=pandas_fn(data))
        samples = paired(
            {"ours": ours_fn, "raw": raw_fn, "pandas": lambda fn=pandas_fn, d=data: fn(d)}, runs, rng
        )
        c = Comparison(name, samples)
        results.append(c)
        print(
            f"  {name:<42} ours {ms(c.median('ours')):>7}  raw {ms(c.median('raw')):>7}  "
            f"pandas {ms(c.median('pandas')):>7} ms  ours/raw {c.ratio_raw:.2f}  ours/pandas {c.ratio_pandas:.2f}",
            flush=True,
        )
    load_seconds = data.load_seconds
    del data
    gc.collect()
    return results, load_seconds


# --------------------------------------------------------------------------------------------
# c. page reruns after a filter change (AppTest)


def app_pages() -> list[str]:
    """The url paths of the app's pages, in menu order."""
    from dashboard.navigation import MENU

    return [entry.url_path for entry in MENU]


def quiet_streamlit() -> None:
    """AppTest outside a server warns on every cache call; keep the benchmark output readable."""
    import logging

    for name in list(logging.root.manager.loggerDict):
        if name.startswith("streamlit"):
            logging.getLogger(name).setLevel(logging.ERROR)


def open_page(at: Any, url_path: str) -> None:
    """Point an AppTest (after its first run) at the page registered under ``url_path``; works for
    file pages and for pages that are functions. The default page is registered with an empty
    url path."""
    pages = at._registered_pages
    found = [h for h, info in pages.items() if info.get("url_pathname") == url_path]
    found = found or [h for h, info in pages.items() if info.get("url_pathname") == ""]
    if not found:
        raise ValueError(f"page {url_path!r} is not registered")
    at._page_hash = found[0]


@dataclass
class PageRerun:
    page: str
    scope: str  # "one" (the scenario's municipality) or "all" (Alle kommuner)
    runs: list[float]
    first: float
    error: str | None = None

    @property
    def rerun_ms(self) -> float:
        return statistics.median(self.runs) * 1000


def _filter_changes(s: Scenario, scope: str) -> tuple[dict[str, str], list[dict[str, Any]]]:
    """The URL a page opens on, and one filter state per rerun: another year each time."""
    years = [
        y for y in range(national_data.LAST_YEAR, national_data.FIRST_YEAR - 1, -1) if y != s.span.start.year
    ]
    if scope == "one":
        periods = [
            p
            for (p,) in s.con.execute(
                "SELECT period_id FROM report_period WHERE municipality_code = ? AND period_id <> ? "
                "ORDER BY end_date DESC",
                [s.municipality, s.period_id],
            ).fetchall()
        ]
        return {"kommune": s.municipality, "periode": s.period_id}, [{"f_period_id": p} for p in periods]
    url = {"kommune": "", "fra": s.span.start.isoformat(), "til": s.span.end.isoformat()}
    return url, [{"f_date_from": date(y, 1, 1), "f_date_to": date(y, 12, 31)} for y in years]


def run_page_reruns(s: Scenario, runs: int, pages: list[str] | None = None) -> list[PageRerun]:
    """Each page through AppTest with BORGERRAAD_DB = this scale's database: opened on the scenario
    (query cache cleared first, so earlier pages do not pre-warm it), then ``runs`` reruns each
    after changing the period to one this session has not shown yet. Period-independent answers
    may come from the cache (as for a user), period-dependent ones are computed."""
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    os.environ["BORGERRAAD_DB"] = str(s.db_path)
    results = []
    for scope in ("one", "all"):
        url, changes = _filter_changes(s, scope)
        if len(changes) < runs:
            s.notes.append(f"page reruns ({scope}): only {len(changes)} other periods")
        for page in pages if pages is not None else app_pages():
            st.cache_data.clear()
            at = AppTest.from_file(str(APP), default_timeout=300)
            for key, value in url.items():
                at.query_params[key] = value
            at.run()
            quiet_streamlit()
            open_page(at, page)
            t0 = time.perf_counter()
            at.run()
            first = time.perf_counter() - t0
            samples = []
            for change in changes[:runs]:
                for key, value in change.items():
                    at.session_state[key] = value
                t0 = time.perf_counter()
                at.run()
                samples.append(time.perf_counter() - t0)
            error = at.exception[0].value[:200] if at.exception else None
            result = PageRerun(page, scope, samples, first, error)
            results.append(result)
            print(
                f"  {page:<14} {scope:<3} open {ms(first):>7} ms, rerun after a period change: median "
                f"{result.rerun_ms:7.1f} ms, max {max(samples) * 1000:7.1f} ms"
                + (f"  RAISED {error}" if error else ""),
                flush=True,
            )
    st.cache_data.clear()
    return results


# --------------------------------------------------------------------------------------------
# d. the report pack, the server's memory


def run_report_pack(s: Scenario) -> float:
    """The whole report pack of the scenario's period, in this (warm) process; seconds."""
    from report_pack.build import build_pack

    with tempfile.TemporaryDirectory() as out:
        started = time.perf_counter()
        result = build_pack(s.con.cursor(), s.municipality, s.period_id, out)
        elapsed = time.perf_counter() - started
    print(f"  report pack: {elapsed:.2f} s for {len(result.files)} files", flush=True)
    return elapsed


SERVER_VISIT = """
import sys, time
from playwright.sync_api import sync_playwright
base, query, paths = sys.argv[1], sys.argv[2], sys.argv[3:]
idle = "() => !document.querySelector('[data-testid=\\"stStatusWidget\\"]')"
with sync_playwright() as p:
    browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"])
    page = browser.new_page(viewport={"width": 1440, "height": 900})
    for path in paths:
        page.goto(f"{base}/{path}?{query}", timeout=180_000)
        page.wait_for_selector("[data-testid='stHeading']", timeout=180_000)  # the page has run
        quiet = 0
        while quiet < 4:  # the script has stopped running: no status widget for 2 s in a row
            time.sleep(0.5)
            quiet = quiet + 1 if page.evaluate(idle) else 0
        print(path, len(page.inner_text("body")), flush=True)
    browser.close()
"""


def release_database(s: Scenario) -> None:
    """Close every connection this process holds on the scenario's file (its own, and the one the
    page reruns opened through the app's resource cache): the server opens the file itself, and
    DuckDB lets one process hold it."""
    import streamlit as st

    s.con.close()
    st.cache_resource.clear()
    gc.collect()  # the cached connection closes when it is collected


def run_server_memory(s: Scenario, port: int = 8599) -> dict[str, Any]:
    """A real `streamlit run` server on the scenario's database; headless Chromium opens every page
    for the one municipality and for all; then the server process's VmHWM (peak RSS) and VmRSS."""
    import urllib.request

    env = {**os.environ, "BORGERRAAD_DB": str(s.db_path)}
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            str(APP),
            "--server.headless",
            "true",
            "--server.port",
            str(port),
            "--browser.gatherUsageStats",
            "false",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(240):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2).read()
                break
            except OSError:
                time.sleep(0.5)
        pages = app_pages()
        started = time.perf_counter()
        shown: list[int] = []  # characters of text on each visited page: evidence that it rendered
        for query in (f"kommune={s.municipality}&periode={s.period_id}", "kommune="):
            done = subprocess.run(
                [sys.executable, "-c", SERVER_VISIT, f"http://127.0.0.1:{port}", query, *pages],
                timeout=1800,
                capture_output=True,
                text=True,
            )
            if done.returncode != 0:
                raise RuntimeError(
                    f"the pages did not open ({query}): {done.stdout[-500:]} {done.stderr[-1500:]}"
                )
            shown += [int(line.split()[-1]) for line in done.stdout.splitlines() if line.strip()]
        status = Path(f"/proc/{server.pid}/status").read_text(encoding="utf-8")
        fields = dict(re.findall(r"^(Vm\w+):\s+(\d+) kB", status, flags=re.MULTILINE))
        result = {
            "peak_mib": round(int(fields["VmHWM"]) / 1024, 1),
            "rss_mib": round(int(fields["VmRSS"]) / 1024, 1),
            "pages_visited": len(shown),
            "least_text_chars_on_a_page": min(shown, default=0),
            "visit_seconds": round(time.perf_counter() - started, 1),
        }
        print(
            f"  server (pid {server.pid}): peak {result['peak_mib']} MiB, now {result['rss_mib']} MiB "
            f"after {result['pages_visited']} page visits",
            flush=True,
        )
        return result
    finally:
        server.terminate()
        server.wait(timeout=30)


# --------------------------------------------------------------------------------------------
# output


@dataclass
class ScaleResult:
    scenario: Scenario
    queries: list[Timing]
    comparisons: list[Comparison]
    pages: list[PageRerun]
    pack_ms: float | None
    load_before: float
    load_after: float
    pandas_load_seconds: float | None = None
    peak_rss: int | None = None
    server: dict[str, Any] | None = None
    build: dict[str, Any] | None = None

    def as_json(self) -> dict[str, Any]:
        s = self.scenario
        return {
            "scale": s.scale,
            "municipality": s.municipality,
            "period": s.period_id,
            "municipality_inquiries_in_period": s.size,
            "rows": s.counts,
            "notes": s.notes,
            "load_average_before": self.load_before,
            "load_average_after": self.load_after,
            "queries": [
                {
                    "name": t.name,
                    "rows": t.rows,
                    "first_ms": t.first * 1000,
                    "median_ms": t.median * 1000,
                    "p90_ms": t.p90 * 1000,
                }
                for t in self.queries
            ],
            "comparisons": [c.as_json() for c in self.comparisons],
            "pages": [
                {
                    "page": p.page,
                    "scope": p.scope,
                    "rerun_ms": round(p.rerun_ms, 1),
                    "open_ms": round(p.first * 1000, 1),
                    "error": p.error,
                }
                for p in self.pages
            ],
            "pack_ms": None if self.pack_ms is None else round(self.pack_ms * 1000, 1),
            "server_memory": self.server,
            "bench_process_peak_rss_mib": None if self.peak_rss is None else round(self.peak_rss / 2**20, 1),
            "build": self.build,
        }


def markdown(r: ScaleResult) -> str:
    s = r.scenario
    lines = [
        f"### {s.scale}: municipality {s.municipality}, period {s.period_id} "
        f"(load average {r.load_before} before, {r.load_after} after)",
        "",
        f"Rows: {s.counts['inquiry']:,} inquiries, {s.counts['complaint_point']:,} complaint points, "
        f"{s.counts['appeal_decision']:,} decisions. Times in ms.",
        "",
        *[f"Note: {n}" for n in s.notes],
        "",
        f"| query | rows | first | median | p90 | ≤ {TARGET_QUERY * 1000:.0f} ms |",
        "|---|---:|---:|---:|---:|---|",
    ]
    for t in r.queries:
        ok = "yes" if t.median <= TARGET_QUERY else "**no**"
        lines.append(f"| {t.name} | {t.rows} | {ms(t.first)} | {ms(t.median)} | {ms(t.p90)} | {ok} |")
    lines += [
        "",
        "| answer | ours | raw SQL | pandas | ours / raw (paired) | ours / pandas (paired) |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for c in r.comparisons:
        lines.append(
            f"| {c.name} | {ms(c.median('ours'))} | {ms(c.median('raw'))} | {ms(c.median('pandas'))} | "
            f"{c.ratio_raw:.2f} | {c.ratio_pandas:.2f} |"
        )
    if r.pages:
        lines += ["", "| page | scope | open | rerun after a period change (median) |", "|---|---|---:|---:|"]
        for p in r.pages:
            scope = "one municipality" if p.scope == "one" else "Alle kommuner"
            lines.append(f"| {p.page} | {scope} | {p.first * 1000:.0f} | {p.rerun_ms:.0f} |")
    if r.pack_ms is not None:
        lines += ["", f"Report pack (warm process): {r.pack_ms * 1000:.0f} ms."]
    if r.server:
        lines += [
            "",
            f"App server (`streamlit run`, every page for one municipality and for all, by Chromium): "
            f"peak {r.server['peak_mib']} MiB (VmHWM), {r.server['rss_mib']} MiB after.",
        ]
    return "\n".join(lines)


def targets(results: list[ScaleResult]) -> list[tuple[str, bool, str]]:
    out: list[tuple[str, bool, str]] = []
    for r in results:
        scale = r.scenario.scale
        slow = [t for t in r.queries if t.median > TARGET_QUERY]
        worst = max(r.queries, key=lambda t: t.median)
        out.append(
            (
                f"{scale}: every query ≤ {TARGET_QUERY * 1000:.0f} ms",
                not slow,
                f"slowest {worst.name} {ms(worst.median)} ms" + (f"; {len(slow)} over" if slow else ""),
            )
        )
        if r.comparisons:
            over = [c for c in r.comparisons if c.ratio_raw > TARGET_RAW_RATIO]
            out.append(
                (
                    f"{scale}: ≤ {TARGET_RAW_RATIO}× raw SQL",
                    not over,
                    ", ".join(f"{c.name} {c.ratio_raw:.2f}" for c in r.comparisons),
                )
            )
            slower = [c for c in r.comparisons if c.ratio_pandas >= 1]
            out.append(
                (
                    f"{scale}: faster than the best pandas",
                    not slower,
                    ", ".join(f"{c.name} {c.ratio_pandas:.2f}" for c in r.comparisons),
                )
            )
        if r.pages:
            worst_page = max(r.pages, key=lambda p: p.rerun_ms)
            over_pages = [p for p in r.pages if p.rerun_ms > TARGET_PAGE_RERUN * 1000]
            out.append(
                (
                    f"{scale}: page rerun ≤ {TARGET_PAGE_RERUN:.0f} s",
                    not over_pages,
                    f"slowest {worst_page.page} ({worst_page.scope}) {worst_page.rerun_ms:.0f} ms"
                    + (
                        f"; over: {', '.join(f'{p.page} ({p.scope})' for p in over_pages)}"
                        if over_pages
                        else ""
                    ),
                )
            )
    national = [r for r in results if r.scenario.scale != "sample"]
    if len(national) >= 2:
        small, big = national[0], national[-1]
        growth = []
        big_times = {t.name: t.median for t in big.queries}
        for t in small.queries:
            if t.name in big_times and not t.name.startswith(("all municipalities", "published.")):
                growth.append((t.name, big_times[t.name] / t.median))
        worst = max(growth, key=lambda g: g[1])
        out.append(
            (
                f"one municipality: {small.scenario.scale} → {big.scenario.scale} growth < {TARGET_GROWTH}×",
                worst[1] < TARGET_GROWTH,
                f"largest {worst[0]} {worst[1]:.2f}×",
            )
        )
    return out


# --------------------------------------------------------------------------------------------


def run_scale(s: Scenario, args: argparse.Namespace, build: dict[str, Any] | None = None) -> ScaleResult:
    before = load_average()
    print(
        f"\n== {s.scale}: municipality {s.municipality}, period {s.period_id}, load average {before} ==",
        flush=True,
    )
    print("a. queries", flush=True)
    queries_t = run_queries(s, args.runs)
    print("b. ours vs hand-written SQL vs best pandas (paired, shuffled rounds)", flush=True)
    comparisons, pandas_load = run_comparisons(s, args.runs)
    pages: list[PageRerun] = []
    if not args.no_pages:
        print("c. page reruns after a filter change (AppTest)", flush=True)
        pages = run_page_reruns(s, args.page_runs)
    pack = None if args.no_pack else run_report_pack(s)
    server = None
    if args.server_memory:
        print("d. app server memory (streamlit run + headless Chromium)", flush=True)
        release_database(s)
        server = run_server_memory(s)
    return ScaleResult(
        s,
        queries_t,
        comparisons,
        pages,
        pack,
        before,
        load_average(),
        pandas_load,
        peak_rss_bytes(),
        server,
        build,
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Time the dashboard's queries (see docs/BENCHMARKS.md).")
    parser.add_argument("--scale", default="sample,1m", help="comma-separated: sample, 20k, 1m, 5m ...")
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--page-runs", type=int, default=3, help="reruns per page and scope")
    parser.add_argument("--data-dir", type=Path, default=DEFAULT_DATA_DIR)
    parser.add_argument("--json", type=Path, help="write the figures as JSON here")
    parser.add_argument("--no-pages", action="store_true")
    parser.add_argument("--no-pack", action="store_true")
    parser.add_argument(
        "--server-memory", action="store_true", help="also start a server and visit every page"
    )
    args = parser.parse_args(argv)

    machine = (
        f"{platform.platform()}, Python {platform.python_version()}, {os.cpu_count()} CPUs, "
        f"duckdb {duckdb.__version__}, polars {pl.__version__}, pandas {pd.__version__}"
    )
    print(machine, flush=True)
    load_before = load_average()
    print(f"load average before: {load_before} (the machine may be shared)", flush=True)
    started = time.perf_counter()
    results: list[ScaleResult] = []
    with tempfile.TemporaryDirectory(prefix="bench-") as tmp:
        for scale in [x.strip() for x in args.scale.split(",") if x.strip()]:
            if scale == "sample":
                scenario, build = sample_scenario(Path(tmp)), None
            else:
                scenario, build = national_scenario(scale, args.data_dir)
            results.append(run_scale(scenario, args, build))
            scenario.con.close()
            print(markdown(results[-1]), flush=True)
    load_after = load_average()

    print("\n| target | met | figure |\n|---|---|---|")
    for name, met, figure in targets(results):
        print(f"| {name} | {'met' if met else '**missed**'} | {figure} |")
    print(
        f"\nwhole run: {time.perf_counter() - started:.0f} s; load average before {load_before}, after {load_after}"
    )

    if args.json:
        payload = {
            "machine": machine,
            "load_average_before": load_before,
            "load_average_after": load_after,
            "targets": [{"target": n, "met": m, "figure": f} for n, m, f in targets(results)],
            "scales": [r.as_json() for r in results],
        }
        args.json.write_text(json.dumps(payload, indent=2, default=str, ensure_ascii=False), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
