"""Reproducible case-level sample data (layer 2 of sample_data/FORMAT.md).

    python -m sample_data.generate --today 2026-11-24 [--seed 20261124] [--out sample_data/generated]

Writes report_periods, inquiries, complaint_points, appeal_decisions, appeal_statistics and events
as CSV files in the import layout of ``data_model.kinds``. Every record is invented and marked
``provenance=generated``. Pure Python (``random.Random`` streams keyed by the seed and a text
label, no set iteration), so the same arguments always give byte-identical files.

Calibration: for every period a report covers, the records reproduce the report's printed
counts, i.e. for every row of ``reports/*/published_figures.csv`` whose measure the case model can
express (count, no ``sum_mismatch`` flag), ``queries.published_check.recompute`` equals the printed
value. Each report has a calibration spec below (``calibrate_<slug>``) that states which printed
table drives which attribute, from the most detailed table to the marginals. The numbers are
always read from published_figures.csv, never copied into the code, so a corrected transcription
flows straight into the records. After generation every figure is recounted in memory
(``recount``, the same rules as ``recompute``) and the run fails if an unflagged figure is off.

Other periods are resampled from the calibrated records of the same municipality: the same unit,
theme and outcome mix with per-year noise, a volume trend, seasonality (quiet July and late
December) and a few changes the reports mention (``Profile.story``).
"""

from __future__ import annotations

import argparse
import csv
import math
import random
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from data_model.denmark import WHOLE_COUNTRY
from data_model.kinds import KINDS
from queries.published_check import EXPRESSIBLE

HERE = Path(__file__).resolve().parent
DEFAULT_OUT = HERE / "generated"
DEFAULT_SEED = 20261124
PROVENANCE = "generated"

CODE_COLUMNS = (
    "unit_id",
    "kind_code",
    "case_type_code",
    "theme_code",
    "outcome_code",
    "legal_effect_code",
    "appeal_outcome_code",
    "law_area_code",
    "remark_code",
)
# published figure column -> Inquiry attribute
INQUIRY_FILTERS = {
    "kind_code": "kind",
    "case_type_code": "case_type",
    "outcome_code": "outcome",
    "legal_effect_code": "legal_effect",
}


class CalibrationError(Exception):
    """A report's figures cannot be met by the spec (a transcription or spec problem)."""


# --------------------------------------------------------------------------------------------
# Reference data and transcribed reports
# --------------------------------------------------------------------------------------------


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return [{k: (v or "").strip() for k, v in row.items()} for row in csv.DictReader(fh)]


def codes(cell: str | None) -> list[str]:
    return [c for c in (cell or "").split(";") if c]


class World:
    """sample_data/reference plus every reports/<slug>/ folder: units, themes, categories, figures."""

    def __init__(self, root: Path = HERE) -> None:
        reports = root / "reports"
        folders = [root / "reference", *sorted(p for p in reports.iterdir() if p.is_dir())]

        def rows(name: str) -> list[dict[str, str]]:
            return [r for f in folders if (f / name).is_file() for r in read_csv(f / name)]

        self.municipalities = {
            r["code"]: r["name"] for r in rows("municipalities.csv") + rows("municipality.csv")
        }
        self.units = {r["unit_id"]: r for r in rows("org_units.csv")}
        self.themes = {r["code"]: r for r in rows("themes.csv")}
        self.categories: dict[str, list[str]] = defaultdict(list)
        complaint_kinds = []
        for r in sorted(
            rows("categories.csv"), key=lambda r: (r["kind"], int(r["sort_order"] or 0), r["code"])
        ):
            self.categories[r["kind"]].append(r["code"])
            if r["kind"] == "inquiry_kind" and r["is_complaint"].lower() in ("true", "1", "ja"):
                complaint_kinds.append(r["code"])
        self.complaint_kinds = tuple(complaint_kinds)
        self.periods = {r["period_id"]: r for r in rows("report_periods.csv")}
        self.figures = rows("published_figures.csv")
        self.children: dict[str, list[str]] = defaultdict(list)
        for unit in sorted(self.units):
            if parent := self.units[unit]["parent_id"]:
                self.children[parent].append(unit)
        self._descendants: dict[str, list[str]] = {}

    # units -------------------------------------------------------------------------------
    def descendants(self, unit: str) -> list[str]:
        """The unit and every unit below it (as queries.units.descendants)."""
        if unit not in self._descendants:
            found, todo = [], [unit]
            while todo:
                current = todo.pop(0)
                if current not in found:
                    found.append(current)
                    todo.extend(self.children.get(current, []))
            self._descendants[unit] = found
        return self._descendants[unit]

    def top(self, unit: str | None) -> str | None:
        while unit and self.units[unit]["parent_id"]:
            unit = self.units[unit]["parent_id"]
        return unit

    def units_of(self, municipality: str) -> list[str]:
        return [u for u in sorted(self.units) if self.units[u]["municipality_code"] == municipality]

    # themes ------------------------------------------------------------------------------
    def main(self, theme: str) -> str:
        return self.themes[theme]["parent_code"] or theme

    def expand(self, theme_codes: Iterable[str]) -> set[str]:
        """Theme codes a figure's theme_code selects: the codes and the sub-themes of main themes."""
        wanted = set(theme_codes)
        return {c for c in self.themes if c in wanted or self.main(c) in wanted}

    def themes_of(self, municipality: str) -> list[str]:
        return [c for c in sorted(self.themes) if self.themes[c]["municipality_code"] in ("", municipality)]

    def main_themes(self, municipality: str) -> list[str]:
        return [c for c in self.themes_of(municipality) if not self.themes[c]["parent_code"]]

    def subthemes(self, main: str, municipality: str) -> list[str]:
        return [c for c in self.themes_of(municipality) if self.themes[c]["parent_code"] == main]


class Figures:
    """The expressible count figures of one report period, looked up by their code columns.

    ``find(measure, unit_id=..., ...)``: the rows whose named code columns hold exactly these
    values, whose columns in ``nonempty`` hold anything, and whose other code columns are empty.
    """

    def __init__(self, world: World, period_id: str) -> None:
        self.period_id = period_id
        self.rows = [
            r
            for r in world.figures
            if r["period_id"] == period_id
            and r["measure"] in EXPRESSIBLE
            and (r["value_unit"] or "count") == "count"
        ]

    def find(
        self, measure: str, *, table: str | None = None, nonempty: Iterable[str] = (), **fixed: str
    ) -> list[dict[str, str]]:
        nonempty = set(nonempty)

        def fits(r: dict[str, str]) -> bool:
            for c in CODE_COLUMNS:
                if c in fixed:
                    if r[c] != fixed[c]:
                        return False
                elif c in nonempty:
                    if not r[c]:
                        return False
                elif r[c]:
                    return False
            return True

        return [
            r
            for r in self.rows
            if r["measure"] == measure and (not table or r["table_name"] == table) and fits(r)
        ]

    def _agreed(self, rows: list[dict[str, str]], what: str) -> int:
        unflagged = {int(float(r["value"])) for r in rows if not r["flag"]}
        values = unflagged or {int(float(r["value"])) for r in rows}
        if len(values) != 1:
            raise CalibrationError(f"{self.period_id}: {what} printed with different values {sorted(values)}")
        return values.pop()

    def value(self, measure: str, **kw: Any) -> int:
        rows = self.find(measure, **kw)
        if not rows:
            raise CalibrationError(f"{self.period_id}: no {measure} figure for {kw}")
        return self._agreed(rows, f"{measure} {kw}")

    def table(self, measure: str, key: str, **kw: Any) -> dict[str, int]:
        """{value of column `key`: printed count} over the rows that restrict `key` (and what kw says)."""
        groups: dict[str, list[dict[str, str]]] = defaultdict(list)
        for r in self.find(measure, nonempty=(*kw.pop("nonempty", ()), key), **kw):
            groups[r[key]].append(r)
        return {k: self._agreed(v, f"{measure} {key}={k}") for k, v in groups.items()}

    def nested(self, measure: str, outer: str, inner: str, **kw: Any) -> dict[str, dict[str, int]]:
        """{outer value: {inner value: printed count}} (a two-way table such as theme by unit)."""
        groups: dict[str, dict[str, list[dict[str, str]]]] = defaultdict(lambda: defaultdict(list))
        for r in self.find(measure, nonempty=(outer, inner), **kw):
            groups[r[outer]][r[inner]].append(r)
        return {
            o: {i: self._agreed(v, f"{measure} {o}/{i}") for i, v in g.items()} for o, g in groups.items()
        }


def single(counts: dict[str, int]) -> dict[str, int]:
    """Drop the rows that name several codes ('any of'), keeping one row per code."""
    return {k: v for k, v in counts.items() if ";" not in k}


# --------------------------------------------------------------------------------------------
# Records
# --------------------------------------------------------------------------------------------


@dataclass
class Point:
    theme: str | None
    unit: str | None = None


@dataclass
class Inquiry:
    municipality: str
    kind: str
    unit: str | None = None
    case_type: str | None = None
    outcome: str | None = None
    legal_effect: str | None = None
    points: list[Point] = field(default_factory=list)
    channel: str | None = None
    received: date | None = None
    closed: date | None = None
    summary: str | None = None
    inquiry_id: str = ""


@dataclass
class Decision:
    municipality: str
    law_area: str
    outcome: str
    unit: str | None
    remarks: list[str]
    decided: date | None = None
    decision_id: str = ""


@dataclass(frozen=True)
class Period:
    period_id: str
    municipality: str
    label: str
    start: date
    end: date
    transcribed: bool  # the row exists in reports/*/report_periods.csv

    def until(self, today: date) -> date:
        return min(self.end, today)


# --------------------------------------------------------------------------------------------
# Municipality profiles: what the generator assumes where a report prints nothing
# --------------------------------------------------------------------------------------------

OUTCOMES: dict[str, dict[str, float]] = {
    "klage": {
        "loest_af_borgerraadgiver": 5,
        "genoptaget": 3,
        "styrket_dialog": 3,
        "hjaelp_klageproces": 2,
        "ingen_kritik": 1.5,
        "henstilling": 1,
        "midlertidigt_afvist": 0.5,
        "uden_for_kompetence": 0.5,
    },
    "vejledning": {"vejledning_givet": 8, "hjaelp_klageproces": 1.5, "uden_for_kompetence": 0.7},
    "intern": {"vejledning_givet": 2, "andet": 1},
    "oevrige_henvendelser": {"uden_for_kompetence": 3, "vejledning_givet": 1},
}
MAIN_THEME_WEIGHTS = {
    "forvaltningsskik": 40,
    "forvaltningsloven": 25,
    "opgavevaretagelse": 12,
    "hjemmel": 8,
    "andet": 7,
    "gdpr": 4,
    "offentlighedsloven": 3,
}
CHANNELS = {"telefon": 45, "mail": 40, "moede": 10, "brev": 5}


@dataclass(frozen=True)
class Profile:
    code: str
    first_day: date  # the advisor's first day: records start here
    april_years: bool  # report periods run 1 April - 31 March
    calibrated: tuple[str, ...]  # periods a calibration spec rebuilds from the report
    growth: float  # yearly change in volume, away from the calibrated period
    kinds: dict[str, float] = field(default_factory=lambda: {"klage": 55, "vejledning": 45})
    outcomes: dict[str, dict[str, float]] = field(default_factory=lambda: OUTCOMES)
    points: tuple[float, ...] = (0.65, 0.27, 0.08)  # chance of 1, 2, 3 points per complaint
    unit_weights: dict[str, float] = field(default_factory=dict)  # where no spec fixes the unit
    legal_effects: dict[str, float] = field(default_factory=dict)  # for complaints, where recorded
    # period_id -> {top unit or "*" for the whole volume: factor}: what the reports say about other years
    story: dict[str, dict[str, float]] = field(default_factory=dict)
    ramp_up: bool = False  # the first period is the advisor's start-up year (fewer early on)


def _with(base: dict[str, dict[str, float]], **extra: dict[str, float]) -> dict[str, dict[str, float]]:
    return {k: {**base.get(k, {}), **extra.get(k, {})} for k in {**base, **extra}}


PROFILES: dict[str, Profile] = {
    p.code: p
    for p in [
        # Report 000: the advisor's eighth report; records here from 2019.
        Profile(
            "510",
            date(2019, 1, 1),
            False,
            ("510-2024",),
            growth=0.05,
            outcomes=_with(OUTCOMES, klage={"udsigtsloes": 0.3, "ikke_fornoedent_grundlag": 0.3}),
            story={"510-2020": {"*": 0.9}},  # corona year: fewer meetings, fewer inquiries
        ),
        # Report 001: function established in 2023 (115 inquiries), 257 in 2024.
        Profile(
            "766",
            date(2023, 1, 1),
            False,
            ("766-2024",),
            growth=0.04,
            kinds={"vejledning": 75, "klage": 25},
            outcomes=_with(
                OUTCOMES,
                vejledning={"deltaget_moede": 1.2, "hjaelp_ansoegning": 0.3, "hjaelp_klageproces": 0.5},
            ),
            ramp_up=True,
        ),
        # Report 002: April-March years; Børn & Familie dipped in 2023/24 (Barnets Lov, report 002).
        Profile(
            "165",
            date(2019, 4, 1),
            True,
            ("165-2024",),
            growth=0.02,
            points=(0.78, 0.18, 0.04),
            story={"165-2023": {"165-bf": 0.7}, "165-2020": {"*": 0.88}},
        ),
        # Report 004: first partial period May-Dec 2023, trial scheme until 1 May 2025.
        Profile(
            "157",
            date(2023, 5, 1),
            False,
            ("157-2023",),
            growth=0.03,
            kinds={"klage": 58, "vejledning": 32, "oevrige_henvendelser": 10},
            unit_weights={
                "157-soc-handicap-myndighed": 6,
                "157-soc-handicap": 1.5,
                "157-fam-sundhed-specialteam": 3,
                "157-fam-sundhed": 2,
                "157-borgerservice": 3,
                "157-ydelsesafdeling": 2.5,
                "157-ydelsesteam": 1,
                "157-bebi": 1,
                "157-skoler": 1.5,
                "157-skolevisitation": 1,
                "157-skolefravaer": 0.7,
                "157-park-vej": 1.5,
                "157-natur-miljoe": 0.8,
                "157-hjaelpemiddeldepot": 1,
                "157-overfoerstergaarden": 0.6,
                "157-soc-sundhed": 0.5,
                "157-kommunikation": 0.3,
                "157-hr": 0.2,
                "157-hovedbibliotek": 0.3,
                "157-fjernvarme": 0.4,
                "157-beredskab-oest": 0.2,
            },
            legal_effects={"processuel": 52, "materiel": 7, "ingen": 30, "ukendt": 5},
        ),
        # Report 003: the municipality is not named; figures for 2024 and 2025 only.
        Profile(
            "U03",
            date(2024, 1, 1),
            False,
            ("U03-2024", "U03-2025"),
            growth=0.08,
            unit_weights={
                "U03-so": 3,
                "U03-soc-mva": 2.5,
                "U03-soc": 0.5,
                "U03-bf": 2.5,
                "U03-sd": 1,
                "U03-bitd": 1,
                "U03-ea-am": 2,
                "U03-ea": 0.4,
            },
        ),
    ]
}
# U03 prints unit counts but no total: the yearly volume is chosen here.
UNNAMED_VOLUME = {"U03-2024": 118, "U03-2025": 141}


# --------------------------------------------------------------------------------------------
# Generation context and the small assignment toolkit the specs use
# --------------------------------------------------------------------------------------------


def expand_counts(counts: dict[str, int]) -> list[str]:
    return [v for v, n in counts.items() for _ in range(max(n, 0))]


def weighted(rng: random.Random, weights: dict[str, float]) -> str:
    keys = list(weights)
    return rng.choices(keys, weights=[weights[k] for k in keys], k=1)[0]


def apportion(rng: random.Random, total: int, weights: dict[str, float]) -> dict[str, int]:
    """Split `total` over the keys in proportion to the (jittered) weights, largest remainder first."""
    jittered = {k: w * rng.uniform(0.7, 1.3) for k, w in weights.items() if w > 0}
    scale = sum(jittered.values())
    raw = {k: total * w / scale for k, w in jittered.items()}
    out = {k: int(v) for k, v in raw.items()}
    for k in sorted(raw, key=lambda k: out[k] - raw[k])[: total - sum(out.values())]:
        out[k] += 1
    return out


def deal(
    rng: random.Random,
    members: list[Inquiry],
    counts: dict[str, int],
    assign: Callable[[Inquiry, str], None],
    *,
    what: str,
    prefer: Callable[[Inquiry], Any] | None = None,
) -> list[Inquiry]:
    """Give each printed value to a different member (shuffled; `prefer` ranks who goes first).

    Returns the members that got nothing.
    """
    values = expand_counts(counts)
    pool = list(members)
    rng.shuffle(pool)
    if prefer:
        pool.sort(key=prefer)
    if len(values) > len(pool):
        raise CalibrationError(f"{what}: {len(values)} printed values for {len(pool)} records")
    for q, v in zip(pool, values, strict=False):
        assign(q, v)
    return pool[len(values) :]


def spread(
    rng: random.Random,
    members: list[Inquiry],
    counts: dict[str, int],
    assign: Callable[[Inquiry, str], None],
    *,
    what: str,
) -> None:
    """Like deal, but a member may get several values (never the same one twice): round robin."""
    values = sorted(expand_counts(counts))
    pool = list(members)
    rng.shuffle(pool)
    if values and (not pool or max(Counter(values).values()) > len(pool)):
        raise CalibrationError(f"{what}: cannot spread {dict(Counter(values))} over {len(pool)} records")
    for i, v in enumerate(values):
        assign(pool[i % len(pool)], v)


class Gen:
    """Everything one run needs: the world, the seed, today, and the records made so far."""

    def __init__(self, world: World, seed: int, today: date) -> None:
        self.world = world
        self.seed = seed
        self.today = today

    def rng(self, *key: str) -> random.Random:
        """An independent random stream per task, so one spec's changes never shift another's."""
        return random.Random(f"{self.seed}:{':'.join(key)}")

    def finest(self, per_unit: dict[str, int]) -> dict[str, int]:
        """The most detailed unit rows: those none of whose sub-units has a row of its own."""
        return {
            u: n
            for u, n in per_unit.items()
            if not any(d in per_unit for d in self.world.descendants(u) if d != u)
        }

    def place(self, rng: random.Random, unit: str) -> str:
        """The unit an inquiry counted under `unit` is registered on: mostly a leaf below it."""
        units = self.world.units
        candidates = self.world.descendants(unit)
        weights = []
        for c in candidates:
            leaf = not self.world.children.get(c)
            w = 1.0 if leaf or units[c]["level"] == "afdeling" else 0.15
            parent = units[c]["parent_id"]
            if c != unit and parent and units[parent]["level"] == "afdeling":
                w *= 0.5  # a team under an afdeling (Odinsgård, Familierådgivningen)
            weights.append(w)
        return rng.choices(candidates, weights=weights, k=1)[0]

    def pick_unit(self, rng: random.Random, profile: Profile, exclude: Iterable[str] = ()) -> str:
        excluded = set(exclude)
        weights = {u: w for u, w in profile.unit_weights.items() if u not in excluded}
        if not weights:
            leaves = [u for u in self.world.units_of(profile.code) if not self.world.children.get(u)]
            weights = {u: 1.0 for u in leaves if u not in excluded}
        return weighted(rng, weights)

    def theme_in(self, rng: random.Random, main: str, municipality: str) -> str:
        """A theme inside a main theme: the main itself or one of its sub-themes."""
        subs = self.world.subthemes(main, municipality)
        if not subs or rng.random() < 0.25:
            return main
        return rng.choice(subs)

    def points_within(self, rng: random.Random, q: Inquiry, main: str, profile: Profile) -> None:
        """1-3 complaint points, all inside one main theme (so complaints-by-theme still add up)."""
        n = rng.choices((1, 2, 3), weights=profile.points, k=1)[0]
        themes: list[str] = []
        for _ in range(n * 3):
            t = self.theme_in(rng, main, q.municipality)
            if t not in themes:
                themes.append(t)
            if len(themes) == n:
                break
        q.points = [Point(t) for t in themes]

    def random_theme(
        self, rng: random.Random, municipality: str, forbidden: set[str] = frozenset()
    ) -> str | None:
        mains = {
            m: MAIN_THEME_WEIGHTS.get(m, 2.0)
            for m in self.world.main_themes(municipality)
            if any(t not in forbidden for t in [m, *self.world.subthemes(m, municipality)])
        }
        if not mains:
            return None
        main = weighted(rng, mains)
        options = [t for t in [main, *self.world.subthemes(main, municipality)] if t not in forbidden]
        return main if main in options and rng.random() < 0.25 else rng.choice(options)


# --------------------------------------------------------------------------------------------
# Calibration specs, one per report. Each returns the records of one report period.
# --------------------------------------------------------------------------------------------


@dataclass
class Calibrated:
    inquiries: list[Inquiry]
    decisions: list[Decision] = field(default_factory=list)


def calibrate_haderslev(g: Gen, F: Figures) -> Calibrated:
    """Haderslev, calendar 2024 (report 000).

    1. `inquiries_by_unit`, citizen inquiries (kind klage;vejledning): the most detailed unit rows
       give the inquiries per unit; the `complaints` row of the same unit says how many of them
       are complaints (kind klage), the rest are vejledning (a unit without a row has none).
    2. `inquiries_total`, kind intern: internal inquiries, spread over the forvaltninger.
    3. `complaint_themes_by_area`: inside each area every complaint gets one printed main theme;
       its 1-3 points stay inside that main theme, so the theme rows add up to the area's total.
    4. `advisor_actions_by_area`: inside each area every complaint gets one printed action
       (outcome). Complaints beyond the printed rows (the flagged 46-of-48 in Børn- og unge-
       området) get an action the area's table does not list (completion, below).
    """
    profile = PROFILES["510"]
    rng = g.rng("510", F.period_id)
    citizen = "klage;vejledning"
    per_unit = g.finest(F.table("inquiries", "unit_id", table="inquiries_by_unit", kind_code=citizen))
    _expect(
        sum(per_unit.values()) == F.value("inquiries", kind_code=citizen), "Haderslev: units vs citizen total"
    )
    complaints = F.table("complaints", "unit_id", table="inquiries_by_unit")
    inquiries: list[Inquiry] = []
    for unit, n in per_unit.items():
        k = complaints.get(unit, 0)
        _expect(k <= n, f"Haderslev {unit}: more complaints than inquiries")
        inquiries += [
            Inquiry("510", "klage" if i < k else "vejledning", g.place(rng, unit)) for i in range(n)
        ]
    forvaltninger = [u for u in g.world.units_of("510") if not g.world.units[u]["parent_id"]]
    forvaltninger = [u for u in forvaltninger if g.world.units[u]["sector_code"] != "uden_for_kommunen"]
    for _ in range(F.value("inquiries", kind_code="intern")):
        inquiries.append(Inquiry("510", "intern", rng.choice(forvaltninger) if rng.random() < 0.75 else None))

    def complaints_under(area: str) -> list[Inquiry]:
        under = set(g.world.descendants(area))
        return [q for q in inquiries if q.kind == "klage" and q.unit in under]

    for area, themes in F.nested(
        "complaints", "unit_id", "theme_code", table="complaint_themes_by_area"
    ).items():
        deal(
            rng,
            complaints_under(area),
            themes,
            lambda q, main: g.points_within(rng, q, main, profile),
            what=f"Haderslev themes {area}",
        )
    for area, actions in F.nested(
        "complaints", "unit_id", "outcome_code", table="advisor_actions_by_area"
    ).items():
        deal(rng, complaints_under(area), actions, _set("outcome"), what=f"Haderslev actions {area}")
    return Calibrated(inquiries)


def calibrate_hedensted(g: Gen, F: Figures) -> Calibrated:
    """Hedensted, calendar 2024 (report 001). All rows count inquiries (no kind in the report).

    1. The most detailed unit rows (sections 2, 4-7) give the inquiries per unit.
    2. Case type: `answered_by_advisor_by_area` (råd og vejledning) and
       `administration_involved_by_area` (dialogsag / oversendelsessag) per area; what the whole-
       municipality rows leave over goes to the units outside those areas; the rest of each area
       has no case type (meetings, help with applications, outside the advisor's remit).
    3. Reasons (complaint points) of råd og vejledning: `reasons_answered_by_advisor_by_area`
       per area and the national rest; at most one listed reason per inquiry (the "I alt"
       rows add up). Others get an unlisted reason or none.
    4. Reasons of the involved cases: `reasons_administration_involved_by_area` plus the
       national rest; an inquiry may carry two reasons (the one involved case outside the
       areas carries both 'manglende inddragelse' and 'manglende afgørelse').
    5. Actions (outcome): per area and national rest, preferring inquiries without a case type.
    """
    rng = g.rng("766", F.period_id)
    per_unit = g.finest(F.table("inquiries", "unit_id"))
    _expect(sum(per_unit.values()) == F.value("inquiries"), "Hedensted: units vs total")
    inquiries = [Inquiry("766", "vejledning", g.place(rng, u)) for u, n in per_unit.items() for _ in range(n)]

    def by_area(
        members: list[Inquiry],
        per_area: dict[str, dict[str, int]],
        national: dict[str, int],
        assign: Callable[[Inquiry, str], None],
        what: str,
        *,
        many: bool = False,
        prefer: Callable[[Inquiry], Any] | None = None,
    ) -> None:
        """Each area's printed counts to the members under it; national minus areas to the rest."""
        covered: set[int] = set()
        rest = dict(national)
        for area, counts in per_area.items():
            under = set(g.world.descendants(area))
            group = [q for q in members if q.unit in under]
            _expect(not covered & {id(q) for q in group}, f"{what}: overlapping areas")
            covered |= {id(q) for q in group}
            if many:
                spread(rng, group, counts, assign, what=f"{what} {area}")
            else:
                deal(rng, group, counts, assign, what=f"{what} {area}", prefer=prefer)
            for v, n in counts.items():
                if v in rest:
                    rest[v] -= n
        others = [q for q in members if id(q) not in covered]
        left = {v: n for v, n in rest.items() if n > 0}  # negative: a flagged national row
        if many:
            spread(rng, others, left, assign, what=f"{what} rest")
        else:
            deal(rng, others, left, assign, what=f"{what} rest", prefer=prefer)

    case_types = ("raad_vejledning", "dialogsag", "oversendelsessag")
    per_area: dict[str, dict[str, int]] = defaultdict(dict)
    for ct in case_types:
        for area, n in F.table("inquiries", "unit_id", case_type_code=ct).items():
            per_area[area][ct] = n
    national = {ct: F.value("inquiries", case_type_code=ct) for ct in case_types}
    by_area(inquiries, per_area, national, _set("case_type"), "Hedensted case types")
    for q in inquiries:
        if q.case_type in ("dialogsag", "oversendelsessag"):
            q.kind = "klage"  # the advisor involved the administration: a complaint

    def add_reason(q: Inquiry, theme: str) -> None:
        q.points.append(Point(theme))

    answered = [q for q in inquiries if q.case_type == "raad_vejledning"]
    by_area(
        answered,
        {
            a: single(c)
            for a, c in F.nested(
                "inquiries", "unit_id", "theme_code", case_type_code="raad_vejledning"
            ).items()
        },
        single(F.table("inquiries", "theme_code", case_type_code="raad_vejledning")),
        add_reason,
        "Hedensted reasons (answered)",
    )
    involved_types = "dialogsag;oversendelsessag"
    involved = [q for q in inquiries if q.case_type in ("dialogsag", "oversendelsessag")]
    by_area(
        involved,
        F.nested("inquiries", "unit_id", "theme_code", case_type_code=involved_types),
        F.table("inquiries", "theme_code", case_type_code=involved_types),
        add_reason,
        "Hedensted reasons (involved)",
        many=True,
    )
    by_area(
        inquiries,
        F.nested("inquiries", "unit_id", "outcome_code"),
        F.table("inquiries", "outcome_code"),
        _set("outcome"),
        "Hedensted actions",
        prefer=lambda q: q.case_type is not None,
    )
    # Reasons nobody counts for inquiries without a printed one (the guard keeps them off every table).
    guard = Guard(g.world, F.rows)
    for q in inquiries:
        if not q.points and rng.random() < 0.7:
            options = [t for t in HEDENSTED_OTHER_REASONS if t not in guard.forbidden(q, "theme_code")]
            if options:
                q.points.append(Point(rng.choice(options)))
        if q.outcome is None:
            q.outcome = _hedensted_outcome(rng, g, q)
    return Calibrated(inquiries)


HEDENSTED_OTHER_REASONS = (
    "oenske_raad_vejledning",
    "oenske_raad_vejledning",
    "manglende_svar",
    "manglende_orientering",
    "lang_sagsbehandlingstid",
    "personalets_optraeden",
    "oenske_sagsbehandlerskifte",
    "manglende_helhedsorienteret_indsats",
    "manglende_raad_vejledning",
)


def _hedensted_outcome(rng: random.Random, g: Gen, q: Inquiry) -> str:
    if q.unit and g.world.units[q.unit]["sector_code"] == "uden_for_kommunen":
        return "uden_for_kompetence"
    by_case = {
        "raad_vejledning": {"vejledning_givet": 1},
        "dialogsag": {"styrket_dialog": 3, "loest_af_borgerraadgiver": 2},
        "oversendelsessag": {"genoptaget": 3, "henstilling": 1, "ingen_kritik": 1},
    }
    return weighted(rng, by_case.get(q.case_type or "", {"andet": 2, "uden_for_kompetence": 1}))


def calibrate_albertslund(g: Gen, F: Figures) -> Calibrated:
    """Albertslund, 1 April 2024 - 31 March 2025 (report 002).

    1. `inquiries_by_department`, Hovedsag: inquiries per department; each inquiry is a complaint
       with one main complaint point in its own department.
    2. Sager i alt (complaint points per department) minus Hovedsag = the department's
       følgesager: extra points, mostly on an inquiry of the same department, some on an inquiry
       of another department (a complaint touching two departments); 1-3 points per inquiry.
    3. `themes_by_department`: the printed main- and sub-theme rows give, per department, how many
       points carry each theme (a main row minus its printed sub-rows = points on the main theme
       itself); these are dealt to the department's points, avoiding one theme twice on an inquiry.
    4. Ankestyrelsen decisions (`appeal_decisions_by_department`, `appeal_remarks_by_department`):
       per department the decisions with remarks, without remarks and rejected; the remark items
       are dealt round robin over the decisions with remarks (each gets 1-3 different remarks).
    """
    rng = g.rng("165", F.period_id)
    per_dept = g.finest(F.table("inquiries", "unit_id", table="inquiries_by_department"))
    _expect(sum(per_dept.values()) == F.value("inquiries"), "Albertslund: departments vs total")
    points_per_dept = F.table("complaint_points", "unit_id")
    theme_rows = F.nested("complaint_points", "unit_id", "theme_code", table="themes_by_department")
    owner: dict[int, Inquiry] = {}
    dept_points: dict[str, list[Point]] = {d: [] for d in per_dept}
    by_dept: dict[str, list[Inquiry]] = {}
    for dept, n in per_dept.items():
        by_dept[dept] = []
        for _ in range(n):
            q = Inquiry("165", "klage", g.place(rng, dept))
            p = Point(None, q.unit)
            q.points.append(p)
            owner[id(p)] = q
            dept_points[dept].append(p)
            by_dept[dept].append(q)
    inquiries = [q for d in per_dept for q in by_dept[d]]
    for dept in per_dept:
        extra = points_per_dept.get(dept, per_dept[dept]) - per_dept[dept]
        _expect(extra >= 0, f"Albertslund {dept}: fewer points than inquiries")
        for _ in range(extra):
            same = [q for q in by_dept[dept] if len(q.points) < 3]
            other = [
                q for q in inquiries if q.unit not in set(g.world.descendants(dept)) and len(q.points) < 3
            ]
            if same and (rng.random() < 0.8 or not other):
                host = rng.choice(same)
                p = Point(None, host.unit)
            else:
                _expect(bool(other), f"Albertslund {dept}: no inquiry can take another point")
                host = rng.choice(other)
                p = Point(None, g.place(rng, dept))
            host.points.append(p)
            owner[id(p)] = host
            dept_points[dept].append(p)
    for dept, rows in theme_rows.items():
        leaf = _own_counts(g.world, rows)
        pts = dept_points.get(dept, [])
        _expect(
            sum(leaf.values()) == len(pts),
            f"Albertslund {dept}: theme rows {sum(leaf.values())} vs {len(pts)} points",
        )
        values = expand_counts(leaf)
        rng.shuffle(values)
        for p, theme in zip(pts, values, strict=True):
            p.theme = theme
        _unduplicate(rng, pts, owner)
    return Calibrated(inquiries, _albertslund_decisions(g, F, rng))


def _own_counts(world: World, rows: dict[str, int]) -> dict[str, int]:
    """Per theme the points on that very code: a printed main row minus its printed sub-rows."""
    out = {}
    for theme, n in rows.items():
        own = n - sum(v for t, v in rows.items() if t != theme and world.themes[t]["parent_code"] == theme)
        _expect(own >= 0, f"theme {theme}: sub-rows exceed the main row")
        out[theme] = own
    return out


def _unduplicate(rng: random.Random, points: list[Point], owner: dict[int, Inquiry]) -> None:
    """Swap themes between points of the same department so no inquiry has one theme twice."""

    def dupes(q: Inquiry) -> bool:
        themes = [p.theme for p in q.points]
        return len(themes) != len(set(themes))

    for _ in range(3):
        for p in points:
            q = owner[id(p)]
            if [x.theme for x in q.points].count(p.theme) < 2:
                continue
            candidates = list(points)
            rng.shuffle(candidates)
            for p2 in candidates:
                q2 = owner[id(p2)]
                if q2 is q or p2.theme == p.theme:
                    continue
                p.theme, p2.theme = p2.theme, p.theme
                if not dupes(q) and not dupes(q2):
                    break
                p.theme, p2.theme = p2.theme, p.theme


# Law area of an Albertslund decision, by department (Ankestyrelsen's areas).
ALBERTSLUND_LAW_AREAS = {
    "165-bf": {"boern_handicap": 5, "boernesager": 5},
    "165-bae": {"beskaeftigelse": 8, "social_generelt": 2},
    "165-aess": {"voksen_handicap": 5, "social_generelt": 4},
}
MERITS_OUTCOMES = {
    False: {"stadfaestet": 72, "aendret_ophaevet": 10, "hjemvist": 18},  # no remarks
    True: {"stadfaestet": 45, "aendret_ophaevet": 20, "hjemvist": 35},  # with remarks
}


def _albertslund_decisions(g: Gen, F: Figures, rng: random.Random) -> list[Decision]:
    merits = "stadfaestet;aendret_ophaevet;hjemvist"
    remark_set = codes(
        F.find("appeal_decisions", nonempty=("appeal_outcome_code", "remark_code"))[0]["remark_code"]
    )
    remarks = ";".join(remark_set)
    totals = F.table("appeal_decisions", "unit_id")
    with_remarks = F.table("appeal_decisions", "unit_id", appeal_outcome_code=merits, remark_code=remarks)
    rejected = F.table("appeal_decisions", "unit_id", appeal_outcome_code="afvist")
    items = F.nested("appeal_remarks", "unit_id", "remark_code")
    groups: dict[str | None, tuple[int, int, int, dict[str, int]]] = {
        u: (totals[u], with_remarks.get(u, 0), rejected.get(u, 0), items.get(u, {})) for u in totals
    }
    # Whatever the 'I alt' rows leave over belongs to no department.
    rest_items = {
        c: n - sum(items.get(u, {}).get(c, 0) for u in totals)
        for c, n in F.table("appeal_remarks", "remark_code").items()
    }
    groups[None] = (
        F.value("appeal_decisions") - sum(totals.values()),
        F.value("appeal_decisions", appeal_outcome_code=merits, remark_code=remarks)
        - sum(with_remarks.values()),
        F.value("appeal_decisions", appeal_outcome_code="afvist") - sum(rejected.values()),
        {c: n for c, n in rest_items.items() if n > 0},
    )
    decisions: list[Decision] = []
    for unit, (total, n_with, n_rejected, remark_items) in groups.items():
        n_without = total - n_with - n_rejected
        _expect(min(total, n_with, n_rejected, n_without) >= 0, f"Albertslund decisions {unit}")
        areas = ALBERTSLUND_LAW_AREAS.get(unit or "", {"andet": 1})

        def make(outcome: str, unit: str | None = unit, areas: dict[str, float] = areas) -> Decision:
            return Decision("165", weighted(rng, areas), outcome, g.place(rng, unit) if unit else None, [])

        decisions += [make("afvist") for _ in range(n_rejected)]
        decisions += [make(weighted(rng, MERITS_OUTCOMES[False])) for _ in range(n_without)]
        remarked = [make(weighted(rng, MERITS_OUTCOMES[True])) for _ in range(n_with)]
        values = sorted(expand_counts(remark_items))
        _expect(
            not values or (len(remarked) <= len(values) and max(Counter(values).values()) <= len(remarked)),
            f"Albertslund remarks {unit}",
        )
        for i, code in enumerate(values):
            remarked[i % len(remarked)].remarks.append(code)
        decisions += remarked
    for d in decisions:
        d.remarks.sort()
    return decisions


def calibrate_gentofte(g: Gen, F: Figures) -> Calibrated:
    """Gentofte, 1 May - 31 Dec 2023 (report 004, the first, partial period).

    1. Kinds: råd og vejledning, klager (complaints) and øvrige henvendelser as printed.
    2. Outcomes: the printed råd og vejledning solved by the advisor; the printed 'klagevejledning'
       inquiries (hjælp til klageproces) go mostly to råd og vejledning, the rest to complaints.
    3. Legal effect (styrkelse af retsstilling) of every complaint, as printed (sums to all).
    4. Complaint points on the complaints: the printed total, inside it the printed
       Forvaltningsloven points (of which 'vejledning') and God forvaltningsskik points (of which
       sagsbehandlingstid/status); the rest on the other main themes, plus one point each on the
       printed number of complaints about digital self-service. 328 points on 94 complaints means
       about 3.5 points per complaint, so Gentofte complaints carry 1-7 points.
    """
    profile = PROFILES["157"]
    rng = g.rng("157", F.period_id)
    n_complaints = F.value("complaints", kind_code="klage")
    n_guidance = F.value("inquiries", kind_code="vejledning")
    n_other = F.value("inquiries", kind_code="oevrige_henvendelser")
    _expect(n_complaints + n_guidance + n_other == F.value("inquiries"), "Gentofte: kinds vs total")
    _expect(
        F.value("inquiries", kind_code="klage;vejledning") == n_complaints + n_guidance, "Gentofte: citizens"
    )
    outside = [u for u in profile.unit_weights if g.world.units[u]["sector_code"] == "uden_for_kommunen"]
    complaints = [Inquiry("157", "klage", g.pick_unit(rng, profile, outside)) for _ in range(n_complaints)]
    guidance = [Inquiry("157", "vejledning", g.pick_unit(rng, profile, outside)) for _ in range(n_guidance)]
    other = [
        Inquiry("157", "oevrige_henvendelser", rng.choice(outside) if rng.random() < 0.3 else None)
        for _ in range(n_other)
    ]
    solved = F.value("inquiries", kind_code="vejledning", outcome_code="loest_af_borgerraadgiver")
    deal(rng, guidance, {"loest_af_borgerraadgiver": solved}, _set("outcome"), what="Gentofte solved")
    helped = F.value("inquiries", outcome_code="hjaelp_klageproces")
    free_guidance = [q for q in guidance if q.outcome is None]
    on_guidance = min(len(free_guidance), round(helped * 0.7))
    deal(rng, free_guidance, {"hjaelp_klageproces": on_guidance}, _set("outcome"), what="Gentofte help (R&V)")
    deal(rng, complaints, {"hjaelp_klageproces": helped - on_guidance}, _set("outcome"), what="Gentofte help")
    effects = F.table("complaints", "legal_effect_code", kind_code="klage")
    _expect(sum(effects.values()) == n_complaints, "Gentofte: legal effects vs complaints")
    deal(rng, complaints, effects, _set("legal_effect"), what="Gentofte legal effect")

    # Points: nested budgets read from the figures.
    world, muni = g.world, "157"
    total = F.value("complaint_points")
    law, law_guidance = (
        F.value("complaint_points", theme_code="forvaltningsloven"),
        F.value("complaint_points", theme_code="vejledning"),
    )
    practice = F.value("complaint_points", theme_code="forvaltningsskik")
    slow_key = next(k for k in F.table("complaint_points", "theme_code") if "sagsbehandlingstid" in codes(k))
    slow = F.value("complaint_points", theme_code=slow_key)
    digital = F.value("complaints", kind_code="klage", theme_code="digitalisering")
    budget: Counter[str] = Counter({"vejledning": law_guidance})
    law_rest = [
        t for t in ["forvaltningsloven", *world.subthemes("forvaltningsloven", muni)] if t != "vejledning"
    ]
    budget.update(apportion(rng, law - law_guidance, {t: 1.0 for t in law_rest}))
    budget.update(
        apportion(rng, slow, {c: 2.0 if c == "sagsbehandlingstid" else 1.0 for c in codes(slow_key)})
    )
    practice_rest = [
        t
        for t in ["forvaltningsskik", *world.subthemes("forvaltningsskik", muni)]
        if t not in codes(slow_key)
    ]
    budget.update(apportion(rng, practice - slow, {t: 1.0 for t in practice_rest}))
    others = [
        m
        for m in world.main_themes(muni)
        if m not in ("forvaltningsloven", "forvaltningsskik", "digitalisering")
    ]
    rest_themes = {t: MAIN_THEME_WEIGHTS.get(m, 2.0) for m in others for t in [m, *world.subthemes(m, muni)]}
    budget.update(apportion(rng, total - law - practice - digital, rest_themes))
    _expect(sum(budget.values()) == total - digital, "Gentofte: point budget")
    # Points per complaint: at least one, about 3.5 on average, at most seven.
    sizes = [1] * n_complaints
    appetite = [rng.gammavariate(1.5, 1.0) for _ in complaints]
    for _ in range(total - n_complaints):
        open_ = [i for i in range(n_complaints) if sizes[i] < 7]
        i = rng.choices(open_, weights=[appetite[j] for j in open_], k=1)[0]
        sizes[i] += 1
    order = list(range(n_complaints))
    rng.shuffle(order)
    slots: list[tuple[Inquiry, Point]] = []
    for rank, i in enumerate(order):
        q = complaints[i]
        q.points = [Point(None) for _ in range(sizes[i])]
        if rank < digital:
            q.points[0].theme = "digitalisering"  # one digital point on each of these complaints
        slots += [(q, p) for p in q.points if p.theme is None]
    values = expand_counts(dict(budget))
    rng.shuffle(values)
    owner = {}
    for (q, p), theme in zip(slots, values, strict=True):
        p.theme = theme
        owner[id(p)] = q
    _unduplicate(rng, [p for _, p in slots], owner)
    return Calibrated(complaints + guidance + other)


def calibrate_unnamed(g: Gen, F: Figures) -> Calibrated:
    """The unnamed municipality U03 (report 003), calendar 2024 or 2025.

    The follow-up memo prints inquiries for a few units only; those units get exactly that many
    inquiries, and the year's volume (UNNAMED_VOLUME, not printed) is filled with the other units.
    """
    profile = PROFILES["U03"]
    rng = g.rng("U03", F.period_id)
    fixed = F.table("inquiries", "unit_id")
    blocked = {d for u in fixed for d in g.world.descendants(u)} | {g.world.top(u) for u in fixed}
    inquiries = [Inquiry("U03", "", g.place(rng, u)) for u, n in fixed.items() for _ in range(n)]
    free = UNNAMED_VOLUME[F.period_id] - len(inquiries)
    _expect(free >= 0, "U03: printed units exceed the chosen volume")
    inquiries += [Inquiry("U03", "", g.pick_unit(rng, profile, blocked)) for _ in range(free)]
    for q in inquiries:
        q.kind = weighted(rng, profile.kinds)
    return Calibrated(inquiries)


CALIBRATIONS: dict[str, Callable[[Gen, Figures], Calibrated]] = {
    "510": calibrate_haderslev,
    "766": calibrate_hedensted,
    "165": calibrate_albertslund,
    "157": calibrate_gentofte,
    "U03": calibrate_unnamed,
}


def _set(attribute: str) -> Callable[[Inquiry, str], None]:
    return lambda q, value: setattr(q, attribute, value)


def _expect(ok: bool, what: str) -> None:
    if not ok:
        raise CalibrationError(what)


# --------------------------------------------------------------------------------------------
# Completion: attributes no spec fixed, kept off every printed count
# --------------------------------------------------------------------------------------------


class Guard:
    """Which codes a filled-in value must avoid so that it cannot change any printed count.

    A figure 'reaches' an inquiry when its unit, kind and case-type filters (and, for complaints,
    the complaint kind) let the inquiry in; the outcome / theme / legal-effect codes of every such
    figure are then off limits for values the generator fills in freely.
    """

    def __init__(self, world: World, rows: list[dict[str, str]]) -> None:
        self.world = world
        self.rows = [r for r in rows if r["measure"] in ("inquiries", "complaints", "complaint_points")]
        self.units = {
            r["unit_id"]: {d for u in codes(r["unit_id"]) for d in world.descendants(u)} for r in self.rows
        }

    def _reaches(self, r: dict[str, str], q: Inquiry) -> bool:
        if r["unit_id"]:
            mine = {q.unit, *(p.unit for p in q.points)} if r["measure"] == "complaint_points" else {q.unit}
            if not mine & self.units[r["unit_id"]]:
                return False
        if r["kind_code"] and q.kind not in codes(r["kind_code"]):
            return False
        if r["case_type_code"] and q.case_type not in codes(r["case_type_code"]):
            return False
        return not (r["measure"] == "complaints" and q.kind not in self.world.complaint_kinds)

    def forbidden(self, q: Inquiry, column: str) -> set[str]:
        found = {c for r in self.rows if r[column] and self._reaches(r, q) for c in codes(r[column])}
        return self.world.expand(found) if column == "theme_code" else found


def complete(g: Gen, rng: random.Random, profile: Profile, q: Inquiry, guard: Guard | None) -> None:
    """Outcome, legal effect and complaint points where nothing set them; the channel always."""
    complaint = q.kind in g.world.complaint_kinds
    if q.outcome is None:
        banned = guard.forbidden(q, "outcome_code") if guard else set()
        options = {k: w for k, w in profile.outcomes.get(q.kind, {"andet": 1}).items() if k not in banned}
        q.outcome = weighted(rng, options) if options else None
    if complaint and profile.legal_effects and q.legal_effect is None:
        banned = guard.forbidden(q, "legal_effect_code") if guard else set()
        options = {k: w for k, w in profile.legal_effects.items() if k not in banned}
        q.legal_effect = weighted(rng, options) if options else None
    if complaint and not q.points:
        banned = guard.forbidden(q, "theme_code") if guard else set()
        first = g.random_theme(rng, q.municipality, banned)
        if first:
            n = rng.choices((1, 2, 3), weights=profile.points, k=1)[0]
            themes = [first]
            for _ in range(n - 1):
                main = g.world.main(first) if rng.random() < 0.6 else None
                t = (
                    g.theme_in(rng, main, q.municipality)
                    if main
                    else g.random_theme(rng, q.municipality, banned)
                )
                if t and t not in themes and t not in banned:
                    themes.append(t)
            q.points = [Point(t) for t in themes]
    channels = dict(CHANNELS)
    if q.outcome == "deltaget_moede":
        channels["moede"] = 200
    if q.kind == "intern":
        channels = {"mail": 6, "moede": 3, "telefon": 3}
    q.channel = weighted(rng, channels)


# --------------------------------------------------------------------------------------------
# Periods, volumes and resampling of the years no report covers
# --------------------------------------------------------------------------------------------


def periods_of(g: Gen, profile: Profile) -> list[Period]:
    """Every report period from the advisor's first day to today; the running one ends today.

    A period already in reports/*/report_periods.csv keeps that row (and is not written again).
    """
    out, year = [], profile.first_day.year
    if profile.april_years and profile.first_day.month < 4:
        year -= 1
    while True:
        if profile.april_years:
            start, end, label = date(year, 4, 1), date(year + 1, 3, 31), f"{year}/{(year + 1) % 100:02d}"
        else:
            start, end, label = date(year, 1, 1), date(year, 12, 31), str(year)
        start = max(start, profile.first_day)
        if start > g.today:
            return out
        period_id = f"{profile.code}-{year}"
        row = g.world.periods.get(period_id)
        if row:
            start, end, label = (
                date.fromisoformat(row["start_date"]),
                date.fromisoformat(row["end_date"]),
                row["label"],
            )
        out.append(Period(period_id, profile.code, label, start, end, row is not None))
        year += 1


MONTH_WEIGHT = (1.10, 1.05, 1.10, 1.00, 1.00, 0.95, 0.45, 0.90, 1.10, 1.05, 1.10, 0.80)


def day_weight(day: date) -> float:
    """Seasonality: quiet July and late December, little on weekends."""
    w = MONTH_WEIGHT[day.month - 1]
    if day.weekday() >= 5:
        w *= 0.06
    if (day.month == 12 and day.day >= 21) or (day.month == 1 and day.day == 1):
        w *= 0.25
    return w


def days(start: date, end: date) -> list[date]:
    return [start + timedelta(n) for n in range((end - start).days + 1)]


def season_share(start: date, end: date) -> float:
    """The share of a year's seasonal weight that falls between start and end."""
    year = sum(day_weight(d) for d in days(date(start.year, 1, 1), date(start.year, 12, 31)))
    return sum(day_weight(d) for d in days(start, end)) / year


def sample_days(rng: random.Random, start: date, end: date, n: int, ramp: bool = False) -> list[date]:
    span = days(start, end)
    weights = [day_weight(d) * ((0.3 + 0.7 * i / len(span)) if ramp else 1.0) for i, d in enumerate(span)]
    return sorted(rng.choices(span, weights=weights, k=n)) if n else []


def resample(
    g: Gen, rng: random.Random, profile: Profile, templates: list[Inquiry], n: int, period: Period
) -> list[Inquiry]:
    """n inquiries drawn from the calibrated ones, with a per-year unit mix and small mutations."""
    world = g.world
    story = profile.story.get(period.period_id, {})
    tops = sorted({world.top(q.unit) or "" for q in templates})
    factor = {t: math.exp(rng.gauss(0, 0.2)) * story.get(t, 1.0) for t in tops}
    weights = [factor[world.top(q.unit) or ""] for q in templates]
    out = []
    for t in rng.choices(templates, weights=weights, k=n):
        q = Inquiry(t.municipality, t.kind, t.unit, t.case_type, t.outcome, t.legal_effect)
        q.points = [Point(p.theme, p.unit) for p in t.points]
        if q.unit and rng.random() < 0.15:  # a neighbouring unit
            parent = world.units[q.unit]["parent_id"] or q.unit
            new = g.place(rng, parent)
            for p in q.points:
                if p.unit == q.unit:
                    p.unit = new
            q.unit = new
        if rng.random() < 0.15:
            q.outcome = None  # completion draws a fresh one
        if q.legal_effect and rng.random() < 0.15:
            q.legal_effect = weighted(rng, profile.legal_effects)
        for p in q.points:
            r = rng.random()
            if p.theme and r < 0.2:
                p.theme = g.theme_in(rng, world.main(p.theme), q.municipality)
            elif r < 0.26:
                p.theme = g.random_theme(rng, q.municipality) or p.theme
        seen: set[str | None] = set()
        q.points = [p for p in q.points if not (p.theme in seen or seen.add(p.theme))]
        out.append(q)
    return out


def resample_decisions(rng: random.Random, templates: list[Decision], n: int) -> list[Decision]:
    out = []
    for t in rng.choices(templates, k=n):
        d = Decision(t.municipality, t.law_area, t.outcome, t.unit, list(t.remarks))
        if d.outcome != "afvist" and rng.random() < 0.2:
            d.outcome = weighted(rng, MERITS_OUTCOMES[bool(d.remarks)])
        if d.remarks and rng.random() < 0.2:
            pool = ["begrundelse", "oplysning", "sagsbehandlingstid", "partshoering", "klagevejledning"]
            d.remarks = sorted(rng.sample(pool, rng.choice((1, 1, 2))))
        out.append(d)
    return out


# --------------------------------------------------------------------------------------------
# Dates, closing, summaries, ids
# --------------------------------------------------------------------------------------------

# Generic, non-personal Danish phrases (no names, no numbers), by theme code, main theme or kind.
SUMMARIES: dict[str, tuple[str, ...]] = {
    "sagsbehandlingstid": (
        "Klage over lang sagsbehandlingstid",
        "Borgeren har ikke fået svar på sin henvendelse",
    ),
    "lang_sagsbehandlingstid": ("Spørgsmål om hvor lang tid sagen må tage",),
    "manglende_svar": ("Borgeren har ikke fået svar fra forvaltningen",),
    "begrundelse": ("Afgørelsen opleves som mangelfuldt begrundet",),
    "partshoering": ("Spørgsmål om partshøring før afgørelse",),
    "aktindsigt": ("Hjælp til anmodning om aktindsigt",),
    "klagevejledning": ("Manglende klagevejledning i afgørelse",),
    "vejledning": ("Borgeren oplever ikke at være blevet vejledt",),
    "inddragelse": ("Borgeren oplever ikke at blive inddraget i sagen",),
    "kommunikation": ("Utilfredshed med tonen i kommunikationen",),
    "sagsbehandlerskift": ("Mange skift af sagsbehandler",),
    "digitalisering": ("Problemer med digital selvbetjening",),
    "forvaltningsloven": ("Spørgsmål om reglerne i forvaltningsloven",),
    "forvaltningsskik": ("Utilfredshed med sagsforløbet",),
    "hjemmel": ("Spørgsmål om kommunens hjemmel til beslutningen",),
    "gdpr": ("Spørgsmål om behandling af personoplysninger",),
    "opgavevaretagelse": ("Utilfredshed med den praktiske hjælp",),
    "andet": ("Henvendelse om sagsbehandlingen",),
    "vejledning_kind": (
        "Råd og vejledning om klagemuligheder",
        "Spørgsmål om sagens videre forløb",
        "Vejvisning",
    ),
    "intern": ("Sparring med forvaltningen om sagsbehandling", "Oplæg for medarbejdere"),
    "oevrige_henvendelser": ("Henvendelse fra borger i anden kommune",),
}


def finish(g: Gen, rng: random.Random, q: Inquiry) -> None:
    """Closing date (open when it would fall after today) and an optional generic summary."""
    delay = {
        "klage": 4 + int(rng.expovariate(1 / 30)),
        "vejledning": 1 + int(rng.expovariate(1 / 5)),
        "intern": int(rng.expovariate(1 / 10)),
    }.get(q.kind, int(rng.expovariate(1 / 3)))
    assert q.received is not None
    closed = q.received + timedelta(min(delay, 240))
    if closed.weekday() >= 5:
        closed += timedelta(7 - closed.weekday())
    q.closed = closed if closed <= g.today else None
    if rng.random() < 0.4:
        keys = [p.theme for p in q.points if p.theme] + [g.world.main(p.theme) for p in q.points if p.theme]
        keys += ["vejledning_kind" if q.kind == "vejledning" else q.kind]
        key = next((k for k in keys if k in SUMMARIES), None)
        q.summary = rng.choice(SUMMARIES[key]) if key else None


def number(records: list[Any], municipality: str, day: Callable[[Any], date], tag: str, attr: str) -> None:
    """Ids like g-510-2024-00001: per municipality and year, in date order."""
    counter: Counter[int] = Counter()
    for r in sorted(records, key=day):
        year = day(r).year
        counter[year] += 1
        setattr(r, attr, f"g-{municipality}-{year}-{tag}{counter[year]:0{5 - len(tag)}d}")


# --------------------------------------------------------------------------------------------
# Ankestyrelsen statistics and events
# --------------------------------------------------------------------------------------------

# Whole country around 2022: decisions on the merits and omgørelsesprocent per law area.
NATIONAL_APPEALS = {
    "boern_handicap": (2600, 0.47),
    "voksen_handicap": (3900, 0.34),
    "social_generelt": (14500, 0.28),
}
DK_POPULATION = 5_950_000
POPULATION = {"510": 56_000, "766": 47_500, "165": 28_000, "157": 75_000, "U03": 50_000}


def appeal_statistics(g: Gen) -> list[dict[str, Any]]:
    """Yearly counts per municipality (and the whole country, 000) and law area.

    Where a report prints an omgørelsesprocent (Gentofte's Danmarkskort figure; the report gives
    no year, so it is taken as the Danmarkskort published in the report year, i.e. the year
    before), that municipality's row reproduces it as closely as integer counts allow.
    """
    targets: dict[tuple[str, int, str], float] = {}
    for r in g.world.figures:
        if r["table_name"] == "danmarkskortet" and r["value_unit"] == "percent" and r["law_area_code"]:
            year = date.fromisoformat(g.world.periods[r["period_id"]]["start_date"]).year - 1
            for area in codes(r["law_area_code"]):
                targets[(r["municipality_code"], year, area)] = float(r["value"])
    rng = g.rng("appeal_statistics")
    years = list(range(2019, g.today.year))
    rows = []
    offsets = {m: {a: rng.gauss(0, 0.05) for a in NATIONAL_APPEALS} for m in POPULATION}
    sizes = {m: math.exp(rng.gauss(0, 0.2)) for m in POPULATION}
    for area, (base, rate) in NATIONAL_APPEALS.items():
        drift = 0.0
        for year in years:
            drift += rng.gauss(0, 0.012)
            volume = base * (1.03 ** (year - 2022)) * rng.uniform(0.96, 1.04)
            national_rate = rate + drift
            rows.append(_statistic(rng, WHOLE_COUNTRY, year, area, round(volume), national_rate, None))
            for m, population in POPULATION.items():
                n = max(3, round(volume * population / DK_POPULATION * sizes[m] * rng.uniform(0.85, 1.15)))
                municipal_rate = min(0.85, max(0.05, national_rate + offsets[m][area] + rng.gauss(0, 0.04)))
                rows.append(_statistic(rng, m, year, area, n, municipal_rate, targets.get((m, year, area))))
    rows.sort(key=lambda r: (r["municipality_code"], r["year"], r["law_area_code"]))
    return rows


def _statistic(
    rng: random.Random, municipality: str, year: int, area: str, n: int, rate: float, target: float | None
) -> dict[str, Any]:
    if target is not None:  # the printed percentage: the closest count pair around n
        n, overturned = min(
            ((m, k) for m in range(max(5, n - 8), n + 9) for k in range(m + 1)),
            key=lambda mk: (abs(100 * mk[1] / mk[0] - target), abs(mk[0] - n)),
        )
    else:
        overturned = min(n, max(0, round(n * rate)))
    changed = round(overturned * rng.uniform(0.3, 0.5))
    return {
        "municipality_code": municipality,
        "year": year,
        "law_area_code": area,
        "decided_on_merits": n,
        "changed": changed,
        "sent_back": overturned - changed,
        "rejected": round(n * rng.uniform(0.05, 0.12)),
        "provenance": PROVENANCE,
    }


# Dated annotations for trend charts, each taken from what a report says.
EVENTS = (
    ("766", date(2023, 1, 1), "Borgerrådgiverfunktionen etableres (beretning 2024)"),
    ("157", date(2023, 5, 1), "Borgerrådgiveren starter som forsøgsordning"),
    ("157", date(2025, 5, 1), "Forsøgsordningen med borgerrådgiver udløber"),
    ("510", date(2024, 1, 1), "Barnets Lov træder i kraft"),
    ("165", date(2024, 1, 1), "Barnets Lov træder i kraft"),
    ("510", date(2025, 1, 1), "Familieafdelingen ansætter flyverrådgivere (i løbet af 2025)"),
)


# --------------------------------------------------------------------------------------------
# Verification: recount every figure in memory (same rules as queries.published_check.recompute)
# --------------------------------------------------------------------------------------------


def recount(
    world: World,
    figure: dict[str, str],
    bounds: dict[str, tuple[date, date]],
    inquiries: dict[str, list[Inquiry]],
    decisions: dict[str, list[Decision]],
) -> int | None:
    if figure["measure"] not in EXPRESSIBLE or (figure["value_unit"] or "count") != "count":
        return None
    if figure["period_id"] not in bounds:
        return None
    start, end = bounds[figure["period_id"]]
    units = {d for u in codes(figure["unit_id"]) for d in world.descendants(u)}
    muni = figure["municipality_code"]
    if figure["measure"] in ("appeal_decisions", "appeal_remarks"):
        outcomes, areas, remarks = (
            codes(figure[c]) for c in ("appeal_outcome_code", "law_area_code", "remark_code")
        )
        total = 0
        for d in decisions.get(muni, []):
            if not (d.decided and start <= d.decided <= end):
                continue
            if (units and d.unit not in units) or (outcomes and d.outcome not in outcomes):
                continue
            if areas and d.law_area not in areas:
                continue
            if figure["measure"] == "appeal_remarks":
                total += sum(1 for r in d.remarks if not remarks or r in remarks)
            elif not remarks or set(d.remarks) & set(remarks):
                total += 1
        return total
    themes = world.expand(codes(figure["theme_code"])) if figure["theme_code"] else set()
    total = 0
    for q in inquiries.get(muni, []):
        if not (q.received and start <= q.received <= end):
            continue
        if any(figure[c] and getattr(q, a) not in codes(figure[c]) for c, a in INQUIRY_FILTERS.items()):
            continue
        if figure["measure"] == "complaints" and q.kind not in world.complaint_kinds:
            continue
        if figure["measure"] == "complaint_points":
            total += sum(
                1
                for p in q.points
                if (not themes or p.theme in themes) and (not units or (p.unit or q.unit) in units)
            )
            continue
        if units and q.unit not in units:
            continue
        if themes and not any(p.theme in themes for p in q.points):
            continue
        total += 1
    return total


@dataclass
class Result:
    counts: dict[str, int]
    checked: int
    unsatisfied_flagged: list[str]


# --------------------------------------------------------------------------------------------
# The run
# --------------------------------------------------------------------------------------------


def build(world: World, seed: int, today: date) -> tuple[dict[str, list[dict[str, Any]]], Result]:
    g = Gen(world, seed, today)
    rows: dict[str, list[dict[str, Any]]] = {}
    all_inquiries: dict[str, list[Inquiry]] = {}
    all_decisions: dict[str, list[Decision]] = {}
    bounds = {
        pid: (date.fromisoformat(r["start_date"]), date.fromisoformat(r["end_date"]))
        for pid, r in world.periods.items()
    }
    new_periods = []
    for code, profile in PROFILES.items():
        periods = periods_of(g, profile)
        for p in periods:
            if not p.transcribed and p.end <= today:
                new_periods.append(p)
                bounds[p.period_id] = (p.start, p.end)
        inquiries, decisions = _municipality(g, profile, periods)
        all_inquiries[code], all_decisions[code] = inquiries, decisions

    rows["report_periods"] = [
        {
            "period_id": p.period_id,
            "municipality_code": p.municipality,
            "label": p.label,
            "start_date": p.start,
            "end_date": p.end,
        }
        for p in new_periods
    ]
    rows["inquiries"], rows["complaint_points"], rows["appeal_decisions"] = [], [], []
    for code in PROFILES:
        for q in sorted(all_inquiries[code], key=lambda q: q.inquiry_id):
            rows["inquiries"].append(
                {
                    "inquiry_id": q.inquiry_id,
                    "municipality_code": code,
                    "received": q.received,
                    "kind_code": q.kind,
                    "closed": q.closed,
                    "unit_id": q.unit,
                    "case_type_code": q.case_type,
                    "channel_code": q.channel,
                    "outcome_code": q.outcome,
                    "legal_effect_code": q.legal_effect,
                    "summary": q.summary,
                    "provenance": PROVENANCE,
                }
            )
            for i, p in enumerate(q.points, 1):
                rows["complaint_points"].append(
                    {
                        "point_id": f"{q.inquiry_id}-{i}",
                        "inquiry_id": q.inquiry_id,
                        "theme_code": p.theme,
                        "unit_id": p.unit,
                    }
                )
        for d in sorted(all_decisions[code], key=lambda d: d.decision_id):
            rows["appeal_decisions"].append(
                {
                    "decision_id": d.decision_id,
                    "municipality_code": code,
                    "law_area_code": d.law_area,
                    "decided": d.decided,
                    "outcome_code": d.outcome,
                    "unit_id": d.unit,
                    "remark_codes": d.remarks,
                    "provenance": PROVENANCE,
                }
            )
    rows["appeal_statistics"] = appeal_statistics(g)
    rows["events"] = [
        {"event_id": f"g-ev-{i:02d}", "date": day, "label": label, "municipality_code": muni}
        for i, (muni, day, label) in enumerate(sorted(EVENTS, key=lambda e: (e[1], e[0])), 1)
        if day <= today
    ]

    checked, failures, flagged = 0, [], []
    for f in world.figures:
        got = recount(world, f, bounds, all_inquiries, all_decisions)
        if got is None:
            continue
        if got != int(float(f["value"])):
            (flagged if f["flag"] else failures).append(
                f"{f['figure_id']}: printed {f['value']}, records {got}"
            )
        if not f["flag"]:
            checked += 1
    if failures:
        raise CalibrationError("figures not reproduced: " + "; ".join(failures))
    return rows, Result({k: len(v) for k, v in rows.items()}, checked, flagged)


def _municipality(g: Gen, profile: Profile, periods: list[Period]) -> tuple[list[Inquiry], list[Decision]]:
    """Calibrated periods from their spec, the others resampled; then dates, completion, ids."""
    code = profile.code
    by_period: dict[str, list[Inquiry]] = {}
    decisions_by_period: dict[str, list[Decision]] = {}
    guards: dict[str, Guard] = {}
    for pid in profile.calibrated:
        F = Figures(g.world, pid)
        result = CALIBRATIONS[code](g, F)
        by_period[pid], decisions_by_period[pid] = result.inquiries, result.decisions
        guards[pid] = Guard(g.world, F.rows)
    templates = [q for pid in profile.calibrated for q in by_period[pid]]
    decision_templates = [d for pid in profile.calibrated for d in decisions_by_period[pid]]
    cal = [p for p in periods if p.period_id in profile.calibrated]
    base = sum(len(by_period[p.period_id]) / season_share(p.start, p.end) for p in cal) / len(cal)
    base_decisions = sum(len(decisions_by_period[p.period_id]) for p in cal) / len(cal)
    cal_year = sum(p.start.year for p in cal) / len(cal)
    for p in periods:
        if p.period_id in by_period:
            continue
        rng = g.rng(code, p.period_id, "volume")
        trend = (1 + profile.growth) ** (p.start.year - cal_year) * profile.story.get(p.period_id, {}).get(
            "*", 1.0
        )
        share = season_share(p.start, p.until(g.today))
        n = round(base * trend * share * rng.uniform(0.93, 1.07))
        printed = Figures(g.world, p.period_id).find("inquiries") if p.transcribed else []
        if printed:  # a printed total for a period without detailed tables (Hedensted 2023)
            n = Figures(g.world, p.period_id).value("inquiries")
        by_period[p.period_id] = resample(g, g.rng(code, p.period_id, "resample"), profile, templates, n, p)
        if decision_templates:
            k = round(base_decisions * trend * share * rng.uniform(0.85, 1.15))
            decisions_by_period[p.period_id] = resample_decisions(rng, decision_templates, k)

    inquiries: list[Inquiry] = []
    decisions: list[Decision] = []
    for p in periods:
        rng = g.rng(code, p.period_id, "finish")
        batch = by_period[p.period_id]
        ramp = profile.ramp_up and p is periods[0] and p.period_id not in profile.calibrated
        for q, day in zip(
            _shuffled(rng, batch), sample_days(rng, p.start, p.until(g.today), len(batch), ramp), strict=True
        ):
            q.received = day
        for q in batch:
            complete(g, rng, profile, q, guards.get(p.period_id))
            finish(g, rng, q)
        inquiries += batch
        ds = decisions_by_period.get(p.period_id, [])
        for d, day in zip(
            _shuffled(rng, ds), sample_days(rng, p.start, p.until(g.today), len(ds)), strict=True
        ):
            d.decided = day
        decisions += ds
    number(inquiries, code, lambda q: q.received, "", "inquiry_id")
    number(decisions, code, lambda d: d.decided, "d", "decision_id")
    return inquiries, decisions


def _shuffled(rng: random.Random, items: list[Any]) -> list[Any]:
    out = list(items)
    rng.shuffle(out)
    return out


FILES = ("report_periods", "inquiries", "complaint_points", "appeal_decisions", "appeal_statistics", "events")


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list):
        return ";".join(value)
    return str(value)


def write(out: Path, rows: dict[str, list[dict[str, Any]]]) -> None:
    out.mkdir(parents=True, exist_ok=True)
    for kind in FILES:
        columns = KINDS[kind].columns
        with (out / f"{kind}.csv").open("w", encoding="utf-8", newline="") as fh:
            writer = csv.writer(fh, lineterminator="\n")
            writer.writerow(columns)
            for row in rows[kind]:
                writer.writerow([_cell(row.get(c)) for c in columns])


def generate(out: Path = DEFAULT_OUT, today: date = date(2026, 11, 24), seed: int = DEFAULT_SEED) -> Result:
    rows, result = build(World(), seed, today)
    write(out, rows)
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m sample_data.generate", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument(
        "--today", required=True, type=date.fromisoformat, help="no record is dated after this day"
    )
    parser.add_argument(
        "--seed", type=int, default=DEFAULT_SEED, help=f"random seed (default {DEFAULT_SEED})"
    )
    parser.add_argument(
        "--out", type=Path, default=DEFAULT_OUT, help="output folder (default sample_data/generated)"
    )
    args = parser.parse_args(argv)
    started = time.perf_counter()
    try:
        result = generate(args.out, args.today, args.seed)
    except CalibrationError as exc:
        print(f"Calibration failed: {exc}", file=sys.stderr)
        return 1
    print(f"Wrote {args.out} in {time.perf_counter() - started:.2f}s:")
    for kind, n in result.counts.items():
        print(f"  {kind}.csv: {n} rows")
    print(f"Published figures reproduced: {result.checked} (unflagged, expressible, count)")
    for line in result.unsatisfied_flagged:
        print(f"  flagged, not reproduced: {line}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
