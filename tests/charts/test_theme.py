"""Presentation mode's chart spec (issue 18): larger type, never a taller plot, one-line labels."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import polars as pl

from charts import builders
from charts.theme import (
    PRESENT_FONT_SCALE,
    PRESENT_PLOT_HEIGHT,
    PRESENT_TIME_WIDTH_SCALE,
    TWO_LINE_LABELS,
    ChartMeta,
    presentation_spec,
)

META = ChartMeta(
    "Henvendelser pr. enhed", "Tæller henvendelser · Haderslev · 2024", "Kilde: Borgerrådgiveren"
)
UNITS = pl.DataFrame(
    {
        "department": ["Social og Sundhed"] * 12,
        "unit": [f"Enhed nummer {i} med et langt navn" for i in range(12)],
        "inquiries": list(range(40, 28, -1)),
        "complaints": [5] * 12,
        "complaint_share": [0.1] * 12,
    }
)
TREND = pl.DataFrame(
    {
        "bucket": [date(2022 + i, 1, 1) for i in range(3)],
        "bucket_label": ["2022", "2023", "2024"],
        "series": ["I alt"] * 3,
        "count": [300, 320, 350],
        "small": [False] * 3,
    }
)
EVENTS = pl.DataFrame({"bucket": [date(2023, 1, 1)], "label": ["Barnets Lov træder i kraft"]})


def _nodes(node: object) -> Iterator[dict]:
    """Every object in a spec, depth first."""
    if isinstance(node, dict):
        yield node
        for value in node.values():
            yield from _nodes(value)
    elif isinstance(node, list):
        for item in node:
            yield from _nodes(item)


def _axes(spec: dict) -> list[dict]:
    return [node["axis"] for node in _nodes(spec) if isinstance(node.get("axis"), dict)]


def test_unit_chart_gets_larger_type_one_line_labels_and_a_plot_that_fits_the_screen() -> None:
    printed = builders.unit_bars(UNITS, META).to_dict()
    shown = presentation_spec(printed)
    assert shown["config"]["axis"]["labelFontSize"] == round(printed["config"]["axis"]["labelFontSize"] * 1.4)
    assert shown["config"]["axis"]["labelFontSize"] >= 18  # readable from the back of a meeting room
    assert shown["config"]["title"]["fontSize"] == round(
        printed["config"]["title"]["fontSize"] * PRESENT_FONT_SCALE
    )
    assert printed["vconcat"][0]["height"] > PRESENT_PLOT_HEIGHT
    assert shown["vconcat"][0]["height"] == PRESENT_PLOT_HEIGHT  # never taller than a 1280×720 screen allows
    assert shown["vconcat"][0]["width"] == printed["vconcat"][0]["width"]  # not a time axis
    assert shown["vconcat"][1]["height"] > printed["vconcat"][1]["height"]  # room for the larger source line
    assert [a["labelExpr"] for a in _axes(printed) if "labelExpr" in a] == [TWO_LINE_LABELS]
    assert [a["labelExpr"] for a in _axes(shown) if "labelExpr" in a] == ["datum.label"]  # one line
    assert printed["config"]["axis"]["labelFontSize"] == 13  # the printed chart is untouched


def test_trend_gets_wider_and_keeps_its_stacked_annotations_apart() -> None:
    printed = builders.trend_lines(TREND, META, count_title="Henvendelser", events=EVENTS).to_dict()
    shown = presentation_spec(printed)
    assert shown["vconcat"][0]["width"] == round(printed["vconcat"][0]["width"] * PRESENT_TIME_WIDTH_SCALE)
    assert shown["vconcat"][1]["width"] == shown["vconcat"][0]["width"]  # the source line spans the plot
    assert shown["vconcat"][0]["height"] == printed["vconcat"][0]["height"]  # the event band is in pixels
    assert _stacked(shown) == _stacked(printed) != []  # same size and line height: lines never overlap


def _stacked(spec: dict) -> list[tuple[int, int]]:
    """Font size and line height of every text mark stacked at pixel offsets."""
    return [(node["fontSize"], node["lineHeight"]) for node in _nodes(spec) if "lineHeight" in node]
