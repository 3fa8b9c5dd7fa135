"""Beyond endorsements: skill-profile consistency, pending endorsements given, requests without a note."""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import factory
import pytest
from conftest import ROOT, SAMPLE_CONFIG, SAMPLE_ZIP
from factory import ExportSpec, Person, Row
from hypothesis import event, example, given, settings
from hypothesis import strategies as st
from rapidfuzz import fuzz
from test_match import alike_names

from endorse_audit.audit import audit
from endorse_audit.checks.skill_profile import duplicate_skills, find_in_words
from endorse_audit.model import Audit, Checks, Duplicate
from endorse_audit.names.aliases import load_aliases
from endorse_audit.names.match import match_skills
from endorse_audit.names.normalize import key, keys, stem_signatures, variant_tokens
from endorse_audit.reading.export import load
from endorse_audit.report.json import audit_dict
from endorse_audit.report.render import render_html

ME = "https://www.linkedin.com/in/sam-rivera-5d21c8"
ANA = Person("Ana", "Sousa", "ana-sousa-1a2b3c")
BEN = Person("Ben", "Okoro", "ben-okoro-4d5e6f")
CAI = Person("Cai", "Wen", "cai-wen-7a8b9c")
DEV = Person("Dev", "Patel", None)  # no URL in the export
WHEN = "2024/03/18 14:02:51 UTC"


def _audit(tmp_path: Path, spec: ExportSpec, **options: Any) -> Audit:
    return audit(load(factory.write_zip(spec, tmp_path / "Basic_LinkedInDataExport_03-18-2024.zip", **options)))


def _checks(tmp_path: Path, spec: ExportSpec, **options: Any) -> Checks:
    return _audit(tmp_path, spec, **options).checks


def _checks_json(tmp_path: Path, spec: ExportSpec) -> dict[str, Any]:
    document = audit_dict(_audit(tmp_path, spec))
    return {key: document[key] for key in ("profile", "given", "invitations")}


def _spec(skills: list[str], received: list[Row], **fields: Any) -> ExportSpec:
    return ExportSpec(skills=skills, received=received, **fields)


# --- Skill-profile consistency ------------------------------------------------------------------


def test_duplicate_listed_skills_and_which_to_keep(tmp_path: Path) -> None:
    spec = _spec(
        [
            "JavaScript",
            "Python (Programming Language)",
            "Javascript",
            "Financial Modeling",
            "Python",
            "Java",
            "Financial Modelling",
            "SQL",
            "SQL",
        ],
        [
            Row(WHEN, "Javascript", ANA),
            Row(WHEN, "Javascript", BEN),
            Row(WHEN, "JavaScript", CAI),
            Row(WHEN, "Financial Modelling", ANA),
        ],
    )
    profile = _checks(tmp_path, spec).profile
    assert profile.duplicates == (
        Duplicate("Financial Modelling", ("Financial Modeling",), "most endorsements", None),
        Duplicate("Javascript", ("JavaScript",), "most endorsements", "JavaScript"),
        # No endorsements either way: LinkedIn's own spelling wins.
        Duplicate(
            "Python (Programming Language)",
            ("Python",),
            "LinkedIn's standard spelling",
            "Python (Programming Language)",
        ),
        # The same text listed twice.
        Duplicate("SQL", ("SQL",), "LinkedIn's standard spelling", "SQL"),
    )
    # Java is not JavaScript: never a duplicate.
    assert all("Java" not in (d.keep, *d.drop) for d in profile.duplicates)


def test_duplicates_agree_with_the_matcher() -> None:
    aliases = load_aliases()
    listed = ["Kubernetes", "K8s", "Web Design", "Responsive Web Design", "Data Visualisation", "Data Visualization"]
    duplicates = duplicate_skills(listed, {}, aliases, 85.0)
    assert {(d.keep, d.drop) for d in duplicates} == {
        ("Kubernetes", ("K8s",)),
        ("Data Visualisation", ("Data Visualization",)),
    }
    for d in duplicates:
        for other in d.drop:
            assert match_skills([other], [d.keep], aliases)[other].matched == d.keep
    # And where the matcher sees two skills, so does this check.
    assert match_skills(["Web Design"], ["Responsive Web Design"], aliases)["Web Design"].matched is None


def _many_listed_skills(count: int) -> list[str]:
    """Return `count` listed skills: the alias table's real names, then misspellings of them."""
    rows = (ROOT / "endorse_audit" / "data" / "aliases.csv").read_text(encoding="utf-8").splitlines()[1:]
    names = sorted({name for row in rows for name in row.split(",")[:2]})
    rng = random.Random(3)
    listed = dict.fromkeys(names[:count])
    while len(listed) < count:
        name = rng.choice(names)
        at = rng.randrange(len(name))
        listed[name[:at] + rng.choice("aeiou") + name[at + 1 :] if rng.random() < 0.5 else name + name[at]] = None
    return list(listed)


def _duplicate_groups_pair_by_pair(
    listed: list[str], aliases: Any, threshold: float, asked: Callable[[str, str], bool] = lambda a, b: True
) -> set[frozenset[str]]:
    """The groups duplicate_skills finds, the slow way: each name asked by match_skills against every
    other one, or every other one that `asked` says it is asked about."""
    names = list(dict.fromkeys(listed))
    group = {name: {name} for name in names}
    for i, name in enumerate(names):
        others = [other for other in names[:i] + names[i + 1 :] if asked(name, other)]
        verdict = match_skills([name], others, aliases, threshold=threshold)[name]
        back = verdict.matched and match_skills([verdict.matched], [name], aliases, threshold=threshold)
        if verdict.matched is not None and back and back[verdict.matched].matched is not None:
            merged = group[name] | group[verdict.matched]
            for member in merged:
                group[member] = merged
    return {frozenset(members) for members in group.values() if len(members) > 1}


@pytest.mark.parametrize("threshold", [85.0, 70.0])
def test_duplicates_are_those_of_every_pair(threshold: float) -> None:
    aliases = load_aliases()
    listed = _many_listed_skills(400)
    found = {frozenset((d.keep, *d.drop)) for d in duplicate_skills(listed, {}, aliases, threshold)}
    assert found == _duplicate_groups_pair_by_pair(listed, aliases, threshold)


def _could_match(aliases: Any, threshold: float) -> Callable[[str, str], bool]:
    """Whom duplicate_skills asks a name about: the names sharing a key, an alias group or an activity
    stem with it, or as alike in spelling as the threshold (each pair compared on its own here)."""

    def compact(name: str) -> str:
        return "".join(variant_tokens(key(name)))

    def shared(name: str) -> set[str]:
        stems = stem_signatures(variant_tokens(key(name)))
        return {*keys(name), *("group:" + g for g in aliases.groups(keys(name))), *(f"stem:{s}" for s in stems)}

    return lambda a, b: bool(shared(a) & shared(b)) or fuzz.ratio(compact(a), compact(b)) >= threshold


@settings(max_examples=200, deadline=None)
@given(alike_names(), st.sampled_from([85.0, 70.0]))
@example(["Data Analysis", "Data Analysys", "Data Science", "Data Analyses"], 85.0)  # a typo plurals hide
@example(["Kubernetes", "K8s", "Amazon Web Services (AWS)", "AWS", "Accountancy", "Accounting"], 85.0)  # not alike
def test_duplicates_are_those_of_each_name_asked_alone(listed: list[str], threshold: float) -> None:
    """The index built once and the spelling test cut to pairs one edit apart find what asking the
    matcher about each name on its own found (the way duplicate_skills worked before)."""
    aliases = load_aliases()
    found = {frozenset((d.keep, *d.drop)) for d in duplicate_skills(listed, {}, aliases, threshold)}
    alone = _duplicate_groups_pair_by_pair(listed, aliases, threshold, _could_match(aliases, threshold))
    event("duplicates" if alone else "none")
    assert found == alone


@pytest.mark.slow
def test_thousands_of_listed_skills_take_a_moment() -> None:
    """LinkedIn allows 100; 5,000 took 7.5 s of CPU comparing every pair in Python (a bound, not a benchmark)."""
    listed = _many_listed_skills(5_000)
    started = time.process_time()
    duplicates = duplicate_skills(listed, {}, load_aliases(), 85.0)
    assert time.process_time() - started < 30
    assert len(duplicates) > 300


@pytest.mark.slow
def test_a_long_text_and_long_names_are_searched_without_every_n_gram() -> None:
    """A 3,000-word text against names of 1 to 199 words: every n-gram of every length took 2 GB at
    15,000 words; the names' tree is walked instead. The longest names still win."""
    names = [" ".join(["word"] * size) for size in range(1, 200)]
    started = time.process_time()
    found = find_in_words(names, [" ".join(["word"] * 3_000)])
    assert time.process_time() - started < 30  # a bound against the quadratic way, not a benchmark
    assert found == {names[198], names[3_000 - 15 * 199 - 1]}  # 15 spans of 199 words, then 15 words


def test_user_aliases_make_listed_skills_duplicates() -> None:
    extra = load_aliases([("Py", "Python")])
    assert duplicate_skills(["Python", "Py"], {}, extra, 85.0) == (
        # Neither is LinkedIn's spelling ("Python (Programming Language)") and neither is endorsed.
        Duplicate("Python", ("Py",), "listed first", "Python (Programming Language)"),
    )
    assert duplicate_skills(["Python", "Py"], {}, load_aliases(), 85.0) == ()


def test_unendorsed_and_merges(tmp_path: Path) -> None:
    spec = _spec(
        ["SQL", "Tableau", "Data Visualization", "Public Speaking", "JavaScript", "Javascript"],
        [
            Row(WHEN, "SQL", ANA),
            Row(WHEN, "Data Visualisation", ANA),
            Row(WHEN, "Data Visualisation", BEN),
            Row(WHEN, "JavaScript", BEN),
            Row(WHEN, "Blockchain", CAI),
        ],
    )
    profile = _checks(tmp_path, spec).profile
    # "Javascript" is left out: it is to be dropped as a duplicate anyway.
    assert profile.unendorsed == ("Public Speaking", "Tableau")
    assert [(m.endorsed, m.into, m.endorsements) for m in profile.merges] == [
        ("Data Visualisation", "Data Visualization", 2)
    ]


def test_skills_endorsed_only_by_strangers_need_connections(tmp_path: Path) -> None:
    spec = _spec(
        ["SQL", "Tableau", "Statistics"],
        [
            Row(WHEN, "SQL", ANA),
            Row(WHEN, "SQL", BEN),
            Row(WHEN, "Tableau", BEN),
            Row(WHEN, "Tableau", DEV),
            Row(WHEN, "Statistics", ANA),
        ],
        connections=[(ANA, "Northwind", "Analyst", "08 Feb 2024")],
    )
    profile = _checks(tmp_path, spec).profile
    assert profile.stranger_only is not None
    assert [(s.skill, s.endorsements, s.endorsers) for s in profile.stranger_only] == [
        ("Tableau", 2, ("Ben Okoro", "Dev Patel"))
    ]
    spec.connections = None
    assert _checks(tmp_path, spec).profile.stranger_only is None


def test_skill_count_against_the_limit(tmp_path: Path) -> None:
    spec = _spec([f"Skill {n}" for n in range(101)], [Row(WHEN, "Skill 1", ANA)])
    profile = _checks(tmp_path, spec).profile
    assert (profile.skill_count, profile.skill_limit) == (101, 100)
    assert "over the limit" in render_html(_audit(tmp_path, spec), datetime(2026, 1, 1, tzinfo=UTC))


# --- The member's own words ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "name, text, found",
    [
        ("R", "Built dashboards in React and Redux.", False),
        ("R", "Statistics in R and Python.", True),
        ("R", "Led R&D for three years.", False),
        ("Go", "Most of our services run on Google Cloud.", False),
        ("Go", "Ready to go the extra mile.", False),
        ("Go", "Backend services in Go and Rust.", True),
        ("Go (Programming Language)", "Backend services in Go and Rust.", True),
        ("Go", "A go-to-market plan.", False),
        ("C", "Embedded C++ developer.", False),
        ("C", "Firmware in C, some assembly.", True),
        ("C++", "Embedded C++ developer.", True),
        ("C++", "Embedded C developer.", False),
        ("C#", "Backend in C# and .NET.", True),
        (".NET", "Backend in C# and .NET.", True),
        (".NET", "Gross and net revenue.", False),
        ("Python", "python scripts", True),
        ("Python (Programming Language)", "PYTHON and SQL", True),
        ("Amazon Web Services (AWS)", "Runs on AWS.", True),
        ("Node.js", "APIs in Node.js.", True),
        ("Java", "Front ends in JavaScript.", False),
        ("Financial Modeling", "Financial modelling for banks.", True),
    ],
)
def test_skill_names_are_found_as_whole_words(name: str, text: str, found: bool) -> None:
    assert (name in find_in_words([name], [text])) is found


def test_the_longest_name_wins_where_names_overlap() -> None:
    names = ["Leadership", "Team Leadership", "Consulting", "Management Consulting"]
    assert find_in_words(names, ["Team Leadership | Management Consulting"]) == {
        "Team Leadership",
        "Management Consulting",
    }
    assert find_in_words(names, ["Team Leadership; leadership that makes on-call boring"]) == {
        "Team Leadership",
        "Leadership",
    }


def test_claimed_not_listed_and_listed_not_claimed(tmp_path: Path) -> None:
    spec = _spec(
        ["Python (Programming Language)", "SQL", "Public Speaking", "JavaScript", "Data Visualization"],
        [
            Row(WHEN, "Python", ANA),
            Row(WHEN, "JS", ANA),
            Row(WHEN, "Kubernetes", BEN),
            Row(WHEN, "Economics ", BEN),
            Row(WHEN, "Economics", CAI),
            Row(WHEN, "Economics", ANA),
            Row(WHEN, "Blockchain", CAI),
        ],
        profile=("Sam", "Rivera", "Platform engineer | Python, Kubernetes", "I read economics papers for fun."),
        positions=[("Harbor & Pine", "Engineer", "Front ends in JS; data visualisation dashboards.")],
    )
    profile = _checks(tmp_path, spec).profile
    assert profile.word_sources == ("Profile.csv", "Positions.csv")
    # Endorsed, never listed, written about; two spellings of Economics are one claim.
    assert profile.claimed_not_listed == ("Economics", "Kubernetes")
    # JavaScript counts as mentioned through "JS", an endorsed spelling the matcher puts on it.
    assert profile.listed_not_claimed == ("Public Speaking", "SQL")


def test_without_profile_or_positions_the_word_checks_say_so(tmp_path: Path) -> None:
    spec = _spec(["SQL"], [Row(WHEN, "SQL", ANA), Row(WHEN, "Kubernetes", ANA)])
    profile = _checks(tmp_path, spec).profile
    assert (profile.claimed_not_listed, profile.listed_not_claimed, profile.word_sources) == ((), (), ())
    assert "your own words were not compared: the export has no Profile.csv or Positions.csv" in profile.reasons
    html = render_html(_audit(tmp_path, spec), datetime(2026, 1, 1, tzinfo=UTC))
    assert "Needs <code>Profile.csv</code> or <code>Positions.csv</code>" in html


# --- The consistency score ----------------------------------------------------------------------


def test_a_consistent_profile_scores_100(tmp_path: Path) -> None:
    spec = _spec(
        ["SQL", "Tableau"],
        [Row(WHEN, "SQL", ANA), Row(WHEN, "Tableau", BEN)],
        profile=("Sam", "Rivera", "Analyst: SQL and Tableau", ""),
    )
    profile = _checks(tmp_path, spec).profile
    assert (profile.score, profile.reasons) == (100, ())
    assert profile.explanation == "100/100: listed skills, endorsements and your own words agree."


def test_each_penalty_is_shown_with_its_points(tmp_path: Path) -> None:
    spec = _spec(
        ["SQL", "sql", "Tableau", "Statistics"],
        [
            Row(WHEN, "SQL", ANA),
            Row(WHEN, "Statistics", ANA),
            Row(WHEN, "Blockchain", BEN),
            Row(WHEN, "Leadership", BEN),
        ],
        profile=("Sam", "Rivera", "SQL, Statistics and Leadership", ""),
    )
    profile = _checks(tmp_path, spec).profile
    assert profile.reasons == (
        "-5: 1 skill listed twice under another spelling (5 each, at most 20)",
        "-6: 2 skills endorsed but never listed (3 each, at most 30)",
        "-4: 1 skill claimed in your own words but not listed (4 each, at most 20)",
        "-1: 1 listed skill nobody endorsed (1 each, at most 15)",
        "-1: 1 listed skill your own words never mention (1 each, at most 15)",
    )
    assert profile.score == 100 - 5 - 6 - 4 - 1 - 1
    assert profile.explanation.startswith("83/100, lowered by 1 skill listed twice under another spelling (-5), ")


def test_penalties_are_capped(tmp_path: Path) -> None:
    spec = _spec(["SQL"], [Row(WHEN, "SQL", ANA)] + [Row(WHEN, f"Unlisted {n}", BEN) for n in range(20)])
    profile = _checks(tmp_path, spec).profile
    assert "-30: 20 skills endorsed but never listed (3 each, at most 30)" in profile.reasons
    assert profile.score == 70


# --- Endorsements the member gave ---------------------------------------------------------------


def test_pending_endorsements_given_grouped_by_person(tmp_path: Path) -> None:
    spec = _spec(
        ["SQL"],
        [Row(WHEN, "SQL", ANA)],
        given=[
            ("2024/02/02 12:10:05 UTC", "Kubernetes", ANA, "PENDING"),
            ("2016/05/02 09:14:07 UTC", "Terraform", ANA, "PENDING"),
            ("2023/06/14 08:45:39 UTC", "User Research", BEN, "ACCEPTED"),
            ("2020/01/01 00:00:00 UTC", "Go (Programming Language)", DEV, "PENDING"),
        ],
    )
    given = _checks(tmp_path, spec).given
    assert given is not None
    assert (given.given, given.pending_count) == (4, 3)
    assert [(p.endorsee, p.profile_url, p.skills, p.since) for p in given.pending] == [
        (
            "Ana Sousa",
            "https://www.linkedin.com/in/ana-sousa-1a2b3c",
            ("Kubernetes", "Terraform"),
            "2016-05-02T09:14:07Z",
        ),
        ("Dev Patel", None, ("Go (Programming Language)",), "2020-01-01T00:00:00Z"),
    ]


def test_no_given_file_means_no_given_section(tmp_path: Path) -> None:
    spec = _spec(["SQL"], [Row(WHEN, "SQL", ANA)])
    a = _audit(tmp_path, spec)
    assert a.checks.given is None
    assert audit_dict(a)["given"] is None
    assert "Needs <code>Endorsement_Given_Info.csv</code>" in render_html(a, datetime(2026, 1, 1, tzinfo=UTC))


# --- Connection requests and connections --------------------------------------------------------


def _invite(
    when: str, other: Person, direction: str, message: str = ""
) -> tuple[str, str, str, str, str, str | None, str | None]:
    name = f"{other.first} {other.last}"
    url = factory.profile_url(other.slug) or None
    if direction == "INCOMING":
        return (name, "Sam Rivera", when, message, direction, url, ME)
    return ("Sam Rivera", name, when, message, direction, ME, url)


INVITATIONS = [
    _invite("3/9/26, 1:00 PM", ANA, "INCOMING"),
    _invite("11/17/25, 8:12 AM", BEN, "INCOMING", "Hello Sam, we met at the Lisbon meetup."),
    _invite("12/1/25, 6:05 PM", CAI, "INCOMING"),
    _invite("2/27/26, 8:42 AM", DEV, "OUTGOING"),
    _invite("1/15/26, 6:05 PM", Person("Eli", "Moss", "eli-moss-0c1d2e"), "OUTGOING", "Hi Eli, great talk!"),
]


@pytest.mark.parametrize("style", ["url", "urn", "2018"])
def test_requests_without_a_note_in_every_invitations_format(tmp_path: Path, style: str) -> None:
    spec = _spec(
        ["SQL"],
        [Row(WHEN, "SQL", ANA)],
        invitations=INVITATIONS,
        connections=[(ANA, "Northwind", "Analyst", "08 Feb 2024"), (BEN, "Harbor", "Engineer", "17 Jun 2019")],
    )
    invitations = _checks(tmp_path, spec, invitations_style=style).invitations
    assert invitations is not None
    counts = (
        invitations.incoming,
        invitations.incoming_without_note,
        invitations.outgoing,
        invitations.outgoing_without_note,
    )
    assert counts == (3, 2, 2, 1)
    assert invitations.incoming_without_note_share == 0.6667
    # Ana (no note) and Ben (a note) are connections: one of the two began without a note.
    assert invitations.connections_without_note_share == 0.5
    people = [(r.name, r.sent_at) for r in invitations.incoming_without_note_people]
    assert people == [("Ana Sousa", "3/9/26, 1:00 PM"), ("Cai Wen", "12/1/25, 6:05 PM")]  # newest first
    urls = [r.profile_url for r in invitations.incoming_without_note_people]
    if style == "url":
        assert urls == ["https://www.linkedin.com/in/ana-sousa-1a2b3c", "https://www.linkedin.com/in/cai-wen-7a8b9c"]
    else:  # URN or no column: no link to trust
        assert urls == [None, None]


def test_requests_share_is_unknown_without_connections(tmp_path: Path) -> None:
    spec = _spec(["SQL"], [Row(WHEN, "SQL", ANA)], invitations=INVITATIONS)
    invitations = _checks(tmp_path, spec).invitations
    assert invitations is not None and invitations.connections_without_note_share is None
    html = render_html(_audit(tmp_path, spec), datetime(2026, 1, 1, tzinfo=UTC))
    assert "How your connections began needs <code>Connections.csv</code>" in html


def test_no_invitations_file_means_null(tmp_path: Path) -> None:
    a = _audit(tmp_path, _spec(["SQL"], [Row(WHEN, "SQL", ANA)]))
    assert audit_dict(a)["invitations"] is None
    assert "Needs <code>Invitations.csv</code>" in render_html(a, datetime(2026, 1, 1, tzinfo=UTC))


def test_profile_links_are_rebuilt_never_copied(tmp_path: Path) -> None:
    evil = ("<script>x</script>", "Sam Rivera", "3/9/26, 1:00 PM", "", "INCOMING", "javascript:alert(1)", ME)
    spec = _spec(["SQL"], [Row(WHEN, "SQL", ANA)], invitations=[evil])
    a = _audit(tmp_path, spec)
    people = audit_dict(a)["invitations"]["incoming_without_note_people"]
    assert people == [{"name": "<script>x</script>", "profile_url": None, "sent_at": "3/9/26, 1:00 PM"}]
    html = render_html(a, datetime(2026, 1, 1, tzinfo=UTC))
    assert "<script>x</script>" not in html and "&lt;script&gt;x&lt;/script&gt;" in html
    assert "javascript:" not in html


def test_endorsers_who_are_not_connections_and_hidden_profiles(tmp_path: Path) -> None:
    spec = _spec(
        ["SQL"],
        [Row(WHEN, "SQL", ANA), Row(WHEN, "SQL", BEN), Row(WHEN, "Blockchain", BEN), Row(WHEN, "SQL", DEV)],
        connections=[(ANA, "Northwind", "Analyst", "08 Feb 2024")],
        hidden_connections=3,
    )
    connections = _checks(tmp_path, spec).connections
    assert connections is not None
    assert (connections.endorsers, connections.hidden_connections) == (3, 3)
    assert [(s.name, s.profile_url, s.endorsements, s.to_hide) for s in connections.endorsers_not_connections] == [
        ("Ben Okoro", "https://www.linkedin.com/in/ben-okoro-4d5e6f", 2, 1),
        ("Dev Patel", None, 1, 0),
    ]
    spec.connections = None
    assert _checks(tmp_path, spec).connections is None


# --- The outputs --------------------------------------------------------------------------------


def test_sample_json_has_the_new_fields(sample_audit: Audit) -> None:
    data = audit_dict(sample_audit)
    assert data["schema"] == "endorse-audit/1"
    profile = data["profile"]
    assert profile["duplicate_skills"] == [
        {"keep": "JavaScript", "drop": ["Javascript"], "why": "most endorsements", "standard": "JavaScript"}
    ]
    assert (profile["skill_count"], profile["skill_limit"]) == (15, 100)
    assert isinstance(profile["consistency_score"], int) and 0 <= profile["consistency_score"] <= 100
    assert all(isinstance(r, str) for r in profile["consistency_reasons"])
    assert profile["claimed_not_listed"] == ["Leadership", "Team Leadership"]
    assert profile["hidden_connections"] == 2
    given = data["given"]["pending"]
    assert [p["endorsee"] for p in given] == ["Mehmet Karaoğlu", "Hyejin Park", "Björn Halvorsen"]
    assert set(given[0]) == {"endorsee", "profile_url", "skills", "since"}
    invitations = data["invitations"]
    assert (invitations["incoming"], invitations["incoming_without_note"]) == (8, 7)
    assert (invitations["outgoing"], invitations["outgoing_without_note"]) == (4, 2)
    assert invitations["connections_without_note_share"] is None  # no request is with a current connection
    assert all(set(p) == {"name", "profile_url", "sent_at"} for p in invitations["incoming_without_note_people"])


def test_sample_report_shows_every_section(sample_audit: Audit) -> None:
    html = render_html(sample_audit, datetime(2026, 11, 21, 9, 30, tzinfo=UTC))
    for heading in (
        "Your skill profile",
        "Skills listed twice",
        "Listed skills nobody endorsed",
        "Endorsed only by people who are not connections",
        "Spellings of your listed skills to review",
        "Your own words against your list",
        "Endorsements you gave, still pending",
        "Connection requests without a note",
        "Endorsers who are not connections",
    ):
        assert heading in html, heading
    assert "Needs <code>" not in html  # the sample has every file


def test_order_of_rows_does_not_change_the_checks(tmp_path: Path) -> None:
    first = _checks_json(tmp_path, factory.demo_spec())
    spec = factory.demo_spec()
    shuffle = random.Random(7)
    assert spec.given is not None and spec.invitations is not None
    spec.received = shuffle.sample(spec.received, len(spec.received))
    spec.skills = shuffle.sample(spec.skills, len(spec.skills))
    spec.given = shuffle.sample(spec.given, len(spec.given))
    spec.invitations = shuffle.sample(spec.invitations, len(spec.invitations))
    assert _checks_json(tmp_path / "again", spec) == first


def test_terminal_summary_lines(run, sample_audit: Audit) -> None:  # type: ignore[no-untyped-def]
    result = run("audit", SAMPLE_ZIP, "--config", SAMPLE_CONFIG, "--no-html")
    assert result.exit_code == 1, result.stderr
    score = audit_dict(sample_audit)["profile"]["consistency_score"]
    assert f"  skill-profile consistency: {score}/100\n" in result.stdout
    assert "  3 endorsements you gave are still pending (3 people)\n" in result.stdout
    assert "  7 of 8 connection requests you received had no note; 7 still waiting: to ignore\n" in result.stdout


def test_two_generations_of_a_framework_are_not_one_skill_listed_twice() -> None:
    found = duplicate_skills(["AngularJS", "Angular", "Vue.js", "VueJS"], {}, load_aliases(), 85.0)
    assert [(d.keep, d.drop) for d in found] == [("Vue.js", ("VueJS",))]  # Vue.js is Vue, AngularJS is not Angular
