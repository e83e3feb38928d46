"""The one export path for charts: vl-convert, offline, from the same spec the screen shows.

PNGs are for print: drawn at three times screen size (more when the chart is narrow) so they are
at least 300 dpi at their intended size, 16 cm wide in the report's Word document, and they say
so: the file declares 300 dpi (PNG pHYs chunk) instead of the renderer's 72.
"""

from __future__ import annotations

import struct
import zlib
from typing import TYPE_CHECKING, Any

import vl_convert as vlc

if TYPE_CHECKING:  # altair and the theme load only when a chart is drawn here (charts.draw_process)
    import altair as alt

PRINT_SCALE = 3  # 640 px wide charts become ~2.000 px
PRINT_DPI = 300
PRINT_WIDTH_CM = 16.0  # the picture width in the report pack's Word document
MIN_PRINT_PIXELS = round(PRINT_WIDTH_CM / 2.54 * PRINT_DPI)  # 1.890 px: 16 cm at 300 dpi
_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def _spec(chart: alt.TopLevelMixin | dict[str, Any]) -> dict[str, Any]:
    return chart if isinstance(chart, dict) else chart.to_dict()


def png_size(png: bytes) -> tuple[int, int]:
    """(width, height) in pixels from the PNG header."""
    width, height = struct.unpack(">II", png[16:24])
    return int(width), int(height)


def png_dpi(png: bytes) -> float | None:
    """The resolution a PNG declares (pHYs, pixels per metre) in dots per inch, or None."""
    for kind, data in _chunks(png):
        if kind == b"pHYs":
            per_metre, _, unit = struct.unpack(">IIB", data)
            return per_metre * 0.0254 if unit == 1 else None
    return None


def _chunks(png: bytes) -> list[tuple[bytes, bytes]]:
    if not png.startswith(_SIGNATURE):
        raise ValueError("not a PNG")
    chunks, at = [], len(_SIGNATURE)
    while at < len(png):
        (length,) = struct.unpack(">I", png[at : at + 4])
        chunks.append((png[at + 4 : at + 8], png[at + 8 : at + 8 + length]))
        at += 12 + length
    return chunks


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def with_dpi(png: bytes, dpi: int = PRINT_DPI) -> bytes:
    """The PNG with its pHYs chunk (declared resolution) set to ``dpi``, right after IHDR."""
    per_metre = round(dpi / 0.0254)
    physical = _chunk(b"pHYs", struct.pack(">IIB", per_metre, per_metre, 1))
    out = [_SIGNATURE]
    for kind, data in _chunks(png):
        if kind == b"pHYs":
            continue
        out.append(_chunk(kind, data))
        if kind == b"IHDR":
            out.append(physical)
    return b"".join(out)


def danish_locale() -> dict[str, Any]:
    """The number and time locale every chart is drawn with (charts.theme)."""
    from charts.theme import DANISH_LOCALE

    return DANISH_LOCALE


def svg_text(spec: dict[str, Any], locale: dict[str, Any] | None = None) -> str:
    """The chart's SVG (one Vega run), with Danish numbers and dates."""
    locale = locale or danish_locale()
    return vlc.vegalite_to_svg(spec, format_locale=locale["number"], time_format_locale=locale["time"])


def png_from_svg(svg: str, scale: float = PRINT_SCALE) -> bytes:
    """The print PNG rasterised from a chart's SVG (no second Vega run): ``scale`` times screen
    size, but never narrower than 16 cm at 300 dpi (a narrow chart is rasterised again at a larger
    scale), declaring 300 dpi. The same pixels as vl-convert's own ``vegalite_to_png``."""
    png = vlc.svg_to_png(svg, scale=scale)
    width, _ = png_size(png)
    if width < MIN_PRINT_PIXELS:
        png = vlc.svg_to_png(svg, scale=scale * MIN_PRINT_PIXELS / width + 0.01)
    return with_dpi(png)


def to_png(chart: alt.TopLevelMixin | dict[str, Any], scale: float = PRINT_SCALE) -> bytes:
    """The chart as a print PNG (see ``png_from_svg``)."""
    return png_from_svg(svg_text(_spec(chart)), scale)


def to_svg(chart: alt.TopLevelMixin | dict[str, Any]) -> bytes:
    return svg_text(_spec(chart)).encode("utf-8")


def to_svg_and_png(
    chart: alt.TopLevelMixin | dict[str, Any], locale: dict[str, Any] | None = None
) -> tuple[bytes, bytes]:
    """SVG and print PNG of one chart from a single Vega run (the report pack draws both)."""
    svg = svg_text(_spec(chart), locale)
    return svg.encode("utf-8"), png_from_svg(svg)
