"""Periods, spans and dates: the span a filter shows, the comparable earlier span, dates in Danish."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import duckdb

from data_model.labels import MONTHS_SHORT
from queries.filters import Filters, where


@dataclass(frozen=True)
class Span:
    start: date
    end: date
    label: str
    # ``comparable_spans``' answer for the municipalities the span was resolved for, worked out by
    # ``resolve_span`` from the report periods it read anyway: comparing then reads nothing. Not
    # part of what a span is (equality, hash), only of what it knows; a few dates, so the span
    # stays cheap to hash as a cache key.
    known: KnownComparison | None = field(default=None, compare=False, repr=False)

    def shifted_years(self, years: int) -> Span:
        return Span(_shift(self.start, years), _shift(self.end, years), "")


ComparableSpans = tuple[Span, Span, str] | None  # (current, previous, note); None: nothing to compare with


@dataclass(frozen=True)
class KnownComparison:
    municipalities: frozenset[str]  # the filter's it holds for (empty: all municipalities)
    spans: ComparableSpans

    def holds_for(self, f: Filters) -> bool:
        return self.municipalities == frozenset(f.municipalities)


def _shift(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def format_date(day: date) -> str:
    return f"{day.day}. {MONTHS_SHORT[day.month - 1]} {day.year}"


def span_label(start: date, end: date) -> str:
    if start.day == 1 and start.month == 1 and end.month == 12 and end.day == 31 and start.year == end.year:
        return str(start.year)
    return f"{format_date(start)} – {format_date(end)}"


def resolve_span(con: duckdb.DuckDBPyConnection, f: Filters, today: date | None = None) -> Span | None:
    """The period the filter shows: a report period, a date range, or the latest report period.

    One statement reads the chosen period and every report period of the filter's
    municipalities; from those the span also knows its comparable earlier span (``Span.known``)."""
    in_filter, params = where(con, f, "report_period", only=("municipalities",))
    rows = con.execute(
        f"SELECT period_id, start_date, end_date, label, {in_filter} AS own FROM report_period rp "  # noqa: S608
        f"WHERE {in_filter} OR period_id = ?",
        [*params, *params, f.period_id],
    ).fetchall()
    periods = [(start, end, str(label)) for _id, start, end, label, own in rows if own]
    by_id = {str(period_id): (start, end, str(label)) for period_id, start, end, label, _own in rows}

    def knowing(start: date, end: date, label: str) -> Span:
        span = Span(start, end, label)
        if not periods:  # records then begin at the first inquiry: comparable_spans reads it if asked
            return span
        compared = _compare(span, periods, coverage_start(con, f, periods))  # the periods': no statement
        return Span(start, end, label, KnownComparison(frozenset(f.municipalities), compared))

    if f.period_id and f.period_id in by_id:
        return knowing(*by_id[f.period_id])
    if f.date_from or f.date_to:
        start = f.date_from or date(1900, 1, 1)
        end = f.date_to or today or date.today()
        return knowing(start, end, span_label(start, end))
    if f.municipality and (period := default_period(con, f.municipality, today)) in by_id:
        return knowing(*by_id[period])  # not in it only if a writer came in between
    return None


def default_period(
    con: duckdb.DuckDBPyConnection, municipality: str, today: date | None = None
) -> str | None:
    """The period a first view opens on: the latest ended period with real figures (a printed
    report's published figures, or records that are not generated examples); without such a
    period, the latest ended one. So the sample data opens on the report a user can check."""
    row = con.execute(
        "SELECT period_id FROM report_period rp WHERE municipality_code = ? AND end_date <= ? "
        "ORDER BY (EXISTS (SELECT 1 FROM published_figure pf WHERE pf.period_id = rp.period_id) "
        "  OR EXISTS (SELECT 1 FROM inquiry i WHERE i.municipality_code = rp.municipality_code "
        "    AND i.received BETWEEN rp.start_date AND rp.end_date AND i.provenance <> 'generated')) DESC, "
        "end_date DESC LIMIT 1",
        [municipality, today or date.today()],
    ).fetchall()
    return str(row[0][0]) if row else None


def as_of(span: Span | None, today: date) -> tuple[date, str]:
    """The day a recommendation's 'overdue' and 'stalled' are measured on, and it in words: a
    closed report period at its end, the running period (or none) today."""
    if span is not None and span.end < today:
        return span.end, f"målt pr. {format_date(span.end)} (periodens slutning)"
    return today, f"målt i dag, {format_date(today)}"


def report_periods(con: duckdb.DuckDBPyConnection, f: Filters) -> list[tuple[date, date, str]]:
    """(start, end, label) of the report periods of the filter's municipalities, as stored (a
    tiny table is read in one pass, in its order)."""
    in_filter, params = where(con, f, "report_period", only=("municipalities",))
    return [
        (start, end, str(label))
        for start, end, label in con.execute(
            f"SELECT start_date, end_date, label FROM report_period rp WHERE {in_filter}",  # noqa: S608
            params,
        ).fetchall()
    ]


def coverage_start(
    con: duckdb.DuckDBPyConnection, f: Filters, periods: list[tuple[date, date, str]] | None = None
) -> date | None:
    """When the advisor's records begin: the first report period, else the first inquiry."""
    periods = report_periods(con, f) if periods is None else periods
    if periods:
        return min(start for start, _end, _label in periods)
    inquiries, inquiry_params = where(con, f, "inquiry", only=("municipalities",))
    row = con.execute(f"SELECT min(received) FROM inquiry i WHERE {inquiries}", inquiry_params).fetchall()  # noqa: S608
    return row[0][0] if row and row[0][0] else None


def comparable_spans(con: duckdb.DuckDBPyConnection, f: Filters, span: Span) -> ComparableSpans:
    """(current, previous, note): the same dates one year earlier, clamped to where records exist.

    A report period compared with the one before it is like with like; when the earlier period
    was partial (the advisor's first year), both sides are cut to the months both cover. A span
    from ``resolve_span`` knows its answer for ``f``'s municipalities; otherwise the report
    periods (for the start and the previous label) are read in one small statement.
    """
    if span.known is not None and span.known.holds_for(f):
        return span.known.spans
    periods = report_periods(con, f)
    return _compare(span, periods, coverage_start(con, f, periods))


def _compare(span: Span, periods: list[tuple[date, date, str]], first: date | None) -> ComparableSpans:
    """``comparable_spans`` given the report periods and the day records begin."""
    previous = span.shifted_years(-1)
    if first is None or previous.end < first:
        return None
    note = ""
    current = span
    if previous.start < first:
        previous = Span(first, previous.end, "")
        current = Span(_shift(first, 1), span.end, "")
        note = "Sammenlignet på samme måneder, fordi den forrige periode kun er delvist dækket"
    elif previous.start == first:
        note = (
            "Den forrige periode er det første år med registreringer (fx et opstartsår): sammenlign varsomt"
        )
    current = Span(
        current.start, current.end, span.label if current == span else span_label(current.start, current.end)
    )
    label = next(
        (label for start, end, label in periods if (start, end) == (previous.start, previous.end)),
        span_label(previous.start, previous.end),
    )
    return current, Span(previous.start, previous.end, label), note


def ignoring_period(f: Filters) -> Filters:
    """The filter without its period, for a query that does not read it (a trend over all
    periods, recommendations' status, the unit level): its cache key then holds no period, so a
    period change reuses the cached answer."""
    return f.with_(period_id=None, date_from=None, date_to=None)
