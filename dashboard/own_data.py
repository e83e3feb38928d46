"""The Data page's part for the advisor's own data: her registration sheet (columns and names
asked for, nothing written until everything resolves), setting up a municipality, and the
national figures. Called with one line from ``views/data.py``."""

from __future__ import annotations

import hashlib
from datetime import date

import duckdb
import polars as pl
import streamlit as st

from dashboard import state
from dashboard.connection import get_connection
from dashboard.import_panel import show_changes
from dashboard.safe_text import md_escape
from data_model import denmark
from data_model.importer import problems_frame
from data_model.labels import COLUMN_LABELS, MONTHS
from data_model.readers import RawTable, UnreadableFile
from data_model.resolvers import answer_choices
from data_model.setup import (
    PeriodPlan,
    changed_labels,
    label_list,
    needs_setup,
    organisation_rows,
    own_municipalities,
    pasted_to_csv,
    read_organisation,
    rename_labels,
    set_up_municipality,
    unit_paths,
)
from data_model.sheet_import import SheetReport, import_sheet
from data_model.sheet_mapping import (
    IGNORE,
    IGNORE_LABEL,
    ROLES,
    SHEET_KINDS,
    TARGET_WORDS,
    MappingFileError,
    SheetMapping,
)

SHEET_KIND_LABELS = {
    "inquiries": "Henvendelser (registreringsark)",
    "appeal_decisions": "Ankestyrelsens afgørelser (din kopi)",
    "recommendations": "Anbefalinger med opfølgning",
}
UPLOAD_HELP = "Træk filen hen på feltet, eller klik på »Vælg fil«. Intet gemmes, før alt er afklaret."
CHOICES = {
    "sheet": "Mit eget ark",
    "setup": "Opsæt kommune",
    "national": "Landstal (Danmarkskort, indbyggertal)",
}


def own_data_section(actor: str, municipality: str | None) -> None:
    """Her sheet (``municipality``: the sidebar's, chosen first), the set-up and national figures;
    then a heading for the coded import below."""
    con = get_connection().cursor()
    first_time = needs_setup(con)
    if first_time:
        st.info(
            "Databasen er tom. Vælg din kommune, dine beretningsperioder og din organisation, og indlæs "
            "derefter dit eget registreringsark.",
            icon=":material/rocket_launch:",
        )
    choice = st.segmented_control(
        "Hvad vil du indlæse?",
        list(CHOICES),
        format_func=CHOICES.get,
        default="setup" if first_time else "sheet",
        key="own_choice",
    ) or ("setup" if first_time else "sheet")
    if choice == "setup":
        _setup_section(con, actor)
    elif choice == "national":
        from dashboard.national_figures import national_section

        national_section(con, actor)
    else:
        _sheet_section(con, actor, municipality)
    st.divider()
    st.subheader("Fil i dashboardets eget format (med koder)")


# --- her sheet -------------------------------------------------------------------------------------
def _widget_key(*parts: str) -> str:
    """A short widget key for an answer; the registry remembers what it answers."""
    key = "sheet_answer_" + hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:16]
    st.session_state.setdefault("sheet_registry", {})[key] = parts
    return key


def _answers(municipality: str, kind: str) -> SheetMapping:
    """Her choices so far (column meanings, names -> codes), read from the answer widgets."""
    answers = SheetMapping(kind)
    # Kept apart from the widgets: a question answered is not drawn again, and Streamlit forgets
    # the value of a widget that was not drawn.
    kept: dict[tuple[str, ...], str] = st.session_state.setdefault("sheet_answers", {})
    for key, parts in st.session_state.get("sheet_registry", {}).items():
        if st.session_state.get(key) is not None:
            kept[parts] = st.session_state[key]
    for parts, value in kept.items():
        if parts[:2] != (municipality, kind):
            continue
        if parts[2] == "column":
            answers.columns[parts[3]] = value
        else:
            answers.set_value(parts[3], parts[4], value)
    return answers


def _read_input(prefix: str, label: str, paste_help: str) -> tuple[str, bytes] | None:
    round_ = st.session_state.get(f"{prefix}_round", 0)  # a new uploader, empty, after an import
    upload = st.file_uploader(
        label, type=["xlsx", "csv", "txt"], key=f"{prefix}_file_{round_}", help=UPLOAD_HELP
    )
    pasted = st.text_area(paste_help, key=f"{prefix}_paste", height=110)
    if upload is not None:
        return upload.name, upload.getvalue()
    if pasted and pasted.strip():
        return "indsat.csv", pasted_to_csv(pasted)
    return None


def _sheet_section(con: duckdb.DuckDBPyConnection, actor: str, current: str | None) -> None:
    st.caption(
        "Dit eget ark med dine overskrifter og navne (ikke koder, ingen id'er). Kendte overskrifter og navne "
        "genkendes; resten spørger siden om, og intet gemmes, før alt er afklaret. Dine svar huskes for kommunen, "
        "så næste måneds ark indlæses uden spørgsmål. Samme række indlæses aldrig to gange."
    )
    _show_done("sheet_done")
    municipalities = own_municipalities(con)
    if not municipalities:
        st.info("Opsæt først din kommune (vælg 'Opsæt kommune' ovenfor).")
        return
    codes = list(municipalities)
    left, right = st.columns(2)
    municipality = left.selectbox(
        "Kommune",
        codes,
        index=codes.index(current) if current in codes else 0,
        format_func=municipalities.get,
        key="sheet_municipality",
    )
    kind = right.selectbox(
        "Arket indeholder", SHEET_KINDS, format_func=SHEET_KIND_LABELS.get, key="sheet_kind"
    )
    given = _read_input(
        "sheet",
        "Fil: dit eget ark (Excel eller CSV)",
        "… eller indsæt rækkerne fra Excel her, med overskriftsrækken",
    )
    if given is None or municipality is None:
        return
    name, data = given
    answers = _answers(municipality, kind)
    with st.expander("Har du en gemt oversættelse (JSON eller CSV)?"):
        kept = st.file_uploader(
            "Fil med oversættelsen", type=["json", "csv"], key="sheet_mapping_file", help=UPLOAD_HELP
        )
    if kept is not None:
        try:
            text = kept.getvalue().decode("utf-8-sig")
            answers = SheetMapping.parse(kind, text, csv_format=kept.name.lower().endswith(".csv")).merged(
                answers
            )
        except (MappingFileError, UnicodeDecodeError) as exc:
            st.error(f"Oversættelsen kan ikke læses: {md_escape(exc)}")
    create = bool(st.session_state.get("sheet_create"))
    report = import_sheet(
        con, name, kind, municipality, data=data, mapping=answers, create_missing=create, dry_run=True
    )
    _show_columns(report, municipality, kind)
    if report.unknown_columns:
        return
    _ask_values(con, report, municipality, kind)
    if (
        any(u.target in ("unit", "theme") and u.status in ("unknown", "not_under") for u in report.unresolved)
        or create
    ):
        st.checkbox(
            "Opret de ukendte enheder og temaer (under den forvaltning, det område eller hovedtema arket nævner)",
            key="sheet_create",
        )
    if report.problems:
        st.error("Disse rækker skal rettes i arket, før noget indlæses:", icon="🚫")
        st.dataframe(problems_frame(report.problems), hide_index=True)
    if not report.ok:
        return
    created = ""
    if report.created_units or report.created_themes:
        created = " Oprettes: " + "; ".join(report.created_units + report.created_themes) + "."
    st.success(
        f"Alle {report.rows} rækker kan indlæses. Intet er skrevet endnu.{md_escape(created)}", icon="✅"
    )
    show_changes(
        report,
        "(og fjernede temaer fjerner klagepunkter), hvis du indlæser arket. Kolonner, som arket ikke har, bevares.",
    )
    st.button(
        f"Indlæs {report.rows} rækker",
        type="primary",
        key="sheet_import",
        on_click=_import_now,
        args=(name, data, kind, municipality, answers, create, actor),
    )
    if report.mapping is not None:
        st.download_button(
            "Hent oversættelsen (JSON) til dit eget arkiv",
            report.mapping.to_json(),
            file_name=f"oversaettelse-{municipality}-{kind}.json",
            mime="application/json",
            on_click="ignore",
            icon=":material/download:",
            key="sheet_mapping_download",
        )


def _show_columns(report: SheetReport, municipality: str, kind: str) -> None:
    labels = {r.key: r.label for r in ROLES[kind]} | {IGNORE: IGNORE_LABEL}
    if report.columns:
        st.dataframe(
            pl.DataFrame(
                {
                    "Kolonne i dit ark": list(report.columns),
                    "Betyder": [labels.get(k, k) for k in report.columns.values()],
                }
            ),
            hide_index=True,
        )
    if not report.unknown_columns:
        return
    st.warning("Hvad indeholder disse kolonner? Vælg for hver, eller vælg at ignorere den.", icon="❓")
    options = [IGNORE, *[r.key for r in ROLES[kind]]]
    for header in report.unknown_columns:
        st.selectbox(
            f"Kolonnen '{header}'",
            options,
            index=None,
            placeholder="Vælg …",
            format_func=lambda k: labels.get(k, k),
            key=_widget_key(municipality, kind, "column", header),
        )


def _ask_values(con: duckdb.DuckDBPyConnection, report: SheetReport, municipality: str, kind: str) -> None:
    if not report.unresolved:
        return
    st.warning(
        f"{len(report.unresolved)} navn(e) i arket kendes ikke. Vælg hvad hvert navn betyder; valget huskes.",
        icon="❓",
    )
    cache: dict[str, dict[str, str]] = {}
    for item in report.unresolved:
        choices = cache.setdefault(item.target, answer_choices(con, municipality, item.target))
        preferred = [
            c
            for c, shown in choices.items()
            if shown in item.candidates or shown.split(" › ")[-1] in item.candidates
        ]
        options = preferred + [c for c in choices if c not in preferred]
        st.selectbox(
            item.as_text(),
            options,
            index=None,
            placeholder=f"Vælg {TARGET_WORDS.get(item.target, item.target)} …",
            format_func=lambda c, names=choices: names.get(c, c),
            key=_widget_key(municipality, kind, "value", item.target, item.value),
        )


# --- set-up ------------------------------------------------------------------------------------------
def _setup_section(con: duckdb.DuckDBPyConnection, actor: str) -> None:
    st.caption(
        "Vælg kommunen, navngiv beretningsperioderne og indlæs organisationen fra et ark med to eller tre "
        "kolonner (forvaltning; område; afdeling). De fælles temaer og kategorier er et udgangspunkt: "
        "omdøb eller tilføj dine egne under Registrér, eller lad dem oprette, når du indlæser dit ark."
    )
    names = denmark.municipalities()
    municipality = st.selectbox(
        "Kommune",
        list(names),
        index=None,
        placeholder="Vælg kommunen",
        format_func=lambda c: f"{names[c]} ({c})",
        key="setup_municipality",
    )
    calendar = (
        st.radio(
            "Beretningsperioden", ["Kalenderår", "Andre 12 måneder"], horizontal=True, key="setup_year_kind"
        )
        == "Kalenderår"
    )
    columns = st.columns(3)
    start_month = 1
    if not calendar:
        start_month = columns[0].selectbox(
            "Første måned", list(range(2, 13)), format_func=lambda m: MONTHS[m - 1], key="setup_start_month"
        )
    this_year = date.today().year
    first = columns[1].number_input("Første år", 2000, 2100, this_year - 1, key="setup_first_year")
    last = columns[2].number_input("Sidste år", 2000, 2100, this_year, key="setup_last_year")
    plan = PeriodPlan(int(first), int(last), int(start_month))
    if municipality and plan.last_year >= plan.first_year:
        st.caption("Beretningsperioderne; ret betegnelsen, hvis du kalder dem noget andet:")
        shown = pl.DataFrame(
            [
                {
                    "År": p["start_date"].year,
                    "Betegnelse": p["label"],
                    "Fra": p["start_date"],
                    "Til": p["end_date"],
                }
                for p in plan.periods(municipality)
            ]
        )
        edited = pl.DataFrame(
            st.data_editor(
                shown,
                disabled=["År", "Fra", "Til"],
                hide_index=True,
                column_config={
                    "Fra": st.column_config.DateColumn(format="DD.MM.YYYY"),
                    "Til": st.column_config.DateColumn(format="DD.MM.YYYY"),
                },
                key=f"setup_periods_{plan.first_year}_{plan.last_year}_{plan.start_month}",
            )
        )
        labels = tuple(
            (int(y), str(label)) for y, label in zip(edited["År"], edited["Betegnelse"], strict=True) if label
        )
        plan = PeriodPlan(plan.first_year, plan.last_year, plan.start_month, labels)
    organisation: RawTable | None = None
    given = _read_input(
        "setup_org",
        "Fil: organisationen (Excel eller CSV: forvaltning; område; afdeling)",
        "… eller indsæt rækkerne fra Excel: forvaltning, (område,) afdeling",
    )
    if given is not None:
        try:
            organisation = read_organisation(*given)
            paths, _, problems = organisation_rows(organisation)
            units = unit_paths(paths)
            st.caption(
                f"{len(units)} enheder i arket: "
                + md_escape(", ".join(units[:12]))
                + (" …" if len(units) > 12 else "")
            )
            for problem in problems:
                st.warning(md_escape(problem.as_text()))
        except UnreadableFile as exc:
            st.error(md_escape(exc))
            organisation = None
    common = st.checkbox("Start med de fælles temaer og kategorier", value=True, key="setup_common")
    st.button(
        "Opret kommunen",
        type="primary",
        disabled=municipality is None,
        key="setup_submit",
        on_click=_set_up_now,
        args=(municipality, plan, organisation, common, actor),
    )
    _show_done("setup_done")
    _lists_section(con, actor)


_LIST_KINDS = {
    "theme": "Temaer",
    "inquiry_kind": "Henvendelsestyper",
    "case_type": "Sagstyper",
    "channel": "Kanaler",
    "outcome": "Udfald",
    "legal_effect": "Retsstilling",
    "remark_theme": "Ankestyrelsens bemærkninger",
    "follow_up_status": "Opfølgningsstatus",
}


def _lists_section(con: duckdb.DuckDBPyConnection, actor: str) -> None:
    """Rename the common themes and categories to her own words (new themes: Registrér, or
    created from her sheet). Each change is saved like a form: validated and audited."""
    with st.expander("Temaer og kategorier: brug dine egne betegnelser"):
        which = st.selectbox("Liste", list(_LIST_KINDS), format_func=_LIST_KINDS.get, key="lists_kind")
        frame = label_list(con, which)
        if frame.is_empty():
            st.caption("Listen er tom: opsæt kommunen med de fælles lister først.")
            return
        st.caption(
            "Ret betegnelsen i tabellen og gem. Koderne bliver de samme, så alt registreret følger med."
        )
        shown = frame.drop("main_theme") if which != "theme" else frame
        edited = st.data_editor(
            shown,
            disabled=["code", "main_theme"],
            hide_index=True,
            column_config={name: COLUMN_LABELS[name] for name in shown.columns},
            key=f"lists_editor_{which}",
        )
        if st.button("Gem betegnelserne", key="lists_save"):
            _save_names(which, changed_labels(frame, pl.DataFrame(edited)), actor)


def _save_names(which: str, changes: dict[str, str], actor: str) -> None:
    saved, problems = rename_labels(get_connection().cursor(), which, changes, actor=actor)
    if problems:
        st.error(md_escape(" ".join(p.as_text() for p in problems)))
    st.success(f"{saved} betegnelse(r) gemt.", icon="✅")


# Writes run in the buttons' callbacks, before the page is drawn: the filter menu can then be
# moved to the municipality just set up or imported (a drawn widget's value cannot be changed).
def _show_to(municipality: str) -> None:
    st.session_state[state.widget_key("municipalities")] = [municipality]
    st.session_state[state.widget_key("period_id")] = None
    st.session_state[state.widget_key("unit_id")] = None


def _import_now(
    name: str, data: bytes, kind: str, municipality: str, answers: SheetMapping, create: bool, actor: str
) -> None:
    done = import_sheet(
        get_connection().cursor(),
        name,
        kind,
        municipality,
        data=data,
        mapping=answers,
        create_missing=create,
        actor=actor,
    )
    if done.ok:
        _show_to(municipality)
        st.session_state["sheet_create"] = False
        st.session_state["sheet_paste"] = ""
        st.session_state["sheet_round"] = st.session_state.get("sheet_round", 0) + 1
    st.session_state["sheet_done"] = (done.ok, done.summary(), [] if done.ok else done.problems)


def _set_up_now(
    municipality: str | None, plan: PeriodPlan, organisation: RawTable | None, common: bool, actor: str
) -> None:
    if municipality is None:
        return
    report = set_up_municipality(
        get_connection().cursor(),
        municipality,
        periods=plan,
        organisation=organisation,
        common_lists=common,
        actor=actor,
    )
    if report.ok:
        _show_to(municipality)
    message = report.summary() + (" Indlæs nu dit eget ark under 'Mit eget ark'." if report.ok else "")
    st.session_state["setup_done"] = (report.ok, message, report.problems)


def _show_done(key: str) -> None:
    if key not in st.session_state:
        return
    ok, message, problems = st.session_state.pop(key)
    if ok:
        st.success(md_escape(message), icon="✅")
    else:
        st.error(md_escape(message), icon="🚫")
        if problems:
            st.dataframe(problems_frame(problems), hide_index=True)
