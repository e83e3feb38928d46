"""The bundled sample data in a database of its own, for tests that check figures against the
printed reports (Haderslev 2024, Hedensted 2024, Albertslund 2024/25, Gentofte maj-dec 2023)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import duckdb
import pytest
from streamlit.testing.v1 import AppTest

from data_model.db import connect
from data_model.seed import load_sample_data
from tests.conftest import TODAY, app_test


@pytest.fixture(scope="module")
def sample_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("sample") / "sample.duckdb"
    con = connect(path)
    load_sample_data(con, today=TODAY)
    con.close()
    return path


@pytest.fixture
def sample_db(sample_path: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    con = connect(sample_path)  # the app's configuration: both may be open in one process
    yield con
    con.close()


@pytest.fixture
def sample_app(sample_path: Path, monkeypatch: pytest.MonkeyPatch) -> Callable[[str], AppTest]:
    """An AppTest of the whole app on the sample data, opened with a URL query string."""
    monkeypatch.setenv("BORGERRAAD_DB", str(sample_path))

    def make(query: str = "") -> AppTest:
        return app_test(query)

    return make
