"""The Krydstabel's choices: a shared link's values (unknown ones ignored), the reset of a split the
measure cannot make, the spec the widgets describe and the URL written back (defaults left out)."""

from __future__ import annotations

from typing import Any

from dashboard import crosstab_state as choices
from data_model.labels import SMALL_N
from queries import crosstab as xt


def test_a_shared_link_sets_the_choices_once_and_unknown_values_are_ignored() -> None:
    session: dict[str, Any] = {}
    choices.from_url(
        {"maal": "complaints", "raekker": "sector", "kolonner": "nonsense", "skjul": "ja"}, session
    )
    assert session == {"xt_measure": "complaints", "xt_rows": "sector", "xt_hide": True, "_xt_loaded": True}
    choices.from_url({"maal": "inquiries"}, session)  # later runs keep what the user chose since
    assert session["xt_measure"] == "complaints"


def test_the_url_round_trip_keeps_only_what_differs_from_the_defaults() -> None:
    session: dict[str, Any] = {}
    link = {"maal": "complaints", "raekker": "sector", "kolonner": "kind", "andel": "row", "tomme": "ja"}
    choices.from_url(link, session)
    spec = choices.spec_from(session)
    assert (spec.measure, spec.rows, spec.columns, spec.share, spec.empty) == (
        "complaints",
        "sector",
        "kind",
        "row",
        True,
    )
    assert spec.threshold is None
    assert choices.url_params(spec) == link
    assert choices.url_params(choices.spec_from({})) == {}  # all defaults: a clean URL
    assert choices.spec_from({"xt_hide": True}).threshold == SMALL_N


def test_a_split_the_measure_cannot_make_is_reset_before_drawing() -> None:
    not_for_decisions = next(
        d for d in xt.dimensions_for("inquiries") if d not in xt.dimensions_for("appeal_decisions")
    )
    session: dict[str, Any] = {
        "xt_measure": "appeal_decisions",
        "xt_rows": not_for_decisions,
        "xt_columns": not_for_decisions,
    }
    choices.keep_valid(session)
    assert session["xt_rows"] == "unit" and session["xt_columns"] == choices.NONE
    same = {"xt_rows": "sector", "xt_columns": "sector"}
    choices.keep_valid(same)
    assert same["xt_columns"] == choices.NONE  # never the same dimension twice
