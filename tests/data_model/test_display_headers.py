"""Queries return English column names; ``display_frame`` alone gives them their Danish headers."""

from __future__ import annotations

from datetime import date

from data_model.display import display_frame, readable_audit
from data_model.editing import audit_entries
from data_model.labels import PROVENANCE_LABELS
from queries import inquiries
from queries.filters import Filters
from queries.periods import Span
from queries.provenance import import_history, provenance_counts


def _english(columns: list[str]) -> bool:
    return all(name.isascii() and name == name.lower() for name in columns)


def test_the_underlying_inquiries(query_db) -> None:
    rows = inquiries.inquiry_rows(
        query_db, Filters(municipalities=("999",)), Span(date(2024, 1, 1), date(2024, 12, 31), "2024")
    )
    assert _english(rows.columns)
    shown = display_frame(rows.with_columns(rows["provenance"].replace(PROVENANCE_LABELS)))
    assert shown.columns == [
        "Henvendelse", "Modtaget", "Afsluttet", "Kommune", "Forvaltning", "Enhed", "Type", "Udfald", "Temaer", "Oprindelse",
    ]  # fmt: skip
    assert shown.row(0, named=True)["Henvendelse"] == "i4"


def test_import_history_audit_log_and_provenance(query_db) -> None:
    history = import_history(query_db)
    assert _english(history.columns) and history.height > 0
    assert display_frame(history).columns == ["Tidspunkt", "Af", "Type", "Fil", "Nye", "Ændrede", "Uændrede"]
    from data_model.editing import load_row, save, validate

    record, _ = validate("inquiries", {**load_row(query_db, "inquiries", ("i2",)), "summary": "ny"})  # type: ignore[dict-item]
    save(query_db, "inquiries", record, actor="test", expected=load_row(query_db, "inquiries", ("i2",)))  # type: ignore[arg-type]
    audit = audit_entries(query_db)
    assert _english(audit.columns)
    shown = display_frame(readable_audit(audit))
    assert shown.columns == ["Tidspunkt", "Af", "Handling", "Tabel", "Post", "Ændring"]
    assert shown.row(0, named=True)["Post"] == "i2" and shown.row(0, named=True)["Tabel"] == "Henvendelser"
    counts = provenance_counts(query_db)
    assert _english(counts.columns) and set(counts["table"]) <= {
        "inquiries", "appeal_decisions", "appeal_statistics", "published_figures",
    }  # fmt: skip
    assert display_frame(counts).columns == ["Tabel", "Oprindelse", "Rækker"]
