"""The report pack (beretningspakke): every standard figure of one municipality's report period
as PNG and SVG, the data behind each as CSV and Excel, figures.json and a Word document."""

from report_pack.build import PackResult, build_pack, zip_bytes

__all__ = ["PackResult", "build_pack", "zip_bytes"]
