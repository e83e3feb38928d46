"""queries/suppression.py: small-number suppression."""

from __future__ import annotations

import polars as pl

from queries.suppression import shown_count, suppress


def test_suppression_hides_small_counts_and_their_shares() -> None:
    frame = pl.DataFrame({"label": ["a", "b", "c"], "count": [0, 3, 12], "share": [0.0, 0.2, 0.8]})
    out = suppress(frame, ["count"], ["share"])
    assert out["count"].to_list() == [0, None, 12] and out["share"].to_list() == [0.0, None, 0.8]
    assert out["suppressed"].to_list() == [False, True, False]
    assert [shown_count(v) for v in out["count"]] == ["0", "<5", "12"]
    assert shown_count(1234) == "1.234"
