"""Single-record writes from the dashboard's forms: validated like an import, audited with old
and new values, and refused when someone else changed the record since the form was opened."""

from __future__ import annotations

import contextlib
import json
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

import duckdb
import polars as pl
from pydantic import ValidationError

from data_model.importer import (
    Problem,
    audit,
    check_references,
    database_failure,
    explain_validation_error,
    records_frame,
    upsert,
)
from data_model.kinds import KINDS, Kind
from data_model.models import ComplaintPoint, OrgUnit, Record
from data_model.point_scope import sync_point_scope

CHANGED_ELSEWHERE = (
    "Posten er blevet ændret af en anden, siden du åbnede den. Dine indtastninger er bevaret: "
    "genindlæs posten, og gem igen."
)
ALREADY_EXISTS = "Der findes allerede en post med denne nøgle"
WRITTEN_AT_ONCE = (
    "En anden ændring (fx en indlæsning) skrev til de samme data samtidig, så intet er gemt. "
    "Dine indtastninger er bevaret: gem igen om et øjeblik."
)
ALREADY_SAVED = (
    "Posten er allerede gemt med netop disse oplysninger (formularen blev sendt to gange). "
    "Der er ikke gemt noget nyt."
)


class EditRefused(Exception):
    """The save was refused; ``problems`` says why (Danish), nothing was written."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("; ".join(p.as_text() for p in problems))


@dataclass
class EditResult:
    kind: str
    key: str
    created: bool
    old: dict[str, Any] | None
    new: dict[str, Any] = field(default_factory=dict)


def _key_where(kind: Kind) -> str:
    return " AND ".join(f"{k} = ?" for k in kind.key)


def load_row(con: duckdb.DuckDBPyConnection, kind_name: str, key: tuple[Any, ...]) -> dict[str, Any] | None:
    """The stored record as a plain dict (what a form starts from, and the concurrency token)."""
    kind = KINDS[kind_name]
    cols = ", ".join(kind.columns)  # identifiers from the model only
    rows = con.sql(f"SELECT {cols} FROM {kind.table} WHERE {_key_where(kind)}", params=list(key)).pl()  # noqa: S608
    return rows.row(0, named=True) if rows.height else None


def validate(
    kind_name: str, data: dict[str, Any], today: date | None = None
) -> tuple[Record | None, list[Problem]]:
    """The importer's validation for one form: a record, or Danish problems per field."""
    kind = KINDS[kind_name]
    try:
        return kind.model.model_validate(data, context={"today": today or date.today()}), []
    except ValidationError as exc:
        return None, explain_validation_error(exc, data, None)


def _comparable(row: dict[str, Any] | None) -> str:
    return json.dumps(row, default=str, sort_keys=True, ensure_ascii=False)


def _write(
    con: duckdb.DuckDBPyConnection,
    kind_name: str,
    record: Record,
    *,
    actor: str,
    expected: dict[str, Any] | None,
    action: str,
) -> EditResult:
    """The write itself, inside the caller's transaction."""
    kind = KINDS[kind_name]
    key = tuple(getattr(record, k) for k in kind.key)
    problems = check_references(con, kind, [record], [0])
    if problems:
        raise EditRefused([Problem(None, p.column, p.value, p.reason) for p in problems])
    current = load_row(con, kind_name, key)
    if (
        current is not None
        and _comparable(current) != _comparable(expected)
        and _comparable(current) == _comparable({c: getattr(record, c, None) for c in kind.columns})
    ):
        # the stored row already is this form's content: the same form sent twice (a double
        # click), not someone else's change
        raise EditRefused([Problem(None, "", "", ALREADY_SAVED)])
    if expected is None and current is not None:
        raise EditRefused([Problem(None, kind.key[0], "/".join(map(str, key)), ALREADY_EXISTS)])
    if expected is not None and _comparable(current) != _comparable(expected):
        raise EditRefused([Problem(None, "", "", CHANGED_ELSEWHERE)])
    new = record.model_dump()
    con.register("edit_stage", records_frame(kind, [record]))
    try:
        upsert(con, kind, "edit_stage")
    finally:
        con.unregister("edit_stage")
    record_id = "/".join(map(str, key))
    audit(con, actor, action if current else "opret", kind.table, record_id, current, new)
    return EditResult(kind_name, record_id, current is None, current, new)


def _refusal(exc: duckdb.Error) -> EditRefused:
    """A database error as a Danish refusal: a write conflict (an import or another editor wrote
    the same rows at the same moment) or a failed read/write; nothing was saved either way."""
    if isinstance(exc, duckdb.TransactionException) or "conflict" in str(exc).lower():
        return EditRefused([Problem(None, "", "", WRITTEN_AT_ONCE)])
    reason = database_failure(exc).replace("intet er importeret", "intet er gemt")
    return EditRefused([Problem(None, "", "", reason)])


class _Transaction:
    """All or nothing; a database error (write conflict, full disk) becomes an EditRefused."""

    def __init__(self, con: duckdb.DuckDBPyConnection) -> None:
        self.con = con

    def __enter__(self) -> duckdb.DuckDBPyConnection:
        try:
            self.con.execute("BEGIN TRANSACTION")
        except duckdb.Error as exc:
            raise _refusal(exc) from exc
        return self.con

    def __exit__(self, exc_type: object, exc: BaseException | None, _tb: object) -> bool:
        if exc_type is None:
            try:
                self.con.execute("COMMIT")
                return False
            except duckdb.Error as commit_exc:  # DuckDB detects write conflicts at commit
                exc = commit_exc
        with contextlib.suppress(duckdb.Error):  # a failed commit or fatal error may have ended it
            self.con.execute("ROLLBACK")
        if isinstance(exc, duckdb.Error):
            raise _refusal(exc) from exc
        return False


def save(
    con: duckdb.DuckDBPyConnection,
    kind_name: str,
    record: Record,
    *,
    actor: str,
    expected: dict[str, Any] | None,
    action: str = "gem",
) -> EditResult:
    """Insert (``expected`` None) or update (``expected`` = the row as the form loaded it).

    Raises EditRefused with Danish problems when references are unknown, when a new record's key
    exists, or when the stored row no longer equals ``expected`` (someone else saved first).
    """
    with _Transaction(con):
        return _write(con, kind_name, record, actor=actor, expected=expected, action=action)


def save_inquiry_with_points(
    con: duckdb.DuckDBPyConnection,
    inquiry: Record,
    points: list[ComplaintPoint],
    *,
    actor: str,
    expected: dict[str, Any] | None,
) -> EditResult:
    """An inquiry and its complaint points land together, or neither does; points no longer
    listed are removed."""
    kind = KINDS["complaint_points"]
    with _Transaction(con):
        result = _write(con, "inquiries", inquiry, actor=actor, expected=expected, action="gem")
        old = (
            con.sql(
                "SELECT point_id, inquiry_id, theme_code, unit_id FROM complaint_point WHERE inquiry_id = ? "
                "ORDER BY point_id",
                params=[result.key],
            )
            .pl()
            .to_dicts()
        )
        con.execute("DELETE FROM complaint_point WHERE inquiry_id = ?", [result.key])
        problems = check_references(con, kind, points, list(range(1, len(points) + 1)))
        if problems:
            raise EditRefused(problems)
        if points:
            con.register("edit_points", records_frame(kind, points))
            try:
                con.execute(
                    "INSERT INTO complaint_point (point_id, inquiry_id, theme_code, unit_id) "
                    "SELECT point_id, inquiry_id, theme_code, unit_id FROM edit_points"
                )
            finally:
                con.unregister("edit_points")
            sync_point_scope(con, [result.key])
        new = sorted((p.model_dump() for p in points), key=lambda p: p["point_id"])
        if old != new:
            audit(con, actor, "gem klagepunkter", "complaint_point", result.key, old, new)
    return result


def save_follow_up(
    con: duckdb.DuckDBPyConnection,
    follow_up: Record,
    *,
    actor: str,
    recommendation: Record | None = None,
    expected_recommendation: dict[str, Any] | None = None,
) -> EditResult:
    """A follow-up and, when given, the recommendation with its new due date: both or neither.

    ``expected_recommendation`` is the recommendation as the form loaded it; if someone changed
    it since, nothing is saved (not even the follow-up) and the refusal says so.
    """
    with _Transaction(con):
        result = _write(con, "follow_ups", follow_up, actor=actor, expected=None, action="gem")
        if recommendation is not None:
            _write(
                con,
                "recommendations",
                recommendation,
                actor=actor,
                expected=expected_recommendation,
                action="ny frist",
            )
    return result


def rename_unit(
    con: duckdb.DuckDBPyConnection, unit_id: str, new_name: str, valid_from: date, *, actor: str
) -> str:
    """A renamed unit becomes a new unit from ``valid_from``; the old one ends the day before,
    so inquiries already registered keep the name they had. Returns the new unit's id."""
    old = load_row(con, "org_units", (unit_id,))
    if old is None:
        raise EditRefused([Problem(None, "Enhed", unit_id, "Ukendt enhed")])
    if old["valid_from"] and valid_from <= old["valid_from"]:
        raise EditRefused(
            [Problem(None, "Gyldig fra", str(valid_from), "Skal ligge efter enhedens startdato")]
        )
    renamed_id = f"{unit_id}-{valid_from:%Y%m%d}"
    renamed = OrgUnit.model_validate(
        old | {"unit_id": renamed_id, "name": new_name, "valid_from": valid_from, "valid_to": None}
    )
    ended = OrgUnit.model_validate(old | {"valid_to": valid_from - timedelta(days=1)})
    with _Transaction(con):
        _write(con, "org_units", ended, actor=actor, expected=old, action="afslut (omdøbt)")
        _write(con, "org_units", renamed, actor=actor, expected=None, action="opret (omdøbt)")
    return renamed_id


def new_id(prefix: str) -> str:
    """A readable, unique id for a record made in a form, e.g. ``reg-510-20261124T153012048213``.

    The digits are kept in runs that cannot look like a CPR number (ddmmyy-xxxx), which the
    validation would rightly refuse.
    """
    now = datetime.now()
    return f"{prefix}-{now:%Y%m%dT%H%M%S}{now.microsecond:06d}"


def audit_entries(con: duckdb.DuckDBPyConnection, limit: int = 500) -> pl.DataFrame:
    """The newest audit-log entries (English columns; ``display.readable_audit`` words them)."""
    return con.sql(
        "SELECT logged_at, actor, action, table_name, record_id AS record, old_value, new_value "
        "FROM audit_log ORDER BY audit_id DESC LIMIT ?",
        params=[limit],
    ).pl()
