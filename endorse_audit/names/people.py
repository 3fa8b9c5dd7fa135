"""Who a person in the export is: a validated profile slug, the profile link rebuilt from it, and the
identity rule that says two rows are the same person; and so which endorsement a row is (its
fingerprint) and whose export it is (the member). Decided here once, used by every step.

Profile links from an export are never used as they are: the slug is extracted, validated, and the
link rebuilt on linkedin.com (see `profile_url`).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Mapping
from typing import Any
from urllib.parse import quote, unquote

import numpy as np
import pandas as pd

from endorse_audit.columns import factorize_text, per_distinct
from endorse_audit.export_records import Coded
from endorse_audit.names import normalize

PROFILE_BASE = "https://www.linkedin.com/in/"
NAME_PREFIX = "name:"  # an identity taken from a folded name, for a person without a profile slug

_PROFILE_URL = re.compile(r"^\s*(?:https?://)?(?:[a-z]{2,3}\.)?linkedin\.com/in/([^/?#\s]+)/?\s*$", re.IGNORECASE)
_SLUG = re.compile(r"^[\w-]{3,100}$")


def fold_name(name: str) -> str:
    """Return a person's name folded for joining files that have no profile URL."""
    return " ".join(name.casefold().split())


def identity(slug: str, name: str) -> str:
    """Return who someone is: the profile slug, or the folded name when there is no slug."""
    return slug or NAME_PREFIX + fold_name(name)


def identities(slugs: pd.Series, names: pd.Series) -> pd.Series:
    """Return `identity` of each row (once per distinct name), as a column."""
    by_name = pd.Series(per_distinct(names, lambda name: NAME_PREFIX + fold_name(name)), index=names.index)
    return slugs.where(slugs != "", by_name)


def among_connections(
    table: pd.DataFrame,
    coded: Mapping[str, Coded],
    by_slug: Mapping[str, Any],
    by_name: Mapping[str, Any],
    *,
    slugs_known: bool,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Return, per endorsement, what `by_slug` holds for its profile slug and `by_name` for its endorser's
    folded name (None: nothing), and where the name decides: no slug in the endorsement, or none in
    Connections.csv (`slugs_known` False). The one rule by which an endorser is found among the connections."""
    slug_found = per_distinct(table["slug"], by_slug.get, coded.get("slug"))
    name_found = per_distinct(table["endorser"], lambda name: by_name.get(fold_name(name)), coded.get("endorser"))
    no_slug = per_distinct(table["slug"], lambda slug: slug == "", coded.get("slug")).astype(bool)
    return slug_found, name_found, no_slug | (not slugs_known)


def slugs(urls: pd.Series) -> pd.Series:
    """Return the validated profile slug in each URL, or "" where there is none to trust."""
    distinct, codes = factorize_text(urls)
    found = np.empty(len(distinct), dtype=object)
    found[:] = [_slug_of(url) for url in distinct.tolist()]  # once per distinct link
    return pd.Series(found[codes], index=urls.index)


def _slug_of(url: object) -> str:
    """Return the validated profile slug in one URL, or "" when there is none to trust."""
    found = _PROFILE_URL.match(url) if isinstance(url, str) else None
    slug = unquote(found[1]) if found else ""
    return slug if _SLUG.fullmatch(slug) else ""


def profile_url(slug: str) -> str | None:
    """Return the profile link rebuilt from a validated slug, or None."""
    if not slug or not _SLUG.fullmatch(slug):
        return None
    return PROFILE_BASE + quote(slug, safe="-_")


def skills_url(member_slug: str | None) -> str | None:
    """Return the member's own skills page, when the export reveals their profile slug."""
    own = profile_url(member_slug or "")
    return f"{own}/details/skills/" if own else None


def skill_key(skill: str) -> str:
    """Return the key two spellings of one skill share in a fingerprint (the verdicts' comparison key)."""
    return normalize.key(skill) or normalize.clean(skill).casefold()


def fingerprints(skills: Iterable[str], endorser_ids: Iterable[str]) -> list[bytes]:
    """Return each endorsement's fingerprint: which skill, from whom, whatever its row, date or spelling."""
    skill_codes, distinct_skills = pd.factorize(pd.Series(skills, dtype=object), use_na_sentinel=False)
    who_codes, distinct_ids = pd.factorize(pd.Series(endorser_ids, dtype=object), use_na_sentinel=False)
    if not len(skill_codes):
        return []
    # One hash per distinct (skill, endorser): rows repeat them. SHA-256 of "key\x1fidentity", cut to 16 bytes.
    pairs, rows = np.unique(skill_codes.astype(np.int64) * len(distinct_ids) + who_codes, return_inverse=True)
    keys = [f"{skill_key(str(skill))}\x1f".encode() for skill in distinct_skills]
    ids = [str(who).encode() for who in distinct_ids]
    digests = b"".join(
        [
            hashlib.sha256(key + who).digest()
            for key, who in zip(
                map(keys.__getitem__, (pairs // len(ids)).tolist()), map(ids.__getitem__, (pairs % len(ids)).tolist())
            )
        ]
    )
    per_pair = np.frombuffer(digests, dtype=np.uint8).reshape(-1, 32)[:, :16].copy().view("V16").reshape(-1)
    prints: list[bytes] = per_pair[rows.reshape(-1)].tolist()
    return prints


def member_id(name: str | None, slug: str | None) -> str:
    """Return whose export it is, the same in every export of one member: the folded name Profile.csv
    gives (every export has it), else the profile slug Invitations.csv reveals; "" when neither."""
    folded = fold_name(name or "")
    return NAME_PREFIX + folded if folded else slug or ""


def tick_key(member: str, fingerprint: bytes) -> str:
    """Return the key the report's tick for one endorsement is kept under in the browser: the member
    and the endorsement only, never the export, so a tick outlives every later export and report."""
    return hashlib.sha256(f"{member}\0{fingerprint.hex()}".encode()).hexdigest()[:16]
