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

Building the table normalises every name in it (a few hundredths of a second, on every run), so the
built table is kept in the user's cache folder (`cache_file`) as JSON, keyed by a hash of everything it
is built from: the shipped CSV, the user's extra pairs and the code that builds it. A cache that is
missing, stale, damaged or cannot be written is ignored: the table is then built as before.
"""

from __future__ import annotations

import contextlib
import csv
import hashlib
import io
import json
import os
from collections.abc import Iterable
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from endorse_audit import files
from endorse_audit.names import normalize
from endorse_audit.names.normalize import key, keys, literal_key, variant_tokens
from endorse_audit.version import __version__

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
        self._finish()

    def _finish(self) -> None:
        """Index each group's keys (the last step of building, also from a cached state)."""
        self._members: dict[str, set[str]] = {}
        for k in list(self._parent):
            self._members.setdefault(self._find(k), set()).add(k)
        self._forms: dict[tuple[str, bool], frozenset[tuple[str, ...]]] = {}

    def state(self) -> dict[str, Any]:
        """Return what the table knows as plain JSON data (`from_state` rebuilds it)."""
        return {
            "groups": {k: self._find(k) for k in sorted(self._parent)},  # each key's group, paths compressed
            "generations": sorted(self._generations),
            "ambiguous": sorted(self._ambiguous),
            "standard": dict(sorted(self._standard.items())),
            "expansions": {k: sorted(groups) for k, groups in sorted(self._expansions.items())},
        }

    @classmethod
    def from_state(cls, state: dict[str, Any]) -> AliasTable:
        """Return the table `state()` describes; ValueError when it is not such a state."""
        groups, standard = _text_map(state["groups"]), _text_map(state["standard"])
        expansions = state["expansions"]
        if not isinstance(expansions, dict):
            raise ValueError("expansions")
        table = cls.__new__(cls)
        table._parent = groups
        table._generations = frozenset(_texts(state["generations"]))
        table._ambiguous = set(_texts(state["ambiguous"]))
        table._standard = standard
        table._expansions = {_text(k): frozenset(_texts(v)) for k, v in expansions.items()}
        if any(group not in groups or groups[group] != group for group in groups.values()):
            raise ValueError("groups")  # every key must point at a group's own key
        table._finish()
        return table

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
def builtin_text() -> str:
    """Return the alias CSV shipped in the package, read once."""
    return resources.files("endorse_audit").joinpath("data/aliases.csv").read_text("utf-8")


@lru_cache(maxsize=1)
def builtin_pairs() -> tuple[tuple[str, str], ...]:
    """Return the pairs shipped in the package, read once."""
    return tuple(read_alias_csv(builtin_text()))


def load_aliases(extra: Iterable[tuple[str, str]] = ()) -> AliasTable:
    """Return the shipped table with the user's extra (alias, skill) pairs added."""
    return _table(tuple(extra))


@lru_cache(maxsize=8)
def _table(extra: tuple[tuple[str, str], ...]) -> AliasTable:
    # Once per set of extra pairs and process: one run needs the table several times.
    path = cache_file()
    source = _source_hash(extra) if path is not None else None
    if path is not None and source is not None and (cached := _read_cache(path, source)) is not None:
        return cached
    table = AliasTable([*builtin_pairs(), *extra])
    if path is not None and source is not None:
        _write_cache(path, source, table)
    return table


# The cache file: a first line {"source": ..., "check": ...}, then the table's state as JSON. `source`
# hashes what the table is built from; `check` hashes the second line, so a damaged file is noticed.
_CACHE_NAME = "alias-table.json"


def cache_file() -> Path | None:
    """Return where the built table is cached: the platform's user cache folder (None: none known)."""
    import platformdirs

    try:
        return platformdirs.user_cache_path("endorse-audit", appauthor=False) / _CACHE_NAME
    except (OSError, RuntimeError, KeyError):  # no home folder to put it in
        return None


def _source_hash(extra: tuple[tuple[str, str], ...]) -> str | None:
    """Hash everything the table is built from: the shipped CSV, the extra pairs, the building code
    (None when the code cannot be read: then nothing is cached)."""
    digest = hashlib.sha256(f"endorse-audit {__version__} alias table 1\n".encode())
    for text in (builtin_text(), json.dumps(extra)):
        digest.update(text.encode("utf-8", "surrogatepass") + b"\0")
    try:
        for module in (__file__, normalize.__file__):  # an edited checkout keeps its version number
            digest.update(Path(module).read_bytes() + b"\0")
    except (OSError, TypeError):  # no source files (a frozen program)
        return None
    return digest.hexdigest()


def _read_cache(path: Path, source: str) -> AliasTable | None:
    """Return the cached table built from `source`, or None (missing, stale, damaged: all the same)."""
    try:
        head, body = path.read_bytes().split(b"\n", 1)
        header = json.loads(head)
        if header != {"source": source, "check": hashlib.sha256(body).hexdigest()}:
            return None
        return AliasTable.from_state(json.loads(body))
    except (OSError, ValueError, TypeError, KeyError, AttributeError, RecursionError):
        return None


def _write_cache(path: Path, source: str, table: AliasTable) -> None:
    """Write the table to the cache, owner-only, all or nothing; quietly give up when it cannot."""
    body = json.dumps(table.state(), ensure_ascii=False, separators=(",", ":")).encode("utf-8", "surrogatepass")
    header = json.dumps({"source": source, "check": hashlib.sha256(body).hexdigest()}).encode()
    temporary = path.with_name(f".{path.name}.{os.urandom(6).hex()}.tmp")
    try:
        files.private_folders(path.parent)
        files.create_private(temporary, header + b"\n" + body)
        os.replace(temporary, path)  # readers see the old file or the new one, never half of one
    except OSError:
        with contextlib.suppress(OSError):
            temporary.unlink(missing_ok=True)


def _text(value: object) -> str:
    if not isinstance(value, str):
        raise ValueError(repr(value))
    return value


def _texts(values: object) -> list[str]:
    if not isinstance(values, list):
        raise ValueError(repr(values))
    return [_text(value) for value in values]


def _text_map(values: object) -> dict[str, str]:
    if not isinstance(values, dict):
        raise ValueError(repr(values))
    return {_text(k): _text(v) for k, v in values.items()}
