"""The figure catalogue: each figure of the pages and the report pack defined once.

An entry says what a figure is: its key, Danish title, what it counts, the chart builder that
draws it, the columns its table shows and which of them are counts and shares (for small-number
suppression). The pages draw an entry through ``dashboard.layout.catalogue_figure`` and the report
pack through ``report_pack.figures.PackItem.of``, so a figure looks the same on screen, in its PNG
and in the pack. Entries that depend on a choice (a dimension, a law area, a period's labels) are
made by a function of that choice. No Streamlit here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

import altair as alt
import polars as pl

from charts import builders
from charts.theme import ChartMeta
from data_model.labels import HOLLOW_POINTS, UNDER_SMALL_N

Draw = Callable[[pl.DataFrame, ChartMeta], alt.TopLevelMixin]


@dataclass(frozen=True)
class Column:
    name: str
    header: str
    kind: str = "text"  # text | count | share (0-1) | percent (0-100) | signed | pp | date | int


@dataclass(frozen=True)
class FigureDef:
    """One figure (``draw`` set) or table (``draw`` None) of the catalogue."""

    key: str  # ASCII: the report pack's file names
    title: str
    counts: str  # what is counted, in words
    columns: tuple[Column, ...]  # what a table of the figure shows, in order
    draw: Draw | None = None
    count_columns: tuple[str, ...] = ()
    share_columns: tuple[str, ...] = ()
    category: pl.Expr | None = None  # the chart's category of a row (hidden rows go last in the pack)
    largest_by: str | None = None  # presentation mode draws the rows largest by this column
    note: str = ""
    screen_key: str = ""  # the figure's key on the pages (?figur=...), when it differs from ``key``

    @property
    def page_key(self) -> str:
        return self.screen_key or self.key

    def titled(self, title: str) -> FigureDef:
        return replace(self, title=title)

    def labels(self) -> dict[str, str]:
        """The Danish header of each column this entry names."""
        return {c.name: c.header for c in self.columns}


_BREAKDOWN_COUNTS = ("count", "complaints", "n")


def _breakdown(
    key: str, title: str, counts: str, label: str, count_title: str, extra: tuple[Column, ...], share: str
) -> FigureDef:
    """Bars of a dimension's values (``queries.inquiries.breakdown``'s columns)."""

    def draw(frame: pl.DataFrame, meta: ChartMeta) -> alt.TopLevelMixin:
        return builders.breakdown_bars(frame, meta, count_title=count_title, label_title=label)

    return FigureDef(
        key,
        title,
        counts,
        (
            Column("label", label),
            Column("count", count_title, "count"),
            *extra,
            Column("share", share, "share"),
        ),
        draw,
        count_columns=_BREAKDOWN_COUNTS,
        share_columns=("share",),
        category=pl.col("label"),
    )


SECTORS = _breakdown(
    "henvendelser-sektor",
    "Henvendelser pr. sektor",
    "henvendelser (heraf klager)",
    "Sektor",
    "Henvendelser",
    (Column("complaints", "Heraf klager", "count"),),
    "Andel af alle henvendelser",
)
THEMES = _breakdown(
    "temaer",
    "Klagepunkter pr. tema",
    "klagepunkter (en henvendelse kan have flere)",
    "Tema",
    "Klagepunkter",
    (),
    "Andel af klagepunkterne",
)
SUB_THEMES = _breakdown(
    "undertemaer",
    "Klagepunkter pr. undertema",
    "klagepunkter (en henvendelse kan have flere)",
    "Undertema",
    "Klagepunkter",
    (),
    "Andel af klagepunkterne",
)
OUTCOMES = _breakdown(
    "handlinger",
    "Borgerrådgiverens handling på klager",
    "klager efter borgerrådgiverens handling/udfald",
    "Handling/udfald",
    "Klager",
    (),
    "Andel af klagerne",
)
CASE_TYPES = _breakdown(
    "sagstyper",
    "Henvendelser pr. sagstype",
    "henvendelser efter sagstype",
    "Sagstype",
    "Henvendelser",
    (Column("complaints", "Heraf klager", "count"),),
    "Andel",
)

UNITS = FigureDef(
    "henvendelser-enhed",
    "Henvendelser og klager pr. enhed",
    "henvendelser, heraf klager",
    (
        Column("department", "Forvaltning"),
        Column("unit", "Enhed"),
        Column("inquiries", "Henvendelser", "count"),
        Column("complaints", "Heraf klager", "count"),
        Column("complaint_share", "Klageandel", "share"),
    ),
    builders.unit_bars,
    count_columns=("inquiries", "complaints"),
    share_columns=("complaint_share",),
    category=pl.col("label"),  # the axis's (unit_table's label: a unit that is its department once)
    largest_by="inquiries",
    screen_key="enheder",
)

COMPLAINT_SHARE = FigureDef(
    "klageandel",
    "Klageandel over tid",
    "klager i procent af borgerhenvendelser (n = borgerhenvendelser, uden interne henvendelser)",
    (
        Column("bucket_label", "Periode"),
        Column("inquiries", "Henvendelser", "count"),
        Column("citizen_inquiries", "Borgerhenvendelser", "count"),
        Column("complaints", "Klager", "count"),
        Column("share", "Klageandel", "share"),
    ),
    builders.share_trend,
    count_columns=("inquiries", "citizen_inquiries", "complaints"),
    share_columns=("share",),
)


def has_share(frame: pl.DataFrame) -> bool:
    """A complaint share over time means something in at least one period (not every inquiry a
    complaint)."""
    return bool(frame.height) and bool(frame["share"].is_not_null().any())


def trend(
    title: str, counts: str, count_title: str, series: str, events: pl.DataFrame | None = None
) -> FigureDef:
    """Counts over time, one line per group of ``series`` (``queries.inquiries.trend``)."""

    def draw(frame: pl.DataFrame, meta: ChartMeta) -> alt.TopLevelMixin:
        return builders.trend_lines(frame, meta, count_title=count_title, events=events)

    return FigureDef(
        "udvikling",
        title,
        counts,
        (Column("bucket_label", "Periode"), Column("series", series), Column("count", count_title, "count")),
        draw,
        count_columns=("count",),
        note=f"{HOLLOW_POINTS}: tolk dem varsomt.",
    )


YEAR_OVER_YEAR_NOTE = (
    f"Lille n: {UNDER_SMALL_N} i begge perioder. Usikker: ændringen ligger inden for, hvad tilfældigheder "
    "giver (ca. 95 %)."
)


def year_over_year(title: str, dimension: str, previous: str, current: str) -> FigureDef:
    """This period against the previous comparable one (``queries.inquiries.year_over_year``'s
    table with ``with_remark``)."""
    return FigureDef(
        "aar-for-aar",
        title,
        "henvendelser i denne og forrige sammenlignelige periode",
        (
            Column("label", dimension),
            Column("previous", previous, "count"),
            Column("current", current, "count"),
            Column("diff", "Ændring", "signed"),
            Column("pct_change", "Ændring i %", "signed"),
            Column("remark", "Bemærkning"),
        ),
        builders.change_bars,
        count_columns=("current", "previous"),
        share_columns=("diff", "pct_change"),
        category=pl.col("label"),
        note=f"{YEAR_OVER_YEAR_NOTE} Blege søjler er usikre ændringer.",
        screen_key="aendringer",
    )


def with_remark(table: pl.DataFrame) -> pl.DataFrame:
    """A year-over-year table with its remark: small numbers, or a change chance could give."""
    return table.with_columns(
        pl.when(pl.col("small_n"))
        .then(pl.lit("Lille n"))
        .when(pl.col("uncertain"))
        .then(pl.lit("Usikker"))
        .otherwise(pl.lit(""))
        .alias("remark")
    )


def appeal_results(by: str) -> FigureDef:
    """Ankestyrelsen's decisions per law area or unit (``by``) and result."""
    words, label, screen = {
        "law_area": ("lovområde", "Lovområde", "lovomraade"),
        "unit": ("enhed", "Enhed", "enhed"),
    }[by]
    return FigureDef(
        f"ankestyrelsen-{screen}",
        f"Ankestyrelsens afgørelser pr. {words} og resultat",
        "Ankestyrelsens afgørelser efter resultat",
        (Column("series", label), Column("outcome", "Resultat"), Column("count", "Afgørelser", "count")),
        builders.appeal_results,
        count_columns=("count",),
        screen_key=screen,
    )


REMARKS = replace(
    _breakdown(
        "ankestyrelsen-bemaerkninger",
        "Ankestyrelsens bemærkninger til sagsbehandlingen",
        "afgørelser med bemærkningen (en afgørelse kan have flere bemærkninger)",
        "Bemærkning",
        "Afgørelser",
        (),
        "Andel af afgørelserne",
    ),
    count_columns=("count", "n"),
    screen_key="bemaerkninger",
)


def remark_bars(remarks: pl.DataFrame) -> pl.DataFrame:
    """``queries.appeals.remark_themes`` in the columns the bars draw (label, count)."""
    return remarks.rename({"remark": "label", "decisions": "count"})


OMGOERELSE = FigureDef(
    "omgoerelsesprocent-afgoerelser",
    "Omgørelsesprocent pr. lovområde, registrerede afgørelser",
    "realitetsbehandlede afgørelser; omgjort = ændret/ophævet + hjemvist",
    (
        Column("series", "Lovområde"),
        Column("decisions", "Afgørelser", "count"),
        Column("rejected", "Afvist", "count"),
        Column("on_merits", "Realitetsbehandlede", "count"),
        Column("changed", "Ændret/ophævet", "count"),
        Column("sent_back", "Hjemvist", "count"),
        Column("pct", "Omgørelsesprocent", "percent"),
    ),
    count_columns=("decisions", "rejected", "on_merits", "changed", "sent_back"),
    share_columns=("pct",),
    note="Puljet fra antal: (ændret/ophævet + hjemvist) ÷ realitetsbehandlede.",
)


def danmarkskort(law_area: str, area: str, municipality: str) -> FigureDef:
    """The municipality's omgørelsesprocent against the whole country in one law area
    (``queries.appeals.danmarkskort``), named ``area`` in words."""

    def draw(frame: pl.DataFrame, meta: ChartMeta) -> alt.TopLevelMixin:
        return builders.danmarkskort_lines(frame, meta, municipality)

    return FigureDef(
        "omgoerelsesprocent-" + law_area.replace("_", "-"),
        f"Omgørelsesprocent, {area}",
        "realitetsbehandlede sager; omgørelsesprocent = (ændret/ophævet + hjemvist) ÷ realitetsbehandlede",
        (
            Column("year", "År", "int"),
            Column("pct", f"{municipality} (%)", "percent"),
            Column("n", "Realitetsbehandlede", "count"),
            Column("overturned", "Omgjorte", "count"),
            Column("country_pct", "Hele landet (%)", "percent"),
            Column("rank", "Placering (1 = lavest)", "int"),
            Column("change_pp", "Ændring", "pp"),
        ),
        draw,
        count_columns=("n", "overturned"),
        share_columns=("pct", "change_pp"),
        screen_key="danmarkskort",
    )


def recommendation_status(order: list[str]) -> FigureDef:
    """Recommendations per department and latest status (``queries.recommendations.status_counts``),
    the statuses in ``order``."""

    def draw(frame: pl.DataFrame, meta: ChartMeta) -> alt.TopLevelMixin:
        return builders.status_bars(frame, meta, order)

    return FigureDef(
        "anbefalinger-status",
        "Anbefalinger pr. forvaltning og status",
        "anbefalinger efter seneste opfølgningsstatus (en anbefaling kan rette sig mod flere forvaltninger)",
        (
            Column("department", "Forvaltning"),
            Column("status", "Status"),
            Column("count", "Anbefalinger", "count"),
        ),
        draw,
        note="Antal anbefalinger er ikke personhenførbare og skjules ikke som små tal.",
        screen_key="status",
    )


RECOMMENDATIONS = FigureDef(
    "anbefalinger",
    "Anbefalinger og deres status",
    "anbefalinger",
    (
        Column("period", "Beretning"),
        Column("title", "Anbefaling"),
        Column("targets", "Rettet mod"),
        Column("status", "Status"),
        Column("status_date", "Senest fulgt op", "date"),
        Column("due_on", "Frist", "date"),
        Column("warning", "Advarsel"),
    ),
)


def with_warning(status: pl.DataFrame) -> pl.DataFrame:
    """``queries.recommendations.recommendation_status`` with its warning: overdue or stalled."""
    return status.with_columns(
        pl.when(pl.col("overdue"))
        .then(pl.lit("Forsinket"))
        .when(pl.col("stalled"))
        .then(pl.lit("Gået i stå"))
        .otherwise(pl.lit(""))
        .alias("warning")
    )
