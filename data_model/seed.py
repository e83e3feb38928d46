"""Loading the bundled sample data (sample_data/) into a database, on first start."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import duckdb

from data_model.importer import ImportReport, import_file
from data_model.setup import empty_on_purpose

SAMPLE_DATA = Path(__file__).resolve().parent.parent / "sample_data"
SEED_ACTOR = "eksempeldata"

# file name in a sample_data folder -> import kind, in load order
SEED_FILES: tuple[tuple[str, str], ...] = (
    ("municipality.csv", "municipalities"),
    ("municipalities.csv", "municipalities"),
    ("populations.csv", "populations"),
    ("report_periods.csv", "report_periods"),
    ("categories.csv", "categories"),
    ("themes.csv", "themes"),
    ("org_units.csv", "org_units"),
    ("inquiries.csv", "inquiries"),
    ("complaint_points.csv", "complaint_points"),
    ("appeal_decisions.csv", "appeal_decisions"),
    ("appeal_statistics.csv", "appeal_statistics"),
    ("recommendations.csv", "recommendations"),
    ("follow_ups.csv", "follow_ups"),
    ("published_figures.csv", "published_figures"),
    ("events.csv", "events"),
)


class SeedError(Exception):
    def __init__(self, reports: list[ImportReport]) -> None:
        self.reports = reports
        details = "; ".join(
            f"{r.file_name}: " + ", ".join(p.as_text() for p in r.problems[:5]) for r in reports
        )
        super().__init__(f"Eksempeldata kunne ikke indlæses: {details}")


def seed_folders(root: Path = SAMPLE_DATA) -> list[Path]:
    """Reference data first, then each report's folder, then the generated records."""
    folders = [root / "reference"]
    reports = root / "reports"
    if reports.is_dir():
        folders += sorted(p for p in reports.iterdir() if p.is_dir())
    folders.append(root / "generated")
    return [f for f in folders if f.is_dir()]


def load_sample_data(
    con: duckdb.DuckDBPyConnection, *, root: Path = SAMPLE_DATA, today: date | None = None
) -> list[ImportReport]:
    """Import every sample file kind by kind; raises SeedError listing any file that failed."""
    folders = seed_folders(root)
    reports: list[ImportReport] = []
    failed: list[ImportReport] = []
    for file_name, kind in SEED_FILES:
        for folder in folders:
            path = folder / file_name
            if path.is_file():
                report = import_file(con, path, kind, today=today, actor=SEED_ACTOR)
                report.file_name = str(path.relative_to(root))
                (failed if report.problems else reports).append(report)
    if failed:
        raise SeedError(failed)
    from report_pack.template import seed_templates  # the pack's layer; imported late, no cycle

    seed_templates(con, root, SEED_ACTOR)
    return reports


def is_empty(con: duckdb.DuckDBPyConnection) -> bool:
    row = con.execute("SELECT count(*) FROM municipality").fetchall()[0]
    return not row or row[0] == 0


def ensure_seeded(con: duckdb.DuckDBPyConnection, *, today: date | None = None) -> bool:
    """Load the sample data into an empty database; True when it did. A database created empty
    on purpose (``python -m data_model seed --empty``) stays empty and opens on the set-up."""
    if not is_empty(con) or empty_on_purpose(con):
        return False
    load_sample_data(con, today=today)
    return True
