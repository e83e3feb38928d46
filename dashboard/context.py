"""What every page needs to know about the current view, computed once per run."""

from __future__ import annotations

from dataclasses import dataclass, replace

from charts.theme import ChartMeta, source_line
from dashboard.data import names, query
from data_model.labels import ascii_slug
from queries.describe import Names, describe_filters, has_generated_records, level_words, municipality_words
from queries.filters import Filters
from queries.periods import Span, ignoring_period, resolve_span
from queries.units import effective_level


@dataclass(frozen=True)
class PageContext:
    filters: Filters
    names: Names
    span: Span | None
    words: str  # the filter in words
    municipalities: str
    generated: bool  # the selection holds generated example records
    slug: str = ""  # the page's URL path, first part of its downloaded files' names

    def for_page(self, slug: str) -> PageContext:
        """This context as the page at URL path ``slug`` sees it."""
        return replace(self, slug=slug)

    @property
    def file_stem(self) -> str:
        """ASCII stem for the files a page's downloads are named by."""
        return self.stem_for(self.span.label if self.span else "alle perioder")

    def unit_words(self) -> str:
        """' · Enheder på afdelingsniveau som i beretningen': for charts that count by unit."""
        level = query(effective_level, ignoring_period(self.filters))
        as_report = self.filters.level is None and bool(self.filters.municipalities)
        return f" · Enheder på {level_words(level, as_report)}" if not self.filters.level else ""

    def stem_for(self, period: str) -> str:
        """The file stem for figures covering ``period`` rather than the selected period."""
        return ascii_slug(f"{self.slug}-{self.municipalities}-{period}")[:80]

    def counting(self, what: str, span: Span | str | None = "selected") -> str:
        """The filter in words, saying the chart counts ``what`` (over ``span`` if given)."""
        return describe_filters(self.filters, self.names, self.span if span == "selected" else span, what)  # type: ignore[arg-type]

    def meta(self, title: str, counted: str | None = None, period: str | None = None) -> ChartMeta:
        """Chart words: the title, what is counted under which filter, and the source line
        (``period`` when the chart covers another span than the selected period)."""
        shown = period or (self.span.label if self.span else "alle perioder")
        return ChartMeta(
            title, counted or self.words, source_line(self.municipalities, shown, self.generated)
        )


def build_context(filters: Filters) -> PageContext:
    """The context of this run's filters (app.py builds it once and hands it to the page)."""
    all_names = names()
    span = query(resolve_span, filters)
    return PageContext(
        filters=filters,
        names=all_names,
        span=span,
        words=describe_filters(filters, all_names, span),
        municipalities=municipality_words(filters, all_names),
        generated=query(has_generated_records, ignoring_period(filters)),
    )
