"""Plain, frozen records that pass between the steps: skill verdicts and the finished audit."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import pandas as pd

VERDICTS = ("listed", "near_duplicate", "unlisted", "allowed")
METHODS = ("exact", "normalized", "alias", "fuzzy", "none")


@dataclass(frozen=True)
class Verdict:
    """What one distinct endorsed skill name is, judged against the listed skills."""

    name: str  # the endorsed name exactly as the export spells it
    verdict: str  # one of VERDICTS
    matched: str | None  # the listed skill exactly as Skills.csv spells it; None when not matched
    method: str  # one of METHODS
    score: float | None  # 100 for exact/normalized/alias, the similarity for fuzzy and hints
    closest: str | None = None  # for unlisted/allowed: the most similar listed skill, as a hint

    @property
    def hide(self) -> bool:
        """Tell whether every endorsement of this name is one to hide."""
        return self.verdict == "unlisted"


@dataclass(frozen=True)
class Invitation:
    """One connection request from Invitations.csv."""

    sender: str
    recipient: str
    sent_at: str  # as LinkedIn writes it ("3/9/26, 1:00 PM")
    message: str
    direction: str  # INCOMING or OUTGOING
    sender_slug: str  # "" when unknown (older exports, URN columns)
    recipient_slug: str


@dataclass(frozen=True)
class GivenEndorsement:
    """One endorsement the member gave, from Endorsement_Given_Info.csv."""

    date: str  # "YYYY-MM-DDTHH:MM:SSZ", or as written when not in LinkedIn's format
    skill: str
    endorsee: str
    slug: str
    status: str


@dataclass(frozen=True)
class Export:
    """What the loader read from one LinkedIn export.

    `endorsements` stays a DataFrame (one row per endorsement received, columns listed in
    export.ENDORSEMENT_COLUMNS) because real exports reach millions of rows in the benchmarks;
    everything else is plain Python.
    """

    path: str  # the zip or folder the user named (or the zip chosen from a folder)
    date: date | None  # the date in LinkedIn's file name, None when the name has none
    listed_skills: tuple[str, ...]  # Skills.csv, exactly as spelled, in file order
    endorsements: pd.DataFrame
    connections: dict[str, str] = field(default_factory=dict)  # slug -> "Connected On" text
    connection_names: dict[str, str] = field(default_factory=dict)  # folded full name -> date
    member_name: str | None = None  # from Profile.csv
    files: dict[str, str] = field(default_factory=dict)  # canonical file name -> member/path read
    headers: dict[str, tuple[str, ...]] = field(default_factory=dict)  # canonical name -> header
    notes: tuple[str, ...] = ()  # things worth telling the user (unknown statuses, odd dates)
    content_hash: str = ""  # sha256 of the zip, or of the known CSV files of a folder
    has_connections: bool = False  # whether Connections.csv was there to say who is a connection
    hidden_connections: int = 0  # Connections.csv rows with only a date (hidden or closed profiles)
    member_slug: str | None = None  # the member's own profile slug, when Invitations.csv reveals it
    headline: str | None = None  # Profile.csv; None when the file is absent
    summary: str | None = None
    positions: tuple[tuple[str, str], ...] | None = None  # (title, description); None: no Positions.csv
    invitations: tuple[Invitation, ...] | None = None  # None: no Invitations.csv
    given: tuple[GivenEndorsement, ...] | None = None  # None: no Endorsement_Given_Info.csv


@dataclass(frozen=True)
class SkillResult:
    """One distinct endorsed skill name, its verdict and how many endorsements it has."""

    verdict: Verdict
    endorsements: int
    to_hide: int


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


@dataclass(frozen=True)
class Audit:
    """The finished audit of one export.

    `endorsements` is the export's table with these columns added: verdict, matched, hide,
    ignored, connected_on ("" when unknown), is_connection (None when Connections.csv is absent).
    """

    export: Export
    skills: tuple[SkillResult, ...]  # sorted: to hide first, then by endorsements, then by name
    listed: tuple[ListedSkill, ...]  # in Skills.csv order
    endorsements: pd.DataFrame
    summary: Summary
