"""Hostile text (issue 9): stored, exported to CSV and XLSX and re-imported as the very same text;
an XLSX export never holds a formula."""

from __future__ import annotations

import csv
import io
import unicodedata

import duckdb
import openpyxl
import polars as pl
import pytest

from data_model.csv_safety import neutralise, unneutralise
from data_model.export import frame_to_csv, frame_to_xlsx, kind_frame
from data_model.importer import import_file
from data_model.kinds import KINDS
from data_model.readers import read_table
from tests.conftest import TODAY

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


def test_xlsx_export_survives_control_characters() -> None:
    data = frame_to_xlsx(pl.DataFrame({"tekst": ["linje\x0bskift", "=1+1"]}))
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    assert [c.value for c in sheet["A"]] == ["tekst", "linje\ufffdskift", "=1+1"]
    assert sheet["A3"].data_type == "s"
