"""The curated alias table (`data/aliases.csv`), extended by the user's config."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from functools import lru_cache
from importlib import resources

from endorse_audit.normalize import key, keys


class AliasTable:
    """Groups of comparison keys that name one skill ("js", "javascript"), with its standard name."""

    def __init__(self, pairs: Iterable[tuple[str, str]]) -> None:
        self._parent: dict[str, str] = {}
        pairs = [(alias, skill) for alias, skill in pairs if keys(skill)]
        # A key that two different skills claim ("GCP": Google Cloud Platform, Good Clinical
        # Practice) is ambiguous: it joins no group rather than gluing both skills together.
        claims: dict[str, set[str]] = {}
        for alias, skill in pairs:
            for claimed in keys(alias) | keys(skill):
                claims.setdefault(claimed, set()).add(key(skill))
        self._ambiguous = {k for k, skills in claims.items() if len(skills) > 1}
        skills: list[tuple[str, str]] = []  # (the main key of the skill, its standard name)
        for alias, skill in pairs:
            skill_key = key(skill)
            if skill_key in self._ambiguous:
                continue
            skills.append((skill_key, skill))
            self._find(skill_key)
            for other_key in (keys(skill) | keys(alias)) - self._ambiguous:
                self._union(skill_key, other_key)
        self._standard: dict[str, str] = {}
        for skill_key, skill in skills:  # the first row naming a group gives its standard name
            self._standard.setdefault(self._find(skill_key), skill)

    def _find(self, item: str) -> str:
        parent = self._parent.setdefault(item, item)
        if parent != item:
            parent = self._parent[item] = self._find(parent)
        return parent

    def _union(self, a: str, b: str) -> None:
        root_a, root_b = self._find(a), self._find(b)
        if root_a != root_b:
            self._parent[max(root_a, root_b)] = min(root_a, root_b)

    def groups(self, name_keys: Iterable[str]) -> frozenset[str]:
        """Return the alias groups that any of these comparison keys belongs to."""
        return frozenset(self._find(k) for k in name_keys if k in self._parent and k not in self._ambiguous)

    def standard_name(self, name_keys: Iterable[str]) -> str | None:
        """Return the table's standard spelling of a skill, if the table knows it."""
        for group in sorted(self.groups(name_keys)):
            return self._standard.get(group)
        return None


def read_alias_csv(text: str) -> list[tuple[str, str]]:
    """Parse the alias CSV text (header `alias,skill`) into pairs."""
    rows = csv.DictReader(io.StringIO(text))
    return [(row["alias"], row["skill"]) for row in rows if row.get("alias") and row.get("skill")]


@lru_cache(maxsize=1)
def builtin_pairs() -> tuple[tuple[str, str], ...]:
    """Return the pairs shipped in the package, read once."""
    text = resources.files("endorse_audit").joinpath("data/aliases.csv").read_text("utf-8")
    return tuple(read_alias_csv(text))


def load_aliases(extra: Iterable[tuple[str, str]] = ()) -> AliasTable:
    """Return the shipped table with the user's extra (alias, skill) pairs added."""
    return _table(tuple(extra))


@lru_cache(maxsize=8)
def _table(extra: tuple[tuple[str, str], ...]) -> AliasTable:
    # Built once per set of extra pairs: building takes ~0.15 s and one run needs the table several times.
    return AliasTable([*builtin_pairs(), *extra])
