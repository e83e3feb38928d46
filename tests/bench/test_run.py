"""A tiny-scale run of ``python -m bench.run --json`` writes the shape docs/BENCHMARKS.md
documents: per scale ``comparisons`` (paired medians, equal answers asserted), ``pages`` and
``pack_ms``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bench import run


def test_paired_rounds_shuffle_and_ratio_is_the_median_of_per_round_ratios() -> None:
    calls: list[str] = []
    fns = {name: (lambda name=name: calls.append(name)) for name in ("a", "b", "c")}
    samples = run.paired(fns, 6, run.random.Random(1))
    assert {k: len(v) for k, v in samples.items()} == {"a": 6, "b": 6, "c": 6}
    rounds = [tuple(calls[i : i + 3]) for i in range(3, len(calls), 3)]  # after the warm-up round
    assert all(sorted(r) == ["a", "b", "c"] for r in rounds) and len(set(rounds)) > 1
    assert run.paired_ratio([1.0, 4.0, 9.0], [1.0, 2.0, 1.0]) == 2.0  # not 14 / 4


def test_scale_names() -> None:
    assert run.scale_inquiries("20k") == 20_000
    assert run.scale_inquiries("5m") == 5_000_000
    with pytest.raises(SystemExit):
        run.scale_inquiries("huge")


@pytest.mark.slow
def test_tiny_run_writes_the_documented_json(tmp_path: Path) -> None:
    out = tmp_path / "bench.json"
    assert (
        run.main(
            [
                "--scale",
                "5k",
                "--runs",
                "1",
                "--page-runs",
                "1",
                "--data-dir",
                str(tmp_path),
                "--json",
                str(out),
            ]
        )
        == 0
    )
    payload = json.loads(out.read_text(encoding="utf-8"))
    assert {"load_average_before", "load_average_after", "scales", "targets"} <= set(payload)
    (scale,) = payload["scales"]
    assert scale["scale"] == "5k" and scale["rows"]["inquiry"] == 5_000
    names = [c["name"] for c in scale["comparisons"]]
    assert (
        "key figures (4 figures, 2 periods)" in names
        and "breakdown by main theme (complaint points)" in names
    )
    for c in scale["comparisons"]:
        assert set(c) == {"name", "ours_ms", "raw_ms", "pandas_ms", "ratio_raw", "ratio_pandas"}
        assert all(c[k] > 0 for k in ("ours_ms", "raw_ms", "pandas_ms", "ratio_raw", "ratio_pandas"))
    pages = {(p["page"], p["scope"]) for p in scale["pages"]}
    assert {("overblik", "one"), ("overblik", "all"), ("tendenser", "all")} <= pages
    assert all(p["rerun_ms"] > 0 and p["error"] is None for p in scale["pages"])
    assert scale["pack_ms"] > 0
