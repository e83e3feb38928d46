"""Command line for the advisor's own sheets: ``import FILE --kind KIND --municipality CODE``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from data_model import denmark
from data_model.db import connect
from data_model.matching import normalise
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
    con = connect(args.db)
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
    if report.created_units or report.created_themes:
        print("Oprettet: " + "; ".join(report.created_units + report.created_themes))
    return 0 if report.ok else 1
