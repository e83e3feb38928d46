"""Command line: ``python -m report_pack --municipality Haderslev --period 2024 --out DIR``."""

from __future__ import annotations

import argparse
import sys
import tempfile
from datetime import date
from pathlib import Path

# Only the standard library at import: main() starts the chart-drawing helper as soon as the
# arguments are read (Vega starts in it while the rest loads), then imports the report modules.


def build_parser() -> argparse.ArgumentParser:
    from data_model.db import DB_PATH_ENV
    from data_model.labels import SMALL_N

    parser = argparse.ArgumentParser(
        prog="python -m report_pack",
        description=(
            "Beretningspakke: kommunens rapportskabelon (ellers alle standardfigurer) for én "
            "beretningsperiode som PNG og SVG, tallene bag som CSV og Excel, figures.json og et Word-dokument."
        ),
        epilog=(
            f"Databasen er --db, ellers ${DB_PATH_ENV}, ellers db_path i .streamlit/secrets.toml, "
            "ellers data/borgerraad.duckdb. Databasen åbnes kun til læsning."
        ),
    )
    parser.add_argument(
        "--municipality", "--kommune", required=True, help="kommunens navn eller kode (Haderslev, 510)"
    )
    parser.add_argument(
        "--period",
        "--periode",
        required=True,
        help="beretningsperiodens betegnelse eller id (2024, 2024/25, 510-2024)",
    )
    parser.add_argument("--out", type=Path, help="mappe, filerne skrives i")
    parser.add_argument("--zip", type=Path, help="skriv også (eller kun) pakken som én zip-fil")
    parser.add_argument(
        "--suppress",
        nargs="?",
        type=int,
        const=SMALL_N,
        default=None,
        metavar="GRÆNSE",
        help=f"skjul små tal: antal fra 1 til GRÆNSE-1 (standard {SMALL_N})",
    )
    parser.add_argument(
        "--today", type=date.fromisoformat, help="dato for anbefalingernes status (ÅÅÅÅ-MM-DD)"
    )
    parser.add_argument(
        "--standard",
        action="store_true",
        help="byg standardpakken, også når kommunen har en rapportskabelon",
    )
    parser.add_argument("--db", help="stien til DuckDB-databasen")
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.out is None and args.zip is None:
        parser.error("angiv --out MAPPE og/eller --zip FIL")
    if args.suppress is not None and args.suppress < 2:
        parser.error("grænsen for små tal skal være mindst 2")
    from charts.draw_process import prestart

    prestart()  # Vega starts in the drawing helper while the rest loads and the queries run
    from data_model.db import DatabaseError, connect
    from data_model.labels import format_number
    from report_pack.build import build_pack
    from report_pack.resolve import PackInputError, resolve_municipality, resolve_period

    try:
        con = connect(args.db, create=False, read_only=True)
    except DatabaseError as exc:
        print(exc, file=sys.stderr)
        return 1
    try:
        code, _name = resolve_municipality(con, args.municipality)
        period = resolve_period(con, code, args.period)

        def progress(fraction: float, message: str) -> None:
            print(f"{round(fraction * 100):3d} %  {message}", file=sys.stderr)

        with tempfile.TemporaryDirectory() as scratch:
            out = args.out or Path(scratch)
            result = build_pack(
                con,
                code,
                period.period_id,
                out,
                args.suppress,
                progress,
                today=args.today,
                zip_path=args.zip,
                use_template=not args.standard,
            )
    except PackInputError as exc:
        print(exc, file=sys.stderr)
        return 2
    finally:
        con.close()
    where = " og ".join(str(p) for p in (args.out, args.zip) if p is not None)
    print(
        f"Beretningspakke for {period.municipality_name} {period.label}: {len(result.figures)} figurer, "
        f"{len(result.tables)} tabeller, {len(result.omitted)} udeladt; skrevet til {where} "
        f"på {format_number(result.seconds, 1)} sekunder."
    )
    for omitted in result.omitted:
        print(f"  Udeladt: {omitted.title}: {omitted.reason}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
