"""Data: import files (preview and full validation report before anything is written), export
tables and the report pack, and where the loaded data comes from (published, generated, imported)."""

from __future__ import annotations

import polars as pl
import streamlit as st

from dashboard.auth import current_user, require_editor
from dashboard.backup_panel import backup_section
from dashboard.connection import get_connection
from dashboard.context import PageContext
from dashboard.data import query
from dashboard.import_panel import import_section
from dashboard.layout import page_header, table_downloads
from dashboard.own_data import own_data_section
from dashboard.pack_panel import report_pack_section
from data_model.display import display_frame, kind_download, readable_audit
from data_model.editing import audit_entries
from data_model.export import FORMATS, MIME_TYPES, frame_to_bytes, kind_frame
from data_model.kinds import KINDS
from data_model.labels import FLAG_LABELS, KIND_LABELS, PROVENANCE_LABELS, VALUE_UNIT_LABELS
from data_model.personal_data import mask_frame
from queries import published
from queries.provenance import import_history, provenance_counts

FORMAT_WORDS = {"csv": "CSV (Excel, semikolon)", "xlsx": "Excel", "parquet": "Parquet"}
PUBLISHED_HEADERS = {"label": "Række", "label2": "Kolonne", "flag": "Bemærkning"}


def render(ctx: PageContext) -> None:
    page_header(
        "Data", "Indlæs, hent og efterse data. En fil indlæses helt eller slet ikke.", "Hele databasen"
    )
    importing, exporting, origin = st.tabs(["Indlæs", "Hent", "Oprindelse"])
    with importing:
        user = current_user()
        if require_editor(user):  # viewers read and export; they get no uploader and no import button
            own_data_section(user.id, ctx.filters.municipality)  # her own sheet, set-up, national figures
            import_section(user.id)
    with exporting:
        _export_section()
        report_pack_section(ctx.filters)
    backup_section(exporting)
    with origin:
        _origin_section(ctx)


def _export_section() -> None:
    kind = st.selectbox("Tabel", list(KINDS), format_func=lambda k: KIND_LABELS.get(k, k), key="export_kind")
    fmt = st.radio("Format", FORMATS, horizontal=True, key="export_format", format_func=FORMAT_WORDS.get)
    st.download_button(
        f"Hent {KIND_LABELS.get(kind, kind).lower()}",
        data=lambda: frame_to_bytes(
            kind_download(kind_frame(get_connection().cursor(), kind), fmt), fmt, sheet=kind
        ),
        file_name=f"{kind}.{fmt}",
        mime=MIME_TYPES[fmt],
        on_click="ignore",
        icon=":material/download:",
        key="export_download",
    )
    st.caption("Filen kan indlæses igen uden dubletter: rækker genkendes på deres nøgle.")


def _origin_section(ctx: PageContext) -> None:
    counts = query(provenance_counts).with_columns(
        pl.col("table").replace(KIND_LABELS), pl.col("provenance").replace(PROVENANCE_LABELS)
    )
    st.subheader("Hvor kommer tallene fra?")
    st.dataframe(display_frame(counts, screen=True), hide_index=True)
    st.caption(
        "Publicerede tal er skrevet af efter beretningerne med fil og linje. Genererede data er eksempeldata, "
        "der gengiver beretningernes tal, og vises med 'Genererede data' i figurernes kildelinje."
    )
    st.subheader("Indlæsninger")
    history = mask_frame(query(import_history))  # logs from before the file-name guard: CPR masked
    st.dataframe(
        display_frame(history.with_columns(pl.col("kind").replace(KIND_LABELS)), screen=True), hide_index=True
    )
    st.subheader("Ændringslog")
    st.caption("Hver ændring: hvem, hvornår, hvad, og værdien før og efter.")
    audit = mask_frame(query(audit_entries))
    st.dataframe(display_frame(readable_audit(audit, ctx.names.categories), screen=True), hide_index=True)
    st.subheader("Publicerede tal med kilde")
    figures = query(published.published_figures).select(
        "municipality", "period", "dimension", "label", "dimension2", "label2", "value",
        pl.col("value_unit").replace(VALUE_UNIT_LABELS), "n", "source", pl.col("flag").replace(FLAG_LABELS),
    )  # fmt: skip
    st.dataframe(display_frame(figures, screen=True, labels=PUBLISHED_HEADERS), hide_index=True)
    table_downloads(display_frame(figures, labels=PUBLISHED_HEADERS), "publicerede-tal", "figures")
