"""endorse-audit: find the LinkedIn endorsements you received for skills you never listed.

The library under the command line, in three steps:

    from endorse_audit import OutputPaths, audit_path, load_config, write_report
    result = audit_path(Path("Basic_LinkedInDataExport_11-20-2026.zip"), load_config(None))
    print(result.summary.to_hide, [s.verdict.name for s in result.skills if s.to_hide])
    write_report(result, OutputPaths(html=Path("report.html")), datetime.now(UTC))

Names are imported lazily, so that `endorse-audit --help` does not pay for pandas.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from endorse_audit.version import __version__

__all__ = [
    "Audit",
    "Config",
    "EndorseAuditError",
    "Export",
    "OutputPaths",
    "__version__",
    "audit_path",
    "load_config",
    "read_export",
    "render_outputs",
    "write_report",
]

_HOMES = {
    "Audit": "endorse_audit.model",
    "Export": "endorse_audit.export_records",
    "Config": "endorse_audit.config",
    "load_config": "endorse_audit.config",
    "EndorseAuditError": "endorse_audit.errors",
    "audit_path": "endorse_audit.audit",
    "read_export": "endorse_audit.reading.export",
    "OutputPaths": "endorse_audit.report.render",
    "render_outputs": "endorse_audit.report.render",
    "write_report": "endorse_audit.report.render",
}

if TYPE_CHECKING:
    from endorse_audit.audit import audit_path
    from endorse_audit.config import Config, load_config
    from endorse_audit.errors import EndorseAuditError
    from endorse_audit.export_records import Export
    from endorse_audit.model import Audit
    from endorse_audit.reading.export import read_export
    from endorse_audit.report.render import OutputPaths, render_outputs, write_report


def __getattr__(name: str) -> Any:
    if name not in _HOMES:
        raise AttributeError(f"module 'endorse_audit' has no attribute {name!r}")
    return getattr(importlib.import_module(_HOMES[name]), name)
