"""Data: import files (preview and full validation report before anything is written), export
tables, and where the loaded data comes from (published, generated, imported)."""

from __future__ import annotations

import polars as pl
import streamlit as st

from dashboard.auth import current_user, require_editor
from dashboard.backup_panel import backup_section
from dashboard.connection import get_connection
from dashboard.context import PageContext
from dashboard.data import names, query
from dashboard.layout import page_header, table_downloads
from dashboard.safe_text import md_escape
from dashboard.uploader import danish_uploader_style
from data_model.display import display_frame, kind_download, readable_audit
from data_model.editing import audit_entries
from data_model.export import FORMATS, MIME_TYPES, frame_to_bytes, kind_frame
from data_model.importer import import_file
from data_model.kinds import KINDS, describe
from data_model.labels import KIND_LABELS, PROVENANCE_LABELS
from data_model.personal_data import mask_frame, mask_value
from data_model.readers import MAX_FILE_BYTES, too_large_message
from data_model.uploads import check_upload, forget
from queries import published
from queries.provenance import import_history, provenance_counts

UPLOAD_TYPES = ["csv", "txt", "xlsx", "parquet"]
VALUE_UNITS = {"count": "antal", "percent": "procent", "persons": "personer", "days": "dage", "kr": "kr."}
FLAGS = {"sum_mismatch": "Beretningens egne tal summerer ikke"}


def render(ctx: PageContext) -> None:
    """The page: import, export and origin tabs, and the report pack and backups."""
    page_header(
        "Data", "Indlæs, hent og efterse data. En fil indlæses helt eller slet ikke.", "Hele databasen"
    )
    importing, exporting, origin = st.tabs(["Indlæs", "Hent", "Oprindelse"])

    def _import_section(actor: str) -> None:
        """Upload, preview, the full validation report, and only then the import button."""
        kind = st.selectbox(
            "Hvad indeholder filen?",
            list(KINDS),
            format_func=lambda k: KIND_LABELS.get(k, k),
            key="import_kind",
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
                if report.changes:
                    st.warning(
                        f"{len(report.changes)} gemt(e) værdi(er) bliver ændret eller tømt, hvis du indlæser filen. "
                        "Kolonner, som filen ikke har, bevares.",
                        icon="⚠️",
                    )
                    st.dataframe(report.changes_frame(), hide_index=True)
                if st.button(f"Indlæs {report.rows} rækker", type="primary", key="do_import"):
                    done = import_file(
                        get_connection().cursor(), upload.name, kind, data=data, actor=actor, table=preview
                    )
                    forget(st.session_state)  # the database changed: the next check must run again
                    (st.success if done.ok else st.error)(md_escape(done.summary()))

    with importing:
        user = current_user()
        if require_editor(user):  # viewers read and export; they get no uploader and no import button
            from dashboard.own_data import own_data_section  # her own sheet, set-up, national figures

            own_data_section(user.id)
            _import_section(user.id)

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
                kind_download(kind_frame(get_connection().cursor(), export_kind), fmt), fmt, sheet=export_kind
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
            display_frame(counts.with_columns(counts["provenance"].replace(PROVENANCE_LABELS)), screen=True),
            hide_index=True,
        )
        st.caption(
            "Publicerede tal er skrevet af efter beretningerne med fil og linje. Genererede data er eksempeldata, "
            "der gengiver beretningernes tal, og vises med 'Genererede data' i figurernes kildelinje."
        )
        st.subheader("Indlæsninger")
        history = mask_frame(query(import_history))  # logs from before the file-name guard: CPR masked
        st.dataframe(
            display_frame(history.with_columns(pl.col("Type").replace(KIND_LABELS)), screen=True),
            hide_index=True,
        )
        st.subheader("Ændringslog")
        st.caption("Hver ændring: hvem, hvornår, hvad, og værdien før og efter.")
        audit = mask_frame(query(audit_entries))
        st.dataframe(display_frame(readable_audit(audit, names().categories), screen=True), hide_index=True)
        st.subheader("Publicerede tal med kilde")
        figures = query(published.published_figures).select(
            "municipality",
            "period",
            "dimension",
            "label",
            "dimension2",
            "label2",
            "value",
            pl.col("value_unit").replace(VALUE_UNITS),
            "n",
            "source",
            pl.col("flag").replace(FLAGS),
        )
        labels = {"label": "Række", "label2": "Kolonne", "flag": "Bemærkning"}
        st.dataframe(display_frame(figures, screen=True, labels=labels), hide_index=True)
        table_downloads(display_frame(figures, labels=labels), "publicerede-tal", "figures")

    # --- Beretningspakke: every standard figure of the selected municipality and report period in one zip,
    # built by the same function as ``python -m report_pack``.
    def _report_pack_section() -> None:
        import tempfile

        from queries.suppression import DEFAULT_THRESHOLD
        from report_pack import build_pack, zip_bytes
        from report_pack.resolve import PackInputError, period_by_id, period_for_filters

        st.subheader("Beretningspakke")
        filters = ctx.filters
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
        from report_pack.template import load_template

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
        hide_small = st.checkbox(
            f"Skjul små tal (1–{DEFAULT_THRESHOLD - 1}) til offentliggørelse", key="pack_suppress"
        )
        threshold = DEFAULT_THRESHOLD if hide_small else None
        wanted = (period.period_id, threshold, use_template)
        if st.button(
            "Eksportér beretningspakke", type="primary", icon=":material/folder_zip:", key="pack_build"
        ):
            with st.status("Bygger beretningspakken …", expanded=True) as status:
                bar = st.progress(0.0, text="Henter tallene …")

                def progress(fraction: float, message: str) -> None:
                    bar.progress(min(max(fraction, 0.0), 1.0), text=message)

                try:
                    with tempfile.TemporaryDirectory() as folder:
                        result = build_pack(
                            get_connection().cursor(),
                            period.municipality_code,
                            period.period_id,
                            folder,
                            threshold,
                            progress,
                            use_template=use_template,
                        )
                        archive = zip_bytes(result)
                except Exception as exc:  # shown to the user; the page keeps working
                    status.update(label="Beretningspakken kunne ikke bygges", state="error")
                    st.error(f"Beretningspakken kunne ikke bygges: {md_escape(exc)}")
                    return
                omitted = f", {len(result.omitted)} udeladt uden data" if result.omitted else ""
                st.session_state["pack_zip"] = (
                    wanted,
                    archive,
                    f"{result.stem}.zip",
                    f"{len(result.figures)} figurer og {len(result.tables)} tabeller{omitted}.",
                )
                status.update(label="Beretningspakken er klar", state="complete", expanded=False)
        built = st.session_state.get("pack_zip")
        if built and built[0] == wanted:
            st.caption(built[3])
            st.download_button(
                "Hent beretningspakken (zip)",
                data=built[1],
                file_name=built[2],
                mime="application/zip",
                on_click="ignore",
                icon=":material/download:",
                key="pack_download",
            )

    with exporting:
        _report_pack_section()
    backup_section(exporting)
