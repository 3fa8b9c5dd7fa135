"""The optional TOML configuration: extra aliases, skills to allow, endorsers to ignore, limits.

It owns the settings every step reads: the matching threshold and the size limits for reading.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from endorse_audit import files
from endorse_audit.errors import ConfigError

APP = "endorse-audit"
CONFIG_NAME = "endorse-audit.toml"  # looked for in the working folder
USER_CONFIG_NAME = "config.toml"  # looked for in the user's config folder
DEFAULT_THRESHOLD = 85.0  # 0-100: how similar a spelling must be to count as a near-duplicate
RECENT_DAYS = 90  # a connection made fewer days than this before the export is too new to judge: review
MESSAGES_EACH_WAY = 1  # messages each way that make a conversation "both ways": keep
HALF_LIFE_DAYS = 180  # the context score halves for every this many days a tie is older than the export
_MIB = 1024**2
# The largest value each limit takes: more than any machine could read, small enough to compute with.
_LIMIT_CEILINGS = {"max_zip_mib": 1024**2, "max_member_mib": 1024**2, "max_members": 10**9, "max_ratio": 10**6}

TEMPLATE = """\
# endorse-audit configuration. Every setting is optional; delete what you do not need.

[matching]
# threshold = 85          # 0-100: how similar a spelling must be to count as a near-duplicate

[aliases]                 # "another spelling" = "the listed skill it stands for"
# "Py" = "Python"

[skills]
# allow = ["Team Leadership"]   # skills you never listed but whose endorsements you want to keep

[endorsers]
# ignore = ["Jane Doe", "https://www.linkedin.com/in/jane-doe"]  # names or profile links

[connections]             # keep, review or remove: the suggestion for each connection
# keep = ["Jane Doe", "https://www.linkedin.com/in/jane-doe"]  # names or profile links: always keep
# recent_days = 90        # connected fewer days than this before the export: too new to judge (review)
# messages_each_way = 1   # a conversation is both ways (keep) with this many messages each way

[limits]                  # safety limits for reading an export
# max_zip_mib = 2048
# max_member_mib = 1024
# max_members = 100000
# max_ratio = 1000
"""


@dataclass(frozen=True)
class Limits:
    """Size limits that keep a hostile zip from exhausting memory (adjustable from the config).

    Each is checked before the work it bounds: the archive's size before it is read, its entry
    count before its directory is parsed, a member's declared size and ratio before it is inflated
    (and the bytes actually inflated while it is).
    """

    max_zip_bytes: int = 2 * 1024**3  # the archive itself, read into memory
    max_member_bytes: int = 1024**3  # one CSV, once inflated (or read from a folder)
    max_members: int = 100_000  # entries in the archive
    max_ratio: int = 1_000  # inflated / compressed size of one CSV


@dataclass(frozen=True)
class Prune:
    """The rules that suggest keep, review or remove for each connection (checks/suggestions.py)."""

    keep: tuple[str, ...] = ()  # names or profile links the member always keeps
    recent_days: int = RECENT_DAYS
    messages_each_way: int = MESSAGES_EACH_WAY


@dataclass(frozen=True)
class Config:
    """The user's choices, validated."""

    threshold: float = DEFAULT_THRESHOLD
    aliases: tuple[tuple[str, str], ...] = ()
    allow: tuple[str, ...] = ()
    ignore_endorsers: tuple[str, ...] = ()
    limits: Limits = field(default_factory=Limits)
    connections: Prune = field(default_factory=Prune)


def user_config_path() -> Path | None:
    """Return this platform's user config file (~/.config/endorse-audit/config.toml on Linux, under
    ~/Library/Application Support on macOS, %LOCALAPPDATA% on Windows); None without a home folder."""
    import platformdirs

    try:
        folder: Path = platformdirs.user_config_path(APP, appauthor=False)
    except (RuntimeError, KeyError):
        return None
    return folder / USER_CONFIG_NAME


def config_places() -> list[Path]:
    """Return where a config file is looked for when none is named, in order."""
    user = user_config_path()
    return [Path.cwd() / CONFIG_NAME, *([user] if user is not None else [])]


def find_config(explicit: Path | None) -> Path | None:
    """Return the config file to use: the one named, else the first of `config_places()` that exists."""
    if explicit is not None:
        return explicit
    return next((candidate for candidate in config_places() if candidate.is_file()), None)


def write_template(path: Path) -> None:
    """Write the commented template at `path` (owner-only), never over an existing file."""
    try:
        files.private_folders(path.parent)
        files.create_private(path, TEMPLATE.encode("utf-8"))
    except FileExistsError:
        raise ConfigError(str(path), "already exists; edit it, or delete it first to start again")
    except OSError as error:
        raise ConfigError(str(path), f"cannot be written ({error.strerror or error})")


def load_config(path: Path | None) -> Config:
    """Read and validate the TOML file at `path` (None: the defaults)."""
    if path is None:
        return Config()
    import tomllib  # only when there is a file to read

    label = str(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(label, "does not exist; check the path, or create one with the config command's --init")
    except (OSError, UnicodeDecodeError) as error:
        raise ConfigError(label, f"cannot be read ({error})")
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(label, f"is not valid TOML ({error})")
    except RecursionError:
        raise ConfigError(label, "nests tables or arrays too deeply to be a configuration; choose another file")
    return _parse(data, label)


def _section(data: dict[str, Any], name: str, known: set[str], label: str) -> dict[str, Any]:
    section = data.get(name, {})
    if not isinstance(section, dict):
        raise ConfigError(label, f"[{name}] must be a table")
    for key in section:
        if name != "aliases" and key not in known:
            raise ConfigError(label, f"unknown key '{name}.{key}' (known: {', '.join(sorted(known))})")
    return section


def _strings(value: Any, key: str, label: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise ConfigError(label, f"'{key}' must be a list of non-empty strings")
    return tuple(value)


def _positive_int(value: Any, key: str, label: str) -> int:
    ceiling = _LIMIT_CEILINGS[key.removeprefix("limits.")]
    if isinstance(value, bool) or not isinstance(value, int) or not 0 < value <= ceiling:
        raise ConfigError(label, f"'{key}' is not a whole number from 1 to {ceiling}; choose one in that range")
    return value


def _whole(value: Any, key: str, label: str, lowest: int, highest: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not lowest <= value <= highest:
        raise ConfigError(label, f"'{key}' is not a whole number from {lowest} to {highest}; choose one in that range")
    return value


def _prune(section: dict[str, Any], label: str) -> Prune:
    return Prune(
        keep=_strings(section.get("keep", []), "connections.keep", label),
        recent_days=_whole(section.get("recent_days", RECENT_DAYS), "connections.recent_days", label, 0, 36_500),
        messages_each_way=_whole(
            section.get("messages_each_way", MESSAGES_EACH_WAY), "connections.messages_each_way", label, 1, 10**6
        ),
    )


def _parse(data: dict[str, Any], label: str) -> Config:
    sections = {"matching", "aliases", "skills", "endorsers", "limits", "connections"}
    for key in data:
        if key not in sections:
            raise ConfigError(label, f"unknown key '{key}' (known: {', '.join(sorted(sections))})")
    matching = _section(data, "matching", {"threshold"}, label)
    threshold = matching.get("threshold", DEFAULT_THRESHOLD)
    if isinstance(threshold, bool) or not isinstance(threshold, int | float) or not 0 <= threshold <= 100:
        raise ConfigError(label, "'matching.threshold' must be a number from 0 to 100")
    aliases = _section(data, "aliases", set(), label)
    for alias, skill in aliases.items():
        if not isinstance(skill, str) or not skill.strip() or not alias.strip():
            raise ConfigError(label, f"'aliases.{alias}' must be the listed skill it stands for, as text")
    skills = _section(data, "skills", {"allow"}, label)
    endorsers = _section(data, "endorsers", {"ignore"}, label)
    limit_keys = {"max_zip_mib", "max_member_mib", "max_members", "max_ratio"}
    limits = {k: _positive_int(v, f"limits.{k}", label) for k, v in _section(data, "limits", limit_keys, label).items()}
    defaults = Limits()
    connections = _section(data, "connections", {"keep", "recent_days", "messages_each_way"}, label)
    return Config(
        threshold=float(threshold),
        aliases=tuple(aliases.items()),
        allow=_strings(skills.get("allow", []), "skills.allow", label),
        ignore_endorsers=_strings(endorsers.get("ignore", []), "endorsers.ignore", label),
        limits=Limits(
            max_zip_bytes=limits.get("max_zip_mib", defaults.max_zip_bytes // _MIB) * _MIB,
            max_member_bytes=limits.get("max_member_mib", defaults.max_member_bytes // _MIB) * _MIB,
            max_members=limits.get("max_members", defaults.max_members),
            max_ratio=limits.get("max_ratio", defaults.max_ratio),
        ),
        connections=_prune(connections, label),
    )
