"""The member's network around the endorsements: what the member suggested to others (given
endorsements still pending), which connection requests came without a note, and which endorsers are
not connections at all.

Pure functions over the Export (and the judged endorsements table) returning the frozen records of
model.py; who a person is comes from people.py, so every check joins people the same way.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import numpy as np
import pandas as pd

from endorse_audit.columns import value_codes
from endorse_audit.model import (
    ConnectionCheck,
    Export,
    GivenCheck,
    Invitation,
    InvitationCheck,
    PendingPerson,
    Requester,
    Stranger,
)
from endorse_audit.names.normalize import display_order
from endorse_audit.names.people import NAME_PREFIX, fold_name, identity, profile_url


def given_check(export: Export) -> GivenCheck | None:
    """Return the member's PENDING endorsements grouped by person; None without Endorsement_Given_Info.csv."""
    if export.given is None:
        return None
    people: dict[str, list[Any]] = {}
    for endorsement in export.given:
        if endorsement.status != "PENDING":
            continue
        who = identity(endorsement.slug, endorsement.endorsee)
        people.setdefault(who, []).append(endorsement)
    pending = []
    for rows in people.values():
        first = min(rows, key=lambda e: (e.date, e.endorsee))
        pending.append(
            PendingPerson(
                first.endorsee or "(no name)",
                profile_url(first.slug),
                display_order({e.skill for e in rows}),
                first.date,
            )
        )
    pending.sort(key=lambda p: (p.since, p.endorsee.casefold(), p.endorsee, p.profile_url or ""))
    return GivenCheck(
        given=len(export.given),
        pending_count=sum(1 for e in export.given if e.status == "PENDING"),
        pending=tuple(pending),
    )


def sent_at(text: str) -> datetime | None:
    """Return Invitations.csv's "M/D/YY, h:mm AM" as a datetime, for sorting only; None otherwise."""
    try:
        return datetime.strptime(text.strip(), "%m/%d/%y, %I:%M %p")
    except ValueError:
        return None


def _newest_first(people: list[Requester]) -> tuple[Requester, ...]:
    def order(r: Requester) -> tuple[bool, float, str, str]:
        when = sent_at(r.sent_at)
        return (when is None, -when.timestamp() if when else 0.0, r.name.casefold(), r.sent_at)

    return tuple(sorted(people, key=order))


def other_side(invitation: Invitation) -> tuple[str, str]:
    """Return the name and slug of the person the member exchanged the request with."""
    if invitation.direction == "INCOMING":
        return invitation.sender, invitation.sender_slug
    return invitation.recipient, invitation.recipient_slug


def _connection_of(invitation: Invitation, export: Export) -> str | None:
    """Return who the other side of a request is among the connections (slug, or name: + folded name), else None."""
    name, slug = other_side(invitation)
    if slug and export.connections:
        return slug if slug in export.connections else None
    return NAME_PREFIX + fold_name(name) if fold_name(name) in export.connection_names else None


def invitation_check(export: Export) -> InvitationCheck | None:
    """Return the requests without a note, in and out, and those received still waiting without one (to
    ignore: the sender is not a connection); None without Invitations.csv."""
    if export.invitations is None:
        return None
    incoming = [i for i in export.invitations if i.direction == "INCOMING"]
    outgoing = [i for i in export.invitations if i.direction == "OUTGOING"]

    def without_note(invitations: list[Invitation]) -> list[Requester]:
        return [
            Requester(other_side(i)[0] or "(no name)", profile_url(other_side(i)[1]), i.sent_at)
            for i in invitations
            if not i.message.strip()
        ]

    # Did each current connection begin with a request that had a note? (Any note with them counts.)
    with_note: dict[str, bool] = {}
    waiting: list[Invitation] | None = None
    if export.has_connections:
        waiting = []
        for invitation in export.invitations:
            who = _connection_of(invitation, export)
            if who is not None:
                with_note[who] = with_note.get(who, False) or bool(invitation.message.strip())
            elif invitation.direction == "INCOMING":
                waiting.append(invitation)
    incoming_people = without_note(incoming)
    outgoing_people = without_note(outgoing)
    return InvitationCheck(
        incoming=len(incoming),
        incoming_without_note=len(incoming_people),
        outgoing=len(outgoing),
        outgoing_without_note=len(outgoing_people),
        connections_with_request=len(with_note),
        connections_without_note=sum(1 for noted in with_note.values() if not noted),
        incoming_without_note_people=_newest_first(incoming_people),
        outgoing_without_note_people=_newest_first(outgoing_people),
        waiting=None if waiting is None else _newest_first(without_note(waiting)),
    )


def connection_check(table: pd.DataFrame, export: Export) -> ConnectionCheck | None:
    """Return the endorsers who are not connections and the hidden profiles; None without Connections.csv."""
    if not export.has_connections:
        return None
    # One group per endorser, from the reader's codes: each person's first row, endorsements and ones to hide.
    codes, _ = value_codes(table["endorser_id"], export.coded.get("endorser_id"))
    people_codes, first = np.unique(codes, return_index=True)
    endorsements = np.bincount(codes)[people_codes]
    hide = np.bincount(codes, weights=table["hide"].to_numpy(dtype=np.float64))[people_codes]
    stranger = (table["is_connection"].to_numpy()[first] == False).astype(bool)  # noqa: E712
    people = [
        Stranger(name or "(no name)", profile_url(slug), int(count), int(hidden))
        for name, slug, count, hidden in zip(
            table["endorser"].to_numpy()[first][stranger],
            table["slug"].to_numpy()[first][stranger],
            endorsements[stranger],
            hide[stranger],
        )
    ]
    people.sort(key=lambda s: (-s.endorsements, s.name.casefold(), s.name, s.profile_url or ""))
    return ConnectionCheck(
        endorsers=len(people_codes),
        endorsers_not_connections=tuple(people),
        hidden_connections=export.hidden_connections,
    )
