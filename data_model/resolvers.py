"""Resolving the names in an advisor's sheet to one municipality's units, themes, categories
and report periods, including units' former names (a rename ends the old unit and starts a new
one, ``data_model.editing.rename_unit``)."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import duckdb

from data_model.matching import NameIndex, normalise, slug

DEFAULT_SECTOR = "tvaergaaende"

# Common words for categories beyond their labels and codes; only codes that exist are used.
CATEGORY_SYNONYMS: dict[str, dict[str, str]] = {
    "inquiry_kind": {
        "klager": "klage",
        "råd og vejledning": "vejledning",
        "rådgivning": "vejledning",
        "vejledning": "vejledning",
        "intern": "intern",
        "oplæg": "intern",
        "egen drift": "egen_drift",
        "eget initiativ": "egen_drift",
    },
    "channel": {
        "tlf": "telefon",
        "e mail": "mail",
        "email": "mail",
        "mail": "mail",
        "digital post": "mail",
        "møde": "moede",
        "personligt": "moede",
        "personligt fremmøde": "moede",
    },
    "appeal_outcome": {
        "stadfæstelse": "stadfaestet",
        "stadfæstet": "stadfaestet",
        "ændret": "aendret_ophaevet",
        "ændring": "aendret_ophaevet",
        "ophævet": "aendret_ophaevet",
        "ophævelse": "aendret_ophaevet",
        "hjemvisning": "hjemvist",
        "afvisning": "afvist",
        "henvist": "afvist",
        "afvist": "afvist",
    },
    "law_area": {
        "børn handicap": "boern_handicap",
        "handicap børn": "boern_handicap",
        "voksen handicap": "voksen_handicap",
        "handicap voksne": "voksen_handicap",
        "socialområdet": "social_generelt",
        "det sociale område": "social_generelt",
        "det generelle socialområde": "social_generelt",
        "hele socialområdet": "social_generelt",
        "børnehandicapområdet": "boern_handicap",
        "børn og unge med handicap": "boern_handicap",
        "voksenhandicapområdet": "voksen_handicap",
        "voksne med handicap": "voksen_handicap",
    },
    "legal_effect": {
        "ved ikke": "ukendt",
        "nej": "ingen",
        "processuelt": "processuel",
        "materielt": "materiel",
    },
    "follow_up_status": {
        "gennemført": "implementeret",
        "færdig": "implementeret",
        "igang": "i_gang",
        "påbegyndt": "i_gang",
        "delvis": "delvist",
        "ikke startet": "ikke_paabegyndt",
    },
}


@dataclass(frozen=True)
class Resolution:
    code: str | None
    status: str  # 'ok', 'unknown', 'ambiguous', 'not_under'
    candidates: tuple[str, ...] = ()  # names shown for 'ambiguous' and as nearest for 'unknown'


@dataclass
class _Unit:
    unit_id: str
    name: str
    parent_id: str | None
    level: str
    sector_code: str
    valid_from: date | None
    valid_to: date | None


class UnitResolver:
    """A municipality's units by name at any level, with former names; ``create`` adds the
    missing ones of a path under the parent the sheet names."""

    def __init__(self, con: duckdb.DuckDBPyConnection, municipality: str) -> None:
        self.municipality = municipality
        self.units: dict[str, _Unit] = {
            str(r[0]): _Unit(str(r[0]), str(r[1]), r[2], str(r[3]), str(r[4]), r[5], r[6])
            for r in con.execute(
                "SELECT unit_id, name, parent_id, level, sector_code, valid_from, valid_to FROM org_unit "
                "WHERE municipality_code = ?",
                [municipality],
            ).fetchall()
        }
        self.taken = {str(r[0]) for r in con.execute("SELECT unit_id FROM org_unit").fetchall()}
        self.created: list[dict[str, Any]] = []
        self._build()

    def _build(self) -> None:
        successor: dict[str, str] = {}
        for unit in self.units.values():
            if unit.valid_to is None:
                continue
            for other in self.units.values():
                if (
                    other.unit_id.startswith(unit.unit_id + "-")
                    and other.valid_from == unit.valid_to + timedelta(days=1)
                    and other.parent_id == unit.parent_id
                ):
                    successor[unit.unit_id] = other.unit_id
        self.head: dict[str, str] = {}
        for unit_id in self.units:
            current, seen = unit_id, {unit_id}
            while current in successor and successor[current] not in seen:
                current = successor[current]
                seen.add(current)
            self.head[unit_id] = current
        self.members: dict[str, list[str]] = {}
        for unit_id, head in self.head.items():
            self.members.setdefault(head, []).append(unit_id)
        self.index = NameIndex()
        for unit_id, unit in self.units.items():
            self.index.add(self.head[unit_id], unit.name, show=False)
            self.index.add(self.head[unit_id], unit_id, show=False, loose=False)
        for head in self.members:
            self.index.shown[head] = self.path_name(head)
        self._memo: dict[tuple[str, ...], Resolution] = {}

    def names(self, unit_id: str) -> set[str]:
        """Normalised current and former names of a unit's lineage."""
        return {normalise(self.units[m].name) for m in self.members[self.head[unit_id]]}

    def path_name(self, unit_id: str) -> str:
        parts, current, seen = [], unit_id, set()
        while current and current in self.units and current not in seen:
            seen.add(current)
            parts.append(self.units[current].name)
            current = self.units[current].parent_id
        return " › ".join(reversed(parts))

    def _ancestor_names(self, unit_id: str) -> set[str]:
        names: set[str] = set()
        current, seen = self.units[unit_id].parent_id, set()
        while current and current in self.units and current not in seen:
            seen.add(current)
            names |= self.names(current)
            current = self.units[current].parent_id
        return names

    def member_at(self, head: str, day: date | None) -> str:
        """The unit of a renamed lineage that was in force on ``day`` (else the current one)."""
        if day is None:
            return head
        for unit_id in self.members[head]:
            unit = self.units[unit_id]
            if (unit.valid_from is None or unit.valid_from <= day) and (
                unit.valid_to is None or day <= unit.valid_to
            ):
                return unit_id
        return head

    def resolve(self, path: list[str], day: date | None = None) -> Resolution:
        """``path``: the names the sheet gives, top level first (forvaltning, område, afdeling)."""
        if not path:
            return Resolution(None, "ok")
        key = tuple(normalise(p) for p in path)
        if key not in self._memo:
            self._memo[key] = self._resolve(path)
        found = self._memo[key]
        return Resolution(self.member_at(found.code, day), "ok") if found.code else found

    def _resolve(self, path: list[str]) -> Resolution:
        heads = self.index.find(path[-1])
        higher = [normalise(p) for p in path[:-1]]
        fitting = sorted(h for h in heads if all(n in self._ancestor_names(h) for n in higher))
        if len(fitting) == 1:
            return Resolution(fitting[0], "ok")
        if len(fitting) > 1:
            return Resolution(None, "ambiguous", tuple(self.path_name(h) for h in fitting))
        if heads:
            return Resolution(None, "not_under", tuple(self.path_name(h) for h in sorted(heads)))
        return Resolution(None, "unknown", tuple(self.index.nearest(path[-1])))

    def create(
        self, path: list[tuple[str, str]], top_sector: Callable[[str], str] | None = None
    ) -> Resolution:
        """Add the missing units of ``path`` ((level, name), top first) under the parent the sheet
        names; a new top unit gets ``top_sector(name)`` (else the cross-cutting sector), a new
        child its parent's sector."""
        parent: str | None = None
        for level, name in path:
            key = normalise(name)
            existing = [
                h
                for h in self.members
                if key in self.names(h)
                and (parent is None or self.units[h].parent_id in self.members.get(parent, [parent]))
            ]
            if parent is None and len(existing) > 1:
                existing = [h for h in existing if self.units[h].parent_id is None]
            if len(existing) == 1:
                parent = existing[0]
                continue
            if len(existing) > 1:
                return Resolution(None, "ambiguous", tuple(self.path_name(h) for h in existing))
            unit_id = self._new_id(name)
            sector = (
                self.units[parent].sector_code if parent else (top_sector or (lambda _: DEFAULT_SECTOR))(name)
            )
            self.units[unit_id] = _Unit(unit_id, name.strip(), parent, level, sector, None, None)
            self.created.append(
                {
                    "unit_id": unit_id,
                    "municipality_code": self.municipality,
                    "name": name.strip(),
                    "level": level,
                    "sector_code": sector,
                    "parent_id": parent,
                }
            )
            self._build()
            parent = unit_id
        return Resolution(parent, "ok")

    def _new_id(self, name: str) -> str:
        base = f"{self.municipality}-{slug(name)}"
        candidate, number = base, 2
        while candidate in self.taken or candidate in self.units:
            candidate, number = f"{base}-{number}", number + 1
        self.taken.add(candidate)
        return candidate


_THEME_PATH = re.compile(r"\s*(?:>|›|:)\s*")


class ThemeResolver:
    """The common themes and the municipality's own, by name or code; 'Hovedtema: Undertema'
    (or '>') names a sub-theme under its main theme."""

    def __init__(self, con: duckdb.DuckDBPyConnection, municipality: str) -> None:
        self.municipality = municipality
        rows = con.execute(
            "SELECT code, name, parent_code FROM theme WHERE municipality_code IS NULL OR municipality_code = ?",
            [municipality],
        ).fetchall()
        self.parent: dict[str, str | None] = {str(c): p for c, _, p in rows}
        self.taken = {str(r[0]) for r in con.execute("SELECT code FROM theme").fetchall()}
        self.index = NameIndex()
        self.created: list[dict[str, Any]] = []
        self._memo: dict[tuple[str, bool], Resolution] = {}
        for code, name, _ in rows:
            self.index.add(str(code), str(name))
            self.index.add(str(code), str(code), show=False, loose=False)

    def resolve(self, text: str, suggest: bool = True) -> Resolution:
        """``suggest=False`` skips the nearest names (difflib), for a quick 'is this one theme?'."""
        key = (normalise(text), suggest)
        if key not in self._memo:
            self._memo[key] = self._resolve(text, suggest)
        return self._memo[key]

    def _resolve(self, text: str, suggest: bool) -> Resolution:
        parts = [p for p in _THEME_PATH.split(text) if p.strip()]
        found = self.index.find(text)
        if not found and len(parts) == 2:
            mains = self.index.find(parts[0])
            found = {c for c in self.index.find(parts[1]) if self.parent.get(c) in mains}
        if len(found) > 1:  # a sub-theme's name shared by two main themes: the main theme decides
            mains_only = {c for c in found if self.parent.get(c) is None}
            found = mains_only if len(mains_only) == 1 else found
        if len(found) == 1:
            return Resolution(next(iter(found)), "ok")
        if found:
            return Resolution(None, "ambiguous", tuple(sorted(self.index.shown.get(c, c) for c in found)))
        return Resolution(
            None, "unknown", tuple(self.index.nearest(parts[-1] if parts else text)) if suggest else ()
        )

    def create(self, text: str) -> Resolution:
        parts = [p.strip() for p in _THEME_PATH.split(text) if p.strip()]
        parent: str | None = None
        if len(parts) >= 2:
            main = self.resolve(parts[0])
            parent = main.code if main.code else self._add(parts[0], None)
            name = parts[-1]
        else:
            name = text.strip()
        return Resolution(self._add(name, parent), "ok")

    def _add(self, name: str, parent: str | None) -> str:
        base = f"{self.municipality}-{slug(name)}"
        code, number = base, 2
        while code in self.taken:
            code, number = f"{base}-{number}", number + 1
        self.taken.add(code)
        self.parent[code] = parent
        self.index.add(code, name)
        self._memo.clear()
        self.created.append(
            {"code": code, "name": name, "parent_code": parent, "municipality_code": self.municipality}
        )
        return code


class CategoryResolver:
    """One kind of category (inquiry_kind, outcome, law_area ...) by label, code or common word."""

    def __init__(self, con: duckdb.DuckDBPyConnection, kind: str) -> None:
        self.kind = kind
        self.index = NameIndex()
        self._memo: dict[str, Resolution] = {}
        rows = con.execute(
            "SELECT code, label FROM category WHERE kind = ? ORDER BY sort_order", [kind]
        ).fetchall()
        codes = {str(c) for c, _ in rows}
        for code, label in rows:
            self.index.add(str(code), str(label))
            self.index.add(str(code), str(code), show=False, loose=False)
        for word, code in CATEGORY_SYNONYMS.get(kind, {}).items():
            if code in codes and not self.index.find(word):
                self.index.add(code, word, show=False, loose=False)

    def resolve(self, text: str) -> Resolution:
        key = normalise(text)
        if key not in self._memo:
            found = self.index.find(text)
            if len(found) == 1:
                self._memo[key] = Resolution(next(iter(found)), "ok")
            elif found:
                self._memo[key] = Resolution(
                    None, "ambiguous", tuple(sorted(self.index.shown.get(c, c) for c in found))
                )
            else:
                self._memo[key] = Resolution(None, "unknown", tuple(self.index.nearest(text)))
        return self._memo[key]


class PeriodResolver:
    """A municipality's report periods by label ('2024', '2024/25') or id."""

    def __init__(self, con: duckdb.DuckDBPyConnection, municipality: str) -> None:
        self.index = NameIndex()
        for period_id, label in con.execute(
            "SELECT period_id, label FROM report_period WHERE municipality_code = ?", [municipality]
        ).fetchall():
            self.index.add(str(period_id), str(label), loose=False)
            self.index.add(str(period_id), str(period_id), show=False, loose=False)

    def resolve(self, text: str) -> Resolution:
        found = self.index.find(text)
        if len(found) == 1:
            return Resolution(next(iter(found)), "ok")
        return Resolution(None, "ambiguous" if found else "unknown", tuple(self.index.nearest(text)))


def answer_choices(con: duckdb.DuckDBPyConnection, municipality: str, target: str) -> dict[str, str]:
    """{code: shown name} a name in her sheet may mean: the municipality's units (by path),
    themes ('Hovedtema › Tema'), its report periods, or a category kind (``target`` 'category:KIND')."""
    if target == "unit":
        resolver = UnitResolver(con, municipality)
        return dict(sorted(((u, resolver.path_name(u)) for u in resolver.units), key=lambda item: item[1]))
    if target == "theme":
        rows = con.execute(
            "SELECT t.code, CASE WHEN t.parent_code IS NULL THEN t.name ELSE p.name || ' › ' || t.name END AS shown "
            "FROM theme t LEFT JOIN theme p ON p.code = t.parent_code "
            "WHERE t.municipality_code IS NULL OR t.municipality_code = ? ORDER BY shown",
            [municipality],
        ).fetchall()
    elif target == "period":
        rows = con.execute(
            "SELECT period_id, label FROM report_period WHERE municipality_code = ? ORDER BY start_date",
            [municipality],
        ).fetchall()
    else:
        rows = con.execute(
            "SELECT code, label FROM category WHERE kind = ? ORDER BY sort_order", [target.split(":", 1)[1]]
        ).fetchall()
    return {str(c): str(n) for c, n in rows}
