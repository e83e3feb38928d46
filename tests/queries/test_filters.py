from __future__ import annotations

from datetime import date

from queries.filters import Catalog, Filters, from_query_params

CATALOG = Catalog(
    municipalities=frozenset({"510", "766"}),
    periods={"510-2024": "510", "766-2024": "766"},
    sectors=frozenset({"boern_familie", "teknik_miljoe"}),
    units={"510-sos": "510", "766-tek": "766"},
    main_themes=frozenset({"forvaltningsloven"}),
    themes={
        "begrundelse": "forvaltningsloven",
        "forvaltningsloven": "forvaltningsloven",
        "inddragelse": "forvaltningsskik",
    },
    kinds=frozenset({"klage", "vejledning"}),
    outcomes=frozenset({"genoptaget"}),
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
