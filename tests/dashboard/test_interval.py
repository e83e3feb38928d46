"""Tendenser's interval control shows the interval in effect, also the default one (issue 18)."""

from __future__ import annotations

import pytest

from queries.filters import Filters
from queries.inquiries import effective_grain
from tests.conftest import open_app


def test_the_default_interval_is_shown_as_chosen_and_a_choice_sticks(
    query_db, monkeypatch: pytest.MonkeyPatch
) -> None:
    default = effective_grain(query_db, Filters(municipalities=("999",)))
    at = open_app(query_db, monkeypatch, "kommune=999")
    at.run()
    at.switch_page("views/tendenser.py").run()
    assert not at.exception
    control = at.segmented_control(key="interval_shown")
    assert control.value == default  # not an empty control while the default is in effect
    assert at.session_state["f_grain"] is None  # the filter still says "the default"
    assert "interval" not in at.query_params

    other = "month" if default != "month" else "quarter"
    at.segmented_control(key="interval_shown").set_value(other).run()
    assert at.session_state["f_grain"] == other
    assert at.segmented_control(key="interval_shown").value == other
    assert "interval" in at.query_params  # a shared link reopens on the chosen interval

    at.segmented_control(key="interval_shown").set_value(None).run()  # the chosen one clicked again
    assert at.session_state["f_grain"] is None
    assert at.segmented_control(key="interval_shown").value == default
