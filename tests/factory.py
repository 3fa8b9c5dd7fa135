"""Build synthetic LinkedIn data exports (made-up people only) in the exact real format."""

from __future__ import annotations

import csv
import io
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path

# Headers exactly as LinkedIn writes them (see /work/shared/linkedin-export-format.md).
SKILLS_HEADER = ["Name"]
RECEIVED_HEADER = [
    "Endorsement Date",
    "Skill Name",
    "Endorser First Name",
    "Endorser Last Name",
    "Endorser Public Url",
    "Endorsement Status",
]
RECEIVED_HEADER_OLD = [
    "Endorsement Date",
    "Skill Name",
    "Endorser First Name",
    "Endorser Last Name",
    "Endorsement Status",
]
GIVEN_HEADER = [
    "Endorsement Date",
    "Skill Name",
    "Endorsee First Name",
    "Endorsee Last Name",
    "Endorsee Public Url",
    "Endorsement Status",
]
GIVEN_HEADER_OLD = [
    "Endorsement Date",
    "Skill Name",
    "Endorsee First Name",
    "Endorsee Last Name",
    "Endorsement Status",
]
CONNECTIONS_HEADER = ["First Name", "Last Name", "URL", "Email Address", "Company", "Position", "Connected On"]
CONNECTIONS_HEADER_OLD = ["First Name", "Last Name", "Email Address", "Company", "Position", "Connected On"]
CONNECTIONS_PREAMBLE = (
    "Notes:\n"
    '"When exporting your connection data, you may notice that some of the email addresses are missing. ..."\n'
    "\n"
)
INVITATIONS_HEADER_2018 = ["From", "To", "Sent At", "Message", "Direction"]
INVITATIONS_HEADER_URL = INVITATIONS_HEADER_2018 + ["inviterProfileUrl", "inviteeProfileUrl"]
INVITATIONS_HEADER_URN = INVITATIONS_HEADER_2018 + ["inviterProfileUrn", "inviteeProfileUrn"]
PROFILE_HEADER = [
    "First Name",
    "Last Name",
    "Maiden Name",
    "Address",
    "Birth Date",
    "Headline",
    "Summary",
    "Industry",
    "Zip Code",
    "Geo Location",
    "Twitter Handles",
    "Websites",
    "Instant Messengers",
]
POSITIONS_HEADER = ["Company Name", "Title", "Description", "Location", "Started On", "Finished On"]
MESSAGES_HEADER_2023 = [
    "CONVERSATION ID",
    "CONVERSATION TITLE",
    "FROM",
    "SENDER PROFILE URL",
    "TO",
    "RECIPIENT PROFILE URLS",
    "DATE",
    "SUBJECT",
    "CONTENT",
    "FOLDER",
]
MESSAGES_HEADER_2026 = MESSAGES_HEADER_2023 + ["ATTACHMENTS", "IS MESSAGE DRAFT", "IS CONVERSATION DRAFT"]
RECOMMENDATIONS_HEADER = ["First Name", "Last Name", "Company", "Job Title", "Text", "Creation Date", "Status"]

# Unrelated files every zip carries, so readers must pick files by name, not by count or position.
UNRELATED_FILES: dict[str, str] = {
    "Rich_Media.csv": "Date/Time,Media Description,Media Link\n",
    "Jobs/Saved Jobs.csv": (
        "Saved Date,Job Url,Job Title,Company Name\n"
        '"3/8/24, 4:55 AM",http://www.linkedin.com/jobs/view/3851200417,Staff Data Engineer,Larkspur Freight\n'
    ),
}

CANONICAL_ORDER = [
    "Connections.csv",
    "Endorsement_Given_Info.csv",
    "Endorsement_Received_Info.csv",
    "Invitations.csv",
    "messages.csv",
    "Positions.csv",
    "Profile.csv",
    "Recommendations_Given.csv",
    "Recommendations_Received.csv",
    "Skills.csv",
]
NAME_STYLES = ("canonical", "lower", "spaces")
ENCODINGS = ("utf-8", "utf-8-sig", "utf-16-tab")
DEFAULT_ZIP_TIME = (2024, 3, 18, 14, 5, 0)

# "Magic + version + 'Mac OS X' filler + one Finder-info entry": enough to look like AppleDouble junk.
APPLEDOUBLE = (
    b"\x00\x05\x16\x07\x00\x02\x00\x00"
    + b"Mac OS X        "
    + b"\x00\x01"
    + b"\x00\x00\x00\x09\x00\x00\x00\x32\x00\x00\x00\x20"
    + b"\x00" * 32
)
MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


@dataclass
class Person:
    """A made-up LinkedIn member; `slug` None means no profile URL (old exports, closed accounts)."""

    first: str
    last: str
    slug: str | None


@dataclass
class Row:
    """One endorsement received."""

    date: str
    skill: str
    endorser: Person
    status: str = "ACCEPTED"


@dataclass
class Message:
    """One row of messages.csv: who wrote to whom, when, and (made-up) text the tool must never keep."""

    conversation: str
    sender: Person
    recipients: list[Person]
    date: str  # "2026-03-09 13:00:43 UTC"
    content: str
    title: str = ""
    subject: str = ""
    folder: str = "INBOX"
    draft: bool = False


@dataclass
class Recommendation:
    """One row of Recommendations_Received.csv or Recommendations_Given.csv."""

    person: Person
    company: str
    title: str
    text: str
    created: str  # as LinkedIn writes it: "03/18/24, 02:02 PM"
    status: str = "VISIBLE"


@dataclass
class ExportSpec:
    """Everything one synthetic export holds; None fields produce no file."""

    skills: list[str]
    received: list[Row]
    given: list[tuple[str, str, Person, str]] | None = None
    connections: list[tuple[Person, str, str, str]] | None = None
    hidden_connections: int = 0
    invitations: list[tuple[str, str, str, str, str, str | None, str | None]] | None = None
    profile: tuple[str, str, str, str] | None = None
    # (company, title, description), optionally followed by (location, started on, finished on).
    positions: list[tuple[str, ...]] | None = None
    messages: list[Message] | None = None
    recommendations_received: list[Recommendation] | None = None
    recommendations_given: list[Recommendation] | None = None


def _csv_text(rows: list[list[str]], *, final_newline: bool = True) -> str:
    """Write rows with minimal quoting and LF, as LinkedIn does."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerows(rows)
    text = buf.getvalue()
    return text if final_newline else text[:-1]


def endorsement_url(slug: str | None) -> str:
    """Return the endorsement-file form of a profile URL (no scheme, no slash)."""
    return f"www.linkedin.com/in/{slug}" if slug else ""


def profile_url(slug: str | None) -> str:
    """Return the Connections/Invitations form of a profile URL (with https://)."""
    return f"https://www.linkedin.com/in/{slug}" if slug else ""


def invitation(
    member: Person, other: Person, direction: str, sent_at: str = "3/9/26, 1:00 PM", message: str = ""
) -> tuple[str, str, str, str, str, str | None, str | None]:
    """Return one row of ExportSpec.invitations between the member and someone else, either way."""
    me, them = _full_name(member), _full_name(other)
    mine, url = profile_url(member.slug), profile_url(other.slug)
    if direction == "INCOMING":
        return (them, me, sent_at, message, direction, url, mine)
    return (me, them, sent_at, message, direction, mine, url)


def member_urn(url: str | None) -> str:
    """Return a stable made-up `urn:li:member:<digits>` for a profile URL."""
    if not url:
        return ""
    return f"urn:li:member:{100_000_000 + zlib.crc32(url.encode('utf-8')) % 900_000_000}"


def connected_on_2018(date: str, index: int) -> str:
    """Convert "08 Feb 2024" into the 2018 form "2/8/24, 6:14 PM" (time made up from `index`)."""
    day, mon, year = date.split()
    month = MONTHS.index(mon) + 1
    hour = (index * 5 + 6) % 12 + 1
    minute = (index * 17 + 14) % 60
    half = "PM" if index % 3 else "AM"
    return f"{month}/{int(day)}/{year[-2:]}, {hour}:{minute:02d} {half}"


def _full_name(person: Person) -> str:
    return f"{person.first} {person.last}".strip()


def messages_text(messages: list[Message], style: str = "2026") -> str:
    """Return messages.csv: from 2026 every field quoted (CONTENT holds commas, quotes, newlines), no final
    newline; in 2023 minimal quoting and no draft columns. Recipients' names are joined by ",", their
    links by ";"."""
    header = MESSAGES_HEADER_2026 if style == "2026" else MESSAGES_HEADER_2023
    rows: list[list[str]] = [header]
    for m in messages:
        row = [
            m.conversation,
            m.title,
            _full_name(m.sender),
            profile_url(m.sender.slug),
            ",".join(_full_name(p) for p in m.recipients),
            ";".join(profile_url(p.slug) for p in m.recipients if p.slug),
            m.date,
            m.subject,
            m.content,
            m.folder,
        ]
        if style == "2026":
            row += ["", "Yes" if m.draft else "No", "No"]
        rows.append(row)
    if style == "2026":
        buf = io.StringIO()
        csv.writer(buf, lineterminator="\n", quoting=csv.QUOTE_ALL).writerows(rows)
        return buf.getvalue()[:-1]
    return _csv_text(rows)


def recommendations_text(recommendations: list[Recommendation]) -> str:
    rows = [RECOMMENDATIONS_HEADER] + [
        [r.person.first, r.person.last, r.company, r.title, r.text, r.created, r.status] for r in recommendations
    ]
    return _csv_text(rows)


def export_files(
    spec: ExportSpec,
    *,
    old_header: bool = False,
    connections_style: str = "2024",
    invitations_style: str = "url",
    messages_style: str = "2026",
) -> dict[str, str]:
    """Return {canonical file name: CSV text} for the spec, in LinkedIn's exact format."""
    if connections_style not in ("2024", "2021", "2018"):
        raise ValueError(f"unknown connections_style {connections_style!r}")
    if invitations_style not in ("url", "urn", "2018"):
        raise ValueError(f"unknown invitations_style {invitations_style!r}")
    files: dict[str, str] = {}
    files["Skills.csv"] = _csv_text([SKILLS_HEADER] + [[s] for s in spec.skills])

    def endorsement_rows(header: list[str], items: list[tuple[str, str, Person, str]]) -> list[list[str]]:
        rows = [header]
        for date, skill, person, status in items:
            url = [] if old_header else [endorsement_url(person.slug)]
            rows.append([date, skill, person.first, person.last, *url, status])
        return rows

    received = [(r.date, r.skill, r.endorser, r.status) for r in spec.received]
    files["Endorsement_Received_Info.csv"] = _csv_text(
        endorsement_rows(RECEIVED_HEADER_OLD if old_header else RECEIVED_HEADER, received)
    )
    if spec.given is not None:
        files["Endorsement_Given_Info.csv"] = _csv_text(
            endorsement_rows(GIVEN_HEADER_OLD if old_header else GIVEN_HEADER, spec.given)
        )

    if spec.connections is not None:
        rows: list[list[str]] = []
        for i, (person, company, position, connected_on) in enumerate(spec.connections):
            if connections_style == "2024":
                rows.append([person.first, person.last, profile_url(person.slug), "", company, position, connected_on])
            else:
                when = connected_on if connections_style == "2021" else connected_on_2018(connected_on, i)
                rows.append([person.first, person.last, "", company, position, when])
        hidden_date = "03 Oct 2025" if connections_style != "2018" else "10/3/25, 9:41 AM"
        width = len(CONNECTIONS_HEADER if connections_style == "2024" else CONNECTIONS_HEADER_OLD)
        rows += [[""] * (width - 1) + [hidden_date] for _ in range(spec.hidden_connections)]
        if connections_style == "2024":
            files["Connections.csv"] = CONNECTIONS_PREAMBLE + _csv_text(
                [CONNECTIONS_HEADER] + rows, final_newline=False
            )
        else:
            files["Connections.csv"] = _csv_text([CONNECTIONS_HEADER_OLD] + rows)

    if spec.invitations is not None:
        header = {"url": INVITATIONS_HEADER_URL, "urn": INVITATIONS_HEADER_URN, "2018": INVITATIONS_HEADER_2018}[
            invitations_style
        ]
        inv_rows = [header]
        for sender, recipient, sent_at, message, direction, inviter, invitee in spec.invitations:
            row = [sender, recipient, sent_at, message, direction]
            if invitations_style == "url":
                row += [inviter or "", invitee or ""]
            elif invitations_style == "urn":
                row += [member_urn(inviter), member_urn(invitee)]
            inv_rows.append(row)
        files["Invitations.csv"] = _csv_text(inv_rows)

    if spec.profile is not None:
        first, last, headline, summary = spec.profile
        files["Profile.csv"] = _csv_text([PROFILE_HEADER, [first, last, "", "", "", headline, summary] + [""] * 6])

    if spec.positions is not None:
        pos_rows = [POSITIONS_HEADER]
        for pos in spec.positions:
            pos_rows.append(list(pos) + [""] * (len(POSITIONS_HEADER) - len(pos)))
        files["Positions.csv"] = _csv_text(pos_rows)
    if spec.messages is not None:
        files["messages.csv"] = messages_text(spec.messages, messages_style)
    if spec.recommendations_received is not None:
        files["Recommendations_Received.csv"] = recommendations_text(spec.recommendations_received)
    if spec.recommendations_given is not None:
        files["Recommendations_Given.csv"] = recommendations_text(spec.recommendations_given)
    return files


def encode(text: str, encoding: str = "utf-8", *, crlf: bool = False) -> bytes:
    """Encode CSV text the way LinkedIn ("utf-8") or an Excel re-save ("utf-8-sig", "utf-16-tab") would."""
    if encoding not in ENCODINGS:
        raise ValueError(f"unknown encoding {encoding!r}; use one of {ENCODINGS}")
    if encoding == "utf-16-tab":
        rows = list(csv.reader(io.StringIO(text, newline="")))
        buf = io.StringIO()
        csv.writer(buf, delimiter="\t", lineterminator="\r\n").writerows(rows)
        # Explicit BOM + LE so the bytes do not depend on the machine's byte order.
        return b"\xff\xfe" + buf.getvalue().encode("utf-16-le")
    if crlf:
        # Re-write rather than str.replace: newlines inside quoted fields stay LF, as Excel leaves them.
        rows = list(csv.reader(io.StringIO(text, newline="")))
        buf = io.StringIO()
        csv.writer(buf, lineterminator="\r\n").writerows(rows)
        text = buf.getvalue()
    return text.encode(encoding)


def member_name(name: str, name_style: str) -> str:
    """Return the file name a given naming style uses for a canonical export file name."""
    if name_style == "canonical":
        return name
    if name_style == "lower":
        return name.lower()
    if name_style == "spaces":
        return name.replace("_", " ")
    raise ValueError(f"unknown name_style {name_style!r}; use one of {NAME_STYLES}")


def _members(
    spec: ExportSpec,
    *,
    name_style: str,
    encoding: str,
    crlf: bool,
    old_header: bool,
    connections_style: str,
    invitations_style: str,
    messages_style: str = "2026",
) -> dict[str, bytes]:
    """Return {path inside the export: bytes}, spec files and unrelated files mixed in name order."""
    files = export_files(
        spec,
        old_header=old_header,
        connections_style=connections_style,
        invitations_style=invitations_style,
        messages_style=messages_style,
    )
    out = {
        member_name(name, name_style): encode(files[name], encoding, crlf=crlf)
        for name in CANONICAL_ORDER
        if name in files
    }
    out.update({name: encode(text, encoding, crlf=crlf) for name, text in UNRELATED_FILES.items()})
    return dict(sorted(out.items(), key=lambda kv: kv[0].lower()))


def write_zip(
    spec: ExportSpec,
    path: Path,
    *,
    wrap_folder: str | None = None,
    macosx: bool = False,
    name_style: str = "canonical",
    encoding: str = "utf-8",
    crlf: bool = False,
    old_header: bool = False,
    connections_style: str = "2024",
    invitations_style: str = "url",
    messages_style: str = "2026",
    extra_members: dict[str, bytes] | None = None,
    fixed_time: tuple[int, int, int, int, int, int] = DEFAULT_ZIP_TIME,
) -> Path:
    """Write the export as a zip at `path` and return `path`; the bytes depend only on the arguments.

    `extra_members` are added verbatim at the names given (not under `wrap_folder`).
    """
    members = _members(
        spec,
        name_style=name_style,
        encoding=encoding,
        crlf=crlf,
        old_header=old_header,
        connections_style=connections_style,
        invitations_style=invitations_style,
        messages_style=messages_style,
    )
    prefix = f"{wrap_folder.strip('/')}/" if wrap_folder else ""
    path.parent.mkdir(parents=True, exist_ok=True)

    def add(zf: zipfile.ZipFile, name: str, data: bytes) -> None:
        info = zipfile.ZipInfo(name, date_time=fixed_time)
        info.compress_type = zipfile.ZIP_DEFLATED
        is_dir = name.endswith("/")
        info.external_attr = ((0o40755 if is_dir else 0o100644) << 16) | (0x10 if is_dir else 0)
        info.create_system = 3  # Unix, so the mode bits above mean what they say
        zf.writestr(info, data)

    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        # A Finder re-zip lists its folders as entries; LinkedIn's own zip does not.
        dirs: list[str] = []
        if prefix:
            subdirs = {prefix + name.rsplit("/", 1)[0] + "/" for name in members if "/" in name}
            dirs = [prefix, *sorted(subdirs)]
        for d in dirs:
            add(zf, d, b"")
        for name, data in members.items():
            add(zf, prefix + name, data)
            if macosx:
                folder, _, base = (prefix + name).rpartition("/")
                junk = f"__MACOSX/{folder}/._{base}" if folder else f"__MACOSX/._{base}"
                add(zf, junk, APPLEDOUBLE)
        for name, data in (extra_members or {}).items():
            add(zf, name, data)
    return path


def write_folder(
    spec: ExportSpec,
    path: Path,
    *,
    wrap_folder: str | None = None,
    name_style: str = "canonical",
    encoding: str = "utf-8",
    crlf: bool = False,
    old_header: bool = False,
    connections_style: str = "2024",
    invitations_style: str = "url",
    messages_style: str = "2026",
) -> Path:
    """Write the export as an extracted folder under `path` and return `path`."""
    members = _members(
        spec,
        name_style=name_style,
        encoding=encoding,
        crlf=crlf,
        old_header=old_header,
        connections_style=connections_style,
        invitations_style=invitations_style,
        messages_style=messages_style,
    )
    root = path / wrap_folder if wrap_folder else path
    for name, data in members.items():
        target = root / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    return path


def demo_spec() -> ExportSpec:
    """A small made-up profile used by many tests."""
    priya = Person("Priya", "Raman, PhD", "priya-raman-4b2a17")
    tomas = Person("Tomás", "Okafor", "tomasokafor")
    elif_ = Person("Elif", "Laloğlu", "elif-laloğlu-62c0a9")
    hannah = Person("Hannah", "Brooks ", "hannah-brooks-19e7f3")  # trailing space, as seen in exports
    kwame = Person("Kwame", "Asante", "kwame-asante-a81d44")  # the bulk endorser
    yuki = Person("Yuki", "Morimoto", "yukimorimoto")
    rafael = Person("Rafael", "Duarte", None)  # no URL
    ingrid = Person("Ingrid", "Solberg", "ingrid-solberg-0f3b6e")
    me = Person("Sam", "Rivera", "sam-rivera-5d21c8")  # the member

    bulk = "2023/05/09 21:47:12 UTC"
    received = [
        Row("2025/11/02 08:15:40 UTC", "Data Analysis", priya),
        Row("2025/06/21 17:03:11 UTC", "Python (Programming Language)", ingrid),
        Row("2025/06/21 17:02:58 UTC", "SQL", ingrid),
        Row("2024/03/18 14:02:51 UTC", "Data Analysis", hannah),
        Row("2024/03/18 13:59:06 UTC", "Python", elif_),
        Row("2024/01/30 10:44:27 UTC", "Stakeholder Management", tomas),
        Row("2023/10/05 19:20:33 UTC", "Economics ", yuki),
        Row("2023/10/05 19:20:01 UTC", "Data Visualization", yuki),
        Row(bulk, "Web Design", kwame),
        Row(bulk, "php", kwame),
        Row(bulk, "adobe xd", kwame),
        Row(bulk, "Salesforce.com", kwame),
        Row(bulk, "Python (Programming Language)", kwame),
        Row(bulk, "Reserarch", kwame),
        Row("2022/12/14 09:31:18 UTC", "SQL", rafael),
        Row("2022/12/14 09:30:52 UTC", "Tableau", rafael),
        Row("2022/08/03 16:12:45 UTC", "Stakeholder Management", priya),
        Row("2022/02/11 11:05:09 UTC", "Data Visualisation", tomas),
        Row("2021/09/27 20:48:36 UTC", "Python (Programming Language)", priya),
        Row("2021/09/27 20:48:21 UTC", "Statistics", priya),
        Row("2021/04/16 07:55:02 UTC", "Excel", hannah),
        Row("2020/11/08 15:26:44 UTC", "Tableau", elif_),
        Row("2020/07/19 12:09:13 UTC", "Microsoft Excel", tomas),
        Row("2019/12/02 18:37:50 UTC", "Data Analysis", ingrid),
        Row("2019/05/23 08:01:29 UTC", "Economics ", hannah),
    ]
    return ExportSpec(
        skills=[
            "Data Analysis",
            "Python (Programming Language)",
            "SQL",
            "Stakeholder Management",
            "Data Visualization",
            "Tableau",
            "Statistics",
            "Microsoft Excel",
            "Responsive Web Design",
            "css3 ",
        ],
        received=received,
        given=[
            ("2024/02/02 12:10:05 UTC", "Kubernetes", tomas, "ACCEPTED"),
            ("2023/06/14 08:45:39 UTC", "User Research", elif_, "ACCEPTED"),
            ("2016/05/02 09:14:07 UTC", "Kubernetes", yuki, "PENDING"),
        ],
        connections=[
            (priya, "Northwind Analytics, Inc.", "Director of People Ops", "08 Feb 2024"),
            (tomas, "Harbor & Pine", "Platform Engineer", "17 Jun 2019"),
        ],
        hidden_connections=1,
        invitations=[
            (
                "Dana Whitfield",
                "Sam Rivera",
                "3/9/26, 1:00 PM",
                "",
                "INCOMING",
                "https://www.linkedin.com/in/danawhitfield",
                "https://www.linkedin.com/in/sam-rivera-5d21c8",
            ),
            (
                "Sam Rivera",
                "Kwame Asante",
                "2/27/26, 8:42 AM",
                "Hi Kwame, great meeting you at the Lisbon meetup, let's stay in touch!",
                "OUTGOING",
                "https://www.linkedin.com/in/sam-rivera-5d21c8",
                "https://www.linkedin.com/in/kwame-asante-a81d44",
            ),
            (
                "Lucía Fernández",
                "Sam Rivera",
                "1/15/26, 6:05 PM",
                "",
                "INCOMING",
                "https://www.linkedin.com/in/lucia-fernandez-7b3e90",
                "https://www.linkedin.com/in/sam-rivera-5d21c8",
            ),
        ],
        messages=[
            Message(
                "2-ZGVtby1oYW5uYWg=",
                me,
                [hannah],
                "2026-01-12 09:15:02 UTC",
                'Hi Hannah, thanks for the "quick" intro, see you Monday,\nSam',
            ),
            Message("2-ZGVtby1oYW5uYWg=", hannah, [me], "2026-01-12 10:02:47 UTC", "Sure! 👋\n\nHannah"),
            Message(
                "2-ZGVtby1ncm91cA==",
                kwame,
                [me, tomas],
                "2025-09-30 18:20:11 UTC",
                'Lisbon meetup notes: "slides", code, and a,b,c\r\nthat\'s all',
                title="Lisbon meetup",
            ),
            Message("2-ZGVtby15dWtp", me, [yuki], "2025-05-01 08:00:00 UTC", "draft, never sent", draft=True),
        ],
        recommendations_received=[
            Recommendation(
                tomas, "Harbor & Pine", "Platform Engineer", "Sam is careful, and kind.", "03/18/24, 02:02 PM"
            )
        ],
        recommendations_given=[
            Recommendation(
                ingrid, "Fjordline", "Analyst", "Ingrid writes clear SQL,\nand clearer notes.", "05/02/25, 09:10 AM"
            )
        ],
        profile=(
            "Sam",
            "Rivera",
            "Data Analyst | Python, SQL, Tableau",
            "I turn messy spreadsheets into decisions.\nMostly Python and SQL; some Tableau.",
        ),
        positions=[
            (
                "Harbor & Pine",
                "Senior Data Analyst",
                "Built SQL pipelines and Tableau dashboards.",
                "Lisbon, Portugal",
                "Mar 2022",
                "",
            ),
            (
                "Northwind Analytics, Inc.",
                "Data Analyst",
                "Python reporting, stakeholder management.",
                "Porto, Portugal",
                "Sep 2019",
                "Feb 2022",
            ),
        ],
    )


# --- A real-size export -------------------------------------------------------------------------

REAL_FIRST = [
    "Priya", "Tomás", "Elif", "Hannah", "Kwame", "Yuki", "Rafael", "Ingrid", "Adaeze", "Mehmet", "Sofía", "Kenji",
    "Liesel", "Rahul", "Chiara", "Oluwaseun", "Grzegorz", "Mai", "Fatima", "Björn", "Tamar", "Diego", "Aroha",
    "Jiahui", "Siobhán", "Hamid", "Nadia", "Emeka", "Samira", "Lukas", "Ana", "Omar", "Zoë", "Ravi", "Marta",
]  # fmt: skip
REAL_LAST = [
    "Raman, PhD", "Okafor", "Laloğlu", "Brooks", "Asante", "Morimoto", "Duarte", "Solberg", "Okonkwo, MBA",
    "Karaoğlu", "Herrera", "Watanabe", "Brandt", "Deshpande", "Moretti", "Bankole", "Wiśniewski", "Nguyen",
    "Al-Sayed", "Halvorsen", "Ben-David", "Castillo", "Ngata", "Lin", "O'Connell", "Rostami", "Petrova",
]  # fmt: skip
REAL_LISTED = [
    f"{area} {craft}"
    for area in ("Data", "Product", "Change", "Risk", "Vendor", "Process", "Team", "Budget", "Quality", "Client")
    for craft in ("Analysis", "Management", "Strategy", "Planning", "Reporting", "Design", "Governance",
                  "Operations", "Modelling", "Leadership")
]  # fmt: skip
REAL_UNLISTED = [
    "Business Process Improvement", "Cross-functional Team Leadership", "Customer Relationship Management (CRM)",
    "Microsoft Office", "Public Speaking", "Event Planning", "Social Media Marketing", "Negotiation",
    "Adobe Photoshop", "Blockchain", "Sales Pitching", "Salesforce.com", "Web Design", "php", "Leadership",
    "Teamwork", "Research", "Editing", "Fundraising", "Coaching", "Marketing Strategy", "Copywriting",
    "Entrepreneurship", "Start-ups", "Management Consulting", "Strategic Partnerships", "Customer Service",
    "Retail", "Hospitality", "Logistics", "Supply Chain Management", "Recruiting", "Human Resources (HR)",
    "Accounting", "Tax", "Real Estate", "Photography", "Video Editing", "Java", "C++",
]  # fmt: skip


def real_size_spec(seed: int = 7) -> ExportSpec:
    """A made-up export at the size of a busy member's real one: 3,500 connections, 1,528 requests
    received without a note (and 59 with one), 300 sent without one, 950 endorsements received of which
    80 are for skills never listed, 100 listed skills, 250 messages, 150 endorsements given (50 pending)."""
    import random

    rng = random.Random(seed)
    months = MONTHS

    def person(index: int) -> Person:
        first, last = REAL_FIRST[index % len(REAL_FIRST)], REAL_LAST[(index // len(REAL_FIRST)) % len(REAL_LAST)]
        return Person(first, last, f"{first.lower()}-{index:05d}-{zlib.crc32(str(index).encode()):08x}")

    connections = [
        (person(i), f"Company {i % 400}", f"Position {i % 90}", f"{1 + i % 28:02d} {months[i % 12]} {2012 + i % 14}")
        for i in range(3_500)
    ]
    people = [p for p, *_ in connections]
    strangers = [person(10_000 + i) for i in range(150)]
    received = []
    for index in range(950):
        unlisted = index % 12 == 0
        skill = REAL_UNLISTED[rng.randrange(len(REAL_UNLISTED))] if unlisted else rng.choice(REAL_LISTED)
        who = rng.choice(strangers) if rng.random() < 0.15 else rng.choice(people[:900])
        stamp = (
            f"{2014 + index % 12}/{1 + index % 12:02d}/{1 + index % 28:02d} {index % 24:02d}:{index % 60:02d}:07 UTC"
        )
        received.append(Row(stamp, skill, who))
    received.sort(key=lambda row: row.date, reverse=True)
    me = "https://www.linkedin.com/in/sam-rivera-5d21c8"
    invitations: list[tuple[str, str, str, str, str, str | None, str | None]] = []
    for i in range(1_587):
        sender = person(20_000 + i)
        note = "Hello, we met at the meetup." if i % 27 == 0 else ""
        sent = f"{1 + i % 12}/{1 + i % 28}/{15 + i % 11}, {1 + i % 12}:{i % 60:02d} PM"
        invitations.append((f"{sender.first} {sender.last}", "Sam Rivera", sent, note, "INCOMING",
                            profile_url(sender.slug), me))  # fmt: skip
    for i in range(300):
        to = people[i * 7]
        invitations.append(("Sam Rivera", f"{to.first} {to.last}", f"{1 + i % 12}/{1 + i % 28}/19, 9:00 AM", "",
                            "OUTGOING", me, profile_url(to.slug)))  # fmt: skip
    sam = Person("Sam", "Rivera", "sam-rivera-5d21c8")
    messages = [
        Message(f"conv-{i}", people[i * 3], [sam], f"2025-0{1 + i % 9}-1{i % 10} 09:00:00 UTC", "Thanks!")
        for i in range(250)
    ]
    given = [
        (f"2020/0{1 + i % 9}/1{i % 10} 10:00:00 UTC", rng.choice(REAL_UNLISTED), people[i * 5],
         "PENDING" if i % 3 == 0 else "ACCEPTED")
        for i in range(150)
    ]  # fmt: skip
    return ExportSpec(
        skills=list(REAL_LISTED),
        received=received,
        given=given,
        connections=connections,
        hidden_connections=40,
        invitations=invitations,
        profile=("Sam", "Rivera", "Data Analyst | Change Strategy", "I turn messy spreadsheets into decisions."),
        positions=[
            ("Harbor & Pine", "Senior Data Analyst", "Data Analysis and Risk Reporting.", "Lisbon", "Mar 2022", "")
        ],
        messages=messages,
    )
