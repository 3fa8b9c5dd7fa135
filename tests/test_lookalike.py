"""Names in letters that look Latin but are not (issue 22 item 14): flagged in the hide list of every output.

"Python" written with a Cyrillic Er and U is another skill than the listed "Python" to LinkedIn, and looks
the same.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import factory
import pytest
from conftest import PageText
from factory import ExportSpec, Person, Row
from hypothesis import given, settings
from hypothesis import strategies as st

from endorse_audit.names.scripts import listed_keys, lookalike

ANA = Person("Ana", "Sousa", "ana-sousa-1a2b3c")
BEN = Person("Ben", "Okoro", "ben-okoro-4d5e6f")
WHEN = "2024/03/18 14:02:51 UTC"
LISTED = ("Python", "PHP", "Amazon Web Services (AWS)", "Data Analysis")
KEYS_OF_LISTED = listed_keys(LISTED)


@pytest.mark.parametrize(
    ("name", "scripts", "imitates"),
    [
        ("\u0420\u0443thon", ("Latin", "Cyrillic"), "Python"),  # Cyrillic Er, U
        ("Pyth\u03bfn", ("Latin", "Greek"), "Python"),  # Greek omicron
        ("Data \u0410nalysis", ("Latin", "Cyrillic"), "Data Analysis"),
        ("\u0420\u041d\u0420", ("Cyrillic",), "PHP"),  # every letter a Cyrillic lookalike
        ("\u0410WS", ("Latin", "Cyrillic"), "Amazon Web Services (AWS)"),  # a listed skill's acronym
        ("\u0420\u0443thon Developer", ("Latin", "Cyrillic"), None),  # mixed, like nothing listed
        ("Ja\u0432a", ("Latin", "Cyrillic"), None),  # в is no lookalike, still a mixed word
    ],
)
def test_a_name_in_lookalike_letters_is_flagged(name: str, scripts: tuple[str, ...], imitates: str | None) -> None:
    assert lookalike(name, KEYS_OF_LISTED) == (scripts, imitates)


@pytest.mark.parametrize(
    "name",
    [
        "Python",
        "Переговоры",  # Russian: negotiations
        "Διαπραγματεύσεις",  # Greek: negotiations
        "交渉",  # Japanese
        "Python Программирование",  # two scripts, each word in one
        "\u0441\u043e\u0440",  # all Cyrillic lookalikes ("cop"), but like no listed skill
        "Résumé Writing",
        "𝐏𝐲𝐭𝐡𝐨𝐧",  # mathematical bold: NFKC makes it Latin, as the matcher reads it
    ],
)
def test_a_name_in_one_script_is_not_flagged(name: str) -> None:
    assert lookalike(name, KEYS_OF_LISTED) == ((), None)


CYRILLIC = st.characters(min_codepoint=0x0410, max_codepoint=0x044F)  # the Russian alphabet, capitals first
GREEK = st.characters(min_codepoint=0x0391, max_codepoint=0x03C9, categories=("Lu", "Ll"))
LATIN = st.characters(min_codepoint=ord("a"), max_codepoint=ord("z"))


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(CYRILLIC, min_size=1, max_size=12) | st.text(GREEK, min_size=1, max_size=12), max_size=3))
def test_words_in_another_script_with_a_letter_like_no_latin_one_are_never_flagged(words: list[str]) -> None:
    name = " ".join([*words, "\u0416\u03bb"])  # Cyrillic Zhe and Greek lambda look like no Latin letter
    assert lookalike(name, KEYS_OF_LISTED) == ((), None)


@settings(max_examples=300, deadline=None)
@given(st.text(LATIN, min_size=1, max_size=12), st.text(LATIN, max_size=12), CYRILLIC | GREEK)
def test_a_word_of_latin_letters_and_one_cyrillic_or_greek_letter_is_flagged(before: str, after: str, odd: str) -> None:
    scripts, _ = lookalike(f"Skill {before}{odd}{after}", KEYS_OF_LISTED)
    assert scripts[0] == "Latin" and len(scripts) == 2


def test_a_lookalike_is_noted_in_the_html_json_and_csv_hide_list(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    spec = ExportSpec(
        skills=list(LISTED),
        received=[Row(WHEN, "\u0420\u0443thon", ANA), Row(WHEN, "Python", BEN), Row(WHEN, "Cooking", BEN)],
    )
    export = factory.write_zip(spec, tmp_path / "Basic_LinkedInDataExport_03-18-2024.zip")
    result = run("audit", export, "--no-state", "--json", "audit.json", "--csv", "hide.csv", "--html", "r.html")
    assert result.exit_code == 1, result.stderr
    note = "Mixes Latin and Cyrillic letters: looks like “Python”, which you listed"

    page = PageText((result.folder / "r.html").read_text(encoding="utf-8")).text
    assert note in page
    assert page.count("Mixes Latin") == 1  # on the group of the lookalike only, not on "Cooking"

    skills = {s["name"]: s for s in result.json()["skills"]}
    assert skills["\u0420\u0443thon"]["lookalike"] == {"scripts": ["Latin", "Cyrillic"], "imitates": "Python"}
    assert skills["Cooking"]["lookalike"] is None and skills["Python"]["lookalike"] is None

    text = (result.folder / "hide.csv").read_text(encoding="utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert list(rows[0])[-1] == "Note"  # added at the end: columns read by position keep their place
    assert {row["Skill"]: row["Note"] for row in rows} == {"\u0420\u0443thon": note, "Cooking": ""}
