"""CSV injection: text that a spreadsheet would run as a formula is neutralised in every CSV we
write, and the neutralisation is taken off again on import, so export -> import is exact.

The OWASP way: a text cell starting with ``=``, ``+``, ``-``, ``@``, tab or carriage return gets a
single quote in front (``'=HYPERLINK(...)``), which Excel and LibreOffice show as text. A text that
already starts with quotes followed by one of those characters gets one more quote, so taking one
quote off on import always gives back exactly what was exported. Numbers are never touched: a
numeric column keeps its negative numbers, and a text cell that is only a signed number
(``-3``, ``+4,5``, ``-1.234,5 %``) is harmless and kept as it is.
"""

from __future__ import annotations

import re
from typing import Any

import polars as pl

TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
_RISKY = r"^'*[=+\-@\t\r]"  # quotes first: so the quote added is always the one taken off
_PLAIN_NUMBER = r"^[+-]?[0-9][0-9 .,]*%?$"
_NEUTRALISED = re.compile(r"^'+[=+\-@\t\r]")
_RISKY_RE = re.compile(_RISKY)
_PLAIN_NUMBER_RE = re.compile(_PLAIN_NUMBER)


def neutralise(text: str) -> str:
    """The text as a CSV cell Excel will not run as a formula."""
    if _RISKY_RE.match(text) and not _PLAIN_NUMBER_RE.match(text):
        return "'" + text
    return text


def unneutralise(value: Any) -> Any:
    """A cell as read from a file: one neutralising quote taken off (text only)."""
    if isinstance(value, str) and _NEUTRALISED.match(value):
        return value[1:]
    return value


def _text_columns(frame: pl.DataFrame) -> list[str]:
    return [
        name
        for name, dtype in frame.schema.items()
        if dtype == pl.String or isinstance(dtype, pl.Categorical | pl.Enum)
    ]


def neutralise_frame(frame: pl.DataFrame) -> pl.DataFrame:
    """Every text cell and column name neutralised; numeric, date and boolean columns untouched."""
    expressions = []
    for name in _text_columns(frame):
        column = pl.col(name).cast(pl.String)
        risky = column.str.contains(_RISKY) & ~column.str.contains(_PLAIN_NUMBER)
        expressions.append(pl.when(risky).then(pl.lit("'") + column).otherwise(column).alias(name))
    safe = frame.with_columns(expressions) if expressions else frame
    return safe.rename({name: neutralise(name) for name in safe.columns if neutralise(name) != name})
