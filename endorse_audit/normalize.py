"""Comparison keys for skill names: what "the same skill, written differently" means.

Two levels:

* `keys(name)`: the exact-comparison keys. Case, Unicode form, accents, whitespace, punctuation,
  a trailing LinkedIn qualifier in parentheses ("Python (Programming Language)"), an acronym the
  name gives in parentheses ("Amazon Web Services (AWS)" also answers to "aws"), ".js" and ".com"
  suffixes and a leading "MS" for Microsoft are ignored. Symbols that make a different skill are
  kept: "c", "c++", "c#", "f#" and ".net" stay distinct.
* `variant_tokens(key)`: the spelling-variant form used only for near-duplicates: British spellings
  made American and plurals made singular, so that "Financial Modelling" meets "Financial Modeling".
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# Zero-width characters, direction marks and other invisible format characters (category Cf).
_INVISIBLE = {"Cf"}
# A token is a run of letters/digits, optionally followed by "++", "+" or "#" (c++, c#, f#, google+),
# or ".net" standing alone or glued to a word (asp.net).
_TOKEN = re.compile(r"\.net\b|[^\W_]+(?:\+\+|\+|#)?")
_JS_SUFFIX = re.compile(r"(?<=[^\W_])\.?js\b")
_COM_SUFFIX = re.compile(r"(?<=[^\W_])\.com\b")
_APOSTROPHE = re.compile(r"(?<=[^\W_])['’](?=[^\W_])")


def clean(name: str) -> str:
    """Return the name as a person reads it: NFKC, invisible characters removed, spaces collapsed."""
    text = unicodedata.normalize("NFKC", name)
    text = "".join(ch for ch in text if unicodedata.category(ch) not in _INVISIBLE)
    return " ".join(text.split())


def _fold(text: str) -> str:
    """Lower-case and drop accents ("Résumé" and "resume" compare equal)."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _initials(main: str) -> str:
    """Return the first letter of each word of a name ("Amazon Web Services" -> "AWS")."""
    return "".join(word[0] for word in re.findall(r"[^\W_]+", main))


def _is_acronym(inner: str, main: str, initials: str | None = None) -> bool:
    """Tell whether a parenthesised part is an acronym of the name, not a qualifier.

    `initials` is `_initials(main)` when the caller has it (a name with many parts computes it once).
    """
    compact = re.sub(r"[/&.\-+#]", "", inner)
    if not compact or len(inner) > 12 or " " in inner.strip() or not compact.isalnum():
        return False
    letters = [ch for ch in compact if ch.isalpha()]
    upper = sum(ch.isupper() for ch in letters)
    if letters and upper * 2 >= len(letters) and upper >= 2:
        return True
    return compact.casefold() == (_initials(main) if initials is None else initials).casefold()


def _key_of(text: str) -> str:
    """Return the comparison key of a name with its parentheses already removed."""
    text = _fold(text)
    text = _APOSTROPHE.sub("", text)
    text = text.replace("&", " and ")
    text = _COM_SUFFIX.sub("", text)
    stripped = _JS_SUFFIX.sub("", text)
    if _TOKEN.search(stripped):  # "JS" alone stays "js"
        text = stripped
    tokens = _TOKEN.findall(text)
    if len(tokens) > 1 and tokens[0] == "ms":
        tokens[0] = "microsoft"
    return " ".join(tokens)


@lru_cache(maxsize=65_536)
def split_parens(name: str) -> tuple[str, tuple[str, ...]]:
    """Split trailing parenthesised parts off a name: "A (B) (C)" -> ("A", ["B", "C"]).

    A part is peeled while the name ends in "(...)" holding no bracket, with text before it. The
    peeling walks back over the name once, by index: a name of many "(y)" groups costs its length,
    not its length squared (a regular expression per part, or a slice per part, would).
    """
    main = clean(name)  # white space is now single spaces
    inners: list[str] = []
    end = len(main)  # main[:end] is what is left to peel
    while True:
        close = end - 1 if end and main[end - 1] != " " else end - 2
        if close < 0 or main[close] != ")":
            break
        opening = main.rfind("(", 0, close)
        if opening < 0 or main.find(")", opening, close) >= 0:
            break
        before = opening - 1 if opening and main[opening - 1] == " " else opening
        if before <= 0:  # nothing but the brackets: not a qualifier of anything
            break
        inners.append(main[opening + 1 : close].strip())
        end = before
    inners.reverse()
    return main[:end], tuple(inners)


@lru_cache(maxsize=65_536)  # names recur: the alias table, the listed skills, every endorsed name
def key(name: str) -> str:
    """Return the main comparison key of a skill name (qualifiers and acronyms left out)."""
    main, _ = split_parens(name)
    return _key_of(main) or _key_of(clean(name))


@lru_cache(maxsize=65_536)  # names recur: the alias table, the listed skills, every endorsed name
def keys(name: str) -> frozenset[str]:
    """Return every exact-comparison key of a name: its main key plus a parenthesised acronym's."""
    main, inners = split_parens(name)
    found = {key(name)}
    initials = _initials(main) if inners else ""
    found.update(_key_of(inner) for inner in inners if _is_acronym(inner, main, initials))
    found.discard("")
    return frozenset(found)


# British -> American endings, applied to whole tokens of five letters or more.
_AMERICAN = [
    (re.compile(r"isation(s?)$"), r"ization\1"),
    (re.compile(r"is(e|ed|er|es|ing)$"), r"iz\1"),
    (re.compile(r"ys(e|ed|es|ing)$"), r"yz\1"),
    (re.compile(r"(?<=[a-z]{3})our(s?|ed|ing|able)$"), r"or\1"),
    (re.compile(r"(?<=[a-z]{2})tre(s?)$"), r"ter\1"),
    (re.compile(r"(?<=[aeiou])ll(ing|ed|er|ers|or|ors)$"), r"l\1"),
    (re.compile(r"(?<=[a-z]{3})ogue(s?)$"), r"og\1"),
    (re.compile(r"(?<=[a-z]{2})ence$"), r"ense"),
    (re.compile(r"^programme(s?)$"), r"program\1"),
    (re.compile(r"^paed"), "ped"),
    (re.compile(r"^anaes"), "anes"),
    (re.compile(r"^haem"), "hem"),
    (re.compile(r"^oesoph"), "esoph"),
    (re.compile(r"dgement(s?)$"), r"dgment\1"),
    (re.compile(r"^grey$"), "gray"),
]


@lru_cache(maxsize=65_536)
def _american(token: str) -> str:
    """Return the American spelling of a British-spelled token (other tokens unchanged)."""
    if len(token) < 5 or not token.isalpha():
        return token
    for pattern, replacement in _AMERICAN:
        token = pattern.sub(replacement, token)
    return token


def _singular(token: str) -> str:
    """Return a crude singular of a plural token ("processes" -> "process", "skills" -> "skill")."""
    if len(token) < 4 or not token.isalpha():
        return token
    if token.endswith("ies") and len(token) > 4:
        return token[:-3] + "y"
    if token.endswith(("sses", "shes", "ches", "xes", "zes")):
        return token[:-2]
    if token.endswith("s") and not token.endswith(("ss", "us", "is")):
        return token[:-1]
    return token


@lru_cache(maxsize=65_536)
def variant_tokens(comparison_key: str) -> tuple[str, ...]:
    """Return the key's tokens with British spellings and plurals folded, for near-duplicates."""
    return tuple(_singular(_american(token)) for token in comparison_key.split())
