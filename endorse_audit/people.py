"""Who a person in the export is: a validated profile slug, the profile link rebuilt from it, and the
identity rule that says two rows are the same person. Decided here once, used by every step.

Profile links from an export are never used as they are: the slug is extracted, validated, and the
link rebuilt on linkedin.com (see `profile_url`).
"""

from __future__ import annotations

import re
from urllib.parse import quote, unquote

import pandas as pd

from endorse_audit.columns import factorize_text, per_distinct

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


def slugs(urls: pd.Series) -> pd.Series:
    """Return the validated profile slug in each URL, or "" where there is none to trust."""
    distinct, codes = factorize_text(urls)
    extracted = distinct.str.extract(_PROFILE_URL, expand=False).fillna("").map(unquote)
    valid = extracted.where(extracted.str.fullmatch(_SLUG).fillna(False).astype(bool), "")
    return pd.Series(valid.to_numpy(dtype=object)[codes], index=urls.index)


def profile_url(slug: str) -> str | None:
    """Return the profile link rebuilt from a validated slug, or None."""
    if not slug or not _SLUG.fullmatch(slug):
        return None
    return PROFILE_BASE + quote(slug, safe="-_")


def skills_url(member_slug: str | None) -> str | None:
    """Return the member's own skills page, when the export reveals their profile slug."""
    own = profile_url(member_slug or "")
    return f"{own}/details/skills/" if own else None
