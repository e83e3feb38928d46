"""The filter object's life in a Streamlit session: URL -> widgets -> Filters -> URL.

Why not ``bind="query-params"``: it writes display labels into the URL (unit names repeat across
municipalities, so they are ambiguous) and drops unknown values silently, while a shared link
must reopen exactly and a stale one must say what it ignored. So the URL is parsed once per
session by ``queries.filters.from_query_params`` and written back from the Filters every run.
"""

from __future__ import annotations

from dataclasses import fields
from typing import Any

import streamlit as st

from queries.filters import URL_KEYS, Catalog, Filters, from_query_params

PREFIX = "f_"
PRESENT_KEY = "visning"
PRESENT_VALUE = "praesentation"
FIGURE_KEY = "figur"
_LOADED = "_filters_loaded"
_NOTES = "_filter_notes"
_PAGE_PARAMS = "_page_params"


def widget_key(field_name: str) -> str:
    return PREFIX + field_name


def init_from_url(catalog: Catalog, default_municipality: str | None) -> None:
    """On a session's first run, put the URL's filters into the widgets' state."""
    if st.session_state.get(_LOADED):
        return
    params = st.query_params.to_dict()
    filters, notes = from_query_params(params, catalog)
    if not filters.municipalities and default_municipality and URL_KEYS["municipalities"] not in params:
        filters = filters.with_(municipalities=(default_municipality,))
    for f in fields(Filters):
        value = getattr(filters, f.name)
        st.session_state[widget_key(f.name)] = list(value) if isinstance(value, tuple) else value
    st.session_state["present"] = params.get(PRESENT_KEY) == PRESENT_VALUE
    if FIGURE_KEY in params:
        st.session_state[FIGURE_KEY] = params[FIGURE_KEY]
    st.session_state[_NOTES] = notes
    st.session_state[_LOADED] = True


def filters_from_widgets() -> Filters:
    values: dict[str, Any] = {}
    for f in fields(Filters):
        key = widget_key(f.name)
        if key in st.session_state:
            value = st.session_state[key]
            values[f.name] = tuple(value) if isinstance(value, list) else value
    return Filters(**values)


def notes() -> list[str]:
    return list(st.session_state.get(_NOTES, []))


def presenting() -> bool:
    return bool(st.session_state.get("present"))


def set_page_params(params: dict[str, str]) -> None:
    """URL values a page owns (the Krydstabel's rows, columns, ...), written with the filters at
    the end of this run only, so they leave the URL when another page is opened."""
    st.session_state[_PAGE_PARAMS] = dict(params)


def write_url(filters: Filters) -> None:
    params = filters.to_query_params()
    params.update(st.session_state.pop(_PAGE_PARAMS, {}))
    if presenting():
        params[PRESENT_KEY] = PRESENT_VALUE
        if st.session_state.get(FIGURE_KEY):
            params[FIGURE_KEY] = str(st.session_state[FIGURE_KEY])
    if params != st.query_params.to_dict():
        st.query_params.from_dict(params)
