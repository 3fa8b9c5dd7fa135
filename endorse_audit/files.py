"""Folders and files the tool creates, owner-only whatever the umask: modes are set, never left to it.

A umask of 000 would otherwise give a new folder 0777 and a new file 0666 (mkdir's and open's modes are
cut by the umask, never raised by it, and pathlib's `mkdir(parents=True)` makes the parents 0777).
"""

from __future__ import annotations

import errno
import os
from pathlib import Path

FOLDER_MODE = 0o700
FILE_MODE = 0o600


def private_folders(folder: Path) -> list[Path]:
    """Create the folder and its missing parents owner-only (0700) and return those made; leave existing
    ones alone. Raises OSError (NotADirectoryError when a file is in the way)."""
    missing = []
    current = folder
    while not os.path.lexists(current) and current != current.parent:
        missing.append(current)
        current = current.parent
    made = []
    for path in reversed(missing):
        try:
            path.mkdir(mode=FOLDER_MODE)
        except FileExistsError:  # another process made it meanwhile
            continue
        os.chmod(path, FOLDER_MODE)
        made.append(path)
    if not folder.is_dir():
        raise NotADirectoryError(errno.ENOTDIR, os.strerror(errno.ENOTDIR), str(folder))
    return made


def create_private(path: Path, data: bytes = b"") -> None:
    """Create `path` owner-only (0600) holding `data`; never over an existing file, never through a link.
    Raises FileExistsError when something is there."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0)
    handle = os.open(path, flags, FILE_MODE)
    with os.fdopen(handle, "wb") as stream:
        if hasattr(os, "fchmod"):
            os.fchmod(handle, FILE_MODE)
        stream.write(data)
