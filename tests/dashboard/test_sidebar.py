"""The sidebar draws one widget per row of the filter table, with that row's words."""

from __future__ import annotations

from typing import Any

from dashboard.state import widget_key
from queries.filters import FIELDS


def _widget(at: Any, kind: str, name: str) -> Any:
    return {
        "multiselect": at.multiselect,
        "selectbox": at.selectbox,
        "radio": at.radio,
        "date": at.date_input,
    }[kind](key=widget_key(name))


def test_every_row_with_a_widget_is_drawn_with_its_label_and_placeholder(app: Any) -> None:
    at = app()
    at.query_params["tema"] = "forvaltningsloven"  # so the sub-theme (within the theme) is drawn
    at.query_params["type"] = "klage"
    at.query_params["kanal"] = "telefon"
    at.run()
    assert not at.exception
    for row in FIELDS:
        if row.widget is None:
            continue
        widget = _widget(at, row.widget, row.name)
        assert widget.label == row.label
        if row.placeholder and row.widget in ("multiselect", "selectbox"):
            assert widget.proto.placeholder == row.placeholder
            if row.widget == "selectbox":
                assert widget.format_func(None) == row.placeholder
    kinds = at.multiselect(key=widget_key("kinds"))
    assert kinds.value == ["klage"] and "Henvendelsestype: Klage" in _subtitle(at)
    channels = at.multiselect(key=widget_key("channels"))
    assert channels.label == "Kanal" and channels.value == ["telefon"] and "Kanal: Telefon" in _subtitle(at)


def test_a_widget_change_reaches_the_url_and_the_words(app: Any) -> None:
    at = app().run()
    assert not at.exception
    at.multiselect(key=widget_key("outcomes")).set_value(["genoptaget"]).run()
    assert not at.exception
    assert at.query_params.get("udfald") in ("genoptaget", ["genoptaget"])
    assert "Handling/udfald: Genoptaget" in _subtitle(at)


def _subtitle(at: Any) -> str:
    """The page's 'Viser: ...' line, Markdown escapes removed."""
    return next(m.value for m in at.markdown if m.value.startswith("Viser:")).replace("\\", "")
