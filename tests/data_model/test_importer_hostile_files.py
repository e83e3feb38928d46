"""Hostile files at import_file (issue 9): random bytes, malformed CSV/XLSX/Parquet, hostile text in
valid rows, every bad row reported, huge and wide files. Each import is clean or a complete Danish
report with nothing written. docs/RELIABILITY.md says what each test checks and how many cases
were tried.

The property tests use hypothesis. ``HYPOTHESIS_PROFILE=thorough`` multiplies every example
budget by 10 (and the time limits with it). The fuzzing and huge-file tests are marked ``slow``.
"""

from __future__ import annotations

import csv
import io
import os
import zipfile
from datetime import date, datetime, timedelta
from typing import Any

import duckdb
import openpyxl
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from data_model.db import row_counts
from data_model.importer import import_file
from data_model.kinds import KINDS
from data_model.labels import FIELD_LABELS, REASONS
from data_model.parsing import looks_like_cpr
from tests.conftest import TODAY
from tests.import_checks import check_outcome

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


@pytest.mark.slow
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


@pytest.mark.slow
@FUZZ_TIMEOUT
@fuzz(100)
@given(file=csv_files(), dry_run=st.booleans())
def test_malformed_csv(query_db, file: tuple[str, str, bytes], dry_run: bool) -> None:
    run_import(query_db, *file, dry_run=dry_run)


@pytest.mark.slow
@FUZZ_TIMEOUT
@fuzz(60)
@given(file=xlsx_files(), dry_run=st.booleans())
def test_malformed_xlsx(query_db, file: tuple[str, str, bytes], dry_run: bool) -> None:
    run_import(query_db, *file, dry_run=dry_run)


@pytest.mark.slow
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


@pytest.mark.slow
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


@pytest.mark.slow
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


@pytest.mark.slow
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


@pytest.mark.slow
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
