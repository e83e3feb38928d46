"""Ankestyrelsen: results by law area and unit, omgørelsesprocent against the whole country, rank,
trend and the remarks on case handling; built for the council's yearly Danmarkskort discussion."""

from __future__ import annotations

import polars as pl
import streamlit as st

from charts import builders
from charts.theme import ChartMeta, source_line
from dashboard.context import PageContext
from dashboard.data import query
from dashboard.layout import Figure, empty_state, key_figures, page_header, show_figures
from dashboard.safe_text import md_escape
from data_model.labels import format_count, format_number, format_signed
from queries import appeals
from queries.inquiries import KeyFigure
from queries.periods import comparable_spans

ANKESTYRELSEN = "Ankestyrelsen, Danmarkskortet"
LOAD_NATIONAL = (
    'Hele landets tal indlæses på siden Data under Indlæs › "Landstal (Danmarkskort, indbyggertal)": '
    "Danmarkskortets regneark, som det hentes (tal pr. kommune, år og lovområde)."
)


def render(ctx: PageContext) -> None:
    """The ankestyrelsen page."""

    def _danmarkskort_words(last: dict[str, object], name: str, area: str) -> str:
        """The council's Danmarkskort sentence for the year shown, with what the rank is among."""
        change = (
            ""
            if last["change_pp"] is None
            else f" Ændring fra året før: {format_signed(last['change_pp'], 1)} procentpoint."  # type: ignore[arg-type]
        )
        period = (
            f" (seneste år til og med {md_escape(ctx.span.label)})"
            if ctx.span and ctx.span.label != str(last["year"])
            else ""
        )
        ranked_of = int(last["ranked_of"])  # type: ignore[call-overload]
        among = (
            f"af alle {ranked_of} kommuner"
            if ranked_of >= appeals.ALL_MUNICIPALITIES
            else f"blandt de {ranked_of} kommuner, hvis tal er indlæst (Ankestyrelsen rangerer alle "
            f"{appeals.ALL_MUNICIPALITIES})"
        )
        text = (
            f"**Danmarkskortet {last['year']}**{period}, {md_escape(area)}: **{md_escape(name)} {format_number(last['pct'], 1)} %** "  # type: ignore[arg-type]
            f"(n = {format_count(last['n'])}) mod hele landets {format_number(last['country_pct'], 1)} %. "  # type: ignore[arg-type]
            f"Placering nr. {last['rank']} {among}; 1 = lavest omgørelsesprocent.{change}"
        )
        if ranked_of < appeals.ALL_MUNICIPALITIES:
            text += f"  \n{LOAD_NATIONAL}"
        return text

    def _own_decisions_words(area: str, name: str) -> str:
        """A law area outside the Danmarkskort: the decisions the advisor registered in the period."""
        text = f"Ankestyrelsens Danmarkskort har ingen tal for {md_escape(area)}"
        if ctx.span is None:
            return text + "."
        by_area = query(appeals.omgoerelse, f, ctx.span, "law_area")
        total = int(by_area["decisions"].sum()) if by_area.height else 0
        row = by_area.filter(pl.col("series") == area)
        if row.is_empty():
            return (
                f"{text}, og der er ingen registrerede afgørelser på området i {md_escape(ctx.span.label)}."
            )
        own = row.row(0, named=True)
        pct = "–" if own["pct"] is None else f"{format_number(own['pct'], 1)} %"
        return (
            f"{text}. {md_escape(name)}s registrerede afgørelser i {md_escape(ctx.span.label)}: **{own['decisions']} af {total}** "
            f"afgørelser er på {md_escape(area.lower())}, omgørelsesprocent {pct} (n = {own['on_merits']} realitetsbehandlede)."
        )

    f = ctx.filters
    page_header(
        "Ankestyrelsen",
        "Afgørelser fra Ankestyrelsen og omgørelsesprocenten, puljet fra antal (aldrig et gennemsnit af procenter).",
        ctx.counting("afgørelser"),
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
                        by_area,
                        ctx.meta("Ankestyrelsens afgørelser pr. lovområde", ctx.counting("afgørelser")),
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
        st.subheader("Danmarkskortet")
        name = ctx.names.municipalities.get(municipality, municipality)
        choices = query(appeals.law_area_choices, municipality)
        if not choices:
            st.info(f"Der er ingen tal fra Ankestyrelsen for {md_escape(name)}. {LOAD_NATIONAL}", icon="ℹ️")
        else:
            law_area = st.selectbox(
                "Lovområde",
                choices,
                format_func=lambda c: ctx.names.category("law_area", c),
                key="law_area",
                persist_state="session",
            )
            law_area = law_area if law_area in choices else choices[0]
            area = ctx.names.category("law_area", law_area)
            until = appeals.danmarkskort_year(ctx.span.end) if ctx.span else None
            kort = query(appeals.danmarkskort, municipality, law_area, until)
            if (
                kort.is_empty()
                and ctx.span
                and not query(appeals.danmarkskort, municipality, law_area).is_empty()
            ):
                st.markdown(
                    f"Ankestyrelsens Danmarkskort har ingen tal for {md_escape(area)} til og med {md_escape(ctx.span.label)}."
                )
            elif kort.is_empty():
                st.markdown(_own_decisions_words(area, name))
            else:
                last = kort.row(-1, named=True)
                st.markdown(_danmarkskort_words(last, name, area))
                generated = query(appeals.statistics_generated, municipality, law_area)
                shown = f"{kort['year'].min()}–{kort['year'].max()}"
                source = source_line(f"{name} og hele landet", shown, generated, source=ANKESTYRELSEN)
                st.caption(md_escape(source))
                title = f"Omgørelsesprocent, {area}"
                figures.insert(
                    0,
                    Figure(
                        "danmarkskort",
                        title,
                        builders.danmarkskort_lines(
                            kort,
                            ChartMeta(title, f"{name} mod hele landet · realitetsbehandlede sager", source),
                            name,
                        ),
                        kort,
                    ),
                )
    show_figures(figures, ctx.file_stem)
