"""The report in headless Chromium (as test_browser.py): what is new on the first screen, the switch
that shows only the new ones, every list bounded at a real export's size, the charts' labels, a phone's
width, and printing."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import factory
import pytest
from test_browser import Watched, browser, playwright, pytestmark  # noqa: F401 (fixtures and marks)
from test_history import FIRST, LATER, later_spec

from endorse_audit.report import bounded

BOTTOM = "el => el.getBoundingClientRect().bottom + window.scrollY"


@pytest.fixture
def later_url(run: Any, tmp_path: Path) -> str:
    """The report of a later export, with a history that holds the member's first one."""
    state = tmp_path / "h.sqlite3"
    assert run("audit", factory.write_zip(factory.demo_spec(), tmp_path / FIRST), "--state", state).exit_code == 1
    assert run("audit", factory.write_zip(later_spec(), tmp_path / LATER), "--state", state).exit_code == 1
    return (tmp_path / "work" / "endorse-audit-report.html").resolve().as_uri()


def test_the_new_ones_are_counted_on_the_first_screen_and_can_be_shown_alone(browser: Any, later_url: str) -> None:  # noqa: F811
    watched = Watched(browser, later_url, viewport={"width": 1280, "height": 900})
    page = watched.page
    count = page.locator(".counts .new-count")
    assert count.inner_text() == "3 new" and count.is_visible()
    assert count.evaluate(BOTTOM) <= 900
    rows = page.locator("article.group tbody tr")
    assert rows.count() == 10
    page.locator("#only-new").check()
    shown = page.locator("article.group:not([hidden]) tbody tr:not([hidden])")
    assert shown.count() == 3
    assert shown.locator(".badge.new").count() == 3
    page.locator("#filter").fill("Sales")  # the filter and the switch together
    assert shown.count() == 1
    page.locator("#filter").fill("")
    page.locator("#only-new").uncheck()
    assert page.locator("article.group:not([hidden]) tbody tr:not([hidden])").count() == 10
    watched.assert_clean()
    watched.close()


# Each list or table of the report: the items it shows before a click (no more than 100).
LISTS = """() => {
  const shown = (el) => el.checkVisibility();
  const counts = [];
  document.querySelectorAll("main table").forEach((table) => {
    if (shown(table)) counts.push(["table " + (table.closest("section").querySelector("h2") || {}).textContent, table.querySelectorAll("tbody tr").length]);
  });
  document.querySelectorAll("main ul, main ol").forEach((list) => {
    if (shown(list)) counts.push(["list " + (list.closest("section").querySelector("h2") || {}).textContent, list.children.length]);
  });
  document.querySelectorAll("main section").forEach((section) => {
    const groups = Array.from(section.children).filter((c) => c.matches("article.group") && shown(c));
    if (groups.length) counts.push(["skill groups", groups.length]);
  });
  return counts;
}"""


def test_a_real_size_export_gives_a_short_page_with_every_list_bounded(browser: Any, run: Any, tmp_path: Path) -> None:  # noqa: F811
    """About a busy member's real export (1,528 requests without a note, 3,500 connections, 950
    endorsements): the page stays under 250 KB and 25,000 px at 1280 px, no list shows more than 100
    items before a click, and each one that shows fewer than it has says where the rest are."""
    export = factory.write_zip(factory.real_size_spec(), tmp_path / LATER)
    assert run("audit", export, "--no-state").exit_code == 1
    report = tmp_path / "work" / "endorse-audit-report.html"
    size = report.stat().st_size
    watched = Watched(browser, report.resolve().as_uri(), viewport={"width": 1280, "height": 900})
    page = watched.page
    height = page.evaluate("document.documentElement.scrollHeight")
    print(f"real-size report: {size / 1000:.0f} KB, {height} px tall at 1280 px")
    assert size < 250_000
    assert height < 25_000
    too_long = [(name, count) for name, count in page.evaluate(LISTS) if count > 100]
    assert too_long == []
    requests = page.locator("section[aria-labelledby=requests-title]")
    assert (
        f"{1528 - bounded.IN_PAGE:,} more, see the JSON" in requests.inner_text()
    )  # 25 shown, IN_PAGE in the page, the rest in the JSON
    requests.locator("details.more-rows summary").first.click()  # the next ones, one click away
    assert requests.locator("details.more-rows[open] tbody tr").count() == bounded.IN_PAGE - bounded.FEW
    watched.assert_clean()
    watched.close()


def _long_skill_url(run: Any, tmp_path: Path) -> str:
    """A report whose largest unlisted skill has a long name, and a history of two runs (a trend)."""
    spec = factory.demo_spec()
    long_name = "Business Process Improvement"
    people = [factory.Person(f"Ana{i}", "Costa", f"ana-costa-{i:02d}") for i in range(6)]
    spec.received[:0] = [factory.Row("2026/01/05 10:00:00 UTC", long_name, who) for who in people]
    state = tmp_path / "h.sqlite3"
    assert run("audit", factory.write_zip(factory.demo_spec(), tmp_path / FIRST), "--state", state).exit_code == 1
    assert run("audit", factory.write_zip(spec, tmp_path / LATER), "--state", state).exit_code == 1
    return (tmp_path / "work" / "endorse-audit-report.html").resolve().as_uri()


# Each label of the charts as drawn: its text, its font size in CSS pixels as shown, and whether it is
# cut (drawn past the left edge of the screen, or wider than its box).
LABELS = """() => Array.from(document.querySelectorAll(".bar-label, section.trend svg text")).map((el) => {
  const box = el.getBoundingClientRect();
  const size = parseFloat(getComputedStyle(el).fontSize) * (el.getScreenCTM ? el.getScreenCTM().a : 1);
  const cut = box.left < 0 || (el.scrollWidth !== undefined && el.scrollWidth > el.clientWidth + 1);
  return [el.textContent.trim(), Math.round(size * 10) / 10, cut];
})"""


@pytest.mark.parametrize("width", [1280, 390])
def test_chart_labels_are_whole_and_readable_on_a_phone(browser: Any, run: Any, tmp_path: Path, width: int) -> None:  # noqa: F811
    watched = Watched(
        browser, _long_skill_url(run, tmp_path), viewport={"width": width, "height": 844}, is_mobile=width < 500
    )
    labels = watched.page.evaluate(LABELS)
    texts = [text for text, _, _ in labels]
    assert "Business Process Improvement" in texts  # whole, not "usiness Process Improvement" nor cut short
    assert "a note on the request" in texts  # the context chart's labels too
    assert [label for label in labels if label[1] < 11 or label[2]] == []
    watched.assert_clean()
    watched.close()


def test_the_hide_tables_fit_a_phone(browser: Any, run: Any, tmp_path: Path) -> None:  # noqa: F811
    """At 390 px each skill's table of endorsements to hide fits its box: no last column cut off."""
    export = factory.write_zip(factory.real_size_spec(), tmp_path / LATER)  # long names, "not a connection"
    assert run("audit", export, "--no-state").exit_code == 1
    url = (tmp_path / "work" / "endorse-audit-report.html").resolve().as_uri()
    watched = Watched(browser, url, viewport={"width": 390, "height": 844}, is_mobile=True)
    wider = watched.page.evaluate(
        """() => Array.from(document.querySelectorAll("article.group .table-wrap"))
             .filter((w) => w.scrollWidth > w.clientWidth).map((w) => w.closest("article").dataset.skill)"""
    )
    assert wider == []
    watched.assert_clean()
    watched.close()


def test_print_has_no_blank_half_page_and_shows_each_links_address(browser: Any, run: Any, tmp_path: Path) -> None:  # noqa: F811
    pypdf = pytest.importorskip("pypdf")
    spec = factory.demo_spec()  # a first skill with more endorsements than a page holds
    people = [factory.Person(f"Ana{i}", "Costa", f"ana-costa-{i:02d}") for i in range(60)]
    spec.received[:0] = [factory.Row("2026/01/05 10:00:00 UTC", "Juggling", who) for who in people]
    assert run("audit", factory.write_zip(spec, tmp_path / LATER), "--no-state").exit_code == 1
    url = (tmp_path / "work" / "endorse-audit-report.html").resolve().as_uri()
    watched = Watched(browser, url)
    page = watched.page
    page.emulate_media(media="print")
    pdf = tmp_path / "report.pdf"
    page.pdf(path=str(pdf), format="A4")
    pages = [p.extract_text() for p in pypdf.PdfReader(str(pdf)).pages]
    assert "Ana0 Costa" in pages[0]  # the first skill starts on page 1, under the counts
    text = " ".join(" ".join(pages).split())
    assert "Open your skills page (https://www.linkedin.com/in/sam-rivera-5d21c8/details/skills/)" in text
    assert "Ana0 Costa (https://www.linkedin.com/in/ana-costa-00)" in text
    assert "(#" not in text  # links within the page print no address
    watched.assert_clean()
    watched.close()
