"""The run history: past audits in one small SQLite file, what is new since, a lock against overlaps.

The file (`$XDG_STATE_HOME/endorse-audit/history.sqlite3` by default, owner-only: it describes other
people's endorsements) holds one run per export audited, found again by the export's content hash so
that an export audited twice is one run, and a fingerprint of every endorsement to hide: a hash of
the skill's comparison key and the endorser's profile slug (or folded name without one). An
endorsement seen in any run is not new, even when its row moved or its date is written differently.

Hashes only, never names. Schema 2 adds, per run, a hash of whose export it is (the member) and how
many of the member's previous endorsements to hide were dealt with (progress.py); per endorsement to
hide, the hashes of its skill's key and of its endorser, so that one gone from a later export can be
named when that export still names its skill or endorser elsewhere. A schema-1 file is upgraded in
place by the first run that writes to it (its old runs keep no member: taken as the same member).

A run locks `history.sqlite3.lock` beside the file (waiting LOCK_TIMEOUT seconds at most), reads what
it needs, lets the caller write its outputs, then records itself in one transaction. A run killed or
failing at any point leaves the history as it was: SQLite's journal rolls an unfinished transaction
back, and the operating system drops the lock of a dead process.
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
import os
import sqlite3
import time
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from endorse_audit import people, progress
from endorse_audit.errors import BusyError, HistoryError
from endorse_audit.model import Audit, PastRun, RunHistory

fcntl: Any
try:
    import fcntl
except ImportError:  # not POSIX: no lock file, SQLite's own locking still keeps the file whole
    fcntl = None

APP = "endorse-audit"
FILE_NAME = "history.sqlite3"
LOCK_TIMEOUT = 10.0  # seconds a run waits for another one using the same history
SCHEMA_VERSION = 2

_SCHEMA = """
CREATE TABLE runs (
    id INTEGER PRIMARY KEY,
    export_hash TEXT UNIQUE,
    export_name TEXT NOT NULL,
    export_date TEXT,
    first_audited TEXT NOT NULL,
    last_audited TEXT NOT NULL,
    listed_skills INTEGER NOT NULL,
    endorsements INTEGER NOT NULL,
    to_hide INTEGER NOT NULL,
    new INTEGER NOT NULL,
    endorsers_to_hide INTEGER NOT NULL,
    unlisted_skills INTEGER NOT NULL,
    near_duplicates INTEGER NOT NULL,
    headers TEXT NOT NULL,
    member BLOB,
    resolved_hidden INTEGER NOT NULL DEFAULT 0,
    resolved_gone INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE hidden (
    fingerprint BLOB NOT NULL,
    run_id INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
    skill BLOB,
    endorser BLOB,
    PRIMARY KEY (fingerprint, run_id)
) WITHOUT ROWID;
"""
# From schema 1 to 2: every step adds columns, so a file of any earlier version is read as it was.
_MIGRATIONS = {
    1: """
ALTER TABLE runs ADD COLUMN member BLOB;
ALTER TABLE runs ADD COLUMN resolved_hidden INTEGER NOT NULL DEFAULT 0;
ALTER TABLE runs ADD COLUMN resolved_gone INTEGER NOT NULL DEFAULT 0;
ALTER TABLE hidden ADD COLUMN skill BLOB;
ALTER TABLE hidden ADD COLUMN endorser BLOB;
""",
}
_RUN_COLUMNS = "id, export_name, export_date, export_hash, first_audited, last_audited, to_hide, new"
_RUN_COLUMNS_2 = ", member, resolved_hidden, resolved_gone"


def default_path() -> Path:
    """Return where the history lives unless told otherwise (the XDG state folder)."""
    base = os.environ.get("XDG_STATE_HOME", "")
    try:
        root = Path(base) if os.path.isabs(base) else Path.home() / ".local" / "state"
    except RuntimeError:  # no HOME
        raise HistoryError(
            "", "cannot find your home folder to keep the history in; choose a place for it, or keep none"
        )
    return root / APP / FILE_NAME


def history_file(state: Path) -> Path:
    """Return the history file `--state` names: the path itself, or history.sqlite3 in a folder."""
    state = state.expanduser()
    return state / FILE_NAME if state.is_dir() else state


def fingerprints(table: pd.DataFrame) -> list[bytes]:
    """Return each endorsement's fingerprint: which skill, from whom, whatever its row or date."""
    return people.fingerprints(table["skill"].tolist(), table["endorser_id"].tolist())


def header_drift(before: Mapping[str, Sequence[str]], after: Mapping[str, Sequence[str]]) -> list[str]:
    """Describe how the columns of each file present in both exports changed, one phrase a file."""
    changes = []
    for name in sorted(set(before) & set(after)):
        old, new = list(before[name]), list(after[name])
        if old == new:
            continue
        parts = []
        if added := [column for column in new if column not in old]:
            parts.append("gained " + ", ".join(map(repr, added)))
        if removed := [column for column in old if column not in new]:
            parts.append("lost " + ", ".join(map(repr, removed)))
        changes.append(f"{name} " + (" and ".join(parts) if parts else "has its columns in another order"))
    return changes


@dataclass
class _Pending:
    """What prepare() found, for commit() to record."""

    audit: Audit
    fingerprints: dict[bytes, tuple[bytes, bytes]]  # each one to hide: its skill's and endorser's hashes
    run_id: int | None  # this export's run when it was audited before
    new: int  # the run's endorsements to hide that no earlier run had
    now: datetime
    member: bytes | None
    resolved: tuple[int, int]  # hidden, gone


class Store:
    """An open, locked history for one run: prepare() the audit, write the outputs, then commit()."""

    def __init__(self, path: Path, db: sqlite3.Connection) -> None:
        self.path = path
        self._db = db
        self._pending: _Pending | None = None

    def prepare(self, audit: Audit, now: datetime) -> Audit:
        """Return the audit with its new endorsements marked, a change of columns noted, what was dealt
        with since the member's previous run, and the history attached."""
        table, export = audit.endorsements, audit.export
        hide = table["hide"].to_numpy(dtype=bool)
        prints = fingerprints(table[hide])
        member_text = people.member_id(export.member_name, export.member_slug)
        member = progress.hashed("member", member_text) if member_text else None
        try:
            runs = _read_runs(self._db)
            this_id, this = next(
                ((key, run) for key, run, _ in runs if export.content_hash and run.export_hash == export.content_hash),
                (None, None),
            )
            known, known_earlier = self._known(set(prints), this_id)
            last_other = self._db.execute(
                "SELECT export_name, headers FROM runs WHERE export_hash IS NOT ?"
                " ORDER BY last_audited DESC, id DESC LIMIT 1",
                (export.content_hash or None,),
            ).fetchone()
            basis_id, basis = progress.previous_run(runs, this_id, member, export.date)
            earlier = (
                self._db.execute("SELECT fingerprint, skill, endorser FROM hidden WHERE run_id = ?", (basis_id,))
                if basis_id is not None
                else []
            )
            resolved = progress.resolved_since(earlier, table, export.listed_skills)
        except sqlite3.Error as error:
            raise _unreadable(self.path, error)
        is_new = [fingerprint not in known for fingerprint in prints]
        new = pd.Series(False, index=table.index, dtype=bool)
        if is_new:
            new[hide] = np.array(is_new, dtype=bool)
        previous = max((run for _, run, _ in runs), key=lambda run: run.last_audited, default=None)
        notes = export.notes
        if last_other is not None and (drift := header_drift(json.loads(last_other[1]), export.headers)):
            notes = (*notes, f"the export's columns changed since {last_other[0]}: " + "; ".join(drift))
        new_to_hide = sum(is_new)
        hidden = sum(r.how == "hidden" for r in resolved)
        current = PastRun(
            export_name=Path(export.path).name,
            export_date=export.date,
            export_hash=export.content_hash,
            first_audited=this.first_audited if this else now,
            last_audited=now,
            to_hide=audit.summary.to_hide,
            # An export audited again keeps its place: new counts against the runs before it.
            new=sum(fingerprint not in known_earlier for fingerprint in prints) if this else new_to_hide,
            resolved_hidden=hidden,
            resolved_gone=len(resolved) - hidden,
        )
        all_runs = tuple(current if run is this else run for _, run, _ in runs) + (() if this else (current,))
        hashes = progress.hashes_of(table[hide], prints)
        self._pending = _Pending(audit, hashes, this_id, current.new, now, member, (hidden, len(resolved) - hidden))
        return dataclasses.replace(
            audit,
            export=dataclasses.replace(export, notes=notes),
            endorsements=table.assign(new=new),
            history=RunHistory(str(self.path), new_to_hide, previous, this, all_runs, basis, resolved),
        )

    def commit(self) -> None:
        """Record the prepared run in one transaction; an export audited before updates its run."""
        if self._pending is None:
            raise RuntimeError("commit() without prepare()")
        pending, db = self._pending, self._db
        export, summary = pending.audit.export, pending.audit.summary
        progress_of = (pending.member, *pending.resolved)
        now = pending.now.isoformat(timespec="seconds")
        counts = (
            summary.listed_skills,
            summary.endorsements,
            summary.to_hide,
            summary.endorsers_to_hide,
            summary.unlisted_skills,
            summary.near_duplicates,
        )
        described = (
            Path(export.path).name,
            export.date.isoformat() if export.date else None,
            json.dumps({name: list(header) for name, header in sorted(export.headers.items())}),
        )
        try:
            db.execute("BEGIN IMMEDIATE")
            if pending.run_id is None:
                cursor = db.execute(
                    "INSERT INTO runs (export_hash, export_name, export_date, headers, first_audited, last_audited,"
                    " listed_skills, endorsements, to_hide, endorsers_to_hide, unlisted_skills, near_duplicates, new,"
                    " member, resolved_hidden, resolved_gone) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (export.content_hash or None, *described, now, now, *counts, pending.new, *progress_of),
                )
                run_id = cursor.lastrowid
            else:
                run_id = pending.run_id
                db.execute(
                    "UPDATE runs SET export_name = ?, export_date = ?, headers = ?, last_audited = ?,"
                    " listed_skills = ?, endorsements = ?, to_hide = ?, endorsers_to_hide = ?, unlisted_skills = ?,"
                    " near_duplicates = ?, new = ?, member = ?, resolved_hidden = ?, resolved_gone = ? WHERE id = ?",
                    (*described, now, *counts, pending.new, *progress_of, run_id),
                )
            db.executemany(
                "INSERT INTO hidden (fingerprint, run_id, skill, endorser) VALUES (?, ?, ?, ?)"
                " ON CONFLICT DO UPDATE SET skill = excluded.skill, endorser = excluded.endorser",
                (
                    (fingerprint, run_id, *pending.fingerprints[fingerprint])
                    for fingerprint in sorted(pending.fingerprints)
                ),
            )
            db.execute("COMMIT")
        except sqlite3.Error as error:
            with contextlib.suppress(sqlite3.Error):
                if db.in_transaction:
                    db.execute("ROLLBACK")
            raise HistoryError(
                str(self.path),
                setting=None,
                problem=f"could not be updated ({error}); the history is as it was and the outputs were written, "
                "so the next run will count these endorsements as new again",
            )
        self._pending = None

    def _known(self, wanted: set[bytes], run_id: int | None) -> tuple[set[bytes], set[bytes]]:
        """Return which of these fingerprints some run had, and which a run before `run_id` had.

        Compared in SQLite, so that a long history is never read into memory.
        """
        db = self._db
        db.execute("CREATE TEMP TABLE IF NOT EXISTS wanted (fingerprint BLOB PRIMARY KEY) WITHOUT ROWID")
        db.execute("BEGIN")
        try:
            db.executemany("INSERT INTO temp.wanted VALUES (?)", ((fingerprint,) for fingerprint in sorted(wanted)))
            query = "SELECT fingerprint FROM temp.wanted WHERE fingerprint IN (SELECT fingerprint FROM main.hidden{})"
            known = {row[0] for row in db.execute(query.format(""))}
            if run_id is None:
                return known, known
            return known, {row[0] for row in db.execute(query.format(" WHERE run_id < ?"), (run_id,))}
        finally:
            with contextlib.suppress(sqlite3.Error):
                db.execute("ROLLBACK")  # the temporary rows are not worth keeping


@contextlib.contextmanager
def open_store(state: Path | None, *, timeout: float | None = None) -> Iterator[Store | None]:
    """Lock and open the history at `state` for one run; yield None when there is none (--no-state)."""
    if state is None:
        yield None
        return
    wait = LOCK_TIMEOUT if timeout is None else timeout
    path = history_file(state)
    _private_folder(path.parent)
    with _locked(path, wait):
        db = _connect(path, wait, create=True)
        try:
            yield Store(path, db)
        finally:
            db.close()


def read_runs(state: Path) -> list[PastRun]:
    """Return every recorded run, in the order exports were first audited; [] when there is no history."""
    path = history_file(state)
    if not path.exists() or path.stat().st_size == 0:  # a first run stopped before it wrote anything
        return []
    db = _connect(path, LOCK_TIMEOUT, create=False)
    try:
        return [run for _, run, _ in _read_runs(db)]
    except sqlite3.Error as error:
        raise _unreadable(path, error)
    finally:
        db.close()


def forget(state: Path, *, timeout: float | None = None) -> tuple[Path, int | None]:
    """Delete the history (after any run using it); return its path and how many runs it held (None: no file)."""
    path = history_file(state)
    if not path.exists():
        return path, None
    with _locked(path, LOCK_TIMEOUT if timeout is None else timeout):
        try:
            held = len(read_runs(path))
        except HistoryError:
            held = 0  # damaged: delete it all the same
        for victim in (path, *(path.with_name(path.name + suffix) for suffix in ("-journal", "-wal", "-shm"))):
            try:
                victim.unlink(missing_ok=True)
            except OSError as error:
                raise HistoryError(str(victim), f"cannot be deleted ({error.strerror or error})")
    return path, held


def _read_runs(db: sqlite3.Connection) -> list[tuple[int, PastRun, bytes | None]]:
    """Return every run with its id and its member's hash (None: unknown, or a schema-1 run)."""
    version = db.execute("PRAGMA user_version").fetchone()[0]
    extra = _RUN_COLUMNS_2 if version >= 2 else ", NULL, 0, 0"
    rows = db.execute(f"SELECT {_RUN_COLUMNS}{extra} FROM runs ORDER BY id").fetchall()
    return [
        (
            run_id,
            PastRun(
                export_name=name,
                export_date=date.fromisoformat(exported) if exported else None,
                export_hash=digest or "",
                first_audited=datetime.fromisoformat(first),
                last_audited=datetime.fromisoformat(last),
                to_hide=to_hide,
                new=new,
                resolved_hidden=resolved_hidden,
                resolved_gone=resolved_gone,
            ),
            member,
        )
        for run_id, name, exported, digest, first, last, to_hide, new, member, resolved_hidden, resolved_gone in rows
    ]


def _private_folder(folder: Path) -> None:
    """Create the folder and its missing parents owner-only (0700); leave existing ones alone."""
    missing = []
    current = folder
    while not current.exists() and current != current.parent:
        missing.append(current)
        current = current.parent
    try:
        for path in reversed(missing):
            try:
                path.mkdir(mode=0o700)
            except FileExistsError:
                continue
            os.chmod(path, 0o700)  # mkdir's mode is cut by the umask
    except OSError as error:
        raise HistoryError(
            str(folder),
            f"cannot be created for the history ({error.strerror or error}); "
            "choose another place for the history, or keep none",
        )
    if not folder.is_dir():
        raise HistoryError(str(folder), "is not a folder; choose another place for the history")


@contextlib.contextmanager
def _locked(path: Path, timeout: float) -> Iterator[None]:
    """Hold the lock file beside the history, waiting `timeout` seconds at most for another run."""
    lock_path = path.with_name(path.name + ".lock")
    try:
        handle = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o600)
    except OSError as error:
        raise HistoryError(
            str(lock_path),
            f"cannot be opened ({error.strerror or error}); choose another place for the history, or keep none",
        )
    try:
        deadline = time.monotonic() + timeout
        while fcntl is not None:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise BusyError(
                        str(path),
                        f"is in use by another endorse-audit run (waited {timeout:g} s); "
                        "try again when it has finished",
                    )
                time.sleep(0.05)
            except OSError as error:
                raise HistoryError(str(lock_path), f"cannot be locked ({error.strerror or error})", setting=None)
        yield
    finally:
        os.close(handle)  # also releases the lock


def _connect(path: Path, timeout: float, *, create: bool) -> sqlite3.Connection:
    """Open the history (created owner-only when asked) and check that it is one this version reads."""
    try:
        if create and not path.exists():
            os.close(os.open(path, os.O_WRONLY | os.O_CREAT, 0o600))
        db = sqlite3.connect(path, timeout=timeout, isolation_level=None)
    except (OSError, sqlite3.Error) as error:
        raise HistoryError(
            str(path),
            f"cannot be opened ({getattr(error, 'strerror', None) or error}); "
            "choose another place for the history, or keep none",
        )
    try:
        version = db.execute("PRAGMA user_version").fetchone()[0]
        if version == 0 and create and not db.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]:
            db.executescript(f"BEGIN IMMEDIATE; {_SCHEMA} PRAGMA user_version = {SCHEMA_VERSION}; COMMIT;")
            version = SCHEMA_VERSION
        if create and version in _MIGRATIONS:
            version = _migrate(db)
    except sqlite3.Error as error:
        db.close()
        raise _unreadable(path, error)
    if version != SCHEMA_VERSION and not (version in _MIGRATIONS and not create):  # an old one is read as it is
        db.close()
        problem = (
            "was written by a newer endorse-audit; upgrade it"
            if version > SCHEMA_VERSION
            else "is not an endorse-audit history"
        )
        raise HistoryError(str(path), f"{problem}, or choose another history")
    return db


def _migrate(db: sqlite3.Connection) -> int:
    """Upgrade an older history to SCHEMA_VERSION in one transaction (another run may have done it first)."""
    db.execute("BEGIN IMMEDIATE")
    try:
        version = db.execute("PRAGMA user_version").fetchone()[0]
        while version in _MIGRATIONS:
            for statement in filter(str.strip, _MIGRATIONS[version].split(";")):
                db.execute(statement)
            version += 1
        db.execute(f"PRAGMA user_version = {version}")
        db.execute("COMMIT")
    except BaseException:
        db.execute("ROLLBACK")
        raise
    return int(version)


def _unreadable(path: Path, error: sqlite3.Error) -> HistoryError:
    return HistoryError(
        str(path),
        f"is not a readable endorse-audit history ({error}); move it away, or choose another history",
    )


def utc_now() -> datetime:
    """Return the time a run is recorded at (UTC, whole seconds)."""
    return datetime.now(UTC).replace(microsecond=0)
