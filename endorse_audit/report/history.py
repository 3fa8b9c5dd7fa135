"""The report's history panel, as view objects: how many endorsements to hide are new and since when,
the trend of runs (its geometry computed here, not in the template), and what was dealt with since the
member's previous run."""

from __future__ import annotations

from dataclasses import dataclass

from endorse_audit.model import Audit
from endorse_audit.names.people import profile_url
from endorse_audit.report.bounded import FEW, JSON, Bounded, bounded
from endorse_audit.report.dates import day

TREND_RUNS = 60  # runs drawn in the report's trend (the latest ones)


_TREND_BOX = (480, 130, 44, 464, 12, 96)  # width, height, left, right, top, bottom of the plot


@dataclass(frozen=True)
class TrendPoint:
    """One run in the report's trend, its place in the drawing computed here, not in the template."""

    x: float
    y_hide: float
    y_new: float
    label: str  # the export's date (or the audit's, when the export's name has none), as `day()` writes it
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
    unowned: int = 0  # runs in the history that name no member: compared with none


@dataclass(frozen=True)
class ResolvedRow:
    """An endorsement to hide in the previous run that this export shows dealt with."""

    skill: str | None  # None: this export no longer names it (the history keeps hashes only)
    endorser: str | None
    url: str | None
    how: str  # "hidden" or "gone"


@dataclass(frozen=True)
class ResolvedView:
    """The "dealt with since the last run" section."""

    rows: Bounded[ResolvedRow]  # SHOWN_RESOLVED in the page at most (the JSON has them all)
    hidden: int
    gone: int
    since: str  # the previous export's date (or when it was audited, when its name has none)
    unnamed: bool  # some in the page are without a skill or a name
    total: int = 0  # all of them


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
            day(run.export_date or run.first_audited.date()),
            run.to_hide,
            run.new,
        )
        for index, run in enumerate(runs)
    )
    return HistoryView(
        new_to_hide=history.new_to_hide,
        to_hide=audit.summary.to_hide,
        since=day(history.previous.last_audited.date()) if history.previous else None,
        seen_before=day(history.seen_before.first_audited.date()) if history.seen_before else None,
        points=points,
        hide_line=" ".join(f"{p.x},{p.y_hide}" for p in points),
        new_line=" ".join(f"{p.x},{p.y_new}" for p in points),
        top=top,
        box=_TREND_BOX,
        unowned=history.unowned,
    )


SHOWN_RESOLVED = 100  # rows of "dealt with since the last run" in the page; the JSON has them all


def resolved_view(audit: Audit) -> ResolvedView | None:
    history = audit.history
    if history is None or history.compared_with is None or not history.resolved:
        return None
    basis = history.compared_with
    rows = tuple(
        ResolvedRow(
            r.skill, r.endorser if r.endorser is None else r.endorser or "(no name)", profile_url(r.slug), r.how
        )
        for r in history.resolved
    )
    hidden = sum(r.how == "hidden" for r in rows)
    in_page = rows[:SHOWN_RESOLVED]
    return ResolvedView(
        bounded(rows, JSON, shown=min(FEW, SHOWN_RESOLVED), in_page=SHOWN_RESOLVED),
        hidden,
        len(rows) - hidden,
        day(basis.export_date or basis.first_audited.date()),
        any(r.skill is None or r.endorser is None for r in in_page),
        len(rows),
    )


NAMED_NEW = 10  # new endorsements named by the terminal summary and the quiet output, the most recent


@dataclass(frozen=True)
class NewEndorsement:
    """A new endorsement to hide, as the terminal and the quiet output name it."""

    skill: str
    endorser: str
    why: str  # "not a connection", "no context", or "" (a connection with context, or unknown)


def compared(audit: Audit) -> bool:
    """Return whether a run of the same member's was compared with, so that some can be called new
    (not on a first run, nor without a history: then every one to hide counts as new, unnamed)."""
    return audit.history is not None and audit.history.previous is not None


def new_endorsements(audit: Audit) -> list[NewEndorsement]:
    """Return the new endorsements to hide, the most recent first; [] when nothing was compared with
    (a first run, or no history: then nothing is called new)."""
    if not compared(audit):
        return []
    table = audit.endorsements
    new = table[table["hide"] & table["new"]].sort_values(
        ["date", "skill", "endorser"], ascending=[False, True, True], kind="stable"
    )
    return [
        NewEndorsement(
            skill.strip() or skill,
            endorser or "(no name)",
            "not a connection" if is_connection is False else "no context" if context == "" else "",
        )
        for skill, endorser, is_connection, context in zip(
            new["skill"], new["endorser"], new["is_connection"], new["context"]
        )
    ]
