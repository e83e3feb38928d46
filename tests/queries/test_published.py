"""queries/published.py: each report's headline totals, from the figures the reports published."""

from __future__ import annotations

from pathlib import Path

import duckdb
import polars as pl
import pytest

from bench import national_data
from data_model.db import connect
from data_model.importer import import_file
from queries import published
from tests.conftest import TODAY, write

COLUMNS = "figure_id,municipality_code,period_id,table_name,measure,label,value,value_unit,unit_id,kind_code,source_file,source_line"
# 2024: the total printed twice (counts once, at its first line), plus figures that are not a
# headline total (a unit's count, a percentage). 2025: the total printed only as two disjoint
# parts by kind, summed; complaints as a part and the row covering both kinds (that row is the
# total). Complaint points 2025: overlapping parts and no row covering them all: no total.
FIGURES = f"""{COLUMNS}
f1,999,999-2024,forord,inquiries,Henvendelser,5,count,,,rapport.txt,40
f2,999,999-2024,tabel1,inquiries,I alt,5,count,,,rapport.txt,10
f3,999,999-2024,tabel2,inquiries,Teknik og Miljø,2,count,999-tek,,rapport.txt,12
f4,999,999-2024,tabel1,complaints,Klageandel,75,percent,,,rapport.txt,11
f5,999,999-2024,tabel1,complaints,Klager,3,count,,klage,rapport.txt,13
f6,999,999-2025,tabel1,inquiries,Klager,2,count,,klage,rapport.txt,20
f7,999,999-2025,tabel1,inquiries,Øvrige,4,count,,vejledning;intern,rapport.txt,21
f8,999,999-2025,tabel1,complaints,Klager,2,count,,klage,rapport.txt,22
f9,999,999-2025,tabel1,complaints,Klager og vejledning,5,count,,klage;vejledning,rapport.txt,23
f10,999,999-2025,tabel3,complaint_points,Klager,2,count,,klage,rapport.txt,30
f11,999,999-2025,tabel3,complaint_points,Klager og interne,3,count,,klage;intern,rapport.txt,31
f12,999,999-2025,tabel3,complaint_points,Vejledning,1,count,,vejledning,rapport.txt,32
"""


@pytest.fixture
def published_db(query_db: duckdb.DuckDBPyConnection, tmp_path: Path) -> duckdb.DuckDBPyConnection:
    for kind, text in [
        ("published_figures", FIGURES),
        ("populations", "municipality_code,year,population\n999,2024,50000\n"),
    ]:
        report = import_file(query_db, write(tmp_path / f"{kind}.csv", text), kind, today=TODAY)
        assert report.ok, report.problems
    return query_db


def test_published_totals_empty_without_figures(query_db: duckdb.DuckDBPyConnection) -> None:
    assert published.published_totals(query_db).height == 0


def test_published_totals_one_row_per_report_and_measure(published_db: duckdb.DuckDBPyConnection) -> None:
    frame = published.published_totals(published_db)
    assert frame.select("municipality", "period", "measure", "value", "kinds", "source_line").rows() == [
        ("Testkommune", "2024", "inquiries", 5, None, 10),
        ("Testkommune", "2025", "inquiries", 6, "intern;klage;vejledning", 20),
        ("Testkommune", "2024", "complaints", 3, "klage", 13),
        ("Testkommune", "2025", "complaints", 5, "klage;vejledning", 23),
    ]
    assert frame["measure_label"].to_list() == ["Henvendelser", "Henvendelser", "Klager", "Klager"]
    # the report file is named by the latest period its figures cover
    assert frame["source"].to_list()[:2] == ["Beretning 2025, linje 10", "Beretning 2025, linje 20"]
    assert frame["per_1000"].to_list()[0] == pytest.approx(0.1)  # 5 per 50,000 inhabitants
    assert frame["per_1000"].to_list()[1] is None  # no population for 2025


def test_published_totals_for_chosen_municipalities(published_db: duckdb.DuckDBPyConnection) -> None:
    assert published.published_totals(published_db, ["999"]).height == 4
    assert published.published_totals(published_db, ["998"]).height == 0


def _totals_group_by_group(con: duckdb.DuckDBPyConnection) -> pl.DataFrame:
    """The algorithm before issue 19 vectorised it: ``_one_total`` over every group in turn."""
    rows = published._total_rows(con, None)
    totals = [
        total
        for _key, group in rows.group_by(["measure", "municipality", "period"], maintain_order=True)
        if (total := published._one_total(group)) is not None
    ]
    frame = pl.DataFrame(totals, schema={**rows.schema, "parts": pl.Int64}) if totals else rows.clear()
    return published._finish(con, frame)


def test_published_totals_as_group_by_group_on_the_fixture(published_db: duckdb.DuckDBPyConnection) -> None:
    expected = _totals_group_by_group(published_db)
    assert published.published_totals(published_db).equals(expected)


def test_published_totals_as_group_by_group_on_the_sample(sample_db: duckdb.DuckDBPyConnection) -> None:
    """The real reports: Haderslev's totals split by kind take the slow path, the rest the fast."""
    expected = _totals_group_by_group(sample_db)
    assert expected.height > 0
    assert published.published_totals(sample_db).equals(expected)


def test_published_totals_as_group_by_group_on_a_national_database(tmp_path: Path) -> None:
    db = tmp_path / "national.duckdb"
    national_data.build(db, quiet=True, inquiries=20_000)
    con = connect(db)
    try:
        expected = _totals_group_by_group(con)
        assert expected.height > 1000
        assert published.published_totals(con).equals(expected)
    finally:
        con.close()
