"""The one export path draws a chart's SVG once and rasterises the print PNG from it: the PNG is
byte for byte what vl-convert's own Vega-Lite-to-PNG gives (same size, same pixels), never
narrower than 16 cm at 300 dpi, and declares 300 dpi."""

from __future__ import annotations

from typing import Any

import polars as pl
import pytest
import vl_convert as vlc

from charts import builders
from charts.export import (
    MIN_PRINT_PIXELS,
    PRINT_SCALE,
    png_dpi,
    png_size,
    to_png,
    to_svg,
    to_svg_and_png,
    with_dpi,
)
from charts.theme import DANISH_LOCALE, ChartMeta, source_line

META = ChartMeta(
    "Henvendelser pr. sektor",
    "Tæller henvendelser · Haderslev · 2024",
    source_line("Haderslev", "2024", False),
)
BARS = pl.DataFrame(
    {
        "label": ["Børn", "Beskæftigelse", "Ældre"],
        "count": [1234, 56, 7],
        "share": [0.95, 0.04, 0.01],
        "n": [1297] * 3,
    }
)
NARROW: dict[str, Any] = {
    "data": {"values": [{"x": 1.5}]},
    "mark": "point",
    "encoding": {"x": {"field": "x", "type": "quantitative"}},
    "width": 120,
    "height": 60,
}


def _vegalite_png(spec: dict[str, Any], scale: float = PRINT_SCALE) -> bytes:
    """What the export did before: a second Vega run straight to PNG (re-drawn if too narrow)."""
    locale = {"format_locale": DANISH_LOCALE["number"], "time_format_locale": DANISH_LOCALE["time"]}
    png = vlc.vegalite_to_png(spec, scale=scale, **locale)
    width, _ = png_size(png)
    if width < MIN_PRINT_PIXELS:
        png = vlc.vegalite_to_png(spec, scale=scale * MIN_PRINT_PIXELS / width + 0.01, **locale)
    return with_dpi(png)


@pytest.mark.parametrize("name", ["bars", "narrow"])
def test_png_from_the_svg_is_the_vega_lite_png(name: str) -> None:
    spec = (
        builders.breakdown_bars(BARS, META, count_title="Henvendelser").to_dict()
        if name == "bars"
        else NARROW
    )
    svg, png = to_svg_and_png(spec)
    assert png == _vegalite_png(spec)
    assert png == to_png(spec)
    assert svg == to_svg(spec)
    width, height = png_size(png)
    assert width >= MIN_PRINT_PIXELS and height > 0
    assert png_dpi(png) == pytest.approx(300, abs=0.1)


def test_a_narrow_chart_is_drawn_wider_and_a_screen_scale_stays() -> None:
    assert png_size(to_png(NARROW))[0] in (MIN_PRINT_PIXELS, MIN_PRINT_PIXELS + 1)
    wide = builders.breakdown_bars(BARS, META, count_title="Henvendelser").to_dict()
    assert png_size(to_png(wide))[0] > MIN_PRINT_PIXELS  # scale 3 is enough, not re-drawn
    assert to_png(wide, scale=1) == _vegalite_png(wide, scale=1)
