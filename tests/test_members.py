"""One history (--state) shared by two members: each member's runs are compared only with their own."""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

import factory
from test_history import ADDED, FIRST, LATER, SCHEMA_1, _new, later_spec


def alex_spec() -> factory.ExportSpec:
    """Another member whose endorsements are the same as Sam's later export (a coach's client, say)."""
    spec = later_spec()
    assert spec.profile is not None
    spec.profile = ("Alex", "Moreau", *spec.profile[2:])
    spec.invitations = None  # nor Sam's profile link
    return spec


def _exports(tmp_path: Path) -> dict[str, Path]:
    folder = tmp_path / "exports"
    return {
        "sam": factory.write_zip(factory.demo_spec(), folder / FIRST),
        # In between Sam's two exports, and in the columns of before 2022: a change of columns, if compared.
        "alex": factory.write_zip(
            alex_spec(), folder / "alex" / "Basic_LinkedInDataExport_06-01-2025.zip", old_header=True
        ),
        "sam later": factory.write_zip(later_spec(), folder / LATER),
    }


def _html(result) -> str:  # type: ignore[no-untyped-def]
    return (result.folder / "endorse-audit-report.html").read_text(encoding="utf-8")


def test_two_members_sharing_a_history_never_see_each_others_runs(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    exports, state = _exports(tmp_path), tmp_path / "family.sqlite3"
    assert run("audit", exports["sam"], "--state", state).exit_code == 1

    alex = run("audit", exports["alex"], "--state", state, "--json", "a.json")
    data = alex.json("a.json")
    # Alex's first run is a first run, though every one of Alex's endorsements to hide matches one of Sam's.
    assert (data["summary"]["to_hide"], data["summary"]["new_to_hide"]) == (10, 10)
    assert "new since the last run" not in alex.stdout
    assert f"first run of this member in the history ({state})" in alex.stdout
    assert "columns changed" not in alex.stdout  # Sam's export is not Alex's previous one
    html = _html(alex)
    assert "First run of this member in the history" in html and 'id="trend-desc"' not in html
    assert "columns changed" not in html

    sam = run("audit", exports["sam later"], "--state", state, "--json", "b.json")
    data = sam.json("b.json")
    # Counted against Sam's own first export: Alex's run, which had all of them, does not hide them.
    assert (data["summary"]["to_hide"], data["summary"]["new_to_hide"]) == (10, 3)
    assert _new(data) == ADDED
    assert re.search(r"^  3 new since the last run on \d{4}-\d\d-\d\d$", sam.stdout, re.MULTILINE)
    assert "columns changed" not in sam.stdout
    html = _html(sam)
    assert "Endorsements to hide in each of the last 2 runs, oldest first: 7, 10." in html  # Alex's 10 not drawn

    listing = run("history", "--state", state).stdout.splitlines()
    members = [line for line in listing if line.startswith("Member ")]
    assert members == ["Member 1: 2 runs", "Member 2: 1 run"]
    sam_rows = listing[listing.index(members[0]) + 1 : listing.index(members[1])]
    assert [row.split()[2] for row in sam_rows] == [FIRST, LATER]
    assert listing[-1] == f"3 runs of 2 members in {state}"


def test_a_run_that_names_no_member_is_nobodys_and_the_output_says_so(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """A run recorded before the history kept whose export it was (schema 1) may be anyone's: it is
    compared with no one, and a member's first run says why nothing is new."""
    from endorse_audit.audit import audit_path
    from endorse_audit.history import store as history

    exports, state = _exports(tmp_path), tmp_path / "old.sqlite3"
    table = audit_path(exports["sam"]).endorsements
    with sqlite3.connect(state) as db:
        db.executescript(SCHEMA_1)
        db.execute(
            "INSERT INTO runs VALUES (1, 'x', 'old.zip', '2024-03-18', '2024-03-20T08:00:00+00:00',"
            " '2024-03-20T08:00:00+00:00', 15, 30, 7, 7, 3, 6, 2, '{}')"
        )
        db.executemany(
            "INSERT INTO hidden VALUES (?, 1)", ((f,) for f in set(history.fingerprints(table[table["hide"]])))
        )
    later = run("audit", exports["sam later"], "--state", state, "--json", "b.json")
    assert later.json("b.json")["summary"]["new_to_hide"] == 10
    assert (
        f"  first run of this member in the history ({state}); 1 earlier run names no member"
        " (recorded by an older endorse-audit) and is not compared\n"
    ) in later.stdout
    listing = run("history", "--state", state).stdout.splitlines()
    assert "Runs that name no member (recorded by an older endorse-audit): 1 run" in listing
