"""data_model.resolvers.answer_choices: what a name in her sheet may be answered with."""

from __future__ import annotations

from data_model.resolvers import answer_choices


def test_answer_choices_per_target(query_db) -> None:
    units = answer_choices(query_db, "999", "unit")
    assert "999-tek" in units and "998-tek" not in units  # only the municipality's own units
    assert list(units.values()) == sorted(units.values())
    themes = answer_choices(query_db, "999", "theme")
    assert any(" › " in shown for shown in themes.values())  # sub-themes under their main theme
    assert answer_choices(query_db, "999", "period") == {"999-2024": "2024", "999-2025": "2025"}
    outcomes = answer_choices(query_db, "999", "category:outcome")
    assert "genoptaget" in outcomes and "klage" not in outcomes
