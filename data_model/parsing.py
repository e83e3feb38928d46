"""Lenient parsing of the cell formats Danish spreadsheets produce."""

from __future__ import annotations

import math
import re
import unicodedata
from datetime import date, datetime
from typing import Any

from data_model.personal_data import looks_like_cpr  # noqa: F401  (re-exported: the one CPR detector)

_TRUE = {"true", "1", "ja", "j", "yes", "y", "sand", "x"}
_FALSE = {"false", "0", "nej", "n", "no", "falsk", ""}
_DANISH_DATE = re.compile(r"^(\d{1,2})[-./](\d{1,2})[-./](\d{4})$")
_ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
# Danish thousands dots, with or without decimals: 1.234,5 and 1.234.567 (never 1.234 alone).
_DANISH_GROUPED = re.compile(r"^[-+]?\d{1,3}(\.\d{3})+,\d+$|^[-+]?\d{1,3}(\.\d{3}){2,}$")
# One separator followed by exactly three digits after 1-3 leading digits: 33.333 and 1,234 could
# be a decimal number or a thousands-grouped integer, depending on who wrote the file.
_AMBIGUOUS = re.compile(r"^[-+]?[1-9]\d{0,2}[.,]\d{3}$")
_PLAIN = re.compile(r"^[-+]?(\d+([.,]\d+)?|[.,]\d+)([eE][-+]?\d+)?$")
# Dates outside these years are typing or conversion errors (year 1, 9999, an Excel serial).
FIRST_YEAR, LAST_YEAR = 1970, 2100
# Zero-width and other invisible format characters (Unicode Cf) and control characters (Cc).
_INVISIBLE = {"Cf", "Cc"}


def is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and value.strip() == "")


def parse_date(value: Any) -> date | None:
    """Accept ISO dates, Danish dd-mm-yyyy (also with . or /), and date/datetime objects."""
    if is_blank(value):
        return None
    if isinstance(value, datetime):
        return _sane_year(value.date())
    if isinstance(value, date):
        return _sane_year(value)
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
        day_value = date(year, month, day)
    except ValueError as exc:
        raise ValueError("not_date") from exc
    return _sane_year(day_value)


def _sane_year(day: date) -> date:
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        raise ValueError("absurd_year")
    return day


def _finite(number: float) -> float:
    if not math.isfinite(number):
        raise ValueError("not_finite")
    return number


def parse_number(value: Any) -> float | None:
    """Accept 1234.5, 1234,5, 1.234,5 and 1.234.567 (Danish thousands dots, decimal comma).

    Refused: NaN and infinity, and forms whose meaning depends on the writer's language:
    ``33.333`` and ``1,234`` (a decimal or a thousands-grouped integer?), ``1,234.5`` (English
    grouping, which a Danish reader takes the other way round) and ``1,234,567``.
    """
    if is_blank(value):
        return None
    if isinstance(value, bool):
        raise ValueError("not_number")
    if isinstance(value, int | float):
        try:
            return _finite(float(value))
        except OverflowError as exc:  # an integer cell with hundreds of digits
            raise ValueError("not_number") from exc
    text = str(value).strip().replace("\u00a0", "").replace("\u202f", "").replace(" ", "")
    if _DANISH_GROUPED.match(text):
        text = text.replace(".", "").replace(",", ".")
    elif _AMBIGUOUS.match(text):
        raise ValueError("ambiguous_number")
    elif ("." in text and "," in text) or text.count(",") > 1 or text.count(".") > 1:
        raise ValueError("ambiguous_number" if _looks_grouped(text) else "not_number")
    elif _PLAIN.match(text):
        text = text.replace(",", ".")
    else:
        raise ValueError("not_finite" if text.lower().lstrip("+-") in _NON_FINITE else "not_number")
    try:
        number = float(text)
    except (ValueError, OverflowError) as exc:
        raise ValueError("not_number") from exc
    return _finite(number)


_NON_FINITE = {"nan", "inf", "infinity", "-nan"}


def _looks_grouped(text: str) -> bool:
    return bool(re.fullmatch(r"[-+]?\d{1,3}([.,]\d{3})+([.,]\d+)?", text))


def clean_identifier(value: Any) -> Any:
    """NFC form of an id, code or name, so 'Å' typed two ways is one key; refuses invisible
    characters (zero-width space, joiners, BOM, direction marks) and control characters, which
    make two keys look the same."""
    if not isinstance(value, str):
        return value
    text = unicodedata.normalize("NFC", value)
    if any(unicodedata.category(ch) in _INVISIBLE for ch in text):
        raise ValueError("invisible_char")
    return text


_DOT_GROUPED_INT = re.compile(r"^[-+]?\d{1,3}(\.\d{3})+$")


def parse_int(value: Any) -> int | None:
    """A whole number. ``55.000`` is 55000 here: in a count a dot can only group thousands (the
    Danish way, as Danmarks Statistik writes populations); decimal fields refuse that form."""
    if isinstance(value, int):
        return int(value)  # exact, however large: the model's bounds then refuse it in Danish
    if isinstance(value, str) and _DOT_GROUPED_INT.match(text := value.strip().replace("\u00a0", "")):
        return int(text.replace(".", ""))
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
