"""The Data page's coded import: upload, preview, the full validation report, and only then the
import button. Nothing is written before the user has seen the validation."""

from __future__ import annotations

from collections.abc import Sized
from typing import Protocol

import polars as pl
import streamlit as st

from dashboard.connection import get_connection
from dashboard.layout import table_downloads
from dashboard.safe_text import md_escape
from dashboard.uploader import danish_uploader_style
from data_model.importer import import_file
from data_model.kinds import KINDS, describe
from data_model.labels import KIND_LABELS
from data_model.personal_data import mask_value
from data_model.readers import MAX_FILE_BYTES, too_large_message
from data_model.uploads import check_upload, forget

UPLOAD_TYPES = ["csv", "txt", "xlsx", "parquet"]


def import_section(actor: str) -> None:
    """Upload, preview, the full validation report, and only then the import button."""
    kind = st.selectbox(
        "Hvad indeholder filen?", list(KINDS), format_func=lambda k: KIND_LABELS.get(k, k), key="import_kind"
    )
    with st.expander("Kolonner for denne type"):
        st.code(describe(KINDS[kind]), language=None)
    cap_mb = MAX_FILE_BYTES // (1024 * 1024)
    danish_uploader_style(UPLOAD_TYPES, cap_mb)
    upload = st.file_uploader(
        f"Fil (CSV, Excel eller Parquet, højst {cap_mb} MB)",
        type=UPLOAD_TYPES,
        key="import_file",
        help="Træk filen hen på feltet, eller klik på »Vælg fil«. Intet gemmes, før du har set valideringen.",
        # The browser stops files far over the cap before they are sent; those just over it reach
        # the check below, which says why in Danish.
        max_upload_size=2 * cap_mb,
    )
    if upload is not None:
        if upload.size > MAX_FILE_BYTES:  # refused before its bytes are read or parsed
            st.error(f"{md_escape(mask_value(upload.name))}: {too_large_message(upload.size)}", icon="🚫")
            return
        data = upload.getvalue()
        check = check_upload(get_connection().cursor(), upload.name, data, kind, st.session_state)
        preview, report = check.preview, check.report
        if preview is not None:
            headers = [mask_value(h) for h in preview.headers]  # CPR numbers are never shown
            st.caption(
                f"Forhåndsvisning: {len(preview.rows)} rækker, kolonner: {md_escape(', '.join(headers))}"
            )
            st.dataframe(
                [dict(zip(headers, map(mask_value, row), strict=False)) for row in preview.rows[:10]],
                hide_index=True,
            )
        if report.problems:
            st.error(f"{md_escape(report.summary())} Ret filen og indlæs den igen.", icon="🚫")
            problems = report.problems_frame()
            st.dataframe(problems, hide_index=True)
            table_downloads(problems, "valideringsrapport", "problems")
        else:
            st.success(
                f"Alle {report.rows} rækker er gyldige: {report.new} nye, {report.changed} ændres, "
                f"{report.unchanged} uændrede. Intet er skrevet endnu.",
                icon="✅",
            )
            show_changes(report, "hvis du indlæser filen. Kolonner, som filen ikke har, bevares.")
            if st.button(f"Indlæs {report.rows} rækker", type="primary", key="do_import"):
                done = import_file(
                    get_connection().cursor(), upload.name, kind, data=data, actor=actor, table=preview
                )
                forget(st.session_state)  # the database changed: the next check must run again
                (st.success if done.ok else st.error)(md_escape(done.summary()))


class PlannedChanges(Protocol):
    """A file's or a sheet's check: the stored values its import would change or clear."""

    @property
    def changes(self) -> Sized: ...

    def changes_frame(self) -> pl.DataFrame: ...


def show_changes(report: PlannedChanges, consequence: str) -> None:
    """Stored values a file or sheet would change or clear, before anything is written."""
    if report.changes:
        st.warning(
            f"{len(report.changes)} gemt(e) værdi(er) bliver ændret eller tømt {consequence}", icon="⚠️"
        )
        st.dataframe(report.changes_frame(), hide_index=True)
