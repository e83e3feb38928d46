"""Re-importing her own sheet never erases silently (issue 16 item 1 on the issue 15 sheet path):
a column next month's sheet lacks keeps the stored values; an empty cell in a column it has
clears the value and is listed old → new before writing, and audited; a removed theme removes the
complaint point and is listed too."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pytest

from data_model.__main__ import main
from data_model.sheet_import import import_sheet
from tests.conftest import TODAY, db_path, open_app, write

# Made up for the tests.
SHEET = """Dato;Forvaltning;Afdeling;Type;Emne;Resumé;Udfald;Afsluttet
03-02-2025;Social og sundhed;Børn & familie;Klage;Begrundelse, Partshøring;Utilfreds med afgørelse om tilskud;Genoptaget af forvaltningen;20-02-2025
04-02-2025;Teknik og Miljø;;Råd og vejledning;;Spørgsmål om byggesag;;
10-02-2025;;Børn og Familie;klage;Sagsbehandlingstid;Venter på svar;Løst af borgerrådgiveren;
"""


def _columns(text: str, drop: set[str]) -> str:
    """The sheet without the named columns."""
    lines = [line.split(";") for line in text.strip().splitlines()]
    keep = [i for i, h in enumerate(lines[0]) if h not in drop]
    return "\n".join(";".join(cells[i] for i in keep) for cells in lines) + "\n"


def _stored(con: duckdb.DuckDBPyConnection) -> dict[str, tuple]:
    rows = con.execute(
        "SELECT inquiry_id, summary, outcome_code, closed, unit_id FROM inquiry "
        "WHERE provenance = 'imported' ORDER BY inquiry_id"
    ).fetchall()
    return {r[0]: r[1:] for r in rows}


def _points(con: duckdb.DuckDBPyConnection) -> list[tuple]:
    return con.execute("SELECT point_id, theme_code FROM complaint_point ORDER BY point_id").fetchall()


def _first(con: duckdb.DuckDBPyConnection, tmp_path: Path) -> dict[str, tuple]:
    report = import_sheet(con, write(tmp_path / "januar.csv", SHEET), "inquiries", "999", today=TODAY)
    assert report.ok, report.lines()
    stored = _stored(con)
    assert sorted(v[1] for v in stored.values() if v[1]) == ["genoptaget", "loest_af_borgerraadgiver"]
    return stored


def _outcome_still_stored(db: str) -> None:
    """The preview wrote nothing: the outcome it would clear is still in the database file."""
    con = duckdb.connect(db)
    try:
        sql = "SELECT count(*) FROM inquiry WHERE outcome_code = 'loest_af_borgerraadgiver'"
        assert con.execute(sql).fetchall()[0][0] == 1
    finally:
        con.close()


def _import(con: duckdb.DuckDBPyConnection, path: Path, *, dry_run: bool = False):
    report = import_sheet(con, path, "inquiries", "999", today=TODAY, dry_run=dry_run)
    assert report.ok, report.lines()
    return report


def test_next_months_sheet_without_udfald_or_afsluttet_keeps_stored_outcomes(
    small_db, tmp_path: Path
) -> None:
    before = _first(small_db, tmp_path)
    sheet = write(tmp_path / "februar.csv", _columns(SHEET, {"Udfald", "Afsluttet"}))
    preview = _import(small_db, sheet, dry_run=True)
    assert preview.changes == []
    report = _import(small_db, sheet)
    assert report.changes == []
    assert {label: (r.new, r.changed) for label, r in report.written}["Henvendelser"] == (0, 0)
    assert _stored(small_db) == before


def test_sheet_without_resume_finds_the_same_inquiries_and_keeps_summaries(small_db, tmp_path: Path) -> None:
    before = _first(small_db, tmp_path)
    points = _points(small_db)
    sheet = write(tmp_path / "februar.csv", _columns(SHEET, {"Resumé"}))
    report = _import(small_db, sheet)
    assert {label: (r.new, r.changed) for label, r in report.written}["Henvendelser"] == (0, 0)
    assert _stored(small_db) == before  # same ids (the derived id hashes the summary) and summaries kept
    assert _points(small_db) == points


def test_sheet_without_resume_refuses_rows_it_cannot_tell_apart(small_db, tmp_path: Path) -> None:
    twice = SHEET + "04-02-2025;Teknik og Miljø;;Råd og vejledning;;Spørgsmål om vej;;\n"
    assert import_sheet(small_db, write(tmp_path / "a.csv", twice), "inquiries", "999", today=TODAY).ok
    before = _stored(small_db)
    report = import_sheet(
        small_db, write(tmp_path / "b.csv", _columns(twice, {"Resumé"})), "inquiries", "999", today=TODAY
    )
    assert not report.ok
    assert any("ingen kolonne Resumé" in line for line in report.lines())
    assert _stored(small_db) == before


def test_sheet_without_emne_keeps_complaint_points(small_db, tmp_path: Path) -> None:
    _first(small_db, tmp_path)
    points = _points(small_db)
    assert len(points) == 3
    report = _import(small_db, write(tmp_path / "februar.csv", _columns(SHEET, {"Emne"})))
    assert report.changes == []
    assert _points(small_db) == points


def test_an_empty_udfald_cell_clears_it_and_the_preview_lists_the_change(small_db, tmp_path: Path) -> None:
    before = _first(small_db, tmp_path)
    emptied = SHEET.replace(";Løst af borgerrådgiveren;", ";;")
    sheet = write(tmp_path / "februar.csv", emptied)
    preview = _import(small_db, sheet, dry_run=True)
    assert [(label, c.column, c.old, c.new, c.row) for label, c in preview.changes] == [
        ("Henvendelser", "outcome_code", "loest_af_borgerraadgiver", None, 4)
    ]
    assert "Udfald 'loest_af_borgerraadgiver' → (tom)" in preview.change_lines()[0]
    assert preview.changes_frame().row(0) == (
        "Henvendelser",
        4,
        preview.changes[0][1].key,
        "Udfald",
        "'loest_af_borgerraadgiver'",
        "(tom)",
    )
    assert _stored(small_db) == before  # nothing written by the preview
    report = _import(small_db, sheet)
    assert [(c.column, c.old, c.new) for _, c in report.changes] == [
        ("outcome_code", "loest_af_borgerraadgiver", None)
    ]
    key = report.changes[0][1].key
    assert _stored(small_db)[key][1] is None
    audited = small_db.execute(
        "SELECT old_value, new_value FROM audit_log WHERE record_id = ? AND action = 'import ændring'", [key]
    ).fetchall()
    assert [(json.loads(o), json.loads(n)) for o, n in audited] == [
        ({"outcome_code": "loest_af_borgerraadgiver"}, {"outcome_code": None})
    ]


def test_a_removed_theme_is_listed_as_a_change_before_writing(small_db, tmp_path: Path) -> None:
    _first(small_db, tmp_path)
    fewer = write(tmp_path / "februar.csv", SHEET.replace("Begrundelse, Partshøring", "Begrundelse"))
    preview = _import(small_db, fewer, dry_run=True)
    assert [(label, c.column, c.old, c.new, c.row) for label, c in preview.changes] == [
        ("Klagepunkter", "theme_code", "partshoering", None, 2)
    ]
    assert len(_points(small_db)) == 3
    report = _import(small_db, fewer)
    assert [c.old for _, c in report.changes] == ["partshoering"]
    assert "partshoering" not in [t for _, t in _points(small_db)]
    assert (
        small_db.execute(
            "SELECT count(*) FROM audit_log WHERE action = 'slet (fjernet i arket)' AND table_name = 'complaint_point'"
        ).fetchall()[0][0]
        == 1
    )


def test_reimport_is_idempotent_with_and_without_columns(small_db, tmp_path: Path) -> None:
    before = _first(small_db, tmp_path)
    for name, text in (
        ("igen.csv", SHEET),
        ("uden.csv", _columns(SHEET, {"Udfald", "Afsluttet", "Resumé"})),
        ("igen2.csv", SHEET),
    ):
        report = _import(small_db, write(tmp_path / name, text))
        assert report.changes == [], name
        counts = {label: (r.new, r.changed) for label, r in report.written}
        assert counts["Henvendelser"] == (0, 0), name
        assert _stored(small_db) == before, name


def test_cli_dry_run_prints_the_cleared_outcome(small_db, tmp_path: Path, capsys) -> None:
    _first(small_db, tmp_path)
    db = str(db_path(small_db))
    small_db.close()
    sheet = write(tmp_path / "februar.csv", SHEET.replace(";Løst af borgerrådgiveren;", ";;"))
    args = ["import", str(sheet), "--kind", "inquiries", "--municipality", "999", "--db", db]
    assert main([*args, "--dry-run", "--today", TODAY.isoformat()]) == 0
    out = capsys.readouterr().out
    assert "Ændres ved indlæsning: 1 felt(er)" in out and "Udfald 'loest_af_borgerraadgiver' → (tom)" in out
    _outcome_still_stored(db)


def test_data_page_preview_lists_the_cleared_outcome_before_writing(
    small_db, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _first(small_db, tmp_path)
    path = str(db_path(small_db))
    at = open_app(small_db, monkeypatch, "kommune=999")
    at.run().switch_page("views/data.py").run()
    at.segmented_control(key="own_choice").set_value("sheet").run()
    emptied = SHEET.replace(";Løst af borgerrådgiveren;", ";;").replace(";", "\t")
    at.text_area(key="sheet_paste").input(emptied).run()
    assert not at.exception
    assert any("1 gemt(e) værdi(er) bliver ændret eller tømt" in w.value for w in at.warning)
    frames = [d.value for d in at.dataframe if "Før" in d.value.columns]
    assert len(frames) == 1
    assert list(frames[0]["Før"]) == ["'loest_af_borgerraadgiver'"] and list(frames[0]["Efter"]) == ["(tom)"]
    _outcome_still_stored(path)


def test_sheet_without_organisation_columns_keeps_units_and_ids(small_db, tmp_path: Path) -> None:
    before = _first(small_db, tmp_path)
    report = _import(small_db, write(tmp_path / "februar.csv", _columns(SHEET, {"Forvaltning", "Afdeling"})))
    assert report.changes == []
    assert _stored(small_db) == before  # unit_id kept, no new inquiries
    more = _columns(SHEET, {"Forvaltning", "Afdeling"}).replace(
        ";Råd og vejledning;;", ";Råd og vejledning;Aktindsigt;"
    )
    report = _import(small_db, write(tmp_path / "marts.csv", more))
    assert {label: r.new for label, r in report.written}["Klagepunkter"] == 1
    new_point = small_db.execute(
        "SELECT unit_id FROM complaint_point WHERE theme_code = 'aktindsigt'"
    ).fetchall()
    assert new_point == [("999-tek",)]  # where its stored inquiry lies, though the sheet names no unit


DECISIONS = (
    "Afgørelsesdato;Lovområde;Resultat;Afdeling;Bemærkninger\n"
    "01-03-2025;Børnehandicap;Stadfæstelse;Børn og Familie;Mangelfuld begrundelse\n"
    "02-03-2025;Voksenhandicap;Hjemvisning;Børn og Familie;\n"
)


def test_decisions_sheet_without_unit_or_remarks_keeps_them(small_db, tmp_path: Path) -> None:
    sql = "SELECT decision_id, unit_id, remark_codes FROM appeal_decision WHERE provenance = 'imported' ORDER BY 1"
    assert import_sheet(
        small_db, write(tmp_path / "a.csv", DECISIONS), "appeal_decisions", "999", today=TODAY
    ).ok
    before = small_db.execute(sql).fetchall()
    assert [r[1] for r in before] == ["999-sos-born", "999-sos-born"]
    narrow = write(tmp_path / "b.csv", _columns(DECISIONS, {"Afdeling", "Bemærkninger"}))
    report = import_sheet(small_db, narrow, "appeal_decisions", "999", today=TODAY)
    assert report.ok, report.lines()
    assert report.changes == [] and report.written[0][1].new == 0
    assert small_db.execute(sql).fetchall() == before


RECOMMENDATIONS = (
    "Dato;Anbefaling;Forvaltning;Tema;Beretning;Frist;Opfølgning dato;Status;Svar\n"
    "01-06-2024;Begrund afslag bedre;Social og Sundhed;Begrundelse;2024;01-06-2025;01-12-2024;I gang;Skabelon undervejs\n"
)


def test_recommendations_sheet_without_some_columns_keeps_them(small_db, tmp_path: Path) -> None:
    recs = "SELECT recommendation_id, period_id, due_on, target_unit_ids, theme_codes FROM recommendation ORDER BY 1"
    fus = "SELECT follow_up_id, status_code, text FROM follow_up ORDER BY 1"
    first = write(tmp_path / "a.csv", RECOMMENDATIONS)
    assert import_sheet(small_db, first, "recommendations", "999", today=TODAY).ok
    before = (small_db.execute(recs).fetchall(), small_db.execute(fus).fetchall())
    narrow = write(
        tmp_path / "b.csv", _columns(RECOMMENDATIONS, {"Forvaltning", "Tema", "Beretning", "Frist", "Svar"})
    )
    report = import_sheet(small_db, narrow, "recommendations", "999", today=TODAY)
    assert report.ok, report.lines()
    assert report.changes == []
    assert (small_db.execute(recs).fetchall(), small_db.execute(fus).fetchall()) == before
    cleared = write(tmp_path / "c.csv", RECOMMENDATIONS.replace(";01-06-2025;", ";;"))
    preview = import_sheet(small_db, cleared, "recommendations", "999", today=TODAY, dry_run=True)
    assert [(c.column, c.new) for _, c in preview.changes] == [("due_on", None)]
