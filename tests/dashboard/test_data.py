"""The cached query layer: one entry per (query function, arguments, data version), no lookup by name."""

from __future__ import annotations

import duckdb
import pytest
import streamlit as st

from dashboard import data
from data_model.importer import import_file
from tests.conftest import ROOT, TODAY

CALLS: list[tuple[str, int]] = []


def count_a(con: duckdb.DuckDBPyConnection, n: int) -> int:
    CALLS.append(("a", n))
    return n


def count_b(con: duckdb.DuckDBPyConnection, n: int) -> int:
    CALLS.append(("b", n))
    return -n


@pytest.fixture
def cached(empty_db: duckdb.DuckDBPyConnection, monkeypatch: pytest.MonkeyPatch) -> duckdb.DuckDBPyConnection:
    monkeypatch.setattr(data, "get_connection", lambda: empty_db)
    st.cache_data.clear()
    CALLS.clear()
    return empty_db


def test_a_repeated_query_is_answered_from_the_cache(cached: duckdb.DuckDBPyConnection) -> None:
    assert data.query(count_a, 3) == 3
    assert data.query(count_a, 3) == 3
    assert data.query(count_a, n=3) == 3  # keyword arguments are a key of their own
    assert CALLS == [("a", 3), ("a", 3)]


def test_two_functions_with_the_same_arguments_are_two_entries(cached: duckdb.DuckDBPyConnection) -> None:
    assert data.query(count_a, 2) == 2
    assert data.query(count_b, 2) == -2  # not count_a's answer
    assert data.query(count_a, 4) == 4
    assert CALLS == [("a", 2), ("b", 2), ("a", 4)]


def test_a_new_data_version_fetches_the_answer_again(
    cached: duckdb.DuckDBPyConnection, monkeypatch: pytest.MonkeyPatch
) -> None:
    version = [data.data_version()]
    monkeypatch.setattr(data, "data_version", lambda: version[0])
    data.query(count_a, 1)
    data.query(count_a, 1)
    version[0] += 1  # an import or an edit was logged
    data.query(count_a, 1)
    assert CALLS == [("a", 1), ("a", 1)]


def test_an_import_raises_the_data_version(cached: duckdb.DuckDBPyConnection) -> None:
    before = data.data_version()
    report = import_file(
        cached, ROOT / "sample_data" / "reference" / "categories.csv", "categories", today=TODAY
    )
    assert report.ok, report.problems
    assert data.data_version() > before
