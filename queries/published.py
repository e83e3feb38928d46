"""The same measure across municipalities, from the figures the reports published."""

from __future__ import annotations

import duckdb
import polars as pl

TOTAL_MEASURES = ("inquiries", "complaints", "complaint_points", "appeal_decisions")
MEASURE_LABELS = {
    "inquiries": "Henvendelser",
    "complaints": "Klager",
    "complaint_points": "Klagepunkter",
    "appeal_decisions": "Ankestyrelsens afgørelser",
}


def report_names(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    """Each report file as a reader names it: "Beretning 2024" (the latest period its figures
    cover: Hedensted's 2024 report also prints 2023's figures)."""
    rows = con.execute(
        "SELECT f.source_file, arg_max(rp.label, rp.end_date) FROM published_figure f "
        "JOIN report_period rp ON rp.period_id = f.period_id "
        "WHERE f.source_file IS NOT NULL GROUP BY ALL"
    ).fetchall()
    return {str(file): f"Beretning {label}" for file, label in rows}


def source_expr(names: dict[str, str]) -> pl.Expr:
    """ "Beretning 2024, linje 134" from source_file and source_line (the file name when unknown)."""
    report = pl.col("source_file").replace_strict(names, default=pl.col("source_file"), return_dtype=pl.Utf8)
    return (
        pl.when(pl.col("source_file").is_null())
        .then(pl.lit(None, pl.Utf8))
        .when(pl.col("source_line").is_null())
        .then(report)
        .otherwise(pl.format("{}, linje {}", report, pl.col("source_line")))
        .alias("source")
    )


def name_reports(frame: pl.DataFrame, con: duckdb.DuckDBPyConnection, column: str = "source") -> pl.DataFrame:
    """A free-text source starting with a report's file name ("000_a02c….txt, Bilag 1 …") with
    the report named as a reader knows it instead ("Beretning 2024, Bilag 1 …")."""
    names = report_names(con)
    if frame.is_empty() or not names:
        return frame

    def named(text: str | None) -> str | None:
        if text is None:
            return None
        file, sep, rest = text.partition(",")
        return f"{names[file.strip()]}{sep}{rest}" if file.strip() in names else text

    return frame.with_columns(pl.col(column).map_elements(named, return_dtype=pl.Utf8, skip_nulls=False))


def _kind_set(kinds: str | None) -> frozenset[str] | None:
    return None if kinds is None else frozenset(k for k in kinds.split(";") if k)


def _one_total(group: pl.DataFrame) -> dict[str, object] | None:
    """The report's total among the rows it printed for one measure: a row not restricted by
    kind, else the row covering every kind the report split the measure by (Haderslev's
    'I alt' of citizen and internal inquiries), else the sum of disjoint parts that together
    cover them. Repeats of the same total (a number printed in the summary and again in a
    table) count once; the first line it is printed on is its source."""
    rows = group.sort("source_line", nulls_last=True).to_dicts()
    sets = [_kind_set(r["kinds"]) for r in rows]
    union = frozenset().union(*(s for s in sets if s is not None))
    for wanted in (None, union):
        chosen = [r for r, s in zip(rows, sets, strict=True) if s == wanted]
        if chosen:
            best = max(chosen, key=lambda r: r["value"])
            return {**best, "parts": 1}
    parts: dict[frozenset[str], dict[str, object]] = {}
    for row, kinds in zip(rows, sets, strict=True):
        parts.setdefault(kinds, row)  # type: ignore[arg-type]
    keys = list(parts)
    disjoint = all(a.isdisjoint(b) for i, a in enumerate(keys) for b in keys[i + 1 :])
    if not disjoint or frozenset().union(*keys) != union:
        return None
    first = rows[0]
    return {
        **first,
        "value": sum(float(p["value"]) for p in parts.values()),
        "kinds": ";".join(sorted(union)),
        "parts": len(parts),
    }  # type: ignore[arg-type]


def published_totals(con: duckdb.DuckDBPyConnection, municipalities: list[str] | None = None) -> pl.DataFrame:
    """Each report's headline totals (not restricted to a unit, theme or outcome), side by side:
    one row per municipality, period and measure, equal to the total the report printed.

    Columns: municipality, period, start_date, end_date, months, measure, label, value, kinds,
    population, per_1000 (per 1,000 inhabitants where the population is known), source_file,
    source_line, source ("Beretning 2024, linje 134"), flag, measure_label.
    """
    return _finish(con, _totals(_total_rows(con, municipalities)))


def _total_rows(con: duckdb.DuckDBPyConnection, municipalities: list[str] | None) -> pl.DataFrame:
    """The rows a headline total can be: counts not restricted to a unit, theme or outcome."""
    where, params = "", []
    if municipalities:
        where = "AND list_contains(?::VARCHAR[], f.municipality_code) "
        params.append(municipalities)
    rows = con.sql(
        "SELECT m.name AS municipality, rp.label AS period, rp.start_date, rp.end_date, "  # noqa: S608
        "  date_diff('month', rp.start_date, rp.end_date + 1) AS months, f.measure, f.label, f.value, "
        "  f.kind_code AS kinds, pop.population, "
        "  f.source_file, f.source_line, f.flag "
        "FROM published_figure f JOIN municipality m ON m.code = f.municipality_code "
        "JOIN report_period rp ON rp.period_id = f.period_id "
        "LEFT JOIN population pop ON pop.municipality_code = f.municipality_code "
        "  AND pop.year = year(rp.end_date) "
        "WHERE f.value_unit = 'count' AND list_contains(?::VARCHAR[], f.measure) "
        "AND f.unit_id IS NULL AND f.theme_code IS NULL AND f.outcome_code IS NULL "
        "AND f.case_type_code IS NULL AND f.legal_effect_code IS NULL AND f.appeal_outcome_code IS NULL "
        "AND f.law_area_code IS NULL AND f.remark_code IS NULL "
        f"{where}ORDER BY list_position(?::VARCHAR[], f.measure), m.name, rp.start_date, f.source_line",
        params=[list(TOTAL_MEASURES), *params, list(TOTAL_MEASURES)],
    ).pl()
    return rows


GROUP = ["measure", "municipality", "period"]  # one report's one measure


def _totals(rows: pl.DataFrame) -> pl.DataFrame:
    """``_one_total`` of every group of ``rows``, in the groups' order. A group with a row not
    restricted by kind (nearly all) takes the largest such value, the first printed on a tie,
    in one vectorised step; only the rest (totals split by kind) go through ``_one_total``."""
    if rows.is_empty():
        return rows.clear().with_columns(pl.lit(None, pl.Int64).alias("parts"))
    rows = rows.with_row_index("_pos")
    first = rows.group_by(GROUP).agg(pl.col("_pos").min().alias("_first"))
    common = (
        rows.filter(pl.col("kinds").is_null())
        .sort(["value", "source_line", "_pos"], descending=[True, False, False], nulls_last=True)
        .group_by(GROUP)
        .first()
        .with_columns(pl.lit(1, pl.Int64).alias("parts"))
    )
    schema = {**rows.drop("_pos").schema, "parts": pl.Int64}
    split = rows.join(common.select(GROUP), on=GROUP, how="anti", nulls_equal=True)
    rare = [
        total
        for _key, group in split.drop("_pos").group_by(GROUP, maintain_order=True)
        if (total := _one_total(group)) is not None
    ]
    parts = [common.select(list(schema)).cast(schema)]  # type: ignore[arg-type]
    if rare:
        parts.append(pl.DataFrame(rare, schema=schema))
    return pl.concat(parts).join(first, on=GROUP, how="left", nulls_equal=True).sort("_first").drop("_first")


def _finish(con: duckdb.DuckDBPyConnection, frame: pl.DataFrame) -> pl.DataFrame:
    return frame.drop("parts", strict=False).with_columns(
        pl.col("value").round().cast(pl.Int64),  # counts, stored as printed
        (1000.0 * pl.col("value") / pl.col("population")).alias("per_1000"),
        source_expr(report_names(con)),
        pl.col("measure").replace_strict(MEASURE_LABELS, default=pl.col("measure")).alias("measure_label"),
    )


def published_figures(
    con: duckdb.DuckDBPyConnection, municipality: str | None = None, period_id: str | None = None
) -> pl.DataFrame:
    """Every transcribed figure with its source, for the provenance view (``source`` reads
    "Beretning 2024, linje 134")."""
    frame = con.sql(
        "SELECT m.name AS municipality, rp.label AS period, f.table_name, f.dimension, f.label, "
        "  f.dimension2, f.label2, f.value, f.value_unit, f.n, f.source_file, f.source_line, f.flag "
        "FROM published_figure f JOIN municipality m ON m.code = f.municipality_code "
        "LEFT JOIN report_period rp ON rp.period_id = f.period_id "
        "WHERE (?::VARCHAR IS NULL OR f.municipality_code = ?) AND (?::VARCHAR IS NULL OR f.period_id = ?) "
        "ORDER BY m.name, rp.start_date, f.figure_id",
        params=[municipality, municipality, period_id, period_id],
    ).pl()
    return frame.with_columns(source_expr(report_names(con)))
