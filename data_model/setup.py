"""Setting up a municipality from nothing: pick it from the 98, name its report periods, load
its organisation from a two- or three-column sheet (forvaltning; område; afdeling), and start
from the common theme and category lists. Also: a database created empty on purpose opens on
this set-up instead of the sample data."""

from __future__ import annotations

import contextlib
import csv
import io
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import duckdb
import polars as pl

from data_model import denmark
from data_model.importer import LOCAL_ACTOR, ImportReport, Problem, database_failure, validate_rows
from data_model.kinds import KINDS
from data_model.labels import MONTHS, REASONS
from data_model.landing import Refused, land, one_transaction
from data_model.matching import normalise
from data_model.readers import RawTable, UnreadableFile, read_table
from data_model.resolvers import UnitResolver
from data_model.sheet_mapping import FORMER_NAMES, load_mapping, save_mapping

REFERENCE = Path(__file__).resolve().parent.parent / "sample_data" / "reference"
EMPTY_ON_PURPOSE = "empty_on_purpose"
# Words in a department's name -> the common sector (the common list in sample_data/FORMAT.md); the advisor can change it later.
SECTOR_WORDS: tuple[tuple[str, str], ...] = (
    ("borgerservice", "borgerservice"),
    ("børn", "boern_familie"),
    ("famili", "boern_familie"),
    ("ungdom", "boern_familie"),
    ("skole", "skole_dagtilbud"),
    ("dagtilbud", "skole_dagtilbud"),
    ("undervisning", "skole_dagtilbud"),
    ("læring", "skole_dagtilbud"),
    ("beskæftigelse", "beskaeftigelse"),
    ("job", "beskaeftigelse"),
    ("arbejdsmarked", "beskaeftigelse"),
    ("ydelse", "beskaeftigelse"),
    ("ældre", "aeldre_sundhed_social"),
    ("sundhed", "aeldre_sundhed_social"),
    ("social", "aeldre_sundhed_social"),
    ("omsorg", "aeldre_sundhed_social"),
    ("handicap", "aeldre_sundhed_social"),
    ("psykiatri", "aeldre_sundhed_social"),
    ("pleje", "aeldre_sundhed_social"),
    ("teknik", "teknik_miljoe"),
    ("miljø", "teknik_miljoe"),
    ("plan", "teknik_miljoe"),
    ("byg", "teknik_miljoe"),
    ("vej", "teknik_miljoe"),
    ("klima", "teknik_miljoe"),
    ("forsyning", "teknik_miljoe"),
)


def mark_empty_on_purpose(con: duckdb.DuckDBPyConnection) -> None:
    """This database starts empty: the app opens on the set-up, never loads the sample data."""
    con.execute(
        "INSERT INTO app_setting (key, value) VALUES (?, 'ja') ON CONFLICT (key) DO UPDATE SET value = 'ja'",
        [EMPTY_ON_PURPOSE],
    )


def empty_on_purpose(con: duckdb.DuckDBPyConnection) -> bool:
    with contextlib.suppress(duckdb.CatalogException):  # a database from before the settings table
        return bool(
            con.execute("SELECT count(*) FROM app_setting WHERE key = ?", [EMPTY_ON_PURPOSE]).fetchall()[0][0]
        )
    return False


def needs_setup(con: duckdb.DuckDBPyConnection) -> bool:
    """True while no municipality has been set up (no report period and no unit anywhere)."""
    row = con.execute(
        "SELECT (SELECT count(*) FROM report_period) + (SELECT count(*) FROM org_unit)"
    ).fetchall()
    return not row or row[0][0] == 0


def guess_sector(name: str) -> str:
    words = normalise(name)
    return next((sector for word, sector in SECTOR_WORDS if word in words), "tvaergaaende")


@dataclass(frozen=True)
class PeriodPlan:
    first_year: int
    last_year: int
    start_month: int = 1  # 1 = calendar years; 4 = April-March, ...
    labels: tuple[tuple[int, str], ...] = ()  # her own names for some years ('Beretning 2024')

    def periods(self, municipality: str) -> list[dict[str, Any]]:
        rows = []
        own = dict(self.labels)
        for year in range(self.first_year, self.last_year + 1):
            start = date(year, self.start_month, 1)
            end = date(year + 1, self.start_month, 1) - timedelta(days=1)  # twelve months
            label = str(year) if self.start_month == 1 else f"{year}/{str(year + 1)[2:]}"
            label = own.get(year, "").strip() or label
            rows.append(
                {
                    "period_id": f"{municipality}-{year}",
                    "municipality_code": municipality,
                    "label": label,
                    "start_date": start,
                    "end_date": end,
                }
            )
        return rows


@dataclass
class SetupReport:
    municipality: str
    problems: list[Problem] = field(default_factory=list)
    written: list[tuple[str, ImportReport]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def summary(self) -> str:
        name = denmark.municipality_name(self.municipality)
        if not self.ok:
            return f"{name} er ikke oprettet: {len(self.problems)} problem(er)."
        parts = ", ".join(f"{label}: {r.new} nye" for label, r in self.written)
        return f"{name} er sat op. {parts}."


def organisation_rows(table: RawTable) -> tuple[list[list[tuple[str, str]]], list[int], list[Problem]]:
    """Paths ((level, name), top first) from a sheet with forvaltning; område; afdeling (and an
    optional Sektor column). Headings are recognised; without them the columns are taken in order."""
    words = {
        "forvaltning": "forvaltning",
        "direktørområde": "forvaltning",
        "område": "omraade",
        "omraade": "omraade",
        "center": "omraade",
        "afdeling": "afdeling",
        "enhed": "afdeling",
        "team": "afdeling",
        "sektor": "sector",
    }
    headers = [normalise(h) for h in table.headers]
    levels = [words.get(h) for h in headers]
    rows = table.rows
    first = table.first_row_number
    if not any(levels):  # no headings: the first row is data
        levels = ["forvaltning", "omraade", "afdeling"] if len(headers) >= 3 else ["forvaltning", "afdeling"]
        rows = [list(table.headers), *rows]
        first -= 1
    problems = [
        Problem(1, str(table.headers[i]), "", REASONS["unknown_column"])
        for i, level in enumerate(levels)
        if level is None and str(table.headers[i]).strip()
    ]
    paths: list[list[tuple[str, str]]] = []
    numbers: list[int] = []
    for offset, cells in enumerate(rows):
        path = [
            (level, str(cell).strip())
            for level, cell in zip(levels, cells, strict=False)
            if level and cell is not None and str(cell).strip()
        ]
        if path:
            paths.append(path)
            numbers.append(first + offset)
    return paths, numbers, problems


def read_organisation(name: str, data: bytes) -> RawTable:
    """An uploaded file, or rows pasted from Excel (tab separated) as ``.tsv``."""
    if name.lower().endswith(".tsv"):
        text = data.decode("utf-8")
        rows = [r for r in csv.reader(io.StringIO(text), delimiter="\t") if any(c.strip() for c in r)]
        if not rows:
            raise UnreadableFile("Der er ikke indsat nogen rækker.")
        return RawTable(rows[0], rows[1:], 2)
    return read_table(name, data)


def pasted_to_csv(text: str) -> bytes:
    """Rows pasted from Excel (tab separated) as semicolon CSV bytes the readers understand."""
    rows = list(csv.reader(io.StringIO(text.strip("\n")), delimiter="\t" if "\t" in text else ";"))
    out = io.StringIO()
    csv.writer(out, delimiter=";", lineterminator="\n").writerows(rows)
    return out.getvalue().encode("utf-8")


def _reference_records(kind: str, file_name: str) -> list[dict[str, Any]]:
    with (REFERENCE / file_name).open(encoding="utf-8", newline="") as handle:
        return [{k: (v if v != "" else None) for k, v in row.items()} for row in csv.DictReader(handle)]


def set_up_municipality(
    con: duckdb.DuckDBPyConnection,
    municipality: str,
    *,
    periods: PeriodPlan | None = None,
    organisation: RawTable | None = None,
    common_lists: bool = True,
    actor: str = LOCAL_ACTOR,
) -> SetupReport:
    """Everything in one transaction; nothing is written when any part has a problem."""
    report = SetupReport(municipality)
    if municipality not in denmark.municipalities():
        report.problems.append(Problem(None, "Kommune", municipality, REASONS["unknown_municipality"]))
        return report
    plan: list[tuple[str, str, list[dict[str, Any]], list[int]]] = []
    if common_lists:
        existing = {(str(k), str(c)) for k, c in con.execute("SELECT kind, code FROM category").fetchall()}
        categories = [
            r
            for r in _reference_records("categories", "categories.csv")
            if (r["kind"], r["code"]) not in existing
        ]
        themes_known = {str(r[0]) for r in con.execute("SELECT code FROM theme").fetchall()}
        themes = [r for r in _reference_records("themes", "themes.csv") if r["code"] not in themes_known]
        plan.append(("categories", "Kategorier", categories, list(range(2, len(categories) + 2))))
        plan.append(("themes", "Temaer", themes, list(range(2, len(themes) + 2))))
    known = con.execute("SELECT count(*) FROM municipality WHERE code = ?", [municipality]).fetchall()[0][0]
    if not known:
        name = denmark.municipality_name(municipality)
        plan.append(("municipalities", "Kommune", [{"code": municipality, "name": name}], [1]))
    if periods is not None:
        if not 1 <= periods.start_month <= 12 or periods.last_year < periods.first_year:
            report.problems.append(
                Problem(None, "Beretningsperioder", "", "Første år skal ligge før sidste år")
            )
        else:
            rows = periods.periods(municipality)
            plan.append(("report_periods", "Beretningsperioder", rows, list(range(1, len(rows) + 1))))
    if organisation is not None:
        paths, numbers, problems = organisation_rows(organisation)
        report.problems += problems
        units = _plan_units(con, municipality, paths, numbers, report)
        plan.append(("org_units", "Enheder", units, list(range(1, len(units) + 1))))
    if report.problems:
        return report
    try:
        with one_transaction(con):
            for kind_name, label, rows, numbers in plan:
                if rows:
                    records, valid, problems = validate_rows(
                        KINDS[kind_name], rows, numbers, today=date.today()
                    )
                    if problems:
                        raise Refused(problems)
                    result = land(con, kind_name, records, valid, file_name="opsætning", actor=actor)
                    report.written.append((label, result))
    except Refused as exc:
        report.problems += exc.problems
        report.written = []
    except duckdb.Error as exc:  # disk full, file damaged: a report, never a trace
        report.problems.append(Problem(None, "", "", database_failure(exc)))
        report.written = []
    return report


def _plan_units(
    con: duckdb.DuckDBPyConnection,
    municipality: str,
    paths: list[list[tuple[str, str]]],
    numbers: list[int],
    report: SetupReport,
) -> list[dict[str, Any]]:
    resolver = UnitResolver(con, municipality)
    for path, number in zip(paths, numbers, strict=True):
        sector = next((name for level, name in path if level == "sector"), None)
        units = [(level, name) for level, name in path if level != "sector"]
        if not units:
            continue
        found = resolver.create(
            units, lambda name, given=sector: _sector_code(given) if given else guess_sector(name)
        )
        if found.code is None:
            report.problems.append(
                Problem(number, "", " > ".join(n for _, n in units), "Flere enheder passer")
            )
    return resolver.created


def _sector_code(text: str) -> str:
    """A sector by its code or Danish name (the common list); unknown text is kept, so the
    validation refuses it with its name."""
    for row in _reference_records("categories", "categories.csv"):
        if row["kind"] == "sector" and normalise(text) in (normalise(row["code"]), normalise(row["label"])):
            return str(row["code"])
    return text


def period_plan_label(plan: PeriodPlan) -> str:
    if plan.start_month == 1:
        return f"kalenderår {plan.first_year}–{plan.last_year}"
    return f"{MONTHS[plan.start_month - 1]}–{MONTHS[plan.start_month - 2]}, fra {plan.first_year}"


def rename_labels(
    con: duckdb.DuckDBPyConnection, which: str, names: dict[str, str], *, actor: str = LOCAL_ACTOR
) -> tuple[int, list[Problem]]:
    """Her own words for themes (``which='theme'``) or one kind of category: codes stay, so
    everything registered follows. Each change is validated and audited like a form."""
    from data_model.editing import EditRefused, load_row, save
    from data_model.models import Category, Theme

    saved, problems = 0, []
    former = load_mapping(con, FORMER_NAMES, FORMER_NAMES)
    for code, name in names.items():
        kind, key, column = (
            ("themes", (code,), "name") if which == "theme" else ("categories", (which, code), "label")
        )
        row = load_row(con, kind, key)
        if row is None or not name.strip() or row[column] == name.strip():
            continue
        model = Theme if kind == "themes" else Category
        try:
            record = model.model_validate(row | {column: name.strip()})
            save(con, kind, record, actor=actor, expected=row, action="omdøb")
            saved += 1
        except EditRefused as refused:
            problems += refused.problems
            continue
        target = "theme" if which == "theme" else f"category:{which}"
        former.set_value(target, str(row[column]), code)  # her old sheets keep matching
    if saved:
        save_mapping(con, FORMER_NAMES, former)
    return saved, problems


def own_municipalities(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    """{code: name} of the municipalities set up here (with units or report periods), by name."""
    rows = con.execute(
        "SELECT code, name FROM municipality WHERE code IN "
        "(SELECT municipality_code FROM org_unit UNION SELECT municipality_code FROM report_period) ORDER BY name"
    ).fetchall()
    return {str(c): str(n) for c, n in rows}


def unit_paths(paths: list[list[tuple[str, str]]]) -> list[str]:
    """Every unit an organisation sheet names, as 'Forvaltning › Område › Afdeling', sorted
    (``organisation_rows``' paths; the sector is not a unit)."""
    names = {
        " › ".join(name for level, name in path[: i + 1] if level != "sector")
        for path in paths
        for i in range(len(path))
    }
    return sorted(names - {""})  # a path that starts with its sector is no unit of its own


def label_list(con: duckdb.DuckDBPyConnection, which: str) -> pl.DataFrame:
    """The themes (``which='theme'``, with their main theme) or one kind of category: code,
    main_theme ('' for categories and main themes) and label, in the order they are shown."""
    if which == "theme":
        return con.sql(
            "SELECT t.code, coalesce(p.name, '') AS main_theme, t.name AS label FROM theme t "
            "LEFT JOIN theme p ON p.code = t.parent_code "
            "ORDER BY coalesce(p.name, t.name), t.parent_code NULLS FIRST, t.name"
        ).pl()
    return con.sql(
        "SELECT code, '' AS main_theme, label FROM category WHERE kind = ? ORDER BY sort_order",
        params=[which],
    ).pl()


def changed_labels(before: pl.DataFrame, after: pl.DataFrame) -> dict[str, str]:
    """{code: new label} for every label edited in ``after`` (a ``label_list`` frame as edited);
    an emptied label is not a change."""
    old = dict(zip(before["code"], before["label"], strict=True))
    return {
        code: str(name)
        for code, name in zip(after["code"], after["label"], strict=True)
        if name and str(name).strip() and name != old.get(code)
    }
