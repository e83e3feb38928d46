"""pydantic v2 models: one per stored entity.

Validators raise ``ValueError`` with a reason key from ``labels.REASONS``; a key may carry the
column it concerns after an ``@`` (model-level checks), so the importer can report row, column
and a Danish reason for every problem.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationInfo,
    field_validator,
    model_validator,
)

from data_model.parsing import (
    clean_identifier,
    is_blank,
    parse_bool,
    parse_code_list,
    parse_date,
    parse_int,
    parse_number,
)
from data_model.personal_data import contains_cpr


def _text(value: Any) -> Any:
    if is_blank(value):
        return None
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # spreadsheet cells typed as numbers
    return str(value).strip()


Text = Annotated[str, BeforeValidator(_text)]
OptText = Annotated[str | None, BeforeValidator(_text)]
Day = Annotated[date, BeforeValidator(parse_date)]
OptDay = Annotated[date | None, BeforeValidator(parse_date)]
INT_MAX = 2_147_483_647  # the database's INTEGER; a larger count must be refused, not crash the write
Count = Annotated[int, BeforeValidator(parse_int), Field(ge=0, le=INT_MAX)]
OptCount = Annotated[Annotated[int, Field(ge=0, le=INT_MAX)] | None, BeforeValidator(parse_int)]
Number = Annotated[float, BeforeValidator(parse_number)]
Flag = Annotated[bool, BeforeValidator(lambda v: bool(parse_bool(v)))]
OptFlag = Annotated[bool | None, BeforeValidator(parse_bool)]
Codes = Annotated[list[str], BeforeValidator(parse_code_list)]


def _optional_text(max_length: int) -> Any:
    return Annotated[Annotated[str, Field(max_length=max_length)] | None, BeforeValidator(_text)]


def _is_identifier(column: str) -> bool:
    """Keys, references and names: where two look-alike spellings must never be two values."""
    return column.endswith(("_id", "_ids", "code", "_codes")) or column in {"name", "label", "title", "kind"}


Summary = _optional_text(4000)
LongText = _optional_text(8000)
Year = Annotated[int, BeforeValidator(parse_int), Field(ge=1900, le=2100)]


class Record(BaseModel):
    """Base: strips text, refuses anything shaped like a CPR number in any text field."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    @model_validator(mode="before")
    @classmethod
    def _refuse_cpr(cls, data: Any) -> Any:
        if isinstance(data, dict):
            for column, value in data.items():
                # Every shape: text, numbers (Excel stores 1501901234 as a number), nested values.
                if contains_cpr(value):
                    raise ValueError(f"cpr@{column}")
        return data

    @model_validator(mode="before")
    @classmethod
    def _normalise_identifiers(cls, data: Any) -> Any:
        """Ids, codes and names in NFC, without invisible characters (look-alike keys)."""
        if not isinstance(data, dict):
            return data
        cleaned = dict(data)
        for column, value in data.items():
            if not _is_identifier(str(column)):
                continue
            try:
                if isinstance(value, list | tuple):
                    cleaned[column] = [clean_identifier(item) for item in value]
                else:
                    cleaned[column] = clean_identifier(value)
            except ValueError as exc:
                raise ValueError(f"{exc}@{column}") from exc
        return cleaned

    @staticmethod
    def _today(info: ValidationInfo) -> date:
        context = info.context or {}
        return context.get("today") or date.today()

    def not_after_today(self, info: ValidationInfo, *columns: str) -> None:
        today = self._today(info)
        for column in columns:
            value = getattr(self, column)
            if value is not None and value > today:
                raise ValueError(f"future_date@{column}")


class Municipality(Record):
    code: Text
    name: Text
    is_named: Flag = True


class Population(Record):
    municipality_code: Text
    year: Year
    population: Count


class ReportPeriod(Record):
    period_id: Text
    municipality_code: Text
    label: Text
    start_date: Day
    end_date: Day

    @model_validator(mode="after")
    def _ordered(self) -> ReportPeriod:
        if self.end_date < self.start_date:
            raise ValueError("end_before_start@end_date")
        return self


class Category(Record):
    kind: Text
    code: Text
    label: Text
    parent_code: OptText = None
    sort_order: Annotated[
        int, BeforeValidator(lambda v: parse_int(v) or 0), Field(ge=-INT_MAX, le=INT_MAX)
    ] = 0
    is_complaint: OptFlag = None


class Theme(Record):
    code: Text
    name: Text
    parent_code: OptText = None
    municipality_code: OptText = None


class OrgUnit(Record):
    unit_id: Text
    municipality_code: Text
    name: Text
    level: Text = "afdeling"
    sector_code: Text
    parent_id: OptText = None
    valid_from: OptDay = None
    valid_to: OptDay = None

    @model_validator(mode="after")
    def _ordered(self) -> OrgUnit:
        if self.valid_from and self.valid_to and self.valid_to < self.valid_from:
            raise ValueError("end_before_start@valid_to")
        return self


class Inquiry(Record):
    inquiry_id: Text
    municipality_code: Text
    received: Day
    kind_code: Text
    closed: OptDay = None
    unit_id: OptText = None
    case_type_code: OptText = None
    channel_code: OptText = None
    outcome_code: OptText = None
    legal_effect_code: OptText = None
    summary: Summary = None
    provenance: Text = "imported"

    @model_validator(mode="after")
    def _dates(self, info: ValidationInfo) -> Inquiry:
        self.not_after_today(info, "received", "closed")
        if self.closed is not None and self.closed < self.received:
            raise ValueError("closed_before_received@closed")
        return self


class ComplaintPoint(Record):
    point_id: Text
    inquiry_id: Text
    theme_code: Text
    unit_id: OptText = None


class AppealDecision(Record):
    decision_id: Text
    municipality_code: Text
    law_area_code: Text
    decided: Day
    outcome_code: Text
    unit_id: OptText = None
    remark_codes: Codes = Field(default_factory=list)
    provenance: Text = "imported"

    @model_validator(mode="after")
    def _dates(self, info: ValidationInfo) -> AppealDecision:
        self.not_after_today(info, "decided")
        return self


class AppealStatistic(Record):
    """Published yearly counts; the whole country is municipality ``000``."""

    municipality_code: Text
    year: Year
    law_area_code: Text
    decided_on_merits: Count
    changed: Count
    sent_back: Count
    rejected: Count = 0
    provenance: Text = "imported"

    @model_validator(mode="after")
    def _parts(self) -> AppealStatistic:
        if self.changed + self.sent_back > self.decided_on_merits:
            raise ValueError("parts_exceed_total@decided_on_merits")
        return self


class Recommendation(Record):
    recommendation_id: Text
    municipality_code: Text
    made_on: Day
    title: Annotated[str, BeforeValidator(_text), Field(max_length=300)]
    text: LongText = None
    period_id: OptText = None
    due_on: OptDay = None
    target_unit_ids: Codes = Field(default_factory=list)
    theme_codes: Codes = Field(default_factory=list)
    whole_municipality: Flag = False

    @model_validator(mode="after")
    def _dates(self, info: ValidationInfo) -> Recommendation:
        self.not_after_today(info, "made_on")
        return self


class FollowUp(Record):
    follow_up_id: Text
    recommendation_id: Text
    date: Day
    status_code: Text
    text: LongText = None
    source: OptText = None

    @model_validator(mode="after")
    def _dates(self, info: ValidationInfo) -> FollowUp:
        self.not_after_today(info, "date")
        return self


class PublishedFigure(Record):
    figure_id: Text
    municipality_code: Text
    table_name: Text
    measure: Text
    value: Number
    value_unit: Text = "count"
    period_id: OptText = None
    dimension: OptText = None
    label: OptText = None
    dimension2: OptText = None
    label2: OptText = None
    n: OptCount = None
    unit_id: OptText = None
    kind_code: OptText = None
    case_type_code: OptText = None
    theme_code: OptText = None
    outcome_code: OptText = None
    legal_effect_code: OptText = None
    appeal_outcome_code: OptText = None
    law_area_code: OptText = None
    remark_code: OptText = None
    source_file: OptText = None
    source_line: OptCount = None
    flag: OptText = None
    note: OptText = None

    @field_validator("value")
    @classmethod
    def _no_negative_counts(cls, value: float, info: ValidationInfo) -> float:
        if value < 0:
            raise ValueError("negative")
        return value


class Event(Record):
    """A dated annotation for trend charts (a law change, a reorganisation)."""

    event_id: Text
    date: Day
    label: Text
    municipality_code: OptText = None


__all__ = [
    "AppealDecision",
    "AppealStatistic",
    "Category",
    "ComplaintPoint",
    "Event",
    "FollowUp",
    "Inquiry",
    "Municipality",
    "OrgUnit",
    "Population",
    "PublishedFigure",
    "Recommendation",
    "Record",
    "ReportPeriod",
    "Theme",
]
