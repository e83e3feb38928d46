from __future__ import annotations

import json
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
