"""Turn an Audit into its outputs: the HTML report, the JSON document, the CSV hide list.

`render_outputs()` is the one place that decides what each output file holds; `write_report()`
writes them all or nothing (outputs.py). The HTML comes from the view objects of report_view.py
through Jinja2 (autoescape always on, undefined names are errors); JSON and CSV have their own
modules.
"""

from __future__ import annotations

import base64
import functools
import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from endorse_audit import language
from endorse_audit.model import Audit
from endorse_audit.report import words
from endorse_audit.report.outputs import write_outputs
from endorse_audit.report.view import report_view


@dataclass(frozen=True)
class OutputPaths:
    """Where each output of one audit goes; None: not written."""

    html: Path | None = None
    json: Path | None = None
    csv: Path | None = None
    connections_csv: Path | None = None
    json_compact: bool = False  # the JSON without white space (--json-compact)

    def chosen(self) -> list[Path]:
        """Return the paths given, HTML first."""
        return [path for path in (self.html, self.json, self.csv, self.connections_csv) if path is not None]


def render_outputs(audit: Audit, paths: OutputPaths, generated_at: datetime) -> dict[Path, str | Iterable[str | bytes]]:
    """Return each output's path and contents (the JSON as pieces of UTF-8: it can be large)."""
    contents: dict[Path, str | Iterable[str | bytes]] = {}
    if paths.html is not None:
        contents[paths.html] = render_html(audit, generated_at)
    # Each output's module is imported only when that output is asked for: a run pays only for its own.
    if paths.json is not None:
        from endorse_audit.report.json import iter_json

        contents[paths.json] = iter_json(audit, compact=paths.json_compact)
    if paths.csv is not None:
        from endorse_audit.report.csv import render_csv

        contents[paths.csv] = render_csv(audit)
    if paths.connections_csv is not None:
        from endorse_audit.report.csv import render_connections_csv

        contents[paths.connections_csv] = render_connections_csv(audit)
    return contents


def write_report(
    audit: Audit, paths: OutputPaths, generated_at: datetime, *, keep: Mapping[Path, str] | None = None
) -> None:
    """Write every output of the audit, all or nothing, never over the export's own files nor those in
    `keep` (the history)."""
    protect = tuple(Path(path) for path in audit.export.read_paths)
    write_outputs(render_outputs(audit, paths, generated_at), protect=protect, keep=keep)


@functools.cache  # one per process: templates are compiled once, not for every report of a batch
def _environment() -> Any:
    """Return the Jinja2 environment: autoescape always on, undefined names are errors."""
    import jinja2

    package_dir = Path(__file__).resolve().parent.parent  # endorse_audit/, beside report/
    search = [str(package_dir / "templates"), str(package_dir.parent / "templates")]
    try:
        # Compiled templates are kept in Jinja2's per-user, owner-only folder under the temp folder:
        # compiling them costs a tenth of a second on every run otherwise.
        cache: jinja2.BytecodeCache | None = jinja2.FileSystemBytecodeCache()
    except (OSError, RuntimeError):
        cache = None
    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader(search),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        bytecode_cache=cache,
        extensions=["jinja2.ext.i18n"],
    )
    # {% trans %} and _() in the templates speak the language in use when the page is rendered
    # (language.using); newstyle: placeholders are filled and escaped by gettext itself.
    environment.install_gettext_callables(language.gettext, language.ngettext, newstyle=True)  # type: ignore[attr-defined]
    environment.policies["ext.i18n.trimmed"] = True  # a message's line breaks and indents are not part of it
    environment.filters["number"] = language.number  # 3,239 / 3.239 / 3 239, as the language writes it
    environment.filters["decimal"] = language.decimal  # 94.4 / 94,4
    environment.globals["language_code"] = lambda: language.active().code  # <html lang>, the script's dates
    # What the checks wrote in English (for the JSON), in the member's language (report/words.py).
    environment.filters["penalty"] = words.penalty
    environment.filters["kept_because"] = words.kept_because
    environment.filters["suggestion"] = words.suggestion
    return environment


def render_html(audit: Audit, generated_at: datetime) -> str:
    """Return the self-contained HTML report.

    The page's Content-Security-Policy allows exactly one script, by its hash: ours.
    """
    environment = _environment()
    script = environment.get_template("report.js").render()
    script_hash = "sha256-" + base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode("ascii")
    html: str = environment.get_template("report.html").render(
        **report_view(audit, generated_at), script_hash=script_hash
    )
    return html


def render_template(name: str, **view: Any) -> str:
    """Return one of the package's templates rendered with `view` (the several-exports index uses it)."""
    return str(_environment().get_template(name).render(**view))
