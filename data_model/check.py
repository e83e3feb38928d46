"""Database health: every table read completely (damage), schema version, row counts and
references that point nowhere."""

from __future__ import annotations

from dataclasses import dataclass

import duckdb

from data_model.db import base_tables, current_version, is_disk_full
from data_model.db import quote_name as _quote
from data_model.db import table_columns as _table_columns
from data_model.kinds import KINDS
from data_model.labels import KIND_LABELS, field_label
from data_model.schema import LATEST_VERSION

_TARGETS = {
    "municipality": ("municipality", "code"),
    "unit": ("org_unit", "unit_id"),
    "theme": ("theme", "code"),
    "period": ("report_period", "period_id"),
    "inquiry": ("inquiry", "inquiry_id"),
    "recommendation": ("recommendation", "recommendation_id"),
}


@dataclass(frozen=True)
class DanglingReference:
    kind: str
    column: str
    value: str
    rows: int

    def as_text(self) -> str:
        return (
            f"{KIND_LABELS.get(self.kind, self.kind)}: {field_label(self.column)} '{self.value}' "
            f"findes ikke ({self.rows} række(r))"
        )


def dangling_references(con: duckdb.DuckDBPyConnection) -> list[DanglingReference]:
    found: list[DanglingReference] = []
    for kind in KINDS.values():
        for ref in kind.references:
            values = (
                f"unnest({ref.column})"
                if ref.many and kind.table in {"recommendation", "appeal_decision"}
                else f"unnest(string_split({ref.column}, ';'))"
                if ref.many
                else ref.column
            )
            if ref.target.startswith("category:"):
                known = "SELECT code FROM category WHERE kind = ?"
                params = [ref.target.split(":", 1)[1]]
            else:
                table, key = _TARGETS[ref.target]
                known, params = f"SELECT {key} FROM {table}", []  # noqa: S608
            sql = (
                f"SELECT v, count(*) FROM (SELECT {values} AS v FROM {kind.table}) "  # noqa: S608
                f"WHERE v IS NOT NULL AND v <> '' AND v NOT IN ({known}) GROUP BY v ORDER BY v"
            )
            for value, rows in con.execute(sql, params).fetchall():
                found.append(DanglingReference(kind.name, ref.column, str(value), int(rows)))
    return found


@dataclass(frozen=True)
class TableScan:
    table: str
    rows: int | None  # None when the table could not be read to the end
    problem: str | None  # Danish, for a damaged table

    def as_text(self) -> str:
        return f"Tabellen {self.table} {self.problem}"


def damage_reason(exc: BaseException) -> str:
    """A Danish reason for a DuckDB error met while reading stored data."""
    text = str(exc).lower()
    if "checksum" in text or "corrupt" in text:
        return "er beskadiget: en datablok i filen passer ikke med sin kontrolsum"
    if is_disk_full(exc):
        return "kan ikke læses, fordi disken er fuld"
    if "read" in text or isinstance(exc, duckdb.IOException):
        return "kan ikke læses: filen er afkortet eller beskadiget"
    return f"kan ikke læses helt ({exc.__class__.__name__}): filen er sandsynligvis beskadiget"


def rule_violations(con: duckdb.DuckDBPyConnection, table: str) -> list[str]:
    """Rows that break the table's own NOT NULL, PRIMARY KEY/UNIQUE and CHECK constraints, in Danish.

    DuckDB never writes such rows, so any found means the stored bytes changed underneath it: a
    second line of defence for damage the block checksum misses (it XORs one value per 8-byte
    word, so two identical words flipped the same way cancel out). Column names and CHECK
    expressions come from the DuckDB catalog, i.e. from our migrations, never from input.
    """
    found: list[str] = []
    name = _quote(table)
    constraints = con.execute(
        "SELECT constraint_type, constraint_column_names, expression, constraint_text FROM duckdb_constraints() "
        "WHERE database_name = current_database() AND schema_name = 'main' AND table_name = ? "
        "AND constraint_type IN ('NOT NULL', 'PRIMARY KEY', 'UNIQUE', 'CHECK')",
        [table],
    ).fetchall()
    not_null = sorted({str(c) for kind, cols, _, _ in constraints if kind == "NOT NULL" for c in cols})
    if not_null:
        condition = " OR ".join(f"{_quote(c)} IS NULL" for c in not_null)
        missing = con.execute(f"SELECT count(*) FROM {name} WHERE {condition}").fetchall()[0][0]  # noqa: S608
        if missing:
            found.append(f"{missing} række(r) mangler en påkrævet værdi ({', '.join(not_null)})")
    for kind, cols, expression, text in constraints:
        if kind in {"PRIMARY KEY", "UNIQUE"}:
            key = ", ".join(_quote(str(c)) for c in cols)
            dupes = con.execute(
                f"SELECT count(*) FROM (SELECT {key} FROM {name} GROUP BY {key} HAVING count(*) > 1)"  # noqa: S608
            ).fetchall()[0][0]
            if dupes:
                found.append(f"{dupes} nøgle(r) ({', '.join(map(str, cols))}) findes mere end én gang")
        elif kind == "CHECK" and expression:
            broken = con.execute(f"SELECT count(*) FROM {name} WHERE NOT ({expression})").fetchall()[0][0]  # noqa: S608
            if broken:
                found.append(f"{broken} række(r) bryder reglen {text}")
    return found


def scan_tables(con: duckdb.DuckDBPyConnection) -> list[TableScan]:
    """Read every stored value of every table once (a checksum per column over all rows), so a
    damaged block anywhere in the table data fails here (DuckDB checks each block's checksum on
    read) instead of later on some page; then check the table's own constraints over all rows.
    Names come from the DuckDB catalog, never from input."""
    scans: list[TableScan] = []
    for table in base_tables(con):
        columns = _table_columns(con, str(table))
        # hash() needs every value (and its validity), unlike count(column) or min/max statistics
        aggregates = ", ".join(f"bit_xor(hash({_quote(c)}))" for c in columns)
        sql = f"SELECT count(*), {aggregates} FROM {_quote(str(table))}"  # noqa: S608
        try:
            rows = int(con.execute(sql).fetchall()[0][0])
            broken = rule_violations(con, str(table))
        except duckdb.Error as exc:
            scans.append(TableScan(str(table), None, damage_reason(exc)))
            continue
        problem = "er beskadiget: " + "; ".join(broken) if broken else None
        scans.append(TableScan(str(table), rows, problem))
    return scans


def check_report(con: duckdb.DuckDBPyConnection) -> tuple[str, bool]:
    """Human-readable report and whether the database is healthy."""
    version = current_version(con)
    scans = scan_tables(con)
    damaged = [s for s in scans if s.problem]
    lines = [
        f"Skemaversion: {version} (programmet kender {LATEST_VERSION})",
        "",
        "Rækker (hver tabel læst helt):",
    ]
    for scan in scans:
        shown = "BESKADIGET" if scan.rows is None else f"{scan.rows}{' (!)' if scan.problem else ''}"
        lines.append(f"  {scan.table:<18} {shown:>10}")
    lines.append("")
    if damaged:
        lines.append(f"Beskadigede tabeller: {len(damaged)}")
        lines.extend(f"  {s.as_text()}" for s in damaged)
        lines.append(
            "Databasen er beskadiget. Gendan den seneste sikkerhedskopi "
            "(python -m data_model restore MAPPE --force), og kør check igen."
        )
        lines.append("Referencer er ikke kontrolleret, fordi data mangler.")
        return "\n".join(lines), False
    lines.append("Beskadigede tabeller: ingen")
    dangling = dangling_references(con)
    if dangling:
        lines.append(f"Referenceproblemer: {len(dangling)}")
        lines.extend(f"  {d.as_text()}" for d in dangling)
    else:
        lines.append("Referenceproblemer: ingen")
    return "\n".join(lines), not dangling and version == LATEST_VERSION
