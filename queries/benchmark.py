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


def published_totals(con: duckdb.DuckDBPyConnection, municipalities: list[str] | None = None) -> pl.DataFrame:
    """Each report's headline totals (not restricted to a unit, theme or outcome), side by side.

    Columns: municipality, period, start_date, end_date, months, measure, label, value, kinds,
    population, per_1000 (per 1,000 inhabitants where the population is known), source_file,
    source_line, flag.
    """
    where, params = "", []
    if municipalities:
        where = "AND list_contains(?::VARCHAR[], f.municipality_code) "
        params.append(municipalities)
    frame = con.sql(
        "SELECT m.name AS municipality, rp.label AS period, rp.start_date, rp.end_date, "  # noqa: S608
        "  date_diff('month', rp.start_date, rp.end_date + 1) AS months, f.measure, f.label, f.value, "
        "  f.kind_code AS kinds, pop.population, 1000.0 * f.value / pop.population AS per_1000, "
        "  f.source_file, f.source_line, f.flag "
        "FROM published_figure f JOIN municipality m ON m.code = f.municipality_code "
        "JOIN report_period rp ON rp.period_id = f.period_id "
        "LEFT JOIN population pop ON pop.municipality_code = f.municipality_code "
        "  AND pop.year = year(rp.end_date) "
        "WHERE f.value_unit = 'count' AND list_contains(?::VARCHAR[], f.measure) "
        "AND f.unit_id IS NULL AND f.theme_code IS NULL AND f.outcome_code IS NULL "
        "AND f.case_type_code IS NULL AND f.legal_effect_code IS NULL AND f.appeal_outcome_code IS NULL "
        "AND f.law_area_code IS NULL AND f.remark_code IS NULL "
        f"{where}ORDER BY list_position(?::VARCHAR[], f.measure), m.name, rp.start_date",
        params=[list(TOTAL_MEASURES), *params, list(TOTAL_MEASURES)],
    ).pl()
    return frame.with_columns(
        pl.col("measure").replace_strict(MEASURE_LABELS, default=pl.col("measure")).alias("measure_label")
    )


def published_figures(
    con: duckdb.DuckDBPyConnection, municipality: str | None = None, period_id: str | None = None
) -> pl.DataFrame:
    """Every transcribed figure with its source, for the provenance view."""
    return con.sql(
        "SELECT m.name AS municipality, rp.label AS period, f.table_name, f.dimension, f.label, "
        "  f.dimension2, f.label2, f.value, f.value_unit, f.n, f.source_file, f.source_line, f.flag "
        "FROM published_figure f JOIN municipality m ON m.code = f.municipality_code "
        "LEFT JOIN report_period rp ON rp.period_id = f.period_id "
        "WHERE (?::VARCHAR IS NULL OR f.municipality_code = ?) AND (?::VARCHAR IS NULL OR f.period_id = ?) "
        "ORDER BY m.name, rp.start_date, f.figure_id",
        params=[municipality, municipality, period_id, period_id],
    ).pl()
