"""The standard figures of a report period: the same query + chart builder pairs as the pages,
each with its Danish words, the columns a table shows, and which columns are counts (for
small-number suppression). Nothing here writes files."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import duckdb
import polars as pl

from charts import builders
from charts.theme import ChartMeta, source_line
from data_model.labels import HOLLOW_POINTS, SMALL_OR_UNCERTAIN, field_label
from queries import appeals, inquiries, recommendations
from queries.describe import Names, describe_filters, has_generated_records
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


@dataclass(frozen=True)
class Column:
    name: str
    header: str
    kind: str = "text"  # text | count | share (0-1) | percent (0-100) | signed | pp | date | int


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
        spec = chart if isinstance(chart, dict) else chart.to_dict()
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

    # 1. inquiries by sector, with complaints
    title = "Henvendelser pr. sektor"
    frame = inquiries.breakdown(con, f, span, "sector")
    if frame.is_empty():
        omit("henvendelser-sektor", title, "Der er ingen henvendelser i perioden.")
    else:
        add(
            PackItem(
                "henvendelser-sektor",
                title,
                "henvendelser (heraf klager)",
                words(f, "henvendelser"),
                source(span.label),
                frame,
                [
                    Column("label", "Sektor"),
                    Column("count", "Henvendelser", "count"),
                    Column("complaints", "Heraf klager", "count"),
                    Column("share", "Andel af alle henvendelser", "share"),
                ],
                count_columns=("count", "complaints", "n"),
                share_columns=("share",),
                draw=lambda d, m: builders.breakdown_bars(
                    d, m, count_title="Henvendelser", label_title="Sektor"
                ),
                category=pl.col("label"),
            )
        )

    # 2. inquiries and complaints by unit
    title = "Henvendelser og klager pr. enhed"
    frame = inquiries.unit_table(con, f, span)
    if frame.is_empty():
        omit("henvendelser-enhed", title, "Der er ingen henvendelser i perioden.")
    else:
        add(
            PackItem(
                "henvendelser-enhed",
                title,
                "henvendelser, heraf klager",
                words(f, "henvendelser"),
                source(span.label),
                frame,
                [
                    Column("department", "Forvaltning"),
                    Column("unit", "Enhed"),
                    Column("inquiries", "Henvendelser", "count"),
                    Column("complaints", "Heraf klager", "count"),
                    Column("complaint_share", "Klageandel", "share"),
                ],
                count_columns=("inquiries", "complaints"),
                share_columns=("complaint_share",),
                draw=builders.unit_bars,
                category=pl.col("department") + " · " + pl.col("unit"),
            )
        )

    # 3-4. complaint share and inquiries over the last five report periods
    periods = last_periods(con, period, TREND_PERIODS)
    trend_span = Span(periods[0].start, period.end, f"{periods[0].label}–{period.label}")
    trend_f = f.with_(period_id=None, grain="period")
    title = f"Klageandel, de seneste {len(periods)} beretningsperioder"
    frame = inquiries.complaint_share_trend(con, trend_f, trend_span, today)
    if frame.is_empty():
        omit("klageandel", title, "Der er ingen henvendelser i perioderne.")
    elif frame["share"].is_null().all():
        omit("klageandel", title, inquiries.NO_SHARE_WORDS)
    else:
        add(
            PackItem(
                "klageandel",
                title,
                "klager i procent af borgerhenvendelser (n = borgerhenvendelser, uden interne henvendelser)",
                words(trend_f, "henvendelser", trend_span) + f" · {inquiries.SHARE_BASE_WORDS}",
                source(trend_span.label),
                frame,
                [
                    Column("bucket_label", "Periode"),
                    Column("inquiries", "Henvendelser", "count"),
                    Column("citizen_inquiries", "Borgerhenvendelser", "count"),
                    Column("complaints", "Klager", "count"),
                    Column("share", "Klageandel", "share"),
                ],
                count_columns=("inquiries", "citizen_inquiries", "complaints"),
                share_columns=("share",),
                draw=builders.share_trend,
            )
        )
    title = f"Henvendelser pr. type, de seneste {len(periods)} beretningsperioder"
    split_f = trend_f.with_(split="kind")
    frame = inquiries.trend(con, split_f, trend_span, today)
    if frame.is_empty():
        omit("udvikling", title, "Der er ingen henvendelser i perioderne.")
    else:
        add(
            PackItem(
                "udvikling",
                title,
                "henvendelser pr. beretningsperiode, opdelt efter henvendelsestype",
                words(split_f, "henvendelser", trend_span),
                source(trend_span.label),
                frame,
                [
                    Column("bucket_label", "Periode"),
                    Column("series", "Henvendelsestype"),
                    Column("count", "Henvendelser", "count"),
                ],
                count_columns=("count",),
                draw=lambda d, m: builders.trend_lines(d, m, count_title="Henvendelser"),
                note=f"{HOLLOW_POINTS}: tolk dem varsomt.",
            )
        )

    # 5-6. themes and sub-themes, counting complaint points
    points_f = f.with_(count_unit="points")
    for key, dimension, title, label in [
        ("temaer", "main_theme", "Klagepunkter pr. tema", "Tema"),
        ("undertemaer", "theme", "Klagepunkter pr. undertema", "Undertema"),
    ]:
        frame = inquiries.breakdown(con, points_f, span, dimension)
        if frame.is_empty():
            omit(key, title, "Der er ikke registreret klagepunkter i perioden.")
            continue
        add(
            PackItem(
                key,
                title,
                "klagepunkter (en henvendelse kan have flere)",
                words(points_f, "klagepunkter"),
                source(span.label),
                frame,
                [
                    Column("label", label),
                    Column("count", "Klagepunkter", "count"),
                    Column("share", "Andel af klagepunkterne", "share"),
                ],
                count_columns=("count", "complaints", "n"),
                share_columns=("share",),
                draw=lambda d, m, label=label: builders.breakdown_bars(
                    d, m, count_title="Klagepunkter", label_title=label
                ),
                category=pl.col("label"),
            )
        )

    # 7. the advisor's action on complaints
    title = "Borgerrådgiverens handling på klager"
    kinds = _complaint_kinds(con)
    outcome_f = f.with_(kinds=kinds)
    frame = inquiries.breakdown(con, outcome_f, span, "outcome") if kinds else pl.DataFrame()
    if frame.is_empty():
        omit("handlinger", title, "Der er ingen klager i perioden.")
    else:
        add(
            PackItem(
                "handlinger",
                title,
                "klager efter borgerrådgiverens handling/udfald",
                words(outcome_f, "klager"),
                source(span.label),
                frame,
                [
                    Column("label", "Handling/udfald"),
                    Column("count", "Klager", "count"),
                    Column("share", "Andel af klagerne", "share"),
                ],
                count_columns=("count", "complaints", "n"),
                share_columns=("share",),
                draw=lambda d, m: builders.breakdown_bars(
                    d, m, count_title="Klager", label_title="Handling/udfald"
                ),
                category=pl.col("label"),
            )
        )

    # 8. case types (only some advisors register them)
    title = "Henvendelser pr. sagstype"
    frame = inquiries.breakdown(con, f, span, "case_type")
    if frame.is_empty() or frame["code"].drop_nulls().is_empty():
        omit("sagstyper", title, "Sagstype er ikke registreret for henvendelserne i perioden.")
    else:
        add(
            PackItem(
                "sagstyper",
                title,
                "henvendelser efter sagstype",
                words(f, "henvendelser"),
                source(span.label),
                frame,
                [
                    Column("label", "Sagstype"),
                    Column("count", "Henvendelser", "count"),
                    Column("complaints", "Heraf klager", "count"),
                    Column("share", "Andel", "share"),
                ],
                count_columns=("count", "complaints", "n"),
                share_columns=("share",),
                draw=lambda d, m: builders.breakdown_bars(
                    d, m, count_title="Henvendelser", label_title="Sagstype"
                ),
                category=pl.col("label"),
            )
        )

    # 9. year over year per department
    result = inquiries.year_over_year(con, f, span, "department")
    if result is None or result.table.is_empty():
        omit(
            "aar-for-aar",
            "Ændring fra året før pr. forvaltning",
            "Der er ingen sammenlignelig periode året før.",
        )
    else:
        title = f"Ændring fra {result.previous.label} til {result.current.label} pr. forvaltning"
        table = result.table.with_columns(
            pl.when(pl.col("small_n"))
            .then(pl.lit("Lille n"))
            .when(pl.col("uncertain"))
            .then(pl.lit("Usikker"))
            .otherwise(pl.lit(""))
            .alias("remark")
        )
        add(
            PackItem(
                "aar-for-aar",
                title,
                "henvendelser i denne og forrige sammenlignelige periode",
                words(f, "henvendelser") + (f" · {result.note}" if result.note else ""),
                source(f"{result.previous.label} og {result.current.label}"),
                table,
                [
                    Column("label", "Forvaltning"),
                    Column("previous", result.previous.label, "count"),
                    Column("current", result.current.label, "count"),
                    Column("diff", "Ændring", "signed"),
                    Column("pct_change", "Ændring i %", "signed"),
                    Column("remark", "Bemærkning"),
                ],
                count_columns=("current", "previous"),
                share_columns=("diff", "pct_change"),
                draw=builders.change_bars,
                category=pl.col("label"),
                note=(SMALL_OR_UNCERTAIN + " Blege søjler er usikre ændringer."),
            )
        )

    # 10-11. Ankestyrelsen's decisions by law area and by unit, and the pooled omgørelsesprocent
    decided = appeals.omgoerelse(con, f, span)
    has_decisions = bool(decided.height and decided["decisions"][0])
    for key, by, title, label in [
        (
            "ankestyrelsen-lovomraade",
            "law_area",
            "Ankestyrelsens afgørelser pr. lovområde og resultat",
            "Lovområde",
        ),
        ("ankestyrelsen-enhed", "unit", "Ankestyrelsens afgørelser pr. enhed og resultat", "Enhed"),
    ]:
        if not has_decisions:
            omit(
                key,
                title,
                "Der er ikke registreret afgørelser fra Ankestyrelsen for kommunen i perioden "
                "(afgørelserne registreres, når borgerrådgiveren får kopi af dem).",
            )
            continue
        frame = appeals.decisions_by_result(con, f, span, by)
        add(
            PackItem(
                key,
                title,
                "Ankestyrelsens afgørelser efter resultat",
                words(f, "afgørelser"),
                source(span.label),
                frame,
                [
                    Column("series", label),
                    Column("outcome", "Resultat"),
                    Column("count", "Afgørelser", "count"),
                ],
                count_columns=("count",),
                draw=builders.appeal_results,
            )
        )
    title = "Ankestyrelsens bemærkninger til sagsbehandlingen"
    remarks = appeals.remark_themes(con, f, span) if has_decisions else pl.DataFrame()
    if remarks.is_empty():
        omit(
            "ankestyrelsen-bemaerkninger",
            title,
            "Der er ikke registreret bemærkninger fra Ankestyrelsen til sagsbehandlingen i perioden.",
        )
    else:
        add(
            PackItem(
                "ankestyrelsen-bemaerkninger",
                title,
                "afgørelser med bemærkningen (en afgørelse kan have flere bemærkninger)",
                words(f, "afgørelser") + " · en afgørelse kan have flere bemærkninger",
                source(span.label),
                remarks.rename({"remark": "label", "decisions": "count"}),
                [
                    Column("label", "Bemærkning"),
                    Column("count", "Afgørelser", "count"),
                    Column("share", "Andel af afgørelserne", "share"),
                ],
                count_columns=("count", "n"),
                share_columns=("share",),
                draw=lambda d, m: builders.breakdown_bars(
                    d, m, count_title="Afgørelser", label_title="Bemærkning"
                ),
                category=pl.col("label"),
            )
        )
    if has_decisions:
        frame = appeals.omgoerelse(con, f, span, "law_area")
        add(
            PackItem(
                "omgoerelsesprocent-afgoerelser",
                "Omgørelsesprocent pr. lovområde, registrerede afgørelser",
                "realitetsbehandlede afgørelser; omgjort = ændret/ophævet + hjemvist",
                words(f, "afgørelser"),
                source(span.label),
                frame,
                [
                    Column("series", "Lovområde"),
                    Column("decisions", "Afgørelser", "count"),
                    Column("rejected", "Afvist", "count"),
                    Column("on_merits", "Realitetsbehandlede", "count"),
                    Column("changed", "Ændret/ophævet", "count"),
                    Column("sent_back", "Hjemvist", "count"),
                    Column("pct", "Omgørelsesprocent", "percent"),
                ],
                count_columns=("decisions", "rejected", "on_merits", "changed", "sent_back"),
                share_columns=("pct",),
                note="Puljet fra antal: (ændret/ophævet + hjemvist) ÷ realitetsbehandlede.",
            )
        )

    # 12. omgørelsesprocent against the whole country (Ankestyrelsen's statistics, the Danmarkskort)
    for law_area in appeals.DANMARKSKORT_LAW_AREAS:
        area = names.category("law_area", law_area)
        title = f"Omgørelsesprocent, {area}"
        key = "omgoerelsesprocent-" + law_area.replace("_", "-")
        kort = appeals.danmarkskort(con, period.municipality_code, law_area).filter(
            pl.col("year") <= period.end.year
        )
        if kort.is_empty():
            omit(
                key, title, f"Ankestyrelsens statistik har ingen tal for kommunen på området {area.lower()}."
            )
            continue
        shown = f"{kort['year'].min()}–{kort['year'].max()}"
        add(
            PackItem(
                key,
                title,
                "realitetsbehandlede sager; omgørelsesprocent = (ændret/ophævet + hjemvist) ÷ realitetsbehandlede",
                f"{name} mod hele landet · realitetsbehandlede sager · {shown}",
                source(shown, "Ankestyrelsens statistik"),
                kort,
                [
                    Column("year", "År", "int"),
                    Column("pct", f"{name} (%)", "percent"),
                    Column("n", "Realitetsbehandlede", "count"),
                    Column("overturned", "Omgjorte", "count"),
                    Column("country_pct", "Hele landet (%)", "percent"),
                    Column("rank", "Placering (1 = lavest)", "int"),
                    Column("change_pp", "Ændring", "pp"),
                ],
                count_columns=("n", "overturned"),
                share_columns=("pct", "change_pp"),
                draw=lambda d, m: builders.danmarkskort_lines(d, m, name),
            )
        )

    # 13. recommendations: status per department, and the list (titles kept as plain text)
    status = recommendations.recommendation_status(con, f, today)
    allowed = {p.label for p in last_periods(con, period, 1000)}
    status = status.filter(
        pl.col("period").is_in(list(allowed))
        | (pl.col("period").is_null() & (pl.col("made_on") <= period.end))
    )
    title = "Anbefalinger pr. forvaltning og status"
    rec_words = (
        f"Tæller anbefalinger · {name} · beretninger til og med {period.label} · status pr. {today:%d.%m.%Y}"
    )
    if status.is_empty():
        omit("anbefalinger-status", title, "Der er ingen anbefalinger fra beretninger til og med perioden.")
    else:
        counts = recommendations.status_counts(status)
        order = recommendations.ordered_statuses(counts)
        add(
            PackItem(
                "anbefalinger-status",
                title,
                "anbefalinger efter seneste opfølgningsstatus (en anbefaling kan rette sig mod flere forvaltninger)",
                rec_words,
                source(f"til og med {period.label}"),
                counts,
                [
                    Column("department", "Forvaltning"),
                    Column("status", "Status"),
                    Column("count", "Anbefalinger", "count"),
                ],
                draw=lambda d, m: builders.status_bars(d, m, order),
                note="Antal anbefalinger er ikke personhenførbare og skjules ikke som små tal.",
            )
        )
        listing = status.select(
            "recommendation_id",
            "period",
            "title",
            "targets",
            "status",
            "status_date",
            "due_on",
            pl.when(pl.col("overdue"))
            .then(pl.lit("Forsinket"))
            .when(pl.col("stalled"))
            .then(pl.lit("Gået i stå"))
            .otherwise(pl.lit(""))
            .alias("warning"),
        )
        add(
            PackItem(
                "anbefalinger",
                "Anbefalinger og deres status",
                "anbefalinger",
                rec_words,
                source(f"til og med {period.label}"),
                listing,
                [
                    Column("period", "Beretning"),
                    Column("title", "Anbefaling"),
                    Column("targets", "Rettet mod"),
                    Column("status", "Status"),
                    Column("status_date", "Senest fulgt op", "date"),
                    Column("due_on", "Frist", "date"),
                    Column("warning", "Advarsel"),
                ],
            )
        )
    return out
