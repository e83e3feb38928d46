"""Issue 16, class 10 "operations": backups taken by the running app (dashboard/backup_schedule.py)
on a schedule and from the Data page, while the app holds the database file."""

from __future__ import annotations

import shutil
import time
from collections.abc import Callable
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
from data_model.backup import MANIFEST, BackupError, read_manifest, restore_database
from data_model.db import PROJECT_DIR, connect
from tests.cli_run import cli
from tests.conftest import db_path, open_app

LOGIN = {
    "redirect_uri": "http://localhost/oauth2callback",
    "cookie_secret": "x",
    "client_id": "c",
    "client_secret": "s",
    "server_metadata_url": "https://login.example.dk/.well-known/openid-configuration",
}


# --- backups taken by the running app -------------------------------------------------------------


def test_settings_from_secrets() -> None:
    assert backup_settings({}) == BackupSettings(PROJECT_DIR / "backups", None, 7)
    settings = backup_settings({"backup_dir": "sik", "backup_every_hours": 12, "backup_keep": 3})
    assert settings == BackupSettings(PROJECT_DIR / "sik", 12.0, 3)
    assert "hver 12. time" in settings.describe() and "de seneste 3" in settings.describe()


def test_schedule_takes_due_backups_and_keeps_the_last_n(query_db, tmp_path: Path) -> None:
    folder = tmp_path / "sikkerhedskopier"
    path = db_path(query_db)
    query_db.close()
    con = connect(path, read_only=True)
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
    sample_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    con = connect(sample_path, read_only=True)
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
def app(query_template: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Callable[..., AppTest]:
    """AppTests on a copy of the small query database (the running app holds its file), with
    st.secrets."""
    path = shutil.copy(query_template / "test.duckdb", tmp_path / "app.duckdb")

    def make(secrets: dict[str, Any], user: dict[str, Any] | None = None) -> AppTest:
        return open_app(path, monkeypatch, secrets=secrets, user=user)

    return make


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
    assert counts["inquiry"] == 12  # tests/query_fixture.py's inquiries, every one
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
    assert any("hver 6. time" in c.value.replace("\\", "") for c in at.caption)  # shown Markdown-escaped
    scheduler = connection._scheduled_backups(str(tmp_path / "app.duckdb"))
    try:
        assert scheduler is not None and scheduler._thread.is_alive()
        at.run()
        assert connection._scheduled_backups(str(tmp_path / "app.duckdb")) is scheduler  # once per process
        assert scheduler.run_if_due() > 0 and len(finished_backups(folder, "auto")) == 1
    finally:
        scheduler.stop()
