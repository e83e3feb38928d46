"""Where the loaded data comes from: provenance counts and the import history."""

from __future__ import annotations

import duckdb
import polars as pl


def provenance_counts(con: duckdb.DuckDBPyConnection) -> pl.DataFrame:
    """Rows per table and provenance (published figures count as 'published')."""
    return con.sql(
        "SELECT 'Henvendelser' AS table, provenance, count(*)::BIGINT AS rows FROM inquiry GROUP BY ALL "
        "UNION ALL SELECT 'Ankestyrelsens afgørelser', provenance, count(*) FROM appeal_decision GROUP BY ALL "
        "UNION ALL SELECT 'Ankestyrelsens statistik', provenance, count(*) FROM appeal_statistic GROUP BY ALL "
        "UNION ALL SELECT 'Publicerede tal', 'published', count(*) FROM published_figure "
        "ORDER BY 1, 2"
    ).pl()


def import_history(con: duckdb.DuckDBPyConnection, limit: int = 200) -> pl.DataFrame:
    return con.sql(
        'SELECT logged_at AS "Tidspunkt", actor AS "Af", kind AS "Type", file_name AS "Fil", '
        'rows_new AS "Nye", rows_changed AS "Ændrede", rows_unchanged AS "Uændrede" '
        "FROM import_log ORDER BY logged_at DESC LIMIT ?",
        params=[limit],
    ).pl()
