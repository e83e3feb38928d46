"""Opening the DuckDB file: path resolution, migrations, and clear errors instead of traces."""

from __future__ import annotations

import os
import tomllib
from datetime import datetime
from pathlib import Path

import duckdb

from data_model.schema import LATEST_VERSION, MIGRATIONS

DB_PATH_ENV = "BORGERRAAD_DB"
DEFAULT_DB_PATH = Path("data") / "borgerraad.duckdb"
SECRETS_FILE = Path(".streamlit") / "secrets.toml"


class DatabaseError(Exception):
    """A problem with the database file, worded for the user (Danish)."""


def resolve_db_path(explicit: str | os.PathLike[str] | None = None) -> Path:
    """Explicit path, else $BORGERRAAD_DB, else ``db_path`` in .streamlit/secrets.toml, else data/."""
    if explicit:
        return Path(explicit)
    if env := os.environ.get(DB_PATH_ENV):
        return Path(env)
    if SECRETS_FILE.is_file():
        try:
            secrets = tomllib.loads(SECRETS_FILE.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise DatabaseError(f"{SECRETS_FILE} kan ikke læses: {exc}") from exc
        if path := secrets.get("db_path"):
            return Path(str(path))
    return DEFAULT_DB_PATH


def connect(
    path: str | os.PathLike[str] | None = None,
    *,
    create: bool = True,
    read_only: bool = False,
) -> duckdb.DuckDBPyConnection:
    """Open (and, when ``create``, create and migrate) the database; DatabaseError on trouble."""
    db_path = resolve_db_path(path)
    if str(db_path) != ":memory:":
        if not db_path.exists():
            if not create:
                raise DatabaseError(f"Databasefilen {db_path} findes ikke.")
            db_path.parent.mkdir(parents=True, exist_ok=True)
        elif db_path.is_file() and db_path.stat().st_size == 0:
            raise DatabaseError(
                f"Databasefilen {db_path} er tom (0 byte). Slet den, så oprettes en ny, "
                "eller gendan en sikkerhedskopi."
            )
    try:
        con = duckdb.connect(str(db_path), read_only=read_only)
    except duckdb.IOException as exc:
        message = str(exc)
        if "lock" in message.lower():
            raise DatabaseError(
                f"Databasefilen {db_path} er låst af et andet program. Luk det og prøv igen."
            ) from exc
        if "not a valid" in message or "read enough bytes" in message:
            raise DatabaseError(
                f"Databasefilen {db_path} er ikke en gyldig DuckDB-database (afkortet eller beskadiget). "
                "Gendan en sikkerhedskopi (python -m data_model restore)."
            ) from exc
        raise DatabaseError(f"Databasefilen {db_path} kan ikke åbnes: {message}") from exc
    except duckdb.Error as exc:
        raise DatabaseError(
            f"{db_path} er ikke en gyldig DuckDB-database ({exc.__class__.__name__})."
        ) from exc
    try:
        check_complete(con, db_path)
        if read_only:
            check_version(con)
        else:
            migrate(con)
    except duckdb.Error as exc:  # a damaged file can open and fail on its first real read
        con.close()
        raise DatabaseError(
            f"Databasefilen {db_path} er beskadiget og kan ikke bruges ({exc.__class__.__name__}). "
            "Gendan en sikkerhedskopi (python -m data_model restore)."
        ) from exc
    except Exception:
        con.close()
        raise
    return con


_FILE_HEADER_BYTES = 3 * 4096  # DuckDB's main header and its two database headers


def check_complete(con: duckdb.DuckDBPyConnection, db_path: Path) -> None:
    """DatabaseError when the file is shorter than the blocks its tables point to.

    DuckDB reads the catalog at open but table data only when queried, so a file cut short
    (a copy interrupted, a full disk) would open and then fail on some page later.
    """
    if str(db_path) == ":memory:" or not db_path.is_file():
        return
    block_size = con.execute("SELECT block_size FROM pragma_database_size()").fetchall()[0][0]
    last_block = -1
    for (table,) in con.execute(
        "SELECT table_name FROM duckdb_tables() WHERE database_name = current_database()"
    ).fetchall():
        row = con.execute("SELECT max(block_id) FROM pragma_storage_info(?)", [table]).fetchall()
        if row and row[0][0] is not None:
            last_block = max(last_block, int(row[0][0]))
    needed = _FILE_HEADER_BYTES + (last_block + 1) * int(block_size)
    size = db_path.stat().st_size
    if last_block >= 0 and size < needed:
        raise DatabaseError(
            f"Databasefilen {db_path} er afkortet ({_count(size)} af mindst {_count(needed)} byte), så "
            "data mangler. Gendan en sikkerhedskopi (python -m data_model restore)."
        )


def _count(number: int) -> str:
    return f"{number:,}".replace(",", ".")


def current_version(con: duckdb.DuckDBPyConnection) -> int:
    exists = con.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_name = 'schema_version'"
    ).fetchall()[0]
    if not exists or exists[0] == 0:
        return 0
    row = con.execute("SELECT coalesce(max(version), 0) FROM schema_version").fetchall()[0]
    return int(row[0]) if row else 0


def check_version(con: duckdb.DuckDBPyConnection) -> int:
    version = current_version(con)
    if version > LATEST_VERSION:
        raise DatabaseError(
            f"Databasen har skemaversion {version}, men dette program kender kun op til "
            f"{LATEST_VERSION}. Opdatér programmet."
        )
    return version


def migrate(con: duckdb.DuckDBPyConnection) -> int:
    """Run every migration newer than the database, each in its own transaction."""
    version = check_version(con)
    con.execute(
        "CREATE TABLE IF NOT EXISTS schema_version ("
        "version INTEGER PRIMARY KEY, description VARCHAR NOT NULL, applied_at TIMESTAMP NOT NULL)"
    )
    for number, description, sql in MIGRATIONS:
        if number <= version:
            continue
        con.execute("BEGIN TRANSACTION")
        try:
            con.execute(sql)
            con.execute(
                "INSERT INTO schema_version VALUES (?, ?, ?)",
                [number, description, datetime.now()],
            )
            con.execute("COMMIT")
        except Exception:
            con.execute("ROLLBACK")
            raise
        version = number
    return version


TABLES: tuple[str, ...] = (
    "municipality",
    "population",
    "report_period",
    "category",
    "theme",
    "org_unit",
    "inquiry",
    "complaint_point",
    "appeal_decision",
    "appeal_statistic",
    "recommendation",
    "follow_up",
    "published_figure",
    "event",
    "audit_log",
    "import_log",
    "report_template",
)


def row_counts(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    counts: dict[str, int] = {}
    for table in TABLES:  # names come from the fixed tuple above, never from input
        row = con.execute(f"SELECT count(*) FROM {table}").fetchall()[0]  # noqa: S608
        counts[table] = int(row[0]) if row else 0
    return counts
