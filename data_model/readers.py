"""Reading CSV, XLSX and Parquet files into header + rows of raw cell values."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path
from typing import Any

SUPPORTED_SUFFIXES = (".csv", ".txt", ".xlsx", ".parquet")


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
        raw = data if data is not None else path.read_bytes()
    except OSError as exc:
        raise UnreadableFile(f"Filen {path.name} kan ikke åbnes: {exc.strerror}") from exc
    if suffix == ".xlsx":
        return _read_xlsx(raw)
    if suffix == ".parquet":
        return _read_parquet(raw)
    return _read_csv(raw)


def _decode(raw: bytes) -> str:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Danish Excel still saves "CSV" as Windows-1252; accept it rather than mangle æøå.
        try:
            return raw.decode("cp1252")
        except UnicodeDecodeError as exc:
            raise UnreadableFile("Filen er hverken UTF-8 eller Windows-1252.") from exc


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


def _read_xlsx(raw: bytes) -> RawTable:
    import openpyxl

    try:
        workbook = openpyxl.load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a damaged file
        raise UnreadableFile(f"Excel-filen kan ikke læses ({exc.__class__.__name__}).") from exc
    try:
        sheet = workbook.worksheets[0]
        # Ignore the sheet's own size claim: a forged <dimension> would pad every row to it.
        sheet.reset_dimensions()
        records = [list(r) for r in sheet.iter_rows(values_only=True)]
    except Exception as exc:  # the sheet itself is parsed lazily: damaged XML, absurd numbers
        raise UnreadableFile(f"Excel-filen kan ikke læses ({exc.__class__.__name__}).") from exc
    finally:
        workbook.close()
    records = [r for r in records if any(c is not None and str(c).strip() for c in r)]
    if not records:
        raise UnreadableFile("Regnearket er tomt.")
    headers = ["" if c is None else str(c) for c in records[0]]
    return RawTable(headers, records[1:], 2)


def _read_parquet(raw: bytes) -> RawTable:
    import pyarrow.parquet as pq

    try:
        table = pq.read_table(io.BytesIO(raw))
        columns = table.column_names
        rows = [[record[c] for c in columns] for record in table.to_pylist()]
    except Exception as exc:  # pyarrow raises ArrowInvalid, OSError; to_pylist e.g. dates past 9999
        raise UnreadableFile(f"Parquet-filen kan ikke læses ({exc.__class__.__name__}).") from exc
    return RawTable(columns, rows, 1)
