"""Keep, review or remove: a suggestion for every connection, from the export alone (issue 23)."""

from __future__ import annotations

import csv
import io
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import factory
import pytest
from factory import ExportSpec, Message, Person, Recommendation, Row

from endorse_audit.audit import audit
from endorse_audit.checks.suggestions import suggestion_counts
from endorse_audit.config import Config, Prune
from endorse_audit.model import Audit, ContextCheck
from endorse_audit.reading.export import load
from endorse_audit.report.context import suggestions_sentence
from endorse_audit.report.csv import render_connections_csv
from endorse_audit.report.json import audit_dict
from endorse_audit.report.render import render_html

EXPORT_NAME = "Basic_LinkedInDataExport_11-20-2026.zip"  # the export's date: 20 Nov 2026
ME = Person("Sam", "Rivera", "sam-rivera-5d21c8")
KEPT = Person("Ada", "Quist", "ada-quist-1a2b3c")  # on the keep list by link, no context
KEPT_BY_NAME = Person("Bo", "Lund", None)  # on the keep list by name, no link anywhere
BOTH = Person("Cy", "Moreau", "cy-moreau-4d5e6f")  # the member wrote, they answered
GROUP = Person("Di", "Ncube", "di-ncube-7a8b9c")  # both wrote in a group conversation
RECOMMENDED = Person("Ed", "Varga", "ed-varga-0a1b2c")  # recommended the member
NEW = Person("Flo", "Ito", "flo-ito-3d4e5f")  # connected 30 days ago, no context
NOTE = Person("Gus", "Haddad", "gus-haddad-6a7b8c")  # a note on their request
WROTE = Person("Hal", "Berger", "hal-berger-9d0e1f")  # wrote to the member, never answered
UNANSWERED = Person("Isa", "Kowal", "isa-kowal-2a3b4c")  # the member wrote, no answer
ONLOOKER = Person("Jo", "Amadi", "jo-amadi-5d6e7f")  # only received a group's messages from someone else
OUTSIDER = Person("Ray", "Okafor", "ray-okafor-2b3c4d")  # in a group conversation, not a connection
ENDORSED = Person("Kai", "Lopes", "kai-lopes-8a9b0c")  # the member endorsed them
COLLEAGUE = Person("Lea", "Fontaine", "lea-fontaine-1b2c3d")  # works where the member works
STRANGER = Person("Mo", "Farah", "mo-farah-4e5f6a")  # nothing at all
OLDEST = Person("Nia", "Obi", "nia-obi-7b8c9d")  # nothing at all, the oldest connection
ENDORSER = Person("Oz", "Demir", "oz-demir-0c1d2e")  # only endorsed the member: not context
ASKER = Person("Pia", "Sand", "pia-sand-3f4a5b")  # asked to connect, no note, still waiting
ASKER_NOTE = Person("Quinn", "Hale", "quinn-hale-6c7d8e")  # asked with a note, still waiting

CONNECTIONS = [
    (KEPT, "Northwind", "Analyst", "08 Feb 2020"),
    (KEPT_BY_NAME, "Northwind", "Analyst", "08 Feb 2020"),
    (BOTH, "Kestrel", "CTO", "09 Apr 2022"),
    (GROUP, "Copperleaf", "Data Scientist", "30 Jan 2021"),
    (RECOMMENDED, "Brightwater", "Manager", "18 Oct 2019"),
    (NEW, "Fjordline", "SRE", "21 Oct 2026"),
    (NOTE, "Umhlaba", "Head of Data", "02 Nov 2023"),
    (WROTE, "Kestrel", "Recruiter", "12 Aug 2025"),
    (UNANSWERED, "Atlântico", "Actuary", "06 Feb 2024"),
    (ONLOOKER, "Copperleaf", "Intern", "01 Mar 2021"),
    (ENDORSED, "Fjordline", "SRE", "27 May 2021"),
    (COLLEAGUE, "harbor &  pine", "Engineer", "17 Jun 2019"),
    (STRANGER, "=cmd|' /C calc'!A0", "+Lead", "03 Mar 2025"),
    (OLDEST, "Brightwater", "Intern", "05 Jan 2015"),
    (ENDORSER, "Atlântico", "Actuary", "06 Feb 2024"),
]
EXPECTED = {
    "Ada Quist": ("keep", "on your keep list"),
    "Bo Lund": ("keep", "on your keep list"),
    "Cy Moreau": ("keep", "a conversation both ways"),
    "Di Ncube": ("keep", "a conversation both ways"),
    "Ed Varga": ("keep", "a recommendation"),
    "Flo Ito": ("review", "connected less than 90 days before the export"),
    "Gus Haddad": ("review", "a note on the request"),
    "Hal Berger": ("review", "messages one way only"),
    "Isa Kowal": ("review", "messages one way only"),
    "Jo Amadi": ("review", "messages one way only"),
    "Kai Lopes": ("review", "an endorsement you gave"),
    "Lea Fontaine": ("review", "a shared employer: harbor &  pine"),
    "Mo Farah": ("remove", "no context at all"),
    "Nia Obi": ("remove", "no context at all"),
    "Oz Demir": ("remove", "no context at all"),
}
KEEP_LIST = Prune(keep=("https://www.linkedin.com/in/ada-quist-1a2b3c/", "  bo LUND "))


def _invite(other: Person, direction: str, sent: str, message: str = "") -> tuple[Any, ...]:
    return factory.invitation(ME, other, direction, sent, message)


def spec() -> ExportSpec:
    return ExportSpec(
        skills=["SQL"],
        received=[Row("2024/03/18 14:02:51 UTC", "Blockchain", ENDORSER), Row("2024/03/18 14:02:51 UTC", "SQL", BOTH)],
        given=[("2026/05/24 10:00:00 UTC", "Kubernetes", ENDORSED, "ACCEPTED")],  # 180 days before the export
        connections=list(CONNECTIONS),
        hidden_connections=2,
        invitations=[
            _invite(NOTE, "INCOMING", "11/20/26, 9:00 AM", "Gus here, from the Lisbon meetup."),
            _invite(STRANGER, "INCOMING", "3/1/25, 9:00 AM"),  # accepted long ago, no note
            _invite(ASKER, "INCOMING", "11/1/26, 9:00 AM"),
            _invite(ASKER_NOTE, "INCOMING", "11/2/26, 9:00 AM", "Quinn, we met at the conference."),
            _invite(Person("Rae", "Toms", "rae-toms-9a8b7c"), "OUTGOING", "11/3/26, 9:00 AM"),  # sent, waiting
        ],
        messages=[
            Message("2-both", ME, [BOTH], "2026-05-20 09:00:00 UTC", "hi Cy"),
            Message("2-both", BOTH, [ME], "2026-05-24 09:00:00 UTC", "hi Sam"),  # 180 days before the export
            Message("2-group", ME, [GROUP, OUTSIDER], "2026-01-01 09:00:00 UTC", "hello all"),
            Message("2-group", GROUP, [ME, OUTSIDER], "2026-01-02 09:00:00 UTC", "hello"),
            Message("2-other", GROUP, [ME, ONLOOKER], "2026-01-03 09:00:00 UTC", "only Di"),
            Message("2-wrote", WROTE, [ME], "2026-02-01 09:00:00 UTC", "Recruiting, interested?"),
            Message("2-unanswered", ME, [UNANSWERED], "2026-03-01 09:00:00 UTC", "Isa, coffee?"),
        ],
        recommendations_received=[
            Recommendation(RECOMMENDED, "Brightwater", "Manager", "Great.", "11/20/25, 02:02 PM")
        ],
        recommendations_given=[],
        profile=("Sam", "Rivera", "Data Analyst", "I like data."),
        positions=[
            ("Harbor & Pine", "Senior Data Analyst", "SQL.", "Lisbon", "Mar 2022", ""),
            ("Northwind Analytics, Inc.", "Data Analyst", "Python.", "Porto", "Sep 2019", "Feb 2022"),
        ],
    )


def _audit(tmp_path: Path, export_spec: ExportSpec, rules: Prune = KEEP_LIST, name: str = EXPORT_NAME) -> Audit:
    return audit(load(factory.write_zip(export_spec, tmp_path / name)), Config(connections=rules))


def _check(tmp_path: Path, export_spec: ExportSpec, rules: Prune = KEEP_LIST, **options: Any) -> ContextCheck:
    check = _audit(tmp_path, export_spec, rules, **options).checks.context
    assert check is not None
    return check


def _suggested(check: ContextCheck) -> dict[str, tuple[str, str]]:
    return {p.connection.name: (p.suggestion, p.reason) for p in check.people}


def test_every_connection_gets_the_suggestion_the_rules_give(tmp_path: Path) -> None:
    check = _check(tmp_path, spec())
    assert _suggested(check) == EXPECTED
    assert (check.total, check.hidden) == (15, 2)  # hidden profiles are counted apart, with no suggestion
    # The counts of context keep their meaning: a shared employer and a recent connection are not context.
    assert (check.with_context, check.without_context) == (8, 7)


def test_the_thresholds_come_from_the_config(tmp_path: Path) -> None:
    check = _check(tmp_path, spec(), replace(KEEP_LIST, recent_days=10, messages_each_way=2))
    suggested = _suggested(check)
    assert suggested["Flo Ito"] == ("remove", "no context at all")  # 30 days is no longer too new
    assert suggested["Cy Moreau"] == ("review", "messages one way only")  # one message each way is not enough
    assert _suggested(_check(tmp_path / "2", spec(), Prune()))["Ada Quist"] == ("remove", "no context at all")


def test_the_score_decays_with_a_half_life_of_180_days(tmp_path: Path) -> None:
    scores = {p.connection.name: p.score for p in _check(tmp_path, spec()).people}
    assert scores["Cy Moreau"] == 20.0  # a conversation both ways (40), last message 180 days old
    assert scores["Kai Lopes"] == 3.0  # an endorsement given (6), 180 days old
    assert scores["Gus Haddad"] == 15.0  # a note (15) sent on the export's day
    assert scores["Lea Fontaine"] == 10.0  # a shared employer (10), the member still works there
    assert scores["Ed Varga"] == pytest.approx(25 * 0.5 ** (365 / 180), abs=0.05)  # a year-old recommendation
    assert scores["Mo Farah"] == scores["Ada Quist"] == 0.0  # the keep list keeps, it adds no context
    assert scores["Cy Moreau"] > scores["Hal Berger"] > 0  # one way weighs less than both ways


def test_without_messages_nobody_is_suggested_for_removal(tmp_path: Path) -> None:
    export_spec = spec()
    export_spec.messages = None
    check = _check(tmp_path, export_spec)
    assert suggestion_counts(check)["remove"] == 0
    reason = "no context, but without messages.csv a conversation cannot be ruled out"
    assert _suggested(check)["Mo Farah"] == ("review", reason)
    assert _suggested(check)["Ed Varga"] == ("keep", "a recommendation")  # the other rules still apply
    # Another missing file is named in a note and changes no rule.
    export_spec = spec()
    export_spec.recommendations_received = export_spec.recommendations_given = None
    check = _check(tmp_path / "2", export_spec)
    assert _suggested(check)["Ed Varga"] == ("remove", "no context at all")
    assert any("Recommendations_Received.csv" in note for note in check.notes)


def test_a_folder_without_a_date_in_its_name_dates_itself_by_its_newest_entry(tmp_path: Path) -> None:
    # No date in "x.zip": the newest connection (21 Oct 2026) stands for the export's date.
    suggested = _suggested(_check(tmp_path, spec(), name="x.zip"))
    assert suggested["Flo Ito"] == ("review", "connected less than 90 days before the export")
    assert suggested["Mo Farah"] == ("remove", "no context at all")


# --- The outputs --------------------------------------------------------------------------------

GENERATED_AT = datetime(2026, 11, 21, 9, 30, tzinfo=UTC)


def test_json_counts_and_every_person_with_suggestion_and_score(tmp_path: Path) -> None:
    connections = audit_dict(_audit(tmp_path, spec()))["connections"]
    assert connections["suggestions"] == {"keep": 5, "review": 7, "remove": 3}
    assert sum(connections["suggestions"].values()) == connections["total"] == 15
    people = {p["name"]: p for p in connections["people"]}
    assert {name: (p["suggestion"], p["reason"]) for name, p in people.items()} == EXPECTED
    assert people["Cy Moreau"]["score"] == 20.0
    assert people["Mo Farah"] == {
        "name": "Mo Farah",
        "profile_url": "https://www.linkedin.com/in/mo-farah-4e5f6a",
        "connected_on": "03 Mar 2025",
        "company": "=cmd|' /C calc'!A0",
        "position": "+Lead",
        "suggestion": "remove",
        "score": 0.0,
        "reason": "no context at all",
        "signals": [],
    }
    # Remove first, least context first (the oldest connection first among equals), as the CSV.
    assert [p["name"] for p in connections["people"]][:3] == ["Nia Obi", "Oz Demir", "Mo Farah"]
    without = {p["name"]: (p["suggestion"], p["score"]) for p in connections["without_context_people"]}
    assert without["Lea Fontaine"] == ("review", 10.0)


def test_connections_csv_has_suggestion_and_score_remove_first(tmp_path: Path) -> None:
    text = render_connections_csv(_audit(tmp_path, spec()))
    rows = list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))
    header = rows[0]
    assert header[-2:] == ["Suggestion", "Score"]
    suggestion, score = header.index("Suggestion"), header.index("Score")
    assert [row[suggestion] for row in rows[1:]] == ["remove"] * 3 + ["review"] * 7 + ["keep"] * 5
    assert {row[0]: row[suggestion] for row in rows[1:]} == {name: want for name, (want, _) in EXPECTED.items()}
    review_scores = [float(row[score]) for row in rows[1:] if row[suggestion] == "review"]
    assert review_scores == sorted(review_scores)  # least context first
    mo = next(row for row in rows if row[0] == "Mo Farah")
    assert mo[3:5] == ["'=cmd|' /C calc'!A0", "'+Lead"]  # formula-safe


def test_terminal_line_counts_every_suggestion(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    config = tmp_path / "endorse-audit.toml"
    config.write_text('[connections]\nkeep = ["Ada Quist", "Bo Lund"]\n', encoding="utf-8")
    export = factory.write_zip(spec(), tmp_path / EXPORT_NAME)
    result = run("audit", export, "--no-html", "--no-state", "--config", config)
    assert "  keep 5 · review 7 · remove 3 of 15 connections\n" in result.stdout, result.stdout
    assert "  2 of 4 connection requests you received had no note; 1 still waiting: to ignore\n" in result.stdout


def test_requests_still_waiting_without_a_note_are_listed_to_ignore(tmp_path: Path) -> None:
    result = _audit(tmp_path, spec())
    invitations = result.checks.invitations
    assert invitations is not None and invitations.waiting is not None
    assert [(r.name, r.profile_url) for r in invitations.waiting] == [
        ("Pia Sand", "https://www.linkedin.com/in/pia-sand-3f4a5b")
    ]
    document = audit_dict(result)
    assert [r["name"] for r in document["invitations"]["waiting_without_note"]] == ["Pia Sand"]
    html = render_html(result, GENERATED_AT)
    section = html[html.index('id="requests-title"') :]
    assert "Still waiting, without a note: to ignore" in section
    assert "Pia Sand" in section[: section.index("</section>")]
    assert "accepted" in section[: section.index("</section>")]  # what the export cannot tell about those
    export_spec = spec()
    export_spec.connections = None  # who is still waiting needs Connections.csv
    assert _audit(tmp_path, export_spec, name="y.zip").checks.invitations.waiting is None  # type: ignore[union-attr]


def test_the_report_section(tmp_path: Path) -> None:
    html = render_html(_audit(tmp_path, spec()), GENERATED_AT)
    section = html[html.index('id="context-title"') :]
    section = section[: section.index("</section>")]
    assert "Your connections" in section
    assert "Keep <strong>5</strong> · review <strong>7</strong> · remove <strong>3</strong>" in section
    remove = section[section.index('id="remove-title"') : section.index('id="review-title"')]
    names = ["Nia Obi", "Oz Demir", "Mo Farah"]
    assert [remove.index(name) for name in names] == sorted(remove.index(name) for name in names)
    assert 'href="https://www.linkedin.com/in/mo-farah-4e5f6a"' in remove
    review = section[section.index('id="review-title"') :]
    for name, (suggestion, reason) in EXPECTED.items():  # every connection to remove or review, in its list
        assert (name in remove, name in review) == (suggestion == "remove", suggestion == "review"), name
        if suggestion == "review":
            assert reason.replace("&", "&amp;") in review
    assert "<details" in section[section.index('id="review-title"') - 200 :]
    assert "Remove connection" in section and "not notified" in section
    assert "mutual connections" in section and "outside LinkedIn" in section
    assert '<svg viewBox="0 0 480' in section[section.index("By year of connection") :]


def test_without_messages_the_report_says_why_nobody_is_removed(tmp_path: Path) -> None:
    export_spec = spec()
    export_spec.messages = None
    html = render_html(_audit(tmp_path, export_spec), GENERATED_AT)
    assert "Without <code>messages.csv</code> nobody is suggested for removal" in html


def test_the_lists_are_bounded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from endorse_audit.report import bounded

    monkeypatch.setattr(bounded, "FEW", 2)
    monkeypatch.setattr(bounded, "IN_PAGE", 3)
    html = render_html(_audit(tmp_path, spec()), GENERATED_AT)
    remove = html[html.index('id="remove-title"') : html.index('id="review-title"')]
    shown, folded = remove.split("<summary>Show 1 more</summary>")  # 2 shown, 1 one click away
    assert [name for name in ("Nia Obi", "Oz Demir", "Mo Farah") if name in shown] == ["Nia Obi", "Oz Demir"]
    assert "Mo Farah" in folded
    assert "… and" not in remove  # all 3 in the page


def test_endorsements_from_a_connection_to_remove_are_marked(tmp_path: Path) -> None:
    html = render_html(_audit(tmp_path, spec()), GENERATED_AT)
    todo = html[html.index('id="todo"') : html.index('id="chart-title"')]
    row = todo[todo.index("Oz Demir") : todo.index("</tr>", todo.index("Oz Demir"))]
    assert 'title="a connection you are told to remove">remove connection</span>' in row


@pytest.mark.parametrize(
    "text, problem",
    [
        ("[connections]\nrecent_days = -1\n", "'connections.recent_days' is not a whole number from 0 to 36500"),
        ("[connections]\nmessages_each_way = 0\n", "'connections.messages_each_way' is not a whole number from 1"),
        ("[connections]\nkeep = [3]\n", "'connections.keep' must be a list of non-empty strings"),
        ("[connections]\nhalf_life = 30\n", "unknown key 'connections.half_life'"),
    ],
)
def test_a_bad_connections_setting_is_one_error_line(run, tmp_path: Path, text: str, problem: str) -> None:  # type: ignore[no-untyped-def]
    config = tmp_path / "c.toml"
    config.write_text(text, encoding="utf-8")
    result = run("audit", factory.write_zip(spec(), tmp_path / EXPORT_NAME), "--no-state", "--config", config)
    assert result.exit_code == 2, result.stderr
    assert result.stderr.startswith(f"Error: {config}: {problem}"), result.stderr
    assert result.stderr.count("\n") == 1


def test_a_large_network_stays_bounded_and_adds_up(tmp_path: Path) -> None:
    from endorse_audit.report import bounded

    export_spec = spec()
    assert export_spec.connections is not None
    strangers = [Person("Made", f"Up{number:04d}", f"made-up-{number:04d}") for number in range(1_200)]
    export_spec.connections += [(person, "Acme", "Clerk", "14 Jun 2021") for person in strangers]
    result = _audit(tmp_path, export_spec)
    connections = audit_dict(result)["connections"]
    assert connections["suggestions"] == {"keep": 5, "review": 7, "remove": 1_203}
    assert sum(connections["suggestions"].values()) == connections["total"] == len(connections["people"])
    html = render_html(result, GENERATED_AT)
    remove = html[html.index('id="remove-title"') : html.index('id="review-title"')]
    # FEW shown and the rest of IN_PAGE one click away, oldest first (Nia Obi, then the made-up ones); the
    # rest only in the CSV.
    assert "Nia Obi" in remove and remove.count("made-up-") == bounded.IN_PAGE - 1
    assert (
        f"… and {1_203 - bounded.IN_PAGE:,} more, see the connections CSV (<code>--connections-csv</code>)." in remove
    )
    csv_rows = render_connections_csv(result).count("\r\n") - 1
    assert csv_rows == 1_215
    assert result.checks.context is not None
    assert suggestions_sentence(result.checks.context) == "keep 5 · review 7 · remove 1,203 of 1,215 connections"
