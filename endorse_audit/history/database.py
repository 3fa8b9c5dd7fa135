"""The history's file: where it lives, its owner-only folder, the lock against overlapping runs, its
schema and migrations, opening it, and telling an endorse-audit history from any other file.

history.py reads and records runs through `connect()`. The only thing known here of what a run holds is
the layout of its blobs (schema 3, table `prints`: one row per run, its fingerprints of FINGERPRINT bytes
concatenated and sorted, its skill and endorser hashes of HASH bytes in the same order, UNKNOWN where
the run kept none): `pack` writes them, `unpack` reads them back whole and aligned whatever the damage,
`in_order` and `found_in` look fingerprints up in them (binary search), and the upgrade from schema 2
builds them from its one row per endorsement (`hidden`).
"""

from __future__ import annotations

import contextlib
import itertools
import sqlite3
import stat
from collections.abc import Callable, Iterator
from operator import itemgetter
from pathlib import Path

import numpy as np

from endorse_audit import files
from endorse_audit.errors import BusyError, HistoryError

APP = "endorse-audit"


FILE_NAME = "history.sqlite3"


LOCK_TIMEOUT = 10.0  # seconds a run waits for another one using the same history


SCHEMA_VERSION = 3


FINGERPRINT = 16  # bytes of one endorsement's fingerprint (people.fingerprints)
HASH = 8  # bytes of one skill's or endorser's hash (progress.hashed)
UNKNOWN = bytes(HASH)  # a hash the history does not have (a run recorded by schema 1)

_PRINTS = """
CREATE TABLE prints (
    run_id INTEGER PRIMARY KEY REFERENCES runs (id) ON DELETE CASCADE,
    fingerprints BLOB NOT NULL,
    skills BLOB,
    endorsers BLOB
)"""


_SCHEMA = (
    """
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
"""
    + _PRINTS
    + ";"
)


def pack(prints: bytes, skills: bytes, endorsers: bytes) -> tuple[bytes, bytes, bytes]:
    """Return one run's blobs from fingerprints and their hashes, concatenated in any order and with
    repeats: each fingerprint once (the first given wins), sorted, its hashes in the same order."""
    count = len(prints) // FINGERPRINT
    if not count:
        return b"", b"", b""
    halves = np.frombuffer(prints, dtype=">u8", count=2 * count).reshape(count, 2)
    order = np.lexsort((halves[:, 1], halves[:, 0]))  # stable: among repeats the first given comes first
    ordered = halves[order]
    first = np.ones(count, dtype=bool)
    first[1:] = (ordered[1:] != ordered[:-1]).any(axis=1)
    keep = order[first]
    return (
        np.frombuffer(prints, dtype=np.uint8, count=count * FINGERPRINT).reshape(count, FINGERPRINT)[keep].tobytes(),
        np.frombuffer(skills, dtype=np.uint8, count=count * HASH).reshape(count, HASH)[keep].tobytes(),
        np.frombuffer(endorsers, dtype=np.uint8, count=count * HASH).reshape(count, HASH)[keep].tobytes(),
    )


def unpack(prints: object, skills: object, endorsers: object) -> tuple[bytes, bytes, bytes]:
    """Return one run's stored blobs made whole: whole fingerprints only (nothing when the value is no
    blob), and hash blobs that line up with them (UNKNOWN hashes when a stored one does not)."""
    whole = prints[: len(prints) - len(prints) % FINGERPRINT] if isinstance(prints, bytes) else b""
    size = len(whole) // FINGERPRINT * HASH

    def aligned(hashes: object) -> bytes:
        return hashes if isinstance(hashes, bytes) and len(hashes) == size else bytes(size)

    return whole, aligned(skills), aligned(endorsers)


def in_order(prints: bytes) -> np.ndarray:
    """Return whole fingerprints as a sorted array (a stored blob is sorted; one that damage unsorted, or
    fingerprints given in any order, are sorted here), for `found_in`."""
    count = len(prints) // FINGERPRINT
    halves = np.frombuffer(prints, dtype=">u8", count=2 * count).reshape(count, 2)
    found = np.frombuffer(prints, dtype=f"V{FINGERPRINT}", count=count)
    high, low = halves[:, 0], halves[:, 1]
    if not np.all((high[1:] > high[:-1]) | ((high[1:] == high[:-1]) & (low[1:] >= low[:-1]))):
        found = found[np.lexsort((low, high))]
    return found


def found_in(wanted: np.ndarray, prints: np.ndarray) -> np.ndarray:
    """Return which of the `wanted` fingerprints (an array of `in_order`) a run's sorted ones hold."""
    if not len(prints) or not len(wanted):
        return np.zeros(len(wanted), dtype=bool)
    at = np.minimum(np.searchsorted(prints, wanted), len(prints) - 1)
    hit: np.ndarray = prints[at] == wanted
    return hit


def chunks(blob: bytes, size: int) -> list[bytes]:
    """Return the pieces of `size` bytes a blob of whole pieces holds."""
    pieces: list[bytes] = np.frombuffer(blob, dtype=f"V{size}").tolist() if blob else []
    return pieces


def blob(column: str) -> str:
    """Return SQL selecting a column's value when it is a blob, else NULL (a damaged text value may not
    even decode)."""
    return f"CASE typeof({column}) WHEN 'blob' THEN {column} END"


def _hash(value: object) -> bytes:
    return value if isinstance(value, bytes) and len(value) == HASH else UNKNOWN


def _rows_to_blobs(db: sqlite3.Connection) -> None:
    """From schema 2 to 3: each run's rows of `hidden` (one per endorsement) become one row of blobs.
    One run's rows are held at a time; a damaged fingerprint is dropped (it could match nothing)."""
    db.execute(_PRINTS)
    rows = db.execute(
        f"SELECT run_id, fingerprint, {blob('skill')}, {blob('endorser')} FROM hidden WHERE typeof(run_id) = 'integer'"
        f" AND typeof(fingerprint) = 'blob' AND length(fingerprint) = {FINGERPRINT} ORDER BY run_id"
    )
    for run_id, group in itertools.groupby(rows, key=itemgetter(0)):
        kept = list(group)
        blobs = (b"".join(row[1] for row in kept), *(b"".join(_hash(row[i]) for row in kept) for i in (2, 3)))
        db.execute("INSERT INTO prints VALUES (?, ?, ?, ?)", (run_id, *pack(*blobs)))
    db.execute("DROP TABLE hidden")


# Each step upgrades a file of that version by one. Schema 2 added columns (so schema 1 is read as it
# was); schema 3 keeps a run's endorsements to hide as blobs (reading an older file needs only `runs`).
_MIGRATIONS: dict[int, str | Callable[[sqlite3.Connection], None]] = {
    1: """
ALTER TABLE runs ADD COLUMN member BLOB;
ALTER TABLE runs ADD COLUMN resolved_hidden INTEGER NOT NULL DEFAULT 0;
ALTER TABLE runs ADD COLUMN resolved_gone INTEGER NOT NULL DEFAULT 0;
ALTER TABLE hidden ADD COLUMN skill BLOB;
ALTER TABLE hidden ADD COLUMN endorser BLOB;
""",
    2: _rows_to_blobs,
}


def default_path() -> Path:
    """Return where the history lives unless told otherwise: this platform's state folder
    ($XDG_STATE_HOME or ~/.local/state on Linux, ~/Library/Application Support on macOS,
    %LOCALAPPDATA% on Windows), in endorse-audit/."""
    import platformdirs

    try:
        folder: Path = platformdirs.user_state_path(APP, appauthor=False)
        if not folder.is_absolute():  # a relative XDG_STATE_HOME is to be ignored (XDG spec)
            folder = Path.home() / ".local" / "state" / APP
    except (RuntimeError, KeyError):  # no home folder
        raise HistoryError(
            "", "cannot find your home folder to keep the history in; choose a place for it, or keep none"
        )
    return folder / FILE_NAME


def history_file(state: Path) -> Path:
    """Return the history file `--state` names: the path itself, or history.sqlite3 in a folder."""
    state = state.expanduser()
    return state / FILE_NAME if state.is_dir() else state


def runs_in_a_history(path: Path) -> int:
    """Return how many runs the endorse-audit history at `path` holds; refuse anything else."""
    refuse_link(path)
    if path.stat().st_size == 0:  # a first run stopped before it wrote anything
        return 0
    not_ours = HistoryError(
        str(path),
        "is not an endorse-audit history (or it is damaged), so it was not deleted; "
        "move it away or delete it yourself if you are sure",
        setting=None,
    )
    try:
        db = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=LOCK_TIMEOUT)
    except sqlite3.Error:
        raise not_ours
    try:
        tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        version = db.execute("PRAGMA user_version").fetchone()[0]
        rows_of = "prints" if version == SCHEMA_VERSION else "hidden"  # schema 1 and 2 kept one row each
        if not {"runs", rows_of} <= tables or not 1 <= version <= SCHEMA_VERSION:
            raise not_ours
        return int(db.execute("SELECT count(*) FROM runs").fetchone()[0])
    except sqlite3.Error:
        raise not_ours
    finally:
        db.close()


def private_folder(folder: Path) -> None:
    """Create the folder and its missing parents owner-only (0700); leave existing ones alone."""
    try:
        files.private_folders(folder)
    except NotADirectoryError:
        raise HistoryError(str(folder), "is not a folder; choose another place for the history")
    except OSError as error:
        raise HistoryError(
            str(folder),
            f"cannot be created for the history ({error.strerror or error}); "
            "choose another place for the history, or keep none",
        )


def shared_folder(path: Path) -> Path | None:
    """Return the folder holding the history at `path` when users other than its owner may write to it
    (group or world write permission), else None: they could replace the history or plant a link."""
    folder = path.parent
    try:
        mode = folder.stat().st_mode
    except OSError:  # not made yet: it will be made owner-only
        return None
    return folder if mode & (stat.S_IWGRP | stat.S_IWOTH) else None


def refuse_link(path: Path) -> None:
    """Refuse a history or lock file that is a symbolic link: it is never opened through one (a link
    could make any file the history, or create it wherever the link points)."""
    if path.is_symlink():
        raise HistoryError(
            str(path),
            "is a symbolic link; the history is never opened through a link: "
            "give the real file, or choose another place for the history",
        )


def lock_path(path: Path) -> Path:
    """Return the lock file beside the history at `path`."""
    return path.with_name(path.name + ".lock")


@contextlib.contextmanager
def locked(path: Path, timeout: float) -> Iterator[None]:
    """Hold the lock file beside the history (filelock: fcntl on POSIX, msvcrt on Windows), waiting
    `timeout` seconds at most for another run. The operating system drops it when a run dies."""
    import filelock

    refuse_link(lock_path(path))
    lock = filelock.FileLock(lock_path(path), timeout=timeout, mode=0o600)
    try:
        lock.acquire(poll_interval=0.05)
    except filelock.Timeout:
        raise BusyError(
            str(path),
            f"is in use by another endorse-audit run (waited {timeout:g} s); try again when it has finished",
        )
    except OSError as error:
        raise HistoryError(
            str(lock_path(path)),
            f"cannot be opened ({error.strerror or error}); choose another place for the history, or keep none",
        )
    try:
        yield
    finally:
        lock.release()


def connect(path: Path, timeout: float, *, create: bool) -> sqlite3.Connection:
    """Open the history (created owner-only when asked) and check that it is one this version reads."""
    refuse_link(path)
    try:
        if create and not path.exists():
            with contextlib.suppress(FileExistsError):  # another run made it meanwhile
                files.create_private(path)
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
        raise unreadable(path, error)
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
            step = _MIGRATIONS[version]
            if isinstance(step, str):
                for statement in filter(str.strip, step.split(";")):
                    db.execute(statement)
            else:
                step(db)
            version += 1
        db.execute(f"PRAGMA user_version = {version}")
        db.execute("COMMIT")
    except BaseException:
        db.execute("ROLLBACK")
        raise
    return int(version)


def unreadable(path: Path, error: sqlite3.Error) -> HistoryError:
    """Return the error for a history SQLite could not use: a full disk or an unwritable place is said
    as such (the file is fine), anything else as a damaged or foreign file."""
    code = getattr(error, "sqlite_errorcode", None) or 0
    if code & 0xFF == sqlite3.SQLITE_FULL:
        return HistoryError(
            str(path), "cannot be written: the disk is full; free some space, or choose another place for the history"
        )
    if code & 0xFF in (sqlite3.SQLITE_READONLY, sqlite3.SQLITE_IOERR, sqlite3.SQLITE_CANTOPEN):
        return HistoryError(
            str(path), f"cannot be written ({error}); choose another place for the history, or keep none"
        )
    return HistoryError(
        str(path),
        f"is not a readable endorse-audit history ({error}); move it away, or choose another history",
    )
