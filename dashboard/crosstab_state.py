"""The Krydstabel page's choices: read from a shared link once, kept in the widgets' session
state (``draw_controls``), turned into a ``queries.crosstab.CrossSpec`` and written back to the URL; plus the table
as text and a template item in words."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import polars as pl
import streamlit as st

from data_model.labels import SMALL_N, format_count, format_percent
from queries import crosstab as xt
from report_pack.template import STANDARD_FIGURES, TemplateItem

NONE = "none"
SHARES = {NONE: "Ingen andel", "row": "Andel af rækken", "column": "Andel af kolonnen"}
# widget key -> (URL key, default)
URL = {
    "xt_measure": ("maal", "inquiries"),
    "xt_rows": ("raekker", "unit"),
    "xt_columns": ("kolonner", NONE),
    "xt_level": ("niveau", "forvaltning"),
    "xt_share": ("andel", NONE),
    "xt_empty": ("tomme", "nej"),
    "xt_hide": ("skjul", "nej"),
}
_TOGGLES = ("xt_empty", "xt_hide")
_LOADED = "_xt_loaded"


def from_url(params: Mapping[str, str], session: Any) -> None:
    """On the page's first run in a session, its choices come from the URL (a shared link);
    unknown values are ignored."""
    if session.get(_LOADED):
        return
    valid: dict[str, list[str]] = {
        "xt_measure": list(xt.MEASURES),
        "xt_rows": [d.key for d in xt.DIMENSIONS],
        "xt_columns": [NONE, *(d.key for d in xt.DIMENSIONS)],
        "xt_level": list(xt.LEVELS),
        "xt_share": list(SHARES),
    }
    for key, (url_key, _default) in URL.items():
        value = params.get(url_key)
        if value is None:
            continue
        if key in _TOGGLES:
            session[key] = value == "ja"
        elif value in valid[key]:
            session[key] = value
    session[_LOADED] = True


def draw_controls(measure: str) -> None:
    """What to count, by what, at which unit level, with which share; the widgets hold the choices."""
    allowed = xt.dimensions_for(measure)
    words = {d.key: d.words for d in xt.DIMENSIONS}
    top = st.columns(4)
    top[0].selectbox(
        "Tæl",
        list(xt.MEASURES),
        format_func=lambda m: xt.MEASURES[m].words,
        key="xt_measure",
        persist_state="session",
    )
    top[1].selectbox("Rækker", allowed, format_func=words.get, key="xt_rows", persist_state="session")
    top[2].selectbox(
        "Kolonner",
        [NONE, *(d for d in allowed if d != st.session_state.get("xt_rows"))],
        format_func=lambda d: "Ingen" if d == NONE else words[d],
        key="xt_columns",
        persist_state="session",
    )
    top[3].selectbox(
        "Enhedsniveau",
        list(xt.LEVELS),
        format_func=xt.LEVEL_WORDS.get,
        key="xt_level",
        persist_state="session",
        help="Enheder lægges sammen til det valgte niveau. En forvaltning uden områder vises samlet.",
    )
    low = st.columns(3)
    shares = SHARES
    low[0].radio(
        "Andel",
        list(shares),
        format_func=shares.get,
        key="xt_share",
        horizontal=True,
        persist_state="session",
    )
    low[1].toggle("Vis tomme rækker og kolonner", key="xt_empty", persist_state="session")
    low[2].toggle(
        f"Skjul små tal (1–{SMALL_N - 1})",
        key="xt_hide",
        persist_state="session",
        help=f"Til offentliggørelse: antal under grænsen vises som <{SMALL_N}.",
    )


def keep_valid(session: Any) -> None:
    """Dimensions a measure cannot be split by are reset before the widgets are drawn."""
    allowed = xt.dimensions_for(session.get("xt_measure", "inquiries"))
    if session.get("xt_rows", "unit") not in allowed:
        session["xt_rows"] = "unit"
    if session.get("xt_columns", NONE) not in (NONE, *allowed):
        session["xt_columns"] = NONE
    if session.get("xt_columns") == session.get("xt_rows"):
        session["xt_columns"] = NONE


def spec_from(session: Any) -> xt.CrossSpec:
    """The table the widgets describe (ValueError: a combination the measure does not allow)."""
    columns = session.get("xt_columns", NONE)
    share = session.get("xt_share", NONE)
    return xt.CrossSpec(
        rows=session.get("xt_rows", "unit"),
        columns=None if columns == NONE else columns,
        measure=session.get("xt_measure", "inquiries"),
        level=session.get("xt_level", "forvaltning"),
        share=None if share == NONE else share,
        threshold=SMALL_N if session.get("xt_hide") else None,
        empty=bool(session.get("xt_empty")),
    )


def url_params(spec: xt.CrossSpec) -> dict[str, str]:
    """The spec's choices that differ from the defaults, under their URL keys."""
    values = {
        "xt_measure": spec.measure,
        "xt_rows": spec.rows,
        "xt_columns": spec.columns or NONE,
        "xt_level": spec.level,
        "xt_share": spec.share or NONE,
        "xt_empty": "ja" if spec.empty else "nej",
        "xt_hide": "ja" if spec.threshold else "nej",
    }
    return {URL[k][0]: v for k, v in values.items() if v != URL[k][1]}


def as_text(frame: pl.DataFrame, spec: xt.CrossSpec) -> pl.DataFrame:
    """The table as text: Danish numbers, '<5' for hidden ones, '*' after a small count."""
    shown = frame.with_columns(
        pl.struct("count", "small")
        .map_elements(
            lambda s: (
                (f"<{spec.threshold}" if s["count"] is None else format_count(s["count"]))
                + ("*" if s["small"] and s["count"] is not None else "")
            ),
            return_dtype=pl.Utf8,
        )
        .alias("count"),
        pl.col("share")
        .map_elements(lambda v: format_percent(v * 100, 1), return_dtype=pl.Utf8)
        .alias("share"),
    )
    return xt.wide(shown, spec, with_share=True)


def describe_item(item: TemplateItem) -> str:
    """A template item in words: a standard figure's name, or what a crosstab counts by what."""
    if item.spec is None:
        return f"Standardfigur: {STANDARD_FIGURES.get(item.figure or '', item.figure)}"
    spec = item.spec
    parts = [xt.title_words(spec)]
    if spec.share:
        parts.append(xt.SHARE_WORDS[spec.share].lower())
    if spec.restrict:
        parts.append(
            "kun " + "; ".join(f"{xt.DIMENSION[k].words.lower()}: {len(v)} valgt" for k, v in spec.restrict)
        )
    return ", ".join(parts)
