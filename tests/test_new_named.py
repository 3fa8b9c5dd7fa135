"""What is new since the member's last run, named: in the terminal, in the quiet output cron mails, and
on the report's first line; and nothing called new when there is nothing to compare with."""

from __future__ import annotations

import re
from pathlib import Path

import factory
from test_history import FIRST, LATER, NOOR, exports, later_spec  # noqa: F401 (the fixture `exports`)

# The later export's three new endorsements to hide, most recent first, as the terminal names them.
NAMED = [
    "  new: Blockchain from Noor Haddad (not a connection)",
    "  new: Sales Pitching from Noor Haddad (not a connection)",
    "  new: php from Priya Raman, PhD (no context)",
]


def test_quiet_output_names_each_new_endorsement(run, exports, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    state = tmp_path / "h.sqlite3"
    first = run("audit", exports["first"], "--state", state, "-q", "--no-html")
    assert first.stdout == f"endorse-audit: 7 endorsements to hide in {FIRST}\n"  # a first run: none is "new"
    later = run("audit", exports["later"], "--state", state, "-q", "--no-html")
    assert later.stdout.splitlines() == [f"endorse-audit: 3 new endorsements to hide (10 in all) in {LATER}", *NAMED]


def test_no_state_calls_nothing_new(run, exports) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    quiet = run("audit", exports["later"], "--no-state", "-q", "--no-html")
    assert quiet.stdout == f"endorse-audit: 10 endorsements to hide in {LATER}\n"
    loud = run("audit", exports["later"], "--no-state")
    assert " new" not in loud.stdout
    html = (loud.folder / "endorse-audit-report.html").read_text(encoding="utf-8")
    assert 'class="new-count"' not in html and 'id="only-new"' not in html


def test_the_summary_names_the_ten_most_recent_then_says_how_many_more(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    state = tmp_path / "h.sqlite3"
    run("audit", factory.write_zip(factory.demo_spec(), tmp_path / FIRST), "--state", state)
    spec = later_spec()
    fresh = [factory.Person(f"Jo{i}", "Test", f"jo-test-{i:02d}") for i in range(12)]
    spec.received[:0] = [
        factory.Row(f"2026/01/31 {i + 10:02d}:00:00 UTC", f"Skill {i:02d}", p) for i, p in enumerate(fresh)
    ]
    result = run("audit", factory.write_zip(spec, tmp_path / LATER), "--state", state)
    lines = result.stdout.splitlines()
    at = lines.index(next(line for line in lines if re.match(r"  15 new since the last run on ", line)))
    assert lines[at + 1 : at + 12] == [
        *(f"  new: Skill {i:02d} from Jo{i} Test (not a connection)" for i in range(11, 1, -1)),
        "  and 5 more new (see the report)",
    ]


def test_the_report_counts_the_new_ones_on_its_first_line_and_lists_them_first(run, exports, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    state = tmp_path / "h.sqlite3"
    first = run("audit", exports["first"], "--state", state)
    html = (first.folder / "endorse-audit-report.html").read_text(encoding="utf-8")
    assert 'class="new-count"' not in html and 'id="only-new"' not in html  # a first run: nothing to compare with
    assert "First run of this member in the history: nothing to compare with yet" in html
    spec = later_spec()
    spec.received.append(factory.Row("2020/01/01 10:00:00 UTC", "Web Design", NOOR))  # new, and older than Kwame's
    run("audit", factory.write_zip(spec, tmp_path / "later" / LATER), "--state", state)
    html = (first.folder / "endorse-audit-report.html").read_text(encoding="utf-8")
    counts = re.search(r'<p class="counts">(.*?)</p>', html, re.S)
    assert counts is not None
    assert re.search(r'<strong class="new-count">4 new</strong> since \d{1,2} [A-Z][a-z]{2} \d{4}', counts.group(1))
    assert "only the 4 new" in html
    # Within its skill, a new one comes first: Noor's is above Kwame's, though Kwame's is more recent.
    web = html[html.index('data-skill="Web Design"') :]
    web = web[: web.index("</article>")]
    assert web.index("Noor") < web.index("Kwame")
    # The history section says where the badges are: above it.
    assert "They are marked" in html and "above" in html[html.index('id="history-title"') :][:2000]
