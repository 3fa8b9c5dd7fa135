"""One audit run as a scheduled job needs it: audit the export, mark what is new against the
history, write every output, then record the run, all while holding the history's lock.

Order matters: the outputs are written before the run is recorded, so a failure in between means
the next run reports the same endorsements as new again (heard twice, never zero times).
"""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path

from endorse_audit.audit import audit_path
from endorse_audit.config import Config
from endorse_audit.errors import OUTPUTS_WRITTEN
from endorse_audit.model import Audit
from endorse_audit.report.outputs import EXPORT, check_targets
from endorse_audit.report.render import OutputPaths, write_report


def run_audit(path: Path, config: Config, outputs: OutputPaths, state: Path | None, generated_at: datetime) -> Audit:
    """Audit the export at `path`, write `outputs`, and record the run in the history at `state` (None: none).

    An output path that may not be written (the export, the history or its lock, a device) is refused
    before any work."""
    keep = {path: EXPORT}
    if state is not None:
        from endorse_audit.history import database as history_db

        history_file = history_db.history_file(state)
        keep |= {history_file: "the endorse-audit history", history_db.lock_path(history_file): "the history's lock"}
    check_targets(outputs.chosen(), keep)
    result = audit_path(path, config)
    if state is None:  # --no-state: nothing to lock, read or record (and SQLite is not even imported)
        write_report(result, outputs, generated_at)
        return result
    from endorse_audit.history import store as history

    with history.open_store(state) as store:  # locked until the run is recorded
        if store is not None:
            result = store.prepare(result, history.utc_now())
        write_report(result, outputs, generated_at, keep=keep)
        try:
            if store is not None:
                store.commit()
        except BaseException as stop:  # Ctrl-C or SIGTERM during the commit: the outputs are already there
            if not isinstance(stop, Exception):
                stop.add_note(OUTPUTS_WRITTEN)
            raise
    return result


def report_time() -> datetime:
    """Return the report's time stamp: now, or SOURCE_DATE_EPOCH for reproducible output (ignored when it
    is no time a date can show)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit() and len(epoch) <= 12:
        try:
            return datetime.fromtimestamp(int(epoch), UTC)
        except (OverflowError, OSError, ValueError):
            pass
    return datetime.now(UTC)
