"""What a run never does to the files around it: write over the history, a device or a link's target,
leave folders or files others can read, blame an export for a full disk, leave a killed run's leftovers."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import factory
import pytest

from endorse_audit.cli.commands import DEFAULT_HTML

HISTORY_LINK = (
    "is a symbolic link; the history is never opened through a link: give the real file, or choose another"
    " place for the history (--state PATH, or --no-state)"
)


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_a_dangling_history_link_is_refused_and_nothing_is_created_at_its_target(
    run, demo_zip: Path, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "h").mkdir(mode=0o700)
    state = tmp_path / "h" / "history.sqlite3"
    target = tmp_path / "elsewhere.sqlite3"
    state.symlink_to(target)
    result = run("audit", demo_zip, "--state", state)
    assert (result.exit_code, result.stderr) == (2, f"Error: {state}: {HISTORY_LINK}\n")
    assert not target.exists()


def test_a_history_link_to_an_existing_file_leaves_that_file_alone(run, demo_zip: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "h").mkdir(mode=0o700)
    state = tmp_path / "h" / "history.sqlite3"
    target = tmp_path / "notes.txt"
    target.write_bytes(b"")
    target.chmod(0o644)
    state.symlink_to(target)
    for args in (("audit", demo_zip, "--state", state), ("history", "--state", state)):
        result = run(*args)
        assert (result.exit_code, result.stderr) == (2, f"Error: {state}: {HISTORY_LINK}\n")
    assert target.read_bytes() == b"" and _mode(target) == 0o644


def test_a_lock_link_is_refused(run, demo_zip: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "h").mkdir(mode=0o700)
    state = tmp_path / "h" / "history.sqlite3"
    lock = tmp_path / "h" / "history.sqlite3.lock"
    target = tmp_path / "planted"
    lock.symlink_to(target)
    result = run("audit", demo_zip, "--state", state)
    assert (result.exit_code, result.stderr) == (2, f"Error: {lock}: {HISTORY_LINK}\n")
    assert not target.exists() and not state.exists()


def test_a_state_folder_others_can_write_gets_one_warning(run, demo_zip: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    folder = tmp_path / "shared"
    folder.mkdir()
    folder.chmod(0o777)
    result = run("audit", demo_zip, "--state", folder / "history.sqlite3", "-q")
    assert result.exit_code == 1
    warning = (
        f"Warning: {folder}: other users can write to this folder, which holds the history; make it yours alone"
        " (chmod go-w)"
    )
    assert result.stderr.splitlines() == [warning]
    assert (folder / "history.sqlite3").exists()  # a warning, not an error: the run was recorded
    folder.chmod(0o700)
    assert run("audit", demo_zip, "--state", folder / "history.sqlite3", "-q").stderr == ""


@pytest.fixture
def open_umask():  # type: ignore[no-untyped-def]
    """Run the test under umask 000, as a careless shell or service might: every new file 0666, folder 0777."""
    previous = os.umask(0)
    yield
    os.umask(previous)


def _modes_below(top: Path) -> dict[str, int]:
    return {str(path.relative_to(top)): _mode(path) for path in sorted(top.rglob("*"))}


@pytest.mark.usefixtures("open_umask")
def test_config_init_is_owner_only_under_umask_000(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    result = run("config", "--init")
    assert result.exit_code == 0, result.stderr
    assert _modes_below(tmp_path / "xdg") == {"endorse-audit": 0o700, "endorse-audit/config.toml": 0o600}
    assert _mode(tmp_path / "xdg") == 0o700  # a missing parent is made owner-only too


@pytest.mark.usefixtures("open_umask")
def test_outputs_and_their_folders_are_owner_only_under_umask_000(run, demo_zip: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    other = factory.write_zip(factory.demo_spec(), tmp_path / "Basic_LinkedInDataExport_03-19-2024.zip")
    result = run("audit", demo_zip, other, "--out-dir", "reports/march", "-j", "1")
    assert result.exit_code == 1, result.stderr
    assert set(_modes_below(Path.cwd()).values()) == {0o600, 0o700}
    assert _mode(Path.cwd() / "reports" / "march") == 0o700
    assert _mode(Path.cwd() / "reports") == 0o700
    single = run("audit", demo_zip, "--state", tmp_path / "new" / "history.sqlite3", "--json", "a.json")
    assert single.exit_code == 1, single.stderr
    assert _mode(Path.cwd() / "a.json") == _mode(Path.cwd() / DEFAULT_HTML) == 0o600
    assert _modes_below(tmp_path / "new") == {"history.sqlite3": 0o600, "history.sqlite3.lock": 0o600}
    assert _mode(tmp_path / "new") == 0o700


@pytest.mark.usefixtures("open_umask")
def test_schedule_files_are_owner_only_under_umask_000(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from endorse_audit import schedule

    monkeypatch.setenv("PATH", str(tmp_path / "empty"))  # no systemctl: only the files are written
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    built = schedule.build(
        "systemd",
        tmp_path,
        every="weekly",
        at="08:00",
        html=tmp_path / "reports" / "report.html",
        state=tmp_path / "state" / "history.sqlite3",
        config=None,
        executable=["/e"],
    )
    schedule.install(built)
    assert _modes_below(tmp_path / "xdg") == {
        "systemd": 0o700,
        "systemd/user": 0o700,
        "systemd/user/endorse-audit.service": 0o600,
        "systemd/user/endorse-audit.timer": 0o600,
    }
    assert _mode(tmp_path / "reports") == 0o700
