"""The Data page's part for national figures: the Danmarkskort and the population."""

from __future__ import annotations

import duckdb
import streamlit as st

from dashboard.connection import get_connection
from data_model.importer import problems_frame
from data_model.national import import_national
from data_model.resolvers import CategoryResolver

KIND_LABELS = {
    "danmarkskort": "Ankestyrelsens Danmarkskort (omgørelsesprocent og antal afgørelser)",
    "population": "Indbyggertal pr. kommune og år (Danmarks Statistik)",
}


def national_section(con: duckdb.DuckDBPyConnection, actor: str) -> None:
    st.caption(
        "Landstallene gør placeringen blandt de 98 kommuner og tallene pr. 1.000 indbyggere rigtige. Indlæs "
        "regnearket, som det hentes: kommunenavne eller -koder, et år og et lovområde pr. række (eller for hele "
        "filen nedenfor). Eksempelfiler med opdigtede tal ligger i sample_data/examples."
    )
    kind = st.radio("Filen indeholder", list(KIND_LABELS), format_func=KIND_LABELS.get, key="national_kind")
    law_area = None
    year = None
    if kind == "danmarkskort":
        areas = CategoryResolver(con, "law_area").index.shown
        left, right = st.columns(2)
        law_area = left.selectbox(
            "Lovområde for hele filen (kun hvis filen ikke har en kolonne med lovområde)",
            list(areas),
            index=None,
            format_func=areas.get,
            placeholder="Står i filen",
            key="national_law_area",
        )
        given_year = right.number_input(
            "År for hele filen (kun hvis filen ikke har en kolonne med år)",
            min_value=2000,
            max_value=2100,
            value=None,
            key="national_year",
        )
        year = int(given_year) if given_year else None
    upload = st.file_uploader(
        "Fil (Excel eller CSV)",
        type=["xlsx", "csv", "txt"],
        key="national_file",
        help="Træk filen hen på feltet, eller klik på »Vælg fil«. Intet gemmes, før du har set kontrollen.",
    )
    if upload is None:
        return
    data = upload.getvalue()
    report = import_national(con, upload.name, kind, data=data, law_area=law_area, year=year, dry_run=True)
    for note in report.notes:
        st.caption(note)
    if not report.ok:
        st.error(report.summary(), icon="🚫")
        st.dataframe(problems_frame(report.problems), hide_index=True)
        return
    years = ", ".join(map(str, report.years))
    st.success(
        f"{report.municipalities} kommuner, år {years}: alle rækker kan indlæses. Intet er skrevet endnu.",
        icon="✅",
    )
    if st.button("Indlæs landstallene", type="primary", key="national_import"):
        done = import_national(
            get_connection().cursor(), upload.name, kind, data=data, law_area=law_area, year=year, actor=actor
        )
        (st.success if done.ok else st.error)(done.summary())
