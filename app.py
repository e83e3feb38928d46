"""Entry point: ``streamlit run app.py``.

Checks the secrets and, when login is configured, shows nothing but the login screen until the
user has logged in (dashboard/auth.py). Then opens (on first start: creates, migrates and seeds)
the database, restores the filters from the URL, draws the shared filter sidebar, runs the chosen
page, and writes the filters back to the URL so a copied link reopens the same view on any page.
"""

from __future__ import annotations

import duckdb
import streamlit as st

from dashboard import state
from dashboard.auth import gate, sidebar_login
from dashboard.connection import get_connection, warm_up_chart_export
from dashboard.data import catalog, default_municipality, names, setup_needed
from dashboard.layout import presentation_style
from dashboard.sidebar import draw_sidebar
from data_model.db import DatabaseError

st.set_page_config(page_title="Borgerrådgiver-dashboard", page_icon=":material/balance:", layout="wide")

PAGES = [
    st.Page(
        "views/overblik.py", title="Overblik", icon=":material/dashboard:", url_path="overblik", default=True
    ),
    st.Page("views/tendenser.py", title="Tendenser", icon=":material/show_chart:", url_path="tendenser"),
    st.Page(
        "views/aar_for_aar.py", title="År for år", icon=":material/compare_arrows:", url_path="aar-for-aar"
    ),
    st.Page(
        "views/ankestyrelsen.py", title="Ankestyrelsen", icon=":material/gavel:", url_path="ankestyrelsen"
    ),
    st.Page(
        "views/anbefalinger.py", title="Anbefalinger", icon=":material/task_alt:", url_path="anbefalinger"
    ),
    st.Page("views/krydstabel.py", title="Krydstabel", icon=":material/table_chart:", url_path="krydstabel"),
    st.Page("views/kommuner.py", title="Kommuner", icon=":material/map:", url_path="kommuner"),
    st.Page("views/registrering.py", title="Registrér", icon=":material/edit_note:", url_path="registrer"),
    st.Page("views/data.py", title="Data", icon=":material/database:", url_path="data"),
]

user = gate()  # stops here on broken secrets, and before login when login is configured

try:
    get_connection()
except DatabaseError as exc:
    st.error(f"Databasen kan ikke åbnes: {exc}")
    st.stop()

warm_up_chart_export()
current_catalog = catalog()
state.init_from_url(current_catalog, default_municipality())
page = st.navigation(PAGES, position="hidden" if state.presenting() else "sidebar")
if page.url_path != "data" and setup_needed():  # an empty database opens on the set-up
    st.switch_page(PAGES[-1])
draw_sidebar(current_catalog, names())
sidebar_login(user)
filters = state.filters_from_widgets()
state.set_current(filters)
presentation_style()
try:
    page.run()
except duckdb.Error as exc:  # e.g. the file was damaged or removed while the app ran
    st.error(
        "Databasen kunne ikke læses, så siden kan ikke vises. Intet gemt er gået tabt af den grund; "
        f"genstart programmet, eller gendan en sikkerhedskopi (python -m data_model restore). Detalje: {exc.__class__.__name__}"
    )
    st.stop()
state.write_url(state.filters_from_widgets())
