"""Property tests (hypothesis) on what hostile exports can reach.

- Any CSV text and any zip archive: the loader returns an export or raises the project's own error,
  never any other exception.
- Any name: it comes back literally from the HTML (parsed with html.parser), the CSV and the JSON,
  and the terminal shows it with every control, bidi and zero-width character escaped.

The default run is short; for a deeper one: `EXAMPLES=2000 python -m pytest tests/test_properties.py`.
"""

from __future__ import annotations

import bz2
import csv
import io
import json
import lzma
import os
import tempfile
import unicodedata
import zipfile
import zlib
from datetime import UTC, datetime
from pathlib import Path

import factory
import hostile_corpus
from conftest import FORMULA_PREFIXES, PageText
from hostile_corpus import Raw, raw_zip
from hypothesis import HealthCheck, event, example, given, settings
from hypothesis import strategies as st

from endorse_audit.audit import audit
from endorse_audit.cli.terminal import terminal_safe
from endorse_audit.errors import EndorseAuditError
from endorse_audit.export_records import ENDORSEMENT_COLUMNS
from endorse_audit.reading.export import load
from endorse_audit.report.csv import neutralise, render_csv
from endorse_audit.report.json import render_json
from endorse_audit.report.render import render_html

EXAMPLES = int(os.environ.get("EXAMPLES", "60"))
SETTINGS = settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
GENERATED_AT = datetime(2026, 11, 21, 9, 30, tzinfo=UTC)

# Characters that break CSV, encodings and terminals, mixed into ordinary text.
AWKWARD = ",;\t\"'\r\n\x00\x1b\x7f\x85\u2028\u202e\u200b\ufeff\ufffdé€ğ𝔘<>&="
FIELD = st.text(alphabet=st.one_of(st.sampled_from(AWKWARD), st.characters(exclude_categories=("Cs",))), max_size=12)
HEADER_WORDS = [
    *factory.RECEIVED_HEADER,
    *factory.GIVEN_HEADER,
    *factory.CONNECTIONS_HEADER,
    "Name",
    "Skill",
    "Notes:",
    "",
    "Name ",
    "skill_name",
]
ENCODINGS = ("utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "cp1252")


@st.composite
def csv_files(draw: st.DrawFn, header: list[str] | None = None) -> bytes:
    """Return the bytes of a CSV file: the header given (reordered, with extra columns) or a made-up
    one, ragged rows, any quoting, any line ending, any encoding, maybe cut short."""
    if header is None:
        header = draw(st.lists(st.one_of(st.sampled_from(HEADER_WORDS), FIELD), min_size=1, max_size=8))
    else:
        extra = draw(st.lists(st.sampled_from(HEADER_WORDS), max_size=2))
        header = draw(st.permutations([*header, *extra]))
    width = len(header)
    row = st.one_of(st.lists(FIELD, min_size=width, max_size=width), st.lists(FIELD, max_size=width + 2))
    rows = draw(st.lists(row, max_size=6))
    delimiter = draw(st.sampled_from([",", "\t", ";"]))
    preamble = draw(st.sampled_from(["", "Notes:\n", '"Notes:\n\n"\n', "sep=,\n", "\n\n"]))
    if draw(st.booleans()):
        out = io.StringIO()
        quoting = draw(st.sampled_from([csv.QUOTE_MINIMAL, csv.QUOTE_ALL]))
        newline = draw(st.sampled_from(["\n", "\r\n", "\r"]))
        csv.writer(out, delimiter=delimiter, quoting=quoting, lineterminator=newline).writerows([header, *rows])
        text = preamble + out.getvalue()
    else:  # written by hand: quotes left open, fields not escaped
        text = preamble + "\n".join(delimiter.join(row) for row in [header, *rows])
    data = text.encode(draw(st.sampled_from(ENCODINGS)), errors="replace")
    if draw(st.booleans()):
        data = data[: draw(st.integers(0, len(data)))]
    return data


HEADERS = {
    "Skills.csv": factory.SKILLS_HEADER,
    "Endorsement_Received_Info.csv": factory.RECEIVED_HEADER,
    "Endorsement_Given_Info.csv": factory.GIVEN_HEADER,
    "Connections.csv": factory.CONNECTIONS_HEADER,
    "Invitations.csv": factory.INVITATIONS_HEADER_URL,
    "Profile.csv": factory.PROFILE_HEADER,
    "Positions.csv": factory.POSITIONS_HEADER,
    "messages.csv": factory.MESSAGES_HEADER_2026,
    "Recommendations_Received.csv": factory.RECOMMENDATIONS_HEADER,
    "Recommendations_Given.csv": factory.RECOMMENDATIONS_HEADER,
}


@st.composite
def exports(draw: st.DrawFn) -> dict[str, bytes]:
    """Return an export's files, each real, with its real header and made-up rows, made up entirely,
    a real one with bytes changed, or (the optional ones) absent."""
    real = hostile_corpus.demo_files()
    files: dict[str, bytes] = {}
    for name in real:
        kinds = ["real", "rows", "rows", "rows", "generated", "mangled"]
        if name not in ("Skills.csv", "Endorsement_Received_Info.csv"):
            kinds.append("absent")
        choice = draw(st.sampled_from(kinds))
        if choice == "real":
            files[name] = real[name]
        elif choice == "rows":
            files[name] = draw(csv_files(HEADERS[name]))
        elif choice == "generated":
            files[name] = draw(csv_files())
        elif choice == "mangled":
            data = bytearray(real[name])
            for _ in range(draw(st.integers(1, 4))):
                data[draw(st.integers(0, len(data) - 1))] = draw(st.integers(0, 255))
            files[name] = bytes(data)
    return files


def _loads_or_refuses(path: Path) -> None:
    """The property: an Export that holds together, or EndorseAuditError; nothing else."""
    try:
        export = load(path)
    except EndorseAuditError as error:
        assert str(error).strip() and "\n" not in str(error)
        event(f"refused: {error.problem[:25]}")
        return
    event("loaded")
    assert tuple(export.endorsements.columns) == ENDORSEMENT_COLUMNS
    assert all(isinstance(skill, str) and skill.strip() for skill in export.endorsements["skill"])
    assert all(isinstance(name, str) for name in export.listed_skills)
    result = audit(export)  # and what the loader accepts, the rest of the pipeline takes
    json.loads(render_json(result))
    render_csv(result)


@SETTINGS
@given(exports())
@example({"Skills.csv": b"Name \nPython\n", "Endorsement_Received_Info.csv": b"Skill Name,Skill Name \n"})
@example({"Skills.csv": b"Name\n", "Endorsement_Received_Info.csv": b"Endorsement Date,Skill Name\n1,2,3\n"})
def test_any_csv_text_loads_or_is_refused_clearly(files: dict[str, bytes]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        _loads_or_refuses(hostile_corpus.write_zip(Path(folder) / "export.zip", files))
        _loads_or_refuses(hostile_corpus.write_tree(Path(folder) / "extracted", files))


MEMBER_NAMES = [
    *hostile_corpus.demo_files(),
    "skills.csv",
    "wrap/Skills.csv",
    "wrap/Endorsement Received Info.csv",
    "../Skills.csv",
    "/Skills.csv",
    "C:\\Skills.csv",
    "wrap/",
    "__MACOSX/._Skills.csv",
    "Jobs/Saved Jobs.csv",
    "Skills.csv\u202e",
]


def _pack(data: bytes, method: int) -> bytes:
    if method == zipfile.ZIP_DEFLATED:
        compressor = zlib.compressobj(6, zlib.DEFLATED, -15)
        return compressor.compress(data) + compressor.flush()
    if method == zipfile.ZIP_BZIP2:
        return bz2.compress(data)
    if method == zipfile.ZIP_LZMA:  # zip's LZMA: a 4-byte version and properties header, then raw LZMA
        filters = [{"id": lzma.FILTER_LZMA1}]
        properties = lzma._encode_filter_properties(filters[0])  # type: ignore[attr-defined]
        body = lzma.compress(data, format=lzma.FORMAT_RAW, filters=filters)
        return b"\x09\x04" + len(properties).to_bytes(2, "little") + properties + body
    return data


@st.composite
def members(draw: st.DrawFn, name: str, data: bytes) -> Raw:
    """Return one member holding `data`, packed any way, its header now and then lying or odd."""
    method = draw(st.sampled_from([zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED, zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA]))
    odd = draw(st.integers(0, 9)) == 9  # now and then (hypothesis draws small numbers most)
    if odd:
        method = draw(st.sampled_from([method, 98]))  # 98: PPMd, which zipfile cannot inflate
    size = draw(st.sampled_from([0, len(data) * 5000, 2**32 - 1, len(data) + 1])) if odd else len(data)
    crc = draw(st.integers(0, 2**32 - 1)) if odd and draw(st.booleans()) else zlib.crc32(data)
    flags = 0x800 | (draw(st.sampled_from([1, 8])) if odd else 0)
    mode = draw(st.sampled_from([0o120777, 0o040755, 0])) if odd else 0o100644
    return Raw(name, _pack(data, method), size, crc, method, flags, mode)


@st.composite
def archives(draw: st.DrawFn) -> bytes:
    """Return a zip archive's bytes: an export's members, packed any way, some odd, some added, maybe damaged."""
    files = draw(exports())
    wrap = draw(st.sampled_from(["", "", "Basic_LinkedInDataExport_03-18-2024/"]))
    entries = [draw(members(wrap + name, data)) for name, data in files.items()]
    for _ in range(draw(st.integers(0, 3))):
        name = draw(st.one_of(st.sampled_from(MEMBER_NAMES), FIELD.filter(bool)))
        entries.append(draw(members(name, draw(st.binary(max_size=64)))))
    entries = draw(st.permutations(entries))
    with tempfile.TemporaryDirectory() as folder:
        data = bytearray(raw_zip(Path(folder) / "x.zip", entries).read_bytes())
    damage = draw(st.sampled_from(["none"] * 6 + ["truncate", "flip", "prefix", "suffix"]))
    if damage == "truncate" and data:
        data = data[: draw(st.integers(0, len(data) - 1))]
    elif damage == "flip" and data:
        for _ in range(draw(st.integers(1, 8))):
            data[draw(st.integers(0, len(data) - 1))] ^= 1 << draw(st.integers(0, 7))
    elif damage == "prefix":
        data = bytearray(draw(st.binary(max_size=64))) + data
    elif damage == "suffix":
        data += draw(st.binary(max_size=64))
    return bytes(data)


@SETTINGS
@given(archives())
def test_any_zip_archive_loads_or_is_refused_clearly(data: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "Basic_LinkedInDataExport_03-18-2024.zip"
        path.write_bytes(data)
        _loads_or_refuses(path)
        assert path.read_bytes() == data


# --- Names round-trip literally -----------------------------------------------------------------------

NAME = st.one_of(
    st.sampled_from(hostile_corpus.HOSTILE_SKILLS),
    st.text(
        alphabet=st.one_of(
            st.sampled_from(AWKWARD.replace("\x00", "")),
            st.characters(exclude_categories=("Cs",), exclude_characters="\x00"),
        ),
        min_size=1,
        max_size=30,
    ),
).filter(lambda name: name.strip())


def _audit_of(skill: str, first: str, last: str):  # type: ignore[no-untyped-def]
    files = {"Skills.csv": b"Name\nUnderwater Basket Weaving\n"}
    rows = [factory.RECEIVED_HEADER, ["2024/03/18 14:02:51 UTC", skill, first, last, "", "ACCEPTED"]]
    files["Endorsement_Received_Info.csv"] = hostile_corpus.csv_bytes(rows, quoting=csv.QUOTE_ALL)
    with tempfile.TemporaryDirectory() as folder:
        return audit(load(hostile_corpus.write_zip(Path(folder) / "x.zip", files)))


@settings(max_examples=EXAMPLES // 2, deadline=None)
@given(skill=NAME, first=NAME, last=NAME)
@example(skill="007", first="0", last="1e3")  # text that looks like a number stays that text
@example(skill="\rCarriage", first="\u202eevil", last="NaN")
def test_any_name_round_trips_literally_through_html_csv_and_json(skill: str, first: str, last: str) -> None:
    result = _audit_of(skill, first, last)
    endorser = f"{first.strip()} {last.strip()}".strip()  # the loader trims each part of a person's name
    row = result.endorsements.iloc[0]
    assert (row["skill"], row["endorser"]) == (skill, endorser)

    data = json.loads(render_json(result))
    assert (data["endorsements"][0]["skill"], data["endorsements"][0]["endorser"]) == (skill, endorser)

    text = PageText(render_html(result, GENERATED_AT)).text
    assert endorser in text
    if row["hide"]:
        assert skill in text
        cells = list(csv.reader(io.StringIO(render_csv(result), newline="")))[1]
        assert cells[:2] == [neutralise(skill), neutralise(endorser)]
        assert not [cell for cell in cells if cell.startswith(FORMULA_PREFIXES)]


@settings(max_examples=EXAMPLES // 4, deadline=None)
@given(skill=NAME, first=NAME, last=NAME)
@example(skill="<b>x</b>", first="<script>alert(1)</script>", last="%(n)s {day}")
def test_any_name_round_trips_literally_through_a_translated_report(skill: str, first: str, last: str) -> None:
    """Inside a translated message (newstyle gettext), a name from the export is still escaped text."""
    from endorse_audit import language

    result, plain = _audit_of(skill, first, last), _audit_of("Skill", "Ann", "Lee")
    with language.using("de"):
        page, plain_page = PageText(render_html(result, GENERATED_AT)), PageText(render_html(plain, GENERATED_AT))
    assert f"{first.strip()} {last.strip()}".strip() in page.text
    for tag in ("script", "b", "img"):  # no tag beyond the page's own
        assert page.tags.count(tag) == plain_page.tags.count(tag), tag


UNSAFE = {"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"}


@settings(max_examples=EXAMPLES * 4, deadline=None)
@given(st.text())
def test_the_terminal_never_gets_a_control_or_bidi_character(text: str) -> None:
    shown = terminal_safe(text)
    assert not [c for c in shown if unicodedata.category(c) in UNSAFE]
    if text.isprintable():
        assert shown == text
    assert terminal_safe(text, 20) == (terminal_safe(text[:19]) + "…" if len(text) > 20 else shown)


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(alphabet=st.sampled_from(AWKWARD + "ab\\/")),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(FIELD, inner, max_size=4),
    max_leaves=30,
)


@SETTINGS
@given(JSON_VALUES)
def test_the_indented_json_writer_is_json_dumps_exactly(value: object) -> None:
    """The JSON document around the endorsements is written by our own indenter (the standard library's
    is pure Python, token by token): the very text json.dumps(indent=1) writes."""
    from endorse_audit.report.json import _indented

    assert _indented(value) == json.dumps(value, ensure_ascii=False, indent=1)
    assert _indented({"level": [value]}) == json.dumps({"level": [value]}, ensure_ascii=False, indent=1)
