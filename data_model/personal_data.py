"""The one CPR detector: a Danish personal identity number must never be stored or shown.

A CPR number is ``ddmmyy`` (a birth date) and a four-digit serial. People and programs write it
in many shapes, and every one of them is refused:

- the groups joined by nothing, a hyphen, space, dot, slash, no-break space (U+00A0, U+202F),
  thin space, en/em dash, minus sign or underscore (``010190-1234``, ``010190 1234``,
  ``0101901234``, ``010190.1234``, ``010190–1234``), also with the date itself split the same
  way (``01.01.90-1234``, ``01 01 90 1234``), with invisible format characters (zero-width
  space, soft hyphen) anywhere inside;
- a number: int, float, Decimal, with the ten digits; and an Excel number that lost its leading
  zero (``101901234``: nine digits whose zero-padded form is a CPR number), also as the whole text
  of a cell;
- inside nested values (Parquet struct, list and map cells, binary cells) and in names (file
  names, column headers).

Only valid dates count (day 01-31 within the month's length, month 01-12), so ordinary ids such
as ``991234-5678`` or ``12345678901`` (eleven digits) and phone numbers (``12 34 56 78``, eight
digits) pass. Ten digits in a row that start with a valid date *are* treated as a CPR number:
when in doubt, refuse. Anything shown back to the user goes through ``mask_value``, which keeps
the text around it and hides every digit of the number: ``borger ••••••-•••• ringede``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

# Between the groups: hyphens and dashes (U+2010-U+2015), minus sign, dot, slash, underscore, and
# any white space (\s covers U+00A0, U+202F, U+2009, tab and newline).
_SEP = r"[\s.\-/_\u2010-\u2015\u2212]"
_CPR = re.compile(
    rf"(?<!\d)(?P<day>\d{{2}})(?P<sep>{_SEP}?)(?P<month>\d{{2}})(?P=sep)(?P<year>\d{{2}})"
    rf"{_SEP}{{0,3}}\d{{4}}(?!\d)"
)
_LOST_ZERO = re.compile(r"^\s*[+-]?(\d{9})\s*$")  # the whole cell: nine digits
_DAYS_IN_MONTH = (31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)
_MAX_NESTED = 100_000  # values looked at inside one nested cell; more is refused as unreadable


# Unicode format characters (category Cf: soft hyphen, zero-width space/joiners, direction marks,
# word joiner, BOM, tag characters): invisible, so they could split a CPR number unseen.
_FORMAT_CHARS = re.compile(
    "[\u00ad\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891\u08e2\u180e\u200b-\u200f\u202a-\u202e"
    "\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb\U000110bd\U000110cd\U00013430-\U0001343f"
    "\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0001\U000e0020-\U000e007f]"
)


def _visible(text: str) -> str:
    """The text without format characters."""
    return text if text.isascii() else _FORMAT_CHARS.sub("", text)


def _valid_date(day: str, month: str) -> bool:
    d, m = int(day), int(month)
    return 1 <= m <= 12 and 1 <= d <= _DAYS_IN_MONTH[m - 1]


def _matches(text: str) -> list[re.Match[str]]:
    return [m for m in _CPR.finditer(text) if _valid_date(m["day"], m["month"])]


def _lost_zero(text: str) -> str | None:
    """'0' + the digits when the whole text is nine digits that were a CPR number with a leading 0."""
    match = _LOST_ZERO.match(text)
    if match is None:
        return None
    padded = "0" + match.group(1)
    return padded if _valid_date(padded[0:2], padded[2:4]) else None


def _number_text(value: Any) -> str | None:
    """The digits of a number as a spreadsheet would show them; None for what is not a number."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            return None
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, Decimal):
        if not value.is_finite():
            return None
        return str(int(value)) if value == value.to_integral_value() else format(value, "f")
    return None


def _text_has_cpr(text: str) -> bool:
    text = _visible(text)
    return bool(_matches(text)) or _lost_zero(text) is not None


def _leaves(value: Any) -> Iterable[Any]:
    """Every scalar inside a (possibly nested) cell value: mapping keys and values, list items."""
    stack = [value]
    seen = 0
    while stack:
        item = stack.pop()
        seen += 1
        if seen > _MAX_NESTED:
            yield "0101000000"  # absurdly deep or wide: treat as unsafe rather than skip it
            return
        if isinstance(item, Mapping):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list | tuple | set | frozenset):
            stack.extend(item)
        else:
            yield item


def _scalar_text(item: Any) -> str | None:
    if item is None or isinstance(item, date | datetime | time | timedelta):
        return None
    if isinstance(item, str):
        return item
    if isinstance(item, bytes | bytearray | memoryview):
        return bytes(item).decode("utf-8", errors="ignore")
    number = _number_text(item)
    if number is not None:
        return number
    if hasattr(item, "item") and callable(item.item):  # numpy scalars
        try:
            return _scalar_text(item.item())
        except (TypeError, ValueError):
            return str(item)
    return str(item)


def contains_cpr(value: Any) -> bool:
    """True when the value (text, number, bytes or a nested cell) holds a CPR number."""
    kind = type(value)
    if kind is str:  # the common cases first: an import checks every cell
        return _text_has_cpr(value)
    if value is None or kind is bool or kind is date or kind is datetime:
        return False
    if kind is int:
        return _text_has_cpr(str(value))
    for item in _leaves(value):
        text = _scalar_text(item)
        if text and _text_has_cpr(text):
            return True
    return False


def looks_like_cpr(text: str | None) -> bool:
    """True when the text holds something shaped like a CPR number with a valid birth date."""
    return bool(text) and contains_cpr(text)


MASK = "••••••-••••"  # not even the birth date is shown


def mask_text(text: str) -> str:
    """The text with every CPR number replaced by ``MASK``."""
    visible = _visible(text)
    if not _matches(visible) and _lost_zero(visible) is None:
        return text
    if _lost_zero(visible) is not None:
        return MASK
    return _CPR.sub(lambda m: MASK if _valid_date(m["day"], m["month"]) else m.group(0), visible)


def mask_value(value: Any) -> str:
    """Any value as text fit to show: CPR numbers masked, and when a nested value holds one in a
    shape the text cannot show masked, every digit hidden."""
    if value is None:
        return ""
    text = _scalar_text(value) if not isinstance(value, Mapping | list | tuple | set | frozenset) else None
    if text is None:
        text = str(value)
    masked = mask_text(text)
    if contains_cpr(masked) or (masked == text and contains_cpr(value)):
        return re.sub(r"\d", "•", masked)
    return masked


@dataclass(frozen=True)
class CprHit:
    """Where a CPR number was found; ``row`` is the number the user sees (None: the name)."""

    row: int | None
    column: str
    masked: str


def scan_arrow(table: Any) -> CprHit | None:
    """The first CPR number in a pyarrow table (row counted from 1), or None.

    Text columns are narrowed down vectorised (a CPR number needs at least nine digits) and only
    the candidates are checked one by one, so a large backup is scanned in seconds.
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    for name in table.column_names:
        column = table.column(name).combine_chunks() if table.num_rows else None
        if column is None:
            continue
        kind = column.type
        if pa.types.is_dictionary(kind):
            column = column.dictionary_decode()
            kind = column.type
        if pa.types.is_string(kind) or pa.types.is_large_string(kind) or pa.types.is_string_view(kind):
            digits = pc.utf8_length(pc.replace_substring_regex(column, pattern=r"\P{Nd}", replacement=""))
            candidates = pc.indices_nonzero(pc.fill_null(pc.greater_equal(digits, 9), False))
        elif pa.types.is_integer(kind) or pa.types.is_floating(kind) or pa.types.is_decimal(kind):
            size = pc.abs(pc.cast(column, pa.float64()))
            wide = pc.and_(pc.greater_equal(size, 1e8), pc.less(size, 1e10))
            fraction = pc.not_equal(size, pc.floor(size))  # 1501901234.5 still shows the digits
            candidates = pc.indices_nonzero(
                pc.fill_null(pc.or_(wide, pc.and_(fraction, pc.greater_equal(size, 1e5))), False)
            )
        elif pa.types.is_temporal(kind) or pa.types.is_boolean(kind) or pa.types.is_null(kind):
            continue
        else:  # binary, list, struct, map: cell by cell
            candidates = pa.array(range(len(column)), pa.int64())
        for index in candidates.to_pylist():
            value = column[index].as_py()
            if contains_cpr(value):
                return CprHit(index + 1, name, mask_value(value))
    return None


def mask_frame(frame: Any) -> Any:
    """A Polars frame with every CPR number in its text columns masked: for logs written before
    the file-name guard (an import log may still hold ``klage 010190-1234.csv``)."""
    import polars as pl

    texts = [name for name, dtype in frame.schema.items() if dtype == pl.String]
    return frame.with_columns(
        pl.col(name).map_elements(mask_value, return_dtype=pl.String, skip_nulls=True) for name in texts
    )
