from __future__ import annotations

import json
import re
from datetime import date

import polars as pl
import pytest

from charts import builders
from charts.export import to_png, to_svg
from charts.theme import ChartMeta, source_line

META = ChartMeta(
    "Klagepunkter fordelt på tema",
    "Tæller klagepunkter · Haderslev Kommune · 2024",
    source_line("Haderslev Kommune", "2024", generated=True),
)
BREAKDOWN = pl.DataFrame(
    {"label": ["Begrundelse", "Partshøring"], "count": [1234, 7], "share": [0.99, 0.01], "n": [1241, 1241]}
)
TREND = pl.DataFrame(
    {
        "bucket": [date(2024, 1, 1), date(2024, 2, 1)],
        "bucket_label": ["jan. 2024", "feb. 2024"],
        "series": ["I alt", "I alt"],
        "count": [12, 3],
        "small": [False, True],
    }
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


def test_trend_marks_small_counts_and_annotations() -> None:
    events = pl.DataFrame({"bucket": [date(2024, 2, 1)], "label": ["Ny organisation"]})
    spec = _spec(builders.trend_lines(TREND, META, count_title="Henvendelser", events=events))
    text = _text(spec)
    assert "datum.small" in text and "Ny organisation" in text


def test_change_bars_colour_direction_and_pale_uncertain() -> None:
    frame = pl.DataFrame(
        {
            "label": ["A", "B"],
            "current": [30, 3],
            "previous": [10, 5],
            "diff": [20, -2],
            "pct_change": [200.0, -40.0],
            "uncertain": [False, True],
        }
    )
    text = _text(_spec(builders.change_bars(frame, META)))
    assert "Stigning" in text and "Fald" in text and "datum.uncertain" in text


@pytest.mark.parametrize("builder", ["png", "svg"])
def test_export_renders_real_files_with_danish_text(builder: str) -> None:
    chart = builders.breakdown_bars(BREAKDOWN, META, count_title="Klagepunkter")
    if builder == "png":
        data = to_png(chart)
        assert data[:8] == b"\x89PNG\r\n\x1a\n"
        width = int.from_bytes(data[16:20], "big")
        assert width >= 1800  # print quality: at least 3x a 640 px chart
    else:
        svg = to_svg(chart).decode("utf-8")
        assert svg.startswith("<svg") and "Klagepunkter fordelt på tema" in svg
        assert "1.234" in svg  # Danish thousands separator


SPLIT_TREND = pl.DataFrame(
    {
        "bucket": [date(2024, m, 1) for m in (1, 2, 3)] * 2,
        "bucket_label": ["jan. 2024", "feb. 2024", "mar. 2024"] * 2,
        "series": ["Social og Sundhed"] * 3 + ["Børn og Kultur"] * 3,
        "count": [40, 44, 3, 12, 9, 15],
        "small": [False, False, True, False, False, False],
    }
)
LONG_EVENT = pl.DataFrame(
    {
        "bucket": [date(2024, 2, 1), date(2024, 3, 1)],
        "label": [
            "Barnets Lov træder i kraft",
            "Familieafdelingen ansætter flyverrådgivere (i løbet af 2025)",
        ],
    }
)
UNITS = pl.DataFrame(
    {
        "department": ["Social og Sundhed", "Arbejdsmarked og Borgerservice"],
        "unit": ["Handicap, socialpsykiatri og myndighed", "Rehabiliteringsteamet"],
        "inquiries": [32, 10],
        "complaints": [20, 2],
        "complaint_share": [0.62, 0.2],
    }
)


CHANGES = pl.DataFrame(
    {
        "label": ["Social og Sundhed", "Arbejdsmarked og Borgerservice"],
        "current": [158, 102],
        "previous": [104, 125],
        "diff": [54, -23],
        "pct_change": [52.0, -18.0],
        "uncertain": [False, True],
    }
)
BEFORE_AFTER = pl.DataFrame(
    {
        "window": ["Før", "Efter"],
        "complete": [True, False],
        "start": [date(2024, 1, 1), date(2025, 1, 1)],
        "end": [date(2024, 12, 31), date(2025, 12, 31)],
        "complaints": [97, 100],
    }
)
# one of each kind of chart: bars with long labels, a split trend with events, two-line unit
# names, labels printed right of the plot, and a narrow chart (drawn at a larger scale for print)
BUILDS = {
    "breakdown": lambda: builders.breakdown_bars(BREAKDOWN, META, count_title="Klagepunkter"),
    "trend": lambda: builders.trend_lines(SPLIT_TREND, META, count_title="Henvendelser", events=LONG_EVENT),
    "units": lambda: builders.unit_bars(UNITS, META),
    "change": lambda: builders.change_bars(CHANGES, META),
    "before-after": lambda: builders.before_after_bars(BEFORE_AFTER, META),
}


def _layers(spec: dict) -> list[dict]:
    """Every mark layer of the chart part (nested layers flattened)."""

    def flat(node: dict) -> list[dict]:
        return [leaf for child in node["layer"] for leaf in flat(child)] if "layer" in node else [node]

    return flat(spec["vconcat"][0])


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


@pytest.mark.parametrize("make", list(BUILDS.values()), ids=list(BUILDS))
def test_every_chart_describes_itself_in_one_danish_sentence(make) -> None:
    description = _spec(make())["description"]
    assert description.endswith(".") and len(description) > 40
    assert not re.search(r"[.!?]\s+[A-ZÆØÅ]", description)  # one sentence


@pytest.mark.parametrize("make", list(BUILDS.values()), ids=list(BUILDS))
def test_print_png_is_300_dpi_at_16_cm_and_nothing_is_clipped(make) -> None:
    """At 16 cm wide the PNG has at least 300 dpi and says 300 dpi; its outer margin is blank,
    so no title, label, legend or annotation was cut off at the edge."""
    from io import BytesIO

    from PIL import Image

    from charts.export import MIN_PRINT_PIXELS, png_dpi, png_size

    png = to_png(make())
    width, height = png_size(png)
    assert width >= MIN_PRINT_PIXELS
    assert png_dpi(png) == pytest.approx(300, abs=0.1)
    image = Image.open(BytesIO(png)).convert("RGB")
    assert image.info.get("dpi", (0, 0))[0] == pytest.approx(300, abs=0.1)
    margin = 24  # the theme pads 16 px (48 px at 3x): the outer 24 px must be untouched
    strips = [
        (0, 0, width, margin),
        (0, height - margin, width, height),
        (0, 0, margin, height),
        (width - margin, 0, width, height),
    ]
    for box in strips:
        colours = image.crop(box).getcolors(maxcolors=4)
        assert colours is not None and {c for _, c in colours} == {(255, 255, 255)}, box
