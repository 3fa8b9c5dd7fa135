"""The skill matcher: the development set, each verdict, the known traps, and its properties."""

from __future__ import annotations

import csv
import re
import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from endorse_audit.aliases import load_aliases
from endorse_audit.match import match_skills
from endorse_audit.normalize import clean, key, keys, split_parens

HERE = Path(__file__).parent
ALIASES = load_aliases()


def _read_dev_set() -> tuple[list[str], list[dict[str, str]]]:
    listed = [line.rstrip("\n") for line in (HERE / "matching-dev-listed.txt").open(encoding="utf-8") if line.strip()]
    with (HERE / "matching-dev-cases.csv").open(encoding="utf-8", newline="") as stream:
        return listed, list(csv.DictReader(stream))


def _judge(endorsed: list[str], listed: list[str], **options):  # type: ignore[no-untyped-def]
    return match_skills(endorsed, listed, ALIASES, **options)


def test_development_set_accuracy_and_no_false_matches() -> None:
    listed, cases = _read_dev_set()
    verdicts = _judge([c["endorsed"] for c in cases], listed)
    wrong = [
        (c["endorsed"], c["expected"], verdicts[c["endorsed"]].matched)
        for c in cases
        if (verdicts[c["endorsed"]].matched or "") != c["expected"]
    ]
    accuracy = 1 - len(wrong) / len(cases)
    assert accuracy >= 0.95, wrong
    false_matches = [c["endorsed"] for c in cases if not c["expected"] and verdicts[c["endorsed"]].matched]
    assert false_matches == []


def _held_out() -> list[tuple[str, list[str], list[dict[str, str]]]]:
    listed_file, cases_file = HERE / "matching-extra-listed.csv", HERE / "matching-extra-cases.csv"
    if not cases_file.exists():
        return []
    with listed_file.open(encoding="utf-8", newline="") as stream:
        rows = list(csv.DictReader(stream))
    with cases_file.open(encoding="utf-8", newline="") as stream:
        cases = list(csv.DictReader(stream))
    profiles = sorted({r["profile"] for r in rows})
    return [
        (p, [r["skill"] for r in rows if r["profile"] == p], [c for c in cases if c["profile"] == p]) for p in profiles
    ]


def test_held_out_profiles_accuracy_and_no_false_matches() -> None:
    """A second labelled set, written apart from the matcher, over other professions."""
    total = right = 0
    false_matches: list[tuple[str, str | None]] = []
    for _, listed, cases in _held_out():
        verdicts = _judge([c["endorsed"] for c in cases], listed)
        for case in cases:
            got = verdicts[case["endorsed"]].matched or ""
            total += 1
            right += got == case["expected"]
            if not case["expected"] and got:
                false_matches.append((case["endorsed"], got))
    assert total > 100
    assert right / total >= 0.9
    assert len(false_matches) <= total * 0.01, false_matches


@pytest.mark.parametrize(
    "endorsed, listed, verdict, method",
    [
        ("Python", "Python", "listed", "exact"),
        ("python ", "Python", "listed", "normalized"),
        ("Python", "Python (Programming Language)", "listed", "normalized"),
        ("AWS", "Amazon Web Services (AWS)", "listed", "normalized"),
        ("Amazon Web Services (AWS)", "AWS", "listed", "normalized"),
        ("JS", "JavaScript", "listed", "alias"),
        ("K8s", "Kubernetes", "listed", "alias"),
        ("Financial Modelling", "Financial Modeling", "near_duplicate", "fuzzy"),
        ("Microservice", "Microservices", "near_duplicate", "fuzzy"),
        ("Machine Lerning", "Machine Learning", "near_duplicate", "fuzzy"),
        ("Teamwork", "Team Work", "near_duplicate", "fuzzy"),
        ("Web Design", "Responsive Web Design", "unlisted", "none"),
        ("Consulting", "Management Consulting", "unlisted", "none"),
        ("Java", "JavaScript", "unlisted", "none"),
        ("C", "C++", "unlisted", "none"),
        ("C#", "C++", "unlisted", "none"),
        ("F#", "C#", "unlisted", "none"),
        ("React", "C++", "unlisted", "none"),
        ("Data Analytics", "Data Analysis", "unlisted", "none"),
        ("SASS", "SAS", "unlisted", "none"),
        ("Reserarch", "Python", "unlisted", "none"),
        ("Managment", "Management", "near_duplicate", "fuzzy"),
        ("UI/UX Design", "UX/UI Design", "near_duplicate", "fuzzy"),
        ("Data Analysys", "Data Analysis", "near_duplicate", "fuzzy"),
        ("Design UX", "UX Design", "near_duplicate", "fuzzy"),
        ("Reserach", "Research", "near_duplicate", "fuzzy"),
        ("MSSQL", "MySQL", "unlisted", "none"),
        ("Lending", "Landing", "unlisted", "none"),
        ("Product Management", "Project Management", "unlisted", "none"),
        ("React Native", "React", "unlisted", "none"),
        ("CSS2", "CSS3", "unlisted", "none"),
    ],
)
def test_verdicts(endorsed: str, listed: str, verdict: str, method: str) -> None:
    result = _judge([endorsed], [listed])[endorsed]
    assert (result.kind, result.method) == (verdict, method)
    assert result.matched == (listed if verdict in ("listed", "near_duplicate") else None)


def test_allowed_skill_is_kept_and_unlisted_gets_a_hint() -> None:
    verdicts = _judge(["Team Leadership", "Web Design"], ["Responsive Web Design"], allow=["team leadership"])
    assert verdicts["Team Leadership"].kind == "allowed"
    assert verdicts["Web Design"].closest == "Responsive Web Design"
    assert verdicts["Web Design"].score is not None


def test_config_aliases_extend_the_table() -> None:
    table = load_aliases([("Py", "Python")])
    assert match_skills(["Py"], ["Python"], table)["Py"].method == "alias"
    assert match_skills(["Py"], ["Python"], ALIASES)["Py"].kind == "unlisted"


def test_fuzzy_threshold_can_be_raised() -> None:
    assert _judge(["Machine Lerning"], ["Machine Learning"], threshold=99)["Machine Lerning"].kind == "unlisted"


def test_exact_listed_spelling_wins_over_a_duplicate_listing() -> None:
    result = _judge(["Javascript"], ["JavaScript", "Javascript"])["Javascript"]
    assert (result.matched, result.method) == ("Javascript", "exact")


skill_names = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), min_size=1, max_size=40)


@settings(max_examples=200, deadline=None)
@given(skill_names)
def test_normalising_is_idempotent(name: str) -> None:
    assert clean(clean(name)) == clean(name)
    assert key(key(name)) == key(name) or "(" in name or ")" in name


@settings(max_examples=150, deadline=None)
@given(st.lists(skill_names.filter(lambda s: key(s) != ""), min_size=1, max_size=8, unique=True))
def test_a_listed_skill_always_matches_itself(listed: list[str]) -> None:
    verdicts = _judge(listed, listed)
    assert all(v.kind == "listed" and v.method == "exact" for v in verdicts.values())


@settings(max_examples=60, deadline=None)
@given(st.lists(skill_names, min_size=1, max_size=10), st.randoms())
def test_order_of_input_does_not_change_the_verdicts(names: list[str], random) -> None:  # type: ignore[no-untyped-def]
    listed = ["Python (Programming Language)", "Data Analysis", "Web Design"]
    shuffled = names[:]
    random.shuffle(shuffled)
    assert _judge(names, listed) == _judge(shuffled, listed)


def test_keys_keep_symbols_that_make_a_different_skill() -> None:
    assert len({key(n) for n in ("C", "C++", "C#", "F#", ".NET")}) == 5
    assert keys("Amazon Web Services (AWS)") == {"amazon web services", "aws"}


_TRAILING_PARENS = re.compile(r"^(?P<main>.*\S)\s*\((?P<inner>[^()]*)\)\s*$")


def _split_parens_by_regex(name: str) -> tuple[str, tuple[str, ...]]:
    """How split_parens peeled parts before it walked the name once (quadratic in the name's length)."""
    main, inners = clean(name), []
    while (found := _TRAILING_PARENS.match(main)) is not None:
        main, inner = found["main"], found["inner"].strip()
        inners.insert(0, inner)
    return main, tuple(inners)


@settings(max_examples=500)
@given(st.text(alphabet="ab ()\t\u00a0AWS", max_size=16))
def test_split_parens_peels_as_the_regular_expression_did(name: str) -> None:
    assert split_parens(name) == _split_parens_by_regex(name)


def test_a_name_of_many_parenthesised_parts_costs_its_length() -> None:
    """800,000 characters of "(y)" groups: peeling by regex took 26 s, one walk takes under a second."""
    name = "Data Analysis" + " (y)" * 200_000
    started = time.process_time()
    main, inners = split_parens(name)
    assert (main, len(inners)) == ("Data Analysis", 200_000)
    assert keys(name) == {"data analysis"}  # "y" is no acronym of "Data Analysis"
    assert time.process_time() - started < 5
