"""data_model.labels is the one place for the vocabulary: the small-number threshold and its
words, month names, the ASCII slug; the whole-country code lives in data_model.denmark and the
chart greys in charts.theme. These tests fail when a copy creeps back in."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from data_model.labels import (
    HOLLOW_POINTS,
    MONTHS,
    MONTHS_SHORT,
    SMALL_N,
    UNDER_SMALL_N,
    ascii_slug,
)

ROOT = Path(__file__).resolve().parents[2]
# the code a user's figures come from; bench/ writes national test data of its own
SOURCES = [
    path
    for folder in (
        "app.py",
        "charts",
        "dashboard",
        "data_model",
        "queries",
        "report_pack",
        "sample_data",
        "views",
    )
    for path in sorted((ROOT / folder).rglob("*.py") if (ROOT / folder).is_dir() else [ROOT / folder])
]

# pattern, the only files allowed to hold it, what it is
COPIES = [
    (r"under \d", {"data_model/labels.py"}, "the small-number words (UNDER_SMALL_N)"),
    (r"<\d\b", set(), "the suppressed count's mark (f'<{SMALL_N}')"),
    (r"^\s*(SMALL_N|DEFAULT_THRESHOLD)\s*=", {"data_model/labels.py"}, "the small-number threshold"),
    (r"""["']000["']""", {"data_model/denmark.py"}, "the whole-country code (denmark.WHOLE_COUNTRY)"),
    (r'"januar"|"jan\."', {"data_model/labels.py"}, "month names (labels.MONTHS, MONTHS_SHORT)"),
    (r'\("æ", "ae"\)|replace\("æ"', {"data_model/labels.py"}, "the ASCII slug (labels.ascii_slug)"),
    (
        r"#[0-9A-Fa-f]{6}\b",
        {"charts/theme.py", "dashboard/layout.py"},
        "colours (charts.theme; CSS in layout)",
    ),
]


def _code_lines(path: Path) -> list[tuple[int, str]]:
    """Lines of code, without comments and docstrings (they may name a value in words)."""
    text = path.read_text(encoding="utf-8")
    text = re.sub(r'"""[\s\S]*?"""', lambda m: "\n" * m.group().count("\n"), text)
    return [
        (n, line.split("  #")[0])
        for n, line in enumerate(text.splitlines(), 1)
        if not line.lstrip().startswith("#")
    ]


@pytest.mark.parametrize(("pattern", "allowed", "what"), COPIES, ids=[c[2] for c in COPIES])
def test_each_word_and_value_is_defined_once(pattern: str, allowed: set[str], what: str) -> None:
    found = [
        f"{path.relative_to(ROOT)}:{n}: {line.strip()}"
        for path in SOURCES
        if str(path.relative_to(ROOT)) not in allowed
        for n, line in _code_lines(path)
        if re.search(pattern, line)
    ]
    assert SOURCES and not found, f"{what} written again outside {sorted(allowed)}:\n" + "\n".join(found)


def test_the_words_are_built_from_the_threshold() -> None:
    assert SMALL_N == 5 and UNDER_SMALL_N == "under 5"
    assert HOLLOW_POINTS == "Åbne punkter er tal under 5"
    assert len(MONTHS) == len(MONTHS_SHORT) == 12
    assert all(
        short.removesuffix(".") == full[: len(short.removesuffix("."))]
        for short, full in zip(MONTHS_SHORT, MONTHS, strict=True)
    )


def test_ascii_slug_spells_danish_letters_out() -> None:
    assert ascii_slug("Haderslev 2024/25") == "haderslev-2024-25"
    assert ascii_slug("Ærø Kommune – Børn & Unge") == "aeroe-kommune-boern-unge"
    assert ascii_slug("Åbenrå, Søndergård") == "aabenraa-soendergaard"
    assert ascii_slug("Café Über") == "cafe-uber"
