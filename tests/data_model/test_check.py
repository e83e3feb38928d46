"""Issue 16, class 4 "damage goes unnoticed": the fault script.

Flips bytes inside the data blocks of a copy of the seeded database and runs every command on it.
DuckDB keeps a checksum per storage block and checks it when a block is read, so damage shows
wherever data is read: ``check`` must read every table whole, ``export`` and ``backup`` must refuse
in Danish without a traceback, ``restore`` must explain, and a backup must be verified after
writing. Run alone: ``python -m pytest tests/data_model/test_check.py -q``.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import duckdb
import pytest

from data_model.backup import MANIFEST, BackupError, backup_database
from data_model.check import check_report, scan_tables
from data_model.db import connect
from tests.cli_run import cli  # a fresh process per command: DuckDB caches open databases

pytestmark = pytest.mark.slow

HEADER = 3 * 4096  # DuckDB's main header and two database headers
CHECKSUM = 8  # each block starts with its checksum


@pytest.fixture(scope="module")
def good_backup(sample_path: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("good") / "kopi"
    con = connect(sample_path, read_only=True)
    backup_database(con, out)
    con.close()
    return out


def segments(path: Path) -> dict[str, list[tuple[int, int]]]:
    """(block id, offset in block) of every stored column segment, per table."""
    con = duckdb.connect(str(path), read_only=True)
    try:
        block_size = con.execute("SELECT block_size FROM pragma_database_size()").fetchall()[0][0]
        assert block_size == 262144
        found: dict[str, list[tuple[int, int]]] = {}
        for (table,) in con.execute("SELECT table_name FROM duckdb_tables() ORDER BY 1").fetchall():
            rows = con.execute(
                "SELECT block_id, block_offset FROM pragma_storage_info(?) WHERE block_id >= 0 ORDER BY 1, 2",
                [table],
            ).fetchall()
            if rows:
                found[str(table)] = [(int(b), int(o)) for b, o in rows]
        return found
    finally:
        con.close()


def flip(path: Path, block: int, offset: int, length: int = 16) -> None:
    position = HEADER + block * 262144 + CHECKSUM + offset
    with path.open("r+b") as handle:
        handle.seek(position)
        data = handle.read(length)
        handle.seek(position)
        handle.write(bytes(b ^ 0xFF for b in data))


def damaged_copy(sample_path: Path, folder: Path, table: str) -> Path:
    target = Path(shutil.copy(sample_path, folder / f"{table}-damaged.duckdb"))
    block, offset = segments(sample_path)[table][0]
    flip(target, block, offset + 8)
    return target


def test_every_command_on_a_damaged_database(sample_path: Path, good_backup: Path, tmp_path: Path) -> None:
    db = damaged_copy(sample_path, tmp_path, "inquiry")

    checked = cli("check", "--db", str(db))
    assert checked.returncode == 1, checked.stderr
    assert "Tabellen inquiry er beskadiget" in checked.stdout and "BESKADIGET" in checked.stdout
    assert "Gendan den seneste sikkerhedskopi" in checked.stdout

    out = tmp_path / "inquiries.csv"
    exported = cli("export", "--kind", "inquiries", "--format", "csv", "--out", str(out), "--db", str(db))
    assert exported.returncode == 2 and "Traceback" not in exported.stderr
    assert exported.stderr.startswith("Fejl: Databasen er beskadiget") and not out.exists()
    themes = cli(
        "export", "--kind", "themes", "--format", "csv", "--out", str(tmp_path / "t.csv"), "--db", str(db)
    )
    assert themes.returncode == 0, themes.stderr  # undamaged tables still export

    copy = tmp_path / "kopi"
    backed_up = cli("backup", "--out", str(copy), "--db", str(db))
    assert backed_up.returncode == 2 and "Traceback" not in backed_up.stderr
    assert "Tabellen inquiry er beskadiget" in backed_up.stderr and "ikke taget nogen" in backed_up.stderr
    assert not copy.exists()

    refused = cli("restore", str(good_backup), "--db", str(db))
    assert refused.returncode == 2 and "beskadiget" in refused.stderr and "--force" in refused.stderr
    restored = cli("restore", str(good_backup), "--db", str(db), "--force")
    assert restored.returncode == 0, restored.stderr
    assert cli("check", "--db", str(db)).returncode == 0


@pytest.mark.parametrize(
    "table",
    [
        "inquiry",
        "complaint_point",
        "published_figure",
        "appeal_decision",
        "recommendation",
        "audit_log",
        "municipality",
    ],
)
def test_check_finds_damage_in_any_table(sample_path: Path, tmp_path: Path, table: str) -> None:
    db = damaged_copy(sample_path, tmp_path, table)
    con = duckdb.connect(str(db), read_only=True)  # as connect() would: the catalog is intact
    try:
        damaged = {s.table for s in scan_tables(con) if s.problem}
        text, healthy = check_report(con)
    finally:
        con.close()
    assert table in damaged and not healthy
    assert f"Tabellen {table} er beskadiget" in text


def test_check_finds_single_byte_flips_anywhere_in_the_data(sample_path: Path, tmp_path: Path) -> None:
    """30 random single-byte flips (fixed seed) inside stored column segments of any table."""
    import random

    rng = random.Random(16)
    places = [
        (table, block, offset) for table, found in segments(sample_path).items() for block, offset in found
    ]
    missed = []
    for case in range(30):
        table, block, offset = rng.choice(places)
        db = Path(shutil.copy(sample_path, tmp_path / f"flip-{case}.duckdb"))
        flip(db, block, offset + rng.randrange(24), length=1)
        con = duckdb.connect(str(db), read_only=True)
        try:
            if table not in {s.table for s in scan_tables(con) if s.problem}:
                missed.append((table, block, offset))
        finally:
            con.close()
        db.unlink()
    assert missed == []


def test_check_of_an_intact_copy_is_clean(sample_path: Path, tmp_path: Path) -> None:
    con = connect(Path(shutil.copy(sample_path, tmp_path / "intact.duckdb")), read_only=True)
    try:
        scans = scan_tables(con)
        assert not any(s.problem for s in scans) and sum(s.rows or 0 for s in scans) > 10_000
        assert check_report(con)[1]
    finally:
        con.close()


def test_a_damaged_backup_file_is_refused_before_anything_is_written(
    good_backup: Path, tmp_path: Path
) -> None:
    copy = Path(shutil.copytree(good_backup, tmp_path / "kopi"))
    data = bytearray((copy / "inquiry.parquet").read_bytes())
    data[len(data) // 2] ^= 0xFF
    (copy / "inquiry.parquet").write_bytes(bytes(data))
    target = tmp_path / "ny.duckdb"
    result = cli("restore", str(copy), "--db", str(target))
    assert result.returncode == 2 and "kontrolsummen passer ikke" in result.stderr
    assert not target.exists()


@pytest.mark.parametrize("fault", ["flip", "truncate"])
def test_a_backup_is_verified_after_writing(
    sample_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fault: str
) -> None:
    """The disk returns something else than what was written: the backup is refused and removed."""
    import data_model.backup as backup

    real = backup.pq.write_table

    def write_then_damage(table: Any, where: Any, *args: Any, **kwargs: Any) -> None:
        real(table, where, *args, **kwargs)
        if Path(where).name == "inquiry.parquet":  # what the disk gives back is not what was written
            data = bytearray(Path(where).read_bytes())
            if fault == "flip":
                middle = len(data) // 2
                data[middle : middle + 64] = bytes(b ^ 0xFF for b in data[middle : middle + 64])
            else:
                del data[len(data) // 2 :]
            Path(where).write_bytes(bytes(data))

    monkeypatch.setattr(backup.pq, "write_table", write_then_damage)
    con = connect(sample_path, read_only=True)
    try:
        with pytest.raises(BackupError, match=r"inquiry\.parquet"):
            backup_database(con, tmp_path / "kopi")
    finally:
        con.close()
    assert not (tmp_path / "kopi").exists()


def test_a_finished_backup_is_complete(sample_path: Path, tmp_path: Path) -> None:
    con = connect(sample_path, read_only=True)
    try:
        manifest = backup_database(con, tmp_path / "kopi")
    finally:
        con.close()
    assert (tmp_path / "kopi" / MANIFEST).is_file()
    assert {t["name"] for t in manifest["tables"]} >= {"inquiry", "complaint_point", "schema_version"}
