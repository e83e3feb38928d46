"""Krydstabel: any count by one or two dimensions, with totals, shares and small numbers marked;
and the municipality's report template (the tables and figures of its own annual report)."""

from __future__ import annotations

import polars as pl
import streamlit as st

from charts.crosstab import crosstab_chart
from dashboard import state
from dashboard.auth import current_user, require_editor
from dashboard.connection import get_connection
from dashboard.context import PageContext
from dashboard.data import query
from dashboard.layout import Figure, empty_state, page_header, show_figures
from dashboard.safe_text import md_escape
from data_model.labels import SMALL_N, UNDER_SMALL_N, format_count, format_percent
from queries import crosstab as xt
from queries.filters import Filters
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

NONE = "none"
SHARES = {NONE: "Ingen andel", "row": "Andel af rækken", "column": "Andel af kolonnen"}
# widget key -> (URL key, default)
URL = {
    "xt_measure": ("maal", "inquiries"),
    "xt_rows": ("raekker", "unit"),
    "xt_columns": ("kolonner", NONE),
    "xt_level": ("niveau", "forvaltning"),
    "xt_share": ("andel", NONE),
    "xt_empty": ("tomme", "nej"),
    "xt_hide": ("skjul", "nej"),
}


def _from_url() -> None:
    """On the page's first run in a session, its choices come from the URL (a shared link)."""
    if st.session_state.get("_xt_loaded"):
        return
    params = st.query_params
    valid: dict[str, list[str]] = {
        "xt_measure": list(xt.MEASURES),
        "xt_rows": [d.key for d in xt.DIMENSIONS],
        "xt_columns": [NONE, *(d.key for d in xt.DIMENSIONS)],
        "xt_level": list(xt.LEVELS),
        "xt_share": list(SHARES),
    }
    for key, (url_key, _default) in URL.items():
        value = params.get(url_key)
        if value is None:
            continue
        if key in ("xt_empty", "xt_hide"):
            st.session_state[key] = value == "ja"
        elif value in valid[key]:
            st.session_state[key] = value
    st.session_state["_xt_loaded"] = True


def _spec_from_widgets() -> xt.CrossSpec:
    measure = st.session_state.get("xt_measure", "inquiries")
    columns = st.session_state.get("xt_columns", NONE)
    share = st.session_state.get("xt_share", NONE)
    return xt.CrossSpec(
        rows=st.session_state.get("xt_rows", "unit"),
        columns=None if columns == NONE else columns,
        measure=measure,
        level=st.session_state.get("xt_level", "forvaltning"),
        share=None if share == NONE else share,
        threshold=SMALL_N if st.session_state.get("xt_hide") else None,
        empty=bool(st.session_state.get("xt_empty")),
    )


def _keep_valid() -> None:
    """Dimensions a measure cannot be split by are reset before the widgets are drawn."""
    allowed = xt.dimensions_for(st.session_state.get("xt_measure", "inquiries"))
    if st.session_state.get("xt_rows", "unit") not in allowed:
        st.session_state["xt_rows"] = "unit"
    if st.session_state.get("xt_columns", NONE) not in (NONE, *allowed):
        st.session_state["xt_columns"] = NONE
    if st.session_state.get("xt_columns") == st.session_state.get("xt_rows"):
        st.session_state["xt_columns"] = NONE


def _url_params(spec: xt.CrossSpec) -> dict[str, str]:
    values = {
        "xt_measure": spec.measure,
        "xt_rows": spec.rows,
        "xt_columns": spec.columns or NONE,
        "xt_level": spec.level,
        "xt_share": spec.share or NONE,
        "xt_empty": "ja" if spec.empty else "nej",
        "xt_hide": "ja" if spec.threshold else "nej",
    }
    return {URL[k][0]: v for k, v in values.items() if v != URL[k][1]}


def _filter_restrictions(f: Filters) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """The sidebar's narrowing filters as the spec's own restrictions (for the template)."""
    codes: dict[str, list[str]] = {
        "kind": list(f.kinds),
        "outcome": list(f.outcomes),
        "sector": list(f.sectors),
        "unit": [f.unit_id] if f.unit_id else [],
        "theme": [f.sub_theme or f.main_theme] if (f.sub_theme or f.main_theme) else [],
    }
    return xt.make_restrict(**codes)


def _display(frame: pl.DataFrame, spec: xt.CrossSpec) -> pl.DataFrame:
    """The table as text: Danish numbers, '<5' for hidden ones, '*' after a small count."""
    shown = frame.with_columns(
        pl.struct("count", "small")
        .map_elements(
            lambda s: (
                (f"<{spec.threshold}" if s["count"] is None else format_count(s["count"]))
                + ("*" if s["small"] and s["count"] is not None else "")
            ),
            return_dtype=pl.Utf8,
        )
        .alias("count"),
        pl.col("share")
        .map_elements(lambda v: format_percent(v * 100, 1), return_dtype=pl.Utf8)
        .alias("share"),
    )
    return xt.wide(shown, spec, with_share=True)


def _describe_item(item: TemplateItem) -> str:
    if item.spec is None:
        return f"Standardfigur: {STANDARD_FIGURES.get(item.figure or '', item.figure)}"
    spec = item.spec
    parts = [xt.title_words(spec)]
    if spec.share:
        parts.append(xt.SHARE_WORDS[spec.share].lower())
    if spec.restrict:
        parts.append(
            "kun " + "; ".join(f"{xt.DIMENSION[k].words.lower()}: {len(v)} valgt" for k, v in spec.restrict)
        )
    return ", ".join(parts)


def render(ctx: PageContext) -> None:
    """The krydstabel page."""
    f = ctx.filters
    _from_url()
    _keep_valid()
    measure = st.session_state.get("xt_measure", "inquiries")
    page_header(
        "Krydstabel",
        "Tæl henvendelser, klager, klagepunkter eller Ankestyrelsens afgørelser og bemærkninger fordelt på "
        f"to dimensioner, med totaler i begge retninger. Tal {UNDER_SMALL_N} er markeret med en stjerne.",
        ctx.counting(xt.MEASURES[measure].words.lower()),
    )
    allowed = xt.dimensions_for(measure)
    words = {d.key: d.words for d in xt.DIMENSIONS}
    if not state.presenting():
        top = st.columns(4)
        top[0].selectbox(
            "Tæl",
            list(xt.MEASURES),
            format_func=lambda m: xt.MEASURES[m].words,
            key="xt_measure",
            persist_state="session",
        )
        top[1].selectbox("Rækker", allowed, format_func=words.get, key="xt_rows", persist_state="session")
        top[2].selectbox(
            "Kolonner",
            [NONE, *(d for d in allowed if d != st.session_state.get("xt_rows"))],
            format_func=lambda d: "Ingen" if d == NONE else words[d],
            key="xt_columns",
            persist_state="session",
        )
        top[3].selectbox(
            "Enhedsniveau",
            list(xt.LEVELS),
            format_func=xt.LEVEL_WORDS.get,
            key="xt_level",
            persist_state="session",
            help="Enheder lægges sammen til det valgte niveau. En forvaltning uden områder vises samlet.",
        )
        low = st.columns(3)
        low[0].radio(
            "Andel",
            list(SHARES),
            format_func=SHARES.get,
            key="xt_share",
            horizontal=True,
            persist_state="session",
        )
        low[1].toggle("Vis tomme rækker og kolonner", key="xt_empty", persist_state="session")
        low[2].toggle(
            f"Skjul små tal (1–{SMALL_N - 1})",
            key="xt_hide",
            persist_state="session",
            help="Til offentliggørelse: antal under grænsen vises som <5.",
        )
    try:
        spec = _spec_from_widgets()
    except ValueError as exc:
        st.warning(md_escape(exc))
        st.stop()
    state.set_page_params(_url_params(spec))

    if ctx.span is None:
        empty_state("Der er ingen beretningsperiode for det valgte.")
        st.stop()
    frame = query(xt.crosstab, f, spec, ctx.span)
    title = xt.title_words(spec)
    measure_words = xt.MEASURES[spec.measure].words
    if xt.cell(frame) in (0, None) and not spec.empty:
        empty_state(f"Ingen {measure_words.lower()} i det valgte udsnit.")
    else:
        counted = ctx.counting(measure_words.lower())
        chart = crosstab_chart(
            frame,
            ctx.meta(title, counted, period=xt.period_words(spec, ctx.span.label)),
            count_title=measure_words,
            row_title=xt.row_header_words(spec),
            column_title=xt.column_header_words(spec),
            threshold=spec.threshold,
        )
        if not state.presenting():
            st.dataframe(_display(frame, spec), hide_index=True)
            st.caption(
                f"Tal med stjerne (\\*) er {UNDER_SMALL_N}: tolk dem varsomt. Totalerne tæller hver henvendelse, afgørelse eller hvert klagepunkt én gang, "
                "også når den indgår i flere rækker (fx flere temaer)."
            )
        show_figures(
            [Figure("krydstabel", title, chart, xt.wide(frame, spec, with_share=True))], ctx.file_stem
        )

    # --- the municipality's report template -------------------------------------------------------
    if state.presenting():
        st.stop()
    st.divider()
    municipality = f.municipality
    st.subheader("Rapportskabelon")
    if not municipality:
        st.info("Vælg en kommune i menuen til venstre for at se og redigere dens rapportskabelon.", icon="ℹ️")
        st.stop()
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
                "Indhold": [_describe_item(i) for i in template],
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
                st.stop()
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
                item_spec = spec.with_(threshold=None, restrict=_filter_restrictions(f))
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
