"""Page tables show long text whole (issue 18): wide columns whose rows are tall enough to wrap."""

from __future__ import annotations

import json

import polars as pl
import pytest

from dashboard.layout import TEXT_MAX_PX, TEXT_MIN_PX, WRAP_MIN_ROW_PX, table_layout
from tests.charts.schema import assert_valid_vega_lite
from tests.sample_pages import SAMPLE_PAGES


def test_short_text_keeps_default_rows() -> None:
    config, row_height = table_layout(pl.DataFrame({"Status": ["Ja", "Nej"], "Antal": [1, 2]}))
    assert config == {} and row_height is None


def test_long_text_gets_a_wide_wrapping_column() -> None:
    long = "Delvist implementere en ny procedure for hurtigere svar til borgerne i alle sager"
    targets = "Arbejdsmarked og Borgerservice"  # 30 characters: fits one line of a large column
    config, row_height = table_layout(
        pl.DataFrame(
            {"Anbefaling": [long, "Kort"], "Rettet mod": [targets + ".", "X"], "Status": ["Ja", "Nej"]}
        )
    )
    assert list(config) == ["Anbefaling", "Rettet mod"]  # only the long text columns
    assert config["Anbefaling"]["width"] == TEXT_MAX_PX  # room enough: as wide as a column gets
    assert (
        TEXT_MIN_PX <= config["Rettet mod"]["width"] < TEXT_MAX_PX
    )  # as wide as it needs: the table stays narrow
    assert row_height is not None and row_height >= WRAP_MIN_ROW_PX  # Streamlit wraps above 64 px


def test_longer_text_gets_taller_rows_up_to_a_cap() -> None:
    heights = [table_layout(pl.DataFrame({"Tekst": ["x" * n]}))[1] for n in (60, 200, 5000)]
    assert heights[0] is not None and heights[1] is not None and heights[2] is not None
    assert heights[0] < heights[1] < heights[2] == table_layout(pl.DataFrame({"Tekst": ["x" * 9000]}))[1]


def test_recommendations_table_wraps_its_titles(sample_app) -> None:
    at = sample_app("kommune=510&periode=510-2025").run()
    at.switch_page("views/anbefalinger.py").run()
    assert not at.exception
    table = at.dataframe[0]
    longest = max(len(str(t)) for t in table.value["Anbefaling"])
    assert longest > 30, "the sample's recommendation titles should be long enough to need wrapping"
    columns = json.loads(table.proto.columns)
    assert TEXT_MIN_PX <= columns["Anbefaling"]["width"] < TEXT_MAX_PX  # narrowed: no sideways scroll
    assert table.proto.row_height >= WRAP_MIN_ROW_PX


def test_a_wide_table_narrows_its_long_text_to_fit_a_1280_window() -> None:
    """Anbefalinger's table (issue 18): seven columns and no sideways scroll; the titles wrap instead
    (the end-to-end test measures the drawn table)."""
    title = "Fortsat arbejde med sidste års anbefalinger og processuelle regler – Børn og Kultur"
    frame = pl.DataFrame(
        {
            "Advarsel": ["Gået i stå"],
            "Anbefaling": [title],
            "Rettet mod": ["Arbejdsmarked og Borgerservice"],
            "Beretning": ["2024"],
            "Status": ["Ingen opfølgning"],
            "Senest fulgt op": ["31. dec. 2024"],
            "Frist": ["31. dec. 2025"],
        }
    )
    config, row_height = table_layout(frame)
    width = config["Anbefaling"]["width"]
    assert width == TEXT_MIN_PX  # the other columns take the room: the titles wrap in the narrowest column
    assert list(config) == ["Anbefaling"]  # the short columns size themselves
    assert row_height is not None and (row_height - 16) // 21 >= -(
        -len(title) * 7 // (width - 24)
    )  # wraps whole


@pytest.mark.parametrize(("page", "query"), SAMPLE_PAGES)
def test_every_chart_a_page_draws_is_valid_vega_lite(sample_app, page: str, query: str) -> None:
    """Pages draw their specs without Altair's validation (dashboard.layout.screen_spec): every
    spec a page draws is checked against the schema here (presentation mode's larger type in
    tests/report_pack/test_draw_once.py, for every standard figure)."""
    at = sample_app(query).run()
    at.switch_page(page).run()
    assert not at.exception
    charts = at.get("vega_lite_chart")
    for chart in charts:
        assert_valid_vega_lite(json.loads(chart.proto.spec), f"{page}: {chart.proto.id}")
    if page not in ("views/data.py", "views/krydstabel.py"):
        assert charts, f"{page} drew no chart"
