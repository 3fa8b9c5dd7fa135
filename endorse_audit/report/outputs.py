"""Write output files all or nothing: every file staged owner-only beside its target, then renamed.

`-` as a path means standard output, written after the files. The export, the history and its lock are
never an output, whatever name reaches them; a path that exists and is not a regular file (a link, a
pipe, a device) is never replaced; a temporary name fits the folder's longest file name. Temporary files
that a killed run left beside an output (older than STALE_SECONDS) are swept away by the next run that
writes there.
"""

from __future__ import annotations

import contextlib
import errno
import glob
import os
import stat
import sys
import tempfile
import time
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TextIO

from endorse_audit.errors import OutputError, shortened

STDOUT = Path("-")
EXPORT = "the export itself"
STALE_SECONDS = 3600  # a temporary output file this old belongs to no run still writing it


def write_outputs(
    contents: Mapping[Path, str | Iterable[str | bytes]],
    *,
    protect: tuple[Path, ...] = (),
    keep: Mapping[Path, str] | None = None,
    stdout: TextIO | None = None,
) -> None:
    """Write every file atomically: all to temporary files first, then each renamed into place.

    A file's contents are a string, or an iterable of pieces written one after the other: strings, or
    bytes already encoded in UTF-8 (copied as they are).

    Files are created owner-only (they hold other people's names). If anything fails before the
    renames (a full disk, Ctrl-C), no output is touched and no temporary file is left; `protect`
    names the files of the export (the zip, or each file read from a folder), `keep` other files with
    what they are (the history): never written over (`check_targets`).
    """
    to_stdout = [text for path, text in contents.items() if path == STDOUT]
    contents = {path: text for path, text in contents.items() if path != STDOUT}
    check_targets(contents, {**dict.fromkeys(protect, EXPORT), **(keep or {})})
    _sweep_stale(contents)
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
            str(current), f"cannot be written ({error.strerror or error}); {advice(error)}; earlier outputs were kept"
        )
    stream = stdout if stdout is not None else sys.stdout
    for text in to_stdout:
        for piece in (text,) if isinstance(text, str) else text:
            stream.write(piece.decode("utf-8") if isinstance(piece, bytes) else piece)
        stream.flush()


def check_targets(paths: Iterable[Path], keep: Mapping[Path, str]) -> None:
    """Refuse an output path that must not be replaced, before any work: one of the files in `keep` (with
    what it is: the export, the history, its lock), by any name (a link, a relative path, a hard link),
    a folder, a link, a device or any other file that is not a regular file, a name or path too long,
    or a file in a folder that does not exist. `-` (standard output) is always fine."""
    kept: dict[object, str] = {}  # by resolved path, and by file (device and inode) when it exists
    for path, what in keep.items():
        with contextlib.suppress(OSError):
            kept[path.resolve()] = what
            info = os.stat(path)
            kept[(info.st_dev, info.st_ino)] = what
    for path in paths:
        if path == STDOUT:
            continue
        try:
            problem = _unfit(path, kept)
        except OSError as error:
            if error.errno != errno.ENAMETOOLONG:
                raise OutputError(str(path), f"cannot be used ({error.strerror or error}); {advice(error)}")
            problem = f"is too long a path ({error.strerror}); {advice(error)}"
        if problem:  # a path longer than PATH_MAX is named by its first 1000 characters
            raise OutputError(shortened(str(path), 1000), problem)


def _unfit(path: Path, kept: Mapping[object, str]) -> str | None:
    """Return why `path` cannot be an output, None when it can."""
    info = os.lstat(path) if os.path.lexists(path) else None
    same = kept.get(path.resolve()) or (info and kept.get((info.st_dev, info.st_ino)))
    if same:
        return f"is {same}; choose another output path"
    if path.is_dir():
        return "is a folder; give a file name"
    if info is not None and stat.S_ISLNK(info.st_mode):
        return "is a symbolic link, so it was not replaced; give the path of the file itself, or -"
    if info is not None and not stat.S_ISREG(info.st_mode):
        return "is not a regular file (a pipe or a device?), so it was not replaced; give a file name, or -"
    if not path.parent.is_dir():
        return f"cannot be written: folder {str(path.parent)!r} does not exist; create it or choose another"
    return None


def _name_max(folder: Path) -> int:
    """Return the longest file name, in bytes, the folder's file system takes."""
    try:
        return os.pathconf(folder, "PC_NAME_MAX")
    except (OSError, ValueError, AttributeError):  # Windows has no pathconf; NTFS takes 255
        return 255


def utf8(text: str) -> bytes:
    """Return text as every output file holds it: UTF-8, a lone surrogate written as its escape (never an
    error)."""
    return text.encode("utf-8", "backslashreplace")


def _sweep_stale(paths: Iterable[Path]) -> None:
    """Delete our temporary files beside these outputs that a killed run left (they hold other people's names)."""
    now = time.time()
    for temporary in _temporaries(paths):
        try:
            info = os.stat(temporary, follow_symlinks=False)
            ours = not hasattr(os, "getuid") or info.st_uid == os.getuid()
            if now - info.st_mtime > STALE_SECONDS and ours:
                os.unlink(temporary)
        except OSError:  # gone already, or not ours to delete
            continue


def _temporaries(paths: Iterable[Path]) -> set[str]:
    """Return the temporary files _stage makes for these outputs that exist now."""
    return {str(t) for path in paths for t in path.parent.glob(f"{glob.escape(_prefix(path))}*.tmp")}


def _prefix(path: Path) -> str:
    """Return how the names of the temporary files beside an output start: `.<its name>.`, the name cut
    so that a temporary name (8 random characters and `.tmp` more) still fits the folder's limit."""
    room = _name_max(path.parent) - len(b"..12345678.tmp")
    name = path.name
    while len(os.fsencode(name)) > room:
        name = name[:-1]
    return f".{name}."


def advice(error: OSError) -> str:
    """Return what to do about an output that could not be written."""
    if error.errno in (errno.ENOSPC, errno.EDQUOT):
        return "free some disk space or write to another disk"
    if error.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return "choose a folder you can write to"
    if error.errno == errno.ENAMETOOLONG:
        return "choose a shorter name or path"
    return "choose another output path"


def _stage(path: Path, text: str | Iterable[str | bytes]) -> str:
    """Write `text` (or its pieces) to a new owner-only temporary file beside `path` and return its name."""
    handle, temporary = tempfile.mkstemp(prefix=_prefix(path), suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as stream:
            for piece in (text,) if isinstance(text, str) else text:
                # Bytes are UTF-8 already (`utf8`); text is encoded here.
                stream.write(piece if isinstance(piece, bytes) else utf8(piece))
            stream.flush()
            os.fsync(stream.fileno())
    except BaseException:
        os.unlink(temporary)
        raise
    return temporary
