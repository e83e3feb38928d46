"""The one chart theme, for screen and export alike: Danish locale, colour-blind-safe palette,
type large enough to read on a shared screen, and the title/subtitle/source frame every chart has."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import altair as alt

from data_model.labels import MONTHS, MONTHS_SHORT

# Okabe-Ito, reordered so the first colours are the most distinct on white; yellow left out
# because it disappears on a projector.
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#999999", "#000000"]
PRIMARY = PALETTE[0]
INCREASE = "#D55E00"
DECREASE = "#0072B2"
# The greys, each once: text, secondary text (labels beside marks, n=), lines (axes, reference
# rules; 3.5:1 on white), the whole country beside the municipality, de-emphasised marks, grid.
TEXT = "#222222"
SUBTLE_TEXT = "#555555"  # 7.5:1 on white
LINE = "#888888"
COMPARISON = "#777777"
MUTED = "#BBBBBB"
GRID = "#E6E6E6"
PADDING = {"left": 16, "right": 16, "top": 14, "bottom": 10}  # on the spec itself: Streamlit keeps it
FONT = "Liberation Sans, Arial, Helvetica, sans-serif"
WIDTH = 640

DANISH_LOCALE: dict[str, Any] = {
    "number": {"decimal": ",", "thousands": ".", "grouping": [3], "currency": ["", "\u00a0kr."], "percent": "\u00a0%"},
    "time": {
        "dateTime": "%A den %d. %B %Y %X",
        "date": "%d.%m.%Y",
        "time": "%H:%M:%S",
        "periods": ["AM", "PM"],
        "days": ["søndag", "mandag", "tirsdag", "onsdag", "torsdag", "fredag", "lørdag"],
        "shortDays": ["søn.", "man.", "tir.", "ons.", "tor.", "fre.", "lør."],
        "months": list(MONTHS),
        "shortMonths": list(MONTHS_SHORT),
    },
}  # fmt: skip

CONFIG: dict[str, Any] = {
    "locale": DANISH_LOCALE,
    "background": "white",  # also on a dark screen: the chart is a light card, as it is printed
    "font": FONT,
    "view": {"stroke": None},
    "range": {"category": PALETTE},
    "title": {
        "anchor": "start",
        "fontSize": 20,
        "fontWeight": "bold",
        "color": TEXT,
        "subtitleFontSize": 14,
        "subtitleColor": SUBTLE_TEXT,
        "offset": 14,
        "limit": 0,  # never cut a title or subtitle with "…"
    },
    "axis": {
        "labelFontSize": 13,
        "titleFontSize": 14,
        "titleFontWeight": "normal",
        "labelColor": TEXT,
        "titleColor": TEXT,
        "gridColor": GRID,
        "domainColor": LINE,
        "tickColor": LINE,
        "labelLimit": 420,
        "labelOverlap": True,
    },
    "legend": {
        "labelFontSize": 13,
        "titleFontSize": 13,
        "orient": "top",
        "labelLimit": 0,
        "direction": "horizontal",
        "labelColor": TEXT,
        "titleColor": TEXT,
        "symbolStrokeWidth": 3,
        "columns": 4,  # long legends wrap instead of running off the right edge
    },
    "header": {"labelFontSize": 13, "titleFontSize": 14, "labelColor": TEXT, "titleColor": TEXT},
    "text": {"fontSize": 13, "color": TEXT},
    "bar": {"color": PRIMARY},
    "line": {"color": PRIMARY, "strokeWidth": 3},
    "point": {"color": PRIMARY, "size": 70, "filled": True},
}


@dataclass(frozen=True)
class ChartMeta:
    """The words around a chart: what it shows, what it counts under which filter, and the source."""

    title: str
    subtitle: str  # what is counted and the filter in words
    source: str  # "Kilde: Borgerrådgiveren, <kommune>, <periode>" (+ "Genererede data")


def source_line(municipality: str, period: str, generated: bool, source: str = "Borgerrådgiveren") -> str:
    text = f"Kilde: {source}, {municipality}, {period}"
    return text + ". Genererede data (eksempel)" if generated else text


SOURCE_FONT_SIZE = 12
_FONT_KEYS = ("fontSize", "labelFontSize", "titleFontSize", "subtitleFontSize")


def scale_fonts(spec: dict[str, Any], factor: float, *, sizes: bool = False) -> dict[str, Any]:
    """A copy of a chart spec with every font size (theme and marks), and with ``sizes`` every
    view's width and height, multiplied by ``factor``: presentation mode, readable from the back
    of a meeting room (a zoom that reflows, so the drawing can then be fitted to the window)."""
    keys = {*_FONT_KEYS, "width", "height"} if sizes else set(_FONT_KEYS)

    def walk(node: Any) -> Any:
        if isinstance(node, dict):
            return {
                key: round(value * factor)
                if key in keys and isinstance(value, int | float) and not isinstance(value, bool)
                else walk(value)
                for key, value in node.items()
            }
        if isinstance(node, list):
            return [walk(item) for item in node]
        return node

    return walk(spec)  # type: ignore[no-any-return]


def finish(
    chart: alt.TopLevelMixin, meta: ChartMeta, width: int = WIDTH, description: str | None = None
) -> alt.VConcatChart:
    """Title and subtitle above, the source line below, the theme's config embedded in the spec
    (so Streamlit and vl-convert draw the same thing). ``description`` is the chart's text
    alternative (one Danish sentence); screen readers get it as the chart's label."""
    caption = (
        alt.Chart(alt.Data(values=[{"text": meta.source}]))
        .mark_text(align="left", baseline="top", fontSize=SOURCE_FONT_SIZE, color=SUBTLE_TEXT, dx=0)
        .encode(text="text:N", x=alt.value(0), y=alt.value(0))
        .properties(width=width, height=16)
    )
    combined = alt.vconcat(chart, caption, spacing=6).properties(
        # limit 0 on the title itself: Streamlit otherwise cuts it (and the subtitle) with "…"
        title=alt.TitleParams(text=meta.title, subtitle=[meta.subtitle], limit=0),
        padding=PADDING,
        description=description or f"Diagram: {meta.title}. {meta.subtitle}.",
    )
    return combined.configure(**CONFIG)
