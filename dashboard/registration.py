"""The Registrér page's forms: widgets only. What is typed goes to ``data_model.forms``, which
validates and writes; this module shows the result (a Danish message, or every problem while the
form keeps what was typed)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import streamlit as st

from dashboard.connection import get_connection
from dashboard.safe_text import md_escape
from data_model import forms
from data_model.editing import ALREADY_SAVED, load_row, new_id
from data_model.forms import FormResult
from queries.describe import Names
from queries.units import LEVELS

NONE_LABEL = "(ingen)"
CHOOSE = "Vælg …"
UNIT_LEVELS = list(reversed(LEVELS))  # a new unit is most often an afdeling: finest first


@dataclass(frozen=True)
class FormContext:
    """What every form needs: the municipality, who saves, and the names it may choose from."""

    municipality: str
    period_id: str | None
    actor: str
    can_edit: bool
    units: dict[str, str]  # unit_id -> name, the municipality's units
    themes: dict[str, str]  # code -> name
    main_themes: frozenset[str]
    names: Names

    def options(self, kind: str) -> dict[str, str]:
        """{code: label} of one category kind (outcome, channel, ...)."""
        return {code: label for (k, code), label in self.names.categories.items() if k == kind}


def show(result: FormResult) -> None:
    """The saved message, or every problem ("Intet er gemt"); a double click is not an error."""
    if result.ok:
        st.success(md_escape(result.message))
    elif [p.reason for p in result.problems] == [ALREADY_SAVED]:
        st.info(ALREADY_SAVED, icon="✅")  # a double click: the first click saved it
    else:
        lines = [
            f"- **{md_escape(p.column or 'Posten')}**{f' ({md_escape(p.value)})' if p.value else ''}: {md_escape(p.reason)}"
            for p in result.problems
        ]
        st.error("Intet er gemt. Ret venligst:\n" + "\n".join(lines), icon="🚫")


def pick(label: str, options: dict[str, str], key: str, current: Any = None, optional: bool = True) -> Any:
    values = ([None] if optional else []) + list(options)
    index = values.index(current) if current in values else 0
    return st.selectbox(
        label,
        values,
        index=index,
        format_func=lambda v: NONE_LABEL if v is None else options.get(v, v),
        key=key,
        placeholder=NONE_LABEL,
    )


def inquiry_form(ctx: FormContext) -> None:
    """A new inquiry, or one opened by id, with its complaint points."""
    existing = st.text_input(
        "Ret en eksisterende henvendelse (id), eller lad feltet stå tomt for en ny", key="edit_inquiry_id"
    ).strip()
    con = get_connection().cursor()
    loaded = load_row(con, "inquiries", (existing,)) if existing else None
    if existing and loaded is None:
        st.warning("Der findes ingen henvendelse med det id.")
    if st.session_state.get("inquiry_loaded_id") != existing:
        st.session_state["inquiry_loaded_id"] = existing
        st.session_state["inquiry_expected"] = loaded  # the concurrency token: the row as opened
    row = loaded or {}
    points_before = forms.complaint_points(con, row["inquiry_id"]) if loaded else []
    with st.form("inquiry_form", clear_on_submit=False):
        left, right = st.columns(2)
        received = left.date_input(
            "Modtaget", value=row.get("received") or date.today(), format="DD.MM.YYYY", key="inq_received"
        )
        closed = right.date_input("Afsluttet", value=row.get("closed"), format="DD.MM.YYYY", key="inq_closed")
        left_col, right_col = st.columns(2)
        with left_col:
            kind = pick(
                "Henvendelsestype",
                ctx.options("inquiry_kind"),
                "inq_kind",
                row.get("kind_code") or "klage",
                optional=False,
            )
            outcome = pick("Udfald", ctx.options("outcome"), "inq_outcome", row.get("outcome_code"))
            case_type = pick("Sagstype", ctx.options("case_type"), "inq_case_type", row.get("case_type_code"))
        with right_col:
            unit = pick("Enhed", ctx.units, "inq_unit", row.get("unit_id"))
            channel = pick("Kanal", ctx.options("channel"), "inq_channel", row.get("channel_code"))
            legal = pick(
                "Retsstilling", ctx.options("legal_effect"), "inq_legal", row.get("legal_effect_code")
            )
        summary = st.text_area(
            "Resumé (ingen navne eller CPR-numre)", value=row.get("summary") or "", key="inq_summary"
        )
        st.markdown("**Klagepunkter** (ét pr. række: tema og evt. en anden enhed end henvendelsens)")
        theme_codes = {label: code for code, label in ctx.themes.items()}
        unit_ids = {label: code for code, label in ctx.units.items()}
        edited = st.data_editor(
            [
                {"Tema": ctx.themes.get(p["theme_code"]), "Enhed": ctx.units.get(p["unit_id"] or "")}
                for p in points_before
            ]
            or [{"Tema": None, "Enhed": None}],
            num_rows="dynamic",
            column_config={
                "Tema": st.column_config.SelectboxColumn(options=sorted(theme_codes), required=False),
                "Enhed": st.column_config.SelectboxColumn(options=sorted(unit_ids), required=False),
            },
            key="inq_points",
        )
        submitted = st.form_submit_button("Gem henvendelse", type="primary", disabled=not ctx.can_edit)
    if not (submitted and ctx.can_edit):
        return
    data = {
        "inquiry_id": row.get("inquiry_id") or new_id(f"reg-{ctx.municipality}"),
        "municipality_code": ctx.municipality,
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
    points = [
        (theme_codes.get(item.get("Tema") or ""), unit_ids.get(item.get("Enhed") or "")) for item in edited
    ]
    result = forms.save_inquiry(
        get_connection().cursor(),
        data,
        points,
        actor=ctx.actor,
        expected=st.session_state.get("inquiry_expected"),
    )
    if result.ok:
        st.session_state["inquiry_expected"] = result.row
    show(result)


def follow_up_form(ctx: FormContext) -> None:
    """A follow-up of one recommendation, with a new due date if it changed."""
    recs = forms.recommendation_titles(get_connection().cursor(), ctx.municipality)
    chosen = st.selectbox(
        "Anbefaling",
        [None, *recs],
        format_func=lambda r: CHOOSE if r is None else recs[r],
        key="fu_rec",
        placeholder=CHOOSE,
    )
    if not chosen:
        return
    rec_row = load_row(get_connection().cursor(), "recommendations", (chosen,))
    with st.form("follow_up_form", clear_on_submit=False):
        st.markdown("**Ny opfølgning**")
        fu_date = st.date_input("Dato", value=date.today(), format="DD.MM.YYYY", key="fu_date")
        status = pick("Status", ctx.options("follow_up_status"), "fu_status", "i_gang", optional=False)
        text = st.text_area("Forvaltningens svar", key="fu_text")
        source = st.text_input("Kilde (fx notat, mail, beretningens bilag)", key="fu_source")
        due = st.date_input(
            "Frist for anbefalingen",
            value=rec_row.get("due_on") if rec_row else None,
            format="DD.MM.YYYY",
            key="fu_due",
        )
        saved = st.form_submit_button("Gem opfølgning", type="primary", disabled=not ctx.can_edit)
    if saved and ctx.can_edit and rec_row:
        show(
            forms.add_follow_up(
                get_connection().cursor(),
                rec_row,
                on=fu_date,
                status=status,
                text=text,
                source=source,
                due=due,
                actor=ctx.actor,
            )
        )


def recommendation_form(ctx: FormContext) -> None:
    with st.form("recommendation_form", clear_on_submit=False):
        title = st.text_input("Titel", key="rec_title")
        text = st.text_area("Anbefalingen", key="rec_text")
        targets = st.multiselect(
            "Rettet mod",
            list(ctx.units),
            format_func=ctx.units.get,
            key="rec_targets",
            placeholder="Vælg enheder",
        )
        themes = st.multiselect(
            "Temaer",
            list(ctx.themes),
            format_func=ctx.themes.get,
            key="rec_themes",
            placeholder="Vælg temaer",
        )
        whole = st.checkbox("Hele kommunen", key="rec_whole")
        due = st.date_input("Frist", value=None, format="DD.MM.YYYY", key="rec_due")
        created = st.form_submit_button("Opret anbefaling", type="primary", disabled=not ctx.can_edit)
    if created and ctx.can_edit:
        record = {
            "recommendation_id": new_id(f"rec-{ctx.municipality}"),
            "municipality_code": ctx.municipality,
            "period_id": ctx.period_id,
            "made_on": date.today(),
            "due_on": due,
            "title": title,
            "text": text,
            "target_unit_ids": targets,
            "theme_codes": themes,
            "whole_municipality": whole,
        }
        _create(ctx, "recommendations", record, "Anbefalingen er oprettet.")


def unit_form(ctx: FormContext) -> None:
    with st.form("unit_form", clear_on_submit=False):
        st.markdown("**Ny enhed**")
        name = st.text_input("Navn", key="unit_name")
        parent = pick("Under", ctx.units, "unit_parent")
        sector = pick("Sektor", ctx.options("sector"), "unit_sector", optional=False)
        level = st.selectbox("Niveau", UNIT_LEVELS, key="unit_level")
        add = st.form_submit_button("Opret enhed", disabled=not ctx.can_edit)
    if add and ctx.can_edit:
        record = {
            "unit_id": new_id(f"{ctx.municipality}-enhed"),
            "municipality_code": ctx.municipality,
            "name": name,
            "parent_id": parent,
            "sector_code": sector,
            "level": level,
            "valid_from": date.today(),
        }
        _create(ctx, "org_units", record, f"Enheden {name} er oprettet.")


def rename_form(ctx: FormContext) -> None:
    with st.form("rename_form", clear_on_submit=False):
        st.markdown("**Omdøb enhed**")
        target = pick("Enhed", ctx.units, "rename_unit", optional=False) if ctx.units else None
        new_name = st.text_input("Nyt navn", key="rename_name")
        valid_from = st.date_input("Gælder fra", value=date.today(), format="DD.MM.YYYY", key="rename_from")
        do_rename = st.form_submit_button("Omdøb", disabled=not ctx.can_edit)
    if do_rename and ctx.can_edit and target:
        show(forms.rename(get_connection().cursor(), target, new_name, valid_from, actor=ctx.actor))


def theme_form(ctx: FormContext) -> None:
    with st.form("theme_form", clear_on_submit=False):
        st.markdown("**Nyt tema**")
        name = st.text_input("Navn", key="theme_name")
        mains = {c: ctx.themes[c] for c in sorted(ctx.main_themes) if c in ctx.themes}
        main = pick("Under hovedtema", mains, "theme_parent")
        add = st.form_submit_button("Opret tema", disabled=not ctx.can_edit)
    if add and ctx.can_edit:
        record = {
            "code": new_id(f"tema-{ctx.municipality}"),
            "name": name,
            "parent_code": main,
            "municipality_code": ctx.municipality,
        }
        _create(ctx, "themes", record, f"Temaet {name} er oprettet.")


def _create(ctx: FormContext, kind: str, record: dict[str, Any], success: str) -> None:
    show(forms.create(get_connection().cursor(), kind, record, success, actor=ctx.actor))
