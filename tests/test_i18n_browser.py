"""The translated report in Chromium: German's long words and Portuguese still fit a phone, the script's
tick notes speak the language, and nothing English is left in the headings (browser tests)."""

from __future__ import annotations

from typing import Any

import pytest
from conftest import SAMPLE_CONFIG, SAMPLE_ZIP
from test_browser import SPLIT_WORDS, Watched, _report, browser, playwright, pytestmark  # noqa: F401


@pytest.fixture(params=["de", "pt"])
def translated_url(request: pytest.FixtureRequest, run: Any, monkeypatch: pytest.MonkeyPatch) -> tuple[str, str]:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1795680000")
    return request.param, _report(run, SAMPLE_ZIP, "--config", SAMPLE_CONFIG, "--lang", request.param)


def test_a_translated_report_fits_a_phone(browser: Any, translated_url: tuple[str, str]) -> None:  # noqa: F811
    code, url = translated_url
    watched = Watched(browser, url, viewport={"width": 390, "height": 844}, is_mobile=True)
    page = watched.page
    assert page.evaluate("document.documentElement.lang") == code
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert page.evaluate(SPLIT_WORDS, "th, td, h1, h2, h3") == []
    wider = page.evaluate(
        """() => Array.from(document.querySelectorAll("article.group .table-wrap"))
             .filter((w) => w.scrollWidth > w.clientWidth).length"""
    )
    assert wider == 0
    watched.assert_clean()
    watched.close()


def test_the_script_speaks_the_language(browser: Any, translated_url: tuple[str, str]) -> None:  # noqa: F811
    code, url = translated_url
    watched = Watched(browser, url, viewport={"width": 1280, "height": 900})
    page = watched.page
    page.locator("input.done").first.check()
    note = page.locator(".tick-note:not([hidden])").first.inner_text()
    progress = page.locator("#progress").inner_text()
    assert note and "ticked" not in note, note
    assert progress and " of " not in progress and "done" not in progress, progress
    headings = " ".join(page.locator("h1, h2, h3").all_inner_texts())
    for english in ("To hide", "Your connections", "How to hide", "endorsements to hide"):
        assert english not in headings, (code, english)
    watched.assert_clean()
    watched.close()
