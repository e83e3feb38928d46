"""The report pack (beretningspakke): the CLI and the Data page's button build the same pack from
the same function; every figure exists as PNG and SVG with the numbers its query gives; the Word
document holds every figure with a numbered caption; small-number suppression hides exactly the
small counts; hostile text stays text."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import duckdb
import polars as pl
import pytest
from docx import Document

from data_model.db import connect
from data_model.importer import import_file
from queries import appeals, inquiries, recommendations
from queries.filters import Filters
from queries.periods import Span
from report_pack import PackResult, build_pack
from report_pack.__main__ import main
from report_pack.build import frame_rows
from report_pack.document import clean
from report_pack.resolve import PackInputError, period_for_filters, resolve_municipality, resolve_period
from tests.conftest import ROOT, TODAY, copy_sample, open_app
from tests.render_stub import is_stub_svg, stubbed_rendering

HOSTILE = '<script>alert("x")</script> **fed** <b>html</b> [link](javascript:alert(1)) & # ikke en overskrift'
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
F = Filters(municipalities=("510",), period_id="510-2024")
SPAN = Span(date(2024, 1, 1), date(2024, 12, 31), "2024")


@dataclass
class Packs:
    db: Path
    con: duckdb.DuckDBPyConnection
    function: PackResult  # what the Data page's button calls
    suppressed: PackResult
    cli: Path  # python -m report_pack, in-process
    subprocess: Path  # python -m report_pack, its own process
    subprocess_zip: Path
    progress: list[tuple[float, str]]


def _manifest(folder: Path) -> dict[str, Any]:
    return json.loads((folder / "figures.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def packs(seeded_sample: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Packs]:
    folder = tmp_path_factory.mktemp("report_pack")
    db = copy_sample(seeded_sample, folder, "seed.duckdb")
    writer = connect(db)
    hostile = folder / "hostile.csv"
    pl.DataFrame(
        {
            "recommendation_id": ["510-r2024-fjendtlig"],
            "municipality_code": ["510"],
            "period_id": ["510-2024"],
            "made_on": ["2025-02-15"],
            "title": [HOSTILE],
            "text": ["<img src=x onerror=alert(1)>"],
            "whole_municipality": ["true"],
        }
    ).write_csv(hostile)
    report = import_file(writer, hostile, "recommendations", today=TODAY)
    assert report.ok, report.problems
    writer.close()

    # One real pack (what the Data page's button builds: its charts are drawn by vl-convert); the
    # others test what is around the drawing (the same files and manifest from the CLI, in this
    # process and in its own, suppression) and draw stub charts (tests/render_stub.py).
    sub_out, sub_zip = folder / "cli-subprocess", folder / "cli-subprocess.zip"
    # the standard pack (Haderslev's own template is tested in tests/report_pack/test_template.py)
    args = [
        "--municipality",
        "Haderslev",
        "--period",
        "2024",
        "--out",
        str(sub_out),
        "--zip",
        str(sub_zip),
        "--standard",
        "--db",
        str(db),
        "--today",
        TODAY.isoformat(),
    ]
    # ``python -m report_pack`` (runpy, as -m runs it) in a process of its own, with stub charts
    as_module = (
        "import runpy, sys; from tests.render_stub import install; install(); "
        f"sys.argv = ['report_pack', *{args!r}]; runpy.run_module('report_pack', run_name='__main__')"
    )
    proc = subprocess.Popen(
        [sys.executable, "-c", as_module],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    con = connect(db, create=False, read_only=True)
    try:
        progress: list[tuple[float, str]] = []
        function = build_pack(
            con,
            "510",
            "510-2024",
            folder / "function",
            progress=lambda f, m: progress.append((f, m)),
            today=TODAY,
            use_template=False,
        )
        with stubbed_rendering():
            suppressed = build_pack(
                con,
                "510",
                "510-2024",
                folder / "suppressed",
                suppress_threshold=5,
                today=TODAY,
                use_template=False,
            )
            argv = [
                "--municipality",
                "510",
                "--period",
                "510-2024",
                "--out",
                str(folder / "cli"),
                "--standard",
            ]
            assert main([*argv, "--db", str(db), "--today", TODAY.isoformat()]) == 0
        stdout, stderr = proc.communicate(timeout=240)
        assert proc.returncode == 0, stderr
        assert "Beretningspakke for Haderslev 2024" in stdout
        yield Packs(db, con, function, suppressed, folder / "cli", sub_out, sub_zip, progress)
    finally:
        if proc.poll() is None:
            proc.kill()
        con.close()


def _without_timestamp(manifest: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in manifest.items() if k != "generated_at"}


def test_cli_and_button_function_build_the_same_pack(packs: Packs) -> None:
    expected = sorted(p.name for p in packs.function.out_dir.iterdir())
    assert expected == packs.function.files
    reference = _without_timestamp(_manifest(packs.function.out_dir))
    for folder in (packs.cli, packs.subprocess):
        assert sorted(p.name for p in folder.iterdir()) == expected
        assert _without_timestamp(_manifest(folder)) == reference
    with zipfile.ZipFile(packs.subprocess_zip) as archive:
        assert sorted(Path(n).name for n in archive.namelist()) == expected
        assert {Path(n).parent.name for n in archive.namelist()} == {"beretningspakke-haderslev-2024"}
    assert all(name.isascii() for name in expected)
    assert packs.progress[-1][0] == 1.0 and packs.progress[0][0] < 0.1


def test_every_standard_figure_is_there_as_png_and_svg_with_its_data(packs: Packs) -> None:
    manifest = _manifest(packs.function.out_dir)
    assert manifest["municipality"] == {"code": "510", "name": "Haderslev"}
    assert manifest["period"]["label"] == "2024" and manifest["small_number_suppression"]["used"] is False
    assert manifest["generated_data"] is True
    keys = [f["key"] for f in manifest["figures"]]
    assert keys == [
        "henvendelser-sektor",
        "henvendelser-enhed",
        "klageandel",
        "udvikling",
        "temaer",
        "undertemaer",
        "handlinger",
        "aar-for-aar",
        "omgoerelsesprocent-boern-handicap",
        "omgoerelsesprocent-voksen-handicap",
        "omgoerelsesprocent-social-generelt",
        "anbefalinger-status",
    ]
    # Haderslev records no Ankestyrelsen decisions and no case types: omitted, with the reason
    omitted = {o["key"]: o["reason"] for o in manifest["omitted"]}
    assert set(omitted) == {
        "sagstyper",
        "ankestyrelsen-lovomraade",
        "ankestyrelsen-enhed",
        "ankestyrelsen-bemaerkninger",
    }
    assert all(reason.endswith(".") and len(reason) > 20 for reason in omitted.values())
    folder = packs.function.out_dir
    for number, figure in enumerate(manifest["figures"], start=1):
        assert figure["number"] == number and figure["caption"] == f"Figur {number}: {figure['title']}"
        assert figure["title"] and figure["counts"] and "Haderslev" in figure["filter"]
        assert (folder / figure["files"]["png"]).read_bytes().startswith(PNG_SIGNATURE)
        svg = (folder / figure["files"]["svg"]).read_bytes()
        assert b"<svg" in svg[:500] and not is_stub_svg(svg)  # drawn by vl-convert
        csv = (folder / figure["files"]["csv"]).read_bytes()
        assert csv.startswith(b"\xef\xbb\xbf")
        frame = pl.read_csv(folder / figure["files"]["csv"], separator=";")
        assert frame.height == len(figure["rows"]) > 0
        assert list(frame.columns) == [c["header"] for c in figure["columns"]]  # Danish headers
        assert (folder / figure["files"]["xlsx"]).read_bytes()[:2] == b"PK"


def _recompute(con: duckdb.DuckDBPyConnection) -> dict[str, pl.DataFrame]:
    """Every figure's numbers straight from the query layer."""
    trend_f = F.with_(period_id=None, grain="period")
    five = Span(date(2020, 1, 1), date(2024, 12, 31), "")
    points = F.with_(count_unit="points")
    status = recommendations.recommendation_status(con, F, TODAY)
    status = status.filter(pl.col("period").is_in([str(y) for y in range(2019, 2025)]))
    yoy = inquiries.year_over_year(con, F, SPAN, "department")
    assert yoy is not None
    frames = {
        "henvendelser-sektor": inquiries.breakdown(con, F, SPAN, "sector"),
        "henvendelser-enhed": inquiries.unit_table(con, F, SPAN),
        "klageandel": inquiries.complaint_share_trend(con, trend_f, five, TODAY),
        "udvikling": inquiries.trend(con, trend_f.with_(split="kind"), five, TODAY),
        "temaer": inquiries.breakdown(con, points, SPAN, "main_theme"),
        "undertemaer": inquiries.breakdown(con, points, SPAN, "theme"),
        "handlinger": inquiries.breakdown(con, F.with_(kinds=("klage",)), SPAN, "outcome"),
        "aar-for-aar": yoy.table,
        "anbefalinger-status": recommendations.status_counts(status),
    }
    for area in ("boern_handicap", "voksen_handicap", "social_generelt"):
        key = "omgoerelsesprocent-" + area.replace("_", "-")
        frames[key] = appeals.danmarkskort(con, "510", area).filter(pl.col("year") <= 2024)
    return frames


def _same_rows(shown: list[dict[str, Any]], expected: pl.DataFrame) -> None:
    rows = frame_rows(expected)
    assert len(shown) == len(rows)
    for got, want in zip(shown, rows, strict=True):
        for column, value in want.items():
            if isinstance(value, float):
                assert got[column] == pytest.approx(value), column
            else:
                assert got[column] == value, column


def test_figure_numbers_equal_the_queries(packs: Packs) -> None:
    manifest = _manifest(packs.function.out_dir)
    expected = _recompute(packs.con)
    assert {f["key"] for f in manifest["figures"]} == set(expected)
    for figure in manifest["figures"]:
        _same_rows(figure["rows"], expected[figure["key"]])
    sectors = next(f for f in manifest["figures"] if f["key"] == "henvendelser-sektor")
    assert sum(r["count"] for r in sectors["rows"]) == sectors["rows"][0]["n"] == 385


def test_docx_has_every_figure_with_a_numbered_caption(packs: Packs) -> None:
    manifest = _manifest(packs.function.out_dir)
    document = Document(str(packs.function.docx))
    assert len(document.inline_shapes) == len(manifest["figures"])
    captions = [p.text for p in document.paragraphs if p.text.startswith("Figur ")]
    assert captions == [f["caption"] for f in manifest["figures"]]
    intro = "\n".join(p.text for p in document.paragraphs[:12])
    assert "Haderslev" in intro and "2024" in intro and "Dannet:" in intro
    assert "Diskretionering af små tal: Ikke brugt" in intro
    assert "genererede eksempeldata" in intro
    assert "Ankestyrelsens afgørelser pr. enhed og resultat" in intro  # omitted, with its reason
    assert len(document.tables) == len(manifest["figures"]) + len(manifest["tables"])


def test_hostile_text_stays_literal_text(packs: Packs) -> None:
    manifest = _manifest(packs.function.out_dir)
    listing = next(t for t in manifest["tables"] if t["key"] == "anbefalinger")
    assert HOSTILE in [row["title"] for row in listing["rows"]]
    cells = {
        cell.text
        for table in Document(str(packs.function.docx)).tables
        for row in table.rows
        for cell in row.cells
    }
    assert HOSTILE in cells
    with zipfile.ZipFile(packs.function.docx) as archive:
        xml = archive.read("word/document.xml").decode("utf-8")
    assert "<script>" not in xml and "&lt;script&gt;" in xml
    assert clean("a\x00b\x0bc") == "abc"


def test_suppression_hides_every_small_count_and_nothing_else(packs: Packs) -> None:
    plain, hidden = _manifest(packs.function.out_dir), _manifest(packs.suppressed.out_dir)
    assert hidden["small_number_suppression"]["used"] is True
    assert hidden["small_number_suppression"]["threshold"] == 5
    assert [f["key"] for f in plain["figures"]] == [f["key"] for f in hidden["figures"]]
    touched = 0
    for before, after in zip(
        plain["figures"] + plain["tables"], hidden["figures"] + hidden["tables"], strict=True
    ):
        counts, shares = set(after["count_fields"]), set(after["share_fields"])
        assert after["suppressed"] is bool(counts)
        for old, new in zip(before["rows"], after["rows"], strict=True):
            small = any(0 < (old[c] or 0) < 5 for c in counts)
            assert new.get("suppressed", False) is small
            for column, value in old.items():
                if column in counts and value is not None and 0 < value < 5:
                    assert new[column] is None
                    touched += 1
                elif column in shares and small:
                    assert new[column] is None
                else:
                    assert new[column] == value, (after["key"], column)
        # the data files hold the same hidden cells
        if counts and "csv" in after["files"]:
            frame = pl.read_csv(packs.suppressed.out_dir / after["files"]["csv"], separator=";")
            headers = {c["field"]: c["header"] for c in after["columns"]}
            for column in counts:
                values = frame[headers[column]].drop_nulls()
                assert not ((values > 0) & (values < 5)).any(), (after["key"], column)
    assert touched > 10
    document = Document(str(packs.suppressed.docx))
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    assert "<5" in cells
    intro = "\n".join(p.text for p in document.paragraphs[:12])
    assert "Diskretionering af små tal: Brugt" in intro


def test_cli_explains_an_unknown_period(
    packs: Packs, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = ["--municipality", "haderslev kommune", "--period", "1999", "--out", str(tmp_path)]
    assert main([*argv, "--db", str(packs.db)]) == 2
    err = capsys.readouterr().err
    assert "Ukendt beretningsperiode" in err and "2024 (510-2024)" in err
    assert not any(tmp_path.iterdir())


def test_period_resolution(packs: Packs) -> None:
    con = packs.con
    assert resolve_municipality(con, "HADERSLEV") == ("510", "Haderslev")
    assert resolve_period(con, "165", "2024/25").period_id == "165-2024"
    with pytest.raises(PackInputError):
        resolve_municipality(con, "Aarhus")
    assert period_for_filters(con, F) == "510-2024"
    # without a period the view opens on the report's own period (published figures), not on the
    # later generated example period 2025
    assert period_for_filters(con, Filters(municipalities=("510",)), TODAY) == "510-2024"
    assert period_for_filters(con, Filters()) is None


def test_data_page_offers_the_report_pack_button(
    packs: Packs, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "app.duckdb"
    shutil.copy(packs.db, db)  # the app opens its database read-write
    at = open_app(db, monkeypatch, "kommune=510&periode=510-2024").run()
    at.switch_page("views/data.py").run()
    assert not at.exception, at.exception[0].value if at.exception else ""
    assert at.button(key="pack_build").label == "Eksportér beretningspakke"
    assert any("Haderslev, 2024" in c.value for c in at.caption)
