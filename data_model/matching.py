"""Matching the names an advisor writes to the codes the database uses: case-, space- and
punctuation-tolerant, with the nearest known names (difflib) when nothing matches."""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field

from data_model.labels import DANISH_LETTERS


def normalise(text: object) -> str:
    """'  Børn & Familie ' -> 'børn og familie'; 'Klagetema(er)' -> 'klagetema er'."""
    value = unicodedata.normalize("NFC", str(text)).lower().replace("\ufeff", "")
    value = value.replace("&", " og ").replace("+", " og ")
    return " ".join(re.sub(r"[^0-9a-zæøåéü]+", " ", value).split())


def name_variants(name: str) -> list[str]:
    """A label and, when it joins alternatives with '/', each alternative:
    'Råd og vejledning / vejvisning' -> the whole, 'Råd og vejledning', 'vejvisning'."""
    variants = [name]
    if "/" in name:
        variants += [part for part in name.split("/") if part.strip()]
    return variants


@dataclass
class NameIndex:
    """Normalised name -> the targets it names. Exact names win over '/'-alternatives."""

    exact: dict[str, set[str]] = field(default_factory=dict)
    loose: dict[str, set[str]] = field(default_factory=dict)
    shown: dict[str, str] = field(default_factory=dict)  # target -> name to show in suggestions

    def add(self, target: str, name: str | None, *, show: bool = True, loose: bool = True) -> None:
        if name is None or not str(name).strip():
            return
        key = normalise(name)
        if key:
            self.exact.setdefault(key, set()).add(target)
        if loose:
            for variant in name_variants(str(name))[1:]:
                if part := normalise(variant):
                    self.loose.setdefault(part, set()).add(target)
        if show:
            self.shown.setdefault(target, str(name))

    def find(self, value: object) -> set[str]:
        key = normalise(value)
        if not key:
            return set()
        return set(self.exact.get(key) or self.loose.get(key) or set())

    def nearest(self, value: object, n: int = 3, among: Iterable[str] | None = None) -> list[str]:
        """The closest known names (as the database spells them)."""
        allowed = set(among) if among is not None else None
        by_key: dict[str, str] = {}
        for key, targets in [*self.exact.items(), *self.loose.items()]:
            for target in targets:
                if allowed is None or target in allowed:
                    by_key.setdefault(key, self.shown.get(target, key))
        keys = difflib.get_close_matches(normalise(value), list(by_key), n=n * 2, cutoff=0.5)
        names: list[str] = []
        for key in keys:
            if by_key[key] not in names:
                names.append(by_key[key])
        if len(names) < n:  # a word of the value inside a known name ('Børn' -> 'Børn og Familie')
            words = [w for w in normalise(value).split() if len(w) > 3]
            for key, shown in by_key.items():
                if shown not in names and any(w in key.split() for w in words):
                    names.append(shown)
        return names[:n]


def split_cell(value: object) -> list[str]:
    """Several names in one cell: separated by ';', ',' or line breaks."""
    if value is None:
        return []
    return [part.strip() for part in re.split(r"[;,\n\r]+", str(value)) if part.strip()]


def slug(text: str, max_length: int = 40) -> str:
    """'Børn & Unge' -> 'boern-og-unge' (for codes of units and themes the advisor adds)."""
    value = normalise(text)
    for a, b in (*DANISH_LETTERS, ("é", "e"), ("ü", "u")):
        value = value.replace(a, b)
    return value.replace(" ", "-")[:max_length].strip("-") or "x"
