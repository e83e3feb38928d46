"""The shared filter sidebar. Widget values live in session state under ``f_<field>`` keys."""

from __future__ import annotations

import streamlit as st

from dashboard.data import query
from dashboard.safe_text import md_escape
from dashboard.state import filters_from_widgets, notes, widget_key
from queries.describe import LEVEL_WORDS, Names, field_choices, value_words
from queries.filters import FIELDS, Catalog, FilterField, Filters
from queries.periods import default_period
from queries.units import DEFAULT_LEVEL, report_levels

ALL = None


def _keep_valid(row: FilterField, valid: list[str]) -> None:
    """Drop a stale widget value (e.g. a unit of a municipality no longer selected)."""
    key = widget_key(row.name)
    value = st.session_state.get(key)
    if row.many and isinstance(value, list):
        st.session_state[key] = [v for v in value if v in valid]
    elif not row.many and value is not None and value not in valid:
        st.session_state[key] = None


def _reset(fields: tuple[str, ...]) -> None:
    for name in fields:
        st.session_state[widget_key(name)] = None


def _default_words(names: Names, selected: list[str]) -> dict[str, str]:
    """What the period and the unit level are when left empty, in words."""
    first_period = query(default_period, selected[0]) if selected else None
    level = query(report_levels).get(selected[0], DEFAULT_LEVEL) if selected else None
    return {
        "period_id": f"Standard: {names.periods.get(first_period, first_period)}"
        if first_period
        else "Seneste periode",
        "level": f"Som beretningen ({LEVEL_WORDS[level]})" if level else "Standard (forvaltningsniveau)",
    }


def draw_sidebar(catalog: Catalog, names: Names) -> Filters:
    """Draw one widget per row of the filter table (``queries.filters.FIELDS``) and return the
    filters they hold (after stale values are dropped)."""
    choices: dict[str, list[str]] = {}
    for row in FIELDS:
        if row.widget in ("multiselect", "selectbox", "radio"):
            within = st.session_state.get(widget_key(row.within)) if row.within else None
            choices[row.name] = field_choices(row, catalog, names, within)
            _keep_valid(row, choices[row.name])
    empty_words = _default_words(names, st.session_state.get(widget_key("municipalities")) or [])
    with st.sidebar:
        for note in notes():
            st.warning(md_escape(note), icon="⚠️")  # URL values are never Markdown
        dates = None
        for row in FIELDS:
            if row.widget == "date":
                dates = dates or st.expander("Egen datoperiode")
                with dates:
                    st.date_input(
                        row.label,
                        value=None,
                        key=widget_key(row.name),
                        on_change=_reset,
                        args=(row.resets,),
                        format="DD.MM.YYYY",
                    )
            elif row.widget is not None and (choices[row.name] or not row.within):
                _widget(row, choices[row.name], names, empty_words.get(row.name, row.placeholder))
        st.divider()
        st.toggle(
            "Præsentationstilstand",
            key="present",
            help="Skjuler menuen og viser én figur ad gangen med større tekst.",
        )
        st.caption("Adressen i browseren gengiver visningen: kopiér den for at dele præcis dette udsnit.")
    return filters_from_widgets()


def _widget(row: FilterField, options: list[str], names: Names, placeholder: str) -> None:
    """One filter field's widget: its label, choices and words from its row."""

    def words(code: str | None) -> str:
        if code is None:
            return placeholder
        text = value_words(row, names, code)
        return text[:1].upper() + text[1:] if row.source == "choice" else text

    common = {"key": widget_key(row.name), "format_func": words, "help": row.help}
    if row.resets:
        common |= {"on_change": _reset, "args": (row.resets,)}
    if row.widget == "multiselect":
        st.multiselect(row.label, options, placeholder=placeholder, **common)
    elif row.widget == "radio":
        st.radio(row.label, options, horizontal=True, **common)
    else:
        st.selectbox(row.label, [ALL, *options], placeholder=placeholder, **common)
