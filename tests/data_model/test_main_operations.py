"""Issue 16, class 10 "operations" at the command line (data_model/__main__.py): read-only
check/export while another process reads, a mistyped --db creates nothing, Danish messages for a
full disk."""

from __future__ import annotations

import errno
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from data_model.__main__ import main
from data_model.backup import backup_database
from data_model.db import connect
from tests.cli_run import cli
from tests.conftest import ROOT

# --- check and export only read --------------------------------------------------------------------


@pytest.mark.slow
def test_check_and_export_work_while_another_process_reads(sample_copy: Path, tmp_path: Path) -> None:
    """A second read-only opener is allowed by DuckDB; a read-write one is refused (the old code)."""
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            f"import duckdb,time; c=duckdb.connect({str(sample_copy)!r}, read_only=True); print('x', flush=True); time.sleep(60)",
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "x"
        before = sample_copy.read_bytes()
        checked = cli("check", "--db", str(sample_copy))
        assert checked.returncode == 0, checked.stderr
        assert "Beskadigede tabeller: ingen" in checked.stdout
        out = tmp_path / "inquiries.csv"
        exported = cli(
            "export", "--kind", "inquiries", "--format", "csv", "--out", str(out), "--db", str(sample_copy)
        )
        assert exported.returncode == 0, exported.stderr
        assert out.stat().st_size > 10_000
        assert sample_copy.read_bytes() == before  # nothing written
    finally:
        holder.kill()
        holder.wait()


def test_check_and_export_accept_a_read_only_file(sample_copy: Path, tmp_path: Path) -> None:
    sample_copy.chmod(0o444)
    try:
        assert main(["check", "--db", str(sample_copy)]) == 0
        assert (
            main(
                [
                    "export",
                    "--kind",
                    "themes",
                    "--format",
                    "csv",
                    "--out",
                    str(tmp_path / "t.csv"),
                    "--db",
                    str(sample_copy),
                ]
            )
            == 0
        )
    finally:
        sample_copy.chmod(0o644)


# --- a mistyped --db -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "command",
    [
        ["check"],
        ["export", "--kind", "themes", "--format", "csv", "--out", "ud.csv"],
        ["import", str(ROOT / "sample_data" / "reference" / "themes.csv"), "--kind", "themes"],
        ["import", str(ROOT / "sample_data" / "reference" / "themes.csv"), "--kind", "themes", "--dry-run"],
        ["backup", "--out", "kopi"],
    ],
    ids=["check", "export", "import", "import-dry-run", "backup"],
)
def test_a_mistyped_db_path_creates_nothing(
    command: list[str], tmp_path: Path, capsys, monkeypatch: pytest.MonkeyPatch
) -> None:
    typo = tmp_path / "dta" / "borgeraad.duckdb"
    monkeypatch.chdir(tmp_path)  # relative output paths land here, if anything is written
    assert main([*command, "--db", str(typo)]) == 2
    err = capsys.readouterr().err
    assert f"Databasefilen {typo} findes ikke" in err and "seed" in err
    assert list(tmp_path.iterdir()) == []  # no database, no folder, no output file


def test_seed_and_restore_create_a_new_database(sample_path: Path, tmp_path: Path) -> None:
    assert main(["seed", "--empty", "--db", str(tmp_path / "ny" / "tom.duckdb")]) == 0
    assert (tmp_path / "ny" / "tom.duckdb").is_file()
    con = connect(sample_path, read_only=True)
    backup_database(con, tmp_path / "kopi")
    con.close()
    assert main(["restore", str(tmp_path / "kopi"), "--db", str(tmp_path / "gendannet.duckdb")]) == 0
    assert main(["check", "--db", str(tmp_path / "gendannet.duckdb")]) == 0


# --- a full disk ----------------------------------------------------------------------------------


def _enospc(*_args: Any, **_kwargs: Any) -> None:
    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), "fil")


def test_backup_on_a_full_disk_says_so_and_leaves_nothing(
    sample_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    import data_model.backup as backup

    calls = {"n": 0}
    real = backup.pq.write_table

    def third_file_fails(*args: Any, **kwargs: Any) -> None:
        calls["n"] += 1
        if calls["n"] == 3:
            _enospc()
        real(*args, **kwargs)

    monkeypatch.setattr(backup.pq, "write_table", third_file_fails)
    out = tmp_path / "kopi"
    assert main(["backup", "--out", str(out), "--db", str(sample_copy)]) == 2
    err = capsys.readouterr().err
    assert "Disken er fuld" in err and "Traceback" not in err
    assert not out.exists()  # the half backup is gone


def test_export_on_a_full_disk_says_so(
    sample_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    monkeypatch.setattr(Path, "write_bytes", _enospc)
    assert (
        main(
            [
                "export",
                "--kind",
                "themes",
                "--format",
                "xlsx",
                "--out",
                str(tmp_path / "t.xlsx"),
                "--db",
                str(sample_copy),
            ]
        )
        == 2
    )
    err = capsys.readouterr().err
    assert err.startswith("Fejl: Disken er fuld") and "No space" not in err


@pytest.mark.slow
@pytest.mark.parametrize(
    ("command", "limit"),
    [
        (
            ["export", "--kind", "inquiries", "--format", "csv", "--out", "{tmp}/ud.csv", "--db", "{db}"],
            20_000,
        ),
        (["backup", "--out", "{tmp}/kopi", "--db", "{db}"], 20_000),
        (["seed", "--db", "{tmp}/ny.duckdb"], 300_000),
        (
            [
                "import",
                str(ROOT / "sample_data" / "generated" / "inquiries.csv"),
                "--kind",
                "inquiries",
                "--db",
                "{tmp}/lille.duckdb",
            ],
            300_000,
        ),
    ],
    ids=["export", "backup", "seed", "import"],
)
def test_commands_that_cannot_grow_a_file_say_so_in_danish(
    command: list[str], limit: int, sample_copy: Path, tmp_path: Path
) -> None:
    if "lille.duckdb" in " ".join(command):
        assert main(["seed", "--empty", "--db", str(tmp_path / "lille.duckdb")]) == 0
    args = [a.format(tmp=tmp_path, db=sample_copy) for a in command]
    result = cli(*args, file_limit=limit)
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    text = (result.stderr + result.stdout).lower()
    assert "disken er fuld" in text, result.stderr[-2000:]
    assert not (tmp_path / "ud.csv").exists() and not (tmp_path / "kopi").exists()
