from __future__ import annotations

from dataclasses import fields
from datetime import date

import duckdb
import pytest

from queries.describe import Names, describe_filters, field_choices
from queries.filters import FIELD, FIELDS, URL_KEYS, Catalog, FilterField, Filters, from_query_params, where

CATALOG = Catalog(
    municipalities=frozenset({"510", "766"}),
    periods={"510-2024": "510", "766-2024": "766"},
    units={"510-sos": "510", "766-tek": "766"},
    main_themes=frozenset({"forvaltningsloven"}),
    themes={
        "begrundelse": "forvaltningsloven",
        "forvaltningsloven": "forvaltningsloven",
        "inddragelse": "forvaltningsskik",
    },
    categories={
        "sector": frozenset({"boern_familie", "teknik_miljoe"}),
        "inquiry_kind": frozenset({"klage", "vejledning"}),
        "outcome": frozenset({"genoptaget"}),
        "channel": frozenset({"telefon", "mail"}),
    },
)


def test_round_trip_through_the_query_string() -> None:
    filters = Filters(
        municipalities=("510",),
        period_id="510-2024",
        sectors=("boern_familie", "teknik_miljoe"),
        unit_id="510-sos",
        main_theme="forvaltningsloven",
        sub_theme="begrundelse",
        kinds=("klage",),
        outcomes=("genoptaget",),
        count_unit="points",
        grain="quarter",
        split="unit",
        date_from=date(2024, 1, 1),
        date_to=date(2024, 6, 30),
    )
    params = filters.to_query_params()
    assert (
        params["kommune"] == "510"
        and params["sektor"] == "boern_familie,teknik_miljoe"
        and params["fra"] == "2024-01-01"
    )
    again, notes = from_query_params(params, CATALOG)
    assert again == filters and notes == []


def test_defaults_make_an_empty_query_string() -> None:
    assert Filters().to_query_params() == {}
    assert from_query_params({}, CATALOG) == (Filters(), [])


def test_unknown_values_are_dropped_with_notes() -> None:
    filters, notes = from_query_params(
        {
            "kommune": "510,999",
            "sektor": "rumfart",
            "taelle": "kroner",
            "fra": "31-02-2024",
            "opdel": "farve",
        },
        CATALOG,
    )
    assert filters == Filters(municipalities=("510",))
    assert len(notes) == 5 and any("999" in n for n in notes) and any("rumfart" in n for n in notes)


def test_inconsistent_combinations_are_dropped() -> None:
    filters, notes = from_query_params(
        {
            "kommune": "510",
            "periode": "766-2024",
            "enhed": "766-tek",
            "tema": "forvaltningsloven",
            "undertema": "inddragelse",
            "fra": "2024-06-01",
            "til": "2024-01-01",
        },
        CATALOG,
    )
    assert filters == Filters(municipalities=("510",), main_theme="forvaltningsloven")
    assert len(notes) == 4


def test_repeated_keys_take_the_last_value() -> None:
    filters, _ = from_query_params({"kommune": ["766", "510"]}, CATALOG)
    assert filters.municipalities == ("510",)


def test_unit_level_round_trips_and_a_bad_level_is_reported() -> None:
    filters = Filters(municipalities=("510",), level="omraade")
    params = filters.to_query_params()
    assert params["niveau"] == "omraade"
    assert from_query_params(params, CATALOG) == (filters, [])
    assert "niveau" not in Filters(municipalities=("510",)).to_query_params()  # None: the report's level
    parsed, notes = from_query_params({"kommune": "510", "niveau": "direktion"}, CATALOG)
    assert parsed.level is None and notes == ["Ukendt enhedsniveau i linket ignoreres: direktion"]


# --- the filter table: every field is one row, and every use reads that row ---------------------


# a value of each field that CATALOG knows (for the round trip through every row)
SAMPLE: dict[str, object] = {
    "municipalities": ("510", "766"),
    "period_id": "510-2024",
    "date_from": date(2024, 1, 1),
    "date_to": date(2024, 6, 30),
    "sectors": ("teknik_miljoe",),
    "unit_id": "510-sos",
    "main_theme": "forvaltningsloven",
    "sub_theme": "begrundelse",
    "kinds": ("vejledning",),
    "outcomes": ("genoptaget",),
    "channels": ("telefon",),
    "count_unit": "points",
    "grain": "month",
    "split": "theme",
    "level": "omraade",
}


def test_the_table_has_one_row_per_field_with_its_own_url_key() -> None:
    assert [row.name for row in FIELDS] == [f.name for f in fields(Filters)]
    assert set(SAMPLE) == set(FIELD), "give every row a value of its catalogue set in SAMPLE"
    assert len(set(URL_KEYS.values())) == len(FIELDS)
    for row in FIELDS:
        assert row.url.isascii() and row.url.islower(), row.url
        assert row.label and row.label[0].isupper(), row
        if row.widget in ("multiselect", "selectbox") and row.source not in ("choice",):
            assert row.placeholder.startswith("Alle") or row.name == "period_id", row
        assert all(r in FIELD for r in row.resets) and (row.within is None or row.within in FIELD)


@pytest.mark.parametrize("row", FIELDS, ids=lambda r: r.name)
def test_each_row_makes_the_url_round_trip_under_its_own_key(row: FilterField) -> None:
    filters = Filters(**{row.name: SAMPLE[row.name]})  # type: ignore[arg-type]
    params = filters.to_query_params()
    assert list(params) == [row.url]
    again, notes = from_query_params(params, CATALOG)
    assert (again, notes) == (filters, [])


@pytest.mark.parametrize(
    "row", [r for r in FIELDS if r.source not in ("date",) and r.name != "period_id"], ids=lambda r: r.name
)
def test_each_row_refuses_a_value_its_catalogue_set_does_not_hold(row: FilterField) -> None:
    filters, notes = from_query_params({row.url: "findes-ikke"}, CATALOG)
    assert filters == Filters()
    assert notes == [f"Ukendt {row.what} i linket ignoreres: findes-ikke"]


@pytest.fixture
def units_db() -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    con.execute("CREATE TABLE org_unit (unit_id VARCHAR, parent_id VARCHAR)")
    con.execute("INSERT INTO org_unit VALUES ('510-sos', NULL), ('510-sos-born', '510-sos')")
    return con


WHERE_CASES = [(row, relation) for row in FIELDS for relation in row.sql]


@pytest.mark.parametrize(("row", "relation"), WHERE_CASES, ids=[f"{r.name}-{rel}" for r, rel in WHERE_CASES])
def test_each_row_puts_its_own_sql_in_the_where_clause_with_the_value_as_a_parameter(
    row: FilterField, relation: str, units_db: duckdb.DuckDBPyConnection
) -> None:
    value = SAMPLE[row.name]
    sql, params = where(units_db, Filters(**{row.name: value}), relation)  # type: ignore[arg-type]
    assert sql == row.sql[relation]
    if row.expand_units:
        assert sorted(params[0]) == ["510-sos", "510-sos-born"]  # the unit and every unit under it
    else:
        # one parameter per placeholder: a condition may narrow two tables by the same value
        assert params == [list(value) if row.many else value] * sql.count("?")  # type: ignore[call-overload]
    assert "findes" not in sql and str(value) not in sql


def test_where_without_a_filter_is_true_and_only_picks_the_named_fields(
    units_db: duckdb.DuckDBPyConnection,
) -> None:
    assert where(units_db, Filters(), "inquiry") == ("TRUE", [])
    f = Filters(municipalities=("510",), kinds=("klage",))
    sql, params = where(units_db, f, "report_period", only=("municipalities",))
    assert (sql, params) == ("list_contains(?::VARCHAR[], rp.municipality_code)", [["510"]])
    # a relation without a column for a field is not narrowed by it (decisions have no kind)
    assert where(units_db, f, "decision") == ("list_contains(?::VARCHAR[], d.municipality_code)", [["510"]])


def test_the_span_narrows_each_relation_by_its_own_date_column(units_db: duckdb.DuckDBPyConnection) -> None:
    from queries.filters import DATE_COLUMNS
    from queries.periods import Span

    span = Span(date(2024, 1, 1), date(2024, 12, 31), "2024")
    for relation, columns in DATE_COLUMNS.items():
        sql, params = where(units_db, Filters(), relation, span)  # type: ignore[arg-type]
        assert sql == " AND ".join(f"{column} BETWEEN ? AND ?" for column in columns)
        assert params == [span.start, span.end] * len(columns)
    assert (
        where(units_db, Filters(), "point", span)[0]
        == "i.received BETWEEN ? AND ? AND p.received BETWEEN ? AND ?"
    )
    assert where(units_db, Filters(), "recommendation", span) == ("TRUE", [])


NAMES = Names(
    municipalities={"510": "Haderslev", "766": "Hedensted"},
    units={"510-sos": "Social"},
    themes={"forvaltningsloven": "Forvaltningsloven", "begrundelse": "Begrundelse"},
    categories={
        ("inquiry_kind", "vejledning"): "Vejledning",
        ("inquiry_kind", "klage"): "Klage",
        ("sector", "teknik_miljoe"): "Teknik og miljø",
        ("channel", "telefon"): "Telefon",
    },
)


@pytest.mark.parametrize("row", [r for r in FIELDS if r.subtitle], ids=lambda r: r.name)
def test_each_row_words_its_value_in_the_subtitle_with_its_own_label(row: FilterField) -> None:
    words = describe_filters(Filters(**{row.name: SAMPLE[row.name]}), NAMES, None)  # type: ignore[arg-type]
    own = words.split(" · ")[3:]  # after "Tæller ...", the municipalities and the period
    assert len(own) == 1 and own[0].startswith(row.subtitle.split("{")[0].format(label=row.label))
    if "{label}" in row.subtitle:
        assert own[0].startswith(f"{row.label}: ")


def test_the_sidebar_and_the_subtitle_say_the_same_words_for_the_inquiry_kind() -> None:
    words = describe_filters(Filters(kinds=("vejledning",)), NAMES, None)
    assert "Henvendelsestype: Vejledning" in words and "Type:" not in words
    assert FIELD["kinds"].label == "Henvendelsestype"


def test_sidebar_choices_come_from_the_rows_catalogue_set() -> None:
    assert field_choices(FIELD["kinds"], CATALOG, NAMES) == ["klage", "vejledning"]
    assert field_choices(FIELD["sub_theme"], CATALOG, NAMES, "forvaltningsloven") == ["begrundelse"]
    assert field_choices(FIELD["sub_theme"], CATALOG, NAMES, None) == []
    assert field_choices(FIELD["period_id"], CATALOG, NAMES, ["766"]) == ["766-2024"]
    assert field_choices(FIELD["unit_id"], CATALOG, NAMES, ["766"]) == []
    assert field_choices(FIELD["level"], CATALOG, NAMES) == ["forvaltning", "omraade", "afdeling"]


# --- a field added by one row: the channel ("Kanal") ------------------------------------------


def test_the_channel_row_gives_its_url_key_widget_and_words() -> None:
    f = Filters(channels=("telefon",))
    assert f.to_query_params() == {"kanal": "telefon"}
    assert from_query_params({"kanal": "telefon,fax"}, CATALOG) == (
        f,
        ["Ukendt kanal i linket ignoreres: fax"],
    )
    assert field_choices(FIELD["channels"], CATALOG, NAMES) == ["mail", "telefon"]
    assert describe_filters(f, NAMES, None).endswith(" · Kanal: Telefon")


def test_the_channel_filter_narrows_every_inquiry_count(query_db: duckdb.DuckDBPyConnection) -> None:
    from queries import crosstab, inquiries
    from queries.periods import Span

    # the small database has no channels: two of 2024's five inquiries came by phone (one with points)
    query_db.execute(
        "UPDATE inquiry SET channel_code = CASE WHEN inquiry_id IN ('i1', 'i3') THEN 'telefon' ELSE 'mail' END"
    )
    y2024 = Span(date(2024, 1, 1), date(2024, 12, 31), "2024")
    phone = Filters(municipalities=("999",), channels=("telefon",))
    assert inquiries.breakdown(query_db, phone, y2024, "kind")["count"].sum() == 2
    assert inquiries.breakdown(query_db, phone.with_(channels=("mail",)), y2024, "kind")["count"].sum() == 3
    # with complaint points joined: i1's two points
    points = inquiries.breakdown(query_db, phone.with_(count_unit="points"), y2024, "main_theme")
    assert points["count"].sum() == 2
    table = crosstab.crosstab(query_db, phone, crosstab.CrossSpec(rows="kind"), y2024)
    assert table.filter(table["row_total"])["count"].to_list() == [2]
    # a saved Krydstabel keeps the channel as its own restriction
    assert crosstab.filter_restrictions(phone) == (("channel", ("telefon",)),)
