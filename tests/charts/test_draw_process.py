"""The chart-drawing helper process gives exactly what drawing in-process gives (SVG and print
PNG), keeps the order of what it is given, reports a broken spec as an error of that chart, and
when the helper dies, the charts are drawn in-process instead."""

from __future__ import annotations

import time
from typing import Any

import pytest

from charts import draw_process
from charts.draw_process import DISABLE_ENV, Drawer, DrawProcess, drawer
from charts.export import danish_locale, png_dpi, to_svg_and_png


def _spec(n: int) -> dict[str, Any]:
    return {
        "data": {"values": [{"kategori": f"Enhed {i}", "antal": i * 1000.5} for i in range(1, n + 1)]},
        "mark": "bar",
        "encoding": {
            "y": {"field": "kategori", "type": "nominal"},
            "x": {"field": "antal", "type": "quantitative", "axis": {"format": ",.1f"}},
        },
        "width": 300 + 40 * n,
    }


def test_the_helper_draws_what_the_process_draws_in_order() -> None:
    specs = [_spec(n) for n in (1, 4, 2)]
    with Drawer(DrawProcess()) as helper:
        pending = [helper.draw(spec) for spec in specs]  # all sent before any is read
        drawn = [result() for result in pending]
    assert drawn == [to_svg_and_png(spec, danish_locale()) for spec in specs]
    assert all(png_dpi(png) == pytest.approx(300, abs=0.1) for _svg, png in drawn)
    assert "1.000,5" in drawn[0][0].decode("utf-8")  # Danish numbers in the helper too


def test_a_broken_spec_is_an_error_of_that_chart_only() -> None:
    with Drawer(DrawProcess()) as helper:
        broken = helper.draw({"mark": "ingen-slags-mærke", "data": {"values": []}})
        fine = helper.draw(_spec(2))
        with pytest.raises(RuntimeError, match="Figuren kunne ikke tegnes"):
            broken()
        assert fine() == to_svg_and_png(_spec(2), danish_locale())


def test_when_the_helper_dies_the_charts_are_drawn_in_process() -> None:
    process = DrawProcess()
    process._process.kill()
    process._process.wait()
    with Drawer(process) as helper:
        assert helper.draw(_spec(3))() == to_svg_and_png(_spec(3), danish_locale())


def test_a_helper_is_kept_for_the_next_pack_and_can_be_switched_off(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(draw_process, "_ready", [])
    with drawer() as first:
        first.draw(_spec(1))()
        used = first._process
    assert used is not None and draw_process._ready == [used]
    with drawer() as second:
        assert second._process is used  # Vega already started
    monkeypatch.setenv(DISABLE_ENV, "1")
    with drawer() as in_process:
        assert in_process._process is None
        assert in_process.draw(_spec(1))() == to_svg_and_png(_spec(1), danish_locale())
    used.close(abort=True)


def test_a_kept_helper_nobody_uses_is_stopped(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(draw_process, "_ready", [])
    monkeypatch.setattr(draw_process, "IDLE_SECONDS", 1.0)
    process = DrawProcess()
    process.last_used = time.monotonic()
    draw_process._release(process, abort=False)  # handed back: kept, with its expiry timer
    assert draw_process._ready == [process]
    process._process.wait(timeout=60)  # stopped by the timer after half the idle time, and reaped
    assert draw_process._ready == [] and process._process.returncode is not None


def test_a_hanging_helper_is_stopped_and_the_chart_drawn_here(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(draw_process, "ANSWER_SECONDS", 0.01)
    process = DrawProcess()
    process._process.send_signal(19)  # SIGSTOP: alive, never answers
    with Drawer(process) as helper:
        first, second = helper.draw(_spec(2)), helper.draw(_spec(3))
        assert first() == to_svg_and_png(_spec(2), danish_locale())
        assert second() == to_svg_and_png(_spec(3), danish_locale())
    assert process._process.returncode is not None  # killed, not left stopped
