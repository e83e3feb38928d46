"""Uploads on the Data page (issue 16, item 9): capped file size and unpacked XLSX size, rows read
as a stream, and one validation per uploaded file instead of one per rerun."""

from __future__ import annotations

import io
import itertools
import zipfile
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from data_model import readers, uploads
from data_model.importer import import_file
from data_model.readers import MAX_FILE_BYTES, UnreadableFile, read_table
from data_model.uploads import check_upload, forget
from tests.conftest import TODAY

GOOD_CSV = b"event_id,date,label\ne1,2024-01-01,Ny lov\n"


def _xlsx(rows: list[list[Any]]) -> bytes:
    workbook = openpyxl.Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _bomb(unpacked_mb: int) -> bytes:
    """A valid workbook plus one extra part that unpacks to ``unpacked_mb`` MB of zeros."""
    buffer = io.BytesIO(_xlsx([["event_id", "date", "label"], ["e1", "2024-01-01", "x"]]))
    with zipfile.ZipFile(buffer, "a", compression=zipfile.ZIP_DEFLATED) as archive:
        with archive.open("xl/media/padding.bin", "w", force_zip64=True) as part:
            chunk = bytes(1024 * 1024)
            for _ in range(unpacked_mb):
                part.write(chunk)
    return buffer.getvalue()


# --- Size caps -----------------------------------------------------------------------------------


@pytest.mark.parametrize("suffix", [".csv", ".xlsx", ".parquet"])
def test_a_file_over_the_cap_is_refused_before_it_is_parsed(
    small_db, monkeypatch: pytest.MonkeyPatch, suffix: str
) -> None:
    def never(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("parsed a file over the size cap")

    for name in ("_read_csv", "_read_xlsx", "_read_parquet"):
        monkeypatch.setattr(readers, name, never)
    data = b"x" * (MAX_FILE_BYTES + 1)
    check = check_upload(small_db, f"stor{suffix}", data, "events", {})
    assert check.report.problems[0].reason.startswith("Filen er for stor (51 MB; højst 50 MB)")
    assert check.preview is None
    report = import_file(small_db, f"stor{suffix}", "events", data=data, today=TODAY)
    assert report.problems[0].reason.startswith("Filen er for stor")


def test_a_file_on_disk_over_the_cap_is_refused_without_reading_it(small_db, tmp_path: Path) -> None:
    path = tmp_path / "stor.csv"
    with path.open("wb") as handle:
        handle.truncate(MAX_FILE_BYTES + 1)  # sparse: costs no disk
    with pytest.raises(UnreadableFile, match="for stor"):
        read_table(path)


def test_a_zip_bomb_workbook_is_refused_before_openpyxl_opens_it(
    small_db, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(readers, "MAX_XLSX_UNPACKED_BYTES", 20 * 1024 * 1024)
    raw = _bomb(40)
    assert len(raw) < 200_000  # 40 MB of zeros packs to next to nothing

    def never(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("openpyxl opened a zip bomb")

    monkeypatch.setattr(openpyxl, "load_workbook", never)
    report = import_file(small_db, "bombe.xlsx", "events", data=raw, today=TODAY)
    assert [p.reason for p in report.problems] == [
        "Excel-filen fylder 41 MB udpakket (højst 20 MB). Gem den som CSV, eller del den op."
    ]
    monkeypatch.undo()
    monkeypatch.setattr(readers, "MAX_XLSX_UNPACKED_BYTES", 20 * 1024 * 1024)
    assert import_file(small_db, "lille.xlsx", "events", data=_bomb(1), today=TODAY).ok  # under the cap
    # The sum checked before opening is an upper bound: zipfile stops at a part's stated size and
    # fails its checksum, so a directory that understates a part cannot smuggle more past the cap.
    raw = bytearray(_bomb(2))
    name = b"xl/media/padding.bin"
    at = raw.rfind(b"PK\x01\x02", 0, raw.rfind(name))  # its central directory entry
    raw[at + 24 : at + 28] = (1024).to_bytes(4, "little")  # claims 1 KB unpacked
    with zipfile.ZipFile(io.BytesIO(bytes(raw))) as archive, pytest.raises(zipfile.BadZipFile):
        archive.read(name.decode())


# --- Streaming -----------------------------------------------------------------------------------


def test_a_sheet_over_the_row_cap_is_refused_while_streaming(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[dict[str, Any]] = []
    real = openpyxl.load_workbook

    def spy(*args: Any, **kwargs: Any) -> Any:
        seen.append(kwargs)
        return real(*args, **kwargs)

    monkeypatch.setattr(openpyxl, "load_workbook", spy)
    monkeypatch.setattr(readers, "MAX_ROWS", 50)
    rows = [["event_id", "date", "label"]] + [[f"e{i}", "2024-01-01", "x"] for i in range(80)]
    with pytest.raises(UnreadableFile, match="for mange rækker"):
        read_table("a.xlsx", _xlsx(rows))
    assert len(read_table("a.xlsx", _xlsx(rows[:40])).rows) == 39
    assert seen and all(k.get("read_only") is True for k in seen)  # rows stream, never the whole sheet


def test_trailing_empty_cells_are_not_kept(monkeypatch: pytest.MonkeyPatch) -> None:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["event_id", "date", "label"])
    sheet.append(["e1", "2024-01-01", "x"])
    sheet.cell(row=2, column=5000, value="  ")  # a blank far away pads nothing
    buffer = io.BytesIO()
    workbook.save(buffer)
    table = read_table("a.xlsx", buffer.getvalue())
    assert table.rows == [["e1", "2024-01-01", "x"]]


# --- One validation per file -----------------------------------------------------------------------


@pytest.fixture
def counted(monkeypatch: pytest.MonkeyPatch) -> dict[str, int]:
    calls = {"import_file": 0, "read_table": 0}
    real_import, real_read = uploads.import_file, uploads.read_table

    def import_spy(*args: Any, **kwargs: Any) -> Any:
        calls["import_file"] += 1
        return real_import(*args, **kwargs)

    def read_spy(*args: Any, **kwargs: Any) -> Any:
        calls["read_table"] += 1
        return real_read(*args, **kwargs)

    monkeypatch.setattr(uploads, "import_file", import_spy)
    monkeypatch.setattr(uploads, "read_table", read_spy)
    monkeypatch.setattr(readers, "read_table", read_spy)
    return calls


def test_reruns_reuse_the_check_of_the_same_file(small_db, counted: dict[str, int]) -> None:
    session: dict[str, Any] = {}
    first = check_upload(small_db, "e.csv", GOOD_CSV, "events", session)
    for _ in range(5):  # every click on the page reruns it
        assert check_upload(small_db, "e.csv", GOOD_CSV, "events", session) is first
    assert counted == {"import_file": 1, "read_table": 1}  # read once: preview and validation share it
    assert first.report.ok and first.report.new == 1 and first.preview is not None


@pytest.mark.parametrize(
    "change",
    ["other bytes", "other kind", "other name", "after import"],
)
def test_a_different_file_kind_or_database_is_checked_again(
    small_db, counted: dict[str, int], change: str
) -> None:
    session: dict[str, Any] = {}
    check_upload(small_db, "e.csv", GOOD_CSV, "events", session)
    data, kind, name = GOOD_CSV, "events", "e.csv"
    if change == "other bytes":
        data = GOOD_CSV + b"e2,2024-02-01,Mere\n"
    elif change == "other kind":
        kind = "themes"
    elif change == "other name":
        name = "f.csv"
    else:
        assert import_file(small_db, name, kind, data=data, today=TODAY).ok
        forget(session)
    again = check_upload(small_db, name, data, kind, session)
    assert counted["import_file"] == 2
    if change == "after import":
        assert (again.report.new, again.report.unchanged) == (0, 1)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(files=st.lists(st.binary(max_size=200), min_size=1, max_size=6))
def test_each_distinct_upload_is_validated_exactly_once_in_a_row(small_db, files: list[bytes]) -> None:
    """Property: a sequence of uploads, each rerun 3 times, validates once per change of file."""
    calls = 0
    real = uploads.import_file

    def spy(*args: Any, **kwargs: Any) -> Any:
        nonlocal calls
        calls += 1
        return real(*args, **kwargs)

    uploads.import_file = spy  # type: ignore[assignment]
    try:
        session: dict[str, Any] = {}
        for data in files:
            for _ in range(3):
                check_upload(small_db, "x.csv", data, "events", session)
    finally:
        uploads.import_file = real  # type: ignore[assignment]
    changes = 1 + sum(a != b for a, b in itertools.pairwise(files))
    assert calls == changes


# --- The Data page -----------------------------------------------------------------------------------


@pytest.fixture
def data_page(app: Any) -> Any:
    at = app().run()
    at.switch_page("views/data.py").run()
    assert not at.exception
    return at


def test_data_page_checks_once_shows_changes_then_imports(data_page: Any, counted: dict[str, int]) -> None:
    at = data_page
    at.selectbox(key="import_kind").set_value("inquiries").run()
    csv = b"inquiry_id,municipality_code,received,kind_code,unit_id\ni3,999,2024-03-20,vejledning,\n"
    at.file_uploader(key="import_file").set_value(("flyt.csv", csv, "text/csv")).run()
    assert not at.exception
    assert any("1 ændres" in s.value or "1 ændres" in s.value for s in at.success)
    assert any("bliver ændret eller tømt" in w.value for w in at.warning)
    shown = [d.value for d in at.dataframe if "Før" in getattr(d.value, "columns", [])]
    assert shown and shown[0]["Før"].tolist() == ["'999-tek'"] and shown[0]["Efter"].tolist() == ["(tom)"]
    at.selectbox(key="export_kind").set_value("themes").run()  # any other click reruns the page
    at.run()
    assert counted["import_file"] == 1
    next(b for b in at.button if b.key == "do_import").click().run()
    assert not at.exception
    done = [s.value.replace("\\", "") for s in at.success]  # the summary is shown Markdown-escaped
    assert any("1 ændrede" in text and "→ (tom)" in text for text in done)


def test_data_page_refuses_a_file_over_the_cap_without_reading_it(
    data_page: Any, counted: dict[str, int]
) -> None:
    at = data_page
    at.file_uploader(key="import_file").set_value(("stor.csv", b"x" * (MAX_FILE_BYTES + 1), "text/csv")).run()
    assert not at.exception
    assert any("Filen er for stor (51 MB; højst 50 MB)" in e.value for e in at.error)
    assert counted == {"import_file": 0, "read_table": 0}
