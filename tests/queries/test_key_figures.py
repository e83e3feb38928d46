"""The key-figure rows of Overblik and Ankestyrelsen: values, comparison, notes, and which figures
are better when lower (a flag from the query layer, never a match on the Danish label)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import duckdb
import pytest

from queries import inquiries
from queries.filters import Filters
from queries.key_figures import appeal_figures, overview
from queries.periods import Span, comparable_spans

Y2024 = Span(date(2024, 1, 1), date(2024, 12, 31), "2024")
Y2025 = Span(date(2025, 1, 1), date(2025, 12, 31), "2025")
F = Filters(municipalities=("999",))


def test_overview_compares_with_the_year_before_and_flags_what_is_better_lower(
    query_db: duckdb.DuckDBPyConnection,
) -> None:
    row = overview(query_db, F, Y2025, date(2026, 11, 24))
    by_key = {k.key: k for k in row.figures}
    assert list(by_key) == [
        "inquiries",
        "complaints",
        inquiries.COMPLAINT_SHARE,
        "points",
        "open_recommendations",
        "omgoerelse",
    ]
    assert (by_key["inquiries"].value, by_key["inquiries"].previous) == (6, 5)
    assert by_key[inquiries.COMPLAINT_SHARE].value == pytest.approx(100 * 2 / 6)
    lower = {k for k, f in by_key.items() if f.lower_is_better}
    assert lower == {"complaints", inquiries.COMPLAINT_SHARE, "points", "omgoerelse"}
    assert row.compared_with == "2024"
    assert row.notes == [comparable_spans(query_db, F, Y2025)[2]]  # 2024 was the first year on record
    assert row.notes[0]
    assert by_key["open_recommendations"].label == "Åbne anbefalinger pr. 31. dec. 2025"  # the period's end


def test_a_meaningless_complaint_share_is_left_out_and_said_below_the_row(
    query_db: duckdb.DuckDBPyConnection, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = inquiries.inquiry_key_figures

    def no_share(con: duckdb.DuckDBPyConnection, f: Filters, span: Span) -> list[inquiries.KeyFigure]:
        # as for an advisor who registers every inquiry as a complaint (share_municipalities)
        return [
            replace(k, value=None, previous=None) if k.key == inquiries.COMPLAINT_SHARE else k
            for k in real(con, f, span)
        ]

    monkeypatch.setattr(inquiries, "inquiry_key_figures", no_share)
    row = overview(query_db, F, Y2025, date(2026, 11, 24))
    assert [k.key for k in row.figures] == [
        "inquiries",
        "complaints",
        "points",
        "open_recommendations",
        "omgoerelse",
    ]
    assert row.notes[-1] == inquiries.NO_SHARE_WORDS
    monkeypatch.setattr(inquiries, "inquiry_key_figures", real)
    assert inquiries.NO_SHARE_WORDS not in overview(query_db, F, Y2025, date(2026, 11, 24)).notes


def test_appeal_figures_pool_the_decisions(query_db: duckdb.DuckDBPyConnection) -> None:
    row = appeal_figures(query_db, F, Y2024)
    assert row is not None
    assert [(k.key, k.value) for k in row.figures] == [
        ("decisions", 5),
        ("on_merits", 4),
        ("omgoerelse", pytest.approx(50.0)),
    ]
    assert [k.lower_is_better for k in row.figures] == [False, False, True]


def test_no_registered_decisions_give_no_appeal_figures(query_db: duckdb.DuckDBPyConnection) -> None:
    assert appeal_figures(query_db, F, Span(date(2020, 1, 1), date(2020, 12, 31), "2020")) is None


@pytest.mark.parametrize(
    "f",
    [F, Filters(), F.with_(main_theme="forvaltningsskik"), F.with_(kinds=("klage",))],
    ids=["one municipality", "all", "a main theme (points joined)", "a kind (points joined)"],
)
def test_key_counts_of_overlapping_spans_are_each_spans_own(
    query_db: duckdb.DuckDBPyConnection, f: Filters
) -> None:
    """Spans longer than a year overlap their comparable span: a record in both counts in both
    (the statement unnests the spans a row is in rather than taking the first)."""
    a = Span(date(2024, 3, 1), date(2025, 6, 30), "")
    b = Span(date(2023, 3, 1), date(2024, 6, 30), "")
    together = inquiries._key_counts(query_db, f, [a, b])
    assert together == [
        inquiries._key_counts(query_db, f, [a])[0],
        inquiries._key_counts(query_db, f, [b])[0],
    ]
    if f in (F, Filters()):  # counted by eye (tests/query_fixture.py)
        assert together[0][0] == (8 if f == F else 9)  # i2..i5 and j1..j4 in a, and 998's n1
        assert together[1][0] == 4  # i1, i2, i3 and i5 in b
        assert together[1][2] == 3  # p1..p3 (of i1 and i2) in b
    assert together[0] != together[1] and all(sum(c) for c in together)


def test_a_complaint_only_municipality_has_no_share_base(query_db: duckdb.DuckDBPyConnection) -> None:
    """998 registers complaints only (n1): its share means nothing, in a span with records and
    in one without (where the statement's own rows cannot tell, so all its records are asked)."""
    assert inquiries.complaint_only_municipalities(query_db, ("998",)) == ["998"]
    only = Filters(municipalities=("998",))
    counts = inquiries._key_counts(query_db, only, [Y2025, Y2024])
    assert counts == [(1, 1, 0, 0, 0), (0, 0, 0, 0, 0)]
    share = {k.key: k for k in inquiries.inquiry_key_figures(query_db, only, Y2025)}[
        inquiries.COMPLAINT_SHARE
    ]
    assert share.value is None and share.n == 0
    # 999 holds citizen inquiries that are not complaints in 2025, and in 2024 too
    assert inquiries._key_counts(query_db, F, [Y2025])[0][3:] == (6, 2)
