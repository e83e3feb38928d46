"""The advisor's own sheets: her headings, names instead of codes, no ids (issue 15)."""

from __future__ import annotations

import io
import json
from datetime import date, datetime
from pathlib import Path

import duckdb
import openpyxl
import pytest

from data_model.__main__ import main
from data_model.editing import rename_unit
from data_model.importer import import_file
from data_model.sheet_import import derived_id, import_sheet
from data_model.sheet_mapping import SheetMapping, load_mapping, read_mapping_file
from tests.conftest import TODAY, db_path, write

# Made up for the tests: her headings, names as she writes them (case, '&', spaces), no ids.
SHEET = """Dato;Forvaltning;Afdeling;Type;Emne;Resumé;Udfald
03-02-2025;Social og sundhed;Børn & familie;Klage;Begrundelse, Partshøring;Utilfreds med afgørelse om tilskud;Genoptaget af forvaltningen
04-02-2025;Teknik og Miljø;;Råd og vejledning;;Spørgsmål om byggesag;
04-02-2025;Teknik og Miljø;;Råd og vejledning;;Spørgsmål om byggesag;
10-02-2025;;Børn og Familie;klage;Sagsbehandlingstid og manglende svar;Venter på svar;
"""


def _inquiries(con: duckdb.DuckDBPyConnection) -> list[tuple]:
    return con.execute(
        "SELECT received, unit_id, kind_code, outcome_code, summary FROM inquiry WHERE provenance = 'imported' "
        "ORDER BY received, summary"
    ).fetchall()


def _points(con: duckdb.DuckDBPyConnection) -> list[tuple]:
    return con.execute(
        "SELECT i.summary, p.theme_code, p.unit_id FROM complaint_point p JOIN inquiry i USING (inquiry_id) "
        "ORDER BY i.received, p.theme_code"
    ).fetchall()


def test_names_and_no_ids_land_under_the_right_unit_kind_and_points(small_db, tmp_path: Path) -> None:
    sheet = write(tmp_path / "ark.csv", SHEET, encoding="cp1252")  # Danish Excel's "CSV (semikolon)"
    report = import_sheet(small_db, sheet, "inquiries", "999", today=TODAY)
    assert report.ok, report.lines()
    assert report.columns == {
        "Dato": "received",
        "Forvaltning": "forvaltning",
        "Afdeling": "afdeling",
        "Type": "kind",
        "Emne": "themes",
        "Resumé": "summary",
        "Udfald": "outcome",
    }
    assert _inquiries(small_db) == [
        (date(2025, 2, 3), "999-sos-born", "klage", "genoptaget", "Utilfreds med afgørelse om tilskud"),
        (date(2025, 2, 4), "999-tek", "vejledning", None, "Spørgsmål om byggesag"),
        (date(2025, 2, 4), "999-tek", "vejledning", None, "Spørgsmål om byggesag"),
        (date(2025, 2, 10), "999-sos-born", "klage", None, "Venter på svar"),
    ]
    assert _points(small_db) == [
        ("Utilfreds med afgørelse om tilskud", "begrundelse", "999-sos-born"),
        ("Utilfreds med afgørelse om tilskud", "partshoering", "999-sos-born"),
        ("Venter på svar", "sagsbehandlingstid", "999-sos-born"),
    ]
    ids = [
        r[0]
        for r in small_db.execute("SELECT inquiry_id FROM inquiry WHERE provenance = 'imported'").fetchall()
    ]
    assert len(set(ids)) == 4 and all(i.startswith("999-ark-") for i in ids)


def test_importing_again_or_next_months_cumulative_sheet_adds_nothing_twice(small_db, tmp_path: Path) -> None:
    sheet = write(tmp_path / "januar.csv", SHEET)
    assert import_sheet(small_db, sheet, "inquiries", "999", today=TODAY).ok
    again = import_sheet(small_db, sheet, "inquiries", "999", today=TODAY)
    assert again.ok and {label: (r.new, r.changed) for label, r in again.written} == {
        "Henvendelser": (0, 0),
        "Klagepunkter": (0, 0),
    }
    # Next month: the same rows (one now with an outcome and another theme), and one new row.
    rows = SHEET.splitlines()
    rows[4] = (
        "10-02-2025;;Børn og Familie;klage;Sagsbehandlingstid og manglende svar;Venter på svar;Løst af borgerrådgiveren"
    )
    rows[2] = (
        "04-02-2025;Teknik og miljø;;Råd og vejledning / vejvisning;Kommunikation og adfærd;Spørgsmål om byggesag;"
    )
    rows.append("02-03-2025;Teknik og Miljø;;Klage;Aktindsigt;Aktindsigt i byggesag;")
    report = import_sheet(
        small_db, write(tmp_path / "februar.csv", "\n".join(rows) + "\n"), "inquiries", "999", today=TODAY
    )
    assert report.ok, report.lines()
    counts = {label: (r.new, r.changed, r.unchanged) for label, r in report.written}
    assert counts["Henvendelser"] == (1, 1, 3)
    assert counts["Klagepunkter"] == (2, 0, 3)
    assert (
        small_db.execute("SELECT count(*) FROM inquiry WHERE provenance = 'imported'").fetchall()[0][0] == 5
    )


def test_a_column_added_next_month_changes_no_ids(small_db, tmp_path: Path) -> None:
    assert import_sheet(small_db, write(tmp_path / "a.csv", SHEET), "inquiries", "999", today=TODAY).ok
    wider = [
        line.replace("Dato;", "Dato;Kanal;", 1) if i == 0 else line.replace(";", ";Telefon;", 1)
        for i, line in enumerate(SHEET.splitlines())
    ]
    wider = [w.replace(";;Børn og Familie;", ";Social og Sundhed;Børn og Familie;") for w in wider]
    report = import_sheet(
        small_db, write(tmp_path / "b.csv", "\n".join(wider) + "\n"), "inquiries", "999", today=TODAY
    )
    assert report.ok, report.lines()
    assert {label: (r.new, r.changed) for label, r in report.written}["Henvendelser"] == (0, 4)
    assert (
        small_db.execute("SELECT count(*) FROM inquiry WHERE channel_code = 'telefon'").fetchall()[0][0] == 4
    )


def test_a_theme_removed_in_a_later_sheet_removes_the_point(small_db, tmp_path: Path) -> None:
    assert import_sheet(small_db, write(tmp_path / "a.csv", SHEET), "inquiries", "999", today=TODAY).ok
    fewer = SHEET.replace("Begrundelse, Partshøring", "Begrundelse")
    assert import_sheet(small_db, write(tmp_path / "b.csv", fewer), "inquiries", "999", today=TODAY).ok
    themes = [t for s, t, _ in _points(small_db) if s.startswith("Utilfreds")]
    assert themes == ["begrundelse"]


def test_one_unknown_unit_refuses_the_whole_file_naming_value_and_row(small_db, tmp_path: Path) -> None:
    bad = SHEET + "11-02-2025;Social og Sundhed;Familieafdelingen;Klage;Begrundelse;Klage over bevilling;\n"
    report = import_sheet(small_db, write(tmp_path / "ark.csv", bad), "inquiries", "999", today=TODAY)
    assert not report.ok and report.written == []
    assert [(u.value, u.rows, u.column, u.status) for u in report.unresolved] == [
        ("Social og Sundhed > Familieafdelingen", [6], "Afdeling", "unknown")
    ]
    text = "\n".join(report.lines())
    assert "række 6" in text and "Familieafdelingen" in text
    assert _inquiries(small_db) == [] and _points(small_db) == []


def test_unresolved_values_are_listed_with_nearest_names(small_db, tmp_path: Path) -> None:
    bad = SHEET + "11-02-2025;Teknik og Miljo;;Klagee;Partshøringg;Stavefejl;\n"
    report = import_sheet(small_db, write(tmp_path / "ark.csv", bad), "inquiries", "999", today=TODAY)
    found = {(u.target, u.value): u.candidates for u in report.unresolved}
    assert found[("unit", "Teknik og Miljo")][0] == "Teknik og Miljø"
    assert found[("category:inquiry_kind", "Klagee")][0] == "Klage"
    assert found[("theme", "Partshøringg")][0] == "Partshøring"
    assert all(u.rows == [6] for u in report.unresolved)


def test_namesakes_are_told_apart_by_forvaltning(small_db, tmp_path: Path) -> None:
    namesake = "unit_id,municipality_code,parent_id,name,level,sector_code\n999-tek-born,999,999-tek,Børn og familie,afdeling,teknik_miljoe\n"
    assert import_file(small_db, write(tmp_path / "u.csv", namesake), "org_units", today=TODAY).ok
    sheet = "Dato;Forvaltning;Afdeling;Type\n01-03-2025;Teknik og Miljø;Børn og Familie;Klage\n02-03-2025;;Børn og Familie;Klage\n"
    report = import_sheet(small_db, write(tmp_path / "ark.csv", sheet), "inquiries", "999", today=TODAY)
    assert [(u.rows, u.status) for u in report.unresolved] == [([3], "ambiguous")]
    assert "Social og Sundhed › Børn og Familie" in report.unresolved[0].candidates
    # The advisor picks one: the choice is kept for the municipality, next time no question.
    chosen = SheetMapping("inquiries", values={"unit": {"Børn og Familie": "999-sos-born"}})
    report = import_sheet(
        small_db, write(tmp_path / "ark.csv", sheet), "inquiries", "999", mapping=chosen, today=TODAY
    )
    assert report.ok, report.lines()
    assert [r[1] for r in _inquiries(small_db)] == ["999-tek-born", "999-sos-born"]


def test_a_former_unit_name_matches_the_unit_in_force_on_the_date(small_db, tmp_path: Path) -> None:
    renamed = rename_unit(small_db, "999-tek", "By, Land og Kultur", date(2025, 3, 1), actor="test")
    sheet = "Dato;Forvaltning;Type\n15-02-2025;Teknik og Miljø;Klage\n15-03-2025;Teknik og Miljø;Klage\n20-03-2025;By, Land og Kultur;Klage\n"
    report = import_sheet(small_db, write(tmp_path / "ark.csv", sheet), "inquiries", "999", today=TODAY)
    assert report.ok, report.lines()
    assert [r[1] for r in _inquiries(small_db)] == ["999-tek", renamed, renamed]


def test_saved_mapping_imports_next_months_sheet_with_no_questions(small_db, tmp_path: Path) -> None:
    first = (
        "Modtaget;Enhed;Henvendelsestype;Klagetema(er);Initialer\n"
        "05-01-2025;Børneafd.;Klage;Begrundelse;ABC\n"
        "06-01-2025;Teknik og Miljø;Vejledning;;ABC\n"
    )
    report = import_sheet(small_db, write(tmp_path / "jan.csv", first), "inquiries", "999", today=TODAY)
    assert report.unknown_columns == ["Initialer"]
    assert [u.value for u in report.unresolved] == []  # columns first: nothing resolved before they are known
    answers = SheetMapping(
        "inquiries", columns={"Initialer": "ignore"}, values={"unit": {"Børneafd.": "999-sos-born"}}
    )
    report = import_sheet(
        small_db, write(tmp_path / "jan.csv", first), "inquiries", "999", mapping=answers, today=TODAY
    )
    assert report.ok, report.lines()
    saved = load_mapping(small_db, "999", "inquiries")
    assert saved.column_role("initialer") == "ignore" and saved.value("unit", "børneafd") == "999-sos-born"
    second = first + "03-02-2025;BØRNEAFD;Klage;Partshøring;DEF\n"
    report = import_sheet(small_db, write(tmp_path / "feb.csv", second), "inquiries", "999", today=TODAY)
    assert report.ok, report.lines()
    assert {label: r.new for label, r in report.written}["Henvendelser"] == 1
    assert [r[1] for r in _inquiries(small_db)] == ["999-sos-born", "999-tek", "999-sos-born"]


def test_create_missing_adds_units_and_themes_under_the_parent_the_sheet_names(
    small_db, tmp_path: Path
) -> None:
    sheet = (
        "Dato;Forvaltning;Afdeling;Type;Tema\n"
        "05-01-2025;Social og Sundhed;Handicap og Psykiatri;Klage;Forvaltningsloven: Tavshedspligt\n"
        "06-01-2025;Kultur og Fritid;Biblioteker;Klage;Åbningstider\n"
        "07-01-2025;Job og Ydelser;;Klage;Begrundelse\n"
    )
    path = write(tmp_path / "ark.csv", sheet)
    assert not import_sheet(small_db, path, "inquiries", "999", today=TODAY).ok
    report = import_sheet(small_db, path, "inquiries", "999", create_missing=True, today=TODAY)
    assert report.ok, report.lines()
    assert report.created_units == [
        "Biblioteker",
        "Handicap og Psykiatri",
        "Job og Ydelser",
        "Kultur og Fritid",
    ]
    units = dict(
        small_db.execute(
            "SELECT u.name, coalesce(p.name, '-') || '/' || u.sector_code FROM org_unit u "
            "LEFT JOIN org_unit p ON p.unit_id = u.parent_id WHERE u.municipality_code = '999'"
        ).fetchall()
    )
    assert units["Handicap og Psykiatri"] == "Social og Sundhed/aeldre_sundhed_social"
    assert units["Biblioteker"] == "Kultur og Fritid/tvaergaaende"
    assert units["Job og Ydelser"] == "-/beskaeftigelse"  # a new department's sector guessed from its name
    themes = dict(
        small_db.execute(
            "SELECT name, coalesce(parent_code, '-') FROM theme WHERE municipality_code = '999'"
        ).fetchall()
    )
    assert themes == {"Tavshedspligt": "forvaltningsloven", "Åbningstider": "-"}
    again = import_sheet(small_db, path, "inquiries", "999", create_missing=True, today=TODAY)
    assert again.ok and again.created_units == [] and again.created_themes == []


def test_xlsx_with_date_cells_and_several_themes_on_lines(small_db, tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Modtaget", "Afdeling", "Henvendelsestype", "Klagetemaer", "Afsluttet"])
    sheet.append(
        [
            datetime(2025, 4, 2),
            "Børn og Familie",
            "Klage",
            "Begrundelse\nSagsbehandlingstid og manglende svar",
            datetime(2025, 4, 20),
        ]
    )
    buffer = io.BytesIO()
    book.save(buffer)
    report = import_sheet(small_db, "ark.xlsx", "inquiries", "999", data=buffer.getvalue(), today=TODAY)
    assert report.ok, report.lines()
    assert small_db.execute(
        "SELECT received, closed FROM inquiry WHERE provenance = 'imported'"
    ).fetchall() == [(date(2025, 4, 2), date(2025, 4, 20))]
    assert [t for _, t, _ in _points(small_db)] == ["begrundelse", "sagsbehandlingstid"]


def test_cpr_and_bad_dates_are_refused_with_her_headings(small_db, tmp_path: Path) -> None:
    sheet = SHEET + "31-02-2025;Teknik og Miljø;;Klage;;Borger 010190-1234 ringede;\n"
    report = import_sheet(small_db, write(tmp_path / "ark.csv", sheet), "inquiries", "999", today=TODAY)
    assert not report.ok and _inquiries(small_db) == []
    columns = {(p.row, p.column) for p in report.problems}
    assert (6, "Dato") in columns or (6, "Resumé") in columns
    assert "010190" not in "\n".join(report.lines())


def test_a_row_with_more_cells_than_headings_is_refused(small_db, tmp_path: Path) -> None:
    sheet = SHEET + "11-02-2025;Teknik og Miljø;;Klage;;Tekst;;med; semikolon\n"
    report = import_sheet(small_db, write(tmp_path / "ark.csv", sheet), "inquiries", "999", today=TODAY)
    assert [p.row for p in report.problems] == [6] and _inquiries(small_db) == []


def test_a_cpr_number_as_her_own_number_or_heading_is_never_echoed(small_db, tmp_path: Path) -> None:
    sheet = "Dato;Løbenr;Afdeling;Type;120345-6789\n05-01-2025;010190-1234;Børn og Familie;Klage;x\n"
    report = import_sheet(small_db, write(tmp_path / "ark.csv", sheet), "inquiries", "999", today=TODAY)
    assert not report.ok and "120345" not in "\n".join(report.lines())
    answers = SheetMapping("inquiries", columns={"120345-6789": "ignore"})
    report = import_sheet(
        small_db, write(tmp_path / "ark.csv", sheet), "inquiries", "999", mapping=answers, today=TODAY
    )
    assert [(p.row, p.column) for p in report.problems] == [(2, "Løbenr")]
    assert "010190" not in "\n".join(report.lines()) and _inquiries(small_db) == []


def test_derived_ids_never_look_like_cpr() -> None:
    from data_model.parsing import looks_like_cpr

    ids = [derived_id("510", "ark", [str(n)]) for n in range(2000)]
    assert len(set(ids)) == 2000 and not any(looks_like_cpr(i) for i in ids)


def test_decisions_sheet_with_law_area_result_unit_and_remarks(small_db, tmp_path: Path) -> None:
    sheet = (
        "Afgørelsesdato;Lovområde;Resultat;Afdeling;Bemærkninger\n"
        "01-03-2025;Børnehandicap;Stadfæstelse;Børn og Familie;Mangelfuld begrundelse, Sagsbehandlingstid\n"
        "02-03-2025;Voksenhandicap;Hjemvisning;Børn og Familie;\n"
    )
    path = write(tmp_path / "ast.csv", sheet)
    report = import_sheet(small_db, path, "appeal_decisions", "999", today=TODAY)
    assert report.ok, report.lines()
    rows = small_db.execute(
        "SELECT law_area_code, outcome_code, unit_id, remark_codes FROM appeal_decision WHERE provenance = 'imported' ORDER BY decided"
    ).fetchall()
    assert rows == [
        ("boern_handicap", "stadfaestet", "999-sos-born", ["begrundelse", "sagsbehandlingstid"]),
        ("voksen_handicap", "hjemvist", "999-sos-born", []),
    ]
    assert {
        label: r.new
        for label, r in import_sheet(small_db, path, "appeal_decisions", "999", today=TODAY).written
    } == {"Afgørelser": 0}


def test_recommendations_sheet_with_follow_ups_on_several_rows(small_db, tmp_path: Path) -> None:
    sheet = (
        "Dato;Anbefaling;Forvaltning;Tema;Beretning;Opfølgning dato;Status;Svar\n"
        "01-06-2024;Begrund afslag bedre;Social og Sundhed;Begrundelse;2024;01-12-2024;I gang;Skabelon undervejs\n"
        "01-06-2024;Begrund afslag bedre;Social og Sundhed;Begrundelse;2024;01-04-2025;Implementeret;Skabelon i brug\n"
        "01-06-2024;Svar inden fire uger;Teknik og Miljø, Social og Sundhed;Sagsbehandlingstid og manglende svar;2024;;;\n"
    )
    report = import_sheet(small_db, write(tmp_path / "anb.csv", sheet), "recommendations", "999", today=TODAY)
    assert report.ok, report.lines()
    recs = small_db.execute(
        "SELECT title, period_id, target_unit_ids, theme_codes FROM recommendation WHERE municipality_code = '999' ORDER BY title"
    ).fetchall()
    assert recs == [
        ("Begrund afslag bedre", "999-2024", ["999-sos"], ["begrundelse"]),
        ("Svar inden fire uger", "999-2024", ["999-tek", "999-sos"], ["sagsbehandlingstid"]),
    ]
    follow = small_db.execute("SELECT status_code, text FROM follow_up ORDER BY date").fetchall()
    assert follow == [("i_gang", "Skabelon undervejs"), ("implementeret", "Skabelon i brug")]


def test_cli_reports_unresolved_writes_her_mapping_file_and_then_imports(
    small_db, tmp_path: Path, capsys
) -> None:
    db = str(db_path(small_db))
    small_db.close()
    sheet = write(tmp_path / "ark.csv", "Dato;Afdeling;Type;Sagsbehandler\n05-01-2025;Børneafd.;Klage;AB\n")
    mapping = tmp_path / "oversaettelse.json"
    args = [
        "import",
        str(sheet),
        "--kind",
        "inquiries",
        "--municipality",
        "Testkommune",
        "--db",
        db,
        "--mapping",
        str(mapping),
    ]
    assert main(args) == 1
    err = capsys.readouterr().err
    assert "Kolonne 'Sagsbehandler' kendes ikke" in err
    data = json.loads(mapping.read_text(encoding="utf-8"))
    assert data["kolonner"]["Sagsbehandler"] == "" and data["kolonner"]["Dato"] == "Modtaget"
    data["kolonner"]["Sagsbehandler"] = "(ignorér kolonnen)"
    mapping.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    assert main(args) == 1
    err = capsys.readouterr().err
    assert "række 2" in err and "ukendt enhed 'Børneafd.'" in err
    data = json.loads(mapping.read_text(encoding="utf-8"))
    assert data["værdier"]["enhed"] == {"Børneafd.": ""}
    data["værdier"]["enhed"]["Børneafd."] = "999-sos-born"
    mapping.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    assert main(args) == 0
    assert "1 nye" in capsys.readouterr().out
    con = duckdb.connect(db)
    assert con.execute("SELECT unit_id FROM inquiry WHERE provenance = 'imported'").fetchall() == [
        ("999-sos-born",)
    ]
    con.close()


def test_mapping_file_as_csv_round_trips(tmp_path: Path) -> None:
    mapping = SheetMapping(
        "inquiries", {"Dato": "received", "Initialer": "ignore"}, {"unit": {"Børn & Unge": "999-sos-born"}}
    )
    path = tmp_path / "oversaettelse.csv"
    from data_model.sheet_mapping import write_mapping_file

    write_mapping_file(path, mapping)
    assert "kolonne;Dato;Modtaget" in path.read_text(encoding="utf-8-sig")
    again = read_mapping_file(path, "inquiries")
    assert again is not None and again.columns == mapping.columns and again.values == mapping.values


def test_unknown_municipality_and_wrong_kind_are_refused(small_db, tmp_path: Path) -> None:
    sheet = write(tmp_path / "ark.csv", SHEET)
    assert not import_sheet(small_db, sheet, "inquiries", "1234", today=TODAY).ok
    with pytest.raises(KeyError):
        import_sheet(small_db, sheet, "themes", "999", today=TODAY)


@pytest.mark.parametrize(
    "text",
    [
        "{",
        "[]",
        '{"kolonner": ["Dato"]}',
        '{"kolonner": {"Dato": "Rumfart"}}',
        '{"type": "themes"}',
        '{"værdier": {"planet": {}}}',
    ],
)
def test_a_broken_mapping_file_is_refused_in_danish(text: str) -> None:
    from data_model.sheet_mapping import MappingFileError

    with pytest.raises(MappingFileError):
        SheetMapping.parse("inquiries", text, csv_format=False)


def test_cli_dry_run_and_create_missing(small_db, tmp_path: Path, capsys) -> None:
    db = str(db_path(small_db))
    small_db.close()
    sheet = write(
        tmp_path / "ark.csv",
        "Dato;Forvaltning;Afdeling;Type\n05-01-2025;Kultur og Fritid;Biblioteket;Klage\n",
    )
    base = ["import", str(sheet), "--kind", "inquiries", "--municipality", "999", "--db", db]
    assert main(base) == 1 and "ukendt enhed 'Kultur og Fritid > Biblioteket'" in capsys.readouterr().err
    assert main([*base, "--create-missing", "--dry-run"]) == 0
    assert "kan indlæses (intet skrevet)" in capsys.readouterr().out
    con = duckdb.connect(db)
    assert con.execute("SELECT count(*) FROM org_unit WHERE name = 'Biblioteket'").fetchall()[0][0] == 0
    con.close()
    assert main([*base, "--create-missing"]) == 0
    out = capsys.readouterr().out
    assert "Enheder: 2 nye" in out and "Henvendelser: 1 nye" in out
    assert main(["import", str(sheet), "--kind", "themes", "--municipality", "999", "--db", db]) == 2
