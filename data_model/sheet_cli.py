"""Command line for the advisor's own sheets: ``import FILE --kind KIND --municipality CODE``."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from data_model import denmark
from data_model.db import connect
from data_model.matching import normalise
from data_model.national import NATIONAL_KINDS, import_national
from data_model.readers import UnreadableFile
from data_model.resolvers import CategoryResolver
from data_model.setup import (
    PeriodPlan,
    read_organisation,
    set_up_municipality,
)
from data_model.sheet_import import import_sheet
from data_model.sheet_mapping import SHEET_KINDS, MappingFileError, read_mapping_file, write_mapping_file

SHEET_HELP = (
    "With --municipality the file is the advisor's own sheet (kinds: "
    + ", ".join(SHEET_KINDS)
    + "): her Danish headings (Dato, Forvaltning, Område, Afdeling, Type, Tema, Resumé ...), names "
    "instead of codes and no ids. Names are matched to the municipality's units, themes and "
    "categories (also former unit names); ids are derived from each row's content, so importing "
    "the same or next month's cumulative sheet adds nothing twice. Anything unresolved is listed "
    "and nothing is written. The mapping is saved in the database for the municipality."
)


def add_sheet_options(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("the advisor's own sheet", SHEET_HELP)
    group.add_argument("--municipality", help="code or name of the municipality the sheet belongs to")
    group.add_argument(
        "--create-missing",
        action="store_true",
        help="add unknown units and themes (under the forvaltning/område or main theme the sheet names)",
    )
    group.add_argument(
        "--mapping",
        type=Path,
        help="a JSON or CSV file with her headings and names -> codes; read when it exists, "
        "written after the run (unresolved names are added empty, for her to fill in)",
    )


def municipality_code(known: dict[str, str], text: str) -> str | None:
    """A code from a code or name: the database's municipalities first, then the 98."""
    if text in known:
        return text
    by_name = {normalise(name): code for code, name in known.items()}
    return by_name.get(normalise(text)) or denmark.find_municipality(text)


def run_sheet_import(args: argparse.Namespace) -> int:
    if args.kind not in SHEET_KINDS:
        print(
            f"Fejl: --municipality (borgerrådgiverens eget ark) gælder typerne {', '.join(SHEET_KINDS)}.",
            file=sys.stderr,
        )
        return 2
    con = connect(args.db, create=False)  # a mistyped --db must not create a new, empty database
    known = {str(c): str(n) for c, n in con.execute("SELECT code, name FROM municipality").fetchall()}
    code = municipality_code(known, str(args.municipality).strip())
    if code is None:
        print(f"Fejl: '{args.municipality}' er ikke en kendt kommune (kode eller navn).", file=sys.stderr)
        return 2
    try:
        given = read_mapping_file(args.mapping, args.kind) if args.mapping else None
    except MappingFileError as exc:
        print(f"Fejl i {args.mapping}: {exc}", file=sys.stderr)
        return 2
    report = import_sheet(
        con,
        args.file,
        args.kind,
        code,
        mapping=given,
        create_missing=args.create_missing,
        dry_run=args.dry_run,
        today=args.today,
    )
    for line in report.lines():
        print(line, file=sys.stderr)
    if args.mapping and report.mapping is not None:
        for unresolved in report.unresolved:  # for her to fill in
            report.mapping.values.setdefault(unresolved.target, {}).setdefault(unresolved.value, "")
        write_mapping_file(args.mapping, report.mapping)
        print(f"Oversættelsen er skrevet til {args.mapping}.", file=sys.stderr)
    if report.ok and args.dry_run:
        print(f"{report.file_name}: {report.rows} række(r) kan indlæses (intet skrevet).")
    else:
        print(report.summary())
    if report.ok and report.changes:  # old → new, before writing too
        print(("Ændres ved indlæsning:" if args.dry_run else "Ændret:") + f" {len(report.changes)} felt(er)")
        for line in report.change_lines():
            print(f"  {line}")
    if report.ok and (report.created_units or report.created_themes):
        word = "Oprettes ved indlæsning" if args.dry_run else "Oprettet"
        print(f"{word}: " + "; ".join(report.created_units + report.created_themes))
    return 0 if report.ok else 1


def add_extra_commands(sub: Any, db_option: Callable[[argparse.ArgumentParser], None]) -> None:
    setup = sub.add_parser(
        "setup",
        help="set up a municipality: report periods, organisation, the common theme and category lists",
        description="The organisation file has two or three columns: forvaltning; område; afdeling "
        "(headings optional; an optional Sektor column). Report periods are twelve months from "
        "--start-month (1 = calendar years), one per year from --first-year to --last-year.",
    )
    setup.add_argument("--municipality", required=True, help="code or name, one of the 98")
    setup.add_argument("--first-year", type=int, help="first report period's year")
    setup.add_argument("--last-year", type=int, help="last report period's year (default: the first)")
    setup.add_argument("--start-month", type=int, default=1, help="month the report year starts (1-12)")
    setup.add_argument("--organisation", type=Path, help="CSV/XLSX with forvaltning; område; afdeling")
    setup.add_argument(
        "--no-common-lists", action="store_true", help="do not load the common themes/categories"
    )
    db_option(setup)
    national = sub.add_parser(
        "national",
        help="import national figures: Ankestyrelsen's Danmarkskort or the population per municipality",
        description=national_doc(),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    national.add_argument("file", type=Path, help="CSV or XLSX as downloaded")
    national.add_argument("--kind", required=True, choices=NATIONAL_KINDS, help="what the file holds")
    national.add_argument("--law-area", help="law area of the whole file, when it has no law-area column")
    national.add_argument("--year", type=int, help="year of the whole file, when it has no year column")
    national.add_argument("--dry-run", action="store_true", help="check only, write nothing")
    db_option(national)


def run_setup(args: argparse.Namespace) -> int:
    code = denmark.find_municipality(args.municipality)
    if code is None or code == denmark.WHOLE_COUNTRY:
        print(f"Fejl: '{args.municipality}' er ikke en af de 98 kommuner.", file=sys.stderr)
        return 2
    organisation = None
    if args.organisation:
        try:
            organisation = read_organisation(args.organisation.name, args.organisation.read_bytes())
        except UnreadableFile as exc:
            print(f"Fejl: {exc}", file=sys.stderr)
            return 2
    plan = None
    if args.first_year:
        plan = PeriodPlan(args.first_year, args.last_year or args.first_year, args.start_month)
    con = connect(args.db, create=False)
    report = set_up_municipality(
        con, code, periods=plan, organisation=organisation, common_lists=not args.no_common_lists
    )
    for problem in report.problems:
        print(problem.as_text(), file=sys.stderr)
    print(report.summary())
    return 0 if report.ok else 1


def national_doc() -> str:
    from data_model import national

    return (national.__doc__ or "").split("\n\n", 1)[-1]


def run_national(args: argparse.Namespace) -> int:
    con = connect(args.db, create=False)
    law_area = None
    if args.law_area:
        found = CategoryResolver(con, "law_area").resolve(args.law_area)
        if found.code is None:
            print(f"Fejl: ukendt lovområde '{args.law_area}'.", file=sys.stderr)
            return 2
        law_area = found.code
    report = import_national(
        con, args.file, args.kind, law_area=law_area, year=args.year, dry_run=args.dry_run
    )
    for problem in report.problems:
        print(problem.as_text(), file=sys.stderr)
    for note in report.notes:
        print(note)
    if report.ok and args.dry_run:
        print(f"{report.file_name}: {report.rows} række(r) kan indlæses (intet skrevet).")
    else:
        print(report.summary())
    return 0 if report.ok else 1


EXTRA_COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {
    "setup": run_setup,
    "national": run_national,
}
