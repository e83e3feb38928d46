"""Entry point: ``streamlit run app.py``. Opens (and on first start creates and seeds) the database."""

from __future__ import annotations

import polars as pl
import streamlit as st

from dashboard.connection import get_connection
from data_model.db import DatabaseError, row_counts

st.set_page_config(page_title="Borgerrådgiver-dashboard", page_icon="📊", layout="wide")

try:
    con = get_connection()
except DatabaseError as exc:
    st.error(str(exc))
    st.stop()

st.title("Borgerrådgiver-dashboard")
counts = row_counts(con.cursor())
st.dataframe(
    pl.DataFrame({"Tabel": list(counts), "Rækker": list(counts.values())}),
    hide_index=True,
)
