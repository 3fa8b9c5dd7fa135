"""messages.csv, read a few columns a chunk at a time: who was on messages with whom, who wrote them (the
member, them or someone else), how many and when. Never what: message contents are not read into memory.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import numpy as np
import pandas as pd

from endorse_audit.columns import per_distinct
from endorse_audit.export_records import MessageParty
from endorse_audit.names.people import fold_name, slugs

MESSAGE_COLUMNS = ("FROM", "SENDER PROFILE URL", "TO", "RECIPIENT PROFILE URLS", "DATE", "IS MESSAGE DRAFT")
_MESSAGE_DATE = re.compile(r"^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2}) UTC$")
_SEPARATORS = re.compile(r"[,;]")  # between the names of TO, and the links of RECIPIENT PROFILE URLS
_NAME_PARTS = 4  # a name holds at most this many comma-separated parts ("Raman, PhD, MBA")


def read_messages(
    chunks: Iterable[pd.DataFrame], notes: list[str], member_slug: str, member_name: str
) -> tuple[MessageParty, ...]:
    """Return who appears on the messages, sender and recipients apart, with how many, when, and who wrote.

    Rows are summed per distinct (names, links, who wrote) as they stream past: a conversation repeats
    them on every message, so what is kept is small however large the file. The member wrote a row when
    its sender is the member (by profile link where both have one, else by name; Invitations.csv and
    Profile.csv tell who the member is); when neither file tells, every message to someone counts as the
    member's, and a note says so.
    """
    if not member_slug and not member_name:
        notes.append(
            "messages.csv: who you are is not in the export (no Profile.csv or Invitations.csv), so every message"
            " to a connection counts as yours"
        )
    pieces: list[pd.DataFrame] = []
    drafts = odd_dates = 0
    for chunk in chunks:
        draft = chunk["IS MESSAGE DRAFT"].str.strip().str.casefold().isin(("yes", "true"))
        if draft.any():
            drafts += int(draft.sum())
            chunk = chunk[~draft]
        dates = chunk["DATE"].str.strip()
        odd_dates += int((~dates.str.match(_MESSAGE_DATE)).sum())
        # Dates ranked (LinkedIn's format sorts as text): the latest is then a maximum of integers.
        ranks, ranked = pd.factorize(dates.to_numpy(dtype=object), sort=True)
        by_member = _from_member(chunk["FROM"], chunk["SENDER PROFILE URL"], member_slug, member_name)
        wrote = np.where(by_member, "member", "another").astype(object)
        for names, links, who in (("FROM", "SENDER PROFILE URL", "they"), ("TO", "RECIPIENT PROFILE URLS", wrote)):
            rows = pd.DataFrame({"names": chunk[names], "links": chunk[links], "wrote": who, "rank": ranks})
            summed = rows.groupby(["names", "links", "wrote"], sort=False)["rank"].agg(["size", "max"])
            summed["last"] = np.asarray(ranked, dtype=object)[summed["max"].to_numpy()]
            pieces.append(summed[["size", "last"]].reset_index())
    empty = pd.DataFrame(columns=["names", "links", "wrote", "size", "last"])
    parts = pd.concat(pieces, ignore_index=True) if pieces else empty
    parts["rank"], last_dates = pd.factorize(parts["last"].to_numpy(dtype=object), sort=True)
    total = parts.groupby(["names", "links", "wrote"], sort=False).agg(size=("size", "sum"), rank=("rank", "max"))
    counts = {
        (str(name_text), str(link_text), str(who)): (int(size), str(last_dates[rank]))
        for (name_text, link_text, who), size, rank in zip(total.index, total["size"], total["rank"])
    }
    if drafts:
        notes.append(f"messages.csv: {drafts} unsent draft(s) were not counted as messages")
    if odd_dates:
        notes.append(f"messages.csv: {odd_dates} row(s) have a date not in LinkedIn's format (read anyway)")
    every_link = sorted({link for _, text, _ in counts for link in _SEPARATORS.split(text) if link.strip()})
    slug_of = dict(zip(every_link, slugs(pd.Series(every_link, dtype=object)))) if every_link else {}
    parties = [
        MessageParty(
            _name_runs(name_text),
            tuple(sorted({slug_of[link] for link in _SEPARATORS.split(link_text) if link.strip()} - {""})),
            count,
            _iso_message_date(last),
            who,  # type: ignore[arg-type]
        )
        for (name_text, link_text, who), (count, last) in counts.items()
    ]
    parties.sort(key=lambda p: (p.slugs, p.names, p.wrote, p.last, p.messages))
    return tuple(parties)


def _from_member(names: pd.Series, links: pd.Series, member_slug: str, member_name: str) -> np.ndarray:
    """Return which rows the member sent: by profile link where the row and the member both have one, else by
    name; every row when the export does not say who the member is."""
    if not member_slug and not member_name:
        return np.ones(len(names), dtype=bool)
    sender_slugs = slugs(links).to_numpy(dtype=object)
    by_name = per_distinct(names, lambda name: fold_name(str(name)) == member_name).astype(bool)
    has_slug = (sender_slugs != "") & bool(member_slug)
    return np.where(has_slug, sender_slugs == member_slug, by_name & bool(member_name))


def _name_runs(text: str) -> tuple[str, ...]:
    """Return the folded names a TO (or FROM) field may hold: names are joined by commas, and a name may
    hold commas itself ("Priya Raman, PhD"), so every run of up to _NAME_PARTS neighbouring parts counts."""
    parts = _SEPARATORS.split(text)
    runs = {
        fold_name(",".join(parts[start:end]))
        for start in range(len(parts))
        for end in range(start + 1, min(len(parts), start + _NAME_PARTS) + 1)
    }
    runs.discard("")
    return tuple(sorted(runs))


def _iso_message_date(text: str) -> str:
    """Return messages.csv's "2026-03-09 13:00:43 UTC" as "2026-03-09T13:00:43Z", others as written."""
    return _MESSAGE_DATE.sub(r"\1T\2Z", text)
