"""National figures: the Danmarkskort and the population, so 'among 98' and per 1.000 are real (issue 15)."""

from __future__ import annotations

import io
from pathlib import Path

import duckdb
import openpyxl
import pytest

from data_model.__main__ import main
from data_model.importer import import_file
from data_model.national import import_national
from queries.appeals import danmarkskort
from queries.published import published_totals
from tests.conftest import ROOT, TODAY, db_path, open_app, write

EXAMPLES = ROOT / "sample_data" / "examples"


def test_example_danmarkskort_ranks_among_98_with_the_country_summed(
    small_db: duckdb.DuckDBPyConnection,
) -> None:
    report = import_national(small_db, EXAMPLES / "EKSEMPEL_danmarkskort.csv", "danmarkskort")
    assert report.ok, report.problems
    assert report.municipalities == 98 and report.years == [2023, 2024]
    assert any("hele landet" in note for note in report.notes)
    kort = danmarkskort(small_db, "510", "boern_handicap")
    assert kort["year"].to_list() == [2023, 2024] and kort["ranked_of"].to_list() == [98, 98]
    # the country is pooled from the 98 municipalities' counts, never an average of percentages
    sums = small_db.execute(
        "SELECT sum(decided_on_merits), sum(changed + sent_back) FROM appeal_statistic "
        "WHERE year = 2024 AND law_area_code = 'boern_handicap' AND municipality_code <> '000'"
    ).fetchall()[0]
    assert kort["country_n"][1] == sums[0]
    assert kort["country_pct"][1] == pytest.approx(100 * sums[1] / sums[0])
    # the file's percentage comes back from the stored counts
    assert kort["pct"][1] == pytest.approx(
        float(_example_value("Haderslev", "2024", "Børnehandicap")), abs=0.05
    )
    again = import_national(small_db, EXAMPLES / "EKSEMPEL_danmarkskort.csv", "danmarkskort")
    assert again.ok and [r.new for _, r in again.written] == [0]


def _example_value(name: str, year: str, area: str) -> str:
    for line in (EXAMPLES / "EKSEMPEL_danmarkskort.csv").read_text(encoding="utf-8").splitlines():
        cells = line.split(";")
        if cells[:3] == [name, year, area]:
            return cells[4].replace(",", ".")
    raise AssertionError("not in the example")


def _xlsx(rows: list[list[object]]) -> bytes:
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_counts_per_decision_type_with_a_country_row_from_xlsx(small_db: duckdb.DuckDBPyConnection) -> None:
    data = _xlsx(
        [
            ["Kommune", "År", "Lovområde", "Stadfæstet", "Ændret/ophævet", "Hjemvist", "Afvist/henvist"],
            ["510 Haderslev", 2024, "Voksenhandicapområdet", 30, 6, 4, 2],
            ["Hedensted Kommune", 2024, "Voksenhandicap", 20, 1, 1, 0],
            ["Hele landet", 2024, "Voksenhandicap", 3000, 500, 400, 100],
        ]
    )
    report = import_national(small_db, "ankeast.xlsx", "danmarkskort", data=data)
    assert report.ok, report.problems
    rows = small_db.execute(
        "SELECT municipality_code, decided_on_merits, changed, sent_back, rejected FROM appeal_statistic ORDER BY 1"
    ).fetchall()
    assert rows == [("000", 3900, 500, 400, 100), ("510", 40, 6, 4, 2), ("766", 22, 1, 1, 0)]
    kort = danmarkskort(small_db, "766", "voksen_handicap")
    assert (
        kort["rank"][0] == 1
        and kort["ranked_of"][0] == 2
        and kort["country_pct"][0] == pytest.approx(900 / 39)
    )


def test_excel_percent_cells_and_law_area_for_the_whole_file(small_db: duckdb.DuckDBPyConnection) -> None:
    data = _xlsx(
        [["Kommune", "Antal afgørelser", "Omgørelsesprocent"], ["Aarhus", 200, 0.325], ["Odense", 150, 0.2]]
    )
    report = import_national(
        small_db, "kort.xlsx", "danmarkskort", data=data, law_area="social_generelt", year=2024
    )
    assert report.ok, report.problems
    assert small_db.execute(
        "SELECT municipality_code, decided_on_merits, changed FROM appeal_statistic WHERE municipality_code <> '000' ORDER BY 1"
    ).fetchall() == [("461", 150, 30), ("751", 200, 65)]


def test_an_unknown_municipality_refuses_the_whole_file(
    small_db: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    path = write(
        tmp_path / "kort.csv",
        "Kommune;År;Lovområde;Antal afgørelser;Omgørelsesprocent\n"
        "Haderslev;2024;Børnehandicap;40;25,0\n"
        "Haderslv;2024;Børnehandicap;10;10,0\n",
    )
    report = import_national(small_db, path, "danmarkskort")
    assert not report.ok
    assert [(p.row, p.value) for p in report.problems] == [(3, "Haderslv")]
    assert "Haderslev" in report.problems[0].reason
    assert small_db.execute("SELECT count(*) FROM appeal_statistic").fetchall()[0][0] == 0
    assert small_db.execute("SELECT count(*) FROM municipality WHERE code = '510'").fetchall()[0][0] == 0


def test_population_per_1000_uses_the_imported_figures(
    small_db: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    report = import_national(small_db, EXAMPLES / "EKSEMPEL_indbyggertal.csv", "population")
    assert report.ok, report.problems
    assert report.municipalities == 98 and report.years == [2023, 2024]
    population = dict(
        small_db.execute("SELECT year, population FROM population WHERE municipality_code = '510'").fetchall()
    )
    lines = (EXAMPLES / "EKSEMPEL_indbyggertal.csv").read_text(encoding="utf-8").splitlines()
    line = next(text for text in lines if text.startswith("Haderslev;"))
    assert population == {2023: int(line.split(";")[1]), 2024: int(line.split(";")[2])}
    for kind, text in [
        (
            "report_periods",
            "period_id,municipality_code,label,start_date,end_date\n510-2024,510,2024,2024-01-01,2024-12-31\n",
        ),
        (
            "published_figures",
            "figure_id,municipality_code,period_id,table_name,measure,value,value_unit\nt-1,510,510-2024,total,inquiries,300,count\n",
        ),
    ]:
        assert import_file(small_db, write(tmp_path / f"{kind}.csv", text), kind, today=TODAY).ok
    totals = published_totals(small_db, ["510"])
    assert totals["per_1000"][0] == pytest.approx(1000 * 300 / population[2024])


def test_long_population_file_and_the_cli(
    small_db: duckdb.DuckDBPyConnection, tmp_path: Path, capsys
) -> None:
    db = str(db_path(small_db))
    small_db.close()
    path = write(
        tmp_path / "folk.csv",
        "Kommune;År;Indbyggere\nHaderslev;2024;55.000\nRegion Syddanmark;2024;1.200.000\n",
    )
    assert main(["national", str(path), "--kind", "population", "--db", db]) == 0
    assert "1 kommuner" in capsys.readouterr().out
    bad = write(tmp_path / "bad.csv", "Kommune;År;Indbyggere\nHaderslev;2024;mange\n")
    assert main(["national", str(bad), "--kind", "population", "--db", db]) == 1
    con = duckdb.connect(db)
    assert con.execute("SELECT population FROM population").fetchall() == [(55000,)]
    con.close()


def test_ankestyrelsen_page_shows_rank_among_98(
    small_db: duckdb.DuckDBPyConnection, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert import_national(small_db, EXAMPLES / "EKSEMPEL_danmarkskort.csv", "danmarkskort").ok
    at = open_app(small_db, monkeypatch, "kommune=510").run()
    at.switch_page("views/ankestyrelsen.py").run()
    assert not at.exception
    shown = [e.value for e in [*at.markdown, *at.caption, *at.info] if isinstance(e.value, str)]
    assert any("af alle 98 kommuner" in text for text in shown), shown


def test_a_mistyped_database_path_is_refused_not_created(tmp_path: Path, capsys) -> None:
    missing = tmp_path / "stavefejl.duckdb"
    sheet = EXAMPLES / "EKSEMPEL_registreringsark.csv"
    assert (
        main(
            [
                "national",
                str(EXAMPLES / "EKSEMPEL_indbyggertal.csv"),
                "--kind",
                "population",
                "--db",
                str(missing),
            ]
        )
        == 2
    )
    assert (
        main(["import", str(sheet), "--kind", "inquiries", "--municipality", "510", "--db", str(missing)])
        == 2
    )
    assert main(["setup", "--municipality", "510", "--db", str(missing)]) == 2
    assert "findes ikke" in capsys.readouterr().err and not missing.exists()
