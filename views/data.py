"""Data: import files (preview and full validation report before anything is written), export
tables, and where the loaded data comes from (published, generated, imported)."""

from __future__ import annotations

import streamlit as st

from dashboard.connection import get_connection
from dashboard.data import query
from dashboard.layout import page_header, table_downloads
from data_model.export import FORMATS, MIME_TYPES, frame_to_bytes, kind_frame
from data_model.importer import import_file
from data_model.kinds import KINDS, describe
from data_model.labels import KIND_LABELS, PROVENANCE_LABELS
from data_model.readers import UnreadableFile, read_table
from queries import benchmark
from queries.provenance import import_history, provenance_counts

page_header("Data", "Indlæs, hent og efterse data. En fil indlæses helt eller slet ikke.", "Hele databasen")
importing, exporting, origin = st.tabs(["Indlæs", "Hent", "Oprindelse"])

with importing:
    kind = st.selectbox(
        "Hvad indeholder filen?", list(KINDS), format_func=lambda k: KIND_LABELS.get(k, k), key="import_kind"
    )
    with st.expander("Kolonner for denne type"):
        st.code(describe(KINDS[kind]), language=None)
    upload = st.file_uploader(
        "Fil (CSV, Excel eller Parquet)", type=["csv", "txt", "xlsx", "parquet"], key="import_file"
    )
    if upload is not None:
        data = upload.getvalue()
        try:
            preview = read_table(upload.name, data)
            st.caption(
                f"Forhåndsvisning: {len(preview.rows)} rækker, kolonner: {', '.join(map(str, preview.headers))}"
            )
            st.dataframe(
                [
                    dict(zip(map(str, preview.headers), map(str, row), strict=False))
                    for row in preview.rows[:10]
                ],
                hide_index=True,
            )
        except UnreadableFile:
            pass  # the validation report below says why
        report = import_file(get_connection().cursor(), upload.name, kind, data=data, dry_run=True)
        if report.problems:
            st.error(f"{report.summary()} Ret filen og indlæs den igen.", icon="🚫")
            problems = report.problems_frame()
            st.dataframe(problems, hide_index=True)
            table_downloads(problems, "valideringsrapport", "problems")
        else:
            st.success(f"Alle {report.rows} rækker er gyldige. Intet er skrevet endnu.", icon="✅")
            if st.button(f"Indlæs {report.rows} rækker", type="primary", key="do_import"):
                done = import_file(get_connection().cursor(), upload.name, kind, data=data)
                (st.success if done.ok else st.error)(done.summary())

with exporting:
    export_kind = st.selectbox(
        "Tabel", list(KINDS), format_func=lambda k: KIND_LABELS.get(k, k), key="export_kind"
    )
    fmt = st.radio(
        "Format",
        FORMATS,
        horizontal=True,
        key="export_format",
        format_func=lambda f: {"csv": "CSV (Excel, semikolon)", "xlsx": "Excel", "parquet": "Parquet"}[f],
    )
    st.download_button(
        f"Hent {KIND_LABELS.get(export_kind, export_kind).lower()}",
        data=lambda: frame_to_bytes(
            kind_frame(get_connection().cursor(), export_kind), fmt, sheet=export_kind
        ),
        file_name=f"{export_kind}.{fmt}",
        mime=MIME_TYPES[fmt],
        on_click="ignore",
        icon=":material/download:",
        key="export_download",
    )
    st.caption("Filen kan indlæses igen uden dubletter: rækker genkendes på deres nøgle.")

with origin:
    counts = query(provenance_counts)
    st.subheader("Hvor kommer tallene fra?")
    st.dataframe(
        counts.with_columns(counts["provenance"].replace(PROVENANCE_LABELS)),
        hide_index=True,
        column_config={"table": "Tabel", "provenance": "Oprindelse", "rows": "Rækker"},
    )
    st.caption(
        "Publicerede tal er skrevet af efter beretningerne med fil og linje. Genererede data er eksempeldata, "
        "der gengiver beretningernes tal, og vises med 'Generede data' i figurernes kildelinje."
    )
    st.subheader("Indlæsninger")
    st.dataframe(query(import_history), hide_index=True)
    st.subheader("Publicerede tal med kilde")
    figures = query(benchmark.published_figures)
    st.dataframe(figures, hide_index=True)
    table_downloads(figures, "publicerede-tal", "figures")
