"""Names for codes, and a filter described in Danish words (chart subtitles, presentation header)."""

from __future__ import annotations

from dataclasses import dataclass, field

import duckdb

from queries.filters import Filters
from queries.periods import Span

COUNT_UNIT_WORDS = {"inquiries": "henvendelser", "points": "klagepunkter"}
GRAIN_WORDS = {"month": "måned", "quarter": "kvartal", "year": "år", "period": "beretningsperiode"}
LEVEL_WORDS = {"forvaltning": "forvaltning", "omraade": "område", "afdeling": "afdeling"}
SPLIT_WORDS = {
    "none": "Ingen opdeling",
    "sector": "Sektor",
    "department": "Forvaltning",
    "unit": "Enhed",
    "main_theme": "Tema",
    "theme": "Undertema",
    "outcome": "Udfald",
    "kind": "Henvendelsestype",
}


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


def municipality_words(f: Filters, names: Names) -> str:
    if not f.municipalities:
        return "Alle kommuner"
    return ", ".join(names.municipalities.get(m, m) for m in f.municipalities)


def describe_filters(f: Filters, names: Names, span: Span | None, counting: str | None = None) -> str:
    """'Tæller henvendelser · Haderslev Kommune · 2024 · Sektor: Børn og familie' and so on;
    ``counting`` names what a chart counts when it is not the filter's count unit."""
    parts = [f"Tæller {counting or COUNT_UNIT_WORDS[f.count_unit]}", municipality_words(f, names)]
    parts.append(span.label if span else "alle perioder")
    if f.sectors:
        parts.append("Sektor: " + ", ".join(names.category("sector", s) for s in f.sectors))
    if f.unit_id:
        parts.append("Enhed: " + names.units.get(f.unit_id, f.unit_id))
    if f.level:
        parts.append("Enheder på " + level_words(f.level))
    if f.main_theme:
        parts.append("Tema: " + names.themes.get(f.main_theme, f.main_theme))
    if f.sub_theme:
        parts.append("Undertema: " + names.themes.get(f.sub_theme, f.sub_theme))
    if f.kinds:
        parts.append("Type: " + ", ".join(names.category("inquiry_kind", k) for k in f.kinds))
    if f.outcomes:
        parts.append("Udfald: " + ", ".join(names.category("outcome", o) for o in f.outcomes))
    return " · ".join(parts)


def level_words(level: str, as_report: bool = False) -> str:
    """'afdelingsniveau', or 'afdelingsniveau som i beretningen' for the report's own level."""
    word = {"forvaltning": "forvaltningsniveau", "omraade": "områdeniveau", "afdeling": "afdelingsniveau"}[
        level
    ]
    return word + (" som i beretningen" if as_report else "")


def has_generated_records(con: duckdb.DuckDBPyConnection, f: Filters) -> bool:
    """Whether the selection includes generated (example) records, so charts can say so."""
    rows = con.execute(
        "SELECT EXISTS (SELECT 1 FROM inquiry WHERE provenance = 'generated' AND "
        "(len(?::VARCHAR[]) = 0 OR list_contains(?::VARCHAR[], municipality_code)))",
        [list(f.municipalities), list(f.municipalities)],
    ).fetchall()
    return bool(rows[0][0])
