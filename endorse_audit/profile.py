"""Checks beyond the hide list: is the skill profile consistent, what the member suggested to others,
and which connection requests came without a note.

Everything here is a pure function over an `Audit` (and its `Export`) returning frozen dataclasses of
plain Python values, sorted explicitly. Sameness of two skills is always the matcher's own
(`match.match_skills`, `normalize.keys`), so this module and the verdicts never disagree.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from rapidfuzz import fuzz, process

from endorse_audit.aliases import AliasTable, load_aliases
from endorse_audit.config import Config
from endorse_audit.export import POSITIONS, PROFILE, endorser_ids, fold_name, profile_url
from endorse_audit.match import match_skills
from endorse_audit.model import Audit, Export, Invitation
from endorse_audit.normalize import clean, key, keys, split_parens, variant_tokens

SKILL_LIMIT = 100  # LinkedIn's limit of listed skills (50 before 2024)
SHOWN_PEOPLE = 200  # people listed per table in the report; the JSON has them all

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


# --- Records ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Duplicate:
    """Listed skills that are one skill under several spellings, and which one to keep."""

    keep: str  # exactly as Skills.csv spells it
    drop: tuple[str, ...]
    why: str  # "most endorsements", "LinkedIn's standard spelling" or "listed first"
    standard: str | None  # the alias table's standard spelling, when it knows the skill


@dataclass(frozen=True)
class Merge:
    """An endorsed spelling that is almost certainly a listed skill (a near-duplicate)."""

    endorsed: str
    into: str
    endorsements: int
    score: float | None


@dataclass(frozen=True)
class StrangerSkill:
    """A listed skill endorsed only by people who are not connections."""

    skill: str
    endorsements: int
    endorsers: tuple[str, ...]


@dataclass(frozen=True)
class Penalty:
    """One thing that lowers the consistency score, and by how much."""

    points: int
    what: str  # "12 skills endorsed but never listed"
    rule: str  # "3 each, at most 30"

    def __str__(self) -> str:
        return f"-{self.points}: {self.what} ({self.rule})" if self.points else self.what


@dataclass(frozen=True)
class SkillProfile:
    """How well the listed skills, the endorsements and the member's own words agree."""

    skill_count: int
    skill_limit: int
    duplicates: tuple[Duplicate, ...]
    unendorsed: tuple[str, ...]  # listed skills nobody endorsed (spellings to drop left out)
    stranger_only: tuple[StrangerSkill, ...] | None  # None: no Connections.csv to tell
    merges: tuple[Merge, ...]
    claimed_not_listed: tuple[str, ...]
    listed_not_claimed: tuple[str, ...]
    word_sources: tuple[str, ...]  # the files the member's own words came from; () when none
    score: int
    penalties: tuple[Penalty, ...]

    @property
    def reasons(self) -> tuple[str, ...]:
        """Return each reason the score is lowered, with its penalty."""
        return tuple(str(p) for p in self.penalties)

    @property
    def explanation(self) -> str:
        """Return one line saying what lowers the score."""
        lowered = [p for p in self.penalties if p.points]
        if not lowered:
            return f"{self.score}/100: listed skills, endorsements and your own words agree."
        return f"{self.score}/100, lowered by " + ", ".join(f"{p.what} (-{p.points})" for p in lowered) + "."


@dataclass(frozen=True)
class PendingPerson:
    """Someone the member endorsed for skills they never listed or accepted (still PENDING)."""

    endorsee: str
    profile_url: str | None
    skills: tuple[str, ...]
    since: str  # the oldest pending suggestion, "YYYY-MM-DDTHH:MM:SSZ" (or as written)


@dataclass(frozen=True)
class GivenCheck:
    """The endorsements the member gave (Endorsement_Given_Info.csv)."""

    given: int
    pending_count: int
    pending: tuple[PendingPerson, ...]  # oldest first


@dataclass(frozen=True)
class Requester:
    """The other side of a connection request."""

    name: str
    profile_url: str | None
    sent_at: str  # as Invitations.csv writes it

    @property
    def sort_key(self) -> str:
        """Return the time sent as "YYYY-MM-DDTHH:MM", for sorting (the text as written when not a date)."""
        when = _sent_at(self.sent_at)
        return when.strftime("%Y-%m-%dT%H:%M") if when else self.sent_at


@dataclass(frozen=True)
class InvitationCheck:
    """Connection requests, and how many came without a note (Invitations.csv)."""

    incoming: int
    incoming_without_note: int
    outgoing: int
    outgoing_without_note: int
    connections_with_request: int  # current connections whose request is in Invitations.csv
    connections_without_note: int  # ... of which no request with them had a note
    incoming_without_note_people: tuple[Requester, ...]  # newest first
    outgoing_without_note_people: tuple[Requester, ...]

    @property
    def incoming_without_note_share(self) -> float | None:
        return _share(self.incoming_without_note, self.incoming)

    @property
    def connections_without_note_share(self) -> float | None:
        return _share(self.connections_without_note, self.connections_with_request)

    @property
    def incoming_without_note_percent(self) -> int | None:
        return _percent(self.incoming_without_note_share)

    @property
    def connections_without_note_percent(self) -> int | None:
        return _percent(self.connections_without_note_share)

    @property
    def incoming_shown(self) -> tuple[Requester, ...]:
        return self.incoming_without_note_people[:SHOWN_PEOPLE]

    @property
    def incoming_more(self) -> int:
        return max(0, len(self.incoming_without_note_people) - SHOWN_PEOPLE)


@dataclass(frozen=True)
class Stranger:
    """An endorser who is not a connection."""

    name: str
    profile_url: str | None
    endorsements: int
    to_hide: int


@dataclass(frozen=True)
class ConnectionCheck:
    """Who among the endorsers is a connection (Connections.csv)."""

    endorsers: int
    endorsers_not_connections: tuple[Stranger, ...]  # most endorsements first
    hidden_connections: int  # rows with only a date: hidden or closed profiles, counted, not listed

    @property
    def shown(self) -> tuple[Stranger, ...]:
        return self.endorsers_not_connections[:SHOWN_PEOPLE]

    @property
    def more(self) -> int:
        return max(0, len(self.endorsers_not_connections) - SHOWN_PEOPLE)


@dataclass(frozen=True)
class ProfileChecks:
    """Everything this module checks; a part is None when the file that fills it is absent."""

    profile: SkillProfile
    given: GivenCheck | None
    invitations: InvitationCheck | None
    connections: ConnectionCheck | None


def _share(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def _percent(share: float | None) -> int | None:
    return None if share is None else round(share * 100)


# --- Putting it together ------------------------------------------------------------------------


def check(audit: Audit, config: Config | None = None) -> ProfileChecks:
    """Run every check over a finished audit.

    Pass the audit's `config` so that duplicate listed skills are judged with the same extra
    aliases and threshold as the endorsements; without it the defaults are used.
    """
    config = config or Config()
    export = audit.export
    return ProfileChecks(
        profile=skill_profile(audit, load_aliases(config.aliases), config.threshold),
        given=given_check(export),
        invitations=invitation_check(export),
        connections=connection_check(audit),
    )


def checks_of(audit: Audit) -> ProfileChecks:
    """Return the checks audit.audit() ran with the run's config (run here, with defaults, if absent)."""
    return audit.checks if audit.checks is not None else check(audit)


def json_fields(checks: ProfileChecks) -> dict[str, Any]:
    """Return the JSON document's "profile", "given" and "invitations" fields."""
    profile, given, invitations, connections = checks.profile, checks.given, checks.invitations, checks.connections
    return {
        "profile": {
            "duplicate_skills": [
                {"keep": d.keep, "drop": list(d.drop), "why": d.why, "standard": d.standard} for d in profile.duplicates
            ],
            "unendorsed_skills": list(profile.unendorsed),
            "claimed_not_listed": list(profile.claimed_not_listed),
            "listed_not_claimed": list(profile.listed_not_claimed),
            "skill_count": profile.skill_count,
            "skill_limit": profile.skill_limit,
            "consistency_score": profile.score,
            "consistency_reasons": list(profile.reasons),
            "consistency_explanation": profile.explanation,
            "word_sources": list(profile.word_sources),
            "merge_spellings": [
                {"endorsed": m.endorsed, "into": m.into, "endorsements": m.endorsements, "score": m.score}
                for m in profile.merges
            ],
            "stranger_only_skills": None
            if profile.stranger_only is None
            else [
                {"skill": s.skill, "endorsements": s.endorsements, "endorsers": list(s.endorsers)}
                for s in profile.stranger_only
            ],
            "endorsers_not_connections": None
            if connections is None
            else [
                {"name": s.name, "profile_url": s.profile_url, "endorsements": s.endorsements, "to_hide": s.to_hide}
                for s in connections.endorsers_not_connections
            ],
            "hidden_connections": None if connections is None else connections.hidden_connections,
        },
        "given": None
        if given is None
        else {
            "pending": [
                {"endorsee": p.endorsee, "profile_url": p.profile_url, "skills": list(p.skills), "since": p.since}
                for p in given.pending
            ],
            "given": given.given,
            "pending_count": given.pending_count,
        },
        "invitations": None
        if invitations is None
        else {
            "incoming": invitations.incoming,
            "incoming_without_note": invitations.incoming_without_note,
            "outgoing": invitations.outgoing,
            "outgoing_without_note": invitations.outgoing_without_note,
            "connections_without_note_share": invitations.connections_without_note_share,
            "incoming_without_note_people": [
                {"name": r.name, "profile_url": r.profile_url, "sent_at": r.sent_at}
                for r in invitations.incoming_without_note_people
            ],
            "incoming_without_note_share": invitations.incoming_without_note_share,
            "connections_with_request": invitations.connections_with_request,
            "connections_without_note": invitations.connections_without_note,
            "outgoing_without_note_people": [
                {"name": r.name, "profile_url": r.profile_url, "sent_at": r.sent_at}
                for r in invitations.outgoing_without_note_people
            ],
        },
    }


# --- Skill-profile consistency ------------------------------------------------------------------


def skill_profile(audit: Audit, aliases: AliasTable, threshold: float) -> SkillProfile:
    """Check the listed skills against each other, the endorsements and the member's own words."""
    export = audit.export
    listed = export.listed_skills
    endorsements = {s.name: s.endorsements for s in audit.listed}
    duplicates = duplicate_skills(listed, endorsements, aliases, threshold)
    dropped = {name for d in duplicates for name in d.drop}
    unendorsed = _sorted({s.name for s in audit.listed if not s.endorsements and s.name not in dropped})
    merges = tuple(
        sorted(
            (
                Merge(s.verdict.name, s.verdict.matched or "", s.endorsements, s.verdict.score)
                for s in audit.skills
                if s.verdict.verdict == "near_duplicate"
            ),
            key=lambda m: (m.into.casefold(), m.into, m.endorsed.casefold(), m.endorsed),
        )
    )
    texts, sources = own_words(export)
    claimed_not_listed, listed_not_claimed = _word_checks(audit, texts) if sources else ((), ())
    penalties = _penalties(
        duplicates=sum(len(d.drop) for d in duplicates),
        unlisted=audit.summary.unlisted_skills,
        claimed=len(claimed_not_listed),
        unendorsed=len(unendorsed),
        unclaimed=len(listed_not_claimed),
    )
    if not sources:
        penalties.append(
            Penalty(0, f"your own words were not compared: the export has no {PROFILE} or {POSITIONS}", "")
        )
    return SkillProfile(
        skill_count=len(listed),
        skill_limit=SKILL_LIMIT,
        duplicates=duplicates,
        unendorsed=unendorsed,
        stranger_only=_stranger_only(audit) if export.has_connections else None,
        merges=merges,
        claimed_not_listed=claimed_not_listed,
        listed_not_claimed=listed_not_claimed,
        word_sources=sources,
        score=max(0, 100 - sum(p.points for p in penalties)),
        penalties=tuple(penalties),
    )


def _sorted(names: Iterable[str]) -> tuple[str, ...]:
    return tuple(sorted(names, key=lambda name: (name.casefold().strip(), name)))


def _penalties(**counts: int) -> list[Penalty]:
    """Return the penalty of each kind that occurs, in PENALTIES order."""
    penalties = []
    for kind, (each, cap, one, several) in PENALTIES.items():
        count = counts[kind]
        if count:
            points = min(cap, each * count)
            what = one if count == 1 else several
            penalties.append(Penalty(points, f"{count} {what}", f"{each} each, at most {cap}"))
    return penalties


def duplicate_skills(
    listed: Sequence[str], endorsements: dict[str, int], aliases: AliasTable, threshold: float
) -> tuple[Duplicate, ...]:
    """Return the listed skills that the matcher judges one skill, and which spelling to keep.

    Each listed skill is matched against the others (itself left out) by `match_skills`. To keep
    that fast, it is only asked about the few others that could match at all: a shared key or alias
    group, or a spelling similarity at or above the threshold (the matcher's own candidate test).
    """
    names = list(dict.fromkeys(listed))  # the same text listed twice is one duplicate pair below
    twice = {name for name in names if listed.count(name) > 1}
    parent = list(range(len(names)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    name_keys = [keys(name) for name in names]
    groups = [aliases.groups(k) for k in name_keys]
    compact = ["".join(variant_tokens(key(name))) for name in names]
    similar = process.cdist(compact, compact, scorer=fuzz.ratio, processor=None, score_cutoff=threshold)
    index = {name: i for i, name in enumerate(names)}
    for i, name in enumerate(names):
        others = [
            other
            for j, other in enumerate(names)
            if j != i and (name_keys[i] & name_keys[j] or groups[i] & groups[j] or similar[i, j])
        ]
        if not others:
            continue
        verdict = match_skills([name], others, aliases, threshold=threshold)[name]
        if verdict.matched is not None:
            a, b = find(i), find(index[verdict.matched])
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
        result.append(Duplicate(keep, _sorted(drop), why, standard))
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


def _stranger_only(audit: Audit) -> tuple[StrangerSkill, ...]:
    """Return the listed skills whose every endorsement comes from someone who is not a connection."""
    table = audit.endorsements
    matched = table[table["matched"].notna()]
    result = []
    for skill, rows in matched.groupby("matched", sort=True):
        if (rows["is_connection"] == False).all():  # noqa: E712 (an object column of bools)
            endorsers = _sorted(set(rows["endorser"].replace("", "(no name)")))
            result.append(StrangerSkill(str(skill), len(rows), endorsers))
    return tuple(sorted(result, key=lambda s: (s.skill.casefold(), s.skill)))


# --- The member's own words ---------------------------------------------------------------------

# Where one phrase ends: line breaks, list separators, brackets, ". " (not the dot of .NET or Node.js).
_PHRASE_END = re.compile(r"[\n\r|;!?,()\[\]{}•·–—:]|\.(?=\s|$)|\s[-/]\s")
_SHORT = 2  # one- and two-letter names ("R", "Go", "C", "AI") must be written with the same capitals


def own_words(export: Export) -> tuple[list[str], tuple[str, ...]]:
    """Return the member's own texts (headline, summary, position titles and descriptions) and their files."""
    texts: list[str] = []
    sources: list[str] = []
    if export.headline is not None or export.summary is not None:
        sources.append(PROFILE)
        texts += [export.headline or "", export.summary or ""]
    if export.positions is not None:
        sources.append(POSITIONS)
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


def find_in_words(names: Iterable[str], texts: Iterable[str]) -> set[str]:
    """Return the skill names that the texts mention, whole words only.

    A text is split into phrases and each phrase into the same comparison tokens as skill names, so
    "R" is not found in "React", "Go" not in "Google", and "C++", "C#", ".NET" only as themselves.
    Where names overlap, the longest wins: "Team Leadership" in the text does not also count as
    "Leadership", "Management Consulting" not as "Consulting".
    """
    phrases = [phrase for text in texts for phrase in _PHRASE_END.split(text) if phrase.strip()]
    tokens = [variant_tokens(key(phrase)) for phrase in phrases]
    patterns = {name: _patterns(name) for name in set(names)}
    sizes = {len(pattern.tokens) for found in patterns.values() for pattern in found}
    where: dict[tuple[str, ...], list[tuple[int, int]]] = {}  # every n-gram of the wanted sizes
    for p, phrase_tokens in enumerate(tokens):
        for size in sizes:
            for t in range(len(phrase_tokens) - size + 1):
                where.setdefault(phrase_tokens[t : t + size], []).append((p, t))
    spans: dict[tuple[int, int, int], set[str]] = {}
    for name, name_patterns in patterns.items():
        for pattern in name_patterns:
            for p, t in where.get(pattern.tokens, ()):
                if pattern.exact is None or pattern.exact.search(phrases[p]):
                    spans.setdefault((p, t, t + len(pattern.tokens)), set()).add(name)
    found: set[str] = set()
    taken: set[tuple[int, int]] = set()
    for p, start, end in sorted(spans, key=lambda span: (span[1] - span[2], span)):
        cells = {(p, t) for t in range(start, end)}
        if cells & taken:
            continue
        taken |= cells
        found |= spans[(p, start, end)]
    return found


def _word_checks(audit: Audit, texts: list[str]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Return (endorsed skills the words claim but the list lacks, listed skills the words never mention)."""
    listed = set(audit.export.listed_skills)
    matched = {s.verdict.name: s.verdict.matched for s in audit.skills if s.verdict.matched is not None}
    unlisted = {s.verdict.name: s.endorsements for s in audit.skills if s.verdict.matched is None}
    found = find_in_words(listed | set(matched) | set(unlisted), texts)
    claimed_listed = {name for name in found if name in listed} | {matched[n] for n in found if n in matched}
    # Two unlisted spellings of one skill ("Economics", "Economics ") are one claim: the most endorsed.
    claims: dict[str, str] = {}
    for name in sorted((n for n in found if n in unlisted), key=lambda n: (-unlisted[n], n)):
        claims.setdefault(key(name), name)
    return _sorted(claims.values()), _sorted(listed - claimed_listed)


# --- Endorsements the member gave ---------------------------------------------------------------


def given_check(export: Export) -> GivenCheck | None:
    """Return the member's PENDING endorsements grouped by person; None without Endorsement_Given_Info.csv."""
    if export.given is None:
        return None
    people: dict[str, list[Any]] = {}
    for endorsement in export.given:
        if endorsement.status != "PENDING":
            continue
        who = endorsement.slug or "name:" + fold_name(endorsement.endorsee)
        people.setdefault(who, []).append(endorsement)
    pending = []
    for rows in people.values():
        first = min(rows, key=lambda e: (e.date, e.endorsee))
        pending.append(
            PendingPerson(
                first.endorsee or "(no name)",
                profile_url(first.slug),
                _sorted({e.skill for e in rows}),
                first.date,
            )
        )
    pending.sort(key=lambda p: (p.since, p.endorsee.casefold(), p.endorsee, p.profile_url or ""))
    return GivenCheck(
        given=len(export.given),
        pending_count=sum(1 for e in export.given if e.status == "PENDING"),
        pending=tuple(pending),
    )


# --- Connection requests and connections --------------------------------------------------------


def _sent_at(text: str) -> datetime | None:
    """Return Invitations.csv's "M/D/YY, h:mm AM" as a datetime, for sorting only; None otherwise."""
    try:
        return datetime.strptime(text.strip(), "%m/%d/%y, %I:%M %p")
    except ValueError:
        return None


def _newest_first(people: list[Requester]) -> tuple[Requester, ...]:
    def order(r: Requester) -> tuple[bool, float, str, str]:
        when = _sent_at(r.sent_at)
        return (when is None, -when.timestamp() if when else 0.0, r.name.casefold(), r.sent_at)

    return tuple(sorted(people, key=order))


def _other_side(invitation: Invitation) -> tuple[str, str]:
    """Return the name and slug of the person the member exchanged the request with."""
    if invitation.direction == "INCOMING":
        return invitation.sender, invitation.sender_slug
    return invitation.recipient, invitation.recipient_slug


def invitation_check(export: Export) -> InvitationCheck | None:
    """Return the requests without a note, in and out; None without Invitations.csv."""
    if export.invitations is None:
        return None
    incoming = [i for i in export.invitations if i.direction == "INCOMING"]
    outgoing = [i for i in export.invitations if i.direction == "OUTGOING"]

    def without_note(invitations: list[Invitation]) -> list[Requester]:
        return [
            Requester(_other_side(i)[0] or "(no name)", profile_url(_other_side(i)[1]), i.sent_at)
            for i in invitations
            if not i.message.strip()
        ]

    # Did each current connection begin with a request that had a note? (Any note with them counts.)
    with_note: dict[str, bool] = {}
    if export.has_connections:
        for invitation in export.invitations:
            name, slug = _other_side(invitation)
            if slug and export.connections:
                who = slug if slug in export.connections else None
            else:
                who = "name:" + fold_name(name) if fold_name(name) in export.connection_names else None
            if who is not None:
                with_note[who] = with_note.get(who, False) or bool(invitation.message.strip())
    incoming_people = without_note(incoming)
    outgoing_people = without_note(outgoing)
    return InvitationCheck(
        incoming=len(incoming),
        incoming_without_note=len(incoming_people),
        outgoing=len(outgoing),
        outgoing_without_note=len(outgoing_people),
        connections_with_request=len(with_note),
        connections_without_note=sum(1 for noted in with_note.values() if not noted),
        incoming_without_note_people=_newest_first(incoming_people),
        outgoing_without_note_people=_newest_first(outgoing_people),
    )


def connection_check(audit: Audit) -> ConnectionCheck | None:
    """Return the endorsers who are not connections and the hidden profiles; None without Connections.csv."""
    export = audit.export
    if not export.has_connections:
        return None
    # Fold names once per distinct (slug, name) pair, not once per endorsement: exports reach millions.
    pairs = (
        audit.endorsements.groupby(["slug", "endorser"], sort=False)
        .agg(stranger=("is_connection", "first"), endorsements=("skill", "size"), hide=("hide", "sum"))
        .reset_index()
    )
    pairs["who"] = endorser_ids(pairs)
    strangers = pairs[(pairs["stranger"] == False).to_numpy(dtype=bool)]  # noqa: E712
    per_person = strangers.groupby("who", sort=True).agg(
        name=("endorser", "first"), slug=("slug", "first"), endorsements=("endorsements", "sum"), hide=("hide", "sum")
    )
    people = [
        Stranger(name or "(no name)", profile_url(slug), int(count), int(hide))
        for name, slug, count, hide in zip(
            per_person["name"], per_person["slug"], per_person["endorsements"], per_person["hide"]
        )
    ]
    people.sort(key=lambda s: (-s.endorsements, s.name.casefold(), s.name, s.profile_url or ""))
    return ConnectionCheck(
        endorsers=int(pairs["who"].nunique()),
        endorsers_not_connections=tuple(people),
        hidden_connections=export.hidden_connections,
    )
