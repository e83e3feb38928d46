"""The report pack built from a municipality's report template: every item for the period, in the
template's order and numbered, as PNG + SVG + CSV + XLSX, a Word document whose tables are real
Word tables (Danish numbers, a totals row, "Tabel n:"/"Figur n:" captions, a source line), and
figures.json with every number. ``report_pack.build.build_pack`` hands over here when the
municipality has a template."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

import duckdb
import polars as pl
from docx.shared import Pt

from charts.crosstab import crosstab_chart
from charts.draw_process import Drawer
from charts.theme import source_line
from data_model.export import frame_to_csv, frame_to_xlsx
from data_model.labels import ascii_slug
from queries.crosstab import (
    MEASURES,
    SHARE_SUFFIX,
    TOTAL,
    CrossSpec,
    column_header_words,
    crosstab,
    period_words,
    restriction_words,
    row_header_words,
    wide,
)
from queries.describe import Names, describe_filters, has_generated_records, load_names
from queries.filters import Filters
from queries.periods import format_date
from report_pack.document import (
    _paragraph,
    _table,
    add_figure,
    clean,
    format_cell,
    new_document,
    suppression_words,
    word_table,
)
from report_pack.figures import Column, Omitted, PackItem, collect
from report_pack.resolve import Period
from report_pack.template import TemplateItem

Progress = Callable[[float, str], None]


@dataclass
class Entry:
    """One template item made ready: its pack item (data, chart, words) and, for a cross-table,
    the spec and the long table with every cell."""

    position: int
    template: TemplateItem
    item: PackItem
    spec: CrossSpec | None = None
    cells: pl.DataFrame | None = None
    table_no: int | None = None
    figure_no: int | None = None
    png: bytes | None = None


def _crosstab_entry(
    con: duckdb.DuckDBPyConnection,
    position: int,
    template: TemplateItem,
    period: Period,
    names: Names,
    generated: bool,
    threshold: int | None,
) -> Entry:
    assert template.spec is not None
    spec = template.spec.with_(threshold=threshold) if threshold else template.spec
    f = Filters(municipalities=(period.municipality_code,), period_id=period.period_id)
    cells = crosstab(con, f, spec, period.span)
    data = wide(cells, spec, with_share=True)
    measure = MEASURES[spec.measure].words
    restricted = restriction_words(con, spec)
    words = describe_filters(f, names, period.span, measure.lower()) + (
        f" · {restricted}" if restricted else ""
    )
    columns = [Column(data.columns[0], data.columns[0])] + [
        Column(name, name, "percent" if name.endswith(f" ({SHARE_SUFFIX})") else "count")
        for name in data.columns[1:]
    ]
    row_title, column_title = row_header_words(spec), column_header_words(spec)
    item = PackItem(
        key=f"{position:02d}-{ascii_slug(template.title)}"[:60],
        title=template.title,
        counts=measure.lower(),
        filter_words=words,
        source=source_line(period.municipality_name, period_words(spec, period.label), generated),
        data=data,
        columns=columns,
        count_columns=tuple(c.name for c in columns if c.kind == "count"),
        share_columns=tuple(c.name for c in columns if c.kind == "percent"),
        draw=None
        if cells.is_empty()
        else lambda _d, m: crosstab_chart(
            cells,
            m,
            count_title=measure,
            row_title=row_title,
            column_title=column_title,
            threshold=spec.threshold,
        ).to_dict(validate=False),  # our own builder's spec; Altair's validation costs ~0.5 s
        note=template.caption,
        suppressed_with=spec.threshold,
    )
    return Entry(position, template, item, spec, cells)


def prepare(
    con: duckdb.DuckDBPyConnection,
    period: Period,
    template: list[TemplateItem],
    *,
    today: date,
    threshold: int | None,
) -> tuple[list[Entry], list[Omitted], bool]:
    """Every template item computed for the period; a standard figure without data is omitted."""
    names = load_names(con)
    generated = has_generated_records(con, Filters(municipalities=(period.municipality_code,)))
    standard: dict[str, PackItem] = {}
    omitted_standard: dict[str, Omitted] = {}
    if any(t.kind == "figure" for t in template):
        collected = collect(con, period, names, today=today, threshold=threshold)
        standard = {i.key: i for i in collected.items}
        omitted_standard = {o.key: o for o in collected.omitted}
    entries: list[Entry] = []
    omitted: list[Omitted] = []
    for position, template_item in enumerate(template, start=1):
        if template_item.kind == "crosstab":
            entries.append(_crosstab_entry(con, position, template_item, period, names, generated, threshold))
        elif template_item.figure in standard:
            item = standard[template_item.figure]
            item.key = f"{position:02d}-{item.key}"  # files are numbered in the template's order
            item.title = template_item.title
            if template_item.caption:
                item.note = f"{template_item.caption} {item.note}".strip()
            entries.append(Entry(position, template_item, item))
        else:
            known = omitted_standard.get(str(template_item.figure))
            reason = known.reason if known else "Figuren findes ikke for perioden."
            omitted.append(Omitted(str(template_item.figure), template_item.title, reason))
    return entries, omitted, generated


def _number(entries: list[Entry]) -> None:
    """Tables and figures are numbered separately, in the template's order."""
    tables = figures = 0
    for entry in entries:
        tables += 1
        entry.table_no = tables
        shows_chart = entry.item.draw is not None and (entry.spec is None or entry.template.chart)
        if shows_chart:
            figures += 1
            entry.figure_no = figures


def _word_crosstab(document: Any, entry: Entry) -> None:
    """The cross-table as a real Word table: a header row, the rows, and a bold totals row (the
    table style's 9 pt)."""
    data, columns = entry.item.data, entry.item.columns
    threshold = entry.item.suppressed_with
    rows = [
        [format_cell(row[c.name], c, threshold, bool(threshold)) for c in columns]
        for row in data.iter_rows(named=True)
    ]
    totals = [index for index, label in enumerate(data[columns[0].name].to_list()) if label == TOTAL]
    word_table(document, columns, rows, bold_rows=totals, half_points=None)


def _write_docx(
    path: Path,
    *,
    period: Period,
    generated_at: datetime,
    threshold: int | None,
    generated: bool,
    entries: list[Entry],
    omitted: list[Omitted],
) -> None:
    document = new_document(f"Beretningens tabeller og figurer: {period.municipality_name}, {period.label}")
    document.styles["Table Grid"].font.size = Pt(9)
    _paragraph(
        document,
        f"{period.label} ({format_date(period.start)} – {format_date(period.end)})",
        bold_lead="Beretningsperiode: ",
    )
    _paragraph(document, f"{generated_at:%d.%m.%Y} kl. {generated_at:%H.%M}", bold_lead="Dannet: ")
    _paragraph(
        document,
        f"Kommunens rapportskabelon med {len(entries) + len(omitted)} punkter, i skabelonens rækkefølge.",
        bold_lead="Indhold: ",
    )
    _paragraph(document, suppression_words(threshold), bold_lead="Diskretionering af små tal: ")
    if generated:
        _paragraph(
            document,
            "Udvalget indeholder genererede eksempeldata, ikke rigtige sager; tallene må ikke bruges som "
            "virkelige opgørelser.",
            bold_lead="Eksempeldata: ",
        )
    for entry in omitted:
        _paragraph(document, f" {entry.reason}", style="List Bullet", bold_lead=f"Udeladt: {entry.title}:")
    for entry in entries:
        item = entry.item
        document.add_heading(clean(f"{entry.position}. {item.title}"), level=2)
        if entry.spec is not None:
            _paragraph(document, f"Tabel {entry.table_no}: {item.title}", style="Caption")
            _word_crosstab(document, entry)
            _paragraph(document, f"{item.filter_words}. {item.source}.")
            if item.note:
                _paragraph(document, item.note)
            if entry.figure_no is not None and entry.png is not None:
                add_figure(document, entry.png, entry.figure_no, item.title)
                _paragraph(document, f"{item.source}.")
        else:
            if entry.figure_no is not None and entry.png is not None:
                add_figure(document, entry.png, entry.figure_no, item.title)
            _paragraph(document, f"{item.filter_words}. {item.source}.")
            if item.note:
                _paragraph(document, item.note)
            caption = f"Tallene bag figur {entry.figure_no}" if entry.figure_no is not None else item.title
            _paragraph(document, f"Tabel {entry.table_no}: {caption}", style="Caption")
            _table(document, item)
    document.save(path)


def _json_ready(frame: pl.DataFrame) -> list[dict[str, Any]]:
    from report_pack.build import frame_rows

    return frame_rows(frame)


def build_template_pack(
    con: duckdb.DuckDBPyConnection,
    period: Period,
    template: list[TemplateItem],
    out: Path,
    threshold: int | None,
    report: Progress,
    *,
    today: date,
    started: float,
    draw: Drawer,
) -> Any:
    """Write the template's pack into ``out``; returns a ``report_pack.build.PackResult``."""
    from report_pack.build import _sheet_name, export_frame, finish_pack, manifest_head, pack_stem

    timings: dict[str, float] = {}
    generated_at = datetime.now().replace(microsecond=0)
    report(0.02, "Henter tallene …")
    entries, omitted, generated = prepare(con, period, template, today=today, threshold=threshold)
    _number(entries)
    timings["queries"] = time.perf_counter() - started

    render_started = time.perf_counter()
    report(0.1, f"Tegner {sum(e.item.draw is not None for e in entries)} figurer …")
    drawings = {e.position: draw.draw(e.item.chart()) for e in entries if e.item.draw is not None}
    files: list[str] = []
    manifest_items: list[dict[str, Any]] = []
    for index, entry in enumerate(entries):
        item = entry.item
        report(0.5 + 0.35 * index / max(len(entries), 1), f"{item.title} …")
        stem = item.key
        data = export_frame(item)  # written while the helper draws this item's chart
        (out / f"{stem}.csv").write_bytes(frame_to_csv(data))
        (out / f"{stem}.xlsx").write_bytes(frame_to_xlsx(data, sheet=_sheet_name(item.title)))
        names_of: dict[str, str] = {}
        if entry.position in drawings:
            svg, entry.png = drawings[entry.position]()
            (out / f"{stem}.png").write_bytes(entry.png)
            (out / f"{stem}.svg").write_bytes(svg)
            names_of |= {"png": f"{stem}.png", "svg": f"{stem}.svg"}
        names_of |= {"csv": f"{stem}.csv", "xlsx": f"{stem}.xlsx"}
        files += names_of.values()
        manifest_items.append(
            {
                "position": entry.position,
                "kind": entry.template.kind,
                "title": item.title,
                "caption": entry.template.caption,
                "table_number": entry.table_no,
                "figure_number": entry.figure_no,
                "table_caption": f"Tabel {entry.table_no}: {item.title}",
                "figure_caption": f"Figur {entry.figure_no}: {item.title}" if entry.figure_no else None,
                "spec": entry.spec.to_dict() if entry.spec else None,
                "figure": entry.template.figure,
                "counts": item.counts,
                "filter": item.filter_words,
                "source": item.source,
                "suppressed": item.suppressed_with is not None,
                "columns": [
                    {"field": c.name, "header": h}
                    for c, h in zip(item.columns, item.headers().values(), strict=False)
                ],
                "rows": _json_ready(item.data),
                "cells": _json_ready(entry.cells) if entry.cells is not None else None,
                "files": names_of,
            }
        )
    timings["render"] = time.perf_counter() - render_started

    report(0.88, "Skriver Word-dokumentet …")
    docx_started = time.perf_counter()
    docx_name = f"{pack_stem(period)}.docx"
    _write_docx(
        out / docx_name,
        period=period,
        generated_at=generated_at,
        threshold=threshold,
        generated=generated,
        entries=entries,
        omitted=omitted,
    )
    files.append(docx_name)
    timings["docx"] = time.perf_counter() - docx_started

    manifest = {
        **manifest_head(period, generated_at, today, threshold),
        "template": True,
        "generated_data": generated,
        "document": docx_name,
        "items": manifest_items,
        "omitted": [{"key": o.key, "title": o.title, "reason": o.reason} for o in omitted],
    }
    return finish_pack(
        out,
        period,
        files,
        manifest,
        figures=[m for m in manifest_items if m["figure_number"]],
        tables=manifest_items,
        omitted=omitted,
        timings=timings,
    )
