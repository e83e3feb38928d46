"""Chart rendering stubbed out, for tests of everything around it (the pack's files, manifest,
Word document, suppression, CLI): vl-convert's Vega runs cost seconds per chart on a busy machine.

Rendering itself is tested for real: tests/charts/test_export_print.py and the one real pack of
tests/report_pack/test_pack.py (``packs.function``). The stub draws a blank print-width PNG and an
SVG that names the chart's title, so a file still shows which chart it stands for.
"""

from __future__ import annotations

import io
import os
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from xml.sax.saxutils import escape

import vl_convert
from PIL import Image

from charts.draw_process import DISABLE_ENV
from charts.export import MIN_PRINT_PIXELS

STUBBED = ("vegalite_to_png", "vegalite_to_svg", "svg_to_png")


def _blank_png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (MIN_PRINT_PIXELS, MIN_PRINT_PIXELS // 2), "white").save(buffer, format="PNG")
    return buffer.getvalue()


BLANK_PNG = _blank_png()


def _svg(spec: Any, **_options: Any) -> str:
    title = spec.get("title", {}) if isinstance(spec, dict) else {}
    text = title.get("text", "") if isinstance(title, dict) else str(title)
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" width="640" height="320">'
        f"<desc>stub</desc><text>{escape(str(text))}</text></svg>"
    )


def _png(*_args: Any, **_options: Any) -> bytes:
    return BLANK_PNG


STUBS = {"vegalite_to_png": _png, "vegalite_to_svg": _svg, "svg_to_png": _png}


def install() -> dict[str, Any]:
    """Replace vl-convert's renderers in this process (and draw in it, not in the pack's drawing
    helper, charts/draw_process.py); returns the real ones."""
    os.environ[DISABLE_ENV] = "1"
    real = {name: getattr(vl_convert, name) for name in STUBBED}
    for name in STUBBED:
        setattr(vl_convert, name, STUBS[name])
    return real


@contextmanager
def stubbed_rendering() -> Iterator[None]:
    previous = os.environ.get(DISABLE_ENV)
    real = install()
    try:
        yield
    finally:
        if previous is None:
            os.environ.pop(DISABLE_ENV, None)
        else:
            os.environ[DISABLE_ENV] = previous
        for name, function in real.items():
            setattr(vl_convert, name, function)


def is_stub_svg(svg: bytes) -> bool:
    return b"<desc>stub</desc>" in svg
