"""Reading every variant of the export that the format reference describes."""

from __future__ import annotations

import zipfile
from datetime import date
from pathlib import Path

import factory
import hostile_corpus
import numpy as np
import pandas as pd
import pytest

from endorse_audit.audit import audit
from endorse_audit.config import Limits
from endorse_audit.errors import ExportError
from endorse_audit.reading import csvfile
from endorse_audit.reading.archive import canonical_name, choose_export, export_date, find_exports
from endorse_audit.reading.export import load, read_export


def _summary(path: Path) -> tuple:
    export = load(path)
    table = export.endorsements
    return (export.listed_skills, table.to_dict("records"), export.member_name, export.connections)


@pytest.fixture(scope="module")
def expected(tmp_path_factory: pytest.TempPathFactory) -> tuple:
    folder = tmp_path_factory.mktemp("plain")
    return _summary(factory.write_zip(factory.demo_spec(), folder / "export.zip"))


VARIANTS = [
    pytest.param({"wrap_folder": "Basic_LinkedInDataExport_03-18-2024"}, id="wrapping-folder"),
    pytest.param({"wrap_folder": "export", "macosx": True}, id="macosx-junk"),
    pytest.param({"name_style": "lower"}, id="lower-case-names"),
    pytest.param({"name_style": "spaces"}, id="spaces-in-names"),
    pytest.param({"encoding": "utf-8-sig"}, id="utf8-bom"),
    pytest.param({"crlf": True}, id="crlf"),
    pytest.param({"encoding": "utf-8-sig", "crlf": True}, id="bom-and-crlf"),
    pytest.param({"encoding": "utf-16-tab"}, id="utf16-tab-excel"),
]


@pytest.mark.parametrize("options", VARIANTS)
def test_each_container_and_encoding_variant_reads_the_same(tmp_path: Path, expected: tuple, options: dict) -> None:
    path = factory.write_zip(factory.demo_spec(), tmp_path / "export.zip", **options)
    assert _summary(path) == expected


@pytest.mark.parametrize("options", [{}, {"encoding": "utf-8-sig", "crlf": True}, {"encoding": "utf-16-tab"}])
def test_endorsements_read_in_small_chunks_read_the_same(
    tmp_path: Path, expected: tuple, options: dict, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The endorsements are read a chunk of rows at a time (from the bytes when UTF-8, else from the
    text): the rows, their order and every value are the same whatever the chunks."""
    monkeypatch.setattr(csvfile, "CHUNK_ROWS", 3)  # a value met in an earlier chunk keeps its code
    path = factory.write_zip(factory.demo_spec(), tmp_path / "export.zip", **options)
    assert _summary(path) == expected


@pytest.mark.parametrize(
    "options", [{}, {"wrap_folder": "Basic_LinkedInDataExport_03-18-2024"}, {"encoding": "utf-16-tab"}]
)
def test_folder_reads_like_the_zip(tmp_path: Path, expected: tuple, options: dict) -> None:
    folder = factory.write_folder(factory.demo_spec(), tmp_path / "extracted", **options)
    assert _summary(folder) == expected


def test_endorsement_fields_are_tidied(demo_zip: Path) -> None:
    table = load(demo_zip).endorsements
    first = table.iloc[0].to_dict()
    assert first == {
        "date": "2025-11-02T08:15:40Z",
        "skill": "Data Analysis",
        "endorser": "Priya Raman, PhD",
        "slug": "priya-raman-4b2a17",
        "status": "ACCEPTED",
        "endorser_id": "priya-raman-4b2a17",
    }
    # Who an endorsement is from: the profile slug, or the folded name without one.
    assert set(table.loc[table["endorser"] == "Rafael Duarte", "endorser_id"]) == {"name:rafael duarte"}
    # Trailing spaces in names go; the skill keeps its spelling (the JSON promises it as written).
    assert "Hannah Brooks" in set(table["endorser"])
    assert "Economics " in set(table["skill"])
    assert "elif-laloğlu-62c0a9" in set(table["slug"])
    assert table.loc[table["endorser"] == "Rafael Duarte", "slug"].eq("").all()


def test_old_five_column_header_has_no_urls(tmp_path: Path) -> None:
    export = load(
        factory.write_zip(factory.demo_spec(), tmp_path / "old.zip", old_header=True, connections_style="2021")
    )
    assert len(export.endorsements) == 25
    assert set(export.endorsements["slug"]) == {""}
    # Without URLs anywhere, connections are joined on the name.
    assert export.connection_names["priya raman, phd"] == "08 Feb 2024"


def test_connections_preamble_and_hidden_rows(demo_zip: Path) -> None:
    export = load(demo_zip)
    assert export.connections == {"priya-raman-4b2a17": "08 Feb 2024", "tomasokafor": "17 Jun 2019"}
    assert export.has_connections


def test_quoted_fields_with_commas_and_newlines(tmp_path: Path) -> None:
    spec = factory.demo_spec()
    odd = factory.Person("Line", "Break\nSecond, Line", "line-break")
    spec.received.insert(0, factory.Row("2026/01/01 00:00:00 UTC", "Skill, with comma", odd))
    table = load(factory.write_zip(spec, tmp_path / "x.zip")).endorsements
    assert table.iloc[0]["skill"] == "Skill, with comma"
    assert table.iloc[0]["endorser"] == "Line Break\nSecond, Line"


def test_a_preamble_and_a_line_break_in_a_name_read_from_utf8_bytes(tmp_path: Path) -> None:
    """Lines before the header are not counted as the body's line breaks (nor read as rows)."""
    spec = factory.demo_spec()
    odd = factory.Person("Line", "Break\nSecond, Line", "line-break")
    spec.received.insert(0, factory.Row("2026/01/01 00:00:00 UTC", "Skill, with comma", odd))
    plain = factory.write_zip(spec, tmp_path / "plain.zip")
    with zipfile.ZipFile(plain) as source, zipfile.ZipFile(tmp_path / "preamble.zip", "w") as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename.endswith("Endorsement_Received_Info.csv"):
                data = b"Notes:\nThis file lists endorsements.\n\n" + data
            target.writestr(info, data)
    with zipfile.ZipFile(tmp_path / "preamble.zip") as archive:
        archive.extractall(tmp_path / "extracted")
    expected = load(plain).endorsements
    for path in (tmp_path / "preamble.zip", tmp_path / "extracted"):  # read into a bytearray, or bytes
        export = load(path)
        assert export.endorsements.to_dict("records") == expected.to_dict("records")
        assert export.endorsements.iloc[0]["endorser"] == "Line Break\nSecond, Line"
        assert any("line(s) before its header row were not read" in note for note in export.notes)


def test_profile_gives_the_member_name(demo_zip: Path) -> None:
    assert load(demo_zip).member_name == "Sam Rivera"


def test_unexpected_date_format_is_kept_and_noted(tmp_path: Path) -> None:
    spec = factory.demo_spec()
    spec.received[0].date = "18.03.2024"
    export = load(factory.write_zip(spec, tmp_path / "x.zip"))
    assert export.endorsements.iloc[0]["date"] == "18.03.2024"
    assert any("not in LinkedIn's format" in note for note in export.notes)


def test_unknown_status_is_kept_and_noted(tmp_path: Path) -> None:
    spec = factory.demo_spec()
    spec.received[0].status = "MYSTERY"
    export = load(factory.write_zip(spec, tmp_path / "x.zip"))
    assert export.endorsements.iloc[0]["status"] == "MYSTERY"
    assert any("MYSTERY" in note for note in export.notes)


@pytest.mark.parametrize(
    "member, expected_name",
    [
        ("Skills.csv", "Skills.csv"),
        ("skills.csv", "Skills.csv"),
        ("Endorsement Received Info.csv", "Endorsement_Received_Info.csv"),
        ("wrap/ENDORSEMENT_received_info.CSV", "Endorsement_Received_Info.csv"),
        ("__MACOSX/._Skills.csv", None),
        ("wrap/._Skills.csv", None),
        ("Rich_Media.csv", None),
    ],
)
def test_file_names_match_loosely(member: str, expected_name: str | None) -> None:
    assert canonical_name(member) == expected_name


def test_export_date_from_linkedin_name() -> None:
    assert export_date("Complete_LinkedInDataExport_11-20-2026.zip") == date(2026, 11, 20)
    assert export_date("my-export.zip") is None
    assert export_date("Basic_LinkedInDataExport_13-45-2026.zip") is None


def test_folder_of_exports_picks_the_newest_by_name_date(tmp_path: Path) -> None:
    for name in (
        "Basic_LinkedInDataExport_12-01-2025.zip",
        "Basic_LinkedInDataExport_03-18-2026.zip",
        "Complete_LinkedInDataExport_01-05-2026.zip",
    ):
        factory.write_zip(factory.demo_spec(), tmp_path / name)
    chosen, note = choose_export(tmp_path)
    assert chosen.name == "Basic_LinkedInDataExport_03-18-2026.zip"
    assert note == f"chose {chosen}: the newest of 3 exports in {tmp_path}"
    assert [p.name for p in find_exports(tmp_path)][-1] == "Basic_LinkedInDataExport_12-01-2025.zip"


def test_extracted_folder_is_used_as_is(tmp_path: Path) -> None:
    folder = factory.write_folder(factory.demo_spec(), tmp_path / "Basic_LinkedInDataExport_03-18-2024")
    assert choose_export(folder) == (folder, None)


def test_the_folder_an_export_was_extracted_to_is_named_with_why(tmp_path: Path) -> None:
    downloads = tmp_path / "Downloads"
    factory.write_folder(factory.demo_spec(), downloads / "old" / "stuff")
    chosen, note = choose_export(downloads)
    assert chosen == downloads / "old" / "stuff"
    assert note == f"chose {chosen}: the extracted export found in {downloads}"


def test_a_wrapped_export_keeps_the_date_of_the_folder_named(tmp_path: Path) -> None:
    named = tmp_path / "Basic_LinkedInDataExport_03-18-2024"
    factory.write_folder(factory.demo_spec(), named, wrap_folder="export")
    export = read_export(named, Limits())
    assert (export.path, export.date) == (str(named / "export"), date(2024, 3, 18))
    assert export.notes[0] == f"chose {named / 'export'}: the extracted export found in {named}"


def _holiday_zip(folder: Path) -> Path:
    with zipfile.ZipFile(folder / "holiday-photos.zip", "w") as photos:
        photos.writestr("beach.jpg", b"not a photo")
    return folder / "holiday-photos.zip"


def test_a_zip_that_is_no_export_is_not_counted_as_one(tmp_path: Path) -> None:
    newest = factory.write_zip(factory.demo_spec(), tmp_path / "Basic_LinkedInDataExport_03-18-2024.zip")
    factory.write_zip(factory.demo_spec(), tmp_path / "Basic_LinkedInDataExport_01-02-2024.zip")
    renamed = factory.write_zip(factory.demo_spec(), tmp_path / "my linkedin.zip")  # an export by what it holds
    _holiday_zip(tmp_path)
    (tmp_path / "broken.zip").write_bytes(b"PK\x03\x04 cut short")
    chosen, note = choose_export(tmp_path)
    assert chosen == newest
    assert note == f"chose {newest}: the newest of 3 exports in {tmp_path}; not exports: broken.zip, holiday-photos.zip"
    assert renamed in find_exports(tmp_path) and len(find_exports(tmp_path)) == 3


def test_the_only_export_beside_other_zips_is_named(tmp_path: Path) -> None:
    only = factory.write_zip(factory.demo_spec(), tmp_path / "Basic_LinkedInDataExport_03-18-2024.zip")
    _holiday_zip(tmp_path)
    assert choose_export(tmp_path) == (
        only,
        f"chose {only}: the only export in {tmp_path}; not exports: holiday-photos.zip",
    )


def test_a_folder_of_zips_that_are_no_exports_says_so(tmp_path: Path) -> None:
    _holiday_zip(tmp_path)
    with pytest.raises(ExportError) as caught:
        choose_export(tmp_path)
    assert str(caught.value) == (
        f"{tmp_path}: holds no LinkedIn export (holiday-photos.zip is no export, and there is no Skills.csv);"
        " download your data from LinkedIn: Settings, Data privacy, Get a copy of your data"
    )


def test_a_zip_that_is_no_export_gets_an_error_about_that(tmp_path: Path) -> None:
    photos = _holiday_zip(tmp_path)
    with pytest.raises(ExportError) as caught:
        load(photos)
    assert str(caught.value) == (
        f"{photos}: is not a LinkedIn data export (it holds none of its files, such as Skills.csv); give the"
        " export zip LinkedIn sent you, or the folder it was extracted to"
    )


def test_the_export_is_never_modified(demo_zip: Path) -> None:
    before = demo_zip.read_bytes(), demo_zip.stat().st_mtime_ns
    load(demo_zip)
    assert (demo_zip.read_bytes(), demo_zip.stat().st_mtime_ns) == before


def test_missing_required_file_is_a_clear_error(tmp_path: Path) -> None:
    path = factory.write_zip(factory.demo_spec(), tmp_path / "x.zip")
    import zipfile

    with zipfile.ZipFile(path) as source, zipfile.ZipFile(tmp_path / "y.zip", "w") as target:
        for info in source.infolist():
            if info.filename != "Skills.csv":
                target.writestr(info, source.read(info))
    with pytest.raises(ExportError) as caught:
        load(tmp_path / "y.zip")
    assert str(caught.value) == (
        f"{tmp_path / 'y.zip'}: has no Skills.csv; is this the whole LinkedIn data export? (the skills you list are"
        " in Skills.csv: without it there is nothing to compare the endorsements with)"
    )


def test_a_newer_zip_beats_an_older_extracted_export_beside_it(tmp_path: Path) -> None:
    factory.write_folder(factory.demo_spec(), tmp_path / "Basic_LinkedInDataExport_03-18-2024")
    newer = factory.write_zip(factory.demo_spec(), tmp_path / "Basic_LinkedInDataExport_06-01-2025.zip")
    chosen, note = choose_export(tmp_path)
    assert chosen == newer
    assert note == f"chose {newer}: the newest of 2 exports in {tmp_path} (the zip is newer than the extracted folder)"


def test_an_older_zip_loses_to_a_newer_extracted_export(tmp_path: Path) -> None:
    extracted = factory.write_folder(factory.demo_spec(), tmp_path / "Basic_LinkedInDataExport_06-01-2025")
    factory.write_zip(factory.demo_spec(), tmp_path / "Basic_LinkedInDataExport_03-18-2024.zip")
    chosen, note = choose_export(tmp_path)
    assert chosen == extracted
    assert note == (
        f"chose {extracted}: the newest of 2 exports in {tmp_path} (the extracted folder is newer than the zips)"
    )


def test_one_stray_skills_csv_deep_down_is_no_export(tmp_path: Path) -> None:
    stray = tmp_path / "projects" / "cv" / "skills.csv"
    stray.parent.mkdir(parents=True)
    stray.write_text("Name\nPython\n")
    zipped = factory.write_zip(factory.demo_spec(), tmp_path / "Basic_LinkedInDataExport_03-18-2024.zip")
    assert choose_export(tmp_path) == (zipped, f"chose {zipped}: the only export in {tmp_path}")


def test_an_empty_connections_file_is_unknown_not_nobody(tmp_path: Path) -> None:
    files = hostile_corpus.demo_files()
    files["Connections.csv"] = b""
    export = load(hostile_corpus.write_zip(tmp_path / "x.zip", files))
    assert (export.has_connections, "Connections.csv" in export.files) == (False, False)
    assert audit(export).endorsements["is_connection"].isna().all()  # unknown, not "not a connection"
    files["Connections.csv"] = (
        factory.CONNECTIONS_PREAMBLE.encode()
        + b"First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"
    )
    assert load(hostile_corpus.write_zip(tmp_path / "y.zip", files)).has_connections  # header only: none


@pytest.mark.parametrize(
    "text",
    [
        "2024/03/18 09:30:00 UTC",
        "2024/02/29 23:59:59 UTC",  # a leap day
        "2023/02/29 10:00:00 UTC",  # no such day: kept as written
        "1900/02/29 10:00:00 UTC",  # not a leap year
        "2000/02/29 10:00:00 UTC",
        "0000/01/01 00:00:00 UTC",  # no year 0
        "2024/13/45 99:99:99 UTC",
        "2024/04/31 12:00:00 UTC",
        "2024/04/30 24:00:00 UTC",
        "2024/04/30 23:60:00 UTC",
        "2024-03-18 09:30:00 UTC",
        "2024/3/18 09:30:00 UTC",
        "٢٠٢٤/٠٣/١٨ 09:30:00 UTC",  # other digits the pattern's \d takes
        "2024/03/18 09:30:00 UTC\n",
        "2024/03/18 09:30:00 UTCx",
        "",
        "yesterday",
    ],
)
def test_dates_rewritten_at_once_read_as_one_by_one(text: str) -> None:
    """The array rewrite of LinkedIn's dates gives exactly what the one-by-one rule gives."""
    from endorse_audit.reading.export import _iso_date, _iso_dates

    assert _iso_dates(pd.Series([text, "2024/03/18 09:30:00 UTC"], dtype=object)).tolist() == [
        _iso_date(text),
        "2024-03-18T09:30:00Z",
    ]


def test_endorsements_are_plain_python_strings(demo_zip: Path) -> None:
    """Object columns, whatever is installed (pandas 3 would pick pyarrow-backed strings when it can)."""
    export = load(demo_zip)
    assert all(dtype == np.dtype(object) for dtype in export.endorsements.dtypes)
    for name, column in export.coded.items():
        assert column.values[column.codes].tolist() == export.endorsements[name].tolist()
