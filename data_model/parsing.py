"""Lenient parsing of the cell formats Danish spreadsheets produce."""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any

from data_model.personal_data import looks_like_cpr  # noqa: F401  (re-exported: the one CPR detector)

_TRUE = {"true", "1", "ja", "j", "yes", "y", "sand", "x"}
_FALSE = {"false", "0", "nej", "n", "no", "falsk", ""}
_DANISH_DATE = re.compile(r"^(\d{1,2})[-./](\d{1,2})[-./](\d{4})$")
_ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_THOUSANDS_DOT = re.compile(r"^-?\d{1,3}(\.\d{3})+(,\d+)?$")


def is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and value.strip() == "")


def parse_date(value: Any) -> date | None:
    """Accept ISO dates, Danish dd-mm-yyyy (also with . or /), and date/datetime objects."""
    if is_blank(value):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value).strip()
    if " " in text or "T" in text:  # spreadsheet timestamps "2025-03-31 00:00:00"
        text = text.replace("T", " ").split(" ", 1)[0]
    if m := _ISO_DATE.match(text):
        year, month, day = (int(g) for g in m.groups())
    elif m := _DANISH_DATE.match(text):
        day, month, year = (int(g) for g in m.groups())
    else:
        raise ValueError("not_date")
    try:
        return date(year, month, day)
    except ValueError as exc:
        raise ValueError("not_date") from exc


def parse_number(value: Any) -> float | None:
    """Accept 1234.5, 1234,5 and 1.234,5 (Danish thousands dots and decimal comma)."""
    if is_blank(value):
        return None
    if isinstance(value, bool):
        raise ValueError("not_number")
    if isinstance(value, int | float):
        try:
            return float(value)
        except OverflowError as exc:  # an integer cell with hundreds of digits
            raise ValueError("not_number") from exc
    text = str(value).strip().replace("\u00a0", "").replace(" ", "")
    if _THOUSANDS_DOT.match(text):
        text = text.replace(".", "")
    text = text.replace(",", ".")
    try:
        return float(text)
    except ValueError as exc:
        raise ValueError("not_number") from exc


def parse_int(value: Any) -> int | None:
    if isinstance(value, int):
        return int(value)  # exact, however large: the model's bounds then refuse it in Danish
    number = parse_number(value)
    if number is None:
        return None
    if not number.is_integer():
        raise ValueError("not_int")
    return int(number)


def parse_bool(value: Any) -> bool | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False if text else None
    raise ValueError("not_bool")


def parse_code_list(value: Any) -> list[str]:
    """Codes separated by ';' or ',' (a list value is taken as it is)."""
    if is_blank(value):
        return []
    if isinstance(value, list | tuple):
        return [str(v).strip() for v in value if not is_blank(v)]
    return [part.strip() for part in re.split(r"[;,]", str(value)) if part.strip()]
