"""The hide list as CSV: one endorsement to hide a row, safe to open in a spreadsheet."""

from __future__ import annotations

import csv
import io

from endorse_audit.model import Audit
from endorse_audit.people import profile_url

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")  # what makes a spreadsheet read a cell as a formula


def neutralise(cell: str) -> str:
    """Return a cell a spreadsheet will show as text, never run as a formula."""
    return "'" + cell if cell.startswith(FORMULA_START) else cell


def render_csv(audit: Audit) -> str:
    """Return the hide list, one endorsement a row, safe to open in a spreadsheet."""
    hide = audit.endorsements[audit.endorsements["hide"]]
    hints = {s.verdict.name: s.verdict.closest or "" for s in audit.skills}
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(
        [
            "Skill",
            "Endorser",
            "Profile URL",
            "Endorsement Date",
            "Connected On",
            "LinkedIn Status",
            "Closest Listed Skill",
        ]
    )
    for row in hide.itertuples(index=False):
        cells = [
            row.skill,
            row.endorser,
            profile_url(str(row.slug)) or "",
            row.date,
            row.connected_on,
            row.status,
            hints.get(str(row.skill), ""),
        ]
        writer.writerow([neutralise(str(cell)) for cell in cells])
    return out.getvalue()
