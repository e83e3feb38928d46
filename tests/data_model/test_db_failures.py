"""The database file deleted, truncated or locked, and the disk full mid-import (issue 9): refused
in Danish, nothing half-written, the session goes on."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

import duckdb
import pytest

from data_model import importer
from data_model.db import DatabaseError, connect, row_counts
from data_model.importer import import_file
from queries import inquiries
from tests.cli_run import cli
from tests.conftest import ROOT, TODAY, db_path, write
from tests.import_checks import assert_danish_problem, batch_csv, check_outcome
from tests.query_fixture import F

# ---------------------------------------------------------------------------------------------
# 3. Failures: the database file deleted, truncated or locked; the disk full mid-import
# ---------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def seeded_bytes(seeded_sample: Path) -> bytes:
    """A checkpointed sample database large enough to span many storage blocks."""
    return seeded_sample.read_bytes()


EVENT_CSV = b"event_id,date,label\nhaendelse,2024-01-01,<b>Ny</b>\n"


@pytest.mark.parametrize(
    ("cut", "message"),
    [
        (0, "er tom (0 byte)"),
        (100, "er ikke en gyldig DuckDB-database"),
        (8192, "er ikke en gyldig DuckDB-database"),
        (0.25, "er afkortet"),
    ],
)
def test_truncated_file_at_open(seeded_bytes: bytes, tmp_path: Path, cut: float, message: str) -> None:
    path = tmp_path / "afkortet.duckdb"
    path.write_bytes(seeded_bytes[: int(len(seeded_bytes) * cut) if isinstance(cut, float) else cut])
    with pytest.raises(DatabaseError, match=re.escape(message)):
        connect(path)
    with pytest.raises(DatabaseError, match=re.escape(message)):
        connect(path, read_only=True)
    result = cli("check", "--db", str(path))
    assert result.returncode == 2 and message in result.stderr and "Traceback" not in result.stderr


def test_truncated_while_in_use(seeded_bytes: bytes, tmp_path: Path) -> None:
    path = tmp_path / "i_brug.duckdb"
    path.write_bytes(seeded_bytes)
    con = connect(path)
    os.truncate(path, len(seeded_bytes) // 4)
    report = import_file(con.cursor(), "e.csv", "events", today=TODAY, data=EVENT_CSV)
    assert not report.ok
    for problem in report.problems:
        assert_danish_problem(problem)
    assert "intet er importeret" in report.problems[0].reason
    con.close()
    with pytest.raises(DatabaseError, match="afkortet"):
        connect(path)


def test_deleted_at_open_and_while_in_use(seeded_bytes: bytes, tmp_path: Path) -> None:
    path = tmp_path / "slettet.duckdb"
    with pytest.raises(DatabaseError, match="findes ikke"):
        connect(path, create=False)
    path.write_bytes(seeded_bytes)
    con = connect(path)
    path.unlink()  # the open file lives on until closed (POSIX); what it holds then is gone
    report = import_file(con.cursor(), "e.csv", "events", today=TODAY, data=EVENT_CSV)
    assert report.ok, report.problems
    assert inquiries.breakdown(con.cursor(), F, None, "kind").height >= 0
    con.close()
    with pytest.raises(DatabaseError, match="findes ikke"):
        connect(path, create=False)
    result = cli(
        "export", "--kind", "events", "--format", "csv", "--out", str(tmp_path / "x.csv"), "--db", str(path)
    )
    assert result.returncode == 2 and "findes ikke" in result.stderr and "Traceback" not in result.stderr


@pytest.mark.slow
@pytest.mark.timeout(120)
def test_locked_by_another_process(seeded_bytes: bytes, tmp_path: Path) -> None:
    path = tmp_path / "laast.duckdb"
    path.write_bytes(seeded_bytes)
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            f"import duckdb, sys; c = duckdb.connect({str(path)!r}); print('klar', flush=True); sys.stdin.read()",
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "klar"
        for read_only in (False, True):
            with pytest.raises(DatabaseError, match="låst af et andet program"):
                connect(path, read_only=read_only)
        for args in (
            ["check"],
            [
                "import",
                str(write(tmp_path / "e.csv", "event_id,date,label\ne,2024-01-01,x\n")),
                "--kind",
                "events",
            ],
            ["backup", "--out", str(tmp_path / "bak")],
        ):
            result = cli(*args, "--db", str(path))
            assert result.returncode == 2, result
            assert "låst af et andet program" in result.stderr and "Traceback" not in result.stderr
    finally:
        assert holder.stdin is not None
        holder.stdin.close()
        holder.wait(timeout=30)
    connect(path).close()  # free again once the other program has closed it


def test_in_use_here_locks_out_other_processes_cleanly(seeded_bytes: bytes, tmp_path: Path) -> None:
    path = tmp_path / "optaget.duckdb"
    path.write_bytes(seeded_bytes)
    con = connect(path)
    result = cli(
        "import",
        str(write(tmp_path / "e.csv", "event_id,date,label\ne,2024-01-01,x\n")),
        "--kind",
        "events",
        "--db",
        str(path),
    )
    assert (
        result.returncode == 2
        and "låst af et andet program" in result.stderr
        and "Traceback" not in result.stderr
    )
    assert import_file(con, "e.csv", "events", today=TODAY, data=EVENT_CSV).ok  # this session is unharmed
    con.close()


class _FailingCommit:
    """The connection as import_file sees it, except that COMMIT fails like a full disk."""

    def __init__(self, con: duckdb.DuckDBPyConnection) -> None:
        self._con = con

    def execute(self, sql: str, *args: Any) -> Any:
        if sql.strip().upper() == "COMMIT":
            raise duckdb.IOException("IO Error: Could not write file: No space left on device")
        return self._con.execute(sql, *args)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._con, name)


@pytest.mark.parametrize("where", ["after_upsert", "at_audit", "at_commit"])
def test_disk_full_mid_import_writes_nothing(query_db, monkeypatch: pytest.MonkeyPatch, where: str) -> None:
    real_upsert = importer.upsert

    def upsert_then_fail(con: Any, kind: Any, stage: str) -> None:
        real_upsert(con, kind, stage)  # the rows are in the transaction when the disk fills
        raise duckdb.IOException("IO Error: No space left on device")

    def audit_fails(*args: Any, **kwargs: Any) -> None:
        raise duckdb.IOException("IO Error: No space left on device")

    con: Any = query_db
    if where == "after_upsert":
        monkeypatch.setattr(importer, "upsert", upsert_then_fail)
    elif where == "at_audit":
        monkeypatch.setattr(importer, "audit", audit_fails)
    else:
        con = _FailingCommit(query_db)
    before = row_counts(query_db)
    data = batch_csv(99, "v1").replace(b"batch99-0,", b"i3,")  # a new batch plus one existing inquiry changed
    report = import_file(con, "fuld.csv", "inquiries", today=TODAY, data=data)
    check_outcome(query_db, "inquiries", before, report, dry_run=False)
    assert [p.reason for p in report.problems] == [
        "Databasen kunne ikke læse eller skrive (er disken fuld, eller er databasefilen skrivebeskyttet "
        "eller beskadiget?); intet er importeret (IOException)"
    ]
    assert (report.new, report.changed) == (0, 0)
    assert query_db.execute("SELECT summary FROM inquiry WHERE inquiry_id = 'i3'").fetchone() == (None,)
    monkeypatch.undo()
    assert import_file(
        query_db, "fuld.csv", "inquiries", today=TODAY, data=data
    ).ok  # and the session goes on


@pytest.mark.slow
@pytest.mark.skipif(not hasattr(signal, "SIGXFSZ"), reason="needs POSIX file-size limits")
@pytest.mark.timeout(120)
def test_a_really_full_disk(query_db, tmp_path: Path) -> None:
    """A real write failure: the import runs in a process whose files may not grow past 200 KB."""
    path = db_path(query_db)
    before = row_counts(query_db)
    query_db.close()
    rows = "".join(f"fuld-{n},999,2024-01-01,klage,{'x' * 100}\n" for n in range(20_000))
    big = write(tmp_path / "stor.csv", "inquiry_id,municipality_code,received,kind_code,summary\n" + rows)
    child = (
        "import resource, signal, sys\n"
        "from datetime import date\n"
        "from data_model.db import connect\n"
        "from data_model.importer import import_file\n"
        f"con = connect({str(path)!r})\n"
        "signal.signal(signal.SIGXFSZ, signal.SIG_IGN)\n"
        "resource.setrlimit(resource.RLIMIT_FSIZE, (200_000, resource.RLIM_INFINITY))\n"
        f"report = import_file(con, {str(big)!r}, 'inquiries', today=date(2026, 11, 24))\n"
        "print('\\n'.join(p.reason for p in report.problems) or 'importeret')\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", child], cwd=ROOT, capture_output=True, text=True, timeout=100
    )
    assert result.returncode == 0 and "Traceback" not in result.stderr, result.stderr
    assert result.stdout.startswith("Databasen kunne ikke læse eller skrive"), result.stdout
    con = connect(path)
    assert row_counts(con) == before
    con.close()
