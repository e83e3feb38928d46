"""Vega-Lite schema checks for specs drawn without Altair's validation (pages and the pack skip it
for speed; the tests check every spec they draw instead)."""

from __future__ import annotations

import functools
from typing import Any

import jsonschema
from altair.utils.schemapi import validate_jsonschema
from altair.vegalite.v6.schema.core import load_schema


def _few_rows(node: Any) -> Any:
    """The spec with every inline data set cut to two rows: the schema check is about the chart's
    structure, and validating thousands of data rows one by one takes seconds."""
    if isinstance(node, dict):
        return {
            k: {n: v[:2] for n, v in value.items()}
            if k == "datasets"
            else value[:2]
            if k == "values" and isinstance(value, list)
            else _few_rows(value)
            for k, value in node.items()
        }
    if isinstance(node, list):
        return [_few_rows(v) for v in node]
    return node


@functools.cache
def _validator() -> jsonschema.Draft7Validator:
    """One validator for the session: it resolves the schema's references once, not per spec."""
    return jsonschema.Draft7Validator(load_schema())


def assert_valid_vega_lite(spec: dict[str, Any], what: str) -> None:
    few = _few_rows(spec)
    if next(_validator().iter_errors(few), None) is not None:
        # Altair's own check, for its readable message of what is wrong
        error = validate_jsonschema(few, load_schema(), raise_error=False)
        raise AssertionError(f"{what}: {error}")
