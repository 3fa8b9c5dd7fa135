"""A schedule that audits a folder of exports: a crontab line, systemd user units, a launchd agent or a
Windows scheduled task, built as text and installed or removed for the current user.

The scheduled command names everything by absolute path (this installation's `endorse-audit`, the folder,
the report, the history, the config), because a scheduler runs it with almost no environment: no PATH
beyond /usr/bin:/bin, no XDG variables, another working folder. It runs
`audit FOLDER -q --fail-on new --html REPORT --state HISTORY [--config CONFIG]`: silent unless something
new is to hide, exit status 1 when it is.
"""

from __future__ import annotations

import os
import plistlib
import re
import shlex
import shutil
import subprocess
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from endorse_audit import files
from endorse_audit.errors import EndorseAuditError, OutputError

KINDS = ("cron", "systemd", "launchd", "windows")
EVERY = ("daily", "weekly", "monthly")
NAME = "endorse-audit"  # the systemd units' and the Windows task's name
LABEL = "local.endorse-audit"  # the launchd agent's label (and its plist's name)
MARKER = "endorse-audit schedule"  # the crontab line's comment, by which it is found again
SCHTASKS_LIMIT = 261  # the longest command `schtasks /TR` takes


@dataclass(frozen=True)
class Schedule:
    """One schedule, ready to print or install."""

    kind: str  # one of KINDS
    every: str  # one of EVERY
    at: str  # "HH:MM", local time
    command: tuple[str, ...]  # the scheduled program and its arguments, absolute paths
    text: str  # what `endorse-audit schedule` prints: the crontab line, the units, the plist, the schtasks line
    files: tuple[tuple[Path, str], ...] = ()  # systemd and launchd: what install writes where
    report_folder: Path | None = None  # the report's folder, made by install when it does not exist yet


def default_kind(platform: str | None = None) -> str:
    """Return the scheduler of this platform: launchd on macOS, windows on Windows, else cron."""
    platform = sys.platform if platform is None else platform
    if platform == "darwin":
        return "launchd"
    if platform.startswith(("win", "cygwin")):
        return "windows"
    return "cron"


def find_executable() -> tuple[str, ...]:
    """Return how to run this installation: its `endorse-audit` console script, else `python -m endorse_audit`.

    Not resolved through symbolic links: a virtual environment's python is one, and its folder is the one
    holding the console script.
    """
    python = Path(sys.executable).absolute()
    name = "endorse-audit.exe" if os.name == "nt" else "endorse-audit"
    for script in (python.parent / name, python.parent / "Scripts" / name):
        if script.is_file() and os.access(script, os.X_OK):
            return (str(script),)
    return (str(python), "-m", "endorse_audit")


def default_report() -> Path:
    """Return where a scheduled run writes its report unless told otherwise."""
    return Path.home() / "endorse-audit" / "report.html"


def build(
    kind: str,
    folder: Path,
    *,
    every: str = "weekly",
    at: str = "08:00",
    html: Path,
    state: Path,
    config: Path | None = None,
    executable: Sequence[str] | None = None,
) -> Schedule:
    """Return the schedule that audits `folder` `every` day, week (Monday) or month (the 1st) `at` HH:MM."""
    if kind not in KINDS:
        raise EndorseAuditError(kind, f"is not a scheduler; choose one of {', '.join(KINDS)}")
    if every not in EVERY:
        raise EndorseAuditError(f"--every {every}", f"is not a period; choose one of {', '.join(EVERY)}")
    hour, minute = _time(at)
    folder = folder.expanduser()
    if not folder.exists():
        raise EndorseAuditError(str(folder), "does not exist; give the folder your LinkedIn exports are saved in")
    html, state = html.expanduser().absolute(), state.expanduser().absolute()
    program = tuple(executable) if executable is not None else find_executable()
    command = (*program, "audit", str(folder.absolute()), "-q", "--fail-on", "new", "--html", str(html))
    command += ("--state", str(state))
    if config is not None:
        command += ("--config", str(config.expanduser().absolute()))
    for word in command:
        if "\n" in word or "\r" in word or "\0" in word:
            raise EndorseAuditError(repr(word), "holds a line break; a schedule cannot run it; choose another path")
    at = f"{hour:02d}:{minute:02d}"
    report_folder = None if html.parent.is_dir() else html.parent
    if kind == "cron":
        return Schedule(kind, every, at, command, _cron_line(command, every, hour, minute), (), report_folder)
    if kind == "systemd":
        files = _systemd_units(command, every, hour, minute, folder.absolute())
        return Schedule(kind, every, at, command, _show(files), files, report_folder)
    if kind == "launchd":
        files = ((agent_path(), _plist(command, every, hour, minute)),)
        return Schedule(kind, every, at, command, files[0][1], files, report_folder)
    return Schedule(kind, every, at, command, subprocess.list2cmdline(_schtasks_create(command, every, at)) + "\n")


def _time(at: str) -> tuple[int, int]:
    found = re.fullmatch(r"([01]?\d|2[0-3]):([0-5]\d)", at.strip())
    if found is None:
        raise EndorseAuditError(f"--at {at}", "is not a time of day; give it as HH:MM, like 08:00 or 18:30")
    return int(found.group(1)), int(found.group(2))


# --- cron ---------------------------------------------------------------------------------------


def _cron_fields(every: str, hour: int, minute: int) -> str:
    day, weekday = {"daily": ("*", "*"), "weekly": ("*", "1"), "monthly": ("1", "*")}[every]
    return f"{minute} {hour} {day} * {weekday}"


def _cron_line(command: Sequence[str], every: str, hour: int, minute: int) -> str:
    """Return the crontab line, rendered by python-crontab exactly as install writes it."""
    from crontab import CronTab

    shell = shlex.join(command)
    if re.search(r"\s#", shell):  # python-crontab would read the rest of the line back as a comment
        raise EndorseAuditError(shell, "holds ' #', which a crontab reads as a comment; choose paths without it")
    job = CronTab(tab="").new(command=shell, comment=MARKER)
    job.setall(_cron_fields(every, hour, minute))
    return str(job.render()) + "\n"


def _crontab(tabfile: Path | None) -> object:
    """Return the user's crontab (or the tab file's, for a test), as python-crontab reads it."""
    from crontab import CronTab

    try:
        return CronTab(tabfile=str(tabfile)) if tabfile is not None else CronTab(user=True)
    except OSError as error:
        raise OutputError("crontab", f"cannot be read ({error}); install cron, or use --systemd")


def _write_crontab(tab: object) -> None:
    try:
        tab.write()  # type: ignore[attr-defined]
    except OSError as error:
        raise OutputError("crontab", f"cannot be written ({error}); add the line by hand with `crontab -e`")


# --- systemd ------------------------------------------------------------------------------------


def unit_folder() -> Path:
    """Return the folder of the user's own systemd units."""
    base = os.environ.get("XDG_CONFIG_HOME", "")
    root = Path(base) if os.path.isabs(base) else Path.home() / ".config"
    return root / "systemd" / "user"


def _systemd_word(word: str, *, program: bool = False) -> str:
    """Return one word of an ExecStart= line: systemd splits it itself (not a shell) and expands % specifiers,
    and $VARIABLES in the arguments (not in the program's own path)."""
    word = word.replace("%", "%%") if program else word.replace("%", "%%").replace("$", "$$")
    if word and re.fullmatch(r"[\w@%+=:,./-]+", word):
        return word
    return '"' + word.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _systemd_units(
    command: Sequence[str], every: str, hour: int, minute: int, folder: Path
) -> tuple[tuple[Path, str], ...]:
    days = {"daily": "*-*-*", "weekly": "Mon *-*-*", "monthly": "*-*-01"}[every]
    calendar = f"{days} {hour:02d}:{minute:02d}:00"
    where = str(folder).replace("%", "%%")
    service = (
        "[Unit]\n"
        f"Description=endorse-audit: audit the newest LinkedIn export in {where}\n"
        "\n"
        "[Service]\n"
        "Type=oneshot\n"
        f"ExecStart={' '.join(_systemd_word(word, program=not i) for i, word in enumerate(command))}\n"
    )
    timer = (
        "[Unit]\n"
        f"Description=Run endorse-audit {every}\n"
        "\n"
        "[Timer]\n"
        f"OnCalendar={calendar}\n"
        "Persistent=true\n"
        "\n"
        "[Install]\n"
        "WantedBy=timers.target\n"
    )
    if set(command[0]) & set("'\"\\"):
        raise EndorseAuditError(command[0], "holds a quote or a backslash, which systemd refuses in a program's path")
    units = unit_folder()
    return ((units / f"{NAME}.service", service), (units / f"{NAME}.timer", timer))


def _show(files: Sequence[tuple[Path, str]]) -> str:
    return "\n".join(f"# {path}\n{text}" for path, text in files)


SYSTEMCTL_ENABLE = ("systemctl", "--user", "enable", "--now", f"{NAME}.timer")


# --- launchd ------------------------------------------------------------------------------------


def agent_path() -> Path:
    """Return the launchd agent's plist."""
    return Path.home() / "Library" / "LaunchAgents" / f"{LABEL}.plist"


def _plist(command: Sequence[str], every: str, hour: int, minute: int) -> str:
    """Return the LaunchAgent (plistlib escapes the XML; launchd runs the arguments without a shell)."""
    when: dict[str, int] = {"Hour": hour, "Minute": minute}
    if every == "weekly":
        when["Weekday"] = 1
    elif every == "monthly":
        when["Day"] = 1
    log = str(Path.home() / "Library" / "Logs" / f"{NAME}.log")
    agent = {
        "Label": LABEL,
        "ProgramArguments": list(command),
        "StartCalendarInterval": when,
        "StandardOutPath": log,
        "StandardErrorPath": log,
    }
    return plistlib.dumps(agent, sort_keys=False).decode("utf-8")


# --- Windows ------------------------------------------------------------------------------------


def _schtasks_create(command: Sequence[str], every: str, at: str) -> list[str]:
    task = subprocess.list2cmdline(command)
    if len(task) > SCHTASKS_LIMIT:
        raise EndorseAuditError(
            "schtasks /TR",
            f"the command is {len(task)} characters, schtasks takes {SCHTASKS_LIMIT} at most; choose shorter paths",
        )
    period = {"daily": [], "weekly": ["/D", "MON"], "monthly": ["/D", "1"]}[every]
    return ["schtasks", "/Create", "/TN", NAME, "/TR", task, "/SC", every.upper(), *period, "/ST", at, "/F"]


SCHTASKS_DELETE = ("schtasks", "/Delete", "/TN", NAME, "/F")


# --- Installing ---------------------------------------------------------------------------------


def install(schedule: Schedule, *, tabfile: Path | None = None) -> list[str]:
    """Install the schedule for the current user, replacing an earlier one; return what was done, a line each.

    `tabfile` puts a crontab in that file instead of the user's (python-crontab's tabfile).
    """
    done = []
    if schedule.report_folder is not None:
        try:
            files.private_folders(schedule.report_folder)
        except OSError as error:
            raise OutputError(
                str(schedule.report_folder), f"cannot be created ({error.strerror}); choose another --html"
            )
        done.append(f"Created {schedule.report_folder} for the report")
    if schedule.kind == "cron":
        tab = _crontab(tabfile)
        replaced = tab.remove_all(comment=MARKER)  # type: ignore[attr-defined]
        job = tab.new(command=shlex.join(schedule.command), comment=MARKER)  # type: ignore[attr-defined]
        job.setall(_cron_line_fields(schedule))
        _write_crontab(tab)
        where = str(tabfile) if tabfile is not None else "your crontab (`crontab -l` shows it)"
        done.append(f"{'Replaced the schedule' if replaced else 'Added the schedule'} in {where}:")
        done.append(str(job.render()))
        return done
    for path, text in schedule.files:
        _write_file(path, text)
        done.append(f"Wrote {path}")
    if schedule.kind == "systemd":
        enable = ("systemctl", "--user", "daemon-reload"), SYSTEMCTL_ENABLE
        if shutil.which("systemctl") is None:
            done.append("systemctl is not here; to start the timer, run: " + " && ".join(map(shlex.join, enable)))
            return done
        for argv in enable:
            _run(argv, f"the units are written in {unit_folder()}; run `{shlex.join(argv)}` in your own session")
        done.append(f"Enabled: {shlex.join(SYSTEMCTL_ENABLE)}")
    elif schedule.kind == "launchd":
        path = schedule.files[0][0]
        if shutil.which("launchctl") is None:
            done.append(f"launchctl is not here; to load the agent, run: launchctl load -w {shlex.quote(str(path))}")
            return done
        subprocess.run(["launchctl", "unload", str(path)], capture_output=True, check=False)  # the earlier one
        _run(("launchctl", "load", "-w", str(path)), f"the agent is written in {path}; load it by hand")
        done.append(f"Loaded: launchctl load -w {shlex.quote(str(path))}")
    elif schedule.kind == "windows":
        create = _schtasks_create(schedule.command, schedule.every, schedule.at)
        _run(create, "create the task by hand in Task Scheduler")
        done.append(f"Created the task {NAME}: {subprocess.list2cmdline(create)}")
    return done


def _cron_line_fields(schedule: Schedule) -> str:
    hour, minute = _time(schedule.at)
    return _cron_fields(schedule.every, hour, minute)


def uninstall(kind: str, *, tabfile: Path | None = None) -> list[str]:
    """Remove the schedule of that kind, if there is one; return what was done, a line each."""
    if kind == "cron":
        tab = _crontab(tabfile)
        removed = int(tab.remove_all(comment=MARKER))  # type: ignore[attr-defined]
        if not removed:
            return [f"No endorse-audit schedule in {tabfile or 'your crontab'}"]
        _write_crontab(tab)
        return [f"Removed the schedule from {tabfile or 'your crontab'}"]
    if kind == "windows":
        _run(SCHTASKS_DELETE, "delete the task by hand in Task Scheduler")
        return [f"Deleted the task {NAME}"]
    done = []
    if kind == "systemd":
        units = unit_folder()
        paths = [units / f"{NAME}.service", units / f"{NAME}.timer"]
        if shutil.which("systemctl") is not None and paths[1].exists():
            stop = subprocess.run(["systemctl", "--user", "disable", "--now", f"{NAME}.timer"], capture_output=True)
            if stop.returncode:
                done.append(
                    f"systemctl could not stop the timer ({_first_line(stop.stderr)}); if it is running, run"
                    f" `systemctl --user stop {NAME}.timer` in your own session"
                )
        paths.append(units / "timers.target.wants" / f"{NAME}.timer")  # what `enable` links, if it could not unlink
    elif kind == "launchd":
        paths = [agent_path()]
        if shutil.which("launchctl") is not None and paths[0].exists():
            subprocess.run(["launchctl", "unload", "-w", str(paths[0])], capture_output=True, check=False)
    else:
        raise EndorseAuditError(kind, f"is not a scheduler; choose one of {', '.join(KINDS)}")
    for path in paths:
        if path.exists() or path.is_symlink():
            path.unlink()
            done.append(f"Removed {path}")
    if not any(line.startswith("Removed") for line in done):
        done.append(f"No endorse-audit schedule in {paths[0].parent}")
    elif kind == "systemd" and shutil.which("systemctl") is not None:
        subprocess.run(["systemctl", "--user", "daemon-reload"], capture_output=True, check=False)
    return done


def _write_file(path: Path, text: str) -> None:
    try:
        files.private_folders(path.parent)
        path.write_text(text, encoding="utf-8")
        os.chmod(path, files.FILE_MODE)
    except OSError as error:
        raise OutputError(str(path), f"cannot be written ({error.strerror or error}); check the folder's permissions")


def _run(argv: Sequence[str], advice: str) -> None:
    """Run a scheduler's own tool; raise its first line of complaint, with what to do, when it fails."""
    try:
        done = subprocess.run(list(argv), capture_output=True, check=False)
    except OSError as error:
        raise OutputError(argv[0], f"cannot be run ({error.strerror or error}); {advice}")
    if done.returncode:
        problem = _first_line(done.stderr) or _first_line(done.stdout) or f"exit status {done.returncode}"
        raise OutputError(shlex.join(argv), f"failed ({problem}); {advice}")


def _first_line(output: bytes) -> str:
    lines = output.decode("utf-8", "replace").strip().splitlines()
    return lines[0].strip() if lines else ""
