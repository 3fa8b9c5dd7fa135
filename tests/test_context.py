"""Context for every connection: notes, messages, endorsements given, recommendations (issue 16)."""

from __future__ import annotations

import csv
import io
import json
import pickle
import random
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import factory
import hostile_corpus
import pytest
from factory import ExportSpec, Message, Person, Recommendation, Row

from endorse_audit.audit import audit
from endorse_audit.errors import EndorseAuditError
from endorse_audit.model import Audit, ContextCheck
from endorse_audit.reading.export import load
from endorse_audit.report import bounded
from endorse_audit.report import json as report_json
from endorse_audit.report.csv import CONNECTION_COLUMNS, render_connections_csv
from endorse_audit.report.json import audit_dict
from endorse_audit.report.render import render_html
from endorse_audit.report.view import report_view

ME = Person("Sam", "Rivera", "sam-rivera-5d21c8")
WHEN = "2024/03/18 14:02:51 UTC"
# Connections, each tied to the member by one signal (or none).
NOTE_IN = Person("Ana", "Sousa", "ana-sousa-1a2b3c")  # sent a request with a note
NOTE_OUT = Person("Ben", "Okoro", "ben-okoro-4d5e6f")  # the member's request to them had a note
BARE = Person("Cai", "Wen", "cai-wen-7a8b9c")  # requests both ways, no note: no context
WROTE = Person("Dev", "Patel", "dev-patel-0a1b2c")  # wrote to the member
GOT = Person("Eva", "Lind", "eva-lind-3d4e5f")  # the member wrote to them
GROUP = Person("Priya", "Raman, PhD", "priya-raman-4b2a17")  # only in a group conversation, comma in her name
ENDORSED = Person("Finn", "Berg", "finn-berg-6a7b8c")  # the member endorsed them (pending)
REC_IN = Person("Gia", "Russo", "gia-russo-9d0e1f")  # recommended the member
REC_OUT = Person("Hao", "Chen", "hao-chen-2a3b4c")  # the member recommended them
ENDORSER = Person("Ivo", "Novak", "ivo-novak-5d6e7f")  # endorsed the member: not context
DRAFTED = Person("Jun", "Sato", "jun-sato-8a9b0c")  # only an unsent draft: no context
STRANGER = Person("Kim", "Park", "kim-park-1b2c3d")  # endorsed the member, not a connection
CONNECTIONS = [
    (NOTE_IN, "Northwind", "Analyst", "08 Feb 2024"),
    (NOTE_OUT, "Harbor & Pine", "Engineer", "17 Jun 2019"),
    (BARE, "=cmd|' /C calc'!A0", "+Lead", "03 Mar 2025"),
    (WROTE, "Kestrel", "CTO", "09 Apr 2026"),
    (GOT, "Kestrel", "Designer", "21 Jul 2023"),
    (GROUP, "Copperleaf", "Data Scientist", "30 Jan 2026"),
    (ENDORSED, "Fjordline", "SRE", "12 Aug 2025"),
    (REC_IN, "Brightwater", "Manager", "18 Oct 2024"),
    (REC_OUT, "Brightwater", "Intern", "27 May 2021"),
    (ENDORSER, "Atlântico", "Actuary", "06 Feb 2024"),
    (DRAFTED, "Umhlaba", "Head of Data", "02 Nov 2026"),
]
SECRET = 'Meet at 6, "usual place",\nbring the 🍰'


def _invite(other: Person, direction: str, message: str = "") -> tuple[str, str, str, str, str, str | None, str | None]:
    return factory.invitation(ME, other, direction, message=message)


def spec() -> ExportSpec:
    return ExportSpec(
        skills=["SQL"],
        received=[
            Row(WHEN, "SQL", ENDORSER),
            Row(WHEN, "Blockchain", ENDORSER),
            Row(WHEN, "Blockchain", NOTE_IN),
            Row(WHEN, "Blockchain", STRANGER),
            Row(WHEN, "Blockchain", BARE),
        ],
        given=[("2016/05/02 09:14:07 UTC", "Kubernetes", ENDORSED, "PENDING")],
        connections=list(CONNECTIONS),
        hidden_connections=2,
        invitations=[
            _invite(NOTE_IN, "INCOMING", "Hi Sam, we met at the meetup, let's stay in touch!"),
            _invite(NOTE_OUT, "OUTGOING", "Ben, thanks for the talk today."),
            _invite(BARE, "INCOMING"),
            _invite(BARE, "OUTGOING", "   "),
        ],
        messages=[
            Message("2-a", WROTE, [ME], "2026-03-09 13:00:43 UTC", SECRET),
            Message("2-b", ME, [GOT], "2025-01-02 08:00:00 UTC", SECRET, subject="Coffee, soon?"),
            Message("2-b", ME, [GOT], "2025-02-02 08:00:00 UTC", "and again"),
            Message("2-c", WROTE, [ME, GROUP], "2025-06-01 10:00:00 UTC", SECRET, title="Team, 2025"),
            Message("2-d", ME, [DRAFTED], "2025-07-01 10:00:00 UTC", SECRET, draft=True),
        ],
        recommendations_received=[Recommendation(REC_IN, "Brightwater", "Manager", SECRET, "03/18/24, 02:02 PM")],
        recommendations_given=[
            Recommendation(REC_OUT, "Brightwater", "Intern", SECRET, "05/02/25, 09:10 AM", "HIDDEN")
        ],
    )


def _audit(tmp_path: Path, export_spec: ExportSpec, name: str = "x.zip", **options: Any) -> Audit:
    return audit(load(factory.write_zip(export_spec, tmp_path / name, **options)))


def _context(tmp_path: Path, export_spec: ExportSpec, **options: Any) -> ContextCheck:
    check = _audit(tmp_path, export_spec, **options).checks.context
    assert check is not None
    return check


def _signals(check: ContextCheck) -> dict[str, tuple[str, ...]]:
    return {p.connection.name: p.signals for p in check.people}


EXPECTED = {
    "Ana Sousa": ("note",),
    "Ben Okoro": ("note",),
    "Cai Wen": (),
    "Dev Patel": ("messages",),
    "Eva Lind": ("messages",),
    "Priya Raman, PhD": ("messages",),
    "Finn Berg": ("endorsed_by_you",),
    "Gia Russo": ("recommendations",),
    "Hao Chen": ("recommendations",),
    "Ivo Novak": (),
    "Jun Sato": (),
}


def test_each_signal_either_way(tmp_path: Path) -> None:
    check = _context(tmp_path, spec())
    assert _signals(check) == EXPECTED
    assert (check.total, check.with_context, check.without_context, check.hidden) == (11, 8, 3, 2)
    assert dict(check.signals) == {"note": 2, "messages": 3, "endorsed_by_you": 1, "recommendations": 2}
    assert check.missing == ()
    # Newest first; the people without context are Jun (2026), Cai (2025), Ivo (2024).
    assert [p.connection.name for p in check.without] == ["Jun Sato", "Cai Wen", "Ivo Novak"]
    eva = next(p for p in check.people if p.connection.name == "Eva Lind")
    assert (eva.messages, eva.last_message) == (2, "2025-02-02T08:00:00Z")
    assert [(y.year, y.connections, y.with_context) for y in check.by_year] == [
        (2019, 1, 1),
        (2021, 1, 1),
        (2023, 1, 1),
        (2024, 3, 2),
        (2025, 2, 1),
        (2026, 3, 2),
    ]


@pytest.mark.parametrize(
    "options",
    [
        {"invitations_style": "urn"},  # July 2023: URNs, no links; requests are matched by name
        {"invitations_style": "2018"},
        {"connections_style": "2021"},  # no URL column: every signal is matched by name
        {"messages_style": "2023"},
        {"encoding": "utf-16-tab"},  # re-saved by Excel
        {"encoding": "utf-8-sig", "crlf": True},
    ],
)
def test_every_format_gives_the_same_context(tmp_path: Path, options: dict[str, Any]) -> None:
    export_spec = spec()
    if options.get("messages_style") == "2023":  # no draft column before 2026: a draft reads as a message
        assert export_spec.messages is not None
        export_spec.messages = [m for m in export_spec.messages if not m.draft]
    assert _signals(_context(tmp_path, export_spec, **options)) == EXPECTED


def test_links_decide_where_both_sides_have_one(tmp_path: Path) -> None:
    export_spec = spec()
    namesake = Person("Cai", "Wen", "cai-wen-other-99")  # same name, another profile
    assert export_spec.messages is not None
    export_spec.messages.append(Message("2-e", namesake, [ME], "2025-08-01 10:00:00 UTC", "hello"))
    assert _signals(_context(tmp_path, export_spec))["Cai Wen"] == ()
    # Without links in the messages, the name decides.
    export_spec.messages[-1] = Message("2-e", Person("Cai", "Wen", None), [ME], "2025-08-01 10:00:00 UTC", "hi")
    assert _signals(_context(tmp_path / "2", export_spec))["Cai Wen"] == ("messages",)


def test_message_content_is_never_kept(tmp_path: Path) -> None:
    result = _audit(tmp_path, spec())
    kept = pickle.dumps(result)
    for text in (SECRET, "and again", "Coffee, soon?", "Team, 2025", "usual place"):
        assert text.encode() not in kept
    assert "🍰".encode() not in kept


def test_missing_files_make_their_signal_unknown(tmp_path: Path) -> None:
    export_spec = spec()
    export_spec.messages = None
    export_spec.recommendations_given = None  # one of the two is enough to tell
    check = _context(tmp_path, export_spec)
    assert dict(check.signals) == {"note": 2, "messages": None, "endorsed_by_you": 1, "recommendations": 1}
    assert check.missing == (("messages", "messages.csv"),)
    assert check.notes == (
        "context: messages.csv is not in the export, so 'messages' is unknown (null) and not counted",
    )
    assert _signals(check)["Dev Patel"] == ()
    export_spec.connections = None
    assert _audit(tmp_path, export_spec, "y.zip").checks.context is None


def test_endorsers_get_their_context(tmp_path: Path) -> None:
    table = _audit(tmp_path, spec()).endorsements
    context = dict(zip(table["endorser"], table["context"]))
    assert context == {"Ivo Novak": "", "Ana Sousa": "note", "Kim Park": None, "Cai Wen": ""}
    export_spec = spec()
    export_spec.connections = None
    assert set(_audit(tmp_path, export_spec, "y.zip").endorsements["context"]) == {None}


def test_order_of_rows_does_not_change_the_context(tmp_path: Path) -> None:
    first = _context(tmp_path, spec())
    export_spec = spec()
    shuffle = random.Random(16)
    for name in ("received", "connections", "invitations", "messages", "given"):
        rows = getattr(export_spec, name)
        setattr(export_spec, name, shuffle.sample(rows, len(rows)))
    again = _context(tmp_path / "again", export_spec)
    assert (again.people, again.signals, again.by_year) == (first.people, first.signals, first.by_year)


def test_a_large_messages_file_is_read_in_chunks(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from endorse_audit.reading import csvcolumns

    monkeypatch.setattr(csvcolumns, "CHUNK_ROWS", 2)
    assert _signals(_context(tmp_path, spec())) == EXPECTED


# --- The outputs --------------------------------------------------------------------------------

GENERATED_AT = datetime(2026, 11, 21, 9, 30, tzinfo=UTC)


def test_json_connections_and_endorser_context(tmp_path: Path) -> None:
    document = audit_dict(_audit(tmp_path, spec()))
    connections = document["connections"]
    assert {k: v for k, v in connections.items() if k not in ("without_context_people", "people")} == {
        "total": 11,
        "with_context": 8,
        "without_context": 3,
        "hidden": 2,
        "signals": {"note": 2, "messages": 3, "endorsed_by_you": 1, "recommendations": 2},
        "suggestions": {"keep": 2, "review": 7, "remove": 2},
    }
    assert connections["without_context_people"][1] == {
        "name": "Cai Wen",
        "profile_url": "https://www.linkedin.com/in/cai-wen-7a8b9c",
        "connected_on": "03 Mar 2025",
        "company": "=cmd|' /C calc'!A0",
        "position": "+Lead",
        "suggestion": "remove",
        "score": 0.0,
    }
    by_endorser = {(e["endorser"], e["skill"]): e["endorser_context"] for e in document["endorsements"]}
    assert by_endorser[("Ana Sousa", "Blockchain")] == ["note"]
    assert by_endorser[("Ivo Novak", "SQL")] == []
    assert by_endorser[("Kim Park", "Blockchain")] is None
    assert not any("context:" in note for note in document["notes"])


def test_json_without_the_files(tmp_path: Path) -> None:
    export_spec = spec()
    export_spec.messages = None
    document = audit_dict(_audit(tmp_path, export_spec))
    assert document["connections"]["signals"]["messages"] is None
    assert (
        "context: messages.csv is not in the export, so 'messages' is unknown (null) and not counted"
        in (document["notes"])
    )
    export_spec.connections = None
    document = audit_dict(_audit(tmp_path, export_spec, "y.zip"))
    assert document["connections"] is None
    assert {e["endorser_context"] for e in document["endorsements"]} == {None}


def test_json_in_pieces_is_still_json_dumps(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(report_json, "_JSON_ROWS", 2)
    result = _audit(tmp_path, spec())
    assert (
        b"".join(report_json.iter_json(result)).decode()
        == json.dumps(audit_dict(result), ensure_ascii=False, indent=1) + "\n"
    )


def test_connections_csv_is_formula_safe_and_complete(tmp_path: Path) -> None:
    rows = list(csv.reader(io.StringIO(render_connections_csv(_audit(tmp_path, spec())))))
    assert rows[0] == ["\ufeff" + CONNECTION_COLUMNS[0], *CONNECTION_COLUMNS[1:]]
    assert len(rows) == 1 + 11
    cai = next(row for row in rows if row[0] == "Cai Wen")
    assert cai[3:] == ["'=cmd|' /C calc'!A0", "'+Lead", "none", "no", "0", "", "no", "no", "remove", "0.0"]
    eva = next(row for row in rows if row[0] == "Eva Lind")
    assert eva[5:] == ["messages", "no", "2", "2025-02-02T08:00:00Z", "no", "no", "review", "0.3"]
    export_spec = spec()
    export_spec.given = None
    rows = list(csv.reader(io.StringIO(render_connections_csv(_audit(tmp_path, export_spec, "y.zip")))))
    assert {row[9] for row in rows[1:]} == {"unknown"}
    export_spec.connections = None
    assert (
        render_connections_csv(_audit(tmp_path, export_spec, "z.zip"))
        == "\ufeff" + ",".join(CONNECTION_COLUMNS) + "\r\n"
    )


def test_the_hide_list_puts_endorsers_without_context_first(tmp_path: Path) -> None:
    groups = report_view(_audit(tmp_path, spec()), GENERATED_AT)["groups"]
    blockchain = next(g for g in groups if g.skill == "Blockchain")
    assert [(r.endorser, r.no_context) for r in blockchain.rows] == [
        ("Cai Wen", True),  # a connection without context
        ("Ivo Novak", True),
        ("Kim Park", True),  # not a connection
        ("Ana Sousa", False),
    ]
    html = render_html(_audit(tmp_path, spec(), "y.zip"), GENERATED_AT)
    assert 'title="not a connection">no context</span>' in html
    assert 'title="a connection you never exchanged a word with">no context</span>' in html


def test_the_report_section_and_what_a_missing_file_would_fill(tmp_path: Path) -> None:
    html = render_html(_audit(tmp_path, spec()), GENERATED_AT)
    assert "Your connections" in html
    assert "3 of 11 connections (27%) have no context: no note, no message, no endorsement from you" in html
    assert "needs <code>" not in html[html.index('id="context-title"') :].casefold()
    export_spec = spec()
    export_spec.messages = None
    html = render_html(_audit(tmp_path, export_spec, "y.zip"), GENERATED_AT)
    assert "A message: needs <code>messages.csv</code>, which this export does not have." in html
    export_spec.connections = None
    html = render_html(_audit(tmp_path, export_spec, "z.zip"), GENERATED_AT)
    section = html[html.index('id="context-title"') :]
    assert "Needs <code>Connections.csv</code>, which this export does not have." in section[:400]


def test_the_page_lists_at_most_so_many_people(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(bounded, "FEW", 1)
    monkeypatch.setattr(bounded, "IN_PAGE", 2)
    html = render_html(_audit(tmp_path, spec()), GENERATED_AT)
    review = html[html.index('id="review-title"') :]
    assert "<summary>Show 1 more (of 6)</summary>" in review  # 1 shown, 1 one click away, the rest only in the CSV
    assert "… and 5 more, see the connections CSV (<code>--connections-csv</code>)." in review


def test_terminal_line_and_connections_csv_option(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    export = factory.write_zip(spec(), tmp_path / "Basic_LinkedInDataExport_03-18-2024.zip")
    result = run("audit", export, "--no-html", "--connections-csv", "connections.csv", "--no-state")
    assert result.exit_code == 1, result.stderr
    line = (
        "  3 of 11 connections (27%) have no context: no note, no message, no endorsement from you, no recommendation\n"
    )
    assert line in result.stdout
    assert "  connections csv: connections.csv\n" in result.stdout
    written = result.folder / "connections.csv"
    assert written.read_text(encoding="utf-8-sig").startswith("Name,Profile URL,")
    assert (written.stat().st_mode & 0o777) == 0o600
    export_spec = spec()
    export_spec.messages = None
    export = factory.write_zip(export_spec, tmp_path / "b" / "Basic_LinkedInDataExport_03-18-2024.zip")
    result = run("audit", export, "--no-html", "--no-state")
    assert (
        "  6 of 11 connections (55%) have no context: no note, no endorsement from you, no recommendation"
        " (not checked: messages.csv not in the export)\n"
    ) in result.stdout


# --- messages.csv through the loader's safety -----------------------------------------------------


def _with_messages(tmp_path: Path, data: bytes) -> Path:
    files = factory.export_files(spec())
    members = {name: text.encode("utf-8") for name, text in files.items() if name != "messages.csv"}
    members["Messages.csv"] = data  # the name before 2023: matched loosely
    return hostile_corpus.write_zip(tmp_path / "m.zip", members)


@pytest.mark.parametrize(
    "data, problem",
    [
        (b'"CONVERSATION ID","FROM","DATE"\n"a","Ana","2026-01-01 00:00:00 UTC"\n', "has no column 'TO'"),
        (b"FROM,TO,DATE\nAna,Sam\x00,x\n", "holds binary data, not CSV text"),
        (b'FROM,TO,DATE\n"Ana,Sam,2026\n', "is not a readable CSV file"),
    ],
)
def test_a_broken_messages_file_is_refused_clearly(tmp_path: Path, data: bytes, problem: str) -> None:
    with pytest.raises(EndorseAuditError) as caught:
        load(_with_messages(tmp_path, data))
    assert caught.value.problem.startswith(problem)
    assert "Messages.csv" in str(caught.value)


def test_a_header_only_messages_file_means_no_messages(tmp_path: Path) -> None:
    loaded = load(_with_messages(tmp_path, ",".join(factory.MESSAGES_HEADER_2026).encode()))
    assert loaded.messages == ()
    check = audit(loaded).checks.context
    assert check is not None and dict(check.signals)["messages"] == 0


def test_messages_notes_drafts_and_odd_dates(tmp_path: Path) -> None:
    export_spec = spec()
    assert export_spec.messages is not None
    export_spec.messages.append(Message("2-z", WROTE, [ME], "9 March 2026", "hello"))
    loaded = load(factory.write_zip(export_spec, tmp_path / "x.zip"))
    assert "messages.csv: 1 unsent draft(s) were not counted as messages" in loaded.notes
    assert "messages.csv: 1 row(s) have a date not in LinkedIn's format (read anyway)" in loaded.notes
