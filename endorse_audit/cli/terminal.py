"""What the command line prints, as lines of text: the audit summary, the quiet summary, the several-
exports summary and the history table. Every value from an export is made safe for a terminal here.
The summaries speak the language in use (language.py); the history table stays English.

Pure functions: they return `Line`s (text and a colour), the command line only echoes them.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from endorse_audit import language
from endorse_audit.language import gettext as _
from endorse_audit.language import ngettext
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


def _indented(lines: list[Line]) -> list[Line]:
    """Return the lines with every one after the first indented under it (messages carry no indent)."""
    return [*lines[:1], *(Line(f"  {line.text}", line.colour, line.bold) for line in lines[1:])]


def _day(value: date) -> str:
    """A date in the summary: ISO in English (as cron mail has always shown it), the language's own elsewhere."""
    return value.isoformat() if language.active().formats is None else language.day(value)


def _n(value: int) -> str:
    return language.number(value)


def summary_lines(result: Audit, outputs: OutputPaths, config: Path | None = None) -> list[Line]:
    """Return the short terminal summary of one audit (`config`: the config file used, if any)."""
    summary, source = result.summary, result.export
    name = terminal_safe(source.name)
    if source.date:
        head = _("endorse-audit: %(export)s (exported %(date)s)") % {"export": name, "date": _day(source.date)}
    else:
        head = _("endorse-audit: %(export)s") % {"export": name}
    lines = [Line(head)]
    # The reader's notes stay in English, as the JSON carries them (docs/languages.md).
    lines += [Line(_("note: %(note)s") % {"note": terminal_safe(note, 300)}) for note in source.notes]
    listed = ngettext("%(n)s listed skill", "%(n)s listed skills", summary.listed_skills) % {
        "n": _n(summary.listed_skills)
    }
    lines.append(
        Line(
            ngettext(
                "%(listed)s, %(n)s endorsement received",
                "%(listed)s, %(n)s endorsements received",
                summary.endorsements,
            )
            % {"listed": listed, "n": _n(summary.endorsements)}
        )
    )
    if summary.to_hide:
        # Three counts, each with its own plural: the skills and the people are whole phrases of their own.
        skills = ngettext("%(n)s skill", "%(n)s skills", summary.unlisted_skills) % {"n": _n(summary.unlisted_skills)}
        people = ngettext("%(n)s person", "%(n)s people", summary.endorsers_to_hide) % {
            "n": _n(summary.endorsers_to_hide)
        }
        lines.append(
            Line(
                ngettext(
                    "%(n)s endorsement to hide on %(skills)s you never listed, from %(people)s",
                    "%(n)s endorsements to hide on %(skills)s you never listed, from %(people)s",
                    summary.to_hide,
                )
                % {"n": _n(summary.to_hide), "skills": skills, "people": people},
                "red",
                bold=True,
            )
        )
        if result.history is not None:
            lines.append(Line(f"{_new_since(result)}"))
            lines += _named_new(result)
        top = [f"{terminal_safe(s.verdict.name.strip(), 60)} ({_n(s.to_hide)})" for s in result.skills if s.to_hide][:5]
        lines.append(Line(_("most to hide: %(skills)s") % {"skills": ", ".join(top)}))
    else:
        lines.append(Line(_("nothing to hide: every endorsement is for a skill you listed"), "green"))
    if result.history is not None and (dealt := _dealt_with(result)):
        lines.append(Line(f"{dealt}", "green"))
    if summary.near_duplicates:
        lines.append(
            Line(
                ngettext(
                    "%(n)s near-duplicate spelling to review",
                    "%(n)s near-duplicate spellings to review",
                    summary.near_duplicates,
                )
                % {"n": _n(summary.near_duplicates)}
            )
        )
    checks = result.checks
    lines.append(Line(_("skill-profile consistency: %(score)s/100") % {"score": checks.profile.score}))
    given, invitations = checks.given, checks.invitations
    if given is not None and given.pending:
        people = ngettext("%(n)s person", "%(n)s people", len(given.pending)) % {"n": _n(len(given.pending))}
        lines.append(
            Line(
                ngettext(
                    "%(n)s endorsement you gave is still pending (%(people)s)",
                    "%(n)s endorsements you gave are still pending (%(people)s)",
                    given.pending_count,
                )
                % {"n": _n(given.pending_count), "people": people}
            )
        )
    if invitations is not None and invitations.incoming:
        lines.append(Line(_requests_line(invitations.incoming_without_note, invitations.incoming, invitations.waiting)))
    if checks.context is not None and checks.context.total:
        lines.append(Line(f"{context_sentence(checks.context)}"))
        lines.append(Line(f"{suggestions_sentence(checks.context)}"))
    if config is not None:
        lines.append(Line(_("config: %(path)s") % {"path": terminal_safe(str(config))}))
    for label, path in (
        (_("report"), outputs.html),
        (_("json"), outputs.json),
        (_("csv"), outputs.csv),
        (_("connections csv"), outputs.connections_csv),
    ):
        if path is not None:
            lines.append(Line(_("%(output)s: %(path)s") % {"output": label, "path": terminal_safe(str(path))}))
    return _indented(lines)


def _requests_line(without: int, received: int, waiting: Sequence[object] | None) -> str:
    """Say how many requests received had no note, and how many are still waiting without one."""
    line = ngettext(
        "%(without)s of %(n)s connection request you received had no note",
        "%(without)s of %(n)s connection requests you received had no note",
        received,
    ) % {"without": _n(without), "n": _n(received)}
    if waiting is None:
        return line
    if not waiting:
        return _("%(line)s; none still waiting") % {"line": line}
    return ngettext(
        "%(line)s; %(n)s still waiting: to ignore", "%(line)s; %(n)s still waiting: to ignore", len(waiting)
    ) % {
        "line": line,
        "n": _n(len(waiting)),
    }


def _new_since(result: Audit) -> str:
    """Say how many endorsements to hide are new, and since when."""
    history = result.history
    assert history is not None
    new = history.new_to_hide
    if history.seen_before is not None:
        return ngettext(
            "%(n)s new: this export was already audited on %(date)s, nothing is counted twice",
            "%(n)s new: this export was already audited on %(date)s, nothing is counted twice",
            new,
        ) % {"n": _n(new), "date": _day(history.seen_before.first_audited.date())}
    if history.previous is not None:
        return ngettext("%(n)s new since the last run on %(date)s", "%(n)s new since the last run on %(date)s", new) % {
            "n": _n(new),
            "date": _day(history.previous.last_audited.date()),
        }
    first = _("first run of this member in the history (%(path)s)") % {"path": history.path}
    if history.unowned:
        first += ngettext(
            "; %(n)s earlier run names no member (recorded by an older endorse-audit) and is not compared",
            "; %(n)s earlier runs name no member (recorded by an older endorse-audit) and are not compared",
            history.unowned,
        ) % {"n": _n(history.unowned)}
    return first


def _named_new(result: Audit) -> list[Line]:
    """Name the new endorsements to hide, one a line, the NAMED_NEW most recent, then how many more."""
    new = new_endorsements(result)
    lines = []
    for one in new[:NAMED_NEW]:
        names = {"skill": terminal_safe(one.skill, 60), "endorser": terminal_safe(one.endorser, 60)}
        if one.why == "not a connection":
            lines.append(Line(_("new: %(skill)s from %(endorser)s (not a connection)") % names))
        elif one.why == "no context":
            lines.append(Line(_("new: %(skill)s from %(endorser)s (no context)") % names))
        else:
            lines.append(Line(_("new: %(skill)s from %(endorser)s") % names))
    if len(new) > NAMED_NEW:
        more = len(new) - NAMED_NEW
        lines.append(
            Line(
                ngettext("and %(n)s more new (see the report)", "and %(n)s more new (see the report)", more)
                % {"n": _n(more)}
            )
        )
    return lines


def _dealt_with(result: Audit) -> str:
    """Say how many of the previous run's endorsements to hide are hidden or gone now ("" for none)."""
    assert result.history is not None
    resolved = result.history.resolved
    if not resolved:
        return ""
    hidden = sum(r.how == "hidden" for r in resolved)
    return ngettext(
        "%(n)s dealt with since the last run (%(hidden)s hidden, %(gone)s gone)",
        "%(n)s dealt with since the last run (%(hidden)s hidden, %(gone)s gone)",
        len(resolved),
    ) % {"n": _n(len(resolved)), "hidden": _n(hidden), "gone": _n(len(resolved) - hidden)}


def quiet_lines(result: Audit, html_path: Path | None) -> list[Line]:
    """Return the quiet summary (-q), only when something is new (every one to hide is, on a first run or
    without a history): how many, each new one named when an earlier run was compared with, the report."""
    new = result.new_to_hide
    if not new:
        return []
    name = terminal_safe(result.export.name)
    if compared(result):
        head = ngettext(
            "endorse-audit: %(n)s new endorsement to hide (%(all)s in all) in %(export)s",
            "endorse-audit: %(n)s new endorsements to hide (%(all)s in all) in %(export)s",
            new,
        ) % {"n": _n(new), "all": _n(result.summary.to_hide), "export": name}
    else:  # nothing to compare with: none is called new
        head = ngettext(
            "endorse-audit: %(n)s endorsement to hide in %(export)s",
            "endorse-audit: %(n)s endorsements to hide in %(export)s",
            new,
        ) % {"n": _n(new), "export": name}
    lines = [Line(head, "red", bold=True), *_named_new(result)]
    if html_path is not None:
        lines.append(Line(_("report: %(path)s") % {"path": terminal_safe(str(html_path))}))
    return _indented(lines)


def batch_lines(result: BatchResult, written: Sequence[tuple[str, Path]]) -> list[Line]:
    """Return the summary of several exports audited at once."""
    audited, failed = result.audited, len(result.failed)
    if failed:
        head = ngettext(
            "endorse-audit: %(n)s export audited, %(failed)s could not be",
            "endorse-audit: %(n)s exports audited, %(failed)s could not be",
            len(audited),
        ) % {"n": _n(len(audited)), "failed": _n(failed)}
    else:
        head = ngettext("endorse-audit: %(n)s export audited", "endorse-audit: %(n)s exports audited", len(audited)) % {
            "n": _n(len(audited))
        }
    lines = [Line(head)]
    for outcome in audited:
        values = {"export": terminal_safe(outcome.name), "n": _n(outcome.to_hide), "all": _n(outcome.endorsements)}
        if outcome.to_hide:
            text = ngettext(
                "%(export)s: %(n)s endorsement to hide of %(all)s",
                "%(export)s: %(n)s endorsements to hide of %(all)s",
                outcome.to_hide,
            )
            lines.append(Line(text % values, "red"))
        else:
            text = ngettext(
                "%(export)s: nothing to hide (%(all)s endorsement)",
                "%(export)s: nothing to hide (%(all)s endorsements)",
                outcome.endorsements,
            )
            lines.append(Line(text % values))
    with_to_hide = [o for o in audited if o.to_hide]
    total = sum(o.to_hide for o in with_to_hide)
    lines.append(
        Line(
            ngettext(
                "%(n)s of %(all)s export has endorsements to hide (%(total)s in all)",
                "%(n)s of %(all)s exports have endorsements to hide (%(total)s in all)",
                len(audited),
            )
            % {"n": _n(len(with_to_hide)), "all": _n(len(audited)), "total": _n(total)}
        )
    )
    labels = {"index": _("index"), "json": _("json")}
    lines += [
        Line(_("%(output)s: %(path)s") % {"output": labels.get(label, label), "path": terminal_safe(str(path))})
        for label, path in written
    ]
    return _indented(lines)


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
