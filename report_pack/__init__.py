"""The report pack (beretningspakke): every standard figure of one municipality's report period
as PNG and SVG, the data behind each as CSV and Excel, figures.json and a Word document.

The names below load ``report_pack.build`` on first use, so ``python -m report_pack`` can start
its chart-drawing helper before the heavy imports (charts.draw_process)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from report_pack.build import PackResult, build_pack, zip_bytes

__all__ = ["PackResult", "build_pack", "zip_bytes"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        from report_pack import build

        return getattr(build, name)
    raise AttributeError(f"module 'report_pack' has no attribute {name!r}")
