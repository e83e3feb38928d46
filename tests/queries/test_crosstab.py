"""The cross-table query on the small hand-made database (tests/query_fixture.py), counted by eye.

2024 in municipality 999: i1, i2 complaints at 999-sos-born; i3 guidance and i4 a complaint at
999-tek; i5 internal at 999-sos. Points: i1 begrundelse + sagsbehandlingstid, i2 partshøring,
i4 sagsbehandlingstid. Decisions 2024: d1-d5, remarks on d2 (two), d3, d5.
"""

from __future__ import annotations

import duckdb
import polars as pl
import pytest

from queries.crosstab import (
    DIMENSIONS,
    MEASURES,
    TOTAL,
    CrossSpec,
    cell,
    crosstab,
    dimensions_for,
    make_restrict,
    period_words,
    title_words,
    unit_at_level,
    wide,
)
from queries.filters import Filters

F2024 = Filters(municipalities=("999",), period_id="999-2024")


def table(con: duckdb.DuckDBPyConnection, f: Filters = F2024, **spec: object) -> pl.DataFrame:
    return crosstab(con, f, CrossSpec(**spec))  # type: ignore[arg-type]


def test_every_dimension_is_in_one_table_with_words_and_sql() -> None:
    for dimension in DIMENSIONS:
        assert dimension.words and dimension.words[0].isupper()
        assert dimension.inquiry or dimension.decision
    assert set(dimensions_for("inquiries")) >= {
        "unit",
        "sector",
        "theme",
        "main_theme",
        "kind",
        "channel",
        "period",
    }
    assert set(dimensions_for("appeal_decisions")) == {
        "unit",
        "sector",
        "law_area",
        "appeal_outcome",
        "remark",
        "period",
    }
    assert set(MEASURES) == {
        "inquiries",
        "complaints",
        "complaint_points",
        "appeal_decisions",
        "appeal_remarks",
    }


def test_units_at_forvaltning_level_with_both_margins(query_db: duckdb.DuckDBPyConnection) -> None:
    frame = table(query_db, rows="unit", columns="kind", level="forvaltning")
    assert cell(frame, "999-sos") == 3
    assert cell(frame, "999-tek") == 2
    assert cell(frame, "999-sos", "klage") == 2
    assert cell(frame, "999-sos", "intern") == 1
    assert cell(frame, "999-tek", "intern") == 0  # an empty combination is a zero, not missing
    assert cell(frame, None, "klage") == 3
    assert cell(frame) == 5
    assert frame.filter(pl.col("row_total") & pl.col("col_total"))["row_label"].to_list() == [TOTAL]


def test_a_unit_rolls_up_to_its_level(query_db: duckdb.DuckDBPyConnection) -> None:
    levels = unit_at_level(query_db, "afdeling")
    assert levels["999-sos-born"] == "999-sos-born"
    assert levels["999-sos"] == "999-sos"  # above the level: itself (its own inquiries)
    assert unit_at_level(query_db, "forvaltning")["999-sos-born"] == "999-sos"
    # a forvaltning without områder shows its afdelinger at område level
    assert unit_at_level(query_db, "omraade")["999-sos-born"] == "999-sos-born"
    frame = table(query_db, rows="unit", level="afdeling")
    assert cell(frame, "999-sos-born") == 2
    assert cell(frame, "999-sos") == 1
    assert cell(frame) == 5


def test_margins_are_counted_not_summed(query_db: duckdb.DuckDBPyConnection) -> None:
    """i1 has points in two main themes: one inquiry in each row, and once in the total."""
    frame = table(query_db, rows="main_theme", columns="unit", level="forvaltning")
    assert cell(frame, "forvaltningsloven") == 2  # i1, i2
    assert cell(frame, "forvaltningsskik") == 2  # i1, i4
    assert cell(frame) == 3  # i1, i2, i4
    assert cell(frame, None, "999-sos") == 2
    points = table(query_db, rows="main_theme", measure="complaint_points")
    assert (cell(points, "forvaltningsloven"), cell(points, "forvaltningsskik"), cell(points)) == (2, 2, 4)


def test_complaint_points_use_the_points_own_unit(query_db: duckdb.DuckDBPyConnection) -> None:
    f2025 = Filters(municipalities=("999",), period_id="999-2025")
    points = crosstab(query_db, f2025, CrossSpec(rows="unit", measure="complaint_points", level="afdeling"))
    # p7 belongs to j5 (999-tek) but names 999-sos-born itself
    assert cell(points, "999-sos-born") == 2
    assert cell(points, "999-tek") == 1
    inquiries = crosstab(query_db, f2025, CrossSpec(rows="unit", level="afdeling"))
    assert cell(inquiries, "999-tek") == 3


def test_complaints_count_inquiries_of_a_complaint_kind(query_db: duckdb.DuckDBPyConnection) -> None:
    frame = table(query_db, rows="outcome", measure="complaints")
    assert cell(frame) == 3
    assert cell(frame, "genoptaget") == 1
    assert cell(frame, "henstilling") == 1


def test_shares_of_row_and_column(query_db: duckdb.DuckDBPyConnection) -> None:
    frame = table(query_db, rows="unit", columns="kind", share="row")
    sos = frame.filter((pl.col("row_code") == "999-sos") & (pl.col("col_code") == "klage"))
    assert sos["share"][0] == pytest.approx(2 / 3)
    assert frame.filter(pl.col("col_total"))["share"].to_list() == [1.0, 1.0, 1.0]
    frame = table(query_db, rows="unit", columns="kind", share="column")
    klage = frame.filter((pl.col("row_code") == "999-tek") & (pl.col("col_code") == "klage"))
    assert klage["share"][0] == pytest.approx(1 / 3)


def test_small_numbers_are_marked_and_suppressed(query_db: duckdb.DuckDBPyConnection) -> None:
    frame = table(query_db, rows="unit", columns="kind")
    assert frame.filter(pl.col("row_total") & pl.col("col_total"))["small"][0] is False
    assert frame.filter(pl.col("row_code") == "999-tek", pl.col("col_total"))["small"][0] is True
    hidden = table(query_db, rows="unit", columns="kind", threshold=3, share="row")
    assert cell(hidden, "999-tek") is None  # 2 < 3
    assert cell(hidden, "999-sos") == 3
    assert cell(hidden, "999-tek", "intern") == 0  # zero reveals nobody
    assert hidden.filter(pl.col("suppressed"))["share"].null_count() == hidden["suppressed"].sum()


def test_decisions_and_remarks(query_db: duckdb.DuckDBPyConnection) -> None:
    decisions = table(query_db, rows="unit", columns="appeal_outcome", measure="appeal_decisions")
    assert cell(decisions) == 5
    assert cell(decisions, "999-sos", "hjemvist") == 1
    assert cell(decisions, "999-tek", "afvist") == 1
    remarks = table(query_db, rows="remark", measure="appeal_remarks")
    assert (cell(remarks, "begrundelse"), cell(remarks, "oplysning"), cell(remarks)) == (2, 1, 4)
    by_remark = table(query_db, rows="remark", measure="appeal_decisions")
    assert cell(by_remark, "begrundelse") == 2
    assert cell(by_remark, None) == 5  # decisions without remarks are still decisions
    assert by_remark.filter(pl.col("row_code").is_null() & ~pl.col("row_total"))["count"][0] == 2
    with_remark = table(
        query_db, rows="law_area", measure="appeal_decisions", restrict=make_restrict(remark=["begrundelse"])
    )
    assert cell(with_remark) == 2


def test_restrictions_narrow_the_table(query_db: duckdb.DuckDBPyConnection) -> None:
    frame = table(query_db, rows="unit", restrict=make_restrict(kind=["klage", "vejledning"]))
    assert cell(frame) == 4
    under = table(query_db, rows="kind", restrict=make_restrict(unit=["999-sos"]))
    assert cell(under) == 3  # a unit includes the units under it
    theme = table(query_db, rows="unit", restrict=make_restrict(theme=["forvaltningsloven"]))
    assert cell(theme) == 2  # a main theme includes its sub-themes


def test_shared_filters_apply(query_db: duckdb.DuckDBPyConnection) -> None:
    f = F2024.with_(kinds=("klage",), sectors=("boern_familie",))
    assert cell(crosstab(query_db, f, CrossSpec(rows="unit"))) == 2
    f = F2024.with_(main_theme="forvaltningsskik")
    assert cell(crosstab(query_db, f, CrossSpec(rows="unit"))) == 2


def test_period_rows_span_the_last_periods(query_db: duckdb.DuckDBPyConnection) -> None:
    f = Filters(municipalities=("999",), period_id="999-2025")
    frame = crosstab(query_db, f, CrossSpec(rows="period", columns="kind"))
    assert cell(frame, "999-2024") == 5
    assert cell(frame, "999-2025") == 6
    assert cell(frame, "999-2025", "klage") == 2
    assert frame.filter(~pl.col("row_total"))["row_label"].unique(maintain_order=True).to_list() == [
        "2024",
        "2025",
    ]


def test_empty_rows_on_request(query_db: duckdb.DuckDBPyConnection) -> None:
    plain = table(query_db, rows="outcome", measure="complaints")
    full = table(query_db, rows="outcome", measure="complaints", empty=True)
    assert (
        full.filter(~pl.col("row_total"))["row_code"].n_unique() > plain.filter(~pl.col("row_total")).height
    )
    assert cell(full, "uden_for_kompetence") == 0
    assert cell(full) == cell(plain)


def test_nothing_counted_gives_a_zero_total(query_db: duckdb.DuckDBPyConnection) -> None:
    f = Filters(municipalities=("998",), period_id=None, date_from=None)
    frame = crosstab(query_db, f.with_(kinds=("egen_drift",)), CrossSpec(rows="unit"))
    assert cell(frame) == 0


def test_codes_are_parameters_not_sql(query_db: duckdb.DuckDBPyConnection) -> None:
    evil = "x'); DROP TABLE inquiry; --"
    frame = table(query_db, rows="unit", restrict=make_restrict(kind=[evil], unit=[evil]))
    assert cell(frame) == 0
    assert query_db.execute("SELECT count(*) FROM inquiry").fetchall()[0][0] > 0


@pytest.mark.parametrize(
    "spec",
    [
        {"rows": "theme", "measure": "appeal_decisions"},
        {"rows": "law_area", "measure": "inquiries"},
        {"rows": "unit", "columns": "unit"},
        {"rows": "unit", "level": "kontor"},
        {"rows": "unit", "measure": "personer"},
        {"rows": "unit", "threshold": 1},
        {"rows": "unit", "restrict": (("remark", ("begrundelse",)),)},
        {"rows": None},
        {"rows": "unit", "threshold": "5"},
        {"rows": "period", "periods": 0},
    ],
)
def test_impossible_specs_are_refused_in_danish(spec: dict[str, object]) -> None:
    with pytest.raises(ValueError) as info:
        CrossSpec(**spec)  # type: ignore[arg-type]
    assert str(info.value)[0].isupper()


def test_spec_round_trips_through_json() -> None:
    spec = CrossSpec(
        rows="main_theme",
        columns="unit",
        measure="complaints",
        level="omraade",
        share="column",
        threshold=5,
        restrict=make_restrict(unit=["999-sos"], kind=["klage"]),
        empty=True,
    )
    assert CrossSpec.from_dict(spec.to_dict()) == spec
    assert title_words(spec) == "Klager pr. tema og område"
    assert CrossSpec(rows="unit", share="column").share is None  # no columns, no column share
    with pytest.raises(ValueError, match="liste"):
        CrossSpec.from_dict({"rows": "unit", "restrict": {"kind": "klage"}})


def test_wide_table_reads_like_the_report(query_db: duckdb.DuckDBPyConnection) -> None:
    spec = CrossSpec(rows="unit", columns="kind")
    shown = wide(table(query_db, rows="unit", columns="kind"), spec)
    assert shown.columns[0] == "Forvaltning"
    assert shown.columns[-1] == TOTAL
    assert shown[shown.columns[0]].to_list()[-1] == TOTAL
    assert shown.filter(pl.col("Forvaltning") == TOTAL)[TOTAL][0] == 5
    one = CrossSpec(rows="kind")
    assert wide(table(query_db, rows="kind"), one).columns == ["Henvendelsestype", "Henvendelser"]


def test_a_split_by_period_says_how_far_back_it_reaches() -> None:
    assert (
        period_words(CrossSpec(rows="period", periods=2), "2025")
        == "de seneste 2 beretningsperioder til og med 2025"
    )
    assert period_words(CrossSpec(rows="unit"), "2025") == "2025"


def test_downloads_are_danish_with_shares_in_percent(query_db: duckdb.DuckDBPyConnection) -> None:
    from data_model.display import display_frame
    from data_model.export import frame_to_csv

    spec = CrossSpec(rows="unit", columns="kind", share="row")
    text = frame_to_csv(display_frame(wide(crosstab(query_db, F2024, spec), spec, with_share=True)))
    lines = text.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("Forvaltning;Klage;Klage (andel, %)")
    sos = next(line for line in lines if line.startswith("Social og Sundhed;"))
    assert sos.split(";")[1:3] == ["2", "66,7"]
