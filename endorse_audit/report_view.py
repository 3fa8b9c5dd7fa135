"""What the HTML report shows, as plain sorted view objects: the template only loops over them.

Every presentation rule lives here: how many rows a table shows before "and N more", which hint is
worth showing, the chart's and the trend's geometry, percentages and sort keys.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from endorse_audit import __version__
from endorse_audit.model import (
    Audit,
    ConnectionCheck,
    InvitationCheck,
    Requester,
    SkillResult,
    Stranger,
)
from endorse_audit.network import sent_at
from endorse_audit.people import profile_url, skills_url
from endorse_audit.report_context import context_view

ROWS_PER_GROUP = 200  # beyond this a group says "and N more, see the CSV"
MAX_ROWS = 5_000  # endorsement rows on the whole page
MAX_GROUPS = 500  # skills shown in "To hide"
MAX_PEOPLE = 1_000  # people shown in "By endorser"
SHOWN_PEOPLE = 200  # people listed per table of the checks; the JSON has them all
CHART_BARS = 40  # skills drawn in the chart; the rest are summed up in one line
CHART_ROW = 22  # pixels per bar
HINT_SCORE = 70  # a closest listed skill is shown as a hint only from this similarity on
TREND_RUNS = 60  # runs drawn in the report's trend (the latest ones)
_TREND_BOX = (480, 130, 44, 464, 12, 96)  # width, height, left, right, top, bottom of the plot


@dataclass(frozen=True)
class PersonRow:
    """One endorsement as a row of the report."""

    endorser: str
    url: str | None
    date: str
    connected_on: str
    is_connection: bool | None
    skill: str
    key: str  # stable id of this endorsement, for the "done" checkbox kept in the browser
    new: bool = False  # to hide and in no earlier run of the history (False on a first run, or without one)
    no_context: bool = False  # a connection without context, or not a connection (known with Connections.csv)


@dataclass(frozen=True)
class SkillGroup:
    """The endorsements to hide for one skill the member never listed."""

    skill: str
    count: int
    hint: str | None  # the closest listed skill, when it is close enough to be worth saying
    rows: tuple[PersonRow, ...]
    more: int  # rows left out of the page (they are in the CSV)


@dataclass(frozen=True)
class EndorserGroup:
    """One person and the unlisted skills they endorsed the member for."""

    endorser: str
    url: str | None
    connected_on: str
    is_connection: bool | None
    skills: tuple[str, ...]
    count: int
    latest: str


@dataclass(frozen=True)
class Bar:
    """One skill in the chart of endorsements per skill (geometry computed here, not in the template)."""

    label: str
    count: int
    kind: str  # "listed" (listed and near-duplicate spellings) or "unlisted" (to hide) or "allowed"
    y: int
    width: float  # percent of the plot width


@dataclass(frozen=True)
class Chart:
    """The bar chart: the skills with most endorsements, listed against unlisted."""

    bars: tuple[Bar, ...]
    height: int
    more_skills: int
    more_endorsements: int
    listed_total: int
    unlisted_total: int


@dataclass(frozen=True)
class TrendPoint:
    """One run in the report's trend, its place in the drawing computed here, not in the template."""

    x: float
    y_hide: float
    y_new: float
    label: str  # the export's date (or the audit's, when the export's name has none)
    to_hide: int
    new: int


@dataclass(frozen=True)
class HistoryView:
    """What the report says about the history: how many are new since when, and the trend."""

    new_to_hide: int
    to_hide: int
    since: str | None  # date of the previous run; None on the first one
    seen_before: str | None  # when this export was first audited, if it was before
    points: tuple[TrendPoint, ...]  # the latest TREND_RUNS runs; empty with fewer than two
    hide_line: str  # SVG polyline points
    new_line: str
    top: int  # the count at the top of the plot
    box: tuple[int, int, int, int, int, int]  # width, height, left, right, top, bottom


@dataclass(frozen=True)
class RequesterRow:
    """One connection request without a note, as a row of the report."""

    name: str
    profile_url: str | None
    sent_at: str  # as Invitations.csv writes it
    sort_key: str  # "YYYY-MM-DDTHH:MM" (the text as written when it is not a date)


@dataclass(frozen=True)
class InvitationsView:
    """The connection requests panel."""

    check: InvitationCheck
    incoming_without_note_percent: int | None
    connections_without_note_percent: int | None
    incoming_shown: tuple[RequesterRow, ...]
    incoming_more: int


@dataclass(frozen=True)
class ConnectionsView:
    """The endorsers who are not connections."""

    check: ConnectionCheck
    shown: tuple[Stranger, ...]
    more: int


def report_view(audit: Audit, generated_at: datetime) -> dict[str, Any]:
    """Return everything the template shows, as plain sorted data."""
    table = audit.endorsements
    hide = table[table["hide"]]
    groups = _skill_groups(audit, hide, mark_new=audit.history is not None and audit.history.previous is not None)
    checks = audit.checks
    return {
        "version": __version__,
        "generated_at": generated_at.strftime("%Y-%m-%d %H:%M"),
        "export": audit.export,
        "export_name": Path(audit.export.path).name,
        "summary": audit.summary,
        "groups": groups,
        "groups_more": sum(1 for s in audit.skills if s.to_hide) - len(groups),
        "by_endorser": _endorser_groups(hide),
        "near_duplicates": [s for s in audit.skills if s.verdict.kind == "near_duplicate"],
        "allowed": [s for s in audit.skills if s.verdict.kind == "allowed"],
        "listed": audit.listed,
        "has_connections": audit.export.has_connections,
        "people_more": max(0, audit.summary.endorsers_to_hide - MAX_PEOPLE),
        "chart": _chart(audit),
        "skills_url": skills_url(audit.export.member_slug),
        "page_data": {"report": audit.export.content_hash[:16] or "report"},
        "history": history_view(audit),
        "checks": checks,
        "invitations": _invitations_view(checks.invitations),
        "connections": _connections_view(checks.connections),
        "context": context_view(checks.context),
    }


def _row_key(skill: str, endorser_id: str) -> str:
    return hashlib.sha256(f"{skill}\0{endorser_id}".encode()).hexdigest()[:16]


def _no_context(table: pd.DataFrame) -> pd.Series:
    """Return which endorsements come from a connection without context or from someone not a connection."""
    return table["context"].eq("") | table["is_connection"].eq(False)


def _person_rows(table: pd.DataFrame, mark_new: bool = False) -> tuple[PersonRow, ...]:
    keys = [_row_key(skill, who) for skill, who in zip(table["skill"], table["endorser_id"])]
    news = table["new"] if mark_new else [False] * len(table)
    return tuple(
        PersonRow(
            endorser or "(no name)",
            profile_url(slug),
            date,
            connected_on,
            is_connection,
            skill,
            key,
            bool(new),
            bool(no_context),
        )
        for endorser, slug, date, connected_on, is_connection, skill, key, new, no_context in zip(
            table["endorser"],
            table["slug"],
            table["date"],
            table["connected_on"],
            table["is_connection"],
            table["skill"],
            keys,
            news,
            _no_context(table),
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
    bars = tuple(
        Bar(_shorten(label, 21), count, kind, index * CHART_ROW, round(100 * count / top, 2))
        for index, ((label, kind), count) in enumerate(shown)
    )
    return Chart(
        bars,
        len(bars) * CHART_ROW,
        len(rest),
        sum(count for _, count in rest),
        sum(count for (_, kind), count in ranked if kind == "listed"),
        sum(count for (_, kind), count in ranked if kind == "unlisted"),
    )


def _hint(result: SkillResult) -> str | None:
    """Return the closest listed skill when it is similar enough to be worth naming, else None."""
    score = result.verdict.score
    if result.verdict.closest and score is not None and score >= HINT_SCORE:
        return result.verdict.closest
    return None


def _shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _skill_groups(audit: Audit, hide: pd.DataFrame, *, mark_new: bool) -> list[SkillGroup]:
    """Return the "To hide, by skill" groups: newest first, at most ROWS_PER_GROUP rows each, MAX_ROWS in all.

    The table is sorted and grouped once, and the rows shown are built in one pass: a large export has
    hundreds of skills and hundreds of thousands of rows to hide.
    """
    # Those from someone the member never exchanged a word with first: the skills most surely made up.
    ordered = hide.assign(_first=_no_context(hide)).sort_values(
        ["_first", "date", "endorser"], ascending=[False, False, True], kind="stable"
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
    rows = iter(_person_rows(ordered.iloc[chosen], mark_new))
    return [
        SkillGroup(
            result.verdict.name,
            result.to_hide,
            _hint(result),
            tuple(next(rows) for _ in range(len(positions))),
            total - len(positions),
        )
        for result, positions, total in plan
    ]


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
    skills_of = {str(who): tuple(sorted(set(column), key=str.casefold)) for who, column in grouped["skill"]}
    latest_of = {str(who): str(date) for who, date in grouped["date"].max().items()}
    groups = []
    for who, count in top:
        name, slug, connected_on, is_connection = head_of[str(who)]
        groups.append(
            EndorserGroup(
                name or "(no name)",
                profile_url(slug),
                connected_on,
                is_connection,
                skills_of[str(who)],
                int(count),
                latest_of[str(who)],
            )
        )
    return groups


def history_view(audit: Audit) -> HistoryView | None:
    """Return the report's history panel for an audit, None when it was run without a history."""
    history = audit.history
    if history is None:
        return None
    _, _, left, right, top_y, bottom_y = _TREND_BOX
    runs = history.runs[-TREND_RUNS:] if len(history.runs) >= 2 else ()
    top = max((run.to_hide for run in runs), default=0) or 1
    step = (right - left) / max(len(runs) - 1, 1)

    def y(count: int) -> float:
        return round(bottom_y - (bottom_y - top_y) * count / top, 1)

    points = tuple(
        TrendPoint(
            round(left + index * step, 1),
            y(run.to_hide),
            y(run.new),
            (run.export_date or run.first_audited.date()).isoformat(),
            run.to_hide,
            run.new,
        )
        for index, run in enumerate(runs)
    )
    return HistoryView(
        new_to_hide=history.new_to_hide,
        to_hide=audit.summary.to_hide,
        since=history.previous.last_audited.date().isoformat() if history.previous else None,
        seen_before=history.seen_before.first_audited.date().isoformat() if history.seen_before else None,
        points=points,
        hide_line=" ".join(f"{p.x},{p.y_hide}" for p in points),
        new_line=" ".join(f"{p.x},{p.y_new}" for p in points),
        top=top,
        box=_TREND_BOX,
    )


def _percent(share: float | None) -> int | None:
    return None if share is None else round(share * 100)


def _requester_row(requester: Requester) -> RequesterRow:
    when = sent_at(requester.sent_at)
    sort_key = when.strftime("%Y-%m-%dT%H:%M") if when else requester.sent_at
    return RequesterRow(requester.name, requester.profile_url, requester.sent_at, sort_key)


def _invitations_view(check: InvitationCheck | None) -> InvitationsView | None:
    if check is None:
        return None
    people = check.incoming_without_note_people
    return InvitationsView(
        check,
        _percent(check.incoming_without_note_share),
        _percent(check.connections_without_note_share),
        tuple(_requester_row(r) for r in people[:SHOWN_PEOPLE]),
        max(0, len(people) - SHOWN_PEOPLE),
    )


def _connections_view(check: ConnectionCheck | None) -> ConnectionsView | None:
    if check is None:
        return None
    people = check.endorsers_not_connections
    return ConnectionsView(check, people[:SHOWN_PEOPLE], max(0, len(people) - SHOWN_PEOPLE))
