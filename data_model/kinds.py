"""The import/export kinds: which model, table, key and references each record kind has."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from data_model import models
from data_model.labels import FIELD_LABELS


@dataclass(frozen=True)
class Reference:
    """A column that must name something that exists.

    ``target`` is ``municipality``, ``unit``, ``theme``, ``period``, ``inquiry``,
    ``recommendation`` or ``category:<kind>``. ``many`` means the cell is a list of codes
    (a list column, or ``;``-separated codes in a text column).
    """

    column: str
    target: str
    many: bool = False


@dataclass(frozen=True)
class Kind:
    name: str
    table: str
    model: type[models.Record]
    key: tuple[str, ...]
    references: tuple[Reference, ...] = ()
    aliases: dict[str, str] = field(default_factory=dict)

    @property
    def columns(self) -> list[str]:
        return list(self.model.model_fields)

    @property
    def required(self) -> list[str]:
        return [name for name, f in self.model.model_fields.items() if f.is_required()]


def _cat(column: str, kind: str, many: bool = False) -> Reference:
    return Reference(column, f"category:{kind}", many)


KINDS: dict[str, Kind] = {
    k.name: k
    for k in [
        Kind(
            "municipalities",
            "municipality",
            models.Municipality,
            ("code",),
            aliases={"kommune": "name", "kommunenavn": "name"},
        ),
        Kind(
            "populations",
            "population",
            models.Population,
            ("municipality_code", "year"),
            (Reference("municipality_code", "municipality"),),
        ),
        Kind(
            "report_periods",
            "report_period",
            models.ReportPeriod,
            ("period_id",),
            (Reference("municipality_code", "municipality"),),
            aliases={"periode": "label"},
        ),
        Kind("categories", "category", models.Category, ("kind", "code")),
        Kind(
            "themes",
            "theme",
            models.Theme,
            ("code",),
            (Reference("parent_code", "theme"),),
            aliases={"temakode": "code", "overtema": "parent_code"},
        ),
        Kind(
            "org_units",
            "org_unit",
            models.OrgUnit,
            ("unit_id",),
            (
                Reference("municipality_code", "municipality"),
                Reference("parent_id", "unit"),
                _cat("sector_code", "sector"),
            ),
            aliases={"enhed": "name"},
        ),
        Kind(
            "inquiries",
            "inquiry",
            models.Inquiry,
            ("inquiry_id",),
            (
                Reference("municipality_code", "municipality"),
                Reference("unit_id", "unit"),
                _cat("kind_code", "inquiry_kind"),
                _cat("case_type_code", "case_type"),
                _cat("channel_code", "channel"),
                _cat("outcome_code", "outcome"),
                _cat("legal_effect_code", "legal_effect"),
            ),
            aliases={
                "sagsnummer": "inquiry_id",
                "modtaget_dato": "received",
                "afsluttet_dato": "closed",
                "type": "kind_code",
                "enhed": "unit_id",
            },
        ),
        Kind(
            "complaint_points",
            "complaint_point",
            models.ComplaintPoint,
            ("point_id",),
            (
                Reference("inquiry_id", "inquiry"),
                Reference("theme_code", "theme"),
                Reference("unit_id", "unit"),
            ),
            aliases={"henvendelse": "inquiry_id", "enhed": "unit_id"},
        ),
        Kind(
            "appeal_decisions",
            "appeal_decision",
            models.AppealDecision,
            ("decision_id",),
            (
                Reference("municipality_code", "municipality"),
                Reference("unit_id", "unit"),
                _cat("law_area_code", "law_area"),
                _cat("outcome_code", "appeal_outcome"),
                _cat("remark_codes", "remark_theme", many=True),
            ),
            aliases={"resultat": "outcome_code", "enhed": "unit_id"},
        ),
        Kind(
            "appeal_statistics",
            "appeal_statistic",
            models.AppealStatistic,
            ("municipality_code", "year", "law_area_code"),
            (Reference("municipality_code", "municipality"), _cat("law_area_code", "law_area")),
        ),
        Kind(
            "recommendations",
            "recommendation",
            models.Recommendation,
            ("recommendation_id",),
            (
                Reference("municipality_code", "municipality"),
                Reference("period_id", "period"),
                Reference("target_unit_ids", "unit", many=True),
                Reference("theme_codes", "theme", many=True),
            ),
        ),
        Kind(
            "follow_ups",
            "follow_up",
            models.FollowUp,
            ("follow_up_id",),
            (Reference("recommendation_id", "recommendation"), _cat("status_code", "follow_up_status")),
        ),
        Kind(
            "published_figures",
            "published_figure",
            models.PublishedFigure,
            ("figure_id",),
            (
                Reference("municipality_code", "municipality"),
                Reference("period_id", "period"),
                Reference("unit_id", "unit", many=True),
                Reference("theme_code", "theme", many=True),
                _cat("kind_code", "inquiry_kind", True),
                _cat("case_type_code", "case_type", True),
                _cat("outcome_code", "outcome", True),
                _cat("legal_effect_code", "legal_effect", True),
                _cat("appeal_outcome_code", "appeal_outcome", True),
                _cat("law_area_code", "law_area", True),
                _cat("remark_code", "remark_theme", True),
            ),
        ),
        Kind(
            "events", "event", models.Event, ("event_id",), (Reference("municipality_code", "municipality"),)
        ),
    ]
}

# Order in which a full data set must be loaded so every reference already exists.
LOAD_ORDER: tuple[str, ...] = tuple(KINDS)


def normalise_header(header: str) -> str:
    """'Modtaget dato ' -> 'modtaget_dato'; keeps æ, ø, å so Danish labels still match."""
    text = unicodedata.normalize("NFC", str(header)).strip().lower().lstrip("\ufeff")
    return re.sub(r"[^0-9a-zæøå]+", "_", text).strip("_")


def column_map(kind: Kind) -> dict[str, str]:
    """Every accepted header (normalised) -> field name: English names and Danish labels."""
    mapping: dict[str, str] = {}
    for column in kind.columns:
        mapping[normalise_header(column)] = column
        if column in FIELD_LABELS:
            mapping[normalise_header(FIELD_LABELS[column])] = column
    for alias, column in kind.aliases.items():
        mapping[normalise_header(alias)] = column
    return mapping


def describe(kind: Kind) -> str:
    """One line per column for --help: name, Danish label, required or not."""
    lines = []
    for column in kind.columns:
        label = FIELD_LABELS.get(column, column)
        need = "required" if column in kind.required else "optional"
        lines.append(f"    {column} ({label}) [{need}]")
    return "\n".join(lines)
