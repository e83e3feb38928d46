from __future__ import annotations

from pathlib import Path

import pytest

from dashboard.connection import get_connection
from tests.conftest import open_app


def test_first_start_creates_and_seeds_the_database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "new" / "app.duckdb"
    at = open_app(path, monkeypatch, timeout=180).run()
    assert not at.exception
    assert at.title[0].value == "Overblik"
    con = get_connection()  # the app's cached connection (a second one in this process is refused)
    assert con.execute("SELECT count(*) FROM published_figure").fetchall()[0][0] > 500
    assert con.execute("SELECT count(*) FROM municipality").fetchall()[0][0] >= 6


def test_unopenable_database_is_explained(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "empty.duckdb"
    path.write_bytes(b"")
    at = open_app(path, monkeypatch, timeout=60).run()
    assert not at.exception
    assert "tom" in at.error[0].value
