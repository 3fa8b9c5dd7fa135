"""The report in a real browser: headless Chromium driven by Playwright.

Run only these with `python -m pytest -m browser`. They need Debian's Chromium at /usr/bin/chromium
(`apt-get install chromium`; `.ci/run` installs it). Screenshots of the sample report are saved in
tests/screenshots/ (light, dark, narrow); the README shows the light one.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import factory
import pytest
from conftest import SAMPLE_CONFIG, SAMPLE_ZIP

CHROMIUM = os.environ.get("ENDORSE_AUDIT_CHROMIUM", "/usr/bin/chromium")
SCREENSHOTS = Path(__file__).parent / "screenshots"
LAUNCH_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason=f"no Chromium at {CHROMIUM} (apt-get install chromium)"),
]


@pytest.fixture(scope="module")
def playwright() -> Iterator[Any]:
    playwright_api = pytest.importorskip("playwright.sync_api")
    with playwright_api.sync_playwright() as instance:
        yield instance


@pytest.fixture(scope="module")
def browser(playwright: Any) -> Iterator[Any]:
    instance = playwright.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
    yield instance
    instance.close()


class Watched:
    """A page with everything a test must check recorded: dialogs, requests, console errors."""

    def __init__(self, browser: Any, url: str, **context_options: Any) -> None:
        self.context = browser.new_context(**context_options)
        self.dialogs: list[str] = []
        self.outside_requests: list[str] = []
        self.errors: list[str] = []
        self.context.route("**/*", self._route)
        self.page = self.context.new_page()
        self.page.on("dialog", self._dialog)
        self.page.on("console", lambda message: message.type == "error" and self.errors.append(message.text))
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))
        self.page.goto(url)

    def _route(self, route: Any) -> None:
        if route.request.url.startswith("file://"):
            route.continue_()
        else:
            self.outside_requests.append(route.request.url)
            route.abort()

    def _dialog(self, dialog: Any) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def assert_clean(self) -> None:
        assert self.dialogs == []
        assert self.outside_requests == []
        assert self.errors == []

    def close(self) -> None:
        self.context.close()


def _report(run: Any, export: Path, *extra: str | Path) -> str:
    result = run("audit", export, *extra)
    assert result.exit_code in (0, 1), result.stderr
    return (result.folder / "endorse-audit-report.html").resolve().as_uri()


@pytest.fixture
def sample_url(run: Any, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1795680000")  # a fixed "generated" time: stable screenshots
    return _report(run, SAMPLE_ZIP, "--config", SAMPLE_CONFIG)


@pytest.fixture
def hostile_url(run: Any, tmp_path: Path) -> str:
    spec = factory.demo_spec()
    payloads = [
        factory.Person("<script>alert(1)</script>", "<script>window.__pwned=1</script>", None),
        factory.Person('"><img src=x onerror="alert(2);window.__pwned=2">', "Evil", None),
        factory.Person("Jay", "</script><script>alert(3)</script>", None),
        factory.Person("Javier", "Script", None),
    ]
    for index, person in enumerate(payloads):
        skill = ["<img src=x onerror=alert(4)>", "</script><script>alert(5)</script>", "Web Design", "Hacking"][index]
        spec.received.insert(0, factory.Row(f"2026/01/0{index + 1} 00:00:00 UTC", skill, person))
    path = factory.write_zip(spec, tmp_path / "Basic_LinkedInDataExport_01-05-2026.zip")
    # A javascript: profile URL in the URL column (the factory writes www.linkedin.com/in/<slug>).
    import zipfile

    with zipfile.ZipFile(path) as source:
        members = {info.filename: source.read(info) for info in source.infolist()}
    received = members["Endorsement_Received_Info.csv"].decode()
    received = received.replace(",,ACCEPTED\n", ",javascript:alert(6),ACCEPTED\n", 1)
    members["Endorsement_Received_Info.csv"] = received.encode()
    with zipfile.ZipFile(path, "w") as target:
        for name, data in members.items():
            target.writestr(name, data)
    return _report(run, path)


def test_sample_report_renders_with_no_errors_and_saves_screenshots(browser: Any, sample_url: str) -> None:
    SCREENSHOTS.mkdir(exist_ok=True)
    for name, options in {
        "report-light": {"viewport": {"width": 1100, "height": 1400}, "color_scheme": "light"},
        "report-dark": {"viewport": {"width": 1100, "height": 1400}, "color_scheme": "dark"},
        "report-narrow": {"viewport": {"width": 390, "height": 844}, "color_scheme": "light", "is_mobile": True},
    }.items():
        watched = Watched(browser, sample_url, **options)
        page = watched.page
        assert page.title() == "Endorsement audit for Jordan Avery"
        assert page.locator(".counts .to-hide").inner_text() == "18"
        assert page.locator("section[aria-labelledby=chart-title] ol.bars .bar.unlisted").count() == 12
        assert page.locator("#progress").inner_text() == "0 of 18 done"  # the script ran under the CSP
        # Nothing is wider than the screen: the page never scrolls sideways, even on a phone.
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
        page.screenshot(path=str(SCREENSHOTS / f"{name}.png"))
        watched.assert_clean()
        watched.close()


def test_hostile_names_never_run_and_nothing_leaves_the_page(browser: Any, hostile_url: str) -> None:
    watched = Watched(browser, hostile_url)
    page = watched.page
    page.locator("#filter").fill("script")  # exercise the script on the hostile rows too
    page.locator("section[aria-labelledby=people-title] th button").first.click()
    assert page.evaluate("window.__pwned") is None
    assert page.locator("img").count() == 0
    body = page.locator("body").inner_text()
    assert "<script>alert(1)</script>" in body
    assert '"><img src=x onerror="alert(2);window.__pwned=2">' in body
    hrefs = page.eval_on_selector_all("a[href]", "links => links.map(a => a.getAttribute('href'))")
    outside = [h for h in hrefs if not h.startswith("#")]  # links within the page aside
    assert outside and all(h.startswith("https://www.linkedin.com/in/") for h in outside)
    rels = page.eval_on_selector_all("a[href]:not([href^='#'])", "links => links.map(a => a.rel)")
    assert set(rels) == {"noopener noreferrer"}
    watched.assert_clean()
    watched.close()


def _rows(page: Any, table: Any) -> list[str]:
    return [text.strip() for text in table.locator("tbody tr:not([hidden]) td:nth-child(1)").all_inner_texts()]


def test_sorting_and_filtering_change_what_a_person_sees(browser: Any, sample_url: str) -> None:
    watched = Watched(browser, sample_url)
    page = watched.page
    people = page.locator("section[aria-labelledby=people-title] table")
    before = _rows(page, people)
    people.locator("th button", has_text="Endorser").click()
    ascending = _rows(page, people)
    assert ascending == sorted(before, key=str.lower) and ascending != before
    assert people.locator("th[aria-sort=ascending]").count() == 1
    people.locator("th button", has_text="Endorser").click()
    assert _rows(page, people) == ascending[::-1]

    people.locator("th button", has_text="Connected on").click()  # by date, not alphabetically
    keys = people.locator("tbody tr td:nth-child(5)").evaluate_all("cells => cells.map(c => c.dataset.sort)")
    assert keys == sorted(keys) and len(set(keys)) > 2

    page.locator("#filter").fill("consult")
    visible_groups = page.locator("article.group:not([hidden]) h3").all_inner_texts()
    assert [g.split(" ")[0] for g in visible_groups] == ["Consulting"]
    page.locator("#filter").fill("Tamar")
    assert _rows(page, people) == ["Tamar Ben-David"]
    page.locator("#filter").fill("no such person")
    assert page.locator("#no-match").is_visible()
    page.locator("#filter").fill("")
    assert page.locator("article.group:not([hidden])").count() == 12
    watched.assert_clean()
    watched.close()


def test_a_ticked_checkbox_survives_a_reload(browser: Any, sample_url: str) -> None:
    watched = Watched(browser, sample_url)
    page = watched.page
    first = page.locator("input.done").first
    first.focus()
    page.keyboard.press("Space")  # keyboard usable
    assert page.locator("#progress").inner_text() == "1 of 18 done"
    page.reload()
    assert page.locator("input.done").first.is_checked()
    assert page.locator("#progress").inner_text() == "1 of 18 done"
    watched.assert_clean()
    watched.close()


def test_dark_and_print_styles_apply(browser: Any, sample_url: str) -> None:
    background = "getComputedStyle(document.body).backgroundColor"
    light = Watched(browser, sample_url, color_scheme="light")
    dark = Watched(browser, sample_url, color_scheme="dark")
    assert light.page.evaluate(background) == "rgb(255, 255, 255)"
    assert dark.page.evaluate(background) == "rgb(17, 21, 28)"
    page = dark.page
    page.locator("#filter").fill("Consulting")
    assert page.locator("article.group:not([hidden])").count() == 1
    page.emulate_media(media="print")
    assert page.evaluate(background) == "rgb(255, 255, 255)"
    assert not page.locator(".controls").is_visible()
    assert not page.locator("input.done").first.is_visible()
    assert page.locator("article.group").evaluate_all("groups => groups.every(g => g.offsetHeight > 0)")
    people_rows = page.locator("section[aria-labelledby=people-title] tbody tr")
    assert people_rows.evaluate_all("rows => rows.every(r => r.offsetHeight > 0)")  # all rows, filter or not
    for watched in (light, dark):
        watched.assert_clean()
        watched.close()


def test_page_is_complete_without_javascript(browser: Any, sample_url: str) -> None:
    watched = Watched(browser, sample_url, java_script_enabled=False)
    page = watched.page
    assert page.locator("article.group").count() == 12
    assert page.locator("section[aria-labelledby=people-title] tbody tr").count() == 6
    assert not page.locator(".controls").is_visible()  # no dead controls without the script
    watched.assert_clean()
    watched.close()


# A word of a table cell drawn on more than one line (its pieces at different heights).
SPLIT_WORDS = """(selector) => {
  const split = [];
  document.querySelectorAll(selector).forEach((cell) => {
    if (cell.offsetParent === null) return;
    const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      for (const word of node.data.matchAll(/\\S+/g)) {
        const range = document.createRange();
        range.setStart(node, word.index);
        range.setEnd(node, word.index + word[0].length);
        const lines = new Set(Array.from(range.getClientRects()).filter((r) => r.width > 0).map((r) => Math.round(r.top)));
        if (lines.size > 1) split.push(word[0]);
      }
    }
  });
  return split;
}"""


@pytest.mark.parametrize("width, height", [(1280, 900), (390, 844)])
def test_the_first_screen_is_the_to_do(browser: Any, sample_url: str, width: int, height: int) -> None:
    watched = Watched(browser, sample_url, viewport={"width": width, "height": height}, is_mobile=width < 500)
    page = watched.page
    top = "el => el.getBoundingClientRect().top + window.scrollY"
    bottom = "el => el.getBoundingClientRect().bottom + window.scrollY"
    # The title, one line of counts, then the endorsements to hide with their tick boxes: the first
    # skill's rows are on the first screen, before the chart and everything else.
    assert page.locator("#hide-title").evaluate(top) < height / 3
    first_row = page.locator("article.group").first.locator("tbody tr").first
    assert first_row.evaluate(bottom) <= height
    assert first_row.locator("input.done").is_visible()
    assert page.locator("#chart-title").evaluate(top) > page.locator("#hide-title").evaluate(top)
    watched.assert_clean()
    watched.close()


def test_print_shows_every_step_and_no_controls(browser: Any, sample_url: str) -> None:
    watched = Watched(browser, sample_url)
    page = watched.page
    details = page.locator("details")
    assert details.count() >= 1
    assert not page.locator("details#howto").evaluate("d => d.open")  # closed on the screen
    page.locator("input.done").first.check()
    page.emulate_media(media="print")
    ticked = page.locator("tr.is-done").first
    assert ticked.locator(".tick-note").is_visible() and ticked.locator(".tick-note").inner_text().startswith("✓")
    assert page.locator("#ticks-legend").is_visible()  # what a ✓ means, on paper too
    assert "line-through" not in ticked.locator("td").nth(1).evaluate("c => getComputedStyle(c).textDecoration")
    for index in range(details.count()):
        shown = details.nth(index).evaluate(
            "d => Array.from(d.children).filter(c => c.tagName !== 'SUMMARY').map(c => c.checkVisibility() ? c.innerText : '').join(' ')"
        )
        assert shown.strip(), details.nth(index).inner_html()[:200]  # every closed <details> prints its content
        if details.nth(index).get_attribute("id") == "howto":
            assert "Delete skill" in shown and "cannot tell" in shown, shown
    arrows = page.locator("th button.sort").first.evaluate("b => getComputedStyle(b, '::after').content")
    assert arrows in ("none", "normal")
    assert not page.locator(".controls").is_visible()
    watched.assert_clean()
    watched.close()


def test_table_words_stay_whole_on_a_phone(browser: Any, sample_url: str, tmp_path: Path, run: Any) -> None:
    watched = Watched(browser, sample_url, viewport={"width": 390, "height": 844}, is_mobile=True)
    assert watched.page.evaluate(SPLIT_WORDS, "th, td") == []
    assert watched.page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    watched.assert_clean()
    watched.close()


def test_a_tick_outlives_the_export_and_the_report(playwright: Any, tmp_path: Path, run: Any) -> None:
    """Cron writes the same report file after each export: a tick made in one report is there in the
    next one (same endorsement, another export), at that path or any other, with the day it was made."""
    from test_history import FIRST, LATER, later_spec

    first = factory.write_zip(factory.demo_spec(), tmp_path / FIRST)
    later = factory.write_zip(later_spec(), tmp_path / LATER)
    report = (tmp_path / "work" / "report.html").resolve()
    assert run("audit", first, "--html", report, "--no-state").exit_code == 1
    if True:  # a persistent profile, as a person's browser keeps its storage between visits
        context = playwright.chromium.launch_persistent_context(
            str(tmp_path / "profile"), executable_path=CHROMIUM, args=LAUNCH_ARGS
        )
        try:
            page = context.new_page()
            page.goto(report.as_uri())
            assert page.locator("#progress").inner_text() == "0 of 7 done"
            row = page.locator("article.group[data-skill='php'] tbody tr", has_text="Kwame")
            box = row.locator("input.done")
            key = box.get_attribute("data-key")
            box.check()
            assert row.locator(".tick-note").inner_text().startswith("✓ ticked on ")
            assert page.locator("#ticks-legend").is_visible()
            page.close()

            # The next export, written over the same file: rows moved, "php" now spelled "PHP".
            assert run("audit", later, "--html", report, "--no-state").exit_code == 1
            page = context.new_page()
            page.goto(report.as_uri())
            ticked = page.locator(f"input.done[data-key='{key}']")
            assert ticked.count() == 1 and ticked.is_checked()
            assert page.locator("#progress").inner_text() == "1 of 10 done"
            # Ticked before this export was made and still in it: flagged.
            page.evaluate(f"localStorage.setItem('endorse-audit:ticks', JSON.stringify({{'{key}': '2026-01-15'}}))")
            page.reload()
            note = page.locator(f"tr:has(input[data-key='{key}']) .tick-note")
            assert note.inner_text() == "✓ ticked on 15 Jan 2026, still visible in the export of 1 Feb 2026"
            assert page.locator("#progress").inner_text() == "1 of 10 done (1 still visible in this export)"
            page.close()

            # The same report saved elsewhere: the same tick.
            elsewhere = tmp_path / "elsewhere"
            elsewhere.mkdir()
            (elsewhere / "copy.html").write_bytes(report.read_bytes())
            page = context.new_page()
            page.goto((elsewhere / "copy.html").as_uri())
            assert page.locator(f"input.done[data-key='{key}']").is_checked()
        finally:
            context.close()


@pytest.mark.parametrize("width", [1280, 390])
def test_index_page_keeps_words_whole(browser: Any, run: Any, tmp_path: Path, width: int) -> None:
    from test_history import later_spec

    first = factory.write_zip(factory.demo_spec(), tmp_path / "a" / "Basic_LinkedInDataExport_03-18-2024.zip")
    later = factory.write_zip(later_spec(), tmp_path / "b" / "Basic_LinkedInDataExport_02-01-2026.zip")
    assert run("audit", first, later, "--jobs", "1").exit_code == 1
    index = (tmp_path / "work" / "endorse-audit-reports" / "index.html").resolve().as_uri()
    watched = Watched(browser, index, viewport={"width": width, "height": 900}, is_mobile=width < 500)
    assert watched.page.evaluate(SPLIT_WORDS, "th, td") == []
    assert watched.page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    watched.assert_clean()
    watched.close()
