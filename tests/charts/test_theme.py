"""charts/theme.py: font scaling for presentation mode."""

from __future__ import annotations

from charts import builders
from tests.charts.chart_data import LONG_EVENT, META, SPLIT_TREND


def test_presentation_scales_every_font_and_nothing_else() -> None:
    from charts.theme import scale_fonts

    spec = builders.trend_lines(SPLIT_TREND, META, count_title="Henvendelser", events=LONG_EVENT).to_dict()
    bigger = scale_fonts(spec, 1.5)
    assert bigger["config"]["axis"]["labelFontSize"] == round(spec["config"]["axis"]["labelFontSize"] * 1.5)
    assert bigger["config"]["title"]["fontSize"] == 30
    assert bigger["vconcat"][0]["width"] == spec["vconcat"][0]["width"]
    zoomed = scale_fonts(spec, 1.5, sizes=True)
    assert zoomed["vconcat"][0]["height"] == round(spec["vconcat"][0]["height"] * 1.5)
    assert spec["config"]["title"]["fontSize"] == 20  # the printed chart is untouched
