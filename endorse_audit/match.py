"""Judge each distinct endorsed skill name against the listed skills: one verdict per name.

Order of tests, first hit wins (each name is judged once, however many endorsements it has):
1. exact: the same string as a listed skill;
2. normalized: the same comparison key (see normalize.py), including an acronym that either name
   gives in parentheses;
3. alias: the curated alias table puts both in one group ("K8s" and "Kubernetes");
4. fuzzy: a spelling variant (typo, plural, joined or split words, British/US, the same words in
   another order) of a listed skill.
   Candidates come from one vectorised `rapidfuzz.process.cdist` over all names at once; a
   candidate counts only if the difference really is a spelling one (see `_spelling_variant`),
   because raw similarity also rates "Java"/"JavaScript" and "Web Design"/"Responsive Web Design"
   high, and those are different skills;
5. otherwise unlisted (or allowed, when the config keeps it), with the closest listed skill as a hint.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass

import numpy as np
from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA

from endorse_audit.aliases import AliasTable
from endorse_audit.config import DEFAULT_THRESHOLD
from endorse_audit.model import Verdict, VerdictKind
from endorse_audit.normalize import key, keys, variant_tokens

_THREADED_CELLS = 250_000  # name pairs from which rapidfuzz compares on every core
_MIN_TYPO_LENGTH = 5  # a one-letter change in a shorter word is usually another word (Java/Jira)
# Swapping one letter for another between two real words is how different skills collide
# (MySQL/MSSQL, Lending/Landing, Coding/Coping); only long words get that benefit of the doubt.
_MIN_SUBSTITUTION_LENGTH = 8


@dataclass(frozen=True)
class _Name:
    """A skill name with everything the tests above compare."""

    text: str
    main_key: str
    all_keys: frozenset[str]
    groups: frozenset[str]
    variant: tuple[str, ...]

    @property
    def compact(self) -> str:
        return "".join(self.variant)


def _prepare(text: str, aliases: AliasTable) -> _Name:
    main_key = key(text)
    # Alias groups come from the main name only: "Neuro-Linguistic Programming (NLP)" must not
    # reach "Natural Language Processing" through the acronym both of them claim.
    return _Name(text, main_key, keys(text), aliases.groups([main_key]), variant_tokens(main_key))


def _one_typo(a: str, b: str) -> bool:
    """Tell whether two words differ by one typo: a letter missing, doubled or swapped with its
    neighbour anywhere but the first letter; a letter replaced by another only in long words."""
    if min(len(a), len(b)) < _MIN_TYPO_LENGTH or a[0] != b[0] or OSA.distance(a, b) != 1:
        return False
    if any(ch.isdigit() for ch in set(a) ^ set(b)):
        return False  # "CSS2" and "CSS3" are versions, not typos
    substitution = len(a) == len(b) and sorted(a) != sorted(b)
    return not substitution or len(a) >= _MIN_SUBSTITUTION_LENGTH


def _spelling_variant(endorsed: _Name, listed: _Name) -> bool:
    """Tell whether two names differ only in spelling, not in what skill they name."""
    if endorsed.compact == listed.compact:  # hyphenation, joined words, plural, British/US
        return True
    if len(endorsed.variant) == len(listed.variant):
        # The typo is looked for in the words as written too: folding plurals first would turn
        # "Analysys" into "analysy", two edits from "analysis".
        for mine, theirs in ((endorsed.variant, listed.variant), (endorsed.main_key.split(), listed.main_key.split())):
            differing = [(a, b) for a, b in zip(mine, theirs) if a != b]
            if len(differing) == 1 and _one_typo(*differing[0]):
                return True
        return False
    # A typo together with joined or split words ("Copy Writting" / "Copywriting").
    return min(len(endorsed.compact), len(listed.compact)) >= 8 and _one_typo(endorsed.compact, listed.compact)


def _key_match(endorsed: _Name, listed: Sequence[_Name]) -> Verdict | None:
    """Return the exact, normalized or alias verdict, trying each in turn over all listed skills."""
    for skill in listed:
        if endorsed.text == skill.text:
            return Verdict(endorsed.text, "listed", skill.text, "exact", 100.0)
    for skill in listed:
        # An acronym in parentheses stands for the name beside it: "GCP" is "Google Cloud Platform
        # (GCP)", but "Good Clinical Practice (GCP)" is not, so compare main keys against all keys.
        if endorsed.main_key in skill.all_keys or skill.main_key in endorsed.all_keys:
            return Verdict(endorsed.text, "listed", skill.text, "normalized", 100.0)
    for skill in listed:
        if endorsed.groups & skill.groups:
            return Verdict(endorsed.text, "listed", skill.text, "alias", 100.0)
    return None


def match_skills(
    endorsed_names: Sequence[str],
    listed_skills: Sequence[str],
    aliases: AliasTable,
    *,
    threshold: float = DEFAULT_THRESHOLD,
    allow: Collection[str] = (),
) -> dict[str, Verdict]:
    """Return one verdict for each distinct endorsed name, keyed by the name as spelled."""
    distinct = sorted(set(endorsed_names))
    listed = [_prepare(skill, aliases) for skill in listed_skills]
    endorsed = [_prepare(name, aliases) for name in distinct]
    allowed_keys = {k for name in allow for k in keys(name)}
    verdicts: dict[str, Verdict] = {}
    if not listed:
        for name in endorsed:
            verdicts[name.text] = _unmatched(name, None, None, allowed_keys)
        return verdicts

    # Threads pay off only on large matrices; on small ones (and with one process per core) they cost.
    workers = -1 if len(endorsed) * len(listed) >= _THREADED_CELLS else 1
    candidates = process.cdist(
        [n.compact for n in endorsed],
        [s.compact for s in listed],
        scorer=fuzz.ratio,
        processor=None,
        score_cutoff=threshold,
        workers=workers,
    )
    hints = process.cdist(
        [n.main_key for n in endorsed],
        [s.main_key for s in listed],
        scorer=fuzz.WRatio,
        processor=None,
        workers=workers,
    )
    # The same words in another order ("UI/UX Design", "UX/UI Design"); first listed spelling wins.
    reordered: dict[tuple[str, ...], _Name] = {}
    for skill in listed:
        reordered.setdefault(tuple(sorted(skill.variant)), skill)
    for row, name in enumerate(endorsed):
        verdict = _key_match(name, listed)
        if verdict is None:
            for column in np.argsort(-candidates[row], kind="stable"):
                if candidates[row, column] == 0:
                    break
                skill = listed[column]
                if _spelling_variant(name, skill):
                    score = round(fuzz.ratio(name.main_key, skill.main_key), 1)
                    verdict = Verdict(name.text, "near_duplicate", skill.text, "fuzzy", score)
                    break
        if verdict is None and len(name.variant) > 1 and (same := reordered.get(tuple(sorted(name.variant)))):
            score = round(fuzz.token_sort_ratio(name.main_key, same.main_key), 1)
            verdict = Verdict(name.text, "near_duplicate", same.text, "fuzzy", score)
        if verdict is None:
            best = int(np.argmax(hints[row]))
            verdict = _unmatched(name, listed[best].text, round(float(hints[row, best]), 1), allowed_keys)
        verdicts[name.text] = verdict
    return verdicts


def _unmatched(name: _Name, closest: str | None, score: float | None, allowed_keys: set[str]) -> Verdict:
    """Return the verdict of a name that matches no listed skill."""
    kind: VerdictKind = "allowed" if name.all_keys & allowed_keys else "unlisted"
    return Verdict(name.text, kind, None, "none", score, closest)
