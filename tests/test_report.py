"""The outputs: the HTML report pinned by a golden file, the CSV hide list, atomic writes."""

from __future__ import annotations

import csv
import errno
import io
import os
import re
from collections.abc import Iterator
from datetime import UTC, datetime
from html.parser import HTMLParser
from pathlib import Path

import factory
import hostile_corpus
import pytest
from conftest import FORMULA_PREFIXES, SAMPLE_CONFIG, SAMPLE_ZIP, PageText

from endorse_audit.audit import audit
from endorse_audit.config import load_config
from endorse_audit.errors import OutputError
from endorse_audit.model import Audit
from endorse_audit.reading.export import load
from endorse_audit.report.csv import neutralise, render_csv
from endorse_audit.report.outputs import write_outputs
from endorse_audit.report.render import render_html

GOLDEN = Path(__file__).parent / "golden" / "sample-report.html"
GENERATED_AT = datetime(2026, 11, 21, 9, 30, tzinfo=UTC)


def test_sample_report_matches_the_golden_file(sample_audit) -> None:  # type: ignore[no-untyped-def]
    """Regenerate after an intended change with: UPDATE_GOLDEN=1 python -m pytest tests/test_report.py"""
    html = render_html(sample_audit, GENERATED_AT)
    if os.environ.get("UPDATE_GOLDEN"):
        GOLDEN.write_text(html, encoding="utf-8")
    assert html == GOLDEN.read_text(encoding="utf-8")


def test_report_is_deterministic(sample_audit) -> None:  # type: ignore[no-untyped-def]
    again = audit(load(SAMPLE_ZIP), load_config(SAMPLE_CONFIG))  # a second audit, not only a second rendering
    assert render_html(again, GENERATED_AT) == render_html(sample_audit, GENERATED_AT)


def test_hostile_names_stay_text_and_links_are_rebuilt(tmp_path: Path) -> None:
    spec = factory.demo_spec()
    evil = factory.Person("<script>alert(1)</script>", '"><img src=x onerror=alert(2)>', None)
    spec.received.insert(0, factory.Row("2026/01/01 00:00:00 UTC", "<b>Hacking</b>", evil))
    files = factory.export_files(spec)
    # The factory leaves the evil endorser's URL column empty: put a javascript: URL in it.
    received = files["Endorsement_Received_Info.csv"].splitlines(keepends=True)
    assert received[1].endswith(",,ACCEPTED\n") and "<b>Hacking</b>" in received[1]
    received[1] = received[1].removesuffix(",,ACCEPTED\n") + ",javascript:alert(3),ACCEPTED\n"
    files["Endorsement_Received_Info.csv"] = "".join(received)
    path = hostile_corpus.write_zip(tmp_path / "x.zip", {name: text.encode() for name, text in files.items()})
    data = path.read_bytes()
    result = audit(load(path))
    evil_rows = result.endorsements[result.endorsements["skill"] == "<b>Hacking</b>"]
    assert len(evil_rows) == 1 and evil_rows.iloc[0]["hide"]  # the row is read, and shown as one to hide
    html = render_html(result, GENERATED_AT)
    page = PageText(html)
    assert "<script>alert(1)</script>" in page.text and '"><img src=x onerror=alert(2)>' in page.text
    assert "img" not in page.tags and "b" not in page.tags
    assert page.hrefs and all(h.startswith(("https://www.linkedin.com/in/", "#")) for h in page.hrefs)
    assert "javascript:" not in html
    assert data == path.read_bytes()


def test_csv_hide_list_neutralises_formulas(tmp_path: Path) -> None:
    spec = factory.demo_spec()
    spec.received.insert(
        0, factory.Row("2026/01/01 00:00:00 UTC", '=HYPERLINK("x")', factory.Person("+cmd", "@SUM(A1)", None))
    )
    rows = list(csv.reader(io.StringIO(render_csv(audit(load(factory.write_zip(spec, tmp_path / "x.zip")))))))
    assert rows[0][:3] == ["\ufeffSkill", "Endorser", "Profile URL"]
    assert rows[1][:2] == ['\'=HYPERLINK("x")', "'+cmd @SUM(A1)"]
    assert all(not cell.startswith(FORMULA_PREFIXES) for row in rows for cell in row)


@pytest.mark.parametrize(
    "cell, safe", [("=1+1", "'=1+1"), ("-2", "'-2"), ("\tx", "'\tx"), ("\rx", "'\rx"), ("plain", "plain"), ("", "")]
)
def test_neutralise(cell: str, safe: str) -> None:
    assert neutralise(cell) == safe


def _disk_fills_up(text: str) -> Iterator[str]:
    """Contents whose writing fails half-way, as it does when the disk is full."""
    yield text
    raise OSError(errno.ENOSPC, "No space left on device")


@pytest.mark.parametrize("failing", ["a.html", "b.json"])
def test_a_failed_write_keeps_the_earlier_outputs_and_leaves_no_temporary_file(tmp_path: Path, failing: str) -> None:
    earlier = {tmp_path / "a.html": "rapport précédent\n", tmp_path / "b.json": '{"old": true}\n'}
    write_outputs(earlier)
    before = {path: (path.read_bytes(), path.stat().st_mode) for path in earlier}
    new: dict[Path, str | Iterator[str]] = {
        tmp_path / "a.html": "new report",
        tmp_path / "b.json": "new json",
        tmp_path / "c.csv": "new csv",  # not there before: must not appear
    }
    new[tmp_path / failing] = _disk_fills_up("half of it")
    with pytest.raises(OutputError) as raised:
        write_outputs(new)
    assert str(raised.value) == (
        f"{tmp_path / failing}: cannot be written (No space left on device); "
        "free some disk space or write to another disk; earlier outputs were kept"
    )
    assert {path: (path.read_bytes(), path.stat().st_mode) for path in earlier} == before
    assert sorted(os.listdir(tmp_path)) == ["a.html", "b.json"]  # no c.csv, no .a.html.*.tmp


def test_missing_output_folder_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(OutputError, match="folder .* does not exist"):
        write_outputs({tmp_path / "nope" / "r.html": "x"})


@pytest.mark.parametrize(
    "text, shown, key",
    [
        ("2021-06-14T09:00:00Z", "14 Jun 2021", "2021-06-14"),
        ("23 Jun 2020", "23 Jun 2020", "2020-06-23"),
        ("08 Feb 2024", "8 Feb 2024", "2024-02-08"),
        ("11/17/26, 8:12 AM", "17 Nov 2026", "2026-11-17"),
        ("sometime in 2019", "sometime in 2019", "sometime in 2019"),
        ("", "", ""),
    ],
)
def test_every_date_format_of_the_export_is_shown_one_way(text: str, shown: str, key: str) -> None:
    from endorse_audit.report.dates import when

    assert (when(text).text, when(text).sort) == (shown, key)


def test_the_sample_report_says_each_thing_once_and_exactly(sample_audit: Audit) -> None:
    html = render_html(sample_audit, GENERATED_AT)
    text = " ".join(PageText(html.split("<script")[0]).text.split())
    assert not re.search(r"\b\d{4}-\d\d-\d\d\b|\d{1,2}/\d{1,2}/\d\d|\d:\d\d [AP]M", text)  # one date format
    assert "Spellings to merge" not in text and text.count("Spellings of your listed skills to review") == 2
    assert "Economics ," not in text and "people involved" not in text
    assert "endorsements of your listed skills (" in text and "endorsements of skills you never listed (" in text
    for table in re.findall(r"<table[^>]*>.*?</table>", html, re.S):  # a table of one row sorts nothing
        if table.count("<tr>") + table.count("<tr ") <= 2:
            assert "sortable" not in table.split(">")[0], table[:200]


def test_connections_csv_opens_in_excel_with_accents(run) -> None:  # type: ignore[no-untyped-def]
    result = run("audit", SAMPLE_ZIP, "--no-state", "--no-html", "--connections-csv", "connections.csv")
    assert result.exit_code == 1, result.stdout + result.stderr
    data = (result.folder / "connections.csv").read_bytes()
    assert data.startswith(b"\xef\xbb\xbfName,")  # UTF-8 with a BOM, as the hide list: Excel reads "Nyström"
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    assert any(row["Name"] == "Oskar Nyström" for row in rows)


def test_csv_says_what_the_report_says_and_opens_in_excel(tmp_path: Path, sample_audit: Audit) -> None:
    from endorse_audit.report.view import HINT_SCORE

    result = sample_audit
    text = render_csv(result)
    assert text.startswith("\ufeffSkill,")  # UTF-8 with a BOM: Excel on Windows reads "Wiśniewski" as written
    path = tmp_path / "hide.csv"
    write_outputs({path: text})
    assert path.read_bytes().startswith(b"\xef\xbb\xbfSkill,")
    rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8-sig"))))
    assert list(rows[0]) == [
        "Skill",
        "Endorser",
        "Profile URL",
        "Endorsement Date",
        "Connected On",
        "LinkedIn Status",
        "Closest Listed Skill",
        "New",
        "Note",
    ]
    assert any(row["Endorser"] == "Grzegorz Wiśniewski" for row in rows)
    assert {row["New"] for row in rows} == {"yes"}  # without a history every one is new
    scores = {s.verdict.name: s.verdict.score for s in result.skills}
    for row in rows:  # a hint only where the report shows one
        assert bool(row["Closest Listed Skill"]) == ((scores[row["Skill"]] or 0) >= HINT_SCORE), row
    assert any(row["Closest Listed Skill"] for row in rows) and not all(row["Closest Listed Skill"] for row in rows)
    on = {row["Connected On"] for row in rows}
    assert "not a connection" in on and all(d == "not a connection" or re.fullmatch(r"\d{4}-\d\d-\d\d", d) for d in on)


def test_csv_connected_on_tells_not_a_connection_from_unknown() -> None:
    from endorse_audit.report.csv import connected_on

    assert connected_on("23 Jun 2020", True) == "2020-06-23"
    assert connected_on("2/8/24, 6:14 PM", True) == "2024-02-08"
    assert connected_on("", False) == "not a connection"
    assert connected_on("", None) == ""  # no Connections.csv: unknown


class _Isolation(HTMLParser):
    """Collect every text node with the elements it sits in."""

    VOID = frozenset({"meta", "link", "input", "br", "img", "hr", "rect", "line", "polyline", "circle", "path"})

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[str] = []
        self.texts: list[tuple[tuple[str, ...], str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in self.VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        pass

    def handle_endtag(self, tag: str) -> None:
        if tag in self.stack:
            while self.stack.pop() != tag:
                pass

    def handle_data(self, data: str) -> None:
        self.texts.append((tuple(self.stack), data))


BIDI_CONTROLS = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c"


def test_every_value_from_the_export_is_isolated_so_an_override_cannot_reorder_the_page(tmp_path: Path) -> None:
    """A right-to-left override in a name reversed the report's own words around it ("...ti htiw og")."""
    html = render_html(audit(load(hostile_corpus.hostile_export(tmp_path))), GENERATED_AT)
    page = _Isolation()
    page.feed(html)
    with_controls = [(stack, text) for stack, text in page.texts if any(c in text for c in BIDI_CONTROLS)]
    assert with_controls  # the hostile export does put overrides in names
    for stack, text in with_controls:
        isolated = "bdi" in stack or (stack and stack[-1] in ("text", "title", "desc", "script"))
        assert isolated, (stack, text)
    assert "bdi, svg text { unicode-bidi: isolate; }" in html


def test_by_endorser_names_a_few_skills_then_says_how_many_more(tmp_path: Path) -> None:
    """A person who endorsed many unlisted skills: the page names some and counts the rest, so its size
    stops growing with the export's (the CSV and the JSON keep every one)."""
    from endorse_audit.report.view import SKILLS_PER_PERSON, report_view

    spec = factory.demo_spec()
    bulk = spec.received[8]
    spec.received += [factory.Row(bulk.date, f"Made Up Skill {number:02d}", bulk.endorser) for number in range(30)]
    result = audit(load(factory.write_zip(spec, tmp_path / "export.zip")))
    person = next(group for group in report_view(result, GENERATED_AT)["by_endorser"] if group.count > 30)
    assert len(person.skills) == SKILLS_PER_PERSON
    assert person.more_skills == person.count - SKILLS_PER_PERSON
    assert f", and {person.more_skills} more</td>" in render_html(result, GENERATED_AT)
