"""The Data page's "Beretningspakke": every figure of the selected municipality and report period
in one zip (``report_pack.archive``), with a progress bar and a download button."""

from __future__ import annotations

import streamlit as st

from dashboard.connection import get_connection
from dashboard.data import query
from dashboard.safe_text import md_escape
from data_model.labels import SMALL_N
from queries.filters import Filters
from report_pack.archive import pack_archive
from report_pack.resolve import PackInputError, period_by_id, period_for_filters
from report_pack.template import load_template


def report_pack_section(filters: Filters) -> None:
    st.subheader("Beretningspakke")
    period_id = query(period_for_filters, filters)
    if not filters.municipality or period_id is None:
        st.info(
            "Vælg en kommune og en beretningsperiode i menuen til venstre for at eksportere en beretningspakke.",
            icon="ℹ️",
        )
        return
    try:
        period = query(period_by_id, period_id)
    except PackInputError as exc:
        st.warning(md_escape(exc))
        return
    template = query(load_template, period.municipality_code)
    use_template = bool(template) and st.checkbox(
        f"Følg kommunens rapportskabelon ({len(template)} tabeller og figurer)",
        value=True,
        key="pack_template",
        help="Skabelonen redigeres på siden Krydstabel. Uden skabelon indeholder pakken standardfigurerne.",
    )
    contents = "Rapportskabelonens tabeller og figurer" if use_template else "Alle standardfigurer"
    st.caption(
        f"{contents} for {md_escape(period.municipality_name)}, {md_escape(period.label)} som PNG og SVG, tallene bag "
        "dem som CSV og Excel, figures.json og et Word-dokument med nummererede tabeller og figurer, i én zip-fil."
    )
    hide_small = st.checkbox(f"Skjul små tal (1–{SMALL_N - 1}) til offentliggørelse", key="pack_suppress")
    threshold = SMALL_N if hide_small else None
    wanted = (period.period_id, threshold, use_template)
    if st.button("Eksportér beretningspakke", type="primary", icon=":material/folder_zip:", key="pack_build"):
        with st.status("Bygger beretningspakken …", expanded=True) as status:
            bar = st.progress(0.0, text="Henter tallene …")

            def progress(fraction: float, message: str) -> None:
                bar.progress(min(max(fraction, 0.0), 1.0), text=message)

            try:
                archive = pack_archive(
                    get_connection().cursor(),
                    period.municipality_code,
                    period.period_id,
                    threshold,
                    progress,
                    use_template=use_template,
                )
            except Exception as exc:  # shown to the user; the page keeps working
                status.update(label="Beretningspakken kunne ikke bygges", state="error")
                st.error(f"Beretningspakken kunne ikke bygges: {md_escape(exc)}")
                return
            st.session_state["pack_zip"] = (wanted, archive)
            status.update(label="Beretningspakken er klar", state="complete", expanded=False)
    built = st.session_state.get("pack_zip")
    if built and built[0] == wanted:
        archive = built[1]
        st.caption(archive.summary)
        st.download_button(
            "Hent beretningspakken (zip)",
            data=archive.data,
            file_name=archive.file_name,
            mime="application/zip",
            on_click="ignore",
            icon=":material/download:",
            key="pack_download",
        )
