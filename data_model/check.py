"""Database health: schema version, row counts and references that point nowhere."""

from __future__ import annotations

from dataclasses import dataclass

import duckdb

from data_model.db import current_version, row_counts
from data_model.integrity import integrity_lines
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


def check_report(con: duckdb.DuckDBPyConnection) -> tuple[str, bool]:
    """Human-readable report and whether the database is healthy."""
    version = current_version(con)
    lines = [f"Skemaversion: {version} (programmet kender {LATEST_VERSION})", "", "Rækker:"]
    for table, count in row_counts(con).items():
        lines.append(f"  {table:<18} {count:>9}")
    dangling = dangling_references(con)
    lines.append("")
    if dangling:
        lines.append(f"Referenceproblemer: {len(dangling)}")
        lines.extend(f"  {d.as_text()}" for d in dangling)
    else:
        lines.append("Referenceproblemer: ingen")
    broken = integrity_lines(con)
    lines.extend(broken)
    return "\n".join(lines), not dangling and not broken and version == LATEST_VERSION
