"""The run history: past audits in one small SQLite file, what is new since, a lock against overlaps.

The file (in the platform's state folder by default, owner-only) holds one run per export audited, found
again by the export's content hash, and a fingerprint of every endorsement to hide: a hash of the
skill's comparison key and the endorser's identity, never a name. An endorsement seen in any run of the
same member is not new: a history shared by several members keeps each one's runs apart (a run that
names no member, recorded by schema 1, is no one's and is compared with no export). Schema 2 adds, per
run, a hash of whose export it is (the member) and how many of the member's previous endorsements to
hide were dealt with (progress.py); per endorsement to hide, the hashes of its skill's key and of its
endorser, so that one gone from a later export can be named when that export still names its skill or
endorser elsewhere. Schema 3 keeps a run's endorsements to hide as one row of three blobs (table
`prints`: the fingerprints sorted, and the hashes in the same order; history_db.py packs and unpacks
them), read one run at a time. An older file is upgraded in place by the first run that writes to it. A
run locks `history.sqlite3.lock` (history_db.LOCK_TIMEOUT seconds at most), reads what it needs, lets
the caller write its outputs, then records itself in one transaction: a run killed or failing at any
point leaves the history as it was. Damaged values never stop an audit.
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
import sqlite3
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

import numpy as np
import pandas as pd

from endorse_audit.checks import progress
from endorse_audit.errors import HistoryError
from endorse_audit.history import database as history_db
from endorse_audit.history.database import history_file
from endorse_audit.model import Audit, PastRun, RunHistory
from endorse_audit.names import people

_RUN_COLUMNS = "id, export_name, export_date, export_hash, first_audited, last_audited, to_hide, new"
_RUN_COLUMNS_2 = ", member, resolved_hidden, resolved_gone"


def fingerprints(table: pd.DataFrame) -> list[bytes]:
    """Return each endorsement's fingerprint: which skill, from whom, whatever its row or date."""
    return people.fingerprints(table["skill"], table["endorser_id"])


def _headers(stored: object) -> dict[str, list[str]]:
    """Return the columns a run recorded; {} when the stored value is damaged (then nothing is compared)."""
    try:
        found = json.loads(stored) if isinstance(stored, str) else {}
    except ValueError:
        return {}
    if not isinstance(found, dict):
        return {}
    return {str(k): [str(c) for c in v] for k, v in found.items() if isinstance(v, list)}


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
    to_hide: tuple[bytes, bytes, bytes]  # each row to hide: its fingerprint, its skill's and endorser's hashes
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
        member_text = people.member_id(export.member_name, export.member_slug)
        member = progress.hashed("member", member_text) if member_text else None
        try:
            runs = _read_runs(self._db)
            this_id, this = next(
                ((key, run) for key, run, _ in runs if export.content_hash and run.export_hash == export.content_hash),
                (None, None),
            )
            # Only the member's own runs are compared with: a history may be shared (a family computer, a
            # coach's clients). A run that names no member may be anyone's: it is no one's.
            mine = [(key, run, who) for key, run, who in runs if key == this_id or (member and who == member)]
            unowned = sum(1 for key, _, who in runs if who is None and key != this_id)
            basis_id, basis = progress.previous_run(mine, this_id, export.date)
            # Against a previous run every row's fingerprint is needed: those to hide are a part of them.
            every = fingerprints(table) if basis_id is not None else None
            prints = fingerprints(table[hide]) if every is None else np.array(every, dtype=object)[hide].tolist()
            known, known_earlier = self._known(set(prints), this_id, {key for key, _, _ in mine})
            last_other = self._db.execute(
                "SELECT export_name, headers FROM runs WHERE export_hash IS NOT ? AND member = ?"
                " ORDER BY last_audited DESC, id DESC LIMIT 1",
                (export.content_hash or None, member),
            ).fetchone()
            earlier = self._prints(basis_id) if basis_id is not None else (b"", b"", b"")
            resolved = progress.resolved_since(_entries(*earlier), table, export.listed_skills, every)
        except sqlite3.Error as error:
            raise history_db.unreadable(self.path, error)
        is_new = [fingerprint not in known for fingerprint in prints]
        new = pd.Series(False, index=table.index, dtype=bool)
        if is_new:
            new[hide] = np.array(is_new, dtype=bool)
        previous = max((run for _, run, _ in mine), key=lambda run: run.last_audited, default=None)
        notes = export.notes
        if last_other is not None and (drift := header_drift(_headers(last_other[1]), export.headers)):
            notes = (*notes, f"the export's columns changed since {last_other[0]}: " + "; ".join(drift))
        new_to_hide = sum(is_new)
        hidden = sum(r.how == "hidden" for r in resolved)
        current = PastRun(
            export_name=export.name,
            export_date=export.date,
            export_hash=export.content_hash,
            first_audited=this.first_audited if this else now,
            last_audited=now,
            to_hide=audit.summary.to_hide,
            # An export audited again keeps its place: new counts against the runs before it.
            new=sum(fingerprint not in known_earlier for fingerprint in prints) if this else new_to_hide,
            resolved_hidden=hidden,
            resolved_gone=len(resolved) - hidden,
            member=member,
        )
        all_runs = tuple(current if run is this else run for _, run, _ in mine) + (() if this else (current,))
        to_hide = (b"".join(prints), *progress.hashes_of(table[hide]))
        self._pending = _Pending(audit, to_hide, this_id, current.new, now, member, (hidden, len(resolved) - hidden))
        return dataclasses.replace(
            audit,
            export=dataclasses.replace(export, notes=notes),
            endorsements=table.assign(new=new),
            history=RunHistory(str(self.path), new_to_hide, previous, this, all_runs, basis, resolved, unowned),
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
            export.name,
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
            # Audited again: the union of its old and new endorsements to hide, the new hashes first (they win).
            old = self._prints(pending.run_id) if pending.run_id is not None else (b"", b"", b"")
            db.execute(
                "INSERT INTO prints (run_id, fingerprints, skills, endorsers) VALUES (?, ?, ?, ?) ON CONFLICT (run_id)"
                " DO UPDATE SET fingerprints = excluded.fingerprints, skills = excluded.skills,"
                " endorsers = excluded.endorsers",
                (run_id, *history_db.pack(*(new + kept for new, kept in zip(pending.to_hide, old)))),
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

    def _known(self, wanted: set[bytes], run_id: int | None, among: set[int]) -> tuple[set[bytes], set[bytes]]:
        """Return which of these fingerprints some run `among` had, and which such a run before `run_id` had.

        One run's blob is read at a time, so that a long history is never held in memory at once.
        """
        if not wanted or not among:
            return set(), set()  # a first run: nothing to compare with
        asked = history_db.in_order(b"".join(wanted))
        known = np.zeros(len(asked), dtype=bool)
        earlier = known.copy()
        for other, blob in self._db.execute(f"SELECT run_id, {history_db.blob('fingerprints')} FROM prints"):
            if other not in among:
                continue
            found = history_db.found_in(asked, history_db.in_order(history_db.unpack(blob, None, None)[0]))
            known |= found
            if run_id is not None and other < run_id:
                earlier |= found
        known_prints: set[bytes] = set(asked[known].tolist())
        return known_prints, known_prints if run_id is None else set(asked[earlier].tolist())

    def _prints(self, run_id: int) -> tuple[bytes, bytes, bytes]:
        """Return a run's fingerprints and their hashes as whole, aligned blobs (empty when it has none)."""
        columns = ", ".join(map(history_db.blob, ("fingerprints", "skills", "endorsers")))
        row = self._db.execute(f"SELECT {columns} FROM prints WHERE run_id = ?", (run_id,))
        return history_db.unpack(*(row.fetchone() or (b"", b"", b"")))


def _entries(prints: bytes, skills: bytes, endorsers: bytes) -> Iterator[tuple[bytes, bytes | None, bytes | None]]:
    """Return a run's endorsements to hide as (fingerprint, skill hash, endorser hash); None: unknown."""
    for fingerprint, skill, endorser in zip(
        history_db.chunks(prints, history_db.FINGERPRINT),
        history_db.chunks(skills, history_db.HASH),
        history_db.chunks(endorsers, history_db.HASH),
    ):
        yield (
            fingerprint,
            None if skill == history_db.UNKNOWN else skill,
            None if endorser == history_db.UNKNOWN else endorser,
        )


@contextlib.contextmanager
def open_store(state: Path | None, *, timeout: float | None = None) -> Iterator[Store | None]:
    """Lock and open the history at `state` for one run; yield None when there is none (--no-state)."""
    if state is None:
        yield None
        return
    wait = history_db.LOCK_TIMEOUT if timeout is None else timeout
    path = history_file(state)
    history_db.private_folder(path.parent)
    with history_db.locked(path, wait):
        db = history_db.connect(path, wait, create=True)
        try:
            yield Store(path, db)
        finally:
            db.close()


def read_runs(state: Path) -> list[PastRun]:
    """Return every recorded run, in the order exports were first audited; [] when there is no history."""
    path = history_file(state)
    history_db.refuse_link(path)
    if not path.exists() or path.stat().st_size == 0:  # a first run stopped before it wrote anything
        return []
    db = history_db.connect(path, history_db.LOCK_TIMEOUT, create=False)
    try:
        return [run for _, run, _ in _read_runs(db)]
    except sqlite3.Error as error:
        raise history_db.unreadable(path, error)
    finally:
        db.close()


def forget(state: Path, *, timeout: float | None = None) -> tuple[Path, int | None]:
    """Delete the history (after any run using it); return its path and how many runs it held (None: no file).

    Only a file that is positively an endorse-audit history is deleted (its tables and version say so):
    anything else, a damaged history included, is left where it is, for the user to look at.
    """
    path = history_file(state)
    if not path.exists():
        return path, None
    if not path.is_file():
        raise HistoryError(str(path), "is not a file; nothing was deleted", setting=None)
    with history_db.locked(path, history_db.LOCK_TIMEOUT if timeout is None else timeout):
        held = history_db.runs_in_a_history(path)
        for victim in (path, *(path.with_name(path.name + suffix) for suffix in ("-journal", "-wal", "-shm"))):
            try:
                victim.unlink(missing_ok=True)
            except OSError as error:
                raise HistoryError(str(victim), f"cannot be deleted ({error.strerror or error})", setting=None)
    with contextlib.suppress(OSError):
        history_db.lock_path(path).unlink(missing_ok=True)
    return path, held


def _read_runs(db: sqlite3.Connection) -> list[tuple[int, PastRun, bytes | None]]:
    """Return every run with its id and its member's hash (None: unknown, or a schema-1 run); a run whose
    values are damaged is read as far as it can be (an unreadable date is unknown, a bad count is 0)."""
    version = db.execute("PRAGMA user_version").fetchone()[0]
    extra = _RUN_COLUMNS_2 if version >= 2 else ", NULL, 0, 0"
    runs = []
    for run_id, name, exported, digest, first, last, to_hide, new, member, hidden, gone in db.execute(
        f"SELECT {_RUN_COLUMNS}{extra} FROM runs WHERE typeof(id) = 'integer' ORDER BY id"
    ):
        first_audited = _timestamp(first)
        who = member if isinstance(member, bytes) else None
        run = PastRun(
            export_name=name if isinstance(name, str) else "(unknown)",
            export_date=_day(exported),
            export_hash=digest if isinstance(digest, str) else "",
            first_audited=first_audited,
            last_audited=max(_timestamp(last), first_audited),
            to_hide=_count(to_hide),
            new=_count(new),
            resolved_hidden=_count(hidden),
            resolved_gone=_count(gone),
            member=who,
        )
        runs.append((run_id, run, who))
    return runs


_UNKNOWN_TIME = datetime(1970, 1, 1, tzinfo=UTC)


def _timestamp(value: object) -> datetime:
    """Return a stored time as an aware UTC datetime (a naive one is UTC); the epoch when unreadable."""
    try:
        when = datetime.fromisoformat(value) if isinstance(value, str) else _UNKNOWN_TIME
    except ValueError:
        return _UNKNOWN_TIME
    return when.replace(tzinfo=UTC) if when.tzinfo is None else when.astimezone(UTC)


def _day(value: object) -> date | None:
    with contextlib.suppress(ValueError):
        return date.fromisoformat(value) if isinstance(value, str) and value else None
    return None


def _count(value: object) -> int:
    return value if type(value) is int and value >= 0 else 0


def utc_now() -> datetime:
    """Return the time a run is recorded at (UTC, whole seconds)."""
    return datetime.now(UTC).replace(microsecond=0)
