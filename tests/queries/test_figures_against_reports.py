"""Figures the dashboard draws, checked against the printed reports (issue 13, "Wrong figures").

Run on the bundled sample data; every expected number is printed in /work/shared/reports
(Haderslev 000, Hedensted 001, Albertslund 002, Gentofte 004).
"""

from __future__ import annotations

import json

import polars as pl
import pytest

from charts import builders
from charts.theme import ChartMeta
from queries import published

# municipality, period, measure, the total the report printed
PRINTED_TOTALS = [
    ("Haderslev", "2024", "inquiries", 385),
    ("Hedensted", "2024", "inquiries", 257),
    ("Hedensted", "2023", "inquiries", 115),
    ("Albertslund", "2024/25", "inquiries", 162),
    ("Albertslund", "2024/25", "complaint_points", 203),
    ("Albertslund", "2024/25", "appeal_decisions", 64),
    ("Gentofte", "maj-dec 2023", "inquiries", 158),
    ("Gentofte", "maj-dec 2023", "complaints", 94),
    ("Gentofte", "maj-dec 2023", "complaint_points", 328),
]


@pytest.mark.parametrize(("municipality", "period", "measure", "printed"), PRINTED_TOTALS)
def test_kommuner_has_one_row_per_report_total(sample_db, municipality, period, measure, printed) -> None:
    totals = published.published_totals(sample_db)
    rows = totals.filter(
        (pl.col("municipality") == municipality)
        & (pl.col("period") == period)
        & (pl.col("measure") == measure)
    )
    assert rows["value"].to_list() == [printed]
    assert rows["source"][0].startswith("Beretning ") and ", linje " in rows["source"][0]


def test_kommuner_chart_draws_each_total_once(sample_db) -> None:
    totals = published.published_totals(sample_db)
    assert totals.select("municipality", "period", "measure").is_duplicated().sum() == 0
    chosen = totals.filter(pl.col("measure") == "inquiries")
    chart = builders.benchmark_bars(chosen, ChartMeta("t", "s", "k"), value_title="Henvendelser").to_dict()
    values = [
        row
        for data in chart.get("datasets", {}).values()
        for row in data
        if isinstance(row, dict) and "municipality" in row
    ]
    drawn: dict[str, int] = {}
    for row in values:
        drawn[row["label"]] = drawn.get(row["label"], 0) + row["value"]
    assert drawn["Haderslev 2024"] == 385
    assert drawn["Hedensted 2024"] == 257
    assert drawn["Albertslund 2024/25"] == 162
    assert drawn["Gentofte maj-dec 2023"] == 158


def test_kommuner_total_from_disjoint_parts(sample_db) -> None:
    """A report that prints only its parts (citizen and internal inquiries) gets their sum."""
    rows = pl.DataFrame(
        {
            "value": [335.0, 50.0, 335.0],
            "kinds": ["klage;vejledning", "intern", "klage;vejledning"],
            "source_line": [11, 11, 136],
        }
    )
    total = published._one_total(rows)
    assert total is not None and total["value"] == 385


def test_kommuner_page_table_is_danish(sample_app) -> None:
    at = sample_app("kommune=510&periode=510-2024").run()
    at.switch_page("views/kommuner.py").run()
    assert not at.exception
    table = at.dataframe[0].value
    assert list(table.columns[:4]) == ["Kommune", "Periode", "Måneder", "Henvendelser"]
    assert not table.duplicated(subset=["Kommune", "Periode"]).any()
    text = table.astype(str).to_numpy().ravel().tolist()
    assert "None" not in text and "nan" not in text
    assert not any(t.endswith(".txt") or ".txt," in t for t in text)  # no file hashes
    haderslev = table[(table["Kommune"] == "Haderslev") & (table["Periode"] == "2024")]
    assert haderslev["Henvendelser"].tolist() == ["385"]
    assert haderslev["Pr. måned"].tolist() == ["32,1"]  # Danish decimal comma
    assert haderslev["Kilde"].tolist() == ["Beretning 2024, linje 134"]


# --- key-figure arrows: a fall points down, no change has no arrow, colour only where clear
@pytest.mark.parametrize(
    ("delta", "unit", "better", "text", "arrow", "color"),
    [
        (-4, "count", "lower", "−4", "down", "green"),  # Haderslev 2025: fewer complaints
        (4, "count", "lower", "+4", "up", "red"),  # more complaints: bad
        (12, "count", None, "+12", "up", "gray"),  # more inquiries: neither good nor bad
        (-12, "count", None, "−12", "down", "gray"),
        (0, "count", "lower", "±0", "off", "gray"),
        (-3.1, "percent", "lower", "−3,1 pct.-point", "down", "green"),
        (0.04, "percent", "lower", "±0 pct.-point", "off", "gray"),  # rounds to zero: no arrow
    ],
)
def test_metric_delta(delta, unit, better, text, arrow, color) -> None:
    from data_model.display import metric_delta

    shown = metric_delta(delta, unit, better)
    assert shown is not None and (shown.text, shown.arrow, shown.color) == (text, arrow, color)


# --- colour is never the only carrier of good/bad (issue 18): the words say it too
@pytest.mark.parametrize(
    ("delta", "unit", "better", "shown"),
    [
        (-4, "count", "lower", "−4 (bedre)"),  # fewer complaints
        (4, "count", "lower", "+4 (værre)"),  # more complaints
        (2, "count", "higher", "+2 (bedre)"),
        (-2, "count", "higher", "−2 (værre)"),
        (12, "count", None, "+12"),  # more inquiries: neutral, no word
        (-12, "count", None, "−12"),
        (0, "count", "lower", "±0"),  # no change: nothing to judge
        (0.04, "percent", "lower", "±0 pct.-point"),
        (-3.1, "percent", "lower", "−3,1 pct.-point (bedre)"),
    ],
)
def test_metric_delta_says_better_or_worse(delta, unit, better, shown) -> None:
    from data_model.display import metric_delta

    result = metric_delta(delta, unit, better)
    assert result is not None and result.shown == shown
    assert (result.word != "") == (result.color != "gray")  # a colour always comes with a word


def test_overblik_metric_says_better_or_worse(sample_app) -> None:
    at = sample_app("kommune=510&periode=510-2025").run()
    assert not at.exception
    judged = [m for m in at.metric if m.proto.color != m.proto.MetricColor.GRAY and m.delta]
    assert judged, "expected at least one coloured key figure"
    for metric in judged:
        assert metric.delta.endswith(("(bedre)", "(værre)")), (metric.label, metric.delta)
    henvendelser = next(m for m in at.metric if m.label == "Henvendelser")
    assert "bedre" not in (henvendelser.delta or "") and "værre" not in (henvendelser.delta or "")


@pytest.mark.parametrize("period", ["510-2025", "510-2020", "165-2024", "157-2024", "766-2024"])
def test_overblik_arrows_follow_the_sign(sample_app, period: str) -> None:
    from streamlit.proto.Metric_pb2 import Metric as MetricProto

    municipality = period.split("-")[0]
    at = sample_app(f"kommune={municipality}&periode={period}").run()
    assert not at.exception
    seen = 0
    for metric in at.metric:
        delta = metric.delta or ""
        direction = metric.proto.direction
        if not delta:
            continue
        seen += 1
        if delta.startswith("−"):
            assert direction == MetricProto.MetricDirection.DOWN, (metric.label, delta)
        elif delta.startswith("±"):
            assert direction == MetricProto.MetricDirection.NONE, (metric.label, delta)
            assert metric.proto.color == MetricProto.MetricColor.GRAY
        else:
            assert delta.startswith("+") and direction == MetricProto.MetricDirection.UP, (
                metric.label,
                delta,
            )
        if metric.label == "Henvendelser":
            assert metric.proto.color == MetricProto.MetricColor.GRAY
        if metric.label == "Klager" and delta.startswith("+"):
            assert metric.proto.color == MetricProto.MetricColor.RED
        if metric.label == "Klager" and delta.startswith("−"):
            assert metric.proto.color == MetricProto.MetricColor.GREEN
    assert seen


# --- recommendation status: the least advanced of the departments' latest answers
def test_albertslund_recommendation_is_i_gang_while_two_departments_are(sample_db) -> None:
    from datetime import date

    from queries import recommendations
    from queries.filters import Filters

    status = recommendations.recommendation_status(
        sample_db, Filters(municipalities=("165",)), date(2026, 11, 24)
    )
    row = status.filter(pl.col("title") == "Opfølgning og rettidige tilbagemeldinger").row(0, named=True)
    assert row["status"] == "I gang" and not row["closed"]
    per_department = recommendations.department_statuses(sample_db, row["recommendation_id"])
    assert per_department.height == 6
    assert sorted(per_department.filter(pl.col("status") == "I gang")["department"]) == [
        "Dagtilbud & Skole",
        "Miljø & Teknik",
    ]


@pytest.mark.parametrize("order", [("i_gang", "implementeret"), ("implementeret", "i_gang")])
def test_status_does_not_depend_on_storage_order(query_db, order: tuple[str, str]) -> None:
    """Two departments answer on the same date; whichever row is stored first, one still open
    keeps the recommendation open."""
    from datetime import date

    from queries import recommendations
    from queries.filters import Filters

    query_db.execute("DELETE FROM follow_up WHERE recommendation_id = 'r3'")
    for number, (status, unit) in enumerate(
        zip(order, ("Social og Sundhed", "Teknik og Miljø"), strict=True)
    ):
        query_db.execute(
            "INSERT INTO follow_up VALUES (?, 'r3', DATE '2025-06-01', ?, ?, NULL)",
            [f"t{number}", status, f"{unit}: svar"],
        )
    # an older answer from the first department does not count: its latest does
    query_db.execute(
        "INSERT INTO follow_up VALUES ('t9', 'r3', DATE '2025-01-01', 'ikke_paabegyndt', 'Social og Sundhed: ...', NULL)"
    )
    status = recommendations.recommendation_status(
        query_db, Filters(municipalities=("999",)), date(2026, 11, 24)
    )
    row = status.filter(pl.col("recommendation_id") == "r3").row(0, named=True)
    assert (row["status"], row["status_date"], row["follow_ups"]) == ("I gang", date(2025, 6, 1), 3)
    per_department = recommendations.department_statuses(query_db, "r3")
    assert dict(zip(per_department["department"], per_department["status"], strict=True)) == {
        "Social og Sundhed": "I gang" if order[0] == "i_gang" else "Implementeret",
        "Teknik og Miljø": "Implementeret" if order[0] == "i_gang" else "I gang",
    }


def test_anbefalinger_shows_status_per_department(sample_app) -> None:
    at = sample_app("kommune=165&periode=165-2024").run()
    at.switch_page("views/anbefalinger.py").run()
    assert not at.exception
    titles = at.selectbox(key="recommendation")
    rec = next(o for o in titles.options if o)
    at.selectbox(key="recommendation").set_value("165-2023-r01").run()
    assert not at.exception, rec
    tables = [d.value for d in at.dataframe]
    per_department = next(t for t in tables if "Forvaltning" in t.columns and "Status" in t.columns)
    assert sorted(per_department[per_department["Status"] == "I gang"]["Forvaltning"]) == [
        "Dagtilbud & Skole",
        "Miljø & Teknik",
    ]
    main = tables[0]
    assert "status_order" not in main.columns
    assert main[main["Anbefaling"] == "Opfølgning og rettidige tilbagemeldinger"]["Status"].tolist() == [
        "I gang"
    ]


# --- Klageandel: the base is the citizen inquiries, as the reports count it
# municipality, period, its label, complaints, citizen inquiries (the printed base) or None (no share)
SHARES = [
    ("510", "510-2024", "2024", 182, 335),  # Haderslev: 335 borgerhenvendelser + 50 interne = 385
    ("766", "766-2024", "2024", 36, 257),  # Hedensted
    ("165", "165-2024", "2024/25", 162, None),  # Albertslund registers complaints only: no share
]


@pytest.mark.parametrize(("municipality", "period", "label", "complaints", "base"), SHARES)
def test_complaint_share_base_is_citizen_inquiries(
    sample_db, municipality, period, label, complaints, base
) -> None:
    from queries import inquiries
    from queries.filters import Filters
    from queries.periods import resolve_span

    f = Filters(municipalities=(municipality,), period_id=period)
    figures = {k.label: k for k in inquiries.inquiry_key_figures(sample_db, f, resolve_span(sample_db, f))}
    assert figures["Klager"].value == complaints
    share = figures["Klageandel"]
    if base is None:
        assert share.value is None
    else:
        assert share.n == base and share.value == pytest.approx(complaints / base * 100)
    trend = inquiries.complaint_share_trend(sample_db, f.with_(grain="period", period_id=None), None)
    this = trend.filter(pl.col("bucket_label") == label)
    assert this.height == 1
    if base is None:
        assert trend["share"].is_null().all()
    else:
        assert this["citizen_inquiries"][0] == base and this["share"][0] == pytest.approx(complaints / base)


def test_overblik_share_subtitle_and_no_share_for_albertslund(sample_app) -> None:
    at = sample_app("kommune=510&periode=510-2024").run()
    assert not at.exception
    metrics = {m.label: m for m in at.metric}
    assert metrics["Klageandel"].value == "54 %"
    assert "n = 335" in (metrics["Klageandel"].help or "")
    at = sample_app("kommune=165&periode=165-2024").run()
    assert not at.exception
    assert "Klageandel" not in {m.label for m in at.metric}
    assert any("registreret som klager" in c.value for c in at.caption)


def test_unit_bars_have_no_empty_legend_entry() -> None:
    frame = pl.DataFrame(
        {
            "department": ["A", "B"],
            "unit": ["a", "b"],
            "inquiries": [3, 2],
            "complaints": [3, 2],
            "complaint_share": [1.0, 1.0],
        }
    )
    spec = builders.unit_bars(frame, ChartMeta("t", "s", "k")).to_dict()
    text = str(spec)
    assert "Øvrige henvendelser" not in text
    frame = frame.with_columns(pl.Series("inquiries", [4, 2]))
    assert "Øvrige henvendelser" in str(builders.unit_bars(frame, ChartMeta("t", "s", "k")).to_dict())


# --- Ankestyrelsen: the Danmarkskort follows the period, every law area with figures is a choice
@pytest.mark.parametrize(
    ("municipality", "period", "year"),
    [
        ("510", "510-2024", 2024),
        ("157", "157-2023", 2023),
        ("165", "165-2024", 2024),
        ("766", "766-2024", 2024),
    ],
)
def test_ankestyrelsen_follows_the_period(sample_app, municipality: str, period: str, year: int) -> None:
    at = sample_app(f"kommune={municipality}&periode={period}").run()
    at.switch_page("views/ankestyrelsen.py").run()
    assert not at.exception
    assert any(m.value.startswith("Viser: Tæller afgørelser") for m in at.markdown)
    sentence = next(m.value for m in at.markdown if "Danmarkskortet" in m.value)
    assert f"**Danmarkskortet {year}**" in sentence and "2025" not in sentence
    assert "blandt de 5 kommuner, hvis tal er indlæst" in sentence
    assert "Landstal (Danmarkskort, indbyggertal)" in sentence  # how to load the national figures
    assert any(c.value.replace("\\", "").startswith("Kilde: Ankestyrelsen") for c in at.caption)  # escaped


def test_danmarkskort_png_credits_ankestyrelsen(sample_app) -> None:
    at = sample_app("kommune=510&periode=510-2024").run()
    at.switch_page("views/ankestyrelsen.py").run()
    spec = str(json.loads(at.get("vega_lite_chart")[0].proto.spec))  # the first figure: the Danmarkskort
    assert "Kilde: Ankestyrelsen" in spec and "2019–2024" in spec


def test_law_area_choice_holds_beskaeftigelse(sample_db, sample_app) -> None:
    from queries import appeals

    assert "beskaeftigelse" in appeals.law_area_choices(sample_db, "165")
    at = sample_app("kommune=165&periode=165-2024").run()
    at.switch_page("views/ankestyrelsen.py").run()
    assert "Beskæftigelse" in at.selectbox(key="law_area").options
    at.selectbox(key="law_area").set_value("beskaeftigelse").run()
    assert not at.exception
    sentence = next(m.value for m in at.markdown if "Danmarkskort" in m.value)
    assert "**22 af 64**" in sentence  # the report: 22 of Albertslund's 64 decisions


def test_danmarkskort_year_of_a_period() -> None:
    from datetime import date

    from queries.appeals import danmarkskort_year

    assert danmarkskort_year(date(2024, 12, 31)) == 2024
    assert danmarkskort_year(date(2025, 3, 31)) == 2024  # Albertslund 2024/25
