from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import duckdb
import pytest

from data_model.db import connect
from data_model.importer import import_file

ROOT = Path(__file__).resolve().parent.parent
TODAY = date(2026, 11, 24)


def _switch_to_page(self: Any, page_path: str) -> Any:
    """``AppTest.switch_page("views/x.py")`` for pages that are functions: Streamlit's own
    switch_page finds only file pages, so the page is requested by the URL path its module has
    in the menu (dashboard/navigation.py), as a shared link to that page would (``st.Page``
    hashes the URL path). Works before the first run too, like opening a link."""
    from streamlit.util import calc_hash

    from dashboard.navigation import url_path_of

    self._page_hash = calc_hash(url_path_of(page_path))
    return self


def _patch_switch_page() -> None:
    from streamlit.testing.v1 import AppTest

    AppTest.switch_page = _switch_to_page  # type: ignore[method-assign]


_patch_switch_page()


@pytest.fixture
def empty_db(tmp_path: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    con = connect(tmp_path / "test.duckdb")
    yield con
    con.close()


def write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_text(text, encoding=encoding)
    return path


@pytest.fixture
def small_db(empty_db: duckdb.DuckDBPyConnection, tmp_path: Path) -> duckdb.DuckDBPyConnection:
    """Reference categories and themes plus one municipality with three units."""
    con = empty_db
    for name, kind in [("categories.csv", "categories"), ("themes.csv", "themes")]:
        report = import_file(con, ROOT / "sample_data" / "reference" / name, kind, today=TODAY)
        assert report.ok, report.problems
    files = [
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
    for kind, text in files:
        report = import_file(con, write(tmp_path / f"{kind}.csv", text), kind, today=TODAY)
        assert report.ok, report.problems
    return con


@pytest.fixture
def query_db(small_db: duckdb.DuckDBPyConnection, tmp_path: Path) -> duckdb.DuckDBPyConnection:
    from tests.query_fixture import load

    return load(small_db, tmp_path)


def open_app(con: duckdb.DuckDBPyConnection, monkeypatch: pytest.MonkeyPatch, query: str = ""):
    """An AppTest of the whole app on ``con``'s database file (closed here: the app opens it),
    with ``query`` (``kommune=999&periode=...``) as the URL's query string."""
    import streamlit as st

    path = con.execute(
        "SELECT path FROM duckdb_databases() WHERE database_name = current_database()"
    ).fetchall()[0][0]
    con.close()
    monkeypatch.setenv("BORGERRAAD_DB", path)
    st.cache_data.clear()  # cached per data version, not per database file
    return app_test(query)


def app_test(query: str = ""):
    """An AppTest of the whole app (on $BORGERRAAD_DB) with ``query`` as the URL's query string."""
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    for pair in filter(None, query.split("&")):
        key, value = pair.split("=", 1)
        at.query_params[key] = value
    return at


@pytest.fixture
def app(query_db: duckdb.DuckDBPyConnection, monkeypatch: pytest.MonkeyPatch) -> Any:
    """A factory of AppTests of the dashboard on ``query_db`` (municipality 999)."""
    from streamlit.testing.v1 import AppTest

    path = query_db.execute(
        "SELECT path FROM duckdb_databases() WHERE database_name = current_database()"
    ).fetchall()[0][0]
    query_db.close()
    monkeypatch.setenv("BORGERRAAD_DB", path)

    def make() -> AppTest:
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
        at.query_params["kommune"] = "999"
        return at

    return make
