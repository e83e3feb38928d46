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
        "labelSeparation": 6,  # labels closer than this are thinned out, never left touching
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


# Presentation mode (a meeting screen, 1280×720 at the least): type 1.4× larger, so 13 px axis
# labels become 18 px, and plots no taller than PRESENT_PLOT_HEIGHT, so a whole figure (title,
# filter, source) fits under a page's key figures at about its own size instead of being zoomed
# out until the type is small again. Labels on two lines (TWO_LINE_LABELS: department over unit)
# go on one line there: a meeting screen is wide, not tall.
PRESENT_FONT_SCALE = 1.4
PRESENT_PLOT_HEIGHT = 280
PRESENT_TIME_WIDTH_SCALE = 1.4  # a time axis gets wider too, so its larger labels keep apart
TWO_LINE_LABELS = "split(datum.label, ' › ')"


def presentation_spec(spec: dict[str, Any]) -> dict[str, Any]:
    """A copy of a finished chart's spec for a meeting screen (see PRESENT_FONT_SCALE). Text
    stacked at fixed pixel offsets (event annotations: marks with a ``lineHeight``) keeps its size,
    and a plot with such a band keeps its height, so stacked lines never run into each other."""
    stacked = _has_key(spec, "lineHeight")

    def walk(node: Any) -> Any:
        if isinstance(node, dict):
            if "lineHeight" in node:
                return node
            return {
                key: round(value * PRESENT_FONT_SCALE)
                if key in _FONT_KEYS and isinstance(value, int | float) and not isinstance(value, bool)
                else "datum.label"
                if key == "labelExpr" and value == TWO_LINE_LABELS
                else walk(value)
                for key, value in node.items()
            }
        if isinstance(node, list):
            return [walk(item) for item in node]
        return node

    shown: dict[str, Any] = walk(spec)
    views = shown.get("vconcat", [])
    if views and isinstance(views[0].get("height"), int | float) and not stacked:
        views[0]["height"] = min(views[0]["height"], PRESENT_PLOT_HEIGHT)
    if views and isinstance(views[0].get("width"), int | float) and _time_axis(views[0]):
        for view in views:  # the plot and the source line under it
            view["width"] = round(view["width"] * PRESENT_TIME_WIDTH_SCALE)
    if len(views) > 1 and isinstance(views[-1].get("height"), int | float):
        views[-1]["height"] = round(views[-1]["height"] * PRESENT_FONT_SCALE)  # the source line
    return shown


def _time_axis(view: dict[str, Any]) -> bool:
    """Whether a view (or a layer of it) draws time (ordinal or temporal) along x."""
    layers = [view, *view.get("layer", [])]
    return any(
        layer.get("encoding", {}).get("x", {}).get("type") in ("ordinal", "temporal") for layer in layers
    )


def _has_key(node: Any, name: str) -> bool:
    if isinstance(node, dict):
        return name in node or any(_has_key(value, name) for value in node.values())
    if isinstance(node, list):
        return any(_has_key(item, name) for item in node)
    return False


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
