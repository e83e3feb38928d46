"""Reliability of the data layer (issue 9): hostile files, many sessions, broken database files,
hostile text, and SQL that is never built from input. docs/RELIABILITY.md says what each test
checks, how many cases were tried, and what it does not cover.

The property tests use hypothesis. ``HYPOTHESIS_PROFILE=thorough`` multiplies every example
budget by 10 (and the time limits with it); the default keeps this file around a minute.
"""

from __future__ import annotations

import ast
import csv
import io
import os
import re
import signal
import subprocess
import sys
import threading
import unicodedata
import zipfile
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import duckdb
import openpyxl
import polars as pl
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from hypothesis.control import currently_in_test_context
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from data_model import importer
from data_model.csv_safety import neutralise, unneutralise
from data_model.db import DatabaseError, connect, row_counts
from data_model.export import frame_to_csv, frame_to_xlsx, kind_frame
from data_model.importer import ImportReport, Problem, import_file
from data_model.kinds import KINDS
from data_model.labels import FIELD_LABELS, REASONS
from data_model.parsing import looks_like_cpr
from data_model.readers import read_table
from data_model.seed import load_sample_data
from queries import appeals, inquiries, recommendations
from queries.facts import facts_sql
from queries.filters import Filters
from queries.periods import Span
from tests.conftest import ROOT, TODAY, write

THOROUGH = os.environ.get("HYPOTHESIS_PROFILE", "default") == "thorough"
SCALE = 10 if THOROUGH else 1


def fuzz(examples: int) -> settings:
    """Per-test settings: ``examples`` by default, ten times that in the thorough profile.

    Every example must finish within the deadline (a hang fails the example instead of the run);
    the pytest timeout on each test bounds the whole test.
    """
    return settings(
        max_examples=examples * SCALE,
        deadline=timedelta(seconds=10),
        database=None,  # nothing written into the working tree
        derandomize=False,
        print_blob=True,
        suppress_health_check=[
            HealthCheck.too_slow,
            HealthCheck.data_too_large,
            HealthCheck.function_scoped_fixture,  # one database per test; examples share it on purpose
            HealthCheck.large_base_example,
        ],
    )


FUZZ_TIMEOUT = pytest.mark.timeout(150 * SCALE)

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


# ---------------------------------------------------------------------------------------------
# Strategies: cells, headers and whole files
# ---------------------------------------------------------------------------------------------

HOSTILE = [
    "=cmd|' /C calc'!A0",
    '=HYPERLINK("http://example.invalid","klik")',
    "+1+1",
    "-2+3",
    "@SUM(A1:A9)",
    "\t=1+1",
    "<script>alert('x')</script>",
    '<img src=x onerror="alert(1)">',
    "**fed** _kursiv_ [link](javascript:alert(1)) `kode` # Overskrift",
    "'; DROP TABLE inquiry; --",
    "Robert'); DELETE FROM inquiry WHERE ('1'='1",
    '" OR 1=1 --',
    "a\x00b",
    "\x00",
    "mid\ufeffdle",
    "\ufeff",
    "\u202eevil\u202c",
    "nul\u200bbredde",
    "linje 1\r\nlinje 2",
    "\n",
    '"',
    '"ubalanceret',
    'a"b"c',
    ";",
    "a;b,c\td|e",
    "010190-1234",
    "0101901234",
    "3112991234",
    "010190 1234",
    "1.234,5",
    "1e400",
    "-0",
    "nan",
    "inf",
    "9" * 40,
    "NULL",
    "None",
    "ÆØÅ æøå ü ß",
    "😀👍🏽",
    " ",
    "",
]
KNOWN = [
    "999",
    "998",
    "000",
    "999-tek",
    "999-sos",
    "999-sos-born",
    "998-tek",
    "999-2024",
    "klage",
    "vejledning",
    "genoptaget",
    "begrundelse",
    "sagsbehandlingstid",
    "boern_handicap",
    "hjemvist",
    "stadfaestet",
    "i_gang",
    "i1",
    "j1",
    "r1",
    "teknik_miljoe",
    "forvaltning",
    "2024-02-01",
    "01-03-2024",
    "2025-12-31",
    "2024-02-30",
    "ja",
    "nej",
    "1",
    "0",
    "12",
    "3,5",
    "-7",
    "2147483648",
]
cpr_shaped = st.from_regex(r"[0-3][0-9][01][0-9][0-9]{2}[- ]?[0-9]{4}", fullmatch=True)
cells = st.one_of(
    st.sampled_from(KNOWN),
    st.sampled_from(HOSTILE),
    st.text(max_size=30),
    cpr_shaped,
    st.integers().map(str),
    st.floats().map(str),
)
kinds = st.sampled_from(sorted(KINDS))


def header_strategy(kind_name: str) -> st.SearchStrategy[str]:
    kind = KINDS[kind_name]
    accepted = (
        kind.columns + [FIELD_LABELS[c] for c in kind.columns if c in FIELD_LABELS] + list(kind.aliases)
    )
    return st.one_of(st.sampled_from(accepted), st.sampled_from(accepted).map(str.upper), cells)


@st.composite
def table_shapes(
    draw: st.DrawFn, cell_strategy: st.SearchStrategy[Any] = cells
) -> tuple[str, list[str], list[list[Any]]]:
    """A kind, mostly its own headers (plus junk and duplicates), and ragged rows of cells."""
    kind_name = draw(kinds)
    columns = KINDS[kind_name].columns
    headers = draw(
        st.one_of(
            st.just(list(columns)),
            st.lists(header_strategy(kind_name), max_size=12),
            st.permutations(columns).map(list),
        )
    )
    rows = draw(
        st.lists(
            st.lists(cell_strategy, min_size=max(0, len(headers) - 2), max_size=len(headers) + 2), max_size=8
        )
    )
    return kind_name, headers, rows


@st.composite
def mutate(draw: st.DrawFn, data: bytes) -> bytes:
    """Truncation, a BOM in the middle, spliced random bytes, a NUL byte, or nothing."""
    how = draw(st.sampled_from(["none", "none", "truncate", "bom_middle", "splice", "nul"]))
    event(f"mutation: {how}")
    if not data or how == "none":
        return data
    # A position independent of the length: a workbook's bytes carry the time it was saved, so a
    # length-bounded draw would make hypothesis see a different strategy when it replays.
    at = draw(st.integers(0, 2**20)) % (len(data) + 1)
    if how == "truncate":
        return data[:at]
    if how == "bom_middle":
        return data[:at] + b"\xef\xbb\xbf" + data[at:]
    if how == "nul":
        return data[:at] + b"\x00" + data[at:]
    return data[:at] + draw(st.binary(min_size=1, max_size=64)) + data[at:]


@st.composite
def csv_files(draw: st.DrawFn) -> tuple[str, str, bytes]:
    kind_name, headers, rows = draw(table_shapes())
    lines = [headers, *rows]
    eol = draw(st.sampled_from(["\n", "\r\n", "\r"]))
    if draw(st.booleans()):  # well-formed quoting by the csv module
        buffer = io.StringIO()
        writer = csv.writer(
            buffer,
            delimiter=draw(st.sampled_from([",", ";", "\t"])),
            quoting=draw(st.sampled_from([csv.QUOTE_MINIMAL, csv.QUOTE_ALL])),
            lineterminator=eol,
        )
        writer.writerows(lines)
        text = buffer.getvalue()
    else:  # raw joins: unbalanced quotes, mixed delimiters line by line, cells spilling over lines
        text = eol.join(draw(st.sampled_from([",", ";", "\t", "|"])).join(map(str, line)) for line in lines)
    encoding = draw(
        st.sampled_from(["utf-8", "utf-8-sig", "latin-1", "cp1252", "utf-16", "utf-16-be", "utf-32"])
    )
    event(f"csv encoding: {encoding}")
    data = draw(mutate(text.encode(encoding, errors="replace")))
    return kind_name, draw(st.sampled_from(["f.csv", "f.txt", "F.CSV"])), data


xlsx_cells = st.one_of(
    cells.map(lambda s: ILLEGAL_CHARACTERS_RE.sub("", s)),  # openpyxl cannot even write the rest
    st.integers(min_value=-(10**30), max_value=10**30),
    st.floats(allow_nan=False, allow_infinity=False),
    st.datetimes(min_value=datetime(1900, 3, 1), max_value=datetime(2100, 1, 1)),
    st.dates(min_value=date(1900, 3, 1), max_value=date(2100, 1, 1)),
    st.booleans(),
    st.none(),
)


@st.composite
def xlsx_files(draw: st.DrawFn) -> tuple[str, str, bytes]:
    kind_name, headers, rows = draw(table_shapes(xlsx_cells))
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append([ILLEGAL_CHARACTERS_RE.sub("", h) for h in headers])
    for row in rows:
        sheet.append(row)
    if draw(st.booleans()):  # a far-away cell: the sheet claims a huge size
        sheet.cell(row=draw(st.integers(10, 1_048_576)), column=draw(st.integers(1, 16_384)), value="x")
    buffer = io.BytesIO()
    workbook.save(buffer)
    return kind_name, "f.xlsx", draw(mutate(buffer.getvalue()))


PARQUET_TYPES: dict[str, tuple[pa.DataType, st.SearchStrategy[Any]]] = {
    "string": (pa.string(), cells),
    "int64": (pa.int64(), st.integers(min_value=-(2**63), max_value=2**63 - 1)),
    "float64": (pa.float64(), st.floats()),
    "bool": (pa.bool_(), st.booleans()),
    "date": (pa.date32(), st.dates()),
    "timestamp": (pa.timestamp("us"), st.datetimes()),
    "list": (pa.list_(pa.string()), st.lists(st.one_of(cells, st.none()), max_size=4)),
    "binary": (pa.binary(), st.binary(max_size=20)),
    "decimal": (pa.decimal128(38, 2), st.decimals(min_value=-(10**30), max_value=10**30, places=2)),
}


@st.composite
def parquet_files(draw: st.DrawFn) -> tuple[str, str, bytes]:
    kind_name = draw(kinds)
    headers = draw(
        st.one_of(st.just(KINDS[kind_name].columns), st.lists(header_strategy(kind_name), max_size=10))
    )
    rows = draw(st.integers(0, 6))
    arrays = []
    for _ in headers:
        dtype, values = PARQUET_TYPES[draw(st.sampled_from(sorted(PARQUET_TYPES)))]
        arrays.append(
            pa.array(draw(st.lists(st.one_of(values, st.none()), min_size=rows, max_size=rows)), dtype)
        )
    buffer = io.BytesIO()
    pq.write_table(pa.Table.from_arrays(arrays, names=list(headers)), buffer)
    return kind_name, "f.parquet", draw(mutate(buffer.getvalue()))


def run_import(con: duckdb.DuckDBPyConnection, kind_name: str, name: str, data: bytes, dry_run: bool) -> None:
    before = row_counts(con)
    report = import_file(con, name, kind_name, today=TODAY, data=data, dry_run=dry_run)
    check_outcome(con, kind_name, before, report, dry_run)


# ---------------------------------------------------------------------------------------------
# 1. Hostile files at import_file: a clean import or a complete Danish report, nothing else
# ---------------------------------------------------------------------------------------------


@FUZZ_TIMEOUT
@fuzz(100)
@given(
    kind_name=kinds,
    name=st.sampled_from(["f.csv", "f.txt", "f.xlsx", "f.parquet", "f.exe", "f", "f.json"]),
    data=st.one_of(
        st.binary(max_size=4096),
        st.binary(max_size=512).map(lambda b: b"PK\x03\x04" + b),
        st.binary(max_size=512).map(lambda b: b"PAR1" + b + b"PAR1"),
        st.binary(max_size=512).map(lambda b: b"\xff\xfe" + b),
    ),
)
def test_random_bytes(query_db, kind_name: str, name: str, data: bytes) -> None:
    run_import(query_db, kind_name, name, data, dry_run=False)


@FUZZ_TIMEOUT
@fuzz(100)
@given(file=csv_files(), dry_run=st.booleans())
def test_malformed_csv(query_db, file: tuple[str, str, bytes], dry_run: bool) -> None:
    run_import(query_db, *file, dry_run=dry_run)


@FUZZ_TIMEOUT
@fuzz(60)
@given(file=xlsx_files(), dry_run=st.booleans())
def test_malformed_xlsx(query_db, file: tuple[str, str, bytes], dry_run: bool) -> None:
    run_import(query_db, *file, dry_run=dry_run)


@FUZZ_TIMEOUT
@fuzz(80)
@given(file=parquet_files(), dry_run=st.booleans())
def test_malformed_parquet(query_db, file: tuple[str, str, bytes], dry_run: bool) -> None:
    run_import(query_db, *file, dry_run=dry_run)


# Valid inquiry rows (ids from letters only, so never CPR-shaped) with hostile summaries.
safe_text = st.one_of(
    st.sampled_from([t for t in HOSTILE if "\x00" not in t and not looks_like_cpr(t)]),
    st.text(max_size=200).filter(lambda t: "\x00" not in t and not looks_like_cpr(t)),
)


@st.composite
def valid_inquiries(draw: st.DrawFn) -> list[dict[str, str]]:
    ids = draw(
        st.lists(
            st.text("abcdefghjkmnpqrstuvwxyz", min_size=10, max_size=14), min_size=1, max_size=12, unique=True
        )
    )
    rows = []
    for inquiry_id in ids:
        received = draw(st.dates(min_value=date(2001, 1, 1), max_value=TODAY))
        closed = draw(st.one_of(st.none(), st.dates(min_value=received, max_value=TODAY)))
        rows.append(
            {
                "inquiry_id": f"hv-{inquiry_id}",
                "municipality_code": "999",
                "received": draw(st.sampled_from([received.isoformat(), received.strftime("%d-%m-%Y")])),
                "closed": "" if closed is None else closed.isoformat(),
                "kind_code": draw(st.sampled_from(["klage", "vejledning", "intern"])),
                "unit_id": draw(st.sampled_from(["", "999-tek", "999-sos", "999-sos-born"])),
                "summary": draw(safe_text),
            }
        )
    return rows


def inquiry_csv(rows: list[dict[str, str]], delimiter: str = ";") -> bytes:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(rows[0]), delimiter=delimiter, lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8-sig")


@FUZZ_TIMEOUT
@fuzz(60)
@given(rows=valid_inquiries(), delimiter=st.sampled_from([",", ";"]))
def test_valid_rows_with_hostile_text_import_exactly(
    query_db, rows: list[dict[str, str]], delimiter: str
) -> None:
    before = row_counts(query_db)
    report = import_file(query_db, "ok.csv", "inquiries", today=TODAY, data=inquiry_csv(rows, delimiter))
    assert report.ok, report.problems
    check_outcome(query_db, "inquiries", before, report, dry_run=False)
    for row in rows:
        stored = query_db.execute(
            "SELECT summary FROM inquiry WHERE inquiry_id = ?", [row["inquiry_id"]]
        ).fetchone()
        assert stored == (row["summary"].strip() or None,)


# Every bad row is reported, at its row number, column and reason; nothing lands.
CORRUPTIONS = {
    "bad_date": ("received", "31-31-2024", "Modtaget", REASONS["not_date"]),
    "future": ("received", "2030-01-01", "Modtaget", REASONS["future_date"]),
    "cpr": ("summary", "ring 010190-1234", "Resumé", REASONS["cpr"]),
    "unknown_unit": ("unit_id", "999-ukendt", "Enheds-id", REASONS["unknown_unit"]),
    "foreign_unit": ("unit_id", "998-tek", "Enheds-id", REASONS["unit_other_municipality"]),
    "unknown_kind": ("kind_code", "hemmelig", "Henvendelsestype", REASONS["unknown_category"]),
    "missing_id": ("inquiry_id", "", "Henvendelses-id", REASONS["missing"]),
    "closed_first": ("closed", "2000-12-31", "Afsluttet", REASONS["closed_before_received"]),
}


@FUZZ_TIMEOUT
@fuzz(60)
@given(rows=valid_inquiries(), data=st.data())
def test_every_bad_row_is_reported(query_db, rows: list[dict[str, str]], data: st.DataObject) -> None:
    rows = [dict(row) for row in rows]
    bad = data.draw(st.sets(st.integers(0, len(rows) - 1), min_size=1))
    expected = set()
    for index in bad:
        column, value, label, reason = CORRUPTIONS[data.draw(st.sampled_from(sorted(CORRUPTIONS)))]
        rows[index][column] = value
        expected.add((index + 2, label, reason))  # header is row 1
    before = row_counts(query_db)
    report = import_file(query_db, "bad.csv", "inquiries", today=TODAY, data=inquiry_csv(rows))
    check_outcome(query_db, "inquiries", before, report, dry_run=False)
    got = {(p.row, p.column, p.reason) for p in report.problems}
    assert expected <= got
    assert {p.row for p in report.problems} == {row for row, _, _ in expected}


# Huge files: deterministic, each bounded by the test timeout.


@pytest.fixture
def reference_db(small_db):
    return small_db


def _inquiry_rows(count: int, bad_at: int | None = None) -> list[list[Any]]:
    rows: list[list[Any]] = [
        [f"stor-{n}", "999", "2024-05-01", "klage", "999-tek", f"Resumé nr. {n}"] for n in range(count)
    ]
    if bad_at is not None:
        rows[bad_at][2] = "ikke en dato"
    return rows


HEADERS = ["inquiry_id", "municipality_code", "received", "kind_code", "unit_id", "summary"]


def _as(fmt: str, headers: list[str], rows: list[list[Any]]) -> bytes:
    if fmt == "csv":
        buffer = io.StringIO()
        csv.writer(buffer).writerows([headers, *rows])
        return buffer.getvalue().encode()
    if fmt == "xlsx":
        workbook = openpyxl.Workbook(write_only=True)
        sheet = workbook.create_sheet()
        for row in [headers, *rows]:
            sheet.append(row)
        buffer = io.BytesIO()
        workbook.save(buffer)
        return buffer.getvalue()
    columns = list(zip(*rows, strict=True)) if rows else [[] for _ in headers]
    buffer = io.BytesIO()
    pq.write_table(
        pa.table({h: pa.array(list(c), pa.string()) for h, c in zip(headers, columns, strict=True)}), buffer
    )
    return buffer.getvalue()


@pytest.mark.timeout(120)
@pytest.mark.parametrize("fmt", ["csv", "xlsx", "parquet"])
def test_twenty_thousand_rows_land_whole_or_not_at_all(reference_db, fmt: str) -> None:
    con = reference_db
    first = 2 if fmt != "parquet" else 1
    before = row_counts(con)
    bad = import_file(
        con, f"stor.{fmt}", "inquiries", today=TODAY, data=_as(fmt, HEADERS, _inquiry_rows(20_000, 19_999))
    )
    check_outcome(con, "inquiries", before, bad, dry_run=False)
    assert [(p.row, p.column) for p in bad.problems] == [(19_999 + first, "Modtaget")]
    if fmt == "xlsx":
        return  # writing and reading 20,000 rows of Excel twice costs 10 s; the other formats land it
    good = import_file(
        con, f"stor.{fmt}", "inquiries", today=TODAY, data=_as(fmt, HEADERS, _inquiry_rows(20_000))
    )
    check_outcome(con, "inquiries", before, good, dry_run=False)
    assert good.new == 20_000


@pytest.mark.timeout(120)
@pytest.mark.parametrize("fmt", ["csv", "xlsx", "parquet"])
def test_many_columns_and_very_long_cells(reference_db, fmt: str) -> None:
    con = reference_db
    before = row_counts(con)
    wide = HEADERS + [f"ekstra_{n}" for n in range(3000)]
    report = import_file(
        con,
        f"bred.{fmt}",
        "inquiries",
        today=TODAY,
        data=_as(fmt, wide, [[*_inquiry_rows(1)[0], *(["x"] * 3000)]]),
    )
    check_outcome(con, "inquiries", before, report, dry_run=False)
    assert sum(p.reason == REASONS["unknown_column"] for p in report.problems) == 3000
    long_rows = _inquiry_rows(3)
    long_rows[0][5] = "<p>" * 2000  # 6,000 characters: over the 4,000 a summary may have
    long_rows[1][5] = "æ" * 32_000
    long_rows[2][0] = "x" * 100_000  # an id of 100,000 characters is stored as it is, not a crash
    report = import_file(con, f"lang.{fmt}", "inquiries", today=TODAY, data=_as(fmt, HEADERS, long_rows))
    check_outcome(con, "inquiries", before, report, dry_run=False)
    assert {p.reason for p in report.problems} == {"Teksten er for lang (højst 4000 tegn)"}
    if fmt == "csv":  # a cell past the csv module's limit is a file-level problem
        report = import_file(
            con,
            "enorm.csv",
            "inquiries",
            today=TODAY,
            data=_as("csv", HEADERS, [[*long_rows[2][:5], "y" * 200_000]]),
        )
        check_outcome(con, "inquiries", before, report, dry_run=False)


@pytest.mark.timeout(60)
def test_a_sheet_that_claims_a_million_rows_is_not_a_hang(reference_db) -> None:
    """A 5 KB workbook whose size claim would make openpyxl pad every row to 16,384 cells."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["code", "name"])
    sheet.append(["zz", "Tema"])
    sheet.cell(row=1_048_576, column=16_384, value="x")
    buffer = io.BytesIO()
    workbook.save(buffer)
    assert len(buffer.getvalue()) < 10_000
    before = row_counts(reference_db)
    report = import_file(reference_db, "bombe.xlsx", "themes", today=TODAY, data=buffer.getvalue())
    check_outcome(reference_db, "themes", before, report, dry_run=False)


def _replace_in_sheet(xlsx: bytes, old: bytes, new: bytes) -> bytes:
    """Edit the first sheet's XML: values openpyxl itself refuses to write."""
    source, target = zipfile.ZipFile(io.BytesIO(xlsx)), io.BytesIO()
    with zipfile.ZipFile(target, "w") as out:
        for item in source.infolist():
            content = source.read(item.filename)
            out.writestr(item, content.replace(old, new) if item.filename.endswith("sheet1.xml") else content)
    return target.getvalue()


def test_numbers_that_do_not_fit_are_refused_in_danish(reference_db) -> None:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["municipality_code", "year", "population"])
    sheet.append(["999", 2024, 123456789])  # becomes an integer cell with 401 digits below
    sheet.append(["999", 2025, 2**31])  # one past the database's INTEGER
    buffer = io.BytesIO()
    workbook.save(buffer)
    data = _replace_in_sheet(buffer.getvalue(), b"<v>123456789</v>", b"<v>1" + b"0" * 400 + b"</v>")
    before = row_counts(reference_db)
    report = import_file(reference_db, "tal.xlsx", "populations", today=TODAY, data=data)
    check_outcome(reference_db, "populations", before, report, dry_run=False)
    assert [(p.row, p.column, p.reason) for p in report.problems] == [
        (2, "Indbyggertal", "Må højst være 2147483647"),
        (3, "Indbyggertal", "Må højst være 2147483647"),
    ]


def test_cells_the_libraries_cannot_convert_are_a_file_problem(reference_db) -> None:
    workbook = openpyxl.Workbook()
    workbook.active.append(["code", "name"])
    workbook.active.append(["a", 123456789])
    buffer = io.BytesIO()
    workbook.save(buffer)
    digits = _replace_in_sheet(buffer.getvalue(), b"<v>123456789</v>", b"<v>1" + b"0" * 5000 + b"</v>")
    late = io.BytesIO()  # a date in the year 5,000,000: pyarrow cannot make a Python date of it
    pq.write_table(
        pa.table({"event_id": ["e"], "date": pa.array([2_000_000_000], pa.int32()).cast(pa.date32())}), late
    )
    for name, kind_name, data, reason in [
        ("cifre.xlsx", "themes", digits, "Excel-filen kan ikke læses (ValueError)."),
        ("sen.parquet", "events", late.getvalue(), "Parquet-filen kan ikke læses (OverflowError)."),
    ]:
        before = row_counts(reference_db)
        report = import_file(reference_db, name, kind_name, today=TODAY, data=data)
        check_outcome(reference_db, kind_name, before, report, dry_run=False)
        assert [(p.row, p.reason) for p in report.problems] == [(None, reason)]


def test_cpr_numbers_typed_as_numbers_in_excel_are_refused(reference_db) -> None:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["inquiry_id", "municipality_code", "received", "kind_code", "summary"])
    sheet.append(["x1", 999, "2024-01-01", "klage", 1501901234])
    buffer = io.BytesIO()
    workbook.save(buffer)
    before = row_counts(reference_db)
    report = import_file(reference_db, "cpr.xlsx", "inquiries", today=TODAY, data=buffer.getvalue())
    check_outcome(reference_db, "inquiries", before, report, dry_run=False)
    assert [(p.row, p.column, p.reason) for p in report.problems] == [(2, "Resumé", REASONS["cpr"])]


# ---------------------------------------------------------------------------------------------
# 2. Many sessions: 8 readers on cursors of one connection while a writer imports and upserts
# ---------------------------------------------------------------------------------------------

F = Filters(municipalities=("999",))
Y2024 = Span(date(2024, 1, 1), date(2024, 12, 31), "2024")
Y2025 = Span(date(2025, 1, 1), date(2025, 12, 31), "2025")
BATCH = 200
BATCHES = 8


def _batch(k: int, version: str) -> bytes:
    rows = "".join(
        f"batch{k}-{i},999,2025-{1 + i % 12:02d}-15,klage,999-tek,{version} af batch {k}\n"
        for i in range(BATCH)
    )
    return ("inquiry_id,municipality_code,received,kind_code,unit_id,summary\n" + rows).encode()


@pytest.mark.timeout(180)
def test_eight_readers_and_a_writer_on_one_connection(query_db) -> None:
    con = query_db
    stop = threading.Event()
    errors: list[str] = []
    seen: list[list[int]] = [[] for _ in range(8)]
    writes: list[ImportReport] = []

    def reader(number: int) -> None:
        cur = con.cursor()  # what each page does with the app's one cached connection
        try:
            while not stop.is_set() or not seen[number]:
                inquiries.breakdown(cur, F, Y2025, "unit")
                inquiries.trend(cur, F, None)
                inquiries.year_over_year(cur, F, Y2025, "kind")
                appeals.omgoerelse(cur, F, Y2024)
                recommendations.recommendation_status(cur, F, TODAY)
                batches = cur.execute(
                    "SELECT split_part(inquiry_id, '-', 1), count(*), count(DISTINCT summary) "
                    "FROM inquiry WHERE inquiry_id LIKE 'batch%' GROUP BY 1"
                ).fetchall()
                for name, rows, versions in batches:
                    if rows != BATCH or versions != 1:
                        errors.append(f"reader {number} saw half of {name}: {rows} rows, {versions} versions")
                seen[number].append(sum(rows for _, rows, _ in batches))
        except Exception as exc:
            errors.append(f"reader {number}: {exc!r}")
        finally:
            cur.close()

    def writer() -> None:
        cur = con.cursor()
        try:
            for k in range(BATCHES):
                writes.append(
                    import_file(cur, f"batch{k}.csv", "inquiries", today=TODAY, data=_batch(k, "v1"))
                )
                if k:  # upsert the previous batch: every row changes
                    writes.append(
                        import_file(
                            cur, f"batch{k - 1}b.csv", "inquiries", today=TODAY, data=_batch(k - 1, "v2")
                        )
                    )
        except Exception as exc:
            errors.append(f"writer: {exc!r}")
        finally:
            cur.close()

    threads = [threading.Thread(target=reader, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    writing = threading.Thread(target=writer)
    writing.start()
    writing.join(timeout=150)
    stop.set()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors, errors[:5]
    assert all(report.ok for report in writes), [r.problems[:2] for r in writes if not r.ok]
    assert [(r.new, r.changed) for r in writes[:3]] == [(BATCH, 0), (BATCH, 0), (0, BATCH)]
    counts = con.execute(
        "SELECT split_part(inquiry_id, '-', 1), count(*), any_value(summary) FROM inquiry "
        "WHERE inquiry_id LIKE 'batch%' GROUP BY 1 ORDER BY 1"
    ).fetchall()
    assert len(counts) == BATCHES and all(rows == BATCH for _, rows, _ in counts)
    versions = {name: summary.split(" ")[0] for name, _, summary in counts}
    assert versions == {f"batch{k}": ("v1" if k == BATCHES - 1 else "v2") for k in range(BATCHES)}
    for history in seen:  # each reader's view only ever grew, and each reader ran
        assert history and history == sorted(history)


@pytest.mark.timeout(120)
def test_two_writers_on_the_same_rows_lose_nothing_silently(query_db) -> None:
    """Concurrent upserts of the same keys: each import lands whole or reports a Danish conflict."""
    con = query_db
    results: dict[str, list[ImportReport]] = {"a": [], "b": []}
    errors: list[str] = []

    def writer(tag: str) -> None:
        cur = con.cursor()
        try:
            for k in range(10):
                own = "inquiry_id,municipality_code,received,kind_code\n" + "".join(
                    f"{tag}{k}-{i},999,2025-01-01,klage\n" for i in range(100)
                )
                results[tag].append(
                    import_file(cur, f"{tag}{k}.csv", "inquiries", today=TODAY, data=own.encode())
                )
                shared = "inquiry_id,municipality_code,received,kind_code,summary\n" + "".join(
                    f"delt-{i},999,2025-01-01,klage,{tag}{k}\n" for i in range(50)
                )
                results[tag].append(
                    import_file(cur, f"delt{tag}{k}.csv", "inquiries", today=TODAY, data=shared.encode())
                )
        except Exception as exc:
            errors.append(repr(exc))
        finally:
            cur.close()

    threads = [threading.Thread(target=writer, args=(tag,)) for tag in results]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=100)
    assert not errors, errors
    for tag, reports in results.items():
        for k, report in enumerate(reports[::2]):  # own rows: never contended, always land
            assert report.ok, report.problems
            assert con.execute(
                "SELECT count(*) FROM inquiry WHERE inquiry_id LIKE ?", [f"{tag}{k}-%"]
            ).fetchone() == (100,)
        for report in reports[1::2]:
            for problem in report.problems:
                assert_danish_problem(problem)
    summaries = con.execute(
        "SELECT count(DISTINCT summary), count(*) FROM inquiry WHERE inquiry_id LIKE 'delt-%'"
    ).fetchone()
    assert summaries == (1, 50), "the shared rows hold one whole import, not a mix"


# ---------------------------------------------------------------------------------------------
# 3. Failures: the database file deleted, truncated or locked; the disk full mid-import
# ---------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def seeded_bytes(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    """A checkpointed sample database large enough to span many storage blocks."""
    path = tmp_path_factory.mktemp("seed") / "seed.duckdb"
    con = connect(path)
    load_sample_data(con, today=TODAY)
    con.close()
    return path.read_bytes()


def cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "data_model", *args], cwd=ROOT, capture_output=True, text=True, timeout=120
    )


EVENT_CSV = b"event_id,date,label\nhaendelse,2024-01-01,<b>Ny</b>\n"


@pytest.mark.parametrize(
    ("cut", "message"),
    [
        (0, "er tom (0 byte)"),
        (100, "er ikke en gyldig DuckDB-database"),
        (8192, "er ikke en gyldig DuckDB-database"),
        (0.25, "er afkortet"),
    ],
)
def test_truncated_file_at_open(seeded_bytes: bytes, tmp_path: Path, cut: float, message: str) -> None:
    path = tmp_path / "afkortet.duckdb"
    path.write_bytes(seeded_bytes[: int(len(seeded_bytes) * cut) if isinstance(cut, float) else cut])
    with pytest.raises(DatabaseError, match=re.escape(message)):
        connect(path)
    with pytest.raises(DatabaseError, match=re.escape(message)):
        connect(path, read_only=True)
    result = cli("check", "--db", str(path))
    assert result.returncode == 2 and message in result.stderr and "Traceback" not in result.stderr


def test_truncated_while_in_use(seeded_bytes: bytes, tmp_path: Path) -> None:
    path = tmp_path / "i_brug.duckdb"
    path.write_bytes(seeded_bytes)
    con = connect(path)
    os.truncate(path, len(seeded_bytes) // 4)
    report = import_file(con.cursor(), "e.csv", "events", today=TODAY, data=EVENT_CSV)
    assert not report.ok
    for problem in report.problems:
        assert_danish_problem(problem)
    assert "intet er importeret" in report.problems[0].reason
    con.close()
    with pytest.raises(DatabaseError, match="afkortet"):
        connect(path)


def test_deleted_at_open_and_while_in_use(seeded_bytes: bytes, tmp_path: Path) -> None:
    path = tmp_path / "slettet.duckdb"
    with pytest.raises(DatabaseError, match="findes ikke"):
        connect(path, create=False)
    path.write_bytes(seeded_bytes)
    con = connect(path)
    path.unlink()  # the open file lives on until closed (POSIX); what it holds then is gone
    report = import_file(con.cursor(), "e.csv", "events", today=TODAY, data=EVENT_CSV)
    assert report.ok, report.problems
    assert inquiries.breakdown(con.cursor(), F, None, "kind").height >= 0
    con.close()
    with pytest.raises(DatabaseError, match="findes ikke"):
        connect(path, create=False)
    result = cli(
        "export", "--kind", "events", "--format", "csv", "--out", str(tmp_path / "x.csv"), "--db", str(path)
    )
    assert result.returncode == 2 and "findes ikke" in result.stderr and "Traceback" not in result.stderr


@pytest.mark.timeout(120)
def test_locked_by_another_process(seeded_bytes: bytes, tmp_path: Path) -> None:
    path = tmp_path / "laast.duckdb"
    path.write_bytes(seeded_bytes)
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            f"import duckdb, sys; c = duckdb.connect({str(path)!r}); print('klar', flush=True); sys.stdin.read()",
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "klar"
        for read_only in (False, True):
            with pytest.raises(DatabaseError, match="låst af et andet program"):
                connect(path, read_only=read_only)
        for args in (
            ["check"],
            [
                "import",
                str(write(tmp_path / "e.csv", "event_id,date,label\ne,2024-01-01,x\n")),
                "--kind",
                "events",
            ],
            ["backup", "--out", str(tmp_path / "bak")],
        ):
            result = cli(*args, "--db", str(path))
            assert result.returncode == 2, result
            assert "låst af et andet program" in result.stderr and "Traceback" not in result.stderr
    finally:
        assert holder.stdin is not None
        holder.stdin.close()
        holder.wait(timeout=30)
    connect(path).close()  # free again once the other program has closed it


def test_in_use_here_locks_out_other_processes_cleanly(seeded_bytes: bytes, tmp_path: Path) -> None:
    path = tmp_path / "optaget.duckdb"
    path.write_bytes(seeded_bytes)
    con = connect(path)
    result = cli(
        "import",
        str(write(tmp_path / "e.csv", "event_id,date,label\ne,2024-01-01,x\n")),
        "--kind",
        "events",
        "--db",
        str(path),
    )
    assert (
        result.returncode == 2
        and "låst af et andet program" in result.stderr
        and "Traceback" not in result.stderr
    )
    assert import_file(con, "e.csv", "events", today=TODAY, data=EVENT_CSV).ok  # this session is unharmed
    con.close()


class _FailingCommit:
    """The connection as import_file sees it, except that COMMIT fails like a full disk."""

    def __init__(self, con: duckdb.DuckDBPyConnection) -> None:
        self._con = con

    def execute(self, sql: str, *args: Any) -> Any:
        if sql.strip().upper() == "COMMIT":
            raise duckdb.IOException("IO Error: Could not write file: No space left on device")
        return self._con.execute(sql, *args)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._con, name)


@pytest.mark.parametrize("where", ["after_upsert", "at_audit", "at_commit"])
def test_disk_full_mid_import_writes_nothing(query_db, monkeypatch: pytest.MonkeyPatch, where: str) -> None:
    real_upsert = importer.upsert

    def upsert_then_fail(con: Any, kind: Any, stage: str) -> None:
        real_upsert(con, kind, stage)  # the rows are in the transaction when the disk fills
        raise duckdb.IOException("IO Error: No space left on device")

    def audit_fails(*args: Any, **kwargs: Any) -> None:
        raise duckdb.IOException("IO Error: No space left on device")

    con: Any = query_db
    if where == "after_upsert":
        monkeypatch.setattr(importer, "upsert", upsert_then_fail)
    elif where == "at_audit":
        monkeypatch.setattr(importer, "audit", audit_fails)
    else:
        con = _FailingCommit(query_db)
    before = row_counts(query_db)
    data = _batch(99, "v1").replace(b"batch99-0,", b"i3,")  # a new batch plus one existing inquiry changed
    report = import_file(con, "fuld.csv", "inquiries", today=TODAY, data=data)
    check_outcome(query_db, "inquiries", before, report, dry_run=False)
    assert [p.reason for p in report.problems] == [
        "Databasen kunne ikke læse eller skrive (er disken fuld, eller er databasefilen skrivebeskyttet "
        "eller beskadiget?); intet er importeret (IOException)"
    ]
    assert (report.new, report.changed) == (0, 0)
    assert query_db.execute("SELECT summary FROM inquiry WHERE inquiry_id = 'i3'").fetchone() == (None,)
    monkeypatch.undo()
    assert import_file(
        query_db, "fuld.csv", "inquiries", today=TODAY, data=data
    ).ok  # and the session goes on


@pytest.mark.skipif(not hasattr(signal, "SIGXFSZ"), reason="needs POSIX file-size limits")
@pytest.mark.timeout(120)
def test_a_really_full_disk(query_db, tmp_path: Path) -> None:
    """A real write failure: the import runs in a process whose files may not grow past 200 KB."""
    path = Path(
        query_db.execute(
            "SELECT path FROM duckdb_databases() WHERE database_name = current_database()"
        ).fetchone()[0]
    )
    before = row_counts(query_db)
    query_db.close()
    rows = "".join(f"fuld-{n},999,2024-01-01,klage,{'x' * 100}\n" for n in range(20_000))
    big = write(tmp_path / "stor.csv", "inquiry_id,municipality_code,received,kind_code,summary\n" + rows)
    child = (
        "import resource, signal, sys\n"
        "from datetime import date\n"
        "from data_model.db import connect\n"
        "from data_model.importer import import_file\n"
        f"con = connect({str(path)!r})\n"
        "signal.signal(signal.SIGXFSZ, signal.SIG_IGN)\n"
        "resource.setrlimit(resource.RLIMIT_FSIZE, (200_000, resource.RLIM_INFINITY))\n"
        f"report = import_file(con, {str(big)!r}, 'inquiries', today=date(2026, 11, 24))\n"
        "print('\\n'.join(p.reason for p in report.problems) or 'importeret')\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", child], cwd=ROOT, capture_output=True, text=True, timeout=100
    )
    assert result.returncode == 0 and "Traceback" not in result.stderr, result.stderr
    assert result.stdout.startswith("Databasen kunne ikke læse eller skrive"), result.stdout
    con = connect(path)
    assert row_counts(con) == before
    con.close()


# ---------------------------------------------------------------------------------------------
# 5. Hostile text: stored and exported as the very same text; SQL only from fixed names
# ---------------------------------------------------------------------------------------------

TEXTS = [
    "<script>alert('borgerrådgiver')</script>",
    '<a href="javascript:alert(1)" onclick="x()">klik</a> &amp; &lt;b&gt;',
    "**Fed** _kursiv_ [link](http://example.invalid) | tabel | `kode`\n# Overskrift\n- punkt",
    "=cmd|' /C calc'!A0",
    '=HYPERLINK("http://example.invalid";"klik")',
    "+45 33 12 34 56",
    "-1+2",
    "@SUM(A1)",
    "Robert'); DROP TABLE inquiry;--",
    'Citat: "hej"; semikolon, komma',
    "flere\nlinjer\r\nher",
    "midt\ufeffi teksten",
    "\u202ehøjre-til-venstre\u202c og nul\u200bbredde",
    "ÆØÅ æøå – “citat” — 😀",
]
FORMULA_LIKE = {t for t in TEXTS if t.startswith("=")}
# Names refuse invisible and control characters (look-alike keys, issue 16 item 5); free text keeps them.
NAME_TEXTS = [t for t in TEXTS if not any(unicodedata.category(ch) in {"Cc", "Cf"} for ch in t)]


def _texts(kind_name: str) -> list[str]:
    return NAME_TEXTS if kind_name == "themes" else TEXTS


def _load_hostile(con: duckdb.DuckDBPyConnection) -> None:
    def to_csv(header: list[str], rows: list[list[str]]) -> bytes:
        buffer = io.StringIO()
        csv.writer(buffer, delimiter=";").writerows([header, *rows])
        return buffer.getvalue().encode("utf-8-sig")

    files = [
        ("themes", to_csv(["code", "name"], [[f"fjendtlig{n}", text] for n, text in enumerate(NAME_TEXTS)])),
        (
            "inquiries",
            to_csv(
                ["inquiry_id", "municipality_code", "received", "kind_code", "summary"],
                [[f"fjendtlig{n}", "999", "2024-04-01", "klage", text] for n, text in enumerate(TEXTS)],
            ),
        ),
        (
            "follow_ups",
            to_csv(
                ["follow_up_id", "recommendation_id", "date", "status_code", "text"],
                [[f"fjendtlig{n}", "r1", "2025-01-01", "i_gang", text] for n, text in enumerate(TEXTS)],
            ),
        ),
    ]
    for kind_name, data in files:
        report = import_file(con, f"{kind_name}.csv", kind_name, today=TODAY, data=data)
        assert report.ok, report.problems


HOSTILE_COLUMNS = {"themes": "name", "inquiries": "summary", "follow_ups": "text"}


@pytest.mark.parametrize("kind_name", sorted(HOSTILE_COLUMNS))
def test_hostile_text_is_stored_and_exported_as_text(query_db, kind_name: str) -> None:
    _load_hostile(query_db)
    column = HOSTILE_COLUMNS[kind_name]
    key = KINDS[kind_name].key[0]
    frame = kind_frame(query_db, kind_name).filter(pl.col(key).str.starts_with("fjendtlig"))
    stored = dict(zip(frame[key], frame[column], strict=True))
    texts = _texts(kind_name)
    assert stored == {f"fjendtlig{n}": text for n, text in enumerate(texts)}

    csv_bytes = frame_to_csv(frame)
    for text in texts:  # verbatim or RFC 4180 quoted, no HTML escaping; a formula gets its ' prefix
        cell = neutralise(text)
        quoted = '"' + cell.replace('"', '""') + '"'
        assert cell.encode() in csv_bytes or quoted.encode() in csv_bytes, text
    table = read_table("x.csv", csv_bytes)
    index = table.headers.index(column)
    assert sorted(unneutralise(row[index]) for row in table.rows) == sorted(texts)

    sheet = openpyxl.load_workbook(io.BytesIO(frame_to_xlsx(frame))).active
    index = [c.value for c in sheet[1]].index(column)
    cells = {row[index].value: row[index].data_type for row in sheet.iter_rows(min_row=2)}
    for text in texts:
        if text in FORMULA_LIKE:
            continue  # see test_xlsx_export_never_writes_a_formula
        shown = text.replace("\r\n", "\n")  # XML itself normalises line ends
        assert cells.get(shown, cells.get(text)) == "s", text

    for fmt, data in (("csv", csv_bytes), ("xlsx", frame_to_xlsx(frame))):  # and back again, unchanged
        again = import_file(query_db, f"igen.{fmt}", kind_name, today=TODAY, data=data)
        assert again.ok and again.unchanged == again.rows, (fmt, again.problems, again.changed)


def test_xlsx_export_never_writes_a_formula(query_db) -> None:
    _load_hostile(query_db)
    frame = kind_frame(query_db, "inquiries")
    sheet = openpyxl.load_workbook(io.BytesIO(frame_to_xlsx(frame))).active
    formulas = [c.value for row in sheet.iter_rows() for c in row if c.data_type == "f"]
    assert formulas == []


def test_a_formula_in_an_imported_workbook_is_never_evaluated(reference_db) -> None:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["code", "name"])
    sheet.append(["formel", "=1+1"])  # a formula cell without a cached result
    sheet.append(["tekst", "=cmd|' /C calc'!A0"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    report = import_file(reference_db, "formel.xlsx", "themes", today=TODAY, data=buffer.getvalue())
    # We read cached values only (openpyxl data_only=True): no result was cached, so the required
    # name is missing. Nothing is computed, nothing is run.
    assert [(p.row, p.reason) for p in report.problems] == [(2, REASONS["missing"]), (3, REASONS["missing"])]


# Static check: every value interpolated into SQL text in data_model/ and queries/ is reviewed.
# Keys are (module, the interpolated expression); the value says why it cannot carry user input.
SQL_INTERPOLATIONS: dict[tuple[str, str], str] = {
    **{
        ("data_model/backup.py", expr): "identifier from the DuckDB catalog, double-quoted by _quote"
        for expr in ("_quote()", "cols", "order")
    },
    **{
        ("data_model/check.py", expr): "kinds.KINDS / check._TARGETS: column and table names fixed in code"
        for expr in ("values", "kind.table", "known", "key", "table", "ref.column")
    },
    **{
        ("data_model/check.py", expr): "scan_tables/rule_violations: table and column names and CHECK "
        "expressions from the DuckDB catalog (our migrations), names double-quoted by _quote"
        for expr in ("_quote()", "aggregates", "name", "condition", "key", "expression")
    },
    ("data_model/backup.py", "sums"): "_content_digest: column names of the table just read, double-quoted",
    ("data_model/db.py", "table"): "loop over the fixed TABLES tuple",
    **{
        ("data_model/editing.py", expr): "model field names and table from KINDS; values are ? parameters"
        for expr in ("cols", "kind.table", "_key_where()", "k")
    },
    **{
        ("data_model/export.py", expr): "model field names and table from KINDS"
        for expr in ("cols", "kind.table", "order")
    },
    **{
        (
            "data_model/importer.py",
            expr,
        ): "model field names and table from KINDS; stage is the literal 'import_stage'"
        for expr in ("kind.table", "cols", "stage", "keys", "column", "c", "same", "k", "sets", "changed")
    },
    **{
        ("data_model/importer.py", expr): "id and parent columns from the fixed importer._PARENTS dict"
        for expr in ("key", "parent")
    },
    **{
        ("queries/appeals.py", expr): "_GROUPS dict lookup (unknown key raises), fixed-fragment scope"
        for expr in (
            "_GROUPS[by]",
            "scope",
            "group",
            "'GROUP BY ALL ORDER BY on_merits DESC' if by else ''",
            "unit_cols",
        )
    },
    ("queries/published.py", "where"): "one of two literal fragments; municipalities are a ? parameter",
    **{
        ("queries/inquiries.py", expr): "the complaint share's literal fragments (_share_columns); "
        "kinds and municipalities are ? parameters"
        for expr in ("citizen", "in_base", "share_sql")
    },
    ("queries/recommendations.py", "CURRENT_STATUSES_SQL"): "a literal constant; its value is a ? parameter",
    **{
        ("queries/crosstab.py", expr): "DIMENSIONS/MEASURES table lookups (CrossSpec refuses unknown keys), "
        "the fixed _LEVEL_MAP text and fixed relation fragments; codes, dates and levels are ? parameters"
        for expr in (
            "raw_unit",
            "ids",
            "columns",
            "source",
            "r",
            "c",
            "muni_col",
            "date_col",
            "getattr()",
            "d",
            "_LEVEL_MAP",
            "facts",
            "cols",
            "measure.count_sql",
            "sets",
            "expr",
            "column",
        )
    },
    **{
        (
            "queries/inquiries.py",
            expr,
        ): "DIMENSIONS/_BUCKETS lookups, NOT_SET, literal fragments (count_expr, complaints_expr, "
        "in_period, the names current/previous), facts_sql text"
        for expr in (
            "category_kind",
            "code_col",
            "label_col",
            "code",
            "label",
            "NOT_SET",
            "count_expr()",
            "complaints_expr()",
            "facts",
            "join",
            "bucket",
            "group",
            "group_label",
            "bucket_join",
            "point_facts",
            "counted",
            "in_period",
            "name",
            "', '.join(per_period)",
        )
    },
    **{
        (
            "queries/published_check.py",
            expr,
        ): "literal fragments chosen by the measure; codes are ? parameters"
        for expr in ("counted", "join", "column", "unit_col")
    },
    **{
        ("queries/facts.py", expr): "literal fragments chosen by a boolean; filter values are ? parameters"
        for expr in ("unit_expr", "point_cols", "joins")
    },
    **{
        (module, expr): "unit_level_sql: fixed text; the unit roll-up travels as ? list parameters"
        for module, expr in (
            ("queries/facts.py", "level_sql"),
            ("queries/facts.py", "level_cols"),
            ("queries/facts.py", "level_join"),
            ("queries/appeals.py", "level_sql"),
        )
    },
}
SQL_WORDS = re.compile(
    r"\b(SELECT|INSERT|UPDATE|DELETE|FROM|WHERE|JOIN|CREATE|DROP|ALTER|GROUP BY|ORDER BY|VALUES|COPY|ATTACH|"
    r"PRAGMA|SET|AND|OR|NOT|IS|NULL|AS|LIKE|BETWEEN|CASE|WHEN|DISTINCT|FILTER|IN)\b|\s=\s|::"
)
# "s.{column}", "x.{code_col}" (a column of an alias) and "unnest({column})" (an SQL function call)
QUALIFIER = re.compile(r"((^|[\s(,])[a-z]{1,3}\.|\b[a-z_]+\()$")
SQL_CALLS = {"execute", "executemany", "sql", "query"}


def _reviewed_as(expression: ast.expr) -> str:
    """The source of an interpolated expression; a call of a named function as ``name()``: the
    function is what was reviewed (it returns fixed fragments whatever its arguments)."""
    if isinstance(expression, ast.Call) and isinstance(expression.func, ast.Name):
        return f"{expression.func.id}()"
    return ast.unparse(expression)


def _sql_interpolations(path: Path) -> list[tuple[int, str, str]]:
    """(line, expression, how) for every value formatted into text that looks like SQL, or into
    the first argument of execute/executemany/sql/query."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    sql_args = {
        id(node.args[0])
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr in SQL_CALLS
        and node.args
    }
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.JoinedStr):
            literal = "".join(v.value for v in node.values if isinstance(v, ast.Constant))
            qualified = any(
                isinstance(a, ast.Constant)
                and QUALIFIER.search(a.value)
                and isinstance(b, ast.FormattedValue)
                for a, b in zip(node.values, node.values[1:], strict=False)
            )
            if id(node) in sql_args or qualified or SQL_WORDS.search(literal):
                found += [
                    (node.lineno, _reviewed_as(v.value), "f-string")
                    for v in node.values
                    if isinstance(v, ast.FormattedValue)
                ]
        elif (
            isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "format"
        ):
            target = node.func.value
            if (
                isinstance(target, ast.Constant)
                and isinstance(target.value, str)
                and SQL_WORDS.search(target.value)
            ):
                found.append((node.lineno, ast.unparse(node), "str.format"))
        elif (
            isinstance(node, ast.BinOp)
            and isinstance(node.op, ast.Mod)
            and isinstance(node.left, ast.Constant)
        ):
            if isinstance(node.left.value, str) and SQL_WORDS.search(node.left.value):
                found.append((node.lineno, ast.unparse(node), "% formatting"))
    return found


def test_sql_text_only_interpolates_reviewed_names() -> None:
    unreviewed = []
    for folder in ("data_model", "queries"):
        for path in sorted((ROOT / folder).glob("*.py")):
            module = path.relative_to(ROOT).as_posix()
            for line, expression, how in _sql_interpolations(path):
                if how != "f-string" or (module, expression) not in SQL_INTERPOLATIONS:
                    unreviewed.append(f"{module}:{line}: {how} {{{expression}}}")
    assert not unreviewed, "review these and add them to SQL_INTERPOLATIONS with the reason:\n" + "\n".join(
        unreviewed
    )


def test_the_scan_catches_an_interpolated_value(tmp_path: Path) -> None:
    bad = write(
        tmp_path / "bad.py",
        "def f(con, name):\n"
        "    con.execute(f\"SELECT * FROM inquiry WHERE summary = '{name}'\")\n"
        '    con.execute("DELETE FROM x WHERE id = %s" % name)\n'
        '    con.sql("SELECT {}".format(name))\n',
    )
    assert [how for _, _, how in _sql_interpolations(bad)] == ["f-string", "% formatting", "str.format"]


HOSTILE_FILTERS = Filters(
    municipalities=("999", "'; DROP TABLE inquiry; --"),
    period_id="x' OR '1'='1",
    sectors=("<script>",),
    unit_id="999-tek') OR 1=1 --",
    main_theme="'",
    sub_theme='"',
    kinds=("klage", "%"),
    outcomes=("_",),
)


def test_filter_values_reach_sql_only_as_parameters(query_db) -> None:
    before = row_counts(query_db)
    for with_points in (False, True):
        sql, params = facts_sql(query_db, HOSTILE_FILTERS, Y2025, with_points=with_points)
        for value in ("DROP TABLE", "OR '1'='1", "<script>", "OR 1=1"):
            assert value not in sql
        assert ["999", "'; DROP TABLE inquiry; --"] in params
    cur = query_db.cursor()
    for dimension in ("unit", "kind", "theme"):
        assert inquiries.breakdown(cur, HOSTILE_FILTERS, Y2025, dimension)["count"].sum() == 0
    inquiries.trend(cur, HOSTILE_FILTERS, None)
    appeals.omgoerelse(cur, HOSTILE_FILTERS, Y2024)
    recommendations.recommendation_status(cur, HOSTILE_FILTERS, TODAY)
    assert row_counts(query_db) == before


def test_xlsx_export_survives_control_characters() -> None:
    data = frame_to_xlsx(pl.DataFrame({"tekst": ["linje\x0bskift", "=1+1"]}))
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    assert [c.value for c in sheet["A"]] == ["tekst", "linje\ufffdskift", "=1+1"]
    assert sheet["A3"].data_type == "s"
