"""Build the report pack of one municipality and report period: every standard figure as PNG and
SVG, the data behind each as CSV and XLSX, figures.json and a Word document. The command line
(``python -m report_pack``) and the Data page's button both call ``build_pack``."""

from __future__ import annotations

import io
import json
import math
import time
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from pathlib import Path
from typing import Any

import duckdb
import polars as pl

from charts.draw_process import Drawer, Drawn, drawer
from data_model.display import SHARE_COLUMNS, display_frame, is_internal
from data_model.export import frame_to_csv, frame_to_xlsx
from data_model.labels import ascii_slug, format_number
from queries.describe import load_names
from report_pack.document import Numbered, suppression_words, write_docx
from report_pack.figures import Omitted, PackItem, collect
from report_pack.resolve import Period, period_by_id
from report_pack.template import load_template
from report_pack.template_pack import build_template_pack

MANIFEST = "figures.json"
Progress = Callable[[float, str], None]


@dataclass
class PackResult:
    out_dir: Path
    period: Period
    files: list[str]  # names relative to out_dir, sorted
    figures: list[dict[str, Any]]  # the entries of figures.json
    tables: list[dict[str, Any]]
    omitted: list[Omitted]
    docx: Path
    manifest: Path
    seconds: float
    zip_path: Path | None = None
    timings: dict[str, float] = field(default_factory=dict)

    @property
    def stem(self) -> str:
        return pack_stem(self.period)


def pack_stem(period: Period) -> str:
    return "beretningspakke-" + ascii_slug(f"{period.municipality_name}-{period.label}")


def _json_value(value: Any) -> Any:
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def frame_rows(frame: pl.DataFrame) -> list[dict[str, Any]]:
    """The rows of a frame as JSON-ready dicts (dates as ISO text)."""
    return [{k: _json_value(v) for k, v in row.items()} for row in frame.iter_rows(named=True)]


def export_headers(item: PackItem) -> dict[str, str]:
    """Danish header of every exported column (the item's shown columns first): internal columns
    (sort keys, raw codes) left out unless the item shows them, shares said to be in percent."""
    shown = {c.name for c in item.columns}
    seen: dict[str, int] = {}
    headers: dict[str, str] = {}
    for name, header in item.headers().items():
        if is_internal(name) and name not in shown:
            continue
        if name in SHARE_COLUMNS:
            header = f"{header} (%)"
        seen[header] = seen.get(header, 0) + 1
        headers[name] = header if seen[header] == 1 else f"{header} ({name})"
    return headers


def export_frame(item: PackItem) -> pl.DataFrame:
    """The item's data for CSV and Excel, through the dashboard's one display function
    (``display_frame``): Danish headers, shares in percent rounded as shown, ja/nej."""
    headers = export_headers(item)
    return display_frame(item.data.select(list(headers)), labels=headers)


def manifest_head(period: Period, generated_at: datetime, day: date, threshold: int | None) -> dict[str, Any]:
    """What figures.json says first, in every pack: the pack, the period and the suppression."""
    return {
        "title": f"Beretningspakke: {period.municipality_name}, {period.label}",
        "municipality": {"code": period.municipality_code, "name": period.municipality_name},
        "period": {
            "id": period.period_id,
            "label": period.label,
            "start": period.start.isoformat(),
            "end": period.end.isoformat(),
        },
        "generated_at": generated_at.isoformat(),
        "status_date": day.isoformat(),
        "small_number_suppression": {
            "used": threshold is not None,
            "threshold": threshold,
            "description": suppression_words(threshold),
        },
    }


def finish_pack(
    out: Path,
    period: Period,
    files: list[str],
    manifest: dict[str, Any],
    *,
    figures: list[dict[str, Any]],
    tables: list[dict[str, Any]],
    omitted: list[Omitted],
    timings: dict[str, float],
) -> PackResult:
    """Write figures.json (``manifest`` with the list of every file, itself included) and say
    what the pack holds."""
    files = sorted([*files, MANIFEST])
    (out / MANIFEST).write_text(
        json.dumps({**manifest, "files": files}, ensure_ascii=False, indent=2), encoding="utf-8"
    )
    return PackResult(
        out_dir=out,
        period=period,
        files=files,
        figures=figures,
        tables=tables,
        omitted=omitted,
        docx=out / manifest["document"],
        manifest=out / MANIFEST,
        seconds=0.0,
        timings=timings,
    )


def _sheet_name(title: str) -> str:
    for bad in "[]:*?/\\":
        title = title.replace(bad, " ")
    return title[:31].strip() or "Data"


def build_pack(
    con: duckdb.DuckDBPyConnection,
    municipality: str,
    period_id: str,
    out_dir: Path | str,
    suppress_threshold: int | None = None,
    progress: Progress | None = None,
    *,
    today: date | None = None,
    zip_path: Path | str | None = None,
    use_template: bool = True,
) -> PackResult:
    """Write the pack of ``period_id`` (a report period of ``municipality``) into ``out_dir``.

    ``suppress_threshold`` (e.g. 5) hides counts from 1 to threshold-1; None shows every number.
    ``progress(fraction, Danish message)`` is called as the work goes on. When the municipality
    has a report template (and ``use_template``), the pack follows it (report_pack.template_pack).
    """
    started = time.perf_counter()
    report = progress or (lambda _fraction, _message: None)
    if suppress_threshold is not None and suppress_threshold < 2:
        raise ValueError("Grænsen for små tal skal være mindst 2")
    period = period_by_id(con, period_id)
    if period.municipality_code != municipality:
        raise ValueError(f"Perioden {period_id} hører ikke til kommunen {municipality}")
    day = today or date.today()
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    template = load_template(con, municipality) if use_template else []
    with drawer() as draw:  # Vega starts in its helper process while the queries run
        if template:
            result = build_template_pack(
                con, period, template, out, suppress_threshold, report, today=day, started=started, draw=draw
            )
        else:
            result = _standard_pack(
                con, period, out, suppress_threshold, report, day=day, started=started, draw=draw
            )
    return _finish(result, zip_path, report, started)


def _standard_pack(
    con: duckdb.DuckDBPyConnection,
    period: Period,
    out: Path,
    suppress_threshold: int | None,
    report: Progress,
    *,
    day: date,
    started: float,
    draw: Drawer,
) -> PackResult:
    """Every standard figure of the period: each chart goes to the drawer as soon as its spec is
    built, and its data files are written while it is drawn."""
    timings: dict[str, float] = {}
    generated_at = datetime.now().replace(microsecond=0)
    report(0.02, "Henter tallene …")
    names = load_names(con)
    collected = collect(con, period, names, today=day, threshold=suppress_threshold)
    timings["queries"] = time.perf_counter() - started

    files: list[str] = []
    figure_entries: list[dict[str, Any]] = []
    table_entries: list[dict[str, Any]] = []
    numbered: list[Numbered] = []
    drawings: list[tuple[str, int, Callable[[], Drawn]]] = []  # file stem, index in numbered, drawing
    figure_no = table_no = 0
    render_started = time.perf_counter()
    total = len(collected.items)
    for index, item in enumerate(collected.items):
        table_no += 1
        report(0.05 + 0.8 * index / max(total, 1), f"{item.title} …")
        entry: dict[str, Any] = {
            "key": item.key,
            "title": item.title,
            "counts": item.counts,
            "filter": item.filter_words,
            "source": item.source,
            "note": item.note,
            "table_number": table_no,
            "suppressed": item.suppressed_with is not None,
            "count_fields": list(item.count_columns),
            "share_fields": list(item.share_columns),
            "columns": [{"field": name, "header": header} for name, header in export_headers(item).items()],
            "shown_columns": [c.name for c in item.columns],
            "rows": frame_rows(item.data),
        }
        if item.draw is not None:
            figure_no += 1
            stem = f"{figure_no:02d}-{item.key}"
            drawings.append((stem, len(numbered), draw.draw(item.chart())))
            entry = {"number": figure_no, "caption": f"Figur {figure_no}: {item.title}", **entry}
            names_of = {"png": f"{stem}.png", "svg": f"{stem}.svg"}
        else:
            stem = f"tabel-{item.key}"
            entry = {"caption": f"Tabel {table_no}: {item.title}", **entry}
            names_of = {}
        data = export_frame(item)
        (out / f"{stem}.csv").write_bytes(frame_to_csv(data))
        (out / f"{stem}.xlsx").write_bytes(frame_to_xlsx(data, sheet=_sheet_name(item.title)))
        names_of |= {"csv": f"{stem}.csv", "xlsx": f"{stem}.xlsx"}
        entry["files"] = names_of
        files += names_of.values()
        (figure_entries if item.draw is not None else table_entries).append(entry)
        numbered.append(Numbered(item, figure_no if item.draw is not None else None, table_no, None))
    for stem, position, drawn in drawings:
        svg, png = drawn()
        (out / f"{stem}.png").write_bytes(png)
        (out / f"{stem}.svg").write_bytes(svg)
        numbered[position] = replace(numbered[position], png=png)
    timings["render"] = time.perf_counter() - render_started

    report(0.88, "Skriver Word-dokumentet …")
    docx_started = time.perf_counter()
    stem = pack_stem(period)
    docx_name = f"{stem}.docx"
    write_docx(
        out / docx_name,
        period=period,
        generated_at=generated_at,
        threshold=suppress_threshold,
        generated_data=collected.generated,
        numbered=numbered,
        omitted=collected.omitted,
    )
    files.append(docx_name)
    timings["docx"] = time.perf_counter() - docx_started

    manifest = {
        **manifest_head(period, generated_at, day, suppress_threshold),
        "generated_data": collected.generated,
        "generated_data_note": (
            "Udvalget indeholder genererede eksempeldata (ikke rigtige sager)." if collected.generated else ""
        ),
        "document": docx_name,
        "figures": figure_entries,
        "tables": table_entries,
        "omitted": [{"key": o.key, "title": o.title, "reason": o.reason} for o in collected.omitted],
    }
    return finish_pack(
        out,
        period,
        files,
        manifest,
        figures=figure_entries,
        tables=table_entries,
        omitted=collected.omitted,
        timings=timings,
    )


def _finish(result: PackResult, zip_path: Path | str | None, report: Progress, started: float) -> PackResult:
    if zip_path is not None:
        report(0.95, "Pakker zip-filen …")
        result.zip_path = Path(zip_path)
        result.zip_path.parent.mkdir(parents=True, exist_ok=True)
        result.zip_path.write_bytes(zip_bytes(result))
    result.seconds = time.perf_counter() - started
    report(1.0, f"Færdig: {len(result.figures)} figurer på {format_number(result.seconds, 1)} sekunder")
    return result


def zip_bytes(result: PackResult) -> bytes:
    """The pack's files in one zip, inside a folder named after the pack."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name in result.files:
            archive.write(result.out_dir / name, f"{result.stem}/{name}")
    return buffer.getvalue()
