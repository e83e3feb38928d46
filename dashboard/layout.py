"""Layout pieces every page uses: the page header, key figures, a chart with its downloads,
and the presentation mode's one-figure-at-a-time view."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import altair as alt
import polars as pl
import streamlit as st

from charts.export import to_png, to_svg
from dashboard import state
from data_model.display import display_frame, metric_delta
from data_model.export import MIME_TYPES, frame_to_csv, frame_to_xlsx
from data_model.labels import format_count, format_percent
from queries.inquiries import KeyFigure

PRESENTATION_CSS = """
<style>
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], header[data-testid="stHeader"] {display: none;}
.block-container {padding-top: 1.5rem; max-width: 1400px;}
html, body, [data-testid="stMarkdownContainer"] p {font-size: 1.25rem;}
[data-testid="stMetricValue"] {font-size: 2.6rem;}
[data-testid="stVegaLiteChart"] {zoom: 1.35;}
</style>
"""


@dataclass(frozen=True)
class Figure:
    """One chart of a page, with the table behind it, for screen, presentation and download."""

    key: str  # ASCII, used in file names and the URL (?figur=...)
    title: str
    chart: alt.TopLevelMixin
    data: pl.DataFrame


def page_header(title: str, description: str, filter_words: str) -> None:
    st.title(title)
    if state.presenting():
        st.markdown(f"**{filter_words}**")
    else:
        st.caption(description)
        st.markdown(f"Viser: {filter_words}")


def empty_state(message: str) -> None:
    st.info(
        f"{message} Prøv at vælge en anden periode eller fjerne nogle filtre i menuen til venstre.", icon="ℹ️"
    )


def _metric_value(figure: KeyFigure) -> str:
    return format_percent(figure.value) if figure.unit == "percent" else format_count(figure.value)


def key_figures(
    figures: list[KeyFigure], *, lower_is_better: set[str] | None = None, compared_with: str | None = None
) -> None:
    """A row of metrics: a fall points down, no change has no arrow, and a rise is red only
    where lower is clearly better (``lower_is_better``), else grey. The arrows compare with
    ``compared_with`` (the previous comparable period), said once below the row."""
    columns = st.columns(len(figures))
    for column, figure in zip(columns, figures, strict=True):
        help_text = f"n = {format_count(figure.n)}" if figure.n is not None else None
        better = "lower" if figure.label in (lower_is_better or set()) else None
        delta = metric_delta(figure.delta, figure.unit, better)
        column.metric(
            figure.label,
            _metric_value(figure),
            delta.text if delta else None,
            delta_color=delta.color if delta else "off",
            delta_arrow=delta.arrow if delta else "auto",  # type: ignore[arg-type]
            help=help_text,
        )
    if compared_with and any(f.delta is not None for f in figures):
        st.caption(f"Pilene viser ændringen i forhold til {compared_with}.")


Download = tuple[str, Callable[[], bytes], str, str]  # label, lazy bytes, file suffix, MIME type


def _download_row(buttons: list[Download], file_stem: str, key: str) -> None:
    """Buttons whose files are only made when clicked (a PNG costs ~0.5 s), in one row."""
    columns = st.columns(len(buttons) + 2)
    for column, (label, make, suffix, mime) in zip(columns, buttons, strict=False):
        column.download_button(
            label,
            data=make,
            file_name=f"{file_stem}.{suffix}",
            mime=mime,
            key=f"dl-{key}-{suffix}",
            on_click="ignore",
            icon=":material/download:",
        )


def _downloads(figure: Figure, file_stem: str) -> None:
    _download_row(
        [
            ("PNG", lambda: to_png(figure.chart), "png", "image/png"),
            ("SVG", lambda: to_svg(figure.chart), "svg", "image/svg+xml"),
            ("Data (CSV)", lambda: frame_to_csv(display_frame(figure.data)), "csv", MIME_TYPES["csv"]),
            (
                "Data (Excel)",
                lambda: frame_to_xlsx(display_frame(figure.data), sheet=figure.title),
                "xlsx",
                MIME_TYPES["xlsx"],
            ),
        ],
        file_stem,
        figure.key,
    )


def show_figure(figure: Figure, file_stem: str) -> None:
    """The chart as it will be printed (theme=None keeps our theme), then its download row."""
    st.altair_chart(figure.chart, theme=None, key=f"chart-{figure.key}")
    if not state.presenting():
        _downloads(figure, f"{file_stem}-{figure.key}")


def show_figures(figures: list[Figure], file_stem: str) -> None:
    """All figures one under another; in presentation mode one at a time with a picker."""
    if not figures:
        return
    if state.presenting():
        keys = [f.key for f in figures]
        if st.session_state.get(state.FIGURE_KEY) not in keys:
            st.session_state[state.FIGURE_KEY] = keys[0]
        chosen = st.segmented_control(
            "Figur",
            keys,
            format_func=lambda k: next(f.title for f in figures if f.key == k),
            key=state.FIGURE_KEY,
            label_visibility="collapsed",
        )
        show_figure(next(f for f in figures if f.key == (chosen or keys[0])), file_stem)
        return
    for figure in figures:
        show_figure(figure, file_stem)
        st.divider()


def table_downloads(frame: pl.DataFrame, file_stem: str, key: str) -> None:
    """CSV and Excel of a table, with Danish headers and values (``display_frame``)."""
    shown = display_frame(frame)
    _download_row(
        [
            ("CSV", lambda: frame_to_csv(shown), "csv", MIME_TYPES["csv"]),
            ("Excel", lambda: frame_to_xlsx(shown), "xlsx", MIME_TYPES["xlsx"]),
        ],
        file_stem,
        f"tabel-{key}",
    )


def presentation_style() -> None:
    if state.presenting():
        st.html(PRESENTATION_CSS)
        st.button("Afslut præsentation", icon=":material/close:", on_click=_stop_presenting)


def _stop_presenting() -> None:
    st.session_state["present"] = False
