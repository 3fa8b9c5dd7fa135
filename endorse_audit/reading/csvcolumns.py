"""Read a few columns of a large CSV file a chunk at a time (messages.csv: hundreds of MB of text, of
which only who and when are needed). The same safety as csvfile.read_table: the limits, the encodings,
the header found and checked; what is not read is never held.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import PurePosixPath

import pandas as pd

from endorse_audit.config import Limits
from endorse_audit.errors import ExportError
from endorse_audit.reading.archive import Source
from endorse_audit.reading.csvfile import REQUIRED_COLUMNS, unique_columns
from endorse_audit.reading.csvtext import (
    CHUNK_ROWS,
    HEAD,
    LINE_END,
    ByteChunks,
    TextChunks,
    check_width,
    chunk_rows,
    decode,
    find_header,
    parse,
    utf8_body,
)


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
    stream: ByteChunks | TextChunks
    split = utf8_body(data, REQUIRED_COLUMNS[canonical][0], label)
    if split is not None:
        preamble, body_head, delimiter = split.preamble, split.head, split.delimiter
        stream = ByteChunks(split.body)
        rows = chunk_rows(data, delimiter, CHUNK_ROWS)
    else:
        text = decode(data, label, notes)
        del data
        offset, delimiter = find_header(text, REQUIRED_COLUMNS[canonical][0])
        preamble, body_head = text[:offset], text[offset : offset + HEAD]
        stream = TextChunks(text[offset:])
        rows = chunk_rows(text, delimiter, CHUNK_ROWS)
        del text
    if not body_head or body_head.isspace():
        return REQUIRED_COLUMNS[canonical], iter(())
    check_width(body_head, delimiter, label)
    header = unique_columns([column.strip().lstrip("\ufeff") for column in _header_fields(body_head, delimiter)])
    missing = [column for column in REQUIRED_COLUMNS[canonical] if _position(header, column) is None]
    if missing:
        raise ExportError(
            label,
            f"has no column {missing[0]!r}; take this file from the original "
            "LinkedIn export (found: " + ", ".join(map(repr, header[:8])) + ")",
        )
    name = PurePosixPath(label).name
    if not (preamble == "" or preamble.isspace()):
        notes.append(f"{name}: {len(LINE_END.findall(preamble))} line(s) before its header row were not read")
    positions = {column: _position(header, column) for column in wanted}
    usecols = sorted({position for position in positions.values() if position is not None})
    return tuple(header), _chunks(stream, delimiter, rows, usecols, positions, label)


def _chunks(
    stream: ByteChunks | TextChunks,
    delimiter: str,
    per_chunk: int,
    usecols: list[int],
    positions: dict[str, int | None],
    label: str,
) -> Iterator[pd.DataFrame]:
    """Yield the chunks pandas reads, each with the wanted columns under their wanted names."""
    rows = 0
    try:
        reader = parse(stream, delimiter, chunk_rows=per_chunk, usecols=usecols)
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
