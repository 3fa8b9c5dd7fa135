"""Many exports at once (reports, index, combined JSON, bad exports skipped) and the large-export fast paths.

The fast paths (reading, the tidy table, the verdicts spread over rows, the JSON written piece by piece)
must give exactly what the plain pandas code gives: that plain code is kept below as the oracle.
"""

from __future__ import annotations

import json
import re
import zipfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import factory
import hostile_corpus
import pandas as pd
import pytest
from conftest import SAMPLE_CONFIG, SAMPLE_ZIP, child_env
from hypothesis import given, settings
from hypothesis import strategies as st

from endorse_audit import batch
from endorse_audit.audit import audit
from endorse_audit.config import Config, load_config
from endorse_audit.names import people
from endorse_audit.reading import archive, csvfile, csvtext, export
from endorse_audit.report import json as report_json


def _zip(folder: Path, name: str, spec: factory.ExportSpec | None = None) -> Path:
    return factory.write_zip(spec or factory.demo_spec(), folder / name)


def _clean_spec() -> factory.ExportSpec:
    spec = factory.demo_spec()
    spec.received = [r for r in spec.received if r.skill in spec.skills]
    return spec


# --- Several exports at once ---------------------------------------------------------------------


def test_several_exports_give_a_report_each_an_index_and_one_json(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    first = _zip(tmp_path / "a", "Basic_LinkedInDataExport_03-18-2024.zip")
    second = _zip(tmp_path / "b", "Basic_LinkedInDataExport_05-01-2025.zip", _clean_spec())
    result = run("audit", first, second, "--jobs", "1")
    assert result.exit_code == 1, result.stderr
    assert result.stderr == ""  # no progress bar when stderr is not a terminal
    out = result.folder / "endorse-audit-reports"
    assert sorted(p.name for p in out.iterdir()) == [
        "Basic_LinkedInDataExport_03-18-2024.html",
        "Basic_LinkedInDataExport_05-01-2025.html",
        "audit.json",
        "index.html",
    ]
    assert "Basic_LinkedInDataExport_03-18-2024.zip: 7 endorsements to hide of 25" in result.stdout
    assert "Basic_LinkedInDataExport_05-01-2025.zip: nothing to hide" in result.stdout
    index = (out / "index.html").read_text(encoding="utf-8")
    assert (
        '<a href="./Basic_LinkedInDataExport_03-18-2024.html"><bdi>Basic_LinkedInDataExport_03-18-2024.zip</bdi></a>'
        in index
    )
    assert all((p.stat().st_mode & 0o777) == 0o600 for p in out.iterdir())

    # Each export's document in the combined JSON is exactly what --json writes for that export alone.
    text = (out / "audit.json").read_text(encoding="utf-8")
    combined = json.loads(text)
    assert text == json.dumps(combined, ensure_ascii=False, indent=1) + "\n"
    assert (combined["schema"], combined["errors"]) == ("endorse-audit/1", [])
    for number, path in enumerate((first, second)):
        alone = run("audit", path, "--no-state", "--no-html", "--json", f"{number}.json").json(f"{number}.json")
        assert combined["exports"][number] == alone


def test_a_bad_export_is_reported_and_skipped(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    good = _zip(tmp_path, "Basic_LinkedInDataExport_03-18-2024.zip")
    broken = tmp_path / "broken.zip"
    broken.write_text("not a zip")
    result = run("audit", broken, good, tmp_path / "missing.zip", "-q")
    assert result.exit_code == 1, result.stderr
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        f"Error: {broken}: is not a zip file (or is damaged); give the LinkedIn export zip or its folder",
        f"Error: {tmp_path / 'missing.zip'}: does not exist; give the LinkedIn export zip or its folder",
    ]
    combined = result.json("endorse-audit-reports/audit.json")
    assert [e["export"]["path"] for e in combined["exports"]] == [str(good)]
    assert [e["path"] for e in combined["errors"]] == [str(broken), str(tmp_path / "missing.zip")]
    assert "could not be read" in (result.folder / "endorse-audit-reports" / "index.html").read_text()


def test_when_every_export_fails_nothing_is_written_and_exit_is_2(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    broken = tmp_path / "broken.zip"
    broken.write_text("not a zip")
    result = run("audit", broken, tmp_path / "missing.zip")
    assert result.exit_code == 2
    assert len(result.stderr.splitlines()) == 2 and result.stdout == ""
    assert not (result.folder / "endorse-audit-reports").exists()


def test_all_audits_every_export_in_a_folder_not_only_the_newest(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    downloads = tmp_path / "downloads"
    _zip(downloads, "Basic_LinkedInDataExport_03-18-2024.zip")
    _zip(downloads, "Basic_LinkedInDataExport_05-01-2025.zip", _clean_spec())
    (downloads / "notes.txt").write_text("not an export")
    # Without --all a folder of exports is still its newest export only.
    single = run("audit", downloads, "--no-state", "--no-html", "--json", "one.json")
    assert single.exit_code == 0 and single.json("one.json")["export"]["date"] == "2025-05-01"

    extracted = factory.write_folder(factory.demo_spec(), tmp_path / "extracted")
    nothing = tmp_path / "nothing"
    nothing.mkdir()
    result = run("audit", "--all", downloads, extracted, nothing, "--out-dir", "reports", "--exit-zero")
    assert result.exit_code == 0, result.stderr
    combined = result.json("reports/audit.json")
    # Newest first, then the extracted export; the folder holding no export is reported and skipped.
    assert [e["export"]["path"] for e in combined["exports"]] == [
        str(downloads / "Basic_LinkedInDataExport_05-01-2025.zip"),
        str(downloads / "Basic_LinkedInDataExport_03-18-2024.zip"),
        str(extracted),
    ]
    assert result.stderr.startswith(f"Error: {nothing}: holds no LinkedIn export")


def test_same_names_get_distinct_reports_and_file_names_stay_text(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    first = _zip(tmp_path / "a", "<img src=x>.zip")
    second = _zip(tmp_path / "b", "<img src=x>.zip")
    plain = _zip(tmp_path / "c", "index.zip")
    result = run("audit", first, second, plain, "--jobs", "1")
    assert result.exit_code == 1, result.stderr
    out = result.folder / "endorse-audit-reports"
    assert sorted(p.name for p in out.iterdir()) == [
        "<img src=x>-2.html",
        "<img src=x>.html",
        "audit.json",
        "index-2.html",  # "index.html" is the index itself
        "index.html",
    ]
    index = (out / "index.html").read_text(encoding="utf-8")
    assert "<img" not in index
    assert 'href="./%3Cimg%20src%3Dx%3E-2.html"' in index
    assert 'href="./index-2.html"' in index


@pytest.mark.slow
def test_worker_processes_give_the_same_outputs_as_one(run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1790000000")
    exports = [_zip(tmp_path / str(n), f"Basic_LinkedInDataExport_0{n + 1}-01-2025.zip") for n in range(4)]
    broken = tmp_path / "broken.zip"
    broken.write_bytes(b"PK\x03\x04 cut short")
    outputs = {}
    for jobs in ("1", "2"):
        result = run("audit", *exports, broken, "--jobs", jobs, "--out-dir", f"jobs-{jobs}")
        assert result.exit_code == 1, result.stderr
        assert len(result.stderr.splitlines()) == 1
        folder = result.folder / f"jobs-{jobs}"
        outputs[jobs] = {p.name: p.read_bytes() for p in folder.iterdir()}
    assert outputs["1"] == outputs["2"]
    assert len(outputs["2"]) == 6  # four reports, the index, the JSON


def test_options_for_one_export_are_refused_with_several(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    first, second = _zip(tmp_path / "a", "a.zip"), _zip(tmp_path / "b", "b.zip")
    for option in (
        ["--json", "x.json"],
        ["--html", "x.html"],
        ["--csv", "x.csv"],
        ["--connections-csv", "c.csv"],
        ["--state", "h.sqlite3"],
    ):
        result = run("audit", first, second, *option)
        assert result.exit_code == 2
        assert f"{option[0]} is for a single export" in result.stderr
    assert run("audit", "--all").exit_code == 2


def test_out_dir_that_is_a_file_is_a_clear_error(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    (Path.cwd() / "taken").write_text("x")
    result = run("audit", _zip(tmp_path, "a.zip"), _zip(tmp_path, "b.zip"), "--out-dir", "taken")
    assert result.exit_code == 2
    assert result.stderr == "Error: taken: is a file, not a folder; give a folder for the reports (--out-dir DIR)\n"


# --- The fast paths against the plain code --------------------------------------------------------

_PROFILE_URL = re.compile(r"^\s*(?:https?://)?(?:[a-z]{2,3}\.)?linkedin\.com/in/([^/?#\s]+)/?\s*$", re.IGNORECASE)
_SLUG = re.compile(r"^[\w-]{3,100}$")


def plain_slugs(urls: pd.Series) -> pd.Series:
    extracted = urls.str.extract(_PROFILE_URL, expand=False).fillna("").map(unquote)
    return extracted.where(extracted.str.fullmatch(_SLUG).fillna(False).astype(bool), "")


def _text(table: pd.DataFrame, wanted: str) -> pd.Series:
    found = csvfile.find_column(table, wanted)
    if found is None:
        return pd.Series([""] * len(table), index=table.index, dtype=object)
    return table[found].astype(object).fillna("").str.strip()


def plain_endorsements(table: pd.DataFrame) -> pd.DataFrame:
    """The tidy table as plain row-by-row pandas code makes it."""
    raw_dates = _text(table, "Endorsement Date")
    dates = raw_dates.str.replace(r"^(\d{4})/(\d{2})/(\d{2}) (\d{2}:\d{2}:\d{2}) UTC$", r"\1-\2-\3T\4Z", regex=True)
    endorser = (_text(table, "Endorser First Name") + " " + _text(table, "Endorser Last Name")).str.strip()
    result = pd.DataFrame(
        {
            "date": dates,
            "skill": table[csvfile.column_name(table, "Skill Name")].astype(object).fillna(""),
            "endorser": endorser,
            "slug": plain_slugs(_text(table, "Endorser Public Url")),
            "status": _text(table, "Endorsement Status").str.upper(),
        }
    )
    folded = result["endorser"].map(lambda name: "name:" + " ".join(name.casefold().split()))
    result["endorser_id"] = result["slug"].where(result["slug"] != "", folded)
    return result[result["skill"].str.strip() != ""].reset_index(drop=True)


def _received(path: Path) -> pd.DataFrame:
    with zipfile.ZipFile(path) as zipped:
        name = next(n for n in zipped.namelist() if archive.canonical_name(n) == archive.RECEIVED)
        data = zipped.read(name)
    text = csvtext.decode(data, name)
    offset, delimiter = csvtext.find_header(text, "Endorsement Date")
    import io

    return pd.read_csv(io.StringIO(text[offset:]), sep=delimiter, dtype=str, keep_default_na=False, na_filter=False)


def _exports(folder: Path) -> list[Path]:
    spec = factory.demo_spec()
    spec.received.append(factory.Row(" 2026/01/01 00:00:00 UTC ", "  ", factory.Person(" Ann ", "", "a%C3%A9-b")))
    spec.received.append(factory.Row("01/02/2026", "Odd", factory.Person("Bo", " Li", "bo"), "weird"))
    spec.received.append(factory.Row("2026/01/02 00:00:00 UTC", "007", factory.Person("0", "1e3", "zero-one"), "1"))
    empty = factory.demo_spec()
    empty.received = []
    return [
        SAMPLE_ZIP,
        factory.write_zip(spec, folder / "demo.zip"),
        factory.write_zip(spec, folder / "old.zip", old_header=True),
        factory.write_zip(spec, folder / "utf16.zip", encoding="utf-16-tab"),
        factory.write_zip(empty, folder / "empty.zip"),
        hostile_corpus.hostile_export(folder / "hostile"),
    ]


def test_the_tidy_table_is_what_plain_pandas_code_makes(tmp_path: Path) -> None:
    for path in _exports(tmp_path):
        loaded = export.load(path)
        pd.testing.assert_frame_equal(loaded.endorsements, plain_endorsements(_received(path)), check_dtype=False)


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.one_of(
            st.text(max_size=30),
            st.builds(
                lambda scheme, slug, tail: f"{scheme}linkedin.com/in/{slug}{tail}",
                st.sampled_from(["", "www.", "https://www.", "http://de.", " HTTPS://"]),
                st.text(max_size=20),
                st.sampled_from(["", "/", "?x=1", " ", "/details"]),
            ),
        ),
        max_size=20,
    )
)
def test_slugs_are_what_the_plain_regex_gives(urls: list[str]) -> None:
    series = pd.Series(urls + urls[:3], dtype=object, index=range(100, 100 + len(urls) + min(3, len(urls))))
    assert people.slugs(series).tolist() == plain_slugs(series).tolist()
    assert list(people.slugs(series).index) == list(series.index)


def test_json_written_in_pieces_is_exactly_json_dumps(tmp_path: Path) -> None:
    configs = [Config(), load_config(SAMPLE_CONFIG), Config(ignore_endorsers=("Kwame Asante",), allow=("Web Design",))]
    for path in _exports(tmp_path):
        for config in configs:
            result = audit(export.load(path), config)
            text = report_json.render_json(result)
            assert text == json.dumps(report_json.audit_dict(result), ensure_ascii=False, indent=1) + "\n"
            assert b"".join(report_json.iter_json(result)).decode() == text
            compact = report_json.render_json(result, compact=True)
            document = report_json.audit_dict(result)
            assert compact == json.dumps(document, ensure_ascii=False, separators=(",", ":")) + "\n"
            assert b"".join(report_json.iter_json(result, compact=True)).decode() == compact


def test_json_is_valid_for_strict_parsers_unmatched_is_null(sample_audit) -> None:  # type: ignore[no-untyped-def]
    text = report_json.render_json(sample_audit)

    def refuse(constant: str) -> None:
        raise AssertionError(f"{constant} is not JSON")

    data = json.loads(text, parse_constant=refuse)
    unlisted = [e for e in data["endorsements"] if e["verdict"] == "unlisted"]
    assert unlisted and all(e["matched"] is None for e in unlisted)


def test_a_large_export_in_many_json_pieces(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(report_json, "_JSON_ROWS", 7)  # many pieces, and rows of one piece from several groups
    result = audit(export.load(factory.write_zip(factory.demo_spec(), tmp_path / "x.zip")))
    pieces = list(report_json.iter_json(result))
    assert len(pieces) > 4
    assert b"".join(pieces).decode() == json.dumps(report_json.audit_dict(result), ensure_ascii=False, indent=1) + "\n"
    compact = b"".join(report_json.iter_json(result, compact=True)).decode()
    assert compact == json.dumps(report_json.audit_dict(result), ensure_ascii=False, separators=(",", ":")) + "\n"


@pytest.mark.parametrize("compact", [False, True], ids=["indented", "compact"])
def test_combined_json_is_each_exports_document_copied_as_written(
    tmp_path: Path, compact: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The parent copies the workers' parts byte for byte; the whole is json.dumps of the whole, exactly."""
    monkeypatch.setattr(report_json, "_JSON_ROWS", 3)  # documents of many pieces
    paths = _exports(tmp_path)[1:3]
    out = tmp_path / "reports"
    layout: dict[str, Any] = {"separators": (",", ":")} if compact else {"indent": 1}
    batch.run(paths, Config(), out, jobs=1, json_compact=compact, generated_at=datetime(2026, 11, 21, tzinfo=UTC))
    documents = [report_json.audit_dict(audit(export.load(path))) for path in paths]
    expected = {"schema": report_json.SCHEMA, "generator": documents[0]["generator"], "exports": documents}
    expected["errors"] = []
    assert (out / "audit.json").read_text(encoding="utf-8") == json.dumps(expected, ensure_ascii=False, **layout) + "\n"


def test_help_and_version_do_not_import_the_heavy_libraries(tmp_path: Path) -> None:
    import subprocess
    import sys

    code = (
        "import sys; from endorse_audit.cli.commands import main; sys.argv = ['endorse-audit', '--help']\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "print(sorted(m for m in ('pandas', 'numpy', 'rapidfuzz', 'jinja2') if m in sys.modules))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path, env=child_env(tmp_path)
    )
    assert done.stdout.strip().splitlines()[-1] == "[]", done.stdout + done.stderr


def test_the_index_counts_a_members_endorsements_once_and_names_reports_after_their_zip(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from test_history import FIRST, LATER, later_spec

    first = _zip(tmp_path / "a", FIRST)  # 7 to hide
    later = _zip(tmp_path / "downloads", LATER, later_spec())  # the same member: 10 to hide, 3 of them new
    result = run("audit", first, later.parent, "--jobs", "1")  # the second given as the folder holding it
    assert result.exit_code == 1, result.stderr
    out = result.folder / "endorse-audit-reports"
    reports = {FIRST.replace(".zip", ".html"), LATER.replace(".zip", ".html")}
    assert {p.name for p in out.glob("*.html")} == reports | {"index.html"}
    index = (out / "index.html").read_text(encoding="utf-8")
    assert "<strong>10</strong> distinct endorsements to hide" in index  # not 7 + 10
    assert (
        '<td><bdi>Sam Rivera</bdi></td><td class="num">2</td><td class="num"><span class="hide">10</span></td>' in index
    )
    assert f'<a href="./{LATER.replace(".zip", ".html")}"><bdi>{LATER}</bdi></a>' in index
    assert "18 Mar 2024" in index and "2024-03-18" not in index
