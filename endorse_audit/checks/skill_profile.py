"""Is the skill profile consistent with itself: skills listed twice, listed skills nobody endorsed,
spellings to merge, skills endorsed only by strangers, and what the member's own words claim.

Pure functions over what the audit judged, returning the frozen records of model.py. Sameness of
two skills is always the matcher's own (`match.match_skills`, `normalize.keys`), so these checks and
the verdicts never disagree.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import pandas as pd
from rapidfuzz import fuzz

from endorse_audit.export_records import Export
from endorse_audit.model import Duplicate, ListedSkill, Merge, Penalty, SkillProfile, SkillResult, StrangerSkill
from endorse_audit.names.aliases import AliasTable
from endorse_audit.names.match import ListMatcher, match_skills, similarity_blocks
from endorse_audit.names.normalize import clean, display_order, key, keys, split_parens, stem_signatures, variant_tokens

SKILL_LIMIT = 100  # LinkedIn's limit of listed skills (50 before 2024)
PROFILE_TEXT_FILES = ("Profile.csv", "Positions.csv")  # where the member's own words come from

# The consistency score starts at 100; each kind of inconsistency costs points per item, up to a cap.
# (points each, at most, how the report words one item / several items)
PENALTIES = {
    "duplicates": (5, 20, "skill listed twice under another spelling", "skills listed twice under another spelling"),
    "unlisted": (3, 30, "skill endorsed but never listed", "skills endorsed but never listed"),
    "claimed": (
        4,
        20,
        "skill claimed in your own words but not listed",
        "skills claimed in your own words but not listed",
    ),
    "unendorsed": (1, 15, "listed skill nobody endorsed", "listed skills nobody endorsed"),
    "unclaimed": (1, 15, "listed skill your own words never mention", "listed skills your own words never mention"),
}


def skill_profile(
    export: Export,
    skills: Sequence[SkillResult],
    listed: Sequence[ListedSkill],
    endorsements: pd.DataFrame,
    aliases: AliasTable,
    threshold: float,
) -> SkillProfile:
    """Check the listed skills against each other, the endorsements and the member's own words."""
    listed_names = export.listed_skills
    counts = {s.name: s.endorsements for s in listed}
    duplicates = duplicate_skills(listed_names, counts, aliases, threshold)
    dropped = {name for d in duplicates for name in d.drop}
    unendorsed = display_order({s.name for s in listed if not s.endorsements and s.name not in dropped})
    merges = tuple(
        sorted(
            (
                Merge(s.verdict.name, s.verdict.matched or "", s.endorsements, s.verdict.score)
                for s in skills
                if s.verdict.kind == "near_duplicate"
            ),
            key=lambda m: (m.into.casefold(), m.into, m.endorsed.casefold(), m.endorsed),
        )
    )
    texts, sources = own_words(export)
    claimed_not_listed, listed_not_claimed = _word_checks(listed_names, skills, texts) if sources else ((), ())
    penalties = _penalties(
        duplicates=sum(len(d.drop) for d in duplicates),
        unlisted=sum(1 for s in skills if s.to_hide),
        claimed=len(claimed_not_listed),
        unendorsed=len(unendorsed),
        unclaimed=len(listed_not_claimed),
    )
    if not sources:
        files = " or ".join(PROFILE_TEXT_FILES)
        penalties.append(Penalty(0, f"your own words were not compared: the export has no {files}", "", "no_words"))
    return SkillProfile(
        skill_count=len(listed_names),
        skill_limit=SKILL_LIMIT,
        duplicates=duplicates,
        unendorsed=unendorsed,
        stranger_only=_stranger_only(endorsements) if export.has_connections else None,
        merges=merges,
        claimed_not_listed=claimed_not_listed,
        listed_not_claimed=listed_not_claimed,
        word_sources=sources,
        score=max(0, 100 - sum(p.points for p in penalties)),
        penalties=tuple(penalties),
    )


def _penalties(**counts: int) -> list[Penalty]:
    """Return the penalty of each kind that occurs, in PENALTIES order."""
    penalties = []
    for kind, (each, cap, one, several) in PENALTIES.items():
        count = counts[kind]
        if count:
            points = min(cap, each * count)
            what = one if count == 1 else several
            penalties.append(Penalty(points, f"{count} {what}", f"{each} each, at most {cap}", kind, count))
    return penalties


def duplicate_skills(
    listed: Sequence[str], endorsements: dict[str, int], aliases: AliasTable, threshold: float
) -> tuple[Duplicate, ...]:
    """Return the listed skills that the matcher judges one skill, and which spelling to keep.

    Each listed skill is matched against the others (itself left out) by `match_skills`, and a pair
    counts only when the matcher judges it one skill both ways: rules that go one way only (an
    endorsed acronym reaching a listed name's initials, a short form that stands for several skills)
    cannot tell two listed skills apart, so "AED" and "Adobe Experience Design" stay two. To keep that
    fast, a name is only asked about the others that could match at all (a shared key, alias group or
    activity stem, or a spelling similarity at or above the threshold), and the matcher's index of
    the listed skills is built once for all of them (`ListMatcher`).
    """
    names = list(dict.fromkeys(listed))  # the same text listed twice is one duplicate pair below
    twice = {name for name, count in Counter(listed).items() if count > 1}
    parent = list(range(len(names)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    name_keys = [keys(name) for name in names]
    groups = [aliases.groups(k) for k in name_keys]
    stems = [{"stem:" + "/".join(sig) for sig in stem_signatures(variant_tokens(key(name)))} for name in names]
    sharing: dict[str, list[int]] = {}  # a key, an alias group or a stem signature -> the names that have it
    for i, (name_key, alias_groups) in enumerate(zip(name_keys, groups)):
        for shared in {*("key:" + k for k in name_key), *("group:" + g for g in alias_groups), *stems[i]}:
            sharing.setdefault(shared, []).append(i)
    compact = ["".join(variant_tokens(key(name))) for name in names]
    matcher = ListMatcher(names, aliases, threshold)
    index = {name: i for i, name in enumerate(names)}
    for first, similar in similarity_blocks(compact, compact, fuzz.ratio, threshold):
        for i, among in enumerate(similar > 0, first):
            for shared in {*("key:" + k for k in name_keys[i]), *("group:" + g for g in groups[i]), *stems[i]}:
                among[sharing[shared]] = True
            among[i] = False
            matched = matcher.matched(i, among) if among.any() else None
            if (
                matched is not None
                and match_skills([matched], [names[i]], aliases, threshold=threshold)[matched].matched
            ):
                a, b = find(i), find(index[matched])
                parent[max(a, b)] = min(a, b)

    members: dict[int, list[str]] = {}
    for i, name in enumerate(names):
        members.setdefault(find(i), []).append(name)
    result = []
    for group in members.values():
        if len(group) == 1 and group[0] not in twice:
            continue
        standard = aliases.standard_name(frozenset().union(*(keys(name) for name in group)))
        keep, why = _keeper(group, endorsements, standard)
        drop = [name for name in group if name != keep] + ([keep] if keep in twice else [])
        result.append(Duplicate(keep, display_order(drop), why, standard))
    return tuple(sorted(result, key=lambda d: (d.keep.casefold(), d.keep)))


def _keeper(group: list[str], endorsements: dict[str, int], standard: str | None) -> tuple[str, str]:
    """Return the spelling to keep (most endorsements, else LinkedIn's spelling, else listed first)."""
    most = max(endorsements.get(name, 0) for name in group)
    best = [name for name in group if endorsements.get(name, 0) == most]
    if len(best) == 1 and most:
        return best[0], "most endorsements"
    if standard is not None:
        for name in best:
            if clean(name) == clean(standard):
                return name, "LinkedIn's standard spelling"
    return best[0], "listed first"


def _stranger_only(table: pd.DataFrame) -> tuple[StrangerSkill, ...]:
    """Return the listed skills whose every endorsement comes from someone who is not a connection."""
    matched = table[table["matched"].notna()]
    result = []
    for skill, rows in matched.groupby("matched", sort=True):
        if (rows["is_connection"] == False).all():  # noqa: E712 (an object column of bools)
            endorsers = display_order(set(rows["endorser"].replace("", "(no name)")))
            result.append(StrangerSkill(str(skill), len(rows), endorsers))
    return tuple(sorted(result, key=lambda s: (s.skill.casefold(), s.skill)))


# --- The member's own words ---------------------------------------------------------------------

# Where one phrase ends: line breaks, list separators, brackets, ". " (not the dot of .NET or Node.js).
_PHRASE_END = re.compile(r"[\n\r|;!?,()\[\]{}•·–—:]|\.(?=\s|$)|\s[-/]\s")


_SHORT = 2  # one- and two-letter names ("R", "Go", "C", "AI") must be written with the same capitals


def own_words(export: Export) -> tuple[list[str], tuple[str, ...]]:
    """Return the member's own texts (headline, about, position titles and descriptions) and their files."""
    texts: list[str] = []
    sources: list[str] = []
    if export.headline is not None or export.about is not None:
        sources.append(PROFILE_TEXT_FILES[0])
        texts += [export.headline or "", export.about or ""]
    if export.positions is not None:
        sources.append(PROFILE_TEXT_FILES[1])
        texts += [part for position in export.positions for part in position]
    return [text for text in texts if text.strip()], tuple(sources)


@dataclass(frozen=True)
class _Pattern:
    tokens: tuple[str, ...]
    exact: re.Pattern[str] | None  # for short names: the spelling that must appear, capitals and all


def _patterns(name: str) -> list[_Pattern]:
    """Return what finds a skill name in running text: its comparison keys as token sequences."""
    main, inners = split_parens(name)
    patterns = []
    for name_key in sorted(keys(name)):
        tokens = variant_tokens(name_key)
        exact = None
        if len(tokens) == 1 and len(tokens[0]) <= _SHORT:
            spelling = next((part for part in (main, *inners) if key(part) == name_key), main)
            exact = re.compile(r"(?<![\w+#.&-])" + re.escape(spelling) + r"(?![\w+#&-])")
        patterns.append(_Pattern(tokens, exact))
    return patterns


class _Trie:
    """Token sequences to look for, as a tree: one step per token, the names that end at each node."""

    def __init__(self) -> None:
        self.next: dict[str, _Trie] = {}
        self.ends: list[tuple[re.Pattern[str] | None, int]] = []  # (the exact spelling, a group of names)


def find_in_words(names: Iterable[str], texts: Iterable[str]) -> set[str]:
    """Return the skill names that the texts mention, whole words only.

    A text is split into phrases and each phrase into the same comparison tokens as skill names, so
    "R" is not found in "React", "Go" not in "Google", and "C++", "C#", ".NET" only as themselves.
    Where names overlap, the longest wins: "Team Leadership" in the text does not also count as
    "Leadership", "Management Consulting" not as "Consulting".

    The names' token sequences form a tree walked from each word of a phrase, as far as a name
    continues: no n-gram of the text is built, so the cost is the text's length times the longest
    name that matches there, not times every name length.
    """
    phrases = [phrase for text in texts for phrase in _PHRASE_END.split(text) if phrase.strip()]
    root = _Trie()
    groups: list[set[str]] = []  # names that share tokens and exact spelling are found together
    group_of: dict[tuple[tuple[str, ...], str | None], int] = {}
    for name in set(names):
        for pattern in _patterns(name):
            wanted = (pattern.tokens, pattern.exact.pattern if pattern.exact else None)
            if wanted not in group_of:
                group_of[wanted] = len(groups)
                groups.append(set())
                node = root
                for token in pattern.tokens:
                    node = node.next.setdefault(token, _Trie())
                node.ends.append((pattern.exact, group_of[wanted]))
            groups[group_of[wanted]].add(name)
    found: set[int] = set()
    for phrase in phrases:
        tokens = variant_tokens(key(phrase))
        exact: dict[re.Pattern[str], bool] = {}  # each short spelling searched once per phrase
        spans: dict[tuple[int, int], list[int]] = {}  # (start, end) -> the groups found there
        for start in range(len(tokens)):
            node, end = root, start
            while end < len(tokens) and (step := node.next.get(tokens[end])) is not None:
                node, end = step, end + 1
                for spelling, group in node.ends:
                    if spelling is not None and spelling not in exact:
                        exact[spelling] = spelling.search(phrase) is not None
                    if spelling is None or exact[spelling]:
                        spans.setdefault((start, end), []).append(group)
        taken = bytearray(len(tokens))
        for start, end in sorted(spans, key=lambda span: (span[0] - span[1], span)):  # longest first
            if 1 in taken[start:end]:
                continue
            taken[start:end] = b"\x01" * (end - start)
            found.update(spans[(start, end)])
    return set().union(*(groups[group] for group in found))


def _word_checks(
    listed_names: Sequence[str], skills: Sequence[SkillResult], texts: list[str]
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Return (endorsed skills the words claim but the list lacks, listed skills the words never mention)."""
    listed = set(listed_names)
    matched = {s.verdict.name: s.verdict.matched for s in skills if s.verdict.matched is not None}
    unlisted = {s.verdict.name: s.endorsements for s in skills if s.verdict.matched is None}
    found = find_in_words(listed | set(matched) | set(unlisted), texts)
    claimed_listed = {name for name in found if name in listed} | {matched[n] for n in found if n in matched}
    # Two unlisted spellings of one skill ("Economics", "Economics ") are one claim: the most endorsed.
    claims: dict[str, str] = {}
    for name in sorted((n for n in found if n in unlisted), key=lambda n: (-unlisted[n], n)):
        claims.setdefault(key(name), name)
    return display_order(claims.values()), display_order(listed - claimed_listed)
