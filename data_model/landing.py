"""Writing several kinds of records as one change: each kind's references are checked against
what is already written in the same transaction, and any refusal rolls all of it back."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

import duckdb

from data_model.importer import ImportReport, Problem, check_references, write_records
from data_model.kinds import KINDS
from data_model.models import Record


class Refused(Exception):
    """A reference did not resolve inside the transaction; nothing was written."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(f"{len(problems)} problem(er)")
        self.problems = problems


@contextlib.contextmanager
def one_transaction(con: duckdb.DuckDBPyConnection) -> Iterator[None]:
    con.execute("BEGIN TRANSACTION")
    try:
        yield
        con.execute("COMMIT")
    except Exception:
        with contextlib.suppress(duckdb.Error):  # a fatal error (disk full) may have ended it already
            con.execute("ROLLBACK")
        raise


def land(
    con: duckdb.DuckDBPyConnection,
    kind_name: str,
    records: list[Record],
    numbers: list[int],
    *,
    file_name: str,
    actor: str,
) -> ImportReport:
    """Check references and upsert inside the caller's transaction (``one_transaction``)."""
    kind = KINDS[kind_name]
    if problems := check_references(con, kind, records, numbers):
        raise Refused(problems)
    result = ImportReport(kind=kind_name, file_name=file_name, rows=len(records))
    if records:
        write_records(con, kind, records, result, actor=actor, numbers=numbers, own_transaction=False)
    return result
