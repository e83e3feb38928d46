"""Kommuner chart (issue 18): value labels never overlap, however many rows a municipality has."""

from __future__ import annotations

import polars as pl

from charts import builders
from charts.theme import ChartMeta

META = ChartMeta("Henvendelser i beretningerne", "Publicerede tal", "Kilde: beretningerne")


def _frame(rows: list[tuple[str, str, int, str]]) -> pl.DataFrame:
    return pl.DataFrame(
        rows, schema=["municipality", "period", "value", "source"], orient="row"
    ).with_columns(pl.lit(None, pl.Float64).alias("per_1000"))


def _marks(spec: dict) -> list[str]:
    found: list[str] = []

    def walk(node: object) -> None:
        if isinstance(node, dict):
            mark = node.get("mark")
            if mark is not None:
                found.append(mark if isinstance(mark, str) else mark.get("type"))
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(spec)
    return found


def _labels(spec: dict) -> list[str]:
    return [
        row["label"]
        for data in spec.get("datasets", {}).values()
        for row in data
        if isinstance(row, dict) and "municipality" in row
    ]


def test_few_rows_keep_their_value_labels() -> None:
    frame = _frame([("Hedensted", "2023", 115, "B 2024, l. 88"), ("Hedensted", "2024", 257, "B 2024, l. 87")])
    spec = builders.benchmark_bars(frame, META, value_title="Henvendelser").to_dict()
    assert _marks(spec).count("bar") == 1 and "text" in _marks(spec)  # text also holds the source line
    assert sorted(_labels(spec)) == ["Hedensted 2023", "Hedensted 2024"]


def test_same_period_twice_gets_two_bands() -> None:
    """Two reports printing the same municipality and period: two bars, never drawn over each other."""
    frame = _frame(
        [
            ("Hedensted", "2023", 115, "Beretning 2023, linje 5"),
            ("Hedensted", "2023", 117, "Beretning 2024, linje 88"),
        ]
    )
    labels = _labels(builders.benchmark_bars(frame, META, value_title="Henvendelser").to_dict())
    assert len(set(labels)) == 2 and all("Beretning" in label for label in labels)


def test_many_rows_drop_value_labels_that_would_overlap() -> None:
    few = builders.benchmark_bars(
        _frame([("Kommune", str(2000 + i), i, "x") for i in range(5)]), META, value_title="Henvendelser"
    ).to_dict()
    many = builders.benchmark_bars(
        _frame([("Kommune", str(1980 + i), i, "x") for i in range(60)]), META, value_title="Henvendelser"
    ).to_dict()
    assert _marks(many).count("text") == _marks(few).count("text") - 1  # only the value labels go
    assert builders.labels_fit(170, 5) and not builders.labels_fit(900, 60)
