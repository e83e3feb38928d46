"""Setting up a municipality from an empty database, through the CLI and the Data page (issue 15)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import duckdb
import pytest
from streamlit.testing.v1 import AppTest

from data_model import denmark
from data_model.__main__ import main
from data_model.db import connect
from data_model.readers import read_table
from data_model.seed import ensure_seeded
from data_model.setup import (
    PeriodPlan,
    empty_on_purpose,
    mark_empty_on_purpose,
    needs_setup,
    set_up_municipality,
)
from tests.conftest import open_app, write


def test_the_98_municipalities_with_official_codes() -> None:
    names = denmark.municipalities()
    assert len(names) == 98 and len(set(names.values())) == 98
    assert all(len(code) == 3 and code.isdigit() for code in names)
    assert names["510"] == "Haderslev" and names["766"] == "Hedensted" and names["165"] == "Albertslund"
    assert names["157"] == "Gentofte" and names["101"] == "København" and names["851"] == "Aalborg"
    assert denmark.find_municipality("Haderslev Kommune") == "510"
    assert denmark.find_municipality("Københavns Kommune") == "101"
    assert denmark.find_municipality("lyngby-taarbæk") == "173"
    assert denmark.find_municipality(751) == "751" and denmark.find_municipality("751 Aarhus") == "751"
    assert denmark.find_municipality("Hele landet") == "000"
    assert denmark.find_municipality("Atlantis") is None


def test_report_periods_calendar_or_any_twelve_months() -> None:
    calendar = PeriodPlan(2024, 2025).periods("510")
    assert [(p["label"], p["start_date"], p["end_date"]) for p in calendar] == [
        ("2024", date(2024, 1, 1), date(2024, 12, 31)),
        ("2025", date(2025, 1, 1), date(2025, 12, 31)),
    ]
    named = PeriodPlan(2024, 2025, labels=((2025, "Beretning 2025"),)).periods("510")
    assert [p["label"] for p in named] == ["2024", "Beretning 2025"]
    april = PeriodPlan(2024, 2024, 4).periods("165")
    assert [(p["period_id"], p["label"], p["start_date"], p["end_date"]) for p in april] == [
        ("165-2024", "2024/25", date(2024, 4, 1), date(2025, 3, 31))
    ]


def test_set_up_from_nothing_with_a_three_column_organisation(
    empty_db: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    assert needs_setup(empty_db)
    organisation = read_table(
        write(
            tmp_path / "org.csv",
            "Forvaltning;Område;Afdeling\n"
            "Børn og Unge;Familie;Familieafdelingen\n"
            "Børn og Unge;Familie;Familiebehandling\n"
            "Børn og Unge;Skole;PPR\n"
            "Job og Velfærd;;Jobcenter\n"
            "Teknik og Miljø;;\n",
        )
    )
    report = set_up_municipality(empty_db, "766", periods=PeriodPlan(2023, 2024), organisation=organisation)
    assert report.ok, report.problems
    assert not needs_setup(empty_db)
    units = dict(
        empty_db.execute(
            "SELECT u.name, coalesce(p.name, '-') || '|' || u.level || '|' || u.sector_code FROM org_unit u "
            "LEFT JOIN org_unit p ON p.unit_id = u.parent_id"
        ).fetchall()
    )
    assert units == {
        "Børn og Unge": "-|forvaltning|boern_familie",
        "Familie": "Børn og Unge|omraade|boern_familie",
        "Familieafdelingen": "Familie|afdeling|boern_familie",
        "Familiebehandling": "Familie|afdeling|boern_familie",
        "Skole": "Børn og Unge|omraade|boern_familie",
        "PPR": "Skole|afdeling|boern_familie",
        "Job og Velfærd": "-|forvaltning|beskaeftigelse",
        "Jobcenter": "Job og Velfærd|afdeling|beskaeftigelse",
        "Teknik og Miljø": "-|forvaltning|teknik_miljoe",
    }
    assert empty_db.execute("SELECT name FROM municipality").fetchall() == [("Hedensted",)]
    assert empty_db.execute("SELECT count(*) FROM theme").fetchall()[0][0] > 10
    again = set_up_municipality(empty_db, "766", periods=PeriodPlan(2023, 2024), organisation=organisation)
    assert again.ok and all(r.new == 0 for _, r in again.written)


def test_set_up_refuses_an_unknown_sector_whole(empty_db: duckdb.DuckDBPyConnection, tmp_path: Path) -> None:
    organisation = read_table(write(tmp_path / "org.csv", "Forvaltning;Afdeling;Sektor\nA;B;Rumfart\n"))
    report = set_up_municipality(empty_db, "510", organisation=organisation)
    assert not report.ok
    assert empty_db.execute("SELECT count(*) FROM municipality").fetchall()[0][0] == 0


def test_a_database_created_empty_on_purpose_is_not_seeded(tmp_path: Path, capsys) -> None:
    path = tmp_path / "tom.duckdb"
    assert main(["seed", "--empty", "--db", str(path)]) == 0
    con = connect(path)
    assert empty_on_purpose(con) and not ensure_seeded(con)
    assert con.execute("SELECT count(*) FROM inquiry").fetchall()[0][0] == 0
    con.close()
    org = write(tmp_path / "org.csv", "Social og Sundhed;Hjemmepleje\nSocial og Sundhed;Visitation\n")
    assert (
        main(
            [
                "setup",
                "--municipality",
                "Haderslev",
                "--first-year",
                "2024",
                "--organisation",
                str(org),
                "--db",
                str(path),
            ]
        )
        == 0
    )
    assert "Haderslev er sat op" in capsys.readouterr().out
    con = connect(path)
    assert con.execute("SELECT count(*) FROM org_unit").fetchall()[0][0] == 3
    con.close()


@pytest.fixture
def fresh_app(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    path = tmp_path / "tom.duckdb"
    con = connect(path)
    mark_empty_on_purpose(con)
    con.close()
    return open_app(path, monkeypatch)


def test_a_fresh_empty_database_is_set_up_through_the_data_page_and_shows_the_figures(
    fresh_app: AppTest,
) -> None:
    at = fresh_app.run()
    assert not at.exception
    assert any("Databasen er tom" in i.value for i in at.info)  # opened on the set-up, not an error
    at.selectbox(key="setup_municipality").select("510").run()
    at.number_input(key="setup_first_year").set_value(2024).run()
    at.number_input(key="setup_last_year").set_value(2025).run()
    at.text_area(key="setup_org_paste").input(
        "Forvaltning\tAfdeling\nBørn og Unge\tFamilieafdelingen\nSocial og Sundhed\tHjemmepleje\n"
    ).run()
    at.button(key="setup_submit").click().run()
    assert not at.exception
    assert any("Haderslev er sat op" in s.value for s in at.success)

    at.segmented_control(key="own_choice").set_value("sheet").run()
    at.text_area(key="sheet_paste").input(
        "Dato\tAfdeling\tType\tEmne\n"
        "03-02-2025\tFamilieafdelingen\tKlage\tBegrundelse; Partshøring\n"
        "04-02-2025\tHjemmepleje\tRåd og vejledning\t\n"
        "05-02-2025\tHjemmeplejen\tKlage\tPartshøring\n"
    ).run()
    question = next(s for s in at.selectbox if "Hjemmeplejen" in s.label)
    assert "række 4" in question.label and "Social og Sundhed › Hjemmepleje" in question.label
    assert "sheet_import" not in [b.key for b in at.button]  # nothing can land before it resolves
    question.select(next(o for o in question.options if o.endswith("Hjemmepleje"))).run()
    at.button(key="sheet_import").click().run()
    assert not at.exception
    assert any("3 nye" in s.value for s in at.success)

    at.switch_page("views/overblik.py").run()
    assert not at.exception
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Henvendelser"] == "3" and metrics["Klager"] == "2" and metrics["Klagepunkter"] == "3"


def test_data_page_on_a_set_up_database_offers_her_sheet_and_her_own_names(
    query_db, monkeypatch: pytest.MonkeyPatch
) -> None:
    at = open_app(query_db, monkeypatch, "kommune=999")
    at.run().switch_page("views/data.py").run()
    assert not at.exception
    assert at.segmented_control(key="own_choice").value == "sheet"  # set up already: her sheet first
    assert at.selectbox(key="sheet_municipality").value == "999"
    at.segmented_control(key="own_choice").set_value("setup").run()
    assert not at.exception and at.selectbox(key="lists_kind").value == "theme"
    at.segmented_control(key="own_choice").set_value("national").run()
    assert not at.exception and at.radio(key="national_kind").value == "danmarkskort"


def test_her_own_words_for_themes_and_categories(small_db: duckdb.DuckDBPyConnection, tmp_path: Path) -> None:
    from data_model.setup import rename_labels
    from data_model.sheet_import import import_sheet

    saved, problems = rename_labels(
        small_db, "theme", {"sagsbehandlingstid": "Lang sagsbehandling"}, actor="test"
    )
    assert (saved, problems) == (1, [])
    saved, problems = rename_labels(small_db, "outcome", {"genoptaget": "Sagen genoptaget"}, actor="test")
    assert (saved, problems) == (1, [])
    assert small_db.execute("SELECT name FROM theme WHERE code = 'sagsbehandlingstid'").fetchall() == [
        ("Lang sagsbehandling",)
    ]
    sheet = write(
        tmp_path / "ark.csv",
        "Dato;Forvaltning;Type;Emne;Udfald\n05-01-2025;Teknik og Miljø;Klage;Lang sagsbehandling;Sagen genoptaget\n",
    )
    assert import_sheet(small_db, sheet, "inquiries", "999").ok  # her words now resolve
    older = write(
        tmp_path / "gammelt.csv",
        "Dato;Forvaltning;Type;Emne;Udfald\n06-01-2025;Teknik og Miljø;Klage;Sagsbehandlingstid og manglende svar;Genoptaget af forvaltningen\n",
    )
    report = import_sheet(small_db, older, "inquiries", "999")
    assert report.ok, report.lines()  # and the former names still match last year's sheets
    assert small_db.execute(
        "SELECT p.theme_code, i.outcome_code FROM complaint_point p JOIN inquiry i USING (inquiry_id) "
        "WHERE i.received = '2025-01-06'"
    ).fetchall() == [("sagsbehandlingstid", "genoptaget")]
    assert small_db.execute("SELECT count(*) FROM audit_log WHERE action = 'omdøb'").fetchall()[0][0] == 2
