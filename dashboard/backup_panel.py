"""'Sikkerhedskopi' on the Data page: editors take a backup through the app's own connection
(the command line cannot while the dashboard holds the file), and see the schedule."""

from __future__ import annotations

from typing import Any

import streamlit as st

from dashboard.auth import current_user
from dashboard.backup_schedule import finished_backups, take_backup
from dashboard.connection import current_backup_settings, get_connection, scheduled_backups
from data_model.db import DatabaseError


def backup_section(container: Any) -> None:
    """Drawn inside ``container`` (a tab of the Data page)."""
    with container:
        st.subheader("Sikkerhedskopi")
        settings = current_backup_settings()
        st.caption(
            "Hele databasen som Parquet-filer med manifest og kontrolsummer, samme format som "
            "python -m data_model backup. Kopien læses igen og kontrolleres, før den regnes for gyldig. "
            "Gendan: stop dashboardet, og kør python -m data_model restore MAPPE --force."
        )
        if not current_user().can_edit:
            st.caption("Kun redaktører kan tage en sikkerhedskopi.")
            return
        if st.button("Tag sikkerhedskopi", icon=":material/backup:", key="backup_now"):
            with st.spinner("Skriver og kontrollerer sikkerhedskopien …"):
                try:
                    path, manifest = take_backup(get_connection(), settings.folder, "manuel")
                except DatabaseError as exc:  # BackupError included; Danish, nothing half-written left
                    st.error(str(exc), icon="🚫")
                else:
                    rows = sum(t["rows"] for t in manifest["tables"])
                    st.success(
                        f"Sikkerhedskopi skrevet og kontrolleret: {path} "
                        f"({len(manifest['tables'])} tabeller, {rows} rækker).",
                        icon="✅",
                    )
        st.caption(settings.describe())
        scheduler = scheduled_backups()
        if scheduler is not None:
            st.caption(scheduler.status)
        done = finished_backups(settings.folder)
        if done:
            st.caption(f"{len(done)} sikkerhedskopi(er) i {settings.folder}; nyeste: {done[-1][1].name}.")
