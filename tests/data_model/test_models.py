from __future__ import annotations

from datetime import date

import pytest
from pydantic import ValidationError

from data_model.models import AppealStatistic, Inquiry, PublishedFigure, ReportPeriod
from data_model.parsing import looks_like_cpr, parse_date, parse_number

TODAY = {"today": date(2026, 11, 24)}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2025-03-31", date(2025, 3, 31)),
        ("31-03-2025", date(2025, 3, 31)),
        ("31.03.2025", date(2025, 3, 31)),
        ("1/4/2024", date(2024, 4, 1)),
        ("2025-03-31 00:00:00", date(2025, 3, 31)),
        ("", None),
    ],
)
def test_dates_in_danish_and_iso_formats(text: str, expected: date | None) -> None:
    assert parse_date(text) == expected


@pytest.mark.parametrize("text", ["31-02-2025", "2025/13/01", "i går"])
def test_impossible_dates_are_refused(text: str) -> None:
    with pytest.raises(ValueError, match="not_date"):
        parse_date(text)


@pytest.mark.parametrize(
    ("text", "expected"), [("8,5", 8.5), ("1.234,5", 1234.5), ("1234.5", 1234.5), ("12", 12.0)]
)
def test_danish_decimal_commas(text: str, expected: float) -> None:
    assert parse_number(text) == expected


@pytest.mark.parametrize(
    ("text", "is_cpr"),
    [
        ("borger 010190-1234 klager", True),
        ("0101901234", True),
        ("010190 1234", True),
        ("tlf 12345678", False),
        ("sag 2024-12345", False),
        ("991390-1234", False),
        ("12345678901", False),
    ],
)
def test_cpr_shapes(text: str, is_cpr: bool) -> None:
    assert looks_like_cpr(text) is is_cpr


def _errors(model: type, data: dict) -> list[str]:
    with pytest.raises(ValidationError) as info:
        model.model_validate(data, context=TODAY)
    return [str(e.get("ctx", {}).get("error", e["type"])) for e in info.value.errors()]


def test_inquiry_closed_before_received_is_refused() -> None:
    data = {
        "inquiry_id": "a",
        "municipality_code": "1",
        "received": "10-03-2025",
        "closed": "01-03-2025",
        "kind_code": "klage",
    }
    assert _errors(Inquiry, data) == ["closed_before_received@closed"]


def test_inquiry_in_the_future_is_refused() -> None:
    data = {"inquiry_id": "a", "municipality_code": "1", "received": "2027-01-01", "kind_code": "klage"}
    assert _errors(Inquiry, data) == ["future_date@received"]


def test_cpr_in_summary_is_refused() -> None:
    data = {
        "inquiry_id": "a",
        "municipality_code": "1",
        "received": "2025-01-01",
        "kind_code": "klage",
        "summary": "Borger med cpr 0101901234",
    }
    assert _errors(Inquiry, data) == ["cpr@summary"]


def test_valid_inquiry_parses_danish_date() -> None:
    inquiry = Inquiry.model_validate(
        {
            "inquiry_id": "a",
            "municipality_code": "1",
            "received": "31-03-2025",
            "kind_code": "klage",
            "unit_id": "",
        },
        context=TODAY,
    )
    assert inquiry.received == date(2025, 3, 31)
    assert inquiry.unit_id is None
    assert inquiry.provenance == "imported"


def test_report_period_end_before_start() -> None:
    data = {
        "period_id": "p",
        "municipality_code": "1",
        "label": "x",
        "start_date": "2025-04-01",
        "end_date": "2025-03-31",
    }
    assert _errors(ReportPeriod, data) == ["end_before_start@end_date"]


def test_appeal_statistic_counts() -> None:
    base = {"municipality_code": "1", "year": 2024, "law_area_code": "boern_handicap"}
    assert _errors(AppealStatistic, base | {"decided_on_merits": 10, "changed": -1, "sent_back": 0}) == [
        "greater_than_equal"
    ]
    assert _errors(AppealStatistic, base | {"decided_on_merits": 3, "changed": 2, "sent_back": 2}) == [
        "parts_exceed_total@decided_on_merits"
    ]
    ok = AppealStatistic.model_validate(base | {"decided_on_merits": "12", "changed": "2", "sent_back": "3"})
    assert (ok.decided_on_merits, ok.changed, ok.sent_back, ok.rejected) == (12, 2, 3, 0)


def test_published_figure_value_with_decimal_comma() -> None:
    figure = PublishedFigure.model_validate(
        {
            "figure_id": "f",
            "municipality_code": "1",
            "table_name": "t",
            "measure": "other",
            "value": "8,5",
            "value_unit": "percent",
        }
    )
    assert figure.value == 8.5
