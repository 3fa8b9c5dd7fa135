"""The JSON contract as JSON Schema (draft 2020-12), shipped in the package: `audit` for the document
`--json` writes for one export, `batch` for the audit.json of several (which embeds `audit`)."""

from __future__ import annotations

import json
from importlib import resources
from typing import Any

NAMES = ("audit", "batch")


def schema_text(name: str) -> str:
    """Return the schema's file as text: `audit` or `batch`."""
    if name not in NAMES:
        raise ValueError(f"no schema named {name!r}; the schemas are {', '.join(NAMES)}")
    return (resources.files("endorse_audit") / "data" / f"{name}.schema.json").read_text(encoding="utf-8")


def load_schema(name: str) -> dict[str, Any]:
    """Return the schema as a dict: `audit` or `batch`."""
    loaded: dict[str, Any] = json.loads(schema_text(name))
    return loaded
