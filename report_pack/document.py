"""The Word document of a pack: a short Danish intro, then every figure with its numbered caption
and the table behind it. All text goes in as plain runs, so nothing is ever interpreted."""

from __future__ import annotations

import io
import re
import struct
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from xml.sax.saxutils import escape

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.oxml.shared import OxmlElement
from docx.shared import Cm

from data_model.labels import format_count, format_day, format_number, format_percent, format_signed
from queries.periods import format_date
from report_pack.figures import Column, Omitted, PackItem
from report_pack.resolve import Period

# XML 1.0 refuses these; a stray control character in a title must not break the document
_INVALID_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_RUN_BREAKS = re.compile(r"([\t\r\n])")
RIGHT = frozenset({"count", "share", "percent", "signed", "pp", "int"})  # right-aligned column kinds
TABLE_HALF_POINTS = 18  # 9 pt, the size of every table cell's text

SECTIONS: dict[str, str] = {
    "henvendelser-sektor": "Henvendelser og klager",
    "klageandel": "Udviklingen over tid",
    "temaer": "Temaer og borgerrådgiverens handlinger",
    "sagstyper": "Sagstyper og år for år",
    "ankestyrelsen-lovomraade": "Ankestyrelsen",
    "omgoerelsesprocent-boern-handicap": "Ankestyrelsen",
    "anbefalinger-status": "Anbefalinger og opfølgning",
}


def clean(text: object) -> str:
    return _INVALID_XML.sub("", str(text))


@dataclass(frozen=True)
class Numbered:
    item: PackItem
    figure: int | None  # "Figur N" when the item is a figure
    table: int  # "Tabel N" of the item's table
    png: bytes | None


def format_cell(value: Any, column: Column, threshold: int | None, suppressed: bool) -> str:
    """One table cell in Danish; a count hidden by suppression prints as '<5'."""
    if value is None:
        if threshold and suppressed and column.kind == "count":
            return f"<{threshold}"
        return "–"
    if column.kind == "count":
        return format_count(value)
    if column.kind == "share":
        return format_percent(value * 100, 1)
    if column.kind == "percent":
        return format_percent(value, 1)
    if column.kind == "signed":
        return format_signed(value, 0)
    if column.kind == "pp":
        return format_signed(value, 1, " pct.-point")
    if column.kind == "int":
        return str(value)
    if column.kind == "date":
        return format_day(value)
    if isinstance(value, float):
        return format_number(value, 1)
    return clean(value)


def _picture_width(png: bytes, widest: float = 16.0, tallest: float = 22.0) -> float:
    """Centimetres wide, so a tall chart (many units) still fits on an A4 page."""
    width, height = struct.unpack(">II", png[16:24])  # the PNG header's IHDR chunk
    return min(widest, tallest * width / height) if height else widest


def new_document(title: str) -> Any:
    """A Danish A4 Word document with ``title`` as its title and first heading."""
    document = Document()
    _set_danish(document)
    section = document.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.left_margin = section.right_margin = Cm(2.5)
    section.top_margin = section.bottom_margin = Cm(2.2)
    document.core_properties.title = clean(title)
    document.core_properties.language = "da-DK"
    document.add_heading(clean(title), level=0)
    return document


def add_figure(document: Any, png: bytes, number: int, title: str) -> None:
    """A chart as the report prints it: centred, fitted to the page, its numbered caption below."""
    document.add_picture(io.BytesIO(png), width=Cm(_picture_width(png)))
    document.paragraphs[-1].alignment = WD_ALIGN_PARAGRAPH.CENTER
    _paragraph(document, f"Figur {number}: {title}", style="Caption")


def _set_danish(document: Any) -> None:
    rpr = document.styles["Normal"].element.get_or_add_rPr()
    lang = OxmlElement("w:lang")
    lang.set(qn("w:val"), "da-DK")
    rpr.append(lang)


def _paragraph(document: Any, text: str, *, style: str | None = None, bold_lead: str = "") -> Any:
    paragraph = document.add_paragraph(style=style)
    if bold_lead:
        paragraph.add_run(clean(bold_lead)).bold = True
    paragraph.add_run(clean(text))
    return paragraph


def _run_xml(text: str, *, bold: bool, half_points: int | None) -> str:
    """One ``w:r`` as python-docx's ``add_run`` writes it: a tab is ``w:tab``, a line break ``w:br``,
    the rest literal text (escaped, so nothing in it is ever interpreted)."""
    props = ("<w:b/>" if bold else "") + (f'<w:sz w:val="{half_points}"/>' if half_points else "")
    parts = []
    for part in _RUN_BREAKS.split(clean(text)):
        if part == "\t":
            parts.append("<w:tab/>")
        elif part in ("\r", "\n"):
            parts.append("<w:br/>")
        elif part:
            space = ' xml:space="preserve"' if part.strip() != part else ""
            parts.append(f"<w:t{space}>{escape(part)}</w:t>")
    return f"<w:r>{f'<w:rPr>{props}</w:rPr>' if props else ''}{''.join(parts)}</w:r>"


def word_table(
    document: Any,
    columns: Sequence[Column],
    rows: Iterable[Sequence[str]],
    *,
    bold_rows: Iterable[int] = (),
    half_points: int | None = TABLE_HALF_POINTS,
) -> Any:
    """A real Word table ("Table Grid", centred): a bold header row from the columns' headers, then
    ``rows`` of already formatted Danish text (row numbers in ``bold_rows``, counted from 0 after
    the header, are bold, e.g. a totals row). Numeric columns are right-aligned. The rows are
    written as one piece of XML instead of python-docx's per-cell calls (ten times faster)."""
    table = document.add_table(rows=0, cols=len(columns))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    widths = [col.w for col in table._tbl.tblGrid.gridCol_lst]
    cell_props = [
        f'<w:tcPr><w:tcW w:type="dxa" w:w="{width.twips}"/></w:tcPr>' if width is not None else ""
        for width in widths
    ]
    aligned = ['<w:pPr><w:jc w:val="right"/></w:pPr>' if column.kind in RIGHT else "" for column in columns]
    bold = set(bold_rows)

    def row_xml(texts: Sequence[str], is_bold: bool) -> str:
        cells = (
            f"<w:tc>{props}<w:p>{align}{_run_xml(text, bold=is_bold, half_points=half_points)}</w:p></w:tc>"
            for props, align, text in zip(cell_props, aligned, texts, strict=True)
        )
        return f"<w:tr>{''.join(cells)}</w:tr>"

    body = [row_xml([c.header for c in columns], True)]
    body += [row_xml(texts, index in bold) for index, texts in enumerate(rows)]
    fragment = parse_xml(f"<w:tbl {nsdecls('w')}>{''.join(body)}</w:tbl>")
    table._tbl.extend(list(fragment))
    return table


def _table(document: Any, item: PackItem) -> None:
    columns = item.columns
    threshold = item.suppressed_with
    hidden = (
        item.data["suppressed"].to_list() if "suppressed" in item.data.columns else [False] * item.data.height
    )
    rows = (
        [format_cell(row[column.name], column, threshold, bool(was_hidden)) for column in columns]
        for row, was_hidden in zip(item.data.iter_rows(named=True), hidden, strict=True)
    )
    word_table(document, columns, rows)


def suppression_words(threshold: int | None) -> str:
    if not threshold:
        return "Ikke brugt. Alle tal vises, også små tal."
    return (
        f"Brugt. Antal fra 1 til {threshold - 1} vises som '<{threshold}' i tabellerne og er udeladt af "
        "figurerne og datafilerne (CSV/Excel); andele og ændringer, der er beregnet af et skjult tal, "
        "er også udeladt (–). Antal anbefalinger skjules ikke (de handler ikke om personer)."
    )


def write_docx(
    path: Any,
    *,
    period: Period,
    generated_at: datetime,
    threshold: int | None,
    generated_data: bool,
    numbered: list[Numbered],
    omitted: list[Omitted],
) -> None:
    document = new_document(f"Beretningspakke: {period.municipality_name}, {period.label}")

    figures = sum(1 for n in numbered if n.figure)
    _paragraph(
        document,
        f"{period.municipality_name} (kommunekode {period.municipality_code})",
        bold_lead="Kommune: ",
    )
    _paragraph(
        document,
        f"{period.label} ({format_date(period.start)} – {format_date(period.end)})",
        bold_lead="Beretningsperiode: ",
    )
    _paragraph(document, f"{generated_at:%d.%m.%Y} kl. {generated_at:%H.%M}", bold_lead="Dannet: ")
    _paragraph(document, suppression_words(threshold), bold_lead="Diskretionering af små tal: ")
    if generated_data:
        _paragraph(
            document,
            "Udvalget indeholder genererede eksempeldata, ikke rigtige sager. Figurerne er mærket "
            "'Genererede data (eksempel)' i kildelinjen, og tallene må ikke bruges som virkelige opgørelser.",
            bold_lead="Eksempeldata: ",
        )
    _paragraph(
        document,
        f"{figures} figurer og {len(numbered)} tabeller. Hver figur findes også som PNG og SVG, og tallene bag "
        "den som CSV og Excel; figures.json beskriver hver figur og dens tal.",
        bold_lead="Indhold: ",
    )
    if omitted:
        _paragraph(document, "", bold_lead="Udeladte figurer (ingen data for perioden):")
        for entry in omitted:
            _paragraph(document, f" {entry.reason}", style="List Bullet", bold_lead=f"{entry.title}:")

    current_section = ""
    for entry in numbered:
        item = entry.item
        heading = SECTIONS.get(item.key, current_section)
        if heading and heading != current_section:
            document.add_heading(clean(heading), level=1)
            current_section = heading
        if entry.figure is not None and entry.png is not None:
            add_figure(document, entry.png, entry.figure, item.title)
            _paragraph(document, f"{item.filter_words}. {item.source}.")
            if item.note:
                _paragraph(document, item.note)
            _paragraph(document, f"Tabel {entry.table}: Tallene bag figur {entry.figure}", style="Caption")
        else:
            _paragraph(document, f"Tabel {entry.table}: {item.title}", style="Caption")
            _paragraph(document, f"{item.filter_words}. {item.source}.")
            if item.note:
                _paragraph(document, item.note)
        _table(document, item)
    document.save(path)
