"""The one filter object and its table of fields.

Each field of ``Filters`` is one row (``filter_field``): its URL key, its sidebar widget and
Danish words, the catalogue set a value must be in, and its SQL condition per relation. The URL
round trip (``from_query_params`` / ``Filters.to_query_params``), the sidebar
(``dashboard.sidebar``), the words (``queries.describe.describe_filters``) and the WHERE clause
(``where``) all iterate over these rows, as Datasette's ``filters.py`` does with its filter table.
So a new filter is one new row here.

Short, readable Danish keys (``?kommune=510&periode=510-2024&tema=forvaltningsskik``) so a copied
link reopens the same view. Parsing never raises: a value the database does not know is dropped
and reported as a note that the page shows.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass, field, fields, replace
from datetime import date
from typing import Any, Literal

import duckdb

from data_model.personal_data import mask_value
from queries.dimensions import SPLIT_WORDS, SPLITS
from queries.units import LEVELS, Level, descendants

CountUnit = Literal["inquiries", "points"]
Grain = Literal["month", "quarter", "year", "period"]
Widget = Literal["multiselect", "selectbox", "radio", "date"]
# The relations ``where`` builds conditions for, each with its fixed aliases:
# inquiry: inquiry i (with complaint_point p and theme_tree th when joined), unit_tree ut on the
#   inquiry's unit; point: the same, but a point counts under its own unit where it has one;
# decision: appeal_decision d, unit_tree ut; recommendation: recommendation r;
# report_period: report_period rp; event: event e and theme: theme t (no municipality: all of
# them); org_unit: org_unit u.
Relation = Literal[
    "inquiry", "point", "decision", "recommendation", "report_period", "event", "org_unit", "theme"
]

COUNT_UNIT_WORDS: dict[str, str] = {"inquiries": "henvendelser", "points": "klagepunkter"}
GRAIN_WORDS: dict[str, str] = {
    "month": "måned",
    "quarter": "kvartal",
    "year": "år",
    "period": "beretningsperiode",
}
# the words are a unit level's name in the sidebar and in the subtitle
LEVEL_WORDS: dict[str, str] = dict(
    zip(LEVELS, ("forvaltningsniveau", "områdeniveau", "afdelingsniveau"), strict=True)
)
COUNT_UNITS: tuple[CountUnit, ...] = ("inquiries", "points")
GRAINS: tuple[Grain, ...] = ("month", "quarter", "year", "period")

# the date a relation's records fall in a span by (a relation without one is not limited by dates)
# A complaint point carries its inquiry's municipality and received date (migration 9): the point
# relation narrows both tables, so only the selection's points are read and joined.
DATE_COLUMNS: dict[str, tuple[str, ...]] = {
    "inquiry": ("i.received",),
    "point": ("i.received", "p.received"),
    "decision": ("d.decided",),
}


@dataclass(frozen=True)
class FilterField:
    """One filter field: everything the URL, the sidebar, the words and the SQL know about it.

    ``source`` is the catalogue set a value must be in: ``municipality``, ``period``, ``unit``,
    ``main_theme``, ``theme``, ``category:<kind>``, ``choice`` (one of ``choices``) or ``date``.
    ``sql``: relation -> a condition with one ``?`` for the value (a list for a field of many
    values; with ``expand_units`` the unit and every unit under it). ``subtitle``: how
    ``describe_filters`` words a set value (``{label}``, ``{values}``); None: worded apart.
    ``dimension``: the dimension a value is a code of (a saved Krydstabel keeps the filter as
    its own restriction). ``resets``: fields whose sidebar value is cleared when this one changes. ``within``: the field
    that narrows this one's choices (a sub-theme lies within its main theme).
    """

    url: str
    label: str
    source: str
    widget: Widget | None = None
    placeholder: str = ""
    help: str | None = None
    noun: str = ""  # in a note about a bad URL value; default: the label in lower case
    subtitle: str | None = "{label}: {values}"
    sql: Mapping[str, str] = field(default_factory=dict)
    expand_units: bool = False
    choices: Mapping[str, str] = field(default_factory=dict)  # code -> Danish word, for source 'choice'
    resets: tuple[str, ...] = ()
    within: str | None = None
    dimension: str | None = None  # the dimension (queries.dimensions) whose codes it narrows
    name: str = ""  # the Filters attribute; set from the table
    many: bool = False  # a tuple of codes; set from the field's default

    @property
    def what(self) -> str:
        return self.noun or self.label.lower()


def _row(**words: Any) -> dict[str, FilterField]:
    """A field's row of the filter table, as the metadata of that field of ``Filters``."""
    return {"row": FilterField(**words)}


def _in_list(column: str) -> str:
    return f"list_contains(?::VARCHAR[], {column})"


def _on_inquiries(condition: str) -> dict[str, str]:
    """A condition on the inquiry facts, the same whether complaint points are counted or not."""
    return {"inquiry": condition, "point": condition}


@dataclass(frozen=True)
class Filters:
    """The filter of a view. The fields are the filter table, in the sidebar's order."""

    municipalities: tuple[str, ...] = field(
        default=(),
        metadata=_row(
            url="kommune",
            label="Kommune",
            source="municipality",
            widget="multiselect",
            placeholder="Alle kommuner",
            subtitle=None,  # always worded, first
            resets=("period_id", "unit_id"),
            sql={
                "inquiry": _in_list("i.municipality_code"),
                "point": f"{_in_list('i.municipality_code')} AND {_in_list('p.municipality_code')}",
                "decision": _in_list("d.municipality_code"),
                "recommendation": _in_list("r.municipality_code"),
                "report_period": _in_list("rp.municipality_code"),
                "event": f"(e.municipality_code IS NULL OR {_in_list('e.municipality_code')})",
                "theme": f"(t.municipality_code IS NULL OR {_in_list('t.municipality_code')})",
                "org_unit": _in_list("u.municipality_code"),
            },
        ),
    )
    period_id: str | None = field(
        default=None,
        metadata=_row(
            url="periode",
            label="Beretningsperiode",
            source="period",
            widget="selectbox",
            noun="periode",
            subtitle=None,  # worded as the span
            resets=("date_from", "date_to"),
            within="municipalities",
            help="Standard er den seneste afsluttede periode med rigtige tal (en trykt beretning eller egne "
            "registreringer). Sammenligninger år for år bruger den tilsvarende periode året før.",
        ),
    )
    date_from: date | None = field(
        default=None,
        metadata=_row(
            url="fra", label="Fra", source="date", widget="date", subtitle=None, resets=("period_id",)
        ),
    )
    date_to: date | None = field(
        default=None,
        metadata=_row(
            url="til", label="Til", source="date", widget="date", subtitle=None, resets=("period_id",)
        ),
    )
    count_unit: CountUnit = field(
        default="inquiries",
        metadata=_row(
            url="taelle",
            label="Tæl",
            source="choice",
            widget="radio",
            noun="tælleenhed",
            subtitle=None,  # "Tæller ..." leads the words
            choices=COUNT_UNIT_WORDS,
            help="En henvendelse kan rumme flere klagepunkter med hvert sit tema.",
        ),
    )
    sectors: tuple[str, ...] = field(
        default=(),
        metadata=_row(
            url="sektor",
            label="Sektor",
            source="category:sector",
            dimension="sector",
            widget="multiselect",
            placeholder="Alle sektorer",
            sql={
                "inquiry": _in_list("ut.sector_code"),
                "point": _in_list("ut.sector_code"),
                "decision": _in_list("ut.sector_code"),
            },
        ),
    )
    unit_id: str | None = field(
        default=None,
        metadata=_row(
            url="enhed",
            label="Enhed (med underenheder)",
            source="unit",
            widget="selectbox",
            placeholder="Alle enheder",
            noun="enhed",
            within="municipalities",
            expand_units=True,
            dimension="unit",
            sql={
                "inquiry": _in_list("i.unit_id"),
                "point": _in_list("coalesce(p.unit_id, i.unit_id)"),
                "decision": _in_list("d.unit_id"),
                "recommendation": "len(list_intersect(r.target_unit_ids, ?::VARCHAR[])) > 0",
                "org_unit": _in_list("u.unit_id"),
            },
        ),
    )
    # the unit level counts are rolled up to; None = the level the municipality's report uses
    level: Level | None = field(
        default=None,
        metadata=_row(
            url="niveau",
            label="Enhedsniveau",
            source="choice",
            widget="selectbox",
            subtitle="Enheder på {values}",
            choices=LEVEL_WORDS,
            help="Tællinger pr. enhed lægges sammen op til det valgte niveau: "
            "forvaltning, område eller afdeling (med underafdelinger).",
        ),
    )
    main_theme: str | None = field(
        default=None,
        metadata=_row(
            url="tema",
            label="Tema",
            source="main_theme",
            dimension="theme",
            widget="selectbox",
            placeholder="Alle temaer",
            sql=_on_inquiries("th.main_code = ?"),
        ),
    )
    sub_theme: str | None = field(
        default=None,
        metadata=_row(
            url="undertema",
            label="Undertema",
            source="theme",
            dimension="theme",
            widget="selectbox",
            placeholder="Alle undertemaer",
            within="main_theme",
            sql=_on_inquiries("p.theme_code = ?"),
        ),
    )
    kinds: tuple[str, ...] = field(
        default=(),
        metadata=_row(
            url="type",
            label="Henvendelsestype",
            source="category:inquiry_kind",
            dimension="kind",
            widget="multiselect",
            placeholder="Alle typer",
            sql=_on_inquiries(_in_list("i.kind_code")),
        ),
    )
    outcomes: tuple[str, ...] = field(
        default=(),
        metadata=_row(
            url="udfald",
            label="Handling/udfald",
            source="category:outcome",
            dimension="outcome",
            noun="udfald",
            widget="multiselect",
            placeholder="Alle udfald",
            sql=_on_inquiries(_in_list("i.outcome_code")),
        ),
    )
    channels: tuple[str, ...] = field(
        default=(),
        metadata=_row(
            url="kanal",
            label="Kanal",
            source="category:channel",
            widget="multiselect",
            placeholder="Alle kanaler",
            dimension="channel",
            sql=_on_inquiries(_in_list("i.channel_code")),
        ),
    )
    # None: the report period where periods are not calendar years, else the year
    grain: Grain | None = field(
        default=None,
        metadata=_row(url="interval", label="Interval", source="choice", subtitle=None, choices=GRAIN_WORDS),
    )
    split: str = field(
        default="none",
        metadata=_row(
            url="opdel",
            label="Opdel efter",
            source="choice",
            noun="opdeling",
            subtitle=None,
            choices={s: SPLIT_WORDS[s] for s in SPLITS},
        ),
    )

    def with_(self, **changes: object) -> Filters:
        return replace(self, **changes)  # type: ignore[arg-type]

    @property
    def municipality(self) -> str | None:
        """The first selected municipality: the one periods and comparisons refer to."""
        return self.municipalities[0] if self.municipalities else None

    def to_query_params(self) -> dict[str, str]:
        """Only non-default values, so links stay short."""
        default = Filters()
        params: dict[str, str] = {}
        for row in FIELDS:
            value = getattr(self, row.name)
            if value == getattr(default, row.name):
                continue
            if row.many:
                params[row.url] = ",".join(value)
            elif row.source == "date":
                params[row.url] = value.isoformat()
            else:
                params[row.url] = str(value)
        return params


# the filter table: one row per field of Filters, in the sidebar's order
FIELDS: tuple[FilterField, ...] = tuple(
    replace(f.metadata["row"], name=f.name, many=isinstance(f.default, tuple)) for f in fields(Filters)
)
FIELD: dict[str, FilterField] = {row.name: row for row in FIELDS}
URL_KEYS: dict[str, str] = {row.name: row.url for row in FIELDS}  # field name -> URL key


def where(
    con: duckdb.DuckDBPyConnection,
    f: Filters,
    relation: Relation,
    span: Any = None,
    *,
    only: Collection[str] | None = None,
) -> tuple[str, list[object]]:
    """The WHERE condition (``TRUE`` when nothing is chosen) of every set field that has SQL for
    ``relation`` (only the fields named in ``only``, if given), and the relation's dates within
    ``span`` (a ``queries.periods.Span``). Values are always ``?`` parameters."""
    conditions: list[str] = []
    params: list[object] = []
    for row in FIELDS:
        value = getattr(f, row.name)
        sql = row.sql.get(relation)
        if sql is None or not value or (only is not None and row.name not in only):
            continue
        conditions.append(sql)
        value = descendants(con, value) if row.expand_units else list(value) if row.many else value
        params += [value] * sql.count("?")  # a condition may narrow two tables by the same value
    if span is not None and relation in DATE_COLUMNS:
        for column in DATE_COLUMNS[relation]:
            conditions.append(f"{column} BETWEEN ? AND ?")
            params += [span.start, span.end]
    return " AND ".join(conditions) or "TRUE", params


@dataclass(frozen=True)
class Catalog:
    """What exists in the database, so URL values can be checked without a query per value."""

    municipalities: frozenset[str] = frozenset()
    periods: Mapping[str, str] = field(default_factory=dict)  # period_id -> municipality_code
    units: Mapping[str, str] = field(default_factory=dict)  # unit_id -> municipality_code
    main_themes: frozenset[str] = frozenset()
    themes: Mapping[str, str] = field(default_factory=dict)  # theme code -> main theme code
    categories: Mapping[str, frozenset[str]] = field(default_factory=dict)  # kind -> codes

    def known(self, row: FilterField) -> Collection[str]:
        """The values ``row`` accepts."""
        if row.source == "choice":
            return row.choices
        if row.source.startswith("category:"):
            return self.categories.get(row.source.removeprefix("category:"), frozenset())
        return {
            "municipality": self.municipalities,
            "period": self.periods,
            "unit": self.units,
            "main_theme": self.main_themes,
            "theme": self.themes,
        }[row.source]


_ECHO_LIMIT = 40


def _echo(value: str) -> str:
    """A URL value as a note repeats it: CPR numbers masked, cut to 40 characters. The note is
    still Markdown-escaped where it is shown (``dashboard.safe_text.md_escape``)."""
    text = mask_value(value)
    return text if len(text) <= _ECHO_LIMIT else text[: _ECHO_LIMIT - 1] + "…"


def _split_list(text: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in text.split(",") if part.strip())


def _first(value: str | list[str]) -> str:
    return value[-1] if isinstance(value, list) else value


def from_query_params(params: Mapping[str, str | list[str]], catalog: Catalog) -> tuple[Filters, list[str]]:
    """Filters from a query string; unknown or stale values become defaults with a Danish note."""
    notes: list[str] = []
    values: dict[str, object] = {}
    raw = {k: _first(v) for k, v in params.items()}

    for row in FIELDS:
        text = raw.get(row.url, "")
        if not text:
            continue
        if row.source == "date":
            try:
                values[row.name] = date.fromisoformat(text)
            except ValueError:
                notes.append(f"Ugyldig dato i linket ignoreres: {_echo(text)}")
            continue
        known = catalog.known(row)
        items = _split_list(text) if row.many else (text,)
        good = tuple(i for i in items if i in known)
        if len(good) != len(items):
            notes.append(
                f"Ukendt {row.what} i linket ignoreres: {_echo(', '.join(i for i in items if i not in known))}"
            )
        if good:
            values[row.name] = good if row.many else good[0]

    filters = Filters(**values)  # type: ignore[arg-type]
    return _consistent(filters, catalog, notes), notes


def _consistent(filters: Filters, catalog: Catalog, notes: list[str]) -> Filters:
    """Drop combinations that cannot be true together (a period of another municipality, ...)."""
    munis = set(filters.municipalities)
    if filters.period_id and munis and catalog.periods.get(filters.period_id) not in munis:
        notes.append("Perioden hører ikke til den valgte kommune og ignoreres")
        filters = filters.with_(period_id=None)
    if filters.unit_id and munis and catalog.units.get(filters.unit_id) not in munis:
        notes.append("Enheden hører ikke til den valgte kommune og ignoreres")
        filters = filters.with_(unit_id=None)
    if (
        filters.sub_theme
        and filters.main_theme
        and catalog.themes.get(filters.sub_theme) != filters.main_theme
    ):
        notes.append("Undertemaet hører ikke under det valgte tema og ignoreres")
        filters = filters.with_(sub_theme=None)
    if filters.date_from and filters.date_to and filters.date_to < filters.date_from:
        notes.append("Slutdatoen ligger før startdatoen; datoerne ignoreres")
        filters = filters.with_(date_from=None, date_to=None)
    return filters
