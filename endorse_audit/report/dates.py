"""The report's one date format: every date the export writes, in whichever of its formats, shown as
the member's language writes a day ("14 Jun 2021", "14. Juni 2021": never ambiguous) and sorted by the
day it is."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from endorse_audit import language
from endorse_audit.checks.network import sent_at
from endorse_audit.language import MONTHS  # English's, as Connections.csv writes them


def day(value: date) -> str:
    """Return the report's one date format: "14 Jun 2021" in English, the language's own elsewhere."""
    return language.day(value)


def parse_day(text: str) -> date | None:
    """Return the day any of the export's date formats gives, None when the text is not one of them.

    "2021-06-14T09:00:00Z" (endorsements, as the reader writes them), "23 Jun 2020" (Connections.csv),
    "2/8/24, 6:14 PM" (Invitations.csv and 2018's Connections.csv).
    """
    text = text.strip()
    try:
        if len(text) >= 10 and text[4] == "-" and text[7] == "-":
            return date.fromisoformat(text[:10])
        parts = text.split()
        if len(parts) == 3 and parts[1][:3].title() in MONTHS:
            return date(int(parts[2]), MONTHS.index(parts[1][:3].title()) + 1, int(parts[0]))
    except ValueError:
        return None
    sent = sent_at(text)
    return sent.date() if sent else None


@dataclass(frozen=True)
class When:
    """A date as the report shows it, and the key its column sorts by."""

    text: str  # "14 Jun 2021", or the export's text when it is not a date; "" when there is none
    sort: str  # "YYYY-MM-DD" (the text as written when it is not a date)


def when(text: str) -> When:
    """Return a date of the export as the report shows and sorts it."""
    found = parse_day(text) if text else None
    return When(day(found), found.isoformat()) if found else When(text, text)
