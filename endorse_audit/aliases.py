"""The curated alias table (`data/aliases.csv`), extended by the user's config.

Each row names a spelling (`alias`) of a skill. What the table knows, beyond its groups of synonyms:

* Short forms that two skills claim ("PM": Project Management, Product Management) join no group.
  They are conditional: such a short form stands for whichever of its expansions is listed
  (`short_forms`), and never glues two skills together, so "Product Management" can never reach a
  listed "Project Management" through "PM".
* Generations: when two skills of the table have one comparison key but differ in their JS suffix
  ("AngularJS" and "Angular": the first framework and its successor), names with that key are
  compared with the JS kept (`key_of`). Elsewhere the suffix is only a spelling ("Vue.js" is "Vue").
* Words: a one-word alias also stands for its skill inside a longer name (`forms`), so "UX Research"
  meets "User Experience Research" and "K8s Administration" "Kubernetes Administration".
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from functools import lru_cache
from importlib import resources

from endorse_audit.normalize import key, keys, literal_key, variant_tokens

_MAX_FORMS = 64  # spellings of one name through one-word aliases; more would be a pathological name


class AliasTable:
    """Groups of comparison keys that name one skill ("js", "javascript"), with its standard name."""

    def __init__(self, pairs: Iterable[tuple[str, str]]) -> None:
        self._parent: dict[str, str] = {}
        pairs = [(alias, skill) for alias, skill in pairs if keys(skill)]
        spellings: dict[str, set[str]] = {}
        for _, skill in pairs:
            spellings.setdefault(key(skill), set()).add(literal_key(skill))
        self._generations = frozenset(k for k, literal in spellings.items() if len(literal) > 1)
        # A key that two different skills claim ("GCP": Google Cloud Platform, Good Clinical
        # Practice) is ambiguous: it joins no group rather than gluing both skills together.
        claims: dict[str, set[str]] = {}
        for alias, skill in pairs:
            for claimed in self.keys_of(alias) | self.keys_of(skill):
                claims.setdefault(claimed, set()).add(self.key_of(skill))
        self._ambiguous = {k for k, skills in claims.items() if len(skills) > 1}
        skills: list[tuple[str, str]] = []  # (the main key of the skill, its standard name)
        for alias, skill in pairs:
            skill_key = self.key_of(skill)
            if skill_key in self._ambiguous:
                continue
            skills.append((skill_key, skill))
            self._find(skill_key)
            for other_key in (self.keys_of(skill) | self.keys_of(alias)) - self._ambiguous:
                self._union(skill_key, other_key)
        self._standard: dict[str, str] = {}
        for skill_key, skill in skills:  # the first row naming a group gives its standard name
            self._standard.setdefault(self._find(skill_key), skill)
        # What an ambiguous short form can stand for: the groups of the skills that claim it.
        self._expansions = {
            k: frozenset(self._find(s) for s in claimed if s not in self._ambiguous)
            for k, claimed in claims.items()
            if k in self._ambiguous
        }
        self._members: dict[str, set[str]] = {}
        for k in list(self._parent):
            self._members.setdefault(self._find(k), set()).add(k)
        self._forms: dict[tuple[str, bool], frozenset[tuple[str, ...]]] = {}

    def key_of(self, name: str) -> str:
        """Return the name's main comparison key, keeping a JS suffix where it marks a generation."""
        main_key = key(name)
        literal = literal_key(name)
        if literal == main_key or not self._generations:
            return main_key
        if main_key in self._generations or any(
            word.endswith("js") and word[:-2] in self._generations for word in literal.split()
        ):
            return literal
        return main_key

    def keys_of(self, name: str) -> frozenset[str]:
        """Return the name's comparison keys (`normalize.keys`), its main key as `key_of` gives it."""
        main_key, found = key(name), keys(name)
        kept = self.key_of(name)
        if kept == main_key:
            return found
        # The qualifier spelled out after the name holds the folded key too: drop it with the key.
        return frozenset({kept} | {k for k in found if k != main_key and not k.startswith(main_key + " ")})

    def short_forms(self, name_keys: Iterable[str]) -> frozenset[str]:
        """Return the groups that an ambiguous short form among these keys can stand for."""
        return frozenset(group for k in name_keys for group in self._expansions.get(k, ()))

    def forms(self, comparison_key: str, *, short_forms: bool) -> frozenset[tuple[str, ...]]:
        """Return the name's other spellings through its one-word aliases, as variant tokens.

        Each word that is itself a key of the table may be written as any key of its group ("ux" as
        "user experience"); with `short_forms`, an ambiguous word also as each of its expansions.
        The name as written is not among them.
        """
        cache_key = (comparison_key, short_forms)
        if (found := self._forms.get(cache_key)) is not None:
            return found
        options: list[set[str]] = []
        for word in comparison_key.split():
            choices = {word}
            if word in self._parent and word not in self._ambiguous:
                choices |= self._members.get(self._find(word), set())
            if short_forms:
                for group in self._expansions.get(word, ()):
                    choices |= self._members.get(group, set())
            options.append(choices)
        spellings: list[str] = [""]
        for choices in options:
            spellings = [f"{before} {choice}".strip() for before in spellings for choice in sorted(choices)]
            spellings = spellings[:_MAX_FORMS]
        found = frozenset(variant_tokens(s) for s in spellings) - {variant_tokens(comparison_key)}
        self._forms[cache_key] = found
        return found

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
