"""What a filter selects: the catalog of valid values, the date span, and the fact relation SQL."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date

import duckdb

from queries.filters import LEVELS, Catalog, Filters, Level

MONTHS_DA = ("jan.", "feb.", "mar.", "apr.", "maj", "jun.", "jul.", "aug.", "sep.", "okt.", "nov.", "dec.")


def load_catalog(con: duckdb.DuckDBPyConnection) -> Catalog:
    def pairs(sql: str) -> dict[str, str]:
        return {str(a): str(b) for a, b in con.execute(sql).fetchall()}

    def codes(sql: str) -> frozenset[str]:
        return frozenset(str(r[0]) for r in con.execute(sql).fetchall())

    themes = pairs("SELECT code, main_code FROM theme_tree")
    return Catalog(
        municipalities=codes("SELECT code FROM municipality"),
        periods=pairs("SELECT period_id, municipality_code FROM report_period"),
        sectors=codes("SELECT code FROM category WHERE kind = 'sector'"),
        units=pairs("SELECT unit_id, municipality_code FROM org_unit"),
        main_themes=frozenset(themes.values()),
        themes=themes,
        kinds=codes("SELECT code FROM category WHERE kind = 'inquiry_kind'"),
        outcomes=codes("SELECT code FROM category WHERE kind = 'outcome'"),
    )


def busiest_municipality(con: duckdb.DuckDBPyConnection) -> str | None:
    rows = con.execute(
        "SELECT municipality_code FROM inquiry GROUP BY ALL ORDER BY count(*) DESC, municipality_code LIMIT 1"
    ).fetchall()
    return str(rows[0][0]) if rows else None


@dataclass(frozen=True)
class Span:
    start: date
    end: date
    label: str

    def shifted_years(self, years: int) -> Span:
        return Span(_shift(self.start, years), _shift(self.end, years), "")


def _shift(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def format_date(day: date) -> str:
    return f"{day.day}. {MONTHS_DA[day.month - 1]} {day.year}"


def span_label(start: date, end: date) -> str:
    if start.day == 1 and start.month == 1 and end.month == 12 and end.day == 31 and start.year == end.year:
        return str(start.year)
    return f"{format_date(start)} – {format_date(end)}"


def resolve_span(con: duckdb.DuckDBPyConnection, f: Filters, today: date | None = None) -> Span | None:
    """The period the filter shows: a report period, a date range, or the latest report period."""
    if f.period_id:
        row = con.execute(
            "SELECT start_date, end_date, label FROM report_period WHERE period_id = ?", [f.period_id]
        ).fetchall()
        if row:
            return Span(row[0][0], row[0][1], str(row[0][2]))
    if f.date_from or f.date_to:
        start = f.date_from or date(1900, 1, 1)
        end = f.date_to or today or date.today()
        return Span(start, end, span_label(start, end))
    if f.municipality and (period := default_period(con, f.municipality, today)):
        row = con.execute(
            "SELECT start_date, end_date, label FROM report_period WHERE period_id = ?", [period]
        ).fetchall()
        return Span(row[0][0], row[0][1], str(row[0][2]))
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


def coverage_start(con: duckdb.DuckDBPyConnection, f: Filters) -> date | None:
    """When the advisor's records begin: the first report period, else the first inquiry."""
    munis = list(f.municipalities)
    row = con.execute(
        "SELECT coalesce((SELECT min(start_date) FROM report_period WHERE len(?::VARCHAR[]) = 0 "
        "OR list_contains(?::VARCHAR[], municipality_code)), (SELECT min(received) FROM inquiry "
        "WHERE len(?::VARCHAR[]) = 0 OR list_contains(?::VARCHAR[], municipality_code)))",
        [munis, munis, munis, munis],
    ).fetchall()
    return row[0][0] if row and row[0][0] else None


def comparable_spans(con: duckdb.DuckDBPyConnection, f: Filters, span: Span) -> tuple[Span, Span, str] | None:
    """(current, previous, note): the same dates one year earlier, clamped to where records exist.

    A report period compared with the one before it is like with like; when the earlier period
    was partial (the advisor's first year), both sides are cut to the months both cover.
    """
    first = coverage_start(con, f)
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
    previous = Span(previous.start, previous.end, _previous_label(con, f, previous))
    return current, previous, note


def _previous_label(con: duckdb.DuckDBPyConnection, f: Filters, span: Span) -> str:
    row = con.execute(
        "SELECT label FROM report_period WHERE start_date = ? AND end_date = ? "
        "AND (len(?::VARCHAR[]) = 0 OR list_contains(?::VARCHAR[], municipality_code)) LIMIT 1",
        [span.start, span.end, list(f.municipalities), list(f.municipalities)],
    ).fetchall()
    return str(row[0][0]) if row else span_label(span.start, span.end)


def descendants(con: duckdb.DuckDBPyConnection, unit_id: str) -> list[str]:
    children: dict[str, list[str]] = {}
    for unit, parent in con.execute("SELECT unit_id, parent_id FROM org_unit").fetchall():
        children.setdefault(parent, []).append(unit)
    found, todo = [], [unit_id]
    while todo:
        current = todo.pop()
        if current in found:
            continue
        found.append(current)
        todo.extend(children.get(current, []))
    return found


LEVEL_RANK: dict[str, int] = {level: rank for rank, level in enumerate(LEVELS)}
# a unit counted at a finer level than its own holds only what was registered on it directly
GENERAL_WORDS = {"forvaltning": "forvaltningen generelt", "omraade": "området generelt"}
DEFAULT_LEVEL: Level = "afdeling"  # without printed figures: every unit apart


def _unit_rows(con: duckdb.DuckDBPyConnection) -> dict[str, tuple[str | None, str, str]]:
    """unit_id -> (parent_id, level, municipality_code)."""
    return {
        str(u): (p, str(level), str(m))
        for u, p, level, m in con.execute(
            "SELECT unit_id, parent_id, level, municipality_code FROM org_unit"
        ).fetchall()
    }


def level_target(units: dict[str, tuple[str | None, str, str]], unit_id: str, level: str) -> str:
    """The unit ``unit_id`` is counted under at ``level``: the first unit on the path from the top
    whose own level is ``level`` or finer (so a sub-afdeling counts in its afdeling), else the unit
    itself. Like ``unit_tree`` it follows at most four levels up."""
    path = [unit_id]
    while (parent := units.get(path[-1], (None, "", ""))[0]) and parent not in path and len(path) < 4:
        path.append(parent)
    rank = LEVEL_RANK[level]
    for unit in reversed(path):
        if LEVEL_RANK.get(units.get(unit, (None, "afdeling", ""))[1], 2) >= rank:
            return unit
    return unit_id


def report_levels(con: duckdb.DuckDBPyConnection) -> dict[str, Level]:
    """Per municipality, the unit level its printed report counts at.

    Read from the published figures: the level at which the most of the units the report prints
    figures for are rows of their own (a printed unit is a row at a level when it counts under
    itself there and nothing of it is split off below); on a tie the coarser level. A municipality
    without printed unit figures gets ``DEFAULT_LEVEL``.
    """
    units = _unit_rows(con)
    has_children = {parent for parent, _level, _m in units.values() if parent}
    printed: dict[str, set[str]] = {}
    for municipality, unit_id in con.execute(
        "SELECT DISTINCT municipality_code, unit_id FROM published_figure WHERE unit_id IS NOT NULL "
        "AND NOT contains(unit_id, ';')"
    ).fetchall():
        if unit_id in units:
            printed.setdefault(str(municipality), set()).add(str(unit_id))
    levels: dict[str, Level] = {}
    for municipality, shown in printed.items():

        def rows_at(level: str, shown: set[str] = shown) -> int:
            rank = LEVEL_RANK[level]
            return sum(
                1
                for u in shown
                if level_target(units, u, level) == u
                and (LEVEL_RANK.get(units[u][1], 2) >= rank or u not in has_children)
            )

        levels[municipality] = max(LEVELS, key=lambda level: (rows_at(level), -LEVEL_RANK[level]))
    return levels


def effective_level(con: duckdb.DuckDBPyConnection, f: Filters) -> Level:
    """The filter's unit level, or the level the (first) municipality's report uses."""
    if f.level:
        return f.level
    if not f.municipality:
        return "forvaltning"
    return report_levels(con).get(f.municipality, DEFAULT_LEVEL)


def unit_levels(
    con: duckdb.DuckDBPyConnection, level: str, municipalities: tuple[str, ...] = ()
) -> dict[str, tuple[str, str]]:
    """unit_id -> (the unit it counts under at ``level``, that unit's label), for the units of
    ``municipalities`` (empty = all).

    Labels never collide within the selection: a unit counted at a finer level than its own says
    so ('Arbejdsmarked og Borgerservice (forvaltningen generelt)'); two units with the same name
    get their parent's name in front; the same name in two municipalities gets the municipality.
    """
    rows = con.execute(
        "SELECT u.unit_id, u.parent_id, u.name, u.level, u.municipality_code, coalesce(m.name, u.municipality_code) "
        "FROM org_unit u LEFT JOIN municipality m ON m.code = u.municipality_code"
    ).fetchall()
    units = {str(u): (p, str(lvl), str(m)) for u, p, _n, lvl, m, _mn in rows}
    names = {str(r[0]): str(r[2]) for r in rows}
    municipality_names = {str(r[4]): str(r[5]) for r in rows}
    has_children = {p for p, _lvl, _m in units.values() if p}
    rank = LEVEL_RANK[level]
    chosen = [u for u, (_p, _lvl, m) in units.items() if not municipalities or m in municipalities]
    target = {u: level_target(units, u, level) for u in chosen}

    def base(t: str) -> str:
        own = units[t][1]
        general = LEVEL_RANK.get(own, 2) < rank and t in has_children and own in GENERAL_WORDS
        return names[t] + (f" ({GENERAL_WORDS[own]})" if general else "")

    targets = sorted(set(target.values()))
    bases = {t: base(t) for t in targets}
    same_base = Counter((units[t][2], bases[t]) for t in targets)
    labels = {
        t: (
            f"{names[parent]} › {bases[t]}"
            if same_base[(units[t][2], bases[t])] > 1 and (parent := units[t][0]) in names
            else bases[t]
        )
        for t in targets
    }
    same_label = Counter(labels.values())
    labels = {
        t: f"{label} ({municipality_names[units[t][2]]})" if same_label[label] > 1 else label
        for t, label in labels.items()
    }
    return {u: (t, labels[t]) for u, t in target.items()}


def unit_level_sql(
    con: duckdb.DuckDBPyConnection, level: str, municipalities: tuple[str, ...] = ()
) -> tuple[str, list[object]]:
    """``unit_levels`` as a relation: unit_id, level_id, level_name."""
    mapping = unit_levels(con, level, municipalities)
    return (
        "SELECT unnest(?::VARCHAR[]) AS unit_id, unnest(?::VARCHAR[]) AS level_id, "
        "unnest(?::VARCHAR[]) AS level_name",
        [list(mapping), [t for t, _ in mapping.values()], [label for _, label in mapping.values()]],
    )


def joins_points(f: Filters, with_points: bool | None = None) -> bool:
    """Whether the facts need complaint points (one row per point) or not (one row per inquiry)."""
    if with_points is not None:
        return with_points
    return f.count_unit == "points" or bool(f.main_theme or f.sub_theme) or f.split in ("main_theme", "theme")


def facts_sql(
    con: duckdb.DuckDBPyConnection,
    f: Filters,
    span: Span | None,
    *,
    with_points: bool | None = None,
    by_unit: bool = False,
) -> tuple[str, list[object]]:
    """A SELECT over inquiries (joined to complaint points when needed) with every filter applied.

    Columns: inquiry_id, point_id, municipality_code, received, kind_code, is_complaint,
    outcome_code, case_type_code, legal_effect_code, provenance, unit_id, unit_name, sector_code,
    department_id, department_name, theme_code, theme_name, main_code, main_name, leaf_unit_id.
    With complaint points the unit is the point's own unit where it has one. With ``by_unit``,
    ``unit_id`` and ``unit_name`` are the unit the record counts under at the filter's level
    (``effective_level``); without it they are NULL (the roll-up costs a join, and a count by unit
    must never fall back to the units records were registered on). ``leaf_unit_id`` is the unit
    the record was registered on.
    """
    with_points = joins_points(f, with_points)
    unit_expr = "coalesce(p.unit_id, i.unit_id)" if with_points else "i.unit_id"
    point_cols = (
        "p.point_id, p.theme_code, th.name AS theme_name, th.main_code, th.main_name"
        if with_points
        else "NULL::VARCHAR AS point_id, NULL::VARCHAR AS theme_code, NULL::VARCHAR AS theme_name, "
        "NULL::VARCHAR AS main_code, NULL::VARCHAR AS main_name"
    )
    joins = (
        "JOIN complaint_point p ON p.inquiry_id = i.inquiry_id LEFT JOIN theme_tree th ON th.code = p.theme_code "
        if with_points
        else ""
    )
    params: list[object] = []
    level_cols, level_join = "NULL::VARCHAR AS unit_id, NULL::VARCHAR AS unit_name", ""
    if by_unit:
        level_sql, params = unit_level_sql(con, effective_level(con, f), f.municipalities)
        level_cols = "lv.level_id AS unit_id, lv.level_name AS unit_name"
        level_join = f"LEFT JOIN ({level_sql}) lv ON lv.unit_id = {unit_expr} "
    where: list[str] = []
    if f.municipalities:
        where.append("list_contains(?::VARCHAR[], i.municipality_code)")
        params.append(list(f.municipalities))
    if span:
        where.append("i.received BETWEEN ? AND ?")
        params += [span.start, span.end]
    if f.sectors:
        where.append("list_contains(?::VARCHAR[], ut.sector_code)")
        params.append(list(f.sectors))
    if f.unit_id:
        where.append(f"list_contains(?::VARCHAR[], {unit_expr})")
        params.append(descendants(con, f.unit_id))
    if f.main_theme:
        where.append("th.main_code = ?")
        params.append(f.main_theme)
    if f.sub_theme:
        where.append("p.theme_code = ?")
        params.append(f.sub_theme)
    if f.kinds:
        where.append("list_contains(?::VARCHAR[], i.kind_code)")
        params.append(list(f.kinds))
    if f.outcomes:
        where.append("list_contains(?::VARCHAR[], i.outcome_code)")
        params.append(list(f.outcomes))
    sql = (
        "SELECT i.inquiry_id, i.municipality_code, i.received, i.kind_code, "  # noqa: S608 (fragments are fixed text; values are parameters)
        "coalesce(k.is_complaint, false) AS is_complaint, i.outcome_code, i.case_type_code, "
        f"i.legal_effect_code, i.provenance, {level_cols}, ut.sector_code, "
        f"ut.top_id AS department_id, ut.top_name AS department_name, {point_cols}, {unit_expr} AS leaf_unit_id "
        "FROM inquiry i "
        f"{joins}"
        f"LEFT JOIN unit_tree ut ON ut.unit_id = {unit_expr} "
        f"{level_join}"
        "LEFT JOIN category k ON k.kind = 'inquiry_kind' AND k.code = i.kind_code "
        + ("WHERE " + " AND ".join(where) if where else "")
    )
    return sql, params
