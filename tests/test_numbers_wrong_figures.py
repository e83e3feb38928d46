"""Figures the dashboard draws, checked against the printed reports (issue 13, "Wrong figures").

Run on the bundled sample data; every expected number is printed in /work/shared/reports
(Haderslev 000, Hedensted 001, Albertslund 002, Gentofte 004).
"""

from __future__ import annotations

import polars as pl
import pytest

from charts import builders
from charts.theme import ChartMeta
from queries import benchmark
from tests.sample_fixture import *  # noqa: F403 (fixtures: sample_db, sample_app)

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
    totals = benchmark.published_totals(sample_db)
    rows = totals.filter(
        (pl.col("municipality") == municipality)
        & (pl.col("period") == period)
        & (pl.col("measure") == measure)
    )
    assert rows["value"].to_list() == [printed]
    assert rows["source"][0].startswith("Beretning ") and ", linje " in rows["source"][0]


def test_kommuner_chart_draws_each_total_once(sample_db) -> None:
    totals = benchmark.published_totals(sample_db)
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
    total = benchmark._one_total(rows)
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
