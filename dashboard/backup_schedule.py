"""Backups taken by the running dashboard (which holds DuckDB's file lock, so the command line
cannot): on demand from the Data page, and on a schedule from secrets.toml.

```toml
backup_dir = "/srv/borgerraad/backups"   # default: backups/ in the project folder
backup_every_hours = 24                  # no value: no scheduled backup
backup_keep = 7                          # scheduled backups kept (manual ones are never removed)
```

Each backup is a folder ``auto-YYYYmmdd-HHMMSS`` (scheduled) or ``manuel-YYYYmmdd-HHMMSS`` in
the same format as ``python -m data_model backup`` (restore with ``python -m data_model restore``),
written through the app's own connection and verified after writing. The schedule runs in one
daemon thread per server process; after a failure it tries again in an hour.
"""

from __future__ import annotations

import logging
import re
import shutil
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import duckdb

from data_model.backup import MANIFEST, backup_database
from data_model.db import PROJECT_DIR, DatabaseError, project_path

log = logging.getLogger(__name__)

DEFAULT_FOLDER = PROJECT_DIR / "backups"
DEFAULT_KEEP = 7
FIRST_DELAY_SECONDS = 60.0  # let the first page draw before a due backup runs
RETRY_SECONDS = 3600.0
_NAME = re.compile(r"^(auto|manuel)-(\d{8}-\d{6})(?:-\d+)?$")


@dataclass(frozen=True)
class BackupSettings:
    folder: Path
    every_hours: float | None
    keep: int

    def describe(self) -> str:
        if self.every_hours is None:
            return "Automatisk sikkerhedskopi er ikke sat op (backup_every_hours i .streamlit/secrets.toml)."
        hours = f"{self.every_hours:g}".replace(".", ",")
        return (
            f"Automatisk sikkerhedskopi hver {hours}. time til {self.folder}; de seneste {self.keep} gemmes."
        )


def backup_settings(secrets: Mapping[str, Any]) -> BackupSettings:
    """From validated secrets (``dashboard.auth.auth_config`` refuses wrong types)."""
    folder = project_path(str(secrets["backup_dir"])) if secrets.get("backup_dir") else DEFAULT_FOLDER
    every = secrets.get("backup_every_hours")
    return BackupSettings(
        folder, float(every) if every else None, int(secrets.get("backup_keep") or DEFAULT_KEEP)
    )


def _stamp(path: Path) -> tuple[str, datetime] | None:
    match = _NAME.match(path.name)
    if not match or not (path / MANIFEST).is_file():  # only finished backups count
        return None
    return match.group(1), datetime.strptime(match.group(2), "%Y%m%d-%H%M%S")


def finished_backups(folder: Path, kind: str | None = None) -> list[tuple[datetime, Path]]:
    """Finished backups in ``folder``, oldest first."""
    if not folder.is_dir():
        return []
    found = []
    for path in folder.iterdir():
        stamp = _stamp(path) if path.is_dir() else None
        if stamp and (kind is None or stamp[0] == kind):
            found.append((stamp[1], path))
    return sorted(found)


def take_backup(
    con: duckdb.DuckDBPyConnection, folder: Path, kind: str = "manuel", *, now: datetime | None = None
) -> tuple[Path, dict[str, Any]]:
    """One verified backup in a new ``<kind>-<time>`` folder; BackupError (Danish) on failure."""
    now = now or datetime.now()
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        from data_model.db import DISK_FULL, is_disk_full

        reason = DISK_FULL if is_disk_full(exc) else exc.strerror
        raise DatabaseError(f"Mappen til sikkerhedskopier {folder} kan ikke oprettes ({reason}).") from exc
    target = folder / f"{kind}-{now:%Y%m%d-%H%M%S}"
    number = 1
    while target.exists():
        number += 1
        target = folder / f"{kind}-{now:%Y%m%d-%H%M%S}-{number}"
    return target, backup_database(con, target, now=now)


def prune(folder: Path, keep: int) -> list[Path]:
    """Remove scheduled backups beyond the newest ``keep``; manual ones stay. Returns what went."""
    scheduled = finished_backups(folder, "auto")
    removed = [path for _, path in scheduled[: max(len(scheduled) - keep, 0)]]
    for path in removed:
        shutil.rmtree(path, ignore_errors=True)
    return removed


def next_due(folder: Path, every_hours: float, now: datetime) -> datetime:
    """When the next scheduled backup is due: ``every_hours`` after the newest one, or now."""
    scheduled = finished_backups(folder, "auto")
    return scheduled[-1][0] + timedelta(hours=every_hours) if scheduled else now


class BackupScheduler:
    """A daemon thread that takes a scheduled backup whenever one is due."""

    def __init__(
        self,
        con: duckdb.DuckDBPyConnection,
        settings: BackupSettings,
        *,
        clock: Callable[[], datetime] = datetime.now,
        first_delay: float = FIRST_DELAY_SECONDS,
    ) -> None:
        if settings.every_hours is None:
            raise ValueError("no schedule configured")
        self.con = con
        self.settings = settings
        self.clock = clock
        self.first_delay = first_delay
        self.status = "Ingen automatisk sikkerhedskopi taget endnu i denne kørsel."
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, name="scheduled-backup", daemon=True)

    def start(self) -> BackupScheduler:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=30)

    def run_if_due(self) -> float:
        """Take a backup when one is due; seconds until the next check."""
        every = float(self.settings.every_hours or 0)
        now = self.clock()
        due = next_due(self.settings.folder, every, now)
        if now < due:
            return min((due - now).total_seconds(), RETRY_SECONDS)
        try:
            path, manifest = take_backup(self.con, self.settings.folder, "auto", now=now)
            prune(self.settings.folder, self.settings.keep)
        except (DatabaseError, OSError, duckdb.Error) as exc:
            # the message names tables and folders, never row contents
            self.status = f"Den automatiske sikkerhedskopi {now:%d-%m-%Y %H:%M} mislykkedes: {exc}"
            log.error("Scheduled backup failed: %s", exc.__class__.__name__)
            return RETRY_SECONDS
        rows = sum(t["rows"] for t in manifest["tables"])
        self.status = f"Seneste automatiske sikkerhedskopi: {path.name} ({rows} rækker, kontrolleret)."
        log.info("Scheduled backup written: %s", path)
        return min(every * 3600, RETRY_SECONDS)

    def _loop(self) -> None:
        wait = self.first_delay
        while not self._stop.wait(wait):
            wait = max(self.run_if_due(), 1.0)
