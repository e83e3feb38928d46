"""charts/export.py: real PNG and SVG files through vl-convert."""

from __future__ import annotations

import pytest

from charts import builders
from charts.export import to_png, to_svg
from tests.charts.chart_data import BREAKDOWN, BUILDS, META


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
