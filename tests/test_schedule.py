"""schedule.py: the crontab line, systemd units, launchd agent and schtasks line, and installing them.

Only cron is run for real here (Linux); the systemd, launchd and Windows outputs are checked as text, and
their installers against stand-in `systemctl`, `launchctl` and `schtasks` scripts on PATH.
"""

from __future__ import annotations

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


def _command_part(line: str) -> str:
    """Return what cron hands to /bin/sh: the line after its five time fields, `\\%` back to `%`."""
    return line.rstrip("\n").split(None, 5)[5].replace("\\%", "%")


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


def test_without_a_crontab_program_install_says_what_to_do(
    home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import crontab

    monkeypatch.setattr(crontab, "CRON_COMMAND", str(tmp_path / "no-such-crontab"))
    with pytest.raises(OutputError) as caught:
        schedule.install(_build("cron", home, executable=["/e"]))
    assert str(caught.value).startswith("crontab: cannot be read (")
    assert str(caught.value).endswith("); install cron, or use --systemd")


def test_a_path_with_space_hash_is_refused_for_cron(home: Path) -> None:
    (home / "a #1").mkdir()
    with pytest.raises(EndorseAuditError, match=r"holds ' #', which a crontab reads as a comment; choose paths"):
        schedule.build("cron", home / "a #1", html=home / "r.html", state=home / "h", executable=["/e"])


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
    """Point python-crontab at a stand-in `crontab` program keeping the user's crontab in a file."""
    import crontab

    tab = tmp_path / "user-crontab"
    program = tmp_path / "bin" / "crontab"
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
    monkeypatch.setattr(crontab, "CRON_COMMAND", str(program))
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
    assert fake_crontab.read_text(encoding="utf-8") == "\n" + printed  # python-crontab keeps a blank line first
    assert printed.startswith("15 7 * * * ")
    removed = run("schedule", "--uninstall", "--cron")
    assert (removed.exit_code, removed.stdout) == (0, "Removed the schedule from your crontab\n")
    assert fake_crontab.read_text(encoding="utf-8") == ""
    assert run("schedule", "--uninstall", "--cron").stdout == "No endorse-audit schedule in your crontab\n"


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
    import crontab

    monkeypatch.setattr(crontab, "CRON_COMMAND", str(tmp_path / "no-such-crontab"))
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
