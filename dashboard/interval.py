"""Tendenser's interval control: it always shows the interval in effect as chosen, also while the
filter leaves it to the default (the report period or the calendar year, ``effective_grain``)."""

from __future__ import annotations

import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from dashboard.data import query
from dashboard.state import widget_key
from queries.describe import GRAIN_WORDS
from queries.filters import GRAINS, Filters
from queries.inquiries import effective_grain

SHOWN_KEY = "interval_shown"  # the control's own state; the filter keeps None for "the default"


def interval_control(container: DeltaGenerator, filters: Filters) -> None:
    st.session_state[SHOWN_KEY] = filters.grain or query(effective_grain, filters)
    container.segmented_control(
        "Interval",
        GRAINS,
        format_func=lambda g: GRAIN_WORDS[g].capitalize(),
        key=SHOWN_KEY,
        on_change=_chosen,
    )


def _chosen() -> None:
    # a click on the interval shown deselects it: back to the default (shown as chosen again)
    st.session_state[widget_key("grain")] = st.session_state[SHOWN_KEY]
