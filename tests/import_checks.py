"""What counts as a complete Danish import report, shared by the reliability tests of the data
layer (tests/data_model/test_importer_hostile_files.py, test_db_concurrency.py, test_db_failures.py)."""

from __future__ import annotations

import re

import duckdb
from hypothesis import event
from hypothesis.control import currently_in_test_context

from data_model.db import row_counts
from data_model.importer import ImportReport, Problem
from data_model.kinds import KINDS
from data_model.labels import REASONS
from data_model.parsing import looks_like_cpr

# ---------------------------------------------------------------------------------------------
# What counts as a complete Danish report
# ---------------------------------------------------------------------------------------------

REASON_TEXTS = set(REASONS.values())
DANISH_TEMPLATES = [
    re.compile(pattern)
    for pattern in (
        r"^Må højst være -?\d+$",
        r"^Skal være mindst -?\d+$",
        r"^Teksten er for lang \(højst \d+ tegn\)$",
        r"^Filtypen \S+ understøttes ikke \(brug CSV, XLSX eller Parquet\)\.$",
        r"^Filen (er hverken UTF-8 eller Windows-1252|indeholder binære data og er ikke en CSV-fil|er tom)\.$",
        r"^CSV-filen kan ikke læses: (en celle er over 131\.072 tegn lang|ugyldig CSV)\.$",
        r"^(Excel|Parquet)-filen kan ikke læses \(\w+\)\.$",
        r"^Regnearket er tomt\.$",
        # issue 16 items 5 and 9 (tests/data_model/test_importer_corruption.py, tests/data_model/test_uploads.py)
        r"^Filen er UTF-8, men linje \d+ har tegn i en anden tegnkodning \(fx Windows-1252\)\. ",
        r"^Filen er for stor \(\d+ MB; højst \d+ MB\)\. ",
        r"^Excel-filen fylder \d+ MB udpakket \(højst \d+ MB\)\. ",
        r"^Regnearket har flere ark med data \(.+\)\. Læg rækkerne i ét ark",
        r"^Regnearket har for mange rækker eller celler ",
        r"^Databasen (kunne ikke læse eller skrive|afviste rækkerne) .*intet er importeret",
        r"^En anden bruger ændrede de samme rækker samtidig; intet er importeret",
    )
]


def note(value: str) -> None:
    """hypothesis.event inside a property test (shown with --hypothesis-show-statistics), else nothing."""
    if currently_in_test_context():
        event(value)


def assert_danish_problem(problem: Problem) -> None:
    """A known Danish reason (no English library message leaking through), a sane location,
    and no personal data echoed back."""
    assert isinstance(problem.reason, str) and problem.reason, problem
    assert problem.reason in REASON_TEXTS or any(t.match(problem.reason) for t in DANISH_TEMPLATES), (
        f"not a known Danish reason: {problem.reason!r}"
    )
    assert problem.row is None or (isinstance(problem.row, int) and problem.row >= 1), problem
    assert isinstance(problem.column, str) and isinstance(problem.value, str), problem
    assert not looks_like_cpr(problem.value) and not looks_like_cpr(problem.column), problem
    problem.as_text()


def check_outcome(
    con: duckdb.DuckDBPyConnection,
    kind_name: str,
    before: dict[str, int],
    report: ImportReport,
    dry_run: bool,
) -> None:
    """A clean import, or a complete Danish report and not one row written."""
    after = row_counts(con)
    assert isinstance(report, ImportReport)
    if report.problems:
        note("outcome: refused with a Danish report")
        for problem in report.problems:
            assert_danish_problem(problem)
        assert "intet importeret" in report.summary()
        assert after == before, "a refused import wrote something"
        return
    note("outcome: dry run, valid" if dry_run else "outcome: imported")
    assert report.new + report.changed + report.unchanged == report.rows  # a dry run counts too
    expected = dict(before)
    if not dry_run:
        expected[KINDS[kind_name].table] += report.new
        expected["import_log"] += 1
        expected["audit_log"] += 1 + len({c.key for c in report.changes})  # one per changed record
    assert after == expected


BATCH = 200
BATCHES = 8


def batch_csv(k: int, version: str) -> bytes:
    rows = "".join(
        f"batch{k}-{i},999,2025-{1 + i % 12:02d}-15,klage,999-tek,{version} af batch {k}\n"
        for i in range(BATCH)
    )
    return ("inquiry_id,municipality_code,received,kind_code,unit_id,summary\n" + rows).encode()
