"""The Registrér page's forms without Streamlit: what was typed in, a validated write out.

Each function takes the form's values, validates them like an import (``editing.validate``),
writes through ``data_model.editing`` (one transaction, audited, refused when someone else saved
first) and returns a ``FormResult``: a Danish message on success, else every problem. Nothing is
written when there is a problem. The page only draws the widgets and shows the result.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import duckdb

from data_model.editing import (
    EditRefused,
    load_row,
    new_id,
    rename_unit,
    save,
    save_follow_up,
    save_inquiry_with_points,
    validate,
)
from data_model.importer import Problem
from data_model.labels import REASONS
from data_model.models import ComplaintPoint


@dataclass(frozen=True)
class FormResult:
    """The outcome of one form: ``message`` (plain text, Danish) when saved, else ``problems``.
    ``row`` is the record as now stored, for the next save's concurrency check."""

    message: str = ""
    problems: list[Problem] = field(default_factory=list)
    row: dict[str, Any] | None = None

    @property
    def ok(self) -> bool:
        return not self.problems


def complaint_points(con: duckdb.DuckDBPyConnection, inquiry_id: str) -> list[dict[str, Any]]:
    """The stored complaint points of an inquiry (point_id, theme_code, unit_id), in order."""
    return (
        con.sql(
            "SELECT point_id, theme_code, unit_id FROM complaint_point WHERE inquiry_id = ? ORDER BY point_id",
            params=[inquiry_id],
        )
        .pl()
        .to_dicts()
    )


def recommendation_titles(con: duckdb.DuckDBPyConnection, municipality: str) -> dict[str, str]:
    """{recommendation_id: title} of the municipality, newest first."""
    rows = con.execute(
        "SELECT recommendation_id, title FROM recommendation WHERE municipality_code = ? "
        "ORDER BY made_on DESC, title",
        [municipality],
    ).fetchall()
    return {str(key): str(title) for key, title in rows}


def create(
    con: duckdb.DuckDBPyConnection, kind: str, data: dict[str, Any], success: str, *, actor: str
) -> FormResult:
    """Validate and insert one new record of ``kind``."""
    record, problems = validate(kind, data)
    if problems or record is None:
        return FormResult(problems=problems)
    try:
        save(con, kind, record, actor=actor, expected=None)
    except EditRefused as refused:
        return FormResult(problems=refused.problems)
    return FormResult(success)


def save_inquiry(
    con: duckdb.DuckDBPyConnection,
    data: dict[str, Any],
    points: Sequence[tuple[str | None, str | None]],
    *,
    actor: str,
    expected: dict[str, Any] | None,
) -> FormResult:
    """An inquiry (``data``: its fields, ``inquiry_id`` included) with its complaint points, given
    as (theme_code, unit_id) per row of the form; rows without a theme are left out. The inquiry
    and its points land together, or nothing does."""
    inquiry_id = data["inquiry_id"]
    record, problems = validate("inquiries", data)
    valid: list[ComplaintPoint] = []
    for number, (theme_code, unit_id) in enumerate(points, start=1):
        if not theme_code:
            continue
        point, point_problems = validate(
            "complaint_points",
            {
                "point_id": f"{inquiry_id}-p{number}",
                "inquiry_id": inquiry_id,
                "theme_code": theme_code,
                "unit_id": unit_id,
            },
        )
        problems += point_problems
        if point is not None:
            valid.append(point)  # type: ignore[arg-type]
    if problems or record is None:
        return FormResult(problems=problems)
    try:
        result = save_inquiry_with_points(con, record, valid, actor=actor, expected=expected)
    except EditRefused as refused:
        return FormResult(problems=refused.problems)
    verb = "oprettet" if result.created else "gemt"
    return FormResult(
        f"Henvendelse {result.key} er {verb} med {len(valid)} klagepunkt(er).",
        row=load_row(con, "inquiries", (result.key,)),
    )


def add_follow_up(
    con: duckdb.DuckDBPyConnection,
    recommendation: dict[str, Any],
    *,
    on: date,
    status: str,
    text: str,
    source: str,
    due: date | None,
    actor: str,
) -> FormResult:
    """A follow-up of ``recommendation`` (the row as the form loaded it) and, when ``due``
    differs from its due date, the new due date: both land, or neither does."""
    recommendation_id = recommendation["recommendation_id"]
    follow_up, problems = validate(
        "follow_ups",
        {
            "follow_up_id": new_id(f"fu-{recommendation_id}"),
            "recommendation_id": recommendation_id,
            "date": on,
            "status_code": status,
            "text": text,
            "source": source,
        },
    )
    if problems or follow_up is None:
        return FormResult(problems=problems)
    changed = None
    if due != recommendation.get("due_on"):
        changed, problems = validate("recommendations", recommendation | {"due_on": due})
        if problems:
            return FormResult(problems=problems)
    try:
        save_follow_up(
            con, follow_up, actor=actor, recommendation=changed, expected_recommendation=recommendation
        )
    except EditRefused as refused:
        return FormResult(problems=refused.problems)
    return FormResult("Opfølgningen er gemt" + (" med den nye frist." if changed else "."))


def rename(
    con: duckdb.DuckDBPyConnection, unit_id: str, new_name: str, valid_from: date, *, actor: str
) -> FormResult:
    """The unit is called ``new_name`` from ``valid_from``; earlier inquiries keep the old name."""
    name = new_name.strip()
    if not name:
        return FormResult(problems=[Problem(None, "Nyt navn", "", REASONS["missing"])])
    try:
        renamed = rename_unit(con, unit_id, name, valid_from, actor=actor)
    except EditRefused as refused:
        return FormResult(problems=refused.problems)
    return FormResult(
        f"Enheden hedder {name} fra {valid_from:%d.%m.%Y}; tidligere henvendelser "
        f"beholder det gamle navn ({renamed})."
    )
