"""A national-scale database for the benchmarks, generated reproducibly in DuckDB SQL.

    python -m bench.national_data --out /tmp/national.duckdb [--seed 1] [--inquiries 5000000]

98 municipalities x 10 calendar years (2016-2025): by default about 1,000,000 inquiries (~45 %
complaints, ~1.25 complaint points per complaint) and 500,000 Ankestyrelsen decisions (``--inquiries``
scales both), stored in (municipality, date) order as migration 9 leaves a database; appeal statistics per
municipality x year x law area plus the whole country ('000'), ~20 recommendations per
municipality with follow-ups, and headline published figures. Every value is a function of the
row number and the seed (DuckDB ``hash``), so the same seed gives the same database; rows are
bulk inserted with INSERT ... SELECT, not through the row-validating importer. Only the small
reference files (municipality '000', categories, themes) go through ``import_file``.

Municipality sizes are skewed like Denmark's: the first one ('101') holds about 5.7 % of all
records (~5,800 inquiries a year), the median one about 0.8 %.

The build's timings and row counts are written beside the file as ``<out>.build.json``.
"""

# Every SQL text below is assembled from module constants only (no input reaches it).
# ruff: noqa: S608

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import duckdb

from data_model.db import connect, row_counts
from data_model.importer import import_file

ROOT = Path(__file__).resolve().parent.parent
REFERENCE = ROOT / "sample_data" / "reference"

N_MUNICIPALITIES = 98
FIRST_YEAR, LAST_YEAR = 2016, 2025
N_INQUIRIES = 1_000_000
N_DECISIONS = 500_000
RECOMMENDATIONS_PER_MUNICIPALITY = 20
SKEW = 1.6  # municipality index = floor(98 * u ** SKEW): a few big municipalities, many small
PROVENANCE = "generated"

# forvaltning name -> common sector (category kind 'sector'); municipality m's forvaltning j is
# entry (m + j) % 7, so every sector except 'uden_for_kommunen' occurs.
DEPARTMENTS = (
    ("Børn og Familie", "boern_familie"),
    ("Beskæftigelse", "beskaeftigelse"),
    ("Social og Sundhed", "aeldre_sundhed_social"),
    ("Skole og Dagtilbud", "skole_dagtilbud"),
    ("Teknik og Miljø", "teknik_miljoe"),
    ("Borgerservice", "borgerservice"),
    ("Økonomi og Tværgående", "tvaergaaende"),
)
SECTIONS = ("Myndighed", "Drift", "Visitation", "Sekretariat")
COMPLAINT_OUTCOMES = (
    "genoptaget",
    "loest_af_borgerraadgiver",
    "henstilling",
    "hjaelp_klageproces",
    "styrket_dialog",
    "ingen_kritik",
    "midlertidigt_afvist",
    "uden_for_kompetence",
    "aabenbart_grundloes",
    "andet",
)
LAW_AREAS = ("boern_handicap", "voksen_handicap", "social_generelt", "beskaeftigelse", "boernesager", "andet")
LAW_AREA_CUMULATIVE = (0.15, 0.30, 0.55, 0.80, 0.90)
REMARKS = ("begrundelse", "oplysning", "sagsbehandlingstid", "partshoering", "klagevejledning", "andet")
FOLLOW_UP_STATUSES = ("i_gang", "delvist", "implementeret", "ingen_bemaerkninger", "afvist", "ukendt")


def _list(values: tuple[str, ...]) -> str:
    """A DuckDB list literal of fixed identifiers (module constants only, never user input)."""
    return "[" + ", ".join(f"'{v}'" for v in values) + "]"


def _pick(values: tuple[str, ...], u: str) -> str:
    """SQL picking one of ``values`` uniformly from the [0, 1) expression ``u``."""
    return f"{_list(values)}[1 + floor({u} * {len(values)})::INTEGER]"


def _load_reference(con: duckdb.DuckDBPyConnection) -> None:
    for file_name, kind in (
        ("municipalities.csv", "municipalities"),
        ("categories.csv", "categories"),
        ("themes.csv", "themes"),
    ):
        report = import_file(con, REFERENCE / file_name, kind, actor="bench")
        if report.problems:
            raise RuntimeError(f"{file_name}: " + "; ".join(p.as_text() for p in report.problems[:5]))


def _steps(seed: int, inquiries: int = N_INQUIRIES) -> list[tuple[str, str]]:
    """(name, SQL) in order. All randomness is rnd(tag, i) = hash(tag, i, seed) mapped to [0, 1)."""
    years = LAST_YEAR - FIRST_YEAR + 1
    n_days = f"(DATE '{LAST_YEAR}-12-31' - DATE '{FIRST_YEAR}-01-01' + 1)"
    day0 = f"DATE '{FIRST_YEAR}-01-01'"
    dept_names = _list(tuple(d[0] for d in DEPARTMENTS))
    dept_sectors = _list(tuple(d[1] for d in DEPARTMENTS))
    law_case = (
        "CASE "
        + " ".join(
            f"WHEN ul < {cut} THEN '{area}'"
            for cut, area in zip(LAW_AREA_CUMULATIVE, LAW_AREAS, strict=False)
        )
        + f" ELSE '{LAW_AREAS[-1]}' END"
    )
    return [
        (
            "macros",
            f"CREATE OR REPLACE TEMP MACRO rnd(tag, i) AS "
            f"((hash(tag, i, {int(seed)}) % 1000000007)::DOUBLE / 1000000007.0);"
            f"CREATE OR REPLACE TEMP MACRO muni_idx(u) AS "
            f"least({N_MUNICIPALITIES - 1}, floor({N_MUNICIPALITIES} * pow(u, {SKEW})))::INTEGER;",
        ),
        (
            "municipalities",
            f"CREATE TEMP TABLE b_muni AS SELECT i::INTEGER AS m_idx, (101 + 7 * i)::VARCHAR AS code, "
            f"pow((i + 1) / {N_MUNICIPALITIES}.0, 1 / {SKEW}) - pow(i / {N_MUNICIPALITIES}.0, 1 / {SKEW}) AS weight "
            f"FROM range({N_MUNICIPALITIES}) t(i);"
            "INSERT INTO municipality SELECT code, 'Kommune ' || code, TRUE FROM b_muni;"
            f"INSERT INTO population SELECT code, y::INTEGER, "
            f"round(5900000 * weight * (1 + 0.004 * (y - {FIRST_YEAR})))::INTEGER "
            f"FROM b_muni, range({FIRST_YEAR}, {LAST_YEAR + 1}) t(y);"
            f"INSERT INTO report_period SELECT code || '-' || y, code, y::VARCHAR, make_date(y::INTEGER, 1, 1), "
            f"make_date(y::INTEGER, 12, 31) FROM b_muni, range({FIRST_YEAR}, {LAST_YEAR + 1}) t(y);",
        ),
        (
            "org_units",
            "CREATE TEMP TABLE b_dept AS SELECT m.m_idx, m.code, j::INTEGER AS j, m.code || '-f' || j AS unit_id, "
            f"{dept_names}[1 + (m.m_idx + j) % 7] AS name, {dept_sectors}[1 + (m.m_idx + j) % 7] AS sector_code "
            "FROM b_muni m, range(5) t(j) WHERE j < 3 + floor(rnd('nf', m.m_idx) * 3);"
            "CREATE TEMP TABLE b_unit AS SELECT d.m_idx, d.code, d.unit_id || '-a' || a AS unit_id, "
            f"d.name || ': ' || {_list(SECTIONS)}[1 + a] AS name, d.sector_code, d.unit_id AS parent_id, "
            "row_number() OVER (PARTITION BY d.m_idx ORDER BY d.j, a)::INTEGER - 1 AS rk "
            "FROM b_dept d, range(4) t(a) WHERE a < 2 + floor(rnd('na', d.m_idx * 10 + d.j) * 3);"
            "INSERT INTO org_unit SELECT unit_id, code, name, 'forvaltning', sector_code, NULL, NULL, NULL FROM b_dept;"
            "INSERT INTO org_unit SELECT unit_id, code, name, 'afdeling', sector_code, parent_id, NULL, NULL FROM b_unit;"
            "CREATE TEMP TABLE b_mu AS SELECT m.*, (SELECT count(*) FROM b_unit u WHERE u.m_idx = m.m_idx)::INTEGER "
            "AS n_units FROM b_muni m;"
            "CREATE TEMP TABLE b_theme AS SELECT code, (row_number() OVER (ORDER BY code) - 1)::INTEGER AS rk, "
            "count(*) OVER ()::INTEGER AS n FROM theme;",
        ),
        (
            "inquiries",
            "CREATE TEMP TABLE b_inq AS SELECT i, 'H' || lpad(i::VARCHAR, 7, '0') AS inquiry_id, m.m_idx, m.code, "
            f"{day0} + floor(rnd('d', i) * {n_days})::INTEGER AS received, "
            "CASE WHEN uk < 0.45 THEN 'klage' WHEN uk < 0.80 THEN 'vejledning' WHEN uk < 0.92 THEN 'intern' "
            "ELSE 'egen_drift' END AS kind_code, floor(rnd('u', i) * m.n_units)::INTEGER AS unit_rk, m.n_units "
            f"FROM (SELECT i, muni_idx(rnd('m', i)) AS m_idx, rnd('k', i) AS uk FROM range({int(inquiries)}) t(i)) g "
            "JOIN b_mu m USING (m_idx);"
            "INSERT INTO inquiry SELECT g.inquiry_id, g.code, g.received, g.kind_code, "
            "CASE WHEN rnd('cl', i) < 0.85 THEN g.received + (1 + floor(rnd('cd', i) * 90))::INTEGER END, "
            "CASE WHEN rnd('un', i) >= 0.03 THEN u.unit_id END, "
            "CASE WHEN rnd('ct', i) >= 0.3 THEN "
            + _pick(("raad_vejledning", "dialogsag", "oversendelsessag", "undersoegelse"), "rnd('ct2', i)")
            + " END, "
            + _pick(("telefon", "mail", "moede", "brev"), "rnd('ch', i)")
            + ", CASE g.kind_code WHEN 'klage' THEN "
            + _pick(COMPLAINT_OUTCOMES, "rnd('o', i)")
            + " WHEN 'vejledning' THEN 'vejledning_givet' END, "
            "CASE WHEN g.kind_code = 'klage' THEN "
            + _pick(("processuel", "materiel", "ingen", "ukendt"), "rnd('le', i)")
            + f" END, NULL, '{PROVENANCE}' "
            # stored in (municipality, date) order, as migration 9 leaves a database
            "FROM b_inq g JOIN b_unit u ON u.m_idx = g.m_idx AND u.rk = g.unit_rk "
            "ORDER BY g.code, g.received, g.inquiry_id;",
        ),
        (
            "complaint_points",
            # 1 point for every complaint, a 2nd for 20 %, a 3rd for 5 %: 1.25 on average.
            "INSERT INTO complaint_point SELECT p.inquiry_id || '-' || p.k, p.inquiry_id, th.code, u.unit_id, "
            "p.code, p.received "
            "FROM (SELECT g.inquiry_id, g.m_idx, g.code, g.received, k, g.i * 4 + k AS pk, "
            "  CASE WHEN rnd('pu', g.i * 4 + k) < 0.15 THEN floor(rnd('pa', g.i * 4 + k) * g.n_units)::INTEGER END AS unit_rk, "
            "  least(16, floor(pow(rnd('pt', g.i * 4 + k), 1.4) * (SELECT max(n) FROM b_theme)))::INTEGER AS theme_rk "
            "  FROM b_inq g, range(1, 4) t(k) WHERE g.kind_code = 'klage' "
            "  AND (k = 1 OR (k = 2 AND rnd('p2', g.i) < 0.20) OR (k = 3 AND rnd('p3', g.i) < 0.05))) p "
            "JOIN b_theme th ON th.rk = p.theme_rk "
            "LEFT JOIN b_unit u ON u.m_idx = p.m_idx AND u.rk = p.unit_rk "
            "ORDER BY p.code, p.received, p.inquiry_id || '-' || p.k;",
        ),
        (
            "appeal_decisions",
            "INSERT INTO appeal_decision SELECT 'A' || lpad(j::VARCHAR, 7, '0'), m.code, "
            f"{law_case}, {day0} + floor(rnd('dd', j) * {n_days})::INTEGER, "
            "CASE WHEN uo < 0.60 THEN 'stadfaestet' WHEN uo < 0.72 THEN 'aendret_ophaevet' "
            "WHEN uo < 0.85 THEN 'hjemvist' ELSE 'afvist' END, "
            "CASE WHEN rnd('du', j) < 0.6 THEN u.unit_id END, "
            "CASE WHEN ur < 0.7 THEN []::VARCHAR[] "
            f"WHEN ur < 0.9 THEN [{_list(REMARKS)}[1 + r1]] "
            f"ELSE [{_list(REMARKS)}[1 + r1], {_list(REMARKS)}[1 + (r1 + 1 + floor(rnd('r2', j) * 5)::INTEGER) % 6]] END, "
            f"'{PROVENANCE}' "
            "FROM (SELECT j, muni_idx(rnd('dm', j)) AS m_idx, rnd('dl', j) AS ul, rnd('do', j) AS uo, "
            "  rnd('dr', j) AS ur, floor(rnd('r1', j) * 6)::INTEGER AS r1, rnd('dk', j) AS uu "
            f"  FROM range({int(inquiries) * N_DECISIONS // N_INQUIRIES}) t(j)) d "
            "JOIN b_mu m USING (m_idx) "
            "JOIN b_unit u ON u.m_idx = d.m_idx AND u.rk = floor(d.uu * m.n_units)::INTEGER ORDER BY 2, 4, 1;",
        ),
        (
            "appeal_statistics",
            "INSERT INTO appeal_statistic "
            "WITH agg AS (SELECT municipality_code, year(decided) AS year, law_area_code, "
            "  count(*) FILTER (WHERE outcome_code <> 'afvist') AS merits, "
            "  count(*) FILTER (WHERE outcome_code = 'aendret_ophaevet') AS changed, "
            "  count(*) FILTER (WHERE outcome_code = 'hjemvist') AS sent_back, "
            "  count(*) FILTER (WHERE outcome_code = 'afvist') AS rejected "
            "  FROM appeal_decision GROUP BY ALL) "
            "SELECT m.code, y::INTEGER, la.code, coalesce(a.merits, 0), coalesce(a.changed, 0), "
            f"coalesce(a.sent_back, 0), coalesce(a.rejected, 0), '{PROVENANCE}' "
            f"FROM b_muni m, range({FIRST_YEAR}, {LAST_YEAR + 1}) t(y), "
            f"(SELECT unnest({_list(LAW_AREAS)}) AS code) la "
            "LEFT JOIN agg a ON a.municipality_code = m.code AND a.year = y AND a.law_area_code = la.code;"
            "INSERT INTO appeal_statistic SELECT '000', year, law_area_code, sum(decided_on_merits), sum(changed), "
            f"sum(sent_back), sum(rejected), '{PROVENANCE}' FROM appeal_statistic GROUP BY ALL;",
        ),
        (
            "recommendations",
            "CREATE TEMP TABLE b_rec AS SELECT m.m_idx, m.code, m.n_units, r, m.code || '-r' || lpad(r::VARCHAR, 2, '0') "
            f"AS rid, DATE '{FIRST_YEAR}-03-01' + floor(rnd('rm', m.m_idx * 100 + r) * {years * 365 - 120})::INTEGER "
            "AS made_on, rnd('rw', m.m_idx * 100 + r) < 0.15 AS whole, "
            "floor(rnd('ru1', m.m_idx * 100 + r) * m.n_units)::INTEGER AS u1, "
            "rnd('ru2', m.m_idx * 100 + r) < 0.4 AS two_units, "
            "floor(rnd('rt1', m.m_idx * 100 + r) * 17)::INTEGER AS t1, rnd('rt2', m.m_idx * 100 + r) < 0.5 AS two_themes "
            f"FROM b_mu m, range({RECOMMENDATIONS_PER_MUNICIPALITY}) t(r);"
            "INSERT INTO recommendation SELECT r.rid, r.code, r.made_on, 'Anbefaling ' || (r.r + 1), "
            "'Genereret anbefaling (benchmarkdata).', r.code || '-' || year(r.made_on), "
            "CASE WHEN rnd('rd', r.m_idx * 100 + r.r) < 0.6 THEN r.made_on + 365 END, "
            "CASE WHEN r.whole THEN []::VARCHAR[] WHEN r.two_units THEN [u1.unit_id, u2.unit_id] ELSE [u1.unit_id] END, "
            "CASE WHEN r.two_themes THEN [t1.code, t2.code] ELSE [t1.code] END, r.whole "
            "FROM b_rec r JOIN b_unit u1 ON u1.m_idx = r.m_idx AND u1.rk = r.u1 "
            "JOIN b_unit u2 ON u2.m_idx = r.m_idx AND u2.rk = (r.u1 + 1) % r.n_units "
            "JOIN b_theme t1 ON t1.rk = r.t1 JOIN b_theme t2 ON t2.rk = (r.t1 + 5) % 17 ORDER BY r.rid;"
            "INSERT INTO follow_up SELECT r.rid || '-f' || k, r.rid, "
            "r.made_on + (120 * (k + 1) + floor(rnd('fd', r.m_idx * 1000 + r.r * 10 + k) * 30))::INTEGER, "
            + _pick(FOLLOW_UP_STATUSES, "rnd('fs', r.m_idx * 1000 + r.r * 10 + k)")
            + ", 'Genereret opfølgning (benchmarkdata).', 'benchmark' "
            "FROM b_rec r, range(4) t(k) WHERE k < 1 + floor(rnd('fn', r.m_idx * 100 + r.r) * 4) ORDER BY 1;",
        ),
        (
            "published_figures",
            "INSERT INTO published_figure (figure_id, municipality_code, table_name, measure, value, value_unit, "
            "period_id, source_file, note) "
            "WITH inq AS (SELECT municipality_code, year(received) AS y, count(*) AS inquiries, "
            "  count(*) FILTER (WHERE kind_code = 'klage') AS complaints FROM inquiry GROUP BY ALL), "
            "pts AS (SELECT i.municipality_code, year(i.received) AS y, count(*) AS points "
            "  FROM complaint_point p JOIN inquiry i USING (inquiry_id) GROUP BY ALL), "
            "dec AS (SELECT municipality_code, year(decided) AS y, count(*) AS decisions FROM appeal_decision GROUP BY ALL), "
            "w AS (SELECT * FROM inq JOIN pts USING (municipality_code, y) JOIN dec USING (municipality_code, y)) "
            "SELECT 'bench-' || municipality_code || '-' || y || '-' || measure, municipality_code, 'totals', measure, "
            "value, 'count', municipality_code || '-' || y, 'generated', 'benchmark data' FROM w "
            "UNPIVOT (value FOR measure IN (inquiries, complaints, points AS complaint_points, "
            "decisions AS appeal_decisions)) ORDER BY 1;",
        ),
        ("checkpoint", "CHECKPOINT;"),
    ]


def build(
    out: Path, seed: int = 1, *, quiet: bool = False, inquiries: int = N_INQUIRIES
) -> dict[str, object]:
    """Create ``out`` (replacing an existing file) and return timings (s) and row counts."""
    for path in (out, out.with_name(out.name + ".wal")):
        path.unlink(missing_ok=True)
    started = time.perf_counter()
    con = connect(out)
    timings: dict[str, float] = {}
    try:
        t0 = time.perf_counter()
        _load_reference(con)
        timings["reference (import_file)"] = time.perf_counter() - t0
        for name, sql in _steps(seed, inquiries):
            t0 = time.perf_counter()
            if name == "checkpoint":
                con.execute(sql)
            else:
                con.execute("BEGIN TRANSACTION")
                con.execute(sql)
                con.execute("COMMIT")
            timings[name] = time.perf_counter() - t0
            if not quiet:
                print(f"  {name:<20} {timings[name]:6.1f} s", flush=True)
        counts = row_counts(con)
    finally:
        con.close()
    total = time.perf_counter() - started
    result: dict[str, object] = {
        "seed": seed,
        "inquiries": inquiries,
        "build_seconds": round(total, 2),
        "steps": {k: round(v, 2) for k, v in timings.items()},
        "rows": counts,
        "file_bytes": out.stat().st_size,
    }
    out.with_name(out.name + ".build.json").write_text(json.dumps(result, indent=2), encoding="utf-8")
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, required=True, help="DuckDB file to create (replaced if present)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--inquiries",
        type=int,
        default=N_INQUIRIES,
        help="inquiries (decisions: half as many); default 1,000,000",
    )
    args = parser.parse_args(argv)
    print(f"Building {args.out} (seed {args.seed}) ...", flush=True)
    result = build(args.out, args.seed, inquiries=args.inquiries)
    rows = result["rows"]
    assert isinstance(rows, dict)
    print(f"Built in {result['build_seconds']} s, {int(result['file_bytes']) / 2**20:.0f} MiB:")
    for table, count in rows.items():
        if count:
            print(f"  {table:<18} {count:>10,}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
