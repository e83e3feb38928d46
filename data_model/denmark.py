"""The 98 Danish municipalities (official code and name), shipped as reference data."""

from __future__ import annotations

import csv
from functools import cache
from pathlib import Path

from data_model.matching import normalise

REFERENCE_FILE = (
    Path(__file__).resolve().parent.parent / "sample_data" / "reference" / "municipalities_dk.csv"
)
WHOLE_COUNTRY = "000"
WHOLE_COUNTRY_NAME = "Hele landet"
_COUNTRY_WORDS = {"hele landet", "landet i alt", "i alt", "danmark", "hele danmark", "landsgennemsnit"}


@cache
def municipalities() -> dict[str, str]:
    """Official 3-digit code -> name, for all 98 municipalities, sorted by name."""
    with REFERENCE_FILE.open(encoding="utf-8", newline="") as handle:
        rows = {row["code"]: row["name"] for row in csv.DictReader(handle)}
    return dict(sorted(rows.items(), key=lambda item: item[1]))


def _key(text: str) -> str:
    words = normalise(text)
    for suffix in (" kommune", " kommunes"):
        words = words.removesuffix(suffix)
    for prefix in ("kommune ", "kommunekode "):
        words = words.removeprefix(prefix)
    return words


@cache
def _index() -> dict[str, str]:
    index: dict[str, str] = {}
    for code, name in municipalities().items():
        index[_key(name)] = code
        index[code] = code
        index[str(int(code))] = code  # Excel drops leading zeros only below 100; harmless otherwise
    index["københavns"] = "101"
    index["aarhus"] = index["århus"] = "751"
    index["nordfyn"] = "480"
    index["vesthimmerland"] = "820"
    for word in _COUNTRY_WORDS:
        index[word] = WHOLE_COUNTRY
    index[WHOLE_COUNTRY] = index["0"] = WHOLE_COUNTRY
    return index


def find_municipality(text: object) -> str | None:
    """'Haderslev', 'Haderslev Kommune', '510', 510 or '510 Haderslev' -> '510'; the whole
    country ('Hele landet', 'I alt') -> '000'; None when it names no municipality."""
    if text is None:
        return None
    if isinstance(text, float) and text.is_integer():
        text = int(text)
    raw = str(text).strip()
    index = _index()
    key = _key(raw)
    if key in index:
        return index[key]
    first, _, rest = key.partition(" ")  # '510 Haderslev'
    if first.isdigit() and first.zfill(3) in index and (not rest or index.get(rest) == first.zfill(3)):
        return first.zfill(3)
    return None


def municipality_name(code: str) -> str:
    return WHOLE_COUNTRY_NAME if code == WHOLE_COUNTRY else municipalities().get(code, code)
