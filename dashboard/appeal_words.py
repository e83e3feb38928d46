"""The Ankestyrelsen page's sentences (Markdown; names from the database escaped): the council's
Danmarkskort line for one law area, and the advisor's own decisions where the map has no figures."""

from __future__ import annotations

from typing import Any

import polars as pl

from dashboard.safe_text import md_escape
from data_model.labels import format_count, format_number, format_signed
from queries import appeals
from queries.periods import Span

ANKESTYRELSEN = "Ankestyrelsen, Danmarkskortet"
NO_DECISIONS = "Der er ikke registreret afgørelser fra Ankestyrelsen for det valgte."
WHERE_DECISIONS_COME_FROM = (  # for the advisor, not for a meeting screen
    "Afgørelserne registreres, når borgerrådgiveren får kopi af dem; "
    "Danmarkskortet nedenfor bygger på Ankestyrelsens egen statistik."
)
LOAD_NATIONAL = (
    'Hele landets tal indlæses på siden Data under Indlæs › "Landstal (Danmarkskort, indbyggertal)": '
    "Danmarkskortets regneark, som det hentes (tal pr. kommune, år og lovområde)."
)


def danmarkskort_words(
    last: dict[str, Any], name: str, area: str, span: Span | None, *, how_to_load: bool = True
) -> str:
    """The council's Danmarkskort sentence for the year shown (``last``: the latest row of
    ``queries.appeals.danmarkskort``), with what the rank is among; ranked among fewer than all
    municipalities, with how to load the rest (``how_to_load``: not on a meeting screen)."""
    change = (
        ""
        if last["change_pp"] is None
        else f" Ændring fra året før: {format_signed(last['change_pp'], 1)} procentpoint."
    )
    period = (
        f" (seneste år til og med {md_escape(span.label)})"
        if span and span.label != str(last["year"])
        else ""
    )
    ranked_of = int(last["ranked_of"])
    among = (
        f"af alle {ranked_of} kommuner"
        if ranked_of >= appeals.ALL_MUNICIPALITIES
        else f"blandt de {ranked_of} kommuner, hvis tal er indlæst (Ankestyrelsen rangerer alle "
        f"{appeals.ALL_MUNICIPALITIES})"
    )
    text = (
        f"**Danmarkskortet {last['year']}**{period}, {md_escape(area)}: "
        f"**{md_escape(name)} {format_number(last['pct'], 1)} %** "
        f"(n = {format_count(last['n'])}) mod hele landets {format_number(last['country_pct'], 1)} %. "
        f"Placering nr. {last['rank']} {among}; 1 = lavest omgørelsesprocent.{change}"
    )
    if how_to_load and ranked_of < appeals.ALL_MUNICIPALITIES:
        text += f"  \n{LOAD_NATIONAL}"
    return text


def own_decisions_words(by_area: pl.DataFrame | None, area: str, name: str, span: Span | None) -> str:
    """A law area outside the Danmarkskort: the decisions the advisor registered in the period
    (``by_area``: ``queries.appeals.omgoerelse`` by law area)."""
    text = f"Ankestyrelsens Danmarkskort har ingen tal for {md_escape(area)}"
    if span is None or by_area is None:
        return text + "."
    total = int(by_area["decisions"].sum()) if by_area.height else 0
    row = by_area.filter(pl.col("series") == area)
    if row.is_empty():
        return f"{text}, og der er ingen registrerede afgørelser på området i {md_escape(span.label)}."
    own = row.row(0, named=True)
    pct = "–" if own["pct"] is None else f"{format_number(own['pct'], 1)} %"
    return (
        f"{text}. {md_escape(name)}s registrerede afgørelser i {md_escape(span.label)}: "
        f"**{own['decisions']} af {total}** afgørelser er på {md_escape(area.lower())}, "
        f"omgørelsesprocent {pct} (n = {own['on_merits']} realitetsbehandlede)."
    )
