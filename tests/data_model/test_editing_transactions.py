"""Errors that mislead or half-write (issue 16, item 6).

Moving an inquiry that has complaint points, an edit racing an import, a follow-up with a new due
date, and a seed that fails half-way: each either works whole or changes nothing and says so in
Danish.
"""

from __future__ import annotations

import os
import shutil
from datetime import date
from pathlib import Path
from typing import Any

import duckdb
import pytest

from data_model import editing, importer
from data_model.check import check_report
from data_model.db import connect, row_counts
from data_model.editing import (
    WRITTEN_AT_ONCE,
    EditRefused,
    load_row,
    save,
    save_follow_up,
    save_inquiry_with_points,
    validate,
)
from data_model.importer import import_file
from data_model.integrity import generated_inquiries_without_points
from data_model.seed import SAMPLE_DATA, SeedError, load_sample_data
from tests.conftest import TODAY


def _record(kind: str, data: dict[str, Any]) -> Any:
    record, problems = validate(kind, data, today=TODAY)
    assert not problems, problems
    return record


def _points(con: duckdb.DuckDBPyConnection, inquiry_id: str) -> list[tuple[Any, ...]]:
    return con.execute(
        "SELECT point_id, theme_code, unit_id FROM complaint_point WHERE inquiry_id = ? ORDER BY point_id",
        [inquiry_id],
    ).fetchall()


# --- Moving an inquiry that has complaint points ---------------------------------------------------

# (inquiry with points in query_db, the unit it moves to)
MOVES = [("i1", "999-tek"), ("i4", "999-sos-born"), ("j5", "999-sos"), ("i1", None)]


@pytest.mark.parametrize(("inquiry_id", "unit"), MOVES)
def test_moving_an_inquiry_with_points_through_the_form(query_db, inquiry_id: str, unit: str | None) -> None:
    opened = load_row(query_db, "inquiries", (inquiry_id,))
    assert opened is not None and _points(query_db, inquiry_id)
    points = [
        _record("complaint_points", {"point_id": p, "inquiry_id": inquiry_id, "theme_code": t, "unit_id": u})
        for p, t, u in _points(query_db, inquiry_id)
    ]
    moved = _record("inquiries", {**opened, "unit_id": unit})
    save_inquiry_with_points(query_db, moved, points, actor="a", expected=opened)
    assert load_row(query_db, "inquiries", (inquiry_id,))["unit_id"] == unit
    assert len(_points(query_db, inquiry_id)) == len(points)


@pytest.mark.parametrize(("inquiry_id", "unit"), [m for m in MOVES if m[1]])
def test_moving_an_inquiry_with_points_by_reimport(query_db, inquiry_id: str, unit: str) -> None:
    opened = load_row(query_db, "inquiries", (inquiry_id,))
    csv = (
        "inquiry_id,municipality_code,received,kind_code,unit_id\n"
        f"{inquiry_id},999,{opened['received']},{opened['kind_code']},{unit}\n"
    )
    report = import_file(query_db, "flyt.csv", "inquiries", data=csv.encode(), today=TODAY)
    assert report.ok, report.problems
    assert [(c.column, c.old, c.new) for c in report.changes] == [("unit_id", opened["unit_id"], unit)]
    assert load_row(query_db, "inquiries", (inquiry_id,))["unit_id"] == unit


def test_check_reports_points_of_an_inquiry_that_does_not_exist(query_db) -> None:
    """Without the foreign key the reference is checked by the importer and by `check`."""
    report = import_file(
        query_db,
        "p.csv",
        "complaint_points",
        data=b"point_id,inquiry_id,theme_code\nx1,findes-ikke,begrundelse\n",
        today=TODAY,
    )
    assert [p.reason for p in report.problems] == ["Ukendt henvendelse"]
    query_db.execute(
        "INSERT INTO complaint_point (point_id, inquiry_id, theme_code, unit_id) VALUES ('x1', 'findes-ikke', 'begrundelse', NULL)"
    )
    text, healthy = check_report(query_db)
    assert not healthy and "findes-ikke" in text


# --- An edit racing an import ----------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["inquiries", "inquiry_with_points"])
def test_an_edit_racing_an_import_is_refused_in_danish(query_db, kind: str) -> None:
    opened = load_row(query_db, "inquiries", ("i3",))
    importing = query_db.cursor()
    importing.execute("BEGIN TRANSACTION")
    importing.execute("UPDATE inquiry SET summary = 'fra filen' WHERE inquiry_id = 'i3'")
    edit = _record("inquiries", {**opened, "summary": "fra formularen"})
    with pytest.raises(EditRefused) as refused:
        if kind == "inquiries":
            save(query_db.cursor(), "inquiries", edit, actor="a", expected=opened)
        else:
            save_inquiry_with_points(query_db.cursor(), edit, [], actor="a", expected=opened)
    assert [p.reason for p in refused.value.problems] == [WRITTEN_AT_ONCE]
    importing.execute("COMMIT")
    assert load_row(query_db, "inquiries", ("i3",))["summary"] == "fra filen"
    # the same cursor works again afterwards (no transaction left open)
    again = load_row(query_db, "inquiries", ("i3",))
    save(query_db, "inquiries", _record("inquiries", {**again, "summary": "nu"}), actor="a", expected=again)


def test_a_conflict_at_commit_is_refused_in_danish(query_db, monkeypatch: pytest.MonkeyPatch) -> None:
    class CommitConflict:
        def __init__(self, con: duckdb.DuckDBPyConnection) -> None:
            self._con = con

        def execute(self, sql: str, *args: Any) -> Any:
            if sql == "COMMIT":
                raise duckdb.TransactionException("TransactionContext Error: Conflict on update!")
            return self._con.execute(sql, *args)

        def __getattr__(self, name: str) -> Any:
            return getattr(self._con, name)

    opened = load_row(query_db, "inquiries", ("i3",))
    edit = _record("inquiries", {**opened, "summary": "ny"})
    with pytest.raises(EditRefused, match="samtidig"):
        save(CommitConflict(query_db), "inquiries", edit, actor="a", expected=opened)  # type: ignore[arg-type]
    assert load_row(query_db, "inquiries", ("i3",)) == opened


def _button(at: Any, label: str) -> Any:
    return next(b for b in at.button if b.label == label)


def test_the_form_keeps_its_input_when_an_import_wins(app, monkeypatch: pytest.MonkeyPatch) -> None:
    real = editing.upsert

    def conflict(con: Any, kind: Any, stage: str) -> None:
        raise duckdb.TransactionException("TransactionContext Error: Conflict on tuple deletion!")

    at = app().run()
    at.switch_page("views/registrering.py").run()
    monkeypatch.setattr(editing, "upsert", conflict)
    at.text_area(key="inq_summary").input("Tekst der ikke må gå tabt")
    _button(at, "Gem henvendelse").click().run()
    assert not at.exception
    assert any("samtidig" in e.value and "Intet er gemt" in e.value for e in at.error)
    assert at.text_area(key="inq_summary").value == "Tekst der ikke må gå tabt"
    monkeypatch.setattr(editing, "upsert", real)


# --- A follow-up with a changed due date ---------------------------------------------------------


def _follow_up(rec: str, n: int = 1) -> Any:
    return _record(
        "follow_ups",
        {
            "follow_up_id": f"fu-test-{n}",
            "recommendation_id": rec,
            "date": "2025-06-01",
            "status_code": "i_gang",
        },
    )


def test_follow_up_and_new_due_date_land_together(query_db) -> None:
    opened = load_row(query_db, "recommendations", ("r2",))
    changed = _record("recommendations", {**opened, "due_on": date(2026, 6, 30)})
    save_follow_up(
        query_db, _follow_up("r2"), actor="a", recommendation=changed, expected_recommendation=opened
    )
    assert load_row(query_db, "follow_ups", ("fu-test-1",)) is not None
    assert load_row(query_db, "recommendations", ("r2",))["due_on"] == date(2026, 6, 30)


@pytest.mark.parametrize("failure", ["changed_elsewhere", "unknown_unit", "disk_full"])
def test_follow_up_with_a_refused_due_date_saves_nothing(
    query_db, monkeypatch: pytest.MonkeyPatch, failure: str
) -> None:
    opened = load_row(query_db, "recommendations", ("r2",))
    expected = opened
    changed = _record("recommendations", {**opened, "due_on": date(2026, 6, 30)})
    if failure == "changed_elsewhere":  # someone saved the recommendation after the form opened
        query_db.execute("UPDATE recommendation SET title = 'Ny titel' WHERE recommendation_id = 'r2'")
    elif failure == "unknown_unit":
        changed = _record(
            "recommendations", {**opened, "due_on": date(2026, 6, 30), "target_unit_ids": ["x"]}
        )
    else:
        real = editing.upsert

        def full(con: Any, kind: Any, stage: str) -> None:
            if kind.name == "recommendations":
                raise duckdb.IOException("IO Error: No space left on device")
            real(con, kind, stage)

        monkeypatch.setattr(editing, "upsert", full)
    before = row_counts(query_db)
    with pytest.raises(EditRefused):
        save_follow_up(
            query_db, _follow_up("r2"), actor="a", recommendation=changed, expected_recommendation=expected
        )
    assert load_row(query_db, "follow_ups", ("fu-test-1",)) is None
    assert row_counts(query_db) == before
    assert load_row(query_db, "recommendations", ("r2",))["due_on"] == opened["due_on"]


def test_follow_up_form_with_a_failing_due_date_says_nothing_was_saved(
    app, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The old form saved the follow-up, then failed on the due date and said "Intet er gemt"."""
    real = editing.upsert

    def full(con: Any, kind: Any, stage: str) -> None:
        if kind.name == "recommendations":
            raise duckdb.IOException("IO Error: No space left on device")
        real(con, kind, stage)

    at = app().run()
    at.switch_page("views/registrering.py").run()
    at.selectbox(key="fu_rec").set_value("r2").run()
    monkeypatch.setattr(editing, "upsert", full)
    at.text_area(key="fu_text").input("Svar fra forvaltningen")
    at.date_input(key="fu_due").set_value(date(2027, 1, 31))
    _button(at, "Gem opfølgning").click().run()
    monkeypatch.setattr(editing, "upsert", real)
    assert not at.exception
    assert any("Intet er gemt" in e.value for e in at.error)
    assert not any("Opfølgningen er gemt" in s.value for s in at.success)
    assert at.text_area(key="fu_text").value == "Svar fra forvaltningen"
    con = connect(Path(os.environ["BORGERRAAD_DB"]))
    rows = con.execute("SELECT count(*) FROM follow_up WHERE text = 'Svar fra forvaltningen'").fetchone()
    con.close()
    assert rows == (0,)


# --- Seed ----------------------------------------------------------------------------------------


@pytest.fixture
def sample_files(tmp_path: Path) -> Path:
    """A copy of the sample_data folder (its CSV files), to damage."""
    root = tmp_path / "sample"
    shutil.copytree(SAMPLE_DATA, root, ignore=shutil.ignore_patterns("__pycache__", "*.py"))
    return root


@pytest.mark.slow
@pytest.mark.parametrize("where", ["bad_points_file", "disk_full_at_points", "disk_full_at_events"])
def test_a_seed_that_fails_half_way_leaves_nothing(
    tmp_path: Path, sample_files: Path, monkeypatch: pytest.MonkeyPatch, where: str
) -> None:
    if where == "bad_points_file":
        points = sample_files / "generated" / "complaint_points.csv"
        points.write_text(points.read_text(encoding="utf-8") + "x,y,z,w,v\n", encoding="utf-8")
    else:
        failing_kind = "complaint_points" if where == "disk_full_at_points" else "events"
        real = importer.write_records

        def full(con: Any, kind: Any, *args: Any, **kwargs: Any) -> None:
            if kind.name == failing_kind:
                raise duckdb.IOException("IO Error: No space left on device")
            real(con, kind, *args, **kwargs)

        monkeypatch.setattr(importer, "write_records", full)
    con = connect(tmp_path / "seed.duckdb")
    before = row_counts(con)
    with pytest.raises(SeedError):
        load_sample_data(con, root=sample_files, today=date(2026, 11, 24))
    assert row_counts(con) == before
    monkeypatch.undo()
    load_sample_data(con, root=sample_files if where != "bad_points_file" else SAMPLE_DATA, today=TODAY)
    assert generated_inquiries_without_points(con) == 0
    con.close()


def test_check_notices_generated_complaints_without_points(sample_copy: Path) -> None:
    con = connect(sample_copy)
    _, healthy = check_report(con)
    assert healthy
    con.execute(
        "DELETE FROM complaint_point WHERE inquiry_id IN (SELECT inquiry_id FROM inquiry "
        "WHERE provenance = 'generated' AND kind_code = 'klage' ORDER BY inquiry_id LIMIT 3)"
    )
    text, healthy = check_report(con)
    assert not healthy and "Genererede klager uden klagepunkter: 3" in text
    con.close()
