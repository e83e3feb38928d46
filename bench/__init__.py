"""Benchmark harness (not tests): national-scale data generation and query timings.

``python -m bench.national_data --out /tmp/national.duckdb`` builds the national database;
``python -m bench.run --scale both`` times every query behind the pages. See docs/BENCHMARKS.md.
"""
