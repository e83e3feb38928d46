"""The Krydstabel page's report template panel: the municipality's own tables and figures in
order, edited in a table (editors only), added from the current crosstab or the standard figures,
downloaded and loaded as JSON."""

from __future__ import annotations

import polars as pl
import streamlit as st

from dashboard.auth import current_user, require_editor
from dashboard.connection import get_connection
from dashboard.context import PageContext
from dashboard.crosstab_state import describe_item
from dashboard.data import query
from dashboard.safe_text import md_escape
from queries import crosstab as xt
from report_pack.template import (
    STANDARD_FIGURES,
    TemplateError,
    TemplateItem,
    crosstab_item,
    edited_template,
    load_template,
    save_template,
    template_from_json,
    template_to_json,
)


def template_panel(ctx: PageContext, municipality: str, spec: xt.CrossSpec, title: str) -> None:
    """The panel for ``municipality``; ``spec`` and ``title``: the crosstab on screen."""
    municipality_name = ctx.names.municipalities.get(municipality, municipality)
    st.caption(
        f"Beretningens egne tabeller og figurer for {md_escape(municipality_name)}, i rækkefølge. Beretningspakken på siden "
        "Data (og python -m report_pack) bygger dem for den valgte periode."
    )
    user = current_user()
    can_edit = require_editor(user)
    template = query(load_template, municipality)

    def _save(items: list[TemplateItem], message: str) -> None:
        try:
            save_template(get_connection().cursor(), municipality, items, user.id)
        except TemplateError as exc:
            st.error(md_escape(exc))
            return
        st.toast(message)
        st.rerun()

    if template:
        listing = pl.DataFrame(
            {
                "Nr.": list(range(1, len(template) + 1)),
                "Titel": [i.title for i in template],
                "Billedtekst": [i.caption for i in template],
                "Indhold": [describe_item(i) for i in template],
                "Figur i Word": [i.chart if i.spec is not None else True for i in template],
                "Fjern": [False] * len(template),
            }
        )
        edited = st.data_editor(
            listing,
            hide_index=True,
            disabled=["Indhold"] if can_edit else True,
            key="xt_template_editor",
            column_config={
                "Nr.": st.column_config.NumberColumn(
                    help="Skriv et andet nummer for at flytte punktet", min_value=1, step=1
                ),
                "Figur i Word": st.column_config.CheckboxColumn(
                    help="En krydstabel vises også som figur i Word-dokumentet (en standardfigur altid)"
                ),
                "Fjern": st.column_config.CheckboxColumn(help="Markér og gem for at fjerne punktet"),
            },
        )
        if can_edit and st.button("Gem ændringerne i skabelonen", key="xt_template_save"):
            rows = [
                {
                    "nr": r["Nr."],
                    "title": r["Titel"],
                    "caption": r["Billedtekst"],
                    "chart": r["Figur i Word"],
                    "remove": r["Fjern"],
                }
                for r in edited.iter_rows(named=True)
            ]
            try:
                items = edited_template(template, rows)
            except TemplateError as exc:
                st.error(str(exc))
                return
            _save(items, "Skabelonen er gemt")
    else:
        st.info(
            f"{md_escape(municipality_name)} har ingen rapportskabelon endnu: beretningspakken indeholder standardfigurerne."
        )

    if can_edit:
        with st.form("xt_add", clear_on_submit=True):
            st.markdown("**Tilføj den aktuelle krydstabel**")
            new_title = st.text_input("Titel", value=title, key="xt_new_title")
            new_caption = st.text_input("Billedtekst (valgfri)", key="xt_new_caption")
            with_chart = st.checkbox("Vis også som figur i Word-dokumentet", value=True, key="xt_new_chart")
            st.caption(
                "Sidemenuens filtre (type, udfald, sektor, enhed, tema) gemmes med tabellen; perioden gør ikke."
            )
            if st.form_submit_button("Tilføj til skabelonen"):
                item_spec = spec.with_(threshold=None, restrict=xt.filter_restrictions(ctx.filters))
                try:
                    item = crosstab_item(item_spec, new_title.strip() or title, new_caption.strip()).with_(
                        chart=with_chart
                    )
                except TemplateError as exc:
                    st.error(md_escape(exc))
                else:
                    _save([*template, item], "Krydstabellen er føjet til skabelonen")
        with st.form("xt_add_figure", clear_on_submit=True):
            st.markdown("**Tilføj en standardfigur**")
            figure_key = st.selectbox(
                "Figur", list(STANDARD_FIGURES), format_func=STANDARD_FIGURES.get, key="xt_new_figure"
            )
            if st.form_submit_button("Tilføj figuren"):
                _save(
                    [*template, TemplateItem("figure", STANDARD_FIGURES[figure_key], figure=figure_key)],
                    "Figuren er føjet til skabelonen",
                )

    left, right = st.columns(2)
    left.download_button(
        "Hent skabelonen (JSON)",
        data=template_to_json(municipality, template),
        file_name=f"rapportskabelon-{municipality}.json",
        mime="application/json",
        on_click="ignore",
        icon=":material/download:",
        key="xt_template_download",
        disabled=not template,
    )
    if can_edit:
        upload = right.file_uploader("Indlæs en skabelon (JSON)", type=["json"], key="xt_template_upload")
        if upload is not None:
            try:
                file_municipality, items = template_from_json(upload.getvalue())
            except TemplateError as exc:
                right.error(str(exc))
            else:
                if file_municipality and file_municipality != municipality:
                    other = ctx.names.municipalities.get(file_municipality, file_municipality)
                    right.warning(
                        f"Skabelonen er lavet til {other}. Enheder og egne temaer i den findes måske ikke i {municipality_name}."
                    )
                right.caption(
                    f"{len(items)} punkter: "
                    + "; ".join(i.title for i in items[:8])
                    + (" …" if len(items) > 8 else "")
                )
                if right.button(f"Erstat skabelonen for {municipality_name}", key="xt_template_replace"):
                    _save(items, "Skabelonen er indlæst")
