"""Context for every connection: what ties the member to each person in Connections.csv.

A connection has context when the export shows one of the signals (model.SIGNALS): a note on the
connection request either way (Invitations.csv), a message both were on (messages.csv: its sender
or any recipient, so a group conversation counts for everyone in it), an endorsement the member
gave them (Endorsement_Given_Info.csv), a recommendation either way (Recommendations_*.csv).
Endorsements the member received are not context: they are what the audit judges.

People are joined by people.py's identity rule: by profile link where both sides have one, by name
otherwise. A signal whose file is absent is unknown: it counts for no one and is named as missing.
What the ties found suggest (keep, review, remove) and their score come from suggestions.py.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date

import numpy as np
import pandas as pd

from endorse_audit.checks.network import other_side, sent_at
from endorse_audit.checks.suggestions import Tie, score, suggest
from endorse_audit.config import Prune
from endorse_audit.model import (
    SIGNALS,
    Connection,
    ConnectionContext,
    ContextCheck,
    Export,
    MessageParty,
    Signal,
    YearContext,
)
from endorse_audit.names.people import among_connections, fold_name, slugs
from endorse_audit.reading.archive import GIVEN, INVITATIONS, MESSAGES, RECOMMENDATIONS_GIVEN, RECOMMENDATIONS_RECEIVED

# The file that would tell each signal, named when the export lacks it.
SIGNAL_FILES: dict[Signal, str] = {
    "note": INVITATIONS,
    "messages": MESSAGES,
    "endorsed_by_you": GIVEN,
    "recommendations": f"{RECOMMENDATIONS_RECEIVED} or {RECOMMENDATIONS_GIVEN}",
}


@dataclass
class _Named:
    """The people one file names, indexed for the identity rule (a value per person: a party's index)."""

    by_slug: dict[str, set[int]] = field(default_factory=dict)
    by_name: dict[str, set[int]] = field(default_factory=dict)  # everyone, by folded name
    unlinked: dict[str, set[int]] = field(default_factory=dict)  # those named without a profile link

    def add(self, key: int, slugs: Iterable[str], names: Iterable[str]) -> None:
        slugs = [slug for slug in slugs if slug]
        for slug in slugs:
            self.by_slug.setdefault(slug, set()).add(key)
        for name in names:
            if name:
                self.by_name.setdefault(name, set()).add(key)
                if not slugs:
                    self.unlinked.setdefault(name, set()).add(key)

    def find(self, slug: str, name: str) -> set[int]:
        """Return what names this person: by slug where both sides have one, by name otherwise."""
        name = fold_name(name)
        if not slug:
            return self.by_name.get(name, set())
        return self.by_slug.get(slug, set()) | self.unlinked.get(name, set())


def context_check(export: Export, rules: Prune | None = None) -> ContextCheck | None:
    """Return every connection with its context and suggestion, the counts per signal and per year; None
    without Connections.csv."""
    if not export.has_connections:
        return None
    known: dict[Signal, _Named | None] = {
        "note": _notes(export),
        "messages": _message_index(export.messages),
        "endorsed_by_you": _endorsed(export),
        "recommendations": _recommended(export),
    }
    suggesting = _Suggesting(export, rules or Prune(), messages_known=known["messages"] is not None)
    people = []
    for person in export.people:
        found = {signal: named.find(person.slug, person.name) for signal, named in known.items() if named is not None}
        people.append(suggesting.judged(_context(person, found, export.messages), found))
    people.sort(key=_newest_first)
    signals = tuple(
        (signal, None if known[signal] is None else sum(1 for p in people if signal in p.signals)) for signal in SIGNALS
    )
    missing = tuple((signal, SIGNAL_FILES[signal]) for signal in SIGNALS if known[signal] is None)
    return ContextCheck(tuple(people), export.hidden_connections, signals, missing, _by_year(people))


def _notes(export: Export) -> _Named | None:
    if export.invitations is None:
        return None
    named = _Named()
    for index, invitation in enumerate(export.invitations):
        if invitation.message.strip():
            name, slug = other_side(invitation)
            named.add(index, [slug], [fold_name(name)])
    return named


def _message_index(parties: tuple[MessageParty, ...] | None) -> _Named | None:
    if parties is None:
        return None
    named = _Named()
    for index, party in enumerate(parties):
        named.add(index, party.slugs, party.names)
    return named


def _endorsed(export: Export) -> _Named | None:
    if export.given is None:
        return None
    named = _Named()
    for index, endorsement in enumerate(export.given):  # pending too: the member reached out to them
        named.add(index, [endorsement.slug], [fold_name(endorsement.endorsee)])
    return named


def _recommended(export: Export) -> _Named | None:
    if export.recommendations is None:
        return None
    named = _Named()
    for index, recommendation in enumerate(export.recommendations):  # the files hold names only
        named.add(index, [], [fold_name(recommendation.name)])
    return named


def _context(
    person: Connection, found: dict[Signal, set[int]], parties: tuple[MessageParty, ...] | None
) -> ConnectionContext:
    messages = [parties[index] for index in found.get("messages", ())] if parties else []
    return ConnectionContext(
        person,
        tuple(signal for signal in SIGNALS if found.get(signal)),
        sum(party.messages for party in messages),
        max((party.last for party in messages), default=""),
    )


class _Suggesting:
    """What the suggestions need beyond the signals: the export's date, the keep list, the member's employers,
    and the date of each note, endorsement given and recommendation."""

    def __init__(self, export: Export, rules: Prune, *, messages_known: bool) -> None:
        self.export, self.rules, self.messages_known = export, rules, messages_known
        self.today = export.date or _newest_date(export)
        self.keep_slugs = set(slugs(pd.Series(list(rules.keep), dtype=object))) - {""}
        self.keep_names = {fold_name(name) for name in rules.keep}
        self.employers: dict[str, date] = {}  # folded company -> when the member left it (today: still there)
        for company, finished in export.employers:
            left = _day(finished) or self.today or date.max
            self.employers[fold_name(company)] = max(left, self.employers.get(fold_name(company), left))

    def judged(self, person: ConnectionContext, found: dict[Signal, set[int]]) -> ConnectionContext:
        """Return the person with their suggestion, its reason and their context score."""
        connection, export = person.connection, self.export
        ties: dict[Tie, date | None] = {}
        if found.get("messages") and export.messages is not None:
            parties = [export.messages[index] for index in found["messages"]]
            they = sum(party.messages for party in parties if party.wrote == "they")
            member = sum(party.messages for party in parties if party.wrote == "member")
            each_way = self.rules.messages_each_way
            ties["both_ways" if they >= each_way and member >= each_way else "one_way"] = _day(person.last_message)
        if found.get("recommendations") and export.recommendations is not None:
            ties["recommendation"] = _latest(export.recommendations[i].created for i in found["recommendations"])
        if found.get("note") and export.invitations is not None:
            sent = (sent_at(export.invitations[index].sent_at) for index in found["note"])
            ties["note"] = _latest(when.date() if when else None for when in sent)
        if found.get("endorsed_by_you") and export.given is not None:
            ties["endorsed"] = _latest(_day(export.given[index].date) for index in found["endorsed_by_you"])
        employer = fold_name(connection.company)
        if employer and employer in self.employers:
            ties["employer"] = self.employers[employer]
        kept = connection.slug in self.keep_slugs or fold_name(connection.name) in self.keep_names
        suggestion, reason = suggest(
            ties,
            kept=kept,
            connected=connection.connected,
            today=self.today,
            rules=self.rules,
            messages_known=self.messages_known,
            employer=connection.company if "employer" in ties else "",
        )
        return replace(
            person,
            suggestion=suggestion,
            reason=reason,
            score=score(ties, connected=connection.connected, today=self.today),
        )


def _day(text: str) -> date | None:
    """Return the day of an ISO date ("2025-02-02T08:00:00Z"), None when it is not one."""
    try:
        return date.fromisoformat(text[:10])
    except ValueError:
        return None


def _latest(days: Iterable[date | None]) -> date | None:
    return max((day for day in days if day is not None), default=None)


def _newest_date(export: Export) -> date | None:
    """Return the export's date when its file name has none: the newest connection or message in it."""
    connected = (person.connected for person in export.people)
    messaged = (_day(party.last) for party in export.messages or ())
    return _latest([*connected, *messaged])


def _newest_first(person: ConnectionContext) -> tuple[bool, int, str, str, str]:
    connection = person.connection
    day = -connection.connected.toordinal() if connection.connected else 0
    return (connection.connected is None, day, connection.name.casefold(), connection.name, connection.slug)


def _by_year(people: list[ConnectionContext]) -> tuple[YearContext, ...]:
    years: dict[int | None, list[int]] = {}
    for person in people:
        year = person.connection.connected.year if person.connection.connected else None
        counts = years.setdefault(year, [0, 0])
        counts[0] += 1
        counts[1] += bool(person.signals)
    order = sorted(years, key=lambda year: (year is None, year or 0))
    return tuple(YearContext(year, *years[year]) for year in order)


def endorser_context(table: pd.DataFrame, export: Export, check: ContextCheck | None) -> tuple[pd.Series, pd.Series]:
    """Return each endorser's context (the signals joined by ",", "" for a connection without any) and their
    suggestion as a connection (keep, review, remove); both None for someone who is not a connection
    (everyone, without Connections.csv).

    Endorsers are found among the connections by people.among_connections, as audit._connected_on finds
    them: by slug, by name only where a slug cannot decide (none in the endorsement, or none in
    Connections.csv).
    """
    if check is None:
        unknown = [None] * len(table)
        return pd.Series(unknown, index=table.index, dtype=object), pd.Series(unknown, index=table.index, dtype=object)
    position = {person: index for index, person in enumerate(export.people)}
    # In the file's order, so that of two namesakes the later one wins, as in Export.connection_names.
    people = sorted(check.people, key=lambda p: position[p.connection])
    by_slug: dict[str, int] = {}
    by_name: dict[str, int] = {}
    for index, person in enumerate(people):
        if person.connection.slug:
            by_slug[person.connection.slug] = index
        by_name[fold_name(person.connection.name)] = index
    slug_found, name_found, use_name = among_connections(
        table, export.coded, by_slug, by_name, slugs_known=bool(export.connections)
    )
    nobody = np.full(len(table), None, dtype=object)
    found = np.where(pd.isna(slug_found), np.where(use_name, name_found, nobody), slug_found)
    known = table["is_connection"].to_numpy(dtype=bool) & ~pd.isna(found)
    codes = np.where(known, found, len(people)).astype(np.intp)  # len(people): not a connection
    signals = np.array([",".join(p.signals) for p in people] + [None], dtype=object)
    suggestions = np.array([p.suggestion for p in people] + [None], dtype=object)
    return (
        pd.Series(signals[codes], index=table.index, dtype=object),
        pd.Series(suggestions[codes], index=table.index, dtype=object),
    )
