"""What the member did since their previous run: which of its endorsements to hide the new export
shows hidden, and which it no longer holds at all.

The history keeps hashes only (history.py): each endorsement to hide as its fingerprint, the hash of
its skill's key and the hash of its endorser's identity. Whether one was hidden or is gone is read from
the new export, which lists every endorsement with its status; the names shown come from it too.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from datetime import date

import numpy as np
import pandas as pd

from endorse_audit.model import GONE_STATUSES, PastRun, Resolved
from endorse_audit.names.people import fingerprints, skill_key


def hashed(kind: str, value: str) -> bytes:
    """Return the short hash the history keeps for a skill's key, an endorser or a member, never the text."""
    return hashlib.sha256(f"{kind}\x1f{value}".encode()).digest()[:8]


def skill_hash(skill: str) -> bytes:
    """Return the hash of a skill name's key: every spelling of one skill gives the same."""
    return hashed("skill", skill_key(skill))


def endorser_hash(endorser_id: str) -> bytes:
    """Return the hash of an endorser's identity (people.identity)."""
    return hashed("endorser", endorser_id)


def resolved_since(
    previous: Iterable[tuple[bytes, bytes | None, bytes | None]],
    table: pd.DataFrame,
    listed: Sequence[str] = (),
    prints: Sequence[bytes] | None = None,
) -> tuple[Resolved, ...]:
    """Return the previous run's endorsements to hide (fingerprint, skill hash, endorser hash) that the
    judged `table` shows hidden (marked HIDDEN, REJECTED, DELETED or CLOSED, none left to hide) or
    gone (not in it at all). One still to hide, or no longer to hide for another reason (the skill
    listed since, the config changed), is neither. Hidden ones first, then by skill and endorser.
    `prints`: each row's fingerprint, when the caller has them already."""
    wanted = {fingerprint: (skill, endorser) for fingerprint, skill, endorser in previous}
    if not wanted:
        return ()
    if prints is None:
        prints = fingerprints(table["skill"], table["endorser_id"])
    gone_status = table["status"].isin(GONE_STATUSES).to_numpy(dtype=bool)
    hide = table["hide"].to_numpy(dtype=bool)
    # The rows that are one of the previous run's, grouped by fingerprint: each one's first row, whether
    # some row of it is still to hide, and whether some other row of it is marked hidden.
    rows = np.flatnonzero(np.fromiter(map(wanted.__contains__, prints), dtype=bool, count=len(prints)))
    matched = np.empty(len(rows), dtype=object)
    matched[:] = [prints[row] for row in rows.tolist()]
    codes, distinct = pd.factorize(matched)
    _, first_of = np.unique(codes, return_index=True)  # each fingerprint's first row (in `rows`)
    still = np.bincount(codes, weights=hide[rows], minlength=len(distinct)) > 0
    marked = np.bincount(codes, weights=(~hide & gone_status)[rows], minlength=len(distinct)) > 0
    names, who_of, slug_of = (table[column].to_numpy(dtype=object) for column in ("skill", "endorser", "slug"))
    found = [
        Resolved("hidden", str(names[row]).strip() or str(names[row]), str(who_of[row]), str(slug_of[row]), fingerprint)
        for fingerprint, row in zip(distinct[marked & ~still].tolist(), rows[first_of[marked & ~still]].tolist())
    ]
    present = set(distinct.tolist())
    gone = [(fingerprint, hashes) for fingerprint, hashes in wanted.items() if fingerprint not in present]
    if gone:
        skills = {skill_hash(name): name.strip() or name for name in [*listed, *table["skill"].unique()]}
        firsts = np.flatnonzero(~table["endorser_id"].duplicated().to_numpy(dtype=bool))  # each endorser's first row
        ids = table["endorser_id"].to_numpy(dtype=object)[firsts].tolist()
        endorsers: dict[bytes, tuple[str | None, str]] = {
            endorser_hash(str(who)): (str(name), str(slug))
            for who, name, slug in zip(ids, who_of[firsts].tolist(), slug_of[firsts].tolist())
        }
        for fingerprint, (skill, endorser) in gone:
            who, slug = endorsers.get(endorser, (None, "")) if endorser else (None, "")
            found.append(Resolved("gone", skills.get(skill) if skill else None, who, slug, fingerprint))
    return tuple(
        sorted(
            found,
            key=lambda r: (
                r.how != "hidden",
                (r.skill or "\uffff").casefold(),
                (r.endorser or "\uffff").casefold(),
                r.fingerprint,
            ),
        )
    )


def previous_run(
    runs: list[tuple[int, PastRun, bytes | None]], this_id: int | None, exported: date | None
) -> tuple[int | None, PastRun | None]:
    """Return the member's previous run among their `runs`, the one what was dealt with is counted
    against: the latest export (by its date, then by when it was first audited), before this export's
    own run when it was audited before, and never an export dated after this one."""
    earlier = [
        (run_id, run)
        for run_id, run, _ in runs
        if (this_id is None or run_id < this_id) and not (exported and run.export_date and run.export_date > exported)
    ]
    if not earlier:
        return None, None
    return max(earlier, key=lambda item: (item[1].export_date or item[1].first_audited.date(), item[0]))


def hashes_of(table: pd.DataFrame) -> tuple[bytes, bytes]:
    """Return each row's skill hash and endorser hash, concatenated in row order (hashed once per distinct
    skill and endorser)."""
    blobs = []
    for column, hash_of in (("skill", skill_hash), ("endorser_id", endorser_hash)):
        codes, distinct = pd.factorize(table[column], use_na_sentinel=False)
        hashes = np.frombuffer(b"".join(hash_of(str(value)) for value in distinct), dtype="V8")
        blobs.append(hashes[codes].tobytes() if len(codes) else b"")
    return blobs[0], blobs[1]
