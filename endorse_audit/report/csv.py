"""The CSV outputs, safe to open in a spreadsheet: the hide list (one endorsement to hide a row) and the
connections with their context (one connection a row).

UTF-8 with a byte-order mark, so that Excel on Windows reads "Wiśniewski" as written; every cell a
spreadsheet could run as a formula is neutralised. The hide list's cells say what the report says: the
closest listed skill only where the report would show it, "Connected On" a date, `not a connection`,
or empty when the export cannot tell.
"""

from __future__ import annotations

import csv
import io

from endorse_audit.checks.suggestions import least_context_first
from endorse_audit.model import Audit
from endorse_audit.names.people import profile_url
from endorse_audit.report.dates import parse_day
from endorse_audit.report.view import hint, lookalike_note

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")  # what makes a spreadsheet read a cell as a formula
BOM = "\ufeff"
HEADER = (
    "Skill",
    "Endorser",
    "Profile URL",
    "Endorsement Date",
    "Connected On",
    "LinkedIn Status",
    "Closest Listed Skill",
    "New",
    "Note",  # a name in lookalike letters (view.lookalike_note); new columns come last
)
NOT_A_CONNECTION = "not a connection"


def neutralise(cell: str) -> str:
    """Return a cell a spreadsheet will show as text, never run as a formula."""
    return "'" + cell if cell.startswith(FORMULA_START) else cell


def connected_on(text: str, is_connection: bool | None) -> str:
    """Return "YYYY-MM-DD", `not a connection`, or "" when unknown (no Connections.csv, or no date in it)."""
    if text:
        found = parse_day(text)
        return found.isoformat() if found else text
    return NOT_A_CONNECTION if is_connection is False else ""


def render_csv(audit: Audit) -> str:
    """Return the hide list, one endorsement a row, safe to open in a spreadsheet."""
    hide = audit.endorsements[audit.endorsements["hide"]]
    hints = {s.verdict.name: hint(s) or "" for s in audit.skills}
    notes = {s.verdict.name: lookalike_note(s) or "" for s in audit.skills}
    out = io.StringIO()
    out.write(BOM)
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(HEADER)
    dates: dict[tuple[str, bool | None], str] = {}
    for row in hide.itertuples(index=False):
        pair = (str(row.connected_on), None if row.is_connection is None else bool(row.is_connection))
        if pair not in dates:
            dates[pair] = connected_on(*pair)
        cells = [
            row.skill,
            row.endorser,
            profile_url(str(row.slug)) or "",
            row.date,
            dates[pair],
            row.status,
            hints.get(str(row.skill), ""),
            "yes" if row.new else "no",
            notes.get(str(row.skill), ""),
        ]
        writer.writerow([neutralise(str(cell)) for cell in cells])
    return out.getvalue()


CONNECTION_COLUMNS = (
    "Name",
    "Profile URL",
    "Connected On",
    "Company",
    "Position",
    "Context",
    "Note",
    "Messages",
    "Last Message",
    "Endorsed By You",
    "Recommendation",
    "Suggestion",
    "Score",
)


def render_connections_csv(audit: Audit) -> str:
    """Return every connection with its context and suggestion, remove first and the least context first (as
    the report's lists): "yes"/"no" per signal, the number of messages, "unknown" where the export lacks the
    file that would tell (header only without Connections.csv)."""
    out = io.StringIO()
    out.write(BOM)
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CONNECTION_COLUMNS)
    context = audit.checks.context
    if context is None:
        return out.getvalue()
    known = {signal for signal, count in context.signals if count is not None}

    def cell(signal: str, person_signals: tuple[str, ...]) -> str:
        return "unknown" if signal not in known else "yes" if signal in person_signals else "no"

    for person in least_context_first(context.people):
        connection = person.connection
        cells = [
            connection.name,
            profile_url(connection.slug) or "",
            connection.connected_on,
            connection.company,
            connection.position,
            "; ".join(person.signals) or "none",
            cell("note", person.signals),
            str(person.messages) if "messages" in known else "unknown",
            person.last_message,
            cell("endorsed_by_you", person.signals),
            cell("recommendations", person.signals),
            person.suggestion,
            str(person.score),
        ]
        writer.writerow([neutralise(cell_text) for cell_text in cells])
    return out.getvalue()
