"""Registrér: record inquiries, follow up recommendations, and maintain units and themes.

Every save goes through data_model.forms and data_model.editing: the importer's validation
(Danish reasons shown at the form, which keeps what was typed), an audit-log entry with old and
new values, and a refusal when someone else changed the record since it was opened.
"""

from __future__ import annotations

import streamlit as st

from dashboard import registration
from dashboard.auth import current_user, require_editor
from dashboard.context import PageContext
from dashboard.data import catalog


def render(ctx: PageContext) -> None:
    st.title("Registrér")
    st.caption(
        "Nye henvendelser, opfølgning på anbefalinger og vedligehold af enheder og temaer. "
        "Alt gemmes i ændringsloggen."
    )
    user = current_user()
    can_edit = require_editor(user)
    municipality = ctx.filters.municipality
    if not municipality:
        st.info("Vælg én kommune i menuen til venstre.")
        return
    all_catalog = catalog()
    form = registration.FormContext(
        municipality=municipality,
        period_id=ctx.filters.period_id,
        actor=user.id,
        can_edit=can_edit,
        units={u: n for u, n in ctx.names.units.items() if all_catalog.units.get(u) == municipality},
        themes={c: ctx.names.themes.get(c, c) for c in all_catalog.themes},
        main_themes=frozenset(all_catalog.main_themes),
        names=ctx.names,
    )
    inquiry_tab, recommendation_tab, category_tab = st.tabs(
        ["Henvendelse", "Anbefalinger", "Enheder og temaer"]
    )
    with inquiry_tab:
        registration.inquiry_form(form)
    with recommendation_tab:
        registration.follow_up_form(form)
        with st.expander("Ny anbefaling"):
            registration.recommendation_form(form)
    with category_tab:
        add_unit, rename, add_theme = st.columns(3)
        with add_unit:
            registration.unit_form(form)
        with rename:
            registration.rename_form(form)
        with add_theme:
            registration.theme_form(form)
