from __future__ import annotations

import functools
import shutil
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

import duckdb
import pytest

from data_model.db import connect
from data_model.importer import import_file
from data_model.seed import load_sample_data

ROOT = Path(__file__).resolve().parent.parent
TODAY = date(2026, 11, 24)


def _patch_switch_page() -> None:
    """``at.switch_page("views/x.py")`` opens the page whose function lives in that module
    (pages are functions, which Streamlit's own switch_page cannot find by file)."""
    from streamlit.testing.v1 import AppTest

    def switch(at: AppTest, page_path: str) -> AppTest:
        from dashboard.navigation import switch_page

        return switch_page(at, page_path)  # type: ignore[no-any-return]

    AppTest.switch_page = switch  # type: ignore[method-assign]


_patch_switch_page()


def _scan_components_once() -> None:
    """Streamlit scans every installed package's metadata for components when a server starts;
    AppTest does it for every new AppTest (a third of a page test's time). The installed
    packages do not change during a test session: scan once."""
    from streamlit.components.v2 import manifest_scanner

    manifest_scanner.scan_component_manifests = functools.cache(manifest_scanner.scan_component_manifests)


_scan_components_once()


@pytest.fixture
def empty_db(tmp_path: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    con = connect(tmp_path / "test.duckdb")
    yield con
    con.close()


def write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_text(text, encoding=encoding)
    return path


SMALL_FILES = [
    ("municipalities", "code,name\n999,Testkommune\n998,Nabokommune\n000,Hele landet\n"),
    (
        "report_periods",
        "period_id,municipality_code,label,start_date,end_date\n"
        "999-2024,999,2024,2024-01-01,2024-12-31\n999-2025,999,2025,2025-01-01,2025-12-31\n",
    ),
    (
        "org_units",
        "unit_id,municipality_code,parent_id,name,level,sector_code\n"
        "999-sos,999,,Social og Sundhed,forvaltning,aeldre_sundhed_social\n"
        "999-sos-born,999,999-sos,Børn og Familie,afdeling,boern_familie\n"
        "999-tek,999,,Teknik og Miljø,forvaltning,teknik_miljoe\n"
        "998-tek,998,,Teknik,forvaltning,teknik_miljoe\n",
    ),
]


def load_small(con: duckdb.DuckDBPyConnection, folder: Path) -> None:
    """Reference categories and themes plus one municipality with three units."""
    for name, kind in [("categories.csv", "categories"), ("themes.csv", "themes")]:
        report = import_file(con, ROOT / "sample_data" / "reference" / name, kind, today=TODAY)
        assert report.ok, report.problems
    for kind, text in SMALL_FILES:
        report = import_file(con, write(folder / f"{kind}.csv", text), kind, today=TODAY)
        assert report.ok, report.problems


def _template(folder: Path, *loaders: Callable[[duckdb.DuckDBPyConnection, Path], object]) -> Path:
    """A checkpointed database ``folder``/test.duckdb built by ``loaders`` (with the files they
    wrote beside it): built once per session, copied per test (a copy costs milliseconds, the
    imports a quarter of a second)."""
    con = connect(folder / "test.duckdb")
    for loader in loaders:
        loader(con, folder)
    con.close()  # checkpoints: the one file holds everything
    return folder


def _open_copy(template: Path, tmp_path: Path) -> duckdb.DuckDBPyConnection:
    for file in template.iterdir():
        shutil.copyfile(file, tmp_path / file.name)
    return connect(tmp_path / "test.duckdb")


@pytest.fixture(scope="session")
def small_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _template(tmp_path_factory.mktemp("small"), load_small)


@pytest.fixture(scope="session")
def query_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from tests.query_fixture import load

    return _template(tmp_path_factory.mktemp("query"), load_small, load)


@pytest.fixture
def small_db(small_template: Path, tmp_path: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    """Reference categories and themes plus one municipality with three units (this test's own
    copy, in ``tmp_path``/test.duckdb)."""
    con = _open_copy(small_template, tmp_path)
    yield con
    con.close()


@pytest.fixture
def query_db(query_template: Path, tmp_path: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    """``small_db`` with tests/query_fixture.py's records: every aggregate countable by eye."""
    con = _open_copy(query_template, tmp_path)
    yield con
    con.close()


def db_path(con: duckdb.DuckDBPyConnection) -> Path:
    """The file of ``con``'s database."""
    return Path(
        con.execute(
            "SELECT path FROM duckdb_databases() WHERE database_name = current_database()"
        ).fetchall()[0][0]
    )


def open_app(
    db: Path | str | duckdb.DuckDBPyConnection,
    monkeypatch: pytest.MonkeyPatch,
    query: str = "",
    *,
    secrets: dict[str, Any] | None = None,
    user: dict[str, Any] | None = None,
    timeout: float = 120,
) -> Any:
    """The one way to build an AppTest of the whole app: on the database file ``db`` (given a
    connection, it is closed here: the app opens the file itself), with ``query``
    (``kommune=999&periode=...``) as the URL's query string, ``secrets`` as st.secrets and
    ``user`` as the logged-in user."""
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    if isinstance(db, duckdb.DuckDBPyConnection):
        path = db_path(db)
        db.close()
    else:
        path = Path(db)
    monkeypatch.setenv("BORGERRAAD_DB", str(path))
    st.cache_data.clear()  # cached per data version, not per database file
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=timeout)
    for pair in filter(None, query.split("&")):
        key, value = pair.split("=", 1)
        at.query_params[key] = value
    for key, value in (secrets or {}).items():
        at.secrets[key] = value
    if user is not None:
        at.user = user
    return at


@pytest.fixture
def app(query_db: duckdb.DuckDBPyConnection, monkeypatch: pytest.MonkeyPatch) -> Callable[..., Any]:
    """A factory of AppTests of the dashboard on ``query_db``, opened on municipality 999 unless
    ``query`` says otherwise; see open_app."""
    path = db_path(query_db)
    query_db.close()

    def make(
        query: str = "kommune=999", secrets: dict[str, Any] | None = None, user: dict[str, Any] | None = None
    ) -> Any:
        return open_app(path, monkeypatch, query, secrets=secrets, user=user)

    return make


# --- the bundled sample data, seeded once per session --------------------------------------------


@pytest.fixture(scope="session")
def seeded_sample(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled sample data (sample_data/) seeded into a checkpointed database file, once per
    test session. Never opened by a test: use ``sample_path`` (a copy per module) or copy it."""
    path = tmp_path_factory.mktemp("seeded") / "sample.duckdb"
    con = connect(path)
    load_sample_data(con, today=TODAY)
    con.close()  # checkpoints: the one file holds everything (no .wal beside it)
    assert not path.with_name(path.name + ".wal").exists()
    return path


def copy_sample(seeded: Path, folder: Path, name: str = "sample.duckdb") -> Path:
    """A copy of the seeded sample database in ``folder`` (a file copy: much cheaper than seeding)."""
    folder.mkdir(parents=True, exist_ok=True)
    return Path(shutil.copyfile(seeded, folder / name))


@pytest.fixture(scope="module")
def sample_path(seeded_sample: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """This module's own copy of the seeded sample database: tests of one module may write to it."""
    return copy_sample(seeded_sample, tmp_path_factory.mktemp("sample"))


@pytest.fixture
def sample_copy(seeded_sample: Path, tmp_path: Path) -> Path:
    """This test's own copy of the seeded sample database, to damage or change at will."""
    return copy_sample(seeded_sample, tmp_path, "copy.duckdb")


@pytest.fixture
def sample_db(sample_path: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    con = connect(sample_path)  # the app's configuration: both may be open in one process
    yield con
    con.close()


@pytest.fixture
def sample_app(sample_path: Path, monkeypatch: pytest.MonkeyPatch) -> Callable[..., Any]:
    """A factory of AppTests of the whole app on the sample data, opened with a URL query string."""

    def make(query: str = "") -> Any:
        return open_app(sample_path, monkeypatch, query)

    return make


@pytest.fixture
def stub_rendering(monkeypatch: pytest.MonkeyPatch) -> None:
    """Charts drawn as blank stubs (tests/render_stub.py), for tests of what is around the drawing."""
    import vl_convert

    from charts.draw_process import DISABLE_ENV
    from tests.render_stub import STUBS

    monkeypatch.setenv(DISABLE_ENV, "1")  # drawn here, where the stubs are, not in the helper
    for name, function in STUBS.items():
        monkeypatch.setattr(vl_convert, name, function)
