"""Ankestyrelsen: results by law area and unit, omgørelsesprocent against the whole country, rank,
trend and the remarks on case handling; built for the council's yearly Danmarkskort discussion."""

from __future__ import annotations

import streamlit as st

from charts import builders
from dashboard.context import page_context
from dashboard.data import query
from dashboard.layout import Figure, empty_state, key_figures, page_header, show_figures
from dashboard.safe_text import md_escape
from data_model.labels import format_count, format_number, format_signed
from queries import appeals
from queries.inquiries import KeyFigure
from queries.scope import comparable_spans

ctx = page_context("ankestyrelsen")
f = ctx.filters
page_header(
    "Ankestyrelsen",
    "Afgørelser fra Ankestyrelsen og omgørelsesprocenten, puljet fra antal (aldrig et gennemsnit af procenter).",
    ctx.words,
)

figures: list[Figure] = []
if ctx.span is not None:
    now = query(appeals.omgoerelse, f, ctx.span)
    spans = query(comparable_spans, f, ctx.span)
    before = query(appeals.omgoerelse, f, spans[1]) if spans else None
    if int(now["decisions"][0]):
        key_figures(
            [
                KeyFigure(
                    "Afgørelser",
                    int(now["decisions"][0]),
                    int(before["decisions"][0]) if before is not None else None,
                    "count",
                ),
                KeyFigure(
                    "Realitetsbehandlede",
                    int(now["on_merits"][0]),
                    int(before["on_merits"][0]) if before is not None else None,
                    "count",
                ),
                KeyFigure(
                    "Omgørelsesprocent",
                    now["pct"][0],
                    before["pct"][0] if before is not None else None,
                    "percent",
                    n=int(now["on_merits"][0]),
                ),
            ],
            lower_is_better={"Omgørelsesprocent"},
            compared_with=spans[1].label if spans else None,
        )
        by_area = query(appeals.decisions_by_result, f, ctx.span, "law_area")
        by_unit = query(appeals.decisions_by_result, f, ctx.span, "unit")
        remarks = query(appeals.remark_themes, f, ctx.span)
        figures += [
            Figure(
                "lovomraade",
                "Afgørelser pr. lovområde og resultat",
                builders.appeal_results(
                    by_area, ctx.meta("Ankestyrelsens afgørelser pr. lovområde", ctx.counting("afgørelser"))
                ),
                by_area,
            ),
            Figure(
                "enhed",
                "Afgørelser pr. enhed og resultat",
                builders.appeal_results(
                    by_unit, ctx.meta("Ankestyrelsens afgørelser pr. enhed", ctx.counting("afgørelser"))
                ),
                by_unit,
            ),
        ]
        if not remarks.is_empty():
            bars = remarks.rename({"remark": "label", "decisions": "count"})
            figures.append(
                Figure(
                    "bemaerkninger",
                    "Ankestyrelsens bemærkninger til sagsbehandlingen",
                    builders.breakdown_bars(
                        bars,
                        ctx.meta(
                            "Bemærkninger til sagsbehandlingen",
                            "Afgørelser med bemærkningen · en afgørelse kan have flere",
                        ),
                        count_title="Afgørelser",
                    ),
                    bars,
                )
            )
    else:
        empty_state(
            "Der er ikke registreret afgørelser fra Ankestyrelsen for det valgte. Afgørelserne registreres, "
            "når borgerrådgiveren får kopi af dem; Danmarkskortet nedenfor bygger på Ankestyrelsens egen statistik."
        )

municipality = f.municipality
if municipality:
    law_area = st.selectbox(
        "Danmarkskortet: lovområde",
        appeals.DANMARKSKORT_LAW_AREAS,
        format_func=lambda c: ctx.names.category("law_area", c),
        key="law_area",
        persist_state="session",
    )
    kort = query(appeals.danmarkskort, municipality, law_area or appeals.DANMARKSKORT_LAW_AREAS[0])
    if not kort.is_empty():
        last = kort.row(-1, named=True)
        name = ctx.names.municipalities.get(municipality, municipality)
        change = (
            ""
            if last["change_pp"] is None
            else f", {format_signed(last['change_pp'], 1)} procentpoint fra året før"
        )
        st.markdown(
            f"**{last['year']}: {md_escape(name)} {format_number(last['pct'], 1)} %** (n = {format_count(last['n'])}) mod hele landets "
            f"{format_number(last['country_pct'], 1)} %. Placering nr. {last['rank']} af {last['ranked_of']} kommuner med tal "
            f"(1 = lavest omgørelsesprocent){change}."
        )
        title = f"Omgørelsesprocent, {ctx.names.category('law_area', law_area)}"
        figures.insert(
            0,
            Figure(
                "danmarkskort",
                title,
                builders.danmarkskort_lines(
                    kort,
                    ctx.meta(
                        title,
                        f"{name} mod hele landet · realitetsbehandlede sager",
                        period=f"{kort['year'].min()}–{kort['year'].max()}",
                    ),
                    name,
                ),
                kort,
            ),
        )
show_figures(figures, ctx.file_stem)
