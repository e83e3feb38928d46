"""The Word tables of the report pack are written as one piece of XML (report_pack.document.word_table);
they must read exactly as the per-cell python-docx calls they replace: the same text in every cell
(tabs and line breaks included, hostile text literal), bold header and totals, right-aligned numbers,
9 pt, the same style, alignment and cell widths."""

from __future__ import annotations

import io
from typing import Any

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt

from report_pack.document import RIGHT, clean, word_table
from report_pack.figures import Column

COLUMNS = [
    Column("label", "Enhed <b>&</b>"),
    Column("count", "Henvendelser", "count"),
    Column("share", "Andel", "share"),
]
ROWS = [
    ["Børn og familie", "1.234", "12,5 %"],
    ['<script>alert("x")</script> & **fed**', "7", "–"],
    ["  indrykket\tmed tab\nog ny linje\r\nslut ", "<5", "0,0 %"],
    ["", "0", ""],
    ["I alt", "1.241", "100,0 %"],
]


def _reference(document: Any, bold_rows: set[int], size: bool) -> Any:
    """The python-docx calls word_table replaces (the pack's tables before it was made fast)."""
    table = document.add_table(rows=1, cols=len(COLUMNS))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell, column in zip(table.rows[0].cells, COLUMNS, strict=True):
        cell.text = ""
        cell.paragraphs[0].add_run(clean(column.header)).bold = True
        if column.kind in RIGHT:
            cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
    for index, texts in enumerate(ROWS):
        for cell, column, text in zip(table.add_row().cells, COLUMNS, texts, strict=True):
            cell.text = ""
            run = cell.paragraphs[0].add_run(text)
            run.bold = index in bold_rows
            if column.kind in RIGHT:
                cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
    if size:
        for row in table.rows:
            for cell in row.cells:
                for run in cell.paragraphs[0].runs:
                    run.font.size = Pt(9)
    return table


def _read(table: Any) -> dict[str, Any]:
    cells = []
    for row in table.rows:
        for cell in row.cells:
            (paragraph,) = cell.paragraphs
            runs = [r for r in paragraph.runs if r.text]
            cells.append(
                (
                    cell.text,
                    paragraph.alignment,
                    {bool(r.bold) for r in runs},
                    {r.font.size for r in runs},
                    cell.width,
                )
            )
    return {"style": table.style.name, "alignment": table.alignment, "cells": cells}


def _saved_and_read(document: Any) -> Any:
    buffer = io.BytesIO()
    document.save(buffer)
    return Document(io.BytesIO(buffer.getvalue()))


def test_word_table_reads_as_the_python_docx_table() -> None:
    for bold_rows, half_points in [(set(), 18), ({4}, None)]:
        fast, slow = Document(), Document()
        word_table(fast, COLUMNS, ROWS, bold_rows=bold_rows, half_points=half_points)
        _reference(slow, bold_rows, size=half_points is not None)
        fast_table = _saved_and_read(fast).tables[0]
        slow_table = _saved_and_read(slow).tables[0]
        assert _read(fast_table) == _read(slow_table)
        assert len(fast_table.rows) == len(ROWS) + 1


def test_word_table_text_is_literal_and_formatted_as_asked() -> None:
    document = Document()
    word_table(document, COLUMNS, ROWS, bold_rows=[4])
    table = _saved_and_read(document).tables[0]
    assert table.rows[0].cells[0].text == "Enhed <b>&</b>"
    assert table.rows[2].cells[0].text == '<script>alert("x")</script> & **fed**'
    assert table.rows[3].cells[0].text == "  indrykket\tmed tab\nog ny linje\n\nslut "
    total = table.rows[5].cells
    assert total[0].text == "I alt" and total[0].paragraphs[0].runs[0].bold
    assert not table.rows[1].cells[0].paragraphs[0].runs[0].bold
    assert total[1].paragraphs[0].alignment == WD_ALIGN_PARAGRAPH.RIGHT
    assert total[0].paragraphs[0].alignment is None
    assert table.rows[1].cells[1].paragraphs[0].runs[0].font.size == Pt(9)
