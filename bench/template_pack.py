"""The report pack built from a 15-item report template against the standard pack, paired.

    python -m bench.template_pack [--runs 3] [--db PATH] [--cli]

Builds the sample database (or opens ``--db``), gives Hedensted a 15-item template (its own 14
items plus one more cross-table) and times, in turns in the same process, the template pack and
the standard pack of Hedensted 2024: wall time of ``build_pack`` and its phases, median of the runs.
With ``--cli`` it then times the command line (``python -m report_pack``, a fresh process each
time, as a user runs it) in shuffled turns: the 15-item template pack of Hedensted 2024 and the
standard pack of Haderslev 2024, wall and CPU seconds (CPU of the process and its chart-drawing
helper; on a shared machine the CPU time says what the wall time would be with the cores free).
The load average is printed before and after. Results go in docs/BENCHMARKS.md.
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

from data_model.db import connect
from data_model.seed import load_sample_data
from queries.crosstab import CrossSpec
from report_pack.build import build_pack
from report_pack.template import crosstab_item, load_template, save_template

TODAY = date(2026, 11, 24)
MUNICIPALITY, PERIOD = "766", "766-2024"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.template_pack")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--db", type=Path)
    parser.add_argument("--cli", action="store_true", help="also time python -m report_pack")
    args = parser.parse_args(argv)
    print(f"load average (1 min) at the start: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    with tempfile.TemporaryDirectory() as scratch:
        path = args.db or Path(scratch) / "sample.duckdb"
        con = connect(path)
        if args.db is None:
            load_sample_data(con, today=TODAY)
        template = load_template(con, MUNICIPALITY)[:14]
        template.append(
            crosstab_item(CrossSpec(rows="channel", columns="kind"), "Henvendelser pr. kanal og type")
        )
        save_template(con, MUNICIPALITY, template, "benchmark")
        build_pack(con, MUNICIPALITY, PERIOD, Path(scratch) / "warm", today=TODAY)  # vl-convert start-up
        results: dict[str, list[float]] = {"template": [], "standard": []}
        phases: dict[str, dict[str, list[float]]] = {"template": {}, "standard": {}}
        files: dict[str, int] = {}
        for run in range(args.runs):
            for name in ("template", "standard"):
                started = time.perf_counter()
                result = build_pack(
                    con,
                    MUNICIPALITY,
                    PERIOD,
                    Path(scratch) / f"{name}-{run}",
                    today=TODAY,
                    use_template=name == "template",
                )
                results[name].append(time.perf_counter() - started)
                files[name] = len(result.files)
                for phase, seconds in result.timings.items():
                    phases[name].setdefault(phase, []).append(seconds)
        con.close()
        if args.cli:
            time_cli(path, Path(scratch), args.runs)
    load = os.getloadavg()[0]
    print(f"load average (1 min) at the end: {load:.1f} on {os.cpu_count()} CPUs")
    for name, seconds in results.items():
        split = ", ".join(f"{p} {statistics.median(v):.1f} s" for p, v in phases[name].items())
        print(
            f"{name} pack ({len(template) if name == 'template' else 'standard'} items, {files[name]} files): "
            f"median {statistics.median(seconds):.1f} s, min {min(seconds):.1f} s ({split})"
        )


CLI_PACKS = {
    "template pack, Hedensted 2024 (15 items)": ["--municipality", MUNICIPALITY, "--period", PERIOD],
    "standard pack, Haderslev 2024": ["--municipality", "510", "--period", "510-2024", "--standard"],
}


def time_cli(db: Path, scratch: Path, runs: int) -> None:
    """``python -m report_pack`` in a fresh process per run, the packs in shuffled turns."""
    walls: dict[str, list[float]] = {name: [] for name in CLI_PACKS}
    cpus: dict[str, list[float]] = {name: [] for name in CLI_PACKS}
    for run in range(runs):
        order = list(CLI_PACKS)
        random.shuffle(order)
        for name in order:
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            started = time.perf_counter()
            out = scratch / f"cli-{run}-{len(walls[name])}"
            subprocess.run(
                [
                    sys.executable,
                    "-m",
                    "report_pack",
                    *CLI_PACKS[name],
                    "--db",
                    str(db),
                    "--today",
                    TODAY.isoformat(),
                    "--out",
                    str(out),
                ],
                check=True,
                capture_output=True,
            )
            walls[name].append(time.perf_counter() - started)
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpus[name].append(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime)
    for name in CLI_PACKS:
        print(
            f"command line, {name}: median {statistics.median(walls[name]):.1f} s wall "
            f"(min {min(walls[name]):.1f} s), {statistics.median(cpus[name]):.1f} s CPU"
        )


if __name__ == "__main__":
    main()
