"""Every list the report shows, bounded: a few items before a click (SHOWN at most), the next ones one
click away in the page (a closed <details>, templates/_bounded.html), the rest only in the CSV or the
JSON, which the page names. One piece for every list, so that a long export gives a short page."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

T = TypeVar("T")

SHOWN = 100  # no list shows more than this before a click
FEW = 25  # what a long list of the checks shows before a click (its first screen or so)
IN_PAGE = 75  # items of such a list in the page in all, shown or folded; the rest are in the CSV or JSON

CSV = ("the CSV", "--csv")
JSON = ("the JSON", "--json")
CONNECTIONS_CSV = ("the connections CSV", "--connections-csv")


@dataclass(frozen=True)
class Bounded(Generic[T]):
    """A list as the page shows it: `shown` first, `folded` one click away, `elsewhere` left out."""

    shown: tuple[T, ...]
    folded: tuple[T, ...]  # in the page, in a closed "Show N more"
    elsewhere: int  # not in the page: `where` has them all
    where: tuple[str, str]  # the output that has them all, and the option that writes it

    @property
    def total(self) -> int:
        return len(self.shown) + len(self.folded) + self.elsewhere

    def __len__(self) -> int:  # for the templates' "if list" and "| length" (the items in the page)
        return len(self.shown) + len(self.folded)


def bounded(
    items: Sequence[T], where: tuple[str, str], shown: int | None = None, in_page: int | None = None
) -> Bounded[T]:
    """Return `items` split into the first `shown` (FEW unless told, SHOWN at most), the next ones up to
    `in_page` in all (IN_PAGE unless told), and how many are left for `where` (the CSV or the JSON)."""
    first = min(FEW if shown is None else shown, SHOWN)
    upto = max(IN_PAGE if in_page is None else in_page, first)
    return Bounded(tuple(items[:first]), tuple(items[first:upto]), max(0, len(items) - upto), where)


U = TypeVar("U")


def bounded_map(
    items: Sequence[T], where: tuple[str, str], build: Callable[[T], U], **limits: int | None
) -> Bounded[U]:
    """Return `bounded(items)` with each item in the page built into its view by `build` (only those: a
    list of thousands builds a hundred)."""
    split = bounded(items, where, **limits)
    return Bounded(tuple(map(build, split.shown)), tuple(map(build, split.folded)), split.elsewhere, where)
