"""What a run never does to the files around it: write over the history, a device or a link's target,
leave folders or files others can read, blame an export for a full disk, leave a killed run's leftovers."""

from __future__ import annotations

import errno
import os
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import factory
import pytest
from conftest import child_env

from endorse_audit import batch, workers
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


@pytest.mark.parametrize("flag", ["--json", "--html", "--csv", "--connections-csv"])
def test_an_output_naming_the_history_is_refused_before_any_work(
    run, demo_zip: Path, tmp_path: Path, flag: str
) -> None:  # type: ignore[no-untyped-def]
    state = tmp_path / "h" / "history.sqlite3"
    assert run("audit", demo_zip, "--state", state).exit_code == 1
    kept = state.read_bytes()
    (Path.cwd() / "link").symlink_to(state)
    os.link(state, Path.cwd() / "hard")
    missing = tmp_path / "no-such-export.zip"  # refused before the export is even looked at
    names = {
        state: "the endorse-audit history",
        os.path.relpath(state): "the endorse-audit history",
        Path.cwd() / "link": "the endorse-audit history",
        Path.cwd() / "hard": "the endorse-audit history",
        Path(f"{state}.lock"): "the history's lock",
    }
    for given, what in names.items():
        result = run("audit", missing, "--state", state, flag, given)
        assert (result.exit_code, result.stderr) == (2, f"Error: {given}: is {what}; choose another output path\n")
    folder = run("audit", missing, "--state", state.parent, flag, state)  # --state naming its folder
    assert folder.stderr == f"Error: {state}: is the endorse-audit history; choose another output path\n"
    assert state.read_bytes() == kept
    assert "1 run" in run("history", "--state", state).stdout


def test_a_link_to_standard_output_is_not_replaced(run, demo_zip: Path) -> None:  # type: ignore[no-untyped-def]
    if not Path("/proc/self/fd/1").exists():
        pytest.skip("no /proc: /dev/stdout is a device here, refused as such")
    stdout = Path.cwd() / "stdout"
    stdout.symlink_to("/proc/self/fd/1")  # as /dev/stdout is on Linux: a regular file when stdout is one
    result = run("audit", demo_zip, "--no-state", "--json", stdout)
    assert (result.exit_code, result.stderr) == (
        2,
        f"Error: {stdout}: is a symbolic link, so it was not replaced; give the path of the file itself, or -\n",
    )
    assert stdout.is_symlink() and os.readlink(stdout) == "/proc/self/fd/1"
    assert run("audit", demo_zip, "--no-state", "--no-html", "--json", "-").stdout.startswith("{")


def test_a_device_is_never_an_output(run, demo_zip: Path) -> None:  # type: ignore[no-untyped-def]
    result = run("audit", Path.cwd() / "missing.zip", "--no-state", "--json", os.devnull)
    assert (result.exit_code, result.stderr) == (
        2,
        f"Error: {os.devnull}: is not a regular file (a pipe or a device?), so it was not replaced; give a file"
        " name, or -\n",
    )
    assert Path(os.devnull).is_char_device()


def test_a_batch_never_replaces_a_link_in_its_folder(run, demo_zip: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    other = factory.write_zip(factory.demo_spec(), tmp_path / "Basic_LinkedInDataExport_03-19-2024.zip")
    reports = Path.cwd() / "reports"
    reports.mkdir()
    target = tmp_path / "precious.json"
    target.write_text("mine")
    (reports / "audit.json").symlink_to(target)
    result = run("audit", demo_zip, other, "--out-dir", reports, "-j", "1")
    assert (result.exit_code, result.stderr) == (
        2,
        f"Error: {reports / 'audit.json'}: is a symbolic link, so it was not replaced; give the path of the file"
        " itself, or -\n",
    )
    assert target.read_text() == "mine" and sorted(p.name for p in reports.iterdir()) == ["audit.json"]


def test_a_long_file_name_is_written_and_a_too_long_one_is_refused_in_words(run, demo_zip: Path) -> None:  # type: ignore[no-untyped-def]
    longest = "r" * 250 + ".json"  # 255 bytes: the most a Linux file name can be
    result = run("audit", demo_zip, "--no-state", "--json", longest)
    assert result.exit_code == 1, result.stderr
    assert sorted(p.name for p in Path.cwd().iterdir()) == sorted([DEFAULT_HTML, longest])  # no temporary left
    too_long = "r" * 256
    result = run("audit", demo_zip, "--no-state", "--json", too_long)
    assert (result.exit_code, result.stderr) == (
        2,
        f"Error: {too_long}: is too long a path (File name too long); choose a shorter name or path\n",
    )
    deep = Path(*["folder"] * 700, "a.json")  # longer than PATH_MAX (4096)
    result = run("audit", demo_zip, "--no-state", "--json", deep)
    assert (result.exit_code, result.stderr) == (
        2,
        f"Error: {str(deep)[:999]}…: is too long a path (File name too long); choose a shorter name or path\n",
    )


class _FullDisk:
    """A file on a full disk: opening works, writing does not."""

    def __init__(self, stream: Any) -> None:
        self.stream = stream

    def __enter__(self) -> _FullDisk:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stream.close()

    def write(self, data: bytes) -> int:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


def _open_on_a_full_disk(file: Any, mode: str = "r", *args: Any, **kwargs: Any) -> Any:
    stream = open(file, mode, *args, **kwargs)  # noqa: SIM115  # closed by the caller
    return stream if "r" in mode else _FullDisk(stream)


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_full_disk_in_a_batch_is_one_error_for_the_run_not_blame_for_each_export(
    run, demo_zip: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, jobs: str
) -> None:  # type: ignore[no-untyped-def]
    other = factory.write_zip(factory.demo_spec(), tmp_path / "Basic_LinkedInDataExport_03-19-2024.zip")
    reports = Path.cwd() / "reports"
    reports.mkdir()
    (reports / "audit.json").write_text("earlier")
    monkeypatch.setattr(batch, "open", _open_on_a_full_disk, raising=False)  # batch.py's own files only
    result = run("audit", demo_zip, other, "--out-dir", "reports", "-j", jobs)
    assert (result.exit_code, result.stderr) == (
        2,
        "Error: reports: cannot be written (No space left on device); free some disk space or write to another"
        " disk; earlier outputs were kept\n",
    )
    assert [p.name for p in reports.iterdir()] == ["audit.json"]  # no staging folder left
    assert (reports / "audit.json").read_text() == "earlier"


def test_a_batch_sweeps_staging_folders_whose_run_is_gone(run, demo_zip: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    if os.name != "posix" or not Path("/proc/self/stat").exists():
        pytest.skip("process start times come from /proc (Linux)")
    gone = _exited_pid()
    started = workers._started(os.getpid())
    reports = Path.cwd() / "reports"
    leftovers = {
        f".endorse-audit-{gone}-{started}-killed": False,  # its process is gone
        f".endorse-audit-{os.getpid()}-1-reused": False,  # its id now belongs to a process started later
        f".endorse-audit-{os.getpid()}-{started}-running": True,  # a batch still running
        ".endorse-audit-older-version": True,  # an older version's name: kept until it is an hour old
        ".endorse-audit-older-version-stale": False,
    }
    for name in leftovers:
        (reports / name).mkdir(parents=True)
        (reports / name / "someone.html").write_text("other people's names")
    long_ago = time.time() - 2 * 3600
    os.utime(reports / ".endorse-audit-older-version-stale", (long_ago, long_ago))
    other = factory.write_zip(factory.demo_spec(), tmp_path / "Basic_LinkedInDataExport_03-19-2024.zip")
    assert run("audit", demo_zip, other, "--out-dir", reports, "-j", "1", "-q").exit_code == 1
    assert {name: (reports / name).exists() for name in leftovers} == leftovers


def _exited_pid() -> int:
    """Return the id of a process that has ended (and been waited for)."""
    child = subprocess.Popen(["true"])
    child.wait()
    return child.pid


def _alive(pid: int) -> bool:
    """Return whether a process runs (a zombie nobody reaped yet does not)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_bytes().rpartition(b")")[2].split()[0]
    except (OSError, IndexError):
        return False
    return state not in (b"Z", b"X")


def _batch(tmp_path: Path, exports: int) -> subprocess.Popen[bytes]:
    folder = tmp_path / "exports"
    for number in range(exports):
        factory.write_zip(factory.demo_spec(), folder / f"Basic_LinkedInDataExport_03-{number + 1:02d}-2024.zip")
    return subprocess.Popen(
        [sys.executable, "-m", "endorse_audit", "audit", "--all", str(folder), "--jobs", "2", "--out-dir", "out"],
        cwd=tmp_path,
        env=child_env(tmp_path),
        stdout=subprocess.DEVNULL,  # a worker left running would hold a pipe open
        stderr=subprocess.DEVNULL,
    )


@pytest.mark.slow
def test_a_batch_killed_outright_takes_its_workers_and_the_next_run_removes_its_staging(tmp_path: Path) -> None:
    if not sys.platform.startswith("linux"):
        pytest.skip("workers die with the main process on Linux only (PR_SET_PDEATHSIG)")
    child = _batch(tmp_path, 12)
    workers_seen: list[int] = []
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and child.poll() is None:
        found = subprocess.run(["pgrep", "-P", str(child.pid)], capture_output=True, text=True).stdout.split()
        workers_seen = [int(pid) for pid in found]
        staged = list((tmp_path / "out").glob(".endorse-audit-*/*.json"))
        if len(workers_seen) == 2 and staged:  # both workers busy, an export already staged
            break
        time.sleep(0.02)
    assert len(workers_seen) == 2 and child.poll() is None, "the batch did not get going"
    child.kill()
    child.wait(timeout=30)
    deadline = time.monotonic() + 10
    while any(map(_alive, workers_seen)) and time.monotonic() < deadline:
        time.sleep(0.05)
    left = [pid for pid in workers_seen if _alive(pid)]
    for pid in left:  # leave nothing running when the test fails
        os.kill(pid, signal.SIGKILL)
    assert not left  # not left auditing for nobody
    staging = list((tmp_path / "out").glob(".endorse-audit-*"))
    assert len(staging) == 1  # left by the killed run...
    again = subprocess.run(
        [sys.executable, "-m", "endorse_audit", "audit", str(tmp_path / "exports"), str(tmp_path / "exports"),
         "--out-dir", "out", "-q"],
        cwd=tmp_path, env=child_env(tmp_path), capture_output=True,
    )  # fmt: skip
    assert again.returncode == 1, again.stderr
    assert not staging[0].exists()  # ...and removed by the next one, at once
