"""A pack with small numbers hidden puts the rows it hid last in a chart, alphabetically, so
where a hidden row stands says nothing about its size (the figure's note promises it)."""

from __future__ import annotations

import polars as pl

from charts import catalogue
from queries.suppression import suppress
from report_pack.figures import PackItem


def _sort_lists(spec: object) -> list[list[str]]:
    if isinstance(spec, dict):
        found = [
            v for k, v in spec.items() if k == "sort" and isinstance(v, list) and v and isinstance(v[0], str)
        ]
        return found + [s for v in spec.values() for s in _sort_lists(v)]
    if isinstance(spec, list):
        return [s for v in spec for s in _sort_lists(v)]
    return []


def test_hidden_units_go_last_alphabetically_whatever_their_hidden_size() -> None:
    # as queries.inquiries.unit_table orders them: by department, then most inquiries first; a
    # unit that is its own department is labelled once
    units = pl.DataFrame(
        {
            "department": ["Social", "Social", "Social", "Teknik"],
            "unit": ["Voksne", "Ældre", "Børn", "Teknik"],
            "unit_id": ["s1", "s2", "s3", "t"],
            "inquiries": [30, 4, 2, 12],
            "complaints": [10, 1, 1, 6],
            "complaint_share": [0.33, 0.25, 0.5, 0.5],
            "label": ["Social › Voksne", "Social › Ældre", "Social › Børn", "Teknik"],
        }
    )
    item = PackItem.of(catalogue.UNITS, units, "Tæller henvendelser", "Kilde: test")
    item.data = suppress(item.data, item.count_columns, item.share_columns, 5)
    item.suppressed_with = 5
    orders = _sort_lists(item.chart())
    assert orders and all(
        order == ["Social › Voksne", "Teknik", "Social › Børn", "Social › Ældre"] for order in orders
    )
