"""Tendenser reads only what it shows (issue 19): the underlying rows only when their expander is
opened, and a trend over all periods is not read again when the report period changes."""

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


def test_a_period_change_reuses_the_trend_over_all_periods(app) -> None:
    at = app()
    at.query_params["periode"] = "999-2024"
    at.run()
    with (
        mock.patch.object(inquiries, "trend", wraps=inquiries.trend) as trend,
        mock.patch.object(inquiries, "complaint_share_trend", wraps=inquiries.complaint_share_trend) as share,
    ):
        at.switch_page("views/tendenser.py").run()
        assert not at.exception and trend.call_count == 1 and share.call_count == 1
        at.session_state["f_period_id"] = "999-2025"
        at.run()
        assert not at.exception
        assert at.session_state["f_period_id"] == "999-2025"
        assert (trend.call_count, share.call_count) == (1, 1)  # answered from the cache
