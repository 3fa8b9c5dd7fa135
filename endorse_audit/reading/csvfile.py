"""Decode and read one CSV file of the export into a checked DataFrame of strings.

It knows the formats of shared/linkedin-export-format.md: BOMs, UTF-16 re-saves, Windows-1252, a
preamble before the header, comma, tab or semicolon delimiters, the columns each file must have.
What pandas reads is checked against the text: nothing may be dropped silently.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import PurePosixPath

import numpy as np
import pandas as pd

from endorse_audit.columns import Factoriser, distinct_codes, per_distinct, recoded
from endorse_audit.config import Limits
from endorse_audit.errors import ExportError, quoted
from endorse_audit.reading.archive import (
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
from endorse_audit.reading.csvtext import (
    CHUNK_ROWS,
    LINE_END,
    WIDER_ROWS,
    ByteChunks,
    TextChunks,
    check_width,
    chunk_rows,
    decode,
    find_header,
    opens_header,
    parse,
    utf8_body,
)

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


# The longest value LinkedIn lets anyone write in each column read, about five times over (LinkedIn's
# own limit in the comment). A longer value is no LinkedIn value: it is cut here, once, so that no
# later step (matching, the member's words, the outputs) pays for megabytes of one field.
_NAME, _SKILL, _URL, _SHORT_FIELD = 200, 400, 500, 100  # names 20/40, skills 80, profile links 128
FIELD_LIMITS: dict[str, dict[str, int]] = {
    SKILLS: {"Name": _SKILL},
    RECEIVED: {
        "Endorsement Date": _SHORT_FIELD,
        "Skill Name": _SKILL,
        "Endorser First Name": _NAME,
        "Endorser Last Name": _NAME,
        "Endorser Public Url": _URL,
        "Endorsement Status": _SHORT_FIELD,
    },
    GIVEN: {
        "Endorsement Date": _SHORT_FIELD,
        "Skill Name": _SKILL,
        "Endorsee First Name": _NAME,
        "Endorsee Last Name": _NAME,
        "Endorsee Public Url": _URL,
        "Endorsement Status": _SHORT_FIELD,
    },
    CONNECTIONS: {
        "First Name": _NAME,
        "Last Name": _NAME,
        "URL": _URL,
        "Connected On": _SHORT_FIELD,
        "Company": 500,  # 100
        "Position": 500,  # 100
    },
    RECOMMENDATIONS_RECEIVED: {"First Name": _NAME, "Last Name": _NAME},
    RECOMMENDATIONS_GIVEN: {"First Name": _NAME, "Last Name": _NAME},
    INVITATIONS: {
        "From": _NAME,
        "To": _NAME,
        "Sent At": _SHORT_FIELD,
        "Message": 1_500,  # 300
        "Direction": _SHORT_FIELD,
        "inviterProfileUrl": _URL,
        "inviteeProfileUrl": _URL,
    },
    PROFILE_FILE: {"First Name": _NAME, "Last Name": _NAME, "Headline": 1_100, "Summary": 13_000},  # 220, 2,600
    POSITIONS: {"Title": 500, "Description": 10_000},  # 100, 2,000
}
WHOLE_BYTES = 1024**2  # a file up to this size is parsed whole: at most some 25 MiB however it is padded
COLUMN_NAME_LIMIT = 100  # no LinkedIn column name is longer than 30 characters
CUT_MARK = "…"  # ends a cut value


def read_table(source: Source, canonical: str, limits: Limits, notes: list[str]) -> pd.DataFrame | None:
    """Read one CSV file into a DataFrame of strings with tidy, checked column names.

    None for an optional file that is empty (0 bytes, or only white space): it says nothing, so it
    is read as if the export did not have it (a note says so), never as "none of these".
    """
    label = source.name(canonical)
    name = PurePosixPath(label).name
    data = source.read(canonical, limits)
    size = len(data)
    required = REQUIRED_COLUMNS[canonical]
    # The endorsements (a hundred megabytes at a million rows) are parsed from their bytes when they are
    # UTF-8, as LinkedIn writes them: never held as text too.
    split = utf8_body(data, required[0], label) if canonical == RECEIVED else None
    open_body: Callable[[], ByteChunks | TextChunks]
    if split is not None and split.head.strip():
        preamble, delimiter, view, head = split.preamble, split.delimiter, split.body, split.head
        open_body = lambda: ByteChunks(view)  # noqa: E731
        rows = chunk_rows(data, delimiter, CHUNK_ROWS)
    else:
        text = decode(data, label, notes)
        del data, split  # only the text is needed from here: do not hold a large file twice
        offset, delimiter = find_header(text, required[0])
        body, preamble = text[offset:], text[:offset]
        if not body or body.isspace():
            if canonical == SKILLS:  # read as "no listed skills", it would make every endorsement one to hide
                raise ExportError(label, "is empty; take this file from the original export")
            if canonical == RECEIVED:
                notes.append(f"{name} is empty: read as no endorsements received")
                return pd.DataFrame(columns=list(required), dtype=object)
            notes.append(f"{name} is empty: read as if the export did not have it")
            return None
        if canonical == SKILLS and not opens_header(body, delimiter, required[0]) and (listed := _skill_lines(text)):
            notes.append(
                f"{name} has no header row: read as one skill per line ({len(listed)}, the first {quoted(listed[0])})"
            )
            return _cut(pd.DataFrame({"Name": listed}, dtype=object), canonical, name, 0, notes)
        open_body = lambda: TextChunks(body)  # noqa: E731
        head, rows = body, chunk_rows(body, delimiter, CHUNK_ROWS)
    check_width(head, delimiter, label)
    try:
        # The endorsements, and any file past WHOLE_BYTES, are factorised as they are read, a chunk of rows
        # at a time: a byte or two a field, never a string each, however many rows or (empty) fields.
        if canonical == RECEIVED or size > WHOLE_BYTES:
            table = _read_factorised(open_body, delimiter, rows)
        else:  # every real file but the endorsements and messages.csv: quicker whole
            table = parse(open_body(), delimiter)
    except (pd.errors.ParserError, pd.errors.EmptyDataError, ValueError, UnicodeError) as error:
        detail = str(error).strip().splitlines()[-1] if str(error).strip() else type(error).__name__
        if len(detail) > 200:  # pandas may quote the data
            detail = detail[:199] + CUT_MARK
        raise ExportError(label, f"is not a readable CSV file ({detail}); take this file from the original export")
    return _checked(table, preamble, open_body(), canonical, label, notes)


def _read_factorised(open_body: Callable[[], ByteChunks | TextChunks], delimiter: str, rows: int) -> pd.DataFrame:
    """Read a CSV in chunks of `rows` rows into a table of categorical columns, each factorised as it
    comes: the strings of one chunk's rows at a time, never of the whole file."""
    header: pd.Index | None = None
    columns: list[Factoriser] = []
    with parse(open_body(), delimiter, chunk_rows=rows) as chunks:
        for chunk in chunks:
            if not isinstance(chunk.index, pd.RangeIndex):  # pandas made the first field an index
                return pd.DataFrame(parse(open_body(), delimiter))  # read whole, for _checked to refuse
            if header is None:
                header, columns = chunk.columns, [Factoriser() for _ in chunk.columns]
            for position, column in enumerate(columns):
                column.add(chunk.iloc[:, position].to_numpy(dtype=object))
    if header is None:  # a header and no row
        return pd.DataFrame(parse(open_body(), delimiter))
    table = pd.DataFrame({position: column.categorical() for position, column in enumerate(columns)})
    table.columns = header
    return table


def _checked(
    table: pd.DataFrame, preamble: str, body: ByteChunks | TextChunks, canonical: str, label: str, notes: list[str]
) -> pd.DataFrame:
    """Check what pandas read against the text it came from: nothing may be dropped silently."""
    if not isinstance(table.index, pd.RangeIndex):  # pandas made the first field an index
        raise ExportError(label, WIDER_ROWS)
    header = [str(column).strip().lstrip("\ufeff") for column in table.columns]
    long_names = sum(len(column) > COLUMN_NAME_LIMIT for column in header)
    table.columns = unique_columns([_cut_text(column, COLUMN_NAME_LIMIT) for column in header])
    required = REQUIRED_COLUMNS[canonical]
    missing = [column for column in required if find_column(table, column) is None]
    if missing:
        raise ExportError(
            label,
            f"has no column {missing[0]!r}; take this file from the original "
            "LinkedIn export (found: " + ", ".join(map(quoted, table.columns[:8])) + ")",
        )
    name = PurePosixPath(label).name
    skipped = canonical != CONNECTIONS and not (preamble == "" or preamble.isspace())
    if table.empty and (skipped or body.lost_rows()):  # anything but white space after the header is lost
        raise ExportError(label, "has lines but no readable rows; take this file from the original export")
    if skipped:
        lines = len(LINE_END.findall(preamble))
        notes.append(f"{name}: {lines} line(s) before its header row were not read")
    # More line breaks than rows: some value spans lines (fine in a name), maybe a quote left open. The
    # text is counted only when some value holds a line break: else every break ends a row or a blank line.
    if canonical in (RECEIVED, SKILLS) and _holds_line_break(table):
        breaks = body.line_breaks()
        if canonical == RECEIVED and breaks > len(table) + 1:
            _refuse_runaway_quote(table, label)
        if canonical == SKILLS and breaks > len(table) + 1:
            _refuse_skill_over_lines(table, label)
    table = _without_header_rows(table, header, name, notes)
    if canonical in (SKILLS, RECEIVED) and len(table):
        column = column_name(table, "Name" if canonical == SKILLS else "Skill Name")
        blank = pd.Series(per_distinct(table[column], lambda value: not str(value).strip()), index=table.index)
        blank = blank.astype(bool)
        if blank.all():
            raise ExportError(
                label,
                f"has {len(table)} row(s) but no {quoted(column)} in any; take this file from the original export",
            )
        if canonical == RECEIVED and blank.any():
            notes.append(f"{int(blank.sum())} row(s) of {name} name no skill and were left out")
    return _cut(table, canonical, name, long_names, notes)


def _holds_line_break(table: pd.DataFrame) -> bool:
    """Tell whether any value of the table holds a line break (looked at once per distinct value)."""
    for column in table.columns:
        _, values = distinct_codes(table[column])
        text = "\x00".join(value for value in values if isinstance(value, str))
        if "\n" in text or "\r" in text:
            return True
    return False


def _lengths(values: np.ndarray) -> np.ndarray:
    """Return the length of each text (0 for a missing value)."""
    try:
        return np.fromiter(map(len, values), dtype=np.intp, count=len(values))
    except TypeError:  # a missing value (NaN) among them
        return np.array([len(value) if isinstance(value, str) else 0 for value in values], dtype=np.intp)


def _cut_text(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + CUT_MARK


def _cut(table: pd.DataFrame, canonical: str, name: str, cut_columns: int, notes: list[str]) -> pd.DataFrame:
    """Cut every value longer than FIELD_LIMITS allows (the columns the audit reads), with one note."""
    count, what = cut_columns, list[str]()
    for wanted, limit in FIELD_LIMITS[canonical].items():
        column = find_column(table, wanted)
        if column is None:
            continue
        values = table[column]
        codes, distinct = distinct_codes(values)
        long = (_lengths(distinct) > limit)[codes]
        if long.any():
            if isinstance(values.dtype, pd.CategoricalDtype):  # cut each distinct value once
                table[column] = recoded(values, [_cut_text(text, limit) for text in values.cat.categories])
            else:
                table.loc[long, column] = [_cut_text(text, limit) for text in values[long]]
            count += int(long.sum())
            what.append(f"{wanted} to {limit:,}")
    if count:
        if cut_columns:
            what.append(f"column names to {COLUMN_NAME_LIMIT}")
        notes.append(
            f"{name}: {count} value(s) far longer than LinkedIn allows were cut ({', '.join(what)} characters, "
            f"ending in {CUT_MARK})"
        )
    return table


def _without_header_rows(table: pd.DataFrame, header: list[str], name: str, notes: list[str]) -> pd.DataFrame:
    """Drop rows that repeat the header row (files pasted together), with a note."""
    if table.empty:
        return table
    wanted = ["" if _UNNAMED.fullmatch(column) else column for column in header]
    same = pd.Series(_is_text(table.iloc[:, 0], wanted[0]), index=table.index)
    if not same.any():
        return table
    for position in range(1, len(wanted)):
        candidates = table.loc[same, table.columns[position]].astype(object).fillna("").str.strip()
        same.loc[same] = (candidates == wanted[position]).to_numpy()
    if not same.any():
        return table
    notes.append(f"{name}: {int(same.sum())} row(s) repeating its header row were left out")
    return table[~same.to_numpy()].reset_index(drop=True)


def _is_text(column: pd.Series, wanted: str) -> np.ndarray:
    """Return which values are `wanted` once stripped (a missing value reads as ""), per distinct value."""
    codes, values = distinct_codes(column)
    texts = [value if isinstance(value, str) else "" for value in values]
    found: np.ndarray = (np.array(list(map(str.strip, texts)), dtype=object) == wanted)[codes]
    return found


_UNNAMED = re.compile(r"Unnamed: \d+")  # what pandas calls a column whose header cell is empty


_SWALLOWED = re.compile(r"[\r\n]\d{4}/\d{2}/\d{2} \d{2}:\d{2}:\d{2} UTC,")


def _refuse_runaway_quote(table: pd.DataFrame, label: str) -> None:
    """Refuse endorsements where a quote was opened and closed only rows later: pandas reads that
    silently, one value swallowing the rows after it (each opens with LinkedIn's date)."""
    for column in table.columns:
        swallowed = per_distinct(table[column], lambda value: bool(_SWALLOWED.search(str(value)))).astype(bool)
        if swallowed.any():
            raise ExportError(
                label,
                f"has a quote that is never closed ({quoted(str(column))} of row "
                f"{int(swallowed.argmax()) + 1} runs over the lines after it); "
                "take this file from the original export",
            )


def _refuse_skill_over_lines(table: pd.DataFrame, label: str) -> None:
    """Refuse listed skills where a quote was opened and closed only rows later: no skill name holds a
    line break, and pandas would silently read the rows between as one skill."""
    column = column_name(table, "Name")
    spans = table[column].astype(object).fillna("").str.contains(r"[\r\n]", regex=True).to_numpy()
    if spans.any():
        raise ExportError(
            label,
            f"has a quote that is never closed ({quoted(column)} of row {int(spans.argmax()) + 1} "
            "runs over the lines after it); take this file from the original export",
        )


_HEADER_LINE = re.compile(r'[ \t"\ufeff]*name[ \t"]*;?[ \t]*', re.IGNORECASE)


def _skill_lines(text: str) -> list[str] | None:
    """Return the skills of a Skills.csv written by hand without its header (one skill per line as
    written, a stray `;` at its end dropped), or None when it is not that: a line that looks like the
    header, or one with a delimiter or a quote, means a CSV file to read (or to refuse) as one."""
    lines = [line[:-1] if line.endswith(";") else line for line in LINE_END.split(text) if line.strip()]
    if any(_HEADER_LINE.fullmatch(line) or any(mark in line for mark in ',;\t"') for line in lines):
        return None
    return lines


def unique_columns(columns: list[str]) -> list[str]:
    """Return column names made unique as pandas does (`Name`, `Name.1`): the first one is read.

    Each name goes on from the number its spelling last took, so that n equal names cost n steps, not n².
    """
    seen: set[str] = set()
    taken: dict[str, int] = {}  # a spelling -> the last number tried for it
    result: list[str] = []
    for column in columns:
        unique, number = column, taken.get(column, 0)
        while unique in seen:
            number += 1
            unique = f"{column}.{number}"
        taken[column] = number
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
