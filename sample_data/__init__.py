"""Bundled sample data: transcribed report figures (reports/) and generated case-level records (generated/)."""
