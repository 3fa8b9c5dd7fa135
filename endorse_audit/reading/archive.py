"""Open an export safely: a zip read in memory within `Limits`, or an extracted folder, never following
links out of it; and choose which export a folder of downloads stands for.

This is the safety layer of the reader: it knows the export's file names (matched loosely) but not
what is inside them. `Source.read()` returns one file's bytes, bounded by the limits.
"""

from __future__ import annotations

import hashlib
import io
import os
import re
import stat
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path, PurePosixPath
from typing import cast

from endorse_audit.config import Limits
from endorse_audit.errors import ExportError, quoted

SKILLS = "Skills.csv"
RECEIVED = "Endorsement_Received_Info.csv"
GIVEN = "Endorsement_Given_Info.csv"
CONNECTIONS = "Connections.csv"
INVITATIONS = "Invitations.csv"
PROFILE_FILE = "Profile.csv"
POSITIONS = "Positions.csv"
MESSAGES = "messages.csv"  # "Messages.csv" before 2023: names match loosely
RECOMMENDATIONS_RECEIVED = "Recommendations_Received.csv"
RECOMMENDATIONS_GIVEN = "Recommendations_Given.csv"
KNOWN_FILES = (
    SKILLS,
    RECEIVED,
    GIVEN,
    CONNECTIONS,
    INVITATIONS,
    PROFILE_FILE,
    POSITIONS,
    MESSAGES,
    RECOMMENDATIONS_RECEIVED,
    RECOMMENDATIONS_GIVEN,
)

_EXPORT_DATE = re.compile(r"(?<!\d)(\d{2})-(\d{2})-(\d{4})(?!\d)")


# How deep below the folder the user names export files are looked for: the export's own files,
# a wrapping folder, a downloads folder holding an extracted export (and one more for luck).
_FOLDER_DEPTH = 3


_CENTRAL_HEADER = b"PK\x01\x02"  # opens every entry of a zip's central directory


_LOCAL_HEADER = b"PK\x03\x04"  # opens a zip file (and every member's data)


@dataclass
class Source:
    """Where the export's files come from: a zip in memory or a folder on disk."""

    label: str  # how errors name the export
    members: dict[str, str] = field(default_factory=dict)  # canonical name -> member/path
    archive: zipfile.ZipFile | None = None
    folder: Path | None = None
    digest: str = ""
    contents: dict[str, bytes] = field(default_factory=dict)  # a folder's files, read once for the digest
    size: int = 0  # the zip's size in bytes

    def read(self, canonical: str, limits: Limits) -> bytes | bytearray:
        """Return one known file's bytes, within the limits."""
        if canonical in self.contents:
            return self.contents[canonical]
        member = self.members[canonical]
        if self.archive is None:
            assert self.folder is not None
            return _read_file(self.folder / member, self.name(canonical), limits.max_member_bytes, _too_big(limits))
        return _read_member(self.archive, member, self.name(canonical), limits, self.size)

    def name(self, canonical: str) -> str:
        """Return how errors and notes name one known file: the export, then the member's path."""
        return f"{self.label}/{self.members.get(canonical, canonical)}"

    def paths(self) -> tuple[str, ...]:
        """Return the files on disk that are this export: the zip, or each file read from the folder."""
        if self.folder is None:
            return (self.label,)
        return tuple(str(self.folder / member) for member in self.members.values())


def open_export(path: Path, limits: Limits) -> Source:
    """Open the zip or extracted folder at `path`, refusing anything unsafe before it is read."""
    return _open_zip(path, limits) if path.is_file() else _open_folder(path, limits)


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


def _read_member(archive: zipfile.ZipFile, member: str, label: str, limits: Limits, archive_size: int) -> bytearray:
    """Inflate one member in memory, refusing it before inflating when its header passes the limits.

    zipfile never yields more than the size the header declares (a lie fails the CRC check), so the
    declared size bounds memory; the running count is kept as a second guard. The header's
    compressed size is not trusted either: no member holds more compressed bytes than the archive.
    """
    info = archive.getinfo(member)
    if info.flag_bits & 0x1:
        raise ExportError(label, "is encrypted; export your data from LinkedIn again and use that zip as it is")
    if info.file_size > limits.max_member_bytes:
        raise ExportError(label, _too_big(limits))
    compressed = max(min(info.compress_size, archive_size), 1)
    ceiling = min(limits.max_member_bytes, compressed * limits.max_ratio)
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
            shown = ", ".join(map(quoted, same[:3])) + (", ..." if len(same) > 3 else "")
            raise ExportError(
                label,
                f"holds {len(same)} files that could be {canonical} ({shown}); "
                "keep only one export in it, or give the export you mean",
            )


def _open_zip(path: Path, limits: Limits) -> Source:
    label = str(path)
    try:
        if path.stat().st_size > limits.max_zip_bytes:
            raise ExportError(label, _zip_too_big(limits))
    except OSError as error:
        raise ExportError(label, f"cannot be read ({error.strerror or error}); check that it is yours to read")
    data = _read_file(path, label, limits.max_zip_bytes, _zip_too_big(limits))
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
    for info in infos:
        if not info.filename:  # a name cut at a NUL byte, say
            raise ExportError(label, "holds a member with no name; LinkedIn's exports never do: download yours again")
        if _unsafe_member(info.filename):
            raise ExportError(
                label,
                f"holds an unsafe member path {quoted(info.filename)} (absolute, or climbing out of the zip); "
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
    return Source(label, members, archive=archive, digest=hashlib.sha256(data).hexdigest(), size=len(data))


def _zip_too_big(limits: Limits) -> str:
    return (
        f"is larger than the {limits.max_zip_bytes // 1024**2} MiB limit; "
        "raise [limits] max_zip_mib in the config if this export is genuine"
    )


def _read_bounded(stream: io.BufferedReader, limit: int) -> bytes:
    """Read a file, never more than one byte past `limit`: asked for its size plus one byte (read() sets
    aside what it is asked for, so a limit of a terabyte is never asked for), then for the rest of the
    limit only if the file grew meanwhile."""
    try:
        size = max(os.fstat(stream.fileno()).st_size, 0)
    except OSError:
        size = limit
    asked = min(limit, size) + 1
    data = stream.read(asked)
    if len(data) == asked and asked <= limit:  # longer than it said: read on, up to the limit
        data += stream.read(limit + 1 - asked)
    return data


def _read_file(path: Path, label: str, limit: int, too_big: str) -> bytes:
    """Read a file (the zip, or one file of a folder export), refusing it past `limit` bytes."""
    try:
        with path.open("rb") as stream:
            data = _read_bounded(stream, limit)
    except OSError as error:
        raise ExportError(label, f"cannot be read ({error.strerror or error}); check that it is yours to read")
    if len(data) > limit:
        raise ExportError(label, too_big)
    return data


def _walk_csvs(root: Path) -> list[str]:
    """Return the CSV files under `root` as relative POSIX paths, never following links to folders."""
    found: list[str] = []
    for folder, dirs, files in os.walk(root):  # followlinks=False; unreadable folders are skipped
        relative = Path(folder).relative_to(root)
        dirs[:] = sorted(d for d in dirs if d != "__MACOSX") if len(relative.parts) < _FOLDER_DEPTH else []
        found += [(relative / name).as_posix() for name in sorted(files) if name.casefold().endswith(".csv")]
    return found


def _open_folder(path: Path, limits: Limits) -> Source:
    """Read an extracted export's known files (once: the digest covers exactly what is audited)."""
    label = str(path)
    files = _walk_csvs(path)
    _refuse_ambiguous(files, label)
    source = Source(label, _pick_members(files), folder=path)
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
        data = _read_file(file, source.name(canonical), limits.max_member_bytes, _too_big(limits))
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
    """Return the export zips in a folder, newest first: by the date in their name, then by when they
    were saved (a re-download `..._06-01-2024 (1).zip` beats the original), then by name.

    A zip that is no export (holiday photos) is left out; a link that leads out of the folder is not followed.
    """
    return _zips(folder)[0]


def _zips(folder: Path) -> tuple[list[Path], list[Path]]:
    """Return the folder's export zips, newest first, and its other zips, by name."""
    root = folder.resolve()
    zips = [
        p
        for p in folder.iterdir()
        if p.suffix.casefold() == ".zip" and (not p.is_symlink() or _inside(p, root)) and p.is_file()
    ]
    exports = [p for p in zips if _is_export_zip(p)]
    newest_first = sorted(exports, key=lambda p: (export_date(p.name) or date.min, _saved(p), p.name), reverse=True)
    return newest_first, sorted((p for p in zips if p not in exports), key=lambda p: p.name)


_END_OF_DIRECTORY = b"PK\x05\x06"  # the record at a zip's end, with how many entries it has
_END_RECORD_SEARCH = 22 + 0xFFFF  # the record and the longest comment after it


def _is_export_zip(path: Path, limits: Limits = Limits()) -> bool:
    """Tell whether a zip is a LinkedIn export: LinkedIn's name for it, or one of the export's files in
    it (a renamed export). Only its directory is read, and only when its end record counts no more
    entries than an export may have."""
    if "linkedindataexport" in path.name.casefold():  # a damaged download is still the export: its audit says so
        return True
    try:
        with path.open("rb") as stream:
            stream.seek(max(stream.seek(0, os.SEEK_END) - _END_RECORD_SEARCH, 0))
            tail = stream.read()
        at = tail.rfind(_END_OF_DIRECTORY)
        if at < 0 or int.from_bytes(tail[at + 10 : at + 12], "little") > limits.max_members:
            return False
        with zipfile.ZipFile(path) as archive:
            return any(canonical_name(name) is not None for name in archive.namelist())
    except Exception:  # unreadable, or not a zip at all (zipfile fails in many ways): not an export
        return False


def _saved(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except OSError:
        return 0.0


def _extracted_export(folder: Path) -> Path | None:
    """Return the folder of an extracted export inside `folder` (or `folder` itself), else None.

    The folder named counts when it holds a known export file itself; a folder below it only when it
    holds two or more (one stray `skills.csv` deep in a downloads folder is not an export).
    """
    known: dict[str, int] = {}
    for name in _walk_csvs(folder):
        if canonical_name(name) is not None:
            parent = str(PurePosixPath(name).parent)
            known[parent] = known.get(parent, 0) + 1
    if "." in known:
        return folder
    deeper = sorted((place for place, count in known.items() if count >= 2), key=lambda p: (p.count("/"), p))
    return folder / deeper[0] if deeper else None


def _export_day(path: Path) -> date:
    """Return when an export was made: the date in its name (or a parent's), else when it was saved."""
    for part in (path, *path.parents):
        found = export_date(part.name)
        if found is not None:
            return found
    return date.fromtimestamp(_saved(path / SKILLS) or _saved(path))


def choose_export(path: Path) -> tuple[Path, str | None]:
    """Return the zip or folder to audit for what the user named, and, when it is another (the newest
    zip in a downloads folder, the subfolder an export was extracted to), a note naming it and why."""
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
    extracted = _extracted_export(path)
    if extracted is not None and extracted != path:  # two exports extracted side by side: which one is meant?
        _refuse_ambiguous(_walk_csvs(path), str(path))
    zips, others = _zips(path)
    not_exports = ", ".join(p.name for p in others[:3]) + (", ..." if len(others) > 3 else "")
    if extracted is not None and zips:
        newest = zips[0]
        if (export_date(newest.name) or date.fromtimestamp(_saved(newest))) > _export_day(extracted):
            chosen, why = newest, "the zip is newer than the extracted folder"
        else:
            chosen, why = extracted, "the extracted folder is newer than the zips"
        return chosen, _chose(chosen, f"the newest of {len(zips) + 1} exports in {path} ({why})", not_exports)
    if extracted is not None:
        return extracted, None if extracted == path else _chose(extracted, f"the extracted export found in {path}")
    if not zips:
        found = f"{not_exports} {'is' if len(others) == 1 else 'are'} no export, and there is" if others else "no zip,"
        raise ExportError(
            str(path),
            f"holds no LinkedIn export ({found} no Skills.csv); "
            "download your data from LinkedIn: Settings, Data privacy, Get a copy of your data",
        )
    which = "the only export" if len(zips) == 1 else f"the newest of {len(zips)} exports"
    return zips[0], _chose(zips[0], f"{which} in {path}", not_exports)


def _chose(chosen: Path, why: str, not_exports: str = "") -> str:
    """Return the note that names the export chosen in a folder, and why."""
    return f"chose {chosen}: {why}" + (f"; not exports: {not_exports}" if not_exports else "")
