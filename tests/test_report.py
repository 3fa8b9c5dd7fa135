"""The outputs: the HTML report pinned by a golden file, the CSV hide list, atomic writes."""

from __future__ import annotations

import csv
import io
import os
import re
from datetime import UTC, datetime
from html.parser import HTMLParser
from pathlib import Path

import factory
import pytest
from conftest import SAMPLE_CONFIG, SAMPLE_ZIP

from endorse_audit.audit import audit
from endorse_audit.config import load_config
from endorse_audit.errors import OutputError
from endorse_audit.export import load
from endorse_audit.outputs import write_outputs
from endorse_audit.report import render_html
from endorse_audit.report_csv import neutralise, render_csv

GOLDEN = Path(__file__).parent / "golden" / "sample-report.html"
GENERATED_AT = datetime(2026, 11, 21, 9, 30, tzinfo=UTC)


def _sample_audit():  # type: ignore[no-untyped-def]
    return audit(load(SAMPLE_ZIP), load_config(SAMPLE_CONFIG))


def test_sample_report_matches_the_golden_file() -> None:
    """Regenerate after an intended change with: UPDATE_GOLDEN=1 python -m pytest tests/test_report.py"""
    html = render_html(_sample_audit(), GENERATED_AT)
    if os.environ.get("UPDATE_GOLDEN"):
        GOLDEN.write_text(html, encoding="utf-8")
    assert html == GOLDEN.read_text(encoding="utf-8")


def test_report_is_deterministic() -> None:
    assert render_html(_sample_audit(), GENERATED_AT) == render_html(_sample_audit(), GENERATED_AT)


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.text: list[str] = []
        self.hrefs: list[str] = []
        self.tags: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.hrefs += [v or "" for k, v in attrs if k == "href"]

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def test_hostile_names_stay_text_and_links_are_rebuilt(tmp_path: Path) -> None:
    spec = factory.demo_spec()
    evil = factory.Person("<script>alert(1)</script>", '"><img src=x onerror=alert(2)>', None)
    spec.received.insert(0, factory.Row("2026/01/01 00:00:00 UTC", "<b>Hacking</b>", evil))
    path = factory.write_zip(spec, tmp_path / "x.zip")
    # A javascript: URL in the URL column must never become a link.
    data = path.read_bytes()
    html = render_html(audit(load(path)), GENERATED_AT)
    parser = _Text()
    parser.feed(html)
    text = "".join(parser.text)
    assert "<script>alert(1)</script>" in text and '"><img src=x onerror=alert(2)>' in text
    assert "img" not in parser.tags and "b" not in parser.tags
    assert all(h.startswith(("https://www.linkedin.com/in/", "#")) for h in parser.hrefs)
    assert data == path.read_bytes()


def test_csv_hide_list_neutralises_formulas(tmp_path: Path) -> None:
    spec = factory.demo_spec()
    spec.received.insert(
        0, factory.Row("2026/01/01 00:00:00 UTC", '=HYPERLINK("x")', factory.Person("+cmd", "@SUM(A1)", None))
    )
    rows = list(csv.reader(io.StringIO(render_csv(audit(load(factory.write_zip(spec, tmp_path / "x.zip")))))))
    assert rows[0][:3] == ["\ufeffSkill", "Endorser", "Profile URL"]
    assert rows[1][:2] == ['\'=HYPERLINK("x")', "'+cmd @SUM(A1)"]
    assert all(not cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row)


@pytest.mark.parametrize(
    "cell, safe", [("=1+1", "'=1+1"), ("-2", "'-2"), ("\tx", "'\tx"), ("\rx", "'\rx"), ("plain", "plain"), ("", "")]
)
def test_neutralise(cell: str, safe: str) -> None:
    assert neutralise(cell) == safe


def test_write_outputs_is_all_or_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    first, second = tmp_path / "a.html", tmp_path / "b.json"
    write_outputs({first: "old a", second: "old b"})
    real_replace = os.replace
    calls = []

    def failing_stage(path: Path, text: str) -> str:
        if path == second:
            raise OSError(28, "No space left on device")
        calls.append(path)
        return real_stage(path, text)

    from endorse_audit import outputs

    real_stage = outputs._stage
    monkeypatch.setattr(outputs, "_stage", failing_stage)
    with pytest.raises(OutputError, match="b.json: cannot be written \\(No space left on device\\)"):
        write_outputs({first: "new a", second: "new b"})
    assert (first.read_text(), second.read_text()) == ("old a", "old b")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.html", "b.json"]
    assert real_replace is os.replace


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
    from endorse_audit.report_dates import when

    assert (when(text).text, when(text).sort) == (shown, key)


def test_the_sample_report_says_each_thing_once_and_exactly() -> None:
    html = render_html(_sample_audit(), GENERATED_AT)
    parser = _Text()
    parser.feed(html.split("<script")[0])
    text = " ".join("".join(parser.text).split())
    assert not re.search(r"\b\d{4}-\d\d-\d\d\b|\d{1,2}/\d{1,2}/\d\d|\d:\d\d [AP]M", text)  # one date format
    assert "Spellings to merge" not in text and text.count("Spellings of your listed skills to review") == 2
    assert "Economics ," not in text and "people involved" not in text
    assert "endorsements of your listed skills (" in text and "endorsements of skills you never listed (" in text
    for table in re.findall(r"<table[^>]*>.*?</table>", html, re.S):  # a table of one row sorts nothing
        if table.count("<tr>") + table.count("<tr ") <= 2:
            assert "sortable" not in table.split(">")[0], table[:200]


def test_csv_says_what_the_report_says_and_opens_in_excel(tmp_path: Path) -> None:
    from endorse_audit.report_view import HINT_SCORE

    result = _sample_audit()
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
    from endorse_audit.report_csv import connected_on

    assert connected_on("23 Jun 2020", True) == "2020-06-23"
    assert connected_on("2/8/24, 6:14 PM", True) == "2024-02-08"
    assert connected_on("", False) == "not a connection"
    assert connected_on("", None) == ""  # no Connections.csv: unknown
