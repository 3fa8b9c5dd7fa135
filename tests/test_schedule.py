"""schedule.py: the crontab line, systemd units, launchd agent and schtasks line, and installing them.

Only cron is run for real here (Linux); the systemd, launchd and Windows outputs are checked as text, and
their installers against stand-in `systemctl`, `launchctl` and `schtasks` scripts on PATH.
"""

from __future__ import annotations

import os
import plistlib
import shlex
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import SAMPLE_CONFIG, SAMPLE_ZIP

from endorse_audit import schedule
from endorse_audit.errors import EndorseAuditError, OutputError

ODD = "Down loads's $HOME `x` (1)"  # a folder name a shell would mangle if it were not quoted


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A home folder under tmp, with a folder of exports holding the sample export."""
    home = tmp_path / "home"
    (home / ODD).mkdir(parents=True)
    shutil.copy(SAMPLE_ZIP, home / ODD / SAMPLE_ZIP.name)
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.delenv("XDG_CONFIG_HOME", raising=False)
    return home


def _build(kind: str, home: Path, **options: object) -> schedule.Schedule:
    options.setdefault("html", home / "reports dir" / "report.html")
    options.setdefault("state", home / "state" / "history.sqlite3")
    return schedule.build(kind, home / ODD, **options)  # type: ignore[arg-type]


def _command_part(line: str, *, collapse: bool = True) -> str:
    """Return what cron hands to /bin/sh: the line after its five time fields, as cron unescapes it.

    A backslash and the character after it go together: `\\%` becomes `%` and a bare `%` ends the command
    (the rest is its input). With `collapse` (Vixie/ISC cron, as Debian ships it), `\\\\` becomes `\\`
    too; without (cronie), every other pair is kept as it is.
    """
    command = line.rstrip("\n").split(None, 5)[5]
    unescaped, at = [], 0
    while at < len(command):
        char = command[at]
        if char == "\\" and at + 1 < len(command):
            after = command[at + 1]
            unescaped.append(after if after == "%" or (collapse and after == "\\") else char + after)
            at += 2
            continue
        if char == "%":
            break
        unescaped.append(char)
        at += 1
    return "".join(unescaped)


# --- cron ---------------------------------------------------------------------------------------


def test_the_crontab_line_runs_in_cron_s_bare_environment(home: Path, tmp_path: Path) -> None:
    """The printed line, run as cron runs it (sh -c, only HOME and a short PATH), audits the folder:
    exit 1 and a report when something is new, then exit 0 and silence the next time."""
    script = schedule.find_executable()
    assert len(script) == 1 and script[0].endswith("endorse-audit"), f"no console script beside {sys.executable}"
    shutil.copy(SAMPLE_CONFIG, home / ODD / "endorse-audit.toml")
    report = home / "reports dir" / "report.html"
    report.parent.mkdir()
    built = _build("cron", home, config=home / ODD / "endorse-audit.toml", state=tmp_path / "state dir" / "h.sqlite3")
    assert built.text.endswith(f" # {schedule.MARKER}\n")
    assert built.command[0] == script[0]

    def cron_run() -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            ["env", "-i", f"HOME={home}", "PATH=/usr/bin:/bin", "/bin/sh", "-c", _command_part(built.text)],
            cwd=home,
            capture_output=True,
            text=True,
            timeout=120,
        )

    first = cron_run()
    assert first.returncode == 1, first.stdout + first.stderr
    assert first.stdout.startswith("endorse-audit: 18 endorsements to hide in Basic_"), first.stdout
    assert f"  report: {report}\n" in first.stdout
    assert first.stderr == ""
    assert "<title>Endorsement audit for" in report.read_text(encoding="utf-8")
    assert (tmp_path / "state dir" / "h.sqlite3").is_file()

    second = cron_run()
    assert (second.returncode, second.stdout, second.stderr) == (0, "", "")


@pytest.mark.parametrize(
    ("every", "at", "fields"),
    [("weekly", "08:00", "0 8 * * 1"), ("daily", "7:05", "5 7 * * *"), ("monthly", "23:59", "59 23 1 * *")],
)
def test_the_crontab_line_s_time_and_words(home: Path, every: str, at: str, fields: str) -> None:
    built = _build("cron", home, every=every, at=at, executable=["/opt/e a/bin/endorse-audit"])
    assert built.text.startswith(fields + " ")
    assert built.text.endswith(" # endorse-audit schedule\n")
    words = shlex.split(_command_part(built.text), comments=True)
    assert words == [
        "/opt/e a/bin/endorse-audit",
        "audit",
        str(home / ODD),
        "-q",
        "--fail-on",
        "new",
        "--html",
        str(home / "reports dir" / "report.html"),
        "--state",
        str(home / "state" / "history.sqlite3"),
    ]
    assert built.report_folder == home / "reports dir"  # does not exist yet: install makes it


def test_a_percent_sign_is_escaped_for_cron(home: Path) -> None:
    """cron turns a bare % into a line break; the line carries \\% and the shell gets the % back."""
    built = _build("cron", home, html=home / "100% done.html", executable=["/usr/bin/endorse-audit"])
    assert "'" + str(home / "100\\% done.html") + "'" in built.text
    assert str(home / "100% done.html") in shlex.split(_command_part(built.text), comments=True)


def test_relative_paths_become_absolute(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(home)
    built = schedule.build(
        "cron", Path(ODD), html=Path("r.html"), state=Path("h.sqlite3"), config=Path("c.toml"), executable=["/e"]
    )
    assert built.command == (
        "/e",
        "audit",
        str(home / ODD),
        "-q",
        "--fail-on",
        "new",
        "--html",
        str(home / "r.html"),
        "--state",
        str(home / "h.sqlite3"),
        "--config",
        str(home / "c.toml"),
    )


def test_installing_in_a_tab_file_adds_one_line_and_keeps_the_rest(home: Path, tmp_path: Path) -> None:
    tabfile = tmp_path / "crontab"
    tabfile.write_text("MAILTO=sam@example.com\n30 6 * * * /usr/bin/backup --all\n", encoding="utf-8")
    built = _build("cron", home, executable=["/usr/bin/endorse-audit"])

    done = schedule.install(built, tabfile=tabfile)
    assert done == [
        f"Created {home / 'reports dir'} for the report",
        f"Added the schedule in {tabfile}:",
        built.text.rstrip("\n"),
    ]
    assert (home / "reports dir").is_dir()
    again = schedule.install(_build("cron", home, at="09:30", executable=["/usr/bin/endorse-audit"]), tabfile=tabfile)
    assert again[0] == f"Replaced the schedule in {tabfile}:"
    lines = tabfile.read_text(encoding="utf-8").splitlines()
    assert lines[:2] == ["MAILTO=sam@example.com", "30 6 * * * /usr/bin/backup --all"]
    assert len(lines) == 3 and lines[2].startswith("30 9 * * 1 /usr/bin/endorse-audit audit ")

    assert schedule.uninstall("cron", tabfile=tabfile) == [f"Removed the schedule from {tabfile}"]
    assert tabfile.read_text(encoding="utf-8").splitlines() == lines[:2]
    assert schedule.uninstall("cron", tabfile=tabfile) == [f"No endorse-audit schedule in {tabfile}"]


USER_CRONTAB = (
    "# my jobs, by hand\n"
    'MAILTO="sam@example.com"\n'
    "SHELL=/bin/bash\n"
    "\n"
    "30 6 * * *   /usr/bin/backup --all   # nightly\n"
    '@reboot echo "100%" > /tmp/x\n'
    "this line is not valid cron\n"
    "0 7 * * * echo 'caf\u00e9'\t\\\\ \\%\n"
)


def test_install_and_uninstall_change_only_our_own_line(home: Path, fake_crontab: Path) -> None:
    fake_crontab.write_bytes(USER_CRONTAB.encode("utf-8") + b"0 9 * * * echo \xff\n")
    before = fake_crontab.read_bytes()
    built = _build("cron", home, executable=["/usr/bin/endorse-audit"])
    schedule.install(built)
    assert fake_crontab.read_bytes() == before + built.text.encode("utf-8")
    schedule.install(_build("cron", home, at="09:30", executable=["/usr/bin/endorse-audit"]))
    after = fake_crontab.read_bytes()
    assert after.startswith(before) and after.count(b"# endorse-audit schedule") == 1
    assert after[len(before) :].startswith(b"30 9 * * 1 /usr/bin/endorse-audit audit ")
    assert schedule.uninstall("cron") == ["Removed the schedule from your crontab"]
    assert fake_crontab.read_bytes() == before


def test_install_ends_a_last_line_without_a_line_break_first(home: Path, fake_crontab: Path) -> None:
    fake_crontab.write_text("0 7 * * * true", encoding="utf-8")
    built = _build("cron", home, executable=["/usr/bin/endorse-audit"])
    schedule.install(built)
    assert fake_crontab.read_text(encoding="utf-8") == "0 7 * * * true\n" + built.text


def test_without_a_crontab_program_install_says_what_to_do(
    home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    with pytest.raises(OutputError) as caught:
        schedule.install(_build("cron", home, executable=["/e"]))
    assert str(caught.value).startswith("crontab: cannot be read (")
    assert str(caught.value).endswith("); install cron, or use --systemd")


@pytest.mark.parametrize("collapse", [True, False], ids=["vixie-debian", "cronie"])
@pytest.mark.parametrize("name", ["bs\\\\dbl", "bs\\%x", "end\\", "100% 'a' \\b", "a #1", "%\\%%\\\\%"])
def test_cron_runs_the_command_it_printed(home: Path, tmp_path: Path, name: str, collapse: bool) -> None:
    """Whichever way this cron unescapes backslashes, /bin/sh gets the very words printed."""
    (home / name).mkdir()
    program = tmp_path / "bin" / "words"
    program.parent.mkdir()
    program.write_text('#!/bin/sh\nfor word in "$@"; do printf \'%s\\0\' "$word"; done\n', encoding="utf-8")
    program.chmod(0o755)
    built = schedule.build(
        "cron", home / name, html=home / name / "r%.html", state=home / "h", executable=[str(program)]
    )
    ran = subprocess.run(
        ["/bin/sh", "-c", _command_part(built.text, collapse=collapse)], capture_output=True, text=True, check=True
    )
    assert ran.stdout.split("\0")[:-1] == list(built.command[1:])


# --- systemd ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("every", "calendar"),
    [("weekly", "Mon *-*-* 08:00:00"), ("daily", "*-*-* 08:00:00"), ("monthly", "*-*-01 08:00:00")],
)
def test_systemd_units(home: Path, every: str, calendar: str) -> None:
    built = _build("systemd", home, every=every, executable=["/opt/e a/bin/endorse-audit"])
    (service_path, service), (timer_path, timer) = built.files
    assert service_path == home / ".config" / "systemd" / "user" / "endorse-audit.service"
    assert timer_path == service_path.with_suffix(".timer")
    exec_start = (
        'ExecStart="/opt/e a/bin/endorse-audit" audit "{folder}" -q --fail-on new --html "{html}" --state {state}\n'
    ).format(
        folder=str(home / ODD).replace("$", "$$"),
        html=home / "reports dir" / "report.html",
        state=home / "state" / "history.sqlite3",
    )
    assert exec_start in service
    assert "Type=oneshot\n" in service
    assert f"OnCalendar={calendar}\nPersistent=true\n" in timer
    assert "WantedBy=timers.target\n" in timer
    assert built.text == f"# {service_path}\n{service}\n# {timer_path}\n{timer}"
    if shutil.which("systemd-analyze"):
        checked = subprocess.run(["systemd-analyze", "calendar", calendar], capture_output=True, text=True)
        assert checked.returncode == 0, checked.stderr


def test_systemd_quoting_of_percent_dollar_quote_and_backslash() -> None:
    word = schedule._systemd_word
    assert word("/plain/path-1.0") == "/plain/path-1.0"
    assert word('a "b" \\c') == '"a \\"b\\" \\\\c"'
    assert word("50%") == "50%%"
    assert word("$HOME x") == '"$$HOME x"'
    assert word("/opt/$x/endorse-audit", program=True) == '"/opt/$x/endorse-audit"'  # not expanded there


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="needs systemd-analyze")
def test_systemd_accepts_the_service(home: Path, tmp_path: Path) -> None:
    """systemd's own parser reads the ExecStart line and finds the program, spaces and all."""
    program = tmp_path / "bin dir" / "endorse-audit"
    program.parent.mkdir()
    program.write_text("#!/bin/sh\n", encoding="utf-8")
    program.chmod(0o755)
    built = _build("systemd", home, executable=[str(program)])
    service = tmp_path / "endorse-audit.service"
    service.write_text(built.files[0][1], encoding="utf-8")
    checked = subprocess.run(["systemd-analyze", "verify", str(service)], capture_output=True, text=True)
    assert checked.returncode == 0, checked.stderr
    assert "endorse-audit.service" not in checked.stderr, checked.stderr


def test_systemd_refuses_a_program_path_with_a_quote(home: Path) -> None:
    with pytest.raises(EndorseAuditError, match="which systemd refuses in a program's path"):
        _build("systemd", home, executable=["/opt/sam's/endorse-audit"])


def _stand_in(folder: Path, name: str, exit_status: int = 0, complaint: str = "") -> Path:
    """Write a script called `name` that logs its arguments (one call a line) and exits as told."""
    folder.mkdir(exist_ok=True)
    log = folder / f"{name}.log"
    script = folder / name
    script.write_text(
        f'#!/bin/sh\necho "$*" >> {shlex.quote(str(log))}\necho {shlex.quote(complaint)} >&2\nexit {exit_status}\n',
        encoding="utf-8",
    )
    script.chmod(0o755)
    return log


def test_systemd_install_enables_the_timer_when_systemctl_is_there(
    home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    log = _stand_in(tmp_path / "bin", "systemctl")
    monkeypatch.setenv("PATH", str(tmp_path / "bin"))
    built = _build("systemd", home, executable=["/e"])
    done = schedule.install(built)
    units = home / ".config" / "systemd" / "user"
    assert done[1:] == [
        f"Wrote {units / 'endorse-audit.service'}",
        f"Wrote {units / 'endorse-audit.timer'}",
        "Enabled: systemctl --user enable --now endorse-audit.timer",
    ]
    assert (units / "endorse-audit.timer").read_text(encoding="utf-8") == built.files[1][1]
    assert log.read_text().splitlines() == ["--user daemon-reload", "--user enable --now endorse-audit.timer"]

    assert schedule.uninstall("systemd") == [
        f"Removed {units / 'endorse-audit.service'}",
        f"Removed {units / 'endorse-audit.timer'}",
    ]
    assert log.read_text().splitlines()[2:] == ["--user disable --now endorse-audit.timer", "--user daemon-reload"]
    assert schedule.uninstall("systemd") == [f"No endorse-audit schedule in {units}"]


def test_systemd_install_without_systemctl_says_what_to_run(
    home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    done = schedule.install(_build("systemd", home, executable=["/e"]))
    assert done[-1] == (
        "systemctl is not here; to start the timer, run: "
        "systemctl --user daemon-reload && systemctl --user enable --now endorse-audit.timer"
    )
    assert (tmp_path / "xdg" / "systemd" / "user" / "endorse-audit.timer").is_file()


def test_systemd_install_reports_systemctl_s_complaint(
    home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _stand_in(tmp_path / "bin", "systemctl", 1, "Failed to connect to bus: No medium found")
    monkeypatch.setenv("PATH", str(tmp_path / "bin"))
    with pytest.raises(OutputError) as caught:
        schedule.install(_build("systemd", home, executable=["/e"]))
    units = home / ".config" / "systemd" / "user"
    assert str(caught.value) == (
        "systemctl --user daemon-reload: failed (Failed to connect to bus: No medium found); "
        f"the units are written in {units}; run `systemctl --user daemon-reload` in your own session"
    )


# --- launchd ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("every", "when"),
    [
        ("weekly", {"Hour": 18, "Minute": 30, "Weekday": 1}),
        ("daily", {"Hour": 18, "Minute": 30}),
        ("monthly", {"Hour": 18, "Minute": 30, "Day": 1}),
    ],
)
def test_launchd_agent(home: Path, every: str, when: dict[str, int]) -> None:
    (home / "<a & b>").mkdir()
    built = schedule.build(
        "launchd",
        home / "<a & b>",
        every=every,
        at="18:30",
        html=home / "r.html",
        state=home / "h",
        executable=["/Users/sam/.local/bin/endorse-audit"],
    )
    assert "<string>" + str(home / "&lt;a &amp; b&gt;") + "</string>" in built.text
    agent = plistlib.loads(built.text.encode("utf-8"))
    assert agent == {
        "Label": "local.endorse-audit",
        "ProgramArguments": list(built.command),
        "StartCalendarInterval": when,
        "StandardOutPath": str(home / "Library" / "Logs" / "endorse-audit.log"),
        "StandardErrorPath": str(home / "Library" / "Logs" / "endorse-audit.log"),
    }
    assert built.command[2] == str(home / "<a & b>")
    assert built.files == ((home / "Library" / "LaunchAgents" / "local.endorse-audit.plist", built.text),)


def test_launchd_install_loads_the_agent(home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    log = _stand_in(tmp_path / "bin", "launchctl")
    monkeypatch.setenv("PATH", str(tmp_path / "bin"))
    built = _build("launchd", home, executable=["/e"])
    agent = home / "Library" / "LaunchAgents" / "local.endorse-audit.plist"
    assert schedule.install(built)[1:] == [f"Wrote {agent}", f"Loaded: launchctl load -w {agent}"]
    assert agent.read_text(encoding="utf-8") == built.text
    assert log.read_text().splitlines() == [f"unload {agent}", f"load -w {agent}"]
    assert schedule.uninstall("launchd") == [f"Removed {agent}"]
    assert log.read_text().splitlines()[2:] == [f"unload -w {agent}"]


# --- Windows ------------------------------------------------------------------------------------


@pytest.fixture
def short(monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A folder with a short path: schtasks takes a command of 261 characters at most."""
    folder = Path(tempfile.mkdtemp(prefix="ea-"))
    monkeypatch.setenv("HOME", str(folder))
    yield folder
    shutil.rmtree(folder)


@pytest.mark.parametrize(
    ("every", "period"), [("weekly", "/SC WEEKLY /D MON"), ("daily", "/SC DAILY"), ("monthly", "/SC MONTHLY /D 1")]
)
def test_windows_task(short: Path, every: str, period: str) -> None:
    tmp_path = short
    folder = tmp_path / "My Downloads"
    folder.mkdir()
    built = schedule.build(
        "windows",
        folder,
        every=every,
        html=tmp_path / "r.html",
        state=tmp_path / "h",
        executable=[r"C:\Program Files\endorse-audit\endorse-audit.exe"],
    )
    task = (
        rf"\"C:\Program Files\endorse-audit\endorse-audit.exe\" audit \"{folder}\" -q --fail-on new"
        rf" --html {tmp_path / 'r.html'} --state {tmp_path / 'h'}"
    )
    assert built.text == f'schtasks /Create /TN endorse-audit /TR "{task}" {period} /ST 08:00 /F\n'
    assert built.files == ()


def test_windows_task_longer_than_schtasks_takes_is_refused(tmp_path: Path) -> None:
    with pytest.raises(EndorseAuditError, match=r"schtasks /TR: the command is \d+ characters, schtasks takes 261"):
        schedule.build("windows", tmp_path, html=tmp_path / ("r" * 200), state=tmp_path / "h", executable=["e.exe"])


def test_windows_install_and_uninstall_run_schtasks(short: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    log = _stand_in(short / "bin", "schtasks")
    monkeypatch.setenv("PATH", str(short / "bin"))
    built = schedule.build("windows", short, html=short / "r.html", state=short / "h", executable=["e.exe"])
    done = schedule.install(built)
    assert done[-1] == "Created the task endorse-audit: " + built.text.rstrip("\n")
    assert log.read_text().splitlines()[0].startswith("/Create /TN endorse-audit /TR e.exe audit ")
    assert schedule.uninstall("windows") == ["Deleted the task endorse-audit"]
    assert log.read_text().splitlines()[1] == "/Delete /TN endorse-audit /F"


# --- Watching the folder: --on-new-export --------------------------------------------------------


def _exec_start_words(service: str) -> list[str]:
    """Return the program and arguments systemd runs for a service's ExecStart= line (its quoting is
    a shell's double quotes; `%%` and `$$` stand for `%` and `$`)."""
    line = next(line for line in service.splitlines() if line.startswith("ExecStart="))
    return [word.replace("%%", "%").replace("$$", "$") for word in shlex.split(line.removeprefix("ExecStart="))]


def test_systemd_watch_units_start_the_audit_when_the_folder_changes(home: Path) -> None:
    built = _build("systemd", home, on_new_export=True, executable=["/opt/e a/bin/endorse-audit"])
    (service_path, service), (path_unit_path, path_unit) = built.files
    units = home / ".config" / "systemd" / "user"
    assert (service_path, path_unit_path) == (units / "endorse-audit-watch.service", units / "endorse-audit-watch.path")
    assert _exec_start_words(service) == list(built.command)
    assert built.command[1:6] == ("audit", str(home / ODD), "-q", "--fail-on", "new")
    assert "Type=oneshot\n" in service
    assert f"[Path]\nPathChanged={home / ODD}\n" in path_unit
    assert "WantedBy=paths.target\n" in path_unit
    assert built.text == f"# {service_path}\n{service}\n# {path_unit_path}\n{path_unit}"
    assert built.watch == home / ODD


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="needs systemd-analyze (systemd's own parser)")
def test_systemd_accepts_the_watch_units(home: Path, tmp_path: Path) -> None:
    program = tmp_path / "bin dir" / "endorse-audit"
    program.parent.mkdir()
    program.write_text("#!/bin/sh\n", encoding="utf-8")
    program.chmod(0o755)
    built = _build("systemd", home, on_new_export=True, executable=[str(program)])
    written = tmp_path / "units"
    written.mkdir()
    for path, text in built.files:
        (written / path.name).write_text(text, encoding="utf-8")
    checked = subprocess.run(
        ["systemd-analyze", "verify", str(written / "endorse-audit-watch.path")], capture_output=True, text=True
    )
    assert checked.returncode == 0, checked.stderr
    assert "endorse-audit-watch" not in checked.stderr, checked.stderr


def test_launchd_watch_agent_watches_the_folder(home: Path) -> None:
    built = _build("launchd", home, on_new_export=True, executable=["/Users/sam/.local/bin/endorse-audit"])
    agent = plistlib.loads(built.text.encode("utf-8"))
    log = str(home / "Library" / "Logs" / "endorse-audit.log")
    assert agent == {
        "Label": "local.endorse-audit.watch",
        "ProgramArguments": list(built.command),
        "WatchPaths": [str(home / ODD)],
        "StandardOutPath": log,
        "StandardErrorPath": log,
    }
    assert built.files == ((home / "Library" / "LaunchAgents" / "local.endorse-audit.watch.plist", built.text),)


def test_the_watch_command_runs_in_a_bare_environment(home: Path, tmp_path: Path) -> None:
    """What systemd and launchd run when an export lands (their words, read back from the printed units),
    run with only HOME and a short PATH: a report and exit 1 when the export lands, silence and exit 0
    when something else lands after it."""
    watched = home / "Watched dir $x"
    watched.mkdir()
    report = home / "reports dir" / "report.html"
    report.parent.mkdir()
    state = tmp_path / "state dir" / "h.sqlite3"
    systemd_units = schedule.build("systemd", watched, html=report, state=state, on_new_export=True)
    launchd_agent = schedule.build("launchd", watched, html=report, state=state, on_new_export=True)
    words = _exec_start_words(systemd_units.files[0][1])
    assert words == plistlib.loads(launchd_agent.text.encode("utf-8"))["ProgramArguments"]

    def triggered() -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            ["env", "-i", f"HOME={home}", "PATH=/usr/bin:/bin", *words],
            cwd="/",
            capture_output=True,
            text=True,
            timeout=120,
        )

    shutil.copy(SAMPLE_ZIP, watched / SAMPLE_ZIP.name)
    landed = triggered()
    assert landed.returncode == 1, landed.stdout + landed.stderr
    assert landed.stdout.startswith("endorse-audit: 20 new endorsements to hide (20 in all) in Basic_"), landed.stdout
    assert "<title>Endorsement audit for" in report.read_text(encoding="utf-8")
    (watched / "holiday.jpg").write_bytes(b"not an export")
    again = triggered()
    assert (again.returncode, again.stdout, again.stderr) == (0, "", "")


@pytest.mark.parametrize(
    ("kind", "error"),
    [
        ("cron", "cron runs at set times and cannot watch a folder; use --systemd (Linux) or --launchd (macOS)"),
        (
            "windows",
            "Windows' Task Scheduler cannot start a program when a file lands in a folder; make the daily task"
            " instead: endorse-audit schedule --windows --every daily FOLDER",
        ),
    ],
)
def test_a_scheduler_that_cannot_watch_says_what_it_offers(home: Path, kind: str, error: str) -> None:
    with pytest.raises(EndorseAuditError) as caught:
        _build(kind, home, on_new_export=True, executable=["/e"])
    assert str(caught.value) == f"--on-new-export: {error}"


def test_systemd_watch_install_and_uninstall(home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    log = _stand_in(tmp_path / "bin", "systemctl")
    monkeypatch.setenv("PATH", str(tmp_path / "bin"))
    units = home / ".config" / "systemd" / "user"
    timer = schedule.install(_build("systemd", home, executable=["/e"]))  # a timer, kept beside the watch
    built = _build("systemd", home, on_new_export=True, executable=["/e"])
    assert schedule.install(built) == [
        f"Wrote {units / 'endorse-audit-watch.service'}",
        f"Wrote {units / 'endorse-audit-watch.path'}",
        "Enabled: systemctl --user enable --now endorse-audit-watch.path",
    ]
    assert (units / "endorse-audit-watch.path").read_text(encoding="utf-8") == built.files[1][1]
    assert log.read_text().splitlines()[2:] == ["--user daemon-reload", "--user enable --now endorse-audit-watch.path"]
    assert schedule.uninstall("systemd", watch=True) == [
        f"Removed {units / 'endorse-audit-watch.service'}",
        f"Removed {units / 'endorse-audit-watch.path'}",
    ]
    assert log.read_text().splitlines()[4:] == ["--user disable --now endorse-audit-watch.path", "--user daemon-reload"]
    assert sorted(p.name for p in units.iterdir()) == ["endorse-audit.service", "endorse-audit.timer"], timer
    assert schedule.uninstall("systemd", watch=True) == [f"No endorse-audit schedule in {units}"]


def test_launchd_watch_install_and_uninstall(home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    log = _stand_in(tmp_path / "bin", "launchctl")
    monkeypatch.setenv("PATH", str(tmp_path / "bin"))
    built = _build("launchd", home, on_new_export=True, executable=["/e"])
    agent = home / "Library" / "LaunchAgents" / "local.endorse-audit.watch.plist"
    assert schedule.install(built)[1:] == [f"Wrote {agent}", f"Loaded: launchctl load -w {agent}"]
    assert agent.read_text(encoding="utf-8") == built.text
    assert log.read_text().splitlines() == [f"unload {agent}", f"load -w {agent}"]
    assert schedule.uninstall("launchd", watch=True) == [f"Removed {agent}"]
    assert log.read_text().splitlines()[2:] == [f"unload -w {agent}"]
    assert not agent.exists()


# --- Choices and errors -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("platform", "kind"),
    [("linux", "cron"), ("freebsd14", "cron"), ("openbsd7", "cron"), ("darwin", "launchd"), ("win32", "windows")],
)
def test_default_kind_by_platform(platform: str, kind: str, monkeypatch: pytest.MonkeyPatch) -> None:
    assert schedule.default_kind(platform) == kind
    monkeypatch.setattr(sys, "platform", platform)
    assert schedule.default_kind() == kind


def test_the_executable_is_the_console_script_else_python_dash_m(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    python = tmp_path / "venv" / "bin" / "python"
    python.parent.mkdir(parents=True)
    python.symlink_to(sys.executable)  # as in a virtual environment: not followed
    monkeypatch.setattr(sys, "executable", str(python))
    assert schedule.find_executable() == (str(python), "-m", "endorse_audit")
    script = python.parent / "endorse-audit"
    script.write_text("#!/bin/sh\n", encoding="utf-8")
    script.chmod(0o755)
    assert schedule.find_executable() == (str(script),)


@pytest.mark.parametrize("at", ["24:00", "8", "08:60", "8h", "", "08:00:00"])
def test_a_bad_time_is_refused(home: Path, at: str) -> None:
    with pytest.raises(EndorseAuditError) as caught:
        _build("cron", home, at=at)
    assert str(caught.value) == f"--at {at}: is not a time of day; give it as HH:MM, like 08:00 or 18:30"


def test_a_missing_folder_is_refused(home: Path) -> None:
    with pytest.raises(EndorseAuditError) as caught:
        schedule.build("cron", home / "nowhere", html=home / "r.html", state=home / "h")
    assert (
        str(caught.value) == f"{home / 'nowhere'}: does not exist; give the folder your LinkedIn exports are saved in"
    )


def test_a_line_break_in_a_path_is_refused(home: Path) -> None:
    with pytest.raises(EndorseAuditError, match="holds a line break; a schedule cannot run it"):
        _build("launchd", home, html=home / "a\nb.html")


def test_unknown_kind_and_period(home: Path) -> None:
    with pytest.raises(EndorseAuditError, match="^at: is not a scheduler; choose one of cron, systemd"):
        _build("at", home)
    with pytest.raises(EndorseAuditError, match="^--every hourly: is not a period; choose one of daily, weekly"):
        _build("cron", home, every="hourly")


# --- The command line ---------------------------------------------------------------------------


@pytest.fixture
def fake_crontab(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Put a stand-in `crontab` program on PATH, keeping the user's crontab in a file."""
    tab = tmp_path / "user-crontab"
    program = tmp_path / "crontab-bin" / "crontab"
    program.parent.mkdir()
    program.write_text(
        "#!/bin/sh\n"
        f"tab={shlex.quote(str(tab))}\n"
        'if [ "$1" = "-l" ]; then\n'
        '  if [ -f "$tab" ]; then cat "$tab"; else echo "no crontab for sam" >&2; exit 1; fi\n'
        'else cp "$1" "$tab"; fi\n',
        encoding="utf-8",
    )
    program.chmod(0o755)
    monkeypatch.setenv("PATH", f"{program.parent}{os.pathsep}/usr/bin{os.pathsep}/bin")
    return tab


def test_schedule_prints_the_crontab_line_and_how_to_add_it(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    downloads = tmp_path / "home" / "Downloads"
    downloads.mkdir(parents=True)
    result = run("schedule", "--cron", downloads)
    assert result.exit_code == 0, result.stderr
    state = tmp_path / "state" / "endorse-audit" / "history.sqlite3"  # the one `audit` uses (XDG_STATE_HOME)
    expected = schedule.build("cron", downloads, html=tmp_path / "home" / "endorse-audit" / "report.html", state=state)
    assert result.stdout == expected.text
    assert result.stderr == (
        f"Create the report's folder first: mkdir -p {tmp_path / 'home' / 'endorse-audit'}\n"
        "Add this line with `crontab -e` (cron mails what it prints; set MAILTO=you@example.com above it),"
        " or run this again with --install.\n"
    )


def test_schedule_pins_the_config_audit_would_find_here(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "work" / "endorse-audit.toml").write_text("", encoding="utf-8")  # ./endorse-audit.toml
    result = run("schedule", "--launchd", ".", "--html", "r.html", "--state", "h.sqlite3")
    agent = plistlib.loads(result.stdout.encode("utf-8"))
    assert agent["ProgramArguments"][1:] == [
        "audit",
        str(tmp_path / "work"),
        "-q",
        "--fail-on",
        "new",
        "--html",
        str(tmp_path / "work" / "r.html"),
        "--state",
        str(tmp_path / "work" / "h.sqlite3"),
        "--config",
        str(tmp_path / "work" / "endorse-audit.toml"),
    ]


def test_schedule_install_and_uninstall_through_crontab(run, tmp_path: Path, fake_crontab: Path) -> None:  # type: ignore[no-untyped-def]
    downloads = tmp_path / "home" / "Downloads"
    downloads.mkdir(parents=True)
    printed = run("schedule", "--cron", downloads, "--every", "daily", "--at", "7:15").stdout
    installed = run("schedule", "--install", "--cron", downloads, "--every", "daily", "--at", "7:15")
    assert installed.exit_code == 0, installed.stderr
    assert installed.stdout == (
        f"Created {tmp_path / 'home' / 'endorse-audit'} for the report\n"
        "Added the schedule in your crontab (`crontab -l` shows it):\n" + printed
    )
    assert fake_crontab.read_text(encoding="utf-8") == printed
    assert printed.startswith("15 7 * * * ")
    removed = run("schedule", "--uninstall", "--cron")
    assert (removed.exit_code, removed.stdout) == (0, "Removed the schedule from your crontab\n")
    assert fake_crontab.read_text(encoding="utf-8") == ""
    assert run("schedule", "--uninstall", "--cron").stdout == "No endorse-audit schedule in your crontab\n"


@pytest.mark.parametrize(("platform", "kind"), [("linux", "systemd"), ("darwin", "launchd")])
def test_schedule_on_new_export_prints_this_system_s_watch(  # type: ignore[no-untyped-def]
    run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, platform: str, kind: str
) -> None:
    monkeypatch.setattr(sys, "platform", platform)
    downloads = tmp_path / "home" / "Downloads"
    downloads.mkdir(parents=True)
    result = run("schedule", "--on-new-export", downloads)
    assert result.exit_code == 0, result.stderr
    state = tmp_path / "state" / "endorse-audit" / "history.sqlite3"
    html = tmp_path / "home" / "endorse-audit" / "report.html"
    expected = schedule.build(kind, downloads, html=html, state=state, on_new_export=True)
    assert result.stdout == expected.text
    hint = result.stderr.splitlines()[-1]
    if kind == "systemd":
        assert hint == (
            "Save these two files, then run `systemctl --user daemon-reload && systemctl --user enable --now"
            " endorse-audit-watch.path`; or run this again with --install."
        )
    else:
        agent = tmp_path / "home" / "Library" / "LaunchAgents" / "local.endorse-audit.watch.plist"
        assert hint == f"Save this as {agent}, then run `launchctl load -w {agent}`; or run this again with --install."


def test_schedule_on_new_export_install_and_uninstall(  # type: ignore[no-untyped-def]
    run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sys, "platform", "linux")
    _stand_in(tmp_path / "bin", "systemctl")
    monkeypatch.setenv("PATH", str(tmp_path / "bin"))
    downloads = tmp_path / "home" / "Downloads"
    downloads.mkdir(parents=True)
    units = tmp_path / "xdg" / "systemd" / "user"
    installed = run("schedule", "--install", "--on-new-export", downloads)
    assert installed.exit_code == 0, installed.stderr
    assert installed.stdout.splitlines()[-1] == "Enabled: systemctl --user enable --now endorse-audit-watch.path"
    assert (units / "endorse-audit-watch.path").is_file()
    removed = run("schedule", "--uninstall", "--on-new-export")
    assert (removed.exit_code, removed.stderr) == (0, "")
    assert not (units / "endorse-audit-watch.path").exists()


@pytest.mark.parametrize("option", [["--every", "daily"], ["--at", "07:00"]])
def test_schedule_on_new_export_refuses_a_time(run, tmp_path: Path, option: list[str]) -> None:  # type: ignore[no-untyped-def]
    result = run("schedule", "--on-new-export", "--systemd", *option, ".")
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == (
        f"Error: --on-new-export and {option[0]} cannot be used together: it runs when a file lands, not at set"
        " times (see 'endorse-audit schedule --help')\n"
    )


def test_schedule_on_new_export_on_windows_says_what_it_offers(run, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(sys, "platform", "win32")
    result = run("schedule", "--on-new-export", ".")
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == (
        "Error: --on-new-export: Windows' Task Scheduler cannot start a program when a file lands in a folder;"
        " make the daily task instead: endorse-audit schedule --windows --every daily FOLDER\n"
    )


@pytest.mark.parametrize(
    ("args", "error"),
    [
        (["--at", "8am", "."], "Error: --at 8am: is not a time of day; give it as HH:MM, like 08:00 or 18:30\n"),
        (["nowhere"], "Error: nowhere: does not exist; give the folder your LinkedIn exports are saved in\n"),
    ],
)
def test_schedule_errors_are_one_line_and_exit_2(run, args: list[str], error: str) -> None:  # type: ignore[no-untyped-def]
    result = run("schedule", "--cron", *args)
    assert (result.exit_code, result.stdout, result.stderr) == (2, "", error)


def test_schedule_without_a_folder_is_a_usage_error(run) -> None:  # type: ignore[no-untyped-def]
    result = run("schedule")
    assert result.exit_code == 2
    assert result.stderr == "Error: Missing argument 'FOLDER'. (see 'endorse-audit schedule --help')\n"


def test_schedule_install_without_crontab_says_what_to_do(run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    result = run("schedule", "--install", "--cron", ".")
    assert result.exit_code == 2
    assert result.stderr.startswith("Error: crontab: cannot be read (")
    assert result.stderr.endswith("); install cron, or use --systemd\n")
    assert len(result.stderr.splitlines()) == 1


def test_schedule_help(run) -> None:  # type: ignore[no-untyped-def]
    for flag in ("-h", "--help"):
        result = run("schedule", flag)
        assert result.exit_code == 0
        assert "  endorse-audit schedule --install ~/Downloads\n" in result.stdout
    assert "schedule  Print, install or remove a schedule" in run("--help").stdout


def test_the_docs_show_the_line_schedule_prints(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The crontab line in README.md and docs/scheduling.md is what `schedule` prints for /home/sam after
    `pipx install .` (where pipx puts the console script, as checked by hand)."""
    from conftest import ROOT

    sam = tmp_path / "home" / "sam"
    (sam / "Downloads").mkdir(parents=True)
    monkeypatch.setenv("HOME", str(sam))
    monkeypatch.delenv("XDG_STATE_HOME")
    from endorse_audit.history.database import default_path

    built = schedule.build(
        "cron",
        sam / "Downloads",
        html=schedule.default_report(),
        state=default_path(),
        executable=[str(sam / ".local" / "share" / "pipx" / "venvs" / "endorse-audit" / "bin" / "endorse-audit")],
    )
    line = built.text.replace(str(tmp_path), "").rstrip("\n")
    for page in (ROOT / "README.md", ROOT / "docs" / "scheduling.md"):
        assert line in page.read_text(encoding="utf-8").splitlines(), page.name
