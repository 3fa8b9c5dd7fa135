"""The project's exceptions: each message is one line, ready to show to a user."""


class EndorseAuditError(Exception):
    """A problem the user can fix; `str()` is the whole message, without "Error: "."""

    exit_code = 2

    def __init__(self, source: str, problem: str) -> None:
        self.source = source
        self.problem = problem
        super().__init__(f"{source}: {problem}" if source else problem)


class ExportError(EndorseAuditError):
    """The export (zip, folder or one of its CSV files) cannot be read."""


class ConfigError(EndorseAuditError):
    """The TOML configuration is unreadable or holds an unknown key or a bad value."""


class OutputError(EndorseAuditError):
    """An output file cannot be written."""


class BusyError(EndorseAuditError):
    """Another run holds the history lock."""
