"""The command line: parse options, run the audit, print the summary, choose the exit status.

The only module that imports click and the only place exit codes are decided:
0 nothing to hide, 1 endorsements to hide, 2 usage or input error, 130 interrupted.
Heavy libraries (pandas, rapidfuzz, jinja2) are imported only when a command runs.
"""

from __future__ import annotations

import dataclasses
import os
import shlex
import signal
import sys
import threading
import unicodedata
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

import click

from endorse_audit import __version__
from endorse_audit.errors import EndorseAuditError

if TYPE_CHECKING:
    from collections.abc import Iterator

    from endorse_audit.model import Audit

CONTEXT_SETTINGS = {"help_option_names": ["-h", "--help"], "max_content_width": 100}
EXIT_CLEAN, EXIT_TO_HIDE, EXIT_ERROR, EXIT_INTERRUPTED = 0, 1, 2, 130
DEFAULT_HTML = "endorse-audit-report.html"


@click.group(context_settings=CONTEXT_SETTINGS)
@click.version_option(__version__, "--version", prog_name="endorse-audit")
def cli() -> None:
    """Find the LinkedIn endorsements you received for skills you never listed.

    \b
    Download your data from LinkedIn (Settings > Data privacy > Get a copy of
    your data), then:
      endorse-audit audit ~/Downloads/Basic_LinkedInDataExport_11-20-2026.zip
    """


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
    "--csv",
    "csv_path",
    type=click.Path(path_type=Path),
    help="Also write the hide list as CSV (safe to open in a spreadsheet).",
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
@click.option(
    "--state",
    "state_path",
    type=click.Path(path_type=Path),
    help="The history file of past runs (default: $XDG_STATE_HOME/endorse-audit/history.sqlite3).",
)
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
def audit(
    export_paths: tuple[Path, ...],
    html_path: Path,
    no_html: bool,
    json_path: Path | None,
    csv_path: Path | None,
    config_path: Path | None,
    quiet: bool,
    fail_on: str,
    exit_zero: bool,
    state_path: Path | None,
    no_state: bool,
    open_report: bool,
    all_exports: bool,
    jobs: int | None,
    out_dir: Path | None,
) -> None:
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
      endorse-audit audit ~/Downloads -q --fail-on new || echo "new endorsements to hide"
      endorse-audit audit --all ~/exports --jobs 4 --out-dir reports

    \b
    Each run is kept in a history (see `endorse-audit history`), so that the
    report and the summary can say which endorsements to hide are new.

    \b
    Exit status: 0 nothing to hide, 1 endorsements to hide (only new ones with
    --fail-on new, never with --fail-on never), 2 usage or input error (also when
    another run holds the history for more than 10 s), 130 interrupted.
    """
    if all_exports or out_dir is not None or len(export_paths) != 1:
        _audit_many(export_paths, all_exports, out_dir, jobs, config_path, no_html, quiet, fail_on, exit_zero)
    export_path = export_paths[0]
    if state_path is not None and no_state:
        raise click.UsageError("--state and --no-state cannot be used together.")
    outputs = [path.resolve() for path in (None if no_html else html_path, json_path, csv_path) if path is not None]
    if len(set(outputs)) < len(outputs):
        raise click.UsageError("--html, --json and --csv must name different files.")
    try:
        result = _run_audit(
            export_path,
            config_path,
            None if no_html else html_path,
            json_path,
            csv_path,
            None if no_state else _history_path(state_path),
        )
    except EndorseAuditError as error:
        _fail(error)
    if not quiet:
        _print_summary(result, None if no_html else html_path, json_path, csv_path)
    elif result.new_to_hide:
        _print_new(result, None if no_html else html_path)
    if open_report and not no_html:
        import webbrowser

        webbrowser.open(html_path.resolve().as_uri())
    sys.exit(_exit_status(result, "never" if exit_zero else fail_on))


def _audit_many(
    paths: tuple[Path, ...],
    every: bool,
    out_dir: Path | None,
    jobs: int | None,
    config_path: Path | None,
    no_html: bool,
    quiet: bool,
    fail_on: str,
    exit_zero: bool,
) -> NoReturn:
    """Audit several exports (see batch.py), print a line for each, and exit: 2 only if none could be audited."""
    context = click.get_current_context()
    single = {"html_path": "--html", "json_path": "--json", "csv_path": "--csv", "state_path": "--state"}
    for name, option in {**single, "open_report": "--open"}.items():
        if context.get_parameter_source(name) == click.core.ParameterSource.COMMANDLINE:
            raise click.UsageError(
                f"{option} is for a single export; with several, the reports, index.html and audit.json"
                " go to --out-dir."
            )
    if not paths:
        raise click.UsageError("Missing argument 'EXPORT'.")
    from contextlib import nullcontext

    from endorse_audit import batch
    from endorse_audit.config import find_config, load_config

    target = out_dir if out_dir is not None else Path(batch.DEFAULT_OUT_DIR)
    try:
        config = load_config(find_config(config_path, Path(click.get_app_dir("endorse-audit"))))
        exports = batch.collect(paths, every)
        show = sys.stderr.isatty() and not quiet
        bar = click.progressbar(length=len(exports), label="Auditing", file=sys.stderr, show_pos=True)
        with bar if show else nullcontext(bar) as progress:
            result = batch.run(
                exports,
                config,
                target,
                jobs=jobs or batch.default_jobs(),
                html=not no_html,
                generated_at=generated_at(),
                on_done=(lambda _: progress.update(1)) if show else None,
            )
    except EndorseAuditError as error:
        _fail(error)
    for failure in result.failed:
        click.echo(f"Error: {terminal_safe(str(failure.error))}", err=True)
    if not result.audited:
        sys.exit(EXIT_ERROR)
    audited = result.audited
    if not quiet:
        failed = f", {len(result.failed)} could not be" if result.failed else ""
        click.echo(f"endorse-audit: {len(audited)} exports audited{failed}")
        for outcome in audited:
            line = f"  {terminal_safe(outcome.name)}: "
            if outcome.to_hide:
                click.secho(f"{line}{outcome.to_hide} endorsements to hide of {outcome.endorsements}", fg="red")
            else:
                click.echo(f"{line}nothing to hide ({outcome.endorsements} endorsements)")
        with_to_hide = [o for o in audited if o.to_hide]
        total = sum(o.to_hide for o in with_to_hide)
        click.echo(f"  {len(with_to_hide)} of {len(audited)} exports have endorsements to hide ({total} in all)")
        written = [("index", batch.INDEX), ("json", batch.COMBINED_JSON)]
        for label, name in written[1:] if no_html else written:
            click.echo(f"  {label}: {terminal_safe(str(target / name))}")
    to_hide = any(o.to_hide for o in audited)  # no history with several exports: every one to hide is new
    sys.exit(EXIT_TO_HIDE if to_hide and not exit_zero and fail_on != "never" else EXIT_CLEAN)


def _exit_status(result: Audit, fail_on: str) -> int:
    """Return 1 when `--fail-on` says what was found is worth failing for, else 0."""
    count = {"any": result.summary.to_hide, "new": result.new_to_hide}.get(fail_on, 0)
    return EXIT_TO_HIDE if count else EXIT_CLEAN


def _history_path(state_path: Path | None) -> Path:
    from endorse_audit import history

    return state_path if state_path is not None else history.default_path()


def _run_audit(
    export_path: Path,
    config_path: Path | None,
    html_path: Path | None,
    json_path: Path | None,
    csv_path: Path | None,
    state: Path | None = None,
) -> Audit:
    """Load, audit and write every requested output, then record the run in the history at `state`."""
    from endorse_audit import export, history, report
    from endorse_audit.audit import audit as run
    from endorse_audit.config import find_config, load_config

    config = load_config(find_config(config_path, Path(click.get_app_dir("endorse-audit"))))
    chosen, choice_note = export.resolve(export_path)
    loaded = export.load(chosen, config.limits)
    if choice_note:
        loaded = dataclasses.replace(loaded, notes=(choice_note, *loaded.notes))
    result = run(loaded, config)
    with history.open_store(state) as store:  # locked until the run is recorded
        if store is not None:
            result = store.prepare(result, history.utc_now())
        outputs: dict[Path, str | Iterator[str]] = {}
        if html_path is not None:
            outputs[html_path] = report.render_html(result, generated_at())
        if json_path is not None:
            outputs[json_path] = report.iter_json(result)  # written piece by piece: it can be large
        if csv_path is not None:
            outputs[csv_path] = report.render_csv(result)
        report.write_outputs(outputs, protect=(chosen,))
        if store is not None:
            store.commit()
    return result


def generated_at() -> datetime:
    """Return the report's time stamp: now, or SOURCE_DATE_EPOCH for reproducible output."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return datetime.fromtimestamp(int(epoch), UTC)
    return datetime.now(UTC)


def _print_summary(result: Audit, html_path: Path | None, json_path: Path | None, csv_path: Path | None) -> None:
    """Print the short terminal summary."""
    summary, source = result.summary, result.export
    when = f" (exported {source.date.isoformat()})" if source.date else ""
    click.echo(f"endorse-audit: {terminal_safe(Path(source.path).name)}{when}")
    for note in source.notes:
        click.echo(f"  note: {terminal_safe(note, 300)}")
    click.echo(
        f"  {_count(summary.listed_skills, 'listed skill')}, {_count(summary.endorsements, 'endorsement')} received"
    )
    if summary.to_hide:
        click.secho(
            f"  {_count(summary.to_hide, 'endorsement')} to hide on {_count(summary.unlisted_skills, 'skill')}"
            f" you never listed, from {_count(summary.endorsers_to_hide, 'person', 'people')}",
            fg="red",
            bold=True,
        )
        if result.history is not None:
            click.echo(f"  {_new_since(result)}")
        top = [f"{terminal_safe(s.verdict.name.strip(), 60)} ({s.to_hide})" for s in result.skills if s.to_hide][:5]
        click.echo("  most to hide: " + ", ".join(top))
    else:
        click.secho("  nothing to hide: every endorsement is for a skill you listed", fg="green")
    if summary.near_duplicates:
        click.echo(f"  {_count(summary.near_duplicates, 'near-duplicate spelling')} to review")
    from endorse_audit.profile import checks_of

    checks = checks_of(result)
    click.echo(f"  skill-profile consistency: {checks.profile.score}/100")
    given, invitations = checks.given, checks.invitations
    if given is not None and given.pending:
        pending, people = _count(given.pending_count, "endorsement"), _count(len(given.pending), "person", "people")
        click.echo(f"  {pending} you gave {'is' if given.pending_count == 1 else 'are'} still pending ({people})")
    if invitations is not None and invitations.incoming:
        without, received = invitations.incoming_without_note, invitations.incoming
        click.echo(f"  {without} of {received} connection requests you received had no note")
    for label, path in (("report", html_path), ("json", json_path), ("csv", csv_path)):
        if path is not None:
            click.echo(f"  {label}: {terminal_safe(str(path))}")


def _count(number: int, noun: str, plural: str | None = None) -> str:
    """Return "1 skill" or "3 skills"."""
    return f"{number} {noun if number == 1 else plural or noun + 's'}"


def _new_since(result: Audit) -> str:
    """Say how many endorsements to hide are new, and since when."""
    history = result.history
    assert history is not None
    if history.seen_before is not None:
        when = history.seen_before.first_audited.date().isoformat()
        return f"{history.new_to_hide} new: this export was already audited on {when}, nothing is counted twice"
    if history.previous is not None:
        return f"{history.new_to_hide} new since the last run on {history.previous.last_audited.date().isoformat()}"
    return f"all {history.new_to_hide} new: first run in the history ({history.path})"


def _print_new(result: Audit, html_path: Path | None) -> None:
    """Print the quiet summary: only what is new (-q)."""
    new = result.new_to_hide
    click.secho(
        f"endorse-audit: {new} new endorsement{'s' if new != 1 else ''} to hide ({result.summary.to_hide} in all)"
        f" in {terminal_safe(Path(result.export.path).name)}",
        fg="red",
        bold=True,
    )
    if html_path is not None:
        click.echo(f"  report: {terminal_safe(str(html_path))}")


@cli.command("history", context_settings=CONTEXT_SETTINGS)
@click.option(
    "--state",
    "state_path",
    type=click.Path(path_type=Path),
    help="The history file (default: $XDG_STATE_HOME/endorse-audit/history.sqlite3).",
)
@click.option("--forget", is_flag=True, help="Delete the history (it holds other people's names).")
def history_command(state_path: Path | None, forget: bool) -> None:
    """Show the past audits: when, which export, how many to hide, how many new.

    \b
    Examples:
      endorse-audit history
      endorse-audit history --forget
    """
    from endorse_audit import history

    try:
        state = _history_path(state_path)
        if forget:
            path, held = history.forget(state)
            click.echo(f"Forgot {held} runs: deleted {path}" if held is not None else f"No history to forget at {path}")
            return
        runs = history.read_runs(state)
    except EndorseAuditError as error:
        _fail(error)
    if not runs:
        click.echo(f"No audits recorded yet in {history.resolve(state)}")
        return
    rows = [
        (
            run.last_audited.strftime("%Y-%m-%d %H:%M"),
            run.export_name,
            run.export_date.isoformat() if run.export_date else "-",
            str(run.to_hide),
            str(run.new),
        )
        for run in runs
    ]
    header = ("audited (UTC)", "export", "exported", "to hide", "new")
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]
    for row in [header, *rows]:
        left = [cell.ljust(width) for cell, width in zip(row[:3], widths)]
        right = [cell.rjust(width) for cell, width in zip(row[3:], widths[3:])]
        click.echo("  ".join(left + right))
    click.echo(f"{len(runs)} run{'s' if len(runs) != 1 else ''} in {history.resolve(state)}")


@cli.command("schedule", context_settings=CONTEXT_SETTINGS)
@click.argument("folder", required=False, type=click.Path(path_type=Path))
@click.option("--install", "action", flag_value="install", help="Install it for you, replacing an earlier one.")
@click.option("--uninstall", "action", flag_value="uninstall", help="Remove the installed one.")
@click.option("--cron", "kind", flag_value="cron", help="A crontab line (the default on Linux and BSD).")
@click.option("--systemd", "kind", flag_value="systemd", help="A systemd user service and timer.")
@click.option("--launchd", "kind", flag_value="launchd", help="A launchd agent (the default on macOS).")
@click.option("--windows", "kind", flag_value="windows", help="A scheduled task (the default on Windows).")
@click.option(
    "--every",
    type=click.Choice(["daily", "weekly", "monthly"]),
    default="weekly",
    show_default=True,
    help="How often: every day, every Monday, or on the 1st of each month.",
)
@click.option("--at", default="08:00", show_default=True, help="The time of day, HH:MM, local time.")
@click.option(
    "--html",
    "html_path",
    type=click.Path(path_type=Path),
    help="Where each run writes its report (default: ~/endorse-audit/report.html).",
)
@click.option(
    "--state",
    "state_path",
    type=click.Path(path_type=Path),
    help="The history file (default: the one `audit` uses when run here).",
)
@click.option(
    "--config",
    "config_path",
    type=click.Path(path_type=Path),
    help="TOML configuration (default: the one `audit` would find when run here, if any).",
)
def schedule_command(
    folder: Path | None,
    action: str | None,
    kind: str | None,
    every: str,
    at: str,
    html_path: Path | None,
    state_path: Path | None,
    config_path: Path | None,
) -> None:
    """Print, install or remove a schedule that audits a folder of exports.

    Each run audits the newest export in FOLDER quietly (-q --fail-on new): it
    prints nothing, and exits 0, unless a new export brings new endorsements to
    hide. Cron mails what a job prints; see README for systemd, launchd, Windows.
    Without --install the schedule is only printed, to add by hand.

    \b
    Examples:
      endorse-audit schedule ~/Downloads
      endorse-audit schedule --install ~/Downloads
      endorse-audit schedule --install --systemd --every daily --at 18:30 ~/Downloads
      endorse-audit schedule --uninstall
    """
    from endorse_audit import schedule

    chosen = kind or schedule.default_kind()
    try:
        if action == "uninstall":
            for line in schedule.uninstall(chosen):
                click.echo(terminal_safe(line))
            return
        if folder is None:
            raise click.UsageError("Missing argument 'FOLDER'.")
        from endorse_audit.config import find_config

        built = schedule.build(
            chosen,
            folder,
            every=every,
            at=at,
            html=html_path if html_path is not None else schedule.default_report(),
            state=_history_path(state_path),
            config=find_config(config_path, Path(click.get_app_dir("endorse-audit"))),
            executable=None,
        )
        if action == "install":
            for line in schedule.install(built):
                click.echo(terminal_safe(line))
            return
    except EndorseAuditError as error:
        _fail(error)
    click.echo(built.text, nl=False)
    if built.report_folder is not None:
        click.echo(f"Create the report's folder first: mkdir -p {shlex.quote(str(built.report_folder))}", err=True)
    click.echo(
        _SCHEDULE_HINTS[chosen].format(path=shlex.quote(str(built.files[0][0])) if built.files else ""), err=True
    )


_SCHEDULE_HINTS = {
    "cron": "Add this line with `crontab -e` (cron mails what it prints; set MAILTO=you@example.com above it),"
    " or run this again with --install.",
    "systemd": "Save these two files, then run `systemctl --user daemon-reload && systemctl --user enable --now"
    " endorse-audit.timer`; or run this again with --install.",
    "launchd": "Save this as {path}, then run `launchctl load -w {path}`; or run this again with --install.",
    "windows": "Run this line in a command prompt, or run this again with --install."
    " To remove the task: schtasks /Delete /TN endorse-audit /F",
}


@cli.command("schema", context_settings=CONTEXT_SETTINGS)
@click.option("--batch", is_flag=True, help="The schema of audit.json for several exports (--out-dir) instead.")
def schema_command(batch: bool) -> None:
    """Print the JSON Schema (draft 2020-12) of the document --json writes.

    The JSON contract: later versions may add fields, never rename or remove
    them. With --batch, the schema of the audit.json that several exports get.

    \b
    Examples:
      endorse-audit schema > audit.schema.json
      endorse-audit schema --batch > batch.schema.json
    """
    from endorse_audit.schema import schema_text

    click.echo(schema_text("batch" if batch else "audit"), nl=False)


def _fail(error: EndorseAuditError) -> None:
    click.echo(f"Error: {terminal_safe(str(error))}", err=True)
    sys.exit(error.exit_code)


def terminal_safe(text: str, limit: int | None = None) -> str:
    """Return `text` safe to print: every control, format (bidi, zero-width), separator or unassigned
    character is shown as a Python-style escape (`\\x1b`, `\\u202e`), so nothing an export holds can
    move the cursor, recolour the terminal or reorder the line. Spaces and visible text are kept.
    With `limit`, longer text is cut to that many characters and ends in "…"."""
    if limit is not None and len(text) > limit:
        text = text[: limit - 1] + "…"
    if text.isprintable():
        return text
    return "".join(char if char.isprintable() else _escape(char) for char in text)


def _escape(char: str) -> str:
    code = ord(char)
    if unicodedata.category(char) == "Zs":  # a space of another width: harmless, keep it
        return char
    if code < 0x100:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


INTERRUPTED = "Interrupted; nothing was written."


class _Interrupted(BaseException):
    """Ctrl-C. Raised by our own SIGINT handler rather than KeyboardInterrupt, which click turns into
    Abort after printing a blank line: the one line below should be all that is printed."""


def _on_interrupt(signum: int, frame: object) -> None:
    raise _Interrupted


def main() -> None:
    """Run the command line; Ctrl-C prints one line and exits 130."""
    in_main_thread = threading.current_thread() is threading.main_thread()
    previous = signal.signal(signal.SIGINT, _on_interrupt) if in_main_thread else None
    try:
        cli.main(prog_name="endorse-audit", standalone_mode=False)
    except (_Interrupted, KeyboardInterrupt, click.exceptions.Abort):
        if in_main_thread:
            signal.signal(signal.SIGINT, signal.SIG_IGN)  # a second Ctrl-C must not interrupt the message
        click.echo(INTERRUPTED, err=True)
        sys.exit(EXIT_INTERRUPTED)
    except MemoryError:
        click.echo("Error: out of memory; lower the [limits] in the config, or free some memory", err=True)
        sys.exit(EXIT_ERROR)
    except click.ClickException as error:
        error.show()
        sys.exit(EXIT_ERROR)
    except click.exceptions.Exit as done:
        sys.exit(done.exit_code)
    finally:
        if in_main_thread:
            signal.signal(signal.SIGINT, previous if previous is not None else signal.default_int_handler)
