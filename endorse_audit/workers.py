"""What outlives no batch: worker processes that die with the main process, and a staging folder that
a later run removes once the process that made it is gone.

A worker is forked from the main process (Linux): it leaves Ctrl-C to the main process, takes back the
default action of SIGTERM and SIGHUP (the main process's handlers are inherited by the fork), and asks
the kernel to kill it when the main process dies, however it dies (prctl PR_SET_PDEATHSIG); if the
main process died before that request, the worker finds another parent and exits at once.

The staging folder is named `.endorse-audit-<pid>-<start>-<random>`: the main process's id and when
it started (Linux: clock ticks since boot, from /proc; 0 where it is unknown). A later batch writing to
the same folder removes a staging folder of its user whose process is gone, or whose id now belongs to
a process started at another time. Where a process cannot be looked up (Windows) or a folder's name
does not say (an older version's), it is removed once nothing was written in it for STALE_SECONDS.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import re
import shutil
import signal
import stat
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from endorse_audit.errors import OutputError
from endorse_audit.report.outputs import STALE_SECONDS, advice

STAGING_PREFIX = ".endorse-audit-"
_PR_SET_PDEATHSIG = 1  # prctl(2)
_OWNED = re.compile(re.escape(STAGING_PREFIX) + r"(\d+)-(\d+)-")


def start_worker(parent: int) -> None:
    """Set up a worker process (the pool's initializer); `parent` is the main process's id."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    for name in ("SIGTERM", "SIGHUP"):
        if hasattr(signal, name):
            signal.signal(getattr(signal, name), signal.SIG_DFL)
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError):
            ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
        if os.getppid() != parent:  # the main process died before the request above: nobody will stop us
            os._exit(1)


@contextlib.contextmanager
def staging_folder(out_dir: Path) -> Iterator[Path]:
    """Make a private staging folder in `out_dir`, named for this process, after removing those of runs
    that are gone; remove it when done. Raises OutputError when it cannot be made (a full disk)."""
    sweep(out_dir)
    try:
        folder = tempfile.mkdtemp(prefix=f"{STAGING_PREFIX}{os.getpid()}-{_started(os.getpid())}-", dir=out_dir)
    except OSError as error:
        raise OutputError(
            str(out_dir), f"cannot be written ({error.strerror or error}); {advice(error)}", setting="out_dir"
        )
    try:
        yield Path(folder)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def sweep(out_dir: Path) -> None:
    """Remove this user's staging folders in `out_dir` that no running batch owns (they hold other
    people's names)."""
    for entry in out_dir.glob(f"{STAGING_PREFIX}*"):
        with contextlib.suppress(OSError):
            info = entry.lstat()
            ours = not hasattr(os, "getuid") or info.st_uid == os.getuid()
            if stat.S_ISDIR(info.st_mode) and ours and _abandoned(entry.name, info.st_mtime):
                shutil.rmtree(entry)


def _abandoned(name: str, modified: float) -> bool:
    """Return whether the staging folder of this name belongs to no running process."""
    owner = _OWNED.match(name)
    if owner is None or os.name != "posix":  # no owner to look up (on Windows os.kill would kill it)
        return time.time() - modified > STALE_SECONDS
    pid, started = int(owner[1]), owner[2]
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:  # alive, another user's: the id was reused (the start time tells, if known)
        pass
    now = _started(pid)
    return "0" not in (started, now) and started != now


def _started(pid: int) -> str:
    """Return when process `pid` started, in clock ticks since boot (Linux), "0" where that is unknown."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as stream:
            fields = stream.read().rpartition(b")")[2].split()
        return str(int(fields[19]))  # field 22 of proc(5); the first two (pid, name) are before the ")"
    except (OSError, IndexError, ValueError):
        return "0"
