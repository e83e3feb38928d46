"""Query frames (English column names, raw values) turned into what a user sees or downloads.

One function, ``display_frame``, is used by every table on screen and every CSV/Excel download:
Danish headers from ``data_model.labels``, internal columns dropped, shares as rounded percent,
booleans as "ja"/"nej", and on screen Danish decimal commas, one minus sign (U+2212) and "–"
for a missing value. Key-figure deltas are worded here too (``metric_delta``), so a fall is
always drawn as a fall.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

import polars as pl

from data_model.kinds import KINDS
from data_model.labels import (
    COLUMN_LABELS,
    FIELD_LABELS,
    KIND_LABELS,
    PROVENANCE_LABELS,
    field_label,
    format_number,
    format_signed,
)

# fractions 0..1 shown as percent with one decimal (what the charts' tooltips show)
SHARE_COLUMNS = frozenset({"share", "complaint_share"})
# already in percent / percentage points
PERCENT_COLUMNS = frozenset({"pct", "country_pct"})
# changes: shown with a sign (+12, −3, ±0)
SIGNED_COLUMNS = frozenset({"diff", "pct_change", "change_pp", "delta"})
# columns a user never needs: sort keys, flags used for drawing, raw codes with a label beside them
INTERNAL_COLUMNS = frozenset(
    {
        "status_order",
        "outcome_order",
        "sort_order",
        "is_total",
        "code",
        "small",
        "partial",
        "bucket",
        "label_text",
    }
)
INTERNAL_SUFFIXES = ("_order", "_code", "_id")
DECIMALS = {"per_month": 1, "per_1000": 2}  # floats not listed here get one decimal
MISSING = "–"
# numbers shown as the report printed them (385, 8,5), not with a fixed number of decimals
AS_PRINTED_COLUMNS = frozenset({"value", "n"})


def _as_printed(value: float | None) -> str:
    if value is None:
        return MISSING
    return format_number(value, 0) if float(value).is_integer() else format_number(value, 2).rstrip("0")


def is_internal(name: str) -> bool:
    """A column a user never needs (a sort key, a drawing flag, a raw code beside its label)."""
    return name in INTERNAL_COLUMNS or name.endswith(INTERNAL_SUFFIXES)


def _decimals(name: str, dtype: pl.DataType) -> int:
    if dtype.is_integer() or name == "pct_change":
        return 0
    return DECIMALS.get(name, 1)


def _signed_text(value: float | None, decimals: int, suffix: str) -> str:
    if value is None:
        return MISSING
    if round(value, decimals) == 0:
        return f"±0{suffix}"
    return format_signed(value, decimals, suffix)


def display_frame(
    frame: pl.DataFrame,
    *,
    screen: bool = False,
    labels: dict[str, str] | None = None,
    keep: tuple[str, ...] = (),
) -> pl.DataFrame:
    """The frame as shown or downloaded.

    ``labels`` overrides the Danish header of a column (e.g. a period's label for ``current``);
    ``keep`` keeps a column that would count as internal. Downloads (``screen=False``) keep
    numbers as numbers (the CSV writer puts decimal commas) and leave a missing value empty;
    on screen (``screen=True``) every number is Danish text and a missing value is "–".
    Columns already carrying a Danish header pass through untouched, so applying it twice is safe.
    """
    overrides = labels or {}
    columns = [c for c in frame.columns if c in keep or c in overrides or not is_internal(c)]
    exprs: list[pl.Expr] = []
    used: set[str] = set()
    for name in columns:
        dtype = frame.schema[name]
        col = pl.col(name)
        decimals = _decimals(name, dtype)
        if name in SHARE_COLUMNS and dtype.is_numeric():
            col = (col * 100).round(decimals)
        elif dtype.is_float() and name not in AS_PRINTED_COLUMNS:
            col = col.round(decimals)
        if dtype == pl.Boolean:
            col = pl.when(col).then(pl.lit("ja")).when(~col).then(pl.lit("nej")).otherwise(pl.lit(None))
        elif screen and dtype.is_numeric():
            if name in SIGNED_COLUMNS:
                suffix = " %" if name == "pct_change" else ""
                col = col.map_elements(
                    lambda v, d=decimals, s=suffix: _signed_text(v, d, s),
                    return_dtype=pl.Utf8,
                    skip_nulls=False,
                )
            elif name in AS_PRINTED_COLUMNS:
                col = col.map_elements(_as_printed, return_dtype=pl.Utf8, skip_nulls=False)
            elif dtype.is_float():
                col = col.map_elements(
                    lambda v, d=decimals: MISSING if v is None else format_number(v, d),
                    return_dtype=pl.Utf8,
                    skip_nulls=False,
                )
            elif frame[name].null_count():  # whole numbers stay numbers (they sort), unless one is missing
                col = col.map_elements(
                    lambda v: MISSING if v is None else format_number(v, 0),
                    return_dtype=pl.Utf8,
                    skip_nulls=False,
                )
        elif screen and dtype == pl.Date:
            col = col.dt.strftime("%d.%m.%Y")
        elif screen and isinstance(dtype, pl.Datetime):
            col = col.dt.strftime("%d.%m.%Y %H:%M")
        header = overrides.get(name) or COLUMN_LABELS.get(name, name)
        if header in used:  # two columns with one Danish label: keep both apart
            header = f"{header} ({name})"
        used.add(header)
        exprs.append(col.alias(header))
    out = frame.select(exprs)
    if screen:
        out = out.with_columns(pl.col(pl.Utf8).fill_null(MISSING))
    return out


def kind_download(frame: pl.DataFrame, fmt: str) -> pl.DataFrame:
    """A table export for people (CSV, Excel): the Danish field labels as headers and ja/nej,
    which the importer reads back (labels are accepted column names); codes stay codes so the
    file re-imports. Parquet is for programs and keeps the field names."""
    if fmt == "parquet":
        return frame
    return display_frame(frame, labels={c: FIELD_LABELS.get(c, c) for c in frame.columns})


@dataclass(frozen=True)
class MetricDelta:
    """How st.metric draws a change: the text, its arrow and its colour."""

    text: str
    arrow: str  # "up", "down" or "off"
    color: str  # "red", "green" or "gray"
    word: str = ""  # "bedre"/"værre" where the direction is clearly good or bad, else ""

    @property
    def shown(self) -> str:
        """The text st.metric shows: the change, and in words whether it is better or worse,
        so colour is never the only carrier of good/bad (WCAG 1.4.1)."""
        return f"{self.text} ({self.word})" if self.word else self.text


def metric_delta(delta: float | None, unit: str, better: str | None) -> MetricDelta | None:
    """A change as an advisor reads it: a fall points down, no change has no arrow ("±0"), and
    colour only where the direction is clearly good or bad (``better`` "lower"/"higher"; None
    keeps it grey, e.g. more inquiries is neither good nor bad).

    The direction is taken from the rounded change, so "±0,0" never gets an arrow.
    """
    if delta is None:
        return None
    decimals = 1 if unit == "percent" else 0
    suffix = " pct.-point" if unit == "percent" else ""
    rounded = round(delta, decimals)
    if rounded == 0:
        return MetricDelta(f"±0{suffix}", "off", "gray")
    arrow = "up" if rounded > 0 else "down"
    color, word = "gray", ""
    if better in ("lower", "higher"):
        good = (rounded < 0) == (better == "lower")
        color, word = ("green", "bedre") if good else ("red", "værre")
    return MetricDelta(format_signed(delta, decimals, suffix), arrow, color, word)


# fields holding a category code, and the category kind that labels it
CODE_FIELDS = {
    "status_code": "follow_up_status",
    "kind_code": "inquiry_kind",
    "outcome_code": "outcome",
    "case_type_code": "case_type",
    "channel_code": "channel",
    "legal_effect_code": "legal_effect",
    "law_area_code": "law_area",
    "sector_code": "sector",
    "appeal_outcome_code": "appeal_outcome",
}
Categories = dict[tuple[str, str], str]
IMPORT_COUNTS = frozenset({"nye", "ændrede", "uændrede"})  # what an import writes to the log


def _field_text(field: str, value: object, categories: Categories) -> str:
    kind = CODE_FIELDS.get(field)
    if kind and isinstance(value, str):
        return categories.get((kind, value), value)
    if field == "provenance" and isinstance(value, str):
        return PROVENANCE_LABELS.get(value, value)
    return _value_text(value)


def _value_text(value: object) -> str:
    if value is None or value == "" or value == []:
        return "–"
    if isinstance(value, bool):
        return "ja" if value else "nej"
    if isinstance(value, list):
        return ", ".join(_value_text(v) for v in value)
    if isinstance(value, dict):
        return "; ".join(f"{field_label(str(k))}: {_value_text(v)}" for k, v in value.items())
    text = str(value)
    if len(text) == 10 and text[4] == "-" and text[7] == "-":  # ISO date -> 31.03.2025
        return f"{text[8:10]}.{text[5:7]}.{text[:4]}"
    return text if len(text) <= 80 else text[:79] + "…"


def describe_change(old_json: str | None, new_json: str | None, categories: Categories | None = None) -> str:
    """An audit record's before/after (JSON) in words: "Status: I gang → Implementeret" for a
    change, the fields of a new record, or an import's counts ("nye: 12; ændrede: 0")."""
    labels = categories or {}
    old = json.loads(old_json) if old_json else None
    new = json.loads(new_json) if new_json else None
    if isinstance(old, dict) and isinstance(new, dict):
        changed = [
            f"{field_label(k)}: {_field_text(k, old.get(k), labels)} → {_field_text(k, new.get(k), labels)}"
            for k in dict.fromkeys([*old, *new])
            if old.get(k) != new.get(k)
        ]
        return "; ".join(changed) or "Ingen ændringer"
    if isinstance(new, dict) and old is None and set(new) <= IMPORT_COUNTS:
        return "Rækker: " + ", ".join(f"{new[k]} {k}" for k in new)
    if isinstance(new, dict) and old is None:
        return "Ny: " + "; ".join(
            f"{field_label(k)}: {_field_text(k, v, labels)}"
            for k, v in new.items()
            if v not in (None, "", [])
        )
    if isinstance(new, list) or isinstance(old, list):
        return f"{len(old or [])} → {len(new or [])} poster: " + _value_text(
            [_value_text(item) for item in (new or [])]
        )
    if new is not None:
        return _value_text(new)
    return "Slettet: " + _value_text(old) if old is not None else ""


def readable_audit(frame: pl.DataFrame, categories: Categories | None = None) -> pl.DataFrame:
    """The audit log (``editing.audit_entries``) as the Data page shows it: Danish table names and
    the change in words instead of the stored JSON (old_value/new_value become one ``change``)."""
    tables = {kind.table: KIND_LABELS.get(name, name) for name, kind in KINDS.items()}
    return frame.with_columns(
        pl.col("table_name").replace_strict(tables, default=pl.col("table_name"), return_dtype=pl.Utf8),
        pl.struct("old_value", "new_value")
        .map_elements(
            lambda r: describe_change(r["old_value"], r["new_value"], categories), return_dtype=pl.Utf8
        )
        .alias("change"),
    ).drop("old_value", "new_value")
