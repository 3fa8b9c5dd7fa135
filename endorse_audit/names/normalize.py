"""Comparison keys for skill names: what "the same skill, written differently" means.

Two levels:

* `keys(name)`: the exact-comparison keys. Case, Unicode form, accents, whitespace, punctuation,
  a trailing LinkedIn qualifier in parentheses ("Python (Programming Language)"), an acronym the
  name gives in parentheses ("Amazon Web Services (AWS)" also answers to "aws"), ".js" and ".com"
  suffixes and a leading "MS" for Microsoft are ignored. Symbols that make a different skill are
  kept: "c", "c++", "c#", "f#" and ".net" stay distinct. The qualifier also counts written as plain
  words after the name: "Python (Programming Language)" answers to "python programming language".
  `literal_key(name)` is the main key with a JS suffix kept ("angularjs"), for the few products
  whose JS spelling names another generation (the alias table says which).
* `variant_tokens(key)`: the spelling-variant form used only for near-duplicates: British spellings
  made American and plurals made singular, so that "Financial Modelling" meets "Financial Modeling".
  `compact_forms(key)` joins those words with the plural folded per word and, once more, with only
  the last word's plural folded, so "Sales-force" meets "Salesforce" and "News Feeds" "Newsfeed".
* `stem_signatures(tokens)`: one word stem for the different noun endings of one activity
  ("Recruitment"/"Recruiting", "Accountancy"/"Accounting"); see `activity_stems`.
* `initials(key)` and `written_acronym(name)`: a multi-word name's initials ("cbt" for "Cognitive
  Behavioral Therapy") and a name written as an acronym ("CBT").
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
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


def _key_of(text: str, *, keep_js: bool = False) -> str:
    """Return the comparison key of a name with its parentheses already removed."""
    text = _fold(text)
    text = _APOSTROPHE.sub("", text)
    text = text.replace("&", " and ")
    text = _COM_SUFFIX.sub("", text)
    stripped = _JS_SUFFIX.sub("js" if keep_js else "", text)
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


@lru_cache(maxsize=65_536)
def literal_key(name: str) -> str:
    """Return the main comparison key with a JS suffix kept and glued on ("Angular.js" -> "angularjs")."""
    main, _ = split_parens(name)
    return _key_of(main, keep_js=True) or _key_of(clean(name), keep_js=True)


@lru_cache(maxsize=65_536)  # names recur: the alias table, the listed skills, every endorsed name
def keys(name: str) -> frozenset[str]:
    """Return every exact-comparison key of a name: its main key, a parenthesised acronym's, and the
    name with its parenthesised qualifier as plain words ("Word (Software)" -> "word software")."""
    main, inners = split_parens(name)
    found = {key(name)}
    initials = _initials(main) if inners else ""
    acronyms = [_is_acronym(inner, main, initials) for inner in inners]
    found.update(_key_of(inner) for inner, acronym in zip(inners, acronyms) if acronym)
    qualifiers = [inner for inner, acronym in zip(inners, acronyms) if not acronym]
    if qualifiers and key(name):
        found.add(_key_of(" ".join([main, *qualifiers])))
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
    if len(token) < 4 or not token.isalpha() or token.endswith("js"):  # "angularjs" is no plural
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


@lru_cache(maxsize=65_536)
def compact_forms(comparison_key: str) -> frozenset[str]:
    """Return the key's words joined, plurals folded per word and, again, only on the last word.

    Folding per word breaks a compound's join when a word inside it ends in "s": "Sales-force" gives
    "saleforce" but "Salesforce" gives "salesforce". Folding only the last word (where the plural of
    a compound is written) gives "salesforce" for both.
    """
    words = [_american(token) for token in comparison_key.split()]
    if not words:
        return frozenset()
    per_word = "".join(_singular(word) for word in words)
    last_only = "".join(words[:-1]) + _singular(words[-1])
    return frozenset({per_word, last_only})


# The noun endings of an activity, and the stem each leaves ("recruitment" -> "recruit"). Only these
# endings count: a bare word is often another thing than the activity ("Market"/"Marketing",
# "Account"/"Accounting", "Network"/"Networking", "Program"/"Programming"), and an agent noun names a
# role or a device, not the activity ("Engineer"/"Engineering", "Printer"/"Printing", "Router"/
# "Routing"), so neither ever meets an -ing word. "-ance"/"-ence" are left out ("Performance" is not
# "Performing"), and so is "-ency" ("Emergency"/"Emerging").
_MIN_STEM = 5  # shorter stems meet other words: "edit" (Edition/Editing), "port", "act", "pass"


def activity_stems(word: str) -> frozenset[str]:
    """Return the stems an activity noun leaves without its ending; empty for any other word.

    "recruitment", "recruiting" -> {"recruit"}; "accountancy", "accounting" -> {"account"};
    "optimization" -> {"optimiz", "optimizat"}; "management", "managing" -> {"manag"}. "-ition" is
    taken off whole, so "Composition" ("compos") does not meet "Compositing" ("composit").
    """
    if not word.isalpha():
        return frozenset()
    found: set[str] = set()

    def add(stem: str) -> None:
        stem = stem.removesuffix("e")  # "manage" and "managing" leave "manag"
        if len(stem) >= _MIN_STEM:
            found.add(stem)

    if word.endswith("ing"):
        stem = word[:-3]
        add(stem)
        if len(stem) > 2 and stem[-1] == stem[-2] and stem[-1] not in "aeiou":
            add(stem[:-1])  # "planning" -> "plan", "programming" -> "program"
    elif word.endswith(("ment", "ancy", "ship")):
        add(word[:-4])
    elif word.endswith("ery"):
        add(word[:-1])  # "delivery" -> "deliver", "recovery" -> "recover"
    elif word.endswith("ition"):
        add(word[:-5])
    elif word.endswith("ication"):
        add(word[:-7] + "y")  # "verification" -> "verify"
        add(word[:-3])
    elif word.endswith("ation"):
        add(word[:-5])  # "optimization" -> "optimiz"
        add(word[:-3])  # "illustration" -> "illustrat"
    elif word.endswith(("tion", "sion", "xion")):
        add(word[:-3])
    return frozenset(found)


_MAX_FORMS = 16


@lru_cache(maxsize=65_536)
def stem_signatures(tokens: tuple[str, ...]) -> frozenset[tuple[str, ...]]:
    """Return the name's words with every activity noun replaced by its stem ("~recruit").

    Two names that share a signature but not their words name one activity with other noun endings
    (the matcher also asks that one word of each differing pair be the -ing form). Words without an
    activity ending stay as they are, so they must be equal.
    """
    options = [sorted("~" + stem for stem in activity_stems(token)) or [token] for token in tokens]
    signatures: list[tuple[str, ...]] = [()]
    for choices in options:
        signatures = [(*signature, choice) for signature in signatures for choice in choices][:_MAX_FORMS]
    return frozenset(signatures)


# Small words an acronym leaves out ("English as a Second Language" -> ESL).
_SMALL_WORDS = {"a", "an", "as", "at", "by", "for", "in", "of", "on", "the", "to", "with"}
_ACRONYM = re.compile(r"[A-Za-z&]{2,8}")


@lru_cache(maxsize=65_536)
def initials(comparison_key: str) -> frozenset[str]:
    """Return the acronyms a multi-word name can be written as: its initials with "and" as "&",
    with and without the small words, and with "and" left out ("hvac" for "Heating, Ventilation, and
    Air Conditioning"). Left out only for four letters or more: "Corrective and Preventive Action"
    is CAPA, not CPA, and "Sales and Operations Planning" S&OP, not SOP."""
    words = comparison_key.split()
    if len(words) < 2:
        return frozenset()
    big = [word for word in words if word not in _SMALL_WORDS]
    found = {
        "".join("&" if word == "and" else word[0] for word in words),
        "".join("&" if word == "and" else word[0] for word in big),
    }
    if "and" in big and len(without_and := "".join(word[0] for word in big if word != "and")) >= 4:
        found.add(without_and)
    return frozenset(form for form in found if len(form) >= 2)


@lru_cache(maxsize=65_536)
def written_acronym(name: str) -> str | None:
    """Return the name in lower case if it is written as an acronym ("CBT", "C.B.T.", "P&L", "SaaS")."""
    main, _ = split_parens(name)
    compact = main.replace(".", "")
    if not _ACRONYM.fullmatch(compact):
        return None
    letters = [ch for ch in compact if ch.isalpha()]
    upper = sum(ch.isupper() for ch in letters)
    if upper < 2 or upper * 2 < len(letters) or not compact[0].isupper():
        return None
    return compact.casefold()


def display_order(names: Iterable[str]) -> tuple[str, ...]:
    """Return names in the order a person reads a list: case and surrounding spaces ignored, ties by text."""
    return tuple(sorted(names, key=lambda name: (name.casefold().strip(), name)))
