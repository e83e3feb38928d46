"""Every page through AppTest from the entry point, on a small hand-made database."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

PAGES = [
    "overblik",
    "tendenser",
    "aar_for_aar",
    "ankestyrelsen",
    "anbefalinger",
    "kommuner",
    "krydstabel",
    "registrering",
    "data",
]


def _metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


@pytest.mark.parametrize("page", PAGES)
def test_every_page_runs_without_exception(app, page: str) -> None:
    at = app("kommune=999&periode=999-2025").run()
    at.switch_page(f"views/{page}.py").run()
    assert not at.exception, at.exception[0].value if at.exception else ""
    assert at.title[0].value
    # a choice left open shows Streamlit's English "Choose an option" unless it has a placeholder
    open_choices = [
        w.label for w in [*at.selectbox, *at.multiselect] if w.value in (None, []) and not w.proto.placeholder
    ]
    assert not open_choices, f"no Danish placeholder: {open_choices}"


def test_overblik_shows_the_periods_key_figures(app) -> None:
    at = app("kommune=999&periode=999-2025").run()
    assert not at.exception
    metrics = _metrics(at)
    assert metrics["Henvendelser"] == "6" and metrics["Klager"] == "2" and metrics["Klageandel"] == "33 %"
    assert metrics["Klagepunkter"] == "3"
    deltas = {m.label: m.delta for m in at.metric}
    assert deltas["Henvendelser"] == "+1"
    assert any("i forhold til 2024" in c.value for c in at.caption)


def test_url_query_string_sets_filters_and_counts_points(app) -> None:
    at = app("kommune=999&periode=999-2024&taelle=points").run()
    assert _metrics(at)["Henvendelser"] == "5"
    assert at.radio(key="f_count_unit").value == "points"
    assert at.query_params["periode"] == ["999-2024"] or at.query_params["periode"] == "999-2024"


def test_stale_link_degrades_with_a_visible_note(app) -> None:
    at = app("kommune=999&tema=findes_ikke&interval=hvert_minut").run()
    assert not at.exception
    warnings = [w.value.replace("\\", "") for w in at.sidebar.warning]  # shown Markdown-escaped
    assert any("findes_ikke" in w for w in warnings) and any("hvert_minut" in w for w in warnings)


def test_year_over_year_table(app) -> None:
    at = app("kommune=999&periode=999-2025").run()
    at.switch_page("views/aar_for_aar.py").run()
    table = at.dataframe[0].value
    assert list(table.columns)[:4] == ["Forvaltning", "2024", "2025", "Ændring"]
    assert table["2025"].sum() == 6 and table["2024"].sum() == 5


def test_trends_drill_down_from_sector_to_units(app) -> None:
    at = app("kommune=999&opdel=sector").run()
    at.switch_page("views/tendenser.py").run()
    at.selectbox(key="drill_choice").set_value("boern_familie").run()
    assert not at.exception
    assert at.session_state["f_sectors"] == ["boern_familie"] and at.session_state["f_split"] == "unit"


def test_recommendations_overdue_first_and_timeline(app) -> None:
    # the closed period 2025 is measured at its end: r3's deadline (1 Jan 2026) had not passed yet
    at = app("kommune=999").run()
    at.switch_page("views/anbefalinger.py").run()
    assert _metrics(at)["Anbefalinger"] == "3"
    shown = [m.value.replace("\\", "") for m in at.markdown]  # shown Markdown-escaped
    assert any("målt pr. 31. dec. 2025 (periodens slutning)" in text for text in shown)
    table = at.dataframe[0].value
    assert list(table["Anbefaling"])[:1] == ["Svar hurtigere"]
    assert list(table["Advarsel"]) == ["Gået i stå", "", ""]
    # a running span is measured today: r3's deadline has passed with no follow-up
    at = app("kommune=999&fra=2025-01-01").run()
    at.switch_page("views/anbefalinger.py").run()
    assert any("målt i dag" in m.value for m in at.markdown)
    table = at.dataframe[0].value
    # r3's deadline (1 Jan 2026) has passed with no follow-up; r2 has had none for over a year
    assert list(table["Anbefaling"])[:2] == ["Én kommune", "Svar hurtigere"]
    assert list(table["Advarsel"])[:2] == ["Forsinket", "Gået i stå"]
    at.selectbox(key="recommendation").set_value("r1").run()
    assert any("Ny skabelon taget i brug" in t.value for t in at.text)


def test_ankestyrelsen_omgoerelse_and_danmarkskort(app) -> None:
    at = app("kommune=999&periode=999-2024").run()
    at.switch_page("views/ankestyrelsen.py").run()
    assert _metrics(at)["Omgørelsesprocent"] == "50 %"
    assert any("Placering nr. 1 blandt de 2 kommuner, hvis tal er indlæst" in m.value for m in at.markdown)


def test_ankestyrelsen_on_a_meeting_screen_leaves_out_the_advisors_instructions(app) -> None:
    """Presenting, the Danmarkskort sentence stays but how to load the other municipalities, the
    section heading and the source caption (the chart prints its source) go, so the chart is in
    view; on screen they are all there."""
    from dashboard.appeal_words import LOAD_NATIONAL
    from dashboard.safe_text import md_escape

    for presenting in (False, True):
        at = app("kommune=999&periode=999-2024" + ("&visning=praesentation" if presenting else "")).run()
        at.switch_page("views/ankestyrelsen.py").run()
        assert not at.exception
        words = " ".join(m.value for m in at.markdown)
        assert "Placering nr. 1 blandt de 2 kommuner, hvis tal er indlæst" in words
        assert (LOAD_NATIONAL in words) is not presenting
        assert ("Danmarkskortet" in [h.value for h in at.subheader]) is not presenting
        source = md_escape("Kilde: Ankestyrelsen, Danmarkskortet, Testkommune og hele landet")
        assert any(c.value.startswith(source) for c in at.caption) is not presenting
        assert len(at.get("vega_lite_chart")) >= 1


def test_presentation_mode_hides_downloads_and_shows_one_figure(app) -> None:
    at = app("kommune=999&periode=999-2025&visning=praesentation").run()
    assert not at.exception
    assert len(at.get("download_button")) == 0
    assert at.session_state["figur"] == "enheder"


def test_data_page_validates_before_writing(app) -> None:
    """A file with two bad rows beside a good one: the page shows the Danish refusal and the rows at
    fault, offers no import button, and not one row (not even the good one) is written."""
    from dashboard.connection import get_connection
    from data_model.db import row_counts
    from data_model.labels import REASONS

    at = app("kommune=999").run()
    at.switch_page("views/data.py").run()
    assert not at.exception
    assert at.selectbox(key="import_kind").value == "municipalities"  # no kind is guessed
    con = get_connection()  # the app's own connection to its database file
    before = row_counts(con)
    at.selectbox(key="import_kind").set_value("inquiries").run()
    csv = (
        "inquiry_id,municipality_code,received,kind_code,unit_id\n"
        "ny1,999,2025-03-01,klage,999-tek\n"
        "ny2,999,31-31-2025,klage,999-tek\n"
        "ny3,999,2025-03-02,klage,999-ukendt\n"
    )
    at.file_uploader(key="import_file").set_value(("marts.csv", csv.encode(), "text/csv")).run()
    assert not at.exception
    refusals = [e.value for e in at.error]
    assert (
        len(refusals) == 1
        and "intet importeret" in refusals[0]
        and "Ret filen og indlæs den igen" in refusals[0]
    )
    problems = next(d.value for d in at.dataframe if "Årsag" in d.value.columns)
    shown = {(row["Række"], row["Årsag"]) for row in problems.to_dict("records")}
    assert shown == {(3, REASONS["not_date"]), (4, REASONS["unknown_unit"])}
    assert not any(b.key == "do_import" for b in at.button)
    assert row_counts(con) == before
    assert con.execute("SELECT count(*) FROM inquiry WHERE inquiry_id LIKE 'ny%'").fetchone() == (0,)
