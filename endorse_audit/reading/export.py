"""Read a LinkedIn data export into an `Export`: the listed skills, the endorsements received as a
table, and the plain records of the enriching files (connections, invitations, given endorsements,
the member's own words).

The only module that knows what LinkedIn's files hold and how it writes dates (see
shared/linkedin-export-format.md); archive.py opens the export, csvfile.py reads each file.
"""

from __future__ import annotations

import dataclasses
import re
from collections import Counter
from collections.abc import Iterable
from datetime import date, datetime
from pathlib import Path

import numpy as np
import pandas as pd

from endorse_audit.columns import factorize_text, per_distinct
from endorse_audit.config import Limits
from endorse_audit.errors import ExportError, shortened
from endorse_audit.model import Coded, Connection, Export, GivenEndorsement, Invitation, MessageParty, Recommendation
from endorse_audit.names.people import fold_name, identity, slugs
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
    choose_export,
    export_date,
    open_export,
)
from endorse_audit.reading.csvcolumns import read_columns
from endorse_audit.reading.csvfile import column_name, find_column, read_table, text_column

LINKEDIN_STATUSES = ("ACCEPTED", "PENDING", "REJECTED", "HIDDEN", "DELETED", "CLOSED", "UNKNOWN")
_LINKEDIN_DATE = r"^(\d{4})/(\d{2})/(\d{2}) (\d{2}:\d{2}:\d{2}) UTC$"
_DATE = re.compile(_LINKEDIN_DATE)


def read_export(path: Path, limits: Limits) -> Export:
    """Read the export the user named: a zip, its folder, or a folder of zips (the newest, with a note)."""
    chosen, choice_note = choose_export(path)
    loaded = load(chosen, limits)
    if loaded.date is None and chosen.is_dir():  # a wrapping folder inside the dated one the user named
        between = chosen.parents[: len(chosen.parents) - len(path.parents)]
        dated = next((day for folder in between if (day := export_date(folder.name)) is not None), None)
        loaded = dataclasses.replace(loaded, date=dated)
    if choice_note:
        return _with_note(loaded, choice_note)
    return loaded


def _with_note(export: Export, note: str) -> Export:
    return dataclasses.replace(export, notes=(note, *export.notes))


def load(path: Path, limits: Limits = Limits()) -> Export:
    """Read the export at `path` (a zip or an extracted folder) into an Export."""
    source = open_export(path, limits)
    if not source.members:
        raise ExportError(
            source.label,
            "is not a LinkedIn data export (it holds none of its files, such as Skills.csv); "
            "give the export zip LinkedIn sent you, or the folder it was extracted to",
        )
    if SKILLS not in source.members:
        raise ExportError(
            source.label,
            f"has no {SKILLS}; is this the whole LinkedIn data export? (the skills you list are in {SKILLS}: "
            "without it there is nothing to compare the endorsements with)",
        )
    if RECEIVED not in source.members:
        raise ExportError(
            source.label,
            f"has no {RECEIVED}; is this a LinkedIn data export? "
            "(an export without endorsements has no endorsement file: nothing to audit)",
        )
    notes: list[str] = []
    read = {name: read_table(source, name, limits, notes) for name in source.members if name != MESSAGES}
    tables = {name: table for name, table in read.items() if table is not None}  # an empty file: as if absent
    headers = {name: tuple(table.columns) for name, table in tables.items()}
    profile = tables.get(PROFILE_FILE)
    invitations = _invitations(tables.get(INVITATIONS))
    member_name, member_slug = _profile_field(profile, "First Name", "Last Name"), _member_slug(invitations)
    messages = None
    if MESSAGES in source.members:  # hundreds of MB: only who and when are read, a chunk at a time
        headers[MESSAGES], chunks = read_columns(source, MESSAGES, _MESSAGE_COLUMNS, limits, notes)
        messages = _messages(chunks, notes, member_slug or "", fold_name(member_name or ""))
    skills, received = read[SKILLS], read[RECEIVED]
    assert skills is not None and received is not None  # read_table raises or reads these two
    listed = tuple(name for name in skills[column_name(skills, "Name")] if name.strip())
    endorsements, coded = _endorsements(received, notes)
    connections, connection_names = _connections(tables.get(CONNECTIONS))
    name_date = export_date(source.label)
    return Export(
        path=source.label,
        date=name_date,
        listed_skills=listed,
        endorsements=endorsements,
        connections=connections,
        connection_names=connection_names,
        member_name=member_name,
        files={name: source.name(name) for name in headers},
        headers=dict(sorted(headers.items())),
        notes=tuple(notes),
        content_hash=source.digest,
        has_connections=CONNECTIONS in tables,
        hidden_connections=_hidden_connections(tables.get(CONNECTIONS)),
        member_slug=member_slug,
        headline=_profile_field(profile, "Headline"),
        about=_profile_field(profile, "Summary"),
        positions=_positions(tables.get(POSITIONS)),
        employers=_employers(tables.get(POSITIONS)),
        invitations=invitations,
        given=_given(tables.get(GIVEN)),
        people=_people(tables.get(CONNECTIONS)),
        messages=messages,
        recommendations=_recommendations(tables.get(RECOMMENDATIONS_RECEIVED), tables.get(RECOMMENDATIONS_GIVEN)),
        read_paths=source.paths(),
        coded=coded,
    )


def _iso_dates(dates: pd.Series) -> pd.Series:
    """Return LinkedIn's `YYYY/MM/DD HH:MM:SS UTC` dates as `YYYY-MM-DDTHH:MM:SSZ`, others as written.

    Dates in the exact ASCII shape are checked and rewritten as one array of bytes, all at once; any
    other text of a length the pattern can match goes through `_iso_date` one by one.
    """
    texts = dates.to_numpy(dtype=object)
    result = texts.copy()
    lengths = np.fromiter(map(len, texts), dtype=np.intp, count=len(texts))
    shaped = np.flatnonzero(lengths == _DATE_LENGTH)
    joined = "".join(texts[shaped]).encode("utf-8")
    if len(joined) != len(shaped) * _DATE_LENGTH:  # some date holds a character beyond ASCII: one by one
        shaped = shaped[[text.isascii() for text in texts[shaped]]]
        joined = "".join(texts[shaped]).encode("ascii")
    chars = np.frombuffer(joined, dtype=np.uint8).reshape(-1, _DATE_LENGTH)
    template = np.frombuffer(b"0000/00/00 00:00:00 UTC", dtype=np.uint8)
    digit = template == ord("0")
    ascii_shape = ((chars[:, digit] - ord("0")) <= 9).all(axis=1) & (chars[:, ~digit] == template[~digit]).all(axis=1)

    def number(start: int, width: int) -> np.ndarray:
        found = np.zeros(len(chars), dtype=np.int32)
        for position in range(start, start + width):
            found = found * 10 + (chars[:, position].astype(np.int32) - ord("0"))
        return found

    year, month, day = number(0, 4), number(5, 2), number(8, 2)
    leap = (year % 4 == 0) & ((year % 100 != 0) | (year % 400 == 0))
    month_days = np.array([0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31])[np.clip(month, 0, 12)] + (
        leap & (month == 2)
    )
    valid = (
        ascii_shape
        & (year >= 1)
        & (month >= 1)
        & (month <= 12)
        & (day >= 1)
        & (day <= month_days)
        & (number(11, 2) <= 23)
        & (number(14, 2) <= 59)
        & (number(17, 2) <= 59)
    )
    iso = np.empty((int(valid.sum()), 20), dtype=np.uint8)
    iso[:, :19] = chars[valid, :19]
    iso[:, [4, 7]], iso[:, 10], iso[:, 19] = ord("-"), ord("T"), ord("Z")
    rewritten = iso.tobytes().decode("ascii")
    result[shaped[valid]] = [rewritten[start : start + 20] for start in range(0, len(rewritten), 20)]
    # Anything else the pattern might match (digits of other scripts, a line break after UTC): one by one.
    odd = (lengths == _DATE_LENGTH) | (lengths == _DATE_LENGTH + 1)
    odd[shaped[valid]] = False
    odd = np.flatnonzero(odd)
    result[odd] = [_iso_date(text) for text in texts[odd]]
    return pd.Series(result, index=dates.index, dtype=object)


_DATE_LENGTH = len("2024/03/18 09:30:00 UTC")


def _iso_date(text: str) -> str:
    """Return one date as `_DATE.sub(r"\\1-\\2-\\3T\\4Z", text)` would, without its per-call template work.

    A date in LinkedIn's shape that no calendar has (`2024/13/45 99:99:99 UTC`) is kept as written.
    """
    found = _DATE.match(text)
    if found is None:
        return text
    try:
        datetime(int(found[1]), int(found[2]), int(found[3]), int(text[11:13]), int(text[14:16]), int(text[17:19]))
    except ValueError:
        return text
    return f"{text[0:4]}-{text[5:7]}-{text[8:10]}T{text[11:19]}Z{text[found.end() :]}"


def _endorsements(table: pd.DataFrame, notes: list[str]) -> tuple[pd.DataFrame, dict[str, Coded]]:
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
    skills, skill_codes = factorize_text(table[column_name(table, "Skill Name")])
    endorsers = pd.Series(names, dtype=object).str.strip()
    distinct_slugs = slugs(urls).to_numpy(dtype=object)
    ids = [identity("", name) for name in endorsers]
    # Who each row is from: its slug, else its name's identity; coded by (url, name) pair, so per distinct pair.
    id_codes, id_pairs = pd.factorize(url_codes.astype(np.int64) * len(ids) + pair_codes)
    id_values = np.where(
        distinct_slugs[id_pairs // len(ids)] != "",
        distinct_slugs[id_pairs // len(ids)],
        np.asarray(ids, dtype=object)[id_pairs % len(ids)],
    )
    coded = {
        "date": Coded(date_codes, dates.to_numpy(dtype=object)),
        "skill": Coded(skill_codes, skills.to_numpy(dtype=object)),
        "endorser": Coded(pair_codes, endorsers.to_numpy(dtype=object)),
        "slug": Coded(url_codes, distinct_slugs),
        "status": Coded(status_codes, statuses.str.upper().to_numpy(dtype=object)),
        "endorser_id": Coded(id_codes, id_values.astype(object)),
    }
    keep = (skills.str.strip() != "").to_numpy()[skill_codes]
    if not keep.all():
        coded = {name: Coded(column.codes[keep], column.values) for name, column in coded.items()}
    result = pd.DataFrame({name: column.values[column.codes] for name, column in coded.items()}, dtype=object)
    unknown = sorted(set(result["status"].unique()) - {"", *LINKEDIN_STATUSES})
    if unknown:
        shown = ", ".join(shortened(text) for text in unknown[:_SHOWN])
        more = f" and {len(unknown) - _SHOWN} more" if len(unknown) > _SHOWN else ""
        notes.append("unknown endorsement status(es) kept as they are: " + shown + more)
    return result, coded


_SHOWN = 10  # values a note lists, at most


def _stripped(table: pd.DataFrame, wanted: str) -> tuple[pd.Series, np.ndarray]:
    """Return a column's distinct values stripped and each row's position in them ("" without the column)."""
    found = find_column(table, wanted)
    if found is None:
        return pd.Series([""], dtype=object), np.zeros(len(table), dtype=np.intp)
    distinct, codes = factorize_text(table[found])
    return pd.Series([text.strip() for text in distinct.tolist()], dtype=object), codes


def _connections(table: pd.DataFrame | None) -> tuple[dict[str, str], dict[str, str]]:
    """Return connection dates by profile slug and by folded full name."""
    if table is None or table.empty:
        return {}, {}
    names = (text_column(table, "First Name") + " " + text_column(table, "Last Name")).map(fold_name)
    connected = text_column(table, "Connected On")
    by_slug = dict(zip(slugs(text_column(table, "URL")), connected))
    by_slug.pop("", None)
    by_name = {name: on for name, on in zip(names, connected) if name}
    return by_slug, by_name


def _hidden_connections(table: pd.DataFrame | None) -> int:
    """Count Connections.csv rows that hold only a date: members who hid or closed their profile."""
    if table is None or table.empty:
        return 0
    names = text_column(table, "First Name") + text_column(table, "Last Name")
    return int(((names == "") & (text_column(table, "Connected On") != "")).sum())


def _profile_field(table: pd.DataFrame | None, *columns: str) -> str | None:
    """Return Profile.csv's first row's columns joined by a space; None without the file."""
    if table is None:
        return None
    if table.empty:
        return ""
    return " ".join(text_column(table, column).iloc[0] for column in columns).strip()


def _positions(table: pd.DataFrame | None) -> tuple[tuple[str, str], ...] | None:
    if table is None:
        return None
    return tuple(zip(text_column(table, "Title"), text_column(table, "Description")))


def _employers(table: pd.DataFrame | None) -> tuple[tuple[str, str], ...]:
    """Return the member's companies in Positions.csv, each with the day its "Finished On" ("Feb 2022", "2022")
    begins as "YYYY-MM-DD"; "" for a current position (or a date in no format LinkedIn uses)."""
    if table is None:
        return ()
    found = zip(text_column(table, "Company Name"), text_column(table, "Finished On"))
    return tuple((company, _month(finished)) for company, finished in found if company)


def _month(text: str) -> str:
    for form in ("%b %Y", "%Y"):
        try:
            return datetime.strptime(text, form).date().isoformat()
        except ValueError:
            continue
    return ""


def _invitations(table: pd.DataFrame | None) -> tuple[Invitation, ...] | None:
    """Return the connection requests; slugs come from the URL columns (the 2023 URN ones have none)."""
    if table is None:
        return None
    columns = [text_column(table, name) for name in ("From", "To", "Sent At", "Message", "Direction")]
    sender_slugs = slugs(text_column(table, "inviterProfileUrl"))
    recipient_slugs = slugs(text_column(table, "inviteeProfileUrl"))
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
    dates = _iso_dates(text_column(table, "Endorsement Date"))
    endorsees = (text_column(table, "Endorsee First Name") + " " + text_column(table, "Endorsee Last Name")).str.strip()
    return tuple(
        GivenEndorsement(*row)
        for row in zip(
            dates,
            table[column_name(table, "Skill Name")].astype(object).fillna(""),
            endorsees,
            slugs(text_column(table, "Endorsee Public Url")),
            text_column(table, "Endorsement Status").str.upper(),
        )
    )


def _people(table: pd.DataFrame | None) -> tuple[Connection, ...]:
    """Return Connections.csv's people (rows with a name), with their "Connected On" read as a date."""
    if table is None or table.empty:
        return ()
    first, last = text_column(table, "First Name"), text_column(table, "Last Name")
    names = (first + " " + last).str.strip()
    dates: dict[str, date | None] = {}  # a few distinct days: each read once
    return tuple(
        Connection(
            name, slug, company, position, on, dates[on] if on in dates else dates.setdefault(on, connected_on(on))
        )
        for name, slug, company, position, on in zip(
            names,
            slugs(text_column(table, "URL")),
            text_column(table, "Company"),
            text_column(table, "Position"),
            text_column(table, "Connected On"),
        )
        if name
    )


def connected_on(text: str) -> date | None:
    """Return Connections.csv's "08 Feb 2024" (2021 on) or "1/8/18, 6:14 PM" (2018) as a date, else None."""
    for form in ("%d %b %Y", "%m/%d/%y, %I:%M %p"):
        try:
            return datetime.strptime(text.strip(), form).date()
        except ValueError:
            continue
    return None


# messages.csv: who and when, never what. "IS MESSAGE DRAFT" came later ("Yes" for an unsent draft).
_MESSAGE_COLUMNS = ("FROM", "SENDER PROFILE URL", "TO", "RECIPIENT PROFILE URLS", "DATE", "IS MESSAGE DRAFT")
_MESSAGE_DATE = re.compile(r"^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2}) UTC$")
_SEPARATORS = re.compile(r"[,;]")  # between the names of TO, and the links of RECIPIENT PROFILE URLS
_NAME_PARTS = 4  # a name holds at most this many comma-separated parts ("Raman, PhD, MBA")


def _messages(
    chunks: Iterable[pd.DataFrame], notes: list[str], member_slug: str, member_name: str
) -> tuple[MessageParty, ...]:
    """Return who appears on the messages, sender and recipients apart, with how many, when, and who wrote.

    Rows are summed per distinct (names, links, who wrote) as they stream past: a conversation repeats
    them on every message, so what is kept is small however large the file. The member wrote a row when
    its sender is the member (by profile link where both have one, else by name; Invitations.csv and
    Profile.csv tell who the member is); when neither file tells, every message to someone counts as the
    member's, and a note says so.
    """
    if not member_slug and not member_name:
        notes.append(
            "messages.csv: who you are is not in the export (no Profile.csv or Invitations.csv), so every message"
            " to a connection counts as yours"
        )
    pieces: list[pd.DataFrame] = []
    drafts = odd_dates = 0
    for chunk in chunks:
        draft = chunk["IS MESSAGE DRAFT"].str.strip().str.casefold().isin(("yes", "true"))
        if draft.any():
            drafts += int(draft.sum())
            chunk = chunk[~draft]
        dates = chunk["DATE"].str.strip()
        odd_dates += int((~dates.str.match(_MESSAGE_DATE)).sum())
        # Dates ranked (LinkedIn's format sorts as text): the latest is then a maximum of integers.
        ranks, ranked = pd.factorize(dates.to_numpy(dtype=object), sort=True)
        by_member = _from_member(chunk["FROM"], chunk["SENDER PROFILE URL"], member_slug, member_name)
        wrote = np.where(by_member, "member", "another").astype(object)
        for names, links, who in (("FROM", "SENDER PROFILE URL", "they"), ("TO", "RECIPIENT PROFILE URLS", wrote)):
            rows = pd.DataFrame({"names": chunk[names], "links": chunk[links], "wrote": who, "rank": ranks})
            summed = rows.groupby(["names", "links", "wrote"], sort=False)["rank"].agg(["size", "max"])
            summed["last"] = np.asarray(ranked, dtype=object)[summed["max"].to_numpy()]
            pieces.append(summed[["size", "last"]].reset_index())
    empty = pd.DataFrame(columns=["names", "links", "wrote", "size", "last"])
    parts = pd.concat(pieces, ignore_index=True) if pieces else empty
    parts["rank"], last_dates = pd.factorize(parts["last"].to_numpy(dtype=object), sort=True)
    total = parts.groupby(["names", "links", "wrote"], sort=False).agg(size=("size", "sum"), rank=("rank", "max"))
    counts = {
        (str(name_text), str(link_text), str(who)): (int(size), str(last_dates[rank]))
        for (name_text, link_text, who), size, rank in zip(total.index, total["size"], total["rank"])
    }
    if drafts:
        notes.append(f"messages.csv: {drafts} unsent draft(s) were not counted as messages")
    if odd_dates:
        notes.append(f"messages.csv: {odd_dates} row(s) have a date not in LinkedIn's format (read anyway)")
    every_link = sorted({link for _, text, _ in counts for link in _SEPARATORS.split(text) if link.strip()})
    slug_of = dict(zip(every_link, slugs(pd.Series(every_link, dtype=object)))) if every_link else {}
    parties = [
        MessageParty(
            _name_runs(name_text),
            tuple(sorted({slug_of[link] for link in _SEPARATORS.split(link_text) if link.strip()} - {""})),
            count,
            _iso_message_date(last),
            who,  # type: ignore[arg-type]
        )
        for (name_text, link_text, who), (count, last) in counts.items()
    ]
    parties.sort(key=lambda p: (p.slugs, p.names, p.wrote, p.last, p.messages))
    return tuple(parties)


def _from_member(names: pd.Series, links: pd.Series, member_slug: str, member_name: str) -> np.ndarray:
    """Return which rows the member sent: by profile link where the row and the member both have one, else by
    name; every row when the export does not say who the member is."""
    if not member_slug and not member_name:
        return np.ones(len(names), dtype=bool)
    sender_slugs = slugs(links).to_numpy(dtype=object)
    by_name = per_distinct(names, lambda name: fold_name(str(name)) == member_name).astype(bool)
    has_slug = (sender_slugs != "") & bool(member_slug)
    return np.where(has_slug, sender_slugs == member_slug, by_name & bool(member_name))


def _name_runs(text: str) -> tuple[str, ...]:
    """Return the folded names a TO (or FROM) field may hold: names are joined by commas, and a name may
    hold commas itself ("Priya Raman, PhD"), so every run of up to _NAME_PARTS neighbouring parts counts."""
    parts = _SEPARATORS.split(text)
    runs = {
        fold_name(",".join(parts[start:end]))
        for start in range(len(parts))
        for end in range(start + 1, min(len(parts), start + _NAME_PARTS) + 1)
    }
    runs.discard("")
    return tuple(sorted(runs))


def _iso_message_date(text: str) -> str:
    """Return messages.csv's "2026-03-09 13:00:43 UTC" as "2026-03-09T13:00:43Z", others as written."""
    return _MESSAGE_DATE.sub(r"\1T\2Z", text)


def _recommendations(received: pd.DataFrame | None, given: pd.DataFrame | None) -> tuple[Recommendation, ...] | None:
    """Return the recommendations both ways (names only); None when neither file is in the export."""
    if received is None and given is None:
        return None
    found: list[Recommendation] = []
    for table, direction in ((received, "received"), (given, "given")):
        if table is None:
            continue
        names = (text_column(table, "First Name") + " " + text_column(table, "Last Name")).str.strip()
        created = text_column(table, "Creation Date")  # "03/18/24, 02:02 PM", as Connected On in 2018
        found += [
            Recommendation(name, direction, connected_on(when))  # type: ignore[arg-type]
            for name, when in zip(names, created)
            if name
        ]
    return tuple(found)
