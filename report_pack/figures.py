"""The standard figures of a report period: the figure catalogue's entries (``charts.catalogue``,
which the pages draw too) filled with the period's data and words. Nothing here writes files."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import duckdb
import polars as pl

from charts import catalogue
from charts.catalogue import Column, FigureDef
from charts.theme import ChartMeta, source_line
from data_model.labels import field_label
from queries import appeals, inquiries, recommendations
from queries.describe import SPLIT_WORDS, Names, describe_filters, has_generated_records
from queries.filters import Filters
from queries.periods import Span
from queries.suppression import suppress
from report_pack.resolve import Period, last_periods

TREND_PERIODS = 5

# Danish headers for columns a figure does not name itself (so no English reaches a CSV file).
FALLBACK_HEADERS: dict[str, str] = {
    "code": "Kode",
    "label": "Betegnelse",
    "share": "Andel",
    "n": "n (i alt)",
    "complaints": "Heraf klager",
    "small": "Under 5 (tolk varsomt)",
    "suppressed": "Små tal skjult",
    "bucket": "Periodens start",
    "bucket_label": "Periode",
    "series": "Gruppe",
    "unit_id": "Enheds-id",
    "outcome_code": "Resultatkode",
    "outcome_order": "Sortering",
    "small_n": "Lille n",
    "uncertain": "Usikker ændring",
    "country_n": "Hele landet, realitetsbehandlede",
    "ranked_of": "Kommuner med tal",
}


__all__ = ["Collected", "Column", "Omitted", "PackItem", "collect"]


@dataclass
class PackItem:
    """One figure (``draw`` set) or table (``draw`` None) of the pack, before files are written."""

    key: str  # ASCII, part of the file names
    title: str
    counts: str  # what is counted, in words
    filter_words: str
    source: str
    data: pl.DataFrame
    columns: list[Column]  # what the docx table shows, in order
    count_columns: tuple[str, ...] = ()
    share_columns: tuple[str, ...] = ()
    draw: Callable[[pl.DataFrame, ChartMeta], Any] | None = None
    note: str = ""
    suppressed_with: int | None = None  # the threshold applied to this item's data, if any
    category: pl.Expr | None = None  # the chart's category axis value of a row (hidden rows go last)

    @classmethod
    def of(cls, entry: FigureDef, data: pl.DataFrame, filter_words: str, source: str) -> PackItem:
        """The catalogue's ``entry`` with this period's data and words."""
        return cls(
            entry.key,
            entry.title,
            entry.counts,
            filter_words,
            source,
            data,
            list(entry.columns),
            count_columns=entry.count_columns,
            share_columns=entry.share_columns,
            draw=entry.draw,
            note=entry.note,
            category=entry.category,
        )

    @property
    def is_figure(self) -> bool:
        return self.draw is not None

    @property
    def meta(self) -> ChartMeta:
        return ChartMeta(self.title, self.filter_words, self.source)

    def chart(self) -> dict[str, Any]:
        """The finished chart's Vega-Lite spec (from the page's builder)."""
        if self.draw is None:
            raise ValueError(f"{self.key} is a table, not a figure")
        chart = self.draw(self.data, self.meta)
        # the builders' specs are validated against the schema in tests (tests/report_pack)
        spec = chart if isinstance(chart, dict) else chart.to_dict(validate=False)
        if self.suppressed_with and self.category is not None and "suppressed" in self.data.columns:
            hidden = self.data.filter(pl.col("suppressed")).select(self.category).to_series().to_list()
            spec = _hidden_last(spec, {str(h) for h in hidden})
        return spec

    def headers(self) -> dict[str, str]:
        """Danish header of every data column (shown columns first)."""
        named = {c.name: c.header for c in self.columns}
        return {
            name: named.get(name, FALLBACK_HEADERS.get(name, field_label(name))) for name in self.data.columns
        }


@dataclass(frozen=True)
class Omitted:
    key: str
    title: str
    reason: str


@dataclass
class Collected:
    items: list[PackItem] = field(default_factory=list)
    omitted: list[Omitted] = field(default_factory=list)
    generated: bool = False


def _complaint_kinds(con: duckdb.DuckDBPyConnection) -> tuple[str, ...]:
    rows = con.execute(
        "SELECT code FROM category WHERE kind = 'inquiry_kind' AND is_complaint ORDER BY sort_order, code"
    ).fetchall()
    return tuple(str(r[0]) for r in rows)


def _hidden_last(spec: Any, hidden: set[str]) -> Any:
    """Categories whose counts are hidden go to the end of a chart's explicit sort order (the
    builders sort by count, and a null count would otherwise sort first), alphabetically, so
    their position says nothing about their size."""
    if not hidden:
        return spec
    if isinstance(spec, dict):
        out = {}
        for key, value in spec.items():
            if key == "sort" and isinstance(value, list) and all(isinstance(v, str) for v in value):
                out[key] = [v for v in value if v not in hidden] + sorted(v for v in value if v in hidden)
            else:
                out[key] = _hidden_last(value, hidden)
        return out
    if isinstance(spec, list):
        return [_hidden_last(v, hidden) for v in spec]
    return spec


def collect(
    con: duckdb.DuckDBPyConnection,
    period: Period,
    names: Names,
    *,
    today: date,
    threshold: int | None = None,
) -> Collected:
    """Every standard figure of the period (figures with no data are listed as omitted)."""
    f = Filters(municipalities=(period.municipality_code,), period_id=period.period_id)
    span = period.span
    name = period.municipality_name
    generated = has_generated_records(con, f)
    out = Collected(generated=generated)

    def source(shown_period: str, who: str = "Borgerrådgiveren") -> str:
        return source_line(name, shown_period, generated, who)

    def add(item: PackItem) -> None:
        if threshold and item.count_columns:
            item.data = suppress(item.data, item.count_columns, item.share_columns, threshold)
            item.suppressed_with = threshold
            if item.draw is not None and item.data["suppressed"].any():
                hidden = (
                    f"Små tal (under {threshold}) er skjult og vises ikke i figuren; "
                    "kategorier med skjulte tal står sidst."
                )
                item.note = f"{item.note} {hidden}".strip()
        out.items.append(item)

    def omit(key: str, title: str, reason: str) -> None:
        out.omitted.append(Omitted(key, title, reason))

    def words(filters: Filters, what: str, shown: Span | None = span) -> str:
        return describe_filters(filters, names, shown, what)

    def figure(entry: FigureDef, frame: pl.DataFrame, filter_words: str, shown: str = span.label) -> None:
        add(PackItem.of(entry, frame, filter_words, source(shown)))

    # 1-2. inquiries by sector (with complaints) and by unit
    for entry, frame in [
        (catalogue.SECTORS, inquiries.breakdown(con, f, span, "sector")),
        (catalogue.UNITS, inquiries.unit_table(con, f, span)),
    ]:
        if frame.is_empty():
            omit(entry.key, entry.title, "Der er ingen henvendelser i perioden.")
        else:
            figure(entry, frame, words(f, "henvendelser"))

    # 3-4. complaint share and inquiries over the last five report periods
    periods = last_periods(con, period, TREND_PERIODS)
    trend_span = Span(periods[0].start, period.end, f"{periods[0].label}–{period.label}")
    trend_f = f.with_(period_id=None, grain="period")
    share = catalogue.COMPLAINT_SHARE.titled(f"Klageandel, de seneste {len(periods)} beretningsperioder")
    frame = inquiries.complaint_share_trend(con, trend_f, trend_span, today)
    if frame.is_empty():
        omit(share.key, share.title, "Der er ingen henvendelser i perioderne.")
    elif not catalogue.has_share(frame):
        omit(share.key, share.title, inquiries.NO_SHARE_WORDS)
    else:
        shown_words = words(trend_f, "henvendelser", trend_span) + f" · {inquiries.SHARE_BASE_WORDS}"
        figure(share, frame, shown_words, trend_span.label)
    split_f = trend_f.with_(split="kind")
    trend = catalogue.trend(
        f"Henvendelser pr. type, de seneste {len(periods)} beretningsperioder",
        "henvendelser pr. beretningsperiode, opdelt efter henvendelsestype",
        "Henvendelser",
        SPLIT_WORDS["kind"],
    )
    frame = inquiries.trend(con, split_f, trend_span, today)
    if frame.is_empty():
        omit(trend.key, trend.title, "Der er ingen henvendelser i perioderne.")
    else:
        figure(trend, frame, words(split_f, "henvendelser", trend_span), trend_span.label)

    # 5-6. themes and sub-themes, counting complaint points
    points_f = f.with_(count_unit="points")
    for entry, dimension in [(catalogue.THEMES, "main_theme"), (catalogue.SUB_THEMES, "theme")]:
        frame = inquiries.breakdown(con, points_f, span, dimension)
        if frame.is_empty():
            omit(entry.key, entry.title, "Der er ikke registreret klagepunkter i perioden.")
        else:
            figure(entry, frame, words(points_f, "klagepunkter"))

    # 7. the advisor's action on complaints
    kinds = _complaint_kinds(con)
    outcome_f = f.with_(kinds=kinds)
    frame = inquiries.breakdown(con, outcome_f, span, "outcome") if kinds else pl.DataFrame()
    if frame.is_empty():
        omit(catalogue.OUTCOMES.key, catalogue.OUTCOMES.title, "Der er ingen klager i perioden.")
    else:
        figure(catalogue.OUTCOMES, frame, words(outcome_f, "klager"))

    # 8. case types (only some advisors register them)
    frame = inquiries.breakdown(con, f, span, "case_type")
    if frame.is_empty() or frame["code"].drop_nulls().is_empty():
        reason = "Sagstype er ikke registreret for henvendelserne i perioden."
        omit(catalogue.CASE_TYPES.key, catalogue.CASE_TYPES.title, reason)
    else:
        figure(catalogue.CASE_TYPES, frame, words(f, "henvendelser"))

    # 9. year over year per department
    result = inquiries.year_over_year(con, f, span, "department")
    if result is None or result.table.is_empty():
        reason = "Der er ingen sammenlignelig periode året før."
        omit("aar-for-aar", "Ændring fra året før pr. forvaltning", reason)
    else:
        previous, current = result.previous.label, result.current.label
        department = SPLIT_WORDS["department"]
        title = f"Ændring fra {previous} til {current} pr. {department.lower()}"
        entry = catalogue.year_over_year(title, department, previous, current)
        filter_words = words(f, "henvendelser") + (f" · {result.note}" if result.note else "")
        figure(entry, catalogue.with_remark(result.table), filter_words, f"{previous} og {current}")

    # 10-11. Ankestyrelsen's decisions by law area and by unit, and the pooled omgørelsesprocent
    decided = appeals.omgoerelse(con, f, span)
    has_decisions = bool(decided.height and decided["decisions"][0])
    for by in ("law_area", "unit"):
        entry = catalogue.appeal_results(by)
        if not has_decisions:
            omit(
                entry.key,
                entry.title,
                "Der er ikke registreret afgørelser fra Ankestyrelsen for kommunen i perioden "
                "(afgørelserne registreres, når borgerrådgiveren får kopi af dem).",
            )
            continue
        figure(entry, appeals.decisions_by_result(con, f, span, by), words(f, "afgørelser"))
    remarks = appeals.remark_themes(con, f, span) if has_decisions else pl.DataFrame()
    if remarks.is_empty():
        omit(
            catalogue.REMARKS.key,
            catalogue.REMARKS.title,
            "Der er ikke registreret bemærkninger fra Ankestyrelsen til sagsbehandlingen i perioden.",
        )
    else:
        remark_words = words(f, "afgørelser") + " · en afgørelse kan have flere bemærkninger"
        figure(catalogue.REMARKS, catalogue.remark_bars(remarks), remark_words)
    if has_decisions:
        figure(catalogue.OMGOERELSE, appeals.omgoerelse(con, f, span, "law_area"), words(f, "afgørelser"))

    # 12. omgørelsesprocent against the whole country (Ankestyrelsen's statistics, the Danmarkskort)
    for law_area in appeals.DANMARKSKORT_LAW_AREAS:
        area = names.category("law_area", law_area)
        entry = catalogue.danmarkskort(law_area, area, name)
        kort = appeals.danmarkskort(con, period.municipality_code, law_area).filter(
            pl.col("year") <= period.end.year
        )
        if kort.is_empty():
            reason = f"Ankestyrelsens statistik har ingen tal for kommunen på området {area.lower()}."
            omit(entry.key, entry.title, reason)
            continue
        shown = f"{kort['year'].min()}–{kort['year'].max()}"
        filter_words = f"{name} mod hele landet · realitetsbehandlede sager · {shown}"
        add(PackItem.of(entry, kort, filter_words, source(shown, "Ankestyrelsens statistik")))

    # 13. recommendations: status per department, and the list (titles kept as plain text)
    status = recommendations.recommendation_status(con, f, today)
    allowed = {p.label for p in last_periods(con, period, 1000)}
    status = status.filter(
        pl.col("period").is_in(list(allowed))
        | (pl.col("period").is_null() & (pl.col("made_on") <= period.end))
    )
    rec_words = (
        f"Tæller anbefalinger · {name} · beretninger til og med {period.label} · status pr. {today:%d.%m.%Y}"
    )
    if status.is_empty():
        reason = "Der er ingen anbefalinger fra beretninger til og med perioden."
        omit("anbefalinger-status", "Anbefalinger pr. forvaltning og status", reason)
    else:
        counts = recommendations.status_counts(status)
        entry = catalogue.recommendation_status(recommendations.ordered_statuses(counts))
        figure(entry, counts, rec_words, f"til og med {period.label}")
        listing = catalogue.with_warning(status).select(
            "recommendation_id", "period", "title", "targets", "status", "status_date", "due_on", "warning"
        )
        figure(catalogue.RECOMMENDATIONS, listing, rec_words, f"til og med {period.label}")
    return out
