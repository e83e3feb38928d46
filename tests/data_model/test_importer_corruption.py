"""Silent corruption at import (issue 16, item 5).

Each case is a file that used to import with wrong values; now it is refused with a Danish
reason (and nothing is written), or read the one right way.
"""

from __future__ import annotations

import io
import math
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import Any

import duckdb
import openpyxl
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from data_model.editing import EditRefused, load_row, save, validate
from data_model.importer import import_file
from data_model.labels import REASONS
from data_model.parsing import parse_date, parse_number
from data_model.readers import UnreadableFile, read_table
from tests.conftest import TODAY

INQ_HEADER = "inquiry_id,municipality_code,received,kind_code,unit_id,summary\n"


def _count(con: duckdb.DuckDBPyConnection, table: str) -> int:
    row = con.execute(f"SELECT count(*) FROM {table}").fetchone()  # noqa: S608
    return int(row[0]) if row else 0


# --- Decoding ----------------------------------------------------------------------------------

DANISH = "Klage over sagsbehandling på Ærø i Åbenrå og ønsker svar"


ENCODINGS: list[tuple[str, bytes, str | int]] = [
    # (case, file, the stored summary or the line named in the refusal)
    ("utf-8", (INQ_HEADER + f"a1,999,2024-01-01,klage,999-tek,{DANISH}\n").encode(), DANISH),
    (
        "utf-8 with BOM",
        b"\xef\xbb\xbf" + (INQ_HEADER + f"a1,999,2024-01-01,klage,999-tek,{DANISH}\n").encode(),
        DANISH,
    ),
    (
        "whole file cp1252",
        (INQ_HEADER + f"a1,999,2024-01-01,klage,999-tek,{DANISH}\n").encode("cp1252"),
        DANISH,
    ),
    (
        "stray cp1252 line in utf-8",
        (INQ_HEADER + f"a1,999,2024-01-01,klage,999-tek,{DANISH}\n").encode()
        + "a2,999,2024-01-02,klage,999-tek,Smørrebrød\n".encode("cp1252"),
        3,
    ),
    (
        "cp1252 first line, utf-8 later",
        "a1,999,2024-01-01,klage,999-tek,Smør\n".encode("cp1252") + (INQ_HEADER + f"{DANISH}\n").encode(),
        1,
    ),
    (
        "BOM then a cp1252 byte",
        b"\xef\xbb\xbf" + INQ_HEADER.encode() + b"a1,999,2024-01-01,klage,999-tek,K\xf8benhavn\n",
        2,
    ),
    ("undefined cp1252 byte", INQ_HEADER.encode() + b"a1,999,2024-01-01,klage,999-tek,\x81\n", 0),
]


def test_encodings(small_db) -> None:
    """Table: whole files in one encoding are read right; mixed ones are refused naming the line."""
    wrong = []
    for case, raw, expected in ENCODINGS:
        small_db.execute("DELETE FROM inquiry")
        report = import_file(small_db, "a.csv", "inquiries", data=raw, today=TODAY)
        if isinstance(expected, str):
            stored = small_db.execute("SELECT summary FROM inquiry WHERE inquiry_id = 'a1'").fetchone()
            ok = report.ok and stored == (expected,)
        elif expected == 0:
            ok = [p.reason for p in report.problems] == ["Filen er hverken UTF-8 eller Windows-1252."]
        else:
            ok = not report.ok and f"linje {expected} " in report.problems[0].reason
            ok = ok and _count(small_db, "inquiry") == 0
        if not ok:
            wrong.append((case, [p.reason for p in report.problems]))
    assert not wrong


@settings(max_examples=60, deadline=None)
@given(
    lines=st.lists(
        st.text(alphabet="abcæøåÆØÅ éü-", min_size=1, max_size=20), min_size=2, max_size=15
    ).filter(lambda ls: any(any(ord(ch) > 127 for ch in line) for line in ls)),
    data=st.data(),
)
def test_one_stray_byte_anywhere_is_refused_with_its_line(lines: list[str], data: st.DataObject) -> None:
    """Property: a UTF-8 file with non-ASCII text and one line encoded as cp1252 is never read as
    cp1252 (which would turn every æøå in the other lines into mojibake)."""
    index = data.draw(st.integers(0, len(lines) - 1))
    stray = data.draw(st.sampled_from(["ø", "æ", "å", "é"]))
    encoded = [("x," + line).encode() for line in lines]
    encoded[index] = ("x," + lines[index] + stray).encode("cp1252")
    raw = b"a,b\n" + b"\n".join(encoded)
    text_has_utf8 = any(any(ord(ch) > 127 for ch in line) for i, line in enumerate(lines) if i != index)
    try:
        table = read_table("f.csv", raw)
    except UnreadableFile as exc:
        assert f"linje {index + 2} " in str(exc)
    else:
        # only possible when no other line had UTF-8: then the file is wholly cp1252
        assert not text_has_utf8
        assert table.rows[index][1].endswith(stray)


# --- Numbers -----------------------------------------------------------------------------------

NUMBERS = [
    ("1234,5", 1234.5),
    ("1234.5", 1234.5),
    ("1.234,5", 1234.5),
    ("1.234.567", 1234567.0),
    ("-1.234,50", -1234.5),
    ("0,333", 0.333),
    ("0.333", 0.333),
    ("12", 12.0),
    ("1 234,5", 1234.5),
    ("33.333", "ambiguous_number"),
    ("1.234", "ambiguous_number"),
    ("1,234", "ambiguous_number"),
    ("1,234.5", "ambiguous_number"),
    ("1,234,567", "ambiguous_number"),
    ("nan", "not_finite"),
    ("NaN", "not_finite"),
    ("inf", "not_finite"),
    ("-Infinity", "not_finite"),
    ("1e400", "not_finite"),
    (float("nan"), "not_finite"),
    (float("inf"), "not_finite"),
    ("12abc", "not_number"),
]


def _mismatches(cases: list[tuple[Any, Any]], parse: Callable[[Any], Any]) -> list[tuple[Any, Any, Any]]:
    """(input, expected, got) for each case whose result or reason key differs."""
    wrong = []
    for value, expected in cases:
        try:
            got = parse(value)
        except ValueError as exc:
            got = str(exc)
        if got != (pytest.approx(expected) if isinstance(expected, float) else expected):
            wrong.append((value, expected, got))
    return wrong


def test_number_forms() -> None:
    """Table: Danish and plain forms are read; ambiguous and non-finite forms are refused."""
    assert not _mismatches(NUMBERS, parse_number)


@settings(max_examples=200)
@given(
    st.integers(min_value=1000, max_value=10**12),
    st.integers(min_value=0, max_value=99),
    st.integers(min_value=1, max_value=999),
    st.integers(min_value=0, max_value=999),
)
def test_grouped_numbers_read_back_and_three_digit_forms_are_refused(
    whole: int, cents: int, head: int, tail: int
) -> None:
    """Property: every number written the Danish way (1.234.567,89) reads back exactly, and
    ``h.ttt`` / ``h,ttt`` are never guessed (33.333 used to become 33333)."""
    grouped = f"{whole:,}".replace(",", ".")
    assert parse_number(grouped + f",{cents:02d}") == pytest.approx(whole + cents / 100)
    if grouped.count(".") >= 2:
        assert parse_number(grouped) == whole
    for separator in ".,":
        with pytest.raises(ValueError, match="ambiguous_number"):
            parse_number(f"{head}{separator}{tail:03d}")


def test_ambiguous_number_in_a_file_is_refused_with_danish_reason(small_db) -> None:
    csv = (
        "figure_id,municipality_code,table_name,measure,value\n"
        'f1,999,t,andel,33.333\nf2,999,t,andel,"1.234,5"\nf3,999,t,andel,nan\n'
    )
    report = import_file(small_db, "f.csv", "published_figures", data=csv.encode(), today=TODAY)
    assert [(p.row, p.reason) for p in report.problems] == [
        (2, REASONS["ambiguous_number"]),
        (4, REASONS["not_finite"]),
    ]
    assert _count(small_db, "published_figure") == 0


def test_nan_and_inf_in_parquet_are_refused(small_db, tmp_path: Path) -> None:
    table = pa.table(
        {
            "figure_id": ["f1", "f2", "f3"],
            "municipality_code": ["999"] * 3,
            "table_name": ["t"] * 3,
            "measure": ["m"] * 3,
            "value": [1.5, math.nan, math.inf],
        }
    )
    buffer = io.BytesIO()
    pq.write_table(table, buffer)
    report = import_file(small_db, "f.parquet", "published_figures", data=buffer.getvalue(), today=TODAY)
    assert [(p.row, p.reason) for p in report.problems] == [  # Parquet rows count from 1
        (2, REASONS["not_finite"]),
        (3, REASONS["not_finite"]),
    ]


# --- Dates -------------------------------------------------------------------------------------

DATES = [
    ("0001-01-01", "absurd_year"),
    ("01-01-0001", "absurd_year"),
    ("9999-12-31", "absurd_year"),
    ("1969-12-31", "absurd_year"),
    (date(1, 1, 1), "absurd_year"),
    (datetime(1900, 1, 1), "absurd_year"),
    ("2101-01-01", "absurd_year"),
    ("1970-01-01", date(1970, 1, 1)),
    ("31-12-2100", date(2100, 12, 31)),
    ("2025-02-30", "not_date"),
]


def test_date_years() -> None:
    """Table: dates from 1970 to 2100 are read; any other year is refused."""
    assert not _mismatches(DATES, parse_date)


def test_year_one_in_a_file_is_refused(small_db) -> None:
    csv = INQ_HEADER + "a1,999,0001-01-01,klage,999-tek,\n"
    report = import_file(small_db, "a.csv", "inquiries", data=csv.encode(), today=TODAY)
    assert [(p.row, p.column, p.reason) for p in report.problems] == [(2, "Modtaget", REASONS["absurd_year"])]


# --- XLSX sheets -------------------------------------------------------------------------------


def _workbook(*sheets: tuple[str, str, list[list[object]]], active: int = 0) -> bytes:
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for title, state, rows in sheets:
        sheet = workbook.create_sheet(title)
        for row in rows:
            sheet.append(row)
        sheet.sheet_state = state
    workbook.active = active
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


GOOD_ROWS = [INQ_HEADER.strip().split(","), ["a1", "999", "2024-01-01", "klage", "999-tek", "Synlig"]]
HIDDEN_ROWS = [INQ_HEADER.strip().split(","), ["h1", "999", "2024-01-01", "klage", "999-tek", "Skjult"]]


@pytest.mark.parametrize("state", ["hidden", "veryHidden"])
def test_hidden_first_sheet_is_never_imported(small_db, state: str) -> None:
    raw = _workbook(("Gammel", state, HIDDEN_ROWS), ("Data", "visible", GOOD_ROWS), active=1)
    report = import_file(small_db, "a.xlsx", "inquiries", data=raw, today=TODAY)
    assert report.ok, report.problems
    assert small_db.execute("SELECT inquiry_id FROM inquiry").fetchall() == [("a1",)]


def test_two_visible_sheets_with_data_are_refused_with_their_names(small_db) -> None:
    raw = _workbook(("Ark1", "visible", HIDDEN_ROWS), ("Ark2", "visible", GOOD_ROWS))
    report = import_file(small_db, "a.xlsx", "inquiries", data=raw, today=TODAY)
    assert not report.ok and "'Ark1', 'Ark2'" in report.problems[0].reason
    assert _count(small_db, "inquiry") == 0
    # empty visible sheets beside the data do not matter
    raw = _workbook(("Tom", "visible", []), ("Data", "visible", GOOD_ROWS), ("Noter", "hidden", [["x"]]))
    assert import_file(small_db, "a.xlsx", "inquiries", data=raw, today=TODAY).ok


# --- Wrong kind --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "missing"),
    [("complaint_points", "Klagepunkt-id"), ("follow_ups", "Opfølgnings-id"), ("events", "Begivenheds-id")],
)
def test_a_file_of_another_kind_is_refused_for_its_missing_key_columns(
    small_db, kind: str, missing: str
) -> None:
    csv = INQ_HEADER + "a1,999,2024-01-01,klage,999-tek,\n"
    report = import_file(small_db, "a.csv", kind, data=csv.encode(), today=TODAY)
    assert not report.ok
    assert any(p.reason == REASONS["missing_key_column"] for p in report.problems), report.problems


# --- Look-alike keys ---------------------------------------------------------------------------


def test_nfc_and_nfd_spellings_are_one_key(small_db) -> None:
    nfc, nfd = "Å-1", "A\u030a-1"
    first = import_file(
        small_db,
        "a.csv",
        "inquiries",
        data=(INQ_HEADER + f"{nfc},999,2024-01-01,klage,999-tek,\n").encode(),
        today=TODAY,
    )
    second = import_file(
        small_db,
        "b.csv",
        "inquiries",
        data=(INQ_HEADER + f"{nfd},999,2024-01-01,klage,999-tek,\n").encode(),
        today=TODAY,
    )
    assert first.ok and second.ok and (second.new, second.unchanged) == (0, 1)
    assert small_db.execute("SELECT inquiry_id FROM inquiry").fetchall() == [(nfc,)]


@pytest.mark.parametrize(
    "invisible", ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u200e", "\u202e", "\x07", "\x1b"]
)
@pytest.mark.parametrize(
    ("column", "row"),
    [
        ("Henvendelses-id", "a{}1,999,2024-01-01,klage,999-tek,"),
        ("Enheds-id", "a1,999,2024-01-01,klage,999-{}tek,"),
    ],
)
def test_invisible_characters_in_ids_are_refused(small_db, invisible: str, column: str, row: str) -> None:
    csv = INQ_HEADER + row.format(invisible) + "\n"
    report = import_file(small_db, "a.csv", "inquiries", data=csv.encode(), today=TODAY)
    assert [(p.column, p.reason) for p in report.problems] == [(column, REASONS["invisible_char"])]


def test_invisible_character_in_a_unit_name_is_refused(small_db) -> None:
    csv = "unit_id,municipality_code,name,sector_code\n999-x,999,Teknik\u200b,teknik_miljoe\n"
    report = import_file(small_db, "u.csv", "org_units", data=csv.encode(), today=TODAY)
    assert [(p.column, p.reason) for p in report.problems] == [("Navn", REASONS["invisible_char"])]
    # free text keeps line breaks, tabs and zero-width characters
    record, problems = validate(
        "inquiries",
        {
            "inquiry_id": "a1",
            "municipality_code": "999",
            "received": "2024-01-01",
            "kind_code": "klage",
            "summary": "linje 1\nlinje\t2 nul\u200bbredde",
        },
        today=TODAY,
    )
    assert not problems and record is not None


# --- Units that are their own ancestors ----------------------------------------------------------

UNIT_HEADER = "unit_id,municipality_code,parent_id,name,sector_code\n"


@pytest.mark.parametrize(
    ("rows", "bad_rows"),
    [
        ("999-a,999,999-a,A,teknik_miljoe\n", [2]),
        ("999-a,999,999-b,A,teknik_miljoe\n999-b,999,999-a,B,teknik_miljoe\n", [2, 3]),
        (
            "999-a,999,999-c,A,teknik_miljoe\n999-b,999,999-a,B,teknik_miljoe\n999-c,999,999-b,C,teknik_miljoe\n",
            [2, 3, 4],
        ),
        ("999-sos,999,999-sos-born,Social,aeldre_sundhed_social\n", [2]),  # with the stored child
    ],
    ids=["self", "two in the file", "three in the file", "file and database"],
)
def test_unit_cycles_are_refused(small_db, rows: str, bad_rows: list[int]) -> None:
    before = small_db.execute("SELECT * FROM org_unit ORDER BY unit_id").fetchall()
    report = import_file(small_db, "u.csv", "org_units", data=(UNIT_HEADER + rows).encode(), today=TODAY)
    assert [p.row for p in report.problems] == bad_rows
    assert all(p.reason == REASONS["parent_cycle"] and "→" in p.value for p in report.problems)
    assert small_db.execute("SELECT * FROM org_unit ORDER BY unit_id").fetchall() == before


def test_theme_cycles_are_refused(small_db) -> None:
    csv = "code,name,parent_code\nbegrundelse,Begrundelse,x-tema\nx-tema,X,begrundelse\n"
    report = import_file(small_db, "t.csv", "themes", data=csv.encode(), today=TODAY)
    assert {p.reason for p in report.problems} == {REASONS["parent_cycle"]}


def test_a_form_cannot_make_a_unit_its_own_ancestor(small_db) -> None:
    record, problems = validate(
        "org_units",
        {
            "unit_id": "999-sos",
            "municipality_code": "999",
            "name": "Social og Sundhed",
            "level": "forvaltning",
            "sector_code": "aeldre_sundhed_social",
            "parent_id": "999-sos-born",
        },
        today=TODAY,
    )
    assert record is not None and not problems
    expected = load_row(small_db, "org_units", ("999-sos",))
    with pytest.raises(EditRefused, match="egen overordnede"):
        save(small_db, "org_units", record, actor="a", expected=expected)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.integers(0, 5), min_size=6, max_size=6))
def test_any_parent_assignment_is_refused_exactly_when_it_has_a_cycle(small_db, parents: list[int]) -> None:
    """Property: six units, each with a random parent among them (or itself); the file imports
    exactly when following parents from every unit ends outside the six."""
    small_db.execute("DELETE FROM org_unit WHERE unit_id LIKE '999-p%'")
    rows = "".join(
        f"999-p{i},999,{'' if p == i and i == 0 else f'999-p{p}'},P{i},teknik_miljoe\n"
        for i, p in enumerate(parents)
    )
    graph = {i: (None if p == i and i == 0 else p) for i, p in enumerate(parents)}

    def cyclic(start: int) -> bool:
        seen, node = set(), start
        while node is not None and node not in seen:
            seen.add(node)
            node = graph[node]
        return node is not None

    report = import_file(small_db, "u.csv", "org_units", data=(UNIT_HEADER + rows).encode(), today=TODAY)
    has_cycle = any(cyclic(i) for i in graph)
    assert report.ok == (not has_cycle), report.problems
    in_cycle = {i for i in graph if _on_cycle(graph, i)}
    assert {p.row - 2 for p in report.problems} == in_cycle


def _on_cycle(graph: dict[int, int | None], start: int) -> bool:
    node = graph[start]
    for _ in range(len(graph)):
        if node is None:
            return False
        if node == start:
            return True
        node = graph[node]
    return False
