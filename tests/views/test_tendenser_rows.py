"""Tendenser reads the underlying rows only when their expander is opened (issue 19)."""

from __future__ import annotations

from unittest import mock

from queries import inquiries


def test_rows_are_read_only_when_the_expander_is_open(app) -> None:
    at = app()
    at.run()
    with mock.patch.object(inquiries, "inquiry_rows", wraps=inquiries.inquiry_rows) as rows:
        at.switch_page("views/tendenser.py").run()
        assert not at.exception
        assert rows.call_count == 0
        assert not [c for c in at.caption if "højst 5.000 vises" in str(c.value)]
        at.session_state["rows_open"] = True  # the user opens "Se de underliggende henvendelser"
        at.run()
        assert not at.exception
        assert rows.call_count == 1
    shown = [str(c.value) for c in at.caption if "højst 5.000 vises" in str(c.value)]
    assert shown == ["11 henvendelser (højst 5.000 vises)."]
