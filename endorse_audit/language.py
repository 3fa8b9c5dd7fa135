"""The member's language: which one (`--lang`, the config's `lang`, the locale's variables, else English),
its messages (gettext catalogs compiled into `endorse_audit/locale/`) and its way of writing dates and
numbers (Babel's, in every language but English).

English is the source language: it needs no catalog and never imports Babel, so an English run starts
as fast as before. The language in use is a context variable: `using(code)` sets it for a block, and
`gettext`, `ngettext`, `day` and `number` read it, so the report's view and the terminal's lines need
no translator passed through every call. The JSON and the CSVs never use it: they are a machine contract.
"""

from __future__ import annotations

import contextlib
import contextvars
import functools
import gettext as gettext_module
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from importlib import resources
from typing import Protocol

# Code -> the language's own name. pt-BR is the Brazilian variant where it differs from pt: its catalog
# holds only those differences and falls back to pt for the rest.
LANGUAGES = {
    "en": "English",
    "pt": "Português",
    "pt-BR": "Português (Brasil)",
    "es": "Español",
    "fr": "Français",
    "de": "Deutsch",
    "it": "Italiano",
    "sv": "Svenska",
}
DEFAULT = "en"
LOCALE_VARIABLES = ("LC_ALL", "LC_MESSAGES", "LANG")  # the order POSIX gives them precedence in
DOMAIN = "messages"
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


class Messages(Protocol):
    """What a catalog offers: gettext.NullTranslations, GNUTranslations, or a test's stand-in."""

    def gettext(self, message: str) -> str: ...
    def ngettext(self, singular: str, plural: str, n: int) -> str: ...


def known(code: str) -> str | None:
    """Return the language a code names ("pt_BR", "pt-br", "de" ...), or None when it names none of ours."""
    parts = code.strip().replace("_", "-").split("-")
    if not parts[0]:
        return None
    language = parts[0].lower()
    region = parts[1].upper() if len(parts) > 1 else ""
    if f"{language}-{region}" in LANGUAGES:
        return f"{language}-{region}"
    return language if language in LANGUAGES else None


def from_locale(environ: Mapping[str, str]) -> str | None:
    """Return the language the locale's variables ask for ("pt_BR.UTF-8" -> "pt-BR"), or None.

    The first variable that is set decides, as for every other program: an LC_ALL of "C" means English
    even when LANG says otherwise.
    """
    for variable in LOCALE_VARIABLES:
        value = environ.get(variable, "")
        if value:
            name = value.split(".", 1)[0].split("@", 1)[0]
            return known(name) if name not in ("C", "POSIX") else DEFAULT
    return None


def unknown(given: str) -> str:
    """Return the one-line problem with a code that names none of our languages."""
    return f"no language {given!r}; the languages are {', '.join(LANGUAGES)}"


def choose(chosen: str | None, environ: Mapping[str, str]) -> str:
    """Return the language to use: the one chosen (`--lang`, else the config's `lang`, both checked with
    `known` where they were given), else the locale's, else English. A locale we have no catalog for is
    simply English."""
    return chosen or from_locale(environ) or DEFAULT


@dataclass(frozen=True)
class Language:
    """One language: its code, its compiled messages, and the Babel locale that writes its dates and
    numbers (None: English's own formats, without Babel)."""

    code: str
    messages: Messages
    formats: str | None


# Babel's locale for each language's dates and numbers. Portuguese writes "14 de jun. de 2021" in both
# variants (CLDR's "pt"; pt_PT would write 14/06/2021), as browsers do for <html lang="pt"> too.
FORMATS = {"pt": "pt", "pt-BR": "pt_BR", "es": "es", "fr": "fr", "de": "de", "it": "it", "sv": "sv"}


@functools.cache
def language(code: str) -> Language:
    """Return a language with its catalog, a variant falling back to its language (pt-BR to pt)."""
    if code == DEFAULT:
        return Language(code, gettext_module.NullTranslations(), None)
    names = [code.replace("-", "_"), code.split("-")[0]] if "-" in code else [code]
    with resources.as_file(resources.files("endorse_audit") / "locale") as folder:
        messages = gettext_module.translation(DOMAIN, localedir=str(folder), languages=names)
    return Language(code, messages, FORMATS[code])


_ACTIVE: contextvars.ContextVar[Language | None] = contextvars.ContextVar("endorse_audit_language", default=None)


@contextlib.contextmanager
def using(chosen: str | Language) -> Iterator[Language]:
    """Use a language (a code, or a Language such as a test's pseudo-locale) for the block's messages,
    dates and numbers."""
    active = chosen if isinstance(chosen, Language) else language(chosen)
    token = _ACTIVE.set(active)
    try:
        yield active
    finally:
        _ACTIVE.reset(token)


def active() -> Language:
    """Return the language in use (English outside any `using` block)."""
    return _ACTIVE.get() or language(DEFAULT)


def gettext(message: str) -> str:
    """Return a message in the language in use."""
    return active().messages.gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """Return the form of a message for a count, in the language in use (its plural rules, not English's)."""
    return active().messages.ngettext(singular, plural, n)


def day(value: date) -> str:
    """Return a date as the language writes it: "14 Jun 2021", "14 de jun. de 2021", "14. Juni 2021"."""
    formats = active().formats
    if formats is None:
        return f"{value.day} {MONTHS[value.month - 1]} {value.year}"
    from babel.dates import format_skeleton

    return str(format_skeleton("yMMMd", value, locale=formats))


def number(value: int) -> str:
    """Return a whole number as the language writes it: "3,239", "3.239", "3 239"."""
    formats = active().formats
    if formats is None:
        return f"{value:,}"
    from babel.numbers import format_decimal

    return str(format_decimal(value, locale=formats))


def decimal(value: float) -> str:
    """Return a number with one decimal as the language writes it: "94.4", "94,4"."""
    formats = active().formats
    if formats is None:
        return f"{value:,.1f}"
    from babel.numbers import format_decimal

    return str(format_decimal(value, format="#,##0.0", locale=formats))


def listing(items: list[str]) -> str:
    """Return words joined as the language joins a list: "Latin and Cyrillic", "Latein und Kyrillisch"."""
    formats = active().formats
    if formats is None:
        return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]
    from babel.lists import format_list

    return str(format_list(items, locale=formats))
