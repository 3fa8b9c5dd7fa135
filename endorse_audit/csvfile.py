"""Decode and read one CSV file of the export into a checked DataFrame of strings.

It knows the formats of shared/linkedin-export-format.md: BOMs, UTF-16 re-saves, Windows-1252, a
preamble before the header, comma, tab or semicolon delimiters, the columns each file must have.
What pandas reads is checked against the text: nothing may be dropped silently.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections.abc import Iterator
from pathlib import PurePosixPath
from typing import Any

import pandas as pd

from endorse_audit.archive import (
    CONNECTIONS,
    GIVEN,
    INVITATIONS,
    MESSAGES,
    POSITIONS,
    PROFILE_FILE,
    RECEIVED,
    RECOMMENDATIONS_GIVEN,
    RECOMMENDATIONS_RECEIVED,
    SKILLS,
    Source,
)
from endorse_audit.columns import per_distinct
from endorse_audit.config import Limits
from endorse_audit.errors import ExportError

# Columns each file must have (read by name, never by position), and the one that opens its header.
REQUIRED_COLUMNS = {
    SKILLS: ("Name",),
    RECEIVED: ("Endorsement Date", "Skill Name", "Endorser First Name", "Endorser Last Name"),
    GIVEN: ("Endorsement Date", "Skill Name", "Endorsee First Name", "Endorsee Last Name"),
    CONNECTIONS: ("First Name", "Last Name", "Connected On"),
    INVITATIONS: ("From", "To", "Sent At", "Direction"),
    PROFILE_FILE: ("First Name", "Last Name"),
    POSITIONS: ("Company Name", "Title"),
    # The header opens with "CONVERSATION ID" since 2023; before, with other columns: no preamble to find.
    MESSAGES: ("FROM", "TO", "DATE"),
    RECOMMENDATIONS_RECEIVED: ("First Name", "Last Name"),
    RECOMMENDATIONS_GIVEN: ("First Name", "Last Name"),
}


def read_table(source: Source, canonical: str, limits: Limits, notes: list[str]) -> pd.DataFrame:
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
    missing = [column for column in required if find_column(table, column) is None]
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
        column = column_name(table, "Name" if canonical == SKILLS else "Skill Name")
        blank = pd.Series(per_distinct(table[column], lambda value: not str(value).strip()), index=table.index)
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


def find_column(table: pd.DataFrame, wanted: str) -> str | None:
    """Return the name of a column as the file spells it (case and `_` for space ignored), None if absent."""
    folded = wanted.casefold().replace("_", " ")
    for column in table.columns:
        if str(column).casefold().replace("_", " ") == folded:
            return str(column)
    return None


def column_name(table: pd.DataFrame, wanted: str) -> str:
    """Return the name of a column the file must have, as the file spells it."""
    found = find_column(table, wanted)
    assert found is not None, wanted
    return found


def text_column(table: pd.DataFrame, wanted: str) -> pd.Series:
    """Return a column as stripped strings, or empty strings where the export lacks it."""
    found = find_column(table, wanted)
    if found is None:
        return pd.Series([""] * len(table), index=table.index, dtype=object)
    return table[found].astype(object).fillna("").str.strip()


def _decode(data: bytes | bytearray, label: str, notes: list[str] | None = None) -> str:
    """Return the text of a CSV file, sniffing BOMs and UTF-16 without one.

    Text that is not UTF-8 is read as Windows-1252 (a superset of Latin-1), and `notes` says so.
    """
    encoding = _encoding(data)
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


def _encoding(data: bytes | bytearray) -> str:
    """Return the encoding a CSV file's bytes say they are in: a BOM, UTF-16 without one, else UTF-8."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16"
    if data.startswith(b"\xef\xbb\xbf"):
        return "utf-8-sig"
    if len(data) >= 4 and data[1:4:2] == b"\x00\x00" and data[0:3:2] != b"\x00\x00":
        return "utf-16-le"
    if len(data) >= 4 and data[0:3:2] == b"\x00\x00" and data[1:4:2] != b"\x00\x00":
        return "utf-16-be"
    return "utf-8"


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

    def lost_rows(self) -> bool:
        """Tell whether anything but white space follows the header line (read when no row was)."""
        end = _LINE_END.search(self._text)
        return end is not None and _NOT_SPACE.search(self._text, end.end()) is not None


# --- Large files, read a few columns at a time ----------------------------------------------------

CHUNK_ROWS = 100_000  # rows pandas hands over at a time: memory stays one chunk's worth of the columns read
_HEAD = 64 * 1024  # bytes looked at for the header (a preamble included)
_SLICE = 4 * 1024 * 1024  # bytes validated as UTF-8 at a time


def read_columns(
    source: Source, canonical: str, wanted: tuple[str, ...], limits: Limits, notes: list[str]
) -> tuple[tuple[str, ...], Iterator[pd.DataFrame]]:
    """Return a large file's header and its `wanted` columns, chunk by chunk, never the other columns.

    The same safety as `read_table`: the limits, the encodings (UTF-8 is parsed from the bytes as
    they are, without a copy of the file as text; anything else is decoded first), a preamble found,
    the required columns named when missing, no rows lost silently. Each chunk has the columns named
    as in `wanted`, "" where the file lacks one.
    """
    label = source.name(canonical)
    data = source.read(canonical, limits)
    encoding = _encoding(data)
    stream: _ByteChunks | _TextChunks
    if encoding in ("utf-8", "utf-8-sig") and _is_utf8(data):
        if data.find(b"\x00") >= 0:
            raise ExportError(label, "holds binary data, not CSV text; take this file from the original export")
        start = 3 if encoding == "utf-8-sig" else 0
        head = bytes(data[start : start + _HEAD]).decode("utf-8", errors="ignore")  # a character cut at the end
        offset, delimiter = _find_header(head, REQUIRED_COLUMNS[canonical][0])
        preamble, body_head = head[:offset], head[offset:]
        stream = _ByteChunks(memoryview(data)[start + len(preamble.encode("utf-8")) :])
    else:
        text = _decode(data, label, notes)
        del data
        offset, delimiter = _find_header(text, REQUIRED_COLUMNS[canonical][0])
        preamble, body_head = text[:offset], text[offset : offset + _HEAD]
        stream = _TextChunks(text[offset:])
        del text
    if not body_head or body_head.isspace():
        return REQUIRED_COLUMNS[canonical], iter(())
    header = _unique([column.strip().lstrip("\ufeff") for column in _header_fields(body_head, delimiter)])
    missing = [column for column in REQUIRED_COLUMNS[canonical] if _position(header, column) is None]
    if missing:
        raise ExportError(
            label,
            f"has no column {missing[0]!r}; take this file from the original "
            "LinkedIn export (found: " + ", ".join(map(repr, header[:8])) + ")",
        )
    name = PurePosixPath(label).name
    if not (preamble == "" or preamble.isspace()):
        notes.append(f"{name}: {len(_LINE_END.findall(preamble))} line(s) before its header row were not read")
    positions = {column: _position(header, column) for column in wanted}
    usecols = sorted({position for position in positions.values() if position is not None})
    return tuple(header), _chunks(stream, delimiter, usecols, positions, label)


def _chunks(
    stream: _ByteChunks | _TextChunks,
    delimiter: str,
    usecols: list[int],
    positions: dict[str, int | None],
    label: str,
) -> Iterator[pd.DataFrame]:
    """Yield the chunks pandas reads, each with the wanted columns under their wanted names."""
    rows = 0
    try:
        reader = pd.read_csv(
            stream,
            sep=delimiter,
            dtype=str,
            keep_default_na=False,
            na_filter=False,
            skip_blank_lines=True,
            engine="c",
            usecols=usecols,
            chunksize=CHUNK_ROWS,
            encoding="utf-8",
        )
        with reader:
            for chunk in reader:
                rows += len(chunk)
                by_position = dict(zip(usecols, chunk.columns))
                yield pd.DataFrame(
                    {
                        column: chunk[by_position[position]].astype(object)
                        if position is not None
                        else pd.Series("", index=chunk.index, dtype=object)
                        for column, position in positions.items()
                    }
                )
    except (pd.errors.ParserError, pd.errors.EmptyDataError, ValueError, UnicodeError) as error:
        detail = str(error).strip().splitlines()[-1] if str(error).strip() else type(error).__name__
        raise ExportError(label, f"is not a readable CSV file ({detail}); take this file from the original export")
    if not rows and stream.lost_rows():
        raise ExportError(label, "has lines but no readable rows; take this file from the original export")


def _position(header: list[str], wanted: str) -> int | None:
    """Return where a column is in a header (case and `_` for space ignored), None if absent."""
    folded = wanted.casefold().replace("_", " ")
    for index, column in enumerate(header):
        if column.casefold().replace("_", " ") == folded:
            return index
    return None


def _header_fields(body: str, delimiter: str) -> list[str]:
    """Return the fields of a body's first record, the header (quoted, maybe over several lines)."""
    try:
        return next(csv.reader(io.StringIO(body, newline=""), delimiter=delimiter), [])
    except csv.Error:
        return []


def _is_utf8(data: bytes | bytearray) -> bool:
    """Tell whether bytes are valid UTF-8, a slice at a time: the file is never held twice."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    view = memoryview(data)
    try:
        for start in range(0, len(view), _SLICE):
            decoder.decode(view[start : start + _SLICE], final=start + _SLICE >= len(view))
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    finally:
        view.release()
    return True


_NOT_SPACE_BYTES = re.compile(rb"\S")


class _ByteChunks(io.RawIOBase):
    """Hand a file's bytes to pandas chunk by chunk, without a copy of the whole file."""

    def __init__(self, view: memoryview) -> None:
        self._view, self._position = view, 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        count = min(len(buffer), len(self._view) - self._position)
        buffer[:count] = self._view[self._position : self._position + count]
        self._position += count
        return count

    def lost_rows(self) -> bool:
        """Tell whether anything but white space follows the header line (read when no row was)."""
        end = _LINE_END_BYTES.search(self._view)
        return end is not None and _NOT_SPACE_BYTES.search(self._view, end.end()) is not None


_LINE_END_BYTES = re.compile(rb"\r\n|\r|\n")
