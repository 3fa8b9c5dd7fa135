"""The docs: a short README, every page of docs/ in mkdocs.yml's nav, and links that lead somewhere.

These read the files as text and need no MkDocs; `.ci/run` also builds the site with `mkdocs build --strict`.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pytest
from conftest import ROOT

DOCS = ROOT / "docs"
README = ROOT / "README.md"
README_MOST_LINES = 300
# [text](target) or ![alt](target), the target up to a space or the closing parenthesis.
LINK = re.compile(r"!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
# A link that leaves the repository's files: a scheme (https:, mailto:) or a protocol-relative URL.
OUTSIDE = re.compile(r"^(?:[a-zA-Z][a-zA-Z0-9+.-]*:|//)")


def _pages() -> list[Path]:
    return sorted(DOCS.rglob("*.md"))


def _nav() -> list[str]:
    """Return the pages mkdocs.yml's nav lists, in order (`- Title: page.md` or `- page.md`, any depth)."""
    text = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    start = re.search(r"^nav:\s*$", text, re.M)
    assert start is not None, "mkdocs.yml has no nav"
    nav = text[start.end() :]
    listed = []
    for line in nav.splitlines():
        if line.strip() and not line.startswith((" ", "-")):
            break  # the next top-level key
        found = re.match(r"\s*-\s*(?:[^:]+:\s*)?(\S+\.md)\s*$", line)
        if found:
            listed.append(found.group(1))
    return listed


def _prose(text: str) -> str:
    """Return the text without fenced code blocks and inline code, where a link is only text."""
    text = re.sub(r"^```.*?^```[^\n]*$", "", text, flags=re.M | re.S)
    return re.sub(r"`[^`\n]*`", "", text)


def _anchor(heading: str) -> str:
    """Return the id Python-Markdown's toc extension (MkDocs' default) gives a heading."""
    text = re.sub(r"[`*_]", "", re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", heading))
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    text = re.sub(r"[^\w\s-]", "", text).strip().lower()
    return re.sub(r"[-\s]+", "-", text)


def _anchors(page: Path) -> set[str]:
    code_free = re.sub(r"^```.*?^```[^\n]*$", "", page.read_text(encoding="utf-8"), flags=re.M | re.S)
    return {_anchor(heading) for heading in re.findall(r"^#{1,6}\s+(.+?)\s*#*\s*$", code_free, re.M)}


def _links(page: Path) -> list[str]:
    return LINK.findall(_prose(page.read_text(encoding="utf-8")))


def test_the_readme_is_short() -> None:
    lines = README.read_text(encoding="utf-8").count("\n")
    assert lines <= README_MOST_LINES, f"README.md has {lines} lines; move the detail to a page in docs/"


def test_every_page_is_in_the_nav_and_every_nav_entry_is_a_page() -> None:
    nav = _nav()
    pages = [page.relative_to(DOCS).as_posix() for page in _pages()]
    assert len(nav) == len(set(nav)), (
        f"listed twice in mkdocs.yml's nav: {sorted({p for p in nav if nav.count(p) > 1})}"
    )
    assert sorted(set(pages) - set(nav)) == [], "pages in docs/ missing from mkdocs.yml's nav"
    assert sorted(set(nav) - set(pages)) == [], "mkdocs.yml's nav lists pages that docs/ does not have"
    assert "index.md" in nav


def test_mkdocs_yml_builds_docs_from_docs() -> None:
    text = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    assert re.search(r"^site_name:\s*endorse-audit\s*$", text, re.M)
    assert re.search(r"^docs_dir:\s*docs\s*$", text, re.M)


@pytest.mark.parametrize("page", [README, *_pages()], ids=lambda page: page.relative_to(ROOT).as_posix())
def test_every_relative_link_leads_to_a_file(page: Path) -> None:
    """A relative link names a file that exists (a page of the site when the link is in docs/), and an
    anchor into a page of docs/ names one of its headings."""
    links = [link for link in _links(page) if not OUTSIDE.match(link)]
    assert page != README or any(link.startswith("docs/") for link in links), "the README links to no page"
    for link in links:
        path, _, anchor = link.partition("#")
        target = (page.parent / path).resolve() if path else page
        assert target.is_file(), f"{page.name}: {link} leads to no file"
        if page.is_relative_to(DOCS):
            assert target.is_relative_to(DOCS), f"{page.name}: {link} leaves docs/ (MkDocs serves only docs/)"
        if anchor and target.suffix == ".md" and target.is_relative_to(DOCS):
            assert anchor in _anchors(target), f"{page.name}: {link}: {target.name} has no heading #{anchor}"


def test_the_anchor_rule_is_mkdocs_own() -> None:
    assert _anchor("History: what is new since the last run") == "history-what-is-new-since-the-last-run"
    assert _anchor("What it refuses, and what to do") == "what-it-refuses-and-what-to-do"
    assert _anchor("Many exports at once") == "many-exports-at-once"
