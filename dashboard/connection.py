"""The app's one DuckDB connection; callers take ``cursor()`` per query (not thread-safe).

The same process also runs the scheduled backup (dashboard/backup_schedule.py): DuckDB lets one
process hold the file, so while the dashboard runs, only it can take a backup.
"""

from __future__ import annotations

import threading
from pathlib import Path

import duckdb
import streamlit as st

from charts.export import to_png
from dashboard.backup_schedule import BackupScheduler, BackupSettings, backup_settings
from data_model.db import DISK_FULL, DatabaseError, connect, disk_has_room, is_disk_full, resolve_db_path
from data_model.seed import SeedError, ensure_seeded


@st.cache_resource(show_spinner="Åbner databasen …")
def _open(path: str) -> duckdb.DuckDBPyConnection:
    con = connect(path)
    try:
        ensure_seeded(con)
    except (SeedError, OSError, duckdb.Error) as exc:
        con.close()
        if is_disk_full(exc) or not disk_has_room(Path(path).parent):
            raise DatabaseError(f"{DISK_FULL}: eksempeldata kunne ikke indlæses i {path}.") from exc
        raise DatabaseError(f"Eksempeldata kunne ikke indlæses i {path}: {exc}") from exc
    return con


def get_connection() -> duckdb.DuckDBPyConnection:
    """Created, migrated and seeded with the sample data on first start."""
    path = str(resolve_db_path())
    con = _open(path)
    _scheduled_backups(path)
    return con


def current_backup_settings() -> BackupSettings:
    """Backup settings from secrets.toml (a broken file never gets this far: see auth.gate)."""
    from dashboard.auth import SecretsProblem, auth_config, read_secrets

    secrets = read_secrets()
    if isinstance(secrets, SecretsProblem) or isinstance(auth_config(secrets), SecretsProblem):
        secrets = {}
    return backup_settings(secrets)


@st.cache_resource(show_spinner=False)
def _scheduled_backups(path: str) -> BackupScheduler | None:
    """Started once per server process and database, when backup_every_hours is set."""
    settings = current_backup_settings()
    if settings.every_hours is None:
        return None
    return BackupScheduler(_open(path), settings).start()


def scheduled_backups() -> BackupScheduler | None:
    return _scheduled_backups(str(resolve_db_path()))


@st.cache_resource(show_spinner=False)
def warm_up_chart_export() -> threading.Thread:
    """Start vl-convert's JavaScript engine once per server process, in the background, so the
    first PNG a user downloads does not pay the ~1 s start-up (docs/BENCHMARKS.md)."""

    def render_tiny_chart() -> None:
        to_png({"data": {"values": [{"x": 1}]}, "mark": "point", "encoding": {"x": {"field": "x"}}}, scale=1)

    thread = threading.Thread(target=render_tiny_chart, name="vl-convert-warm-up", daemon=True)
    thread.start()
    return thread
