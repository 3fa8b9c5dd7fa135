"""What the report's "Your connections" section shows (context, and keep, review or remove for each
connection), as plain view objects, and the summary lines the terminal prints too. Every display rule of
the section lives here: the bars' geometry, percentages, how many people are listed and how many folded.
"""

from __future__ import annotations

from dataclasses import dataclass

from endorse_audit.checks.suggestions import least_context_first, suggestion_counts
from endorse_audit.model import SUGGESTIONS, ConnectionContext, ContextCheck, Signal, Suggestion
from endorse_audit.names.people import profile_url
from endorse_audit.report.bounded import CONNECTIONS_CSV, Bounded, bounded_map

BAR_ROW = 22  # pixels per bar of the chart by year
YEAR_BAR = 300  # pixels of the longest bar in the chart by year
# The chart's colours for each suggestion (the classes of the chart of endorsements per skill).
SUGGESTION_CLASSES: dict[Suggestion, str] = {"keep": "listed", "review": "allowed", "remove": "unlisted"}


def percent(share: float | None) -> int | None:
    return None if share is None else round(share * 100)


SIGNAL_LABELS: dict[Signal, str] = {
    "note": "a note on the request",
    "messages": "a message",
    "endorsed_by_you": "endorsed by you",
    "recommendations": "a recommendation",
}
_NO_SIGNAL: dict[Signal, str] = {
    "note": "no note",
    "messages": "no message",
    "endorsed_by_you": "no endorsement from you",
    "recommendations": "no recommendation",
}


def context_sentence(check: ContextCheck) -> str:
    """Return the one-line summary: how many connections have no context, and what that means."""
    known = [signal for signal, count in check.signals if count is not None]
    without = percent(check.without_context_share)
    share = f" ({without}%)" if without is not None else ""
    sentence = (
        f"{check.without_context} of {check.total} connections{share} have no context: "
        + ", ".join(_NO_SIGNAL[signal] for signal in known)
        if known
        else f"{check.total} connections, no file to tell their context"
    )
    if check.missing:
        sentence += " (not checked: " + ", ".join(file for _, file in check.missing) + " not in the export)"
    return sentence


def suggestions_sentence(check: ContextCheck) -> str:
    """Return the terminal's line: "keep 120 · review 410 · remove 3,239 of 3,769 connections"."""
    counts = suggestion_counts(check)
    return " · ".join(f"{wanted} {counts[wanted]:,}" for wanted in SUGGESTIONS) + f" of {check.total:,} connections"


@dataclass(frozen=True)
class SignalBar:
    """One signal in the context chart: how many connections have it (its length computed here)."""

    label: str
    count: int | None  # None: the file that tells is not in the export
    needs: str | None  # that file
    kind: str  # "listed" (a signal) or "unlisted" (no context at all): the chart's colours
    width: float  # percent of the bar's track: the share of all connections
    total: int = 0  # all connections

    @property
    def title(self) -> str:
        if self.count is None:
            return f"{self.label}: unknown (needs {self.needs})"
        return f"{self.label}: {self.count} of {self.total} connections"


@dataclass(frozen=True)
class Segment:
    """One suggestion's part of a year's bar: where it starts and how wide it is, in pixels."""

    suggestion: Suggestion
    kind: str  # the chart's colour (SUGGESTION_CLASSES)
    count: int
    x: float
    width: float


@dataclass(frozen=True)
class YearRow:
    """Connections made in one year, how many have context, and their suggestions as a bar."""

    label: str
    connections: int
    with_context: int
    percent: int | None
    segments: tuple[Segment, ...]  # keep, review, remove
    y: int
    end: float  # where the bar ends: its count is written after it


@dataclass(frozen=True)
class ContextPerson:
    """One connection as a row of the report's lists."""

    name: str
    profile_url: str | None
    connected_on: str
    sort_key: str  # "YYYY-MM-DD", "" when the date could not be read
    company: str
    position: str
    reason: str
    score: float


@dataclass(frozen=True)
class ContextView:
    """The "Your connections" section."""

    check: ContextCheck
    sentence: str
    bars: tuple[SignalBar, ...]
    years: tuple[YearRow, ...]
    years_height: int
    counts: dict[Suggestion, int]
    remove: Bounded[ContextPerson]  # least context first; the connections CSV has them all
    review: Bounded[ContextPerson]
    messages_missing: bool  # without messages.csv nobody is suggested for removal


def context_view(check: ContextCheck | None) -> ContextView | None:
    """Return the context section: counts per signal as bars, the trend by year, the people without context."""
    if check is None:
        return None
    total = check.total or 1
    files = dict(check.missing)
    rows: list[tuple[str, int | None, str | None, str]] = [
        (SIGNAL_LABELS[signal], count, files.get(signal), "listed") for signal, count in check.signals
    ]
    rows.append(("no context at all", check.without_context, None, "unlisted"))
    bars = tuple(
        SignalBar(label, count, needs, kind, round(100 * (count or 0) / total, 2), check.total)
        for label, count, needs, kind in rows
    )
    ordered = least_context_first(check.people)
    return ContextView(
        check,
        context_sentence(check),
        bars,
        _years(check),
        len(check.by_year) * BAR_ROW,
        suggestion_counts(check),
        bounded_map([p for p in ordered if p.suggestion == "remove"], CONNECTIONS_CSV, _row),
        bounded_map([p for p in ordered if p.suggestion == "review"], CONNECTIONS_CSV, _row),
        any(signal == "messages" for signal, _ in check.missing),
    )


def _years(check: ContextCheck) -> tuple[YearRow, ...]:
    """Return each year's row: its counts, and its bar split by suggestion (the longest year spans YEAR_BAR)."""
    per_year: dict[int | None, dict[Suggestion, int]] = {}
    for person in check.people:
        year = person.connection.connected.year if person.connection.connected else None
        counts = per_year.setdefault(year, dict.fromkeys(SUGGESTIONS, 0))
        counts[person.suggestion] += 1
    longest = max((y.connections for y in check.by_year), default=1) or 1
    rows = []
    for index, y in enumerate(check.by_year):
        segments, x = [], 0.0
        for wanted, count in per_year.get(y.year, dict.fromkeys(SUGGESTIONS, 0)).items():
            width = round(YEAR_BAR * count / longest, 1)
            segments.append(Segment(wanted, SUGGESTION_CLASSES[wanted], count, round(x, 1), width))
            x += width
        label = str(y.year) if y.year is not None else "date unknown"
        rows.append(
            YearRow(
                label, y.connections, y.with_context, percent(y.share), tuple(segments), index * BAR_ROW, round(x, 1)
            )
        )
    return tuple(rows)


def _row(person: ConnectionContext) -> ContextPerson:
    connection = person.connection
    return ContextPerson(
        connection.name,
        profile_url(connection.slug),
        connection.connected_on,
        connection.connected.isoformat() if connection.connected else "",
        connection.company,
        connection.position,
        person.reason,
        person.score,
    )
