"""Entry point: ``streamlit run app.py``.

Checks the secrets and, when login is configured, shows nothing but the login screen until the
user has logged in (dashboard/auth.py). Then opens (on first start: creates, migrates and seeds)
the database, restores the filters from the URL, draws the shared filter sidebar (which returns the
filters), builds the page context once, runs the chosen page with it (each page is a function
``render(ctx)`` in views/), and writes the filters back to the URL so a copied link reopens the
same view on any page.
"""

from __future__ import annotations

from functools import partial

import duckdb
import streamlit as st

from dashboard import state
from dashboard.auth import gate, sidebar_login
from dashboard.connection import get_connection, warm_up_chart_export
from dashboard.context import build_context
from dashboard.data import catalog, default_municipality, names, setup_needed
from dashboard.layout import presentation_style
from dashboard.navigation import MENU, SETUP_PAGE
from dashboard.safe_text import md_escape
from dashboard.sidebar import draw_sidebar
from data_model.db import DatabaseError

st.set_page_config(page_title="Borgerrådgiver-dashboard", page_icon=":material/balance:", layout="wide")

user = gate()  # stops here on broken secrets, and before login when login is configured

try:
    get_connection()
except DatabaseError as exc:
    st.error(f"Databasen kan ikke åbnes: {md_escape(exc)}")
    st.stop()

warm_up_chart_export()
current_catalog = catalog()
state.init_from_url(current_catalog, default_municipality())
filters = draw_sidebar(current_catalog, names())  # the filters of this run, read once
sidebar_login(user)
ctx = build_context(filters)

pages = {
    entry.url_path: st.Page(
        partial(entry.render, ctx.for_page(entry.url_path)),
        title=entry.title,
        icon=entry.icon,
        url_path=entry.url_path,
        default=entry is MENU[0],
    )
    for entry in MENU
}
chosen = st.navigation(list(pages.values()), position="hidden" if state.presenting() else "sidebar")
if chosen.url_path != SETUP_PAGE and setup_needed():  # an empty database opens on the set-up
    st.switch_page(pages[SETUP_PAGE])
presentation_style()
try:
    chosen.run()
except duckdb.Error as exc:  # e.g. the file was damaged or removed while the app ran
    st.error(
        "Databasen kunne ikke læses, så siden kan ikke vises. Intet gemt er gået tabt af den grund; "
        f"genstart programmet, eller gendan en sikkerhedskopi (python -m data_model restore). Detalje: {exc.__class__.__name__}"
    )
    st.stop()
state.write_url(filters)
