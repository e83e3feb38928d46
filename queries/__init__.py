"""Query functions: a connection (cursor) and a Filters object in, Polars frames out.

Nothing here imports Streamlit, so every query is testable and benchmarkable on its own.
"""
