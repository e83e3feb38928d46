"""Registrér: record inquiries, follow up recommendations, and maintain units and themes.

Every save goes through data_model.editing: the importer's validation (Danish reasons shown at
the form, which keeps what was typed), an audit-log entry with old and new values, and a refusal
when someone else changed the record since it was opened.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import streamlit as st

from dashboard.auth import current_user, require_editor
from dashboard.connection import get_connection
from dashboard.context import PageContext
from dashboard.data import catalog, names
from dashboard.safe_text import md_escape
from data_model.editing import (
    ALREADY_SAVED,
    EditRefused,
    load_row,
    new_id,
    rename_unit,
    save,
    save_follow_up,
    save_inquiry_with_points,
    validate,
)
from data_model.importer import Problem
from data_model.models import ComplaintPoint


def render(ctx: PageContext) -> None:
    """The page: its three tabs, for the municipality chosen in the sidebar."""
    st.title("Registrér")
    st.caption(
        "Nye henvendelser, opfølgning på anbefalinger og vedligehold af enheder og temaer. Alt gemmes i ændringsloggen."
    )
    user = current_user()
    can_edit = require_editor(user)
    all_names = names()
    all_catalog = catalog()
    municipality = ctx.filters.municipality
    if not municipality:
        st.info("Vælg én kommune i menuen til venstre.")
        st.stop()
    units = {u: n for u, n in all_names.units.items() if all_catalog.units.get(u) == municipality}
    themes = {c: all_names.themes.get(c, c) for c in all_catalog.themes}

    def _options(kind: str) -> dict[str, str]:
        return {code: label for (k, code), label in all_names.categories.items() if k == kind}

    def show_problems(problems: list[Problem]) -> None:
        if [p.reason for p in problems] == [ALREADY_SAVED]:
            st.info(ALREADY_SAVED, icon="✅")  # a double click: the first click saved it
            return
        lines = [
            f"- **{md_escape(p.column or 'Posten')}**{f' ({md_escape(p.value)})' if p.value else ''}: {md_escape(p.reason)}"
            for p in problems
        ]
        st.error("Intet er gemt. Ret venligst:\n" + "\n".join(lines), icon="🚫")

    def create(kind: str, data: dict[str, Any], success: str) -> None:
        """Validate and insert one new record, or show every problem; the form keeps its input."""
        record, problems = validate(kind, data)
        if problems or record is None:
            show_problems(problems)
            return
        try:
            save(get_connection().cursor(), kind, record, actor=user.id, expected=None)
            st.success(md_escape(success))  # holds what was typed
        except EditRefused as refused:
            show_problems(refused.problems)

    def _pick(
        label: str, options: dict[str, str], key: str, current: Any = None, optional: bool = True
    ) -> Any:
        values = ([None] if optional else []) + list(options)
        index = values.index(current) if current in values else 0
        return st.selectbox(
            label,
            values,
            index=index,
            format_func=lambda v: "(ingen)" if v is None else options.get(v, v),
            key=key,
            placeholder="(ingen)",
        )

    inquiry_tab, recommendation_tab, category_tab = st.tabs(
        ["Henvendelse", "Anbefalinger", "Enheder og temaer"]
    )

    with inquiry_tab:
        existing = st.text_input(
            "Ret en eksisterende henvendelse (id), eller lad feltet stå tomt for en ny", key="edit_inquiry_id"
        )
        loaded = (
            load_row(get_connection().cursor(), "inquiries", (existing.strip(),))
            if existing.strip()
            else None
        )
        if existing.strip() and loaded is None:
            st.warning("Der findes ingen henvendelse med det id.")
        if st.session_state.get("inquiry_loaded_id") != existing.strip():
            st.session_state["inquiry_loaded_id"] = existing.strip()
            st.session_state["inquiry_expected"] = loaded  # the concurrency token: the row as opened
        row = loaded or {}
        points_before = (
            get_connection()
            .cursor()
            .sql(
                "SELECT point_id, theme_code, unit_id FROM complaint_point WHERE inquiry_id = ? ORDER BY point_id",
                params=[row.get("inquiry_id", "")],
            )
            .pl()
            .to_dicts()
            if loaded
            else []
        )
        with st.form("inquiry_form", clear_on_submit=False):
            left, right = st.columns(2)
            received = left.date_input(
                "Modtaget", value=row.get("received") or date.today(), format="DD.MM.YYYY", key="inq_received"
            )
            closed = right.date_input(
                "Afsluttet", value=row.get("closed"), format="DD.MM.YYYY", key="inq_closed"
            )
            left_col, right_col = st.columns(2)
            with left_col:
                kind = _pick(
                    "Henvendelsestype",
                    _options("inquiry_kind"),
                    "inq_kind",
                    row.get("kind_code") or "klage",
                    optional=False,
                )
                outcome = _pick("Udfald", _options("outcome"), "inq_outcome", row.get("outcome_code"))
                case_type = _pick(
                    "Sagstype", _options("case_type"), "inq_case_type", row.get("case_type_code")
                )
            with right_col:
                unit = _pick("Enhed", units, "inq_unit", row.get("unit_id"))
                channel = _pick("Kanal", _options("channel"), "inq_channel", row.get("channel_code"))
                legal = _pick(
                    "Retsstilling", _options("legal_effect"), "inq_legal", row.get("legal_effect_code")
                )
            summary = st.text_area(
                "Resumé (ingen navne eller CPR-numre)", value=row.get("summary") or "", key="inq_summary"
            )
            st.markdown("**Klagepunkter** (ét pr. række: tema og evt. en anden enhed end henvendelsens)")
            theme_labels = {label: code for code, label in themes.items()}
            unit_labels = {label: code for code, label in units.items()}
            edited = st.data_editor(
                [
                    {
                        "Tema": themes.get(p["theme_code"]),
                        "Enhed": units.get(p["unit_id"]) if p["unit_id"] else None,
                    }
                    for p in points_before
                ]
                or [{"Tema": None, "Enhed": None}],
                num_rows="dynamic",
                column_config={
                    "Tema": st.column_config.SelectboxColumn(options=sorted(theme_labels), required=False),
                    "Enhed": st.column_config.SelectboxColumn(options=sorted(unit_labels), required=False),
                },
                key="inq_points",
            )
            submitted = st.form_submit_button("Gem henvendelse", type="primary", disabled=not can_edit)
        if submitted and can_edit:
            inquiry_id = row.get("inquiry_id") or new_id(f"reg-{municipality}")
            data = {
                "inquiry_id": inquiry_id,
                "municipality_code": municipality,
                "received": received,
                "closed": closed,
                "kind_code": kind,
                "unit_id": unit,
                "outcome_code": outcome,
                "channel_code": channel,
                "case_type_code": case_type,
                "legal_effect_code": legal,
                "summary": summary,
                "provenance": row.get("provenance") or "registered",
            }
            record, problems = validate("inquiries", data)
            points: list[ComplaintPoint] = []
            for number, item in enumerate(edited, start=1):
                if not item.get("Tema"):
                    continue
                point, point_problems = validate(
                    "complaint_points",
                    {
                        "point_id": f"{inquiry_id}-p{number}",
                        "inquiry_id": inquiry_id,
                        "theme_code": theme_labels.get(item["Tema"]),
                        "unit_id": unit_labels.get(item.get("Enhed") or ""),
                    },
                )
                problems += point_problems
                if point is not None:
                    points.append(point)  # type: ignore[arg-type]
            if problems or record is None:
                show_problems(problems)
            else:
                try:
                    result = save_inquiry_with_points(
                        get_connection().cursor(),
                        record,
                        points,
                        actor=user.id,
                        expected=st.session_state.get("inquiry_expected"),
                    )
                    st.session_state["inquiry_expected"] = load_row(
                        get_connection().cursor(), "inquiries", (result.key,)
                    )
                    st.success(
                        f"Henvendelse {md_escape(result.key)} er {'oprettet' if result.created else 'gemt'} med {len(points)} klagepunkt(er)."
                    )
                except EditRefused as refused:
                    show_problems(refused.problems)

    with recommendation_tab:
        recs = dict(
            get_connection()
            .cursor()
            .execute(
                "SELECT recommendation_id, title FROM recommendation WHERE municipality_code = ? ORDER BY made_on DESC, title",
                [municipality],
            )
            .fetchall()
        )
        chosen = st.selectbox(
            "Anbefaling",
            [None, *recs],
            format_func=lambda r: "Vælg …" if r is None else recs[r],
            key="fu_rec",
            placeholder="Vælg …",
        )
        if chosen:
            rec_row = load_row(get_connection().cursor(), "recommendations", (chosen,))
            with st.form("follow_up_form", clear_on_submit=False):
                st.markdown("**Ny opfølgning**")
                fu_date = st.date_input("Dato", value=date.today(), format="DD.MM.YYYY", key="fu_date")
                status = _pick("Status", _options("follow_up_status"), "fu_status", "i_gang", optional=False)
                text = st.text_area("Forvaltningens svar", key="fu_text")
                source = st.text_input("Kilde (fx notat, mail, beretningens bilag)", key="fu_source")
                due = st.date_input(
                    "Frist for anbefalingen",
                    value=rec_row.get("due_on") if rec_row else None,
                    format="DD.MM.YYYY",
                    key="fu_due",
                )
                saved = st.form_submit_button("Gem opfølgning", type="primary", disabled=not can_edit)
            if saved and can_edit and rec_row:
                follow_up, problems = validate(
                    "follow_ups",
                    {
                        "follow_up_id": new_id(f"fu-{chosen}"),
                        "recommendation_id": chosen,
                        "date": fu_date,
                        "status_code": status,
                        "text": text,
                        "source": source,
                    },
                )
                if problems or follow_up is None:
                    show_problems(problems)
                else:
                    changed = None
                    if due != rec_row.get("due_on"):
                        changed, problems = validate("recommendations", rec_row | {"due_on": due})
                    if problems:
                        show_problems(problems)
                    else:
                        try:  # the follow-up and the new due date land together, or neither does
                            save_follow_up(
                                get_connection().cursor(),
                                follow_up,
                                actor=user.id,
                                recommendation=changed,
                                expected_recommendation=rec_row,
                            )
                            st.success("Opfølgningen er gemt" + (" med den nye frist." if changed else "."))
                        except EditRefused as refused:
                            show_problems(refused.problems)
        with st.expander("Ny anbefaling"):
            with st.form("recommendation_form", clear_on_submit=False):
                title = st.text_input("Titel", key="rec_title")
                text = st.text_area("Anbefalingen", key="rec_text")
                targets = st.multiselect(
                    "Rettet mod",
                    list(units),
                    format_func=units.get,
                    key="rec_targets",
                    placeholder="Vælg enheder",
                )
                rec_themes = st.multiselect(
                    "Temaer",
                    list(themes),
                    format_func=themes.get,
                    key="rec_themes",
                    placeholder="Vælg temaer",
                )
                whole = st.checkbox("Hele kommunen", key="rec_whole")
                rec_due = st.date_input("Frist", value=None, format="DD.MM.YYYY", key="rec_due")
                created = st.form_submit_button("Opret anbefaling", type="primary", disabled=not can_edit)
            if created and can_edit:
                period = ctx.filters.period_id
                create(
                    "recommendations",
                    {
                        "recommendation_id": new_id(f"rec-{municipality}"),
                        "municipality_code": municipality,
                        "period_id": period,
                        "made_on": date.today(),
                        "due_on": rec_due,
                        "title": title,
                        "text": text,
                        "target_unit_ids": targets,
                        "theme_codes": rec_themes,
                        "whole_municipality": whole,
                    },
                    "Anbefalingen er oprettet.",
                )

    with category_tab:
        add_unit, rename, add_theme = st.columns(3)
        with add_unit, st.form("unit_form", clear_on_submit=False):
            st.markdown("**Ny enhed**")
            unit_name = st.text_input("Navn", key="unit_name")
            parent = _pick("Under", units, "unit_parent")
            sector = _pick("Sektor", _options("sector"), "unit_sector", optional=False)
            level = st.selectbox("Niveau", ["afdeling", "omraade", "forvaltning"], key="unit_level")
            add = st.form_submit_button("Opret enhed", disabled=not can_edit)
        if add and can_edit:
            create(
                "org_units",
                {
                    "unit_id": new_id(f"{municipality}-enhed"),
                    "municipality_code": municipality,
                    "name": unit_name,
                    "parent_id": parent,
                    "sector_code": sector,
                    "level": level,
                    "valid_from": date.today(),
                },
                f"Enheden {unit_name} er oprettet.",
            )
        with rename, st.form("rename_form", clear_on_submit=False):
            st.markdown("**Omdøb enhed**")
            target = _pick("Enhed", units, "rename_unit", optional=False) if units else None
            new_name = st.text_input("Nyt navn", key="rename_name")
            valid_from = st.date_input(
                "Gælder fra", value=date.today(), format="DD.MM.YYYY", key="rename_from"
            )
            do_rename = st.form_submit_button("Omdøb", disabled=not can_edit)
        if do_rename and can_edit and target:
            if not new_name.strip():
                show_problems([Problem(None, "Nyt navn", "", "Feltet skal udfyldes")])
            else:
                try:
                    renamed = rename_unit(
                        get_connection().cursor(), target, new_name.strip(), valid_from, actor=user.id
                    )
                    st.success(
                        f"Enheden hedder {md_escape(new_name)} fra {valid_from:%d.%m.%Y}; tidligere henvendelser "
                        f"beholder det gamle navn ({md_escape(renamed)})."
                    )
                except EditRefused as refused:
                    show_problems(refused.problems)
        with add_theme, st.form("theme_form", clear_on_submit=False):
            st.markdown("**Nyt tema**")
            theme_name = st.text_input("Navn", key="theme_name")
            main = _pick(
                "Under hovedtema",
                {c: themes[c] for c in sorted(all_catalog.main_themes) if c in themes},
                "theme_parent",
            )
            add_t = st.form_submit_button("Opret tema", disabled=not can_edit)
        if add_t and can_edit:
            create(
                "themes",
                {
                    "code": new_id(f"tema-{municipality}"),
                    "name": theme_name,
                    "parent_code": main,
                    "municipality_code": municipality,
                },
                f"Temaet {theme_name} er oprettet.",
            )
