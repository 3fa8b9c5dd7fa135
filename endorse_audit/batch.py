"""Audit many exports at once: each in a worker process, one report each, an index and a combined JSON.

With several exports the outputs go to one folder (`--out-dir`, default `endorse-audit-reports/`):
`<export name>.html` per export, `index.html` linking them with their counts, and `audit.json`:
`{"schema": "endorse-audit/1", "exports": [<each export's document>], "errors": [...]}`, each document
exactly what `--json` writes for that export alone. An export that cannot be audited is reported in
`errors` and skipped; the others are still audited. Nothing is written until every export is done.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote

from endorse_audit import files
from endorse_audit.audit import audit_path
from endorse_audit.config import Config
from endorse_audit.errors import EndorseAuditError, OutputError
from endorse_audit.names.people import fingerprints, member_id
from endorse_audit.reading.archive import choose_export, find_exports
from endorse_audit.report.dates import day
from endorse_audit.report.json import SCHEMA, dumps, iter_json
from endorse_audit.report.outputs import EXPORT, advice, check_targets, utf8, write_outputs
from endorse_audit.report.render import render_html, render_template
from endorse_audit.version import __version__
from endorse_audit.workers import staging_folder, start_worker

DEFAULT_OUT_DIR = "endorse-audit-reports"
INDEX = "index.html"
COMBINED_JSON = "audit.json"
# Forked workers on Linux, so that they die with the main process (workers.py); elsewhere the default.
_CONTEXT = multiprocessing.get_context("fork") if sys.platform.startswith("linux") else None
_RESERVED = {"index"}  # report names that would clash with the index page
_CHUNK = 1024 * 1024


@dataclass(frozen=True)
class Outcome:
    """What auditing one export gave: its counts, or the one-line error that stopped it."""

    path: str  # the export as the user named it (or as found in a folder with --all)
    name: str  # its file or folder name
    report: str | None = None  # the HTML report's file name in the output folder, None without one
    error: str | None = None  # `<file>: <what is wrong>`, None when the export was audited
    date: str | None = None  # the date in LinkedIn's file name
    member: str | None = None
    listed_skills: int = 0
    endorsements: int = 0
    to_hide: int = 0
    unlisted_skills: int = 0
    endorsers_to_hide: int = 0
    near_duplicates: int = 0
    member_id: str = ""  # whose export it is (people.member_id), "" when it does not say
    to_hide_prints: frozenset[bytes] = frozenset()  # the fingerprints of its endorsements to hide


@dataclass(frozen=True)
class BatchResult:
    """Every export's outcome, in the order given, and the files written."""

    outcomes: tuple[Outcome, ...]
    written: tuple[Path, ...]

    @property
    def failed(self) -> tuple[Outcome, ...]:
        return tuple(o for o in self.outcomes if o.error is not None)

    @property
    def audited(self) -> tuple[Outcome, ...]:
        return tuple(o for o in self.outcomes if o.error is None)


@dataclass(frozen=True)
class _Task:
    """One export for a worker: where it is, how to judge it, where its outputs go."""

    path: Path
    config: Config
    html: Path | None  # where to stage the HTML report, None without HTML
    part: Path  # a private file for the export's JSON document, written as it sits in audit.json
    generated_at: datetime
    json_compact: bool = False


def collect(paths: Sequence[Path], every: bool) -> list[Path]:
    """Return the exports to audit, in order and each once.

    With `every` (--all), a folder holding export zips stands for all of them (newest first); any
    other path is one export, as for a single EXPORT (a folder that is no export fails on its own).
    """
    found: list[Path] = []
    for path in paths:
        try:
            zips = find_exports(path) if every and path.is_dir() else []
        except OSError:  # unreadable: the export's own audit says so
            zips = []
        found += zips or [path]
    unique: dict[str, Path] = {}
    for path in found:
        unique.setdefault(os.path.normcase(os.path.abspath(path)), path)
    return list(unique.values())


def _audited(path: Path) -> Path:
    """Return the export a path stands for: a folder holding export zips stands for the newest one."""
    try:
        return choose_export(path)[0]
    except (EndorseAuditError, OSError):  # its own audit says what is wrong
        return path


def report_names(paths: Sequence[Path]) -> list[str]:
    """Return a distinct report file name per export, `<export name>.html` (`-2`, `-3` on a clash):
    the zip's name, also when the path given is the folder it was chosen from."""
    used = set(_RESERVED)
    names = []
    for given in paths:
        path = _audited(given)
        stem = (path.stem if path.suffix.casefold() == ".zip" else path.name) or "export"
        candidate, number = stem, 1
        while candidate.casefold() in used:
            number += 1
            candidate = f"{stem}-{number}"
        used.add(candidate.casefold())
        names.append(candidate + ".html")
    return names


def default_jobs() -> int:
    """Return how many workers to start by default: the cores this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def run(
    paths: Sequence[Path],
    config: Config,
    out_dir: Path,
    *,
    jobs: int,
    html: bool = True,
    json_compact: bool = False,
    generated_at: datetime,
    on_done: Callable[[Outcome], None] | None = None,
) -> BatchResult:
    """Audit each export in its own worker process, then write the reports, the index and the JSON.

    Raises OutputError when the output folder cannot be made or an output there may not be replaced (a
    link, a device: before any work); errors of one export are in its Outcome.
    """
    names = report_names(paths)
    if out_dir.is_dir():
        targets = [out_dir / name for name in names] if html else []
        check_targets([*targets, out_dir / INDEX, out_dir / COMBINED_JSON], dict.fromkeys(paths, EXPORT))
    created = _make_folder(out_dir)
    written: tuple[Path, ...] = ()
    try:
        with staging_folder(out_dir) as work:
            outcomes, written = _audit_and_write(
                paths, names, config, (out_dir, work), jobs, (html, json_compact), generated_at, on_done
            )
    finally:  # a run that writes nothing (every export failed, Ctrl-C) leaves no folder behind
        if created and not written and not any(out_dir.iterdir()):
            out_dir.rmdir()
    return BatchResult(tuple(outcomes), written)


def _audit_and_write(
    paths: Sequence[Path],
    names: Sequence[str],
    config: Config,
    folders: tuple[Path, Path],
    jobs: int,
    formats: tuple[bool, bool],
    generated_at: datetime,
    on_done: Callable[[Outcome], None] | None,
) -> tuple[list[Outcome], tuple[Path, ...]]:
    """Audit into the staging folder, then write every output at once (nothing when none was audited).

    `folders`: the output folder and the staging folder in it; `formats`: whether to write HTML, whether
    the JSON is compact."""
    html, json_compact = formats
    out_dir, staging = folders
    tasks = [
        _Task(path, config, staging / name if html else None, staging / f"{number}.json", generated_at, json_compact)
        for number, (path, name) in enumerate(zip(paths, names))
    ]
    outcomes = _run_tasks(tasks, jobs, on_done)
    if all(outcome.error is not None for outcome in outcomes):
        return outcomes, ()
    outputs: dict[Path, Any] = {}
    for task, name, outcome in zip(tasks, names, outcomes):
        if task.html is not None and outcome.error is None:
            outputs[out_dir / name] = _read_chunks(task.html)
    if html:
        outputs[out_dir / INDEX] = render_index(outcomes, generated_at)
    outputs[out_dir / COMBINED_JSON] = combined_json(
        [task.part for task, outcome in zip(tasks, outcomes) if outcome.error is None],
        [outcome for outcome in outcomes if outcome.error is not None],
        compact=json_compact,
    )
    write_outputs(outputs, protect=tuple(paths))
    return outcomes, tuple(outputs)


def _make_folder(out_dir: Path) -> bool:
    """Make the output folder if need be; return whether it was made."""
    if out_dir.exists() and not out_dir.is_dir():
        raise OutputError(str(out_dir), "is a file, not a folder; give a folder for the reports", setting="out_dir")
    if out_dir.is_dir():
        return False
    try:
        files.private_folders(out_dir)
    except OSError as error:
        raise OutputError(
            str(out_dir), f"cannot be created ({error.strerror or error}); choose another folder", setting="out_dir"
        )
    return True


def _run_tasks(tasks: list[_Task], jobs: int, on_done: Callable[[Outcome], None] | None) -> list[Outcome]:
    """Return each task's outcome in task order; with one job (or one task) no process is started.

    A worker that dies (the OOM killer, a signal) breaks its pool: the exports it may have been auditing
    are audited again one at a time, so that only the one that kills its worker again is reported
    failed, and the rest go on in a new pool.
    """
    outcomes: list[Outcome | None] = [None] * len(tasks)

    def finish(number: int, outcome: Outcome) -> None:
        outcomes[number] = outcome
        if on_done is not None:
            on_done(outcome)

    if jobs <= 1 or len(tasks) <= 1:
        for number, task in enumerate(tasks):
            finish(number, audit_one(task))
        return outcomes  # type: ignore[return-value]
    queue = list(range(len(tasks)))
    while queue:
        for number in _run_pool(tasks, queue, min(jobs, len(queue)), finish):
            if _run_pool(tasks, [number], 1, finish):  # alone, it killed its worker again
                task = tasks[number]
                problem = "could not be audited: the process auditing it stopped (out of memory?); try it alone"
                finish(number, Outcome(str(task.path), task.path.name, error=f"{task.path}: {problem}"))
    return outcomes  # type: ignore[return-value]


def _run_pool(tasks: list[_Task], queue: list[int], workers: int, finish: Callable[[int, Outcome], None]) -> list[int]:
    """Audit the queued tasks (taken from `queue` as they start) in a pool of `workers` processes.

    Return the tasks in flight when a worker died ([] when the pool finished); Ctrl-C or SIGTERM stop
    every worker at once.
    """
    executor = ProcessPoolExecutor(
        max_workers=workers, mp_context=_CONTEXT, initializer=start_worker, initargs=(os.getpid(),)
    )
    pending: dict[Future[Outcome], int] = {}

    def submit() -> None:
        pending[executor.submit(audit_one, tasks[queue[0]])] = queue[0]
        queue.pop(0)  # only once it is in `pending`: a broken pool leaves it queued

    try:
        # Keep only a few tasks queued per worker: Ctrl-C then stops at once, and memory stays flat.
        while queue and len(pending) < 2 * workers:
            submit()
        while pending:
            done, _ = wait(pending, return_when=FIRST_COMPLETED)
            for future in done:
                outcome = future.result()  # raises BrokenProcessPool while the task is still pending
                finish(pending.pop(future), outcome)
                if queue:
                    submit()
    except BrokenProcessPool:
        executor.shutdown(wait=True, cancel_futures=True)
        return sorted(pending.values())
    except BaseException:  # Ctrl-C, SIGTERM: stop every worker now
        for process in list((getattr(executor, "_processes", None) or {}).values()):
            process.terminate()
        executor.shutdown(wait=False, cancel_futures=True)
        raise
    executor.shutdown()
    return []


def audit_one(task: _Task) -> Outcome:
    """Audit one export and write its report and JSON document to the staging folder (runs in a worker)."""
    label = str(task.path)
    try:
        result = audit_path(task.path, task.config)
        if task.html is not None:  # staged privately; the main process writes it in place with the rest
            _write(task.html, [utf8(render_html(result, task.generated_at))])
        # Written as it sits in audit.json (one level deeper), so that the parent only copies its bytes.
        _write(task.part, _nested(iter_json(result, compact=task.json_compact), task.json_compact))
    except OutputError:  # the disk's fault (full, a name too long), not the export's: the run stops
        raise
    except EndorseAuditError as error:
        return Outcome(label, task.path.name, error=str(error))
    except Exception as error:  # a file that passed every check yet breaks the audit: skip this export only
        detail = " ".join(str(error).split()) or type(error).__name__
        return Outcome(label, task.path.name, error=f"{label}: could not be audited ({detail}); please report this")
    summary, source = result.summary, result.export
    hidden = result.endorsements[result.endorsements["hide"]]
    return Outcome(
        path=label,
        name=source.name,
        report=task.html.name if task.html is not None else None,
        date=source.date.isoformat() if source.date else None,
        member=source.member_name,
        listed_skills=summary.listed_skills,
        endorsements=summary.endorsements,
        to_hide=summary.to_hide,
        unlisted_skills=summary.unlisted_skills,
        endorsers_to_hide=summary.endorsers_to_hide,
        near_duplicates=summary.near_duplicates,
        member_id=member_id(source.member_name, source.member_slug),
        to_hide_prints=frozenset(fingerprints(hidden["skill"].tolist(), hidden["endorser_id"].tolist())),
    )


def _nested(pieces: Iterable[bytes], compact: bool) -> Iterator[bytes]:
    """Yield a JSON document as it sits in the combined one: without its final newline and, indented,
    two more spaces a line."""
    previous = None
    for piece in pieces:
        if previous is not None:
            yield previous if compact else previous.replace(b"\n", b"\n  ")
        previous = piece
    if previous is not None:
        last = previous.removesuffix(b"\n")
        yield last if compact else last.replace(b"\n", b"\n  ")


def _write(path: Path, pieces: Iterable[bytes]) -> None:
    """Write UTF-8 bytes to a new owner-only staging file; raise OutputError naming the output folder
    when the disk cannot take them."""
    try:
        with open(path, "xb", opener=lambda name, flags: os.open(name, flags, files.FILE_MODE)) as stream:
            for piece in pieces:
                stream.write(piece)
    except OSError as error:
        out_dir = path.parent.parent
        raise OutputError(
            str(out_dir), f"cannot be written ({error.strerror or error}); {advice(error)}; earlier outputs were kept"
        )


def _read_chunks(path: Path) -> Iterator[bytes]:
    """Yield a staged file's bytes as they are (the UTF-8 the output is written in: never decoded)."""
    with open(path, "rb") as stream:
        while chunk := stream.read(_CHUNK):
            yield chunk


def combined_json(parts: Sequence[Path], failed: Sequence[Outcome], *, compact: bool = False) -> Iterator[str | bytes]:
    """Yield the combined document: `dumps({"schema", "exports", "errors"}, compact=compact)` exactly,
    with each export's document copied from its file, which the worker wrote as it sits here."""
    marker = "\x00export-" + os.urandom(16).hex()
    skeleton = dumps(
        {
            "schema": SCHEMA,
            "generator": f"endorse-audit {__version__}",
            "exports": [marker] * len(parts),
            "errors": [{"path": outcome.path, "error": outcome.error} for outcome in failed],
        },
        compact=compact,
    )
    pieces = skeleton.split(json.dumps(marker))
    yield pieces[0]
    for part, after in zip(parts, pieces[1:]):
        yield from _read_chunks(part)
        yield after
    yield "\n"


@dataclass(frozen=True)
class IndexRow:
    """One audited export as a row of the index page."""

    name: str
    report: str | None  # link relative to the index
    date: str | None  # as the report writes dates ("18 Mar 2024")
    member: str | None
    endorsements: int
    to_hide: int
    unlisted_skills: int
    endorsers_to_hide: int
    near_duplicates: int


@dataclass(frozen=True)
class MemberRow:
    """One member and their exports: each endorsement to hide counted once across them."""

    member: str  # the name, or "(unknown)" when an export does not say whose it is
    exports: int
    to_hide: int  # distinct endorsements to hide across the member's exports
    latest: str  # the newest export's name


def _members(audited: Sequence[Outcome]) -> list[MemberRow]:
    """Group the exports by member; an export that does not say whose it is stands alone."""
    groups: dict[str, list[Outcome]] = {}
    for number, outcome in enumerate(audited):
        groups.setdefault(outcome.member_id or f"\0{number}", []).append(outcome)
    rows = []
    for outcomes in groups.values():
        newest = max(outcomes, key=lambda o: (o.date or "", o.name))
        distinct = frozenset().union(*(o.to_hide_prints for o in outcomes))
        rows.append(MemberRow(newest.member or "(unknown)", len(outcomes), len(distinct), newest.name))
    return sorted(rows, key=lambda row: (-row.to_hide, row.member.casefold(), row.latest))


def index_view(outcomes: Sequence[Outcome], generated_at: datetime) -> dict[str, Any]:
    """Return everything the index page shows, as plain data, in the order the exports were given."""
    audited = [o for o in outcomes if o.error is None]
    members = _members(audited)
    return {
        "version": __version__,
        "generated_at": f"{day(generated_at.date())}, {generated_at:%H:%M} UTC",
        "rows": [
            IndexRow(
                o.name,
                "./" + quote(o.report) if o.report else None,
                day(date.fromisoformat(o.date)) if o.date else None,
                o.member,
                o.endorsements,
                o.to_hide,
                o.unlisted_skills,
                o.endorsers_to_hide,
                o.near_duplicates,
            )
            for o in audited
        ],
        "members": members,
        "failed": [o.error for o in outcomes if o.error is not None],
        "with_to_hide": sum(1 for o in audited if o.to_hide),
        "to_hide": sum(row.to_hide for row in members),  # each member's endorsements counted once
        "endorsements": sum(o.endorsements for o in audited),
    }


def render_index(outcomes: Sequence[Outcome], generated_at: datetime) -> str:
    """Return the index page linking every report with its counts."""
    return render_template(INDEX, **index_view(outcomes, generated_at))
