"""The everyday command line without surprises: config, platform folders, contradictory options,
--open without a browser, --state as a folder, --forget asking first, re-downloads, plurals."""

from __future__ import annotations

import os
import sqlite3
import stat
import subprocess
import sys
import time
from pathlib import Path

import factory
import platformdirs
import pytest

from endorse_audit import config as config_module
from endorse_audit.history import database as history_db
from endorse_audit.reading.archive import choose_export


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--no-html", "--html", "r.html"), "--no-html and --html cannot be used together"),
        (("--exit-zero", "--fail-on", "new"), "--exit-zero and --fail-on cannot be used together"),
        (("--no-state", "--state", "h.sqlite3"), "--state and --no-state cannot be used together"),
    ],
)
def test_contradictory_options_are_one_line_naming_both(
    run, demo_zip: Path, args: tuple[str, ...], message: str
) -> None:  # type: ignore[no-untyped-def]
    result = run("audit", demo_zip, *args)
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == f"Error: {message} (see 'endorse-audit audit --help')\n"
    assert list(result.folder.iterdir()) == []  # nothing written


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        (["audit", "--jsn", "x"], "'--json', '--jobs' or '--csv'"),
        (["audit", "--htm", "r.html", "x"], "'--html' or '--no-html'"),
        (["audit", "--fial-on", "new", "x"], "'--fail-on'"),
    ],
)
def test_an_unknown_option_is_one_line_with_click_s_suggestion(run, typed: list[str], meant: str) -> None:  # type: ignore[no-untyped-def]
    result = run(*typed)
    assert result.exit_code == 2
    assert result.stderr == (
        f"Error: No such option '{typed[1]}'. Did you mean {meant}? (see 'endorse-audit audit --help')\n"
    )


def test_a_mistyped_option_of_the_group_is_one_line_with_the_suggestion(tmp_path: Path) -> None:
    """Through main(), as the installed program runs: the group's own options are parsed before any command."""
    from conftest import child_env

    ran = subprocess.run(
        [sys.executable, "-m", "endorse_audit", "--verison"],
        capture_output=True,
        text=True,
        env=child_env(tmp_path),
        check=False,
    )
    assert (ran.returncode, ran.stdout) == (2, "")
    assert ran.stderr == "Error: No such option '--verison'. Did you mean '--version'? (see 'endorse-audit --help')\n"


def test_open_without_a_browser_says_so(run, demo_zip: Path, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    import webbrowser

    monkeypatch.setattr(webbrowser, "open", lambda uri: False)
    result = run("audit", demo_zip, "--open", "--no-state")
    assert result.exit_code == 1
    report = (result.folder / "endorse-audit-report.html").resolve().as_uri()
    assert result.stderr == f"endorse-audit: no browser could be started; open the report yourself: {report}\n"


@pytest.mark.parametrize("spelling", ["trailing slash", "existing folder"])
def test_state_naming_a_folder_keeps_the_history_in_it(run, demo_zip: Path, tmp_path: Path, spelling: str) -> None:  # type: ignore[no-untyped-def]
    folder = tmp_path / "mine"
    if spelling == "existing folder":
        folder.mkdir()
    state = str(folder) + ("/" if spelling == "trailing slash" else "")
    assert run("audit", demo_zip, "--state", state).exit_code == 1
    assert (folder / "history.sqlite3").is_file()
    if spelling == "trailing slash":
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert "1 run in" in run("history", "--state", state).stdout


def test_forget_asks_and_removes_the_lock(run, demo_zip: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    state = tmp_path / "h" / "history.sqlite3"
    run("audit", demo_zip, "--state", state)
    refused = run("history", "--state", state, "--forget")  # no terminal to ask
    assert refused.exit_code == 2
    assert "add --yes to confirm" in refused.stderr
    assert state.exists()
    forgot = run("history", "--state", state, "--forget", "--yes")
    assert forgot.stdout == f"Forgot 1 run: deleted {state}\n"
    assert sorted(p.name for p in state.parent.iterdir()) == []  # the lock file is gone too


def test_forget_asks_on_a_terminal(demo_zip: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from click.testing import CliRunner

    from endorse_audit.cli.commands import cli

    state = tmp_path / "history.sqlite3"
    CliRunner().invoke(cli, ["audit", str(demo_zip), "--state", str(state), "--no-html"])
    runner = CliRunner()
    monkeypatch.setattr("endorse_audit.cli.setup_commands._stdin_is_terminal", lambda: True)
    kept = runner.invoke(cli, ["history", "--state", str(state), "--forget"], input="n\n")
    assert (kept.exit_code, kept.stderr) == (0, "")
    assert kept.stdout == f"Delete the history at {state}? [y/N]: n\nNothing deleted.\n"
    assert state.exists()
    gone = runner.invoke(cli, ["history", "--state", str(state), "--forget"], input="y\n")
    assert gone.exit_code == 0 and not state.exists()


def test_config_says_what_is_in_effect_and_init_writes_a_template(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    shown = run("config")
    assert shown.exit_code == 0
    user = Path(platformdirs.user_config_path("endorse-audit", appauthor=False)) / "config.toml"
    assert shown.stdout.splitlines() == [
        "in effect: none: the defaults",
        "language: en (English, from the default; --lang on audit chooses another)",
        "looked for, in order:",
        f"  {Path.cwd() / 'endorse-audit.toml'} (none)",
        f"  {user} (none)",
        f"user config file: {user}",
        f"history: {history_db.default_path()}",
    ]
    assert run("config", "--init").stdout == (f"Wrote a commented template to {user}; edit it to change the settings\n")
    assert config_module.load_config(user) == config_module.Config()  # every line commented out
    again = run("config", "--init")
    assert again.exit_code == 2
    assert again.stderr == f"Error: {user}: already exists; edit it, or delete it first to start again\n"
    assert f"in effect: {user}" in run("config").stdout


def test_the_summary_names_the_config_used(run, demo_zip: Path) -> None:  # type: ignore[no-untyped-def]
    (Path.cwd() / "endorse-audit.toml").write_text('[skills]\nallow = ["Economics"]\n')
    result = run("audit", demo_zip, "--no-state")
    assert f"  config: {Path.cwd() / 'endorse-audit.toml'}\n" in result.stdout
    (Path.cwd() / "endorse-audit.toml").unlink()
    assert "  config:" not in run("audit", demo_zip, "--no-state").stdout  # the defaults: nothing to name


def test_a_missing_config_says_what_to_do(run, demo_zip: Path) -> None:  # type: ignore[no-untyped-def]
    result = run("audit", demo_zip, "--config", "missing.toml")
    assert result.stderr == (
        "Error: missing.toml: does not exist; check the path, or create one with the config command's --init\n"
    )


def test_a_redownload_beats_the_original(tmp_path: Path) -> None:
    original = factory.write_zip(factory.demo_spec(), tmp_path / "Basic_LinkedInDataExport_06-01-2024.zip")
    again = factory.write_zip(factory.demo_spec(), tmp_path / "Basic_LinkedInDataExport_06-01-2024 (1).zip")
    past = time.time() - 3600
    os.utime(original, (past, past))
    assert choose_export(tmp_path)[0] == again
    os.utime(again, (past - 60, past - 60))
    assert choose_export(tmp_path)[0] == original


def test_one_export_of_several_is_singular(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    exports = tmp_path / "exports"
    factory.write_zip(factory.demo_spec(), exports / "Basic_LinkedInDataExport_03-18-2024.zip")
    result = run("audit", "--all", exports, "--jobs", "1")
    assert "endorse-audit: 1 export audited\n" in result.stdout
    assert "  1 of 1 export has endorsements to hide" in result.stdout


@pytest.mark.parametrize(
    ("platform", "module", "state_end", "config_end"),
    [
        ("linux", "platformdirs.unix", ".local/state/endorse-audit", ".config/endorse-audit"),
        (
            "darwin",
            "platformdirs.macos",
            "Library/Application Support/endorse-audit",
            "Library/Application Support/endorse-audit",
        ),
    ],
)
def test_platform_folders(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, platform: str, module: str, state_end: str, config_end: str) -> None:  # fmt: skip
    import importlib

    monkeypatch.setenv("HOME", str(tmp_path))
    for name in ("XDG_STATE_HOME", "XDG_CONFIG_HOME"):
        monkeypatch.delenv(name, raising=False)
    implementation = importlib.import_module(module)
    cls = next(getattr(implementation, n) for n in ("Unix", "MacOS") if hasattr(implementation, n))
    monkeypatch.setattr(platformdirs, "PlatformDirs", cls)
    monkeypatch.setattr(platformdirs, "user_state_path", lambda *a, **k: cls(*a, **k).user_state_path)
    monkeypatch.setattr(platformdirs, "user_config_path", lambda *a, **k: cls(*a, **k).user_config_path)
    assert str(history_db.default_path()) == str(tmp_path / state_end / "history.sqlite3")
    assert str(config_module.user_config_path()) == str(tmp_path / config_end / "config.toml")


def test_xdg_state_home_is_honoured_on_linux(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    if not sys.platform.startswith("linux"):
        pytest.skip("XDG folders are Linux's")
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "xdg"))
    assert history_db.default_path() == tmp_path / "xdg" / "endorse-audit" / "history.sqlite3"


def test_the_history_lock_is_filelock_and_owner_only(run, demo_zip: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    state = tmp_path / "h" / "history.sqlite3"
    run("audit", demo_zip, "--state", state)
    lock = state.with_name("history.sqlite3.lock")
    assert stat.S_IMODE(lock.stat().st_mode) == 0o600
    assert sqlite3.connect(state).execute("select count(*) from runs").fetchone() == (1,)


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_shell_completion_as_the_docs_document_it(shell: str) -> None:
    from click.testing import CliRunner

    from endorse_audit.cli.commands import cli

    usage = (Path(__file__).resolve().parent.parent / "docs" / "usage.md").read_text(encoding="utf-8")
    assert f"_ENDORSE_AUDIT_COMPLETE={shell}_source endorse-audit" in usage
    script = CliRunner().invoke(cli, [], prog_name="endorse-audit", env={"_ENDORSE_AUDIT_COMPLETE": f"{shell}_source"})
    assert script.exit_code == 0
    assert "_ENDORSE_AUDIT_COMPLETE" in script.output  # the script calls the program back for its words
    words = CliRunner().invoke(
        cli,
        [],
        prog_name="endorse-audit",
        env={"_ENDORSE_AUDIT_COMPLETE": f"{shell}_complete", "COMP_WORDS": "endorse-audit sch", "COMP_CWORD": "1"},
    )
    if shell == "bash":
        assert "schedule" in words.output and "schema" in words.output
