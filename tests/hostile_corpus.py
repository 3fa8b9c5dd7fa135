"""Build the corpus of broken and hostile exports (made-up people only), each with what the CLI must do.

Every case writes one export (zip, folder, or something that is neither) into a folder of its own and
names the exit status and the exact stderr line `endorse-audit audit` must give for it. In the
expected text `{export}` stands for the path audited and `{folder}` for the case's folder.

    python tests/hostile_corpus.py OUTDIR     # write every case under OUTDIR, with OUTDIR/cases.json

tests/test_hostile.py runs every case through the CLI; the property tests live in test_properties.py.
"""

from __future__ import annotations

import bz2
import csv
import io
import json
import os
import random
import struct
import sys
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import factory

RECEIVED = "Endorsement_Received_Info.csv"
SKILLS = "Skills.csv"
ZIP_NAME = "Basic_LinkedInDataExport_03-18-2024.zip"
NOT_A_FILE_OR_FOLDER = "is neither a file nor a folder; give the LinkedIn export zip or its folder"
MIB = 1024**2


@dataclass(frozen=True)
class Case:
    """One broken or hostile export and what the CLI must answer."""

    name: str
    what: str  # the threat, in words
    build: Callable[[Path], Path]  # writes the export into the folder given, returns the path to audit
    exit_code: int
    stderr: str = ""  # the exact line without "Error: " and without the newline; "" for a run that works
    args: tuple[str, ...] = ()  # more arguments after EXPORT
    stdout_has: tuple[str, ...] = ()  # text the summary must show (runs that work)
    slow: bool = False  # takes seconds (pytest marks it slow)

    def argv(self, export: Path, folder: Path) -> list[str]:
        return ["audit", str(export), *(_fill(arg, export, folder) for arg in self.args)]

    def expected_stderr(self, export: Path, folder: Path) -> str:
        return f"Error: {_fill(self.stderr, export, folder)}\n" if self.stderr else ""


def _fill(text: str, export: Path, folder: Path) -> str:
    return text.replace("{export}", str(export)).replace("{folder}", str(folder))


# --- Building blocks -----------------------------------------------------------------------------


def demo_files() -> dict[str, bytes]:
    """Return the demo export's files (canonical name -> bytes) as LinkedIn writes them."""
    return {name: text.encode("utf-8") for name, text in factory.export_files(factory.demo_spec()).items()}


def write_zip(path: Path, files: dict[str, bytes], *, method: int = zipfile.ZIP_DEFLATED) -> Path:
    """Write `files` (member name -> bytes) as a zip, in the order given."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(path, "w", method) as archive:
        for name, data in files.items():
            archive.writestr(zipfile.ZipInfo(name, date_time=factory.DEFAULT_ZIP_TIME), data, method)
    return path


def write_tree(root: Path, files: dict[str, bytes]) -> Path:
    """Write `files` (relative path -> bytes) under `root`, an extracted export."""
    for name, data in files.items():
        target = root / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    return root


def csv_bytes(
    rows: list[list[str]],
    *,
    encoding: str = "utf-8",
    delimiter: str = ",",
    newline: str = "\n",
    quoting: int = csv.QUOTE_MINIMAL,
) -> bytes:
    """Return rows as CSV text, encoded; minimal quoting, as LinkedIn writes its files.

    Minimal quoting leaves a lone CR unquoted when lines end in LF (Python's csv module quotes only
    what its own line ending holds): write text holding CRs with `quoting=csv.QUOTE_ALL`.
    """
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter, lineterminator=newline, quoting=quoting).writerows(rows)
    return out.getvalue().encode(encoding)


def demo_rows(name: str) -> list[list[str]]:
    """Return one demo file as rows (its header first)."""
    return list(csv.reader(io.StringIO(demo_files()[name].decode("utf-8"))))


@dataclass(frozen=True)
class Raw:
    """One member of a zip written byte by byte: what zipfile will not write (bombs, lies, encryption)."""

    name: str
    payload: bytes  # the bytes stored in the archive (compressed and maybe encrypted)
    file_size: int  # the size the headers declare once inflated
    crc: int
    method: int = zipfile.ZIP_STORED
    flags: int = 0x800  # names in UTF-8
    mode: int = 0o100644  # Unix mode: a regular file
    compressed_size: int | None = None  # what the headers claim the payload's size is (default: the truth)


def stored(name: str, data: bytes, **options: int) -> Raw:
    """Return a member stored as it is (no compression)."""
    return Raw(name, data, len(data), zlib.crc32(data), **options)


def raw_zip(path: Path, members: list[Raw]) -> Path:
    """Write a zip byte by byte: local headers and data, the central directory, its end record."""
    body, directory = bytearray(), bytearray()
    for member in members:
        name = member.name.encode("utf-8")
        offset = len(body)
        claimed = len(member.payload) if member.compressed_size is None else member.compressed_size
        sizes = (member.crc, claimed, member.file_size)
        body += struct.pack("<4s5H3L2H", b"PK\x03\x04", 20, member.flags, member.method, 0, 0x21, *sizes, len(name), 0)
        body += name + member.payload
        directory += struct.pack(
            "<4s6H3L5H2L",
            b"PK\x01\x02",
            (3 << 8) | 20,  # made on Unix, so the mode bits mean what they say
            20,
            member.flags,
            member.method,
            0,
            0x21,
            *sizes,
            len(name),
            0,
            0,
            0,
            0,
            member.mode << 16,
            offset,
        )
        directory += name
    count = min(len(members), 0xFFFF)  # zipfile reads the directory by its size, not this count
    end = struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, count, count, len(directory), len(body), 0)
    path.write_bytes(bytes(body + directory + end))
    return path


def demo_raw() -> list[Raw]:
    return [stored(name, data) for name, data in demo_files().items()]


def zeros_deflated(mebibytes: int) -> bytes:
    """Return a raw deflate stream of `mebibytes` MiB of zeros, built without inflating them all.

    After a full flush the compressor's output for each further MiB of zeros is the same bytes.
    """
    chunk = bytes(MIB)
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    first = compressor.compress(chunk) + compressor.flush(zlib.Z_FULL_FLUSH)
    repeated = compressor.compress(chunk) + compressor.flush(zlib.Z_FULL_FLUSH)
    return first + repeated * (mebibytes - 1) + compressor.flush()


CRC_OF_2_GIB_OF_ZEROS = 0x4DBDF21C  # zlib.crc32 over 2 GiB of zero bytes (takes a second to compute)


def zipcrypto(data: bytes, password: bytes, crc: int) -> bytes:
    """Encrypt a member the traditional PKWARE way (what `zip -e` does), 12-byte header included."""
    keys = [0x12345678, 0x23456789, 0x34567890]

    def crc_byte(value: int, byte: int) -> int:
        return zlib.crc32(bytes([byte]), value ^ 0xFFFFFFFF) ^ 0xFFFFFFFF

    def update(byte: int) -> None:
        keys[0] = crc_byte(keys[0], byte)
        keys[1] = ((keys[1] + (keys[0] & 0xFF)) * 134775813 + 1) & 0xFFFFFFFF
        keys[2] = crc_byte(keys[2], keys[1] >> 24)

    for byte in password:
        update(byte)
    out = bytearray()
    for byte in bytes(random.Random(5).randrange(256) for _ in range(11)) + bytes([crc >> 24]) + data:
        temp = (keys[2] | 2) & 0xFFFF
        out.append(byte ^ (((temp * (temp ^ 1)) >> 8) & 0xFF))
        update(byte)
    return bytes(out)


def large_export(path: Path, rows: int) -> Path:
    """Write a zip of `rows` made-up endorsements (300 skills, a third of them listed) at `path`."""
    skills = [f"Skill {i}" for i in range(300)]
    body = io.StringIO()
    body.write(",".join(factory.RECEIVED_HEADER) + "\n")
    for i in range(rows):
        body.write(
            f"2024/03/18 14:02:51 UTC,{skills[i % 300]},First{i},Last{i},www.linkedin.com/in/person-{i:07d},ACCEPTED\n"
        )
    files = {SKILLS: ("Name\n" + "\n".join(skills[:100]) + "\n").encode(), RECEIVED: body.getvalue().encode()}
    return write_zip(path, files)


def write_config(folder: Path, text: str) -> None:
    (folder / "limits.toml").write_text(text, encoding="utf-8")


# --- Hostile text --------------------------------------------------------------------------------

# Skill names, names and URLs that try to run, hide or reorder something in one of the outputs.
HOSTILE_SKILLS = (
    "\x1b[31mRed\x1b[0m \x1b[2J",  # ANSI: recolour, clear the screen
    "Evil\u202eexe.txt",  # a right-to-left override
    "<script>alert(1)</script>",
    "</script><script>alert(2)</script>",
    '=HYPERLINK("http://example.invalid/x","click")',
    "+SUM(1,2)",
    "-2+3",
    "@cmd",
    "\tTabbed",
    "\rCarriage",
    "Zero\u200bwidth\u200d\ufeff",
    "{{ 7 * 7 }} {% raw %}",
    "javascript:alert(3)",
    "&amp; &lt;b&gt; \"quotes\" 'single'",
    "\x1b]0;new title\x07\x08\x7f\x9b31m",  # OSC title, backspace, DEL, an 8-bit CSI
)
HOSTILE_PEOPLE = (
    ("<img src=x onerror=alert(1)>", '"><svg onload=alert(2)>'),
    ("\u2066Isolated\u2069", "\u202dOverride\u202c"),
    ("=cmd|' /C calc'!A0", "@SUM(A1)"),
    ("\x1b[1;32mGreen", "Name\x1b[0m"),
)
HOSTILE_URLS = (
    "javascript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    'www.linkedin.com/in/"><script>alert(1)</script>',
    "https://www.linkedin.com/in/ok-slug/../../evil",
)
HOSTILE_STATUS = "\x1b[2JWIPED"


def hostile_rows() -> list[list[str]]:
    """Return endorsement rows carrying every hostile text above; the first skills get the most rows."""
    rows = [factory.RECEIVED_HEADER]
    for index, skill in enumerate(HOSTILE_SKILLS):
        for copy in range(max(1, 6 - index)):  # so that the first ones are the "most to hide" in the summary
            first, last = HOSTILE_PEOPLE[(index + copy) % len(HOSTILE_PEOPLE)]
            url = HOSTILE_URLS[(index + copy) % len(HOSTILE_URLS)]
            rows.append([f"2024/01/{1 + copy:02d} 10:00:00 UTC", skill, first, last, url, "ACCEPTED"])
    rows.append(
        ["2024/02/01 10:00:00 UTC", "Python", "Plain", "Person", "www.linkedin.com/in/plain-person", HOSTILE_STATUS]
    )
    return rows


def hostile_export(folder: Path) -> Path:
    files = demo_files()
    files[RECEIVED] = csv_bytes(hostile_rows(), quoting=csv.QUOTE_ALL)
    files[SKILLS] = csv_bytes([["Name"], ["Python"], ["<b>Listed</b>"]])
    return write_zip(folder / ZIP_NAME, files)


# --- The cases -----------------------------------------------------------------------------------


def _demo_zip(folder: Path, replace: dict[str, bytes] | None = None, extra: dict[str, bytes] | None = None) -> Path:
    files = demo_files()
    files.update(replace or {})
    files.update(extra or {})
    return write_zip(folder / ZIP_NAME, files)


def _not_a_zip(folder: Path) -> Path:
    path = folder / ZIP_NAME
    path.write_text("Hello, this is a note someone saved with the wrong name.\n")
    return path


def _csv_given(folder: Path) -> Path:
    path = folder / SKILLS
    path.write_bytes(demo_files()[SKILLS])
    return path


def _truncated(folder: Path) -> Path:
    whole = _demo_zip(folder)
    whole.write_bytes(whole.read_bytes()[: len(whole.read_bytes()) // 2])
    return whole


def _empty_file(folder: Path) -> Path:
    path = folder / ZIP_NAME
    path.write_bytes(b"")
    return path


def _empty_zip(folder: Path) -> Path:
    return write_zip(folder / ZIP_NAME, {})


def _with_member(name: str) -> Callable[[Path], Path]:
    def build(folder: Path) -> Path:
        return _demo_zip(folder, extra={name: b"Name\nPython\n"})

    return build


def _bomb_size(folder: Path) -> Path:
    bomb = Raw(SKILLS, zeros_deflated(2048), 2048 * MIB, CRC_OF_2_GIB_OF_ZEROS, zipfile.ZIP_DEFLATED)
    return raw_zip(folder / ZIP_NAME, [m for m in demo_raw() if m.name != SKILLS] + [bomb])


def _bomb_lying(folder: Path) -> Path:
    # The header says 40 bytes; the data inflates to 2 GiB. zipfile stops at the size declared.
    bomb = Raw(SKILLS, zeros_deflated(2048), 40, zlib.crc32(b"Name\nPython\n"), zipfile.ZIP_DEFLATED)
    return raw_zip(folder / ZIP_NAME, [m for m in demo_raw() if m.name != SKILLS] + [bomb])


def _bomb_lying_compressed_size(folder: Path) -> Path:
    # 1,000 MiB inflated from "1 MiB" compressed passes a ratio of 1,000, but the zip is a few KiB:
    # the header's compressed size is a lie, and a buffer of the declared size must not be allocated.
    bomb = Raw(SKILLS, zeros_deflated(2), 1000 * MIB, 0, zipfile.ZIP_DEFLATED, compressed_size=MIB)
    return raw_zip(folder / ZIP_NAME, [m for m in demo_raw() if m.name != SKILLS] + [bomb])


def _config_at(text: str) -> Callable[[Path], Path]:
    def build(folder: Path) -> Path:
        write_config(folder, text)
        return _demo_zip(folder)

    return build


def _bomb_ratio(folder: Path) -> Path:
    data = demo_files()[RECEIVED] + b" " * (32 * MIB)  # the real rows, then 32 MiB of spaces
    packed = bz2.compress(data, 9)
    bomb = Raw(RECEIVED, packed, len(data), zlib.crc32(data), zipfile.ZIP_BZIP2)
    return raw_zip(folder / ZIP_NAME, [m for m in demo_raw() if m.name != RECEIVED] + [bomb])


def _many_members(folder: Path) -> Path:
    empty = [Raw(f"junk/{i:06d}.txt", b"", 0, 0) for i in range(100_001)]
    return raw_zip(folder / ZIP_NAME, demo_raw() + empty)


def _zip_over_limit(folder: Path) -> Path:
    write_config(folder, "[limits]\nmax_zip_mib = 1\n")
    padding = random.Random(1).randbytes(2 * MIB)
    return _demo_zip(folder, extra={"Rich_Media/photo.jpg": padding})


def _member_over_limit(folder: Path) -> Path:
    write_config(folder, "[limits]\nmax_member_mib = 1\n")
    rows = demo_rows(RECEIVED)
    return _demo_zip(folder, replace={RECEIVED: csv_bytes(rows[:1] + rows[1:] * 2000)})


def _ratio_over_limit(folder: Path) -> Path:
    write_config(folder, "[limits]\nmax_ratio = 2\n")
    return _demo_zip(folder)


def _members_over_limit(folder: Path) -> Path:
    write_config(folder, "[limits]\nmax_members = 5\n")
    return _demo_zip(folder)


def _encrypted(name: str) -> Callable[[Path], Path]:
    def build(folder: Path) -> Path:
        members = []
        for member in demo_raw() + [stored("Rich_Media.csv", b"Date/Time,Media Description,Media Link\n")]:
            if member.name == name:
                payload = zipcrypto(member.payload, b"secret", member.crc)
                member = Raw(member.name, payload, member.file_size, member.crc, flags=0x801)
            members.append(member)
        return raw_zip(folder / ZIP_NAME, members)

    return build


def _unsupported_method(folder: Path) -> Path:
    members = [Raw(m.name, m.payload, m.file_size, m.crc, method=98) if m.name == SKILLS else m for m in demo_raw()]
    return raw_zip(folder / ZIP_NAME, members)


def _bad_crc(folder: Path) -> Path:
    members = [Raw(m.name, m.payload, m.file_size, m.crc ^ 1) if m.name == SKILLS else m for m in demo_raw()]
    return raw_zip(folder / ZIP_NAME, members)


def _corrupt_deflate(folder: Path) -> Path:
    data = demo_files()[RECEIVED]
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    packed = bytearray(compressor.compress(data) + compressor.flush())
    packed[0] = 0xFF  # a block type that does not exist
    members = [m for m in demo_raw() if m.name != RECEIVED]
    members.append(Raw(RECEIVED, bytes(packed), len(data), zlib.crc32(data), zipfile.ZIP_DEFLATED))
    return raw_zip(folder / ZIP_NAME, members)


def _duplicate_exact(folder: Path) -> Path:
    return raw_zip(folder / ZIP_NAME, [*demo_raw(), stored(SKILLS, b"Name\nSomething Else\n")])


def _duplicate_loose(folder: Path) -> Path:
    return raw_zip(folder / ZIP_NAME, [*demo_raw(), stored("skills.csv", b"Name\nSomething Else\n")])


def _two_exports_in_one_zip(folder: Path) -> Path:
    files = {f"{wrap}/{name}": data for wrap in ("export-a", "export-b") for name, data in demo_files().items()}
    return write_zip(folder / ZIP_NAME, files)


def _symlink_member(name: str) -> Callable[[Path], Path]:
    def build(folder: Path) -> Path:
        link = stored(name, b"../../../../etc/passwd", mode=0o120777)
        return raw_zip(folder / ZIP_NAME, [m for m in demo_raw() if m.name != name] + [link])

    return build


def _empty_folder(folder: Path) -> Path:
    path = folder / "nothing-here"
    path.mkdir()
    (path / "notes.txt").write_text("no export here\n")
    return path


def _folder_link_out(folder: Path) -> Path:
    secret = folder / "outside" / "secret.csv"
    secret.parent.mkdir()
    secret.write_text("Name\nthe contents of a private file\n")
    export = write_tree(folder / "export", demo_files())
    (export / SKILLS).unlink()
    (export / SKILLS).symlink_to(secret)
    return export


def _folder_link_inside(folder: Path) -> Path:
    export = write_tree(folder / "export", {f"real/{name}": data for name, data in demo_files().items()})
    (export / SKILLS).symlink_to(export / "real" / SKILLS)  # a link inside the folder is fine
    for name in demo_files():
        if name != SKILLS:
            (export / name).symlink_to(Path("real") / name)
    return export


def _folder_dir_link_out(folder: Path) -> Path:
    write_tree(folder / "elsewhere", demo_files())
    export = folder / "export"
    export.mkdir()
    (export / "wrap").symlink_to(folder / "elsewhere", target_is_directory=True)
    return export


def _downloads_zip_link_out(folder: Path) -> Path:
    real = _demo_zip(folder / "elsewhere")
    downloads = folder / "Downloads"
    downloads.mkdir()
    (downloads / ZIP_NAME).symlink_to(real)
    return downloads


def _downloads_two_extracted(folder: Path) -> Path:
    downloads = folder / "Downloads"
    for stem in ("Basic_LinkedInDataExport_01-05-2024", "Basic_LinkedInDataExport_03-18-2024"):
        write_tree(downloads / stem, demo_files())
    return downloads


def _fifo(folder: Path) -> Path:
    path = folder / ZIP_NAME
    os.mkfifo(path)
    return path


def _replace(name: str, data: bytes | Callable[[], bytes]) -> Callable[[Path], Path]:
    def build(folder: Path) -> Path:
        return _demo_zip(folder, replace={name: data() if callable(data) else data})

    return build


def _garbage() -> bytes:
    return random.Random(7).randbytes(4096)


PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"


def _reordered() -> bytes:
    rows = demo_rows(RECEIVED)
    order = [5, 3, 1, 0, 2, 4]
    return csv_bytes([["Notes", *(row[i] for i in order), "Extra"] for row in rows])


def _mixed_newlines() -> bytes:
    text = demo_files()[RECEIVED].decode("utf-8")
    lines = text.split("\n")
    ends = ["\r\n", "\n", "\r"]
    return "".join(line + ends[i % 3] for i, line in enumerate(lines[:-1])).encode("utf-8")


def _latin1() -> bytes:
    rows = demo_rows(RECEIVED)
    rows[1][2], rows[1][3] = "Zoé", "Müller-Łódź"  # what Latin-1 cannot hold (Ł, ğ) is saved as "?"
    return csv_bytes(rows).decode("utf-8").encode("latin-1", errors="replace")


def _latin1_with_undefined() -> bytes:
    return _latin1().replace(b"Zo\xe9", b"Zo\xe9\x81")  # 0x81: no character in Windows-1252


def _utf16(encoding: str, delimiter: str, bom: bytes) -> Callable[[], bytes]:
    return lambda: bom + csv_bytes(demo_rows(RECEIVED), encoding=encoding, delimiter=delimiter, newline="\r\n")


def _odd_dates() -> bytes:
    rows = demo_rows(RECEIVED)
    rows[1][0], rows[2][0] = "18.03.2024", "March 18th, 2024 2pm"
    return csv_bytes(rows)


def _impossible_dates() -> bytes:
    rows = demo_rows(RECEIVED)
    rows[1][0], rows[2][0] = "2024/13/45 99:99:99 UTC", "2023/02/29 10:00:00 UTC"
    return csv_bytes(rows)


def _skills_quote_left_open() -> bytes:
    lines = demo_files()[SKILLS].decode("utf-8").splitlines()
    lines[3] = '"' + lines[3]  # closed by the quote LinkedIn puts around a later skill... or never
    lines[8] = lines[8] + '"'
    return ("\n".join(lines) + "\n").encode("utf-8")


def _header_repeated() -> bytes:
    rows = demo_rows(RECEIVED)
    return csv_bytes(rows[:10] + rows[:1] + rows[10:])


def _skills_without_header() -> bytes:
    names = [row[0] for row in demo_rows(SKILLS)[1:]]
    return "".join(name + (";" if i % 2 else "") + "\r\n" for i, name in enumerate(names)).encode("utf-8")


def _rows_wider_than_header() -> bytes:
    rows = demo_rows(RECEIVED)
    return csv_bytes(rows[:1] + [[*row, "surplus"] for row in rows[1:]])


def _one_row_wider() -> bytes:
    rows = demo_rows(RECEIVED)
    rows[3] = [*rows[3], "surplus"]
    return csv_bytes(rows)


def _long_line() -> bytes:
    rows = demo_rows(RECEIVED)
    for row in rows[1:7]:  # the skill most to hide, so that the summary shows it
        row[1] = "Very Long Skill " + "x" * MIB
    return csv_bytes(rows)


def _nul_inside() -> bytes:
    return demo_files()[RECEIVED].replace(b"Kwame", b"Kw\x00ame", 1)


def _unterminated_quote() -> bytes:
    return demo_files()[RECEIVED].replace(
        b"2024/03/18 14:02:51 UTC,Data Analysis", b'2024/03/18 14:02:51 UTC,"Data Analysis', 1
    )


def _unterminated_quote_in_name() -> bytes:
    return demo_files()[RECEIVED].replace(b",Tom\xc3\xa1s,", b',"Tom\xc3\xa1s,', 1)


def _unterminated_quote_at_end() -> bytes:
    return demo_files()[RECEIVED].replace(b"2019/05/23 08:01:29 UTC,Economics", b'2019/05/23 08:01:29 UTC,"Economics')


def _endorsed_names(names: list[str]) -> bytes:
    rows = demo_rows(RECEIVED)
    return csv_bytes(rows + [["2024/03/18 14:02:51 UTC", name, "Ann", "Lee", "", "ACCEPTED"] for name in names])


def _long_headline(folder: Path) -> Path:
    profile = demo_rows("Profile.csv")
    profile[1][5] = " ".join(["word"] * 15_000)
    received = _endorsed_names([" ".join(["word"] * size) for size in range(1, 200)])
    return _demo_zip(folder, replace={RECEIVED: received, "Profile.csv": csv_bytes(profile)})


def _field_of_50_mib(folder: Path) -> Path:
    files = demo_files()
    files[RECEIVED] = _endorsed_names(["<" * (50 * MIB)])
    return write_tree(folder / "export", files)


LONG_COLUMN = "Skill Name " + random.Random(2).randbytes(MIB).hex()  # 2 MiB that do not compress much


def _long_column_name() -> bytes:
    rows = demo_rows(RECEIVED)
    rows[0][1] = LONG_COLUMN
    return csv_bytes(rows)


def _header_padded(name: str, columns: int) -> Callable[[], bytes]:
    """Return a builder of a file whose header ends in `columns` empty column names."""

    def build() -> bytes:
        header, rest = demo_files()[name].split(b"\n", 1)
        return header + b"," * columns + b"\n" + rest

    return build


def _rows_padded(folder: Path) -> Path:
    """Every endorsement row padded with 10,000 empty cells (the header as LinkedIn writes it), extracted:
    commas deflate past the zip's ratio limit."""
    files = demo_files()
    header, *rows = demo_rows(RECEIVED)
    files[RECEIVED] = csv_bytes([header] + [row + [""] * 10_000 for row in rows * 80])
    return write_tree(folder / "export", files)


def messages_padded(folder: Path) -> Path:
    """Messages after the first padded with 10,000 empty cells each, extracted (commas deflate past the
    ratio limit): read a few columns at a time, a row wider than its header is read, not refused."""
    files = demo_files()
    header, *rows = list(csv.reader(io.StringIO(files["messages.csv"].decode("utf-8"))))
    files["messages.csv"] = csv_bytes([header, rows[0]] + [row + [""] * 10_000 for row in rows[1:] * 600])
    return write_tree(folder / "export", files)


def _numbers() -> bytes:
    rows = demo_rows(RECEIVED)
    rows[1][1:4] = ["2024", "007", "1e3"]
    rows[2][1:4] = ["0.50", "NaN", "-0"]
    return csv_bytes(rows)


def _blank_skills() -> bytes:
    rows = demo_rows(RECEIVED)
    return csv_bytes(rows[:1] + [[row[0], "", *row[2:]] for row in rows[1:4]])


def _some_blank_skills() -> bytes:
    rows = demo_rows(RECEIVED)
    rows[1][1] = rows[2][1] = "  "
    return csv_bytes(rows)


def _semicolons() -> bytes:
    return csv_bytes(demo_rows(RECEIVED), delimiter=";")


def _read_only_zip(folder: Path) -> Path:
    path = _demo_zip(folder)
    path.chmod(0o444)
    return path


def _read_only_folder(folder: Path) -> Path:
    export = write_tree(folder / "export", demo_files())
    for file in export.iterdir():
        file.chmod(0o444)
    export.chmod(0o555)
    return export


def _folder(folder: Path) -> Path:
    return write_tree(folder / "export", demo_files())


HAS_DEMO_SUMMARY = ("25 endorsements received", "7 endorsements to hide on 6 skills you never listed, from 3 people")

CASES: tuple[Case, ...] = (
    # Archives
    Case(
        "not-a-zip",
        "a text file named like the export",
        _not_a_zip,
        2,
        "{export}: is not a zip file (or is damaged); give the LinkedIn export zip or its folder",
    ),
    Case(
        "one-csv-given",
        "one CSV of the export instead of the export",
        _csv_given,
        2,
        "{export}: is one CSV file, not the export; give the LinkedIn export zip or the folder it was extracted to",
    ),
    Case(
        "truncated-zip",
        "a download cut in half",
        _truncated,
        2,
        "{export}: is an incomplete or damaged zip (was the download cut short?); download the export again",
    ),
    Case("empty-file", "0 bytes", _empty_file, 2, "{export}: is empty; download the export from LinkedIn again"),
    Case(
        "empty-zip",
        "a zip with no entries",
        _empty_zip,
        2,
        "{export}: is an empty zip; download the export from LinkedIn again",
    ),
    Case(
        "member-climbs-out",
        "a member named ../Skills.csv",
        _with_member("../Skills.csv"),
        2,
        "{export}: holds an unsafe member path '../Skills.csv' (absolute, or climbing out of the zip); "
        "LinkedIn's exports never do: download yours again",
    ),
    Case(
        "member-climbs-out-deep",
        "a member under a folder that climbs out",
        _with_member("wrap/../../x.csv"),
        2,
        "{export}: holds an unsafe member path 'wrap/../../x.csv' (absolute, or climbing out of the zip); "
        "LinkedIn's exports never do: download yours again",
    ),
    Case(
        "member-absolute",
        "a member with an absolute path",
        _with_member("/etc/Skills.csv"),
        2,
        "{export}: holds an unsafe member path '/etc/Skills.csv' (absolute, or climbing out of the zip); "
        "LinkedIn's exports never do: download yours again",
    ),
    Case(
        "member-windows-path",
        "a member with a Windows drive and backslashes",
        _with_member("C:\\Users\\x\\Skills.csv"),
        2,
        "{export}: holds an unsafe member path 'C:\\\\Users\\\\x\\\\Skills.csv' (absolute, or climbing out of the zip); "
        "LinkedIn's exports never do: download yours again",
    ),
    Case(
        "member-without-name",
        "a member whose name is empty (cut at a NUL byte)",
        lambda folder: raw_zip(folder / ZIP_NAME, [*demo_raw(), stored("\x00Skills.csv", b"Name\n")]),
        2,
        "{export}: holds a member with no name; LinkedIn's exports never do: download yours again",
    ),
    Case(
        "bomb-2-gib-member",
        "a 2 MiB member that inflates to 2 GiB, its header honest",
        _bomb_size,
        2,
        "{export}/Skills.csv: is larger than the 1024 MiB limit for one file; "
        "raise [limits] max_member_mib in the config if this export is genuine",
    ),
    Case(
        "bomb-lying-header",
        "a member whose header says 40 bytes and whose data inflates to 2 GiB",
        _bomb_lying,
        2,
        "{export}/Skills.csv: cannot be inflated (Bad CRC-32 for file 'Skills.csv'); "
        "the zip is damaged, download it again",
    ),
    Case(
        "bomb-ratio",
        "32 MiB packed by bzip2 into a few hundred bytes",
        _bomb_ratio,
        2,
        "{export}/Endorsement_Received_Info.csv: inflates more than 1000 times its compressed size, "
        "which no CSV does (a zip bomb?); refused: download the export from LinkedIn again",
    ),
    Case(
        "bomb-lying-compressed-size",
        "headers claim 1,000 MiB from 1 MiB compressed; the zip is a few KiB",
        _bomb_lying_compressed_size,
        2,
        "{export}/Skills.csv: inflates more than 1000 times its compressed size, "
        "which no CSV does (a zip bomb?); refused: download the export from LinkedIn again",
    ),
    Case(
        "config-limit-overflow",
        "[limits] max_zip_mib = 2**44 (an OverflowError when multiplied into bytes and read)",
        _config_at("[limits]\nmax_zip_mib = 17592186044416\n"),
        2,
        "{folder}/limits.toml: 'limits.max_zip_mib' is not a whole number from 1 to 1048576; choose one in that range",
        args=("--config", "{folder}/limits.toml"),
    ),
    Case(
        "config-nested-too-deep",
        "arrays nested 100,000 deep (a RecursionError in the TOML parser)",
        _config_at("x = " + "[" * 100_000 + "]" * 100_000 + "\n"),
        2,
        "{folder}/limits.toml: nests tables or arrays too deeply to be a configuration; choose another file",
        args=("--config", "{folder}/limits.toml"),
    ),
    Case(
        "bomb-member-count",
        "100,001 entries (refused before zipfile parses them)",
        _many_members,
        2,
        "{export}: has more than 100000 entries, which no LinkedIn export has (a zip bomb?); "
        "raise [limits] max_members in the config if this export is genuine",
    ),
    Case(
        "limit-zip-size",
        "a zip over [limits] max_zip_mib",
        _zip_over_limit,
        2,
        "{export}: is larger than the 1 MiB limit; raise [limits] max_zip_mib in the config if this export is genuine",
        args=("--config", "{folder}/limits.toml"),
    ),
    Case(
        "limit-member-size",
        "a member over [limits] max_member_mib",
        _member_over_limit,
        2,
        "{export}/Endorsement_Received_Info.csv: is larger than the 1 MiB limit for one file; "
        "raise [limits] max_member_mib in the config if this export is genuine",
        args=("--config", "{folder}/limits.toml"),
    ),
    Case(
        "limit-ratio",
        "an ordinary export over a tiny [limits] max_ratio",
        _ratio_over_limit,
        2,
        "{export}/Endorsement_Received_Info.csv: inflates more than 2 times its compressed size, "
        "which no CSV does (a zip bomb?); refused: download the export from LinkedIn again",
        args=("--config", "{folder}/limits.toml"),
    ),
    Case(
        "limit-members",
        "an ordinary export over a tiny [limits] max_members",
        _members_over_limit,
        2,
        "{export}: has more than 5 entries, which no LinkedIn export has (a zip bomb?); "
        "raise [limits] max_members in the config if this export is genuine",
        args=("--config", "{folder}/limits.toml"),
    ),
    Case(
        "encrypted-member",
        "Skills.csv encrypted with a password",
        _encrypted(SKILLS),
        2,
        "{export}/Skills.csv: is encrypted; export your data from LinkedIn again and use that zip as it is",
    ),
    Case(
        "encrypted-unrelated-member",
        "an encrypted file the audit does not read",
        _encrypted("Rich_Media.csv"),
        1,
        stdout_has=HAS_DEMO_SUMMARY,
    ),
    Case(
        "unsupported-compression",
        "a member packed with a method zipfile cannot inflate (PPMd)",
        _unsupported_method,
        2,
        "{export}/Skills.csv: cannot be inflated (That compression method is not supported); "
        "the zip is damaged, download it again",
    ),
    Case(
        "bad-crc",
        "a member whose checksum does not match",
        _bad_crc,
        2,
        "{export}/Skills.csv: cannot be inflated (Bad CRC-32 for file 'Skills.csv'); the zip is damaged, download it again",
    ),
    Case(
        "corrupt-deflate",
        "a member whose compressed data is damaged",
        _corrupt_deflate,
        2,
        "{export}/Endorsement_Received_Info.csv: cannot be inflated "
        "(Error -3 while decompressing data: invalid block type); the zip is damaged, download it again",
    ),
    Case(
        "duplicate-member",
        "Skills.csv twice in one zip",
        _duplicate_exact,
        2,
        "{export}: holds 2 files that could be Skills.csv ('Skills.csv', 'Skills.csv'); "
        "keep only one export in it, or give the export you mean",
    ),
    Case(
        "duplicate-member-loose",
        "Skills.csv and skills.csv side by side",
        _duplicate_loose,
        2,
        "{export}: holds 2 files that could be Skills.csv ('Skills.csv', 'skills.csv'); "
        "keep only one export in it, or give the export you mean",
    ),
    Case(
        "two-exports-in-one-zip",
        "two wrapped exports zipped together",
        _two_exports_in_one_zip,
        2,
        "{export}: holds 2 files that could be Connections.csv ('export-a/Connections.csv', "
        "'export-b/Connections.csv'); keep only one export in it, or give the export you mean",
    ),
    Case(
        "symlink-member",
        "Skills.csv stored as a symbolic link to /etc/passwd",
        _symlink_member(SKILLS),
        2,
        "{export}/Skills.csv: is a symbolic link, not a file; refused (LinkedIn's exports hold none): download yours again",
    ),
    Case(
        "symlink-unrelated-member",
        "a symbolic link the audit does not read",
        _symlink_member("Jobs/Saved Jobs.csv"),
        1,
        stdout_has=HAS_DEMO_SUMMARY,
    ),
    # Folders
    Case(
        "folder-without-export",
        "a folder with no export in it",
        _empty_folder,
        2,
        "{export}: holds no LinkedIn export (no zip, no Skills.csv); "
        "download your data from LinkedIn: Settings, Data privacy, Get a copy of your data",
    ),
    Case(
        "folder-link-out",
        "an extracted export whose Skills.csv links to a private file outside it",
        _folder_link_out,
        2,
        "{export}/Skills.csv: is a link to a file outside the export folder; refused: copy the real file into the folder",
    ),
    Case(
        "folder-links-inside",
        "links that stay inside the export folder",
        _folder_link_inside,
        1,
        stdout_has=HAS_DEMO_SUMMARY,
    ),
    Case(
        "folder-dir-link-out",
        "a folder whose only content is a link to a folder elsewhere",
        _folder_dir_link_out,
        2,
        "{export}: holds no LinkedIn export (no zip, no Skills.csv); "
        "download your data from LinkedIn: Settings, Data privacy, Get a copy of your data",
    ),
    Case(
        "downloads-zip-link-out",
        "a downloads folder whose only export zip is a link to elsewhere",
        _downloads_zip_link_out,
        2,
        "{export}: holds no LinkedIn export (no zip, no Skills.csv); "
        "download your data from LinkedIn: Settings, Data privacy, Get a copy of your data",
    ),
    Case(
        "downloads-two-extracted",
        "two extracted exports side by side",
        _downloads_two_extracted,
        2,
        "{export}: holds 2 files that could be Connections.csv "
        "('Basic_LinkedInDataExport_01-05-2024/Connections.csv', 'Basic_LinkedInDataExport_03-18-2024/Connections.csv'); "
        "keep only one export in it, or give the export you mean",
    ),
    Case("fifo", "a named pipe where the export should be", _fifo, 2, "{export}: " + NOT_A_FILE_OR_FOLDER),
    # CSV content
    Case(
        "binary-garbage",
        "random bytes as Endorsement_Received_Info.csv",
        _replace(RECEIVED, _garbage),
        2,
        "{export}/Endorsement_Received_Info.csv: holds binary data, not CSV text; take this file from the original export",
    ),
    Case(
        "png-as-skills",
        "a picture saved as Skills.csv",
        _replace(SKILLS, PNG),
        2,
        "{export}/Skills.csv: holds binary data, not CSV text; take this file from the original export",
    ),
    Case(
        "wrong-file-right-name",
        "the endorsements given saved as the endorsements received",
        _replace(RECEIVED, lambda: demo_files()["Endorsement_Given_Info.csv"]),
        2,
        "{export}/Endorsement_Received_Info.csv: has no column 'Endorser First Name'; take this file from the "
        "original LinkedIn export (found: 'Endorsement Date', 'Skill Name', 'Endorsee First Name', "
        "'Endorsee Last Name', 'Endorsee Public Url', 'Endorsement Status')",
    ),
    Case(
        "missing-column",
        "no Skill Name column",
        _replace(
            RECEIVED, b"Endorsement Date,Skill,Endorser First Name,Endorser Last Name\n2024/01/01 00:00:00 UTC,x,a,b\n"
        ),
        2,
        "{export}/Endorsement_Received_Info.csv: has no column 'Skill Name'; take this file from the original "
        "LinkedIn export (found: 'Endorsement Date', 'Skill', 'Endorser First Name', 'Endorser Last Name')",
    ),
    Case(
        "extra-reordered-columns",
        "columns reordered, two unknown ones added",
        _replace(RECEIVED, _reordered),
        1,
        stdout_has=HAS_DEMO_SUMMARY,
    ),
    Case(
        "empty-endorsements",
        "Endorsement_Received_Info.csv of 0 bytes: no endorsements",
        _replace(RECEIVED, b""),
        0,
        stdout_has=(
            "note: Endorsement_Received_Info.csv is empty: read as no endorsements received",
            "0 endorsements received",
            "nothing to hide",
        ),
    ),
    Case(
        "header-only-endorsements",
        "only the header: no endorsements",
        _replace(RECEIVED, ",".join(factory.RECEIVED_HEADER).encode() + b"\n"),
        0,
        stdout_has=("0 endorsements received", "nothing to hide"),
    ),
    Case(
        "empty-skills",
        "Skills.csv of 0 bytes",
        _replace(SKILLS, b""),
        2,
        "{export}/Skills.csv: is empty; take this file from the original export",
    ),
    Case(
        "header-only-skills",
        "no listed skill at all: every endorsement is one to hide",
        _replace(SKILLS, b"Name\n"),
        1,
        stdout_has=("0 listed skills, 25 endorsements received", "25 endorsements to hide"),
    ),
    Case(
        "rows-above-the-header",
        "skills written above the header: zero rows from a file that is not empty",
        _replace(SKILLS, b"Python\nSQL\nName\n"),
        2,
        "{export}/Skills.csv: has lines but no readable rows; take this file from the original export",
    ),
    Case(
        "rows-without-skills",
        "rows whose skill names are all blank",
        _replace(RECEIVED, _blank_skills),
        2,
        "{export}/Endorsement_Received_Info.csv: has 3 row(s) but no 'Skill Name' in any; "
        "take this file from the original export",
    ),
    Case(
        "some-rows-without-skills",
        "two rows without a skill name among good ones",
        _replace(RECEIVED, _some_blank_skills),
        1,
        stdout_has=(
            "note: 2 row(s) of Endorsement_Received_Info.csv name no skill and were left out",
            "23 endorsements received",
        ),
    ),
    Case(
        "preamble-before-skills",
        "a stray line above Skills.csv's header",
        _replace(SKILLS, b"Exported by a spreadsheet\n" + demo_files()[SKILLS]),
        1,
        stdout_has=("note: Skills.csv: 1 line(s) before its header row were not read", *HAS_DEMO_SUMMARY),
    ),
    Case(
        "unterminated-quote",
        "a quote opened in a skill name, closed by the next quote rows later",
        _replace(RECEIVED, _unterminated_quote),
        2,
        "{export}/Endorsement_Received_Info.csv: has a quote that is never closed ('Skill Name' of row 4 runs over "
        "the lines after it); take this file from the original export",
    ),
    Case(
        "unterminated-quote-in-name",
        "a quote opened in a first name, closed by the next quote rows later",
        _replace(RECEIVED, _unterminated_quote_in_name),
        2,
        "{export}/Endorsement_Received_Info.csv: has a quote that is never closed ('Endorser First Name' of row 6 "
        "runs over the lines after it); take this file from the original export",
    ),
    Case(
        "unterminated-quote-at-end",
        "a quote opened in the last row",
        _replace(RECEIVED, _unterminated_quote_at_end),
        2,
        "{export}/Endorsement_Received_Info.csv: is not a readable CSV file "
        "(Error tokenizing data. C error: EOF inside string starting at row 25); take this file from the original export",
    ),
    Case(
        "rows-wider-than-header",
        "every row one field longer than the header",
        _replace(RECEIVED, _rows_wider_than_header),
        2,
        "{export}/Endorsement_Received_Info.csv: has rows with more fields than its header has columns; "
        "take this file from the original export",
    ),
    Case(
        "one-row-wider",
        "one row with a field too many",
        _replace(RECEIVED, _one_row_wider),
        2,
        "{export}/Endorsement_Received_Info.csv: is not a readable CSV file "
        "(Error tokenizing data. C error: Expected 6 fields in line 4, saw 7); take this file from the original export",
    ),
    Case(
        "line-of-megabytes",
        "a skill name of 1 MiB on six lines: cut to 400 characters, shorter still in the terminal",
        _replace(RECEIVED, _long_line),
        1,
        stdout_has=(
            "25 endorsements received",
            "most to hide: Very Long Skill " + "x" * 43 + "… (6), ",
            "note: Endorsement_Received_Info.csv: 6 value(s) far longer than LinkedIn allows were cut "
            "(Skill Name to 400 characters, ending in …)",
        ),
    ),
    # Resource bombs inside the default limits (test_bombs.py runs them in a process with a CPU limit)
    Case(
        "many-parenthesised-parts",
        'a skill name of 300,000 "(y)" groups, which normalising peeled one by one',
        _replace(RECEIVED, lambda: _endorsed_names(["Data Analysis" + " (y)" * 300_000])),
        1,
        stdout_has=(
            "note: Endorsement_Received_Info.csv: 1 value(s) far longer than LinkedIn allows were cut "
            "(Skill Name to 400 characters, ending in …)",
        ),
    ),
    Case(
        "long-headline-long-names",
        "a headline of 15,000 words and endorsed names of 1 to 199 words: every n-gram of every length",
        _long_headline,
        1,
        stdout_has=(
            "note: Profile.csv: 1 value(s) far longer than LinkedIn allows were cut (Headline to 1,100 characters, "
            "ending in …)",
        ),
    ),
    Case(
        "field-of-50-mib",
        "one skill name of 50 MiB of '<' in an extracted export: no limit on the ratio there",
        _field_of_50_mib,
        1,
        stdout_has=(
            "note: Endorsement_Received_Info.csv: 1 value(s) far longer than LinkedIn allows were cut "
            "(Skill Name to 400 characters, ending in …)",
        ),
        slow=True,
    ),
    Case(
        "header-of-30000-columns",
        "messages.csv's header padded with 30,000 empty column names: each made unique against all before",
        _replace("messages.csv", _header_padded("messages.csv", 30_000)),
        2,
        "{export}/messages.csv: has more than 65 columns in its header (LinkedIn's have at most 13); "
        "take this file from the original export",
    ),
    Case(
        "header-of-300000-columns",
        "the endorsements' header padded with 300,000 empty column names, a zip of a few KB",
        _replace(RECEIVED, _header_padded(RECEIVED, 300_000)),
        2,
        "{export}/Endorsement_Received_Info.csv: has more than 65 columns in its header (LinkedIn's have at most "
        "13); take this file from the original export",
    ),
    Case(
        "rows-padded-with-10000-cells",
        "every endorsement row padded with 10,000 empty cells: 16 MiB, each cell a field to parse",
        _rows_padded,
        2,
        "{export}/Endorsement_Received_Info.csv: has rows with more fields than its header has columns; "
        "take this file from the original export",
    ),
    Case(
        "column-name-of-megabytes",
        "a column name of 2 MiB where 'Skill Name' should be: quoted short in the error",
        _replace(RECEIVED, _long_column_name),
        2,
        "{export}/Endorsement_Received_Info.csv: has no column 'Skill Name'; take this file from the original "
        "LinkedIn export (found: 'Endorsement Date', '" + LONG_COLUMN[:59] + "…', "
        "'Endorser First Name', 'Endorser Last Name', 'Endorser Public Url', 'Endorsement Status')",
    ),
    Case(
        "numbers-as-names",
        "skills and names that look like numbers: kept as the text they are",
        _replace(RECEIVED, _numbers),
        1,
        stdout_has=("25 endorsements received", "0.50 (1), 2024 (1)"),
    ),
    Case(
        "nul-bytes",
        "a NUL byte inside a name",
        _replace(RECEIVED, _nul_inside),
        2,
        "{export}/Endorsement_Received_Info.csv: holds binary data, not CSV text; take this file from the original export",
    ),
    Case(
        "mixed-line-endings",
        "CRLF, LF and CR in one file",
        _replace(RECEIVED, _mixed_newlines),
        1,
        stdout_has=HAS_DEMO_SUMMARY,
    ),
    Case(
        "latin-1",
        "a file re-saved as Latin-1",
        _replace(RECEIVED, _latin1),
        1,
        stdout_has=(
            "note: Endorsement_Received_Info.csv is not UTF-8 text: it was read as Windows-1252 (Latin-1), "
            "check accented names",
            *HAS_DEMO_SUMMARY,
        ),
    ),
    Case(
        "latin-1-with-undefined-byte",
        "Latin-1 with a byte Windows-1252 does not define",
        _replace(RECEIVED, _latin1_with_undefined),
        1,
        stdout_has=(
            "note: Endorsement_Received_Info.csv is not UTF-8 text: it was read as Windows-1252 (Latin-1), "
            "check accented names; 1 byte(s) fit neither and show as \ufffd",
        ),
    ),
    Case(
        "utf-16-le-no-bom",
        "Excel's UTF-16 text without its BOM",
        _replace(RECEIVED, _utf16("utf-16-le", "\t", b"")),
        1,
        stdout_has=HAS_DEMO_SUMMARY,
    ),
    Case(
        "utf-16-be",
        "UTF-16 big-endian with its BOM",
        _replace(RECEIVED, _utf16("utf-16-be", "\t", b"\xfe\xff")),
        1,
        stdout_has=HAS_DEMO_SUMMARY,
    ),
    Case(
        "utf-16-odd-length",
        "UTF-16 cut in the middle of a character",
        _replace(RECEIVED, lambda: _utf16("utf-16-le", "\t", b"\xff\xfe")()[:-1]),
        2,
        "{export}/Endorsement_Received_Info.csv: is not valid utf-16 text; save it again as UTF-8 CSV",
    ),
    Case(
        "semicolons",
        "Excel in much of Europe: semicolons between columns",
        _replace(RECEIVED, _semicolons),
        1,
        stdout_has=HAS_DEMO_SUMMARY,
    ),
    Case(
        "unexpected-dates",
        "dates in formats LinkedIn does not write",
        _replace(RECEIVED, _odd_dates),
        1,
        stdout_has=("note: 2 endorsement date(s) not in LinkedIn's format were kept as written", *HAS_DEMO_SUMMARY),
    ),
    Case(
        "impossible-dates",
        "dates in LinkedIn's shape that no calendar has",
        _replace(RECEIVED, _impossible_dates),
        1,
        stdout_has=("note: 2 endorsement date(s) not in LinkedIn's format were kept as written", *HAS_DEMO_SUMMARY),
    ),
    Case(
        "skills-quote-left-open",
        "a quote opened in one listed skill and closed rows later: six skills would become one",
        _replace(SKILLS, _skills_quote_left_open),
        2,
        "{export}/Skills.csv: has a quote that is never closed ('Name' of row 3 runs over the lines after it); "
        "take this file from the original export",
    ),
    Case(
        "empty-connections",
        "Connections.csv of 0 bytes: who is a connection is unknown, not 'nobody'",
        _replace("Connections.csv", b""),
        1,
        stdout_has=("note: Connections.csv is empty: read as if the export did not have it", *HAS_DEMO_SUMMARY),
    ),
    Case(
        "header-repeated",
        "the header row again mid-file (two files pasted together)",
        _replace(RECEIVED, _header_repeated),
        1,
        stdout_has=(
            "note: Endorsement_Received_Info.csv: 1 row(s) repeating its header row were left out",
            *HAS_DEMO_SUMMARY,
        ),
    ),
    Case(
        "bom-and-latin-1",
        "Latin-1 text behind a UTF-8 BOM: read as without the BOM",
        _replace(RECEIVED, lambda: b"\xef\xbb\xbf" + _latin1()),
        1,
        stdout_has=(
            "note: Endorsement_Received_Info.csv is not UTF-8 text: it was read as Windows-1252 (Latin-1), "
            "check accented names",
            *HAS_DEMO_SUMMARY,
        ),
    ),
    Case(
        "skills-without-header",
        "Skills.csv typed by hand: one skill per line, no header, stray semicolons",
        _replace(SKILLS, _skills_without_header),
        1,
        stdout_has=(
            "note: Skills.csv has no header row: read as one skill per line (10, the first 'Data Analysis')",
            *HAS_DEMO_SUMMARY,
        ),
    ),
    # Injection (test_hostile checks every output in detail)
    Case(
        "hostile-text",
        "HTML, </script>, javascript: URLs, formulas, ANSI and bidi controls in names, skills and URLs",
        hostile_export,
        1,
        stdout_has=("\\x1b[31mRed\\x1b[0m \\x1b[2J (6)", "Evil\\u202eexe.txt (5)", "\\x1b[2JWIPED"),
    ),
    # The file system
    Case(
        "output-folder-missing",
        "--html into a folder that does not exist",
        _demo_zip,
        2,
        "{folder}/missing/report.html: cannot be written: folder '{folder}/missing' does not exist; "
        "create it or choose another",
        args=("--html", "{folder}/missing/report.html"),
    ),
    Case(
        "output-is-the-export",
        "--html pointing at the export zip",
        _demo_zip,
        2,
        "{export}: is the export itself; choose another output path",
        args=("--html", "{export}"),
    ),
    Case(
        "output-into-the-export-folder",
        "--csv pointing at a file of the extracted export",
        _folder,
        2,
        "{export}/Skills.csv: is the export itself; choose another output path",
        args=("--no-html", "--csv", "{export}/Skills.csv"),
    ),
    Case(
        "output-is-a-folder",
        "--json pointing at a folder",
        _demo_zip,
        2,
        "{folder}: is a folder; give a file name",
        args=("--json", "{folder}"),
    ),
    Case("read-only-zip", "an export zip nobody may write", _read_only_zip, 1, stdout_has=HAS_DEMO_SUMMARY),
    Case("read-only-folder", "an extracted export nobody may write", _read_only_folder, 1, stdout_has=HAS_DEMO_SUMMARY),
)


def build(case: Case, folder: Path) -> Path:
    """Build one case's export in `folder` (created) and return the path to audit."""
    folder.mkdir(parents=True, exist_ok=True)
    return case.build(folder)


def main(argv: list[str]) -> int:
    """Write every case under the folder named, with a cases.json describing them."""
    if len(argv) != 1:
        print("usage: python tests/hostile_corpus.py OUTDIR", file=sys.stderr)
        return 2
    out = Path(argv[0]).resolve()
    manifest = []
    for case in CASES:
        folder = out / case.name
        export = build(case, folder)
        manifest.append(
            {
                "name": case.name,
                "what": case.what,
                "argv": case.argv(export, folder),
                "exit_code": case.exit_code,
                "stderr": case.expected_stderr(export, folder),
                "stdout_has": list(case.stdout_has),
            }
        )
    (out / "cases.json").write_text(json.dumps(manifest, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"{len(manifest)} cases in {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
