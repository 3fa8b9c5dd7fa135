"""Shared fixtures: synthetic exports and a CLI runner that returns exit code and output."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import factory
import pytest
from click.testing import CliRunner

from endorse_audit.cli import cli

ROOT = Path(__file__).resolve().parent.parent
SAMPLE_ZIP = ROOT / "sample_data" / "Basic_LinkedInDataExport_11-20-2026.zip"
SAMPLE_CONFIG = ROOT / "sample_data" / "endorse-audit.toml"


@dataclass
class Run:
    """What one CLI run did."""

    exit_code: int
    stdout: str
    stderr: str
    folder: Path

    def json(self, name: str = "audit.json") -> Any:
        return json.loads((self.folder / name).read_text(encoding="utf-8"))


@pytest.fixture(autouse=True)
def _private_state(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Keep every test's run history (the XDG state folder) under tmp, never in the real one."""
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))


@pytest.fixture
def demo_zip(tmp_path: Path) -> Path:
    return factory.write_zip(factory.demo_spec(), tmp_path / "Basic_LinkedInDataExport_03-18-2024.zip")


@pytest.fixture
def run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    """Run `endorse-audit ARGS` in an empty working folder with no user config."""
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    monkeypatch.setenv("HOME", str(tmp_path / "home"))

    def invoke(*args: str | Path) -> Run:
        result = CliRunner().invoke(cli, [str(a) for a in args], prog_name="endorse-audit", catch_exceptions=False)
        return Run(result.exit_code, result.stdout, result.stderr, work)

    return invoke
