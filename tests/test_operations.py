"""Issue 16, class 10 "operations": backup while the dashboard runs (Data page and schedule),
read-only check/export, a mistyped --db creates nothing, Danish messages for a full disk."""

from __future__ import annotations

import errno
import os
import resource
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from streamlit.testing.v1 import AppTest

from dashboard.backup_schedule import (
    BackupScheduler,
    BackupSettings,
    backup_settings,
    finished_backups,
    next_due,
    prune,
    take_backup,
)
from data_model.__main__ import main
from data_model.backup import MANIFEST, BackupError, backup_database, read_manifest, restore_database
from data_model.db import PROJECT_DIR, connect
from tests.conftest import ROOT
from tests.sample_fixture import *  # noqa: F403 (fixture: sample_path)

LOGIN = {
    "redirect_uri": "http://localhost/oauth2callback",
    "cookie_secret": "x",
    "client_id": "c",
    "client_secret": "s",
    "server_metadata_url": "https://login.example.dk/.well-known/openid-configuration",
}


@pytest.fixture(scope="module")
def seeded(sample_path: Path) -> Path:
    """The seeded sample database (tests/sample_fixture.py); tests change only copies of it."""
    return sample_path


@pytest.fixture
def db_copy(seeded: Path, tmp_path: Path) -> Path:
    return Path(shutil.copy(seeded, tmp_path / "copy.duckdb"))


def cli(*args: str, cwd: Path = ROOT, file_limit: int | None = None) -> subprocess.CompletedProcess[str]:
    """The command line in a child process, optionally unable to grow any file past ``file_limit``
    bytes (RLIMIT_FSIZE: writes fail with EFBIG, like a full disk fails with ENOSPC)."""

    def limit() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        if file_limit is not None:
            resource.setrlimit(resource.RLIMIT_FSIZE, (file_limit, file_limit))

    return subprocess.run(
        [sys.executable, "-m", "data_model", *args],
        cwd=cwd,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=180,
        preexec_fn=limit,
    )


# --- check and export only read --------------------------------------------------------------------


def test_check_and_export_work_while_another_process_reads(db_copy: Path, tmp_path: Path) -> None:
    """A second read-only opener is allowed by DuckDB; a read-write one is refused (the old code)."""
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            f"import duckdb,time; c=duckdb.connect({str(db_copy)!r}, read_only=True); print('x', flush=True); time.sleep(60)",
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "x"
        before = db_copy.read_bytes()
        checked = cli("check", "--db", str(db_copy))
        assert checked.returncode == 0, checked.stderr
        assert "Beskadigede tabeller: ingen" in checked.stdout
        out = tmp_path / "inquiries.csv"
        exported = cli(
            "export", "--kind", "inquiries", "--format", "csv", "--out", str(out), "--db", str(db_copy)
        )
        assert exported.returncode == 0, exported.stderr
        assert out.stat().st_size > 10_000
        assert db_copy.read_bytes() == before  # nothing written
    finally:
        holder.kill()
        holder.wait()


def test_check_and_export_accept_a_read_only_file(db_copy: Path, tmp_path: Path) -> None:
    db_copy.chmod(0o444)
    try:
        assert main(["check", "--db", str(db_copy)]) == 0
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
                    str(db_copy),
                ]
            )
            == 0
        )
    finally:
        db_copy.chmod(0o644)


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


def test_seed_and_restore_create_a_new_database(seeded: Path, tmp_path: Path) -> None:
    assert main(["seed", "--empty", "--db", str(tmp_path / "ny" / "tom.duckdb")]) == 0
    assert (tmp_path / "ny" / "tom.duckdb").is_file()
    con = connect(seeded, read_only=True)
    backup_database(con, tmp_path / "kopi")
    con.close()
    assert main(["restore", str(tmp_path / "kopi"), "--db", str(tmp_path / "gendannet.duckdb")]) == 0
    assert main(["check", "--db", str(tmp_path / "gendannet.duckdb")]) == 0


# --- a full disk ----------------------------------------------------------------------------------


def _enospc(*_args: Any, **_kwargs: Any) -> None:
    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), "fil")


def test_backup_on_a_full_disk_says_so_and_leaves_nothing(
    db_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys
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
    assert main(["backup", "--out", str(out), "--db", str(db_copy)]) == 2
    err = capsys.readouterr().err
    assert "Disken er fuld" in err and "Traceback" not in err
    assert not out.exists()  # the half backup is gone


def test_export_on_a_full_disk_says_so(
    db_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys
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
                str(db_copy),
            ]
        )
        == 2
    )
    err = capsys.readouterr().err
    assert err.startswith("Fejl: Disken er fuld") and "No space" not in err


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
    command: list[str], limit: int, db_copy: Path, tmp_path: Path
) -> None:
    if "lille.duckdb" in " ".join(command):
        assert main(["seed", "--empty", "--db", str(tmp_path / "lille.duckdb")]) == 0
    args = [a.format(tmp=tmp_path, db=db_copy) for a in command]
    result = cli(*args, file_limit=limit)
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    text = (result.stderr + result.stdout).lower()
    assert "disken er fuld" in text, result.stderr[-2000:]
    assert not (tmp_path / "ud.csv").exists() and not (tmp_path / "kopi").exists()


# --- backups taken by the running app -------------------------------------------------------------


def test_settings_from_secrets() -> None:
    assert backup_settings({}) == BackupSettings(PROJECT_DIR / "backups", None, 7)
    settings = backup_settings({"backup_dir": "sik", "backup_every_hours": 12, "backup_keep": 3})
    assert settings == BackupSettings(PROJECT_DIR / "sik", 12.0, 3)
    assert "hver 12. time" in settings.describe() and "de seneste 3" in settings.describe()


def test_schedule_takes_due_backups_and_keeps_the_last_n(seeded: Path, tmp_path: Path) -> None:
    folder = tmp_path / "sikkerhedskopier"
    con = connect(seeded, read_only=True)
    try:
        take_backup(con, folder, "manuel", now=datetime(2026, 1, 1, 8))
        clock = {"now": datetime(2026, 1, 1, 9)}
        scheduler = BackupScheduler(con, BackupSettings(folder, 24, 2), clock=lambda: clock["now"])
        assert next_due(folder, 24, clock["now"]) == clock["now"]  # a manual backup does not count
        for hours, expected in [(0, 1), (1, 1), (23, 1), (24, 2), (49, 3), (75, 4)]:
            clock["now"] = datetime(2026, 1, 1, 9) + timedelta(hours=hours)
            wait = scheduler.run_if_due()
            assert 0 < wait <= 3600
            taken = finished_backups(folder)
            assert len(taken) == min(expected, 2) + 1, (hours, taken)
        names = [p.name for _, p in finished_backups(folder)]
        assert names == ["manuel-20260101-080000", "auto-20260103-100000", "auto-20260104-120000"]
        assert "kontrolleret" in scheduler.status
        read_manifest(folder / names[-1])  # a complete, verified backup
    finally:
        con.close()


def test_prune_ignores_foreign_and_unfinished_folders(tmp_path: Path) -> None:
    for name in [
        "auto-20260101-000000",
        "auto-20260102-000000",
        "auto-20260103-000000",
        "manuel-20250101-000000",
    ]:
        (tmp_path / name).mkdir()
        (tmp_path / name / MANIFEST).write_text("{}")
    (tmp_path / "auto-20250101-000000").mkdir()  # unfinished: no manifest
    (tmp_path / "mine-egne").mkdir()
    removed = prune(tmp_path, 1)
    assert [p.name for p in removed] == ["auto-20260101-000000", "auto-20260102-000000"]
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "auto-20250101-000000",
        "auto-20260103-000000",
        "manuel-20250101-000000",
        "mine-egne",
    ]


def test_scheduler_thread_runs_and_reports_failure(
    seeded: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    con = connect(seeded, read_only=True)
    try:
        folder = tmp_path / "k"
        scheduler = BackupScheduler(con, BackupSettings(folder, 24, 7), first_delay=0.01).start()
        deadline = time.monotonic() + 60
        while not finished_backups(folder) and time.monotonic() < deadline:
            time.sleep(0.2)
        scheduler.stop()
        assert len(finished_backups(folder, "auto")) == 1
        import dashboard.backup_schedule as schedule

        monkeypatch.setattr(
            schedule, "backup_database", lambda *a, **k: _raise(BackupError("Disken er fuld: test"))
        )
        failing = BackupScheduler(con, BackupSettings(tmp_path / "f", 24, 7))
        assert failing.run_if_due() == 3600 and "mislykkedes" in failing.status
    finally:
        con.close()


def _raise(exc: Exception) -> None:
    raise exc


@pytest.fixture
def app(seeded: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[..., AppTest]]:
    path = shutil.copy(seeded, tmp_path / "app.duckdb")
    monkeypatch.setenv("BORGERRAAD_DB", str(path))

    def make(secrets: dict[str, Any], user: dict[str, Any] | None = None) -> AppTest:
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
        for key, value in secrets.items():
            at.secrets[key] = value
        if user is not None:
            at.user = user
        return at

    yield make


def test_editor_takes_a_backup_from_the_data_page_while_the_app_holds_the_file(app, tmp_path: Path) -> None:
    folder = tmp_path / "kopier"
    at = app({"backup_dir": str(folder)}).run()
    at.switch_page("views/data.py").run()
    assert not at.exception
    # the command line cannot: the running app holds DuckDB's lock on the file
    locked = cli("backup", "--out", str(tmp_path / "cli"), "--db", str(tmp_path / "app.duckdb"))
    assert locked.returncode == 2 and "låst" in locked.stderr
    next(b for b in at.button if b.label == "Tag sikkerhedskopi").click().run()
    assert not at.exception
    assert any("Sikkerhedskopi skrevet og kontrolleret" in s.value for s in at.success)
    (taken,) = [p for _, p in finished_backups(folder, "manuel")]
    counts = restore_database(taken, tmp_path / "gendannet.duckdb")
    assert counts["inquiry"] > 1000
    assert any("Automatisk sikkerhedskopi er ikke sat op" in c.value for c in at.caption)


def test_readers_get_no_backup_button(app, tmp_path: Path) -> None:
    at = app(
        {"auth": LOGIN, "roles": {"editors": ["r@kommune.dk"]}, "backup_dir": str(tmp_path / "k")},
        {"email": "laeser@kommune.dk", "is_logged_in": True},
    ).run()
    at.switch_page("views/data.py").run()
    assert not at.exception
    assert not any(b.label == "Tag sikkerhedskopi" for b in at.button)
    assert any("Kun redaktører kan tage en sikkerhedskopi" in c.value for c in at.caption)


def test_a_failing_backup_from_the_page_is_explained(app, tmp_path: Path) -> None:
    blocker = tmp_path / "fil"
    blocker.write_text("ikke en mappe")
    at = app({"backup_dir": str(blocker)}).run()
    at.switch_page("views/data.py").run()
    next(b for b in at.button if b.label == "Tag sikkerhedskopi").click().run()
    assert not at.exception
    assert any("kan ikke oprettes" in e.value for e in at.error)


def test_the_running_app_starts_its_schedule_once(app, tmp_path: Path) -> None:
    from dashboard import connection

    folder = tmp_path / "auto"
    at = app({"backup_dir": str(folder), "backup_every_hours": 6, "backup_keep": 2}).run()
    at.switch_page("views/data.py").run()
    assert not at.exception
    assert any("hver 6. time" in c.value for c in at.caption)
    scheduler = connection._scheduled_backups(str(tmp_path / "app.duckdb"))
    try:
        assert scheduler is not None and scheduler._thread.is_alive()
        at.run()
        assert connection._scheduled_backups(str(tmp_path / "app.duckdb")) is scheduler  # once per process
        assert scheduler.run_if_due() > 0 and len(finished_backups(folder, "auto")) == 1
    finally:
        scheduler.stop()
