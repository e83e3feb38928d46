from __future__ import annotations

from datetime import date

import polars as pl
import pytest
from polars.testing import assert_frame_equal

from queries import appeals, benchmark, inquiries, recommendations
from queries.filters import Filters
from queries.periods import Span, comparable_spans, resolve_span
from queries.suppression import shown_count, suppress

Y2024 = Span(date(2024, 1, 1), date(2024, 12, 31), "2024")
Y2025 = Span(date(2025, 1, 1), date(2025, 12, 31), "2025")
F = Filters(municipalities=("999",))


def test_resolve_span_prefers_period_then_dates_then_latest(query_db) -> None:
    assert resolve_span(query_db, F.with_(period_id="999-2024")) == Y2024
    assert resolve_span(query_db, F.with_(date_from=date(2024, 3, 1), date_to=date(2024, 3, 31))).label == (
        "1. mar. 2024 – 31. mar. 2024"
    )
    assert resolve_span(query_db, F, today=date(2026, 1, 5)) == Y2025


def test_comparable_span_is_the_year_before(query_db) -> None:
    current, previous, note = comparable_spans(query_db, F, Y2025)
    assert (current, previous.start, previous.end, previous.label, note) == (
        Y2025,
        date(2024, 1, 1),
        date(2024, 12, 31),
        "2024",
        "Den forrige periode er det første år med registreringer (fx et opstartsår): sammenlign varsomt",
    )
    assert comparable_spans(query_db, F, Y2024) is None


def test_comparable_span_clamps_to_a_partial_first_period(query_db) -> None:
    query_db.execute("UPDATE report_period SET start_date = DATE '2024-05-01' WHERE period_id = '999-2024'")
    current, previous, note = comparable_spans(query_db, F, Y2025)
    assert (current.start, current.end) == (date(2025, 5, 1), date(2025, 12, 31))
    assert (previous.start, previous.end) == (date(2024, 5, 1), date(2024, 12, 31))
    assert "samme måneder" in note


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
    assert rows.height == 5 and rows["Henvendelse"][0] == "i4"
    assert (
        rows.filter(pl.col("Henvendelse") == "i1")["Temaer"][0]
        == "Begrundelse, Sagsbehandlingstid og manglende svar"
    )


def test_decisions_and_pooled_omgoerelse(query_db) -> None:
    by_result = appeals.decisions_by_result(query_db, F, Y2024, by="unit")
    assert by_result.select("series", "outcome", "count").rows() == [
        ("Børn og Familie", "Stadfæstet", 1),
        ("Børn og Familie", "Ændret/ophævet", 1),
        ("Børn og Familie", "Hjemvist", 1),
        ("Teknik og Miljø", "Stadfæstet", 1),
        ("Teknik og Miljø", "Afvist/henvist", 1),
    ]
    total = appeals.omgoerelse(query_db, F, Y2024)
    assert total.select("decisions", "rejected", "on_merits", "changed", "sent_back").row(0) == (
        5,
        1,
        4,
        1,
        1,
    )
    assert total["pct"][0] == pytest.approx(50.0)


def test_remark_themes_share_of_decisions(query_db) -> None:
    frame = appeals.remark_themes(query_db, F, Y2024)
    assert frame.select("remark", "decisions", "n").rows()[0] == ("Mangelfuld begrundelse", 2, 5)


def test_danmarkskort_rank_and_change(query_db) -> None:
    frame = appeals.danmarkskort(query_db, "999", "boern_handicap")
    assert frame.select("year", "n", "pct", "country_pct", "rank", "ranked_of").rows() == [
        (2023, 20, 25.0, 25.0, 2, 2),
        (2024, 10, 20.0, 25.0, 1, 2),
    ]
    assert frame["change_pp"].to_list()[1] == pytest.approx(-5.0)


def test_recommendation_status_overdue_first(query_db) -> None:
    frame = recommendations.recommendation_status(query_db, F, today=date(2025, 9, 2))
    assert frame.select("recommendation_id", "status", "closed", "overdue", "stalled").rows() == [
        ("r2", "I gang", False, False, True),
        ("r3", "Ingen opfølgning", False, False, False),
        ("r1", "Implementeret", True, False, False),
    ]
    assert frame.filter(pl.col("recommendation_id") == "r3")["targets"][0] == "Hele kommunen"
    counts = recommendations.status_counts(frame)
    assert counts.filter(pl.col("department") == "Teknik og Miljø").select("status", "count").rows() == [
        ("I gang", 1)
    ]


def test_follow_up_timeline(query_db) -> None:
    frame = recommendations.follow_up_timeline(query_db, "r1")
    assert frame.select("status").to_series().to_list() == ["Anbefaling givet", "I gang", "Implementeret"]


def test_before_after_counts_complaints_in_themes_and_units(query_db) -> None:
    frame = recommendations.before_after(query_db, "r2", months=12)
    # sagsbehandlingstid complaints in Teknik og Miljø: i4 (Nov 2024) after 1 Jul 2024; none before
    assert frame.select("window", "complaints").rows() == [("Før", 0), ("Efter", 1)]
    assert frame["complete"].to_list() == [True, True]


def test_suppression_hides_small_counts_and_their_shares() -> None:
    frame = pl.DataFrame({"label": ["a", "b", "c"], "count": [0, 3, 12], "share": [0.0, 0.2, 0.8]})
    out = suppress(frame, ["count"], ["share"])
    assert out["count"].to_list() == [0, None, 12] and out["share"].to_list() == [0.0, None, 0.8]
    assert out["suppressed"].to_list() == [False, True, False]
    assert [shown_count(v) for v in out["count"]] == ["0", "<5", "12"]
    assert shown_count(1234) == "1.234"


def test_published_totals_empty_without_figures(query_db) -> None:
    assert benchmark.published_totals(query_db).height == 0


def test_running_bucket_is_marked_provisional(query_db) -> None:
    frame = inquiries.trend(query_db, F.with_(grain="year"), None, today=date(2025, 6, 30))
    assert frame["bucket_label"].to_list() == ["2024 (første år)", "2025 (foreløbig)"]
    share = inquiries.complaint_share_trend(query_db, F.with_(grain="quarter"), Y2025, today=date(2026, 1, 1))
    assert "(foreløbig)" not in " ".join(share["bucket_label"])
