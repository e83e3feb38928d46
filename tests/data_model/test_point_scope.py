"""Complaint points carry their inquiry's municipality and received date (migration 9), and every
writer keeps them in step: migration backfill, imports, the seed, the forms (also moving an
inquiry to another municipality or date) and the own-sheet import."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import duckdb
import pytest

from data_model.check import check_report
from data_model.db import connect, current_version
from data_model.editing import load_row, save, save_inquiry_with_points
from data_model.importer import import_file
from data_model.point_scope import points_out_of_step, sync_point_scope
from data_model.schema import LATEST_VERSION, MIGRATIONS
from data_model.sheet_import import import_sheet
from tests.conftest import TODAY, write
from tests.data_model.test_editing import INQUIRY, _record


def _scope(con: duckdb.DuckDBPyConnection) -> dict[str, tuple[str | None, date | None]]:
    rows = con.execute("SELECT point_id, municipality_code, received FROM complaint_point").fetchall()
    return {str(p): (m, d) for p, m, d in rows}


def _inquiry_scope(con: duckdb.DuckDBPyConnection) -> dict[str, tuple[str, date]]:
    """What each point should carry: its inquiry's municipality and received date."""
    rows = con.execute(
        "SELECT p.point_id, i.municipality_code, i.received FROM complaint_point p "
        "JOIN inquiry i ON i.inquiry_id = p.inquiry_id"
    ).fetchall()
    return {str(p): (str(m), d) for p, m, d in rows}


def _assert_in_step(con: duckdb.DuckDBPyConnection) -> None:
    scope = _scope(con)
    assert scope, "no complaint points to check"
    assert scope == _inquiry_scope(con)
    assert points_out_of_step(con) == 0


# ---------------------------------------------------------------------------------------------
# migration 9


def _database_at_version_8(path: Path) -> None:
    raw = duckdb.connect(str(path))
    raw.execute(
        "CREATE TABLE schema_version (version INTEGER PRIMARY KEY, description VARCHAR NOT NULL, "
        "applied_at TIMESTAMP NOT NULL)"
    )
    for number, description, sql in MIGRATIONS:
        if number > 8:
            break
        raw.execute(sql)
        raw.execute("INSERT INTO schema_version VALUES (?, ?, now())", [number, description])
    raw.execute("INSERT INTO municipality VALUES ('101', 'A', true), ('202', 'B', true)")
    raw.execute("INSERT INTO theme VALUES ('t1', 'Tema', NULL, NULL)")
    raw.execute("INSERT INTO org_unit VALUES ('u2', '202', 'Enhed', 'forvaltning', 's', NULL, NULL, NULL)")
    # inserted out of (municipality, date) order on purpose
    raw.execute(
        "INSERT INTO inquiry (inquiry_id, municipality_code, received, kind_code, unit_id, provenance) VALUES "
        "('b2', '202', DATE '2024-05-01', 'klage', 'u2', 'x'), "
        "('a2', '101', DATE '2025-01-01', 'klage', NULL, 'x'), "
        "('a1', '101', DATE '2023-02-01', 'klage', NULL, 'x'), "
        "('b1', '202', DATE '2022-03-01', 'vejledning', NULL, 'x')"
    )
    raw.execute(
        "INSERT INTO complaint_point VALUES ('p3', 'b2', 't1', 'u2'), ('p1', 'a2', 't1', NULL), "
        "('p2', 'a1', 't1', NULL), ('p4', 'a2', 't1', NULL), ('dangling', 'gone', 't1', NULL)"
    )
    raw.execute(
        "INSERT INTO appeal_decision VALUES ('d2', '202', 'x', DATE '2024-01-01', 'o', NULL, [], 'x')"
    )
    raw.execute(
        "INSERT INTO appeal_decision VALUES ('d1', '101', 'x', DATE '2025-01-01', 'o', NULL, ['r'], 'x')"
    )
    raw.close()


def test_migration_9_backfills_points_and_orders_the_facts(tmp_path: Path) -> None:
    path = tmp_path / "v8.duckdb"
    _database_at_version_8(path)
    con = connect(path)
    assert current_version(con) == LATEST_VERSION
    assert _scope(con) == {
        "p1": ("101", date(2025, 1, 1)),
        "p2": ("101", date(2023, 2, 1)),
        "p3": ("202", date(2024, 5, 1)),
        "p4": ("101", date(2025, 1, 1)),
        "dangling": (None, None),  # kept (check reports it), not lost
    }
    stored_order = [r[0] for r in con.execute("SELECT inquiry_id FROM inquiry").fetchall()]
    assert stored_order == ["a1", "a2", "b1", "b2"]
    point_order = [r[0] for r in con.execute("SELECT point_id FROM complaint_point").fetchall()]
    assert point_order == ["p2", "p1", "p4", "p3", "dangling"]
    assert [r[0] for r in con.execute("SELECT decision_id FROM appeal_decision").fetchall()] == ["d1", "d2"]
    assert con.execute("SELECT remark_codes FROM appeal_decision WHERE decision_id = 'd1'").fetchall() == [
        (["r"],)
    ]
    # the rebuilt tables keep their constraints
    with pytest.raises(duckdb.ConstraintException):
        con.execute("INSERT INTO complaint_point VALUES ('p1', 'a1', 't1', NULL, NULL, NULL)")
    with pytest.raises(duckdb.ConstraintException):
        con.execute(
            "INSERT INTO inquiry (inquiry_id, municipality_code, received, kind_code, provenance) "
            "VALUES ('z', 'nowhere', DATE '2024-01-01', 'klage', 'x')"
        )
    with pytest.raises(duckdb.ConstraintException):  # closed before received
        con.execute(
            "INSERT INTO inquiry (inquiry_id, municipality_code, received, closed, kind_code, provenance) "
            "VALUES ('z', '101', DATE '2024-01-01', DATE '2023-01-01', 'klage', 'x')"
        )
    con.execute("INSERT INTO theme VALUES ('unused', 'Ubrugt', NULL, NULL)")
    con.execute("DELETE FROM theme WHERE code = 'unused'")  # deletes from referenced tables still work
    con.close()


# ---------------------------------------------------------------------------------------------
# writers


def test_import_fills_and_moving_an_inquiry_by_import_moves_its_points(
    query_db: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    _assert_in_step(query_db)
    assert _scope(query_db)["p5"] == ("999", date(2025, 1, 10))
    moved = (
        "inquiry_id,municipality_code,received,kind_code,unit_id,outcome_code\n"
        "j1,998,2025-04-02,klage,998-tek,genoptaget\n"
        "i1,999,2024-01-20,klage,999-sos-born,genoptaget\n"
    )
    report = import_file(query_db, write(tmp_path / "moved.csv", moved), "inquiries", today=TODAY)
    assert report.ok, report.problems
    scope = _scope(query_db)
    assert scope["p5"] == ("998", date(2025, 4, 2))
    assert scope["p1"] == scope["p2"] == ("999", date(2024, 1, 20))
    _assert_in_step(query_db)


def test_importing_points_alone_fills_them(query_db: duckdb.DuckDBPyConnection, tmp_path: Path) -> None:
    points = "point_id,inquiry_id,theme_code,unit_id\nq1,j2,begrundelse,\nq2,n1,partshoering,998-tek\n"
    report = import_file(query_db, write(tmp_path / "p.csv", points), "complaint_points", today=TODAY)
    assert report.ok, report.problems
    scope = _scope(query_db)
    assert scope["q1"] == ("999", date(2025, 2, 10)) and scope["q2"] == ("998", date(2025, 3, 1))
    _assert_in_step(query_db)


def test_forms_keep_points_in_step_also_when_an_inquiry_moves(query_db: duckdb.DuckDBPyConnection) -> None:
    inquiry = INQUIRY  # a registered complaint of municipality 999, received 1 March 2025
    point = _record(
        "complaint_points", {"point_id": "reg-1-p1", "inquiry_id": "reg-1", "theme_code": "begrundelse"}
    )
    save_inquiry_with_points(query_db, _record("inquiries", inquiry), [point], actor="a", expected=None)
    assert _scope(query_db)["reg-1-p1"] == ("999", date(2025, 3, 1))

    # the inquiry form alone: another date and another municipality
    opened = load_row(query_db, "inquiries", ("reg-1",))
    moved = {**inquiry, "municipality_code": "998", "unit_id": "998-tek", "received": date(2025, 6, 2)}
    save(query_db, "inquiries", _record("inquiries", moved), actor="a", expected=opened)
    assert _scope(query_db)["reg-1-p1"] == ("998", date(2025, 6, 2))

    # the inquiry with its points: points replaced and the date moved in one save
    opened = load_row(query_db, "inquiries", ("reg-1",))
    again = {**moved, "received": date(2025, 7, 3)}
    other = _record(
        "complaint_points", {"point_id": "reg-1-p2", "inquiry_id": "reg-1", "theme_code": "partshoering"}
    )
    save_inquiry_with_points(
        query_db, _record("inquiries", again), [point, other], actor="a", expected=opened
    )
    scope = _scope(query_db)
    assert scope["reg-1-p1"] == scope["reg-1-p2"] == ("998", date(2025, 7, 3))
    _assert_in_step(query_db)


def test_own_sheet_import_fills_points(small_db: duckdb.DuckDBPyConnection, tmp_path: Path) -> None:
    sheet = (
        "Dato;Forvaltning;Afdeling;Type;Emne\n"
        "03-02-2025;Social og sundhed;Børn & familie;Klage;Begrundelse, Partshøring\n"
        "10-02-2025;;Børn og Familie;klage;Sagsbehandlingstid\n"
    )
    report = import_sheet(small_db, write(tmp_path / "ark.csv", sheet), "inquiries", "999", today=TODAY)
    assert report.ok, report.lines()
    assert sorted(_scope(small_db).values()) == [
        ("999", date(2025, 2, 3)),
        ("999", date(2025, 2, 3)),
        ("999", date(2025, 2, 10)),
    ]
    _assert_in_step(small_db)


def test_seeded_sample_data_is_in_step(sample_path: Path) -> None:
    con = connect(sample_path)  # the sample data as load_sample_data seeds it (tests/conftest.py)
    assert con.execute("SELECT count(*) FROM complaint_point WHERE municipality_code IS NULL").fetchall() == [
        (0,)
    ]
    _assert_in_step(con)
    con.close()


def test_check_reports_points_out_of_step_and_sync_repairs(query_db: duckdb.DuckDBPyConnection) -> None:
    query_db.execute("UPDATE complaint_point SET received = DATE '2000-01-01' WHERE point_id IN ('p1', 'p5')")
    assert points_out_of_step(query_db) == 2
    text, healthy = check_report(query_db)
    assert not healthy and "Klagepunkter med en anden kommune eller dato end deres henvendelse: 2" in text
    sync_point_scope(query_db, ["i1"])
    assert points_out_of_step(query_db) == 1
    sync_point_scope(query_db)
    _assert_in_step(query_db)
    assert check_report(query_db)[1]
    with pytest.raises(ValueError):
        sync_point_scope(query_db, "x; DROP TABLE inquiry")
