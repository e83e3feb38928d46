"""Reading CSV, XLSX and Parquet files into header + rows of raw cell values."""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

SUPPORTED_SUFFIXES = (".csv", ".txt", ".xlsx", ".parquet")
# Limits for one file: far above a municipality's records (a few thousand rows a year), far below
# what exhausts a shared server. An XLSX is a zip: its parts are capped by their unpacked size.
MAX_FILE_BYTES = 50 * 1024 * 1024
MAX_XLSX_UNPACKED_BYTES = 250 * 1024 * 1024
MAX_ROWS = 1_000_000
MAX_CELLS = 20_000_000


class UnreadableFile(Exception):
    """The file cannot be read as a table; the message is Danish and shown to the user."""


@dataclass(frozen=True)
class RawTable:
    headers: list[str]
    rows: list[list[Any]]
    first_row_number: int  # the number a user sees for rows[0] (spreadsheet numbering)


def read_table(path: Path | str, data: bytes | None = None) -> RawTable:
    """Read a file by its suffix; ``data`` lets the UI pass uploaded bytes without a temp file."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise UnreadableFile(
            f"Filtypen {suffix or '(ingen)'} understøttes ikke (brug CSV, XLSX eller Parquet)."
        )
    try:
        size = len(data) if data is not None else path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise UnreadableFile(too_large_message(size))
        raw = data if data is not None else path.read_bytes()
    except OSError as exc:
        raise UnreadableFile(f"Filen {path.name} kan ikke åbnes: {exc.strerror}") from exc
    if suffix == ".xlsx":
        return _read_xlsx(raw)
    if suffix == ".parquet":
        return _read_parquet(raw)
    return _read_csv(raw)


def _mb(size: int) -> str:
    """Whole megabytes, rounded up: a file one byte over 50 MB is '51 MB', never '50 MB'."""
    return str(-(-size // (1024 * 1024)))


def too_large_message(size: int) -> str:
    return (
        f"Filen er for stor ({_mb(size)} MB; højst {_mb(MAX_FILE_BYTES)} MB). "
        "Del den op i flere filer, eller indlæs den som CSV."
    )


def _decode(raw: bytes) -> str:
    """UTF-8 (with or without BOM), strictly; Windows-1252 only for a file without any UTF-8.

    Danish Excel still saves "CSV" as Windows-1252, and such a file is read as that. A file that
    is UTF-8 in some places and not in others (one line pasted from another program) is refused
    with the line, never decoded as Windows-1252: that would turn every æøå into mojibake.
    """
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        has_utf8 = raw.startswith(b"\xef\xbb\xbf") or any(
            ord(ch) > 127 for ch in raw.decode("utf-8", errors="ignore")
        )
        if has_utf8:
            raise UnreadableFile(
                f"Filen er UTF-8, men linje {line} har tegn i en anden tegnkodning (fx Windows-1252). "
                "Ret linjen, eller gem filen igen som UTF-8."
            ) from exc
        try:
            return raw.decode("cp1252")
        except UnicodeDecodeError as cp_exc:
            raise UnreadableFile("Filen er hverken UTF-8 eller Windows-1252.") from cp_exc


def _read_csv(raw: bytes) -> RawTable:
    text = _decode(raw)
    if "\x00" in text:
        raise UnreadableFile("Filen indeholder binære data og er ikke en CSV-fil.")
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    try:
        records = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except csv.Error as exc:
        detail = "en celle er over 131.072 tegn lang" if "field limit" in str(exc) else "ugyldig CSV"
        raise UnreadableFile(f"CSV-filen kan ikke læses: {detail}.") from exc
    records = [r for r in records if any(cell.strip() for cell in r)] if records else []
    if not records:
        raise UnreadableFile("Filen er tom.")
    return RawTable(records[0], records[1:], 2)


def _check_unpacked_size(raw: bytes) -> None:
    """Refuse a zip bomb before openpyxl unpacks it. The sizes in the zip directory are binding:
    Python's zipfile stops at the stated size and fails the checksum of anything longer."""
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, ValueError, OSError, EOFError):
        return  # not a zip: openpyxl reports it below
    if unpacked > MAX_XLSX_UNPACKED_BYTES:
        raise UnreadableFile(
            f"Excel-filen fylder {_mb(unpacked)} MB udpakket (højst {_mb(MAX_XLSX_UNPACKED_BYTES)} MB). "
            "Gem den som CSV, eller del den op."
        )


def _has_data(sheet: Any) -> bool:
    return any(
        any(c is not None and str(c).strip() for c in row) for row in sheet.iter_rows(values_only=True)
    )


def _pick_sheet(workbook: Any) -> Any:
    """The one visible sheet with data. A hidden sheet is never read; several visible sheets with
    data are refused with their names rather than guessing."""
    visible = [s for s in workbook.worksheets if getattr(s, "sheet_state", "visible") == "visible"]
    for sheet in visible:
        sheet.reset_dimensions()  # a forged <dimension> would pad every row to it
    with_data = [s for s in visible if _has_data(s)]
    if len(with_data) > 1:
        names = ", ".join(f"'{s.title}'" for s in with_data)
        raise UnreadableFile(
            f"Regnearket har flere ark med data ({names}). Læg rækkerne i ét ark, og slet eller skjul de andre."
        )
    if not with_data:
        raise UnreadableFile("Regnearket er tomt.")
    return with_data[0]


def _read_xlsx(raw: bytes) -> RawTable:
    import openpyxl

    _check_unpacked_size(raw)
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a damaged file
        raise UnreadableFile(f"Excel-filen kan ikke læses ({exc.__class__.__name__}).") from exc
    try:
        sheet = _pick_sheet(workbook)
        records = _stream_rows(sheet)
    except UnreadableFile:
        raise
    except Exception as exc:  # the sheet itself is parsed lazily: damaged XML, absurd numbers
        raise UnreadableFile(f"Excel-filen kan ikke læses ({exc.__class__.__name__}).") from exc
    finally:
        workbook.close()
    headers = ["" if c is None else str(c) for c in records[0]]
    return RawTable(headers, records[1:], 2)


def _stream_rows(sheet: Any) -> list[list[Any]]:
    """Rows one at a time (openpyxl read-only mode), without trailing empty cells and empty rows,
    stopping as soon as the sheet passes the row or cell limit."""
    records: list[list[Any]] = []
    cells = 0
    for row in sheet.iter_rows(values_only=True):
        values = list(row)
        while values and (values[-1] is None or (isinstance(values[-1], str) and not values[-1].strip())):
            values.pop()
        if not values:
            continue
        records.append(values)
        cells += len(values)
        if len(records) > MAX_ROWS or cells > MAX_CELLS:
            raise UnreadableFile(
                f"Regnearket har for mange rækker eller celler (højst {MAX_ROWS:,} rækker og "
                f"{MAX_CELLS:,} celler).".replace(",", ".")
            )
    if not records:
        raise UnreadableFile("Regnearket er tomt.")
    return records


def _read_parquet(raw: bytes) -> RawTable:
    import pyarrow.parquet as pq

    try:
        table = pq.read_table(io.BytesIO(raw))
        columns = table.column_names
        rows = [[record[c] for c in columns] for record in table.to_pylist()]
    except Exception as exc:  # pyarrow raises ArrowInvalid, OSError; to_pylist e.g. dates past 9999
        raise UnreadableFile(f"Parquet-filen kan ikke læses ({exc.__class__.__name__}).") from exc
    return RawTable(columns, rows, 1)
