"""The library under the command line, used as docs/library.md shows it."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from conftest import ROOT, SAMPLE_ZIP

import endorse_audit


def _library_example() -> str:
    page = (ROOT / "docs" / "library.md").read_text(encoding="utf-8")
    found = re.search(r"```python\n(.*?)```", page, re.DOTALL)
    assert found is not None
    return found.group(1)


def test_the_library_example_runs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.chdir(tmp_path)
    code = _library_example().replace('"Basic_LinkedInDataExport_11-20-2026.zip"', repr(str(SAMPLE_ZIP)))
    exec(compile(code, "docs/library.md", "exec"), {})
    printed = capsys.readouterr().out
    assert printed.startswith("20 [")  # without its config the sample has 20 endorsements to hide
    assert "Consulting" in printed
    assert json.loads((tmp_path / "audit.json").read_text(encoding="utf-8"))["summary"]["to_hide"] == 20
    assert "<!DOCTYPE html>" in (tmp_path / "report.html").read_text(encoding="utf-8")[:200]


def test_the_public_names_are_all_importable() -> None:
    for name in endorse_audit.__all__:
        assert getattr(endorse_audit, name) is not None, name
    with pytest.raises(AttributeError):
        endorse_audit.no_such_name  # noqa: B018


def test_a_missing_export_is_a_library_error(tmp_path: Path) -> None:
    with pytest.raises(endorse_audit.EndorseAuditError, match="does not exist"):
        endorse_audit.audit_path(tmp_path / "missing.zip")
