from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import polars as pl
import pytest

from data_model.__main__ import main
from tests.conftest import ROOT


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "data_model", *args], cwd=ROOT, capture_output=True, text=True, timeout=120
    )


def test_help_documents_every_kind_and_danish_aliases() -> None:
    out = run("import", "--help").stdout
    for kind in [
        "inquiries",
        "complaint_points",
        "org_units",
        "themes",
        "appeal_decisions",
        "appeal_statistics",
        "recommendations",
        "follow_ups",
        "published_figures",
    ]:
        assert kind in out
    assert "received (Modtaget) [required]" in out and "31-03-2025" in out


def test_import_export_check_round_trip(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = str(tmp_path / "cli.duckdb")
    assert main(["seed", "--empty", "--db", db]) == 0  # import never creates a database
    for name, kind in [("categories.csv", "categories"), ("themes.csv", "themes")]:
        assert main(["import", str(ROOT / "sample_data/reference" / name), "--kind", kind, "--db", db]) == 0
    muni = tmp_path / "m.csv"
    muni.write_text("Kode;Navn\n101;Testby\n", encoding="utf-8")
    assert main(["import", str(muni), "--kind", "municipalities", "--db", db]) == 0
    assert "1 nye" in capsys.readouterr().out
    for fmt in ["csv", "xlsx", "parquet"]:
        out = tmp_path / f"themes.{fmt}"
        assert main(["export", "--kind", "themes", "--format", fmt, "--out", str(out), "--db", db]) == 0
        assert main(["import", str(out), "--kind", "themes", "--db", db]) == 0
        assert "0 nye, 0 ændrede, 17 uændrede" in capsys.readouterr().out
    csv_bytes = (tmp_path / "themes.csv").read_bytes()
    assert csv_bytes.startswith(b"\xef\xbb\xbf") and b";" in csv_bytes.splitlines()[0]
    assert pl.read_parquet(tmp_path / "themes.parquet").height == 17
    assert main(["check", "--db", db]) == 0
    assert "Referenceproblemer: ingen" in capsys.readouterr().out


def test_bad_import_exits_non_zero_and_lists_problems(tmp_path: Path) -> None:
    db = str(tmp_path / "cli.duckdb")
    assert main(["seed", "--empty", "--db", db]) == 0
    bad = tmp_path / "bad.csv"
    bad.write_text("code,name,is_named\n1,A,måske\n", encoding="utf-8")
    result = run("import", str(bad), "--kind", "municipalities", "--db", db)
    assert result.returncode == 1
    assert "Række 2, kolonne Navngivet 'måske': Skal være ja/nej" in result.stderr
    assert "intet importeret" in result.stdout


def test_check_reports_dangling_references(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from data_model.db import connect

    db = tmp_path / "d.duckdb"
    con = connect(db)
    con.execute("INSERT INTO municipality VALUES ('1', 'A', true)")
    con.execute("INSERT INTO org_unit VALUES ('u', '1', 'U', 'afdeling', 'ingen_sektor', NULL, NULL, NULL)")
    con.close()
    assert main(["check", "--db", str(db)]) == 1
    assert "Sektor 'ingen_sektor' findes ikke" in capsys.readouterr().out


def test_missing_database_gives_message_not_trace(tmp_path: Path) -> None:
    result = run("check", "--db", str(tmp_path / "none.duckdb"))
    assert result.returncode == 2
    assert "findes ikke" in result.stderr and "Traceback" not in result.stderr
