"""The pack draws each chart once: one Vega run per figure (SVG), the PNG rasterised from that SVG,
and no Altair schema validation at build time; so every spec the pack draws must be valid
Vega-Lite, which this file checks against the schema for the standard figures (with and without
small-number suppression) and for every sample template's cross-table charts."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import duckdb
import pytest
import vl_convert

import charts.export
from charts.draw_process import DISABLE_ENV
from charts.theme import presentation_spec
from queries.describe import load_names
from report_pack.build import build_pack
from report_pack.figures import collect
from report_pack.resolve import period_by_id
from report_pack.template import load_template
from report_pack.template_pack import prepare
from tests.charts.schema import assert_valid_vega_lite
from tests.conftest import TODAY

PERIODS = {"510": "510-2024", "766": "766-2024", "165": "165-2024", "157": "157-2023"}


def _sorts_as_sets(node: Any) -> Any:
    """The spec with explicit sort orders compared as sets (suppression only reorders them)."""
    if isinstance(node, dict):
        return {
            k: sorted(map(str, v)) if k == "sort" and isinstance(v, list) else _sorts_as_sets(v)
            for k, v in node.items()
        }
    if isinstance(node, list):
        return [_sorts_as_sets(v) for v in node]
    return node


@pytest.mark.parametrize("threshold", [None, 5])
def test_every_standard_figure_is_valid_vega_lite(
    sample_db: duckdb.DuckDBPyConnection, threshold: int | None
) -> None:
    """Altair validates each builder's chart here (what the pack skips), and the pack's spec is
    that chart (with suppression, hidden categories only move to the end of a sort order)."""
    period = period_by_id(sample_db, "510-2024")
    collected = collect(sample_db, period, load_names(sample_db), today=TODAY, threshold=threshold)
    figures = [item for item in collected.items if item.draw is not None]
    assert len(figures) >= 10
    for item in figures:
        drawn = item.draw(item.data, item.meta)
        validated = drawn.to_dict(validate=True)  # raises on a spec that breaks the schema
        assert _sorts_as_sets(item.chart()) == _sorts_as_sets(validated), item.key
        assert_valid_vega_lite(presentation_spec(validated), f"{item.key} in presentation mode")


@pytest.mark.slow
@pytest.mark.parametrize("code", sorted(PERIODS))
def test_every_template_chart_is_valid_vega_lite(sample_db: duckdb.DuckDBPyConnection, code: str) -> None:
    template = load_template(sample_db, code)
    assert template, code
    period = period_by_id(sample_db, PERIODS[code])
    entries, _omitted, _generated = prepare(sample_db, period, template, today=TODAY, threshold=None)
    drawn = [e for e in entries if e.item.draw is not None]
    assert drawn
    for entry in drawn:
        assert_valid_vega_lite(entry.item.chart(), entry.item.title)


def test_each_figure_is_drawn_once(
    sample_db: duckdb.DuckDBPyConnection,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """One Vega-Lite run per figure; its PNG comes from the SVG, not from a second run (counted
    in-process; the helper process runs the same ``to_svg_and_png``, tests/charts/test_draw_process.py)."""
    monkeypatch.setenv(DISABLE_ENV, "1")
    calls: dict[str, int] = {"svg": 0, "png": 0}
    real_svg = vl_convert.vegalite_to_svg

    def counted_svg(*args: Any, **kwargs: Any) -> str:
        calls["svg"] += 1
        return real_svg(*args, **kwargs)

    def refused_png(*_args: Any, **_kwargs: Any) -> bytes:
        calls["png"] += 1
        raise AssertionError("the PNG must be rasterised from the SVG")

    monkeypatch.setattr(charts.export.vlc, "vegalite_to_svg", counted_svg)
    monkeypatch.setattr(charts.export.vlc, "vegalite_to_png", refused_png)
    result = build_pack(sample_db, "510", "510-2024", tmp_path, today=TODAY, use_template=False)
    assert calls == {"svg": len(result.figures), "png": 0}
    assert len(result.figures) >= 10
    for figure in result.figures:
        png = (tmp_path / figure["files"]["png"]).read_bytes()
        assert charts.export.png_dpi(png) == pytest.approx(300, abs=0.1)
        assert charts.export.png_size(png)[0] >= charts.export.MIN_PRINT_PIXELS
