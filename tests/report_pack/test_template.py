"""Report templates: stored per municipality, edited, exported/imported as JSON, seeded for the
sample municipalities, and measured: every expressible published figure of a sample report is
found in the cross-tables of that municipality's template (tests/report_pack/template_recall.py)."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import duckdb
import polars as pl
import pytest
from docx import Document

from data_model.db import connect
from queries.crosstab import CrossSpec, make_restrict
from queries.published_check import recompute
from report_pack.__main__ import main
from report_pack.resolve import period_by_id
from report_pack.template import (
    TemplateError,
    TemplateItem,
    crosstab_item,
    edited_template,
    load_template,
    save_template,
    template_from_json,
    template_to_json,
)
from report_pack.template_pack import prepare
from tests.conftest import ROOT, TODAY
from tests.report_pack.template_recall import expressible, locate, table_for

SAMPLES = {"haderslev": "510", "hedensted": "766", "albertslund": "165", "gentofte": "157", "unnamed": "U03"}


@pytest.fixture(scope="module")
def sample(sample_path: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    con = connect(sample_path)
    yield con
    con.close()


def _items() -> list[TemplateItem]:
    return [
        crosstab_item(CrossSpec(rows="unit", columns="kind", restrict=make_restrict(kind=["klage"]))),
        TemplateItem("figure", "Klageandel", "Over fem år", figure="klageandel"),
        crosstab_item(
            CrossSpec(rows="remark", measure="appeal_remarks"), "Bemærkninger", "Fra Ankestyrelsen"
        ),
    ]


def test_save_load_reorder_rename_remove(small_db: duckdb.DuckDBPyConnection) -> None:
    con = small_db
    assert load_template(con, "999") == []
    items = _items()
    save_template(con, "999", items, "tester")
    assert load_template(con, "999") == items
    assert load_template(con, "998") == []
    changed = [items[2].with_(title="Ankestyrelsens bemærkninger"), items[0]]
    save_template(con, "999", changed, "tester")
    loaded = load_template(con, "999")
    assert [i.title for i in loaded] == ["Ankestyrelsens bemærkninger", items[0].title]
    audit = con.execute(
        "SELECT actor, action, record_id FROM audit_log WHERE table_name = 'report_template' ORDER BY audit_id"
    ).fetchall()
    assert audit == [("tester", "gem rapportskabelon", "999")] * 2
    save_template(con, "999", changed, "tester")  # no change: nothing written
    assert (
        con.execute("SELECT count(*) FROM audit_log WHERE table_name = 'report_template'").fetchall()[0][0]
        == 2
    )


def test_the_editor_reorders_renames_and_removes() -> None:
    items = _items()
    rows = [
        {"nr": 3, "title": " Ny titel ", "caption": "", "chart": False, "remove": False},
        {"nr": 1, "title": items[1].title, "caption": items[1].caption, "chart": False, "remove": True},
        {"nr": 1, "title": items[2].title, "caption": "Ny tekst", "chart": True, "remove": False},
    ]
    edited = edited_template(items, rows)
    assert [i.title for i in edited] == [items[2].title, "Ny titel"]
    assert edited[0].caption == "Ny tekst" and edited[1].chart is False
    with pytest.raises(TemplateError):
        edited_template(items, rows[:2])
    with pytest.raises(TemplateError, match="titel"):
        edited_template(items, [{**rows[0], "title": ""}, *rows[1:]])


def test_a_failed_save_changes_nothing(small_db: duckdb.DuckDBPyConnection) -> None:
    save_template(small_db, "999", _items(), "tester")
    with pytest.raises(TemplateError):
        save_template(small_db, "999", _items() * 100, "tester")
    assert load_template(small_db, "999") == _items()


def test_json_round_trip() -> None:
    data = template_to_json("999", _items())
    municipality, items = template_from_json(data)
    assert municipality == "999"
    assert items == _items()
    assert json.loads(data)["items"][0]["spec"]["restrict"] == {"kind": ["klage"]}


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (b"not json", "JSON"),
        (b'{"format": "noget andet"}', "rapportskabelon"),
        (b'{"format": "borgerraad-rapportskabelon", "version": 9, "items": []}', "version"),
        (
            b'{"format": "borgerraad-rapportskabelon", "version": 1, "items": [{"kind": "figure", "title": "x", "figure": "ukendt"}]}',
            "standardfigur",
        ),
        (
            b'{"format": "borgerraad-rapportskabelon", "version": 1, "items": [{"kind": "crosstab", "title": "x", '
            b'"spec": {"rows": "theme", "measure": "appeal_decisions"}}]}',
            "krydstabel",
        ),
        (
            b'{"format": "borgerraad-rapportskabelon", "version": 1, "items": [{"kind": "crosstab", "title": " ", '
            b'"spec": {"rows": "unit"}}]}',
            "titel",
        ),
    ],
)
def test_bad_files_are_refused_with_a_reason(data: bytes, words: str) -> None:
    with pytest.raises(TemplateError) as info:
        template_from_json(data)
    assert words.lower() in str(info.value).lower()


def test_every_sample_municipality_ships_a_template(sample: duckdb.DuckDBPyConnection) -> None:
    for slug, code in SAMPLES.items():
        items = load_template(sample, code)
        assert len(items) >= (3 if slug == "unnamed" else 7), slug
        file_code, from_file = template_from_json(
            (ROOT / "sample_data" / "reports" / slug / "report_template.json").read_bytes()
        )
        assert file_code == code
        assert items == from_file


def _figures(slug: str) -> list[dict[str, str]]:
    frame = pl.read_csv(ROOT / "sample_data" / "reports" / slug / "published_figures.csv", infer_schema=False)
    return [f for f in frame.to_dicts() if expressible(f)]


@pytest.mark.parametrize("slug", list(SAMPLES))
def test_the_template_reproduces_the_reports_own_tables(sample: duckdb.DuckDBPyConnection, slug: str) -> None:
    """Recall: every expressible published figure (a count of a case-model measure that the
    records reproduce) is in the cell its codes name in one of the template's cross-tables.

    Figures the report itself contradicts (flag sum_mismatch, where no data can give both
    printed numbers) are left out and listed."""
    template = load_template(sample, SAMPLES[slug])
    figures = _figures(slug)
    pack_period = max(f["period_id"] for f in figures)  # the report's own period
    reproducible = [f for f in figures if recompute(sample, f) == int(float(f["value"]))]
    contradicted = sorted(f["figure_id"] for f in figures if f not in reproducible)
    assert all(f["flag"] == "sum_mismatch" for f in figures if f not in reproducible), contradicted
    tables: dict[int, pl.DataFrame] = {}
    missing = [
        f["figure_id"] for f in reproducible if locate(sample, f, template, pack_period, tables) is None
    ]
    recall = 1 - len(missing) / len(reproducible)
    print(
        f"{slug}: {len(reproducible) - len(missing)}/{len(reproducible)} = {recall:.0%}; not reproducible: {contradicted}"
    )
    assert not missing, missing
    assert len(reproducible) >= (3 if slug == "unnamed" else 20)


def test_a_figure_is_found_only_in_its_own_cell(sample: duckdb.DuckDBPyConnection) -> None:
    """The lookup is not lenient: a wrong value, a wrong unit or a missing item is not found."""
    template = load_template(sample, "510")
    figure = next(
        f for f in _figures("haderslev") if f["figure_id"] == "haderslev-037"
    )  # Familieafdelingen 41
    assert locate(sample, figure, template, "510-2024", {}) is not None
    assert locate(sample, figure | {"value": "40"}, template, "510-2024", {}) is None
    assert locate(sample, figure | {"unit_id": "510-sos-boern-bh"}, template, "510-2024", {}) is None
    assert locate(sample, figure, template[:1], "510-2024", {}) is None
    assert locate(sample, figure, template, "510-2023", {}) is None


def test_the_pack_follows_the_template(
    sample: duckdb.DuckDBPyConnection, tmp_path: Path, stub_rendering: None
) -> None:
    """One build through the command line (Gentofte's eight items; charts drawn as stubs: the
    drawing is tested in tests/report_pack/test_pack.py and tests/charts): every item in order and
    numbered, as PNG + SVG + CSV + XLSX, Word tables with a totals row and numbered captions,
    figures.json with every cell of every cross-table."""
    db = tmp_path / "pack.duckdb"
    sample.execute("CHECKPOINT")
    shutil.copy(sample.execute("SELECT path FROM duckdb_databases() WHERE NOT internal").fetchall()[0][0], db)
    out = tmp_path / "pakke"
    argv = ["--municipality", "Gentofte", "--period", "maj-dec 2023", "--out", str(out), "--db", str(db)]
    assert main([*argv, "--today", TODAY.isoformat()]) == 0
    template = load_template(sample, "157")
    manifest = json.loads((out / "figures.json").read_text(encoding="utf-8"))
    assert manifest["template"] is True
    assert [i["position"] for i in manifest["items"]] == list(range(1, len(template) + 1))
    assert [i["title"] for i in manifest["items"]] == [t.title for t in template]
    assert [i["table_number"] for i in manifest["items"]] == list(range(1, len(template) + 1))
    figure_numbers = [i["figure_number"] for i in manifest["items"] if i["figure_number"]]
    assert figure_numbers == list(range(1, len(figure_numbers) + 1))
    for entry in manifest["items"]:
        assert set(entry["files"]) == {"png", "svg", "csv", "xlsx"}, entry["title"]
        for name in entry["files"].values():
            assert (out / name).stat().st_size > 0
            assert name.startswith(f"{entry['position']:02d}-")  # numbered in the template's order
        assert (out / entry["files"]["png"]).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    # every number: the manifest's cells are the cross-table the recall test reads
    legal = next(i for i in manifest["items"] if i["spec"] and i["spec"]["rows"] == "legal_effect")
    cells = {(c["row_code"], c["col_total"]): c["count"] for c in legal["cells"]}
    assert cells[("processuel", True)] == 52 and cells[("materiel", True)] == 7
    expected = table_for(sample, CrossSpec.from_dict(legal["spec"]), "157-2023")
    assert len(legal["cells"]) == expected.height
    document = Document(str(out / manifest["document"]))
    captions = [p.text for p in document.paragraphs if p.style.name == "Caption"]
    tables = [c for c in captions if c.startswith("Tabel ")]
    assert [c.split(":")[0] for c in tables] == [f"Tabel {n}" for n in range(1, len(template) + 1)]
    assert tables[0] == f"Tabel 1: {template[0].title}"
    assert [c.split(":")[0] for c in captions if c.startswith("Figur ")] == [
        f"Figur {n}" for n in figure_numbers
    ]
    assert len(document.tables) == len(template)
    first = document.tables[0]
    assert first.rows[-1].cells[0].text == "I alt"
    assert first.rows[-1].cells[-1].text == "158"
    assert any("Kilde: Borgerrådgiveren, Gentofte" in p.text for p in document.paragraphs)


def test_a_suppressed_template_pack_hides_small_counts(sample: duckdb.DuckDBPyConnection) -> None:
    period = period_by_id(sample, "157-2023")
    template = load_template(sample, "157")
    entries, omitted, _generated = prepare(sample, period, template, today=TODAY, threshold=5)
    assert not omitted
    hidden = 0
    for entry in entries:
        if entry.spec is None or entry.cells is None:
            continue
        assert entry.item.suppressed_with == 5
        plain = table_for(sample, entry.spec.with_(threshold=None), "157-2023")
        for shown, full in zip(entry.cells["count"].to_list(), plain["count"].to_list(), strict=True):
            assert shown == (None if 0 < full < 5 else full)
            hidden += shown is None
        if not entry.spec.share:  # the Word/CSV table hides the same cells
            nulls = entry.item.data.select(pl.exclude(entry.item.data.columns[0]).null_count())
            assert nulls.sum_horizontal()[0] == entry.cells["count"].null_count()
    assert hidden > 0
