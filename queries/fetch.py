"""A statement's rows as a Polars frame, parsed and bound once.

``con.sql(text, params=...).pl()`` in DuckDB 2.0's Python layer parses and binds the statement
when the relation is made and again when it runs: about 1.5 ms of a 5 ms breakdown whose SQL
spans a few joins (docs/BENCHMARKS.md). ``frame`` executes it once and builds the frame from
the rows where every column has a plain type (meant for the small results of aggregates; a
large one is cheaper through Arrow), and only otherwise runs it through the relation as before.
"""

from __future__ import annotations

import duckdb
import polars as pl

# DuckDB type -> the dtype ``.pl()`` gives it (through Arrow); other types take ``.pl()`` itself
_PLAIN: dict[str, pl.DataType] = {
    "BIGINT": pl.Int64(),
    "INTEGER": pl.Int32(),
    "SMALLINT": pl.Int16(),
    "TINYINT": pl.Int8(),
    "DOUBLE": pl.Float64(),
    "FLOAT": pl.Float32(),
    "VARCHAR": pl.String(),
    "BOOLEAN": pl.Boolean(),
    "DATE": pl.Date(),
}


def frame(con: duckdb.DuckDBPyConnection, sql: str, params: list[object]) -> pl.DataFrame:
    """The rows of ``sql`` as the frame ``con.sql(sql, params=params).pl()`` gives."""
    result = con.execute(sql, params)
    description = result.description or []
    names = [str(d[0]) for d in description]
    types = [_PLAIN.get(str(d[1])) for d in description]
    if len(set(names)) == len(names) and all(t is not None for t in types):
        return pl.DataFrame(result.fetchall(), schema=dict(zip(names, types, strict=True)), orient="row")
    result.fetchall()  # the cursor must be free for the statement again
    return con.sql(sql, params=params).pl()  # runs it again: only for statements of other types
