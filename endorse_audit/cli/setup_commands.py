"""The commands beside `audit`: `config`, `schedule`, `schema` and `history`, and the pieces every
command shares (help settings, the --state and --lang options, where the history is). Click only, like
commands.py, which adds these commands to its group.
"""

from __future__ import annotations

import os
import shlex
import sys
from pathlib import Path
from typing import Any

import click

CONTEXT_SETTINGS = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


def lang_option(function: Any) -> Any:
    """The --lang option: one of our languages, written any usual way ("pt_BR", "pt-br"), checked here."""

    def checked(_context: click.Context, _param: click.Parameter, value: str | None) -> str | None:
        from endorse_audit import language

        if value is None:
            return None
        code = language.known(value)
        if code is None:
            raise click.BadParameter(language.unknown(value))
        return code

    return click.option(
        "--lang",
        metavar="CODE",
        callback=checked,
        help="The report's and the summary's language: en, pt, pt-BR, es, fr, de, it, sv (default: the config's"
        " lang, else your locale's, else en). The JSON and the CSVs are the same in every language.",
    )(function)


def state_option(function: Any) -> Any:
    """The --state option, shared by every command that reads the history."""
    return click.option(
        "--state",
        "state_path",
        type=click.Path(),  # a string: a trailing slash says "a folder", and Path would drop it
        help="The history file of past runs, or a folder for it (default: history.sqlite3 in this platform's"
        " state folder; `endorse-audit config` shows where).",
    )(function)


def history_path(state_path: str | None) -> Path:
    """Return the history file to use: the one named (a folder for it when it ends in a slash), else the
    platform's default; say once if others can write to its folder."""
    from endorse_audit.history import database as history_db

    if state_path is None:
        state = history_db.default_path()
    elif state_path.endswith(("/", os.sep)):
        state = Path(state_path).expanduser() / history_db.FILE_NAME
    else:
        state = Path(state_path)
    _warn_if_shared(state)
    return state


def _warn_if_shared(state: Path) -> None:
    """Say once, on stderr and without stopping, that others may write to the folder holding the history."""
    from endorse_audit.cli.terminal import terminal_safe
    from endorse_audit.history import database as history_db

    folder = history_db.shared_folder(history_db.history_file(state))
    if folder is not None:
        click.echo(
            f"Warning: {terminal_safe(str(folder))}: other users can write to this folder, which holds the history;"
            " make it yours alone (chmod go-w)",
            err=True,
        )


@click.command("config", context_settings=CONTEXT_SETTINGS)
@click.option("--config", "config_path", type=click.Path(path_type=Path), help="Check this config file instead.")
@click.option("--init", is_flag=True, help="Write a commented template to the user config file (never over one).")
def config_command(config_path: Path | None, init: bool) -> None:
    """Show which config file an audit run here uses, and where config files are looked for.

    \b
    Examples:
      endorse-audit config
      endorse-audit config --init
    """
    from endorse_audit import language
    from endorse_audit.cli.terminal import terminal_safe
    from endorse_audit.config import config_places, find_config, load_config, user_config_path, write_template
    from endorse_audit.history import database as history_db

    user = user_config_path()
    if init:
        if user is None:
            raise click.UsageError("no home folder to keep a user config in; use --config PATH with audit")
        write_template(user)
        click.echo(f"Wrote a commented template to {terminal_safe(str(user))}; edit it to change the settings")
        return
    found = find_config(config_path)
    configured = load_config(found).lang  # a config that cannot be used is an error here too, not at the next audit
    click.echo(f"in effect: {terminal_safe(str(found)) if found else 'none: the defaults'}")
    code = language.choose(configured, os.environ)
    source = "the config's lang" if configured else "the locale" if language.from_locale(os.environ) else "the default"
    click.echo(f"language: {code} ({language.LANGUAGES[code]}, from {source}; --lang on audit chooses another)")
    click.echo("looked for, in order:" if config_path is None else "named: --config")
    for place in config_places() if config_path is None else [config_path]:
        click.echo(f"  {terminal_safe(str(place))}{'' if place.is_file() else ' (none)'}")
    click.echo(f"user config file: {terminal_safe(str(user)) if user else '(no home folder)'}")
    click.echo(f"history: {terminal_safe(str(history_db.history_file(history_db.default_path())))}")


@click.command("schedule", context_settings=CONTEXT_SETTINGS)
@click.argument("folder", required=False, type=click.Path(path_type=Path))
@click.option("--install", "action", flag_value="install", help="Install it for you, replacing an earlier one.")
@click.option("--uninstall", "action", flag_value="uninstall", help="Remove the installed one.")
@click.option("--cron", "kind", flag_value="cron", help="A crontab line (the default on Linux and BSD).")
@click.option("--systemd", "kind", flag_value="systemd", help="A systemd user service and timer.")
@click.option("--launchd", "kind", flag_value="launchd", help="A launchd agent (the default on macOS).")
@click.option("--windows", "kind", flag_value="windows", help="A scheduled task (the default on Windows).")
@click.option(
    "--on-new-export",
    "on_new_export",
    is_flag=True,
    help="Audit whenever a file lands in FOLDER, not at set times: a systemd path unit (the default on"
    " Linux) or a launchd agent (macOS). With --uninstall: remove that one.",
)
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
    type=click.Path(),
    help="The history file (default: the one `audit` uses when run here).",
)
@click.option(
    "--config",
    "config_path",
    type=click.Path(path_type=Path),
    help="TOML configuration (default: the one `audit` would find when run here, if any).",
)
@lang_option
def schedule_command(
    folder: Path | None,
    action: str | None,
    kind: str | None,
    on_new_export: bool,
    every: str,
    at: str,
    html_path: Path | None,
    state_path: str | None,
    config_path: Path | None,
    lang: str | None,
) -> None:
    """Print, install or remove a schedule that audits a folder of exports.

    Each run audits the newest export in FOLDER quietly (-q --fail-on new): it
    prints nothing, and exits 0, unless a new export brings new endorsements to
    hide. Cron mails what a job prints; the docs (docs/scheduling.md) cover systemd,
    launchd and Windows.
    Without --install the schedule is only printed, to add by hand. With
    --on-new-export the same audit runs as soon as an export lands in FOLDER.

    \b
    Examples:
      endorse-audit schedule ~/Downloads
      endorse-audit schedule --install ~/Downloads
      endorse-audit schedule --install --systemd --every daily --at 18:30 ~/Downloads
      endorse-audit schedule --install --on-new-export ~/Downloads
      endorse-audit schedule --uninstall
    """
    from endorse_audit import language, schedule
    from endorse_audit.cli.terminal import terminal_safe
    from endorse_audit.config import find_config, load_config

    if on_new_export:
        context = click.get_current_context()
        for name in ("every", "at"):
            if context.get_parameter_source(name) == click.core.ParameterSource.COMMANDLINE:
                raise click.UsageError(
                    f"--on-new-export and --{name} cannot be used together: it runs when a file lands, not at set times"
                )
    chosen = kind or schedule.default_kind(watch=on_new_export)
    if action == "uninstall":
        for line in schedule.uninstall(chosen, watch=on_new_export):
            click.echo(terminal_safe(line))
        return
    if folder is None:
        raise click.UsageError("Missing argument 'FOLDER'.")
    config = find_config(config_path)
    if lang is None and load_config(config).lang is None:
        # A scheduler runs the audit with no LANG: the language of the session that schedules it goes along.
        from_locale = language.from_locale(os.environ)
        lang = from_locale if from_locale != language.DEFAULT else None
    built = schedule.build(
        chosen,
        folder,
        every=every,
        at=at,
        html=html_path if html_path is not None else schedule.default_report(),
        state=history_path(state_path),
        config=config,
        executable=None,
        on_new_export=on_new_export,
        lang=lang,
    )
    if action == "install":
        for line in schedule.install(built):
            click.echo(terminal_safe(line))
        return
    click.echo(built.text, nl=False)
    if built.report_folder is not None:
        click.echo(f"Create the report's folder first: mkdir -p {shlex.quote(str(built.report_folder))}", err=True)
    first, last = (built.files[0][0], built.files[-1][0]) if built.files else (Path(), Path())
    click.echo(_SCHEDULE_HINTS[chosen].format(path=shlex.quote(str(first)), unit=last.name), err=True)


_SCHEDULE_HINTS = {
    "cron": "Add this line with `crontab -e` (cron mails what it prints; set MAILTO=you@example.com above it),"
    " or run this again with --install.",
    "systemd": "Save these two files, then run `systemctl --user daemon-reload && systemctl --user enable --now"
    " {unit}`; or run this again with --install.",
    "launchd": "Save this as {path}, then run `launchctl load -w {path}`; or run this again with --install.",
    "windows": "Run this line in a command prompt, or run this again with --install."
    " To remove the task: schtasks /Delete /TN endorse-audit /F",
}


@click.command("schema", context_settings=CONTEXT_SETTINGS)
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
    from endorse_audit.report.schema import schema_text

    click.echo(schema_text("batch" if batch else "audit"), nl=False)


def _stdin_is_terminal() -> bool:
    return sys.stdin.isatty()


@click.command("history", context_settings=CONTEXT_SETTINGS)
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
    for line in history_lines(history.read_runs(state), history_db.history_file(state)):
        click.secho(line.text, fg=line.colour, bold=line.bold or None)
