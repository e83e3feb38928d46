"""Forms' write path: validation, audit log with old and new values, concurrent-edit rule."""

from __future__ import annotations

import json
from datetime import date

import pytest
from streamlit.testing.v1 import AppTest

from dashboard.auth import LOCAL_EDITOR, resolve_user
from data_model.editing import (
    CHANGED_ELSEWHERE,
    EditRefused,
    audit_entries,
    load_row,
    rename_unit,
    save,
    save_inquiry_with_points,
    validate,
)

INQUIRY = {
    "inquiry_id": "reg-1",
    "municipality_code": "999",
    "received": date(2025, 3, 1),
    "kind_code": "klage",
    "unit_id": "999-tek",
    "provenance": "registered",
}


def _record(kind: str, data: dict):
    record, problems = validate(kind, data, today=date(2026, 11, 24))
    assert not problems, problems
    return record


def test_create_update_and_audit_old_and_new(query_db) -> None:
    save(query_db, "inquiries", _record("inquiries", INQUIRY), actor="a@kommune.dk", expected=None)
    opened = load_row(query_db, "inquiries", ("reg-1",))
    changed = _record("inquiries", {**INQUIRY, "outcome_code": "genoptaget"})
    result = save(query_db, "inquiries", changed, actor="b@kommune.dk", expected=opened)
    assert (
        not result.created
        and result.old["outcome_code"] is None
        and result.new["outcome_code"] == "genoptaget"
    )
    log = audit_entries(query_db)
    latest = log.row(0, named=True)
    assert (latest["actor"], latest["action"], latest["record"]) == ("b@kommune.dk", "gem", "reg-1")
    assert (
        json.loads(latest["old_value"])["outcome_code"] is None
        and json.loads(latest["new_value"])["outcome_code"] == "genoptaget"
    )
    assert log.row(1, named=True)["action"] == "opret"


def test_second_save_of_a_stale_form_is_refused(query_db) -> None:
    save(query_db, "inquiries", _record("inquiries", INQUIRY), actor="a", expected=None)
    opened_by_both = load_row(query_db, "inquiries", ("reg-1",))
    first = _record("inquiries", {**INQUIRY, "outcome_code": "genoptaget"})
    second = _record("inquiries", {**INQUIRY, "outcome_code": "ingen_kritik"})
    save(query_db, "inquiries", first, actor="a", expected=opened_by_both)
    with pytest.raises(EditRefused) as refused:
        save(query_db, "inquiries", second, actor="b", expected=opened_by_both)
    assert refused.value.problems[0].reason == CHANGED_ELSEWHERE
    assert load_row(query_db, "inquiries", ("reg-1",))["outcome_code"] == "genoptaget"


def test_creating_an_existing_key_is_refused(query_db) -> None:
    with pytest.raises(EditRefused, match="findes allerede"):
        save(
            query_db,
            "inquiries",
            _record("inquiries", {**INQUIRY, "inquiry_id": "i1"}),
            actor="a",
            expected=None,
        )


def test_form_validation_gives_danish_reasons_per_field() -> None:
    record, problems = validate(
        "inquiries",
        {**INQUIRY, "closed": date(2025, 1, 1), "summary": "cpr 010190-1234"},
        today=date(2026, 11, 24),
    )
    assert record is None
    assert {(p.column, p.reason) for p in problems} == {
        ("Resumé", "Ligner et CPR-nummer: personoplysninger må ikke gemmes")
    }
    record, problems = validate(
        "inquiries", {**INQUIRY, "closed": date(2025, 1, 1)}, today=date(2026, 11, 24)
    )
    assert [(p.column, p.reason) for p in problems] == [("Afsluttet", "Afsluttet før modtaget")]


def test_inquiry_and_points_land_together_or_not_at_all(query_db) -> None:
    inquiry = _record("inquiries", INQUIRY)
    good = _record(
        "complaint_points", {"point_id": "reg-1-p1", "inquiry_id": "reg-1", "theme_code": "begrundelse"}
    )
    bad = _record(
        "complaint_points", {"point_id": "reg-1-p2", "inquiry_id": "reg-1", "theme_code": "findes_ikke"}
    )
    with pytest.raises(EditRefused):
        save_inquiry_with_points(query_db, inquiry, [good, bad], actor="a", expected=None)
    assert load_row(query_db, "inquiries", ("reg-1",)) is None
    save_inquiry_with_points(query_db, inquiry, [good], actor="a", expected=None)
    opened = load_row(query_db, "inquiries", ("reg-1",))
    other = _record(
        "complaint_points", {"point_id": "reg-1-p9", "inquiry_id": "reg-1", "theme_code": "partshoering"}
    )
    save_inquiry_with_points(query_db, inquiry, [other], actor="a", expected=opened)
    assert query_db.execute("SELECT point_id FROM complaint_point WHERE inquiry_id = 'reg-1'").fetchall() == [
        ("reg-1-p9",)
    ]


def test_rename_unit_keeps_history(query_db) -> None:
    new = rename_unit(query_db, "999-tek", "Teknik, Miljø og Klima", date(2025, 6, 1), actor="a")
    old = load_row(query_db, "org_units", ("999-tek",))
    renamed = load_row(query_db, "org_units", (new,))
    assert old["valid_to"] == date(2025, 5, 31) and old["name"] == "Teknik og Miljø"
    assert renamed["name"] == "Teknik, Miljø og Klima" and renamed["valid_from"] == date(2025, 6, 1)
    assert query_db.execute("SELECT count(*) FROM inquiry WHERE unit_id = '999-tek'").fetchall()[0][0] == 5


LOGIN = {  # a complete [auth] section (an incomplete one stops the app: tests/dashboard/test_auth.py)
    "redirect_uri": "http://localhost/oauth2callback",
    "cookie_secret": "x",
    "client_id": "c",
    "client_secret": "s",
    "server_metadata_url": "https://login.example.dk/.well-known/openid-configuration",
}


def test_roles_from_secrets() -> None:
    assert resolve_user({}, {}).id == LOCAL_EDITOR and resolve_user({}, {}).can_edit
    secrets = {"auth": LOGIN, "roles": {"editors": ["Redaktoer@Kommune.dk"]}}
    assert not resolve_user(secrets, {"is_logged_in": False}).can_edit
    assert not resolve_user(secrets, {"is_logged_in": True, "email": "laeser@kommune.dk"}).can_edit
    assert resolve_user(secrets, {"is_logged_in": True, "email": "redaktoer@kommune.dk"}).can_edit


def _form_button(at: AppTest, label: str):
    return next(b for b in at.button if b.label == label)


def test_inquiry_form_saves_and_keeps_input_on_error(app) -> None:
    at = app().run()
    at.switch_page("views/registrering.py").run()
    assert not at.exception
    at.text_area(key="inq_summary").input("Borger klager over manglende svar")
    _form_button(at, "Gem henvendelse").click().run()
    assert not at.exception
    assert any("er oprettet" in s.value for s in at.success)
    # invalid: closed before received; the typed text is still there afterwards
    at.text_input(key="edit_inquiry_id").input("").run()
    at.date_input(key="inq_received").set_value(date(2025, 5, 2))
    at.date_input(key="inq_closed").set_value(date(2025, 5, 1))
    at.text_area(key="inq_summary").input("Ny tekst der ikke må gå tabt")
    _form_button(at, "Gem henvendelse").click().run()
    assert any("Afsluttet før modtaget" in e.value for e in at.error)
    assert at.text_area(key="inq_summary").value == "Ny tekst der ikke må gå tabt"


def test_viewer_cannot_save(app) -> None:
    at = app()
    at.secrets["auth"] = LOGIN
    at.secrets["roles"] = {"editors": ["redaktoer@kommune.dk"]}
    at.user = {"email": "laeser@kommune.dk", "is_logged_in": True}
    at.run()
    at.switch_page("views/registrering.py").run()
    assert not at.exception
    assert _form_button(at, "Gem henvendelse").disabled
    assert any("læseadgang" in i.value for i in at.info)


def test_follow_up_form_adds_to_the_timeline(app) -> None:
    at = app().run()
    at.switch_page("views/registrering.py").run()
    at.selectbox(key="fu_rec").set_value("r2").run()
    at.text_area(key="fu_text").input("Ny procedure er vedtaget")
    _form_button(at, "Gem opfølgning").click().run()
    assert not at.exception and any("Opfølgningen er gemt" in s.value for s in at.success)
    at.switch_page("views/data.py").run()
    assert not at.exception


def test_generated_ids_never_look_like_cpr_numbers() -> None:
    from data_model.editing import new_id
    from data_model.parsing import looks_like_cpr

    assert not any(looks_like_cpr(new_id("reg-510")) for _ in range(200))


def test_recommendation_unit_theme_and_rename_forms(app) -> None:
    at = app().run()
    at.switch_page("views/registrering.py").run()
    _form_button(at, "Opret anbefaling").click().run()  # no title
    assert any("Titel" in e.value and "Feltet skal udfyldes" in e.value for e in at.error)
    at.text_input(key="rec_title").input("Svar inden for 14 dage")
    _form_button(at, "Opret anbefaling").click().run()
    assert any("Anbefalingen er oprettet" in s.value for s in at.success)
    at.text_input(key="unit_name").input("Ny Ungeenhed")
    _form_button(at, "Opret enhed").click().run()
    assert any("Ny Ungeenhed er oprettet" in s.value for s in at.success)
    at.text_input(key="theme_name").input("Digital kommunikation")
    _form_button(at, "Opret tema").click().run()
    assert any("Digital kommunikation er oprettet" in s.value for s in at.success)
    at.selectbox(key="rename_unit").set_value("999-tek")
    at.text_input(key="rename_name").input("Teknik og Klima")
    _form_button(at, "Omdøb").click().run()
    assert not at.exception
    assert any("Teknik og Klima" in s.value for s in at.success)


def test_viewer_gets_no_import_on_the_data_page(app) -> None:
    at = app()
    at.secrets["auth"] = LOGIN
    at.user = {"email": "laeser@kommune.dk", "is_logged_in": True}
    at.run()
    at.switch_page("views/data.py").run()
    assert not at.exception
    assert len(at.get("file_uploader")) == 0
    assert any("læseadgang" in i.value for i in at.info)
    assert at.selectbox(key="export_kind").value  # reading and exporting still work
