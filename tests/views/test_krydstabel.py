"""The Krydstabel page through AppTest on the small hand-made database: choices from and to the
URL, the table with totals, and the report template edited from the page."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from streamlit.testing.v1 import AppTest

from dashboard.connection import get_connection
from queries.crosstab import CrossSpec
from report_pack.template import TemplateItem, load_template


@pytest.fixture
def app(app: Callable[..., AppTest]) -> Callable[[str], AppTest]:
    """The dashboard on the small database, opened on the Krydstabel page itself, as a shared
    link to it opens."""

    def make(query: str) -> AppTest:
        at = app(query)
        at.switch_page("views/krydstabel.py").run()
        assert not at.exception, at.exception[0].value if at.exception else ""
        return at

    return make


def _param(at: AppTest, key: str) -> str | None:
    value = at.query_params.get(key)
    return value[0] if isinstance(value, list) else value


def _table(at: AppTest) -> list[dict[str, object]]:
    return at.dataframe[0].value.to_dict("records")


def test_choices_come_from_the_url_and_the_table_has_totals(app) -> None:
    at = app("kommune=999&periode=999-2024&maal=complaints&raekker=outcome")
    assert at.title[0].value == "Krydstabel"
    assert at.selectbox(key="xt_measure").value == "complaints"
    assert at.selectbox(key="xt_rows").value == "outcome"
    rows = {r["Handling/udfald"]: r["Klager"] for r in _table(at)}
    assert rows["I alt"] == "3*"
    assert rows["Genoptaget af forvaltningen"] == "1*"  # small numbers are marked


def test_choices_go_back_into_the_url(app) -> None:
    at = app("kommune=999&periode=999-2024")
    at.selectbox(key="xt_rows").set_value("kind").run()
    at.selectbox(key="xt_columns").set_value("unit").run()
    assert not at.exception
    assert _param(at, "raekker") == "kind"
    assert _param(at, "kolonner") == "unit"
    assert _param(at, "kommune") == "999"
    table = _table(at)
    assert table[-1]["Henvendelsestype"] == "I alt"
    assert table[-1]["I alt"] == "5"
    assert len(at.get("download_button")) >= 4  # PNG, SVG, CSV, Excel (and the template's JSON)


def test_a_measure_that_cannot_use_the_rows_resets_them(app) -> None:
    at = app("kommune=999&periode=999-2024&raekker=theme")
    at.selectbox(key="xt_measure").set_value("appeal_decisions").run()
    assert not at.exception
    assert at.selectbox(key="xt_rows").value == "unit"
    assert _table(at)[-1] == {"Forvaltning": "I alt", "Afgørelser": "5"}


def test_add_the_current_cross_table_to_the_template(app) -> None:
    at = app("kommune=999&periode=999-2024&maal=complaints&raekker=outcome&type=klage")
    at.text_input(key="xt_new_title").set_value("Klager pr. handling")
    at.button(key="FormSubmitter:xt_add-Tilføj til skabelonen").click().run()
    assert not at.exception, at.exception[0].value if at.exception else ""
    items = load_template(get_connection().cursor(), "999")
    assert [i.title for i in items] == ["Klager pr. handling"]
    assert items[0].spec == CrossSpec(rows="outcome", measure="complaints", restrict=(("kind", ("klage",)),))
    at.run()
    assert at.dataframe[-1].value["Titel"].to_list() == ["Klager pr. handling"]  # the template editor


def test_the_template_is_listed_for_editing(app) -> None:
    at = app("kommune=999&periode=999-2024")
    from report_pack.template import save_template

    save_template(
        get_connection().cursor(),
        "999",
        [
            TemplateItem("figure", "Klageandel", figure="klageandel"),
            TemplateItem("figure", "Temaer", figure="temaer"),
        ],
        "tester",
    )
    at.run()
    assert not at.exception
    assert at.dataframe[-1].value["Titel"].to_list() == ["Klageandel", "Temaer"]
    assert at.button(key="xt_template_save").label == "Gem ændringerne i skabelonen"
    at.button(key="xt_template_save").click().run()  # nothing edited: the same template
    assert [i.title for i in load_template(get_connection().cursor(), "999")] == ["Klageandel", "Temaer"]
