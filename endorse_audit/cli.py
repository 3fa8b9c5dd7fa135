"""The command line: parse options, run the audit, print the summary, choose the exit status.

The only module that imports click and the only place exit codes are decided:
0 nothing to hide, 1 endorsements to hide, 2 usage or input error, 130 interrupted.
Heavy libraries (pandas, rapidfuzz, jinja2) are imported only when a command runs.
"""

from __future__ import annotations

import dataclasses
import os
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

import click

from endorse_audit import __version__
from endorse_audit.errors import EndorseAuditError

if TYPE_CHECKING:
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
@click.argument("export_path", metavar="EXPORT", type=click.Path(path_type=Path))
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
@click.option("-q", "--quiet", is_flag=True, help="Print nothing but errors.")
@click.option("--exit-zero", is_flag=True, help="Exit 0 even when there are endorsements to hide.")
@click.option("--open", "open_report", is_flag=True, help="Open the report in the default browser.")
def audit(
    export_path: Path,
    html_path: Path,
    no_html: bool,
    json_path: Path | None,
    csv_path: Path | None,
    config_path: Path | None,
    quiet: bool,
    exit_zero: bool,
    open_report: bool,
) -> None:
    """Audit a LinkedIn data export and write the report.

    EXPORT is the export zip, the folder it was extracted to, or a folder holding
    several export zips (the newest by the date in its name is audited).

    \b
    Examples:
      endorse-audit audit Basic_LinkedInDataExport_11-20-2026.zip
      endorse-audit audit ~/Downloads --json audit.json --csv to-hide.csv
      endorse-audit audit export.zip -q || echo "new endorsements to hide"

    \b
    Exit status: 0 nothing to hide, 1 endorsements to hide (0 with --exit-zero),
    2 usage or input error, 130 interrupted.
    """
    try:
        result = _run_audit(export_path, config_path, None if no_html else html_path, json_path, csv_path)
    except EndorseAuditError as error:
        _fail(error)
    if not quiet:
        _print_summary(result, None if no_html else html_path, json_path, csv_path)
    if open_report and not no_html:
        import webbrowser

        webbrowser.open(html_path.resolve().as_uri())
    sys.exit(EXIT_TO_HIDE if result.summary.to_hide and not exit_zero else EXIT_CLEAN)


def _run_audit(
    export_path: Path, config_path: Path | None, html_path: Path | None, json_path: Path | None, csv_path: Path | None
) -> Audit:
    """Load, audit and write every requested output; return the audit."""
    from endorse_audit import export, report
    from endorse_audit.audit import audit as run
    from endorse_audit.config import find_config, load_config

    config = load_config(find_config(config_path, Path(click.get_app_dir("endorse-audit"))))
    chosen, choice_note = export.resolve(export_path)
    loaded = export.load(chosen, config.limits)
    if choice_note:
        loaded = dataclasses.replace(loaded, notes=(choice_note, *loaded.notes))
    result = run(loaded, config)
    outputs: dict[Path, str] = {}
    if html_path is not None:
        outputs[html_path] = report.render_html(result, generated_at())
    if json_path is not None:
        outputs[json_path] = report.render_json(result)
    if csv_path is not None:
        outputs[csv_path] = report.render_csv(result)
    report.write_outputs(outputs, protect=(chosen,))
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
    click.echo(f"endorse-audit: {Path(source.path).name}{when}")
    for note in source.notes:
        click.echo(f"  note: {note}")
    click.echo(f"  {summary.listed_skills} listed skills, {summary.endorsements} endorsements received")
    if summary.to_hide:
        click.secho(
            f"  {summary.to_hide} endorsements to hide on {summary.unlisted_skills} skills you never listed,"
            f" from {summary.endorsers_to_hide} people",
            fg="red",
            bold=True,
        )
        top = [f"{s.verdict.name.strip()} ({s.to_hide})" for s in result.skills if s.to_hide][:5]
        click.echo("  most to hide: " + ", ".join(top))
    else:
        click.secho("  nothing to hide: every endorsement is for a skill you listed", fg="green")
    if summary.near_duplicates:
        click.echo(f"  {summary.near_duplicates} near-duplicate spellings to review")
    for label, path in (("report", html_path), ("json", json_path), ("csv", csv_path)):
        if path is not None:
            click.echo(f"  {label}: {path}")


def _fail(error: EndorseAuditError) -> None:
    click.echo(f"Error: {error}", err=True)
    sys.exit(error.exit_code)


def main() -> None:
    """Run the command line; Ctrl-C prints one line and exits 130."""
    try:
        cli.main(prog_name="endorse-audit", standalone_mode=False)
    except KeyboardInterrupt:
        click.echo("Interrupted; nothing was written.", err=True)
        sys.exit(EXIT_INTERRUPTED)
    except click.exceptions.Abort:
        click.echo("Interrupted; nothing was written.", err=True)
        sys.exit(EXIT_INTERRUPTED)
    except click.ClickException as error:
        error.show()
        sys.exit(EXIT_ERROR)
    except click.exceptions.Exit as done:
        sys.exit(done.exit_code)
