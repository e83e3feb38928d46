"""data_model.forms: the Registrér page's writes, without Streamlit."""

from __future__ import annotations

from datetime import date
from typing import Any

import duckdb

from data_model import forms
from data_model.editing import CHANGED_ELSEWHERE, load_row

INQUIRY: dict[str, Any] = {
    "inquiry_id": "reg-999-test",
    "municipality_code": "999",
    "received": date(2025, 3, 1),
    "closed": None,
    "kind_code": "klage",
    "unit_id": "999-tek",
    "summary": "Manglende svar",
    "provenance": "registered",
}


def _count(con: duckdb.DuckDBPyConnection, sql: str, *params: Any) -> int:
    return con.execute(sql, list(params)).fetchone()[0]  # type: ignore[index]


def _audits(con: duckdb.DuckDBPyConnection) -> int:
    return _count(con, "SELECT count(*) FROM audit_log")


def test_an_inquiry_and_its_points_land_together_and_are_audited(query_db) -> None:
    before = _audits(query_db)
    points = [("begrundelse", None), (None, None), ("sagsbehandlingstid", "999-sos-born")]
    result = forms.save_inquiry(query_db, INQUIRY, points, actor="test", expected=None)
    assert result.ok and result.message == "Henvendelse reg-999-test er oprettet med 2 klagepunkt(er)."
    assert result.row == load_row(query_db, "inquiries", ("reg-999-test",))
    stored = forms.complaint_points(query_db, "reg-999-test")
    # the empty middle row is left out, and the points keep their row numbers
    assert [(p["point_id"], p["theme_code"], p["unit_id"]) for p in stored] == [
        ("reg-999-test-p1", "begrundelse", None),
        ("reg-999-test-p3", "sagsbehandlingstid", "999-sos-born"),
    ]
    assert _audits(query_db) == before + 2  # the inquiry and its points
    # editing with the row as opened: one point fewer, saved, not created
    again = forms.save_inquiry(
        query_db, {**INQUIRY, "summary": "Rettet"}, points[:1], actor="test", expected=result.row
    )
    assert again.message == "Henvendelse reg-999-test er gemt med 1 klagepunkt(er)."
    assert len(forms.complaint_points(query_db, "reg-999-test")) == 1


def test_a_refused_inquiry_writes_nothing(query_db) -> None:
    before = (_audits(query_db), _count(query_db, "SELECT count(*) FROM inquiry"))
    cpr = forms.save_inquiry(
        query_db, {**INQUIRY, "summary": "cpr 010190-1234"}, [("ukendt-tema", None)], actor="t", expected=None
    )
    reasons = {(p.column, p.reason) for p in cpr.problems}
    assert ("Resumé", "Ligner et CPR-nummer: personoplysninger må ikke gemmes") in reasons
    assert not cpr.ok and cpr.message == "" and cpr.row is None
    assert (_audits(query_db), _count(query_db, "SELECT count(*) FROM inquiry")) == before


def test_someone_else_saving_first_is_refused(query_db) -> None:
    opened = load_row(query_db, "inquiries", ("i3",))
    query_db.execute("UPDATE inquiry SET summary = 'andet' WHERE inquiry_id = 'i3'")
    result = forms.save_inquiry(query_db, {**opened, "summary": "mit"}, [], actor="t", expected=opened)
    assert [p.reason for p in result.problems] == [CHANGED_ELSEWHERE]
    assert load_row(query_db, "inquiries", ("i3",))["summary"] == "andet"


def test_a_follow_up_with_a_new_due_date(query_db) -> None:
    assert forms.recommendation_titles(query_db, "999") == {
        "r3": "Én kommune",
        "r1": "Begrund afgørelser",
        "r2": "Svar hurtigere",
    }
    opened = load_row(query_db, "recommendations", ("r2",))
    same = dict(on=date(2025, 6, 1), status="i_gang", text="Svar", source="", actor="t")
    kept = forms.add_follow_up(query_db, opened, due=None, **same)  # type: ignore[arg-type]
    assert kept.message == "Opfølgningen er gemt."
    moved = forms.add_follow_up(query_db, opened, due=date(2026, 6, 30), **same)  # type: ignore[arg-type]
    assert moved.message == "Opfølgningen er gemt med den nye frist."
    assert load_row(query_db, "recommendations", ("r2",))["due_on"] == date(2026, 6, 30)
    # the form opened before that change: the follow-up is refused with the due date
    follow_ups = _count(query_db, "SELECT count(*) FROM follow_up")
    stale = forms.add_follow_up(query_db, opened, due=date(2027, 1, 1), **same)  # type: ignore[arg-type]
    assert [p.reason for p in stale.problems] == [CHANGED_ELSEWHERE]
    assert _count(query_db, "SELECT count(*) FROM follow_up") == follow_ups


def test_create_and_rename_say_what_is_missing(query_db) -> None:
    untitled = {"recommendation_id": "rec-x", "municipality_code": "999", "made_on": date(2025, 1, 1)}
    missing = forms.create(query_db, "recommendations", untitled, "Oprettet.", actor="t")
    assert ("Titel", "Feltet skal udfyldes") in {(p.column, p.reason) for p in missing.problems}
    made = forms.create(query_db, "recommendations", {**untitled, "title": "Ny"}, "Oprettet.", actor="t")
    assert made.ok and made.message == "Oprettet."
    assert [
        p.reason for p in forms.rename(query_db, "999-tek", "  ", date(2025, 1, 1), actor="t").problems
    ] == ["Feltet skal udfyldes"]
    renamed = forms.rename(query_db, "999-tek", " Teknik og Klima ", date(2025, 1, 1), actor="t")
    assert renamed.message == (
        "Enheden hedder Teknik og Klima fra 01.01.2025; tidligere henvendelser beholder det gamle navn "
        "(999-tek-20250101)."
    )
