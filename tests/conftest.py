"""Shared fixtures and helpers: synthetic exports, the sample audit, a CLI runner that returns exit code and
output, a child process's environment, and what a browser or a spreadsheet makes of an output."""

from __future__ import annotations

import functools
import json
import os
import shutil
import tempfile
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import factory
import pytest
from click.testing import CliRunner

from endorse_audit.audit import audit
from endorse_audit.cli.commands import cli
from endorse_audit.config import load_config
from endorse_audit.model import Audit
from endorse_audit.reading.export import load

ROOT = Path(__file__).resolve().parent.parent
SAMPLE_ZIP = ROOT / "sample_data" / "Basic_LinkedInDataExport_11-20-2026.zip"
SAMPLE_CONFIG = ROOT / "sample_data" / "endorse-audit.toml"
# What a spreadsheet takes for the start of a formula: no CSV cell may begin with one.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


class PageText(HTMLParser):
    """What a browser builds from an HTML page: its text, and every tag and attribute (value "" if none)."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.parts: list[str] = []
        self.tags: list[str] = []
        self.attributes: list[tuple[str, str]] = []
        self.feed(html)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attributes += [(name, value or "") for name, value in attrs]

    def handle_data(self, data: str) -> None:
        self.parts.append(data)

    @property
    def text(self) -> str:
        return "".join(self.parts)

    @property
    def hrefs(self) -> list[str]:
        return [value for name, value in self.attributes if name == "href"]


def child_env(home: Path) -> dict[str, str]:
    """Return the environment to run the installed program in a child process, as a user whose home is `home`.

    No PYTHONPATH (the installed package is used, not the source tree) and no XDG folders (the config and
    the history are looked for under `home`, never in the real ones nor in this process's test folder).
    """
    dropped = ("PYTHONPATH", "XDG_CONFIG_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME")
    env = {k: v for k, v in os.environ.items() if k not in dropped}
    env["HOME"] = str(home)
    return env


@dataclass
class Run:
    """What one CLI run did."""

    exit_code: int
    stdout: str
    stderr: str
    folder: Path

    def json(self, name: str = "audit.json") -> Any:
        """Return a JSON output the run wrote, after checking it against the shipped JSON Schema."""
        document = json.loads((self.folder / name).read_text(encoding="utf-8"))
        assert_matches_schema(document)
        return document


def assert_matches_schema(document: Any) -> None:
    """Check a JSON output against the contract it claims: the several-exports one or the single one."""
    from jsonschema import Draft202012Validator

    from endorse_audit.report.schema import load_schema

    Draft202012Validator(load_schema("batch" if "exports" in document else "audit")).validate(document)


@pytest.fixture(autouse=True)
def _private_state(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Keep every test's run history (the XDG state folder) under tmp, never in the real one, and run
    every test in English whatever the machine's locale (a test that wants another language sets it)."""
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    for variable in ("LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(variable, raising=False)


def pytest_configure(config: pytest.Config) -> None:
    """Keep the alias table's cache (the XDG cache folder) in a temporary folder for the whole session,
    never in the real one: test modules build alias tables when they are collected, before any fixture."""
    folder = tempfile.mkdtemp(prefix="endorse-audit-cache-")
    config.add_cleanup(lambda: shutil.rmtree(folder, ignore_errors=True))
    config.add_cleanup(functools.partial(_restore, "XDG_CACHE_HOME", os.environ.get("XDG_CACHE_HOME")))
    os.environ["XDG_CACHE_HOME"] = folder


def _restore(name: str, value: str | None) -> None:
    if value is None:
        os.environ.pop(name, None)
    else:
        os.environ[name] = value


@pytest.fixture(scope="session")
def sample_audit() -> Audit:
    """The sample export audited with its config, once per session: do not change it."""
    return audit(load(SAMPLE_ZIP), load_config(SAMPLE_CONFIG))


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
