"""The app's one DuckDB connection; callers take ``cursor()`` per query (not thread-safe)."""

from __future__ import annotations

import duckdb
import streamlit as st

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
