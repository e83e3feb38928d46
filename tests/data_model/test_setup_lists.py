"""data_model.setup's helpers for the Data page: municipalities set up, organisation preview,
the lists she renames (English columns) and what she changed."""

from __future__ import annotations

import polars as pl

from data_model.setup import changed_labels, label_list, own_municipalities, rename_labels, unit_paths


def test_only_municipalities_with_units_or_periods_are_her_own(small_db) -> None:
    assert own_municipalities(small_db) == {"998": "Nabokommune", "999": "Testkommune"}  # not 000
    small_db.execute("DELETE FROM org_unit")
    small_db.execute("DELETE FROM report_period")
    assert own_municipalities(small_db) == {}


def test_unit_paths_name_every_level_but_the_sector() -> None:
    paths = [
        [("sector", "social"), ("forvaltning", "Social"), ("afdeling", "Børn")],
        [("forvaltning", "Social"), ("afdeling", "Voksne")],
    ]
    assert unit_paths(paths) == ["Social", "Social › Børn", "Social › Voksne"]


def test_label_lists_and_the_changes_made_to_them(small_db) -> None:
    themes = label_list(small_db, "theme")
    assert themes.columns == ["code", "main_theme", "label"]
    first_sub = themes.filter(pl.col("main_theme") != "").row(0, named=True)
    main = themes.filter(pl.col("label") == first_sub["main_theme"])
    assert main["main_theme"].to_list() == [""]  # a main theme comes before its sub-themes
    assert themes["code"].index_of(main["code"][0]) < themes["code"].index_of(first_sub["code"])
    outcomes = label_list(small_db, "outcome")
    assert set(outcomes["main_theme"]) == {""} and outcomes.height > 2

    def relabel(text: str) -> pl.DataFrame:
        renamed = pl.when(pl.col("code") == "genoptaget").then(pl.lit(text)).otherwise("label")
        return outcomes.with_columns(renamed.alias("label"))

    edited = relabel("Sagen genoptaget")
    assert changed_labels(outcomes, outcomes) == {}
    assert changed_labels(outcomes, relabel("  ")) == {}  # an emptied label is not a change
    changes = changed_labels(outcomes, edited)
    assert changes == {"genoptaget": "Sagen genoptaget"}
    assert rename_labels(small_db, "outcome", changes, actor="test") == (1, [])
    assert "Sagen genoptaget" in label_list(small_db, "outcome")["label"].to_list()
