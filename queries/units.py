"""The unit hierarchy: descendants of a unit, unit levels and the level a report counts at."""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable
from typing import TYPE_CHECKING, Literal, TypeVar

import duckdb

if TYPE_CHECKING:
    from queries.filters import Filters

Level = Literal["forvaltning", "omraade", "afdeling"]
LEVELS: tuple[Level, ...] = ("forvaltning", "omraade", "afdeling")  # coarse to fine


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


T = TypeVar("T")

# What unit levels and report levels are derived from, as a fingerprint: every row of org_unit,
# the municipalities' names and the units the published figures name. Read on every call, so any
# write (the importer, a form, raw SQL in a test, another process) gives a new key; see
# docs/BENCHMARKS.md "Fixed per-call lookups".
_FINGERPRINT_SQL = (
    "SELECT count(*), sum(h) FROM ("
    "SELECT hash('u', unit_id, parent_id, name, level, municipality_code) AS h FROM org_unit "
    "UNION ALL SELECT hash('m', code, name) FROM municipality "
    "UNION ALL SELECT hash('p', municipality_code, unit_id) FROM published_figure WHERE unit_id IS NOT NULL)"
)
_MEMO: dict[tuple[object, ...], object] = {}
_MEMO_LOCK = threading.Lock()
_MEMO_ENTRIES = 256


def units_key(con: duckdb.DuckDBPyConnection) -> tuple[object, ...]:
    """The fingerprint of the unit metadata in ``con``'s database as it is now (one statement)."""
    row = con.execute(_FINGERPRINT_SQL).fetchall()[0]
    return (int(row[0]), int(row[1] or 0))


def _memoised(key: tuple[object, ...], compute: Callable[[], T]) -> T:
    """``compute()``, remembered under ``key`` (which holds the fingerprint of what it reads)."""
    with _MEMO_LOCK:
        if key in _MEMO:
            return _MEMO[key]  # type: ignore[return-value]
    value = compute()
    with _MEMO_LOCK:
        if len(_MEMO) >= _MEMO_ENTRIES:
            _MEMO.clear()
        _MEMO[key] = value
    return value


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


def report_levels(con: duckdb.DuckDBPyConnection, key: tuple[object, ...] | None = None) -> dict[str, Level]:
    """Per municipality, the unit level its printed report counts at.

    Read from the published figures: the level at which the most of the units the report prints
    figures for are rows of their own (a printed unit is a row at a level when it counts under
    itself there and nothing of it is split off below); on a tie the coarser level. A municipality
    without printed unit figures gets ``DEFAULT_LEVEL``. Memoised on ``units_key`` (``key``: one
    the caller has just read).
    """
    key = key or units_key(con)
    return dict(_memoised(("report_levels", *key), lambda: _report_levels(con)))


def _report_levels(con: duckdb.DuckDBPyConnection) -> dict[str, Level]:
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


def effective_level(
    con: duckdb.DuckDBPyConnection, f: Filters, key: tuple[object, ...] | None = None
) -> Level:
    """The filter's unit level, or the level the (first) municipality's report uses."""
    if f.level:
        return f.level
    if not f.municipality:
        return "forvaltning"
    return report_levels(con, key).get(f.municipality, DEFAULT_LEVEL)


def unit_levels(
    con: duckdb.DuckDBPyConnection,
    level: str,
    municipalities: tuple[str, ...] = (),
    key: tuple[object, ...] | None = None,
) -> dict[str, tuple[str, str]]:
    """unit_id -> (the unit it counts under at ``level``, that unit's label), for the units of
    ``municipalities`` (empty = all).

    Labels never collide within the selection: a unit counted at a finer level than its own says
    so ('Arbejdsmarked og Borgerservice (forvaltningen generelt)'); two units with the same name
    get their parent's name in front; the same name in two municipalities gets the municipality.
    Memoised on ``units_key``.
    """
    key = key or units_key(con)
    return dict(
        _memoised(
            ("unit_levels", level, municipalities, *key), lambda: _unit_levels(con, level, municipalities)
        )
    )


def _unit_levels(
    con: duckdb.DuckDBPyConnection, level: str, municipalities: tuple[str, ...]
) -> dict[str, tuple[str, str]]:
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


def level_sql(con: duckdb.DuckDBPyConnection, f: Filters) -> tuple[str, list[object]]:
    """``unit_levels`` at the filter's level (``effective_level``) as a relation: unit_id,
    level_id, level_name (the mapping travels as ? list parameters); one read of the key."""
    key = units_key(con)
    return _level_relation(effective_level(con, f, key), f.municipalities, key, con)


def _level_relation(
    level: str, municipalities: tuple[str, ...], key: tuple[object, ...], con: duckdb.DuckDBPyConnection
) -> tuple[str, list[object]]:
    def lists() -> tuple[list[str], list[str], list[str]]:
        mapping = unit_levels(con, level, municipalities, key)
        return list(mapping), [t for t, _ in mapping.values()], [label for _, label in mapping.values()]

    units, targets, labels = _memoised(("level_lists", level, municipalities, *key), lists)
    return (
        "SELECT unnest(?::VARCHAR[]) AS unit_id, unnest(?::VARCHAR[]) AS level_id, "
        "unnest(?::VARCHAR[]) AS level_name",
        [list(units), list(targets), list(labels)],
    )
