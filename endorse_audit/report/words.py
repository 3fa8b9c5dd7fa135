"""What the checks say, in the member's language: the checks write English for the JSON (a machine
contract, the same in every language), and the report and the terminal show these words instead.

Every English text a check writes that a member reads has its message here, found by what the check
recorded (a kind and a count, or the English text itself where it is one of a fixed set).
"""

from __future__ import annotations

from endorse_audit.checks.skill_profile import PENALTIES
from endorse_audit.checks.suggestions import KEPT, NO_CONTEXT, NO_MESSAGES, REASONS, RECENT
from endorse_audit.language import gettext as _
from endorse_audit.language import listing, ngettext, number
from endorse_audit.model import Penalty, SkillResult


def penalty(item: Penalty) -> str:
    """Return one thing that lowers the consistency score: "-9: 3 skills endorsed but never listed (3 each,
    at most 30)"."""
    n = {"n": number(item.count)}
    what = {
        "duplicates": lambda: (
            ngettext(
                "%(n)s skill listed twice under another spelling",
                "%(n)s skills listed twice under another spelling",
                item.count,
            )
            % n
        ),
        "unlisted": lambda: (
            ngettext("%(n)s skill endorsed but never listed", "%(n)s skills endorsed but never listed", item.count) % n
        ),
        "claimed": lambda: (
            ngettext(
                "%(n)s skill claimed in your own words but not listed",
                "%(n)s skills claimed in your own words but not listed",
                item.count,
            )
            % n
        ),
        "unendorsed": lambda: (
            ngettext("%(n)s listed skill nobody endorsed", "%(n)s listed skills nobody endorsed", item.count) % n
        ),
        "unclaimed": lambda: (
            ngettext(
                "%(n)s listed skill your own words never mention",
                "%(n)s listed skills your own words never mention",
                item.count,
            )
            % n
        ),
        "no_words": lambda: _("your own words were not compared: the export has no Profile.csv or Positions.csv"),
    }.get(item.kind)
    if what is None:  # a penalty this module does not know: its English words
        return str(item)
    if not item.points:
        return what()
    each, cap, _one, _several = PENALTIES[item.kind]
    return _("-%(points)s: %(what)s (%(each)s each, at most %(cap)s)") % {
        "points": item.points,
        "what": what(),
        "each": each,
        "cap": cap,
    }


def kept_because(why: str) -> str:
    """Return why a spelling of a skill listed twice is the one to keep (skill_profile._keeper's words)."""
    return {
        "most endorsements": _("most endorsements"),
        "LinkedIn's standard spelling": _("LinkedIn's standard spelling"),
        "listed first": _("listed first"),
    }.get(why, why)


_EMPLOYER = REASONS["employer"] + ": "


def reason(text: str) -> str:
    """Return why a connection is to keep, review or remove (checks/suggestions.py's words, by its constants)."""
    fixed = {
        KEPT: _("on your keep list"),
        REASONS["both_ways"]: _("a conversation both ways"),
        REASONS["recommendation"]: _("a recommendation"),
        REASONS["note"]: _("a note on the request"),
        REASONS["one_way"]: _("messages one way only"),
        REASONS["endorsed"]: _("an endorsement you gave"),
        REASONS["employer"]: _("a shared employer"),
        NO_CONTEXT: _("no context at all"),
        NO_MESSAGES: _("no context, but without messages.csv a conversation cannot be ruled out"),
    }
    if text in fixed:
        return fixed[text]
    if found := RECENT.fullmatch(text):
        days = int(found.group(1))
        return ngettext(
            "connected less than %(n)s day before the export", "connected less than %(n)s days before the export", days
        ) % {"n": number(days)}
    if text.startswith(_EMPLOYER):
        return _("a shared employer: %(company)s") % {"company": text.removeprefix(_EMPLOYER)}
    return text


def suggestion(wanted: str) -> str:
    """Return one of the three suggestions as a word: keep, review, remove."""
    return {"keep": _("keep"), "review": _("review"), "remove": _("remove")}.get(wanted, wanted)


def _script(name: str) -> str:
    return {"Latin": _("Latin"), "Cyrillic": _("Cyrillic"), "Greek": _("Greek")}.get(name, name)


def lookalike(result: SkillResult) -> str | None:
    """Return what the report says of a name in lookalike letters (names/scripts.py), None for any other
    name; the CSV keeps report.view.lookalike_note's English."""
    if not result.scripts:
        return None
    values = {"scripts": listing([_script(name) for name in result.scripts]), "skill": result.imitates}
    if "Latin" in result.scripts:
        if result.imitates:
            return _("Mixes %(scripts)s letters: looks like “%(skill)s”, which you listed") % values
        return _("Mixes %(scripts)s letters") % values
    if result.imitates:
        return _("Written in %(scripts)s letters that look Latin: looks like “%(skill)s”, which you listed") % values
    return _("Written in %(scripts)s letters that look Latin") % values
