"""What the report's context section shows ("Connections you never exchanged a word with"), as plain
view objects, and the one-line summary the terminal prints too. Every display rule of the section lives
here: the bars' geometry, percentages, how many people are listed before "and N more".
"""

from __future__ import annotations

from dataclasses import dataclass

from endorse_audit.model import ConnectionContext, ContextCheck, Signal
from endorse_audit.names.people import profile_url
from endorse_audit.report.bounded import CONNECTIONS_CSV, Bounded, bounded_map


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
class YearRow:
    """Connections made in one year and how many have context."""

    label: str
    connections: int
    with_context: int
    percent: int | None


@dataclass(frozen=True)
class ContextPerson:
    """One connection without context, as a row of the report."""

    name: str
    profile_url: str | None
    connected_on: str
    sort_key: str  # "YYYY-MM-DD", "" when the date could not be read
    company: str
    position: str


@dataclass(frozen=True)
class ContextView:
    """The "Connections you never exchanged a word with" section."""

    check: ContextCheck
    sentence: str
    bars: tuple[SignalBar, ...]
    years: tuple[YearRow, ...]
    people: Bounded[ContextPerson]  # the connections without context in the page; the CSV has them all


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
    years = tuple(
        YearRow(str(y.year) if y.year is not None else "date unknown", y.connections, y.with_context, percent(y.share))
        for y in check.by_year
    )
    people = bounded_map(check.without, CONNECTIONS_CSV, _person)
    return ContextView(check, context_sentence(check), bars, years, people)


def _person(person: ConnectionContext) -> ContextPerson:
    connection = person.connection
    return ContextPerson(
        connection.name,
        profile_url(connection.slug),
        connection.connected_on,
        connection.connected.isoformat() if connection.connected else "",
        connection.company,
        connection.position,
    )
