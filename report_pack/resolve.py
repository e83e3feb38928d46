"""From what a person types (or the dashboard's filters) to a municipality code and a report period."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

import duckdb

from data_model.denmark import WHOLE_COUNTRY
from queries.filters import Filters
from queries.periods import Span, resolve_span


class PackInputError(ValueError):
    """A municipality or period that cannot be found, worded for the user (Danish)."""


@dataclass(frozen=True)
class Period:
    period_id: str
    municipality_code: str
    municipality_name: str
    label: str
    start: date
    end: date

    @property
    def span(self) -> Span:
        return Span(self.start, self.end, self.label)


def _norm(text: str) -> str:
    text = text.strip().casefold()
    return re.sub(r"\s+kommune$", "", text)


def resolve_municipality(con: duckdb.DuckDBPyConnection, text: str) -> tuple[str, str]:
    """(code, name) from a code ('510') or a name ('Haderslev', 'haderslev kommune')."""
    rows = con.execute(
        "SELECT code, name FROM municipality WHERE code <> ? ORDER BY name", [WHOLE_COUNTRY]
    ).fetchall()
    wanted = _norm(text)
    for code, name in rows:
        if text.strip() == str(code) or wanted == _norm(str(name)):
            return str(code), str(name)
    known = ", ".join(f"{name} ({code})" for code, name in rows)
    raise PackInputError(f"Ukendt kommune: {text!r}. Kendte kommuner: {known}")


def resolve_period(con: duckdb.DuckDBPyConnection, municipality: str, text: str) -> Period:
    """A period of the municipality from its id ('510-2024') or its label ('2024', '2024/25')."""
    rows = con.execute(
        "SELECT rp.period_id, rp.municipality_code, m.name, rp.label, rp.start_date, rp.end_date "
        "FROM report_period rp JOIN municipality m ON m.code = rp.municipality_code "
        "WHERE rp.municipality_code = ? ORDER BY rp.start_date",
        [municipality],
    ).fetchall()
    wanted = text.strip().casefold()
    for row in rows:
        if wanted in (str(row[0]).casefold(), str(row[3]).casefold()):
            return Period(str(row[0]), str(row[1]), str(row[2]), str(row[3]), row[4], row[5])
    known = ", ".join(f"{row[3]} ({row[0]})" for row in rows) or "ingen"
    raise PackInputError(f"Ukendt beretningsperiode for kommunen: {text!r}. Kendte perioder: {known}")


def period_by_id(con: duckdb.DuckDBPyConnection, period_id: str) -> Period:
    rows = con.execute(
        "SELECT municipality_code FROM report_period WHERE period_id = ?", [period_id]
    ).fetchall()
    if not rows:
        raise PackInputError(f"Ukendt beretningsperiode: {period_id!r}")
    return resolve_period(con, str(rows[0][0]), period_id)


def period_for_filters(con: duckdb.DuckDBPyConnection, f: Filters, today: date | None = None) -> str | None:
    """The report period the dashboard shows for ``f`` (see ``queries.periods.resolve_span``), or
    None when the selection is a free date range that is not a report period."""
    if not f.municipality:
        return None
    if f.period_id:
        return f.period_id
    span = resolve_span(con, f, today)
    if span is None:
        return None
    rows = con.execute(
        "SELECT period_id FROM report_period WHERE municipality_code = ? AND start_date = ? AND end_date = ?",
        [f.municipality, span.start, span.end],
    ).fetchall()
    return str(rows[0][0]) if rows else None


def last_periods(con: duckdb.DuckDBPyConnection, period: Period, count: int = 5) -> list[Period]:
    """The municipality's report periods ending with ``period``, at most ``count`` of them."""
    rows = con.execute(
        "SELECT rp.period_id, rp.municipality_code, m.name, rp.label, rp.start_date, rp.end_date "
        "FROM report_period rp JOIN municipality m ON m.code = rp.municipality_code "
        "WHERE rp.municipality_code = ? AND rp.start_date <= ? ORDER BY rp.start_date DESC LIMIT ?",
        [period.municipality_code, period.start, count],
    ).fetchall()
    return [Period(str(r[0]), str(r[1]), str(r[2]), str(r[3]), r[4], r[5]) for r in reversed(rows)]
