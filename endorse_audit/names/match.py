"""Judge each distinct endorsed skill name against the listed skills: one verdict per name.

Order of tests, first hit wins (each name is judged once, however many endorsements it has):
1. exact: the same string as a listed skill;
2. normalized: the same comparison key (see normalize.py), including an acronym that either name
   gives in parentheses, LinkedIn's qualifier written as plain words ("Word Software" for
   "Word (Software)"), and a name written as an acronym of the other's initials ("CBT" for
   "Cognitive Behavioral Therapy": three letters or more, or with "&" for "and", as in "P&L"; only
   this way round, as an ambiguous short form would be);
3. alias: the curated alias table puts both in one group ("K8s" and "Kubernetes"); an ambiguous
   short form stands for whichever of its expansions is listed ("PM"), never the other way round;
   a one-word alias inside a longer name ("UX Research", "User Experience Research");
4. fuzzy: a spelling variant (typo, plural, joined or split words, British/US, the same words in
   another order, another noun ending of the same activity) of a listed skill.
   Candidates come from one vectorised `rapidfuzz.process.cdist` over all names at once; a
   candidate counts only if the difference really is a spelling one (see `_spelling_variant`),
   because raw similarity also rates "Java"/"JavaScript" and "Web Design"/"Responsive Web Design"
   high, and those are different skills; the 50 most similar candidates are tested, most similar first;
5. otherwise unlisted (or allowed, when the config keeps it), with the closest listed skill as a hint.

Every other test is a dictionary look-up into an index of the listed skills, so a name costs the
same whether 10 or 2,000 skills are listed. Where several listed skills qualify in one step, the
first listed wins.
"""

from __future__ import annotations

from collections.abc import Collection, Hashable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

import numpy as np
from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA

from endorse_audit.config import DEFAULT_THRESHOLD
from endorse_audit.model import MatchMethod, Verdict, VerdictKind
from endorse_audit.names.aliases import AliasTable
from endorse_audit.names.normalize import (
    compact_forms,
    initials,
    literal_key,
    stem_signatures,
    variant_tokens,
    written_acronym,
)

_THREADED_CELLS = 250_000  # name pairs from which rapidfuzz compares on every core
_HINT_WRATIO_CELLS = 2_000_000  # unmatched x listed pairs up to which the hint's score is WRatio
_MIN_TYPO_LENGTH = 5  # a one-letter change in a shorter word is usually another word (Java/Jira)
# Swapping one letter for another between two real words is how different skills collide
# (MySQL/MSSQL, Lending/Landing, Coding/Coping); only long words get that benefit of the doubt.
_MIN_SUBSTITUTION_LENGTH = 8
# Spelling tests per name, on its most similar candidates: a spelling variant is among the most similar,
# and names built to be alike without being variants ("Skill Number X of Many" for 3,000 letters X)
# would otherwise cost a test per pair.
_SPELLING_TESTS = 50


@dataclass(frozen=True)
class _Name:
    """A skill name with everything the tests above compare."""

    text: str
    main_key: str
    all_keys: frozenset[str]
    groups: frozenset[str]
    variant: tuple[str, ...]
    joined: frozenset[str]  # the compact forms, and the name joined with its JS kept ("vuejs")

    @property
    def compact(self) -> str:
        return "".join(self.variant)


def _prepare(text: str, aliases: AliasTable) -> _Name:
    main_key = aliases.key_of(text)
    joined = compact_forms(main_key) | {literal_key(text).replace(" ", "")}
    # Alias groups come from the main name only: "Neuro-Linguistic Programming (NLP)" must not
    # reach "Natural Language Processing" through the acronym both of them claim. Spacing does
    # not matter to the table: "Ed Tech" is its "EdTech".
    groups = aliases.groups([main_key, main_key.replace(" ", "")])
    return _Name(text, main_key, aliases.keys_of(text), groups, variant_tokens(main_key), joined)


def _acronym_counts(acronym: str) -> bool:
    """Tell whether an acronym is specific enough to stand for a name: two letters are too many things."""
    return "&" in acronym or len(acronym) >= 3


def _acronym_of(name: _Name) -> str | None:
    """Return the name in lower case if it is written as an acronym that can stand for a name."""
    acronym = written_acronym(name.text)
    return acronym if acronym is not None and _acronym_counts(acronym) else None


K = TypeVar("K", bound=Hashable)
# Which listed skills a name is judged against: a mask over their positions, or None for all of them.
Among = np.ndarray | None


def _pick(positions: list[int] | None, among: Among) -> int | None:
    """Return the first of these positions (in listed order) that is among those asked about."""
    if not positions:
        return None
    if among is None:
        return positions[0]
    return next((p for p in positions if among[p]), None)


def _add(index: dict[K, list[int]], forms: Iterable[K], position: int) -> None:
    """Add a listed skill's position under each of its forms (positions come in listed order)."""
    for form in forms:
        index.setdefault(form, []).append(position)


def _first(index: dict[K, list[int]], wanted: Iterable[K], among: Among) -> int | None:
    """Return the position of the first listed skill that has any of the wanted forms."""
    return _earliest(*(_pick(index.get(w), among) for w in wanted))


def _earliest(*positions: int | None) -> int | None:
    return min((p for p in positions if p is not None), default=None)


@dataclass
class _Index:
    """Each comparison form of the listed skills, pointing at the listed skills that have it, in
    listed order. Every look-up takes the first of them among those a name is judged against."""

    aliases: AliasTable
    text: dict[str, list[int]] = field(default_factory=dict)
    main: dict[str, list[int]] = field(default_factory=dict)
    any_key: dict[str, list[int]] = field(default_factory=dict)
    initials: dict[str, list[int]] = field(default_factory=dict)
    group: dict[str, list[int]] = field(default_factory=dict)
    form: dict[tuple[str, ...], list[int]] = field(default_factory=dict)  # as written and through aliases
    alias_form: dict[tuple[str, ...], list[int]] = field(default_factory=dict)  # through aliases only
    compact: dict[str, list[int]] = field(default_factory=dict)
    compact_any: dict[str, list[int]] = field(default_factory=dict)  # also of the parenthesised acronyms
    stem: dict[tuple[str, ...], list[int]] = field(default_factory=dict)
    reordered: dict[tuple[str, ...], list[int]] = field(default_factory=dict)  # the words sorted
    variants: list[tuple[str, ...]] = field(default_factory=list)

    def add(self, position: int, skill: _Name) -> None:
        self.variants.append(skill.variant)
        acronyms = {letters for letters in initials(skill.main_key) if _acronym_counts(letters)}
        forms = self.aliases.forms(skill.main_key, short_forms=False)
        compact_any = skill.joined.union(*(compact_forms(k) for k in skill.all_keys))
        _add(self.text, {skill.text}, position)
        _add(self.main, {skill.main_key}, position)
        _add(self.any_key, skill.all_keys, position)
        _add(self.initials, acronyms, position)
        _add(self.group, skill.groups, position)
        _add(self.form, {skill.variant, *forms}, position)
        _add(self.alias_form, forms, position)
        _add(self.compact, skill.joined, position)
        _add(self.compact_any, compact_any, position)
        _add(self.stem, stem_signatures(skill.variant), position)
        _add(self.reordered, {tuple(sorted(skill.variant))}, position)

    def normalized(self, name: _Name, among: Among) -> int | None:
        # An acronym in parentheses stands for the name beside it: "GCP" is "Google Cloud Platform
        # (GCP)", but "Good Clinical Practice (GCP)" is not, so compare main keys against all keys.
        # An endorsed acronym stands for the listed name it abbreviates, like a conditional short
        # form; never the other way round: a listed "SCM" may be Software Configuration Management,
        # so it does not take an endorsed "Supply Chain Management".
        acronym = _acronym_of(name)
        return _earliest(
            _pick(self.any_key.get(name.main_key), among),
            _first(self.main, name.all_keys, among),
            _pick(self.initials.get(acronym), among) if acronym is not None else None,
        )

    def joined(self, name: _Name, among: Among) -> int | None:
        # Main forms against all forms, as for the keys: "PLCs" is "Programmable Logic Controller (PLC)".
        return _earliest(
            _first(self.compact_any, name.joined, among),
            _first(self.compact, (c for k in name.all_keys for c in compact_forms(k)), among),
        )

    def activity(self, name: _Name, among: Among) -> int | None:
        # One noun ending against the -ing form: "Recruitment"/"Recruiting". Two other endings of
        # one stem are often two things ("Consultancy"/"Consultation", "Internment"/"Internship").
        found = {p for signature in stem_signatures(name.variant) for p in self.stem.get(signature, ())}
        for position in sorted(p for p in found if among is None or among[p]):
            differing = [(a, b) for a, b in zip(name.variant, self.variants[position]) if a != b]
            if differing and all(a.endswith("ing") != b.endswith("ing") for a, b in differing):
                return position
        return None

    def alias(self, name: _Name, among: Among) -> int | None:
        # An ambiguous short form reaches its listed expansion only from the endorsed side.
        groups = name.groups | self.aliases.short_forms([name.main_key])
        through_words = _earliest(
            _first(self.form, self.aliases.forms(name.main_key, short_forms=True), among),
            _pick(self.alias_form.get(name.variant), among),
        )
        # The same word put through the same alias on both sides bridges nothing: "Stakeholders
        # Management" is a spelling variant of "Stakeholder Management", left to the fuzzy test.
        if through_words is not None and self.variants[through_words] == name.variant:
            through_words = None
        return _earliest(_first(self.group, groups, among), through_words)


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
    if min(len(endorsed.compact), len(listed.compact)) < 8 or not _one_typo(endorsed.compact, listed.compact):
        return False
    # ...but a one-letter word more is another skill ("Commerce X", "Commerce"), not a typo.
    longer, shorter = sorted((endorsed.variant, listed.variant), key=len, reverse=True)
    return not any(
        len(word) == 1 and "".join(longer[:i] + longer[i + 1 :]) == "".join(shorter) for i, word in enumerate(longer)
    )


def _key_match(endorsed: _Name, listed: Sequence[_Name], index: _Index, among: Among) -> Verdict | None:
    """Return the exact, normalized or alias verdict, trying each in turn over all listed skills."""
    tries: tuple[tuple[MatchMethod, int | None], ...] = (
        ("exact", _pick(index.text.get(endorsed.text), among)),
        ("normalized", index.normalized(endorsed, among)),
        ("alias", index.alias(endorsed, among)),
    )
    for method, position in tries:
        if position is not None:
            return Verdict(endorsed.text, "listed", listed[position].text, method, 100.0)
    return None


def _fuzzy(endorsed: _Name, listed: Sequence[_Name], position: int) -> Verdict:
    skill = listed[position]
    score = round(fuzz.ratio(endorsed.main_key, skill.main_key), 1)
    return Verdict(endorsed.text, "near_duplicate", skill.text, "fuzzy", score)


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
    allowed_keys = {k for name in allow for k in aliases.keys_of(name)}
    verdicts: dict[str, Verdict] = {}
    if not listed:
        for name in endorsed:
            verdicts[name.text] = _unmatched(name, None, None, allowed_keys)
        return verdicts

    candidates = _cdist([n.compact for n in endorsed], [s.compact for s in listed], fuzz.ratio, threshold)
    index = _Index(aliases)
    for column, skill in enumerate(listed):
        index.add(column, skill)
    unmatched: list[int] = []
    for row, name in enumerate(endorsed):
        verdict = _judge(name, listed, index, candidates[row], None)
        if verdict is None:
            unmatched.append(row)
        else:
            verdicts[name.text] = verdict
    # The closest listed skill, as a hint, only for the names that matched nothing. WRatio reads a hint
    # best but costs ~2 us a pair: past _HINT_WRATIO_CELLS pairs (no real profile: LinkedIn lists 100
    # skills at most) the hint is the plain similarity, a hundred times cheaper.
    hinted = [endorsed[row].main_key for row in unmatched]
    scorer = fuzz.WRatio if len(hinted) * len(listed) <= _HINT_WRATIO_CELLS else fuzz.ratio
    hints = _cdist(hinted, [s.main_key for s in listed], scorer, None)
    for hint_row, row in enumerate(unmatched):
        best = int(np.argmax(hints[hint_row]))
        score = round(float(hints[hint_row, best]), 1)
        verdicts[endorsed[row].text] = _unmatched(endorsed[row], listed[best].text, score, allowed_keys)
    return {name.text: verdicts[name.text] for name in endorsed}


_BLOCK_ROWS = 512  # rows of a similarity matrix computed at once: memory stays linear in the names


def _cdist(rows: Sequence[str], columns: Sequence[str], scorer: Any, cutoff: float | None) -> np.ndarray:
    """Return the scorer's matrix of rows x columns, from one vectorised rapidfuzz.cdist."""
    # Threads pay off only on large matrices; on small ones (and with one process per core) they cost.
    workers = -1 if len(rows) * len(columns) >= _THREADED_CELLS else 1
    return process.cdist(rows, columns, scorer=scorer, processor=None, score_cutoff=cutoff, workers=workers)


def similarity_blocks(
    rows: Sequence[str], columns: Sequence[str], scorer: Any, cutoff: float
) -> Iterator[tuple[int, np.ndarray]]:
    """Yield (first row, block) of the scorer's matrix of rows x columns, a block of rows at a time:
    memory stays linear in the names, and no Python loop runs over every pair."""
    for first in range(0, len(rows), _BLOCK_ROWS):
        yield first, _cdist(rows[first : first + _BLOCK_ROWS], columns, scorer, cutoff)


class ListMatcher:
    """One list of skills prepared and indexed once, to judge each of them against others of the list.

    `matched(row, among)` is `match_skills([names[row]], others)[names[row]].matched`, where `others`
    are the names marked in `among` in listed order, without preparing, indexing and comparing the
    others again for each name: the duplicate check asks it of every listed skill. Rows are asked in
    order; their spelling similarities are computed a block of rows at a time.

    The spelling-variant test (`_spelling_variant`, a Python call per pair) runs only on pairs whose
    compact forms, or main keys without spaces, are at most one edit (OSA) apart, as one vectorised
    cdist finds: no other pair can pass it. Equal compact forms are 0 apart; one typo in one word, the
    other words equal (in the variant tokens or in the main key's words), leaves the words joined one
    edit apart; a typo together with joined or split words is one edit between the compact forms.
    Names that are all alike ("Skill Number N of Many") are then not each tested against every other.
    (Both stop after _SPELLING_TESTS tests: a name with more candidates than that may meet its variant
    here and not in match_skills, where the others count too; no real profile comes near.)
    """

    def __init__(self, names: Sequence[str], aliases: AliasTable, threshold: float) -> None:
        self._names = [_prepare(name, aliases) for name in names]
        self._index = _Index(aliases)
        for position, name in enumerate(self._names):
            self._index.add(position, name)
        self._threshold = threshold
        self._compact = [name.compact for name in self._names]
        self._joined = [name.main_key.replace(" ", "") for name in self._names]
        self._first = -1
        self._scores: np.ndarray = np.zeros((0, 0))
        self._near: np.ndarray = np.zeros((0, 0), dtype=bool)

    def matched(self, row: int, among: np.ndarray) -> str | None:
        """Return the name among those marked that the row's name matches, None when none does."""
        if not self._first <= row < self._first + len(self._scores):
            self._compute(row)
        scores = np.where(among & self._near[row - self._first], self._scores[row - self._first], 0)
        verdict = _judge(self._names[row], self._names, self._index, scores, among)
        return None if verdict is None else verdict.matched

    def _compute(self, row: int) -> None:
        first = row - row % _BLOCK_ROWS
        compact, joined = self._compact[first : first + _BLOCK_ROWS], self._joined[first : first + _BLOCK_ROWS]
        self._scores = _cdist(compact, self._compact, fuzz.ratio, self._threshold)
        self._near = (_cdist(compact, self._compact, OSA.distance, 1) <= 1) | (
            _cdist(joined, self._joined, OSA.distance, 1) <= 1
        )
        self._first = first


def _judge(name: _Name, listed: Sequence[_Name], index: _Index, candidates: np.ndarray, among: Among) -> Verdict | None:
    """Return the verdict of one name by the rules in order (the module's docstring), None when none holds.

    `candidates` is the name's row of spelling similarities to the listed skills (0 below the threshold
    or not among those asked about); `among` marks the listed skills the name is judged against.
    """
    verdict = _key_match(name, listed, index, among)
    # Joined or split words, hyphens, plurals, British/US: one of the compact forms is the same.
    if verdict is None and (joined := index.joined(name, among)) is not None:
        verdict = _fuzzy(name, listed, joined)
    if verdict is None:
        found = np.flatnonzero(candidates)  # the few at or above the threshold, best first
        for column in found[np.argsort(-candidates[found], kind="stable")][:_SPELLING_TESTS]:
            if _spelling_variant(name, listed[column]):
                return _fuzzy(name, listed, int(column))
    # The same words in another order ("UI/UX Design", "UX/UI Design"); first listed spelling wins.
    if (
        verdict is None
        and len(name.variant) > 1
        and (reordered := _pick(index.reordered.get(tuple(sorted(name.variant))), among)) is not None
    ):
        same = listed[reordered]
        score = round(fuzz.token_sort_ratio(name.main_key, same.main_key), 1)
        verdict = Verdict(name.text, "near_duplicate", same.text, "fuzzy", score)
    # Another noun ending of the same activity ("Recruitment"/"Recruiting"), all else equal.
    if verdict is None and (stem := index.activity(name, among)) is not None:
        verdict = _fuzzy(name, listed, stem)
    return verdict


def _unmatched(name: _Name, closest: str | None, score: float | None, allowed_keys: set[str]) -> Verdict:
    """Return the verdict of a name that matches no listed skill."""
    kind: VerdictKind = "allowed" if name.all_keys & allowed_keys else "unlisted"
    return Verdict(name.text, kind, None, "none", score, closest)
