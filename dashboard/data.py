"""Cached access to the query layer: one cache entry per (query, arguments, data version).

The data version changes with every write (imports and edits are logged), so a cached answer is
never stale and a repeated view costs nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from types import FunctionType
from typing import Any, TypeVar

import streamlit as st

from dashboard.connection import get_connection
from queries.catalog import busiest_municipality, load_catalog
from queries.describe import Names, load_names
from queries.filters import Catalog

T = TypeVar("T")


def data_version() -> int:
    row = (
        get_connection()
        .cursor()
        .execute("SELECT (SELECT count(*) FROM import_log) + (SELECT count(*) FROM audit_log)")
        .fetchall()
    )
    return int(row[0][0])


def _qualified_name(function: Callable[..., Any]) -> str:
    """How the cache tells query functions apart: by module and name, stable across reruns."""
    return f"{function.__module__}.{function.__qualname__}"


@st.cache_data(show_spinner=False, max_entries=1000, hash_funcs={FunctionType: _qualified_name})
def _cached(
    function: Callable[..., T], version: int, args: tuple[Any, ...], kwargs: tuple[tuple[str, Any], ...]
) -> T:
    return function(get_connection().cursor(), *args, **dict(kwargs))


def query(function: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """Run ``function(cursor, *args, **kwargs)`` through the cache, keyed on the function, its
    arguments and the data version."""
    return _cached(function, data_version(), args, tuple(sorted(kwargs.items())))


def catalog() -> Catalog:
    return query(load_catalog)


def names() -> Names:
    return query(load_names)


def default_municipality() -> str | None:
    """The municipality with the most inquiries: what a first visit shows."""
    return query(busiest_municipality)


def setup_needed() -> bool:
    """No municipality is set up yet (a database created empty on purpose)."""
    from data_model.setup import needs_setup

    return query(needs_setup)
