"""charts/builders.py: the Vega-Lite spec of each chart, read as a parsed dict."""

from __future__ import annotations

import json
import re
from datetime import date

import polars as pl
import pytest

from charts import builders
from charts.theme import DECREASE, INCREASE, MUTED
from tests.charts.chart_data import (
    BREAKDOWN,
    BUILDS,
    LONG_EVENT,
    META,
    SPLIT_TREND,
    TREND,
    UNITS,
)


def _spec(chart) -> dict:
    return chart.to_dict()


def _text(spec: dict) -> str:
    return json.dumps(spec, ensure_ascii=False)


def test_every_chart_has_title_subtitle_source_and_danish_locale() -> None:
    spec = _spec(builders.breakdown_bars(BREAKDOWN, META, count_title="Klagepunkter"))
    assert spec["title"]["text"] == "Klagepunkter fordelt på tema"
    assert spec["title"]["subtitle"] == ["Tæller klagepunkter · Haderslev Kommune · 2024"]
    assert "Kilde: Borgerrådgiveren, Haderslev Kommune, 2024. Genererede data (eksempel)" in _text(spec)
    assert spec["config"]["locale"]["number"]["decimal"] == ","
    assert spec["config"]["locale"]["time"]["shortMonths"][2] == "mar."


def test_breakdown_encodings_sorted_largest_first() -> None:
    bars = _spec(builders.breakdown_bars(BREAKDOWN, META, count_title="Klagepunkter"))["vconcat"][0]["layer"][
        0
    ]
    assert bars["encoding"]["y"]["sort"] == ["Begrundelse", "Partshøring"]
    assert bars["encoding"]["x"]["title"] == "Klagepunkter"
    assert bars["encoding"]["x"]["axis"]["format"] == ",d"


def _layers(spec: dict) -> list[dict]:
    """Every mark layer of the chart part (nested layers flattened)."""

    def flat(node: dict) -> list[dict]:
        return [leaf for child in node["layer"] for leaf in flat(child)] if "layer" in node else [node]

    return flat(spec["vconcat"][0])


def _rows(spec: dict, layer: dict) -> list[dict]:
    """The rows a layer draws: its own named dataset, else the one of the chart part."""
    data = layer.get("data") or spec["vconcat"][0]["data"]
    return spec["datasets"][data["name"]]


def test_trend_marks_small_counts_and_annotations() -> None:
    events = pl.DataFrame({"bucket": [date(2024, 2, 1)], "label": ["Ny organisation"]})
    spec = _spec(builders.trend_lines(TREND, META, count_title="Henvendelser", events=events))
    layers = _layers(spec)
    points = next(layer for layer in layers if layer["mark"]["type"] == "point")
    # a point under 5 is drawn hollow (white fill), the others filled in the line's colour
    assert points["mark"]["filled"] is False
    assert points["encoding"]["fill"] == {
        "condition": {"test": "datum.small", "value": "white"},
        "value": points["encoding"]["color"]["value"],
    }
    assert [(r["bucket_label"], r["count"], r["small"]) for r in _rows(spec, points)] == [
        ("jan. 2024", 12, False),
        ("feb. 2024", 3, True),
    ]
    # ... and the chart says so in words, in its source line
    source = spec["vconcat"][1]["data"]["values"][0]["text"]
    assert source.endswith(" · Åbne punkter: under 5")
    # the event: a dashed rule and its label at its own month
    rule = next(layer for layer in layers if layer["mark"]["type"] == "rule")
    label = next(layer for layer in layers if layer["mark"]["type"] == "text")
    assert rule["mark"]["strokeDash"] and rule["encoding"]["x"]["field"] == "bucket_label"
    assert label["encoding"]["text"]["field"] == "text"
    assert [(r["bucket_label"], r["text"]) for r in _rows(spec, label)] == [("feb. 2024", "Ny organisation")]


def test_trend_without_small_counts_says_nothing_about_hollow_points() -> None:
    spec = _spec(builders.trend_lines(TREND.head(1), META, count_title="Henvendelser"))
    assert "under 5" not in spec["vconcat"][1]["data"]["values"][0]["text"]
    assert not any(layer["mark"]["type"] in {"rule", "text"} for layer in _layers(spec))


def test_change_bars_colour_direction_and_pale_uncertain() -> None:
    frame = pl.DataFrame(
        {
            "label": ["A", "B", "C"],
            "current": [30, 3, 7],
            "previous": [10, 5, 7],
            "diff": [20, -2, 0],
            "pct_change": [200.0, -40.0, 0.0],
            "uncertain": [False, True, True],
        }
    )
    spec = _spec(builders.change_bars(frame, META))
    bars, labels = _layers(spec)
    assert [(r["label"], r["direction"], r["uncertain"]) for r in _rows(spec, bars)] == [
        ("A", "Stigning", False),
        ("B", "Fald", True),
        ("C", "Uændret", True),
    ]
    colour = bars["encoding"]["color"]
    assert colour["field"] == "direction"
    assert dict(zip(colour["scale"]["domain"], colour["scale"]["range"], strict=True)) == {
        "Stigning": INCREASE,
        "Fald": DECREASE,
        "Uændret": MUTED,
    }
    assert len({INCREASE, DECREASE, MUTED}) == 3
    # a change within chance is pale, and says so in words beside the bar
    assert bars["encoding"]["opacity"] == {
        "condition": {"test": "datum.uncertain", "value": 0.35},
        "value": 1.0,
    }
    assert labels["encoding"]["text"]["field"] == "label_text"
    (calculate,) = labels["transform"]
    assert (
        calculate["as"] == "label_text" and "(datum.uncertain ? ' (usikker)' : '')" in calculate["calculate"]
    )
    assert bars["encoding"]["y"]["sort"] == ["A", "C", "B"]  # largest increase first


def test_split_trend_legend_shows_lines_not_hollow_circles() -> None:
    """Hollow circles mean 'under 5': the legend shows each group as a line, and only the line
    layer has a legend; the chart says in words what a hollow point is."""
    spec = _spec(builders.trend_lines(SPLIT_TREND, META, count_title="Henvendelser"))
    legends = [
        layer["encoding"]["color"].get("legend")
        for layer in _layers(spec)
        if "color" in layer.get("encoding", {}) and "field" in layer["encoding"]["color"]
    ]
    line = next(layer for layer in _layers(spec) if layer["mark"]["type"] == "line")
    assert line["encoding"]["color"]["legend"]["symbolType"] == "stroke"
    assert [legend for legend in legends if legend is not None] == [line["encoding"]["color"]["legend"]]
    assert "Åbne punkter: under 5" in _text(spec)


def test_event_labels_wrap_and_stay_in_a_band_above_the_data() -> None:
    spec = _spec(builders.trend_lines(SPLIT_TREND, META, count_title="Henvendelser", events=LONG_EVENT))
    texts = [layer for layer in _layers(spec) if layer["mark"].get("type") == "text"]
    assert {t["mark"]["align"] for t in texts} == {"left", "right"}  # the right-hand one points inwards
    assert "\\n" in _text(spec) or "\n" in json.dumps(spec)  # the long label wraps
    line = next(layer for layer in _layers(spec) if layer["mark"]["type"] == "line")
    assert line["encoding"]["y"]["scale"]["domainMax"] > 44  # headroom above the highest point


def test_unit_names_are_never_cut() -> None:
    spec = _spec(builders.unit_bars(UNITS, META))
    axis = spec["vconcat"][0]["encoding"]["y"]["axis"]
    assert axis["labelLimit"] == 0 and "split" in axis["labelExpr"]
    assert spec["config"]["title"]["limit"] == 0


def test_the_unit_description_names_the_largest_unit_as_its_axis_label_does() -> None:
    """At forvaltning level a row's unit is its department (``unit_table`` labels it once); the
    sentence a screen reader reads must not say it twice."""
    own = UNITS.with_columns(
        pl.Series("label", ["Social og Sundhed", "Arbejdsmarked og Borgerservice › Rehabiliteringsteamet"])
    )
    assert _spec(builders.unit_bars(own, META))["description"].endswith("; flest i Social og Sundhed (32).")
    described = _spec(builders.unit_bars(UNITS, META))["description"]
    assert described.endswith("; flest i Social og Sundhed, Handicap, socialpsykiatri og myndighed (32).")


@pytest.mark.parametrize("make", list(BUILDS.values()), ids=list(BUILDS))
def test_every_chart_describes_itself_in_one_danish_sentence(make) -> None:
    description = _spec(make())["description"]
    assert description.endswith(".") and len(description) > 40
    assert not re.search(r"[.!?]\s+[A-ZÆØÅ]", description)  # one sentence
