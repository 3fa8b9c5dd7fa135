"""The shipped alias table: big enough, well-formed, and never ambiguous."""

from __future__ import annotations

from collections import defaultdict

from endorse_audit.names.aliases import AliasTable, builtin_pairs, load_aliases
from endorse_audit.names.normalize import keys

# Short forms that several skills claim, on purpose: each stands only for whichever of its expansions
# is listed (the matcher's conditional aliases). Any other short form must name one skill.
CONDITIONAL = {
    "ar": {"accounts receivable", "augmented reality"},
    "cro": {"contract research organization", "conversion rate optimization"},
    "csm": {"certified scrummaster", "customer success management"},
    "dbt": {"dbt", "dialectical behavior therapy"},
    "ece": {"early childhood education", "electrical and computer engineering"},
    "gcp": {"good clinical practice", "google cloud platform"},
    "ia": {"information architecture", "internal audit"},
    "ib": {"international baccalaureate", "investment banking"},
    "ip": {"intellectual property", "internet protocol"},
    "lit": {"literature", "litigation"},
    "neuro": {"neurology", "neuroscience"},
    "pbl": {"problem based learning", "project based learning"},
    "pe": {"physical education", "private equity"},
    "pharma": {"pharmaceutical industry", "pharmaceuticals"},
    "pm": {"preventive maintenance", "product management", "project management"},
    "psych": {"psychiatry", "psychology"},
    "pt": {"personal training", "physical therapy"},
    "scm": {"software configuration management", "supply chain management"},
    "sem": {"scanning electron microscopy", "search engine marketing"},
    "sfx": {"sound effects", "special effects"},
    "tf": {"tensorflow", "terraform"},
}


def test_table_has_at_least_200_entries() -> None:
    assert len(builtin_pairs()) >= 200


def test_only_the_conditional_short_forms_name_two_different_skills() -> None:
    table = load_aliases()
    skills_of: dict[str, set[str]] = defaultdict(set)
    for alias, skill in builtin_pairs():
        for claimed in table.keys_of(alias) | table.keys_of(skill):
            skills_of[claimed].add(table.key_of(skill))
    ambiguous = {alias: skills for alias, skills in skills_of.items() if len(skills) > 1}
    assert ambiguous == CONDITIONAL


def test_groups_never_merge_two_shipped_skills() -> None:
    """Transitive aliases must not glue two distinct canonical skills into one group."""
    table = load_aliases()
    group_of: dict[str, set[str]] = defaultdict(set)
    for _, skill in builtin_pairs():
        for group in table.groups(table.keys_of(skill)):
            group_of[group].add(table.key_of(skill))
    merged = {g: s for g, s in group_of.items() if len(s) > 1}
    assert merged == {}


def test_a_conditional_short_form_joins_no_group_and_stands_for_each_expansion() -> None:
    table = load_aliases()
    assert table.groups(["pm"]) == frozenset()
    assert not table.groups(["project management"]) & table.groups(["product management"])
    expansions = table.short_forms(["pm"])
    assert table.groups(["project management"]) <= expansions
    assert table.groups(["product management"]) <= expansions
    assert table.short_forms(["project management"]) == frozenset()


def test_two_skills_that_differ_only_in_a_js_suffix_are_generations() -> None:
    table = load_aliases()
    assert table.key_of("AngularJS") == table.key_of("Angular.js") == "angularjs"
    assert table.key_of("Angular") == "angular"
    assert table.key_of("AngularJS Development") == "angularjs development"
    # Elsewhere the suffix is only a spelling: the table names no other product twice.
    assert table.key_of("Vue.js") == table.key_of("VueJS") == table.key_of("Vue") == "vue"
    assert AliasTable([("React.js", "React")]).key_of("ReactJS") == "react"


def test_one_word_aliases_stand_for_their_skill_inside_longer_names() -> None:
    table = load_aliases()
    assert ("user", "experiense", "research") in table.forms("ux research", short_forms=False)
    assert ("project", "management", "tool") not in table.forms("pm tool", short_forms=False)
    assert ("project", "management", "tool") in table.forms("pm tool", short_forms=True)
    assert ("pm", "tool") not in table.forms("pm tool", short_forms=True)  # not the name as written


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
