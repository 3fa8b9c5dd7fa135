"""What the reader makes of one LinkedIn export, as plain frozen records: the export itself and the
people, requests, messages and recommendations in it. Every step reads these; only reading/ makes them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Literal

import numpy as np
import pandas as pd

# The endorsements table, as the reader returns it: one row per endorsement received.
#   date      "YYYY-MM-DDTHH:MM:SSZ", or as written when not in LinkedIn's format
#   skill     the endorsed skill name exactly as the export spells it
#   endorser  "First Last" as the export writes it ("" when it has none)
#   slug      the endorser's validated profile slug, "" when there is none to trust
#   status    LinkedIn's status, upper case ("" when the export has no status column)
#   endorser_id  who the endorsement is from: the slug, or "name:" + the folded name (people.py)
ENDORSEMENT_COLUMNS = ("date", "skill", "endorser", "slug", "status", "endorser_id")


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
class Connection:
    """One person in Connections.csv (rows with only a date are counted apart, not kept)."""

    name: str  # "First Last" as the export writes it
    slug: str  # the validated profile slug, "" when the export has none (2018, 2021)
    company: str
    position: str
    connected_on: str  # as written ("08 Feb 2024", or "1/8/18, 6:14 PM" in 2018)
    connected: date | None  # the same, read; None when not in a format LinkedIn used


@dataclass(frozen=True)
class MessageParty:
    """Who appears on messages.csv rows (sender or recipients), who wrote, how many and when; never what."""

    names: tuple[str, ...]  # folded names the field could hold (a name may itself hold a comma)
    slugs: tuple[str, ...]  # validated slugs of its profile links; () when the row has none
    messages: int
    last: str  # the latest message's date, "YYYY-MM-DDTHH:MM:SSZ" (or as written)
    wrote: Literal["they", "member", "another"] = "they"  # the sender: these names, the member, someone else


@dataclass(frozen=True)
class Recommendation:
    """One recommendation, received or given (the files hold names only, and the text is not kept)."""

    name: str
    direction: Literal["received", "given"]
    created: date | None = None  # "Creation Date", read; None when not in LinkedIn's format


@dataclass(frozen=True, eq=False)
class Coded:
    """A column of the endorsements table as the reader factorised it, once: a code per row (aligned with
    the table's RangeIndex, so a subset finds its codes by its index) and the values the codes stand for.

    A value may stand under two codes (two spellings that strip to one); each code still means its value.
    """

    codes: np.ndarray  # intp, one per row of Export.endorsements
    values: np.ndarray  # object: the text of each code

    def at(self, index: pd.Index) -> np.ndarray:
        """Return the codes of the rows of a table taken from the endorsements table (its index labels)."""
        if isinstance(index, pd.RangeIndex) and index.equals(pd.RangeIndex(len(self.codes))):
            return self.codes
        codes: np.ndarray = self.codes[index.to_numpy()]
        return codes


@dataclass(frozen=True)
class Export:
    """What the reader read from one LinkedIn export.

    `endorsements` stays a DataFrame (columns ENDORSEMENT_COLUMNS) because real exports reach
    millions of rows in the benchmarks; everything else is plain Python.
    """

    path: str  # the zip or folder audited: the one the user named, or the export chosen in it
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
    about: str | None = None  # Profile.csv's Summary; None when the file is absent
    positions: tuple[tuple[str, str], ...] | None = None  # (title, description); None: no Positions.csv
    employers: tuple[tuple[str, str], ...] = ()  # Positions.csv: (company, the day it ended "YYYY-MM-DD"; "": current)
    invitations: tuple[Invitation, ...] | None = None  # None: no Invitations.csv
    given: tuple[GivenEndorsement, ...] | None = None  # None: no Endorsement_Given_Info.csv
    people: tuple[Connection, ...] = ()  # Connections.csv's people, in file order
    messages: tuple[MessageParty, ...] | None = None  # None: no messages.csv
    recommendations: tuple[Recommendation, ...] | None = None  # None: neither Recommendations file
    read_paths: tuple[str, ...] = ()  # the files on disk the export is: never written over
    # Columns of `endorsements` as codes (see Coded), so that no step factorises a million strings again.
    coded: dict[str, Coded] = field(default_factory=dict, compare=False, repr=False)

    @property
    def name(self) -> str:  # how a line names the export: its zip's or folder's name; `/` has none: in full
        return Path(self.path).name or self.path
