"""Write output files all or nothing: every file staged owner-only beside its target, then renamed.

`-` as a path means standard output, written after the files. A path that exists and is not a regular
file (a pipe, a device) is never replaced. Temporary files that a killed run left beside an output
(older than STALE_SECONDS) are swept away by the next run that writes there.
"""

from __future__ import annotations

import errno
import glob
import os
import sys
import tempfile
import time
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TextIO

from endorse_audit.errors import OutputError

STDOUT = Path("-")
STALE_SECONDS = 3600  # a temporary output file this old belongs to no run still writing it


def write_outputs(
    contents: Mapping[Path, str | Iterable[str | bytes]],
    *,
    protect: tuple[Path, ...] = (),
    stdout: TextIO | None = None,
) -> None:
    """Write every file atomically: all to temporary files first, then each renamed into place.

    A file's contents are a string, or an iterable of pieces written one after the other: strings, or
    bytes already encoded in UTF-8 (copied as they are).

    Files are created owner-only (they hold other people's names). If anything fails before the
    renames (a full disk, Ctrl-C), no output is touched and no temporary file is left; `protect`
    names the files of the export (the zip, or each file read from a folder): never written over.
    """
    to_stdout = [text for path, text in contents.items() if path == STDOUT]
    contents = {path: text for path, text in contents.items() if path != STDOUT}
    protected = {p.resolve() for p in protect}
    for path in contents:
        if path.resolve() in protected:
            raise OutputError(str(path), "is the export itself; choose another output path")
        if path.is_dir():
            raise OutputError(str(path), "is a folder; give a file name")
        if path.exists() and not path.is_file():
            raise OutputError(
                str(path), "is not a regular file (a pipe or a device?), so it was not replaced; give a file name, or -"
            )
        if not path.parent.is_dir():
            raise OutputError(
                str(path), f"cannot be written: folder {str(path.parent)!r} does not exist; create it or choose another"
            )
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
            str(current), f"cannot be written ({error.strerror or error}); {_advice(error)}; earlier outputs were kept"
        )
    stream = stdout if stdout is not None else sys.stdout
    for text in to_stdout:
        for piece in (text,) if isinstance(text, str) else text:
            stream.write(piece.decode("utf-8") if isinstance(piece, bytes) else piece)
        stream.flush()


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
    return {str(t) for path in paths for t in path.parent.glob(f".{glob.escape(path.name)}.*.tmp")}


def _advice(error: OSError) -> str:
    if error.errno in (errno.ENOSPC, errno.EDQUOT):
        return "free some disk space or write to another disk"
    if error.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return "choose a folder you can write to"
    return "choose another output path"


def _stage(path: Path, text: str | Iterable[str | bytes]) -> str:
    """Write `text` (or its pieces) to a new owner-only temporary file beside `path` and return its name."""
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
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
