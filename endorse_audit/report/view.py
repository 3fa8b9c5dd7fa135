"""What the HTML report shows, as plain sorted view objects: the template only loops over them.

Every presentation rule lives here: how many rows a table shows before "and N more", which hint is
worth showing, the chart's and the trend's geometry, percentages and sort keys.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import numpy as np
import pandas as pd

from endorse_audit.language import gettext as _
from endorse_audit.language import ngettext, number
from endorse_audit.model import (
    Audit,
    ConnectionCheck,
    GivenCheck,
    InvitationCheck,
    PendingPerson,
    Requester,
    SkillResult,
    Stranger,
)
from endorse_audit.names.people import fingerprints, member_id, profile_url, skills_url, tick_key
from endorse_audit.report import words
from endorse_audit.report.bounded import JSON, SHOWN, Bounded, bounded, bounded_map
from endorse_audit.report.context import context_view, percent
from endorse_audit.report.dates import When, day, when
from endorse_audit.report.history import compared, history_view, resolved_view
from endorse_audit.version import __version__

ROWS_PER_GROUP = SHOWN  # beyond this a group says "and N more, see the CSV"
MAX_ROWS = 4_000  # endorsement rows on the whole page (about 2.6 MiB of HTML)
MAX_GROUPS = SHOWN  # skills shown in "To hide"
MAX_PEOPLE = SHOWN  # people shown in "By endorser" (the CSV and the JSON have them all)
SKILLS_PER_PERSON = 8  # skills named per person in "To hide, by endorser", then "and N more"
CHART_BARS = 40  # skills drawn in the chart; the rest are summed up in one line
HINT_SCORE = 70  # a closest listed skill is shown as a hint only from this similarity on
# What LinkedIn's status says about an endorsement to hide, and so which steps hide it.
CASES = {"ACCEPTED": "accepted", "PENDING": "pending"}  # any other status (or none): "unknown"


@dataclass(frozen=True)
class PersonRow:
    """One endorsement as a row of the report."""

    endorser: str
    url: str | None
    date: When
    connected_on: When  # text "" when not a connection or unknown (is_connection tells which)
    is_connection: bool | None
    skill: str
    key: str  # the tick's key in the browser: this member's endorsement, whatever the export (people.tick_key)
    legacy_key: str  # the key ticks had before they outlived the export, to carry them over
    new: bool = False  # to hide and in no earlier run of the history (False on a first run, or without one)
    case: str = "unknown"  # which steps hide it (CASES): "accepted", "pending" or "unknown"
    no_context: bool = False  # a connection without context, or not a connection (known with Connections.csv)
    remove: bool = False  # a connection the member is told to remove (context.py): one cleanup covers both


@dataclass(frozen=True)
class SkillGroup:
    """The endorsements to hide for one skill the member never listed."""

    skill: str  # exactly as the export spells it (the filter's key)
    count: int
    hint: str | None  # the closest listed skill, when it is close enough to be worth saying
    rows: tuple[PersonRow, ...]
    more: int  # rows left out of the page (they are in the CSV)
    cases: tuple[tuple[str, int], ...] = ()  # (case, endorsements) for the rows shown, in CASE_ORDER
    lookalike: str | None = None  # the name is in letters that look Latin (see lookalike_note)


@dataclass(frozen=True)
class EndorserGroup:
    """One person and the unlisted skills they endorsed the member for."""

    endorser: str
    url: str | None
    connected_on: When
    is_connection: bool | None
    skills: tuple[str, ...]  # as shown: stripped, sorted, each once, SKILLS_PER_PERSON at most
    count: int
    latest: When
    more_skills: int = 0  # skills left out (the CSV and the JSON have them)


@dataclass(frozen=True)
class Bar:
    """One skill in the chart of endorsements per skill (its length computed here, not in the template)."""

    label: str  # the skill's whole name
    count: int
    kind: str  # "listed" (listed and near-duplicate spellings) or "unlisted" (to hide) or "allowed"
    width: float  # percent of the bar's track

    @property
    def title(self) -> str:
        values = {"label": self.label, "n": number(self.count)}
        if self.kind == "unlisted":
            return (
                ngettext(
                    "%(label)s: %(n)s endorsement (never listed)",
                    "%(label)s: %(n)s endorsements (never listed)",
                    self.count,
                )
                % values
            )
        return ngettext("%(label)s: %(n)s endorsement", "%(label)s: %(n)s endorsements", self.count) % values


@dataclass(frozen=True)
class Chart:
    """The bar chart: the skills with most endorsements, listed against unlisted."""

    bars: tuple[Bar, ...]
    more_skills: int
    more_endorsements: int
    listed_total: int
    unlisted_total: int


@dataclass(frozen=True)
class RequesterRow:
    """One connection request without a note, as a row of the report."""

    name: str
    profile_url: str | None
    sent_at: When


@dataclass(frozen=True)
class InvitationsView:
    """The connection requests panel."""

    check: InvitationCheck
    incoming_without_note_percent: int | None
    connections_without_note_percent: int | None
    incoming: Bounded[RequesterRow]  # received without a note
    outgoing: Bounded[RequesterRow]  # sent without a note
    waiting: Bounded[RequesterRow] | None  # received, still waiting, no note; None: no Connections.csv


@dataclass(frozen=True)
class ConnectionsView:
    """The endorsers who are not connections."""

    check: ConnectionCheck
    people: Bounded[Stranger]


CASE_ORDER = ("accepted", "pending", "unknown")


def report_view(audit: Audit, generated_at: datetime) -> dict[str, Any]:
    """Return everything the template shows, as plain sorted data."""
    table = audit.endorsements
    hide = table[table["hide"]]
    groups = _skill_groups(audit, hide, mark_new=compared(audit))
    checks = audit.checks
    shown_cases = {case for group in groups for case, _ in group.cases}
    return {
        "version": __version__,
        "generated_at": _("%(day)s, %(time)s UTC") % {"day": day(generated_at.date()), "time": f"{generated_at:%H:%M}"},
        "export": audit.export,
        "export_date": day(audit.export.date) if audit.export.date else None,
        "export_name": audit.export.name,
        "summary": audit.summary,
        "groups": groups,
        "new_rows": sum(row.new for group in groups for row in group.rows),  # the "only the new ones" switch
        "groups_more": sum(1 for s in audit.skills if s.to_hide) - len(groups),
        "cases": [case for case in CASE_ORDER if case in shown_cases],
        "by_endorser": _endorser_groups(hide),
        "spellings": bounded(_spellings(audit), JSON, shown=SHOWN, in_page=len(audit.skills)),
        "allowed": bounded([s for s in audit.skills if s.verdict.kind == "allowed"], JSON, SHOWN, len(audit.skills)),
        "profile_lists": _profile_lists(audit),
        "listed_rows": bounded_map(
            audit.listed,
            JSON,
            lambda s: ListedRow(s.name, s.endorsements, tuple(name.strip() or name for name in s.spellings)),
            in_page=len(audit.listed),  # the member's own list: all of it in the page
        ),
        "has_connections": audit.export.has_connections,
        "people_more": max(0, audit.summary.endorsers_to_hide - MAX_PEOPLE),
        "chart": _chart(audit),
        "skills_url": skills_url(audit.export.member_slug),
        "page_data": {
            "report": audit.export.content_hash[:16] or "report",  # where ticks were kept before (carried over)
            "exported": audit.export.date.isoformat() if audit.export.date else "",
        },
        "history": history_view(audit),
        "resolved": resolved_view(audit),
        "checks": checks,
        "pending": _pending_view(checks.given),
        "invitations": _invitations_view(checks.invitations),
        "connections": _connections_view(checks.connections),
        "context": context_view(checks.context),
    }


@dataclass(frozen=True)
class ListedRow:
    """A listed skill as its table shows it: the spellings it was endorsed as, without spaces around them."""

    name: str
    endorsements: int
    spellings: tuple[str, ...]


@dataclass(frozen=True)
class Spelling:
    """An endorsed spelling of a listed skill (a near-duplicate): counted for the listed skill, not to hide."""

    endorsed: str
    listed: str
    score: float | None
    endorsements: int


def _spellings(audit: Audit) -> list[Spelling]:
    """Return the near-duplicate spellings once (the profile's "merge" list holds the same ones), by listed skill."""
    return [
        Spelling(m.endorsed.strip() or m.endorsed, m.into, m.score, m.endorsements) for m in audit.checks.profile.merges
    ]


def _legacy_key(skill: str, endorser_id: str) -> str:
    return hashlib.sha256(f"{skill}\0{endorser_id}".encode()).hexdigest()[:16]


def _no_context(table: pd.DataFrame) -> pd.Series:
    """Return which endorsements come from a connection without context or from someone not a connection."""
    return table["context"].eq("") | table["is_connection"].eq(False)


def _person_rows(table: pd.DataFrame, member: str, mark_new: bool = False) -> tuple[PersonRow, ...]:
    skills, ids = table["skill"].tolist(), table["endorser_id"].tolist()
    keys = [tick_key(member, fingerprint) for fingerprint in fingerprints(skills, ids)]
    legacy = [_legacy_key(skill, who) for skill, who in zip(skills, ids)]
    news = table["new"] if mark_new else [False] * len(table)
    dates = {text: when(text) for text in set(table["date"]) | set(table["connected_on"])}
    return tuple(
        PersonRow(
            endorser or "(no name)",
            profile_url(slug),
            dates[endorsed],
            dates[connected_on],
            is_connection,
            skill,
            key,
            old_key,
            bool(new),
            CASES.get(status, "unknown"),
            bool(no_context),
            suggestion == "remove",
        )
        for (
            endorser,
            slug,
            endorsed,
            connected_on,
            is_connection,
            skill,
            key,
            old_key,
            new,
            status,
            no_context,
            suggestion,
        ) in zip(
            table["endorser"],
            table["slug"],
            table["date"],
            table["connected_on"],
            table["is_connection"],
            table["skill"],
            keys,
            legacy,
            news,
            table["status"],
            _no_context(table),
            table["suggestion"],
        )
    )


def _chart(audit: Audit) -> Chart:
    """Return the chart of endorsements per skill: listed skills by their spellings, unlisted ones apart."""
    counts: dict[tuple[str, str], int] = {}
    for listed in audit.listed:
        if listed.endorsements:
            counts[(listed.name.strip(), "listed")] = listed.endorsements
    for result in audit.skills:
        if result.verdict.kind in ("unlisted", "allowed") and result.endorsements:
            kind = result.verdict.kind
            counts[(result.verdict.name.strip(), kind)] = result.endorsements
    ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0][0].casefold(), item[0][1]))
    shown, rest = ranked[:CHART_BARS], ranked[CHART_BARS:]
    top = max((count for _, count in shown), default=1)
    bars = tuple(Bar(label, count, kind, round(100 * count / top, 2)) for (label, kind), count in shown)
    return Chart(
        bars,
        len(rest),
        sum(count for _, count in rest),
        sum(count for (_, kind), count in ranked if kind == "listed"),
        sum(count for (_, kind), count in ranked if kind == "unlisted"),
    )


def hint(result: SkillResult) -> str | None:
    """Return the closest listed skill when it is similar enough to be worth naming, else None."""
    score = result.verdict.score
    if result.verdict.closest and score is not None and score >= HINT_SCORE:
        return result.verdict.closest
    return None


def lookalike_note(result: SkillResult) -> str | None:
    """Return what to say of a name in lookalike letters ("Mixes Latin and Cyrillic letters: looks like
    “Python”, which you listed"), None for any other name."""
    if not result.scripts:
        return None
    if "Latin" in result.scripts:
        what = f"Mixes {' and '.join(result.scripts)} letters"
    else:
        what = f"Written in {' and '.join(result.scripts)} letters that look Latin"
    return f"{what}: looks like “{result.imitates}”, which you listed" if result.imitates else what


def _skill_groups(audit: Audit, hide: pd.DataFrame, *, mark_new: bool) -> list[SkillGroup]:
    """Return the "To hide, by skill" groups: newest first, at most ROWS_PER_GROUP rows each, MAX_ROWS in all.

    The table is sorted and grouped once, and the rows shown are built in one pass: a large export has
    hundreds of skills and hundreds of thousands of rows to hide.
    """
    # The new ones first (what the member has not seen yet), then those from someone the member never
    # exchanged a word with: the skills most surely made up.
    ordered = hide.assign(_new=hide["new"] & mark_new, _first=_no_context(hide)).sort_values(
        ["_new", "_first", "date", "endorser"], ascending=[False, False, False, True], kind="stable"
    )
    by_skill = ordered.groupby("skill", sort=False).indices if len(ordered) else {}
    plan: list[tuple[SkillResult, np.ndarray, int]] = []
    budget = MAX_ROWS  # rows on the whole page, so that a huge export still opens fast
    for result in audit.skills:
        if not result.to_hide or len(plan) >= MAX_GROUPS:
            continue
        positions = np.asarray(by_skill[result.verdict.name])
        shown = min(len(positions), ROWS_PER_GROUP, budget)
        budget -= shown
        plan.append((result, positions[:shown], len(positions)))
    chosen = np.concatenate([positions for _, positions, _ in plan]) if plan else np.array([], dtype=int)
    member = member_id(audit.export.member_name, audit.export.member_slug)
    rows = iter(_person_rows(ordered.iloc[chosen], member, mark_new))
    groups = []
    for result, positions, total in plan:
        group_rows = tuple(next(rows) for _ in range(len(positions)))
        cases = tuple((case, n) for case in CASE_ORDER if (n := sum(row.case == case for row in group_rows)))
        more = total - len(positions)
        name = result.verdict.name
        groups.append(SkillGroup(name, result.to_hide, hint(result), group_rows, more, cases, words.lookalike(result)))
    return groups


def _endorser_groups(hide: pd.DataFrame) -> list[EndorserGroup]:
    """Return the "To hide, by endorser" rows: who endorsed most skills never listed, MAX_PEOPLE at most."""
    if not len(hide):
        return []
    ids = hide["endorser_id"]
    sizes = ids.value_counts(sort=False)
    top = sorted(zip(sizes.index, sizes.to_numpy()), key=lambda item: (-item[1], item[0]))[:MAX_PEOPLE]
    chosen = hide[ids.isin([who for who, _ in top])]
    chosen_ids = ids[chosen.index]
    grouped = chosen.groupby(chosen_ids, sort=False)
    heads = grouped.nth(0)  # each person's first row, in the export's order
    head_of = {
        str(who): (str(name), str(slug), str(connected_on), is_connection)
        for who, name, slug, connected_on, is_connection in zip(
            chosen_ids[heads.index], heads["endorser"], heads["slug"], heads["connected_on"], heads["is_connection"]
        )
    }
    skills_of = {
        str(who): tuple(sorted({skill.strip() or skill for skill in column}, key=str.casefold))
        for who, column in grouped["skill"]
    }
    latest_of = {str(who): str(date) for who, date in grouped["date"].max().items()}
    groups = []
    for who, count in top:
        name, slug, connected_on, is_connection = head_of[str(who)]
        groups.append(
            EndorserGroup(
                name or "(no name)",
                profile_url(slug),
                when(connected_on),
                is_connection,
                skills_of[str(who)][:SKILLS_PER_PERSON],
                int(count),
                when(latest_of[str(who)]),
                max(0, len(skills_of[str(who)]) - SKILLS_PER_PERSON),
            )
        )
    return groups


def _profile_lists(audit: Audit) -> dict[str, Bounded[Any]]:
    """Return the skill profile's lists, bounded (each is of the member's skills: all of it in the page)."""
    profile = audit.checks.profile
    lists: dict[str, Any] = {
        "duplicates": profile.duplicates,
        "unendorsed": profile.unendorsed,
        "stranger_only": profile.stranger_only or (),
        "claimed_not_listed": profile.claimed_not_listed,
        "listed_not_claimed": profile.listed_not_claimed,
    }
    return {name: bounded(items, JSON, shown=SHOWN, in_page=len(items)) for name, items in lists.items()}


def _requester_row(requester: Requester) -> RequesterRow:
    return RequesterRow(requester.name, requester.profile_url, when(requester.sent_at))


def _pending_view(check: GivenCheck | None) -> Bounded[tuple[PendingPerson, When]]:
    """Return the people with pending endorsements the member gave, each with since when."""
    return bounded_map(() if check is None else check.pending, JSON, lambda person: (person, when(person.since)))


def _invitations_view(check: InvitationCheck | None) -> InvitationsView | None:
    if check is None:
        return None
    return InvitationsView(
        check,
        percent(check.incoming_without_note_share),
        percent(check.connections_without_note_share),
        bounded_map(check.incoming_without_note_people, JSON, _requester_row),
        bounded_map(check.outgoing_without_note_people, JSON, _requester_row),
        # mostly the people of `incoming` again: its first FEW in the page (nothing folded), the rest in the JSON
        None if check.waiting is None else bounded_map(check.waiting, JSON, _requester_row, in_page=0),
    )


def _connections_view(check: ConnectionCheck | None) -> ConnectionsView | None:
    if check is None:
        return None
    return ConnectionsView(check, bounded(check.endorsers_not_connections, JSON))
