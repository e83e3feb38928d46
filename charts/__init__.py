"""Altair chart builders, the shared theme, and the vl-convert export."""
