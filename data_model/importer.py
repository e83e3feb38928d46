"""Validated, atomic, idempotent import of record files.

A file is read whole, every row is validated (types, dates, CPR guard, references), and only
when no row has a problem is everything upserted in one transaction. The report lists every
problem with its row, column, value and a Danish reason, and counts new/changed/unchanged rows.
"""

from __future__ import annotations

import contextlib
import json
import types
import typing
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

import duckdb
import polars as pl
from pydantic import ValidationError

from data_model.csv_safety import unneutralise
from data_model.kinds import KINDS, Kind, column_map, normalise_header
from data_model.labels import REASONS, field_label
from data_model.models import Record
from data_model.parsing import is_blank, looks_like_cpr, parse_code_list
from data_model.personal_data import mask_value
from data_model.point_scope import SCOPED_TABLES, sync_point_scope
from data_model.readers import RawTable, UnreadableFile, read_table

LOCAL_ACTOR = "lokal redaktør"


@dataclass(frozen=True)
class Problem:
    row: int | None  # spreadsheet row number (header row = 1); None for file-level problems
    column: str
    value: str
    reason: str

    def as_text(self) -> str:
        where = f"Række {self.row}" if self.row is not None else "Filen"
        value = f" '{self.value}'" if self.value else ""
        return f"{where}, kolonne {self.column}{value}: {self.reason}"


def _cell_text(value: Any) -> str:
    """A stored or new value as the change report shows it: quoted, or (tom) for nothing."""
    if value is None or value == [] or (isinstance(value, str) and not value):
        return "(tom)"
    if isinstance(value, bool):
        return "'ja'" if value else "'nej'"
    if isinstance(value, list | tuple):
        value = ";".join(map(str, value))
    if isinstance(value, date):
        value = value.isoformat()
    return f"'{_shown(value)}'"


@dataclass(frozen=True)
class FieldChange:
    """One stored value an import replaces (or clears, when ``new`` is empty)."""

    row: int | None
    key: str
    column: str  # field name
    old: Any
    new: Any

    def as_text(self) -> str:
        where = f"Række {self.row} ({self.key})" if self.row is not None else self.key
        return f"{where}: {field_label(self.column)} {_cell_text(self.old)} → {_cell_text(self.new)}"


def problems_frame(problems: list[Problem]) -> pl.DataFrame:
    """The validation report as a table: row, column, value and the Danish reason."""
    return pl.DataFrame(
        {
            "Række": [p.row for p in problems],
            "Kolonne": [p.column for p in problems],
            "Værdi": [p.value for p in problems],
            "Årsag": [p.reason for p in problems],
        },
        schema={"Række": pl.Int64, "Kolonne": pl.Utf8, "Værdi": pl.Utf8, "Årsag": pl.Utf8},
    )


@dataclass
class ImportReport:
    kind: str
    file_name: str
    rows: int = 0
    new: int = 0
    changed: int = 0
    unchanged: int = 0
    problems: list[Problem] = field(default_factory=list)
    changes: list[FieldChange] = field(default_factory=list)
    dry_run: bool = False

    @property
    def ok(self) -> bool:
        return not self.problems

    def problems_frame(self) -> pl.DataFrame:
        return problems_frame(self.problems)

    def changes_frame(self) -> pl.DataFrame:
        """Every stored value the import replaces or clears, old and new (shown before writing)."""
        return pl.DataFrame(
            {
                "Række": [c.row for c in self.changes],
                "Nøgle": [c.key for c in self.changes],
                "Felt": [field_label(c.column) for c in self.changes],
                "Før": [_cell_text(c.old) for c in self.changes],
                "Efter": [_cell_text(c.new) for c in self.changes],
            },
            schema={"Række": pl.Int64, "Nøgle": pl.Utf8, "Felt": pl.Utf8, "Før": pl.Utf8, "Efter": pl.Utf8},
        )

    def change_text(self, limit: int = 5) -> str:
        """'1 ændret: Enheds-id '999-tek' → (tom)' — the first changed fields, then a count."""
        if not self.changes:
            return ""
        shown = "; ".join(c.as_text() for c in self.changes[:limit])
        more = len(self.changes) - limit
        rest = f"; … og {more} felt(er) mere" if more > 0 else ""
        verb = "ændres" if self.dry_run else "ændret"
        return f" {self.changed} {verb}: {shown}{rest}."

    def summary(self) -> str:
        if self.problems:
            return (
                f"{self.file_name}: intet importeret. {len(self.problems)} problem(er) i "
                f"{self.rows} række(r)."
            )
        if self.dry_run:
            return (
                f"{self.file_name}: {self.rows} række(r) er gyldige (intet skrevet): {self.new} nye, "
                f"{self.changed} ændres, {self.unchanged} uændrede.{self.change_text()}"
            )
        return (
            f"{self.file_name}: {self.rows} række(r) importeret: {self.new} nye, "
            f"{self.changed} ændrede, {self.unchanged} uændrede.{self.change_text()}"
        )


_MAX_SHOWN_VALUE = 80
_REFERENCE_REASON = {
    "municipality": "unknown_municipality",
    "unit": "unknown_unit",
    "theme": "unknown_theme",
    "period": "unknown_period",
    "inquiry": "unknown_inquiry",
    "recommendation": "unknown_recommendation",
}


def _shown(value: Any, reason_key: str = "") -> str:
    if value is None:
        return ""
    text = str(value)
    if reason_key == "cpr" or looks_like_cpr(text):  # whatever the reason: never echo personal data
        return mask_value(value)[:_MAX_SHOWN_VALUE]
    return text if len(text) <= _MAX_SHOWN_VALUE else text[: _MAX_SHOWN_VALUE - 1] + "…"


def _reason_from_error(error: dict[str, Any]) -> tuple[str | None, str]:
    """(column or None, Danish reason) for one pydantic error."""
    loc = error.get("loc") or ()
    column = str(loc[0]) if loc else None
    kind = error.get("type", "")
    ctx = error.get("ctx") or {}
    if kind == "value_error":
        key = str(ctx.get("error", ""))
        if "@" in key:
            key, column = key.split("@", 1)
        return column, REASONS.get(key, key)
    if kind == "missing" or error.get("input") is None:
        return column, REASONS["missing"]
    if kind == "greater_than_equal":
        return column, REASONS["negative"] if ctx.get("ge") == 0 else f"Skal være mindst {ctx.get('ge')}"
    if kind == "less_than_equal":
        return column, f"Må højst være {ctx.get('le')}"
    if kind == "string_too_long":
        return column, f"{REASONS['too_long']} (højst {ctx.get('max_length')} tegn)"
    return column, f"{REASONS['bad_value']} ({error.get('msg', kind)})"


def explain_validation_error(
    exc: ValidationError, row: dict[str, Any], row_number: int | None
) -> list[Problem]:
    """One Problem (row, Danish column label, shown value, Danish reason) per pydantic error."""
    problems = []
    for error in exc.errors():
        column, reason = _reason_from_error(error)
        column = column or ""
        problems.append(
            Problem(row_number, field_label(column), _shown(row.get(column), _reason_key(reason)), reason)
        )
    return problems


def _reason_key(reason: str) -> str:
    return next((k for k, v in REASONS.items() if v == reason), "")


def validate_rows(
    kind: Kind,
    rows: list[dict[str, Any]],
    row_numbers: list[int],
    *,
    today: date,
) -> tuple[list[Record], list[int], list[Problem]]:
    """Valid records with their row numbers, and every problem of the invalid rows."""
    records: list[Record] = []
    valid_numbers: list[int] = []
    problems: list[Problem] = []
    for row_number, row in zip(row_numbers, rows, strict=True):
        try:
            records.append(kind.model.model_validate(row, context={"today": today}))
            valid_numbers.append(row_number)
        except ValidationError as exc:
            problems.extend(explain_validation_error(exc, row, row_number))
    return records, valid_numbers, problems


def _known(con: duckdb.DuckDBPyConnection, target: str) -> set[str]:
    queries = {
        "municipality": "SELECT code FROM municipality",
        "unit": "SELECT unit_id FROM org_unit",
        "theme": "SELECT code FROM theme",
        "period": "SELECT period_id FROM report_period",
        "inquiry": "SELECT inquiry_id FROM inquiry",
        "recommendation": "SELECT recommendation_id FROM recommendation",
    }
    if target.startswith("category:"):
        rows = con.execute("SELECT code FROM category WHERE kind = ?", [target.split(":", 1)[1]])
    else:
        rows = con.execute(queries[target])
    return {str(r[0]) for r in rows.fetchall()}


def check_references(
    con: duckdb.DuckDBPyConnection,
    kind: Kind,
    records: list[Record],
    row_numbers: list[int],
) -> list[Problem]:
    problems: list[Problem] = []
    known_cache: dict[str, set[str]] = {}
    unit_municipality = dict(con.execute("SELECT unit_id, municipality_code FROM org_unit").fetchall())
    if kind.name == "org_units":
        unit_municipality |= {r.unit_id: r.municipality_code for r in records}  # type: ignore[attr-defined]
    for reference in kind.references:
        if reference.target not in known_cache:
            known = _known(con, reference.target)
            if kind.table == {"unit": "org_unit", "theme": "theme"}.get(reference.target):
                known |= {str(getattr(r, kind.key[0])) for r in records}  # parents in the same file
            known_cache[reference.target] = known
        known = known_cache[reference.target]
        reason_key = _REFERENCE_REASON.get(reference.target, "unknown_category")
        for row_number, record in zip(row_numbers, records, strict=True):
            value = getattr(record, reference.column)
            codes = parse_code_list(value) if reference.many else ([] if value is None else [value])
            for code in codes:
                if code not in known:
                    problems.append(
                        Problem(row_number, field_label(reference.column), _shown(code), REASONS[reason_key])
                    )
                elif reference.target == "unit" and hasattr(record, "municipality_code"):
                    owner = unit_municipality.get(code)
                    if owner and record.municipality_code and owner != record.municipality_code:  # type: ignore[attr-defined]
                        problems.append(
                            Problem(
                                row_number,
                                field_label(reference.column),
                                _shown(code),
                                REASONS["unit_other_municipality"],
                            )
                        )
    problems.extend(parent_cycles(con, kind, records, row_numbers))
    return problems


_PARENTS = {"org_units": ("unit_id", "parent_id"), "themes": ("code", "parent_code")}


def parent_cycles(
    con: duckdb.DuckDBPyConnection, kind: Kind, records: list[Record], row_numbers: list[int]
) -> list[Problem]:
    """Units (and themes) that would be their own ancestor, with the stored ones and the file's
    rows taken together: a → b in the file and b → a in the database is a cycle too."""
    if kind.name not in _PARENTS or not records:
        return []
    key, parent = _PARENTS[kind.name]
    parents: dict[str, str | None] = dict(
        con.execute(f"SELECT {key}, {parent} FROM {kind.table}").fetchall()  # noqa: S608
    )
    parents |= {getattr(r, key): getattr(r, parent) for r in records}
    problems: list[Problem] = []
    for number, record in zip(row_numbers, records, strict=True):
        start = getattr(record, key)
        chain = [start]
        current = parents.get(start)
        while current is not None and current not in chain[1:] and len(chain) <= len(parents):
            chain.append(current)
            if current == start:
                problems.append(
                    Problem(number, field_label(parent), _shown(" → ".join(chain)), REASONS["parent_cycle"])
                )
                break
            current = parents.get(current)
    return problems


def _polars_type(annotation: Any) -> pl.DataType:
    args = [a for a in typing.get_args(annotation) if a is not type(None)]
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _polars_type(args[0])
    if origin in (typing.Union, types.UnionType):
        return _polars_type(args[0])
    if origin is list:
        return pl.List(pl.Utf8)
    return {bool: pl.Boolean, int: pl.Int64, float: pl.Float64, date: pl.Date}.get(annotation, pl.Utf8)


def records_frame(kind: Kind, records: list[Record]) -> pl.DataFrame:
    schema = {name: _polars_type(f.annotation) for name, f in kind.model.model_fields.items()}
    return pl.DataFrame([r.model_dump() for r in records], schema=schema, orient="row")


def audit(
    con: duckdb.DuckDBPyConnection,
    actor: str,
    action: str,
    table: str,
    record_id: str | None,
    old: Any = None,
    new: Any = None,
) -> None:
    def dump(value: Any) -> str | None:
        return None if value is None else json.dumps(value, default=str, ensure_ascii=False)

    con.execute(
        "INSERT INTO audit_log (logged_at, actor, action, table_name, record_id, old_value, new_value) "
        "VALUES (?, ?, ?, ?, ?, ?, ?)",
        [datetime.now(), actor, action, table, record_id, dump(old), dump(new)],
    )


def upsert(con: duckdb.DuckDBPyConnection, kind: Kind, stage: str) -> None:
    """Update changed values in place, column by column, and insert the new rows.

    Not INSERT OR REPLACE, and not one UPDATE of every column: DuckDB rewrites a row by
    delete+insert when a list column or a column with an index (a foreign key) is assigned, even
    to the same value, and its foreign-key check then refuses a row that other tables reference
    (an inquiry with complaint points, a unit with inquiries). Assigning only the values that
    really changed keeps ordinary re-imports and edits clear of that.

    The plain columns (no index, no list) are assigned together in one UPDATE, so a CHECK that
    spans two of them (closed >= received, end_date >= start_date) sees the new row whole: moving
    both dates of a record later must not fail half-way.
    """
    cols = ", ".join(kind.columns)  # identifiers from the model; ``stage`` is a fixed name
    keys = " AND ".join(f"s.{k} = t.{k}" for k in kind.key)
    indexed = {
        str(column)
        for (column,) in con.execute(
            "SELECT unnest(constraint_column_names) FROM duckdb_constraints() "
            "WHERE table_name = ? AND constraint_type IN ('FOREIGN KEY', 'UNIQUE')",
            [kind.table],
        ).fetchall()
    }
    rest = [c for c in kind.columns if c not in kind.key]
    alone = [
        c
        for c in rest
        if c in indexed or isinstance(_polars_type(kind.model.model_fields[c].annotation), pl.List)
    ]
    for column in alone:
        con.execute(
            f"UPDATE {kind.table} AS t SET {column} = s.{column} FROM {stage} s "  # noqa: S608
            f"WHERE {keys} AND s.{column} IS DISTINCT FROM t.{column}"
        )
    if together := [c for c in rest if c not in alone]:
        sets = ", ".join(f"{c} = s.{c}" for c in together)
        changed = " OR ".join(f"s.{c} IS DISTINCT FROM t.{c}" for c in together)
        con.execute(f"UPDATE {kind.table} AS t SET {sets} FROM {stage} s WHERE {keys} AND ({changed})")  # noqa: S608
    con.execute(
        f"INSERT INTO {kind.table} ({cols}) SELECT {cols} FROM {stage} s "  # noqa: S608
        f"WHERE NOT EXISTS (SELECT 1 FROM {kind.table} t WHERE {keys})"
    )
    if kind.table in SCOPED_TABLES:  # points carry their inquiry's municipality and date
        sync_point_scope(con, stage)


def write_records(
    con: duckdb.DuckDBPyConnection,
    kind: Kind,
    records: list[Record],
    report: ImportReport,
    *,
    actor: str,
    numbers: list[int] | None = None,
    own_transaction: bool = True,
) -> None:
    """Upsert in one transaction; fills the report's new/changed/unchanged counts and field
    changes, and writes one audit entry per changed record with the old and new values.

    ``own_transaction=False`` writes inside the caller's transaction (seed: all files or none; a
    sheet that brings several kinds lands whole).
    """
    frame = records_frame(kind, records)
    keys = " AND ".join(f"s.{k} = t.{k}" for k in kind.key)  # identifiers from the model only
    same = " AND ".join(f"s.{c} IS NOT DISTINCT FROM t.{c}" for c in kind.columns)
    if own_transaction:
        con.execute("BEGIN TRANSACTION")
    try:
        stored = stored_rows(con, kind, records)
        report.changes = field_changes(kind, records, numbers or [None] * len(records), stored)  # type: ignore[list-item]
        con.register("import_stage", frame)
        matched = con.execute(
            f"SELECT count(*), count(*) FILTER (WHERE {same}) "  # noqa: S608
            f"FROM import_stage s JOIN {kind.table} t ON {keys}"
        ).fetchall()[0]
        existing, unchanged = (int(matched[0]), int(matched[1])) if matched else (0, 0)
        upsert(con, kind, "import_stage")
        report.new = len(records) - existing
        report.unchanged = unchanged
        report.changed = existing - unchanged
        con.execute(
            "INSERT INTO import_log (logged_at, actor, kind, file_name, "
            "rows_new, rows_changed, rows_unchanged) VALUES (?, ?, ?, ?, ?, ?, ?)",
            [
                datetime.now(),
                actor,
                kind.name,
                report.file_name,
                report.new,
                report.changed,
                report.unchanged,
            ],
        )
        audit(
            con,
            actor,
            "import",
            kind.table,
            report.file_name,
            new={"nye": report.new, "ændrede": report.changed, "uændrede": report.unchanged},
        )
        audit_changes(con, actor, kind.table, report.changes)
        if own_transaction:
            con.execute("COMMIT")
    except Exception:
        if own_transaction:
            with contextlib.suppress(duckdb.Error):  # a fatal error (disk full) may have ended it already
                con.execute("ROLLBACK")
        raise
    finally:
        with contextlib.suppress(duckdb.Error):
            con.unregister("import_stage")


def _key_text(kind: Kind, record: Record) -> str:
    return "/".join(str(getattr(record, k)) for k in kind.key)


def stored_rows(
    con: duckdb.DuckDBPyConnection, kind: Kind, records: list[Record]
) -> dict[tuple[Any, ...], dict[str, Any]]:
    """The stored rows whose keys the records carry, by key tuple."""
    if not records:
        return {}
    frame = records_frame(kind, records).select(list(kind.key))
    keys = " AND ".join(f"s.{k} = t.{k}" for k in kind.key)  # identifiers from the model only
    cols = ", ".join(f"t.{c}" for c in kind.columns)
    # A caller's half-read result blocks register() but not execute(), which completes it.
    con.execute("SELECT 1").fetchall()
    con.register("stored_keys", frame)
    try:
        rows = con.execute(f"SELECT {cols} FROM {kind.table} t JOIN stored_keys s ON {keys}").fetchall()  # noqa: S608
    finally:
        con.unregister("stored_keys")
    found: dict[tuple[Any, ...], dict[str, Any]] = {}
    for values in rows:
        row = dict(zip(kind.columns, values, strict=True))
        found[tuple(row[k] for k in kind.key)] = row
    return found


def field_changes(
    kind: Kind,
    records: list[Record],
    numbers: list[int | None],
    stored: dict[tuple[Any, ...], dict[str, Any]],
) -> list[FieldChange]:
    """Every stored value that writing the records would replace or clear."""
    changes: list[FieldChange] = []
    for number, record in zip(numbers, records, strict=True):
        old = stored.get(tuple(getattr(record, k) for k in kind.key))
        if old is None:
            continue
        new = record.model_dump()
        for column in kind.columns:
            if column not in kind.key and _differs(old[column], new[column]):
                changes.append(FieldChange(number, _key_text(kind, record), column, old[column], new[column]))
    return changes


def _differs(old: Any, new: Any) -> bool:
    if isinstance(old, list | tuple) or isinstance(new, list | tuple):
        return list(old or []) != list(new or [])
    return old != new


def audit_changes(con: duckdb.DuckDBPyConnection, actor: str, table: str, changes: list[FieldChange]) -> None:
    """One audit entry per changed record: the changed fields with their old and new values."""
    by_key: dict[str, tuple[dict[str, Any], dict[str, Any]]] = {}
    for change in changes:
        old, new = by_key.setdefault(change.key, ({}, {}))
        old[change.column], new[change.column] = change.old, change.new

    def dump(value: dict[str, Any]) -> str:
        return json.dumps(value, default=str, ensure_ascii=False)

    if not by_key:
        return
    now = datetime.now()
    frame = pl.DataFrame(
        {
            "record_id": list(by_key),
            "old_value": [dump(old) for old, _ in by_key.values()],
            "new_value": [dump(new) for _, new in by_key.values()],
        },
        schema={"record_id": pl.Utf8, "old_value": pl.Utf8, "new_value": pl.Utf8},
    )
    con.register("audit_stage", frame)
    try:
        con.execute(
            "INSERT INTO audit_log (logged_at, actor, action, table_name, record_id, old_value, new_value) "
            "SELECT ?, ?, 'import ændring', ?, record_id, old_value, new_value FROM audit_stage",
            [now, actor, table],
        )
    finally:
        con.unregister("audit_stage")


def database_failure(exc: duckdb.Error) -> str:
    """Danish reason for a read or write the database itself failed; nothing was committed."""
    text = str(exc).lower()
    if isinstance(exc, duckdb.TransactionException | duckdb.ConstraintException) and (
        "conflict" in text or "duplicate key" in text
    ):  # two sessions upserting the same keys at once: the later commit loses
        return "En anden bruger ændrede de samme rækker samtidig; intet er importeret. Indlæs filen igen"
    if isinstance(exc, duckdb.ConstraintException):
        return (
            "Databasen afviste rækkerne (en regel i databasen blev brudt, fx en kode som andre data "
            "henviser til); intet er importeret"
        )
    return (
        "Databasen kunne ikke læse eller skrive (er disken fuld, eller er databasefilen skrivebeskyttet "
        f"eller beskadiget?); intet er importeret ({exc.__class__.__name__})"
    )


def map_headers(kind: Kind, headers: list[str]) -> tuple[list[str | None], list[Problem]]:
    mapping = column_map(kind)
    fields: list[str | None] = []
    problems: list[Problem] = []
    for header in headers:
        name = mapping.get(normalise_header(header))
        if name is None and not is_blank(header):
            shown = _shown(header, "cpr" if looks_like_cpr(str(header)) else "")  # never echo a CPR
            problems.append(Problem(1, shown, "", REASONS["unknown_column"]))
        fields.append(name)
    present = {f for f in fields if f}
    for column in kind.required:
        if column not in present:
            reason = "missing_key_column" if column in kind.key else "missing_column"
            problems.append(Problem(1, field_label(column), "", REASONS[reason]))
    return fields, problems


def merge_stored(
    con: duckdb.DuckDBPyConnection,
    kind: Kind,
    present: set[str],
    rows: list[dict[str, Any]],
    numbers: list[int],
    validated: list[Record],
    valid_numbers: list[int],
    *,
    today: date,
) -> tuple[list[Record], list[int], list[Problem]]:
    """Records whose key is stored again, with the stored values for the columns the file lacks.

    A column absent from the file leaves the stored value as it is (a file without ``summary``
    never erases summaries); an empty cell in a present column clears it, and the report lists it.
    """
    absent = [c for c in kind.columns if c not in present]
    stored = stored_rows(con, kind, validated) if absent else {}
    if not stored:
        return validated, valid_numbers, []
    row_of = dict(zip(numbers, rows, strict=True))
    merged: list[Record] = []
    merged_numbers: list[int] = []
    problems: list[Problem] = []
    for number, record in zip(valid_numbers, validated, strict=True):
        old = stored.get(tuple(getattr(record, k) for k in kind.key))
        if old is None:
            merged.append(record)
            merged_numbers.append(number)
            continue
        records, numbers_ok, row_problems = validate_rows(
            kind, [{c: old[c] for c in absent} | row_of[number]], [number], today=today
        )
        merged += records
        merged_numbers += numbers_ok
        problems += row_problems
    return merged, merged_numbers, problems


def import_file(
    con: duckdb.DuckDBPyConnection,
    path: Path | str,
    kind_name: str,
    *,
    today: date | None = None,
    actor: str = LOCAL_ACTOR,
    data: bytes | None = None,
    dry_run: bool = False,
    own_transaction: bool = True,
    table: RawTable | None = None,
) -> ImportReport:
    """Validate a whole file and, unless ``dry_run`` or any problem, upsert it atomically.

    A dry run fills the counts and every field change too, so they can be shown before writing.
    ``own_transaction=False`` writes inside the caller's transaction (seed); ``table`` is the
    file already read (the upload check reads it once for the preview and the validation).
    """
    kind = KINDS[kind_name]
    path = Path(path)
    report = ImportReport(kind=kind_name, file_name=mask_value(path.name), dry_run=dry_run)
    if looks_like_cpr(path.name):  # the name would be kept in the import and audit logs
        report.problems.append(Problem(None, "Filnavn", report.file_name, REASONS["cpr_file_name"]))
        return report
    try:
        table = table if table is not None else read_table(path, data)
    except UnreadableFile as exc:
        report.problems.append(Problem(None, "", "", str(exc)))
        return report
    fields, header_problems = map_headers(kind, table.headers)
    report.problems.extend(header_problems)
    rows: list[dict[str, Any]] = []
    numbers: list[int] = []
    for offset, cells in enumerate(table.rows):
        if len(cells) > len(fields) and any(not is_blank(c) for c in cells[len(fields) :]):
            report.problems.append(Problem(table.first_row_number + offset, "", "", REASONS["extra_cells"]))
        row: dict[str, Any] = {}
        for name, cell in zip(fields, cells, strict=False):
            if name is not None:
                row[name] = unneutralise(cell)  # '=... from our own CSV export comes back as =...
        rows.append(row)
        numbers.append(table.first_row_number + offset)
    report.rows = len(rows)
    if not rows:
        report.problems.append(Problem(None, "", "", REASONS["empty_file"]))
    if header_problems:
        return report
    day = today or date.today()
    validated, valid_numbers, problems = validate_rows(kind, rows, numbers, today=day)
    report.problems.extend(problems)
    report.problems.extend(_duplicate_keys(kind, validated, valid_numbers))
    try:
        if not report.problems:
            present = {f for f in fields if f}
            validated, valid_numbers, problems = merge_stored(
                con, kind, present, rows, numbers, validated, valid_numbers, today=day
            )
            report.problems.extend(problems)
        report.problems.extend(check_references(con, kind, validated, valid_numbers))
        report.problems.sort(key=lambda p: p.row or 0)
        if report.problems:
            return report
        if dry_run:
            stored = stored_rows(con, kind, validated)
            report.changes = field_changes(kind, validated, list(valid_numbers), stored)
            report.new = sum(tuple(getattr(r, k) for k in kind.key) not in stored for r in validated)
            report.changed = len({c.key for c in report.changes})
            report.unchanged = len(validated) - report.new - report.changed
            return report
        write_records(
            con, kind, validated, report, actor=actor, numbers=valid_numbers, own_transaction=own_transaction
        )
    except duckdb.Error as exc:  # disk full, file damaged or removed: a report, never a trace
        report.new = report.changed = report.unchanged = 0
        report.problems.append(Problem(None, "", "", database_failure(exc)))
    return report


def import_records(
    con: duckdb.DuckDBPyConnection,
    kind_name: str,
    records: list[Record],
    *,
    source: str,
    actor: str = LOCAL_ACTOR,
) -> ImportReport:
    """Upsert already validated records (seed data, forms) with the same reference checks."""
    kind = KINDS[kind_name]
    report = ImportReport(kind=kind_name, file_name=source, rows=len(records))
    numbers = list(range(1, len(records) + 1))
    report.problems.extend(_duplicate_keys(kind, records, numbers))
    report.problems.extend(check_references(con, kind, records, numbers))
    if not report.problems and records:
        write_records(con, kind, records, report, actor=actor)
    return report


def _duplicate_keys(kind: Kind, records: list[Record], numbers: list[int]) -> list[Problem]:
    keys = [tuple(getattr(r, k) for k in kind.key) for r in records]
    counts = Counter(keys)
    return [
        Problem(n, field_label(kind.key[0]), _shown("/".join(map(str, key))), REASONS["duplicate_key"])
        for n, key in zip(numbers, keys, strict=True)
        if counts[key] > 1
    ]
