"""Names for codes, and a filter described in Danish words (chart subtitles, presentation header)."""

from __future__ import annotations

from dataclasses import dataclass, field

import duckdb

from data_model.denmark import WHOLE_COUNTRY
from queries.dimensions import SPLIT_WORDS
from queries.filters import (
    COUNT_UNIT_WORDS,
    FIELDS,
    GRAIN_WORDS,
    LEVEL_WORDS,
    Catalog,
    FilterField,
    Filters,
    where,
)
from queries.periods import Span

__all__ = ["COUNT_UNIT_WORDS", "GRAIN_WORDS", "LEVEL_WORDS", "SPLIT_WORDS"]  # the words pages show


@dataclass(frozen=True)
class Names:
    municipalities: dict[str, str] = field(default_factory=dict)
    periods: dict[str, str] = field(default_factory=dict)
    units: dict[str, str] = field(default_factory=dict)  # unit_id -> "Forvaltning › Enhed"
    themes: dict[str, str] = field(default_factory=dict)
    categories: dict[tuple[str, str], str] = field(default_factory=dict)

    def category(self, kind: str, code: str) -> str:
        return self.categories.get((kind, code), code)


def load_names(con: duckdb.DuckDBPyConnection) -> Names:
    def pairs(sql: str) -> dict[str, str]:
        return {str(a): str(b) for a, b in con.execute(sql).fetchall()}

    return Names(
        municipalities=pairs("SELECT code, name FROM municipality ORDER BY name"),
        periods=pairs("SELECT period_id, label FROM report_period ORDER BY start_date"),
        units=pairs(
            "SELECT unit_id, CASE WHEN top_id = unit_id THEN unit_name ELSE top_name || ' › ' || unit_name END "
            "FROM unit_tree ORDER BY top_name, depth, unit_name"
        ),
        themes=pairs("SELECT code, name FROM theme ORDER BY name"),
        categories={
            (str(k), str(c)): str(label)
            for k, c, label in con.execute("SELECT kind, code, label FROM category").fetchall()
        },
    )


def value_words(row: FilterField, names: Names, code: str) -> str:
    """A filter field's value in Danish words (a name from the database, or the row's own word)."""
    if row.source.startswith("category:"):
        return names.category(row.source.removeprefix("category:"), code)
    named = {
        "municipality": names.municipalities,
        "period": names.periods,
        "unit": names.units,
        "main_theme": names.themes,
        "theme": names.themes,
        "choice": row.choices,
    }.get(row.source, {})
    return named.get(code, code)


def field_choices(row: FilterField, catalog: Catalog, names: Names, within: object = None) -> list[str]:
    """The values the sidebar offers for a filter field, in the order shown; ``within`` is the
    value of the field that narrows this one (``row.within``)."""
    if row.source == "choice":
        return list(row.choices)
    if row.source == "period":
        chosen = list(within or ())
        known = [p for p, m in catalog.periods.items() if not chosen or m == chosen[0]]
        order = list(names.periods)
        return sorted(known, key=lambda p: order.index(p) if p in order else 0, reverse=True)
    if row.source == "unit":
        chosen = list(within or ())
        return [u for u in names.units if not chosen or catalog.units.get(u) in chosen]
    if row.source == "theme":
        known = [c for c, main in catalog.themes.items() if main == within and c != within]
    elif row.source == "municipality":
        known = [c for c in catalog.municipalities if c != WHOLE_COUNTRY]
    else:
        known = list(catalog.known(row))
    return sorted(known, key=lambda code: value_words(row, names, code).casefold())


def municipality_words(f: Filters, names: Names) -> str:
    if not f.municipalities:
        return "Alle kommuner"
    return ", ".join(names.municipalities.get(m, m) for m in f.municipalities)


def describe_filters(f: Filters, names: Names, span: Span | None, counting: str | None = None) -> str:
    """'Tæller henvendelser · Haderslev Kommune · 2024 · Sektor: Børn og familie' and so on;
    ``counting`` names what a chart counts when it is not the filter's count unit. Every set
    field is worded by its row of the filter table (``FilterField.subtitle``)."""
    parts = [f"Tæller {counting or COUNT_UNIT_WORDS[f.count_unit]}", municipality_words(f, names)]
    parts.append(span.label if span else "alle perioder")
    for row in FIELDS:
        value = getattr(f, row.name)
        if row.subtitle is None or not value:
            continue
        codes = value if row.many else (value,)
        words = ", ".join(value_words(row, names, code) for code in codes)
        parts.append(row.subtitle.format(label=row.label, values=words))
    return " · ".join(parts)


def level_words(level: str, as_report: bool = False) -> str:
    """'afdelingsniveau', or 'afdelingsniveau som i beretningen' for the report's own level."""
    return LEVEL_WORDS[level] + (" som i beretningen" if as_report else "")


def has_generated_records(con: duckdb.DuckDBPyConnection, f: Filters) -> bool:
    """Whether the selection includes generated (example) records, so charts can say so."""
    in_filter, params = where(con, f, "inquiry", only=("municipalities",))
    rows = con.execute(
        f"SELECT EXISTS (SELECT 1 FROM inquiry i WHERE provenance = 'generated' AND {in_filter})",  # noqa: S608
        params,
    ).fetchall()
    return bool(rows[0][0])
