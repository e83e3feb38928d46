"""Silent erasure on re-import (issue 16, item 1).

A column absent from a re-imported file leaves the stored value as it is; an empty cell in a
present column clears it, and the report (also a dry run, before anything is written) lists the
old and new value of every changed field; the audit log records them.
"""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from pathlib import Path
from typing import Any

import duckdb
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from data_model.editing import load_row
from data_model.importer import import_file
from data_model.kinds import KINDS
from tests.conftest import TODAY

# kind -> one complete row (every column filled), the key, and a second value for each column.
FULL_ROWS: dict[str, tuple[dict[str, str], dict[str, str]]] = {
    "inquiries": (
        {
            "inquiry_id": "e1",
            "municipality_code": "999",
            "received": "2024-02-01",
            "kind_code": "klage",
            "closed": "2024-03-01",
            "unit_id": "999-sos-born",
            "case_type_code": "dialogsag",
            "channel_code": "mail",
            "outcome_code": "genoptaget",
            "legal_effect_code": "materiel",
            "summary": "Klage over sagsbehandlingstid",
            "provenance": "registered",
        },
        {"unit_id": "999-tek", "channel_code": "brev", "summary": "Ny tekst", "closed": "2024-04-01"},
    ),
    "recommendations": (
        {
            "recommendation_id": "r1",
            "municipality_code": "999",
            "made_on": "2024-05-01",
            "title": "Bedre begrundelser",
            "text": "Forvaltningen bør begrunde afgørelser",
            "period_id": "999-2024",
            "due_on": "2025-01-01",
            "target_unit_ids": "999-sos-born;999-tek",
            "theme_codes": "begrundelse;partshoering",
            "whole_municipality": "ja",
        },
        {"target_unit_ids": "999-tek", "theme_codes": "begrundelse", "text": "Kortere"},
    ),
    "appeal_decisions": (
        {
            "decision_id": "d1",
            "municipality_code": "999",
            "law_area_code": "boern_handicap",
            "decided": "2024-02-01",
            "outcome_code": "hjemvist",
            "unit_id": "999-sos-born",
            "remark_codes": "begrundelse;oplysning",
            "provenance": "imported",
        },
        {"remark_codes": "partshoering", "unit_id": "999-tek"},
    ),
    "org_units": (
        {
            "unit_id": "999-ny",
            "municipality_code": "999",
            "name": "Ny enhed",
            "level": "omraade",
            "sector_code": "teknik_miljoe",
            "parent_id": "999-tek",
            "valid_from": "2020-01-01",
            "valid_to": "2030-12-31",
        },
        {"parent_id": "999-sos", "level": "afdeling"},
    ),
}

# (kind, optional column) for every column a file may leave out
OPTIONAL = [
    (kind, column)
    for kind, (row, _) in FULL_ROWS.items()
    for column in row
    if column not in KINDS[kind].required and column not in KINDS[kind].key
]
CLEARABLE = [(kind, column) for kind, column in OPTIONAL if column not in {"provenance", "level"}]


def _csv(path: Path, rows: list[dict[str, str]]) -> Path:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)
    path.write_text(buffer.getvalue(), encoding="utf-8")
    return path


def _stored(con: duckdb.DuckDBPyConnection, kind: str, row: dict[str, str]) -> dict[str, Any]:
    found = load_row(con, kind, tuple(row[k] for k in KINDS[kind].key))
    assert found is not None
    return found


def _import_full(con: duckdb.DuckDBPyConnection, tmp_path: Path, kind: str) -> dict[str, Any]:
    row, _ = FULL_ROWS[kind]
    report = import_file(con, _csv(tmp_path / "full.csv", [row]), kind, today=TODAY)
    assert report.ok, report.problems
    return _stored(con, kind, row)


@pytest.mark.parametrize(("kind", "column"), OPTIONAL, ids=[f"{k}.{c}" for k, c in OPTIONAL])
def test_absent_column_keeps_the_stored_value(small_db, tmp_path: Path, kind: str, column: str) -> None:
    before = _import_full(small_db, tmp_path, kind)
    row, _ = FULL_ROWS[kind]
    without = {c: v for c, v in row.items() if c != column}
    report = import_file(small_db, _csv(tmp_path / "without.csv", [without]), kind, today=TODAY)
    assert report.ok, report.problems
    assert (report.new, report.changed, report.unchanged) == (0, 0, 1)
    assert report.changes == []
    assert _stored(small_db, kind, row) == before


@pytest.mark.parametrize(("kind", "column"), CLEARABLE, ids=[f"{k}.{c}" for k, c in CLEARABLE])
def test_empty_cell_clears_and_the_report_shows_old_and_new_first(
    small_db, tmp_path: Path, kind: str, column: str
) -> None:
    before = _import_full(small_db, tmp_path, kind)
    row, _ = FULL_ROWS[kind]
    path = _csv(tmp_path / "cleared.csv", [row | {column: ""}])
    dry = import_file(small_db, path, kind, today=TODAY, dry_run=True)
    assert dry.ok and (dry.new, dry.changed, dry.unchanged) == (0, 1, 0)
    assert [(c.column, c.old, c.new) for c in dry.changes] == [(column, before[column], dry.changes[0].new)]
    assert dry.changes[0].new in (None, [], False)
    assert "1 ændres:" in dry.summary()
    assert ("'ja' → 'nej'" if column == "whole_municipality" else "→ (tom)") in dry.summary()
    assert _stored(small_db, kind, row) == before  # the dry run wrote nothing
    done = import_file(small_db, path, kind, today=TODAY, actor="a@kommune.dk")
    assert done.ok and done.changes == dry.changes
    assert "1 ændret:" in done.summary()
    assert _stored(small_db, kind, row)[column] == dry.changes[0].new
    entry = small_db.execute(
        "SELECT actor, old_value, new_value FROM audit_log WHERE action = 'import ændring' "
        "ORDER BY audit_id DESC LIMIT 1"
    ).fetchone()
    assert entry is not None and entry[0] == "a@kommune.dk"
    assert column in json.loads(entry[1]) and column in json.loads(entry[2])


def test_inquiry_file_without_optional_columns_keeps_unit_outcome_channel_summary(
    small_db, tmp_path: Path
) -> None:
    """The red-team case: a minimal file re-imported over rich records erased four fields."""
    before = _import_full(small_db, tmp_path, "inquiries")
    minimal = _csv(
        tmp_path / "minimal.csv",
        [{"inquiry_id": "e1", "municipality_code": "999", "received": "2024-02-01", "kind_code": "klage"}],
    )
    report = import_file(small_db, minimal, "inquiries", today=TODAY)
    assert report.ok and "0 ændrede" in report.summary()
    after = _stored(small_db, "inquiries", FULL_ROWS["inquiries"][0])
    assert after == before and after["unit_id"] == "999-sos-born" and after["summary"]


def test_changed_values_are_listed_with_old_and_new(small_db, tmp_path: Path) -> None:
    _import_full(small_db, tmp_path, "recommendations")
    row, other = FULL_ROWS["recommendations"]
    report = import_file(small_db, _csv(tmp_path / "r.csv", [row | other]), "recommendations", today=TODAY)
    assert report.ok
    assert {(c.column, tuple(c.old) if isinstance(c.old, list) else c.old) for c in report.changes} == {
        ("target_unit_ids", ("999-sos-born", "999-tek")),
        ("theme_codes", ("begrundelse", "partshoering")),
        ("text", "Forvaltningen bør begrunde afgørelser"),
    }
    text = report.summary()
    assert "1 ændret: Række 2 (r1)" in text and "'999-sos-born;999-tek' → '999-tek'" in text
    frame = report.changes_frame()
    assert frame.columns == ["Række", "Nøgle", "Felt", "Før", "Efter"] and frame.height == 3


def test_a_later_date_in_the_file_is_checked_against_the_stored_closing_date(
    small_db, tmp_path: Path
) -> None:
    """Absent columns take part in validation with their stored values: a file without `closed`
    cannot move `received` after the stored closing date."""
    _import_full(small_db, tmp_path, "inquiries")
    path = _csv(
        tmp_path / "late.csv",
        [{"inquiry_id": "e1", "municipality_code": "999", "received": "2024-06-01", "kind_code": "klage"}],
    )
    report = import_file(small_db, path, "inquiries", today=TODAY)
    assert [(p.row, p.column) for p in report.problems] == [(2, "Afsluttet")]


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    kept=st.sets(st.sampled_from([c for k, c in OPTIONAL if k == "inquiries"])),
    cleared=st.sets(st.sampled_from([c for k, c in CLEARABLE if k == "inquiries"])),
)
def test_any_subset_of_columns_changes_exactly_the_cleared_present_ones(
    small_db, tmp_path: Path, kept: set[str], cleared: set[str]
) -> None:
    """Property: after a re-import with some optional columns absent and some present but empty,
    a column changed if and only if it was present and emptied; the report lists exactly those."""
    small_db.execute("DELETE FROM inquiry WHERE inquiry_id = 'e1'")
    before = _import_full(small_db, tmp_path, "inquiries")
    row, _ = FULL_ROWS["inquiries"]
    required = {c: row[c] for c in row if c in KINDS["inquiries"].required}
    present = {c: ("" if c in cleared else row[c]) for c in kept} | required
    report = import_file(small_db, _csv(tmp_path / "subset.csv", [present]), "inquiries", today=TODAY)
    assert report.ok, report.problems
    emptied = {c for c in kept & cleared if before[c] is not None}
    assert {c.column for c in report.changes} == emptied
    after = _stored(small_db, "inquiries", row)
    for column in KINDS["inquiries"].columns:
        assert (after[column] is None) if column in emptied else after[column] == before[column]
    assert date(2024, 2, 1) == after["received"]


def test_cli_dry_run_shows_old_and_new_before_writing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from data_model.__main__ import main
    from data_model.db import connect

    db = str(tmp_path / "cli.duckdb")
    connect(db).close()  # `import` never creates a database
    assert (
        main(
            [
                "import",
                str(_csv(tmp_path / "m.csv", [{"code": "999", "name": "Testkommune"}])),
                "--kind",
                "municipalities",
                "--db",
                db,
            ]
        )
        == 0
    )
    renamed = _csv(tmp_path / "m2.csv", [{"code": "999", "name": "Ny kommune"}])
    capsys.readouterr()
    assert main(["import", str(renamed), "--kind", "municipalities", "--db", db, "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "(intet skrevet)" in out and "1 ændres: Række 2 (999): Navn 'Testkommune' → 'Ny kommune'" in out
    assert out.splitlines()[0] == "Række 2 (999): Navn 'Testkommune' → 'Ny kommune'"
    con = duckdb.connect(db)
    assert con.execute("SELECT name FROM municipality").fetchall() == [("Testkommune",)]
    con.close()
