"""Plain, frozen records that pass between the steps: skill verdicts and the finished audit."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING

import pandas as pd

if TYPE_CHECKING:
    from endorse_audit.profile import ProfileChecks

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
class PastRun:
    """One export's audit as the history records it (auditing the same export again updates it)."""

    export_name: str  # the zip's or folder's name
    export_date: date | None  # the date in LinkedIn's file name
    export_hash: str  # Export.content_hash
    first_audited: datetime  # UTC
    last_audited: datetime  # UTC
    to_hide: int
    new: int  # endorsements to hide that no earlier run had


@dataclass(frozen=True)
class RunHistory:
    """What the history says about one audit: how many endorsements to hide are new, since when."""

    path: str  # the history database
    new_to_hide: int
    previous: PastRun | None  # the run audited last before this one; None on the first run
    seen_before: PastRun | None  # this export's own run, when the export was audited before
    runs: tuple[PastRun, ...]  # every run, in the order exports were first audited, this one included


@dataclass(frozen=True)
class Audit:
    """The finished audit of one export.

    `endorsements` is the export's table with these columns added: verdict, matched, hide,
    ignored, connected_on ("" when unknown), is_connection (None when Connections.csv is absent),
    and `new` (a bool) once a history has been applied (see history.py).
    """

    export: Export
    skills: tuple[SkillResult, ...]  # sorted: to hide first, then by endorsements, then by name
    listed: tuple[ListedSkill, ...]  # in Skills.csv order
    endorsements: pd.DataFrame
    summary: Summary
    history: RunHistory | None = None  # None without a history (--no-state): every one to hide is new
    checks: ProfileChecks | None = None  # profile.py's checks, run once by audit.audit()

    @property
    def new_to_hide(self) -> int:
        """Return how many endorsements to hide are new (all of them without a history)."""
        return self.history.new_to_hide if self.history is not None else self.summary.to_hide

    def new_flags(self) -> pd.Series:
        """Return, for each endorsement, whether it is a new one to hide (any to hide without a history)."""
        if self.history is None or "new" not in self.endorsements.columns:
            return self.endorsements["hide"].astype(bool)
        return self.endorsements["new"].astype(bool)
