"""Command line: ``python -m data_model import|export|check|seed``."""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path

from data_model.check import check_report
from data_model.db import DB_PATH_ENV, DatabaseError, connect
from data_model.export import FORMATS, export_kind
from data_model.importer import import_file
from data_model.kinds import KINDS, describe
from data_model.labels import KIND_LABELS
from data_model.seed import SeedError, load_sample_data


def _columns_help() -> str:
    parts = [
        "Columns each kind expects (English name, Danish label accepted as alias; "
        "lists are codes separated by ';'):"
    ]
    for name, kind in KINDS.items():
        parts.append(f"\n  {name} - {KIND_LABELS.get(name, name)} (key: {', '.join(kind.key)})")
        parts.append(describe(kind))
    return "\n".join(parts)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m data_model",
        description="Borgerrådgiver-dashboard data: import, export and check the DuckDB database.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog=(
            f"The database is --db, else ${DB_PATH_ENV}, else db_path in .streamlit/secrets.toml, "
            "else data/borgerraad.duckdb.\n\n" + _columns_help()
        ),
    )
    sub = parser.add_subparsers(dest="command", required=True)

    def db_option(p: argparse.ArgumentParser) -> None:
        p.add_argument("--db", help="path of the DuckDB database file")

    imp = sub.add_parser(
        "import",
        help="validate a file and import it whole, or nothing",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        description=(
            "CSV (comma or semicolon, UTF-8 with or without BOM), XLSX (first sheet) or Parquet. "
            "Danish decimal commas and dates like 31-03-2025 are accepted. Any invalid row means "
            "nothing is imported and every problem is listed; re-importing upserts by key."
        ),
        epilog=_columns_help(),
    )
    imp.add_argument("file", type=Path, help="the file to import")
    imp.add_argument("--kind", required=True, choices=sorted(KINDS), help="what the file holds")
    imp.add_argument("--dry-run", action="store_true", help="validate only, write nothing")
    imp.add_argument("--today", type=date.fromisoformat, help="date for 'after today' checks (YYYY-MM-DD)")
    db_option(imp)

    exp = sub.add_parser("export", help="write one kind of record to a file")
    exp.add_argument("--kind", required=True, choices=sorted(KINDS), help="what to export")
    exp.add_argument("--format", required=True, choices=FORMATS, help="file format")
    exp.add_argument("--out", required=True, type=Path, help="output file")
    db_option(exp)

    chk = sub.add_parser("check", help="schema version, row counts and dangling references")
    db_option(chk)

    seed = sub.add_parser("seed", help="load the bundled sample data (sample_data/)")
    db_option(seed)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        if args.command == "import":
            con = connect(args.db)
            report = import_file(con, args.file, args.kind, today=args.today, dry_run=args.dry_run)
            for problem in report.problems:
                print(problem.as_text(), file=sys.stderr)
            print(
                report.summary()
                if not args.dry_run or report.problems
                else f"{report.file_name}: {report.rows} række(r) er gyldige (intet skrevet)."
            )
            return 0 if report.ok else 1
        if args.command == "export":
            con = connect(args.db, create=False)
            rows = export_kind(con, args.kind, args.format, args.out)
            print(f"{rows} række(r) skrevet til {args.out}")
            return 0
        if args.command == "check":
            con = connect(args.db, create=False)
            text, healthy = check_report(con)
            print(text)
            return 0 if healthy else 1
        if args.command == "seed":
            con = connect(args.db)
            reports = load_sample_data(con)
            for report in reports:
                print(report.summary())
            return 0
    except DatabaseError as exc:
        print(f"Fejl: {exc}", file=sys.stderr)
        return 2
    except SeedError as exc:
        print(f"Fejl: {exc}", file=sys.stderr)
        return 1
    except OSError as exc:
        print(f"Fejl: {exc.strerror}: {exc.filename}", file=sys.stderr)
        return 2
    return 2


if __name__ == "__main__":
    sys.exit(main())
