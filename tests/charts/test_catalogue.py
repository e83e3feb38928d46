"""One figure catalogue: a figure drawn on a page, in its PNG and in the report pack is the same
chart from the same entry, and every standard figure of the pack is an entry of the catalogue."""

from __future__ import annotations

from datetime import date

import duckdb
import polars as pl
import pytest

from charts import catalogue
from charts.catalogue import FigureDef
from charts.theme import ChartMeta
from dashboard.layout import catalogue_figure
from queries import appeals, inquiries
from queries.describe import load_names
from queries.filters import Filters
from queries.periods import Span
from report_pack.figures import PackItem, collect
from report_pack.resolve import period_by_id
from report_pack.template import STANDARD_FIGURES

Y2024 = Span(date(2024, 1, 1), date(2024, 12, 31), "2024")
F = Filters(municipalities=("999",))
META = ChartMeta("En titel", "Tæller noget · Testkommune", "Kilde: Borgerrådgiveren, Testkommune, 2024")


def _frames(con: duckdb.DuckDBPyConnection) -> list[tuple[FigureDef, object]]:
    table = inquiries.year_over_year(con, F, Y2024.shifted_years(1), "department")
    assert table is not None
    return [
        (catalogue.SECTORS, inquiries.breakdown(con, F, Y2024, "sector")),
        (catalogue.UNITS, inquiries.unit_table(con, F, Y2024)),
        (catalogue.THEMES, inquiries.breakdown(con, F.with_(count_unit="points"), Y2024, "main_theme")),
        (catalogue.COMPLAINT_SHARE, inquiries.complaint_share_trend(con, F.with_(grain="period"), None)),
        (catalogue.trend("T", "henvendelser", "Henvendelser", "Type"), inquiries.trend(con, F, None)),
        (catalogue.year_over_year("T", "Forvaltning", "2024", "2025"), catalogue.with_remark(table.table)),
        (catalogue.appeal_results("unit"), appeals.decisions_by_result(con, F, Y2024, "unit")),
        (catalogue.REMARKS, catalogue.remark_bars(appeals.remark_themes(con, F, Y2024))),
    ]


def test_a_page_and_the_pack_draw_a_catalogue_figure_alike(query_db: duckdb.DuckDBPyConnection) -> None:
    for entry, frame in _frames(query_db):
        assert not frame.is_empty(), entry.key  # type: ignore[attr-defined]
        on_screen = catalogue_figure(entry, frame, META)  # the title is always the entry's  # type: ignore[arg-type]
        in_pack = PackItem.of(entry, frame, META.subtitle, META.source)  # type: ignore[arg-type]
        assert on_screen.chart.to_dict() == in_pack.chart(), entry.key
        assert on_screen.key == entry.page_key and on_screen.title == entry.title
        # the page's table and files carry the pack's Danish headers
        assert on_screen.labels == {c.name: c.header for c in in_pack.columns}


def test_presentation_mode_draws_the_largest_units_with_the_same_builder(
    query_db: duckdb.DuckDBPyConnection,
) -> None:
    units = inquiries.unit_table(query_db, F, Y2024)
    figure = catalogue_figure(catalogue.UNITS, units, META)
    assert figure.largest is not None and units.height > 1
    top = units.sort("inquiries", descending=True).head(1)
    meta = ChartMeta(catalogue.UNITS.title, META.subtitle, META.source)
    assert figure.largest(1).to_dict() == catalogue.UNITS.draw(top, meta).to_dict()  # type: ignore[misc]


def test_a_table_entry_is_not_drawn_on_a_page() -> None:
    with pytest.raises(ValueError, match="table"):
        catalogue_figure(catalogue.RECOMMENDATIONS, pl.DataFrame({"title": ["x"]}), META)


def test_every_standard_figure_of_the_pack_is_a_catalogue_entry(query_db: duckdb.DuckDBPyConnection) -> None:
    collected = collect(
        query_db, period_by_id(query_db, "999-2024"), load_names(query_db), today=date(2026, 11, 24)
    )
    keys = [i.key for i in collected.items] + [o.key for o in collected.omitted]
    assert sorted(keys) == sorted(STANDARD_FIGURES)
    entries = {
        e.key: e
        for e in [
            catalogue.SECTORS,
            catalogue.UNITS,
            catalogue.THEMES,
            catalogue.SUB_THEMES,
            catalogue.OUTCOMES,
            catalogue.CASE_TYPES,
            catalogue.COMPLAINT_SHARE,
            catalogue.REMARKS,
            catalogue.OMGOERELSE,
            catalogue.RECOMMENDATIONS,
        ]
    }
    for item in collected.items:
        if item.key in entries:
            entry = entries[item.key]
            assert (item.counts, item.columns, item.draw) == (entry.counts, list(entry.columns), entry.draw)
