"""How a CSV file's bytes reach pandas: the encodings (BOMs, UTF-16 re-saves, Windows-1252), the header
found after a preamble, and the text or the bytes handed over a chunk at a time.

UTF-8, what LinkedIn writes, is parsed from the bytes as they are (pandas decodes each field): a large
file is never held as text too. Anything else is decoded first.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Any

import pandas as pd

from endorse_audit.errors import ExportError

LINE_END = re.compile(r"\r\n|\r|\n")
LINE_END_BYTES = re.compile(rb"\r\n|\r|\n")
_NOT_SPACE = re.compile(r"\S")
HEAD = 64 * 1024  # bytes looked at for the header (a preamble included)
CHUNK_ROWS = 100_000  # rows pandas hands over at a time: memory stays one chunk's worth of strings
# Fields pandas parses at a time, at most: it holds about 17 bytes for each (a row padded with empty
# cells has one a byte), so a chunk of them stays below 20 MiB however wide the rows are.
FIELD_BUDGET = 1_000_000
WIDEST_HEADER = 13  # LinkedIn's widest header: messages.csv since 2026, Profile.csv
COLUMN_LIMIT = 65  # five times over; a wider header is refused before any work per column
WIDER_ROWS = "has rows with more fields than its header has columns; take this file from the original export"
_SLICE = 4 * 1024 * 1024  # bytes validated as UTF-8 at a time
BINARY = "holds binary data, not CSV text; take this file from the original export"


def decode(data: bytes | bytearray, label: str, notes: list[str] | None = None) -> str:
    """Return the text of a CSV file, sniffing BOMs and UTF-16 without one.

    Text that is not UTF-8 is read as Windows-1252 (a superset of Latin-1), and `notes` says so.
    """
    encoding = encoding_of(data)
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError:
        if encoding not in ("utf-8", "utf-8-sig"):
            raise ExportError(label, f"is not valid {encoding} text; save it again as UTF-8 CSV")
        if b"\x00" in data:
            raise ExportError(label, BINARY)
        # With its BOM or without, text that is not UTF-8 is read the same way (Excel adds the BOM).
        text = str(memoryview(data)[3 if encoding == "utf-8-sig" else 0 :], "cp1252", "replace")
        if notes is not None:
            lost = text.count("\ufffd")
            notes.append(
                f"{PurePosixPath(label).name} is not UTF-8 text: it was read as Windows-1252 (Latin-1), "
                "check accented names" + (f"; {lost} byte(s) fit neither and show as \ufffd" if lost else "")
            )
    if "\x00" in text:
        raise ExportError(label, BINARY)
    return text


def encoding_of(data: bytes | bytearray) -> str:
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


LINE_END = re.compile(r"\r\n|\r|\n")


def _delimiter(line: str) -> str:
    """Return the delimiter a header line uses: comma, tab (Excel's UTF-16 text) or semicolon (Excel in
    much of Europe); a comma on a tie or when there is none."""
    counts = {delimiter: line.count(delimiter) for delimiter in (",", "\t", ";")}
    return max(counts, key=lambda delimiter: counts[delimiter])


def opens_header(text: str, delimiter: str, first_column: str) -> bool:
    """Tell whether the text's first field is the header's first column."""
    cell = LINE_END.split(text[:200], 1)[0].split(delimiter, 1)[0].strip().strip('"').strip().lstrip("\ufeff")
    return cell.casefold() == first_column.casefold()


def find_header(text: str, first_column: str) -> tuple[int, str]:
    """Return where the header row starts and the delimiter it uses.

    Files like Connections.csv have a preamble before the header: scan for it, do not skip lines.
    Only the first lines are looked at (a file may be a gigabyte).
    """
    offset = 0
    first_line = ""
    for index in range(20):
        found = LINE_END.search(text, offset)
        end = found.end() if found else len(text)
        line = text[offset:end]
        if index == 0:
            first_line = line
        delimiter = _delimiter(line)
        if opens_header(line, delimiter, first_column):
            return offset, delimiter
        if found is None:
            break
        offset = end
    return 0, _delimiter(first_line)


def parse(
    stream: ByteChunks | TextChunks, delimiter: str, *, chunk_rows: int | None = None, usecols: list[int] | None = None
) -> Any:
    """Return pandas' reading of a CSV text or UTF-8 bytes, every field a string: a DataFrame, or with
    `chunk_rows` a reader of such chunks; `usecols`: only these columns (by position)."""
    return pd.read_csv(
        stream,
        sep=delimiter,
        dtype=object,  # not `str`: the same dtype (and speed, memory) whether pyarrow is installed or not
        keep_default_na=False,
        na_filter=False,
        skip_blank_lines=True,
        engine="c",
        usecols=usecols,
        chunksize=chunk_rows,
        encoding="utf-8",  # of bytes; text is taken as it is
    )


def check_width(head: str, delimiter: str, label: str) -> None:
    """Refuse a header of more than COLUMN_LIMIT columns, or a first row wider than the header, before
    pandas parses anything (it does work for every column, and makes extra fields an index).

    Only the first HEAD characters from the header on are read: a record cut there counts what it shows.
    """
    widths: list[int] = []
    try:
        for record in csv.reader(io.StringIO(head[:HEAD], newline=""), delimiter=delimiter):
            if record:  # a blank line, as pandas skips it
                widths.append(len(record))
            if len(widths) == 2:
                break
    except csv.Error:  # pandas says what is wrong with the text
        pass
    if widths and widths[0] > COLUMN_LIMIT:
        raise ExportError(
            label,
            f"has more than {COLUMN_LIMIT} columns in its header (LinkedIn's have at most {WIDEST_HEADER}); "
            "take this file from the original export",
        )
    if len(widths) == 2 and widths[1] > widths[0]:
        raise ExportError(label, WIDER_ROWS)


def chunk_rows(text: str | bytes | bytearray, delimiter: str, most: int) -> int:
    """Return how many rows pandas may parse at a time: `most`, fewer when the rows hold so many fields
    on average that `most` rows would be more than FIELD_BUDGET fields (rows padded with empty cells)."""
    if isinstance(text, str):
        lines, fields = (text.count("\n") or text.count("\r")) + 1, text.count(delimiter)
    else:
        lines, fields = (text.count(b"\n") or text.count(b"\r")) + 1, text.count(delimiter.encode())
    return max(1, min(most, FIELD_BUDGET * lines // (fields + lines)))


@dataclass(frozen=True)
class Utf8Body:
    """A UTF-8 file split at its header: the text before it, the first bytes from it on, as text, and
    the bytes from the header on (a view: no copy)."""

    preamble: str
    head: str
    delimiter: str
    body: memoryview


def utf8_body(data: bytes | bytearray, first_column: str, label: str) -> Utf8Body | None:
    """Return a UTF-8 file (with its BOM or not) split at its header; None for any other encoding."""
    encoding = encoding_of(data)
    if encoding not in ("utf-8", "utf-8-sig") or not is_utf8(data):
        return None
    if data.find(b"\x00") >= 0:
        raise ExportError(label, BINARY)
    start = 3 if encoding == "utf-8-sig" else 0
    head = bytes(data[start : start + HEAD]).decode("utf-8", errors="ignore")  # a character cut at the end
    offset, delimiter = find_header(head, first_column)
    preamble = head[:offset]
    return Utf8Body(preamble, head[offset:], delimiter, memoryview(data)[start + len(preamble.encode("utf-8")) :])


class TextChunks(io.TextIOBase):
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
        end = LINE_END.search(self._text)
        return end is not None and _NOT_SPACE.search(self._text, end.end()) is not None

    def line_breaks(self) -> int:
        """Return how many line breaks the text holds (CR LF counted once)."""
        return self._text.count("\n") + self._text.count("\r") - self._text.count("\r\n")


def is_utf8(data: bytes | bytearray) -> bool:
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


class ByteChunks(io.RawIOBase):
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
        end = LINE_END_BYTES.search(self._view)
        return end is not None and _NOT_SPACE_BYTES.search(self._view, end.end()) is not None

    def line_breaks(self) -> int:
        """Return how many line breaks the bytes hold (CR LF counted once; UTF-8 has them as single bytes)."""
        return sum(1 for _ in LINE_END_BYTES.finditer(self._view))
