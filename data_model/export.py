"""The one export path for tables: CSV for Danish Excel, XLSX and Parquet, as bytes."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import duckdb
import polars as pl
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from data_model.csv_safety import neutralise_frame
from data_model.kinds import KINDS

FORMATS = ("csv", "xlsx", "parquet")
MIME_TYPES = {
    "csv": "text/csv",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "parquet": "application/vnd.apache.parquet",
}


def _flatten_lists(frame: pl.DataFrame) -> pl.DataFrame:
    lists = [name for name, dtype in frame.schema.items() if isinstance(dtype, pl.List)]
    return frame.with_columns(pl.col(name).list.join(";") for name in lists) if lists else frame


def frame_to_csv(frame: pl.DataFrame) -> bytes:
    """The one CSV writer: semicolon separated, decimal commas, UTF-8 BOM (what Danish Excel opens
    without a wizard, and what the importer reads back), text that Excel would run as a formula
    neutralised (``'=...``; the importer takes the quote off again)."""
    safe = neutralise_frame(_flatten_lists(frame))
    return safe.write_csv(separator=";", include_bom=True, decimal_comma=True).encode("utf-8")


def _xlsx_cell(worksheet: Any, value: Any) -> Any:
    """Text stays text: a value starting with '=' is stored as a string, never as a formula Excel
    would run, and characters XLSX cannot hold are shown as U+FFFD rather than crashing."""
    if not isinstance(value, str):
        return value
    cell = WriteOnlyCell(worksheet, value=ILLEGAL_CHARACTERS_RE.sub("\ufffd", value))
    cell.data_type = "s"
    return cell


def frame_to_xlsx(frame: pl.DataFrame, sheet: str = "Data") -> bytes:
    workbook = Workbook(write_only=True)
    worksheet = workbook.create_sheet(title=ILLEGAL_CHARACTERS_RE.sub("", sheet)[:31] or "Data")
    flat = _flatten_lists(frame)
    worksheet.append([_xlsx_cell(worksheet, c) for c in flat.columns])
    for row in flat.iter_rows():
        worksheet.append([_xlsx_cell(worksheet, v) for v in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def frame_to_parquet(frame: pl.DataFrame) -> bytes:
    buffer = io.BytesIO()
    frame.write_parquet(buffer)
    return buffer.getvalue()


def frame_to_bytes(frame: pl.DataFrame, fmt: str, sheet: str = "Data") -> bytes:
    if fmt == "csv":
        return frame_to_csv(frame)
    if fmt == "xlsx":
        return frame_to_xlsx(frame, sheet)
    if fmt == "parquet":
        return frame_to_parquet(frame)
    raise ValueError(f"unknown format {fmt!r}")


def kind_frame(con: duckdb.DuckDBPyConnection, kind_name: str) -> pl.DataFrame:
    """All rows of one kind, in the import column layout, ordered by key."""
    kind = KINDS[kind_name]
    cols = ", ".join(kind.columns)  # identifiers from the model only
    order = ", ".join(kind.key)
    return con.sql(f"SELECT {cols} FROM {kind.table} ORDER BY {order}").pl()  # noqa: S608


def export_kind(con: duckdb.DuckDBPyConnection, kind_name: str, fmt: str, out: Path | str) -> int:
    frame = kind_frame(con, kind_name)
    Path(out).write_bytes(frame_to_bytes(frame, fmt, sheet=kind_name))
    return frame.height
