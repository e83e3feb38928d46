"""Kept so that test files written before the fixtures moved still import: ``sample_path``,
``sample_db`` and ``sample_app`` now live in tests/conftest.py (one seeded sample database per
session, copied per module). Delete this file once no test imports it."""

__all__: list[str] = []
