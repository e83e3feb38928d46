"""Backup -> restore round trip (exact, every table), and the refusals: tampering, newer schema,
a non-empty target, a half-written or hand-edited backup."""

from __future__ import annotations

import hashlib
import json
import math
import shutil
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from data_model.__main__ import main
from data_model.backup import (
    MANIFEST,
    BackupError,
    backup_database,
    base_tables,
    restore_database,
    restore_order,
)
from data_model.db import TABLES, connect, current_version
from data_model.importer import import_file
from data_model.schema import LATEST_VERSION, MIGRATIONS
from tests.conftest import ROOT, TODAY, copy_sample, write

pytestmark = pytest.mark.timeout(180)


def _normal(value: object) -> object:
    """NaN compares unequal to itself; everything else is compared as DuckDB returns it."""
    if isinstance(value, float) and math.isnan(value):
        return "NaN"
    return value


def snapshot(con: duckdb.DuckDBPyConnection) -> dict[str, object]:
    """Every base table's column types and rows ordered by primary key, plus sequence positions."""
    out: dict[str, object] = {}
    for table in base_tables(con):
        key = con.execute(
            "SELECT constraint_column_names FROM duckdb_constraints() "
            "WHERE table_name = ? AND constraint_type = 'PRIMARY KEY'",
            [table],
        ).fetchall()[0][0]
        types = con.execute(
            "SELECT column_name, data_type FROM duckdb_columns() WHERE table_name = ? ORDER BY column_index",
            [table],
        ).fetchall()
        rows = con.execute(f"SELECT * FROM {table} ORDER BY {', '.join(key)}").fetchall()  # noqa: S608 (catalog names)
        out[table] = (types, [tuple(_normal(v) for v in row) for row in rows])
    out["sequences"] = con.execute(
        "SELECT sequence_name, last_value FROM duckdb_sequences() ORDER BY 1"
    ).fetchall()
    return out


@pytest.fixture(scope="module")
def seeded(seeded_sample: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample database plus rows that stress types: NULLs, empty lists, NaN, NUL, microseconds."""
    db = copy_sample(seeded_sample, tmp_path_factory.mktemp("seeded"), "seeded.duckdb")
    con = connect(db)
    con.execute("INSERT INTO category VALUES ('x_test', 'nul', 'Tekst med \x00 NUL og æøå', NULL, -3, NULL)")
    con.execute(
        "INSERT INTO published_figure (figure_id, municipality_code, table_name, measure, value, value_unit) "
        "SELECT 'nan-test', code, '<b>t</b>', '=1+1', 'NaN'::DOUBLE, 'count' FROM municipality LIMIT 1"
    )
    con.execute(
        "INSERT INTO appeal_decision SELECT 'empty-remarks', municipality_code, law_area_code, decided, "
        "outcome_code, NULL, [], provenance FROM appeal_decision LIMIT 1"
    )
    con.execute(
        "INSERT INTO audit_log (logged_at, actor, action, table_name, record_id, old_value, new_value) "
        "VALUES (TIMESTAMP '2025-01-02 03:04:05.678901', 'test', 'edit', 'inquiry', NULL, NULL, '{\"a\": 1}')"
    )
    con.close()
    return db


def test_round_trip_is_exact_for_every_table(seeded: Path, tmp_path: Path, capsys) -> None:
    con = connect(seeded, read_only=True)
    before = snapshot(con)
    con.close()
    assert main(["backup", "--out", str(tmp_path / "bak"), "--db", str(seeded)]) == 0
    assert "Sikkerhedskopi skrevet" in capsys.readouterr().out
    manifest = json.loads((tmp_path / "bak" / MANIFEST).read_text(encoding="utf-8"))
    assert {t["name"] for t in manifest["tables"]} >= {*TABLES, "schema_version"}
    assert manifest["schema_version"] == LATEST_VERSION and manifest["created"]
    for entry in manifest["tables"]:
        data = (tmp_path / "bak" / entry["file"]).read_bytes()
        assert hashlib.sha256(data).hexdigest() == entry["sha256"]
        assert pq.read_metadata(tmp_path / "bak" / entry["file"]).num_rows == entry["rows"]

    restored = tmp_path / "restored.duckdb"
    assert main(["restore", str(tmp_path / "bak"), "--db", str(restored)]) == 0
    con = connect(restored, create=False)
    after = snapshot(con)
    assert after.keys() == before.keys()
    for table in before:
        assert after[table] == before[table], table
    # A NaN, an empty list, a NULL boolean and a NUL character really were in the data.
    assert con.execute(
        "SELECT isnan(value) FROM published_figure WHERE figure_id = 'nan-test'"
    ).fetchone() == (True,)
    assert con.execute(
        "SELECT remark_codes FROM appeal_decision WHERE decision_id = 'empty-remarks'"
    ).fetchone() == ([],)
    assert con.execute("SELECT label FROM category WHERE kind = 'x_test'").fetchone() == (
        "Tekst med \x00 NUL og æøå",
    )
    # The restored database keeps working: the audit and import sequences continue past old ids.
    last_audit = con.execute("SELECT max(audit_id) FROM audit_log").fetchone()[0]
    report = import_file(
        con, write(tmp_path / "e.csv", "event_id,date,label\nnyt,2024-01-01,Ny\n"), "events", today=TODAY
    )
    assert report.ok, report.problems
    assert con.execute("SELECT max(audit_id) FROM audit_log").fetchone()[0] == last_audit + 1
    con.close()


def test_restore_order_puts_referenced_tables_first(seeded: Path) -> None:
    con = connect(seeded, read_only=True)
    order = restore_order(con, base_tables(con))
    foreign_keys = con.execute(
        "SELECT table_name, referenced_table FROM duckdb_constraints() WHERE constraint_type = 'FOREIGN KEY'"
    ).fetchall()
    con.close()
    assert foreign_keys, "the schema has foreign keys, so the order matters"
    for table, referenced in foreign_keys:
        assert order.index(referenced) < order.index(table), (table, referenced)


@pytest.fixture(scope="module")
def taken_backup(seeded: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One backup of ``seeded``, taken once: tests damage only copies of it."""
    folder = tmp_path_factory.mktemp("backup") / "bak"
    con = connect(seeded, read_only=True)
    backup_database(con, folder, now=datetime(2026, 1, 2, 3, 4, 5))
    con.close()
    return folder


@pytest.fixture
def backup(taken_backup: Path, tmp_path: Path) -> Path:
    """This test's own copy of the backup folder, to tamper with."""
    return Path(shutil.copytree(taken_backup, tmp_path / "bak"))


def _restore_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "data_model", "restore", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_tampered_file_is_refused_and_nothing_is_written(backup: Path, tmp_path: Path) -> None:
    table = pq.read_table(backup / "inquiry.parquet")
    summary = table.column("summary").to_pylist()
    summary[0] = "ændret efter sikkerhedskopien"
    table = table.set_column(table.column_names.index("summary"), "summary", pa.array(summary, pa.string()))
    pq.write_table(table, backup / "inquiry.parquet")  # same rows, same columns, different bytes
    target = tmp_path / "target.duckdb"
    result = _restore_cli(str(backup), "--db", str(target))
    assert result.returncode != 0
    assert "inquiry.parquet er ændret eller beskadiget (kontrolsummen passer ikke)" in result.stderr
    assert "Traceback" not in result.stderr
    assert not target.exists() and not list(tmp_path.glob("*.restore-tmp*"))


def test_newer_schema_version_is_refused(backup: Path, tmp_path: Path) -> None:
    manifest = json.loads((backup / MANIFEST).read_text(encoding="utf-8"))
    manifest["schema_version"] = LATEST_VERSION + 1
    (backup / MANIFEST).write_text(json.dumps(manifest), encoding="utf-8")
    result = _restore_cli(str(backup), "--db", str(tmp_path / "t.duckdb"))
    assert result.returncode != 0 and "Traceback" not in result.stderr
    assert f"skemaversion {LATEST_VERSION + 1}" in result.stderr and "Opdatér programmet" in result.stderr


def test_non_empty_target_needs_force_and_force_replaces_whole(
    backup: Path, seeded: Path, tmp_path: Path
) -> None:
    target = tmp_path / "busy.duckdb"
    con = connect(target)
    con.execute("INSERT INTO municipality VALUES ('777', 'Skal forsvinde', true)")
    con.close()
    with pytest.raises(BackupError, match=r"ikke tom .* Brug --force"):
        restore_database(backup, target)
    con = connect(target, create=False)
    assert con.execute("SELECT name FROM municipality").fetchall() == [("Skal forsvinde",)]
    con.close()
    restore_database(backup, target, force=True)
    con = connect(target, create=False)
    assert con.execute("SELECT count(*) FROM municipality WHERE code = '777'").fetchone() == (0,)
    restored = snapshot(con)
    con.close()
    original = connect(seeded, read_only=True)
    assert restored == snapshot(original)
    original.close()


def test_a_restore_that_fails_half_way_leaves_the_target_untouched(backup: Path, tmp_path: Path) -> None:
    """Checksums can be recomputed by hand; the database's own rules still refuse a broken backup."""
    points = pq.read_table(backup / "complaint_point.parquet")
    # theme_code keeps its foreign key (inquiry_id lost it in schema version 8, see schema.py)
    ids = points.column("theme_code").to_pylist()
    ids[-1] = "findes-ikke"
    points = points.set_column(
        points.column_names.index("theme_code"), "theme_code", pa.array(ids, pa.string())
    )
    pq.write_table(points, backup / "complaint_point.parquet")
    manifest = json.loads((backup / MANIFEST).read_text(encoding="utf-8"))
    for entry in manifest["tables"]:
        if entry["name"] == "complaint_point":
            entry["sha256"] = hashlib.sha256((backup / entry["file"]).read_bytes()).hexdigest()
    (backup / MANIFEST).write_text(json.dumps(manifest), encoding="utf-8")
    target = tmp_path / "keep.duckdb"
    con = connect(target)
    con.execute("INSERT INTO municipality VALUES ('777', 'Bliver', true)")
    con.close()
    with pytest.raises(BackupError, match=r"kunne ikke gendannes.*ikke ændret"):
        restore_database(backup, target, force=True)
    con = connect(target, create=False)
    assert con.execute("SELECT name FROM municipality").fetchall() == [("Bliver",)]
    con.close()
    assert not list(tmp_path.glob("*.restore-tmp*"))


@pytest.mark.parametrize(
    ("damage", "message"),
    [
        ("no_manifest", "manifest.json mangler"),
        ("missing_file", "Filen event.parquet mangler"),
        ("path_in_manifest", "skal ligge i event.parquet"),
        ("bad_json", "ugyldig JSON"),
        ("row_count", "har 6 rækker, men manifestet siger 7"),
        ("unknown_table", "ukendte hemmelig"),
    ],
)
def test_damaged_backups_are_refused_in_danish(
    backup: Path, tmp_path: Path, damage: str, message: str
) -> None:
    manifest_path = backup / MANIFEST
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    event = next(e for e in manifest["tables"] if e["name"] == "event")
    if damage == "no_manifest":
        manifest_path.unlink()
    elif damage == "missing_file":
        (backup / "event.parquet").unlink()
    elif damage == "path_in_manifest":
        event["file"] = "../../etc/event.parquet"
    elif damage == "bad_json":
        manifest_path.write_text("{not json", encoding="utf-8")
    elif damage == "row_count":
        event["rows"] = 7
    elif damage == "unknown_table":
        shutil.copy(backup / "event.parquet", backup / "hemmelig.parquet")
        manifest["tables"].append({**event, "name": "hemmelig", "file": "hemmelig.parquet"})
    if damage not in ("no_manifest", "bad_json"):
        manifest_path.write_text(json.dumps(manifest), encoding="utf-8")
    target = tmp_path / "t.duckdb"
    with pytest.raises(BackupError, match=message):
        restore_database(backup, target)
    assert not target.exists()


def test_backup_refuses_a_folder_with_files(seeded: Path, tmp_path: Path) -> None:
    (tmp_path / "used").mkdir()
    (tmp_path / "used" / "x.txt").write_text("x", encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "data_model", "backup", "--out", str(tmp_path / "used"), "--db", str(seeded)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert (
        result.returncode != 0 and "ikke en tom mappe" in result.stderr and "Traceback" not in result.stderr
    )


def test_backup_of_an_older_schema_restores_and_migrates(tmp_path: Path) -> None:
    """A backup taken before the latest migration restores at its own version, then migrates."""
    old = tmp_path / "old.duckdb"
    con = duckdb.connect(str(old))
    con.execute(
        "CREATE TABLE schema_version (version INTEGER PRIMARY KEY, description VARCHAR NOT NULL, "
        "applied_at TIMESTAMP NOT NULL)"
    )
    for number, description, sql in MIGRATIONS[:-1]:
        con.execute(sql)
        con.execute(
            "INSERT INTO schema_version VALUES (?, ?, TIMESTAMP '2024-01-01 00:00:00')", [number, description]
        )
    con.execute("INSERT INTO municipality VALUES ('101', 'Testby', true)")
    con.execute(
        "INSERT INTO recommendation VALUES ('r1', '101', DATE '2024-01-01', 'Titel', NULL, NULL, NULL, "
        "['u1'], [], false)"
    )
    con.execute(
        "INSERT INTO follow_up VALUES ('f1', 'r1', DATE '2024-02-01', 'i_gang', '<i>tekst</i>', NULL)"
    )
    con.close()
    con = connect(old, read_only=True)
    manifest = backup_database(con, tmp_path / "bak")
    con.close()
    assert manifest["schema_version"] == LATEST_VERSION - 1
    counts = restore_database(tmp_path / "bak", tmp_path / "new.duckdb")
    assert counts["follow_up"] == 1 and counts["schema_version"] == LATEST_VERSION
    con = connect(tmp_path / "new.duckdb", create=False)
    assert current_version(con) == LATEST_VERSION
    assert con.execute("SELECT text FROM follow_up").fetchall() == [("<i>tekst</i>",)]
    con.close()
