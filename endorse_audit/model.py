"""Plain, frozen records that pass between the steps: the verdicts, the checks, the history, the audit
(what the reader read is in export_records.py).

Every record another step consumes lives here, at the bottom of the package, so that a step never
imports another step for its types. Collections are tuples, sorted explicitly where order matters.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Literal

import pandas as pd

from endorse_audit.export_records import Connection, Export

VerdictKind = Literal["listed", "near_duplicate", "unlisted", "allowed"]
MatchMethod = Literal["exact", "normalized", "alias", "fuzzy", "none"]
FailOn = Literal["any", "new", "never"]
# What can tie the member to a connection (context.py), in the order every output lists them.
Signal = Literal["note", "messages", "endorsed_by_you", "recommendations"]
SIGNALS: tuple[Signal, ...] = ("note", "messages", "endorsed_by_you", "recommendations")
Suggestion = Literal["keep", "review", "remove"]  # what to do with a connection (suggestions.py), in this order
SUGGESTIONS: tuple[Suggestion, ...] = ("keep", "review", "remove")

# The columns audit() adds (see Audit): always all of them, `new` included.
#   context, suggestion  (context.py) the signals joined by "," ("" none); keep/review/remove. None: not a connection
JUDGED_COLUMNS = ("verdict", "matched", "hide", "ignored", "connected_on", "is_connection", "context", "suggestion",
                  "new")  # fmt: skip
GONE_STATUSES = frozenset({"HIDDEN", "REJECTED", "DELETED", "CLOSED"})  # already off the profile: nothing to hide


@dataclass(frozen=True)
class Verdict:
    """What one distinct endorsed skill name is, judged against the listed skills."""

    name: str  # the endorsed name exactly as the export spells it
    kind: VerdictKind
    matched: str | None  # the listed skill exactly as Skills.csv spells it; None when not matched
    method: MatchMethod
    score: float | None  # 100 for exact/normalized/alias, the similarity for fuzzy and hints
    closest: str | None = None  # for unlisted/allowed: the most similar listed skill, as a hint


@dataclass(frozen=True)
class SkillResult:
    """One distinct endorsed skill name, its verdict and how many endorsements it has."""

    verdict: Verdict
    endorsements: int
    to_hide: int
    scripts: tuple[str, ...] = ()  # a name in lookalike letters (names/scripts.py): its scripts, "Latin" first
    imitates: str | None = None  # ... and the listed skill it looks like, exactly as Skills.csv spells it


@dataclass(frozen=True)
class ListedSkill:
    """A listed skill and the endorsements that count for it (its exact and matched spellings)."""

    name: str  # exactly as Skills.csv spells it
    endorsements: int
    spellings: tuple[str, ...]  # the endorsed names that matched it


@dataclass(frozen=True)
class Summary:
    """The audit's headline counts."""

    listed_skills: int
    endorsements: int
    to_hide: int
    near_duplicates: int
    endorsers_to_hide: int
    unlisted_skills: int


# --- The skill profile's consistency (skill_profile.py) ---------------------------------------


@dataclass(frozen=True)
class Duplicate:
    """Listed skills that are one skill under several spellings, and which one to keep."""

    keep: str  # exactly as Skills.csv spells it
    drop: tuple[str, ...]
    why: str  # "most endorsements", "LinkedIn's standard spelling" or "listed first"
    standard: str | None  # the alias table's standard spelling, when it knows the skill


@dataclass(frozen=True)
class Merge:
    """An endorsed spelling that is almost certainly a listed skill (a near-duplicate)."""

    endorsed: str
    into: str
    endorsements: int
    score: float | None


@dataclass(frozen=True)
class StrangerSkill:
    """A listed skill endorsed only by people who are not connections."""

    skill: str
    endorsements: int
    endorsers: tuple[str, ...]


@dataclass(frozen=True)
class Penalty:
    """One thing that lowers the consistency score, and by how much."""

    points: int
    what: str  # "12 skills endorsed but never listed" (English: the JSON's words)
    rule: str  # "3 each, at most 30"
    kind: str = ""  # skill_profile.PENALTIES' key, or "no_words"; what the report says in the member's language
    count: int = 0

    def __str__(self) -> str:
        return f"-{self.points}: {self.what} ({self.rule})" if self.points else self.what


@dataclass(frozen=True)
class SkillProfile:
    """How well the listed skills, the endorsements and the member's own words agree."""

    skill_count: int
    skill_limit: int
    duplicates: tuple[Duplicate, ...]
    unendorsed: tuple[str, ...]  # listed skills nobody endorsed (spellings to drop left out)
    stranger_only: tuple[StrangerSkill, ...] | None  # None: no Connections.csv to tell
    merges: tuple[Merge, ...]
    claimed_not_listed: tuple[str, ...]
    listed_not_claimed: tuple[str, ...]
    word_sources: tuple[str, ...]  # the files the member's own words came from; () when none
    score: int
    penalties: tuple[Penalty, ...]

    @property
    def reasons(self) -> tuple[str, ...]:
        """Return each reason the score is lowered, with its penalty."""
        return tuple(str(p) for p in self.penalties)

    @property
    def explanation(self) -> str:
        """Return one line saying what lowers the score."""
        lowered = [p for p in self.penalties if p.points]
        if not lowered:
            return f"{self.score}/100: listed skills, endorsements and your own words agree."
        return f"{self.score}/100, lowered by " + ", ".join(f"{p.what} (-{p.points})" for p in lowered) + "."


# --- The member's network (network.py) ----------------------------------------------------------


@dataclass(frozen=True)
class PendingPerson:
    """Someone the member endorsed for skills they never listed or accepted (still PENDING)."""

    endorsee: str
    profile_url: str | None
    skills: tuple[str, ...]
    since: str  # the oldest pending suggestion, "YYYY-MM-DDTHH:MM:SSZ" (or as written)


@dataclass(frozen=True)
class GivenCheck:
    """The endorsements the member gave (Endorsement_Given_Info.csv)."""

    given: int
    pending_count: int
    pending: tuple[PendingPerson, ...]  # oldest first


@dataclass(frozen=True)
class Requester:
    """The other side of a connection request."""

    name: str
    profile_url: str | None
    sent_at: str  # as Invitations.csv writes it


@dataclass(frozen=True)
class InvitationCheck:
    """Connection requests, and how many came without a note (Invitations.csv)."""

    incoming: int
    incoming_without_note: int
    outgoing: int
    outgoing_without_note: int
    connections_with_request: int  # current connections whose request is in Invitations.csv
    connections_without_note: int  # ... of which no request with them had a note
    incoming_without_note_people: tuple[Requester, ...]  # newest first
    outgoing_without_note_people: tuple[Requester, ...]
    waiting: tuple[Requester, ...] | None = None  # received, pending, no note; None: no Connections.csv

    @property
    def incoming_without_note_share(self) -> float | None:
        return _share(self.incoming_without_note, self.incoming)

    @property
    def connections_without_note_share(self) -> float | None:
        return _share(self.connections_without_note, self.connections_with_request)


@dataclass(frozen=True)
class Stranger:
    """An endorser who is not a connection."""

    name: str
    profile_url: str | None
    endorsements: int
    to_hide: int


@dataclass(frozen=True)
class ConnectionCheck:
    """Who among the endorsers is a connection (Connections.csv)."""

    endorsers: int
    endorsers_not_connections: tuple[Stranger, ...]  # most endorsements first
    hidden_connections: int  # rows with only a date: hidden or closed profiles, counted, not listed


# --- Context per connection (context.py) -------------------------------------------------------


@dataclass(frozen=True)
class ConnectionContext:
    """One connection and what ties the member to them."""

    connection: Connection
    signals: tuple[Signal, ...]  # in SIGNALS order; () = no context
    messages: int  # messages the member and they were both on (0 without messages.csv)
    last_message: str  # the latest one's date, "" when none
    suggestion: Suggestion = "review"  # keep, review or remove (suggestions.py: the first rule that matches)
    reason: str = ""  # that rule, in a few words ("a conversation both ways")
    score: float = 0.0  # context score, 0-100, decayed with time (suggestions.py): orders people within a suggestion


@dataclass(frozen=True)
class YearContext:
    """Connections made in one year, and how many of them have context."""

    year: int | None  # None: a "Connected On" date that could not be read
    connections: int
    with_context: int

    @property
    def share(self) -> float | None:
        return _share(self.with_context, self.connections)


@dataclass(frozen=True)
class ContextCheck:
    """How many connections the member has context with (Connections.csv and the files that tell)."""

    people: tuple[ConnectionContext, ...]  # every connection: newest first, then by name
    hidden: int  # rows with only a date: counted apart, not judged
    signals: tuple[tuple[Signal, int | None], ...]  # connections with each signal; None: its file is missing
    missing: tuple[tuple[Signal, str], ...]  # the signals that could not be checked, and the file that would tell
    by_year: tuple[YearContext, ...]  # oldest year first, an unreadable date last

    @property
    def total(self) -> int:
        return len(self.people)

    @property
    def with_context(self) -> int:
        return sum(1 for person in self.people if person.signals)

    @property
    def without_context(self) -> int:
        return self.total - self.with_context

    @property
    def without_context_share(self) -> float | None:
        return _share(self.without_context, self.total)

    @property
    def without(self) -> tuple[ConnectionContext, ...]:  # the connections without context, newest first
        return tuple(person for person in self.people if not person.signals)

    @property
    def notes(self) -> tuple[str, ...]:
        """Return one note per signal that could not be checked."""
        return tuple(
            f"context: {file} is not in the export, so {signal!r} is unknown (null) and not counted"
            for signal, file in self.missing
        )


@dataclass(frozen=True)
class Checks:
    """Every check beyond the hide list; a part is None when the file that fills it is absent."""

    profile: SkillProfile
    given: GivenCheck | None
    invitations: InvitationCheck | None
    connections: ConnectionCheck | None
    context: ContextCheck | None = None  # None: no Connections.csv


def _share(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


# --- The history (history.py) ------------------------------------------------------------------


@dataclass(frozen=True)
class PastRun:
    """One export's audit as the history records it (auditing the same export again updates it)."""

    export_name: str  # the zip's or folder's name
    export_date: date | None  # the date in LinkedIn's file name
    export_hash: str  # Export.content_hash
    first_audited: datetime  # UTC
    last_audited: datetime  # UTC
    to_hide: int
    new: int  # endorsements to hide that no earlier run had
    resolved_hidden: int = 0  # of the previous run's to hide, now marked hidden (or rejected, deleted, closed)
    resolved_gone: int = 0  # ... and no longer in the export at all
    member: bytes | None = None  # the hash of whose export it was; None: not recorded (no one's)

    @property
    def resolved(self) -> int:
        """Return how many of the previous run's endorsements to hide this export shows dealt with."""
        return self.resolved_hidden + self.resolved_gone


@dataclass(frozen=True)
class Resolved:
    """An endorsement to hide in the member's previous run that the new export shows dealt with.

    The history keeps hashes, never names: the names come from the new export. A hidden one is still in
    it (marked HIDDEN); a gone one is named only where the new export still names its skill (another
    endorsement of it) or its endorser (another endorsement from them), else None.
    """

    how: Literal["hidden", "gone"]
    skill: str | None
    endorser: str | None
    slug: str  # the endorser's validated profile slug, "" when unknown
    fingerprint: bytes


@dataclass(frozen=True)
class RunHistory:
    """What the history says about one audit: how many endorsements to hide are new, since when."""

    path: str  # the history database
    new_to_hide: int
    previous: PastRun | None  # the member's run audited last before this one; None on their first run
    seen_before: PastRun | None  # this export's own run, when the export was audited before
    runs: tuple[PastRun, ...]  # the member's runs, in the order exports were first audited, this one included
    compared_with: PastRun | None = None  # the member's run the resolved ones are counted against
    resolved: tuple[Resolved, ...] = ()  # hidden ones first, then by skill and endorser
    unowned: int = 0  # runs in the history that name no member (an older endorse-audit's): compared with none


# --- The finished audit ------------------------------------------------------------------------


@dataclass(frozen=True)
class Audit:
    """The finished audit of one export.

    `endorsements` is the export's table with JUDGED_COLUMNS added: verdict, matched, hide,
    ignored, connected_on ("" when unknown), is_connection (None when Connections.csv is absent)
    and new (a new one to hide: every one to hide until a history says otherwise).
    """

    export: Export
    skills: tuple[SkillResult, ...]  # sorted: to hide first, then by endorsements, then by name
    listed: tuple[ListedSkill, ...]  # in Skills.csv order
    endorsements: pd.DataFrame
    summary: Summary
    checks: Checks
    history: RunHistory | None = None  # None without a history (--no-state): every one to hide is new

    @property
    def new_to_hide(self) -> int:
        """Return how many endorsements to hide are new (all of them without a history)."""
        return self.history.new_to_hide if self.history is not None else self.summary.to_hide
