"""The public JSON document of one audit (schema endorse-audit/1; fields are only ever added).

`iter_json()` streams the text without building a dict per endorsement: each distinct value of a
field is encoded once, and each row is joined from those pieces.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from endorse_audit.checks.suggestions import least_context_first, suggestion_counts
from endorse_audit.export_records import Coded
from endorse_audit.model import (
    Audit,
    Checks,
    ConnectionCheck,
    ConnectionContext,
    ContextCheck,
    GivenCheck,
    InvitationCheck,
    Requester,
    SkillProfile,
)
from endorse_audit.names.people import profile_url
from endorse_audit.report.outputs import utf8
from endorse_audit.version import __version__

SCHEMA = "endorse-audit/1"


_Field = tuple[str, Iterable[Any], Callable[[Any], Any], Coded | None]


def _endorsement_fields(audit: Audit) -> list[_Field]:
    """Return each endorsement's JSON fields in order: (key, its column, the value a cell gives, the
    reader's codes of the column when it has some)."""
    table, coded = audit.endorsements, audit.export.coded
    return [
        ("date", table["date"], _as_is, coded.get("date")),
        ("skill", table["skill"], _as_is, coded.get("skill")),
        ("endorser", table["endorser"], _as_is, coded.get("endorser")),
        ("profile_url", table["slug"], profile_url, coded.get("slug")),
        ("linkedin_status", table["status"], _as_is, coded.get("status")),
        ("verdict", table["verdict"], _as_is, None),
        ("hide", table["hide"], bool, None),
        ("matched", table["matched"], _text_or_none, None),
        ("ignored", table["ignored"], bool, None),
        ("connected_on", table["connected_on"], _text_or_none_if_empty, None),
        ("new", table["new"], bool, None),
        ("endorser_context", table["context"], _signal_list, None),
    ]


def _as_is(value: Any) -> Any:
    return value


def _text_or_none(value: Any) -> str | None:
    return value if isinstance(value, str) else None  # pandas may hold a missing value as NaN: null, not NaN


def _text_or_none_if_empty(value: Any) -> Any:
    return value or None


def _signal_list(value: Any) -> list[str] | None:
    """Return an endorser's context as a list of signals ([] none), None for someone not a connection."""
    return (value.split(",") if value else []) if isinstance(value, str) else None


def audit_dict(audit: Audit) -> dict[str, Any]:
    """Return the public JSON document (schema endorse-audit/1; fields are only ever added)."""
    fields = _endorsement_fields(audit)
    keys = [key for key, _, _, _ in fields]
    rows = zip(*(map(convert, column) for _, column, convert, _ in fields))
    return _document(audit, [dict(zip(keys, row)) for row in rows])


def _document(audit: Audit, endorsements: Any) -> dict[str, Any]:
    """Return the JSON document around its list of endorsements."""
    export, summary = audit.export, audit.summary
    resolved = audit.history.resolved if audit.history is not None else ()
    return {
        "schema": SCHEMA,
        "generator": f"endorse-audit {__version__}",
        "export": {
            "path": export.path,
            "date": export.date.isoformat() if export.date else None,
            "member": export.member_name,
            "sha256": export.content_hash,
        },
        "summary": {
            "listed_skills": summary.listed_skills,
            "endorsements": summary.endorsements,
            "to_hide": summary.to_hide,
            "near_duplicates": summary.near_duplicates,
            "endorsers_to_hide": summary.endorsers_to_hide,
            "unlisted_skills": summary.unlisted_skills,
            "new_to_hide": audit.new_to_hide,
            "resolved_since_last_run": len(resolved),
        },
        "skills": [
            {
                "name": s.verdict.name,
                "verdict": s.verdict.kind,
                "matched": s.verdict.matched,
                "method": s.verdict.method,
                "score": s.verdict.score,
                "endorsements": s.endorsements,
                "to_hide": s.to_hide,
                "closest": s.verdict.closest,
                "lookalike": {"scripts": list(s.scripts), "imitates": s.imitates} if s.scripts else None,
            }
            for s in audit.skills
        ],
        "listed": [
            {"name": s.name, "endorsements": s.endorsements, "spellings": list(s.spellings)} for s in audit.listed
        ],
        "endorsements": endorsements,
        "notes": list(export.notes) + list(audit.checks.context.notes if audit.checks.context else ()),
        **_checks_fields(audit.checks),  # "profile", "given", "invitations", "connections"
        # Names come from this export (the history keeps hashes only): null where it no longer has them.
        "resolved": [
            {"skill": r.skill, "endorser": r.endorser, "profile_url": profile_url(r.slug), "how": r.how}
            for r in resolved
        ],
    }


def _checks_fields(checks: Checks) -> dict[str, Any]:
    """Return the JSON document's "profile", "given", "invitations" and "connections" fields."""
    given, invitations, context = checks.given, checks.invitations, checks.context
    return {
        "profile": _profile_fields(checks.profile, checks.connections),
        "given": None if given is None else _given_fields(given),
        "invitations": None if invitations is None else _invitation_fields(invitations),
        "connections": None if context is None else _context_fields(context),
    }


def _context_fields(context: ContextCheck) -> dict[str, Any]:
    return {
        "total": context.total,
        "with_context": context.with_context,
        "without_context": context.without_context,
        "hidden": context.hidden,
        "signals": dict(context.signals),
        "without_context_people": [_person(person) for person in context.without],
        "suggestions": suggestion_counts(context),
        "people": [
            {**_person(person), "reason": person.reason, "signals": list(person.signals)}
            for person in least_context_first(context.people)
        ],
    }


def _person(person: ConnectionContext) -> dict[str, Any]:
    connection = person.connection
    return {
        "name": connection.name,
        "profile_url": profile_url(connection.slug),
        "connected_on": connection.connected_on,
        "company": connection.company,
        "position": connection.position,
        "suggestion": person.suggestion,
        "score": person.score,
    }


def _profile_fields(profile: SkillProfile, connections: ConnectionCheck | None) -> dict[str, Any]:
    return {
        "duplicate_skills": [
            {"keep": d.keep, "drop": list(d.drop), "why": d.why, "standard": d.standard} for d in profile.duplicates
        ],
        "unendorsed_skills": list(profile.unendorsed),
        "claimed_not_listed": list(profile.claimed_not_listed),
        "listed_not_claimed": list(profile.listed_not_claimed),
        "skill_count": profile.skill_count,
        "skill_limit": profile.skill_limit,
        "consistency_score": profile.score,
        "consistency_reasons": list(profile.reasons),
        "consistency_explanation": profile.explanation,
        "word_sources": list(profile.word_sources),
        "merge_spellings": [
            {"endorsed": m.endorsed, "into": m.into, "endorsements": m.endorsements, "score": m.score}
            for m in profile.merges
        ],
        "stranger_only_skills": None
        if profile.stranger_only is None
        else [
            {"skill": s.skill, "endorsements": s.endorsements, "endorsers": list(s.endorsers)}
            for s in profile.stranger_only
        ],
        "endorsers_not_connections": None
        if connections is None
        else [
            {"name": s.name, "profile_url": s.profile_url, "endorsements": s.endorsements, "to_hide": s.to_hide}
            for s in connections.endorsers_not_connections
        ],
        "hidden_connections": None if connections is None else connections.hidden_connections,
    }


def _given_fields(given: GivenCheck) -> dict[str, Any]:
    return {
        "pending": [
            {"endorsee": p.endorsee, "profile_url": p.profile_url, "skills": list(p.skills), "since": p.since}
            for p in given.pending
        ],
        "given": given.given,
        "pending_count": given.pending_count,
    }


def _invitation_fields(invitations: InvitationCheck) -> dict[str, Any]:
    return {
        "incoming": invitations.incoming,
        "incoming_without_note": invitations.incoming_without_note,
        "outgoing": invitations.outgoing,
        "outgoing_without_note": invitations.outgoing_without_note,
        "connections_without_note_share": invitations.connections_without_note_share,
        "incoming_without_note_people": _requesters(invitations.incoming_without_note_people),
        "incoming_without_note_share": invitations.incoming_without_note_share,
        "connections_with_request": invitations.connections_with_request,
        "connections_without_note": invitations.connections_without_note,
        "outgoing_without_note_people": _requesters(invitations.outgoing_without_note_people),
        "waiting_without_note": None if invitations.waiting is None else _requesters(invitations.waiting),
    }


def _requesters(people: tuple[Requester, ...]) -> list[dict[str, Any]]:
    return [{"name": r.name, "profile_url": r.profile_url, "sent_at": r.sent_at} for r in people]


def render_json(audit: Audit, *, compact: bool = False) -> str:
    """Return the JSON document as text (`compact`: without white space between tokens)."""
    return b"".join(iter_json(audit, compact=compact)).decode("utf-8")


def dumps(document: Any, *, compact: bool = False) -> str:
    """Return a JSON text as every output of endorse-audit writes it: `json.dumps(indent=1)` (by
    `_indented`, faster), or `compact` (no white space at all: a fifth smaller, by the C encoder)."""
    if compact:
        return json.dumps(document, ensure_ascii=False, separators=(",", ":"))
    return _indented(document)


_JSON_ROWS = 20_000  # endorsements per piece of text


_encode_text = json.encoder.encode_basestring  # what json.dumps(ensure_ascii=False) uses for a string


_COMBINE = 4_096  # neighbouring fields are encoded together while they have at most this many combinations


def iter_json(audit: Audit, *, compact: bool = False) -> Iterator[bytes]:
    """Yield the text of render_json in UTF-8 pieces, without building a dict per endorsement.

    The text is exactly `dumps(audit_dict(audit), compact=compact) + "\\n"` (json.dumps with
    `indent=1`, or with `separators=(",", ":")`), encoded as every output is written: each distinct
    value of a field is encoded once, and each row is joined from those bytes (no text to encode
    again on the way to the file).
    """
    marker = "\x00endorsements-" + os.urandom(16).hex()
    document = _document(audit, marker)
    text = dumps(document, compact=compact)
    head, tail = text.split(json.dumps(marker))
    rows = len(audit.endorsements)
    if not rows:
        yield utf8(head + "[]" + tail + "\n")
        return
    groups = _json_groups(_endorsement_fields(audit), _COMPACT if compact else _INDENTED)
    yield utf8(head + "[")
    for start in range(0, rows, _JSON_ROWS):
        count = min(rows - start, _JSON_ROWS)
        pieces = [b""] * (count * len(groups))  # row by row, each row's pieces in field order
        for position, (codes, fragments) in enumerate(groups):
            pieces[position :: len(groups)] = fragments[codes[start : start + count]].tolist()
        block = b"".join(pieces)
        yield block[1:] if start == 0 else block  # no comma before the first row
    yield utf8(("]" if compact else "\n ]") + tail + "\n")


@dataclass(frozen=True)
class _Layout:
    """Where json.dumps puts white space around an endorsement and its fields."""

    opening: str  # before a row's first field (after the comma between rows)
    between: str  # between two fields
    colon: str
    closing: str  # after a row's last field
    compact: bool


_INDENTED = _Layout(",\n  {\n   ", ",\n   ", ": ", "\n  }", compact=False)
_COMPACT = _Layout(",{", ",", ":", "}", compact=True)


def _indented(value: Any, level: int = 0) -> str:
    """Return `json.dumps(value, ensure_ascii=False, indent=1)` exactly, three times faster: the standard
    library encodes indented JSON in pure Python token by token (a 1M audit's checks hold 300,000 values)."""
    if type(value) is str:
        return _encode_text(value)
    if value is None or value is True or value is False:
        return _CONSTANTS[value]
    if type(value) is int:
        return int.__repr__(value)
    if type(value) is float:
        return _FLOATS.get(value, "") or float.__repr__(value) if value == value else "NaN"
    inner = "\n" + " " * (level + 1)
    if type(value) is dict and all(type(key) is str for key in value):
        if not value:
            return "{}"
        fields = (_encode_text(key) + ": " + _indented(item, level + 1) for key, item in value.items())
        return "{" + inner + ("," + inner).join(fields) + "\n" + " " * level + "}"
    if type(value) in (list, tuple):
        if not value:
            return "[]"
        return "[" + inner + ("," + inner).join(_indented(item, level + 1) for item in value) + "\n" + " " * level + "]"
    return json.dumps(value, ensure_ascii=False, indent=1).replace("\n", "\n" + " " * level)  # anything else


_CONSTANTS = {None: "null", True: "true", False: "false"}
_FLOATS = {float("inf"): "Infinity", float("-inf"): "-Infinity"}


def _json_groups(fields: list[_Field], layout: _Layout) -> list[tuple[np.ndarray, np.ndarray]]:
    """Return, per group of neighbouring fields, each row's code and the JSON text of each code."""
    groups: list[tuple[np.ndarray, np.ndarray]] = []
    for index, (key, column, convert, coded) in enumerate(fields):
        codes, distinct = _json_codes(column, coded)
        opening = layout.opening if index == 0 else layout.between
        closing = layout.closing if index == len(fields) - 1 else ""
        label = f"{opening}{json.dumps(key)}{layout.colon}"
        fragments = np.empty(len(distinct), dtype=object)
        fragments[:] = [utf8(label + _json_value(convert(value), layout.compact) + closing) for value in distinct]
        if groups and len(groups[-1][1]) * len(fragments) <= _COMBINE:
            before_codes, before = groups[-1]
            combined, pairs = pd.factorize(before_codes.astype(np.int64) * len(fragments) + codes)
            joined = [before[pair // len(fragments)] + fragments[pair % len(fragments)] for pair in pairs]
            groups[-1] = (combined, np.empty(len(joined), dtype=object))
            groups[-1][1][:] = joined
        else:
            groups.append((codes, fragments))
    return groups


def _json_value(value: Any, compact: bool) -> str:
    """Return one field of an endorsement as dumps(document) writes it (strings by the C encoder,
    directly; a list indented as a field of a row is, unless compact)."""
    if type(value) is str:
        return _encode_text(value)
    if isinstance(value, list):
        return dumps(value, compact=compact).replace("\n", "\n" + _FIELD_INDENT)
    return json.dumps(value, ensure_ascii=False)


_FIELD_INDENT = "   "  # a field of an endorsement: document, "endorsements" list, row


def _json_codes(column: Iterable[Any], coded: Coded | None) -> tuple[np.ndarray, list[Any]]:
    """Return each row's code and the distinct values the codes stand for (the reader's, when it made some)."""
    if coded is not None and isinstance(column, pd.Series):
        return coded.at(column.index), list(coded.values)
    values = np.asarray(column)
    if values.dtype == bool:
        return values.astype(np.intp), [False, True]
    values = values.astype(object)
    codes, found = pd.factorize(values)  # a missing value (None, NaN) gets -1
    distinct = list(found)
    missing = codes < 0
    if missing.any():
        kinds = {type(value) for value in values[missing]}
        if len(kinds) > 1:  # None and NaN together: each such row keeps its own value
            return np.arange(len(values)), list(values)
        codes = np.where(missing, len(distinct), codes)
        distinct.append(values[missing][0])
    return codes, distinct
