"""An uploaded file on the Data page: read and validated once per file, not on every rerun.

Streamlit reruns the whole page on every click; without this a large workbook was read and
validated again each time. The result is kept in a mapping (the session state) under the file's
content hash, the kind and the name, and forgotten after an import (the database then differs).
"""

from __future__ import annotations

import hashlib
from collections.abc import MutableMapping
from dataclasses import dataclass
from typing import Any

import duckdb

from data_model.importer import ImportReport, Problem, import_file
from data_model.readers import MAX_FILE_BYTES, RawTable, UnreadableFile, read_table, too_large_message

CACHE_KEY = "upload_check"


@dataclass(frozen=True)
class UploadCheck:
    digest: str
    kind: str
    name: str
    preview: RawTable | None  # None when the file cannot be read (the report says why)
    report: ImportReport  # a dry run: problems, or counts and field changes before writing


def digest_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def check_upload(
    con: duckdb.DuckDBPyConnection,
    name: str,
    data: bytes,
    kind: str,
    cache: MutableMapping[str, Any],
) -> UploadCheck:
    """The dry-run report and preview of an upload, from ``cache`` when this file was checked."""
    digest = digest_of(data)
    cached = cache.get(CACHE_KEY)
    if isinstance(cached, UploadCheck) and (cached.digest, cached.kind, cached.name) == (digest, kind, name):
        return cached
    if len(data) > MAX_FILE_BYTES:  # refused before anything parses it
        report = ImportReport(kind=kind, file_name=name, dry_run=True)
        report.problems.append(Problem(None, "", "", too_large_message(len(data))))
        check = UploadCheck(digest, kind, name, None, report)
    else:
        try:
            table: RawTable | None = read_table(name, data)
        except UnreadableFile:
            table = None  # import_file reports why
        report = import_file(con, name, kind, data=data, dry_run=True, table=table)
        check = UploadCheck(digest, kind, name, table, report)
    cache[CACHE_KEY] = check
    return check


def forget(cache: MutableMapping[str, Any]) -> None:
    """Drop the kept check (after an import the same file validates differently)."""
    cache.pop(CACHE_KEY, None)
