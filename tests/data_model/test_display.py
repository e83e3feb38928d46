"""Danish, tidy output (issue 13): every table and download in Danish with rounded shares,
ja/nej, no internal columns and no "None"; the Data page's provenance readable; a double click
on Registrér says the record is already saved."""

from __future__ import annotations

import io
from datetime import date

import polars as pl
import pytest

from data_model.display import describe_change, display_frame, readable_audit
from data_model.export import frame_to_csv, frame_to_xlsx
from tests.sample_pages import SAMPLE_PAGES

ENGLISH = {
    "department",
    "unit",
    "complaint_share",
    "status_order",
    "inquiries",
    "complaints",
    "share",
    "code",
}


def _csv_text(frame: pl.DataFrame) -> str:
    return frame_to_csv(frame).decode("utf-8-sig")


def test_unit_table_download_is_danish(sample_db) -> None:
    from queries import inquiries
    from queries.filters import Filters
    from queries.periods import resolve_span

    f = Filters(municipalities=("510",), period_id="510-2024")
    units = inquiries.unit_table(sample_db, f, resolve_span(sample_db, f))
    text = _csv_text(display_frame(units))
    header = text.splitlines()[0].split(";")
    assert header[:5] == ["Forvaltning", "Enhed", "Henvendelser", "Klager", "Klageandel (%)"]
    assert not ENGLISH & set(header)
    assert "0,42105263157894735" not in text
    for line in text.splitlines()[1:]:
        share = line.split(";")[4]
        assert share == "" or len(share.split(",")[-1]) <= 1  # one decimal at most
    assert "None" not in text and "true" not in text.lower().split(";")


def test_display_frame_values() -> None:
    frame = pl.DataFrame(
        {
            "department": ["A", None],
            "complaint_share": [0.42105263157894735, None],
            "status_order": [1, 2],
            "small_n": [True, False],
            "pct_change": [0.3, -12.4],
            "diff": [0, -3],
        }
    )
    down = display_frame(frame)
    assert down.columns == ["Forvaltning", "Klageandel (%)", "Lille n", "Ændring i %", "Ændring"]
    assert down["Klageandel (%)"].to_list() == [42.1, None]
    assert down["Lille n"].to_list() == ["ja", "nej"]
    screen = display_frame(frame, screen=True)
    assert screen.row(0) == ("A", "42,1", "ja", "±0 %", "±0")
    assert screen.row(1) == ("–", "–", "nej", "−12 %", "−3")
    assert display_frame(down).columns == down.columns  # applying it twice changes nothing
    both = display_frame(pl.DataFrame({"municipality": ["a"], "municipality_name": ["b"]}))
    assert both.columns == ["Kommune", "Kommune (municipality_name)"]  # never a clash
    xlsx = frame_to_xlsx(down)
    assert xlsx[:2] == b"PK"


@pytest.mark.parametrize(
    ("page", "query", "expected_header"),
    [
        ("views/aar_for_aar.py", "kommune=510&periode=510-2024", "Forvaltning"),
        ("views/anbefalinger.py", "kommune=165&periode=165-2024", "Anbefaling"),
        ("views/kommuner.py", "kommune=157&periode=157-2023", "Kommune"),
        ("views/tendenser.py", "kommune=766&periode=766-2024", "Henvendelse"),
    ],
)
def test_page_tables_are_danish(sample_app, page: str, query: str, expected_header: str) -> None:
    at = sample_app(query).run()
    at.session_state["rows_open"] = True  # Tendenser reads its rows only when they are opened
    at.switch_page(page).run()
    assert not at.exception
    table = at.dataframe[0].value
    assert expected_header in table.columns
    assert not ENGLISH & set(table.columns)
    cells = [str(v) for v in table.to_numpy().ravel()]
    assert "None" not in cells and "nan" not in cells and "True" not in cells and "False" not in cells
    assert not any("+0 %" in c or c.startswith("-") for c in cells)  # ±0 %, and the real minus sign
    assert "generated" not in cells  # provenance in words


def test_year_over_year_table_has_no_none_and_one_minus_sign(sample_app) -> None:
    at = sample_app("kommune=510&periode=510-2020").run()
    at.switch_page("views/aar_for_aar.py").run()
    table = at.dataframe[0].value
    changes = [str(v) for v in table["Ændring"]] + [str(v) for v in table["Ændring i %"]]
    assert any(c.startswith("−") for c in changes)  # Haderslev 2020 fell
    assert all(c[0] in "+−±–" for c in changes)


def test_figure_and_table_downloads_go_through_display_frame(monkeypatch) -> None:
    """The CSV and Excel under every chart and table are made from display_frame(data)."""
    import altair as alt

    from dashboard import layout

    buttons: list = []
    monkeypatch.setattr(layout, "_download_row", lambda made, stem, key: buttons.extend(made))
    frame = pl.DataFrame({"department": ["A"], "unit": ["a"], "complaint_share": [0.5], "status_order": [1]})
    layout._downloads(layout.Figure("enheder", "T", alt.Chart(frame).mark_bar(), frame), "stem")
    layout.table_downloads(frame, "stem", "t")
    csvs = [make() for label, make, suffix, _ in buttons if suffix == "csv"]
    assert len(csvs) == 2
    for data in csvs:
        assert data.decode("utf-8-sig").splitlines() == ["Forvaltning;Enhed;Klageandel (%)", "A;a;50,0"]
    xlsx = [make() for label, make, suffix, _ in buttons if suffix == "xlsx"]
    assert len(xlsx) == 2 and all(x[:2] == b"PK" for x in xlsx)


# --- Data page: provenance readable
def test_audit_records_in_words() -> None:
    categories = {
        ("follow_up_status", "i_gang"): "I gang",
        ("follow_up_status", "implementeret"): "Implementeret",
    }
    text = describe_change(
        '{"status_code": "i_gang", "date": "2025-01-01", "text": "x"}',
        '{"status_code": "implementeret", "date": "2025-05-01", "text": "x"}',
        categories,
    )
    assert text == "Status: I gang → Implementeret; Dato: 01.01.2025 → 01.05.2025"
    assert (
        describe_change(None, '{"nye": 3, "ændrede": 0, "uændrede": 1}')
        == "Rækker: 3 nye, 0 ændrede, 1 uændrede"
    )
    frame = pl.DataFrame(
        {"table_name": ["follow_up"], "old_value": [None], "new_value": ['{"follow_up_id": "f1"}']}
    )
    shown = display_frame(readable_audit(frame, categories))
    assert shown.columns == ["Tabel", "Ændring"] and shown["Tabel"][0] == "Opfølgninger"
    assert "{" not in shown["Ændring"][0]


def test_data_page_provenance_is_danish(sample_app) -> None:
    at = sample_app("kommune=510&periode=510-2024").run()
    at.switch_page("views/data.py").run()
    assert not at.exception
    tables = [d.value for d in at.dataframe]
    for table in tables:
        assert not {"table", "provenance", "rows", "source_file", "source_line"} & set(table.columns)
        cells = [str(v) for v in table.to_numpy().ravel()]
        assert "None" not in cells and not any(c.startswith("{") for c in cells)
    figures = next(t for t in tables if "Kilde" in t.columns and "Værdi" in t.columns)
    assert "Beretning 2024, linje 134" in set(figures["Kilde"])
    assert not any(".txt" in str(s) for s in figures["Kilde"])
    counts = tables[0]
    assert list(counts.columns) == ["Tabel", "Oprindelse", "Rækker"]


def test_uploader_in_danish(sample_app) -> None:
    at = sample_app().run()
    at.switch_page("views/data.py").run()
    css = " ".join(str(h.proto.body) for h in at.get("html"))
    assert 'content: "Vælg fil"' in css and "Træk en fil hertil" in css and "Slip filen her" in css
    uploader = at.get("file_uploader")[0]
    assert uploader.proto.label.startswith("Fil") and "Vælg fil" in uploader.proto.help


# --- Registrér: a double click is "already saved", not "changed by someone else"
def test_double_click_says_already_saved(query_db) -> None:
    from data_model.editing import ALREADY_SAVED, EditRefused, load_row, save, validate

    data = {
        "inquiry_id": "reg-2",
        "municipality_code": "999",
        "received": date(2025, 3, 1),
        "kind_code": "klage",
        "unit_id": "999-tek",
        "provenance": "registered",
    }
    record, problems = validate("inquiries", data, today=date(2026, 11, 24))
    assert record is not None and not problems
    save(query_db, "inquiries", record, actor="a", expected=None)
    with pytest.raises(EditRefused) as refused:  # the same new-record form sent again
        save(query_db, "inquiries", record, actor="a", expected=None)
    assert [p.reason for p in refused.value.problems] == [ALREADY_SAVED]
    opened = load_row(query_db, "inquiries", ("reg-2",))
    changed, _ = validate("inquiries", {**data, "outcome_code": "genoptaget"}, today=date(2026, 11, 24))
    save(query_db, "inquiries", changed, actor="a", expected=opened)
    with pytest.raises(EditRefused) as refused:  # the edit form sent twice: its "expected" is stale
        save(query_db, "inquiries", changed, actor="a", expected=opened)
    assert [p.reason for p in refused.value.problems] == [ALREADY_SAVED]
    other, _ = validate("inquiries", {**data, "outcome_code": "ingen_kritik"}, today=date(2026, 11, 24))
    with pytest.raises(EditRefused) as refused:  # someone else's change is still refused as such
        save(query_db, "inquiries", other, actor="b", expected=opened)
    assert "ændret af en anden" in refused.value.problems[0].reason


def test_csv_of_every_table_download_is_semicolon_danish(sample_db) -> None:
    from queries import published

    totals = published.published_totals(sample_db)
    text = _csv_text(display_frame(totals.select("municipality", "period", "value", "per_1000", "source")))
    assert text.splitlines()[0] == "Kommune;Periode;Værdi;Pr. 1.000 indbyggere;Kilde"
    rows = pl.read_csv(io.StringIO(text), separator=";")
    assert rows.height == totals.height


@pytest.mark.parametrize("kind", ["inquiries", "recommendations", "appeal_statistics", "categories"])
def test_data_page_table_export_is_danish_and_reimports(query_db, tmp_path, kind: str) -> None:
    from data_model.display import kind_download
    from data_model.export import kind_frame
    from data_model.importer import import_file
    from data_model.labels import FIELD_LABELS

    frame = kind_frame(query_db, kind)
    path = tmp_path / f"{kind}.csv"
    path.write_bytes(frame_to_csv(kind_download(frame, "csv")))
    header = path.read_text(encoding="utf-8-sig").splitlines()[0].split(";")
    assert header == [FIELD_LABELS.get(c, c) for c in frame.columns]
    assert "true" not in path.read_text(encoding="utf-8-sig").lower().replace(";", " ").split()
    report = import_file(query_db, path, kind)
    assert report.ok and report.unchanged == frame.height and report.new == report.changed == 0


def test_report_pack_tables_use_the_same_display() -> None:
    """The report pack's CSV/Excel: no sort keys or raw codes, shares in percent as shown."""
    from report_pack.build import export_frame, export_headers
    from report_pack.figures import Column, PackItem

    data = pl.DataFrame(
        {
            "department": ["A", "B"],
            "status": ["I gang", "Implementeret"],
            "status_order": [2, 3],
            "code": ["a", "b"],
            "count": [3, 1],
            "share": [0.75, 0.25],
            "small": [False, True],
        }
    )
    item = PackItem(
        "status",
        "Status",
        "anbefalinger",
        "Haderslev",
        "Kilde",
        data,
        [
            Column("department", "Forvaltning"),
            Column("status", "Status"),
            Column("count", "Anbefalinger", "count"),
            Column("share", "Andel", "share"),
        ],
        count_columns=("count",),
        share_columns=("share",),
    )
    assert list(export_headers(item).values()) == ["Forvaltning", "Status", "Anbefalinger", "Andel (%)"]
    text = _csv_text(export_frame(item))
    assert text.splitlines() == [
        "Forvaltning;Status;Anbefalinger;Andel (%)",
        "A;I gang;3;75,0",
        "B;Implementeret;1;25,0",
    ]


@pytest.mark.parametrize(("page", "query"), SAMPLE_PAGES)
def test_every_csv_a_page_offers_is_danish(sample_app, monkeypatch, page: str, query: str) -> None:
    import re

    from dashboard import layout

    offered: list[tuple[str, bytes]] = []

    def capture(buttons, file_stem, key):  # the download row, with each file made at once
        offered.extend(
            (f"{file_stem}.{suffix}", make()) for _label, make, suffix, _mime in buttons if suffix == "csv"
        )

    monkeypatch.setattr(layout, "_download_row", capture)
    at = sample_app(query).run()
    at.switch_page(page).run()
    assert not at.exception
    assert offered, "the page offers no CSV"
    for name, data in offered:
        text = data.decode("utf-8-sig")
        header = text.splitlines()[0].split(";")
        assert not [h for h in header if re.fullmatch(r"[a-z0-9_]*[a-z_][a-z0-9_]*", h) and h != "n"], (
            name,
            header,
        )
        cells = [c for line in text.splitlines()[1:] for c in line.split(";")]
        assert "None" not in cells and "true" not in cells and "false" not in cells, name
        assert not [c for c in cells if re.fullmatch(r"-?\d+,\d{3,}", c)], (name, "unrounded")
        assert not [c for c in cells if c.endswith(".txt") or ".txt," in c], (name, "file names")


def test_follow_up_sources_name_the_report(sample_db) -> None:
    from queries import recommendations

    sources = recommendations.follow_up_timeline(sample_db, "165-2023-r01")["source"].drop_nulls().to_list()
    assert sources and all(s.startswith("Beretning 2024/25, afsnit ") for s in sources)
    per_department = recommendations.department_statuses(sample_db, "510-r2023-12")["source"].to_list()
    assert per_department and all(s.startswith("Beretning 2024, ") for s in per_department)
