"""The one filter object, and its round trip through a URL query string.

Short, readable Danish keys (``?kommune=510&periode=510-2024&tema=forvaltningsskik``) so a copied
link reopens the same view. Parsing never raises: a value the database does not know is dropped
and reported as a note that the page shows.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from datetime import date
from typing import Literal

from data_model.personal_data import mask_value

CountUnit = Literal["inquiries", "points"]
Grain = Literal["month", "quarter", "year", "period"]
Level = Literal["forvaltning", "omraade", "afdeling"]

COUNT_UNITS: tuple[CountUnit, ...] = ("inquiries", "points")
GRAINS: tuple[Grain, ...] = ("month", "quarter", "year", "period")
LEVELS: tuple[Level, ...] = ("forvaltning", "omraade", "afdeling")  # coarse to fine
SPLITS: tuple[str, ...] = ("none", "sector", "department", "unit", "main_theme", "theme", "outcome", "kind")

# field name -> URL key
URL_KEYS: dict[str, str] = {
    "municipalities": "kommune",
    "period_id": "periode",
    "date_from": "fra",
    "date_to": "til",
    "sectors": "sektor",
    "unit_id": "enhed",
    "main_theme": "tema",
    "sub_theme": "undertema",
    "kinds": "type",
    "outcomes": "udfald",
    "count_unit": "taelle",
    "grain": "interval",
    "split": "opdel",
    "level": "niveau",
}
_LIST_FIELDS = {"municipalities", "sectors", "kinds", "outcomes"}
_DATE_FIELDS = {"date_from", "date_to"}


@dataclass(frozen=True)
class Filters:
    municipalities: tuple[str, ...] = ()
    period_id: str | None = None
    date_from: date | None = None
    date_to: date | None = None
    sectors: tuple[str, ...] = ()
    unit_id: str | None = None
    main_theme: str | None = None
    sub_theme: str | None = None
    kinds: tuple[str, ...] = ()
    outcomes: tuple[str, ...] = ()
    count_unit: CountUnit = "inquiries"
    grain: Grain | None = None  # None: the report period where periods are not calendar years, else the year
    split: str = "none"
    # the unit level counts are rolled up to; None = the level the municipality's report uses
    level: Level | None = None

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
        for f in fields(self):
            value = getattr(self, f.name)
            if value == getattr(default, f.name):
                continue
            if f.name in _LIST_FIELDS:
                params[URL_KEYS[f.name]] = ",".join(value)
            elif f.name in _DATE_FIELDS:
                params[URL_KEYS[f.name]] = value.isoformat()
            else:
                params[URL_KEYS[f.name]] = str(value)
        return params


@dataclass(frozen=True)
class Catalog:
    """What exists in the database, so URL values can be checked without a query per value."""

    municipalities: frozenset[str] = frozenset()
    periods: Mapping[str, str] = field(default_factory=dict)  # period_id -> municipality_code
    sectors: frozenset[str] = frozenset()
    units: Mapping[str, str] = field(default_factory=dict)  # unit_id -> municipality_code
    main_themes: frozenset[str] = frozenset()
    themes: Mapping[str, str] = field(default_factory=dict)  # theme code -> main theme code
    kinds: frozenset[str] = frozenset()
    outcomes: frozenset[str] = frozenset()


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

    def keep_known(name: str, known: Mapping[str, object] | frozenset[str], what: str) -> None:
        key = URL_KEYS[name]
        if key not in raw:
            return
        if name in _LIST_FIELDS:
            items = _split_list(raw[key])
            good = tuple(i for i in items if i in known)
            if len(good) != len(items):
                bad = _echo(", ".join(i for i in items if i not in known))
                notes.append(f"Ukendt {what} i linket ignoreres: {bad}")
            if good:
                values[name] = good
        elif raw[key] in known:
            values[name] = raw[key]
        elif raw[key]:
            notes.append(f"Ukendt {what} i linket ignoreres: {_echo(raw[key])}")

    keep_known("municipalities", catalog.municipalities, "kommune")
    keep_known("period_id", catalog.periods, "periode")
    keep_known("sectors", catalog.sectors, "sektor")
    keep_known("unit_id", catalog.units, "enhed")
    keep_known("main_theme", catalog.main_themes, "tema")
    keep_known("sub_theme", catalog.themes, "undertema")
    keep_known("kinds", catalog.kinds, "henvendelsestype")
    keep_known("outcomes", catalog.outcomes, "udfald")
    for name, options, what in [
        ("count_unit", COUNT_UNITS, "tælleenhed"),
        ("grain", GRAINS, "interval"),
        ("split", SPLITS, "opdeling"),
        ("level", LEVELS, "enhedsniveau"),
    ]:
        key = URL_KEYS[name]
        if key in raw:
            if raw[key] in options:
                values[name] = raw[key]
            else:
                notes.append(f"Ukendt {what} i linket ignoreres: {_echo(raw[key])}")
    for name in _DATE_FIELDS:
        key = URL_KEYS[name]
        if raw.get(key):
            try:
                values[name] = date.fromisoformat(raw[key])
            except ValueError:
                notes.append(f"Ugyldig dato i linket ignoreres: {_echo(raw[key])}")

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
