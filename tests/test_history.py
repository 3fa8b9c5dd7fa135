"""Repeated exports and cron: the run history, what is new, --fail-on, quiet runs, locks and safe writes."""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import factory
import pandas as pd
import pytest
from conftest import ROOT, child_env

from endorse_audit.errors import BusyError
from endorse_audit.history import database as history_db
from endorse_audit.history import store as history
from endorse_audit.names import people

SCHEDULING_DOCS = [ROOT / "README.md", ROOT / "docs" / "scheduling.md"]  # where the cron and systemd lines are
VENV_SCRIPT = "~/.local/bin/endorse-audit"  # where the docs' by-hand lines expect the program


def docs_blocks(language: str) -> list[str]:
    """Return the lines of the ```<language> code blocks of README.md and docs/scheduling.md."""
    text = "\n".join(page.read_text(encoding="utf-8") for page in SCHEDULING_DOCS)
    blocks = re.findall(rf"^```{language}\n(.*?)^```$", text, re.M | re.S)
    return [line for block in blocks for line in block.splitlines()]


# The lines the docs document, run as written by the tests below.
CRON_LINES = [line for line in docs_blocks("cron") if VENV_SCRIPT in line and not line.startswith("#")]
EXEC_STARTS = [line for line in docs_blocks("ini") if line.startswith("ExecStart=")]
FIRST = "Basic_LinkedInDataExport_03-18-2024.zip"
LATER = "Basic_LinkedInDataExport_02-01-2026.zip"
NOOR = factory.Person("Noor", "Haddad", "noor-haddad-1a2b3c")
# The three endorsements to hide that the later export adds: (skill, endorser).
ADDED = {("Blockchain", "Noor Haddad"), ("Sales Pitching", "Noor Haddad"), ("php", "Priya Raman, PhD")}


def later_spec() -> factory.ExportSpec:
    """The demo export two years on: three new endorsements to hide; the old ones moved and rewritten."""
    spec = factory.demo_spec()
    old = list(reversed(spec.received))  # every old row moved
    for row in old:
        if row.skill == "php":
            row.skill = "PHP"  # LinkedIn's spelling changed: the same skill
        elif row.skill == "Economics ":
            row.skill = "Economics"
        elif row.skill == "Reserarch":
            row.date = "09/05/2023"  # a date no longer in LinkedIn's format
    priya = next(row.endorser for row in old if row.endorser.first == "Priya")
    spec.received = [
        factory.Row("2026/01/30 10:00:00 UTC", "Blockchain", NOOR),
        factory.Row("2026/01/30 10:00:00 UTC", "Sales Pitching", NOOR),
        factory.Row("2026/01/12 18:30:00 UTC", "php", priya),
        *old,
    ]
    return spec


@pytest.fixture
def exports(tmp_path: Path) -> dict[str, Path]:
    """The first export and a later one in a downloads folder."""
    downloads = tmp_path / "Downloads"
    return {
        "first": factory.write_zip(factory.demo_spec(), downloads / FIRST),
        "later": factory.write_zip(later_spec(), downloads / LATER),
    }


@pytest.fixture
def state(tmp_path: Path) -> Path:
    return tmp_path / "hist" / "history.sqlite3"


def _new(data: dict[str, Any]) -> set[tuple[str, str]]:
    return {(e["skill"], e["endorser"]) for e in data["endorsements"] if e["new"]}


def _runs(state: Path) -> list[tuple[str, int, int]]:
    return [(run.export_name, run.to_hide, run.new) for run in history.read_runs(state)]


def _dump(state: Path) -> list[Any]:
    """Return everything the history holds, and check SQLite finds the file whole."""
    with sqlite3.connect(state) as db:
        assert db.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        rows = db.execute("SELECT * FROM runs ORDER BY id").fetchall()
        prints = db.execute("SELECT * FROM prints ORDER BY run_id").fetchall()
    return [rows, prints]


# --- What is new --------------------------------------------------------------------------------


def test_the_same_export_twice_has_nothing_new_the_second_time(run, exports, state) -> None:  # type: ignore[no-untyped-def]
    first = run("audit", exports["first"], "--state", state, "--json", "a.json")
    assert first.exit_code == 1, first.stderr
    data = first.json("a.json")
    assert data["summary"]["new_to_hide"] == data["summary"]["to_hide"] == 7
    assert [e["new"] for e in data["endorsements"]] == [e["hide"] for e in data["endorsements"]]
    assert f"  first run of this member in the history ({state})\n" in first.stdout
    assert "new" not in first.stdout  # nothing is new on a first run: there is nothing to compare with

    again = run("audit", exports["first"], "--state", state, "--json", "a.json")
    assert again.exit_code == 1
    data = again.json("a.json")
    assert (data["summary"]["to_hide"], data["summary"]["new_to_hide"]) == (7, 0)
    assert not any(e["new"] for e in data["endorsements"])
    assert re.search(
        r"0 new: this export was already audited on \d{4}-\d\d-\d\d, nothing is counted twice", again.stdout
    )
    assert _runs(state) == [(FIRST, 7, 7)]


@pytest.mark.parametrize(
    "fail_on, first_code, later_code, repeat_code",
    [("any", 1, 1, 1), ("new", 1, 1, 0), ("never", 0, 0, 0)],
)
def test_a_later_export_marks_exactly_its_new_endorsements(  # type: ignore[no-untyped-def]
    run, exports, state, fail_on: str, first_code: int, later_code: int, repeat_code: int
) -> None:
    first = run("audit", exports["first"], "--state", state, "--fail-on", fail_on)
    assert first.exit_code == first_code, first.stdout + first.stderr
    later = run("audit", exports["later"], "--state", state, "--fail-on", fail_on, "--json", "b.json")
    assert later.exit_code == later_code, later.stdout + later.stderr
    data = later.json("b.json")
    assert (data["summary"]["to_hide"], data["summary"]["new_to_hide"]) == (10, 3)
    assert _new(data) == ADDED
    assert re.search(r"^  3 new since the last run on \d{4}-\d\d-\d\d$", later.stdout, re.MULTILINE)
    repeat = run("audit", exports["later"], "--state", state, "--fail-on", fail_on, "--json", "b.json")
    assert repeat.exit_code == repeat_code, repeat.stdout
    assert repeat.json("b.json")["summary"]["new_to_hide"] == 0
    assert _runs(state) == [(FIRST, 7, 7), (LATER, 10, 3)]


def test_exit_zero_is_fail_on_never(run, exports, state) -> None:  # type: ignore[no-untyped-def]
    assert run("audit", exports["first"], "--state", state, "--exit-zero").exit_code == 0
    both = run("audit", exports["first"], "--state", state, "--fail-on", "new", "--exit-zero")
    assert (both.exit_code, both.stderr) == (
        2,
        "Error: --exit-zero and --fail-on cannot be used together (see 'endorse-audit audit --help')\n",
    )


def test_a_folder_of_exports_counts_each_export_once(run, exports, state, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    downloads = exports["first"].parent
    assert run("audit", exports["first"], "--state", state).exit_code == 1
    newest = run("audit", downloads, "--state", state, "--json", "a.json", "--fail-on", "new")
    assert newest.exit_code == 1
    assert "note: chose " in newest.stdout and ": the newest of 2 exports in " in newest.stdout
    assert _new(newest.json("a.json")) == ADDED
    again = run("audit", downloads, "--state", state, "--json", "a.json", "--fail-on", "new")
    assert (again.exit_code, again.json("a.json")["summary"]["new_to_hide"]) == (0, 0)
    # The same export under another name, in another folder: recognised by its content.
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    shutil.copy(exports["later"], elsewhere / "linkedin-backup.zip")
    copy = run("audit", elsewhere / "linkedin-backup.zip", "--state", state, "--fail-on", "new")
    assert copy.exit_code == 0, copy.stdout
    assert _runs(state) == [(FIRST, 7, 7), ("linkedin-backup.zip", 10, 3)]


def test_auditing_an_export_again_with_another_config_updates_its_run(run, exports, state) -> None:  # type: ignore[no-untyped-def]
    config = Path.cwd() / "keep-economics.toml"
    config.write_text('[skills]\nallow = ["Economics"]\n')
    kept = run("audit", exports["first"], "--state", state, "--config", config, "--json", "a.json")
    assert kept.json("a.json")["summary"]["new_to_hide"] == 5
    unkept = run("audit", exports["first"], "--state", state, "--json", "a.json")
    assert _new(unkept.json("a.json")) == {("Economics ", "Yuki Morimoto"), ("Economics ", "Hannah Brooks")}
    assert _runs(state) == [(FIRST, 7, 7)]
    run("audit", exports["first"], "--state", state, "--config", config)
    assert _runs(state) == [(FIRST, 5, 5)]


def test_fingerprints_ignore_row_order_date_and_spelling_but_not_people() -> None:
    table = pd.DataFrame(
        {
            "skill": ["php", "PHP ", "php", "Economics", "Economics"],
            "endorser": ["Kwame Asante", "K. Asante", "Priya Raman", "Rafael  Duarte", "rafael duarte"],
            "slug": ["kwame-asante-a81d44", "kwame-asante-a81d44", "priya-raman-4b2a17", "", ""],
        }
    )
    table["endorser_id"] = people.identities(table["slug"], table["endorser"])
    prints = history.fingerprints(table)
    assert prints[0] == prints[1]  # same skill and profile: the name shown does not matter
    assert prints[0] != prints[2]  # another person
    assert prints[3] == prints[4]  # no profile link: the folded name decides
    assert history.fingerprints(table.iloc[::-1].reset_index(drop=True)) == prints[::-1]


# --- Quiet runs ---------------------------------------------------------------------------------


def test_quiet_prints_only_when_something_is_new(run, exports, state) -> None:  # type: ignore[no-untyped-def]
    first = run("audit", exports["first"], "--state", state, "-q", "--fail-on", "new")
    assert first.exit_code == 1
    assert first.stdout == (f"endorse-audit: 7 endorsements to hide in {FIRST}\n  report: endorse-audit-report.html\n")
    for fail_on, code in (("new", 0), ("any", 1)):
        same = run("audit", exports["first"], "--state", state, "-q", "--fail-on", fail_on)
        assert (same.exit_code, same.stdout, same.stderr) == (code, "", "")
    later = run("audit", exports["later"], "--state", state, "-q", "--fail-on", "new", "--no-html")
    assert (later.exit_code, later.stdout.splitlines()[0]) == (
        1,
        f"endorse-audit: 3 new endorsements to hide (10 in all) in {LATER}",
    )
    broken = exports["first"].with_name("broken.zip")
    broken.write_bytes(b"not a zip")
    error = run("audit", broken, "--state", state, "-q")
    assert (error.exit_code, error.stdout) == (2, "")
    assert error.stderr.startswith(f"Error: {broken}: is not a zip file")


def test_no_state_keeps_no_history_and_counts_everything_as_new(run, exports, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    for _ in range(2):
        result = run("audit", exports["first"], "--no-state", "-q", "--fail-on", "new", "--json", "a.json")
        assert result.exit_code == 1
        assert result.stdout.startswith("endorse-audit: 7 endorsements to hide in")  # none is called new
        assert result.json("a.json")["summary"]["new_to_hide"] == 7
    html = (result.folder / "endorse-audit-report.html").read_text(encoding="utf-8")
    assert "Since the last run" not in html and 'class="badge new"' not in html
    assert not (tmp_path / "state").exists()
    both = run("audit", exports["first"], "--no-state", "--state", tmp_path / "h.sqlite3")
    assert both.exit_code == 2
    assert "--state and --no-state cannot be used together" in both.stderr


# --- The report ---------------------------------------------------------------------------------


def test_report_marks_new_endorsements_and_draws_the_trend_from_two_runs(run, exports, state) -> None:  # type: ignore[no-untyped-def]
    first = run("audit", exports["first"], "--state", state)
    html = (first.folder / "endorse-audit-report.html").read_text(encoding="utf-8")
    assert "First run of this member in the history: nothing to compare with yet." in html
    assert 'class="badge new"' not in html  # a first run marks nothing: everything is new
    assert 'id="trend-desc"' not in html
    run("audit", exports["later"], "--state", state)
    html = (first.folder / "endorse-audit-report.html").read_text(encoding="utf-8")
    assert re.search(r"<strong>3</strong> new to hide since the last run on \d{1,2} [A-Z][a-z]{2} \d{4}\.", html)
    badged = re.findall(r"<bdi>([^<>]+)</bdi></a> <span class=\"badge new\">new</span>", html)
    assert sorted(badged) == sorted(endorser for _, endorser in ADDED)
    assert "Endorsements to hide in each of the last 2 runs, oldest first: 7, 10." in html
    assert html.count("<polyline") == 2


# --- The history file ---------------------------------------------------------------------------


def test_default_place_is_private(run, exports, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    old_umask = os.umask(0)  # permissions must not depend on the user's umask
    try:
        run("audit", exports["first"])
        monkeypatch.delenv("XDG_STATE_HOME")
        run("audit", exports["first"])
    finally:
        os.umask(old_umask)
    for folder in (tmp_path / "state" / "endorse-audit", tmp_path / "home" / ".local" / "state" / "endorse-audit"):
        assert folder.stat().st_mode & 0o777 == 0o700
        for name in ("history.sqlite3", "history.sqlite3.lock"):
            assert (folder / name).stat().st_mode & 0o777 == 0o600, folder / name
        assert _runs(folder / "history.sqlite3") == [(FIRST, 7, 7)]
    assert (tmp_path / "home" / ".local" / "state").stat().st_mode & 0o777 == 0o700


def test_history_command_lists_runs_and_forgets(run, exports, state) -> None:  # type: ignore[no-untyped-def]
    assert run("history", "--state", state).stdout == f"No audits recorded yet in {state}\n"
    run("audit", exports["first"], "--state", state)
    run("audit", exports["later"], "--state", state)
    listing = run("history", "--state", state.parent)  # a folder means history.sqlite3 in it
    assert listing.exit_code == 0
    lines = listing.stdout.splitlines()
    assert lines[0].split() == ["audited", "(UTC)", "export", "exported", "to", "hide", "new", "dealt", "with"]
    assert lines[1].split()[2:] == [FIRST, "2024-03-18", "7", "7", "0"]
    assert lines[2].split()[2:] == [LATER, "2026-02-01", "10", "3", "0"]
    assert lines[3] == f"2 runs in {state}"
    forgot = run("history", "--state", state, "--forget", "--yes")
    assert (forgot.exit_code, forgot.stdout) == (0, f"Forgot 2 runs: deleted {state}\n")
    assert not state.exists()
    assert run("history", "--forget", "--yes", "--state", state).stdout == f"No history to forget at {state}\n"
    # Forgotten means forgotten: the next run starts again.
    assert run("audit", exports["later"], "--state", state, "-q").stdout.startswith(
        "endorse-audit: 10 endorsements to hide"
    )


def test_column_drift_is_one_note_and_the_run_carries_on(run, tmp_path: Path, state) -> None:  # type: ignore[no-untyped-def]
    old = factory.write_zip(factory.demo_spec(), tmp_path / "Basic_LinkedInDataExport_03-18-2021.zip", old_header=True)
    assert run("audit", old, "--state", state).exit_code == 1
    result = run("audit", _write_first(tmp_path), "--state", state)
    assert result.exit_code == 1, result.stderr
    notes = [line for line in result.stdout.splitlines() if "columns changed" in line]
    assert notes == [
        "  note: the export's columns changed since Basic_LinkedInDataExport_03-18-2021.zip: "
        "Endorsement_Given_Info.csv gained 'Endorsee Public Url'; "
        "Endorsement_Received_Info.csv gained 'Endorser Public Url'"
    ]
    same = run("audit", _write_first(tmp_path), "--state", state)
    assert sum("columns changed" in line for line in same.stdout.splitlines()) == 1


def _write_first(tmp_path: Path) -> Path:
    return factory.write_zip(factory.demo_spec(), tmp_path / "new" / FIRST)


def test_a_damaged_history_is_one_clear_error(run, exports, state) -> None:  # type: ignore[no-untyped-def]
    state.parent.mkdir()
    state.write_bytes(b"these are not the runs you are looking for" * 100)
    result = run("audit", exports["first"], "--state", state)
    assert result.exit_code == 2
    assert result.stderr == (
        f"Error: {state}: is not a readable endorse-audit history (file is not a database); move it away, "
        "or choose another history (--state PATH, or --no-state)\n"
    )
    assert not (result.folder / "endorse-audit-report.html").exists()
    # Only a file that is positively a history is ever deleted: a damaged one is left for the user.
    forgot = run("history", "--state", state, "--forget", "--yes")
    assert (forgot.exit_code, forgot.stdout) == (2, "")
    assert forgot.stderr == (
        f"Error: {state}: is not an endorse-audit history (or it is damaged), so it was not deleted; "
        "move it away or delete it yourself if you are sure\n"
    )
    assert state.read_bytes() == b"these are not the runs you are looking for" * 100


@pytest.mark.parametrize("name", ["thesis.txt", "Basic_LinkedInDataExport_03-18-2024.zip"])
def test_forget_never_deletes_a_file_that_is_not_a_history(run, exports, tmp_path: Path, name: str) -> None:  # type: ignore[no-untyped-def]
    precious = tmp_path / name
    precious.write_bytes(exports["first"].read_bytes() if name.endswith(".zip") else b"Chapter 1\n")
    before = precious.read_bytes()
    audited = run("audit", precious if name.endswith(".zip") else exports["first"], "--state", precious)
    assert audited.exit_code == 2
    assert "--forget" not in audited.stderr  # the advice never leads to deleting it
    forgot = run("history", "--state", precious, "--forget", "--yes")
    assert forgot.exit_code == 2
    assert "so it was not deleted" in forgot.stderr
    assert precious.read_bytes() == before


# --- Overlapping, failing and killed runs -------------------------------------------------------


def test_a_second_run_waits_then_exits_2_when_the_history_stays_busy(  # type: ignore[no-untyped-def]
    run, exports, state, monkeypatch: pytest.MonkeyPatch
) -> None:
    run("audit", exports["first"], "--state", state)
    report = Path.cwd() / "endorse-audit-report.html"
    before = report.read_bytes(), _dump(state)
    monkeypatch.setattr(history_db, "LOCK_TIMEOUT", 0.3)
    with history.open_store(state) as holder:
        assert holder is not None
        result = run("audit", exports["later"], "--state", state, "--json", "b.json")
        with pytest.raises(BusyError):
            history.forget(state)
    assert result.exit_code == 2
    assert result.stderr == (
        f"Error: {state}: is in use by another endorse-audit run (waited 0.3 s); try again when it has finished\n"
    )
    assert (report.read_bytes(), _dump(state)) == before
    assert not (result.folder / "b.json").exists()


def test_a_failed_output_leaves_the_history_as_it_was(run, exports, state) -> None:  # type: ignore[no-untyped-def]
    run("audit", exports["first"], "--state", state)
    before = _dump(state)
    result = run("audit", exports["later"], "--state", state, "--json", Path("missing-folder") / "b.json")
    assert result.exit_code == 2
    assert "folder 'missing-folder' does not exist" in result.stderr
    assert _dump(state) == before


class _FullDisk(sqlite3.Connection):
    """A connection whose write transactions fail at COMMIT, as on a full disk."""

    writing = False

    def execute(self, sql: str, *args: Any) -> sqlite3.Cursor:
        if sql == "BEGIN IMMEDIATE":
            self.writing = True
        elif sql == "COMMIT" and self.writing:
            raise sqlite3.OperationalError("database or disk is full")
        return super().execute(sql, *args)


def test_a_failed_commit_leaves_the_history_as_it_was(run, exports, state, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    run("audit", exports["first"], "--state", state)
    before = _dump(state)
    real_connect = sqlite3.connect
    with monkeypatch.context() as patch:
        patch.setattr(history.sqlite3, "connect", lambda *a, **k: real_connect(*a, **k, factory=_FullDisk))
        result = run("audit", exports["later"], "--state", state, "--json", "b.json")
    assert result.exit_code == 2
    assert result.stderr == (
        f"Error: {state}: could not be updated (database or disk is full); the history is as it was and the "
        "outputs were written, so the next run will count these endorsements as new again\n"
    )
    assert _dump(state) == before
    assert result.json("b.json")["summary"]["new_to_hide"] == 3  # the outputs are whole
    retry = run("audit", exports["later"], "--state", state, "--json", "b.json")
    assert retry.json("b.json")["summary"]["new_to_hide"] == 3  # not lost: counted new again


# A child process that runs the audit and stops, holding the lock, at one point, for the test to kill it.
PAUSING_CHILD = r"""
import os, sqlite3, sys, time
from pathlib import Path
from endorse_audit.cli import commands as cli
from endorse_audit.history import store as history
from endorse_audit.history import database as history_db

marker, where, *args = sys.argv[1:]

def pause():
    Path(marker).write_text("paused")
    time.sleep(120)

if where == "before-rename":  # the outputs are in their temporary files, none renamed yet
    def replace(*a, **k):
        pause()
    os.replace = replace
elif where == "before-commit":  # the outputs are in place; the history transaction is written but not committed
    real_connect = history_db.connect
    def connect(*a, **k):
        db = real_connect(*a, **k)
        seen = []
        def trace(sql):
            if sql.startswith("INSERT INTO prints"):
                seen.append(sql)
            elif sql == "COMMIT" and seen:
                pause()
        db.set_trace_callback(trace)
        return db
    history_db.connect = connect
elif where == "in-commit":  # the outputs are in place; the history is about to be recorded
    real_commit = history.Store.commit
    def commit(self):
        pause()
        real_commit(self)
    history.Store.commit = commit
sys.argv = ["endorse-audit", *args]
cli.main()
"""


def _kill_when_paused(
    args: list[str], where: str, cwd: Path, signum: int = signal.SIGKILL
) -> subprocess.CompletedProcess[bytes]:
    """Run the CLI in a child, send it `signum` once it pauses at `where`, and return how it ended."""
    marker = cwd / "paused.marker"
    child = subprocess.Popen(
        [sys.executable, "-c", PAUSING_CHILD, str(marker), where, *args],
        cwd=cwd,
        env=child_env(cwd),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 60
        while not marker.exists():
            assert child.poll() is None, child.communicate()
            assert time.monotonic() < deadline, "the child never reached the pause"
            time.sleep(0.05)
    finally:
        child.send_signal(signum)
        stdout, stderr = child.communicate(timeout=60)
    if signum == signal.SIGKILL:
        assert child.returncode == -signal.SIGKILL
    marker.unlink()
    return subprocess.CompletedProcess(child.args, child.returncode, stdout, stderr)


@pytest.mark.slow
@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT, signal.SIGHUP])
@pytest.mark.parametrize("where", ["before-rename", "in-commit"])
def test_sigterm_and_ctrl_c_say_truly_what_was_written(run, exports, state, where: str, signum: int) -> None:  # type: ignore[no-untyped-def]
    """cron and systemd stop a job with SIGTERM, a closed terminal sends SIGHUP: each is handled like Ctrl-C,
    one true line, no temporary file."""
    run("audit", exports["first"], "--state", state, "--json", "a.json")
    folder = Path.cwd()
    before = (folder / "a.json").read_bytes(), _dump(state)
    ended = _kill_when_paused(
        ["audit", str(exports["later"]), "--state", str(state), "--json", "a.json"], where, folder, signum
    )
    assert ended.returncode == {signal.SIGTERM: 143, signal.SIGINT: 130, signal.SIGHUP: 129}[signum]
    if where == "before-rename":
        assert ended.stderr == b"Interrupted; nothing was written.\n"
        assert (folder / "a.json").read_bytes() == before[0]
    else:
        assert ended.stderr == (
            b"Interrupted after the outputs were written; the history was not updated, so the next run reports"
            b" these endorsements as new again.\n"
        )
        assert json.loads((folder / "a.json").read_text(encoding="utf-8"))["export"]["path"] == str(exports["later"])
    assert _dump(state) == before[1]
    assert not [p.name for p in folder.iterdir() if p.name.endswith(".tmp")]


@pytest.mark.parametrize("where", ["before-rename", "before-commit"])
def test_a_run_killed_mid_way_leaves_report_and_history_whole(run, exports, state, where: str) -> None:  # type: ignore[no-untyped-def]
    run("audit", exports["first"], "--state", state, "--json", "a.json")
    folder = Path.cwd()
    report, data = folder / "endorse-audit-report.html", folder / "a.json"
    before = report.read_bytes(), data.read_bytes(), _dump(state)

    _kill_when_paused(["audit", str(exports["later"]), "--state", str(state), "--json", "a.json"], where, folder)

    assert _dump(state) == before[2]  # SQLite rolled the unfinished transaction back
    html = report.read_text(encoding="utf-8")
    assert html.rstrip().endswith("</html>")
    if where == "before-rename":
        assert (report.read_bytes(), data.read_bytes()) == before[:2]
    else:  # the new outputs were in place before the kill: whole, and the history does not know them
        assert "Basic_LinkedInDataExport_02-01-2026.zip" in html
    # The lock died with the process: the next run goes ahead at once and counts the three as new.
    retry = run("audit", exports["later"], "--state", state, "--json", "a.json", "-q")
    assert retry.exit_code == 1, retry.stderr
    assert retry.json("a.json")["summary"]["new_to_hide"] == 3
    assert _runs(state) == [(FIRST, 7, 7), (LATER, 10, 3)]


def test_two_runs_at_once_are_serialised(tmp_path: Path, exports, state) -> None:  # type: ignore[no-untyped-def]
    children = [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "endorse_audit",
                "audit",
                str(path),
                "--state",
                str(state),
                "--html",
                f"{name}.html",
            ],
            cwd=tmp_path,
            env=child_env(tmp_path),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for name, path in exports.items()
    ]
    results = [child.communicate(timeout=120) + (child.returncode,) for child in children]
    assert [code for _, _, code in results] == [1, 1], results
    runs = history.read_runs(state)
    assert sorted((run.export_name, run.to_hide) for run in runs) == [(LATER, 10), (FIRST, 7)]
    assert sum(run.new for run in runs) == 10  # each endorsement counted new once, whatever the order
    _dump(state)
    assert sorted(p.name for p in tmp_path.glob("*.html")) == ["first.html", "later.html"]


# --- The documented cron and systemd lines ------------------------------------------------------


def test_documented_cron_and_systemd_lines_are_ones_the_tests_run() -> None:
    """The docs have a plain cron line, a chronic one and an ExecStart, each calling the program as installed."""
    assert [line.split(None, 5)[5].split()[0] for line in CRON_LINES] == [VENV_SCRIPT, "chronic"], CRON_LINES
    assert all(len(line.split(None, 5)[:5]) == 5 for line in CRON_LINES)
    assert f"chronic {VENV_SCRIPT} audit " in CRON_LINES[1]
    assert [line.split()[0] for line in EXEC_STARTS] == [VENV_SCRIPT.replace("~", "ExecStart=%h")]


def _cron_command(line: str, script: str) -> str:
    """Return what cron hands to sh for a crontab line, with the program where this test installed it."""
    return line.split(None, 5)[5].replace(VENV_SCRIPT, shlex.quote(script))


def _home_with_downloads(tmp_path: Path) -> tuple[Path, Path]:
    home = tmp_path / "home"
    (home / "endorse-audit").mkdir(parents=True)  # docs/scheduling.md's `mkdir -p ~/endorse-audit`
    (home / "Downloads").mkdir()
    return home, home / "Downloads"


def _installed_script() -> str:
    script = shutil.which("endorse-audit", path=str(Path(sys.executable).parent))
    assert script is not None, "the endorse-audit console script is not installed next to this Python"
    return script


@pytest.mark.slow
def test_documented_cron_line_runs_as_documented(tmp_path: Path, exports) -> None:  # type: ignore[no-untyped-def]
    """Run the crontab line's command through sh (as cron does) and the service's ExecStart as systemd would."""
    script = _installed_script()
    home, downloads = _home_with_downloads(tmp_path)
    cron_command = _cron_command(CRON_LINES[0], script)
    exec_start = shlex.split(EXEC_STARTS[0].removeprefix("ExecStart=").replace("%h", str(home)))
    exec_start[0] = script

    def cron() -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            ["/bin/sh", "-c", cron_command], cwd=tmp_path, env=child_env(home), capture_output=True, text=True
        )

    def timer() -> subprocess.CompletedProcess[str]:
        return subprocess.run(exec_start, cwd=tmp_path, env=child_env(home), capture_output=True, text=True)

    shutil.copy(exports["first"], downloads)
    first = cron()
    assert (first.returncode, first.stderr) == (1, "")
    assert first.stdout == (
        f"endorse-audit: 7 endorsements to hide in {FIRST}\n  report: {home}/endorse-audit/report.html\n"
    )
    again = cron()
    assert (again.returncode, again.stdout, again.stderr) == (0, "", "")  # next week, same export: silence
    shutil.copy(exports["later"], downloads)
    later = timer()
    assert (later.returncode, later.stdout.splitlines()[0]) == (
        1,
        f"endorse-audit: 3 new endorsements to hide (10 in all) in {LATER}",
    )
    again = timer()
    assert (again.returncode, again.stdout, again.stderr) == (0, "", "")
    state = home / ".local" / "state" / "endorse-audit" / "history.sqlite3"
    assert _runs(state) == [(FIRST, 7, 7), (LATER, 10, 3)]
    (downloads / "Basic_LinkedInDataExport_01-01-2027.zip").write_bytes(b"half a download")
    failed = cron()
    assert (failed.returncode, failed.stdout) == (2, "")
    assert failed.stderr.startswith("Error: ") and len(failed.stderr.splitlines()) == 1


# chronic (moreutils) as its manual describes it, for machines without moreutils: run the command with
# its output held back, and print that output only when the command fails.
CHRONIC = """#!/bin/sh
out=$("$@" 2>&1)
status=$?
[ "$status" -ne 0 ] && printf '%s\\n' "$out"
exit "$status"
"""


@pytest.mark.slow
def test_documented_chronic_line_runs_as_documented(tmp_path: Path, exports) -> None:  # type: ignore[no-untyped-def]
    """The crontab line with chronic and without -q: the full summary when something is new, else silence."""
    home, downloads = _home_with_downloads(tmp_path)
    env = child_env(home)
    if shutil.which("chronic") is None:
        bin_folder = tmp_path / "bin"
        bin_folder.mkdir()
        (bin_folder / "chronic").write_text(CHRONIC)
        (bin_folder / "chronic").chmod(0o755)
        env["PATH"] = f"{bin_folder}{os.pathsep}{env['PATH']}"
    command = _cron_command(CRON_LINES[1], _installed_script())

    def cron() -> subprocess.CompletedProcess[str]:
        return subprocess.run(["/bin/sh", "-c", command], cwd=tmp_path, env=env, capture_output=True, text=True)

    shutil.copy(exports["first"], downloads)
    first = cron()
    assert first.returncode == 1, first.stdout + first.stderr
    assert "7 endorsements to hide" in first.stdout  # the full summary, not the two quiet lines
    assert "first run of this member in the history" in first.stdout
    assert f"report: {home}/endorse-audit/report.html" in first.stdout
    again = cron()
    assert (again.returncode, again.stdout, again.stderr) == (0, "", "")
    shutil.copy(exports["later"], downloads)
    later = cron()
    assert later.returncode == 1, later.stdout + later.stderr
    assert "3 new since the last run on " in later.stdout


# --- Dealt with since the last run ----------------------------------------------------------------

ZED = factory.Person("Zed", "Quill", "zed-quill-0f0f0f")  # endorses once, in the second export only


def _without(rows: list[factory.Row], skill: str, first: str) -> list[factory.Row]:
    return [row for row in rows if not (row.skill == skill and row.endorser.first == first)]


def _marked(rows: list[factory.Row], skill: str, first: str, status: str = "HIDDEN") -> None:
    for row in rows:
        if row.skill == skill and row.endorser.first == first:
            row.status = status


def three_exports(folder: Path) -> list[Path]:
    """Three exports of one member: what was to hide is hidden on LinkedIn or gone, a little at a time."""
    first = factory.demo_spec()
    second = factory.demo_spec()
    _marked(second.received, "Web Design", "Kwame")
    _marked(second.received, "php", "Kwame")
    second.received = _without(second.received, "Economics ", "Yuki")  # Yuki and Economics are still named
    second.received.insert(0, factory.Row("2024/12/01 10:00:00 UTC", "Juggling", ZED))
    third = factory.demo_spec()
    third.received = [row for row in third.received if row.skill != "Economics "]  # no one names Economics
    for skill in ("Web Design", "php", "adobe xd"):
        _marked(third.received, skill, "Kwame")  # two hidden before, one more now
    return [
        factory.write_zip(first, folder / "Basic_LinkedInDataExport_03-18-2024.zip"),
        factory.write_zip(second, folder / "Basic_LinkedInDataExport_01-10-2025.zip"),
        factory.write_zip(third, folder / "Basic_LinkedInDataExport_02-01-2026.zip"),
    ]


def _resolved(data: dict[str, Any]) -> list[tuple[Any, ...]]:
    return [(r["how"], r["skill"], r["endorser"], r["profile_url"]) for r in data["resolved"]]


def test_what_was_hidden_or_is_gone_is_dealt_with_since_the_last_run(run, tmp_path: Path, state) -> None:  # type: ignore[no-untyped-def]
    first, second, third = three_exports(tmp_path / "exports")
    one = run("audit", first, "--state", state, "--json", "a.json")
    assert one.json("a.json")["summary"]["resolved_since_last_run"] == 0 and one.json("a.json")["resolved"] == []
    assert "dealt with" not in one.stdout  # a first run says nothing
    assert "resolved-title" not in (one.folder / "endorse-audit-report.html").read_text(encoding="utf-8")

    two = run("audit", second, "--state", state, "--json", "a.json")
    data = two.json("a.json")
    assert (data["summary"]["to_hide"], data["summary"]["resolved_since_last_run"]) == (5, 3)
    kwame = "https://www.linkedin.com/in/kwame-asante-a81d44"
    assert _resolved(data) == [
        ("hidden", "php", "Kwame Asante", kwame),
        ("hidden", "Web Design", "Kwame Asante", kwame),
        ("gone", "Economics", "Yuki Morimoto", "https://www.linkedin.com/in/yukimorimoto"),
    ]
    assert "  3 dealt with since the last run (2 hidden, 1 gone)\n" in two.stdout
    html = (two.folder / "endorse-audit-report.html").read_text(encoding="utf-8")
    assert "3 dealt with since the last run</a>" in html
    assert "Of the endorsements to hide in the export of 18 Mar 2024, <strong>3</strong> are dealt with" in html

    three = run("audit", third, "--state", state, "--json", "a.json")
    data = three.json("a.json")
    assert (data["summary"]["to_hide"], data["summary"]["resolved_since_last_run"]) == (2, 3)
    # Hidden before are not counted again; a skill or person this export no longer names stays unnamed.
    assert _resolved(data) == [
        ("hidden", "adobe xd", "Kwame Asante", kwame),
        ("gone", None, "Hannah Brooks", "https://www.linkedin.com/in/hannah-brooks-19e7f3"),
        ("gone", None, None, None),
    ]
    assert "  3 dealt with since the last run (1 hidden, 2 gone)\n" in three.stdout
    html = (three.folder / "endorse-audit-report.html").read_text(encoding="utf-8")
    assert "a skill no longer in the export" in html and "someone no longer in the export" in html

    # Audited again, the second export still counts against the first, not against the third.
    again = run("audit", second, "--state", state, "--json", "a.json")
    assert again.json("a.json")["summary"]["resolved_since_last_run"] == 3
    lines = run("history", "--state", state).stdout.splitlines()
    assert lines[0].split()[-2:] == ["dealt", "with"]
    assert [line.split()[-1] for line in lines[1:4]] == ["0", "3", "3"]


def test_another_members_export_is_not_the_last_run(run, tmp_path: Path, state) -> None:  # type: ignore[no-untyped-def]
    first, _, third = three_exports(tmp_path / "exports")
    other = factory.demo_spec()
    assert other.profile is not None
    other.profile = ("Alex", "Other", *other.profile[2:])
    other.invitations = None  # nor Sam's profile link
    other.received = [row for row in other.received if row.endorser.first != "Kwame"]  # 2 to hide, not 7
    assert run("audit", first, "--state", state).exit_code == 1
    run("audit", factory.write_zip(other, tmp_path / "Basic_LinkedInDataExport_06-01-2025.zip"), "--state", state)
    data = run("audit", third, "--state", state, "--json", "a.json").json("a.json")
    assert data["summary"]["resolved_since_last_run"] == 5  # against Sam's first export (Alex's would give 2)


# A schema-1 history, as endorse-audit wrote it before the member and the dealt-with counts.
SCHEMA_1 = """
CREATE TABLE runs (id INTEGER PRIMARY KEY, export_hash TEXT UNIQUE, export_name TEXT NOT NULL, export_date TEXT,
    first_audited TEXT NOT NULL, last_audited TEXT NOT NULL, listed_skills INTEGER NOT NULL,
    endorsements INTEGER NOT NULL, to_hide INTEGER NOT NULL, new INTEGER NOT NULL,
    endorsers_to_hide INTEGER NOT NULL, unlisted_skills INTEGER NOT NULL, near_duplicates INTEGER NOT NULL,
    headers TEXT NOT NULL);
CREATE TABLE hidden (fingerprint BLOB NOT NULL, run_id INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
    PRIMARY KEY (fingerprint, run_id)) WITHOUT ROWID;
PRAGMA user_version = 1;
"""


def test_a_schema_1_history_is_read_and_upgraded(run, tmp_path: Path, state) -> None:  # type: ignore[no-untyped-def]
    from endorse_audit.audit import audit_path

    first, second, _ = three_exports(tmp_path / "exports")
    state.parent.mkdir()
    table = audit_path(first).endorsements
    with sqlite3.connect(state) as db:
        db.executescript(SCHEMA_1)
        db.execute(
            "INSERT INTO runs VALUES (1, 'x', ?, '2024-03-18', '2024-03-20T08:00:00+00:00',"
            " '2024-03-20T08:00:00+00:00', 15, 30, 7, 7, 3, 6, 2, '{}')",
            (first.name,),
        )
        db.executemany(
            "INSERT INTO hidden VALUES (?, 1)", ((f,) for f in set(history.fingerprints(table[table["hide"]])))
        )
    assert _runs(state) == [(first.name, 7, 7)]  # read as it is, not changed by reading
    assert run("history", "--state", state).exit_code == 0
    with sqlite3.connect(state) as db:
        assert db.execute("PRAGMA user_version").fetchone() == (1,)

    second_run = run("audit", second, "--state", state, "--json", "a.json")
    data = second_run.json("a.json")
    # A schema-1 run does not say whose export it was: it may be another member's, so it is no one's.
    assert (data["summary"]["new_to_hide"], data["resolved"]) == (5, [])
    assert "1 earlier run names no member (recorded by an older endorse-audit) and is not compared" in second_run.stdout
    with sqlite3.connect(state) as db:
        assert db.execute("PRAGMA user_version").fetchone() == (history_db.SCHEMA_VERSION,)
        assert db.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    assert _runs(state) == [(first.name, 7, 7), (second.name, 5, 5)]


def test_the_page_lists_some_dealt_with_and_counts_them_all(  # type: ignore[no-untyped-def]
    run, tmp_path: Path, state, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Against a much larger earlier export, thousands are dealt with: the page names a few hundred and
    says how many more (its size stays bounded); the count and the JSON keep every one."""
    from endorse_audit.report import history as report_history

    monkeypatch.setattr(report_history, "SHOWN_RESOLVED", 2)
    first, second, _ = three_exports(tmp_path / "exports")
    run("audit", first, "--state", state)
    two = run("audit", second, "--state", state, "--json", "a.json")
    assert two.json("a.json")["summary"]["resolved_since_last_run"] == 3
    html = (two.folder / "endorse-audit-report.html").read_text(encoding="utf-8")
    assert "3 dealt with since the last run</a>" in html
    assert "<strong>3</strong> are dealt with" in html
    assert "… and 1 more, see the JSON" in html


# A schema-2 history, as endorse-audit wrote it before the blobs: one row of `hidden` per endorsement.
SCHEMA_2 = """
CREATE TABLE runs (id INTEGER PRIMARY KEY, export_hash TEXT UNIQUE, export_name TEXT NOT NULL, export_date TEXT,
    first_audited TEXT NOT NULL, last_audited TEXT NOT NULL, listed_skills INTEGER NOT NULL,
    endorsements INTEGER NOT NULL, to_hide INTEGER NOT NULL, new INTEGER NOT NULL,
    endorsers_to_hide INTEGER NOT NULL, unlisted_skills INTEGER NOT NULL, near_duplicates INTEGER NOT NULL,
    headers TEXT NOT NULL, member BLOB, resolved_hidden INTEGER NOT NULL DEFAULT 0,
    resolved_gone INTEGER NOT NULL DEFAULT 0);
CREATE TABLE hidden (fingerprint BLOB NOT NULL, run_id INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
    skill BLOB, endorser BLOB, PRIMARY KEY (fingerprint, run_id)) WITHOUT ROWID;
PRAGMA user_version = 2;
"""


def test_a_schema_2_history_is_read_and_upgraded_to_blobs(run, tmp_path: Path, state) -> None:  # type: ignore[no-untyped-def]
    from endorse_audit.audit import audit_path
    from endorse_audit.checks import progress

    first, second, _ = three_exports(tmp_path / "exports")
    state.parent.mkdir()
    table = audit_path(first).endorsements
    hide = table[table["hide"]]
    rows = {
        (fingerprint, progress.skill_hash(skill), progress.endorser_hash(who))
        for fingerprint, skill, who in zip(history.fingerprints(hide), hide["skill"], hide["endorser_id"])
    }
    with sqlite3.connect(state) as db:
        db.executescript(SCHEMA_2)
        db.execute(
            "INSERT INTO runs VALUES (1, 'x', ?, '2024-03-18', '2024-03-20T08:00:00+00:00',"
            " '2024-03-20T08:00:00+00:00', 15, 30, 7, 7, 3, 6, 2, '{}', ?, 0, 0)",
            (first.name, progress.hashed("member", people.member_id("Sam Rivera", None))),  # schema 2 kept whose
        )
        db.executemany("INSERT INTO hidden VALUES (?, 1, ?, ?)", sorted(rows))
    assert _runs(state) == [(first.name, 7, 7)]  # read as it is, not changed by reading
    assert run("history", "--state", state).exit_code == 0
    copy = tmp_path / "copy.sqlite3"
    shutil.copy(state, copy)
    assert run("history", "--state", copy, "--forget", "--yes").stdout == f"Forgot 1 run: deleted {copy}\n"
    with sqlite3.connect(state) as db:
        assert db.execute("PRAGMA user_version").fetchone() == (2,)

    data = run("audit", second, "--state", state, "--json", "a.json").json("a.json")
    assert data["summary"]["new_to_hide"] == 1  # Zed's: the old run's fingerprints still count
    assert [r[:3] for r in _resolved(data)] == [  # the gone one named from the old run's hashes
        ("hidden", "php", "Kwame Asante"),
        ("hidden", "Web Design", "Kwame Asante"),
        ("gone", "Economics", "Yuki Morimoto"),
    ]
    with sqlite3.connect(state) as db:
        assert db.execute("PRAGMA user_version").fetchone() == (3,)
        assert db.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        assert tables == {"runs", "prints"}
        prints, skills, endorsers = db.execute(
            "SELECT fingerprints, skills, endorsers FROM prints WHERE run_id = 1"
        ).fetchone()
    assert (prints, skills, endorsers) == tuple(b"".join(row[i] for row in sorted(rows)) for i in range(3))
    assert _runs(state) == [(first.name, 7, 7), (second.name, 5, 1)]
    assert run("history", "--state", state, "--forget", "--yes").stdout == f"Forgot 2 runs: deleted {state}\n"


@pytest.mark.parametrize(
    "damage, new",
    [
        ("fingerprints = 'not a blob', skills = 42", 10),  # nothing readable: every one is new
        ("fingerprints = fingerprints || x'0102', skills = 'x'", 10),  # text (not even UTF-8): unreadable
        ("fingerprints = CAST(fingerprints || x'0102' AS BLOB), endorsers = NULL", 3),  # whole ones kept
        ("skills = x'0102', endorsers = substr(endorsers, 2)", 3),  # hashes misaligned: unknown
        ("fingerprints = CAST(substr(fingerprints, 17) || substr(fingerprints, 1, 16) AS BLOB)", 3),  # unsorted
    ],
)
def test_damaged_blobs_are_read_as_far_as_they_can_be(run, exports, state, damage: str, new: int) -> None:  # type: ignore[no-untyped-def]
    assert run("audit", exports["first"], "--state", state).exit_code == 1
    with sqlite3.connect(state) as db:
        db.execute(f"UPDATE prints SET {damage}")
    later = run("audit", exports["later"], "--state", state, "--json", "b.json")
    assert later.exit_code == 1, later.stderr
    assert later.stderr == ""
    assert later.json("b.json")["summary"]["new_to_hide"] == new
    again = run("audit", exports["first"], "--state", state, "--json", "a.json")  # the damaged run audited again
    assert again.exit_code == 1, again.stderr
    listed = run("history", "--state", state)
    assert (listed.exit_code, listed.stderr) == (0, "")
    _dump(state)


def test_an_export_audited_again_keeps_the_union_of_its_endorsements_to_hide(run, exports, state) -> None:  # type: ignore[no-untyped-def]
    config = Path.cwd() / "keep-economics.toml"
    config.write_text('[skills]\nallow = ["Economics"]\n')

    def stored() -> int:
        with sqlite3.connect(state) as db:
            return len(db.execute("SELECT fingerprints FROM prints").fetchone()[0]) // history_db.FINGERPRINT

    assert run("audit", exports["first"], "--state", state).exit_code == 1
    assert stored() == 7
    kept = run("audit", exports["first"], "--state", state, "--config", config, "--json", "a.json")
    assert kept.json("a.json")["summary"]["to_hide"] == 5
    assert stored() == 7  # the two no longer to hide are still remembered
    unkept = run("audit", exports["first"], "--state", state, "--json", "a.json")
    assert unkept.json("a.json")["summary"]["new_to_hide"] == 0
    later = run("audit", exports["later"], "--state", state, "--json", "b.json")
    assert _new(later.json("b.json")) == ADDED
