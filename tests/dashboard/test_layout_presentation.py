"""Presentation mode (issue 18): a long unit chart shows the largest units, the table all."""

from __future__ import annotations

import json

import altair as alt
import polars as pl

from dashboard.layout import PRESENTATION_ROWS, Figure, presented_chart


def _figure(rows: int) -> Figure:
    data = pl.DataFrame({"label": [f"Enhed {i}" for i in range(rows)], "count": list(range(rows))})

    def bars(frame: pl.DataFrame) -> alt.Chart:
        return alt.Chart(frame).mark_bar().encode(y="label:N", x="count:Q")

    largest = lambda n: bars(data.sort("count", descending=True).head(n))  # noqa: E731
    return Figure("enheder", "Henvendelser pr. enhed", bars(data), data, largest=largest)


def test_screen_shows_every_row() -> None:
    figure = _figure(30)
    chart, note = presented_chart(figure, presenting=False)
    assert chart is figure.chart and note is None


def test_presentation_shows_the_largest_and_says_so() -> None:
    chart, note = presented_chart(_figure(30), presenting=True)
    shown = chart.to_dict()["data"]["values"] if "values" in chart.to_dict().get("data", {}) else None
    rows = shown or next(iter(chart.to_dict()["datasets"].values()))
    assert len(rows) == PRESENTATION_ROWS
    assert {r["label"] for r in rows} == {f"Enhed {i}" for i in range(30 - PRESENTATION_ROWS, 30)}
    assert note == f"Viser de {PRESENTATION_ROWS} største af 30; hele listen er i tabellen."


def test_short_lists_are_never_cut() -> None:
    figure = _figure(PRESENTATION_ROWS)
    assert presented_chart(figure, presenting=True) == (figure.chart, None)
    plain = Figure("x", "x", figure.chart, _figure(30).data)  # no largest(): drawn whole
    assert presented_chart(plain, presenting=True) == (plain.chart, None)


def test_overblik_presentation_cuts_the_unit_chart(sample_app) -> None:
    at = sample_app("kommune=510&periode=510-2025&visning=praesentation").run()
    assert not at.exception
    assert at.session_state["figur"] == "enheder"
    units = at.dataframe[0].value if at.dataframe else at.table[0].value
    description = json.loads(at.get("vega_lite_chart")[0].proto.spec)["description"]
    assert len(units) > PRESENTATION_ROWS, "the sample has more units than a meeting screen shows"
    assert f"for {PRESENTATION_ROWS} enheder" in description
    assert f"Viser de {PRESENTATION_ROWS} største af {len(units)}; hele listen er i tabellen." in [
        c.value for c in at.caption
    ]
    screen = sample_app("kommune=510&periode=510-2025").run()
    screen_description = json.loads(screen.get("vega_lite_chart")[0].proto.spec)["description"]
    assert f"for {len(units)} enheder" in screen_description
    assert not any("største af" in c.value for c in screen.caption)
