"""The sample data: generated records reproduce every published figure, and the generator is reproducible."""

from __future__ import annotations

import csv
import filecmp
import re
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest

from data_model.db import connect
from data_model.parsing import looks_like_cpr
from queries.published_check import EXPRESSIBLE, recompute
from sample_data.generate import DEFAULT_SEED, generate
from tests.conftest import ROOT, TODAY

SAMPLE = ROOT / "sample_data"
GENERATED = SAMPLE / "generated"


def _figures() -> list[dict[str, str]]:
    rows = []
    for path in sorted((SAMPLE / "reports").glob("*/published_figures.csv")):
        with path.open(encoding="utf-8-sig", newline="") as fh:
            rows += list(csv.DictReader(fh))
    return rows


FIGURES = _figures()
CHECKED = [
    f
    for f in FIGURES
    if f["measure"] in EXPRESSIBLE and (f["value_unit"] or "count") == "count" and not f["flag"]
]


def _reports_dir() -> Path | None:
    for candidate in (ROOT.parent / "shared" / "reports", Path("/work/shared/reports")):
        if candidate.is_dir():
            return candidate
    return None


REPORTS = _reports_dir()


@pytest.fixture(scope="module")
def con(sample_path: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    db = connect(sample_path)
    yield db
    db.close()


# --- calibration -------------------------------------------------------------------------------


def test_many_figures_are_checked() -> None:
    assert len(CHECKED) > 500


@pytest.mark.parametrize("figure", CHECKED, ids=[f["figure_id"] for f in CHECKED])
def test_figure_is_reproduced(con: duckdb.DuckDBPyConnection, figure: dict[str, str]) -> None:
    assert recompute(con, figure) == int(float(figure["value"]))


def test_sample_loads_cleanly(con: duckdb.DuckDBPyConnection) -> None:
    from data_model.check import dangling_references

    assert dangling_references(con) == []
    generated = con.execute("SELECT count(*) FROM inquiry WHERE provenance = 'generated'").fetchone()
    assert generated is not None and generated[0] > 1000


# --- transcriptions: the printed value is on the cited line ---------------------------------------

WORDS = {
    1: ("et", "en", "ét", "én"),
    2: ("to",),
    3: ("tre",),
    4: ("fire",),
    5: ("fem",),
    6: ("seks",),
    7: ("syv",),
    8: ("otte",),
    9: ("ni",),
    10: ("ti",),
    11: ("elleve",),
    12: ("tolv",),
}


def _printed_forms(figure: dict[str, str]) -> list[re.Pattern[str]]:
    value = float(figure["value"])
    forms: list[str] = []
    if value.is_integer():
        n = int(value)
        forms.append(str(n))
        if n >= 1000:
            forms.append(f"{n:,}".replace(",", "."))
    else:
        forms.append(figure["value"].replace(".", ","))
    patterns = [re.compile(rf"(?<![\d,.]){re.escape(f)}(?![\d]|,\d)") for f in forms]
    if figure["value_unit"] == "percent":
        patterns += [re.compile(rf"(?<![\d,.]){re.escape(f)}\s?%") for f in forms]
    if "printed as a word" in figure["note"] or "printed as words" in figure["note"]:
        words = WORDS.get(int(value), ()) if value.is_integer() else ()
        patterns += [re.compile(rf"(?<!\w){w}(?!\w)", re.IGNORECASE) for w in words]
    return patterns


SOURCED = [f for f in FIGURES if f["source_file"] and f["source_line"]]


@pytest.mark.parametrize("figure", SOURCED, ids=[f["figure_id"] for f in SOURCED])
def test_value_is_on_its_source_line(figure: dict[str, str]) -> None:
    if REPORTS is None:
        pytest.skip("the source reports are not available")
    path = REPORTS / figure["source_file"]
    if not path.is_file():
        pytest.skip(f"{figure['source_file']} is not available")
    lines = path.read_text(encoding="utf-8").splitlines()
    line = lines[int(figure["source_line"]) - 1]
    assert any(p.search(line) for p in _printed_forms(figure)), f"{figure['value']} not in line: {line!r}"


# --- the generator ---------------------------------------------------------------------------------


def test_generator_is_reproducible(tmp_path: Path) -> None:
    first, second = tmp_path / "a", tmp_path / "b"
    generate(first, TODAY, DEFAULT_SEED)
    generate(second, TODAY, DEFAULT_SEED)
    names = sorted(p.name for p in first.iterdir())
    assert names == sorted(p.name for p in second.iterdir())
    _, mismatch, errors = filecmp.cmpfiles(first, second, names, shallow=False)
    assert not mismatch and not errors
    committed = sorted(p.name for p in GENERATED.glob("*.csv"))
    assert committed == names, "sample_data/generated/ is missing files; run python -m sample_data.generate"
    _, mismatch, errors = filecmp.cmpfiles(first, GENERATED, names, shallow=False)
    assert not mismatch and not errors, (
        f"sample_data/generated/ is stale ({mismatch}); run python -m sample_data.generate --today {TODAY}"
    )


def test_another_seed_gives_other_records(tmp_path: Path) -> None:
    generate(tmp_path, TODAY, DEFAULT_SEED + 1)
    assert (tmp_path / "inquiries.csv").read_bytes() != (GENERATED / "inquiries.csv").read_bytes()


def _rows(name: str) -> list[dict[str, str]]:
    with (GENERATED / name).open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


@pytest.mark.parametrize("name", ["inquiries.csv", "appeal_decisions.csv", "appeal_statistics.csv"])
def test_generated_rows_are_labelled(name: str) -> None:
    rows = _rows(name)
    assert rows
    assert {r["provenance"] for r in rows} == {"generated"}


def test_nothing_is_dated_after_today() -> None:
    for name, columns in [
        ("inquiries.csv", ("received", "closed")),
        ("appeal_decisions.csv", ("decided",)),
        ("events.csv", ("date",)),
        ("report_periods.csv", ("start_date", "end_date")),
    ]:
        for row in _rows(name):
            for column in columns:
                assert not row[column] or row[column] <= TODAY.isoformat(), (name, row)
    assert all(int(r["year"]) < TODAY.year for r in _rows("appeal_statistics.csv"))


def test_no_summary_looks_like_a_cpr_number() -> None:
    summaries = [r["summary"] for r in _rows("inquiries.csv") if r["summary"]]
    assert summaries
    assert not [s for s in summaries if looks_like_cpr(s)]


def test_generated_files_are_small() -> None:
    assert sum(p.stat().st_size for p in GENERATED.glob("*.csv")) < 5_000_000
