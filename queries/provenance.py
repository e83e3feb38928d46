"""Where the loaded data comes from: provenance counts and the import history."""

from __future__ import annotations

import duckdb
import polars as pl


def provenance_counts(con: duckdb.DuckDBPyConnection) -> pl.DataFrame:
    """Rows per kind of data (``table``: a key of data_model.kinds.KINDS) and provenance
    (published figures count as 'published')."""
    return con.sql(
        "SELECT 'inquiries' AS table, provenance, count(*)::BIGINT AS rows FROM inquiry GROUP BY ALL "
        "UNION ALL SELECT 'appeal_decisions', provenance, count(*) FROM appeal_decision GROUP BY ALL "
        "UNION ALL SELECT 'appeal_statistics', provenance, count(*) FROM appeal_statistic GROUP BY ALL "
        "UNION ALL SELECT 'published_figures', 'published', count(*) FROM published_figure "
        "ORDER BY 1, 2"
    ).pl()


def import_history(con: duckdb.DuckDBPyConnection, limit: int = 200) -> pl.DataFrame:
    """The newest imports: when, by whom, which kind, which file, rows new/changed/unchanged."""
    return con.sql(
        "SELECT logged_at, actor, kind, file_name, rows_new, rows_changed, rows_unchanged "
        "FROM import_log ORDER BY logged_at DESC LIMIT ?",
        params=[limit],
    ).pl()
