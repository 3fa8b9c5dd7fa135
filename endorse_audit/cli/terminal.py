"""What the command line prints, as lines of text: the audit summary, the quiet summary, the several-
exports summary and the history table. Every value from an export is made safe for a terminal here.

Pure functions: they return `Line`s (text and a colour), the command line only echoes them.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from endorse_audit.model import Audit, PastRun
from endorse_audit.report.context import context_sentence, suggestions_sentence
from endorse_audit.report.history import NAMED_NEW, compared, new_endorsements

if TYPE_CHECKING:
    from endorse_audit.batch import BatchResult
    from endorse_audit.report.render import OutputPaths


@dataclass(frozen=True)
class Line:
    """One line to print, and how to colour it."""

    text: str
    colour: str | None = None  # a click colour name
    bold: bool = False


def count(number: int, noun: str, plural: str | None = None) -> str:
    """Return "1 skill" or "3 skills"."""
    return f"{number} {noun if number == 1 else plural or noun + 's'}"


def summary_lines(result: Audit, outputs: OutputPaths, config: Path | None = None) -> list[Line]:
    """Return the short terminal summary of one audit (`config`: the config file used, if any)."""
    summary, source = result.summary, result.export
    when = f" (exported {source.date.isoformat()})" if source.date else ""
    lines = [Line(f"endorse-audit: {terminal_safe(source.name)}{when}")]
    lines += [Line(f"  note: {terminal_safe(note, 300)}") for note in source.notes]
    lines.append(
        Line(f"  {count(summary.listed_skills, 'listed skill')}, {count(summary.endorsements, 'endorsement')} received")
    )
    if summary.to_hide:
        lines.append(
            Line(
                f"  {count(summary.to_hide, 'endorsement')} to hide on {count(summary.unlisted_skills, 'skill')}"
                f" you never listed, from {count(summary.endorsers_to_hide, 'person', 'people')}",
                "red",
                bold=True,
            )
        )
        if result.history is not None:
            lines.append(Line(f"  {_new_since(result)}"))
            lines += _named_new(result)
        top = [f"{terminal_safe(s.verdict.name.strip(), 60)} ({s.to_hide})" for s in result.skills if s.to_hide][:5]
        lines.append(Line("  most to hide: " + ", ".join(top)))
    else:
        lines.append(Line("  nothing to hide: every endorsement is for a skill you listed", "green"))
    if result.history is not None and (dealt := _dealt_with(result)):
        lines.append(Line(f"  {dealt}", "green"))
    if summary.near_duplicates:
        lines.append(Line(f"  {count(summary.near_duplicates, 'near-duplicate spelling')} to review"))
    checks = result.checks
    lines.append(Line(f"  skill-profile consistency: {checks.profile.score}/100"))
    given, invitations = checks.given, checks.invitations
    if given is not None and given.pending:
        pending, people = count(given.pending_count, "endorsement"), count(len(given.pending), "person", "people")
        lines.append(
            Line(f"  {pending} you gave {'is' if given.pending_count == 1 else 'are'} still pending ({people})")
        )
    if invitations is not None and invitations.incoming:
        without, received = invitations.incoming_without_note, invitations.incoming
        waiting = invitations.waiting
        still = "" if waiting is None else f"; {len(waiting) or 'none'} still waiting" + (": to ignore" * bool(waiting))
        lines.append(Line(f"  {without} of {received} connection requests you received had no note{still}"))
    if checks.context is not None and checks.context.total:
        lines.append(Line(f"  {context_sentence(checks.context)}"))
        lines.append(Line(f"  {suggestions_sentence(checks.context)}"))
    if config is not None:
        lines.append(Line(f"  config: {terminal_safe(str(config))}"))
    for label, path in (
        ("report", outputs.html),
        ("json", outputs.json),
        ("csv", outputs.csv),
        ("connections csv", outputs.connections_csv),
    ):
        if path is not None:
            lines.append(Line(f"  {label}: {terminal_safe(str(path))}"))
    return lines


def _new_since(result: Audit) -> str:
    """Say how many endorsements to hide are new, and since when."""
    history = result.history
    assert history is not None
    if history.seen_before is not None:
        when = history.seen_before.first_audited.date().isoformat()
        return f"{history.new_to_hide} new: this export was already audited on {when}, nothing is counted twice"
    if history.previous is not None:
        return f"{history.new_to_hide} new since the last run on {history.previous.last_audited.date().isoformat()}"
    first = f"first run of this member in the history ({history.path})"
    if history.unowned:
        names = "names" if history.unowned == 1 else "name"
        first += (
            f"; {count(history.unowned, 'earlier run')} {names} no member (recorded by an older endorse-audit)"
            f" and {'is' if history.unowned == 1 else 'are'} not compared"
        )
    return first


def _named_new(result: Audit) -> list[Line]:
    """Name the new endorsements to hide, one a line, the NAMED_NEW most recent, then how many more."""
    new = new_endorsements(result)
    lines = [
        Line(
            f"  new: {terminal_safe(one.skill, 60)} from {terminal_safe(one.endorser, 60)}"
            + (f" ({one.why})" if one.why else "")
        )
        for one in new[:NAMED_NEW]
    ]
    if len(new) > NAMED_NEW:
        lines.append(Line(f"  and {len(new) - NAMED_NEW} more new (see the report)"))
    return lines


def _dealt_with(result: Audit) -> str:
    """Say how many of the previous run's endorsements to hide are hidden or gone now ("" for none)."""
    assert result.history is not None
    resolved = result.history.resolved
    if not resolved:
        return ""
    hidden = sum(r.how == "hidden" for r in resolved)
    return f"{len(resolved)} dealt with since the last run ({hidden} hidden, {len(resolved) - hidden} gone)"


def quiet_lines(result: Audit, html_path: Path | None) -> list[Line]:
    """Return the quiet summary (-q), only when something is new (every one to hide is, on a first run or
    without a history): how many, each new one named when an earlier run was compared with, the report."""
    new = result.new_to_hide
    if not new:
        return []
    name = terminal_safe(result.export.name)
    if compared(result):
        head = f"{count(new, 'new endorsement')} to hide ({result.summary.to_hide} in all) in {name}"
    else:  # nothing to compare with: none is called new
        head = f"{count(new, 'endorsement')} to hide in {name}"
    lines = [Line(f"endorse-audit: {head}", "red", bold=True), *_named_new(result)]
    if html_path is not None:
        lines.append(Line(f"  report: {terminal_safe(str(html_path))}"))
    return lines


def batch_lines(result: BatchResult, written: Sequence[tuple[str, Path]]) -> list[Line]:
    """Return the summary of several exports audited at once."""
    audited = result.audited
    failed = f", {len(result.failed)} could not be" if result.failed else ""
    lines = [Line(f"endorse-audit: {count(len(audited), 'export')} audited{failed}")]
    for outcome in audited:
        line = f"  {terminal_safe(outcome.name)}: "
        if outcome.to_hide:
            to_hide = count(outcome.to_hide, "endorsement")
            lines.append(Line(f"{line}{to_hide} to hide of {outcome.endorsements}", "red"))
        else:
            lines.append(Line(f"{line}nothing to hide ({count(outcome.endorsements, 'endorsement')})"))
    with_to_hide = [o for o in audited if o.to_hide]
    total = sum(o.to_hide for o in with_to_hide)
    have = "export has" if len(audited) == 1 else "exports have"
    lines.append(Line(f"  {len(with_to_hide)} of {len(audited)} {have} endorsements to hide ({total} in all)"))
    lines += [Line(f"  {label}: {terminal_safe(str(path))}") for label, path in written]
    return lines


UNOWNED = "Runs that name no member (recorded by an older endorse-audit)"


def history_lines(runs: Sequence[PastRun], where: Path) -> list[Line]:
    """Return the history as a table: one run a line, grouped by member when it holds several (numbered
    in the order they first appear: the history keeps a hash of whose export it is, never a name), then
    how many runs and where."""
    if not runs:
        return [Line(f"No audits recorded yet in {terminal_safe(str(where))}")]
    groups: dict[bytes | None, list[PastRun]] = {}
    for run in runs:
        groups.setdefault(run.member, []).append(run)
    members = [member for member in groups if member is not None]
    if None in groups:  # no one's runs last
        groups[None] = groups.pop(None)
    header = ("audited (UTC)", "export", "exported", "to hide", "new", "dealt with")
    rows = {
        member: [
            (
                run.last_audited.strftime("%Y-%m-%d %H:%M"),
                terminal_safe(run.export_name),
                run.export_date.isoformat() if run.export_date else "-",
                str(run.to_hide),
                str(run.new),
                str(run.resolved),
            )
            for run in group
        ]
        for member, group in groups.items()
    }
    widths = [max(len(row[i]) for row in [header, *(r for rs in rows.values() for r in rs)]) for i in range(6)]

    def table_line(row: tuple[str, ...]) -> Line:
        left = [cell.ljust(width) for cell, width in zip(row[:3], widths)]
        right = [cell.rjust(width) for cell, width in zip(row[3:], widths[3:])]
        return Line("  ".join(left + right))

    lines = [table_line(header)]
    for member, member_rows in rows.items():
        if len(groups) > 1:
            label = UNOWNED if member is None else f"Member {members.index(member) + 1}"
            lines.append(Line(f"{label}: {count(len(member_rows), 'run')}", bold=True))
        lines += [table_line(row) for row in member_rows]
    of = f" of {count(len(members), 'member')}" if len(members) > 1 else ""
    lines.append(Line(f"{count(len(runs), 'run')}{of} in {terminal_safe(str(where))}"))
    return lines


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
