"""A schedule that audits a folder of exports: a crontab line, systemd user units, a launchd agent or a
Windows scheduled task, built as text and installed or removed for the current user. With
`on_new_export`, systemd units or a launchd agent that run the same audit whenever the folder changes
(an export lands), instead of at set times.

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
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from endorse_audit import files
from endorse_audit.errors import EndorseAuditError, OutputError

KINDS = ("cron", "systemd", "launchd", "windows")
EVERY = ("daily", "weekly", "monthly")
NAME = "endorse-audit"  # the systemd units' and the Windows task's name
LABEL = "local.endorse-audit"  # the launchd agent's label (and its plist's name)
WATCH_NAME = "endorse-audit-watch"  # the systemd units that watch the folder (beside a timer's, not over them)
WATCH_LABEL = "local.endorse-audit.watch"  # the launchd agent that watches the folder
# What a scheduler that cannot watch a folder offers instead.
CANNOT_WATCH = {
    "cron": "cron runs at set times and cannot watch a folder; use --systemd (Linux) or --launchd (macOS)",
    "windows": "Windows' Task Scheduler cannot start a program when a file lands in a folder; make the daily task"
    " instead: endorse-audit schedule --windows --every daily FOLDER",
}
MARKER = "endorse-audit schedule"  # the crontab line's comment, by which it is found again
CRONTAB = "crontab"  # the program that lists (-l) and replaces the user's crontab
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
    watch: Path | None = None  # the folder whose changes start the audit (then `every` and `at` are unused)


def default_kind(platform: str | None = None, *, watch: bool = False) -> str:
    """Return the scheduler of this platform: launchd on macOS, windows on Windows, else cron (systemd to
    `watch` a folder: cron cannot)."""
    platform = sys.platform if platform is None else platform
    if platform == "darwin":
        return "launchd"
    if platform.startswith(("win", "cygwin")):
        return "windows"
    return "systemd" if watch else "cron"


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
    on_new_export: bool = False,
    lang: str | None = None,
) -> Schedule:
    """Return the schedule that audits `folder` `every` day, week (Monday) or month (the 1st) `at` HH:MM,
    or, `on_new_export`, whenever something lands in `folder`."""
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
    if lang is not None:  # the member's language, which the scheduler's empty environment would not give
        command += ("--lang", lang)
    for word in command:
        if "\n" in word or "\r" in word or "\0" in word:
            raise EndorseAuditError(repr(word), "holds a line break; a schedule cannot run it; choose another path")
    at = f"{hour:02d}:{minute:02d}"
    report_folder = None if html.parent.is_dir() else html.parent
    if on_new_export:
        return _watching(kind, command, folder.absolute(), report_folder)
    if kind == "cron":
        return Schedule(kind, every, at, command, _cron_line(command, every, hour, minute), (), report_folder)
    if kind == "systemd":
        files = _systemd_units(command, every, hour, minute, folder.absolute())
        return Schedule(kind, every, at, command, _show(files), files, report_folder)
    if kind == "launchd":
        files = ((agent_path(), _plist(command, LABEL, {"StartCalendarInterval": _calendar(every, hour, minute)})),)
        return Schedule(kind, every, at, command, files[0][1], files, report_folder)
    return Schedule(kind, every, at, command, subprocess.list2cmdline(_schtasks_create(command, every, at)) + "\n")


def _watching(kind: str, command: tuple[str, ...], folder: Path, report_folder: Path | None) -> Schedule:
    """Return the schedule that runs `command` whenever `folder` changes: a systemd path unit or a launchd
    agent with WatchPaths (the only schedulers here that can watch a folder)."""
    if kind == "systemd":
        files = _systemd_watch_units(command, folder)
        return Schedule(kind, "", "", command, _show(files), files, report_folder, watch=folder)
    if kind == "launchd":
        files = ((agent_path(WATCH_LABEL), _plist(command, WATCH_LABEL, {"WatchPaths": [str(folder)]})),)
        return Schedule(kind, "", "", command, files[0][1], files, report_folder, watch=folder)
    raise EndorseAuditError("--on-new-export", CANNOT_WATCH[kind])


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
    """Return the crontab line: the time fields, the command as cron must read it, and our marker."""
    return f"{_cron_fields(every, hour, minute)} {' '.join(map(_cron_word, command))} # {MARKER}\n"


def _cron_word(word: str) -> str:
    """Return one word of the crontab line: quoted for /bin/sh, then for cron, which reads a bare `%` as
    the end of the command and `\\%` as `%`, and, in some versions (Vixie cron as Debian ships it),
    `\\\\` as one backslash. So each backslash of the word gets single quotes of its own (`''\\''`): it then
    stands before a quote, never before a backslash or a `%`, and every cron passes it on as it is."""
    return shlex.quote(word).replace("\\", "''\\''").replace("%", "\\%")


def _is_ours(line: str) -> bool:
    return line.rstrip("\r").endswith(f" # {MARKER}")


def _read_crontab(tabfile: Path | None) -> str:
    """Return the user's crontab (or the tab file's, for a test) as it is, byte for byte (undecodable
    bytes as surrogates): only our own line is ever changed in it."""
    if tabfile is not None:
        return tabfile.read_bytes().decode("utf-8", "surrogateescape") if tabfile.exists() else ""
    try:
        listed = subprocess.run([CRONTAB, "-l"], capture_output=True, check=False)
    except OSError as error:
        raise OutputError("crontab", f"cannot be read ({error.strerror or error}); install cron, or use --systemd")
    if listed.returncode:
        complaint = _first_line(listed.stderr)
        if "no crontab for" in complaint:  # what `crontab -l` says when the user has none yet
            return ""
        raise OutputError("crontab -l", f"failed ({complaint or f'exit status {listed.returncode}'}); use --systemd")
    return listed.stdout.decode("utf-8", "surrogateescape")


def _write_crontab(text: str, tabfile: Path | None) -> None:
    """Replace the user's crontab with `text` (through `crontab FILE`, which every cron's crontab takes)."""
    data = text.encode("utf-8", "surrogateescape")
    advice = "add the line by hand with `crontab -e`"
    with tempfile.TemporaryDirectory(prefix="endorse-audit-") as folder:
        staged = tabfile if tabfile is not None else Path(folder) / "crontab"
        try:
            staged.write_bytes(data)
        except OSError as error:
            raise OutputError(str(staged), f"cannot be written ({error.strerror or error}); {advice}")
        if tabfile is None:
            _run((CRONTAB, str(staged)), advice, shown="crontab")


def _without_ours(text: str) -> tuple[str, int]:
    """Return the crontab without our lines, every other byte as it was, and how many lines went."""
    lines = text.split("\n")
    kept = [line for line in lines if not _is_ours(line)]
    return "\n".join(kept), len(lines) - len(kept)


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


def _systemd_service(command: Sequence[str], folder: Path) -> str:
    """Return the service that runs the audit once (started by the timer, or by the path unit)."""
    if set(command[0]) & set("'\"\\"):
        raise EndorseAuditError(command[0], "holds a quote or a backslash, which systemd refuses in a program's path")
    return (
        "[Unit]\n"
        f"Description=endorse-audit: audit the newest LinkedIn export in {_systemd_value(folder)}\n"
        "\n"
        "[Service]\n"
        "Type=oneshot\n"
        f"ExecStart={' '.join(_systemd_word(word, program=not i) for i, word in enumerate(command))}\n"
    )


def _systemd_value(path: Path) -> str:
    """Return a path as a unit file's value: systemd expands % specifiers, and reads a line ending in a
    backslash as going on to the next line."""
    if str(path).endswith("\\"):
        raise EndorseAuditError(str(path), "ends in a backslash, which a systemd unit cannot hold; rename it")
    return str(path).replace("%", "%%")


def _systemd_units(
    command: Sequence[str], every: str, hour: int, minute: int, folder: Path
) -> tuple[tuple[Path, str], ...]:
    days = {"daily": "*-*-*", "weekly": "Mon *-*-*", "monthly": "*-*-01"}[every]
    calendar = f"{days} {hour:02d}:{minute:02d}:00"
    service = _systemd_service(command, folder)
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
    units = unit_folder()
    return ((units / f"{NAME}.service", service), (units / f"{NAME}.timer", timer))


def _systemd_watch_units(command: Sequence[str], folder: Path) -> tuple[tuple[Path, str], ...]:
    """Return the service and the path unit that starts it when `folder` changes.

    PathChanged= fires when a file in the folder is closed after writing or moved in (a browser renames
    its finished download into place), not at every write of a download under way, as PathModified= would.
    """
    service = _systemd_service(command, folder)
    where = _systemd_value(folder)
    path_unit = (
        "[Unit]\n"
        f"Description=Run endorse-audit when a file lands in {where}\n"
        "\n"
        "[Path]\n"
        f"PathChanged={where}\n"
        "\n"
        "[Install]\n"
        "WantedBy=paths.target\n"
    )
    units = unit_folder()
    return ((units / f"{WATCH_NAME}.service", service), (units / f"{WATCH_NAME}.path", path_unit))


def _show(files: Sequence[tuple[Path, str]]) -> str:
    return "\n".join(f"# {path}\n{text}" for path, text in files)


def _systemctl_enable(unit: str) -> tuple[str, ...]:
    return ("systemctl", "--user", "enable", "--now", unit)


# --- launchd ------------------------------------------------------------------------------------


def agent_path(label: str = LABEL) -> Path:
    """Return the launchd agent's plist."""
    return Path.home() / "Library" / "LaunchAgents" / f"{label}.plist"


def _calendar(every: str, hour: int, minute: int) -> dict[str, int]:
    when: dict[str, int] = {"Hour": hour, "Minute": minute}
    if every == "weekly":
        when["Weekday"] = 1
    elif every == "monthly":
        when["Day"] = 1
    return when


def _plist(command: Sequence[str], label: str, trigger: dict[str, object]) -> str:
    """Return the LaunchAgent started by `trigger` (plistlib escapes the XML; launchd runs the arguments
    without a shell)."""
    log = str(Path.home() / "Library" / "Logs" / f"{NAME}.log")
    agent = {
        "Label": label,
        "ProgramArguments": list(command),
        **trigger,
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

    `tabfile` puts a crontab in that file instead of the user's (for a test).
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
        text, replaced = _without_ours(_read_crontab(tabfile))
        if text and not text.endswith("\n"):  # the user's last line must end for ours to be a line of its own
            text += "\n"
        _write_crontab(text + schedule.text, tabfile)
        where = str(tabfile) if tabfile is not None else "your crontab (`crontab -l` shows it)"
        done.append(f"{'Replaced the schedule' if replaced else 'Added the schedule'} in {where}:")
        done.append(schedule.text.rstrip("\n"))
        return done
    for path, text in schedule.files:
        _write_file(path, text)
        done.append(f"Wrote {path}")
    if schedule.kind == "systemd":
        trigger = schedule.files[-1][0].name  # the timer, or the path unit
        enable = ("systemctl", "--user", "daemon-reload"), _systemctl_enable(trigger)
        if shutil.which("systemctl") is None:
            what = "the path unit" if schedule.watch else "the timer"
            done.append(f"systemctl is not here; to start {what}, run: " + " && ".join(map(shlex.join, enable)))
            return done
        for argv in enable:
            _run(argv, f"the units are written in {unit_folder()}; run `{shlex.join(argv)}` in your own session")
        done.append(f"Enabled: {shlex.join(enable[1])}")
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


def uninstall(kind: str, *, tabfile: Path | None = None, watch: bool = False) -> list[str]:
    """Remove the schedule of that kind (`watch`: the one that watches a folder), if there is one; return
    what was done, a line each."""
    if watch and kind in CANNOT_WATCH:
        raise EndorseAuditError("--on-new-export", CANNOT_WATCH[kind])
    if kind == "cron":
        text, removed = _without_ours(_read_crontab(tabfile))
        if not removed:
            return [f"No endorse-audit schedule in {tabfile or 'your crontab'}"]
        _write_crontab(text, tabfile)
        return [f"Removed the schedule from {tabfile or 'your crontab'}"]
    if kind == "windows":
        _run(SCHTASKS_DELETE, "delete the task by hand in Task Scheduler")
        return [f"Deleted the task {NAME}"]
    done = []
    if kind == "systemd":
        units = unit_folder()
        name, trigger, target = (WATCH_NAME, "path", "paths") if watch else (NAME, "timer", "timers")
        unit = f"{name}.{trigger}"
        paths = [units / f"{name}.service", units / unit]
        if shutil.which("systemctl") is not None and paths[1].exists():
            stop = subprocess.run(["systemctl", "--user", "disable", "--now", unit], capture_output=True)
            if stop.returncode:
                done.append(
                    f"systemctl could not stop the {'path unit' if watch else 'timer'} ({_first_line(stop.stderr)});"
                    f" if it is running, run `systemctl --user stop {unit}` in your own session"
                )
        paths.append(units / f"{target}.target.wants" / unit)  # what `enable` links, if it could not unlink
    elif kind == "launchd":
        paths = [agent_path(WATCH_LABEL if watch else LABEL)]
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


def _run(argv: Sequence[str], advice: str, *, shown: str | None = None) -> None:
    """Run a scheduler's own tool; raise its first line of complaint, with what to do, when it fails
    (naming the command as `shown`, when its own arguments would say nothing to the user)."""
    try:
        done = subprocess.run(list(argv), capture_output=True, check=False)
    except OSError as error:
        raise OutputError(argv[0], f"cannot be run ({error.strerror or error}); {advice}")
    if done.returncode:
        problem = _first_line(done.stderr) or _first_line(done.stdout) or f"exit status {done.returncode}"
        raise OutputError(shown or shlex.join(argv), f"failed ({problem}); {advice}")


def _first_line(output: bytes) -> str:
    lines = output.decode("utf-8", "replace").strip().splitlines()
    return lines[0].strip() if lines else ""
