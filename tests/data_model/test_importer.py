from __future__ import annotations

from pathlib import Path

import duckdb
import openpyxl
import polars as pl
import pytest

from data_model.importer import import_file
from tests.conftest import TODAY, write

HEADER = "inquiry_id,municipality_code,received,closed,kind_code,unit_id,outcome_code,summary\n"


def _inquiries(con: duckdb.DuckDBPyConnection) -> list[tuple]:
    return con.execute("SELECT inquiry_id, received, unit_id FROM inquiry ORDER BY 1").fetchall()


def test_good_csv_lands_and_reimport_creates_no_duplicates(small_db, tmp_path: Path) -> None:
    path = write(
        tmp_path / "inq.csv",
        HEADER + "a1,999,2024-02-01,2024-02-10,klage,999-sos-born,genoptaget,\n"
        "a2,999,2024-03-01,,vejledning,999-tek,,Spørgsmål om vej\n",
    )
    first = import_file(small_db, path, "inquiries", today=TODAY)
    assert first.ok and (first.new, first.changed, first.unchanged) == (2, 0, 0)
    again = import_file(small_db, path, "inquiries", today=TODAY)
    assert (again.new, again.changed, again.unchanged) == (0, 0, 2)
    overlap = write(
        tmp_path / "inq2.csv",
        HEADER + "a2,999,2024-03-02,,vejledning,999-tek,,Spørgsmål om vej\n"
        "a3,999,2024-04-01,,klage,999-tek,,\n",
    )
    third = import_file(small_db, overlap, "inquiries", today=TODAY)
    assert (third.new, third.changed, third.unchanged) == (1, 1, 0)
    assert small_db.execute("SELECT count(*) FROM inquiry").fetchone() == (3,)
    assert small_db.execute("SELECT count(*) FROM import_log").fetchone()[0] >= 3
    audit = small_db.execute(
        "SELECT actor, action, record_id, new_value FROM audit_log WHERE table_name = 'inquiry' "
        "AND action = 'import' ORDER BY audit_id"
    ).fetchall()
    assert [(a[1], a[2]) for a in audit] == [
        ("import", "inq.csv"),
        ("import", "inq.csv"),
        ("import", "inq2.csv"),
    ]
    assert '"nye": 1' in audit[-1][3] and '"ændrede": 1' in audit[-1][3]


def test_semicolon_bom_danish_headers_and_dates(small_db, tmp_path: Path) -> None:
    text = (
        "Henvendelses-id;Kommunekode;Modtaget;Afsluttet;Henvendelsestype;Enheds-id\n"
        "b1;999;31-03-2025;01-04-2025;klage;999-sos\n"
    )
    path = tmp_path / "danish.csv"
    path.write_bytes(text.encode("utf-8-sig"))
    report = import_file(small_db, path, "inquiries", today=TODAY)
    assert report.ok, report.problems
    assert str(_inquiries(small_db)[0][1]) == "2025-03-31"


def test_windows_1252_file_keeps_danish_letters(small_db, tmp_path: Path) -> None:
    path = write(tmp_path / "cp.csv", "code,name\nfoo,Ældre og Sundhed på tværs\n", encoding="cp1252")
    assert import_file(small_db, path, "themes", today=TODAY).ok
    assert small_db.execute("SELECT name FROM theme WHERE code='foo'").fetchone() == (
        "Ældre og Sundhed på tværs",
    )


def test_every_bad_row_is_reported_and_nothing_lands(small_db, tmp_path: Path) -> None:
    path = write(
        tmp_path / "bad.csv",
        HEADER
        + "ok1,999,2024-02-01,,klage,999-tek,,\n"  # row 2: fine
        + "b2,999,2024-02-01,,klage,999-ukendt,,\n"  # 3: unknown unit
        + "b3,999,2030-01-01,,klage,999-tek,,\n"  # 4: after today
        + "b4,999,2024-02-10,2024-02-01,klage,999-tek,,\n"  # 5: closed before received
        + "b5,999,2024-02-01,,klage,999-tek,,cpr 010190-1234\n"  # 6: CPR
        + "b6,999,31-31-2024,,klage,999-tek,,\n"  # 7: bad date
        + "b7,999,2024-02-01,,hemmelig,999-tek,forkert,\n"  # 8: two unknown codes
        + "b8,999,2024-02-01,,klage,998-tek,,\n"  # 9: other municipality's unit
        + "ok1,999,2024-02-01,,klage,999-tek,,\n"  # 10: duplicate key
        + ",999,2024-02-01,,klage,999-tek,,\n",
    )  # 11: missing id
    report = import_file(small_db, path, "inquiries", today=TODAY)
    assert not report.ok
    got = {(p.row, p.column, p.reason) for p in report.problems}
    assert got == {
        (2, "Henvendelses-id", "Samme nøgle optræder flere gange i filen"),
        (3, "Enheds-id", "Ukendt enhed"),
        (4, "Modtaget", "Datoen ligger efter i dag"),
        (5, "Afsluttet", "Afsluttet før modtaget"),
        (6, "Resumé", "Ligner et CPR-nummer: personoplysninger må ikke gemmes"),
        (7, "Modtaget", "Ugyldig dato (brug ÅÅÅÅ-MM-DD eller DD-MM-ÅÅÅÅ)"),
        (8, "Henvendelsestype", "Ukendt kode"),
        (8, "Udfald", "Ukendt kode"),
        (9, "Enheds-id", "Enheden hører til en anden kommune"),
        (10, "Henvendelses-id", "Samme nøgle optræder flere gange i filen"),
        (11, "Henvendelses-id", "Feltet skal udfyldes"),
    }
    cpr = next(p for p in report.problems if p.row == 6)
    assert "1234" not in cpr.value  # the report never echoes personal data
    assert small_db.execute("SELECT count(*) FROM inquiry").fetchone() == (0,)
    frame = report.problems_frame()
    assert frame.columns == ["Række", "Kolonne", "Værdi", "Årsag"] and frame.height == len(report.problems)


def test_unknown_and_missing_columns(small_db, tmp_path: Path) -> None:
    path = write(tmp_path / "cols.csv", "inquiry_id,municipality_code,modtaget,farve\nx,999,2024-01-01,rød\n")
    report = import_file(small_db, path, "inquiries", today=TODAY)
    assert {(p.column, p.reason) for p in report.problems} == {
        ("farve", "Ukendt kolonne (ignoreres ikke: ret overskriften)"),
        ("Henvendelsestype", "Påkrævet kolonne mangler i filen"),
    }


@pytest.mark.parametrize("content", [b"", b"\x00\x01\x02binary", b"\xff\xfe\x00garbage\x00"])
def test_unreadable_files(small_db, tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "x.csv"
    path.write_bytes(content)
    report = import_file(small_db, path, "inquiries", today=TODAY)
    assert not report.ok and report.problems[0].row is None


def test_negative_count_in_appeal_statistics(small_db, tmp_path: Path) -> None:
    path = write(
        tmp_path / "stat.csv",
        "municipality_code,year,law_area_code,decided_on_merits,changed,sent_back\n"
        "999,2024,boern_handicap,10,-2,1\n",
    )
    report = import_file(small_db, path, "appeal_statistics", today=TODAY)
    assert [(p.row, p.column, p.reason) for p in report.problems] == [
        (2, "Ændret/ophævet", "Må ikke være negativ")
    ]


def test_complaint_points_need_known_inquiry_and_theme(small_db, tmp_path: Path) -> None:
    import_file(
        small_db,
        write(tmp_path / "i.csv", HEADER + "a1,999,2024-02-01,,klage,999-tek,,\n"),
        "inquiries",
        today=TODAY,
    )
    path = write(
        tmp_path / "p.csv",
        "point_id,inquiry_id,theme_code\np1,a1,begrundelse\np2,zz,begrundelse\np3,a1,ukendt_tema\n",
    )
    report = import_file(small_db, path, "complaint_points", today=TODAY)
    assert {(p.row, p.reason) for p in report.problems} == {(3, "Ukendt henvendelse"), (4, "Ukendt temakode")}


def test_xlsx_and_parquet_import(small_db, tmp_path: Path) -> None:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["inquiry_id", "municipality_code", "received", "kind_code"])
    from datetime import datetime

    sheet.append(["x1", 999, datetime(2024, 5, 1), "klage"])
    workbook.save(tmp_path / "in.xlsx")
    assert import_file(small_db, tmp_path / "in.xlsx", "inquiries", today=TODAY).ok
    pl.DataFrame(
        {
            "decision_id": ["d1"],
            "municipality_code": ["999"],
            "law_area_code": ["boern_handicap"],
            "decided": ["2024-06-01"],
            "outcome_code": ["hjemvist"],
            "remark_codes": [["begrundelse", "oplysning"]],
        }
    ).write_parquet(tmp_path / "d.parquet")
    report = import_file(small_db, tmp_path / "d.parquet", "appeal_decisions", today=TODAY)
    assert report.ok, report.problems
    assert small_db.execute("SELECT remark_codes FROM appeal_decision").fetchone() == (
        ["begrundelse", "oplysning"],
    )


def test_dry_run_writes_nothing(small_db, tmp_path: Path) -> None:
    path = write(tmp_path / "inq.csv", HEADER + "a1,999,2024-02-01,,klage,999-tek,,\n")
    assert import_file(small_db, path, "inquiries", today=TODAY, dry_run=True).ok
    assert small_db.execute("SELECT count(*) FROM inquiry").fetchone() == (0,)
