"""Opening the DuckDB file: path resolution, migrations, and clear errors instead of traces."""

from __future__ import annotations

import errno
import os
import tomllib
from datetime import datetime
from pathlib import Path

import duckdb

from data_model.schema import LATEST_VERSION, MIGRATIONS

DB_PATH_ENV = "BORGERRAAD_DB"
# Every default path hangs off the project folder, never the working directory: the app started
# from another folder must find the same database and secrets (and never seed a stray database).
PROJECT_DIR = Path(__file__).resolve().parent.parent
DEFAULT_DB_PATH = PROJECT_DIR / "data" / "borgerraad.duckdb"
SECRETS_FILE = PROJECT_DIR / ".streamlit" / "secrets.toml"

DISK_FULL = "Disken er fuld (eller kvoten er brugt op)"
_DISK_FULL_ERRNOS = {errno.ENOSPC, errno.EDQUOT, errno.EFBIG}
_DISK_FULL_TEXTS = ("no space left on device", "disk quota exceeded", "file too large")


class DatabaseError(Exception):
    """A problem with the database file, worded for the user (Danish)."""


def is_disk_full(exc: BaseException) -> bool:
    """True for an OSError or a DuckDB error caused by a full disk, a quota or a file-size limit."""
    if isinstance(exc, OSError) and exc.errno in _DISK_FULL_ERRNOS:
        return True
    return any(text in str(exc).lower() for text in _DISK_FULL_TEXTS)


def disk_has_room(folder: Path, size: int = 1 << 20) -> bool:
    """Whether ``size`` more bytes can be written in ``folder`` (a probe after a failed write, to tell
    a full disk from other write errors). True when the folder itself is missing or unwritable."""
    import tempfile

    try:
        with tempfile.TemporaryFile(dir=folder) as probe:
            probe.write(b"\0" * size)
            probe.flush()
            os.fsync(probe.fileno())
    except OSError as exc:
        return not is_disk_full(exc)
    return True


def project_path(value: str | os.PathLike[str]) -> Path:
    """A configured path: absolute as given, relative ones from the project folder."""
    path = Path(value).expanduser()
    return path if path.is_absolute() or str(path) == ":memory:" else PROJECT_DIR / path


def read_secrets_file(path: Path | None = None) -> dict[str, object]:
    """The project's secrets.toml as a dict ({} when there is none); DatabaseError when it is broken."""
    file = path or SECRETS_FILE
    if not file.is_file():
        return {}
    try:
        return tomllib.loads(file.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise DatabaseError(f"{file} kan ikke læses (ugyldig TOML): {exc}") from exc


def resolve_db_path(explicit: str | os.PathLike[str] | None = None) -> Path:
    """``--db`` as typed, else $BORGERRAAD_DB, else ``db_path`` in the project's
    .streamlit/secrets.toml, else data/borgerraad.duckdb; the last three from the project folder."""
    if explicit:
        return Path(explicit)
    if env := os.environ.get(DB_PATH_ENV):
        return project_path(env)
    if path := read_secrets_file().get("db_path"):
        return project_path(str(path))
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
                raise DatabaseError(
                    f"Databasefilen {db_path} findes ikke. Tjek stien; en ny database oprettes kun af "
                    "python -m data_model seed eller restore."
                )
            try:
                db_path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise DatabaseError(_os_message(exc, db_path.parent)) from exc
        elif db_path.is_file() and db_path.stat().st_size == 0:
            raise DatabaseError(
                f"Databasefilen {db_path} er tom (0 byte). Slet den, så oprettes en ny, "
                "eller gendan en sikkerhedskopi."
            )
    try:
        con = duckdb.connect(str(db_path), read_only=read_only)
    except duckdb.IOException as exc:
        message = str(exc)
        if is_disk_full(exc):
            raise DatabaseError(
                f"{DISK_FULL}: databasefilen {db_path} kan ikke oprettes eller skrives."
            ) from exc
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
        if is_disk_full(exc):
            raise DatabaseError(f"{DISK_FULL}: databasen {db_path} kan ikke opdateres.") from exc
        raise DatabaseError(
            f"Databasefilen {db_path} er beskadiget og kan ikke bruges ({exc.__class__.__name__}). "
            "Gendan en sikkerhedskopi (python -m data_model restore)."
        ) from exc
    except Exception:
        con.close()
        raise
    return con


def _os_message(exc: OSError, path: Path) -> str:
    if is_disk_full(exc):
        return f"{DISK_FULL}: {path} kan ikke skrives."
    return f"{path} kan ikke oprettes eller skrives ({exc.strerror or exc.__class__.__name__})."


_FILE_HEADER_BYTES = 3 * 4096  # DuckDB's main header and its two database headers


def check_complete(con: duckdb.DuckDBPyConnection, db_path: Path) -> None:
    """DatabaseError when the file is shorter than the blocks its tables point to.

    DuckDB reads the catalog at open but table data only when queried, so a file cut short
    (a copy interrupted, a full disk) would open and then fail on some page later.
    """
    if str(db_path) == ":memory:" or not db_path.is_file():
        return
    tables = [
        str(t)
        for (t,) in con.execute(
            "SELECT table_name FROM duckdb_tables() WHERE database_name = current_database()"
        ).fetchall()
    ]
    if not tables:  # a new file: nothing stored yet
        return
    # every table's storage in one statement (a statement per table cost most of an open)
    blocks = " UNION ALL ".join(["SELECT max(block_id) AS block FROM pragma_storage_info(?)"] * len(tables))
    row = con.execute(
        f"SELECT (SELECT block_size FROM pragma_database_size()), max(block) FROM ({blocks})",  # noqa: S608 (names are parameters)
        tables,
    ).fetchall()[0]
    block_size, last_block = int(row[0]), -1 if row[1] is None else int(row[1])
    needed = _FILE_HEADER_BYTES + (last_block + 1) * block_size
    size = db_path.stat().st_size
    if last_block >= 0 and size < needed:
        raise DatabaseError(
            f"Databasefilen {db_path} er afkortet ({_count(size)} af mindst {_count(needed)} byte), så "
            "data mangler. Gendan en sikkerhedskopi (python -m data_model restore)."
        )


def _count(number: int) -> str:
    return f"{number:,}".replace(",", ".")


def quote_name(name: str) -> str:
    """An identifier from the database catalog (never from a file) as a quoted SQL name."""
    return '"' + name.replace('"', '""') + '"'


def base_tables(con: duckdb.DuckDBPyConnection) -> list[str]:
    """The database's own tables (schema main), by name."""
    rows = con.execute(
        "SELECT table_name FROM duckdb_tables() "
        "WHERE database_name = current_database() AND schema_name = 'main' AND NOT temporary "
        "ORDER BY table_name"
    ).fetchall()
    return [str(r[0]) for r in rows]


def table_columns(con: duckdb.DuckDBPyConnection, table: str) -> list[str]:
    rows = con.execute(
        "SELECT column_name FROM duckdb_columns() WHERE database_name = current_database() "
        "AND schema_name = 'main' AND table_name = ? ORDER BY column_index",
        [table],
    ).fetchall()
    return [str(r[0]) for r in rows]


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
