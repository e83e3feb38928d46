"""The one table of dimensions: every way a count can be split, with its Danish words and where
its code is in each relation.

Tendenser's split (``SPLITS``), År for år's comparison (``COMPARISONS``), the drill-down, the
Krydstabel (``queries.crosstab``), the breakdowns over the facts relation (``queries.inquiries``)
and Ankestyrelsen's groupings (``queries.appeals``) all read these rows.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Dimension:
    """One way to split a count.

    ``labels`` says where names come from: ``category:<kind>``, ``unit``, ``theme``, ``period``, ``municipality`` or
    ``facts`` (the label column ``facts_label`` beside the code in the facts relation).
    ``facts``: the code column in ``queries.facts.facts_sql`` (None: not there).
    ``inquiry`` / ``decision``: the Krydstabel's code expression in that relation (None: the
    dimension does not exist there; aliases in ``queries.crosstab``). ``appeals``: the group
    expression over Ankestyrelsen's decisions (``queries.appeals``). ``drill``: choosing one group
    narrows this filter field and splits by the next dimension.
    """

    key: str
    words: str  # Danish: selector, axis, column header
    labels: str
    facts: str | None = None
    facts_label: str | None = None
    inquiry: str | None = None
    decision: str | None = None
    appeals: str | None = None
    points: bool = False  # needs the complaint points joined
    remarks: bool = False  # needs the decisions' remarks unnested
    split: bool = False  # offered as Tendenser's "Opdel efter"
    compare: bool = False  # offered as År for år's "Sammenlign pr."
    drill: tuple[str, str] | None = None


NOT_SET = "(ikke angivet)"

DIMENSIONS: tuple[Dimension, ...] = (
    Dimension("none", "Ingen opdeling", "", split=True),
    Dimension(
        "department",
        "Forvaltning",
        "facts",
        facts="department_id",
        facts_label="department_name",
        appeals=f"coalesce(department_name, '{NOT_SET}')",
        split=True,
        compare=True,
        drill=("unit_id", "unit"),
    ),
    Dimension(
        "unit",
        "Enhed",
        "unit",
        facts="unit_id",
        facts_label="unit_name",
        inquiry="lv.row_unit",
        decision="lv.row_unit",
        appeals=f"coalesce(unit_name, '{NOT_SET}')",
        split=True,
        compare=True,
    ),
    Dimension(
        "sector",
        "Sektor",
        "category:sector",
        facts="sector_code",
        inquiry="ut.sector_code",
        decision="ut.sector_code",
        split=True,
        compare=True,
        drill=("sectors", "unit"),
    ),
    Dimension(
        "main_theme",
        "Tema",
        "theme",
        facts="main_code",
        facts_label="main_name",
        inquiry="th.main_code",
        points=True,
        split=True,
        compare=True,
        drill=("main_theme", "theme"),
    ),
    Dimension(
        "theme",
        "Undertema",
        "theme",
        facts="theme_code",
        facts_label="theme_name",
        inquiry="p.theme_code",
        points=True,
        split=True,
        compare=True,
    ),
    Dimension(
        "kind",
        "Henvendelsestype",
        "category:inquiry_kind",
        facts="kind_code",
        inquiry="i.kind_code",
        split=True,
        compare=True,
    ),
    Dimension(
        "case_type", "Sagstype", "category:case_type", facts="case_type_code", inquiry="i.case_type_code"
    ),
    Dimension(
        "outcome",
        "Handling/udfald",
        "category:outcome",
        facts="outcome_code",
        inquiry="i.outcome_code",
        split=True,
        compare=True,
    ),
    Dimension(
        "legal_effect",
        "Borgerens retsstilling",
        "category:legal_effect",
        facts="legal_effect_code",
        inquiry="i.legal_effect_code",
    ),
    Dimension("channel", "Kanal", "category:channel", inquiry="i.channel_code"),
    Dimension("municipality", "Kommune", "municipality", facts="municipality_code"),
    Dimension("law_area", "Lovområde", "category:law_area", decision="d.law_area_code", appeals="law_area"),
    Dimension(
        "appeal_outcome", "Ankestyrelsens resultat", "category:appeal_outcome", decision="d.outcome_code"
    ),
    Dimension("remark", "Bemærkning", "category:remark_theme", decision="r.code", remarks=True),
    Dimension("period", "Beretningsperiode", "period", inquiry="rp.period_id", decision="rp.period_id"),
)
DIMENSION: dict[str, Dimension] = {d.key: d for d in DIMENSIONS}

SPLITS: tuple[str, ...] = tuple(d.key for d in DIMENSIONS if d.split)
COMPARISONS: tuple[str, ...] = tuple(d.key for d in DIMENSIONS if d.compare)
SPLIT_WORDS: dict[str, str] = {d.key: d.words for d in DIMENSIONS}
# drilling into one group of a split narrows the filter and splits one level deeper
DRILL: dict[str, tuple[str, str]] = {d.key: d.drill for d in DIMENSIONS if d.drill}
# splits that need the complaint points joined
NEEDS_POINTS: frozenset[str] = frozenset(d.key for d in DIMENSIONS if d.points)
# the groupings of Ankestyrelsen's decisions
APPEAL_GROUPS: dict[str, str] = {d.key: d.appeals for d in DIMENSIONS if d.appeals}
