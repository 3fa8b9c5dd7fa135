"""The shipped alias table: big enough, well-formed, and never ambiguous."""

from __future__ import annotations

from collections import defaultdict

from endorse_audit.aliases import builtin_pairs, load_aliases
from endorse_audit.normalize import key, keys


def test_table_has_at_least_200_entries() -> None:
    assert len(builtin_pairs()) >= 200


def test_no_alias_names_two_different_skills() -> None:
    skills_of: dict[str, set[str]] = defaultdict(set)
    for alias, skill in builtin_pairs():
        skills_of[key(alias)].add(key(skill))
    ambiguous = {alias: skills for alias, skills in skills_of.items() if len(skills) > 1}
    assert ambiguous == {}


def test_groups_never_merge_two_shipped_skills() -> None:
    """Transitive aliases must not glue two distinct canonical skills into one group."""
    table = load_aliases()
    group_of: dict[str, set[str]] = defaultdict(set)
    for _, skill in builtin_pairs():
        for group in table.groups(keys(skill)):
            group_of[group].add(key(skill))
    merged = {g: s for g, s in group_of.items() if len(s) > 1}
    assert merged == {}


def test_known_traps_are_not_aliases() -> None:
    table = load_aliases()
    for a, b in [
        ("Java", "JavaScript"),
        ("C", "C++"),
        ("C#", "C++"),
        ("Web Design", "Responsive Web Design"),
        ("Consulting", "Management Consulting"),
        ("Analytics", "Google Analytics"),
    ]:
        assert not table.groups(keys(a)) & table.groups(keys(b)), (a, b)


def test_standard_name_is_linkedins_spelling() -> None:
    table = load_aliases()
    assert table.standard_name(keys("JS")) == "JavaScript"
    assert table.standard_name(keys("K8s")) == "Kubernetes"
