"""Command line: ``python -m data_model import|export|check|seed|backup|restore``."""

from __future__ import annotations

import argparse
import contextlib
import sys
from datetime import date
from pathlib import Path

import duckdb

from data_model.backup import backup_database, restore_database
from data_model.check import check_report, damage_reason
from data_model.db import (
    DB_PATH_ENV,
    DISK_FULL,
    DatabaseError,
    connect,
    current_version,
    disk_has_room,
    is_disk_full,
    resolve_db_path,
)
from data_model.export import FORMATS, export_kind
from data_model.importer import import_file
from data_model.kinds import KINDS, describe
from data_model.labels import KIND_LABELS
from data_model.seed import SeedError, load_sample_data
from data_model.setup import mark_empty_on_purpose
from data_model.sheet_cli import EXTRA_COMMANDS, add_extra_commands, add_sheet_options, run_sheet_import


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
            f"The database is --db (as typed), else ${DB_PATH_ENV}, else db_path in the project's "
            ".streamlit/secrets.toml, else data/borgerraad.duckdb (these three from the project folder). "
            "Only seed and restore create a database; the other commands refuse a path that does "
            "not exist. check and export only read (the file may be read-only).\n\n" + _columns_help()
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
    add_sheet_options(imp)
    db_option(imp)

    exp = sub.add_parser("export", help="write one kind of record to a file")
    exp.add_argument("--kind", required=True, choices=sorted(KINDS), help="what to export")
    exp.add_argument("--format", required=True, choices=FORMATS, help="file format")
    exp.add_argument("--out", required=True, type=Path, help="output file")
    db_option(exp)

    chk = sub.add_parser(
        "check",
        help="read every table whole (damaged blocks), schema version, row counts, dangling references",
    )
    db_option(chk)

    seed = sub.add_parser("seed", help="create the database and load the bundled sample data (sample_data/)")
    seed.add_argument("--empty", action="store_true", help="only create the (empty) database, no sample data")
    db_option(seed)

    bak = sub.add_parser(
        "backup",
        help="write every table as Parquet plus manifest.json (row counts, sha256) into a new folder",
        description="Reads one consistent snapshot and refuses a database that cannot be read whole; "
        "every file is read back and checked after writing. The dashboard must not have the file open "
        "(DuckDB allows one process): while it runs, use 'Tag sikkerhedskopi' on its Data page.",
    )
    bak.add_argument("--out", required=True, type=Path, help="a new or empty folder")
    db_option(bak)

    res = sub.add_parser(
        "restore",
        help="restore a backup folder into an empty database (or, with --force, replace it)",
        description="Checks the manifest's schema version and every file's checksum before "
        "writing anything; the database is replaced whole or not at all.",
    )
    res.add_argument("dir", type=Path, help="the backup folder (with manifest.json)")
    res.add_argument("--force", action="store_true", help="replace a database that has data")
    db_option(res)
    add_extra_commands(sub, db_option)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return _run(args)
    except DatabaseError as exc:
        print(f"Fejl: {exc}", file=sys.stderr)
        return 2
    except SeedError as exc:
        print(f"Fejl: {_full_disk_note(args)}{exc}", file=sys.stderr)
        return 1
    except duckdb.Error as exc:  # e.g. a damaged block met while reading
        detail = f"{DISK_FULL}." if is_disk_full(exc) else f"Databasen {damage_reason(exc)}."
        print(
            f"Fejl: {detail} Intet er ændret. Kør python -m data_model check, og gendan evt. en sikkerhedskopi.",
            file=sys.stderr,
        )
        return 2
    except OSError as exc:
        if is_disk_full(exc):
            print(
                f"Fejl: {DISK_FULL}: {exc.filename or 'filen'} kunne ikke skrives. Frigør plads og prøv igen.",
                file=sys.stderr,
            )
        else:
            print(
                f"Fejl: {exc.filename or 'filen'} kan ikke læses eller skrives ({exc.strerror}).",
                file=sys.stderr,
            )
        return 2


def _full_disk_note(args: argparse.Namespace) -> str:
    """'Disken er fuld' first when a failed write was the database's and the disk has no room."""
    folder = resolve_db_path(args.db).parent
    if not folder.is_dir() or disk_has_room(folder):
        return ""
    return f"{DISK_FULL}: der er ikke plads til at skrive i databasen. Frigør plads og prøv igen.\n"


def _run(args: argparse.Namespace) -> int:
    if args.command in EXTRA_COMMANDS:
        return EXTRA_COMMANDS[args.command](args)
    if args.command == "import" and args.municipality:
        return run_sheet_import(args)
    if args.command == "import":
        con = connect(args.db, create=False)
        report = import_file(con, args.file, args.kind, today=args.today, dry_run=args.dry_run)
        if report.problems and not args.dry_run:
            print(_full_disk_note(args), end="", file=sys.stderr)
        for problem in report.problems:
            print(problem.as_text(), file=sys.stderr)
        print(
            report.summary()
            if not args.dry_run or report.problems
            else f"{report.file_name}: {report.rows} række(r) er gyldige (intet skrevet)."
        )
        return 0 if report.ok else 1
    if args.command == "export":
        con = connect(args.db, create=False, read_only=True)
        existed = args.out.exists()
        try:
            rows = export_kind(con, args.kind, args.format, args.out)
        except BaseException:
            if not existed:  # never leave a half-written file behind
                with contextlib.suppress(OSError):
                    args.out.unlink()
            raise
        print(f"{rows} række(r) skrevet til {args.out}")
        return 0
    if args.command == "check":
        con = connect(args.db, create=False, read_only=True)
        text, healthy = check_report(con)
        print(text)
        return 0 if healthy else 1
    if args.command == "backup":
        con = connect(args.db, create=False, read_only=True)
        try:
            manifest = backup_database(con, args.out)
        finally:
            con.close()
        rows = sum(t["rows"] for t in manifest["tables"])
        print(
            f"Sikkerhedskopi skrevet og kontrolleret i {args.out}: {len(manifest['tables'])} tabeller, "
            f"{rows} rækker, skemaversion {manifest['schema_version']}."
        )
        return 0
    if args.command == "restore":
        target = resolve_db_path(args.db)
        counts = restore_database(args.dir, target, force=args.force)
        print(f"Gendannet {sum(counts.values())} rækker i {len(counts)} tabeller til {target}.")
        return 0
    if args.command == "seed":
        con = connect(args.db)
        if args.empty:
            mark_empty_on_purpose(con)  # the dashboard opens on the set-up, never loads sample data
            print(f"Databasen {resolve_db_path(args.db)} er klar (tom, skemaversion {current_version(con)}).")
            return 0
        reports = load_sample_data(con)
        for report in reports:
            print(report.summary())
        return 0
    return 2


if __name__ == "__main__":
    sys.exit(main())
