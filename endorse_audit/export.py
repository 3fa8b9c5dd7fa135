"""Read a LinkedIn data export: a zip, its extracted folder, or a folder holding several zips.

The only module that knows LinkedIn's file names, headers, encodings and date formats (see
shared/linkedin-export-format.md). Zips are read in memory, never extracted, within `Limits`.
Everything it returns is plain data, except the endorsements table (a DataFrame, for scale).
"""

from __future__ import annotations

import hashlib
import io
import os
import re
import stat
import zipfile
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path, PurePosixPath
from typing import Any, cast
from urllib.parse import quote, unquote

import numpy as np
import pandas as pd

from endorse_audit.errors import ExportError
from endorse_audit.model import Export, GivenEndorsement, Invitation

SKILLS = "Skills.csv"
RECEIVED = "Endorsement_Received_Info.csv"
GIVEN = "Endorsement_Given_Info.csv"
CONNECTIONS = "Connections.csv"
INVITATIONS = "Invitations.csv"
PROFILE = "Profile.csv"
POSITIONS = "Positions.csv"
KNOWN_FILES = (SKILLS, RECEIVED, GIVEN, CONNECTIONS, INVITATIONS, PROFILE, POSITIONS)

# Columns each file must have (read by name, never by position), and the one that opens its header.
REQUIRED_COLUMNS = {
    SKILLS: ("Name",),
    RECEIVED: ("Endorsement Date", "Skill Name", "Endorser First Name", "Endorser Last Name"),
    GIVEN: ("Endorsement Date", "Skill Name", "Endorsee First Name", "Endorsee Last Name"),
    CONNECTIONS: ("First Name", "Last Name", "Connected On"),
    INVITATIONS: ("From", "To", "Sent At", "Direction"),
    PROFILE: ("First Name", "Last Name"),
    POSITIONS: ("Company Name", "Title"),
}
ENDORSEMENT_COLUMNS = ("date", "skill", "endorser", "slug", "status")
PROFILE_BASE = "https://www.linkedin.com/in/"

_EXPORT_DATE = re.compile(r"(?<!\d)(\d{2})-(\d{2})-(\d{4})(?!\d)")
_PROFILE_URL = re.compile(r"^\s*(?:https?://)?(?:[a-z]{2,3}\.)?linkedin\.com/in/([^/?#\s]+)/?\s*$", re.IGNORECASE)
_SLUG = re.compile(r"^[\w-]{3,100}$")
_LINKEDIN_DATE = r"^(\d{4})/(\d{2})/(\d{2}) (\d{2}:\d{2}:\d{2}) UTC$"
_DATE = re.compile(_LINKEDIN_DATE)


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


# How deep below the folder the user names export files are looked for: the export's own files,
# a wrapping folder, a downloads folder holding an extracted export (and one more for luck).
_FOLDER_DEPTH = 3
_CENTRAL_HEADER = b"PK\x01\x02"  # opens every entry of a zip's central directory
_LOCAL_HEADER = b"PK\x03\x04"  # opens a zip file (and every member's data)


@dataclass
class _Source:
    """Where the export's files come from: a zip in memory or a folder on disk."""

    label: str  # how errors name the export
    members: dict[str, str] = field(default_factory=dict)  # canonical name -> member/path
    archive: zipfile.ZipFile | None = None
    folder: Path | None = None
    digest: str = ""
    contents: dict[str, bytes] = field(default_factory=dict)  # a folder's files, read once for the digest

    def read(self, canonical: str, limits: Limits) -> bytes | bytearray:
        if canonical in self.contents:
            return self.contents[canonical]
        member = self.members[canonical]
        if self.archive is None:
            assert self.folder is not None
            return _read_file(self.folder / member, self.name(canonical), limits)
        return _read_member(self.archive, member, self.name(canonical), limits)

    def name(self, canonical: str) -> str:
        return f"{self.label}/{self.members.get(canonical, canonical)}"


def _too_big(limits: Limits) -> str:
    return (
        f"is larger than the {limits.max_member_bytes // 1024**2} MiB limit for one file; "
        "raise [limits] max_member_mib in the config if this export is genuine"
    )


def canonical_name(member: str) -> str | None:
    """Return the known file a zip member or file path is, matching names loosely, else None."""
    path = PurePosixPath(member.replace("\\", "/"))
    if "__MACOSX" in path.parts or path.name.startswith("._"):
        return None
    wanted = _loose(path.name)
    for known in KNOWN_FILES:
        if _loose(known) == wanted:
            return known
    return None


def _loose(name: str) -> str:
    return re.sub(r"[\s_]+", "_", name.strip().casefold())


def export_date(name: str) -> date | None:
    """Return the date in LinkedIn's export name (`..._MM-DD-YYYY.zip`), None when it has none."""
    found = _EXPORT_DATE.search(Path(name).name)
    if found is None:
        return None
    month, day, year = (int(part) for part in found.groups())
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _pick_members(names: Iterable[str]) -> dict[str, str]:
    """Map each known file to its member, preferring the shallowest one (a wrapping folder is fine)."""
    chosen: dict[str, str] = {}
    for name in sorted(names, key=lambda n: (n.count("/"), n)):
        canonical = canonical_name(name)
        if canonical is not None and canonical not in chosen:
            chosen[canonical] = name
    return chosen


def _read_member(archive: zipfile.ZipFile, member: str, label: str, limits: Limits) -> bytearray:
    """Inflate one member in memory, refusing it before inflating when its header passes the limits.

    zipfile never yields more than the size the header declares (a lie fails the CRC check), so the
    declared size bounds memory; the running count is kept as a second guard.
    """
    info = archive.getinfo(member)
    if info.flag_bits & 0x1:
        raise ExportError(label, "is encrypted; export your data from LinkedIn again and use that zip as it is")
    if info.file_size > limits.max_member_bytes:
        raise ExportError(label, _too_big(limits))
    ceiling = min(limits.max_member_bytes, max(info.compress_size, 1) * limits.max_ratio)
    bomb = (
        f"inflates more than {limits.max_ratio} times its compressed size, which no CSV does (a zip bomb?); "
        "refused: download the export from LinkedIn again"
    )
    if info.file_size > ceiling:
        raise ExportError(label, bomb)
    # Inflate into one buffer of the declared size, a slice at a time: the file is never held twice.
    buffer = bytearray(info.file_size)
    view = memoryview(buffer)
    total = 0
    try:
        with archive.open(info) as opened:
            stream = cast(io.BufferedIOBase, opened)  # a zipfile.ZipExtFile
            while total < len(buffer) and (count := stream.readinto(view[total : total + 1024 * 1024])):
                total += count
            if stream.read(1):  # more than the header declared
                raise ExportError(label, _too_big(limits) if total >= limits.max_member_bytes else bomb)
    except ExportError:
        raise
    except Exception as error:  # zipfile, zlib, bz2 and lzma each fail on damaged data in their own way
        raise ExportError(label, f"cannot be inflated ({_detail(error)}); the zip is damaged, download it again")
    finally:
        view.release()
    del buffer[total:]  # a shorter member than declared fails zipfile's own checks; keep what was read
    return buffer


def _detail(error: BaseException) -> str:
    """Return an exception's message on one line (it may quote names from the export)."""
    text = " ".join(str(error).split())
    return text or type(error).__name__


def _unsafe_member(name: str) -> bool:
    """Tell whether a zip member's path is absolute or climbs out of the archive (`../`)."""
    parts = name.replace("\\", "/").split("/")
    return name.startswith(("/", "\\")) or re.match(r"^[A-Za-z]:", name) is not None or ".." in parts


def _is_symlink(info: zipfile.ZipInfo) -> bool:
    return stat.S_ISLNK(info.external_attr >> 16)


def _refuse_ambiguous(names: list[str], label: str) -> None:
    """Refuse two files that could each be the same known file at the same depth (two exports in one)."""
    candidates: dict[str, list[str]] = {}
    for name in names:
        canonical = canonical_name(name)
        if canonical is not None:
            candidates.setdefault(canonical, []).append(name)
    for canonical, found in sorted(candidates.items()):
        depth = min(name.count("/") for name in found)
        same = sorted(name for name in found if name.count("/") == depth)
        if len(same) > 1:
            shown = ", ".join(map(repr, same[:3])) + (", ..." if len(same) > 3 else "")
            raise ExportError(
                label,
                f"holds {len(same)} files that could be {canonical} ({shown}); "
                "keep only one export in it, or give the export you mean",
            )


def _open_zip(path: Path, limits: Limits) -> _Source:
    label = str(path)
    try:
        if path.stat().st_size > limits.max_zip_bytes:
            raise ExportError(label, _zip_too_big(limits))
        with path.open("rb") as stream:
            data = stream.read(limits.max_zip_bytes + 1)
    except OSError as error:
        raise ExportError(label, f"cannot be read ({error.strerror or error}); check that it is yours to read")
    if len(data) > limits.max_zip_bytes:
        raise ExportError(label, _zip_too_big(limits))
    if not data:
        raise ExportError(label, "is empty; download the export from LinkedIn again")
    # zipfile parses the whole directory at once: count its entries first, cheaply (an upper bound).
    if data.count(_CENTRAL_HEADER) > limits.max_members:
        raise ExportError(
            label,
            f"has more than {limits.max_members} entries, which no LinkedIn export has (a zip bomb?); "
            "raise [limits] max_members in the config if this export is genuine",
        )
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except Exception:  # the stdlib parser fails on damaged archives with many exception types
        if path.suffix.casefold() == ".csv":
            problem = "is one CSV file, not the export; give the LinkedIn export zip or the folder it was extracted to"
        elif data.startswith(_LOCAL_HEADER):
            problem = "is an incomplete or damaged zip (was the download cut short?); download the export again"
        else:
            problem = "is not a zip file (or is damaged); give the LinkedIn export zip or its folder"
        raise ExportError(label, problem)
    if not infos:
        raise ExportError(label, "is an empty zip; download the export from LinkedIn again")
    if len(infos) > limits.max_members:  # the count above already bounds this; kept in case it changes
        raise ExportError(
            label,
            f"has {len(infos)} entries, more than the limit of {limits.max_members}; "
            "raise [limits] max_members in the config if this export is genuine",
        )
    for info in infos:
        if not info.filename:  # a name cut at a NUL byte, say
            raise ExportError(label, "holds a member with no name; LinkedIn's exports never do: download yours again")
        if _unsafe_member(info.filename):
            raise ExportError(
                label,
                f"holds an unsafe member path {info.filename!r} (absolute, or climbing out of the zip); "
                "LinkedIn's exports never do: download yours again",
            )
    files = [info.filename for info in infos if not info.is_dir()]
    _refuse_ambiguous(files, label)
    members = _pick_members(files)
    for member in members.values():
        if _is_symlink(archive.getinfo(member)):
            raise ExportError(
                f"{label}/{member}",
                "is a symbolic link, not a file; refused (LinkedIn's exports hold none): download yours again",
            )
    return _Source(label, members, archive=archive, digest=hashlib.sha256(data).hexdigest())


def _zip_too_big(limits: Limits) -> str:
    return (
        f"is larger than the {limits.max_zip_bytes // 1024**2} MiB limit; "
        "raise [limits] max_zip_mib in the config if this export is genuine"
    )


def _read_file(path: Path, label: str, limits: Limits) -> bytes:
    """Read one file of a folder export, never more than the limit for one file."""
    try:
        with path.open("rb") as stream:
            data = stream.read(limits.max_member_bytes + 1)
    except OSError as error:
        raise ExportError(label, f"cannot be read ({error.strerror or error}); check that it is yours to read")
    if len(data) > limits.max_member_bytes:
        raise ExportError(label, _too_big(limits))
    return data


def _walk_csvs(root: Path) -> list[str]:
    """Return the CSV files under `root` as relative POSIX paths, never following links to folders."""
    found: list[str] = []
    for folder, dirs, files in os.walk(root):  # followlinks=False; unreadable folders are skipped
        relative = Path(folder).relative_to(root)
        dirs[:] = sorted(d for d in dirs if d != "__MACOSX") if len(relative.parts) < _FOLDER_DEPTH else []
        found += [(relative / name).as_posix() for name in sorted(files) if name.casefold().endswith(".csv")]
    return found


def _open_folder(path: Path, limits: Limits = Limits()) -> _Source:
    """Read an extracted export's known files (once: the digest covers exactly what is audited)."""
    label = str(path)
    files = _walk_csvs(path)
    _refuse_ambiguous(files, label)
    source = _Source(label, _pick_members(files), folder=path)
    root = path.resolve()
    digest = hashlib.sha256()
    for canonical in sorted(source.members):
        file = path / source.members[canonical]
        if not _inside(file, root):
            raise ExportError(
                source.name(canonical),
                "is a link to a file outside the export folder; refused: copy the real file into the folder",
            )
        if not file.is_file():
            raise ExportError(source.name(canonical), "is not a regular file; take it from the original export")
        data = _read_file(file, source.name(canonical), limits)
        source.contents[canonical] = data
        digest.update(canonical.encode())
        digest.update(data)
    source.digest = digest.hexdigest()
    return source


def _inside(path: Path, root: Path) -> bool:
    """Tell whether `path` (a link, maybe) leads to somewhere inside `root`."""
    try:
        return path.resolve().is_relative_to(root)
    except (OSError, RuntimeError):  # a link loop
        return False


def find_exports(folder: Path) -> list[Path]:
    """Return the export zips in a folder, newest first by the date in their name (then by name).

    A link that leads out of the folder is not followed.
    """
    root = folder.resolve()
    zips = [
        p
        for p in folder.iterdir()
        if p.suffix.casefold() == ".zip" and (not p.is_symlink() or _inside(p, root)) and p.is_file()
    ]
    return sorted(zips, key=lambda p: (export_date(p.name) or date.min, p.name), reverse=True)


def resolve(path: Path) -> tuple[Path, str | None]:
    """Return the zip or folder to audit for what the user named, and a note when one was chosen."""
    if not path.exists():
        raise ExportError(str(path), "does not exist; give the LinkedIn export zip or its folder")
    if path.is_file():
        return path, None
    if not path.is_dir():
        raise ExportError(str(path), "is neither a file nor a folder; give the LinkedIn export zip or its folder")
    try:
        with os.scandir(path):
            pass
    except OSError as error:
        raise ExportError(str(path), f"cannot be read ({error.strerror or error}); check that it is yours to read")
    if any(canonical_name(name) in (SKILLS, RECEIVED) for name in _walk_csvs(path)):
        return path, None
    zips = find_exports(path)
    if not zips:
        raise ExportError(
            str(path),
            "holds no LinkedIn export (no zip, no Skills.csv); "
            "download your data from LinkedIn: Settings, Data privacy, Get a copy of your data",
        )
    if len(zips) == 1:
        return zips[0], None
    return zips[0], f"newest of {len(zips)} exports in {path}"


def load(path: Path, limits: Limits = Limits()) -> Export:
    """Read the export at `path` (zip or folder) into an Export."""
    source = _open_zip(path, limits) if path.is_file() else _open_folder(path, limits)
    for required in (SKILLS, RECEIVED):
        if required not in source.members:
            raise ExportError(
                source.label,
                f"has no {required}; is this a LinkedIn data export? "
                "(an export without endorsements has no endorsement file: nothing to audit)",
            )
    notes: list[str] = []
    tables = {name: _read_table(source, name, limits, notes) for name in source.members}
    skills = tables[SKILLS]
    listed = tuple(name for name in skills[_column(skills, "Name")] if name.strip())
    endorsements = _endorsements(tables[RECEIVED], notes)
    connections, connection_names = _connections(tables.get(CONNECTIONS))
    profile = tables.get(PROFILE)
    invitations = _invitations(tables.get(INVITATIONS))
    name_date = export_date(source.label)
    return Export(
        path=source.label,
        date=name_date,
        listed_skills=listed,
        endorsements=endorsements,
        connections=connections,
        connection_names=connection_names,
        member_name=_profile_field(profile, "First Name", "Last Name"),
        files={name: source.name(name) for name in source.members},
        headers={name: tuple(table.columns) for name, table in tables.items()},
        notes=tuple(notes),
        content_hash=source.digest,
        has_connections=CONNECTIONS in tables,
        hidden_connections=_hidden_connections(tables.get(CONNECTIONS)),
        member_slug=_member_slug(invitations),
        headline=_profile_field(profile, "Headline"),
        summary=_profile_field(profile, "Summary"),
        positions=_positions(tables.get(POSITIONS)),
        invitations=invitations,
        given=_given(tables.get(GIVEN)),
    )


def _decode(data: bytes | bytearray, label: str, notes: list[str] | None = None) -> str:
    """Return the text of a CSV file, sniffing BOMs and UTF-16 without one.

    Text that is not UTF-8 is read as Windows-1252 (a superset of Latin-1), and `notes` says so.
    """
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        encoding = "utf-16"
    elif data.startswith(b"\xef\xbb\xbf"):
        encoding = "utf-8-sig"
    elif len(data) >= 4 and data[1:4:2] == b"\x00\x00" and data[0:3:2] != b"\x00\x00":
        encoding = "utf-16-le"
    elif len(data) >= 4 and data[0:3:2] == b"\x00\x00" and data[1:4:2] != b"\x00\x00":
        encoding = "utf-16-be"
    else:
        encoding = "utf-8"
    binary = "holds binary data, not CSV text; take this file from the original export"
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError:
        if encoding != "utf-8":
            raise ExportError(label, f"is not valid {encoding} text; save it again as UTF-8 CSV")
        if b"\x00" in data:
            raise ExportError(label, binary)
        text = data.decode("cp1252", errors="replace")
        if notes is not None:
            lost = text.count("\ufffd")
            notes.append(
                f"{PurePosixPath(label).name} is not UTF-8 text: it was read as Windows-1252 (Latin-1), "
                "check accented names" + (f"; {lost} byte(s) fit neither and show as \ufffd" if lost else "")
            )
    if "\x00" in text:
        raise ExportError(label, binary)
    return text


_LINE_END = re.compile(r"\r\n|\r|\n")


def _delimiter(line: str) -> str:
    """Return the delimiter a header line uses: comma, tab (Excel's UTF-16 text) or semicolon (Excel in
    much of Europe); a comma on a tie or when there is none."""
    counts = {delimiter: line.count(delimiter) for delimiter in (",", "\t", ";")}
    return max(counts, key=lambda delimiter: counts[delimiter])


def _find_header(text: str, first_column: str) -> tuple[int, str]:
    """Return where the header row starts and the delimiter it uses.

    Files like Connections.csv have a preamble before the header: scan for it, do not skip lines.
    Only the first lines are looked at (a file may be a gigabyte).
    """
    wanted = first_column.casefold()
    offset = 0
    first_line = ""
    for index in range(20):
        found = _LINE_END.search(text, offset)
        end = found.end() if found else len(text)
        line = text[offset:end]
        if index == 0:
            first_line = line
        delimiter = _delimiter(line)
        cell = line.split(delimiter, 1)[0].strip().strip('"').strip().lstrip("\ufeff")
        if cell.casefold() == wanted:
            return offset, delimiter
        if found is None:
            break
        offset = end
    return 0, _delimiter(first_line)


class _TextChunks(io.TextIOBase):
    """Hand text to pandas chunk by chunk: io.StringIO would copy it at four bytes a character."""

    def __init__(self, text: str) -> None:
        self._text, self._position = text, 0

    def readable(self) -> bool:
        return True

    def read(self, size: int | None = -1) -> str:
        start = self._position
        self._position = len(self._text) if size is None or size < 0 else min(len(self._text), start + size)
        return self._text[start : self._position]


def _read_table(source: _Source, canonical: str, limits: Limits, notes: list[str]) -> pd.DataFrame:
    """Read one CSV file into a DataFrame of strings with tidy, checked column names."""
    label = source.name(canonical)
    data = source.read(canonical, limits)
    text = _decode(data, label, notes)
    del data  # only the text is needed from here: do not hold a large file twice
    required = REQUIRED_COLUMNS[canonical]
    offset, delimiter = _find_header(text, required[0])
    body = text[offset:]
    if not body or body.isspace():
        if canonical == SKILLS:  # read as "no listed skills", it would make every endorsement one to hide
            raise ExportError(label, "is empty; take this file from the original export")
        if canonical == RECEIVED:
            notes.append(f"{PurePosixPath(label).name} is empty: read as no endorsements received")
        return pd.DataFrame(columns=list(required), dtype=object)
    try:
        table = pd.read_csv(
            _TextChunks(body),
            sep=delimiter,
            dtype=str,
            keep_default_na=False,
            na_filter=False,
            skip_blank_lines=True,
            engine="c",
        )
    except (pd.errors.ParserError, pd.errors.EmptyDataError, ValueError, UnicodeError) as error:
        detail = str(error).strip().splitlines()[-1] if str(error).strip() else type(error).__name__
        raise ExportError(label, f"is not a readable CSV file ({detail}); take this file from the original export")
    return _checked(table, text[:offset], body, canonical, label, notes)


def _checked(
    table: pd.DataFrame, preamble: str, body: str, canonical: str, label: str, notes: list[str]
) -> pd.DataFrame:
    """Check what pandas read against the text it came from: nothing may be dropped silently."""
    if not isinstance(table.index, pd.RangeIndex):  # pandas made the first field an index
        raise ExportError(
            label, "has rows with more fields than its header has columns; take this file from the original export"
        )
    table.columns = _unique([str(column).strip().lstrip("\ufeff") for column in table.columns])
    required = REQUIRED_COLUMNS[canonical]
    missing = [column for column in required if _find_column(table, column) is None]
    if missing:
        raise ExportError(
            label,
            f"has no column {missing[0]!r}; take this file from the original "
            "LinkedIn export (found: " + ", ".join(map(repr, table.columns[:8])) + ")",
        )
    name = PurePosixPath(label).name
    skipped = canonical != CONNECTIONS and not (preamble == "" or preamble.isspace())
    if table.empty:
        header_end = _LINE_END.search(body)  # anything but white space after the header is a lost row
        lost = header_end is not None and _NOT_SPACE.search(body, header_end.end()) is not None
        if skipped or lost:
            raise ExportError(label, "has lines but no readable rows; take this file from the original export")
    if skipped:
        lines = len(_LINE_END.findall(preamble))
        notes.append(f"{name}: {lines} line(s) before its header row were not read")
    # More line breaks than rows: some value spans lines (fine in a name), maybe a quote left open.
    breaks = body.count("\n") + body.count("\r") - body.count("\r\n")
    if canonical == RECEIVED and breaks > len(table) + 1:
        _refuse_runaway_quote(table, label)
    if canonical in (SKILLS, RECEIVED) and len(table):
        column = _column(table, "Name" if canonical == SKILLS else "Skill Name")
        blank = pd.Series(by_value(table[column], lambda value: not str(value).strip()), index=table.index)
        blank = blank.astype(bool)
        if blank.all():
            raise ExportError(
                label, f"has {len(table)} row(s) but no {column!r} in any; take this file from the original export"
            )
        if canonical == RECEIVED and blank.any():
            notes.append(f"{int(blank.sum())} row(s) of {name} name no skill and were left out")
    return table


_NOT_SPACE = re.compile(r"\S")
_SWALLOWED_ROW = r"[\r\n]\d{4}/\d{2}/\d{2} \d{2}:\d{2}:\d{2} UTC,"


def _refuse_runaway_quote(table: pd.DataFrame, label: str) -> None:
    """Refuse endorsements where a quote was opened and closed only rows later: pandas reads that
    silently, one value swallowing the rows after it (each opens with LinkedIn's date)."""
    for column in table.columns:
        values = table[column].astype(object).fillna("").astype(str)
        swallowed = values.str.contains(_SWALLOWED_ROW, regex=True)
        if swallowed.any():
            raise ExportError(
                label,
                f"has a quote that is never closed ({column!r} of row {int(swallowed.to_numpy().argmax()) + 1} "
                "runs over the lines after it); take this file from the original export",
            )


def _unique(columns: list[str]) -> list[str]:
    """Return column names made unique as pandas does (`Name`, `Name.1`): the first one is read."""
    seen: set[str] = set()
    result: list[str] = []
    for column in columns:
        unique, number = column, 0
        while unique in seen:
            number += 1
            unique = f"{column}.{number}"
        seen.add(unique)
        result.append(unique)
    return result


def _find_column(table: pd.DataFrame, wanted: str) -> str | None:
    folded = wanted.casefold().replace("_", " ")
    for column in table.columns:
        if str(column).casefold().replace("_", " ") == folded:
            return str(column)
    return None


def _column(table: pd.DataFrame, wanted: str) -> str:
    found = _find_column(table, wanted)
    assert found is not None, wanted
    return found


def _text_column(table: pd.DataFrame, wanted: str) -> pd.Series:
    """Return a column as stripped strings, or empty strings where the export lacks it."""
    found = _find_column(table, wanted)
    if found is None:
        return pd.Series([""] * len(table), index=table.index, dtype=object)
    return table[found].astype(object).fillna("").str.strip()


def slugs(urls: pd.Series) -> pd.Series:
    """Return the validated profile slug in each URL, or "" where there is none to trust."""
    # Once per distinct URL: a large export repeats each endorser's URL many times.
    distinct, codes = _distinct(urls)
    extracted = distinct.str.extract(_PROFILE_URL, expand=False).fillna("").map(unquote)
    valid = extracted.where(extracted.str.fullmatch(_SLUG).fillna(False).astype(bool), "")
    return pd.Series(valid.to_numpy(dtype=object)[codes], index=urls.index)


def _distinct(column: pd.Series) -> tuple[pd.Series, np.ndarray]:
    """Return a column's distinct values (object dtype, missing ones as "", last) and each row's position in them."""
    codes, values = pd.factorize(column.to_numpy(dtype=object), use_na_sentinel=True)
    codes = np.where(codes < 0, len(values), codes)  # a missing value reads as ""
    return pd.Series([*values, ""], dtype=object), codes


def _iso_dates(dates: pd.Series) -> pd.Series:
    """Return LinkedIn's `YYYY/MM/DD HH:MM:SS UTC` dates as `YYYY-MM-DDTHH:MM:SSZ`, others as written."""
    return pd.Series([_iso_date(text) for text in dates], index=dates.index, dtype=object)


def _iso_date(text: str) -> str:
    """Return one date as `_DATE.sub(r"\\1-\\2-\\3T\\4Z", text)` would, without its per-call template work."""
    found = _DATE.match(text)
    if found is None:
        return text
    return f"{text[0:4]}-{text[5:7]}-{text[8:10]}T{text[11:19]}Z{text[found.end() :]}"


def profile_url(slug: str) -> str | None:
    """Return the profile link rebuilt from a validated slug, or None."""
    if not slug or not _SLUG.fullmatch(slug):
        return None
    return PROFILE_BASE + quote(slug, safe="-_")


def _endorsements(table: pd.DataFrame, notes: list[str]) -> pd.DataFrame:
    """Return the endorsements received as a tidy table (see ENDORSEMENT_COLUMNS).

    Each string operation runs once per distinct value (a large export holds far fewer distinct
    dates, names and URLs than rows), and rows share their string objects.
    """
    raw_dates, date_codes = _stripped(table, "Endorsement Date")
    dates = _iso_dates(raw_dates)
    odd_dates = int(((dates == raw_dates) & (raw_dates != "")).to_numpy()[date_codes].sum())
    if odd_dates:
        notes.append(f"{odd_dates} endorsement date(s) not in LinkedIn's format were kept as written")
    first, first_codes = _stripped(table, "Endorser First Name")
    last, last_codes = _stripped(table, "Endorser Last Name")
    pair_codes, pairs = pd.factorize(first_codes.astype(np.int64) * len(last) + last_codes)
    names = first.to_numpy(dtype=object)[pairs // len(last)] + " " + last.to_numpy(dtype=object)[pairs % len(last)]
    urls, url_codes = _stripped(table, "Endorser Public Url")
    statuses, status_codes = _stripped(table, "Endorsement Status")
    skills, skill_codes = _distinct(table[_column(table, "Skill Name")])
    result = pd.DataFrame(
        {
            "date": _rows(dates, date_codes),
            "skill": _rows(skills, skill_codes),
            "endorser": _rows(pd.Series(names, dtype=object).str.strip(), pair_codes),
            "slug": _rows(slugs(urls), url_codes, dtype=None),  # str, as slugs() gives
            "status": _rows(statuses.str.upper(), status_codes),
        }
    )
    keep = (skills.str.strip() != "").to_numpy()[skill_codes]
    if not keep.all():
        result = result[keep].reset_index(drop=True)
    unknown = sorted(set(result["status"].unique()) - {"", *LINKEDIN_STATUSES})
    if unknown:
        notes.append("unknown endorsement status(es) kept as they are: " + ", ".join(unknown))
    return result


def _rows(distinct: pd.Series, codes: np.ndarray, dtype: type | None = object) -> pd.Series:
    """Return the column whose row `i` is `distinct[codes[i]]` (rows share the distinct strings)."""
    return pd.Series(distinct.to_numpy(dtype=object)[codes], dtype=dtype)


def _stripped(table: pd.DataFrame, wanted: str) -> tuple[pd.Series, np.ndarray]:
    """Return a column's distinct values stripped and each row's position in them ("" without the column)."""
    found = _find_column(table, wanted)
    if found is None:
        return pd.Series([""], dtype=object), np.zeros(len(table), dtype=np.intp)
    distinct, codes = _distinct(table[found])
    return distinct.str.strip(), codes


LINKEDIN_STATUSES = ("ACCEPTED", "PENDING", "REJECTED", "HIDDEN", "DELETED", "CLOSED", "UNKNOWN")


def fold_name(name: str) -> str:
    """Return a person's name folded for joining files that have no profile URL."""
    return " ".join(name.casefold().split())


def endorser_ids(table: pd.DataFrame) -> pd.Series:
    """Return who each endorsement is from: the profile slug, or the folded name without one."""
    by_name = pd.Series(by_value(table["endorser"], lambda name: "name:" + fold_name(name)), index=table.index)
    return table["slug"].where(table["slug"] != "", by_name)


def by_value(column: pd.Series, function: Callable[[Any], object]) -> np.ndarray:
    """Return `function` of each row's value as an object array, calling it once per distinct value."""
    codes, distinct = pd.factorize(column.to_numpy(dtype=object), use_na_sentinel=False)
    done = np.empty(len(distinct), dtype=object)
    done[:] = [function(value) for value in distinct]
    rows: np.ndarray = done[codes]
    return rows


def _connections(table: pd.DataFrame | None) -> tuple[dict[str, str], dict[str, str]]:
    """Return connection dates by profile slug and by folded full name."""
    if table is None or table.empty:
        return {}, {}
    names = (_text_column(table, "First Name") + " " + _text_column(table, "Last Name")).map(fold_name)
    connected = _text_column(table, "Connected On")
    by_slug = dict(zip(slugs(_text_column(table, "URL")), connected))
    by_slug.pop("", None)
    by_name = {name: on for name, on in zip(names, connected) if name}
    return by_slug, by_name


def _hidden_connections(table: pd.DataFrame | None) -> int:
    """Count Connections.csv rows that hold only a date: members who hid or closed their profile."""
    if table is None or table.empty:
        return 0
    names = _text_column(table, "First Name") + _text_column(table, "Last Name")
    return int(((names == "") & (_text_column(table, "Connected On") != "")).sum())


def _profile_field(table: pd.DataFrame | None, *columns: str) -> str | None:
    """Return Profile.csv's first row's columns joined by a space; None without the file."""
    if table is None:
        return None
    if table.empty:
        return ""
    return " ".join(_text_column(table, column).iloc[0] for column in columns).strip()


def _positions(table: pd.DataFrame | None) -> tuple[tuple[str, str], ...] | None:
    if table is None:
        return None
    return tuple(zip(_text_column(table, "Title"), _text_column(table, "Description")))


def _invitations(table: pd.DataFrame | None) -> tuple[Invitation, ...] | None:
    """Return the connection requests; slugs come from the URL columns (the 2023 URN ones have none)."""
    if table is None:
        return None
    columns = [_text_column(table, name) for name in ("From", "To", "Sent At", "Message", "Direction")]
    sender_slugs = slugs(_text_column(table, "inviterProfileUrl"))
    recipient_slugs = slugs(_text_column(table, "inviteeProfileUrl"))
    return tuple(
        Invitation(sender, recipient, sent_at, message, direction.upper(), sender_slug, recipient_slug)
        for sender, recipient, sent_at, message, direction, sender_slug, recipient_slug in zip(
            *columns, sender_slugs, recipient_slugs
        )
    )


def _member_slug(invitations: tuple[Invitation, ...] | None) -> str | None:
    """Return the member's own slug: the sender of outgoing and the recipient of incoming requests."""
    own = Counter(i.sender_slug if i.direction == "OUTGOING" else i.recipient_slug for i in invitations or ())
    own.pop("", None)
    return own.most_common(1)[0][0] if own else None


def _given(table: pd.DataFrame | None) -> tuple[GivenEndorsement, ...] | None:
    if table is None:
        return None
    dates = _text_column(table, "Endorsement Date").str.replace(_LINKEDIN_DATE, r"\1-\2-\3T\4Z", regex=True)
    endorsees = (
        _text_column(table, "Endorsee First Name") + " " + _text_column(table, "Endorsee Last Name")
    ).str.strip()
    return tuple(
        GivenEndorsement(*row)
        for row in zip(
            dates,
            table[_column(table, "Skill Name")].astype(object).fillna(""),
            endorsees,
            slugs(_text_column(table, "Endorsee Public Url")),
            _text_column(table, "Endorsement Status").str.upper(),
        )
    )
