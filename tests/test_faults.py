"""Damage and faults without a crash or a loss: a damaged history, a full disk, an unexpected error,
a terminal that cannot show a name, a killed worker, a stopped batch, leftovers of killed runs."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import factory
import pytest
from conftest import child_env

from endorse_audit import batch
from endorse_audit.cli import commands as cli
from endorse_audit.config import Config
from endorse_audit.history import store as history
from endorse_audit.run import report_time

EXPORT = "Basic_LinkedInDataExport_03-18-2024.zip"


def _damage(state: Path, sql: str) -> None:
    db = sqlite3.connect(state)
    db.execute(sql)
    db.commit()
    db.close()


@pytest.mark.parametrize(
    "damage",
    [
        "UPDATE runs SET first_audited = 'garbage', last_audited = 'garbage'",
        "UPDATE runs SET export_date = 'not a date', export_name = 42, export_hash = NULL",
        "UPDATE runs SET last_audited = '2024-03-18T10:00:00'",  # naive: no time zone
        "UPDATE runs SET headers = 'not json', to_hide = 'many', new = -3, export_date = NULL",
    ],
)
def test_a_history_with_bad_values_never_crashes(run, demo_zip: Path, tmp_path: Path, damage: str) -> None:  # type: ignore[no-untyped-def]
    state = tmp_path / "h" / "history.sqlite3"
    assert run("audit", demo_zip, "--state", state).exit_code == 1
    _damage(state, damage)
    again = run("audit", demo_zip, "--state", state, "--json", "a.json")
    assert again.exit_code == 1, again.stderr
    assert again.json("a.json")["summary"]["new_to_hide"] == 0  # the fingerprints are intact
    listed = run("history", "--state", state)
    assert listed.exit_code == 0, listed.stderr
    assert listed.stdout.splitlines()[-1].endswith(f" in {state}")  # every run listed, damaged ones too


def test_a_full_disk_while_creating_the_history_is_said_as_such(
    run, demo_zip: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    real_connect = sqlite3.connect

    class Full(sqlite3.Connection):
        def executescript(self, script: str) -> sqlite3.Cursor:
            error = sqlite3.OperationalError("database or disk is full")
            error.sqlite_errorcode = sqlite3.SQLITE_FULL  # type: ignore[attr-defined]
            raise error

    monkeypatch.setattr(history.sqlite3, "connect", lambda *a, **k: real_connect(*a, **k, factory=Full))
    state = tmp_path / "h" / "history.sqlite3"
    result = run("audit", demo_zip, "--state", state)
    assert result.exit_code == 2
    assert result.stderr == (
        f"Error: {state}: cannot be written: the disk is full; free some space, or choose another place for the"
        " history (--state PATH, or --no-state)\n"
    )
    assert "--forget" not in result.stderr


def test_an_unexpected_error_is_one_line_and_status_2(demo_zip: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:  # fmt: skip
    from endorse_audit import audit

    def broken(*args: object, **options: object) -> None:
        raise RuntimeError("something nobody foresaw\non two lines")

    monkeypatch.setattr(audit, "read_export", broken)
    monkeypatch.setattr(sys, "argv", ["endorse-audit", "audit", str(demo_zip), "--no-state"])
    with pytest.raises(SystemExit) as done:
        cli.main()
    assert done.value.code == 2  # never 1, which a --fail-on new job reads as "new endorsements"
    assert capsys.readouterr().err == (
        "Error: unexpected RuntimeError: something nobody foresaw on two lines; please report this\n"
    )


def test_a_terminal_that_cannot_show_a_name_gets_escapes(tmp_path: Path) -> None:
    spec = factory.demo_spec()
    for number in range(9):  # the most endorsed skill to hide, so the summary names it
        endorser = factory.Person("Łukasz", f"Wiśniewski {number}", None)
        spec.received.append(factory.Row("2024/03/18 14:02:51 UTC", "日本語のスキル", endorser))
    export = factory.write_zip(spec, tmp_path / EXPORT)
    env = {**child_env(tmp_path), "PYTHONIOENCODING": "latin-1"}
    done = subprocess.run(
        [sys.executable, "-m", "endorse_audit", "audit", str(export), "--no-state"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
    )
    assert done.returncode == 1, done.stderr
    assert done.stderr == b""
    assert b"\\u65e5\\u672c\\u8a9e" in done.stdout  # the skill's name, escaped, not a traceback


@pytest.mark.parametrize("epoch", ["99999999999999999999", "253402300800", "-5", "soon"])
def test_an_out_of_range_source_date_epoch_is_ignored(monkeypatch: pytest.MonkeyPatch, epoch: str) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch)
    assert abs(report_time().timestamp() - time.time()) < 60


def test_stale_temporary_files_of_killed_runs_are_swept(run, demo_zip: Path) -> None:  # type: ignore[no-untyped-def]
    folder = Path.cwd()
    stale = folder / ".a.json.k1ll3d.tmp"
    fresh = folder / ".a.json.running.tmp"  # another run may be writing this one right now
    for leftover in (stale, fresh):
        leftover.write_text("other people's names")
    long_ago = time.time() - 2 * 3600
    os.utime(stale, (long_ago, long_ago))
    assert run("audit", demo_zip, "--no-state", "--json", "a.json").exit_code == 1
    assert not stale.exists()
    assert fresh.exists()


def test_a_pipe_is_never_replaced_by_a_file(run, demo_zip: Path) -> None:  # type: ignore[no-untyped-def]
    pipe = Path.cwd() / "pipe"
    os.mkfifo(pipe)
    result = run("audit", demo_zip, "--no-state", "--json", pipe)
    assert result.exit_code == 2
    assert result.stderr == (
        f"Error: {pipe}: is not a regular file (a pipe or a device?), so it was not replaced; give a file name, or -\n"
    )
    assert pipe.is_fifo()


def test_json_to_standard_output(run, demo_zip: Path) -> None:  # type: ignore[no-untyped-def]
    result = run("audit", demo_zip, "--no-state", "--no-html", "--json", "-")
    assert result.exit_code == 1
    assert json.loads(result.stdout)["summary"]["to_hide"] == 7  # stdout is the JSON alone
    assert "to hide on" in result.stderr  # the summary went to stderr
    assert list(Path.cwd().iterdir()) == []


def test_history_escapes_export_names_for_the_terminal(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    hostile = factory.write_zip(factory.demo_spec(), tmp_path / "x\x1b]0;pwned\x07\u202eexport.zip")
    state = tmp_path / "h" / "history.sqlite3"
    run("audit", hostile, "--state", state)
    listed = run("history", "--state", state).stdout
    assert "\x1b" not in listed and "\u202e" not in listed
    assert "x\\x1b]0;pwned\\x07\\u202eexport.zip" in listed


def _killing_audit_one(task: batch._Task) -> batch.Outcome:
    """A worker that dies as the OOM killer would kill it, on the export named for it."""
    if task.path.name.startswith("killer"):
        os.kill(os.getpid(), signal.SIGKILL)
    return REAL_AUDIT_ONE(task)


REAL_AUDIT_ONE = batch.audit_one


def test_a_killed_worker_skips_its_export_only(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    if sys.platform == "win32":
        pytest.skip("workers are forked")
    paths = [
        factory.write_zip(factory.demo_spec(), tmp_path / name) for name in ("a.zip", "killer.zip", "b.zip", "c.zip")
    ]
    monkeypatch.setattr(batch, "audit_one", _killing_audit_one)  # forked workers inherit it
    result = batch.run(paths, Config(), tmp_path / "out", jobs=2, generated_at=report_time())
    assert [o.name for o in result.audited] == ["a.zip", "b.zip", "c.zip"]
    assert [o.error for o in result.failed] == [
        f"{tmp_path / 'killer.zip'}: could not be audited: the process auditing it stopped (out of memory?);"
        " try it alone"
    ]
    document = json.loads((tmp_path / "out" / "audit.json").read_text(encoding="utf-8"))
    assert len(document["exports"]) == 3 and len(document["errors"]) == 1


@pytest.mark.slow
def test_sigterm_to_a_batch_stops_its_workers_and_leaves_nothing(tmp_path: Path) -> None:
    exports = tmp_path / "exports"
    for number in range(12):
        factory.write_zip(factory.demo_spec(), exports / f"Basic_LinkedInDataExport_03-{number + 1:02d}-2024.zip")
    child = subprocess.Popen(
        [sys.executable, "-m", "endorse_audit", "audit", "--all", str(exports), "--jobs", "2", "--out-dir", "out"],
        cwd=tmp_path,
        env=child_env(tmp_path),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    workers: list[int] = []
    deadline = time.monotonic() + 60
    while not workers and time.monotonic() < deadline and child.poll() is None:
        found = subprocess.run(["pgrep", "-P", str(child.pid)], capture_output=True, text=True).stdout.split()
        workers = [int(pid) for pid in found]
        time.sleep(0.02)
    assert workers, "no worker started"
    child.send_signal(signal.SIGTERM)
    _, stderr = child.communicate(timeout=60)
    assert (child.returncode, stderr) == (143, b"Interrupted; nothing was written.\n")
    time.sleep(0.5)
    for pid in workers:
        with pytest.raises(ProcessLookupError):
            os.kill(pid, 0)  # gone, not left running with the caller's pipes
    out = tmp_path / "out"
    assert not out.exists() or not any(out.iterdir())  # no staging folder, no partial output


def test_the_largest_limits_read_a_folder_without_asking_for_a_terabyte(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """read() sets aside what it is asked for: a limit of 1 TiB on a folder's file was a MemoryError."""
    folder = factory.write_folder(factory.demo_spec(), tmp_path / "export")
    config = tmp_path / "huge.toml"
    config.write_text("[limits]\nmax_member_mib = 1048576\nmax_zip_mib = 1048576\n")
    result = run("audit", folder, "--config", config, "--no-state", "--no-html")
    assert result.exit_code == 1, result.stderr
    assert result.stderr == ""
