"""Streamlit glue shared by the pages: connection, filters, layout helpers."""
