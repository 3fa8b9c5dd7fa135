"""Read a LinkedIn data export: a zip, its extracted folder, or a folder holding several zips.

The only module that knows LinkedIn's file names, headers, encodings and date formats (see
shared/linkedin-export-format.md). Zips are read in memory, never extracted, within `Limits`.
Everything it returns is plain data, except the endorsements table (a DataFrame, for scale).
"""

from __future__ import annotations

import hashlib
import io
import re
import zipfile
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path, PurePosixPath
from urllib.parse import quote, unquote

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


@dataclass(frozen=True)
class Limits:
    """Size limits that keep a hostile zip from exhausting memory (adjustable from the config)."""

    max_zip_bytes: int = 2 * 1024**3  # the archive itself, read into memory
    max_member_bytes: int = 1024**3  # one CSV, once inflated
    max_members: int = 100_000  # entries in the archive
    max_ratio: int = 1_000  # inflated / compressed size of one CSV


@dataclass
class _Source:
    """Where the export's files come from: a zip in memory or a folder on disk."""

    label: str  # how errors name the export
    members: dict[str, str] = field(default_factory=dict)  # canonical name -> member/path
    archive: zipfile.ZipFile | None = None
    folder: Path | None = None
    digest: str = ""

    def read(self, canonical: str, limits: Limits) -> bytes:
        member = self.members[canonical]
        if self.archive is None:
            assert self.folder is not None
            path = self.folder / member
            if path.stat().st_size > limits.max_member_bytes:
                raise ExportError(self.name(canonical), _too_big(limits))
            return path.read_bytes()
        return _read_member(self.archive, member, self.name(canonical), limits)

    def name(self, canonical: str) -> str:
        return f"{self.label}/{self.members.get(canonical, canonical)}"


def _too_big(limits: Limits) -> str:
    return (
        f"larger than the {limits.max_member_bytes // 1024**2} MiB limit for one file; "
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


def _read_member(archive: zipfile.ZipFile, member: str, label: str, limits: Limits) -> bytes:
    """Inflate one member in memory, stopping as soon as it passes the limits."""
    info = archive.getinfo(member)
    if info.flag_bits & 0x1:
        raise ExportError(label, "is encrypted; export your data from LinkedIn again and use that zip")
    ceiling = min(limits.max_member_bytes, max(info.compress_size, 1) * limits.max_ratio)
    chunks: list[bytes] = []
    total = 0
    try:
        with archive.open(info) as stream:
            while chunk := stream.read(1024 * 1024):
                total += len(chunk)
                if total > ceiling:
                    raise ExportError(
                        label,
                        _too_big(limits)
                        if total > limits.max_member_bytes
                        else "inflates far more than any CSV would (a zip bomb?); refused",
                    )
                chunks.append(chunk)
    except (zipfile.BadZipFile, EOFError, OSError, NotImplementedError, RuntimeError) as error:
        raise ExportError(label, f"cannot be inflated ({error}); the zip is damaged, download it again")
    return b"".join(chunks)


def _open_zip(path: Path, limits: Limits) -> _Source:
    label = str(path)
    try:
        size = path.stat().st_size
        if size > limits.max_zip_bytes:
            raise ExportError(label, f"is larger than the {limits.max_zip_bytes // 1024**2} MiB limit")
        data = path.read_bytes()
    except OSError as error:
        raise ExportError(label, f"cannot be read ({error.strerror or error})")
    if not data:
        raise ExportError(label, "is empty; download the export from LinkedIn again")
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError):
        raise ExportError(label, "is not a zip file (or is damaged); give the LinkedIn export zip or its folder")
    if len(infos) > limits.max_members:
        raise ExportError(label, f"has {len(infos)} entries, more than the limit of {limits.max_members}")
    members = _pick_members(info.filename for info in infos if not info.is_dir())
    return _Source(label, members, archive=archive, digest=hashlib.sha256(data).hexdigest())


def _open_folder(path: Path) -> _Source:
    files = [p.relative_to(path).as_posix() for p in sorted(path.rglob("*.csv")) if p.is_file()]
    digest = hashlib.sha256()
    members = _pick_members(files)
    for canonical in sorted(members):
        digest.update(canonical.encode())
        digest.update((path / members[canonical]).read_bytes())
    return _Source(str(path), members, folder=path, digest=digest.hexdigest())


def find_exports(folder: Path) -> list[Path]:
    """Return the export zips in a folder, newest first by the date in their name (then by name)."""
    zips = [p for p in folder.iterdir() if p.suffix.casefold() == ".zip" and p.is_file()]
    return sorted(zips, key=lambda p: (export_date(p.name) or date.min, p.name), reverse=True)


def resolve(path: Path) -> tuple[Path, str | None]:
    """Return the zip or folder to audit for what the user named, and a note when one was chosen."""
    if not path.exists():
        raise ExportError(str(path), "does not exist; give the LinkedIn export zip or its folder")
    if path.is_file():
        return path, None
    csvs = [p for p in path.rglob("*.csv") if canonical_name(p.name) in (SKILLS, RECEIVED)]
    if csvs:
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
    source = _open_zip(path, limits) if path.is_file() else _open_folder(path)
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


def _decode(data: bytes, label: str) -> str:
    """Return the text of a CSV file, sniffing BOMs and UTF-16 without one."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        encoding = "utf-16"
    elif data.startswith(b"\xef\xbb\xbf"):
        encoding = "utf-8-sig"
    elif len(data) >= 4 and data[1:4:2] == b"\x00\x00" and data[0:3:2] != b"\x00\x00":
        encoding = "utf-16-le"
    else:
        encoding = "utf-8"
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError:
        if encoding != "utf-8":
            raise ExportError(label, f"is not valid {encoding} text; save it again as UTF-8 CSV")
        text = data.decode("cp1252", errors="replace")
    if "\x00" in text:
        raise ExportError(label, "holds binary data, not CSV text; take this file from the original export")
    return text


def _find_header(text: str, first_column: str) -> tuple[int, str]:
    """Return where the header row starts and the delimiter it uses (comma, or tab after Excel).

    Files like Connections.csv have a preamble before the header: scan for it, do not skip lines.
    """
    wanted = first_column.casefold()
    offset = 0
    for line in text.splitlines(keepends=True)[:20]:
        delimiter = "\t" if line.count("\t") > line.count(",") else ","
        cell = line.split(delimiter, 1)[0].strip().strip('"').strip().lstrip("\ufeff")
        if cell.casefold() == wanted:
            return offset, delimiter
        offset += len(line)
    first_line = text.split("\n", 1)[0]
    return 0, "\t" if first_line.count("\t") > first_line.count(",") else ","


def _read_table(source: _Source, canonical: str, limits: Limits, notes: list[str]) -> pd.DataFrame:
    """Read one CSV file into a DataFrame of strings with tidy, checked column names."""
    label = source.name(canonical)
    data = source.read(canonical, limits)
    text = _decode(data, label)
    required = REQUIRED_COLUMNS[canonical]
    offset, delimiter = _find_header(text, required[0])
    body = text[offset:]
    if not body.strip():
        if canonical in (SKILLS, RECEIVED):
            raise ExportError(label, "is empty; take this file from the original export")
        return pd.DataFrame(columns=list(required), dtype=object)
    try:
        table = pd.read_csv(
            io.StringIO(body),
            sep=delimiter,
            dtype=str,
            keep_default_na=False,
            na_filter=False,
            skip_blank_lines=True,
            engine="c",
        )
    except (pd.errors.ParserError, pd.errors.EmptyDataError, ValueError, UnicodeError) as error:
        detail = str(error).strip().splitlines()[-1] if str(error).strip() else type(error).__name__
        raise ExportError(label, f"is not a readable CSV file ({detail})")
    table.columns = [str(column).strip().lstrip("\ufeff") for column in table.columns]
    missing = [column for column in required if _find_column(table, column) is None]
    if missing:
        raise ExportError(
            label,
            f"has no column {missing[0]!r}; take this file from the original "
            "LinkedIn export (found: " + ", ".join(map(repr, table.columns[:8])) + ")",
        )
    if table.empty and body.count("\n") > 1 and len(body.strip().splitlines()) > 1:
        raise ExportError(label, "has lines but no readable rows; take this file from the original export")
    return table


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
    extracted = urls.str.extract(_PROFILE_URL, expand=False).fillna("").map(unquote)
    return extracted.where(extracted.str.fullmatch(_SLUG).fillna(False).astype(bool), "")


def profile_url(slug: str) -> str | None:
    """Return the profile link rebuilt from a validated slug, or None."""
    if not slug or not _SLUG.fullmatch(slug):
        return None
    return PROFILE_BASE + quote(slug, safe="-_")


def _endorsements(table: pd.DataFrame, notes: list[str]) -> pd.DataFrame:
    """Return the endorsements received as a tidy table (see ENDORSEMENT_COLUMNS)."""
    raw_dates = _text_column(table, "Endorsement Date")
    dates = raw_dates.str.replace(_LINKEDIN_DATE, r"\1-\2-\3T\4Z", regex=True)
    odd_dates = int((dates == raw_dates).sum() - (raw_dates == "").sum())
    if odd_dates:
        notes.append(f"{odd_dates} endorsement date(s) not in LinkedIn's format were kept as written")
    endorser = (
        _text_column(table, "Endorser First Name") + " " + _text_column(table, "Endorser Last Name")
    ).str.strip()
    status = _text_column(table, "Endorsement Status").str.upper()
    result = pd.DataFrame(
        {
            "date": dates,
            "skill": table[_column(table, "Skill Name")].astype(object).fillna(""),
            "endorser": endorser,
            "slug": slugs(_text_column(table, "Endorser Public Url")),
            "status": status,
        }
    )
    result = result[result["skill"].str.strip() != ""].reset_index(drop=True)
    unknown = sorted(set(result["status"].unique()) - {"", *LINKEDIN_STATUSES})
    if unknown:
        notes.append("unknown endorsement status(es) kept as they are: " + ", ".join(unknown))
    return result


LINKEDIN_STATUSES = ("ACCEPTED", "PENDING", "REJECTED", "HIDDEN", "DELETED", "CLOSED", "UNKNOWN")


def fold_name(name: str) -> str:
    """Return a person's name folded for joining files that have no profile URL."""
    return " ".join(name.casefold().split())


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
