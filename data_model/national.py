"""National figures: Ankestyrelsen's Danmarkskort (omgørelsesprocent and number of decisions
per municipality, law area and year) and the population per municipality and year, from the
spreadsheets a user downloads. With them, the rank among the 98 municipalities and the figures
per 1.000 inhabitants are real.

Danmarkskort files come in two shapes, both accepted:
- counts per decision type (Stadfæstet, Ændret/ophævet, Hjemvist, Afvist), as in ANKEAST1;
- the published percentage with its base (Omgørelsesprocent, Antal afgørelser). Counts are what
  the database stores, so the overturned cases are computed as round(percentage x base / 100)
  and kept as changed/annulled (the split into changed and sent back is not published there).
Population files: long (Kommune; År; Indbyggere) or Statistics Denmark's wide table (Kommune;
2024K1; 2025K1 ...; title rows above the table and region rows are skipped).
"""

from __future__ import annotations

import contextlib
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import duckdb

from data_model import denmark
from data_model.importer import LOCAL_ACTOR, ImportReport, Problem, database_failure, validate_rows
from data_model.kinds import KINDS
from data_model.labels import REASONS
from data_model.landing import Refused, land, one_transaction
from data_model.matching import NameIndex, normalise
from data_model.parsing import is_blank, parse_int, parse_number
from data_model.readers import UnreadableFile, read_table
from data_model.resolvers import CategoryResolver

NATIONAL_KINDS = ("danmarkskort", "population")
_YEAR_HEADER = re.compile(r"^\s*((?:19|20)\d{2})\s*(?:[kq]([1-4]))?\s*$", re.IGNORECASE)
_HEADINGS: dict[str, tuple[str, ...]] = {
    "municipality": ("kommune", "kommunenavn", "kommunekode", "område", "myndighed", "navn"),
    "year": ("år", "aar", "year", "afgørelsesår", "periode"),
    "law_area": ("lovområde", "sagsområde", "område lov", "lovgrundlag", "kort", "danmarkskort"),
    "upheld": ("stadfæstet", "stadfæstelse", "stadfæstede"),
    "changed": ("ændret ophævet", "ændret", "ændring", "ændrede ophævede", "ændret og ophævet"),
    "annulled": ("ophævet", "ophævelse"),
    "sent_back": ("hjemvist", "hjemvisning", "hjemviste"),
    "rejected": ("afvist", "afvist henvist", "afvisning", "afvisning henvisning", "afviste"),
    "on_merits": (
        "realitetsbehandlede",
        "antal realitetsbehandlede",
        "realitetsbehandlede sager",
        "antal afgørelser",
        "afgørelser",
        "antal sager",
        "antal",
    ),
    "percent": ("omgørelsesprocent", "omgørelsespct", "omgørelse", "omgørelsesprocent pct"),
    "population": ("indbyggere", "indbyggertal", "folketal", "befolkning", "antal indbyggere"),
}


@dataclass
class NationalReport:
    kind: str
    file_name: str
    rows: int = 0
    problems: list[Problem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    written: list[tuple[str, ImportReport]] = field(default_factory=list)
    municipalities: int = 0
    years: list[int] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def summary(self) -> str:
        if not self.ok:
            return f"{self.file_name}: intet importeret. {len(self.problems)} problem(er)."
        years = ", ".join(map(str, self.years))
        counts = "; ".join(
            f"{label}: {r.new} nye, {r.changed} ændrede, {r.unchanged} uændrede" for label, r in self.written
        )
        return f"{self.file_name}: {self.municipalities} kommuner, år {years}. {counts}."


def _roles(headers: list[str]) -> dict[str, int]:
    found: dict[str, int] = {}
    for index, header in enumerate(headers):
        key = normalise(header)
        for role, words in _HEADINGS.items():
            if role not in found and key in {normalise(w) for w in words}:
                found[role] = index
                break
    return found


def _municipality_index() -> NameIndex:
    index = NameIndex()
    for code, name in denmark.municipalities().items():
        index.add(code, name)
    return index


def _municipality(value: Any, row: int, column: str, report: NationalReport) -> str | None:
    code = denmark.find_municipality(value)
    if code is None:
        nearest = _municipality_index().nearest(value)
        hint = f" Nærmeste: {'; '.join(nearest)}." if nearest else ""
        report.problems.append(Problem(row, column, str(value), REASONS["unknown_municipality"] + "." + hint))
    return code


def _skippable(value: Any) -> bool:
    """Region rows and Christiansø (not a municipality) in Statistics Denmark's tables."""
    text = normalise(value)
    return text.startswith("region ") or text in ("christiansø", "411 christiansø")


def _number(value: Any, row: int, column: str, report: NationalReport) -> float | None:
    try:
        if isinstance(value, str):
            value = value.replace("%", "").strip()
        return parse_number(value)
    except ValueError:
        report.problems.append(Problem(row, column, str(value), REASONS["not_number"]))
        return None


def _count(value: Any, row: int, column: str, report: NationalReport) -> int | None:
    try:
        return parse_int(value)
    except ValueError:
        report.problems.append(Problem(row, column, str(value), REASONS["not_int"]))
        return None


def import_national(
    con: duckdb.DuckDBPyConnection,
    path: Path | str,
    kind: str,
    *,
    data: bytes | None = None,
    law_area: str | None = None,
    year: int | None = None,
    dry_run: bool = False,
    actor: str = LOCAL_ACTOR,
) -> NationalReport:
    """Read, check every row, and (unless ``dry_run`` or any problem) write in one transaction."""
    path = Path(path)
    report = NationalReport(kind, path.name)
    try:
        table = read_table(path, data)
    except UnreadableFile as exc:
        report.problems.append(Problem(None, "", "", str(exc)))
        return report
    rows = [list(table.headers), *[list(r) for r in table.rows]]
    first = table.first_row_number - 1
    header_at = _header_row(rows, kind)
    headers = ["" if c is None else str(c) for c in rows[header_at]]
    body = rows[header_at + 1 :]
    numbers = [first + header_at + 1 + i for i in range(len(body))]
    if kind == "danmarkskort":
        records = _danmarkskort(con, headers, body, numbers, report, law_area, year)
        target = "appeal_statistics"
    else:
        records = _population(headers, body, numbers, report, year)
        target = "populations"
    report.rows = len(body)
    if not records and not report.problems:
        report.problems.append(Problem(None, "", "", REASONS["empty_file"]))
    report.municipalities = len(
        {r["municipality_code"] for r in records if r["municipality_code"] != denmark.WHOLE_COUNTRY}
    )
    report.years = sorted({int(r["year"]) for r in records if r.get("year") is not None})
    seen: dict[tuple[Any, ...], int] = {}
    key_columns = KINDS[target].key
    for record, number in records_with_rows(records):
        key = tuple(record[k] for k in key_columns)
        if key in seen:
            report.problems.append(
                Problem(number, "Kommune", "/".join(map(str, key)), REASONS["duplicate_key"])
            )
        seen[key] = number
    valid, valid_numbers, problems = validate_rows(
        KINDS[target],
        [r for r, _ in records_with_rows(records)],
        [n for _, n in records_with_rows(records)],
        today=date.today(),
    )
    report.problems += problems
    if report.problems or dry_run:
        return report
    known = {str(r[0]) for r in con.execute("SELECT code FROM municipality").fetchall()}
    missing = sorted({r["municipality_code"] for r in records} - known)
    new_municipalities = [{"code": c, "name": denmark.municipality_name(c)} for c in missing]
    label = "Danmarkskort" if kind == "danmarkskort" else "Indbyggertal"
    try:
        with one_transaction(con):
            if new_municipalities:
                numbers_m = list(range(1, len(missing) + 1))
                munis, _, _ = validate_rows(
                    KINDS["municipalities"], new_municipalities, numbers_m, today=date.today()
                )
                result = land(
                    con, "municipalities", munis, numbers_m, file_name=report.file_name, actor=actor
                )
                report.written.append(("Kommuner", result))
            result = land(con, target, valid, valid_numbers, file_name=report.file_name, actor=actor)
            report.written.append((label, result))
    except Refused as exc:
        report.problems += exc.problems
        report.written = []
    except duckdb.Error as exc:
        report.written = []
        report.problems.append(Problem(None, "", "", database_failure(exc)))
    return report


def records_with_rows(records: list[dict[str, Any]]) -> list[tuple[dict[str, Any], int]]:
    return [({k: v for k, v in r.items() if k != "_row"}, int(r["_row"])) for r in records]


def _header_row(rows: list[list[Any]], kind: str) -> int:
    """The table's heading row: Statistics Denmark puts a title (and blank cells) above it."""
    for index, row in enumerate(rows[:15]):
        cells = ["" if c is None else str(c) for c in row]
        roles = _roles(cells)
        if "municipality" in roles or (kind == "population" and any(_YEAR_HEADER.match(c) for c in cells)):
            return index
    return 0


def _danmarkskort(
    con: duckdb.DuckDBPyConnection,
    headers: list[str],
    body: list[list[Any]],
    numbers: list[int],
    report: NationalReport,
    law_area: str | None,
    year: int | None,
) -> list[dict[str, Any]]:
    roles = _roles(headers)
    need = ["municipality"] + ([] if year else ["year"]) + ([] if law_area else ["law_area"])
    counts = "upheld" in roles or ("on_merits" in roles and ("changed" in roles or "sent_back" in roles))
    percent = "percent" in roles and "on_merits" in roles
    for role in need:
        if role not in roles:
            report.problems.append(Problem(1, _HEADINGS[role][0].capitalize(), "", REASONS["missing_column"]))
    if not counts and not percent:
        report.problems.append(
            Problem(
                1,
                "",
                "",
                "Filen skal have enten antal pr. afgørelsestype (Stadfæstet, Ændret/ophævet, Hjemvist, Afvist) "
                "eller Omgørelsesprocent og Antal afgørelser",
            )
        )
    if report.problems:
        return []
    areas = CategoryResolver(con, "law_area")
    fractions = percent and not counts and _all_fractions(body, roles["percent"])
    totals: dict[tuple[int, str], list[int]] = {}
    records: list[dict[str, Any]] = []
    has_country = False

    def cell(cells: list[Any], role: str) -> Any:
        index = roles.get(role)
        return cells[index] if index is not None and index < len(cells) else None

    for cells, number in zip(body, numbers, strict=True):
        name = cell(cells, "municipality")
        if is_blank(name) or _skippable(name):
            continue
        code = _municipality(name, number, headers[roles["municipality"]], report)
        area = law_area
        if area is None:
            raw = cell(cells, "law_area")
            found = areas.resolve(str(raw)) if not is_blank(raw) else None
            if found is None or found.code is None:
                hint = f" Nærmeste: {'; '.join(found.candidates)}." if found and found.candidates else ""
                report.problems.append(
                    Problem(
                        number,
                        headers[roles["law_area"]],
                        str(raw or ""),
                        REASONS["unknown_category"] + "." + hint,
                    )
                )
                continue
            area = found.code
        row_year = (
            year if year else _count(cell(cells, "year"), number, headers[roles.get("year", 0)], report)
        )
        if counts:
            upheld = _count(cell(cells, "upheld"), number, "Stadfæstet", report) or 0
            changed = (_count(cell(cells, "changed"), number, "Ændret/ophævet", report) or 0) + (
                _count(cell(cells, "annulled"), number, "Ophævet", report) or 0
            )
            sent_back = _count(cell(cells, "sent_back"), number, "Hjemvist", report) or 0
            rejected = _count(cell(cells, "rejected"), number, "Afvist", report) or 0
            on_merits = (
                _count(cell(cells, "on_merits"), number, "Realitetsbehandlede", report)
                if "upheld" not in roles
                else None
            )
            on_merits = on_merits if on_merits is not None else upheld + changed + sent_back
        else:
            on_merits = _count(cell(cells, "on_merits"), number, headers[roles["on_merits"]], report) or 0
            pct = _number(cell(cells, "percent"), number, headers[roles["percent"]], report)
            if pct is None:
                continue
            share = pct if fractions else pct / 100
            if not 0 <= share <= 1:
                report.problems.append(
                    Problem(
                        number, headers[roles["percent"]], str(pct), "Procenten skal ligge mellem 0 og 100"
                    )
                )
                continue
            changed, sent_back, rejected = round(share * on_merits), 0, 0
        if code is None or row_year is None:
            continue
        has_country = has_country or code == denmark.WHOLE_COUNTRY
        records.append(_statistic(code, row_year, area, (on_merits, changed, sent_back, rejected), number))
        if code != denmark.WHOLE_COUNTRY:
            total = totals.setdefault((int(row_year), area), [0, 0, 0, 0])
            for i, value in enumerate((on_merits, changed, sent_back, rejected)):
                total[i] += value
    if percent and not counts:
        report.notes.append(
            "Omgjorte sager er regnet ud fra procent og antal (procent × antal / 100) og gemt som ændret/ophævet."
        )
    if not has_country and totals:
        for (row_year, area), (on_merits, changed, sent_back, rejected) in sorted(totals.items()):
            records.append(
                _statistic(
                    denmark.WHOLE_COUNTRY, row_year, area, (on_merits, changed, sent_back, rejected), 0
                )
            )
        report.notes.append("Filen har ingen række for hele landet: den er lagt sammen af kommunernes tal.")
    return records


def _statistic(
    code: str, year: Any, area: str, counts: tuple[int, int, int, int], row: int
) -> dict[str, Any]:
    on_merits, changed, sent_back, rejected = counts
    return {
        "municipality_code": code,
        "year": year,
        "law_area_code": area,
        "decided_on_merits": on_merits,
        "changed": changed,
        "sent_back": sent_back,
        "rejected": rejected,
        "provenance": "imported",
        "_row": row,
    }


def _all_fractions(body: list[list[Any]], index: int) -> bool:
    values = []
    for cells in body:
        if index < len(cells) and not is_blank(cells[index]):
            with contextlib.suppress(ValueError):
                raw = cells[index]
                value = parse_number(raw.replace("%", "").strip() if isinstance(raw, str) else raw)
                if value is not None:
                    values.append(value)
    return bool(values) and all(0 <= v <= 1 for v in values) and any(0 < v < 1 for v in values)


def _population(
    headers: list[str], body: list[list[Any]], numbers: list[int], report: NationalReport, year: int | None
) -> list[dict[str, Any]]:
    roles = _roles(headers)
    municipality_col = roles.get("municipality", 0)
    year_columns: dict[int, int] = {}
    for index, header in enumerate(headers):
        if m := _YEAR_HEADER.match(header):
            y, quarter = int(m.group(1)), int(m.group(2) or 1)
            if quarter == 1 and y not in year_columns:  # the population on 1 January
                year_columns[y] = index
    long = "population" in roles
    if not long and not year_columns:
        report.problems.append(
            Problem(
                1,
                "",
                "",
                "Filen skal have kolonnerne Kommune, År og Indbyggere, eller en kolonne pr. år (2024, 2024K1 …)",
            )
        )
        return []
    if long and "year" not in roles and not year:
        report.problems.append(Problem(1, "År", "", REASONS["missing_column"]))
        return []
    records: list[dict[str, Any]] = []
    for cells, number in zip(body, numbers, strict=True):
        name = cells[municipality_col] if municipality_col < len(cells) else None
        if is_blank(name) or _skippable(name):
            continue
        code = _municipality(name, number, headers[municipality_col] or "Kommune", report)
        if code is None:
            continue
        pairs: list[tuple[Any, Any, str]] = []
        if long:
            row_year = year or (cells[roles["year"]] if roles["year"] < len(cells) else None)
            pairs.append(
                (
                    row_year,
                    cells[roles["population"]] if roles["population"] < len(cells) else None,
                    headers[roles["population"]],
                )
            )
        else:
            pairs += [(y, cells[i] if i < len(cells) else None, headers[i]) for y, i in year_columns.items()]
        for row_year, value, column in pairs:
            if is_blank(value) or str(value).strip() in ("..", "-"):
                continue
            count = _count(
                str(value).replace(" ", "") if isinstance(value, str) else value, number, column, report
            )
            records.append({"municipality_code": code, "year": row_year, "population": count, "_row": number})
    return records
