"""The one place for Danish display text.

Field labels double as accepted import column names (see ``data_model.kinds``), so a file
exported from Excel with Danish headers imports without renaming.
"""

from __future__ import annotations

import re
import unicodedata

# The small-number rule: a count from 1 to SMALL_N - 1 is marked "under 5" (and hidden in a
# publication when asked: the default suppression threshold); shares of fewer than SMALL_N are
# marked too. Every "under 5" a user reads is built from UNDER_SMALL_N.
SMALL_N = 5
UNDER_SMALL_N = f"under {SMALL_N}"
HOLLOW_POINTS = f"Åbne punkter er tal {UNDER_SMALL_N}"  # the charts' mark for a small number

MONTHS = (
    "januar",
    "februar",
    "marts",
    "april",
    "maj",
    "juni",
    "juli",
    "august",
    "september",
    "oktober",
    "november",
    "december",
)
MONTHS_SHORT = ("jan.", "feb.", "mar.", "apr.", "maj", "jun.", "jul.", "aug.", "sep.", "okt.", "nov.", "dec.")

FIELD_LABELS: dict[str, str] = {
    "code": "Kode",
    "name": "Navn",
    "is_named": "Navngivet",
    "municipality_code": "Kommunekode",
    "year": "År",
    "population": "Indbyggertal",
    "period_id": "Periode-id",
    "label": "Betegnelse",
    "start_date": "Startdato",
    "end_date": "Slutdato",
    "unit_id": "Enheds-id",
    "parent_id": "Overordnet enhed",
    "level": "Niveau",
    "sector_code": "Sektor",
    "valid_from": "Gyldig fra",
    "valid_to": "Gyldig til",
    "parent_code": "Overordnet kode",
    "kind": "Type",
    "sort_order": "Sortering",
    "is_complaint": "Er klage",
    "inquiry_id": "Henvendelses-id",
    "received": "Modtaget",
    "closed": "Afsluttet",
    "kind_code": "Henvendelsestype",
    "case_type_code": "Sagstype",
    "channel_code": "Kanal",
    "outcome_code": "Udfald",
    "legal_effect_code": "Retsstilling",
    "summary": "Resumé",
    "provenance": "Oprindelse",
    "point_id": "Klagepunkt-id",
    "theme_code": "Tema",
    "decision_id": "Afgørelses-id",
    "law_area_code": "Lovområde",
    "decided": "Afgjort",
    "remark_codes": "Bemærkninger",
    "decided_on_merits": "Realitetsbehandlede",
    "changed": "Ændret/ophævet",
    "sent_back": "Hjemvist",
    "rejected": "Afvist",
    "recommendation_id": "Anbefalings-id",
    "made_on": "Givet den",
    "due_on": "Frist",
    "title": "Titel",
    "text": "Tekst",
    "target_unit_ids": "Målenheder",
    "theme_codes": "Temaer",
    "whole_municipality": "Hele kommunen",
    "follow_up_id": "Opfølgnings-id",
    "date": "Dato",
    "status_code": "Status",
    "source": "Kilde",
    "figure_id": "Tal-id",
    "table_name": "Tabel",
    "measure": "Mål",
    "dimension": "Dimension",
    "dimension2": "Dimension 2",
    "label2": "Betegnelse 2",
    "value": "Værdi",
    "value_unit": "Enhed",
    "n": "n",
    "appeal_outcome_code": "Ankestyrelsens resultat",
    "remark_code": "Bemærkningstema",
    "source_file": "Kildefil",
    "source_line": "Kildelinje",
    "flag": "Markering",
    "note": "Note",
    "event_id": "Begivenheds-id",
}

# Column names of the query layer's frames (queries/*), for tables on screen and downloads
# (``data_model.display.display_frame``). Shares are shown in percent, so their headers say so.
QUERY_COLUMN_LABELS: dict[str, str] = {
    "municipality": "Kommune",
    "municipality_name": "Kommune",
    "period": "Periode",
    "department": "Forvaltning",
    "department_name": "Forvaltning",
    "departments": "Forvaltninger",
    "unit": "Enhed",
    "unit_name": "Enhed",
    "sector": "Sektor",
    "series": "Gruppe",
    "bucket_label": "Periode",
    "count": "Antal",
    "inquiries": "Henvendelser",
    "citizen_inquiries": "Borgerhenvendelser",
    "complaints": "Klager",
    "complaint_points": "Klagepunkter",
    "complaint_share": "Klageandel (%)",
    "share": "Andel (%)",
    "current": "Denne periode",
    "previous": "Forrige periode",
    "diff": "Ændring",
    "pct_change": "Ændring i %",
    "small_n": "Lille n",
    "uncertain": "Usikker ændring",
    "outcome": "Resultat",
    "law_area": "Lovområde",
    "remark": "Bemærkning",
    "decisions": "Afgørelser",
    "on_merits": "Realitetsbehandlede",
    "overturned": "Omgjorte",
    "pct": "Omgørelsesprocent (%)",
    "country_pct": "Hele landet (%)",
    "country_n": "n, hele landet",
    "rank": "Placering (1 = lavest)",
    "ranked_of": "Kommuner med tal",
    "change_pp": "Ændring (procentpoint)",
    "status": "Status",
    "status_date": "Senest fulgt op",
    "follow_ups": "Opfølgninger",
    "targets": "Rettet mod",
    "closed": "Afsluttet",
    "overdue": "Forsinket",
    "stalled": "Gået i stå",
    "window": "Periode",
    "start": "Fra",
    "end": "Til",
    "complete": "Hele perioden er gået",
    "measure_label": "Mål",
    "months": "Måneder",
    "per_month": "Pr. måned",
    "per_1000": "Pr. 1.000 indbyggere",
    "kinds": "Henvendelsestyper",
    "rows": "Rækker",
    "table": "Tabel",
    # the import history and the audit log
    "logged_at": "Tidspunkt",
    "actor": "Af",
    "action": "Handling",
    "record": "Post",
    "change": "Ændring",
    "main_theme": "Hovedtema",
    # the underlying inquiries (queries.inquiries.inquiry_rows)
    "inquiry": "Henvendelse",
    "inquiry_outcome": "Udfald",
    "themes": "Temaer",
    "file_name": "Fil",
    "rows_new": "Nye",
    "rows_changed": "Ændrede",
    "rows_unchanged": "Uændrede",
}

# every column name a frame may carry, import fields and query columns alike
COLUMN_LABELS: dict[str, str] = {**FIELD_LABELS, **QUERY_COLUMN_LABELS}

KIND_LABELS: dict[str, str] = {
    "municipalities": "Kommuner",
    "populations": "Indbyggertal",
    "report_periods": "Beretningsperioder",
    "categories": "Kategorier",
    "themes": "Temaer",
    "org_units": "Organisatoriske enheder",
    "inquiries": "Henvendelser",
    "complaint_points": "Klagepunkter",
    "appeal_decisions": "Ankestyrelsens afgørelser",
    "appeal_statistics": "Ankestyrelsens statistik",
    "recommendations": "Anbefalinger",
    "follow_ups": "Opfølgninger",
    "published_figures": "Publicerede tal",
    "events": "Begivenheder",
}

PROVENANCE_LABELS: dict[str, str] = {
    "published": "Publiceret i beretning",
    "generated": "Genererede data",
    "imported": "Importeret",
    "registered": "Registreret i dashboardet",
}

# published figures: the unit of a value, and the flag a transcription carries
VALUE_UNIT_LABELS: dict[str, str] = {
    "count": "antal",
    "percent": "procent",
    "persons": "personer",
    "days": "dage",
    "kr": "kr.",
}
FLAG_LABELS: dict[str, str] = {"sum_mismatch": "Beretningens egne tal summerer ikke"}

# Reasons shown in import reports; kept here so the wording is consistent everywhere.
REASONS: dict[str, str] = {
    "missing": "Feltet skal udfyldes",
    "not_int": "Skal være et helt tal",
    "not_number": "Skal være et tal",
    "not_bool": "Skal være ja/nej (ja, nej, true, false, 1, 0)",
    "not_date": "Ugyldig dato (brug ÅÅÅÅ-MM-DD eller DD-MM-ÅÅÅÅ)",
    "negative": "Må ikke være negativ",
    "future_date": "Datoen ligger efter i dag",
    "closed_before_received": "Afsluttet før modtaget",
    "end_before_start": "Slutdato ligger før startdato",
    "cpr": "Ligner et CPR-nummer: personoplysninger må ikke gemmes",
    "cpr_file_name": "Filnavnet ligner et CPR-nummer: omdøb filen, personoplysninger må ikke gemmes",
    "duplicate_key": "Samme nøgle optræder flere gange i filen",
    "unknown_unit": "Ukendt enhed",
    "unknown_theme": "Ukendt temakode",
    "unknown_category": "Ukendt kode",
    "unknown_municipality": "Ukendt kommune",
    "unknown_period": "Ukendt beretningsperiode",
    "unknown_inquiry": "Ukendt henvendelse",
    "unknown_recommendation": "Ukendt anbefaling",
    "unknown_parent": "Ukendt overordnet kode",
    "unit_other_municipality": "Enheden hører til en anden kommune",
    "parts_exceed_total": "Ændret/ophævet plus hjemvist overstiger de realitetsbehandlede",
    "too_long": "Teksten er for lang",
    "bad_value": "Ugyldig værdi",
    "unknown_column": "Ukendt kolonne (ignoreres ikke: ret overskriften)",
    "missing_column": "Påkrævet kolonne mangler i filen",
    "extra_cells": "Rækken har flere celler end der er overskrifter",
    "unreadable": "Filen kan ikke læses",
    "empty_file": "Filen indeholder ingen rækker",
    # Import integrity (issue 16 item 5)
    "ambiguous_number": (
        "Tvetydigt tal: kan læses både som decimaltal og med tusindtalspunktum. Skriv fx 33,333 "
        "eller 33333 (dansk form: 1.234,5)"
    ),
    "not_finite": "Skal være et endeligt tal (ikke NaN eller uendelig)",
    "absurd_year": "Årstallet er urimeligt (datoer skal ligge mellem 1970 og 2100)",
    "invisible_char": "Indeholder usynlige tegn eller styretegn (fx nulbreddemellemrum): skriv værdien igen",
    "parent_cycle": "Er sin egen overordnede (kredsløb i de overordnede led)",
    "missing_key_column": "Nøglekolonnen mangler: filen ser ikke ud til at være af den valgte type",
}


def field_label(field: str) -> str:
    """Danish label of a field, falling back to the field name itself."""
    return FIELD_LABELS.get(field, field)


def format_count(value: float | None) -> str:
    """1234 -> '1.234' (Danish thousands separator); None -> '–'."""
    if value is None:
        return "–"
    return f"{round(value):,}".replace(",", ".")


def format_number(value: float | None, decimals: int = 1) -> str:
    """1234.5 -> '1.234,5'."""
    if value is None:
        return "–"
    text = f"{value:,.{decimals}f}"
    return text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")


def format_percent(value: float | None, decimals: int = 0) -> str:
    """45.25 -> '45 %' (value already in percent)."""
    return "–" if value is None else f"{format_number(value, decimals)} %"


def format_signed(value: float | None, decimals: int = 0, suffix: str = "") -> str:
    """+12 / −3 with a real minus sign, for deltas."""
    if value is None:
        return "–"
    sign = "+" if value > 0 else "−" if value < 0 else "±"
    return f"{sign}{format_number(abs(value), decimals)}{suffix}"


def format_day(value: object) -> str:
    """date -> '31.03.2025'."""
    return "–" if value is None else value.strftime("%d.%m.%Y")  # type: ignore[attr-defined]


# Danish letters spelt out in ASCII (file names, URL paths, codes)
DANISH_LETTERS = (("æ", "ae"), ("ø", "oe"), ("å", "aa"), ("Æ", "Ae"), ("Ø", "Oe"), ("Å", "Aa"))


def ascii_slug(text: str) -> str:
    """'Haderslev 2024/25' -> 'haderslev-2024-25': Danish letters spelt out (æ -> ae), for file
    names and URL paths that stay ASCII."""
    for danish, plain in DANISH_LETTERS:
        text = text.replace(danish, plain)
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^A-Za-z0-9]+", "-", text).strip("-").lower()
