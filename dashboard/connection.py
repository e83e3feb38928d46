"""The app's one DuckDB connection; callers take ``cursor()`` per query (not thread-safe)."""

from __future__ import annotations

import threading

import duckdb
import streamlit as st

from charts.export import to_png
from data_model.db import connect, resolve_db_path
from data_model.seed import ensure_seeded


@st.cache_resource(show_spinner="Åbner databasen …")
def _open(path: str) -> duckdb.DuckDBPyConnection:
    con = connect(path)
    ensure_seeded(con)
    return con


def get_connection() -> duckdb.DuckDBPyConnection:
    """Created, migrated and seeded with the sample data on first start."""
    return _open(str(resolve_db_path()))


@st.cache_resource(show_spinner=False)
def warm_up_chart_export() -> threading.Thread:
    """Start vl-convert's JavaScript engine once per server process, in the background, so the
    first PNG a user downloads does not pay the ~1 s start-up (docs/BENCHMARKS.md)."""

    def render_tiny_chart() -> None:
        to_png({"data": {"values": [{"x": 1}]}, "mark": "point", "encoding": {"x": {"field": "x"}}}, scale=1)

    thread = threading.Thread(target=render_tiny_chart, name="vl-convert-warm-up", daemon=True)
    thread.start()
    return thread
