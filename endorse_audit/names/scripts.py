"""Names in letters that only look Latin: "Python" written with a Cyrillic Er and U, passing for a listed one.

To LinkedIn such a name is another skill (to hide), and on the page it looks exactly like one the member
listed. A name is flagged when a word of it mixes Latin letters with Cyrillic or Greek ones, or when
every Cyrillic or Greek letter in it has a Latin lookalike and, read as those Latin letters, it is a
listed skill ("PHP" in Cyrillic Er, En, Er). A name genuinely written in another script ("Переговоры",
"Διαπραγματεύσεις", "交渉") is not. Letters are read after NFKC, as the matcher reads them, so
mathematical or full-width Latin is Latin. Only Cyrillic and Greek lookalikes are known (see docs/safety.md).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping

from endorse_audit.names.normalize import clean, key, keys

# Cyrillic and Greek letters that look like a Latin one in common fonts (after Unicode's confusables).
_LATIN_LOOKALIKES = {
    # Cyrillic capitals, then small letters
    "А": "A", "В": "B", "Е": "E", "К": "K", "М": "M", "Н": "H", "О": "O", "Р": "P", "С": "C", "Т": "T",
    "У": "Y", "Х": "X", "Ѕ": "S", "І": "I", "Ј": "J", "Ү": "Y",
    "а": "a", "е": "e", "о": "o", "р": "p", "с": "c", "у": "y", "х": "x", "і": "i", "ј": "j", "ѕ": "s",
    "ԁ": "d", "һ": "h", "ԛ": "q", "ԝ": "w", "ӏ": "l",
    # Greek capitals, then small letters
    "Α": "A", "Β": "B", "Ε": "E", "Ζ": "Z", "Η": "H", "Ι": "I", "Κ": "K", "Μ": "M", "Ν": "N", "Ο": "O",
    "Ρ": "P", "Τ": "T", "Υ": "Y", "Χ": "X",
    "ο": "o", "ν": "v",
}  # fmt: skip
_AS_LATIN = str.maketrans(_LATIN_LOOKALIKES)
_SCRIPTS = ("LATIN", "CYRILLIC", "GREEK")  # the first word of a letter's Unicode name
_WORD = re.compile(r"[^\W\d_]+")  # a run of letters


def _script(letter: str) -> str | None:
    """Return "LATIN", "CYRILLIC" or "GREEK" for a letter of that script, None for any other."""
    script = unicodedata.name(letter, "").partition(" ")[0]
    return script if script in _SCRIPTS else None


def listed_keys(listed: Iterable[str]) -> dict[str, str]:
    """Return each comparison key of the listed skills, pointing at the first listed skill that has it."""
    found: dict[str, str] = {}
    for name in listed:
        for name_key in keys(name):
            found.setdefault(name_key, name)
    return found


def lookalike(name: str, listed: Mapping[str, str]) -> tuple[tuple[str, ...], str | None]:
    """Return the scripts of a name in lookalike letters ("Latin" first) and the listed skill it looks
    like (None when like none); ((), None) for any other name. `listed` is `listed_keys(...)`."""
    text = clean(name)
    if text.isascii():
        return (), None
    mixed = False
    for word in _WORD.findall(text):
        scripts = {_script(letter) for letter in word} - {None}
        mixed = mixed or ("LATIN" in scripts and len(scripts) > 1)
    imitates = listed.get(key(text.translate(_AS_LATIN)))
    foreign = {letter for letter in text if _script(letter) in ("CYRILLIC", "GREEK")}
    if not foreign or not (mixed or (imitates is not None and foreign <= _LATIN_LOOKALIKES.keys())):
        return (), None
    found = {_script(letter) for letter in text} - {None}
    return tuple(script.title() for script in _SCRIPTS if script in found), imitates
