"""The advisor's own sheets: which of her headings means what, and which of her names means
which code. A mapping is saved per municipality and kind (table ``sheet_mapping``) and can be
kept as a JSON or CSV file (``--mapping FILE``), so next month's sheet imports with no questions.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import duckdb

from data_model.matching import normalise
from data_model.parsing import looks_like_cpr

IGNORE = "ignore"
FORMER_NAMES = "*"  # municipality and kind of the names themes and categories had before a rename
IGNORE_LABEL = "(ignorér kolonnen)"
ORG_ROLES = ("forvaltning", "omraade", "afdeling")


@dataclass(frozen=True)
class Role:
    """One thing a column of her sheet can hold."""

    key: str
    label: str  # Danish, shown on the Data page and written in mapping files
    synonyms: tuple[str, ...] = ()
    target: str | None = None  # 'unit', 'theme', 'remark', 'period' or 'category:<kind>'
    required: bool = False
    many: bool = False  # several names in one cell


def _org_roles() -> tuple[Role, ...]:
    return (
        Role(
            "forvaltning",
            "Forvaltning",
            ("forvaltning", "direktørområde", "direktion", "forvaltningsområde"),
            "unit",
        ),
        Role("omraade", "Område", ("område", "omraade", "fagområde", "center"), "unit"),
        Role("afdeling", "Afdeling", ("afdeling", "enhed", "team", "afsnit", "kontor"), "unit"),
    )


_THEMES = (
    "tema",
    "temaer",
    "tema er",
    "emne",
    "emner",
    "klagetema",
    "klagetemaer",
    "klagetema er",
    "klagepunkter",
    "klagepunkt",
)

ROLES: dict[str, tuple[Role, ...]] = {
    "inquiries": (
        Role(
            "received",
            "Modtaget",
            (
                "dato",
                "modtaget",
                "modtaget dato",
                "dato modtaget",
                "modtagelsesdato",
                "henvendelsesdato",
                "indgået",
            ),
            required=True,
        ),
        Role(
            "closed",
            "Afsluttet",
            ("afsluttet", "afsluttet dato", "afslutningsdato", "dato afsluttet", "lukket"),
        ),
        *_org_roles(),
        Role(
            "kind",
            "Henvendelsestype",
            ("type", "henvendelsestype", "henvendelse type", "art", "henvendelsesart", "klage vejledning"),
            "category:inquiry_kind",
            required=True,
        ),
        Role("case_type", "Sagstype", ("sagstype", "sagsform"), "category:case_type"),
        Role(
            "channel",
            "Kanal",
            ("kanal", "henvendelsesform", "kontaktform", "modtaget via"),
            "category:channel",
        ),
        Role(
            "outcome",
            "Udfald",
            ("udfald", "resultat", "handling", "borgerrådgiverens handling", "afslutning"),
            "category:outcome",
        ),
        Role(
            "legal_effect", "Retsstilling", ("retsstilling", "styrket retsstilling"), "category:legal_effect"
        ),
        Role("themes", "Temaer", _THEMES, "theme", many=True),
        Role(
            "summary",
            "Resumé",
            (
                "resumé",
                "resume",
                "beskrivelse",
                "note",
                "noter",
                "bemærkning",
                "bemærkninger",
                "kort beskrivelse",
            ),
        ),
        Role(
            "ref",
            "Eget løbenummer",
            ("id", "løbenummer", "løbenr", "nr", "sagsnummer", "sagsnr", "journalnummer"),
        ),
    ),
    "appeal_decisions": (
        Role(
            "decided",
            "Afgjort",
            ("dato", "afgjort", "afgørelsesdato", "dato for afgørelse", "afgjort dato"),
            required=True,
        ),
        Role(
            "law_area",
            "Lovområde",
            ("lovområde", "sagsområde", "retsområde", "lovgrundlag", "lov"),
            "category:law_area",
            required=True,
        ),
        Role(
            "outcome",
            "Resultat",
            ("resultat", "afgørelse", "udfald", "afgørelsestype"),
            "category:appeal_outcome",
            required=True,
        ),
        *_org_roles(),
        Role(
            "remarks",
            "Bemærkninger",
            ("bemærkning", "bemærkninger", "bemærkninger fra ankestyrelsen", "kritik", "påtale"),
            "category:remark_theme",
            many=True,
        ),
        Role(
            "ref",
            "Ankestyrelsens sagsnummer",
            ("id", "sagsnummer", "sagsnr", "journalnummer", "j nr", "ast j nr"),
        ),
    ),
    "recommendations": (
        Role(
            "made_on", "Givet den", ("dato", "givet", "givet den", "dato givet", "anbefalet"), required=True
        ),
        Role(
            "title",
            "Titel",
            ("titel", "anbefaling", "overskrift", "opfordring", "henstilling"),
            required=True,
        ),
        Role("text", "Tekst", ("tekst", "beskrivelse", "uddybning", "anbefalingens tekst")),
        Role("period", "Beretning", ("beretning", "periode", "beretningsperiode", "beretningsår"), "period"),
        Role("due_on", "Frist", ("frist", "deadline", "forventet")),
        Role(
            "forvaltning",
            "Forvaltning",
            ("forvaltning", "forvaltninger", "målgruppe", "rettet til"),
            "unit",
            many=True,
        ),
        Role("afdeling", "Afdeling", ("afdeling", "afdelinger", "enhed", "enheder"), "unit", many=True),
        Role("themes", "Temaer", _THEMES, "theme", many=True),
        Role("whole", "Hele kommunen", ("hele kommunen", "tværgående")),
        Role(
            "fu_date",
            "Opfølgning dato",
            ("opfølgning dato", "dato for opfølgning", "svar dato", "opfølgningsdato"),
        ),
        Role(
            "fu_status",
            "Status",
            ("status", "opfølgningsstatus", "status for opfølgning"),
            "category:follow_up_status",
        ),
        Role("fu_text", "Opfølgning", ("opfølgning", "svar", "forvaltningens svar", "opfølgningstekst")),
        Role("fu_source", "Kilde", ("kilde",)),
    ),
}

SHEET_KINDS = tuple(ROLES)
# what a value target is called in a mapping file and in messages
TARGET_WORDS: dict[str, str] = {
    "unit": "enhed",
    "theme": "tema",
    "period": "beretningsperiode",
    "category:inquiry_kind": "henvendelsestype",
    "category:case_type": "sagstype",
    "category:channel": "kanal",
    "category:outcome": "udfald",
    "category:legal_effect": "retsstilling",
    "category:law_area": "lovområde",
    "category:appeal_outcome": "resultat",
    "category:remark_theme": "bemærkning",
    "category:follow_up_status": "status",
}
_WORD_TARGETS = {word: target for target, word in TARGET_WORDS.items()}


def role(kind: str, key: str) -> Role:
    return next(r for r in ROLES[kind] if r.key == key)


def role_from_text(kind: str, text: str | None) -> str | None:
    """A role key from its key or Danish label (as written in a mapping file); IGNORE for the
    ignore label; None when it names nothing."""
    if text is not None and normalise(text) in (normalise(IGNORE_LABEL), IGNORE, "ignorér", "ignorer"):
        return IGNORE
    wanted = normalise(text)
    for r in ROLES[kind]:
        if wanted in (normalise(r.key), normalise(r.label)):
            return r.key
    return None


def recognise(kind: str, header: str) -> str | None:
    """The role a heading names by the common Danish words, or None."""
    key = normalise(header)
    for r in ROLES[kind]:
        if key in {normalise(s) for s in r.synonyms} or key in (normalise(r.label), normalise(r.key)):
            return r.key
    return None


@dataclass
class SheetMapping:
    """Her headings -> roles, and her names -> codes, for one municipality and kind."""

    kind: str
    columns: dict[str, str] = field(default_factory=dict)  # heading as written -> role key or IGNORE
    values: dict[str, dict[str, str]] = field(default_factory=dict)  # target -> {her name: code}

    def column_role(self, header: str) -> str | None:
        wanted = normalise(header)
        for written, key in self.columns.items():
            if normalise(written) == wanted:
                return key
        return None

    def value(self, target: str, text: str) -> str | None:
        wanted = normalise(text)
        for written, code in self.values.get(target, {}).items():
            if normalise(written) == wanted and code:
                return code
        return None

    def set_value(self, target: str, text: str, code: str) -> None:
        values = self.values.setdefault(target, {})
        for written in [w for w in values if normalise(w) == normalise(text)]:
            del values[written]
        values[text] = code

    def merged(self, other: SheetMapping | None) -> SheetMapping:
        """This mapping with ``other``'s entries on top (the file over the saved one)."""
        result = SheetMapping(self.kind, dict(self.columns), {t: dict(v) for t, v in self.values.items()})
        if other is not None:
            for header, key in other.columns.items():
                if not key and result.column_role(header):
                    continue  # left empty in her file, but decided before
                for written in [w for w in result.columns if normalise(w) == normalise(header)]:
                    del result.columns[written]
                result.columns[header] = key
            for target, values in other.values.items():
                for text, code in values.items():
                    if code:
                        result.set_value(target, text, code)
                    else:  # an entry left empty in the file, for her to fill in
                        result.values.setdefault(target, {}).setdefault(text, "")
        return result

    # --- files the advisor keeps -------------------------------------------------------------
    def to_json(self) -> str:
        labels = {r.key: r.label for r in ROLES[self.kind]} | {IGNORE: IGNORE_LABEL}
        return json.dumps(
            {
                "type": self.kind,
                "kolonner": {h: labels.get(k, k) for h, k in self.columns.items()},
                "værdier": {TARGET_WORDS.get(t, t): dict(v) for t, v in self.values.items() if v},
            },
            ensure_ascii=False,
            indent=2,
        )

    def to_csv(self) -> str:
        out = io.StringIO()
        writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
        writer.writerow(["hvad", "fra", "til"])
        labels = {r.key: r.label for r in ROLES[self.kind]} | {IGNORE: IGNORE_LABEL}
        for header, key in self.columns.items():
            writer.writerow(["kolonne", header, labels.get(key, key)])
        for target, values in self.values.items():
            for text, code in values.items():
                writer.writerow([TARGET_WORDS.get(target, target), text, code])
        return "\ufeff" + out.getvalue()

    @classmethod
    def parse(cls, kind: str, text: str, *, csv_format: bool) -> SheetMapping:
        """Read a mapping file; MappingFileError (Danish) when it cannot be understood."""
        mapping = cls(kind)
        if csv_format:
            rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=";" if ";" in text else ","))
            entries = [r for r in rows[1:] if r and any(c.strip() for c in r)]
            if rows and normalise(rows[0][0]) != "hvad":
                entries = [r for r in rows if r and any(c.strip() for c in r)]
            for number, row in enumerate(entries, start=2):
                if len(row) < 2:
                    raise MappingFileError(f"Linje {number}: forventer tre felter: hvad;fra;til")
                what, source, code = row[0], row[1], row[2] if len(row) > 2 else ""
                mapping._add(kind, what, source, code, f"Linje {number}")
            return mapping
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise MappingFileError(f"Filen er ikke gyldig JSON (linje {exc.lineno}).") from exc
        if not isinstance(data, dict):
            raise MappingFileError("Filen skal indeholde et JSON-objekt med 'kolonner' og 'værdier'.")
        if data.get("type") not in (None, kind):
            raise MappingFileError(f"Filen er en oversættelse for '{data.get('type')}', ikke '{kind}'.")
        if not isinstance(data.get("kolonner") or {}, dict) or not isinstance(
            data.get("værdier") or {}, dict
        ):
            raise MappingFileError("'kolonner' og 'værdier' skal være JSON-objekter.")
        for header, key in (data.get("kolonner") or {}).items():
            mapping._add(kind, "kolonne", header, key or "", f"Kolonnen '{header}'")
        for word, values in (data.get("værdier") or data.get("vaerdier") or {}).items():
            if not isinstance(values, dict):
                raise MappingFileError(f"'{word}' skal være et objekt med navn: kode.")
            if normalise(word) not in _WORD_TARGETS and word not in TARGET_WORDS:
                raise MappingFileError(f"Ukendt type '{word}' (brug {', '.join(_WORD_TARGETS)}).")
            for text_value, code in values.items():
                mapping._add(kind, word, text_value, "" if code is None else str(code), f"'{text_value}'")
        return mapping

    def _add(self, kind: str, what: str, source: str, code: str, where: str) -> None:
        if normalise(what) == "kolonne":
            if not code.strip():  # left empty for her to decide: still unknown
                self.columns[source] = ""
                return
            key = role_from_text(kind, code)
            if key is None:
                known = ", ".join(r.label for r in ROLES[kind])
                raise MappingFileError(f"{where}: '{code}' er ikke en kendt kolonne. Brug en af: {known}.")
            self.columns[source] = key
            return
        target = _WORD_TARGETS.get(normalise(what)) or (what if what in TARGET_WORDS else None)
        if target is None:
            raise MappingFileError(
                f"{where}: ukendt type '{what}' (brug kolonne, {', '.join(_WORD_TARGETS)})."
            )
        self.values.setdefault(target, {})[source] = code.strip()


class MappingFileError(Exception):
    """A mapping file the advisor keeps cannot be read; the message is Danish."""


def read_mapping_file(path: Path, kind: str) -> SheetMapping | None:
    """None when the file does not exist yet (it is written after the import)."""
    if not path.exists():
        return None
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        text = path.read_text(encoding="cp1252")
    return SheetMapping.parse(kind, text, csv_format=path.suffix.lower() in (".csv", ".txt"))


def write_mapping_file(path: Path, mapping: SheetMapping) -> None:
    text = mapping.to_csv() if path.suffix.lower() in (".csv", ".txt") else mapping.to_json() + "\n"
    path.write_text(text, encoding="utf-8")


# --- saved in the database, per municipality and kind -------------------------------------------
def load_mapping(con: duckdb.DuckDBPyConnection, municipality: str, kind: str) -> SheetMapping:
    rows = con.execute(
        "SELECT mapping FROM sheet_mapping WHERE municipality_code = ? AND kind = ?", [municipality, kind]
    ).fetchall()
    if not rows:
        return SheetMapping(kind)
    data = json.loads(rows[0][0])
    return SheetMapping(
        kind, dict(data.get("columns", {})), {t: dict(v) for t, v in data.get("values", {}).items()}
    )


def save_mapping(con: duckdb.DuckDBPyConnection, municipality: str, mapping: SheetMapping) -> None:
    """Upsert inside the caller's transaction. Anything shaped like a CPR number is left out."""
    columns = {h: k for h, k in mapping.columns.items() if not looks_like_cpr(h)}
    values = {t: {n: c for n, c in v.items() if not looks_like_cpr(n)} for t, v in mapping.values.items()}
    payload = json.dumps({"columns": columns, "values": values}, ensure_ascii=False)
    con.execute(
        "INSERT INTO sheet_mapping (municipality_code, kind, mapping, updated_at) VALUES (?, ?, ?, ?) "
        "ON CONFLICT (municipality_code, kind) DO UPDATE SET mapping = excluded.mapping, "
        "updated_at = excluded.updated_at",
        [municipality, mapping.kind, payload, datetime.now()],
    )
