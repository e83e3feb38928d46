"""The shared filter sidebar. Widget values live in session state under ``f_<field>`` keys."""

from __future__ import annotations

import streamlit as st

from dashboard.data import query
from dashboard.safe_text import md_escape
from dashboard.state import filters_from_widgets, notes, widget_key
from data_model.denmark import WHOLE_COUNTRY
from queries.describe import COUNT_UNIT_WORDS, LEVEL_WORDS, Names
from queries.filters import LEVELS, Catalog, Filters
from queries.periods import default_period
from queries.units import DEFAULT_LEVEL, report_levels

ALL = None


def _keep_valid(field: str, valid: set[str], many: bool = False) -> None:
    """Drop a stale widget value (e.g. a unit of a municipality no longer selected)."""
    key = widget_key(field)
    value = st.session_state.get(key)
    if many and isinstance(value, list):
        st.session_state[key] = [v for v in value if v in valid]
    elif not many and value is not None and value not in valid:
        st.session_state[key] = None


def _municipality_changed() -> None:
    st.session_state[widget_key("period_id")] = None
    st.session_state[widget_key("unit_id")] = None


def _dates_changed() -> None:
    st.session_state[widget_key("period_id")] = None


def _period_changed() -> None:
    st.session_state[widget_key("date_from")] = None
    st.session_state[widget_key("date_to")] = None


def draw_sidebar(catalog: Catalog, names: Names) -> Filters:
    """Draw the filter widgets and return the filters they hold (after stale values are dropped)."""
    municipalities = sorted(
        (c for c in catalog.municipalities if c != WHOLE_COUNTRY),
        key=lambda c: names.municipalities.get(c, c),
    )
    _keep_valid("municipalities", set(municipalities), many=True)
    selected = st.session_state.get(widget_key("municipalities")) or []
    periods = [p for p, m in catalog.periods.items() if not selected or m == selected[0]]
    periods.sort(key=lambda p: list(names.periods).index(p) if p in names.periods else 0, reverse=True)
    units = [u for u in names.units if not selected or catalog.units.get(u) in selected]
    main_themes = sorted(catalog.main_themes, key=lambda t: names.themes.get(t, t))
    main = st.session_state.get(widget_key("main_theme"))
    sub_themes = sorted(
        (c for c, m in catalog.themes.items() if m == main and c != main),
        key=lambda t: names.themes.get(t, t),
    )
    _keep_valid("period_id", set(periods))
    _keep_valid("unit_id", set(units))
    _keep_valid("main_theme", set(main_themes))
    _keep_valid("sub_theme", set(sub_themes))
    _keep_valid("sectors", set(catalog.sectors), many=True)
    _keep_valid("kinds", set(catalog.kinds), many=True)
    _keep_valid("outcomes", set(catalog.outcomes), many=True)

    first_period = query(default_period, selected[0]) if selected else None
    default_words = (
        f"Standard: {names.periods.get(first_period, first_period)}" if first_period else "Seneste periode"
    )
    with st.sidebar:
        for note in notes():
            st.warning(md_escape(note), icon="⚠️")  # URL values are never Markdown
        st.multiselect(
            "Kommune",
            municipalities,
            format_func=lambda c: names.municipalities.get(c, c),
            key=widget_key("municipalities"),
            on_change=_municipality_changed,
            placeholder="Alle kommuner",
        )
        st.selectbox(
            "Beretningsperiode",
            [ALL, *periods],
            format_func=lambda p: default_words if p is None else names.periods.get(p, p),
            key=widget_key("period_id"),
            placeholder=default_words,
            on_change=_period_changed,
            help="Standard er den seneste afsluttede periode med rigtige tal (en trykt beretning eller egne "
            "registreringer). Sammenligninger år for år bruger den tilsvarende periode året før.",
        )
        with st.expander("Egen datoperiode"):
            st.date_input(
                "Fra", value=None, key=widget_key("date_from"), on_change=_dates_changed, format="DD.MM.YYYY"
            )
            st.date_input(
                "Til", value=None, key=widget_key("date_to"), on_change=_dates_changed, format="DD.MM.YYYY"
            )
        st.radio(
            "Tæl",
            ["inquiries", "points"],
            format_func=lambda u: COUNT_UNIT_WORDS[u].capitalize(),
            key=widget_key("count_unit"),
            horizontal=True,
            help="En henvendelse kan rumme flere klagepunkter med hvert sit tema.",
        )
        st.multiselect(
            "Sektor",
            sorted(catalog.sectors, key=lambda s: names.category("sector", s)),
            format_func=lambda s: names.category("sector", s),
            key=widget_key("sectors"),
            placeholder="Alle sektorer",
        )
        st.selectbox(
            "Enhed (med underenheder)",
            [ALL, *units],
            format_func=lambda u: "Alle enheder" if u is None else names.units.get(u, u),
            key=widget_key("unit_id"),
            placeholder="Alle enheder",
        )
        default_level = query(report_levels).get(selected[0], DEFAULT_LEVEL) if selected else "forvaltning"
        level_default_words = (
            f"Som beretningen ({LEVEL_WORDS[default_level]})" if selected else "Standard (forvaltning)"
        )
        st.selectbox(
            "Enhedsniveau",
            [ALL, *LEVELS],
            format_func=lambda lvl: level_default_words if lvl is None else LEVEL_WORDS[lvl].capitalize(),
            key=widget_key("level"),
            placeholder=level_default_words,
            help="Tællinger pr. enhed lægges sammen op til det valgte niveau: "
            "forvaltning, område eller afdeling (med underafdelinger).",
        )
        st.selectbox(
            "Tema",
            [ALL, *main_themes],
            format_func=lambda t: "Alle temaer" if t is None else names.themes.get(t, t),
            key=widget_key("main_theme"),
            placeholder="Alle temaer",
        )
        if sub_themes:
            st.selectbox(
                "Undertema",
                [ALL, *sub_themes],
                format_func=lambda t: "Alle undertemaer" if t is None else names.themes.get(t, t),
                key=widget_key("sub_theme"),
                placeholder="Alle undertemaer",
            )
        st.multiselect(
            "Henvendelsestype",
            sorted(catalog.kinds),
            format_func=lambda k: names.category("inquiry_kind", k),
            key=widget_key("kinds"),
            placeholder="Alle typer",
        )
        st.multiselect(
            "Udfald",
            sorted(catalog.outcomes, key=lambda o: names.category("outcome", o)),
            format_func=lambda o: names.category("outcome", o),
            key=widget_key("outcomes"),
            placeholder="Alle udfald",
        )
        st.divider()
        st.toggle(
            "Præsentationstilstand",
            key="present",
            help="Skjuler menuen og viser én figur ad gangen med større tekst.",
        )
        st.caption("Adressen i browseren gengiver visningen: kopiér den for at dele præcis dette udsnit.")
    return filters_from_widgets()
