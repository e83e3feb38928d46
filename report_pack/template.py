"""A municipality's report template: the ordered tables and figures of its own annual report.

Each item is a saved cross-table (``queries.crosstab.CrossSpec``) or one of the standard
figures of the pack, with the Danish title and caption the report uses. Templates live in the
``report_template`` table (one row per item), are edited on the Krydstabel page, and travel as a
JSON file (``template_to_json`` / ``template_from_json``). The sample municipalities ship one
each (``sample_data/reports/<slug>/report_template.json``), loaded with the sample data.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Literal

import duckdb

from queries.crosstab import CrossSpec, title_words

FILE_FORMAT = "borgerraad-rapportskabelon"
FILE_VERSION = 1
TEMPLATE_FILE = "report_template.json"
MAX_ITEMS = 200
MAX_TEXT = 500

# the standard figures a template can name (report_pack.figures.collect makes them)
STANDARD_FIGURES: dict[str, str] = {
    "henvendelser-sektor": "Henvendelser pr. sektor",
    "henvendelser-enhed": "Henvendelser og klager pr. enhed",
    "klageandel": "Klageandel, de seneste beretningsperioder",
    "udvikling": "Henvendelser pr. type, de seneste beretningsperioder",
    "temaer": "Klagepunkter pr. tema",
    "undertemaer": "Klagepunkter pr. undertema",
    "handlinger": "Borgerrådgiverens handling på klager",
    "sagstyper": "Henvendelser pr. sagstype",
    "aar-for-aar": "Ændring fra året før pr. forvaltning",
    "ankestyrelsen-lovomraade": "Ankestyrelsens afgørelser pr. lovområde og resultat",
    "ankestyrelsen-enhed": "Ankestyrelsens afgørelser pr. enhed og resultat",
    "ankestyrelsen-bemaerkninger": "Ankestyrelsens bemærkninger til sagsbehandlingen",
    "omgoerelsesprocent-afgoerelser": "Omgørelsesprocent pr. lovområde, registrerede afgørelser",
    "omgoerelsesprocent-boern-handicap": "Omgørelsesprocent, børnehandicap",
    "omgoerelsesprocent-voksen-handicap": "Omgørelsesprocent, voksenhandicap",
    "omgoerelsesprocent-social-generelt": "Omgørelsesprocent, det sociale område generelt",
    "anbefalinger-status": "Anbefalinger pr. forvaltning og status",
    "anbefalinger": "Anbefalinger og deres status",
}


class TemplateError(ValueError):
    """A template (file) that cannot be used, worded for the user (Danish)."""


@dataclass(frozen=True)
class TemplateItem:
    kind: Literal["crosstab", "figure"]
    title: str
    caption: str = ""
    spec: CrossSpec | None = None  # kind crosstab
    figure: str | None = None  # kind figure: a key of STANDARD_FIGURES
    chart: bool = True  # a cross-table is also drawn as a figure in the Word document

    def __post_init__(self) -> None:
        if self.kind == "crosstab" and self.spec is None:
            raise TemplateError("En krydstabel i skabelonen mangler sin opsætning")
        if self.kind == "figure" and self.figure not in STANDARD_FIGURES:
            raise TemplateError(f"Ukendt standardfigur i skabelonen: {self.figure}")
        if self.kind not in ("crosstab", "figure"):
            raise TemplateError(f"Ukendt slags punkt i skabelonen: {self.kind}")
        if not self.title.strip():
            raise TemplateError("Et punkt i skabelonen mangler en titel")
        if len(self.title) > MAX_TEXT or len(self.caption) > MAX_TEXT:
            raise TemplateError(f"Titler og billedtekster må højst være {MAX_TEXT} tegn")

    def with_(self, **changes: Any) -> TemplateItem:
        return replace(self, **changes)

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"kind": self.kind, "title": self.title, "caption": self.caption}
        if self.spec is not None:
            data["spec"] = self.spec.to_dict()
            data["chart"] = self.chart
        if self.figure is not None:
            data["figure"] = self.figure
        return data

    @classmethod
    def from_dict(cls, data: Any) -> TemplateItem:
        if not isinstance(data, dict):
            raise TemplateError("Hvert punkt i skabelonen skal være et objekt")
        kind = data.get("kind")
        spec = None
        if kind == "crosstab":
            if not isinstance(data.get("spec"), dict):
                raise TemplateError("En krydstabel i skabelonen mangler sin opsætning")
            try:
                spec = CrossSpec.from_dict(data["spec"])
            except (TypeError, ValueError) as exc:
                raise TemplateError(f"Ugyldig krydstabel i skabelonen: {exc}") from exc
        title = data.get("title")
        caption = data.get("caption") or ""
        if not isinstance(title, str) or not isinstance(caption, str):
            raise TemplateError("Titel og billedtekst skal være tekst")
        return cls(
            kind=kind,  # type: ignore[arg-type]
            title=title.strip(),
            caption=caption.strip(),
            spec=spec,
            figure=data.get("figure") if kind == "figure" else None,
            chart=bool(data.get("chart", True)),
        )


def crosstab_item(spec: CrossSpec, title: str | None = None, caption: str = "") -> TemplateItem:
    return TemplateItem("crosstab", title or title_words(spec), caption, spec=spec)


def edited_template(template: list[TemplateItem], rows: list[dict[str, Any]]) -> list[TemplateItem]:
    """The template after the editor's changes. ``rows``: one per item, in the template's order,
    with ``nr`` (the wanted position; ties keep the old order, empty goes last), ``title``,
    ``caption``, ``chart`` and ``remove``."""
    if len(rows) != len(template):
        raise TemplateError("Skabelonen er ændret imens; genindlæs siden")
    kept = [(row, index) for index, row in enumerate(rows) if not row.get("remove")]
    kept.sort(key=lambda pair: (pair[0].get("nr") is None, pair[0].get("nr") or 0, pair[1]))
    items = []
    for row, index in kept:
        item = template[index]
        items.append(
            item.with_(
                title=str(row.get("title") or "").strip(),
                caption=str(row.get("caption") or "").strip(),
                chart=bool(row.get("chart", True)) if item.spec is not None else True,
            )
        )
    return items


def load_template(con: duckdb.DuckDBPyConnection, municipality: str) -> list[TemplateItem]:
    """The municipality's template in order (empty: it has none)."""
    rows = con.execute(
        "SELECT kind, title, caption, spec, figure, chart FROM report_template "
        "WHERE municipality_code = ? ORDER BY position",
        [municipality],
    ).fetchall()
    items = []
    for kind, title, caption, spec, figure, chart in rows:
        items.append(
            TemplateItem(
                kind=kind,
                title=title,
                caption=caption or "",
                spec=CrossSpec.from_dict(json.loads(spec)) if spec else None,
                figure=figure,
                chart=bool(chart),
            )
        )
    return items


def save_template(
    con: duckdb.DuckDBPyConnection, municipality: str, items: list[TemplateItem], actor: str
) -> None:
    """Replace the municipality's template with ``items`` in one transaction, audited."""
    from data_model.importer import audit

    if len(items) > MAX_ITEMS:
        raise TemplateError(f"En skabelon kan højst have {MAX_ITEMS} punkter")
    old = [i.to_dict() for i in load_template(con, municipality)]
    new = [i.to_dict() for i in items]
    if old == new:
        return
    con.execute("BEGIN TRANSACTION")
    try:
        con.execute("DELETE FROM report_template WHERE municipality_code = ?", [municipality])
        for position, item in enumerate(items, start=1):
            con.execute(
                "INSERT INTO report_template (municipality_code, position, kind, title, caption, spec, figure, chart) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    municipality,
                    position,
                    item.kind,
                    item.title,
                    item.caption,
                    item.spec.to_json() if item.spec else None,
                    item.figure,
                    item.chart,
                ],
            )
        audit(con, actor, "gem rapportskabelon", "report_template", municipality, old or None, new)
        con.execute("COMMIT")
    except Exception:
        con.execute("ROLLBACK")
        raise


def template_to_json(municipality: str, items: list[TemplateItem]) -> bytes:
    document = {
        "format": FILE_FORMAT,
        "version": FILE_VERSION,
        "municipality": municipality,
        "items": [i.to_dict() for i in items],
    }
    return json.dumps(document, ensure_ascii=False, indent=2).encode("utf-8")


def template_from_json(data: bytes | str) -> tuple[str | None, list[TemplateItem]]:
    """(municipality code in the file, items); TemplateError says in Danish what is wrong."""
    try:
        document = json.loads(data)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise TemplateError("Filen er ikke en gyldig JSON-fil") from exc
    if not isinstance(document, dict) or document.get("format") != FILE_FORMAT:
        raise TemplateError("Filen er ikke en rapportskabelon fra dashboardet")
    if document.get("version") != FILE_VERSION:
        raise TemplateError(f"Ukendt version af skabelonfilen: {document.get('version')}")
    items = document.get("items")
    if not isinstance(items, list):
        raise TemplateError("Skabelonfilen har ingen liste over punkter")
    if len(items) > MAX_ITEMS:
        raise TemplateError(f"En skabelon kan højst have {MAX_ITEMS} punkter")
    municipality = document.get("municipality")
    return (str(municipality) if municipality is not None else None), [
        TemplateItem.from_dict(i) for i in items
    ]


def seed_templates(con: duckdb.DuckDBPyConnection, root: Path, actor: str) -> int:
    """Load every ``report_template.json`` under ``root/reports`` whose municipality exists and
    has no template yet; returns how many were loaded."""
    loaded = 0
    for path in sorted((root / "reports").glob(f"*/{TEMPLATE_FILE}")):
        municipality, items = template_from_json(path.read_bytes())
        if municipality is None:
            continue
        known = con.execute("SELECT count(*) FROM municipality WHERE code = ?", [municipality]).fetchall()[0][
            0
        ]
        if not known or load_template(con, municipality):
            continue
        save_template(con, municipality, items, actor)
        loaded += 1
    return loaded
