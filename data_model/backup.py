"""Backup and restore: every table as Parquet plus ``manifest.json`` (schema version, rows, sha256).

``backup_database`` reads all tables in one transaction (a consistent snapshot even while the app
writes through another cursor) and writes ``<table>.parquet`` files, then the manifest last, so a
backup interrupted half-way has no manifest and is refused by ``restore_database``. A table that
cannot be read whole (a damaged block) refuses the backup; every file is read back after writing
(rows, content and checksum) before the manifest is written, and the finished folder is checked
again as ``restore`` would. A failed backup removes what it wrote.

``restore_database`` checks the whole backup first (format, schema version not newer than this
program, every file's checksum and row count), builds the database in a temporary file next to
the target (schema as of the backup's version, rows inserted parents first, sequences moved past
the restored ids, then any newer migrations), and only then moves it into place. The target is
never half restored: it is either untouched or replaced whole.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import os
import re
from datetime import datetime
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq

from data_model.check import scan_tables
from data_model.db import (
    DISK_FULL,
    DatabaseError,
    base_tables,
    connect,
    current_version,
    is_disk_full,
    migrate,
)
from data_model.db import quote_name as _quote
from data_model.db import table_columns as _columns
from data_model.personal_data import scan_arrow
from data_model.schema import LATEST_VERSION, MIGRATIONS

MANIFEST = "manifest.json"
FORMAT = "borgerraad-backup"
FORMAT_VERSION = 1
_NAME = re.compile(r"^[a-z_][a-z0-9_]*$")  # table and sequence names we accept from a manifest
_NEXTVAL = re.compile(r"^nextval\('([a-z_][a-z0-9_]*)'\)$")


class BackupError(DatabaseError):
    """A backup that cannot be written or restored; the message is Danish."""


def _count(con: duckdb.DuckDBPyConnection, table: str) -> int:
    return int(con.execute(f"SELECT count(*) FROM {_quote(table)}").fetchall()[0][0])  # noqa: S608


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _primary_key(con: duckdb.DuckDBPyConnection, table: str) -> list[str]:
    rows = con.execute(
        "SELECT constraint_column_names FROM duckdb_constraints() WHERE database_name = current_database() "
        "AND schema_name = 'main' AND table_name = ? AND constraint_type = 'PRIMARY KEY'",
        [table],
    ).fetchall()
    return [str(c) for c in rows[0][0]] if rows else []


def restore_order(con: duckdb.DuckDBPyConnection, tables: list[str]) -> list[str]:
    """``tables`` with every foreign key's referenced table before the table that refers to it."""
    parents: dict[str, set[str]] = {t: set() for t in tables}
    for table, referenced in con.execute(
        "SELECT table_name, referenced_table FROM duckdb_constraints() "
        "WHERE database_name = current_database() AND constraint_type = 'FOREIGN KEY'"
    ).fetchall():
        if table in parents and referenced in parents and referenced != table:
            parents[str(table)].add(str(referenced))
    ordered: list[str] = []
    while len(ordered) < len(tables):
        ready = [t for t in tables if t not in ordered and parents[t] <= set(ordered)]
        if not ready:  # a cycle cannot be created by our migrations; keep the catalog order
            ready = [t for t in tables if t not in ordered]
        ordered.append(ready[0])
    return ordered


def _sequences(con: duckdb.DuckDBPyConnection) -> dict[str, int | None]:
    rows = con.execute(
        "SELECT sequence_name, last_value FROM duckdb_sequences() "
        "WHERE database_name = current_database() AND schema_name = 'main' ORDER BY sequence_name"
    ).fetchall()
    return {str(name): (None if last is None else int(last)) for name, last in rows}


def backup_database(
    con: duckdb.DuckDBPyConnection, out_dir: Path | str, *, now: datetime | None = None
) -> dict[str, Any]:
    """Write every table as Parquet into ``out_dir`` (new or empty) and the manifest; returns it.

    BackupError (Danish) when the database cannot be read whole, the disk is full, or a written
    file does not read back the same; nothing usable is left behind then.
    """
    out = Path(out_dir)
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        raise BackupError(f"{out} findes allerede og er ikke en tom mappe. Vælg en ny mappe.")
    created = not out.exists()
    try:
        out.mkdir(parents=True, exist_ok=True)
        return _write_backup(con, out, now)
    except BaseException as exc:
        _discard(out, remove_folder=created)
        if isinstance(exc, OSError):
            if is_disk_full(exc):
                raise BackupError(
                    f"{DISK_FULL}: sikkerhedskopien i {out} kunne ikke skrives. Den halve kopi er fjernet; "
                    "frigør plads og prøv igen."
                ) from exc
            raise BackupError(
                f"Sikkerhedskopien kunne ikke skrives til {out} ({exc.strerror or exc.__class__.__name__})."
            ) from exc
        raise


def _discard(out: Path, *, remove_folder: bool) -> None:
    """Remove the files a failed backup wrote (only ours: table files and the manifest)."""
    if not out.is_dir():
        return
    for path in out.iterdir():
        if path.suffix == ".parquet" or path.name in {MANIFEST, MANIFEST + ".tmp"}:
            with contextlib.suppress(OSError):
                path.unlink()
    if remove_folder:
        with contextlib.suppress(OSError):
            out.rmdir()


def _write_backup(con: duckdb.DuckDBPyConnection, out: Path, now: datetime | None) -> dict[str, Any]:
    cur = con.cursor()  # its own transaction: one snapshot of every table
    table = ""
    try:
        _refuse_damage(cur)  # outside the snapshot: a failed read would abort the transaction
        cur.execute("BEGIN TRANSACTION")
        version = current_version(cur)
        tables = restore_order(cur, base_tables(cur))
        entries = []
        for table in tables:
            order = ", ".join(_quote(c) for c in (_primary_key(cur, table) or _columns(cur, table)))
            data = cur.sql(f"SELECT * FROM {_quote(table)} ORDER BY {order}").to_arrow_table()  # noqa: S608
            path = out / f"{table}.parquet"
            pq.write_table(data, path)
            entry = {"name": table, "file": path.name, "rows": data.num_rows, "sha256": _sha256(path)}
            _verify_file(path, data, entry)
            entries.append(entry)
        table = ""
        sequences = _sequences(cur)
    except duckdb.Error as exc:
        where = f"Tabellen {table}" if table else "Databasen"
        if is_disk_full(exc):
            raise BackupError(f"{DISK_FULL}: {where.lower()} kunne ikke læses til sikkerhedskopien.") from exc
        raise BackupError(
            f"{where} kan ikke læses helt ({_reason(exc)}), så der er ikke taget nogen sikkerhedskopi. "
            "Databasen er sandsynligvis beskadiget: kør python -m data_model check, og gendan den seneste "
            "gode sikkerhedskopi."
        ) from exc
    finally:
        with contextlib.suppress(duckdb.Error):
            cur.execute("ROLLBACK")
        cur.close()
    manifest = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "schema_version": version,
        "created": (now or datetime.now()).isoformat(timespec="seconds"),
        "tables": entries,
        "sequences": sequences,
    }
    partial = out / (MANIFEST + ".tmp")
    partial.write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    partial.replace(out / MANIFEST)  # last, and whole: no manifest means no usable backup
    read_manifest(out)  # the finished folder, checked exactly as restore will check it
    return manifest


def _refuse_damage(cur: duckdb.DuckDBPyConnection) -> None:
    """Read every table whole and check its rules first: a damaged database is never backed up."""
    damaged = [s for s in scan_tables(cur) if s.problem]
    if damaged:
        raise BackupError(
            "Databasen er beskadiget, så der er ikke taget nogen sikkerhedskopi: "
            + "; ".join(s.as_text() for s in damaged)
            + ". Kør python -m data_model check, og gendan den seneste gode sikkerhedskopi."
        )


def _reason(exc: BaseException) -> str:
    text = str(exc).lower()
    if "checksum" in text or "corrupt" in text:
        return "en datablok passer ikke med sin kontrolsum"
    return f"{exc.__class__.__name__}"


@functools.cache
def _digest_engine() -> duckdb.DuckDBPyConnection:
    """One in-memory engine for every checksum (starting one costs ~20 ms, two per table)."""
    return duckdb.connect()


def _content_digest(data: pa.Table) -> tuple[Any, ...]:
    """Row count and one checksum per column (NaN-safe, unlike ``pa.Table.equals``)."""
    if not data.column_names:
        return (data.num_rows,)
    probe = _digest_engine().cursor()  # a connection of its own: its registered table is its own
    try:
        probe.register("digest_input", data)
        sums = ", ".join(f"sum(hash({_quote(c)})::HUGEINT)" for c in data.column_names)
        return tuple(probe.execute(f"SELECT count(*), {sums} FROM digest_input").fetchall()[0])  # noqa: S608
    finally:
        probe.close()


def _verify_file(path: Path, written: pa.Table, entry: dict[str, Any]) -> None:
    """Read a just-written Parquet file back: same checksum, same row count, same content."""
    try:
        again = pq.read_table(path)
    except (pa.ArrowException, OSError) as exc:
        raise BackupError(
            f"Filen {path.name} i sikkerhedskopien kan ikke læses igen efter skrivning."
        ) from exc
    if (
        _sha256(path) != entry["sha256"]
        or again.num_rows != entry["rows"]
        or _content_digest(again) != _content_digest(written)
    ):
        raise BackupError(
            f"Filen {path.name} i sikkerhedskopien læses ikke tilbage som skrevet (disk- eller filsystemfejl). "
            "Sikkerhedskopien er ikke gyldig; prøv igen, evt. på en anden disk."
        )


def read_manifest(backup_dir: Path | str) -> dict[str, Any]:
    """The manifest, checked against the files: DatabaseError (Danish) on anything wrong."""
    folder = Path(backup_dir)
    path = folder / MANIFEST
    if not path.is_file():
        raise BackupError(f"{folder} er ikke en sikkerhedskopi: {MANIFEST} mangler.")
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise BackupError(f"{path} kan ikke læses (ugyldig JSON).") from exc
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError(f"{path} er ikke en manifestfil fra dette program.")
    if manifest.get("format_version") != FORMAT_VERSION:
        raise BackupError(
            f"Sikkerhedskopien har formatversion {manifest.get('format_version')!r}; "
            f"dette program læser kun version {FORMAT_VERSION}."
        )
    version = manifest.get("schema_version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise BackupError(f"{path} har ingen gyldig skemaversion.")
    if version > LATEST_VERSION:
        raise BackupError(
            f"Sikkerhedskopien har skemaversion {version}, men dette program kender kun op til "
            f"{LATEST_VERSION}. Opdatér programmet før gendannelsen."
        )
    entries = manifest.get("tables")
    if not isinstance(entries, list) or not entries:
        raise BackupError(f"{path} nævner ingen tabeller.")
    seen: set[str] = set()
    for entry in entries:
        name = entry.get("name") if isinstance(entry, dict) else None
        if not isinstance(name, str) or not _NAME.match(name) or name in seen:
            raise BackupError(f"{path} har et ugyldigt tabelnavn: {name!r}.")
        seen.add(name)
        if entry.get("file") != f"{name}.parquet":  # never a path the manifest chose
            raise BackupError(f"{path}: tabellen {name} skal ligge i {name}.parquet.")
        rows = entry.get("rows")
        if not isinstance(rows, int) or isinstance(rows, bool) or rows < 0:
            raise BackupError(f"{path}: tabellen {name} har et ugyldigt rækkeantal.")
        file = folder / entry["file"]
        if not file.is_file():
            raise BackupError(f"Filen {file.name} mangler i sikkerhedskopien.")
        if _sha256(file) != entry.get("sha256"):
            raise BackupError(
                f"Filen {file.name} er ændret eller beskadiget (kontrolsummen passer ikke). "
                "Intet er gendannet."
            )
        try:
            found = pq.read_metadata(file).num_rows
        except Exception as exc:  # pyarrow raises several types for a damaged file
            raise BackupError(f"Filen {file.name} er ikke en gyldig Parquet-fil.") from exc
        if found != rows:
            raise BackupError(f"Filen {file.name} har {found} rækker, men manifestet siger {rows}.")
    sequences = manifest.get("sequences", {})
    if not isinstance(sequences, dict) or not all(
        isinstance(k, str)
        and _NAME.match(k)
        and (v is None or (isinstance(v, int) and not isinstance(v, bool)))
        for k, v in sequences.items()
    ):
        raise BackupError(f"{path} har ugyldige sekvenser.")
    return manifest


def _schema_at(con: duckdb.DuckDBPyConnection, version: int) -> None:
    """The schema exactly as migrations 1..version left it (schema_version rows come from the backup)."""
    con.execute(
        "CREATE TABLE schema_version ("
        "version INTEGER PRIMARY KEY, description VARCHAR NOT NULL, applied_at TIMESTAMP NOT NULL)"
    )
    for number, _description, sql in MIGRATIONS:
        if number <= version:
            con.execute(sql)


def _target_rows(db_path: Path) -> int | None:
    """Rows in an existing database (None when it cannot be opened or read whole); BackupError when
    another program has it open."""
    try:
        con = duckdb.connect(str(db_path), read_only=True)
    except duckdb.Error as exc:
        if "lock" in str(exc).lower():
            raise BackupError(
                f"Databasefilen {db_path} er låst af et andet program (kører dashboardet?). Luk det og prøv igen."
            ) from exc
        return None
    try:
        scans = scan_tables(con)
        if any(s.problem for s in scans):
            return None
        return sum(s.rows or 0 for s in scans if s.table != "schema_version")
    except duckdb.Error:
        return None
    finally:
        con.close()


def _remove(path: Path) -> None:
    for candidate in (path, Path(f"{path}.wal")):
        with contextlib.suppress(FileNotFoundError):
            candidate.unlink()


def restore_database(backup_dir: Path | str, db_path: Path | str, *, force: bool = False) -> dict[str, int]:
    """Restore a backup into ``db_path`` (must be missing or empty unless ``force``); row counts."""
    manifest = read_manifest(backup_dir)
    folder = Path(backup_dir)
    target = Path(db_path)
    if str(target) == ":memory:":
        raise BackupError("Der kan ikke gendannes til en database i hukommelsen; angiv en fil med --db.")
    if target.exists():
        rows = _target_rows(target)
        if not force and rows is None:
            raise BackupError(
                f"Databasefilen {target} findes, men kan ikke åbnes eller læses helt (beskadiget?). "
                "Brug --force for at erstatte den med sikkerhedskopien."
            )
        if not force and rows:
            raise BackupError(
                f"Databasen {target} er ikke tom ({rows} rækker). Brug --force for at erstatte den helt."
            )
    version = int(manifest["schema_version"])
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.with_name(target.name + ".restore-tmp")
    _remove(temporary)
    try:
        con = duckdb.connect(str(temporary))
        try:
            _build(con, folder, manifest, version)
            con.execute("CHECKPOINT")
        finally:
            con.close()
    except (duckdb.Error, pa.ArrowException, OSError) as exc:
        _remove(temporary)
        raise BackupError(f"{_restore_reason(exc)} Databasen {target} er ikke ændret.") from exc
    except BaseException:
        _remove(temporary)
        raise
    with contextlib.suppress(FileNotFoundError):
        Path(f"{target}.wal").unlink()  # an old log must never be replayed onto the restored file
    os.replace(temporary, target)
    con = connect(target, create=False)
    try:
        counts = {t: _count(con, t) for t in base_tables(con)}
    finally:
        con.close()
    return counts


def _restore_reason(exc: BaseException) -> str:
    """Why a checked backup still could not be built into a database, in Danish."""
    if is_disk_full(exc):
        return f"{DISK_FULL}: sikkerhedskopien kunne ikke gendannes."
    if isinstance(exc, duckdb.ConstraintException):
        return (
            "Sikkerhedskopien kunne ikke gendannes: dens rækker bryder databasens regler (en dublet nøgle, "
            "en reference til en række der ikke findes, eller en ugyldig værdi). Den er sandsynligvis lavet "
            "af en beskadiget database eller rettet i hånden; brug en ældre sikkerhedskopi."
        )
    if isinstance(exc, duckdb.ConversionException | pa.ArrowException):
        return (
            "Sikkerhedskopien kunne ikke gendannes: en fil har værdier af en anden type end tabellen. "
            "Brug en anden sikkerhedskopi."
        )
    if isinstance(exc, OSError):
        return f"Sikkerhedskopien kunne ikke gendannes: en fil kan ikke læses eller skrives ({exc.strerror})."
    return f"Sikkerhedskopien kunne ikke gendannes ({exc.__class__.__name__})."


def _build(con: duckdb.DuckDBPyConnection, folder: Path, manifest: dict[str, Any], version: int) -> None:
    entries = {e["name"]: e for e in manifest["tables"]}
    con.execute("BEGIN TRANSACTION")
    _schema_at(con, version)
    tables = base_tables(con)
    if set(entries) != set(tables):
        missing = sorted(set(tables) - set(entries))
        extra = sorted(set(entries) - set(tables))
        raise BackupError(
            f"Sikkerhedskopien passer ikke til skemaversion {version}: "
            f"mangler {', '.join(missing) or 'intet'}, ukendte {', '.join(extra) or 'ingen'}."
        )
    for table in restore_order(con, tables):
        data = pq.read_table(folder / entries[table]["file"])
        columns = _columns(con, table)
        if sorted(data.column_names) != sorted(columns):
            raise BackupError(f"Filen {table}.parquet har ikke tabellens kolonner ({', '.join(columns)}).")
        if hit := scan_arrow(data):  # personal data must never come back in through a backup
            raise BackupError(
                f"Sikkerhedskopien indeholder et CPR-nummer ({table}, kolonne {hit.column}, række {hit.row}: "
                f"{hit.masked}); personoplysninger må ikke gemmes. Intet er gendannet."
            )
        cols = ", ".join(_quote(c) for c in columns)
        con.register("restore_stage", data)
        try:
            con.execute(f"INSERT INTO {_quote(table)} ({cols}) SELECT {cols} FROM restore_stage")  # noqa: S608
        finally:
            con.unregister("restore_stage")
    _advance_sequences(con, manifest.get("sequences", {}))
    con.execute("COMMIT")
    migrate(con)  # migrations newer than the backup, each with its own schema_version row
    for table, entry in entries.items():
        if table == "schema_version":
            continue
        found = _count(con, table)
        if found != entry["rows"]:
            raise BackupError(
                f"Tabellen {table} fik {found} rækker, men sikkerhedskopien har {entry['rows']}."
            )


def _advance_sequences(con: duckdb.DuckDBPyConnection, saved: dict[str, int | None]) -> None:
    """Each sequence as far as the backup had it, and at least past every restored id it feeds."""
    targets: dict[str, int] = {name: value for name, value in saved.items() if value is not None}
    for table, column, default in con.execute(
        "SELECT table_name, column_name, column_default FROM duckdb_columns() "
        "WHERE database_name = current_database() AND column_default LIKE 'nextval(%'"
    ).fetchall():
        match = _NEXTVAL.match(str(default))
        if match:
            top = con.execute(f"SELECT max({_quote(column)}) FROM {_quote(table)}").fetchall()[0][0]  # noqa: S608
            if top is not None:
                targets[match.group(1)] = max(targets.get(match.group(1), 0), int(top))
    current = _sequences(con)
    for name, value in targets.items():
        if name not in current:
            raise BackupError(f"Sekvensen {name} findes ikke i skemaet.")
        steps = value - (current[name] or 0)
        if steps > 0:
            con.execute("SELECT max(nextval(?)) FROM range(?)", [name, steps])
