"""CPR numbers are never stored or shown: every shape is refused, ordinary ids pass.

Property-based tests generate CPR numbers (valid birth dates, any serial) in every shape people and
programs write them: separators, split dates, invisible characters, numbers that lost their
leading zero, Decimal/binary/struct/list Parquet cells, file names, restored backups and the
upload preview. Table-driven tests list ordinary values (ids, amounts, phone numbers, dates)
that must pass.
"""

from __future__ import annotations

import csv
import io
import re
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import openpyxl
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from data_model.backup import BackupError, backup_database, restore_database
from data_model.editing import validate
from data_model.importer import import_file
from data_model.personal_data import MASK, contains_cpr, looks_like_cpr, mask_value
from tests.conftest import TODAY, open_app, write

HEADER = "inquiry_id,municipality_code,received,closed,kind_code,unit_id,outcome_code,summary\n"
SEPARATORS = ["", "-", " ", ".", "/", "\u00a0", "\u202f", "\u2009", "\u2013", "\u2014", "\u2212", " - "]
DATE_SEPARATORS = ["", ".", " ", "-", "/"]
INVISIBLE = ["", "\u200b", "\u00ad", "\u2060", "\ufeff"]
FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
FEW = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@st.composite
def cprs(draw: st.DrawFn) -> tuple[str, str]:
    """(the ten digits, the CPR number in one of its written shapes)."""
    born = draw(st.dates(date(1900, 1, 1), date(2099, 12, 31)))
    serial = draw(st.integers(0, 9999))
    digits = f"{born:%d%m%y}{serial:04d}"
    inner = draw(st.sampled_from(DATE_SEPARATORS))
    between = draw(st.sampled_from(SEPARATORS))
    shape = f"{digits[0:2]}{inner}{digits[2:4]}{inner}{digits[4:6]}{between}{digits[6:]}"
    invisible = draw(st.sampled_from(INVISIBLE))
    at = draw(st.integers(0, len(shape)))
    return digits, shape[:at] + invisible + shape[at:]


@st.composite
def cpr_in_text(draw: st.DrawFn) -> tuple[str, str]:
    digits, shape = draw(cprs())
    words = st.text(st.characters(blacklist_categories=["Nd", "Cs", "Cc"]), max_size=15)
    before = draw(words)
    after = draw(words)
    return digits, f"{before} {shape} {after}".strip()


def shown_digits(text: str) -> str:
    return re.sub(r"\D", "", text)


def assert_never_shown(digits: str, *texts: str) -> None:
    for text in texts:
        assert digits not in shown_digits(text), text
        assert digits[6:] not in text.replace(digits[:6], ""), text  # the serial never appears


# --- the detector ------------------------------------------------------------------------------


@FUZZ
@given(cpr=cpr_in_text())
def test_every_written_shape_is_detected_and_masked(cpr: tuple[str, str]) -> None:
    digits, text = cpr
    assert looks_like_cpr(text) and contains_cpr(text)
    masked = mask_value(text)
    assert MASK in masked
    assert_never_shown(digits, masked)
    assert not contains_cpr(masked)


@FUZZ
@given(cpr=cprs())
def test_numbers_decimals_and_excel_numbers_that_lost_their_leading_zero(cpr: tuple[str, str]) -> None:
    digits, _ = cpr
    values: list[object] = [
        int(digits),
        float(digits),
        Decimal(digits),
        Decimal(digits + ".00"),
        -int(digits),
    ]
    values += [str(int(digits)), f" {int(digits)} "]  # a CSV written from such an Excel cell
    for value in values:
        assert contains_cpr(value), repr(value)
        assert_never_shown(digits, mask_value(value))


@FUZZ
@given(cpr=cprs(), wrap=st.sampled_from(["struct", "list", "map", "bytes", "tuple"]))
def test_nested_and_binary_values_are_inspected(cpr: tuple[str, str], wrap: str) -> None:
    digits, shape = cpr
    value = {
        "struct": {"a": 1, "b": {"c": [None, shape]}},
        "list": ["ok", ["x", int(digits)]],
        "map": {shape: "key"},
        "bytes": ("noget " + shape).encode("utf-8"),
        "tuple": ("x", Decimal(digits)),
    }[wrap]
    assert contains_cpr(value)
    assert_never_shown(digits, mask_value(value))


# Ordinary values that must pass: ids, amounts, phone numbers, dates, times, our own generated ids.
NOT_CPR = [
    "991234-5678",  # day 99
    "011390-1234",  # month 13
    "310290-1234",  # 31 February
    "000190-1234",  # day 00
    "12345678901",  # eleven digits
    "012345678901",
    "12 34 56 78",  # a phone number: eight digits
    "+45 12 34 56 78",
    "+4512345678",
    "tlf. 20 30 40 50",
    "1.234.567,50",  # an amount
    "1 234 567 890",  # an amount with space thousands separators
    "31-03-2025",
    "2025-03-31",
    "31.12.2024",
    "2024-01-15T10:30:00",
    "15-03-2025 12:00",
    "sag 2024-12345",
    "J.nr. 27.00.00-G01-1-24",
    "reg-510-20261124T153012048213",
    "ISBN 978-87-02-12345-6",
    "DK12345678",
    "CVR 12345678",
    "123456789",  # nine digits, but 0123456789 has month 23
    "1300-1234",
    "010190",  # a date alone
    "1234",
]
NOT_CPR_NUMBERS = [12345678, 123456789, 12345678901, 3.14, 1234567.5, Decimal("123.45"), 0, -5, True]


@pytest.mark.parametrize("value", NOT_CPR)
def test_ordinary_text_passes(value: str) -> None:
    assert not looks_like_cpr(value)
    assert mask_value(value) == value


@pytest.mark.parametrize("value", NOT_CPR_NUMBERS, ids=repr)
def test_ordinary_numbers_pass(value: object) -> None:
    assert not contains_cpr(value)


def test_ordinary_text_imports_unchanged(small_db, tmp_path: Path) -> None:
    rows = "".join(f'n{i},999,2024-02-01,,klage,999-tek,,"{text}"\n' for i, text in enumerate(NOT_CPR))
    report = import_file(small_db, write(tmp_path / "ok.csv", HEADER + rows), "inquiries", today=TODAY)
    assert report.ok, report.problems
    stored = [r[0] for r in small_db.execute("SELECT summary FROM inquiry ORDER BY inquiry_id").fetchall()]
    assert sorted(stored) == sorted(NOT_CPR)


# --- imports: text files, spreadsheets, Parquet, file names -----------------------------------


def _refused(report, digits: str) -> None:
    assert not report.ok
    # a CPR reason (or, for a key with a zero-width character, the invisible-character refusal)
    assert any("CPR" in p.reason or "usynlige" in p.reason for p in report.problems), report.problems
    texts = [report.summary()] + [p.as_text() for p in report.problems]
    assert_never_shown(digits, *texts)


@FEW
@given(cpr=cpr_in_text(), column=st.sampled_from(["summary", "inquiry_id"]))
def test_a_csv_cell_in_any_shape_is_refused(small_db, cpr: tuple[str, str], column: str) -> None:
    digits, text = cpr
    cells = {"inquiry_id": "a1", "summary": "tekst"} | {column: text}
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow(HEADER.strip().split(","))
    writer.writerow([cells["inquiry_id"], "999", "2024-02-01", "", "klage", "999-tek", "", cells["summary"]])
    data = out.getvalue().encode("utf-8")
    _refused(import_file(small_db, "fil.csv", "inquiries", today=TODAY, data=data), digits)
    assert small_db.execute("SELECT count(*) FROM inquiry").fetchone() == (0,)


def _xlsx(rows: list[list[object]]) -> bytes:
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@FEW
@given(cpr=cprs())
def test_excel_numbers_are_refused_also_without_the_leading_zero(small_db, cpr: tuple[str, str]) -> None:
    digits, _ = cpr
    header = HEADER.strip().split(",")
    for number in (int(digits), float(digits)):  # a number cell: Excel drops a leading zero
        data = _xlsx([header, ["a1", 999, "2024-02-01", None, "klage", "999-tek", None, number]])
        _refused(import_file(small_db, "fil.xlsx", "inquiries", today=TODAY, data=data), digits)


def _parquet(summary: pa.Array) -> bytes:
    table = pa.table(
        {
            "inquiry_id": ["a1"],
            "municipality_code": ["999"],
            "received": [date(2024, 2, 1)],
            "kind_code": ["klage"],
            "unit_id": ["999-tek"],
            "summary": summary,
        }
    )
    out = io.BytesIO()
    pq.write_table(table, out)
    return out.getvalue()


@FEW
@given(cpr=cprs(), shape=st.sampled_from(["decimal", "binary", "struct", "list", "large_string"]))
def test_parquet_decimal_binary_struct_and_list_cells_are_refused(
    small_db, cpr: tuple[str, str], shape: str
) -> None:
    digits, written = cpr
    summary = {
        "decimal": pa.array([Decimal(digits)], pa.decimal128(12, 0)),
        "binary": pa.array([written.encode("utf-8")], pa.binary()),
        "struct": pa.array([{"note": "x", "nested": {"who": written}}]),
        "list": pa.array([["ok", written]]),
        "large_string": pa.array([written], pa.large_string()),
    }[shape]
    report = import_file(small_db, "fil.parquet", "inquiries", today=TODAY, data=_parquet(summary))
    _refused(report, digits)


def test_the_error_message_masks_to_date_and_stars(small_db) -> None:
    data = (HEADER + "a1,999,2024-02-01,,klage,999-tek,,borger 010190.1234 ringede\n").encode()
    report = import_file(small_db, "fil.csv", "inquiries", today=TODAY, data=data)
    assert [p.value for p in report.problems] == [f"borger {MASK} ringede"]


@pytest.mark.parametrize("name", ["klage 010190-1234.csv", "0101901234.csv", "sag_010190 1234.xlsx"])
def test_a_file_name_with_a_cpr_number_is_refused_and_never_logged(
    small_db, tmp_path: Path, name: str
) -> None:
    path = write(tmp_path / name, HEADER + "a1,999,2024-02-01,,klage,999-tek,,\n")
    report = import_file(small_db, path, "inquiries", today=TODAY)
    _refused(report, "0101901234")
    assert MASK in report.summary()
    logged = small_db.execute("SELECT file_name FROM import_log UNION ALL SELECT record_id FROM audit_log")
    assert not [n for (n,) in logged.fetchall() if n and contains_cpr(n)]
    assert small_db.execute("SELECT count(*) FROM inquiry").fetchone() == (0,)


def test_a_form_refuses_every_shape(small_db) -> None:
    for text in ("010190.1234", "01 01 90 1234", "010190\u00a01234", "010190/1234", "010190–1234"):
        record, problems = validate(
            "inquiries",
            {
                "inquiry_id": "x",
                "municipality_code": "999",
                "received": date(2024, 2, 1),
                "kind_code": "klage",
                "summary": text,
            },
        )
        assert record is None and problems and "CPR" in problems[0].reason
        assert "1234" not in problems[0].value


# --- restore ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("table", "sql"),
    [
        ("inquiry", "UPDATE inquiry SET summary = 'borger 010190\u00a01234' WHERE inquiry_id = 'a1'"),
        ("import_log", "UPDATE import_log SET file_name = 'klage 0101901234.csv'"),
        ("audit_log", 'UPDATE audit_log SET new_value = \'{"cpr": "01.01.90-1234"}\''),
    ],
)
def test_restore_refuses_a_backup_with_a_cpr_number(small_db, tmp_path: Path, table: str, sql: str) -> None:
    report = import_file(
        small_db,
        write(tmp_path / "i.csv", HEADER + "a1,999,2024-02-01,,klage,999-tek,,\n"),
        "inquiries",
        today=TODAY,
    )
    assert report.ok, report.problems
    small_db.execute(sql)  # bypasses validation, as an old or edited database could
    backup_database(small_db, tmp_path / "bak", now=datetime(2026, 1, 1))
    target = tmp_path / "restored.duckdb"
    with pytest.raises(BackupError) as refused:
        restore_database(tmp_path / "bak", target)
    message = str(refused.value)
    assert "CPR" in message and table in message and MASK in message
    assert_never_shown("0101901234", message)
    assert not target.exists()


def test_restore_of_clean_data_still_works(small_db, tmp_path: Path) -> None:
    backup_database(small_db, tmp_path / "bak", now=datetime(2026, 1, 1))
    counts = restore_database(tmp_path / "bak", tmp_path / "restored.duckdb")
    assert counts["org_unit"] == 4


# --- the upload preview on the Data page --------------------------------------------------------


def test_the_upload_preview_masks_cpr_numbers(
    small_db, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    at = open_app(small_db, monkeypatch).run()
    at.switch_page("views/data.py").run()
    at.selectbox(key="import_kind").set_value("inquiries").run()
    data = (
        HEADER.replace("summary", "cpr 0101901234") + "a1,999,2024-02-01,,klage,999-tek,,010190 1234\n"
    ).encode()
    next(u for u in at.get("file_uploader") if u.key == "import_file").set_value(
        ("klage.csv", data, "text/csv")
    ).run()
    assert not at.exception, at.exception
    shown = [str(e.value) for kind in ("caption", "error", "markdown", "success") for e in at.get(kind)]
    frames = at.dataframe
    assert frames, "the preview and the validation report are shown"
    shown += [frame.value.to_csv() for frame in frames] + [
        " ".join(map(str, f.value.columns)) for f in frames
    ]
    assert any(MASK in s for s in shown)
    assert_never_shown("0101901234", *shown)


def test_old_logs_with_a_cpr_file_name_are_shown_masked(small_db, monkeypatch: pytest.MonkeyPatch) -> None:
    """A database from before the file-name guard may hold a CPR number in its logs."""
    small_db.execute("UPDATE import_log SET file_name = 'klage 010190-1234.csv'")
    small_db.execute("UPDATE audit_log SET record_id = 'klage 0101901234.csv'")
    at = open_app(small_db, monkeypatch).run()
    at.switch_page("views/data.py").run()
    assert not at.exception
    shown = [frame.value.to_csv() for frame in at.dataframe]
    assert any(f"klage {MASK}.csv" in s for s in shown)
    assert_never_shown("0101901234", *shown)
