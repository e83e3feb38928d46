"""The advisor's own registration sheets: her headings, names instead of codes, no ids.

A translation layer in front of the validated import: the sheet is read (``readers``), its
columns and names are mapped to the canonical records (``sheet_mapping``, ``resolvers``),
every record is validated by the same models, and only when nothing is unresolved and no row
has a problem is everything written in one transaction with the importer's own upsert, audit
and import log. Ids are derived from each row's content, so the same sheet, or next month's
sheet that repeats this month's rows, adds nothing twice.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

import duckdb
import polars as pl

from data_model import denmark
from data_model.importer import (
    LOCAL_ACTOR,
    FieldChange,
    ImportReport,
    Problem,
    audit,
    database_failure,
    field_changes,
    merge_stored,
    stored_rows,
    validate_rows,
)
from data_model.kinds import KINDS
from data_model.labels import REASONS, field_label
from data_model.landing import Refused, land, one_transaction
from data_model.matching import normalise, split_cell
from data_model.models import Record
from data_model.parsing import is_blank, looks_like_cpr, parse_bool, parse_date
from data_model.readers import UnreadableFile, read_table
from data_model.resolvers import CategoryResolver, PeriodResolver, Resolution, ThemeResolver, UnitResolver
from data_model.setup import guess_sector
from data_model.sheet_mapping import (
    FORMER_NAMES,
    IGNORE,
    ORG_ROLES,
    ROLES,
    TARGET_WORDS,
    SheetMapping,
    load_mapping,
    recognise,
    role,
    save_mapping,
)


@dataclass
class Unresolved:
    """One name in the sheet that matches nothing (or several things), with where it occurs."""

    target: str
    column: str
    value: str
    rows: list[int]
    status: str
    candidates: list[str]

    def as_text(self) -> str:
        rows = ", ".join(map(str, self.rows[:10])) + (" …" if len(self.rows) > 10 else "")
        where = f"Kolonne {self.column}, {'række' if len(self.rows) == 1 else 'rækker'} {rows}"
        what = TARGET_WORDS.get(self.target, self.target)
        names = "; ".join(self.candidates)
        if self.status == "ambiguous":
            return f"{where}: flere passer på {what} '{self.value}' ({names}). Angiv det overordnede niveau, eller vælg i oversættelsen."
        if self.status == "not_under":
            return (
                f"{where}: {what} '{self.value}' findes ikke under det angivne niveau (findes som {names})."
            )
        nearest = f" Nærmeste kendte: {names}." if names else ""
        return f"{where}: ukendt {what} '{self.value}'.{nearest}"


@dataclass
class SheetReport:
    kind: str
    file_name: str
    municipality: str
    rows: int = 0
    columns: dict[str, str] = field(default_factory=dict)  # heading -> role key or IGNORE
    unknown_columns: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    unresolved: list[Unresolved] = field(default_factory=list)
    created_units: list[str] = field(default_factory=list)
    created_themes: list[str] = field(default_factory=list)
    written: list[tuple[str, ImportReport]] = field(default_factory=list)  # (Danish kind, counts)
    mapping: SheetMapping | None = None
    # (Danish kind, a stored value replaced or cleared, or a complaint point removed)
    changes: list[tuple[str, FieldChange]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not (self.problems or self.unresolved or self.unknown_columns)

    def lines(self) -> list[str]:
        """Every reason nothing was imported, in Danish, columns first."""
        known = ", ".join(r.label for r in ROLES[self.kind])
        lines = [
            f"Kolonne '{_masked(h)}' kendes ikke. Angiv i oversættelsen, hvad den indeholder ({known}), eller at den skal ignoreres."
            for h in self.unknown_columns
        ]
        lines += [p.as_text() for p in self.problems]
        lines += [u.as_text() for u in self.unresolved]
        return lines

    def summary(self) -> str:
        if not self.ok:
            count = len(self.unknown_columns) + len(self.problems) + len(self.unresolved)
            return (
                f"{self.file_name}: intet importeret. {count} forhold skal afklares ({self.rows} række(r))."
            )
        parts = [
            f"{label}: {r.new} nye, {r.changed} ændrede, {r.unchanged} uændrede" for label, r in self.written
        ]
        created = ""
        if self.created_units or self.created_themes:
            created = f" Oprettet: {len(self.created_units)} enhed(er), {len(self.created_themes)} tema(er)."
        changed = f" {len(self.changes)} gemt(e) værdi(er) ændret eller tømt." if self.changes else ""
        return (
            f"{self.file_name}: {self.rows} række(r) importeret. "
            + "; ".join(parts)
            + "."
            + changed
            + created
        )

    def change_lines(self) -> list[str]:
        """Every stored value the sheet replaces or clears, and every complaint point it removes,
        old → new (shown in the preview before anything is written)."""
        return [f"{label}, {change.as_text()}" for label, change in self.changes]

    def changes_frame(self) -> pl.DataFrame:
        """The same as a table for the Data page: the importer's columns, and what kind of record."""
        frame = ImportReport(self.kind, self.file_name, changes=[c for _, c in self.changes]).changes_frame()
        return frame.insert_column(0, pl.Series("Type", [label for label, _ in self.changes], pl.Utf8))


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


_LETTERS = "abcdefghijklmnopqrstuvwxyz"


def derived_id(municipality: str, prefix: str, parts: list[str]) -> str:
    """A stable id from content: letters only, so it can never look like a CPR number."""
    digest = int.from_bytes(hashlib.sha256("\x1f".join([municipality, *parts]).encode()).digest()[:10], "big")
    letters = []
    for _ in range(14):
        digest, rest = divmod(digest, 26)
        letters.append(_LETTERS[rest])
    return f"{municipality}-{prefix}-{''.join(letters)}"


def _day_key(value: Any) -> str:
    try:
        day = parse_date(value)
    except ValueError:
        return normalise(value)
    return day.isoformat() if day else ""


def _masked(text: str) -> str:
    """Never echo something shaped like a CPR number, not even a heading."""
    return re.sub(r"\d", "•", text) if looks_like_cpr(text) else text


@dataclass
class _Row:
    number: int
    cells: dict[str, Any]  # role key -> raw cell
    headers: dict[str, str]  # role key -> heading as written

    def text(self, key: str) -> str:
        return _cell_text(self.cells.get(key))

    def day(self, key: str) -> date | None:
        try:
            return parse_date(self.cells.get(key))
        except ValueError:
            return None


class _Translator:
    """Shared machinery: resolution with unresolved names gathered, CPR guard on names."""

    def __init__(
        self,
        con: duckdb.DuckDBPyConnection,
        report: SheetReport,
        mapping: SheetMapping,
        *,
        create_missing: bool,
    ) -> None:
        self.con = con
        self.report = report
        self.mapping = mapping
        self.create_missing = create_missing
        self.municipality = report.municipality
        self.units = UnitResolver(con, self.municipality)
        self.themes = ThemeResolver(con, self.municipality)
        self.periods = PeriodResolver(con, self.municipality)
        self._categories: dict[str, CategoryResolver] = {}
        self._unresolved: dict[tuple[str, str], Unresolved] = {}
        self.used: dict[str, dict[str, str]] = {}  # target -> {her name: code} for the saved mapping

    def _category_resolver(self, kind: str) -> CategoryResolver:
        if kind not in self._categories:
            self._categories[kind] = CategoryResolver(self.con, kind)
        return self._categories[kind]

    def _miss(self, target: str, row: _Row, key: str, value: str, resolution: Resolution) -> None:
        entry = self._unresolved.setdefault(
            (target, normalise(value)),
            Unresolved(
                target, row.headers.get(key, key), value, [], resolution.status, list(resolution.candidates)
            ),
        )
        if row.number not in entry.rows:
            entry.rows.append(row.number)

    def _cpr(self, row: _Row, key: str, value: str) -> bool:
        if looks_like_cpr(value):
            self.report.problems.append(Problem(row.number, row.headers.get(key, key), "", REASONS["cpr"]))
            return True
        return False

    def _explicit(self, target: str, value: str, valid: Callable[[str], bool]) -> str | None:
        code = self.mapping.value(target, value)
        if code and valid(code):
            self.used.setdefault(target, {})[value] = code
            return code
        return None

    def category(self, row: _Row, key: str) -> str | None:
        value = row.text(key)
        if not value or self._cpr(row, key, value):
            return None
        target = role(self.report.kind, key).target or ""
        kind = target.split(":", 1)[1]
        resolver = self._category_resolver(kind)
        if code := self._explicit(
            target, value, lambda c: c in resolver.index.shown or bool(resolver.index.find(c))
        ):
            return code
        found = resolver.resolve(value)
        if found.code is None:
            self._miss(target, row, key, value, found)
            return value  # a placeholder so validation does not report it a second time
        return found.code

    def categories(self, row: _Row, key: str) -> list[str]:
        value = row.text(key)
        codes: list[str] = []
        for part in [value] if self._whole(row, key, value) else split_cell(value):
            single = _Row(row.number, {key: part}, row.headers)
            if (code := self.category(single, key)) is not None and code not in codes:
                codes.append(code)
        return codes

    def _whole(self, row: _Row, key: str, value: str) -> bool:
        target = role(self.report.kind, key).target or ""
        kind = target.split(":", 1)[1]
        resolver = self._category_resolver(kind)
        return bool(resolver.resolve(value).code or self.mapping.value(target, value))

    def theme_codes(self, row: _Row, key: str = "themes") -> list[str]:
        value = row.text(key)
        if not value:
            return []
        whole = self.themes.resolve(value, suggest=False)
        parts = [value] if whole.code or self.mapping.value("theme", value) else split_cell(value)
        codes: list[str] = []
        for part in parts:
            if self._cpr(row, key, part):
                continue
            code = self._explicit("theme", part, lambda c: c in self.themes.parent)
            if code is None:
                found = self.themes.resolve(part)
                if found.code is None and self.create_missing and found.status == "unknown":
                    found = self.themes.create(part)
                    self.report.created_themes.append(part)
                if found.code is None:
                    self._miss("theme", row, key, part, found)
                    continue
                code = found.code
            if code not in codes:
                codes.append(code)
        return codes

    def unit(self, row: _Row, path: list[tuple[str, str]], day: date | None, key: str) -> str | None:
        """``path``: (role key, name) for the organisation cells given, top first."""
        if not path:
            return None
        if any(self._cpr(row, k, v) for k, v in path):
            return None
        shown = " > ".join(v for _, v in path)
        known: Callable[[str], bool] = lambda c: c in self.units.units  # noqa: E731
        if code := self._explicit("unit", shown, known):
            return code
        found = self.units.resolve([v for _, v in path], day)
        if found.code is None and len(path) > 1 and (code := self._explicit("unit", path[-1][1], known)):
            return code  # her choice for the name alone, when the full path says no more
        if found.code is None and self.create_missing and found.status in ("unknown", "not_under"):
            before = len(self.units.created)
            found = self.units.create([(k, v) for k, v in path], guess_sector)
            self.report.created_units += [u["name"] for u in self.units.created[before:]]
        if found.code is None:
            self._miss("unit", row, key, shown, found)
        return found.code

    def org_path(self, row: _Row, roles: tuple[str, ...] = ORG_ROLES) -> tuple[list[tuple[str, str]], str]:
        path = [(k, row.text(k)) for k in roles if row.text(k)]
        return path, (path[-1][0] if path else "")

    def period(self, row: _Row, key: str) -> str | None:
        value = row.text(key)
        if not value:
            return None
        code = self._explicit("period", value, lambda c: bool(self.periods.index.find(c)))
        if code:
            return code
        found = self.periods.resolve(value)
        if found.code is None:
            self._miss("period", row, key, value, found)
        return found.code

    def finish(self) -> None:
        self.report.unresolved = sorted(self._unresolved.values(), key=lambda u: (u.rows[0], u.column))


@dataclass
class _Batch:
    """Canonical records of one kind, with the sheet row each came from."""

    kind: str
    rows: list[dict[str, Any]] = field(default_factory=list)
    numbers: list[int] = field(default_factory=list)
    labels: dict[str, str] = field(default_factory=dict)  # field -> her heading, for problems

    def add(self, row: dict[str, Any], number: int) -> None:
        self.rows.append(row)
        self.numbers.append(number)


def _occurrences(identities: list[tuple[str, ...]]) -> list[int]:
    seen: Counter[tuple[str, ...]] = Counter()
    result = []
    for identity in identities:
        result.append(seen[identity])
        seen[identity] += 1
    return result


def _labels(row: _Row, pairs: dict[str, str]) -> dict[str, str]:
    """Model field -> her heading (so problems name the column she sees)."""
    return {f: row.headers[k] for f, k in pairs.items() if k in row.headers}


# --- per kind: her rows -> canonical records ------------------------------------------------------
def _identities(
    t: _Translator, rows: list[_Row], day: str, values: list[tuple[str | None, ...]]
) -> list[tuple[str, ...]]:
    """What makes a row the same row next month: her own number when the sheet has one, else
    the date, what it resolved to (unit, kind ...: so adding a Forvaltning column or writing
    'klage' for 'Klage' changes nothing) and the text she writes when she registers it; never
    what is filled in later, such as the outcome or the closing date. A sheet without a column
    the id hashes (Resumé, the organisation) finds its stored records by ``_known_without``."""
    identities: list[tuple[str, ...]] = []
    for row, parts in zip(rows, values, strict=True):
        if row.text("ref"):
            t._cpr(row, "ref", row.text("ref"))  # her own number must not be a CPR number either
            identities.append((row.text("ref"),))
        else:
            identities.append((_day_key(row.cells.get(day)), *[p or "" for p in parts]))
    return identities


# What a sheet without one of the hashed columns can still match a stored record by.
_STORED_IDENTITY = {
    "inquiry": "SELECT inquiry_id, received, kind_code, unit_id FROM inquiry "
    "WHERE starts_with(inquiry_id, ?) ORDER BY inquiry_id",
    "appeal_decision": "SELECT decision_id, decided, law_area_code, outcome_code FROM appeal_decision "
    "WHERE starts_with(decision_id, ?) ORDER BY decision_id",
    "follow_up": "SELECT follow_up_id, recommendation_id, date FROM follow_up "
    "WHERE starts_with(follow_up_id, ?) ORDER BY follow_up_id",
}


def _known_without(
    t: _Translator,
    table: str,
    id_column: str,
    prefix: str,
    match: dict[str, list[Any]],
    rows: list[_Row],
    missing: str,
) -> dict[int, str]:
    """Row number -> stored id, for a sheet without a column the derived id hashes (Resumé,
    the organisation, the follow-up text): such a sheet finds the record it registered earlier by
    the columns it still has (``match``: stored column -> the row's value), when exactly one
    stored record and exactly one row have them. More than one is refused: which is which cannot
    be told, and guessing would move one record's outcome onto another."""
    if not rows:
        return {}
    columns = list(match)
    cursor = t.con.execute(_STORED_IDENTITY[table], [f"{t.municipality}-{prefix}-"])
    names = [d[0] for d in cursor.description]
    stored: dict[tuple[str, ...], list[str]] = {}
    for values in cursor.fetchall():
        found = dict(zip(names, values, strict=True))
        stored.setdefault(tuple(_key_part(found[c]) for c in columns), []).append(found[id_column])
    groups: dict[tuple[str, ...], list[_Row]] = {}
    for i, row in enumerate(rows):
        groups.setdefault(tuple(_key_part(match[c][i]) for c in columns), []).append(row)
    known: dict[int, str] = {}
    for key, group in groups.items():
        candidates = stored.get(key, [])
        if len(candidates) == 1 and len(group) == 1:
            known[group[0].number] = candidates[0]
        elif candidates:
            for row in group:
                t.report.problems.append(
                    Problem(
                        row.number,
                        "",
                        "",
                        f"Arket har ingen kolonne {missing}, og {len(candidates)} indlæste poster svarer til "
                        f"rækken; det kan ikke afgøres, hvilken den er. Tilføj kolonnen {missing} eller et "
                        "eget løbenummer",
                    )
                )
    return known


def _key_part(value: Any) -> str:
    """A stored value or a row's (dates parsed already) as a comparable text."""
    if isinstance(value, date | datetime):
        return (value.date() if isinstance(value, datetime) else value).isoformat()
    return "" if value is None else str(value)


def _missing(row: _Row, needed: dict[str, tuple[str, ...]]) -> list[str]:
    """Her words for the identity columns the sheet lacks (``needed``: word -> role keys)."""
    return [word for word, keys in needed.items() if not any(k in row.headers for k in keys)]


def _inquiries(t: _Translator, rows: list[_Row]) -> list[_Batch]:
    inquiries, points = _Batch("inquiries"), _Batch("complaint_points")
    resolved: list[tuple[dict[str, Any], list[str]]] = []
    for row in rows:
        path, leaf = t.org_path(row)
        record = {
            "municipality_code": t.municipality,
            "received": row.cells.get("received"),
            "kind_code": t.category(row, "kind"),
            "closed": row.cells.get("closed"),
            "unit_id": t.unit(row, path, row.day("received"), leaf),
            "case_type_code": t.category(row, "case_type"),
            "channel_code": t.category(row, "channel"),
            "outcome_code": t.category(row, "outcome"),
            "legal_effect_code": t.category(row, "legal_effect"),
            "summary": row.cells.get("summary"),
            "provenance": "imported",
        }
        resolved.append((record, t.theme_codes(row)))
        inquiries.labels |= _labels(
            row,
            {
                "received": "received",
                "closed": "closed",
                "kind_code": "kind",
                "case_type_code": "case_type",
                "channel_code": "channel",
                "outcome_code": "outcome",
                "legal_effect_code": "legal_effect",
                "summary": "summary",
            },
        )
        points.labels |= _labels(row, {"theme_code": "themes"})
    identities = _identities(
        t,
        rows,
        "received",
        [(r["unit_id"], r["kind_code"], normalise(_cell_text(r["summary"]))) for r, _ in resolved],
    )
    known: dict[int, str] = {}
    if rows and (missing := _missing(rows[0], {"Resumé": ("summary",), "Forvaltning/Afdeling": ORG_ROLES})):
        own = [(row, r) for row, (r, _) in zip(rows, resolved, strict=True) if not row.text("ref")]
        match = {
            "received": [row.day("received") for row, _ in own],
            "kind_code": [r["kind_code"] for _, r in own],
        }
        if "Forvaltning/Afdeling" not in missing:
            match["unit_id"] = [r["unit_id"] for _, r in own]
        known = _known_without(
            t, "inquiry", "inquiry_id", "ark", match, [w for w, _ in own], " og ".join(missing)
        )
    for row, (record, themes), identity, occurrence in zip(
        rows, resolved, identities, _occurrences(identities), strict=True
    ):
        inquiry_id = known.get(row.number) or derived_id(t.municipality, "ark", [*identity, str(occurrence)])
        inquiries.add({"inquiry_id": inquiry_id, **record}, row.number)
        for code in themes:
            point = {"point_id": f"{inquiry_id}-{code}", "inquiry_id": inquiry_id, "theme_code": code}
            points.add(point | {"unit_id": record["unit_id"]}, row.number)
    return [inquiries, points]


def _appeal_decisions(t: _Translator, rows: list[_Row]) -> list[_Batch]:
    decisions = _Batch("appeal_decisions")
    records: list[dict[str, Any]] = []
    for row in rows:
        path, leaf = t.org_path(row)
        records.append(
            {
                "municipality_code": t.municipality,
                "law_area_code": t.category(row, "law_area"),
                "decided": row.cells.get("decided"),
                "outcome_code": t.category(row, "outcome"),
                "unit_id": t.unit(row, path, row.day("decided"), leaf),
                "remark_codes": t.categories(row, "remarks"),
                "provenance": "imported",
            }
        )
        decisions.labels |= _labels(
            row,
            {
                "decided": "decided",
                "law_area_code": "law_area",
                "outcome_code": "outcome",
                "remark_codes": "remarks",
            },
        )
    identities = _identities(
        t, rows, "decided", [(r["law_area_code"], r["outcome_code"], r["unit_id"]) for r in records]
    )
    known: dict[int, str] = {}
    if rows and _missing(rows[0], {"Forvaltning/Afdeling": ORG_ROLES}):
        own = [(row, r) for row, r in zip(rows, records, strict=True) if not row.text("ref")]
        match = {
            "decided": [row.day("decided") for row, _ in own],
            "law_area_code": [r["law_area_code"] for _, r in own],
            "outcome_code": [r["outcome_code"] for _, r in own],
        }
        known = _known_without(
            t, "appeal_decision", "decision_id", "ank", match, [w for w, _ in own], "Forvaltning/Afdeling"
        )
    for row, record, identity, occurrence in zip(
        rows, records, identities, _occurrences(identities), strict=True
    ):
        decision_id = known.get(row.number) or derived_id(t.municipality, "ank", [*identity, str(occurrence)])
        decisions.add({"decision_id": decision_id, **record}, row.number)
    return [decisions]


def _recommendations(t: _Translator, rows: list[_Row]) -> list[_Batch]:
    """One row per recommendation, or several rows (one per follow-up) with the same date and
    title: they are one recommendation with several follow-ups."""
    recommendations, follow_ups = _Batch("recommendations"), _Batch("follow_ups")
    by_id: dict[str, dict[str, Any]] = {}
    fu_identities: list[tuple[str, ...]] = []
    fu_rows: list[tuple[_Row, str]] = []
    for row in rows:
        identity = (
            (row.text("ref"),)
            if row.text("ref")
            else (_day_key(row.cells.get("made_on")), normalise(row.text("title")))
        )
        rec_id = derived_id(t.municipality, "anb", list(identity))
        targets: list[str] = []
        departments = split_cell(row.text("forvaltning"))
        sections = split_cell(row.text("afdeling"))
        if sections:
            above = departments if len(departments) == 1 else []
            for name in sections:
                key = "afdeling"
                path = [("forvaltning", above[0])] if above else []
                if code := t.unit(row, [*path, ("afdeling", name)], row.day("made_on"), key):
                    targets.append(code)
        else:
            for name in departments:
                if code := t.unit(row, [("forvaltning", name)], row.day("made_on"), "forvaltning"):
                    targets.append(code)
        themes = t.theme_codes(row)
        whole_text = row.text("whole")
        try:
            whole = bool(parse_bool(whole_text)) if whole_text else False
        except ValueError:
            whole = False
            t.report.problems.append(
                Problem(row.number, row.headers.get("whole", "whole"), whole_text, REASONS["not_bool"])
            )
        record = by_id.get(rec_id)
        if record is None:
            record = {
                "recommendation_id": rec_id,
                "municipality_code": t.municipality,
                "made_on": row.cells.get("made_on"),
                "title": row.cells.get("title"),
                "text": row.cells.get("text"),
                "period_id": t.period(row, "period"),
                "due_on": row.cells.get("due_on"),
                "target_unit_ids": [],
                "theme_codes": [],
                "whole_municipality": whole,
            }
            by_id[rec_id] = record
            recommendations.add(record, row.number)
        record["target_unit_ids"] += [u for u in targets if u not in record["target_unit_ids"]]
        record["theme_codes"] += [c for c in themes if c not in record["theme_codes"]]
        record["whole_municipality"] = record["whole_municipality"] or whole
        for key, column in (("text", "text"), ("due_on", "due_on")):
            if is_blank(record[column]) and not is_blank(row.cells.get(key)):
                record[column] = row.cells.get(key)
        recommendations.labels |= _labels(
            row,
            {
                "made_on": "made_on",
                "title": "title",
                "text": "text",
                "due_on": "due_on",
                "period_id": "period",
            },
        )
        if any(row.text(k) for k in ("fu_date", "fu_status", "fu_text")):
            fu_identities.append((rec_id, _day_key(row.cells.get("fu_date")), normalise(row.text("fu_text"))))
            fu_rows.append((row, rec_id))
    known: dict[int, str] = {}
    if fu_rows and _missing(fu_rows[0][0], {"Opfølgning": ("fu_text",)}):
        match = {
            "recommendation_id": [rec_id for _, rec_id in fu_rows],
            "date": [row.day("fu_date") for row, _ in fu_rows],
        }
        known = _known_without(
            t, "follow_up", "follow_up_id", "opf", match, [row for row, _ in fu_rows], "Opfølgning"
        )
    for (row, rec_id), identity, occurrence in zip(
        fu_rows, fu_identities, _occurrences(fu_identities), strict=True
    ):
        status = t.category(row, "fu_status") if row.text("fu_status") else "ukendt"
        follow_ups.add(
            {
                "follow_up_id": known.get(row.number)
                or derived_id(t.municipality, "opf", [*identity, str(occurrence)]),
                "recommendation_id": rec_id,
                "date": row.cells.get("fu_date"),
                "status_code": status,
                "text": row.cells.get("fu_text"),
                "source": row.cells.get("fu_source") or "Borgerrådgiverens ark",
            },
            row.number,
        )
        follow_ups.labels |= _labels(row, {"date": "fu_date", "status_code": "fu_status", "text": "fu_text"})
    return [recommendations, follow_ups]


_BUILDERS: dict[str, Callable[[_Translator, list[_Row]], list[_Batch]]] = {
    "inquiries": _inquiries,
    "appeal_decisions": _appeal_decisions,
    "recommendations": _recommendations,
}
_KIND_WORDS = {
    "inquiries": "Henvendelser",
    "complaint_points": "Klagepunkter",
    "appeal_decisions": "Afgørelser",
    "recommendations": "Anbefalinger",
    "follow_ups": "Opfølgninger",
    "org_units": "Enheder",
    "themes": "Temaer",
    "municipalities": "Kommune",
}


# --- the whole import ---------------------------------------------------------------------------
def map_columns(kind: str, headers: list[str], mapping: SheetMapping) -> tuple[dict[str, str], list[str]]:
    """(heading -> role key or IGNORE, headings nobody knows)."""
    columns: dict[str, str] = {}
    unknown: list[str] = []
    for header in headers:
        if is_blank(header):
            continue
        key = mapping.column_role(str(header)) or recognise(kind, str(header))
        if key is None:
            unknown.append(str(header))
        else:
            columns[str(header)] = key
    return columns, unknown


def import_sheet(
    con: duckdb.DuckDBPyConnection,
    path: Path | str,
    kind: str,
    municipality: str,
    *,
    data: bytes | None = None,
    mapping: SheetMapping | None = None,
    create_missing: bool = False,
    dry_run: bool = False,
    actor: str = LOCAL_ACTOR,
    today: date | None = None,
) -> SheetReport:
    """Translate her sheet and, unless ``dry_run`` or anything is unresolved, import it whole.

    ``mapping`` (headings and names she chose, or read from her mapping file) goes on top of the
    mapping saved for this municipality; after a successful import the combined mapping is saved.
    """
    path = Path(path)
    report = SheetReport(kind, path.name, municipality)
    known_municipality = bool(
        con.execute("SELECT count(*) FROM municipality WHERE code = ?", [municipality]).fetchall()[0][0]
    )
    if not known_municipality and municipality not in denmark.municipalities():
        report.problems.append(Problem(None, "Kommune", municipality, REASONS["unknown_municipality"]))
        return report
    former = load_mapping(con, FORMER_NAMES, FORMER_NAMES)  # themes' and categories' old names
    former.kind = kind
    used = former.merged(load_mapping(con, municipality, kind)).merged(mapping)
    report.mapping = used
    try:
        table = read_table(path, data)
    except UnreadableFile as exc:
        report.problems.append(Problem(None, "", "", str(exc)))
        return report
    headers = [str(h) if h is not None else "" for h in table.headers]
    report.columns, report.unknown_columns = map_columns(kind, headers, used)
    for header, key in report.columns.items():
        used.columns.setdefault(header, key)  # the file she keeps lists every column
    for header in report.unknown_columns:
        if not looks_like_cpr(header):
            used.columns.setdefault(header, "")  # written to her mapping file, for her to fill in
    taken = Counter(k for k in report.columns.values() if k != IGNORE)
    for header, key in report.columns.items():
        if taken[key] > 1:
            report.problems.append(
                Problem(
                    1,
                    header,
                    "",
                    f"Flere kolonner betyder '{role(kind, key).label}'; angiv hvilken der gælder",
                )
            )
    present = set(report.columns.values())
    for r in ROLES[kind]:
        if r.required and r.key not in present:
            report.problems.append(Problem(1, r.label, "", REASONS["missing_column"]))
    report.rows = len(table.rows)
    if not table.rows:
        report.problems.append(Problem(None, "", "", REASONS["empty_file"]))
    if not report.ok:
        return report

    position = {h: i for i, h in enumerate(headers)}
    role_headers = {key: header for header, key in report.columns.items() if key != IGNORE}
    rows = [
        _Row(
            table.first_row_number + offset,
            {
                key: cells[position[h]] if position[h] < len(cells) else None
                for key, h in role_headers.items()
            },
            role_headers,
        )
        for offset, cells in enumerate(table.rows)
    ]
    for offset, cells in enumerate(table.rows):
        if any(not is_blank(c) for c in cells[len(headers) :]):
            report.problems.append(Problem(table.first_row_number + offset, "", "", REASONS["extra_cells"]))
    translator = _Translator(con, report, used, create_missing=create_missing)
    batches = _BUILDERS[kind](translator, rows)
    translator.finish()
    report.created_units = sorted(set(report.created_units))
    report.created_themes = sorted(set(report.created_themes))
    # Validation with the stored kinds' own models; problems name her headings and rows.
    validated: list[tuple[_Batch, list[Record], list[int]]] = []
    for batch in batches:
        records, numbers, problems = validate_rows(
            KINDS[batch.kind], batch.rows, batch.numbers, today=today or date.today()
        )
        headings = {field_label(f): h for f, h in batch.labels.items()}
        report.problems += [
            Problem(p.row, headings.get(p.column, p.column), p.value, p.reason) for p in problems
        ]
        validated.append((batch, records, numbers))
    report.problems = _unique(sorted(report.problems, key=lambda p: p.row or 0))
    for target, values in translator.used.items():
        for text, code in values.items():
            used.set_value(target, text, code)
    mapped = {k for k in report.columns.values() if k != IGNORE}
    if report.ok:
        try:
            validated = _keep_absent(con, report, validated, mapped, today or date.today())
            report.changes = [] if not report.ok else _changes(con, validated, mapped)
        except duckdb.Error as exc:
            report.problems.append(Problem(None, "", "", database_failure(exc)))
    if not report.ok or dry_run:
        return report
    try:
        _write(con, report, translator, validated, known_municipality, actor, mapped)
    except Refused as exc:
        report.problems += exc.problems
        report.written = []
    except duckdb.Error as exc:
        report.problems.append(Problem(None, "", "", database_failure(exc)))
        report.written = []
    return report


# Fields filled from optional columns: a sheet without any of the column(s) leaves the stored
# value as it is, as the canonical importer does (``merge_stored``); an empty cell clears it.
_SOURCES: dict[str, dict[str, tuple[str, ...]]] = {
    "inquiries": {
        "closed": ("closed",),
        "unit_id": ORG_ROLES,
        "case_type_code": ("case_type",),
        "channel_code": ("channel",),
        "outcome_code": ("outcome",),
        "legal_effect_code": ("legal_effect",),
        "summary": ("summary",),
    },
    "appeal_decisions": {"unit_id": ORG_ROLES, "remark_codes": ("remarks",)},
    "recommendations": {
        "text": ("text",),
        "period_id": ("period",),
        "due_on": ("due_on",),
        "target_unit_ids": ("forvaltning", "afdeling"),
        "theme_codes": ("themes",),
        "whole_municipality": ("whole",),
    },
    "follow_ups": {"status_code": ("fu_status",), "text": ("fu_text",), "source": ("fu_source",)},
}


def absent_fields(kind: str, mapped: set[str]) -> set[str]:
    """The fields of ``kind`` that no column of the sheet fills (``mapped``: role keys)."""
    return {f for f, keys in _SOURCES.get(kind, {}).items() if not mapped.intersection(keys)}


def _keep_absent(
    con: duckdb.DuckDBPyConnection,
    report: SheetReport,
    validated: list[tuple[_Batch, list[Record], list[int]]],
    mapped: set[str],
    today: date,
) -> list[tuple[_Batch, list[Record], list[int]]]:
    """Records already stored take the stored values of the fields her sheet has no column for."""
    kept: list[tuple[_Batch, list[Record], list[int]]] = []
    for batch, records, numbers in validated:
        absent = absent_fields(batch.kind, mapped)
        if not absent or not records:
            kept.append((batch, records, numbers))
            continue
        kind = KINDS[batch.kind]
        rows = [{k: v for k, v in r.items() if k not in absent} for r in batch.rows]
        index = list(range(len(rows)))  # one sheet row may give several records (points)
        merged, merged_index, problems = merge_stored(
            con, kind, set(kind.columns) - absent, rows, index, records, index, today=today
        )
        headings = {field_label(f): h for f, h in batch.labels.items()}
        report.problems += [
            Problem(
                batch.numbers[p.row] if p.row is not None else None,
                headings.get(p.column, p.column),
                p.value,
                p.reason,
            )
            for p in problems
        ]
        kept.append((batch, merged, [batch.numbers[i] for i in merged_index]))
    if kept and kept[0][0].kind == "inquiries" and len(kept) > 1:  # a point lies where its inquiry does
        unit_of = {r.inquiry_id: r.unit_id for r in kept[0][1]}  # type: ignore[attr-defined]
        batch, points, numbers = kept[1]
        points = [p.model_copy(update={"unit_id": unit_of.get(p.inquiry_id)}) for p in points]  # type: ignore[attr-defined]
        kept[1] = (batch, points, numbers)
    return kept


def _changes(
    con: duckdb.DuckDBPyConnection, validated: list[tuple[_Batch, list[Record], list[int]]], mapped: set[str]
) -> list[tuple[str, FieldChange]]:
    """Every stored value the sheet replaces or clears, and every complaint point it removes."""
    changes: list[tuple[str, FieldChange]] = []
    for batch, records, numbers in validated:
        kind = KINDS[batch.kind]
        label = _KIND_WORDS.get(batch.kind, batch.kind)
        stored = stored_rows(con, kind, records)
        changes += [(label, c) for c in field_changes(kind, records, list(numbers), stored)]
        if batch.kind == "complaint_points" and "themes" in mapped:
            inquiries, inquiry_numbers = validated[0][1], validated[0][2]
            row_of = {r.inquiry_id: n for r, n in zip(inquiries, inquiry_numbers, strict=True)}  # type: ignore[attr-defined]
            for point_id, inquiry_id, theme_code, _unit in _stale_points(con, inquiries, records):
                changes.append(
                    (label, FieldChange(row_of.get(inquiry_id), point_id, "theme_code", theme_code, None))
                )
    return changes


def _unique(problems: list[Problem]) -> list[Problem]:
    seen: set[Problem] = set()
    return [p for p in problems if not (p in seen or seen.add(p))]  # type: ignore[func-returns-value]


def _write(
    con: duckdb.DuckDBPyConnection,
    report: SheetReport,
    translator: _Translator,
    validated: list[tuple[_Batch, list[Record], list[int]]],
    known_municipality: bool,
    actor: str,
    mapped: set[str],
) -> None:
    """Everything in one transaction: a missing municipality, new themes and units, the records,
    the saved mapping. Any refused reference rolls all of it back."""
    extra: list[tuple[str, list[dict[str, Any]]]] = []
    if not known_municipality:
        code = report.municipality
        extra.append(("municipalities", [{"code": code, "name": denmark.municipality_name(code)}]))
    extra += [("themes", translator.themes.created), ("org_units", translator.units.created)]
    with one_transaction(con):
        for kind_name, rows in extra:
            if rows:
                numbers = list(range(1, len(rows) + 1))
                records, valid, problems = validate_rows(KINDS[kind_name], rows, numbers, today=date.today())
                if problems:
                    raise Refused(problems)
                _land(con, report, kind_name, records, valid, actor)
        for batch, records, numbers in validated:
            if batch.kind == "complaint_points" and "themes" in mapped:  # no column: points kept
                _drop_stale_points(con, validated[0][1], records, actor)
            if records:
                _land(con, report, batch.kind, records, numbers, actor)
        if report.mapping is not None:
            save_mapping(con, report.municipality, report.mapping)


def _land(
    con: duckdb.DuckDBPyConnection,
    report: SheetReport,
    kind_name: str,
    records: list[Record],
    numbers: list[int],
    actor: str,
) -> None:
    result = land(con, kind_name, records, numbers, file_name=report.file_name, actor=actor)
    report.written.append((_KIND_WORDS.get(kind_name, kind_name), result))


def _drop_stale_points(
    con: duckdb.DuckDBPyConnection, inquiries: list[Record], points: list[Record], actor: str
) -> None:
    """A theme she removed from a row in a later sheet removes that complaint point."""
    for point_id, inquiry_id, theme_code, unit_id in _stale_points(con, inquiries, points):
        con.execute("DELETE FROM complaint_point WHERE point_id = ?", [point_id])
        old = {"point_id": point_id, "inquiry_id": inquiry_id, "theme_code": theme_code, "unit_id": unit_id}
        audit(con, actor, "slet (fjernet i arket)", "complaint_point", point_id, old, None)


def _stale_points(
    con: duckdb.DuckDBPyConnection, inquiries: list[Record], points: list[Record]
) -> list[tuple[Any, ...]]:
    """Stored complaint points of the sheet's inquiries whose theme the sheet no longer has."""
    ids = [r.inquiry_id for r in inquiries]  # type: ignore[attr-defined]
    keep = [p.point_id for p in points]  # type: ignore[attr-defined]
    return con.execute(
        "SELECT point_id, inquiry_id, theme_code, unit_id FROM complaint_point "
        "WHERE list_contains(?::VARCHAR[], inquiry_id) AND NOT list_contains(?::VARCHAR[], point_id) "
        "ORDER BY inquiry_id, theme_code",
        [ids, keep],
    ).fetchall()
