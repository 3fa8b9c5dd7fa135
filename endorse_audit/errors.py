"""The project's exceptions: each message is one line, ready to show to a user.

Messages say what is wrong and what to do in words; they name no command-line flag. Where a flag
is the way to do it, the error's `setting` names the setting and the command line adds the flag.
"""

from __future__ import annotations

from typing import Literal

Setting = Literal["history", "out_dir"]
# Added (BaseException.add_note) to an interruption that came after every output was written.
OUTPUTS_WRITTEN = "endorse-audit: the outputs were written"

QUOTE_WIDTH = 60  # characters of a value from the export that a message quotes, at most


def shortened(value: str, width: int = QUOTE_WIDTH) -> str:
    """Return a value from the export as a message shows it: at most `width` characters, "…" ending a cut.

    A column name, member path or status can be megabytes long; the message stays one short line.
    """
    return value if len(value) <= width else value[: width - 1] + "…"


def quoted(value: str, width: int = QUOTE_WIDTH) -> str:
    """Return a value from the export as a message quotes it: repr() of it, shortened."""
    return repr(shortened(value, width))


class EndorseAuditError(Exception):
    """A problem the user can fix; `str()` is the whole message, without "Error: "."""

    def __init__(self, source: str, problem: str, *, setting: Setting | None = None) -> None:
        self.source = source
        self.problem = problem
        self.setting = setting  # which setting would fix it, for the command line to name its flag
        super().__init__(f"{source}: {problem}" if source else problem)

    def __reduce__(self) -> tuple[object, ...]:
        """Pickle with every field (an error raised in a worker process reaches the main one whole)."""
        return _rebuilt, (type(self), self.source, self.problem, self.setting)


def _rebuilt(kind: type[EndorseAuditError], source: str, problem: str, setting: Setting | None) -> EndorseAuditError:
    error = kind.__new__(kind)
    EndorseAuditError.__init__(error, source, problem, setting=setting)
    return error


class ExportError(EndorseAuditError):
    """The export (zip, folder or one of its CSV files) cannot be read."""


class ConfigError(EndorseAuditError):
    """The TOML configuration is unreadable or holds an unknown key or a bad value."""


class OutputError(EndorseAuditError):
    """An output file cannot be written."""


class HistoryError(EndorseAuditError):
    """The run history cannot be used: unwritable, damaged, or of another version."""

    def __init__(self, source: str, problem: str, *, setting: Setting | None = "history") -> None:
        super().__init__(source, problem, setting=setting)


class BusyError(HistoryError):
    """Another run holds the history lock (waiting is the remedy, not another setting)."""

    def __init__(self, source: str, problem: str) -> None:
        super().__init__(source, problem, setting=None)
