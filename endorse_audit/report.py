"""Turn an Audit into its outputs: the HTML report, the JSON contract, the CSV hide list.

Data before HTML: `report_view()` builds plain view objects, the Jinja2 template (autoescaped,
StrictUndefined) only loops over them. Files are written atomically by `write_outputs()`.
"""

from __future__ import annotations

import base64
import csv
import errno
import functools
import glob
import hashlib
import io
import itertools
import json
import os
import tempfile
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from endorse_audit import __version__
from endorse_audit.errors import OutputError
from endorse_audit.export import canonical_name, endorser_ids, profile_url
from endorse_audit.history import view as history_view
from endorse_audit.model import Audit, SkillResult
from endorse_audit.profile import checks_of
from endorse_audit.profile import json_fields as profile_json

SCHEMA = "endorse-audit/1"
ROWS_PER_GROUP = 200  # beyond this a group says "and N more, see the CSV"
MAX_ROWS = 5_000  # endorsement rows on the whole page
MAX_GROUPS = 500  # skills shown in "To hide"
MAX_PEOPLE = 1_000  # people shown in "By endorser"
CHART_BARS = 40  # skills drawn in the chart; the rest are summed up in one line
CHART_ROW = 22  # pixels per bar
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


# --- JSON ---------------------------------------------------------------------------------------


def _endorsement_fields(audit: Audit) -> list[tuple[str, Iterable[Any], Callable[[Any], Any]]]:
    """Return each endorsement's JSON fields in order: (key, its column, the value a cell gives)."""
    table = audit.endorsements
    return [
        ("date", table["date"], _as_is),
        ("skill", table["skill"], _as_is),
        ("endorser", table["endorser"], _as_is),
        ("profile_url", table["slug"], profile_url),
        ("linkedin_status", table["status"], _as_is),
        ("verdict", table["verdict"], _as_is),
        ("hide", table["hide"], bool),
        ("matched", table["matched"], _text_or_none),
        ("ignored", table["ignored"], bool),
        ("connected_on", table["connected_on"], _text_or_none_if_empty),
        ("new", audit.new_flags(), bool),
    ]


def _as_is(value: Any) -> Any:
    return value


def _text_or_none(value: Any) -> str | None:
    return value if isinstance(value, str) else None  # pandas may hold a missing value as NaN: null, not NaN


def _text_or_none_if_empty(value: Any) -> Any:
    return value or None


def audit_dict(audit: Audit) -> dict[str, Any]:
    """Return the public JSON document (schema endorse-audit/1; fields are only ever added)."""
    fields = _endorsement_fields(audit)
    keys = [key for key, _, _ in fields]
    rows = zip(*(map(convert, column) for _, column, convert in fields))
    return _document(audit, [dict(zip(keys, row)) for row in rows])


def _document(audit: Audit, endorsements: Any) -> dict[str, Any]:
    """Return the JSON document around its list of endorsements."""
    export, summary = audit.export, audit.summary
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
        },
        "skills": [
            {
                "name": s.verdict.name,
                "verdict": s.verdict.verdict,
                "matched": s.verdict.matched,
                "method": s.verdict.method,
                "score": s.verdict.score,
                "endorsements": s.endorsements,
                "to_hide": s.to_hide,
                "closest": s.verdict.closest,
            }
            for s in audit.skills
        ],
        "listed": [
            {"name": s.name, "endorsements": s.endorsements, "spellings": list(s.spellings)} for s in audit.listed
        ],
        "endorsements": endorsements,
        "notes": list(export.notes),
        **profile_json(checks_of(audit)),  # "profile", "given", "invitations"
    }


def render_json(audit: Audit) -> str:
    """Return the JSON document as text."""
    return "".join(iter_json(audit))


_JSON_ROWS = 20_000  # endorsements per piece of text
_encode_text = json.encoder.encode_basestring  # what json.dumps(ensure_ascii=False) uses for a string
_COMBINE = 4_096  # neighbouring fields are encoded together while they have at most this many combinations


class _Endorsements:
    """Stands for the list of endorsements while the rest of the document is encoded."""


def iter_json(audit: Audit) -> Iterator[str]:
    """Yield the text of render_json in pieces, without building a dict per endorsement.

    The text is exactly `json.dumps(audit_dict(audit), ensure_ascii=False, indent=1) + "\\n"`: each
    distinct value of a field is encoded once, and each row is joined from those pieces.
    """
    marker = "\x00endorsements-" + os.urandom(16).hex()
    text = json.dumps(
        _document(audit, _Endorsements()),
        ensure_ascii=False,
        indent=1,
        default=lambda value: marker if isinstance(value, _Endorsements) else _unknown(value),
    )
    head, tail = text.split(json.dumps(marker))
    rows = len(audit.endorsements)
    if not rows:
        yield head + "[]" + tail + "\n"
        return
    groups = _json_groups(_endorsement_fields(audit))
    yield head + "["
    for start in range(0, rows, _JSON_ROWS):
        pieces = [fragments[codes[start : start + _JSON_ROWS]].tolist() for codes, fragments in groups]
        block = "".join(itertools.chain.from_iterable(zip(*pieces)))
        yield block[1:] if start == 0 else block  # no comma before the first row
    yield "\n ]" + tail + "\n"


def _unknown(value: Any) -> Any:
    raise TypeError(f"Object of type {type(value).__name__} is not JSON serializable")


def _json_groups(fields: list[tuple[str, Iterable[Any], Callable[[Any], Any]]]) -> list[tuple[np.ndarray, np.ndarray]]:
    """Return, per group of neighbouring fields, each row's code and the JSON text of each code."""
    groups: list[tuple[np.ndarray, np.ndarray]] = []
    for index, (key, column, convert) in enumerate(fields):
        codes, distinct = _distinct(column)
        opening = ",\n  {\n   " if index == 0 else ",\n   "
        closing = "\n  }" if index == len(fields) - 1 else ""
        label = f"{opening}{json.dumps(key)}: "
        fragments = np.empty(len(distinct), dtype=object)
        fragments[:] = [label + _json_value(convert(value)) + closing for value in distinct]
        if groups and len(groups[-1][1]) * len(fragments) <= _COMBINE:
            before_codes, before = groups[-1]
            combined, pairs = pd.factorize(before_codes.astype(np.int64) * len(fragments) + codes)
            joined = [before[pair // len(fragments)] + fragments[pair % len(fragments)] for pair in pairs]
            groups[-1] = (combined, np.empty(len(joined), dtype=object))
            groups[-1][1][:] = joined
        else:
            groups.append((codes, fragments))
    return groups


def _json_value(value: Any) -> str:
    """Return one value as json.dumps(..., ensure_ascii=False) writes it (strings by the C encoder, directly)."""
    return _encode_text(value) if type(value) is str else json.dumps(value, ensure_ascii=False)


def _distinct(column: Iterable[Any]) -> tuple[np.ndarray, list[Any]]:
    """Return each row's code and the distinct values the codes stand for."""
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


# --- CSV ----------------------------------------------------------------------------------------


def neutralise(cell: str) -> str:
    """Return a cell a spreadsheet will show as text, never run as a formula."""
    return "'" + cell if cell.startswith(_FORMULA_START) else cell


def render_csv(audit: Audit) -> str:
    """Return the hide list, one endorsement a row, safe to open in a spreadsheet."""
    hide = audit.endorsements[audit.endorsements["hide"]]
    hints = {s.verdict.name: s.verdict.closest or "" for s in audit.skills}
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(
        [
            "Skill",
            "Endorser",
            "Profile URL",
            "Endorsement Date",
            "Connected On",
            "LinkedIn Status",
            "Closest Listed Skill",
        ]
    )
    for row in hide.itertuples(index=False):
        cells = [
            row.skill,
            row.endorser,
            profile_url(str(row.slug)) or "",
            row.date,
            row.connected_on,
            row.status,
            hints.get(str(row.skill), ""),
        ]
        writer.writerow([neutralise(str(cell)) for cell in cells])
    return out.getvalue()


# --- HTML ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PersonRow:
    """One endorsement as a row of the report."""

    endorser: str
    url: str | None
    date: str
    connected_on: str
    is_connection: bool | None
    skill: str
    key: str  # stable id of this endorsement, for the "done" checkbox kept in the browser
    new: bool = False  # to hide and in no earlier run of the history (False on a first run, or without one)


@dataclass(frozen=True)
class SkillGroup:
    """The endorsements to hide for one skill the member never listed."""

    skill: str
    count: int
    closest: str | None
    closest_score: float | None
    rows: tuple[PersonRow, ...]
    more: int  # rows left out of the page (they are in the CSV)


@dataclass(frozen=True)
class EndorserGroup:
    """One person and the unlisted skills they endorsed the member for."""

    endorser: str
    url: str | None
    connected_on: str
    is_connection: bool | None
    skills: tuple[str, ...]
    count: int
    latest: str


@dataclass(frozen=True)
class Bar:
    """One skill in the chart of endorsements per skill (geometry computed here, not in the template)."""

    label: str
    count: int
    kind: str  # "listed" (listed and near-duplicate spellings) or "unlisted" (to hide) or "allowed"
    y: int
    width: float  # percent of the plot width


@dataclass(frozen=True)
class Chart:
    """The bar chart: the skills with most endorsements, listed against unlisted."""

    bars: tuple[Bar, ...]
    height: int
    more_skills: int
    more_endorsements: int
    listed_total: int
    unlisted_total: int


def _row_key(skill: str, endorser_id: str) -> str:
    return hashlib.sha256(f"{skill}\0{endorser_id}".encode()).hexdigest()[:16]


def _person_rows(table: pd.DataFrame, mark_new: bool = False) -> tuple[PersonRow, ...]:
    keys = [_row_key(skill, who) for skill, who in zip(table["skill"], endorser_ids(table))]
    news = table["new"] if mark_new and "new" in table.columns else [False] * len(table)
    return tuple(
        PersonRow(endorser or "(no name)", profile_url(slug), date, connected_on, is_connection, skill, key, bool(new))
        for endorser, slug, date, connected_on, is_connection, skill, key, new in zip(
            table["endorser"],
            table["slug"],
            table["date"],
            table["connected_on"],
            table["is_connection"],
            table["skill"],
            keys,
            news,
        )
    )


def _chart(audit: Audit) -> Chart:
    """Return the chart of endorsements per skill: listed skills by their spellings, unlisted ones apart."""
    counts: dict[tuple[str, str], int] = {}
    for listed in audit.listed:
        if listed.endorsements:
            counts[(listed.name.strip(), "listed")] = listed.endorsements
    for result in audit.skills:
        if result.verdict.verdict in ("unlisted", "allowed") and result.endorsements:
            kind = "unlisted" if result.verdict.verdict == "unlisted" else "allowed"
            counts[(result.verdict.name.strip(), kind)] = result.endorsements
    ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0][0].casefold(), item[0][1]))
    shown, rest = ranked[:CHART_BARS], ranked[CHART_BARS:]
    top = max((count for _, count in shown), default=1)
    bars = tuple(
        Bar(_shorten(label, 21), count, kind, index * CHART_ROW, round(100 * count / top, 2))
        for index, ((label, kind), count) in enumerate(shown)
    )
    return Chart(
        bars,
        len(bars) * CHART_ROW,
        len(rest),
        sum(count for _, count in rest),
        sum(count for (_, kind), count in ranked if kind == "listed"),
        sum(count for (_, kind), count in ranked if kind == "unlisted"),
    )


def _shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def report_view(audit: Audit, generated_at: datetime) -> dict[str, Any]:
    """Return everything the template shows, as plain sorted data."""
    table = audit.endorsements
    hide = table[table["hide"]]
    groups = _skill_groups(audit, hide, mark_new=audit.history is not None and audit.history.previous is not None)
    by_endorser = _endorser_groups(hide)
    return {
        "version": __version__,
        "generated_at": generated_at.strftime("%Y-%m-%d %H:%M"),
        "export": audit.export,
        "export_name": Path(audit.export.path).name,
        "summary": audit.summary,
        "groups": groups,
        "groups_more": sum(1 for s in audit.skills if s.to_hide) - len(groups),
        "by_endorser": by_endorser,
        "near_duplicates": [s for s in audit.skills if s.verdict.verdict == "near_duplicate"],
        "allowed": [s for s in audit.skills if s.verdict.verdict == "allowed"],
        "listed": audit.listed,
        "has_connections": audit.export.has_connections,
        "people_more": max(0, audit.summary.endorsers_to_hide - MAX_PEOPLE),
        "chart": _chart(audit),
        "skills_url": _skills_url(audit.export.member_slug),
        "page_data": {"report": audit.export.content_hash[:16] or "report"},
        "history": history_view(audit),
        "profile_checks": checks_of(audit),
    }


def _skill_groups(audit: Audit, hide: pd.DataFrame, *, mark_new: bool) -> list[SkillGroup]:
    """Return the "To hide, by skill" groups: newest first, at most ROWS_PER_GROUP rows each, MAX_ROWS in all.

    The table is sorted and grouped once, and the rows shown are built in one pass: a large export has
    hundreds of skills and hundreds of thousands of rows to hide.
    """
    ordered = hide.sort_values(["date", "endorser"], ascending=[False, True], kind="stable")
    by_skill = ordered.groupby("skill", sort=False).indices if len(ordered) else {}
    plan: list[tuple[SkillResult, np.ndarray, int]] = []
    budget = MAX_ROWS  # rows on the whole page, so that a huge export still opens fast
    for result in audit.skills:
        if not result.to_hide or len(plan) >= MAX_GROUPS:
            continue
        positions = np.asarray(by_skill[result.verdict.name])
        shown = min(len(positions), ROWS_PER_GROUP, budget)
        budget -= shown
        plan.append((result, positions[:shown], len(positions)))
    chosen = np.concatenate([positions for _, positions, _ in plan]) if plan else np.array([], dtype=int)
    rows = iter(_person_rows(ordered.iloc[chosen], mark_new))
    return [
        SkillGroup(
            result.verdict.name,
            result.to_hide,
            result.verdict.closest,
            result.verdict.score,
            tuple(next(rows) for _ in range(len(positions))),
            total - len(positions),
        )
        for result, positions, total in plan
    ]


def _endorser_groups(hide: pd.DataFrame) -> list[EndorserGroup]:
    """Return the "To hide, by endorser" rows: who endorsed most skills never listed, MAX_PEOPLE at most."""
    if not len(hide):
        return []
    ids = endorser_ids(hide)
    sizes = ids.value_counts(sort=False)
    top = sorted(zip(sizes.index, sizes.to_numpy()), key=lambda item: (-item[1], item[0]))[:MAX_PEOPLE]
    chosen = hide[ids.isin([who for who, _ in top])]
    chosen_ids = ids[chosen.index]
    grouped = chosen.groupby(chosen_ids, sort=False)
    heads = grouped.nth(0)  # each person's first row, in the export's order
    head_of = {
        str(who): (str(name), str(slug), str(connected_on), is_connection)
        for who, name, slug, connected_on, is_connection in zip(
            chosen_ids[heads.index], heads["endorser"], heads["slug"], heads["connected_on"], heads["is_connection"]
        )
    }
    skills_of = {str(who): tuple(sorted(set(column), key=str.casefold)) for who, column in grouped["skill"]}
    latest_of = {str(who): str(date) for who, date in grouped["date"].max().items()}
    groups = []
    for who, count in top:
        name, slug, connected_on, is_connection = head_of[str(who)]
        groups.append(
            EndorserGroup(
                name or "(no name)",
                profile_url(slug),
                connected_on,
                is_connection,
                skills_of[str(who)],
                int(count),
                latest_of[str(who)],
            )
        )
    return groups


def _skills_url(member_slug: str | None) -> str | None:
    """Return the member's own skills page, when the export reveals their profile slug."""
    own = profile_url(member_slug or "")
    return f"{own}/details/skills/" if own else None


@functools.cache  # one per process: templates are compiled once, not for every report of a batch
def _environment() -> Any:
    """Return the Jinja2 environment: autoescape always on, undefined names are errors."""
    import jinja2

    package_dir = Path(__file__).resolve().parent
    search = [str(package_dir / "templates"), str(package_dir.parent / "templates")]
    try:
        # Compiled templates are kept in Jinja2's per-user, owner-only folder under the temp folder:
        # compiling them costs a tenth of a second on every run otherwise.
        cache: jinja2.BytecodeCache | None = jinja2.FileSystemBytecodeCache()
    except (OSError, RuntimeError):
        cache = None
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(search),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        bytecode_cache=cache,
    )


def render_html(audit: Audit, generated_at: datetime) -> str:
    """Return the self-contained HTML report.

    The page's Content-Security-Policy allows exactly one script, by its hash: ours.
    """
    environment = _environment()
    script = environment.get_template("report.js").render()
    script_hash = "sha256-" + base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode("ascii")
    html: str = environment.get_template("report.html").render(
        **report_view(audit, generated_at), script_hash=script_hash
    )
    return html


# --- Writing ------------------------------------------------------------------------------------


def write_outputs(contents: Mapping[Path, str | Iterable[str]], *, protect: tuple[Path, ...] = ()) -> None:
    """Write every file atomically: all to temporary files first, then each renamed into place.

    A file's contents are a string, or an iterable of strings written one after the other.

    Files are created owner-only (they hold other people's names). If anything fails before the
    renames (a full disk, Ctrl-C), no output is touched and no temporary file is left; `protect`
    names the export: never written over, nor (for a folder) the export files inside it.
    """
    protected = [p.resolve() for p in protect]
    for path in contents:
        target = path.resolve()
        if any(target == p or (target.is_relative_to(p) and canonical_name(target.name)) for p in protected):
            raise OutputError(str(path), "is the export itself; choose another output path")
        if path.is_dir():
            raise OutputError(str(path), "is a folder; give a file name")
        if not path.parent.is_dir():
            raise OutputError(
                str(path), f"cannot be written: folder {str(path.parent)!r} does not exist; create it or choose another"
            )
    staged: list[tuple[str, Path]] = []
    current = next(iter(contents), Path("."))
    earlier = _temporaries(contents)
    try:
        for current, text in contents.items():
            staged.append((_stage(current, text), current))
        for temporary, current in staged:
            os.replace(temporary, current)
    except BaseException as error:  # OSError, and Ctrl-C too: never leave a temporary file
        # Ctrl-C can land after _stage made its file and before it is in `staged`: look for ours.
        for temporary in {t for t, _ in staged} | (_temporaries(contents) - earlier):
            if os.path.exists(temporary):
                os.unlink(temporary)
        if not isinstance(error, OSError):
            raise
        raise OutputError(
            str(current), f"cannot be written ({error.strerror or error}); {_advice(error)}; earlier outputs were kept"
        )


def _temporaries(paths: Iterable[Path]) -> set[str]:
    """Return the temporary files _stage makes for these outputs that exist now."""
    return {str(t) for path in paths for t in path.parent.glob(f".{glob.escape(path.name)}.*.tmp")}


def _advice(error: OSError) -> str:
    if error.errno in (errno.ENOSPC, errno.EDQUOT):
        return "free some disk space or write to another disk"
    if error.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return "choose a folder you can write to"
    return "choose another output path"


def _stage(path: Path, text: str | Iterable[str]) -> str:
    """Write `text` (or its pieces) to a new owner-only temporary file beside `path` and return its name."""
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8", errors="backslashreplace", newline="") as stream:
            for piece in (text,) if isinstance(text, str) else text:
                stream.write(piece)
            stream.flush()
            os.fsync(stream.fileno())
    except BaseException:
        os.unlink(temporary)
        raise
    return temporary
