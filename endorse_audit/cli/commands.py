"""The command line: parse options, call the library, print, choose the exit status.

The only module that imports click, the only place exit codes are decided (`exit_status`) and the
only place library errors become `Error: ...` lines (`_Group.invoke`, `main`):
0 nothing to hide, 1 endorsements to hide, 2 usage or input error, 130 Ctrl-C, 143 SIGTERM, 129 SIGHUP.
Heavy libraries (pandas, rapidfuzz, jinja2) are imported only when a command runs.
"""

from __future__ import annotations

import contextlib
import gc
import os
import signal
import sys
import threading
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

import click

from endorse_audit.cli.setup_commands import (
    CONTEXT_SETTINGS,
    config_command,
    history_path,
    schedule_command,
    schema_command,
    state_option,
)
from endorse_audit.errors import OUTPUTS_WRITTEN, EndorseAuditError, Setting
from endorse_audit.version import __version__

if TYPE_CHECKING:
    from endorse_audit.cli.terminal import Line
    from endorse_audit.config import Config
    from endorse_audit.model import FailOn

EXIT_CLEAN, EXIT_TO_HIDE, EXIT_ERROR, EXIT_INTERRUPTED = 0, 1, 2, 130
DEFAULT_HTML = "endorse-audit-report.html"
MESSAGE_LIMIT = 2_000  # characters of one error line: a value quoted from an export is never printed whole
# The flag that changes the setting an error names (errors.py): the library speaks of settings.
FLAGS: dict[Setting, str] = {"history": "--state PATH, or --no-state", "out_dir": "--out-dir DIR"}


class _Failure(click.ClickException):
    """A library error on its way out: one `Error:` line and exit status 2."""

    exit_code = EXIT_ERROR

    def __init__(self, error: EndorseAuditError) -> None:
        from endorse_audit.cli.terminal import terminal_safe

        message = str(error)
        if error.setting is not None:
            message += f" ({FLAGS[error.setting]})"
        super().__init__(terminal_safe(message, MESSAGE_LIMIT))

    def show(self, file: Any = None) -> None:
        click.echo(f"Error: {self.message}", err=True)


class _UsageFailure(click.UsageError):
    """A usage error as one line, like every other error: what is wrong, and where help is."""

    def show(self, file: Any = None) -> None:
        where = self.ctx.command_path if self.ctx is not None else "endorse-audit"
        click.echo(f"Error: {self.message} (see '{where} --help')", err=True)


class _Group(click.Group):
    """The command group: every library error a command raises becomes one `Error:` line."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except EndorseAuditError as error:
            raise _Failure(error)
        except click.UsageError as error:
            raise _one_line(error)


def _one_line(error: click.UsageError) -> _UsageFailure:
    """Return a usage error as our one line, keeping what click adds to its message ("Did you mean ...?")."""
    if isinstance(error, _UsageFailure):
        return error
    if isinstance(error, click.NoSuchOption) and error.possibilities:  # the closest first, without click's brackets
        *others, last = [repr(name) for name in error.possibilities]
        meant = f"{', '.join(others)} or {last}" if others else last
        return _UsageFailure(f"{error.message} Did you mean {meant}?", error.ctx)
    return _UsageFailure(error.format_message(), error.ctx)


@click.group(cls=_Group, context_settings=CONTEXT_SETTINGS)
@click.version_option(__version__, "--version", prog_name="endorse-audit")
def cli() -> None:
    """Find the LinkedIn endorsements you received for skills you never listed.

    \b
    Download your data from LinkedIn (Settings > Data privacy > Get a copy of
    your data), then:
      endorse-audit audit ~/Downloads/Basic_LinkedInDataExport_11-20-2026.zip
    """


def _given(*names: str) -> list[str]:
    """Return which of these parameters the user typed on the command line."""
    context = click.get_current_context()
    return [name for name in names if context.get_parameter_source(name) == click.core.ParameterSource.COMMANDLINE]


def _refuse_together(first: str, second: str, flags: tuple[str, str]) -> None:
    if len(_given(first, second)) == 2:
        raise click.UsageError(f"{flags[0]} and {flags[1]} cannot be used together")


@dataclass(frozen=True)
class AuditRequest:
    """What `endorse-audit audit` was asked to do, as click parsed it."""

    export_paths: tuple[Path, ...]
    html_path: Path
    no_html: bool
    json_path: Path | None
    json_compact: bool
    csv_path: Path | None
    connections_csv_path: Path | None
    config_path: Path | None
    quiet: bool
    fail_on: FailOn
    exit_zero: bool
    state_path: str | None
    no_state: bool
    open_report: bool
    all_exports: bool
    jobs: int | None
    out_dir: Path | None

    @property
    def several(self) -> bool:
        return self.all_exports or self.out_dir is not None or len(self.export_paths) != 1

    @property
    def failing_on(self) -> FailOn:
        return "never" if self.exit_zero else self.fail_on


@cli.command(context_settings=CONTEXT_SETTINGS)
@click.argument("export_paths", metavar="EXPORT...", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "--html",
    "html_path",
    type=click.Path(path_type=Path),
    default=DEFAULT_HTML,
    show_default=True,
    help="Where to write the HTML report.",
)
@click.option("--no-html", is_flag=True, help="Do not write the HTML report.")
@click.option("--json", "json_path", type=click.Path(path_type=Path), help="Also write the audit as JSON.")
@click.option(
    "--json-compact",
    is_flag=True,
    help="Write the JSON without white space (a fifth smaller, faster to write; same fields and values).",
)
@click.option(
    "--csv",
    "csv_path",
    type=click.Path(path_type=Path),
    help="Also write the hide list as CSV (safe to open in a spreadsheet).",
)
@click.option(
    "--connections-csv",
    "connections_csv_path",
    type=click.Path(path_type=Path),
    help="Also write every connection with its context (note, messages, endorsed by you, recommendation) as CSV.",
)
@click.option(
    "--config",
    "config_path",
    type=click.Path(path_type=Path),
    help="TOML configuration (default: ./endorse-audit.toml, then the user config folder).",
)
@click.option(
    "-q", "--quiet", is_flag=True, help="Print nothing unless there is something new to hide (then a short summary)."
)
@click.option(
    "--fail-on",
    type=click.Choice(["any", "new", "never"]),
    default="any",
    show_default=True,
    help="What gives exit status 1: any endorsement to hide, only new ones (not in an earlier run), or nothing.",
)
@click.option("--exit-zero", is_flag=True, help="Same as --fail-on never.")
@state_option
@click.option("--no-state", is_flag=True, help="Keep no history: every endorsement to hide counts as new.")
@click.option("--open", "open_report", is_flag=True, help="Open the report in the default browser.")
@click.option(
    "--all", "all_exports", is_flag=True, help="Audit every export zip in each folder given, not just the newest."
)
@click.option(
    "-j",
    "--jobs",
    type=click.IntRange(min=1),
    help="With several exports: how many to audit at once, each in its own process (default: the number of cores).",
)
@click.option(
    "--out-dir",
    type=click.Path(path_type=Path),
    help="With several exports: the folder for their reports, index.html and audit.json"
    " (default: endorse-audit-reports).",
)
def audit(**options: Any) -> None:
    """Audit a LinkedIn data export and write the report.

    EXPORT is the export zip, the folder it was extracted to, or a folder holding
    several export zips (the newest by the date in its name is audited).

    \b
    Several exports (or every export zip in a folder, with --all) are audited at
    once, each in its own process: one report each, an index.html linking them
    and one audit.json, in --out-dir. An export that cannot be read is reported
    and skipped; the exit status is 2 only when none could be audited.

    \b
    Examples:
      endorse-audit audit Basic_LinkedInDataExport_11-20-2026.zip
      endorse-audit audit ~/Downloads --json audit.json --csv to-hide.csv
      endorse-audit audit ~/Downloads --connections-csv connections.csv
      endorse-audit audit ~/Downloads -q --fail-on new || echo "new endorsements to hide"
      endorse-audit audit --all ~/exports --jobs 4 --out-dir reports

    \b
    Each run is kept in a history (see `endorse-audit history`), so that the
    report and the summary can say which endorsements to hide are new.

    \b
    Exit status: 0 nothing to hide, 1 endorsements to hide (only new ones with
    --fail-on new, never with --fail-on never), 2 usage or input error or any
    other failure (also when another run holds the history for more than 10 s),
    130 interrupted (Ctrl-C), 143 stopped (SIGTERM), 129 hung up (SIGHUP).
    """
    request = AuditRequest(**options)
    _refuse_together("no_html", "html_path", ("--no-html", "--html"))
    _refuse_together("exit_zero", "fail_on", ("--exit-zero", "--fail-on"))
    if request.several:
        _audit_several(request)
    _audit_one(request)


def _audit_one(request: AuditRequest) -> NoReturn:
    """Audit one export, print its summary, open the report if asked, and exit."""
    with _start_up():
        from endorse_audit.cli.terminal import quiet_lines, summary_lines
        from endorse_audit.report.render import OutputPaths
        from endorse_audit.run import report_time, run_audit

    _refuse_together("state_path", "no_state", ("--state", "--no-state"))
    outputs = OutputPaths(
        None if request.no_html else request.html_path,
        request.json_path,
        request.csv_path,
        request.connections_csv_path,
        json_compact=request.json_compact,
    )
    chosen = [path.resolve() for path in outputs.chosen()]
    if len(set(chosen)) < len(chosen):
        raise click.UsageError("--html, --json, --csv and --connections-csv must name different files.")
    state = None if request.no_state else history_path(request.state_path)
    config_path, config = _config(request.config_path)
    result = run_audit(request.export_paths[0], config, outputs, state, report_time())
    lines = quiet_lines(result, outputs.html) if request.quiet else summary_lines(result, outputs, config_path)
    _echo(lines, err=Path("-") in outputs.chosen())  # standard output carries an output: talk on stderr
    if request.open_report and outputs.html is not None and outputs.html != Path("-"):
        _open_in_browser(outputs.html)
    sys.exit(exit_status(result.summary.to_hide, result.new_to_hide, request.failing_on))


def _open_in_browser(report: Path) -> None:
    """Open the report in the default browser, or say that none could be started."""
    import webbrowser

    uri = report.resolve().as_uri()
    try:
        opened = webbrowser.open(uri)
    except webbrowser.Error:
        opened = False
    if not opened:
        click.echo(f"endorse-audit: no browser could be started; open the report yourself: {uri}", err=True)


def _audit_several(request: AuditRequest) -> NoReturn:
    """Audit several exports (see batch.py), print a line for each, and exit: 2 only if none could be audited."""
    single = {
        "html_path": "--html",
        "json_path": "--json",
        "csv_path": "--csv",
        "connections_csv_path": "--connections-csv",
        "state_path": "--state",
    }
    for name in _given(*single, "open_report"):
        option = single.get(name, "--open")
        raise click.UsageError(
            f"{option} is for a single export; with several, the reports, index.html and audit.json go to --out-dir."
        )
    if not request.export_paths:
        raise click.UsageError("Missing argument 'EXPORT'.")
    with _start_up():
        from endorse_audit import batch
        from endorse_audit.cli.terminal import batch_lines, terminal_safe
        from endorse_audit.run import report_time

    target = request.out_dir if request.out_dir is not None else Path(batch.DEFAULT_OUT_DIR)
    _, config = _config(request.config_path)
    exports = batch.collect(request.export_paths, request.all_exports)
    show = sys.stderr.isatty() and not request.quiet
    bar = click.progressbar(length=len(exports), label="Auditing", file=sys.stderr, show_pos=True)
    with bar if show else contextlib.nullcontext(bar) as progress:
        result = batch.run(
            exports,
            config,
            target,
            jobs=request.jobs or batch.default_jobs(),
            html=not request.no_html,
            json_compact=request.json_compact,
            generated_at=report_time(),
            on_done=(lambda _: progress.update(1)) if show else None,
        )
    for failure in result.failed:
        click.echo(f"Error: {terminal_safe(str(failure.error))}", err=True)
    if not result.audited:
        sys.exit(EXIT_ERROR)
    if not request.quiet:
        written = [("index", target / batch.INDEX), ("json", target / batch.COMBINED_JSON)]
        _echo(batch_lines(result, written[1:] if request.no_html else written))
    to_hide = sum(o.to_hide for o in result.audited)  # no history with several exports: every one is new
    sys.exit(exit_status(to_hide, to_hide, request.failing_on))


def _stdin_is_terminal() -> bool:
    return sys.stdin.isatty()


def exit_status(to_hide: int, new: int, fail_on: FailOn) -> int:
    """Return 1 when `--fail-on` says what was found is worth failing for, else 0."""
    count = {"any": to_hide, "new": new, "never": 0}[fail_on]
    return EXIT_TO_HIDE if count else EXIT_CLEAN


@contextlib.contextmanager
def _start_up() -> Iterator[None]:
    """Import the libraries an audit needs (pandas first) with the garbage collector paused, then freeze
    what they made.

    Importing pandas makes a few hundred thousand objects that live as long as the process; the
    collector scans them over and over while they are being made and frees almost nothing (a third of
    the import's time). Frozen (`gc.freeze`), they are never scanned again; the audit itself runs with
    the collector on as usual. Only in a fresh process: where pandas is already imported (a test, a
    program using the library) nothing changes.
    """
    if "pandas" in sys.modules or not gc.isenabled():
        yield
        return
    # pandas loads pyarrow at start-up when it is installed (0.1 s and 66 MiB); endorse-audit uses none
    # of it and keeps its strings as Python objects, so a run costs the same whether it is installed or not.
    sys.modules.setdefault("pyarrow", None)  # type: ignore[arg-type]  # None: "import pyarrow" fails
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        gc.enable()


def _config(config_path: Path | None) -> tuple[Path | None, Config]:
    """Return the config file in effect (None: the defaults) and what it says."""
    from endorse_audit.config import find_config, load_config

    found = find_config(config_path)
    return found, load_config(found)


def _echo(lines: Iterable[Line], *, err: bool = False) -> None:
    for line in lines:
        click.secho(line.text, fg=line.colour, bold=line.bold or None, err=err)


@cli.command("history", context_settings=CONTEXT_SETTINGS)
@state_option
@click.option("--forget", is_flag=True, help="Delete the history (it holds hashes of other people's endorsements).")
@click.option("-y", "--yes", is_flag=True, help="With --forget: do not ask first.")
def history_command(state_path: str | None, forget: bool, yes: bool) -> None:
    """Show the past audits: when, which export, how many to hide, how many new.

    \b
    Examples:
      endorse-audit history
      endorse-audit history --forget
    """
    from endorse_audit.cli.terminal import count, history_lines, terminal_safe
    from endorse_audit.history import database as history_db
    from endorse_audit.history import store as history

    state = history_path(state_path)
    if yes and not forget:
        raise click.UsageError("--yes goes with --forget")
    if forget:
        target = history_db.history_file(state)
        if not yes and target.exists():
            if not _stdin_is_terminal():
                raise click.UsageError(
                    "--forget deletes the history: add --yes to confirm (there is no terminal to ask)"
                )
            if not click.confirm(f"Delete the history at {terminal_safe(str(target))}?"):
                click.echo("Nothing deleted.")
                return
        path, held = history.forget(state)
        where = terminal_safe(str(path))
        click.echo(
            f"Forgot {count(held, 'run')}: deleted {where}" if held is not None else f"No history to forget at {where}"
        )
        return
    _echo(history_lines(history.read_runs(state), history_db.history_file(state)))


cli.add_command(config_command)
cli.add_command(schedule_command)
cli.add_command(schema_command)


INTERRUPTED = "Interrupted; nothing was written."
INTERRUPTED_AFTER_OUTPUTS = (
    "Interrupted after the outputs were written; the history was not updated, so the next run reports"
    " these endorsements as new again."
)
STOPPING = tuple(getattr(signal, name) for name in ("SIGINT", "SIGTERM", "SIGHUP") if hasattr(signal, name))


class _Interrupted(BaseException):
    """Ctrl-C, SIGTERM or SIGHUP. Raised by our own handler rather than KeyboardInterrupt, which click turns into
    Abort after printing a blank line: the one line below should be all that is printed."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


def _on_signal(signum: int, frame: object) -> None:
    raise _Interrupted(signum)


def _tolerant_streams() -> None:
    """Let stdout and stderr show what their encoding cannot (a Latin-1 terminal, a Windows redirect) as
    escapes instead of failing after the outputs were written."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(errors="backslashreplace")


def main() -> None:
    """Run the command line. Every way it can end is one line at most and a documented exit status:
    Ctrl-C 130, SIGTERM 143, SIGHUP 129 (128 + the signal, as a shell says; no SIGHUP on Windows), any error
    (expected or not) 2."""
    in_main_thread = threading.current_thread() is threading.main_thread()
    previous = {signum: signal.signal(signum, _on_signal) for signum in STOPPING} if in_main_thread else {}
    _tolerant_streams()
    try:
        cli.main(prog_name="endorse-audit", standalone_mode=False)
    except (_Interrupted, KeyboardInterrupt, click.exceptions.Abort) as stop:
        if in_main_thread:
            for signum in STOPPING:  # a second signal must not interrupt the message
                signal.signal(signum, signal.SIG_IGN)
        written = OUTPUTS_WRITTEN in getattr(stop, "__notes__", ())
        click.echo(INTERRUPTED_AFTER_OUTPUTS if written else INTERRUPTED, err=True)
        signum = stop.signum if isinstance(stop, _Interrupted) else signal.SIGINT
        sys.exit(EXIT_INTERRUPTED if signum == signal.SIGINT else 128 + signum)
    except MemoryError:
        click.echo("Error: out of memory; lower the [limits] in the config, or free some memory", err=True)
        sys.exit(EXIT_ERROR)
    except click.UsageError as error:  # the group's own options, parsed before any command runs
        _one_line(error).show()
        sys.exit(EXIT_ERROR)
    except click.ClickException as error:
        error.show()
        sys.exit(EXIT_ERROR)
    except click.exceptions.Exit as done:
        sys.exit(done.exit_code)
    except BrokenPipeError:  # `--json - | head`: the reader went away; nothing more to say to it
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        sys.exit(EXIT_ERROR)
    except Exception as error:  # a bug or a fault nothing foresaw: still one line and status 2, never 1
        from endorse_audit.cli.terminal import terminal_safe

        detail = terminal_safe(" ".join(str(error).split()) or type(error).__name__, 300)
        click.echo(f"Error: unexpected {type(error).__name__}: {detail}; please report this", err=True)
        sys.exit(EXIT_ERROR)
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler if handler is not None else signal.SIG_DFL)
