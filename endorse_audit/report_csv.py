"""The CSV outputs, safe to open in a spreadsheet: the hide list (one endorsement to hide a row) and the
connections with their context (one connection a row)."""

from __future__ import annotations

import csv
import io

from endorse_audit.model import Audit
from endorse_audit.people import profile_url

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")  # what makes a spreadsheet read a cell as a formula


def neutralise(cell: str) -> str:
    """Return a cell a spreadsheet will show as text, never run as a formula."""
    return "'" + cell if cell.startswith(FORMULA_START) else cell


def render_csv(audit: Audit) -> str:
    """Return the hide list, one endorsement a row, safe to open in a spreadsheet."""
    hide = audit.endorsements[audit.endorsements["hide"]]
    hints = {s.verdict.name: s.verdict.closest or "" for s in audit.skills}
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(
        [
            "Skill",
            "Endorser",
            "Profile URL",
            "Endorsement Date",
            "Connected On",
            "LinkedIn Status",
            "Closest Listed Skill",
        ]
    )
    for row in hide.itertuples(index=False):
        cells = [
            row.skill,
            row.endorser,
            profile_url(str(row.slug)) or "",
            row.date,
            row.connected_on,
            row.status,
            hints.get(str(row.skill), ""),
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
)


def render_connections_csv(audit: Audit) -> str:
    """Return every connection with its context, newest first: "yes"/"no" per signal, the number of
    messages, "unknown" where the export lacks the file that would tell (header only without
    Connections.csv)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CONNECTION_COLUMNS)
    context = audit.checks.context
    if context is None:
        return out.getvalue()
    known = {signal for signal, count in context.signals if count is not None}

    def cell(signal: str, person_signals: tuple[str, ...]) -> str:
        return "unknown" if signal not in known else "yes" if signal in person_signals else "no"

    for person in context.people:
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
        ]
        writer.writerow([neutralise(cell_text) for cell_text in cells])
    return out.getvalue()
