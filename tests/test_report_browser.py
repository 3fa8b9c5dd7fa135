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
