"""queries/inquiries.py on the small hand-made database (tests/query_fixture.py), counted by eye."""

from __future__ import annotations

from datetime import date

import polars as pl
import pytest
from polars.testing import assert_frame_equal

from queries import inquiries
from tests.query_fixture import Y2024, Y2025, F


@pytest.mark.parametrize(
    ("dimension", "expected"),
    [
        ("unit", [("999-sos-born", "Børn og Familie", 3, 1), ("999-tek", "Teknik og Miljø", 3, 1)]),
        ("kind", [("vejledning", "Råd og vejledning / vejvisning", 4, 0), ("klage", "Klage", 2, 2)]),
        ("sector", [("boern_familie", "Børn og familie", 3, 1), ("teknik_miljoe", "Teknik og miljø", 3, 1)]),
    ],
)
def test_breakdown_counts_inquiries(query_db, dimension: str, expected: list[tuple]) -> None:
    frame = inquiries.breakdown(query_db, F, Y2025, dimension)
    assert frame.select("code", "label", "count", "complaints").rows() == expected
    assert frame["n"].to_list() == [6, 6]
    assert frame["share"].to_list() == pytest.approx([frame["count"][0] / 6, frame["count"][1] / 6])


def test_breakdown_counts_points_by_their_own_unit(query_db) -> None:
    frame = inquiries.breakdown(query_db, F.with_(count_unit="points"), Y2025, "unit")
    assert frame.select("label", "count").rows() == [("Børn og Familie", 2), ("Teknik og Miljø", 1)]


def test_theme_breakdown_inquiries_vs_points(query_db) -> None:
    points = inquiries.breakdown(query_db, F.with_(count_unit="points"), Y2024, "main_theme")
    assert points.select("label", "count").rows() == [("Forvaltningsloven", 2), ("God forvaltningsskik", 2)]
    sub = inquiries.breakdown(query_db, F.with_(main_theme="forvaltningsskik"), Y2024, "theme")
    assert sub.select("label", "count").rows() == [("Sagsbehandlingstid og manglende svar", 2)]


def test_unit_filter_includes_children(query_db) -> None:
    frame = inquiries.breakdown(query_db, F.with_(unit_id="999-sos"), Y2024, "unit")
    assert frame.select("label", "count").rows() == [
        ("Børn og Familie", 2),
        ("Social og Sundhed (forvaltningen generelt)", 1),
    ]


def test_unit_table_like_the_reports(query_db) -> None:
    expected = pl.DataFrame(
        {
            "department": ["Social og Sundhed", "Social og Sundhed", "Teknik og Miljø"],
            "unit": ["Børn og Familie", "Social og Sundhed (forvaltningen generelt)", "Teknik og Miljø"],
            "unit_id": ["999-sos-born", "999-sos", "999-tek"],
            "inquiries": [2, 1, 2],
            "complaints": [2, 0, 1],
            "complaint_share": [1.0, 0.0, 0.5],
            "label": [
                "Social og Sundhed › Børn og Familie",
                "Social og Sundhed (forvaltningen generelt)",
                "Teknik og Miljø",
            ],
        }
    )
    assert_frame_equal(inquiries.unit_table(query_db, F, Y2024), expected, check_dtypes=False)


def test_trend_by_quarter_with_split(query_db) -> None:
    frame = inquiries.trend(query_db, F.with_(grain="quarter", split="kind"), Y2024)
    assert frame.select("bucket_label", "series", "count").rows() == [
        ("K1 2024", "Klage", 2),
        ("K1 2024", "Råd og vejledning / vejvisning", 1),
        ("K2 2024", "Intern henvendelse / oplæg", 1),
        ("K4 2024", "Klage", 1),
    ]
    assert frame["small"].all()


def test_trend_by_report_period_and_month_labels(query_db) -> None:
    assert inquiries.trend(query_db, F.with_(grain="period"), None).select(
        "bucket_label", "count"
    ).rows() == [
        ("2024 (første år)", 5),
        ("2025", 6),
    ]
    months = inquiries.trend(query_db, F.with_(grain="month"), Y2025)
    assert months["bucket_label"].to_list()[:2] == ["jan. 2025", "feb. 2025"]


def test_complaint_share_trend(query_db) -> None:
    frame = inquiries.complaint_share_trend(query_db, F.with_(grain="year"), None)
    assert frame.select("bucket_label", "inquiries", "complaints").rows() == [
        ("2024 (første år)", 5, 3),
        ("2025", 6, 2),
    ]
    # the base is the citizen inquiries: 2024's internal inquiry (i5) is not in it
    assert frame["citizen_inquiries"].to_list() == [4, 6]
    assert frame["share"].to_list() == pytest.approx([0.75, 2 / 6])


def test_year_over_year_compares_the_same_months(query_db) -> None:
    result = inquiries.year_over_year(query_db, F, Y2025, "kind")
    assert result is not None and result.previous.end == date(2024, 12, 31)
    assert result.table.select("label", "current", "previous", "diff").rows() == [
        ("Råd og vejledning / vejvisning", 4, 1, 3),
        ("Klage", 2, 3, -1),
        ("Intern henvendelse / oplæg", 0, 1, -1),
    ]
    assert result.table["pct_change"].to_list() == pytest.approx([300.0, -100 / 3, -100.0])
    assert result.table["small_n"].all() and result.table["uncertain"].all()


def test_uncertain_change_rule() -> None:
    assert inquiries.uncertain_change(12, 10)
    assert not inquiries.uncertain_change(120, 60)


def test_key_figures(query_db) -> None:
    figures = {k.label: k for k in inquiries.inquiry_key_figures(query_db, F, Y2025)}
    assert (figures["Henvendelser"].value, figures["Henvendelser"].previous) == (6, 5)
    assert (figures["Klager"].value, figures["Klagepunkter"].value, figures["Klagepunkter"].previous) == (
        2,
        3,
        4,
    )
    assert figures["Klageandel"].value == pytest.approx(100 * 2 / 6) and figures["Klageandel"].n == 6


def test_inquiry_rows_with_theme_names(query_db) -> None:
    rows = inquiries.inquiry_rows(query_db, F, Y2024)
    assert rows.height == 5 and rows["inquiry"][0] == "i4"
    assert (
        rows.filter(pl.col("inquiry") == "i1")["themes"][0]
        == "Begrundelse, Sagsbehandlingstid og manglende svar"
    )


def test_running_bucket_is_marked_provisional(query_db) -> None:
    frame = inquiries.trend(query_db, F.with_(grain="year"), None, today=date(2025, 6, 30))
    assert frame["bucket_label"].to_list() == ["2024 (første år)", "2025 (foreløbig)"]
    share = inquiries.complaint_share_trend(query_db, F.with_(grain="quarter"), Y2025, today=date(2026, 1, 1))
    assert "(foreløbig)" not in " ".join(share["bucket_label"])
