"""Layout pieces every page uses: the page header, key figures, a chart with its downloads,
and the presentation mode's one-figure-at-a-time view."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import altair as alt
import polars as pl
import streamlit as st

from charts.catalogue import FigureDef
from charts.export import to_png, to_svg
from charts.theme import ChartMeta, presentation_spec
from dashboard import state
from dashboard.safe_text import md_escape
from data_model.display import display_frame, metric_delta
from data_model.export import MIME_TYPES, frame_to_csv, frame_to_xlsx
from data_model.labels import format_count, format_percent
from queries.inquiries import KeyFigure

# Always: charts are a light card (as printed) that never grows wider than its column, key-figure
# labels wrap instead of being cut, captions keep 4.5:1 contrast, and focus is always visible.
BASE_CSS = """
<style>
[data-testid="stVegaLiteChart"] {background: #ffffff; border-radius: 0.5rem; max-width: 100%;}
[data-testid="stVegaLiteChart"] svg {max-width: 100%; height: auto;}
[data-testid="stMetricLabel"], [data-testid="stMetricLabel"] *, [data-testid="stMetricDelta"] *
  {white-space: normal !important; overflow: visible !important; text-overflow: clip !important;}
[data-testid="stMetricDelta"] {height: auto !important; max-width: 100%;}
[data-testid="stCaptionContainer"] {color: inherit !important; opacity: 0.8;}
:focus-visible {outline: 3px solid #0072B2 !important; outline-offset: 2px;}
</style>
"""
# Dark screens (the app follows the system setting): the accent colour is light there, so text
# on it must be dark.
DARK_CSS = """
<style>
@media (prefers-color-scheme: dark) {
  [data-tag], [data-tag] *, button[kind^="primary"], button[kind^="primary"] *
    {color: #0e1117 !important;}
  :focus-visible {outline-color: #56B4E9 !important;}
}
</style>
"""
# Meeting mode: no menu (the exit button sits in the top right corner), the page title and its
# filter on one line, key figures in one compact row (large numbers over short labels; type grows
# with the window), less space between blocks, and the chart drawn with larger type
# (charts.theme.presentation_spec) and fitted as a vector drawing to the width of the window and the
# height left under the page's top, so one whole figure (title, filter, source) is on the screen at
# once, never cut, never scrolled sideways.
PRESENTATION_CSS = """
<style>
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], header[data-testid="stHeader"] {display: none;}
.block-container {padding: 0.75rem 2rem 2rem 2rem; max-width: none;}
[data-testid="stMain"] [data-testid="stVerticalBlock"] {gap: 0.5rem;}
.st-key-exit-presentation {position: fixed; top: 0.6rem; right: 1.5rem; z-index: 999990; width: auto !important;}
.st-key-page-header {padding-right: 15rem; row-gap: 0 !important;}
h1 {font-size: clamp(2rem, 2.2vw, 2.8rem) !important; padding: 0 !important; line-height: 1.25 !important;}
[data-testid="stMarkdownContainer"] p {font-size: clamp(1.2rem, 1.2vw, 1.5rem);}
[data-testid="stMetricValue"], [data-testid="stMetricValue"] *
  {font-size: clamp(2.6rem, 3.2vw, 3.8rem) !important; line-height: 1.1;}
[data-testid="stCaptionContainer"] {font-size: clamp(0.875rem, 0.9vw, 1.1rem);}
[data-testid="stMetricLabel"] p {font-size: clamp(1rem, 1.1vw, 1.35rem); hyphens: auto;}
[data-testid="stMetricDelta"], [data-testid="stMetricDelta"] * {font-size: clamp(1rem, 1.1vw, 1.35rem) !important;}
[data-testid="stHorizontalBlock"]:has([data-testid="stMetricDelta"]) [data-testid="stMetric"]:not(:has([data-testid="stMetricDelta"]))::after
  {content: ""; display: block; height: calc(1.75 * clamp(1rem, 1.1vw, 1.35rem));}
div:has(> [data-testid="stVegaLiteChart"]), [data-testid="stVegaLiteChart"] {width: 100% !important;}
[data-testid="stVegaLiteChart"] svg
  {width: 100% !important; height: auto !important; max-height: var(--chart-room, calc(100vh - 17rem));}
</style>
<script>
// Each chart fits the height left under its top (measured here: it depends on how the key figures
// wrap), or, when it starts so far down that little is left, the whole window once scrolled to;
// and it is drawn at the left edge, under its title, not centred.
if (!window.fitPresentedCharts) {
  let queued = false;
  window.fitPresentedCharts = () => { if (queued) return; queued = true; requestAnimationFrame(() => {
    queued = false;
    const main = document.querySelector('[data-testid="stMain"]');
    document.querySelectorAll('[data-testid="stVegaLiteChart"] svg.marks').forEach((svg) => {
      if (!svg.hasAttribute("preserveAspectRatio")) svg.setAttribute("preserveAspectRatio", "xMinYMin meet");
      const top = svg.getBoundingClientRect().top + (main ? main.scrollTop : 0);
      const left = window.innerHeight - top - 12;
      const room = `${Math.round(left >= 0.55 * window.innerHeight ? left : window.innerHeight - 24)}px`;
      if (svg.style.getPropertyValue("--chart-room") !== room) svg.style.setProperty("--chart-room", room);
    });
  }); };
  new MutationObserver(window.fitPresentedCharts).observe(document.body, {subtree: true, childList: true});
  window.addEventListener("resize", window.fitPresentedCharts);
}
</script>
"""
# The page is Danish (WCAG 3.1.1): screen readers must not read it with English pronunciation.
DANISH_PAGE = "<script>document.documentElement.lang = 'da';</script>"
TABLE_ROWS = 300  # longer chart data is shown in the scrolling grid instead of a plain table


@dataclass(frozen=True)
class Figure:
    """One chart of a page, with the table behind it, for screen, presentation and download."""

    key: str  # ASCII, used in file names and the URL (?figur=...)
    title: str
    chart: alt.TopLevelMixin
    data: pl.DataFrame
    # the same chart of only the n largest rows: drawn instead in presentation mode when the
    # data has more rows than fit a meeting screen (the whole list stays in the table)
    largest: Callable[[int], alt.TopLevelMixin] | None = None
    labels: dict[str, str] | None = None  # Danish headers the data's table and files use


def catalogue_figure(entry: FigureDef, data: pl.DataFrame, meta: ChartMeta, key: str = "") -> Figure:
    """A figure of the catalogue as a page shows it: drawn by the entry's builder under the entry's
    title (as its PNG and the report pack draw it; ``meta`` gives the filter words and source),
    its table under the entry's headers, and in presentation mode the largest rows when the entry
    says by what."""
    draw = entry.draw
    if draw is None:
        raise ValueError(f"{entry.key} is a table, not a figure")
    meta = ChartMeta(entry.title, meta.subtitle, meta.source)
    largest = None
    if entry.largest_by:
        by = entry.largest_by
        largest = lambda n: draw(data.sort(by, descending=True).head(n), meta)  # noqa: E731
    return Figure(key or entry.page_key, entry.title, draw(data, meta), data, largest, entry.labels())


PRESENTATION_ROWS = 10  # bars a presented chart shows: 18 px labels on a 1280×720 screen


def presented_chart(figure: Figure, presenting: bool) -> tuple[alt.TopLevelMixin, str | None]:
    """The chart to draw and, when it is cut to the largest rows, the note that says so."""
    if presenting and figure.largest is not None and figure.data.height > PRESENTATION_ROWS:
        note = f"Viser de {PRESENTATION_ROWS} største af {figure.data.height}; hele listen er i tabellen."
        return figure.largest(PRESENTATION_ROWS), note
    return figure.chart, None


def page_header(title: str, description: str, filter_words: str) -> None:
    if state.presenting():  # one line: what the page is and what it counts
        with st.container(horizontal=True, vertical_alignment="bottom", gap="medium", key="page-header"):
            st.title(title, width="content")
            st.markdown(f"**{md_escape(filter_words)}**")  # names from the database: literal
    else:
        st.title(title)
        st.caption(description)
        st.markdown(f"Viser: {md_escape(filter_words)}")


def empty_state(message: str) -> None:
    hint = (
        ""
        if state.presenting()
        else " Prøv at vælge en anden periode eller fjerne nogle filtre i menuen til venstre."
    )
    st.info(message + hint, icon="ℹ️")  # the menu is hidden while presenting


def _metric_value(figure: KeyFigure) -> str:
    return format_percent(figure.value) if figure.unit == "percent" else format_count(figure.value)


def key_figures(figures: list[KeyFigure], *, compared_with: str | None = None) -> None:
    """A row of metrics: a fall points down, no change has no arrow, and a rise is red only
    where lower is clearly better (the figure's ``lower_is_better``), else grey; a coloured change also
    says "(bedre)" or "(værre)", so colour never carries the meaning alone. The arrows compare with
    ``compared_with`` (the previous comparable period), said once below the row."""
    # bottom-aligned, so the numbers stand in one line however many lines a label wraps over
    columns = st.columns(len(figures), vertical_alignment="bottom")
    for column, figure in zip(columns, figures, strict=True):
        help_text = f"n = {format_count(figure.n)}" if figure.n is not None else None
        better = "lower" if figure.lower_is_better else None
        delta = metric_delta(figure.delta, figure.unit, better)
        column.metric(
            figure.label,
            _metric_value(figure),
            delta.shown if delta else None,
            delta_color=delta.color if delta else "off",
            delta_arrow=delta.arrow if delta else "auto",  # type: ignore[arg-type]
            help=help_text,
        )
    if compared_with and any(f.delta is not None for f in figures):
        st.caption(f"Pilene viser ændringen i forhold til {md_escape(compared_with)}.")


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
            (
                "Data (CSV)",
                lambda: frame_to_csv(display_frame(figure.data, labels=figure.labels)),
                "csv",
                MIME_TYPES["csv"],
            ),
            (
                "Data (Excel)",
                lambda: frame_to_xlsx(display_frame(figure.data, labels=figure.labels), sheet=figure.title),
                "xlsx",
                MIME_TYPES["xlsx"],
            ),
        ],
        file_stem,
        figure.key,
    )


def data_table(frame: pl.DataFrame, labels: dict[str, str] | None = None) -> pl.DataFrame:
    """A chart's data as the table under it: what every table shows (``display_frame``)."""
    return display_frame(frame, screen=True, labels=labels)


LONG_TEXT = 30  # characters: a text column with longer values gets a set width and wraps
CHAR_PX = 7  # the grid's 14 px type: an average character, generously
CELL_PX = 24  # a cell's padding, and room for the header's sort arrow
TABLE_PX = 800  # the narrowest page table: a 1280 px window with the menu open
TEXT_MIN_PX, TEXT_MAX_PX = 180, 400  # a wrapping column: never narrower, and never wider
LINE_PX, CELL_PADDING_PX, MAX_LINES = 21, 16, 6
WRAP_MIN_ROW_PX = 65  # Streamlit wraps cell text only when rows are taller than 4rem (64 px)


def _longest(frame: pl.DataFrame, name: str) -> int:
    """Characters of a column's longest value or of its header, whichever is longer."""
    longest = frame[name].cast(pl.String).str.len_chars().max() if frame.height else 0
    return max(len(name), longest if isinstance(longest, int) else 0)


def table_layout(frame: pl.DataFrame) -> tuple[dict[str, Any], int | None]:
    """How a page table shows long text whole, without a sideways scroll where it can: its long
    text columns get the width the other columns leave of ``TABLE_PX`` (shared by their length,
    between ``TEXT_MIN_PX`` and ``TEXT_MAX_PX``) and rows tall enough for the longest text to
    wrap over as many lines as it needs (at most ``MAX_LINES``). Returns the column config and
    the row height (None: short text only, the default one-line rows)."""
    longest = {name: _longest(frame, name) for name in frame.columns}
    wrapping = [
        name for name, dtype in frame.schema.items() if dtype == pl.String and longest[name] > LONG_TEXT
    ]
    if not wrapping:
        return {}, None
    others = sum(longest[name] * CHAR_PX + CELL_PX for name in frame.columns if name not in wrapping)
    wanted = {name: min(longest[name] * CHAR_PX + CELL_PX, TEXT_MAX_PX) for name in wrapping}
    share = max(TABLE_PX - others, 0) / sum(wanted.values())
    config: dict[str, Any] = {}
    lines = 1
    for name in wrapping:
        width = max(TEXT_MIN_PX, min(wanted[name], round(wanted[name] * share)))
        config[name] = st.column_config.TextColumn(width=width)
        lines = max(lines, -(-longest[name] * CHAR_PX // (width - CELL_PX)))
    return config, max(WRAP_MIN_ROW_PX, min(MAX_LINES, lines) * LINE_PX + CELL_PADDING_PX)


def page_table(frame: pl.DataFrame, **kwargs: Any) -> None:
    """A page's table (already ``display_frame``-d): long text wraps whole, no index column."""
    config, row_height = table_layout(frame)
    st.dataframe(frame, hide_index=True, column_config=config or None, row_height=row_height, **kwargs)


def table_with_downloads(
    frame: pl.DataFrame, file_stem: str, key: str, *, labels: dict[str, str] | None = None, caption: str = ""
) -> None:
    """A page's table, its caption and its CSV and Excel files, all under the same Danish headers."""
    page_table(display_frame(frame, screen=True, labels=labels))
    if caption:
        st.caption(caption)
    table_downloads(frame, file_stem, key, labels)


def _literal(frame: pl.DataFrame) -> pl.DataFrame:
    """st.table renders text cells as Markdown: names from the database must stay literal."""
    return frame.with_columns(pl.col(pl.String).map_elements(md_escape, return_dtype=pl.String))


def screen_spec(chart: alt.TopLevelMixin, presenting: bool) -> dict[str, Any]:
    """The spec the screen draws: the printed chart, with larger type in presentation mode.
    Not validated by Altair here (a third of a page's drawing time): the tests validate every spec
    each page draws against the Vega-Lite schema (tests/dashboard/test_layout.py)."""
    spec = chart.to_dict(validate=False)
    return presentation_spec(spec) if presenting else spec


def show_figure(figure: Figure, file_stem: str) -> None:
    """The chart as it will be printed (theme=None keeps our theme), never wider than its column,
    its one-sentence description (also the chart's label for screen readers), its data as a
    table one click away, then its download row."""
    presenting = state.presenting()
    chart, note = presented_chart(figure, presenting)
    spec = screen_spec(chart, presenting)
    # drawn at its own size and shrunk (never zoomed) to the column when the window is narrower
    st.vega_lite_chart(spec, theme=None, width="content", key=f"chart-{figure.key}")
    st.caption(md_escape(spec.get("description") or figure.title))  # names from the database
    if note:
        st.caption(note)
    with st.expander("Vis data som tabel"):
        table = data_table(figure.data, figure.labels)
        if table.height <= TABLE_ROWS:
            st.table(_literal(table))  # a real HTML table: screen readers can walk it
        else:
            page_table(table)
    if not presenting:
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
            format_func=lambda k: md_escape(next(f.title for f in figures if f.key == k)),
            key=state.FIGURE_KEY,
            label_visibility="collapsed",
        )
        show_figure(next(f for f in figures if f.key == (chosen or keys[0])), file_stem)
        return
    for figure in figures:
        show_figure(figure, file_stem)
        st.divider()


def table_downloads(
    frame: pl.DataFrame, file_stem: str, key: str, labels: dict[str, str] | None = None
) -> None:
    """CSV and Excel of a table, with Danish headers and values (``display_frame``)."""
    shown = display_frame(frame, labels=labels)
    _download_row(
        [
            ("CSV", lambda: frame_to_csv(shown), "csv", MIME_TYPES["csv"]),
            ("Excel", lambda: frame_to_xlsx(shown), "xlsx", MIME_TYPES["xlsx"]),
        ],
        file_stem,
        f"tabel-{key}",
    )


def presentation_style() -> None:
    """The page's style and language: always the base rules, the dark rules on a dark screen,
    the page marked as Danish, and the meeting mode's rules (plus its exit button) when
    presenting. Only fixed text goes into this HTML, never data."""
    st.html(BASE_CSS + DARK_CSS + DANISH_PAGE, unsafe_allow_javascript=True)
    if state.presenting():
        st.html(PRESENTATION_CSS, unsafe_allow_javascript=True)
        st.button(
            "Afslut præsentation", icon=":material/close:", on_click=_stop_presenting, key="exit-presentation"
        )


def _stop_presenting() -> None:
    st.session_state["present"] = False
