from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from data_model import db
from data_model.db import DatabaseError, connect, current_version
from data_model.schema import LATEST_VERSION, MIGRATIONS


def test_migrations_are_ordered_and_numbered_from_one() -> None:
    assert [m[0] for m in MIGRATIONS] == list(range(1, len(MIGRATIONS) + 1))


def test_fresh_database_is_migrated_to_latest(tmp_path: Path) -> None:
    con = connect(tmp_path / "new" / "db.duckdb")
    assert current_version(con) == LATEST_VERSION
    assert set(db.row_counts(con)) == set(db.TABLES)


def test_each_migration_step_upgrades_an_older_database(tmp_path: Path) -> None:
    path = tmp_path / "old.duckdb"
    raw = duckdb.connect(str(path))
    raw.execute(
        "CREATE TABLE schema_version (version INTEGER PRIMARY KEY, description VARCHAR NOT NULL, "
        "applied_at TIMESTAMP NOT NULL)"
    )
    raw.execute(MIGRATIONS[0][2])
    raw.execute("INSERT INTO schema_version VALUES (1, 'core', now())")
    raw.execute("INSERT INTO municipality VALUES ('1', 'Kommune', true)")
    raw.close()
    con = connect(path)
    assert current_version(con) == LATEST_VERSION
    assert con.execute("SELECT name FROM municipality").fetchall() == [("Kommune",)]
    assert connect(path) is not None  # running again is a no-op


def test_newer_database_is_refused_with_a_clear_message(tmp_path: Path) -> None:
    path = tmp_path / "newer.duckdb"
    connect(path).execute(
        "INSERT INTO schema_version VALUES (?, 'future', now())", [LATEST_VERSION + 1]
    ).close()
    with pytest.raises(DatabaseError, match="skemaversion"):
        connect(path)


def test_missing_database_without_create(tmp_path: Path) -> None:
    with pytest.raises(DatabaseError, match="findes ikke"):
        connect(tmp_path / "absent.duckdb", create=False)


def test_empty_file_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "empty.duckdb"
    path.write_bytes(b"")
    with pytest.raises(DatabaseError, match="tom"):
        connect(path)


def test_garbage_file_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "garbage.duckdb"
    path.write_bytes(b"this is not a database" * 100)
    with pytest.raises(DatabaseError):
        connect(path)


def test_path_from_environment_and_secrets(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)  # the working directory plays no part, except for --db as typed
    monkeypatch.delenv(db.DB_PATH_ENV, raising=False)
    secrets = tmp_path / ".streamlit" / "secrets.toml"
    monkeypatch.setattr(db, "SECRETS_FILE", secrets)
    assert db.resolve_db_path() == db.DEFAULT_DB_PATH == db.PROJECT_DIR / "data" / "borgerraad.duckdb"
    secrets.parent.mkdir()
    secrets.write_text('db_path = "from_secrets.duckdb"\n')
    assert db.resolve_db_path() == db.PROJECT_DIR / "from_secrets.duckdb"
    monkeypatch.setenv(db.DB_PATH_ENV, "from_env.duckdb")
    assert db.resolve_db_path() == db.PROJECT_DIR / "from_env.duckdb"
    assert db.resolve_db_path("explicit.duckdb") == Path("explicit.duckdb")


def test_locked_database_is_reported(tmp_path: Path) -> None:
    import subprocess
    import sys

    path = tmp_path / "locked.duckdb"
    connect(path).close()
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            f"import duckdb,time; c=duckdb.connect({str(path)!r}); print('x', flush=True); time.sleep(30)",
        ],
        stdout=subprocess.PIPE,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == b"x"
        with pytest.raises(DatabaseError, match="låst"):
            connect(path)
    finally:
        holder.kill()
        holder.wait()
