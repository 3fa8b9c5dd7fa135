"""The shipped JSON Schemas describe every document the program writes, field for field."""

from __future__ import annotations

import copy
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import factory
import pytest
from conftest import SAMPLE_CONFIG, SAMPLE_ZIP
from jsonschema import Draft202012Validator, ValidationError

from endorse_audit.report.schema import NAMES, load_schema, schema_text


def _closed(schema: Any) -> Any:
    """Return the schema with no other property allowed anywhere: the shipped one allows them (fields are
    only ever added), the tests do not, so that a field the code writes and the schema lacks is caught."""
    if isinstance(schema, dict):
        closed = {key: _closed(value) for key, value in schema.items()}
        if "properties" in schema:
            closed["additionalProperties"] = False
        return closed
    if isinstance(schema, list):
        return [_closed(item) for item in schema]
    return schema


def _validate(document: Any, name: str = "audit") -> None:
    schema = _closed(load_schema(name))
    Draft202012Validator.check_schema(schema)
    Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER).validate(document)


def test_the_schemas_are_valid_draft_2020_12_and_the_batch_one_embeds_the_single_one() -> None:
    for name in NAMES:
        schema = load_schema(name)
        assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
        Draft202012Validator.check_schema(schema)
        assert json.loads(schema_text(name)) == schema
    single = load_schema("audit")
    del single["$schema"]
    assert load_schema("batch")["$defs"]["export"] == single
    with pytest.raises(ValueError, match="no schema named 'nope'; the schemas are audit, batch"):
        schema_text("nope")


def test_the_sample_s_json(run) -> None:  # type: ignore[no-untyped-def]
    result = run("audit", SAMPLE_ZIP.parent, "--config", SAMPLE_CONFIG, "--no-state", "--json", "audit.json")
    assert result.exit_code == 1, result.stderr
    document = result.json()
    assert document["given"] is not None and document["invitations"] is not None
    assert document["profile"]["endorsers_not_connections"] is not None
    _validate(document)


def _bare_spec() -> factory.ExportSpec:
    """The demo export with only Skills.csv and Endorsement_Received_Info.csv."""
    spec = factory.demo_spec()
    spec.given = spec.connections = spec.invitations = spec.profile = spec.positions = None
    return spec


@pytest.mark.parametrize("spec", [factory.demo_spec, _bare_spec], ids=["every-file", "only-required-files"])
def test_a_factory_export_s_json_with_and_without_history(run, tmp_path: Path, spec) -> None:  # type: ignore[no-untyped-def]
    export = factory.write_zip(spec(), tmp_path / "Basic_LinkedInDataExport_03-18-2024.zip")
    without = run("audit", export, "--no-state", "--json", "none.json")
    assert without.exit_code == 1, without.stderr
    _validate(without.json("none.json"))
    for attempt in ("first.json", "again.json"):  # a first run, then one with the export seen before
        with_state = run("audit", export, "--state", tmp_path / "history.sqlite3", "--json", attempt)
        assert with_state.exit_code == 1, with_state.stderr
        _validate(with_state.json(attempt))
    again = with_state.json("again.json")
    assert again["summary"]["new_to_hide"] == 0 and not any(row["new"] for row in again["endorsements"])
    if spec is _bare_spec:
        document = without.json("none.json")
        assert document["given"] is None and document["invitations"] is None
        assert document["profile"]["stranger_only_skills"] is None
        assert document["profile"]["hidden_connections"] is None


def test_an_export_without_a_date_or_member_name(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    export = factory.write_zip(_bare_spec(), tmp_path / "my export.zip")
    result = run("audit", export, "--no-state", "--json", "audit.json")
    document = result.json()
    assert document["export"]["date"] is None and document["export"]["member"] is None
    _validate(document)


def test_the_batch_audit_json(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    good = factory.write_zip(factory.demo_spec(), tmp_path / "Basic_LinkedInDataExport_03-18-2024.zip")
    bare = factory.write_zip(_bare_spec(), tmp_path / "bare.zip")
    broken = tmp_path / "broken.zip"
    broken.write_bytes(b"not a zip")
    result = run("audit", good, bare, broken, "--out-dir", tmp_path / "out", "--jobs", "1", "--no-html")
    assert result.exit_code == 1, result.stderr
    document = json.loads((tmp_path / "out" / "audit.json").read_text(encoding="utf-8"))
    assert len(document["exports"]) == 2 and len(document["errors"]) == 1
    _validate(document, "batch")


def _wrong(document: dict[str, Any], change: str) -> dict[str, Any]:
    wrong = copy.deepcopy(document)
    if change == "summary count as text":
        wrong["summary"]["to_hide"] = "18"
    elif change == "no export hash":
        del wrong["export"]["sha256"]
    elif change == "unknown verdict":
        wrong["skills"][0]["verdict"] = "hidden"
    elif change == "profile link copied from elsewhere":
        wrong["endorsements"][0]["profile_url"] = "https://evil.example/in/x"
    elif change == "share over 1":
        wrong["invitations"]["incoming_without_note_share"] = 1.5
    elif change == "another schema":
        wrong["schema"] = "endorse-audit/2"
    elif change == "a field the schema lacks":
        wrong["summary"]["surprise"] = 1
    return wrong


CHANGES = [
    "summary count as text",
    "no export hash",
    "unknown verdict",
    "profile link copied from elsewhere",
    "share over 1",
    "another schema",
    "a field the schema lacks",
]


def test_a_wrong_document_fails(run) -> None:  # type: ignore[no-untyped-def]
    """The schema is not so loose that anything passes: each of these changes is caught."""
    result = run("audit", SAMPLE_ZIP.parent, "--config", SAMPLE_CONFIG, "--no-state", "--json", "audit.json")
    document = result.json()
    _validate(document)
    for change in CHANGES:
        with pytest.raises(ValidationError):
            _validate(_wrong(document, change))
    with pytest.raises(ValidationError):
        _validate(
            {"schema": "endorse-audit/1", "generator": "endorse-audit 0", "exports": [document, {}], "errors": []},
            "batch",
        )
    # The shipped schema itself allows added fields (the contract only ever adds), but nothing else.
    Draft202012Validator(load_schema("audit")).validate(_wrong(document, "a field the schema lacks"))
    with pytest.raises(ValidationError):
        Draft202012Validator(load_schema("audit")).validate(_wrong(document, "unknown verdict"))


def test_the_installed_package_ships_the_schemas(tmp_path: Path) -> None:
    """Loaded by a separate process from an empty folder: the installed package's own files (in CI, a wheel's)."""
    code = "from endorse_audit.report.schema import load_schema; print(load_schema('audit')['$id'], load_schema('batch')['$id'])"
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    done = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout == "urn:endorse-audit:schema:audit:1 urn:endorse-audit:schema:batch:1\n"


def test_the_schema_command_prints_them(run) -> None:  # type: ignore[no-untyped-def]
    single, several = run("schema"), run("schema", "--batch")
    assert (single.exit_code, several.exit_code) == (0, 0)
    assert single.stdout == schema_text("audit") and several.stdout == schema_text("batch")
    assert "  endorse-audit schema > audit.schema.json\n" in run("schema", "-h").stdout
    assert "schema    Print the JSON Schema" in run("--help").stdout
