"""Keep, review or remove: the suggestion for each connection, from the export alone, and its context score.

The rules, first match wins (each with its reason, as outputs show it):
- keep: on the config's keep list (by profile link or name); a conversation both ways (the member wrote
  to them and they wrote to the member, group conversations included, at least `messages_each_way`
  messages each way); a recommendation either way. Each says the member knows them.
- review: connected fewer than `recent_days` days before the export (too new to judge); any other
  context: a note on the request either way, messages one way only, an endorsement the member gave them,
  a shared employer (their company in Connections.csv is one of the member's in Positions.csv, compared
  as names are: a colleague one never messaged is still known). Each is a reason to look before acting.
- remove: no context at all. Endorsements the member received are not context. Without messages.csv no
  one can be known to have no context, so 'remove' becomes 'review'.

The score orders people within a suggestion and never decides one: each tie found weighs WEIGHTS[tie],
halved for every HALF_LIFE_DAYS its latest date lies before the export's date (a tie without a date
takes the connection's), summed and rounded to one decimal: 0 (no context) to 100.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Literal

from endorse_audit.config import HALF_LIFE_DAYS, Prune
from endorse_audit.model import SUGGESTIONS, ConnectionContext, ContextCheck, Suggestion

Tie = Literal["both_ways", "recommendation", "note", "employer", "endorsed", "one_way"]
# What each tie weighs in the score, most first; they sum to 100.
WEIGHTS: dict[Tie, int] = {
    "both_ways": 40,
    "recommendation": 25,
    "note": 15,
    "employer": 10,
    "endorsed": 6,
    "one_way": 4,
}
_REVIEW_TIES: tuple[Tie, ...] = ("note", "one_way", "endorsed", "employer")
REASONS: dict[Tie, str] = {
    "both_ways": "a conversation both ways",
    "recommendation": "a recommendation",
    "note": "a note on the request",
    "one_way": "messages one way only",
    "endorsed": "an endorsement you gave",
    "employer": "a shared employer",
}
KEPT = "on your keep list"
RECENT = re.compile(r"connected less than (\d+) days before the export")  # the reason's words, days apart
NO_CONTEXT = "no context at all"
NO_MESSAGES = "no context, but without messages.csv a conversation cannot be ruled out"


def suggest(
    ties: dict[Tie, date | None],
    *,
    kept: bool,
    connected: date | None,
    today: date | None,
    rules: Prune,
    messages_known: bool,
    employer: str = "",
) -> tuple[Suggestion, str]:
    """Return the suggestion for one connection and its reason: the first rule that matches."""
    if kept:
        return "keep", KEPT
    for tie in ("both_ways", "recommendation"):
        if tie in ties:
            return "keep", REASONS[tie]
    if connected is not None and today is not None and (today - connected).days < rules.recent_days:
        return "review", f"connected less than {rules.recent_days} days before the export"
    for tie in _REVIEW_TIES:
        if tie in ties:
            return "review", REASONS[tie] + (f": {employer}" if tie == "employer" and employer else "")
    if not messages_known:
        return "review", NO_MESSAGES
    return "remove", NO_CONTEXT


def score(ties: dict[Tie, date | None], *, connected: date | None, today: date | None) -> float:
    """Return the context score: each tie's weight halved for every HALF_LIFE_DAYS it is older than `today`."""
    total = 0.0
    for tie, when in ties.items():
        when = when or connected
        days = max(0, (today - when).days) if today is not None and when is not None else 0
        total += WEIGHTS[tie] * 0.5 ** (days / HALF_LIFE_DAYS)
    return round(total, 1)


_ORDER = {"remove": 0, "review": 1, "keep": 2}


def least_context_first(people: tuple[ConnectionContext, ...]) -> list[ConnectionContext]:
    """Return the connections as the lists and the CSV show them: remove, review, keep; within each the
    lowest score first, then the oldest connection (an unreadable date last), then by name."""

    def order(person: ConnectionContext) -> tuple[int, float, bool, int, str, str, str]:
        connection = person.connection
        day = connection.connected.toordinal() if connection.connected else 0
        name = connection.name
        return (
            _ORDER[person.suggestion],
            person.score,
            connection.connected is None,
            day,
            name.casefold(),
            name,
            connection.slug,
        )

    return sorted(people, key=order)


def suggestion_counts(check: ContextCheck) -> dict[Suggestion, int]:
    """Return how many connections each suggestion has (they sum to every connection)."""
    return {wanted: sum(1 for person in check.people if person.suggestion == wanted) for wanted in SUGGESTIONS}
