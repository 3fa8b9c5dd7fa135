"""The command line as a user drives it: outputs, summary, exit codes, errors, config."""

from __future__ import annotations

import functools
import gc
import inspect
import re
import sys
import zipfile
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import click
import factory
import pytest
from conftest import ROOT, SAMPLE_CONFIG, SAMPLE_ZIP

from endorse_audit.cli import commands as cli_module
from endorse_audit.cli.commands import cli

JSON_TYPES = {
    "schema": str,
    "export": dict,
    "summary": dict,
    "skills": list,
    "endorsements": list,
}


def test_sample_audit_writes_report_and_exits_1(run) -> None:  # type: ignore[no-untyped-def]
    result = run("audit", SAMPLE_ZIP.parent, "--config", SAMPLE_CONFIG, "--json", "audit.json", "--csv", "hide.csv")
    assert result.exit_code == 1, result.stderr
    assert (result.folder / "endorse-audit-report.html").stat().st_size > 5000
    assert "18 endorsements to hide on 12 skills you never listed, from 6 people" in result.stdout
    assert "most to hide: Consulting (3), Leadership (3)" in result.stdout
    assert "report: endorse-audit-report.html" in result.stdout
    data = result.json()
    assert {s["verdict"] for s in data["skills"]} == {"listed", "near_duplicate", "unlisted", "allowed"}


def test_json_contract(run, demo_zip: Path) -> None:  # type: ignore[no-untyped-def]
    data = run("audit", demo_zip, "--json", "audit.json").json()
    assert data["schema"] == "endorse-audit/1"
    assert data["export"]["path"] == str(demo_zip)
    assert data["export"]["date"] == "2024-03-18"
    assert set(data["summary"]) >= {"listed_skills", "endorsements", "to_hide", "near_duplicates", "endorsers_to_hide"}
    assert all(isinstance(v, int) for v in data["summary"].values())
    for skill in data["skills"]:
        assert set(skill) >= {"name", "verdict", "matched", "method", "score", "endorsements"}
        assert skill["verdict"] in {"listed", "near_duplicate", "unlisted", "allowed"}
        assert skill["method"] in {"exact", "normalized", "alias", "fuzzy", "none"}
        assert (skill["matched"] is None) == (skill["verdict"] in {"unlisted", "allowed"})
    for endorsement in data["endorsements"]:
        assert set(endorsement) >= {"date", "skill", "endorser", "profile_url", "linkedin_status", "verdict", "hide"}
        assert isinstance(endorsement["hide"], bool)
    first = data["endorsements"][0]
    assert first["date"] == "2025-11-02T08:15:40Z"
    assert first["profile_url"] == "https://www.linkedin.com/in/priya-raman-4b2a17"
    # Names are the export's spelling, trailing space included.
    assert "Economics " in {s["name"] for s in data["skills"]}
    assert data["summary"]["to_hide"] == sum(e["hide"] for e in data["endorsements"])


def test_zip_and_folder_give_the_same_json(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    spec = factory.demo_spec()
    as_zip = factory.write_zip(spec, tmp_path / "Basic_LinkedInDataExport_03-18-2024.zip")
    as_folder = factory.write_folder(spec, tmp_path / "Basic_LinkedInDataExport_03-18-2024")
    zip_json = run("audit", as_zip, "--json", "a.json", "--no-state").json("a.json")
    folder_json = run("audit", as_folder, "--json", "b.json", "--no-state").json("b.json")
    for data in (zip_json, folder_json):
        data["export"].pop("path")
        data["export"].pop("sha256")
    assert zip_json == folder_json


def test_exit_zero_quiet_and_no_html(run, demo_zip: Path) -> None:  # type: ignore[no-untyped-def]
    run("audit", demo_zip, "--no-html")  # -q is silent only when nothing is new since the last run
    result = run("audit", demo_zip, "--exit-zero", "-q", "--no-html")
    assert (result.exit_code, result.stdout, result.stderr) == (0, "", "")
    assert not (result.folder / "endorse-audit-report.html").exists()


def test_clean_profile_exits_0(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    spec = factory.demo_spec()
    spec.received = [r for r in spec.received if r.skill in spec.skills]
    result = run("audit", factory.write_zip(spec, tmp_path / "x.zip"))
    assert result.exit_code == 0, result.stdout
    assert "nothing to hide" in result.stdout


def test_zero_endorsements_is_a_clean_audit(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    spec = factory.demo_spec()
    spec.received = []
    result = run("audit", factory.write_zip(spec, tmp_path / "x.zip"), "--json", "audit.json")
    assert result.exit_code == 0, result.stderr
    assert result.json()["summary"]["endorsements"] == 0


def _zip_without(source: Path, target: Path, leave_out: str, replace: dict[str, bytes] | None = None) -> Path:
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w") as new:
        for info in old.infolist():
            if info.filename != leave_out:
                new.writestr(info, (replace or {}).get(info.filename, old.read(info)))
    return target


def test_bad_inputs_get_one_clear_line_and_exit_2(run, tmp_path: Path, demo_zip: Path) -> None:  # type: ignore[no-untyped-def]
    not_zip = tmp_path / "notes.zip"
    not_zip.write_text("hello")
    empty_file = tmp_path / "empty.zip"
    empty_file.write_bytes(b"")
    no_skills = _zip_without(demo_zip, tmp_path / "no-skills.zip", "Skills.csv")
    no_column = _zip_without(
        demo_zip,
        tmp_path / "no-column.zip",
        "",
        {"Endorsement_Received_Info.csv": b"Endorsement Date,Skill,Endorser First Name,Endorser Last Name\n"},
    )
    bad_utf16 = _zip_without(demo_zip, tmp_path / "bad.zip", "", {"Skills.csv": b"\xff\xfeN\x00a\x00\x00\xd8"})
    empty_folder = tmp_path / "nothing-here"
    empty_folder.mkdir()
    cases = {
        not_zip: f"Error: {not_zip}: is not a zip file (or is damaged); give the LinkedIn export zip or its folder",
        empty_file: f"Error: {empty_file}: is empty; download the export from LinkedIn again",
        tmp_path
        / "missing.zip": f"Error: {tmp_path / 'missing.zip'}: does not exist; give the LinkedIn export zip or its folder",
        no_skills: f"Error: {no_skills}: has no Skills.csv; is this the whole LinkedIn data export? "
        "(the skills you list are in Skills.csv: without it there is nothing to compare the endorsements with)",
        no_column: f"Error: {no_column}/Endorsement_Received_Info.csv: has no column 'Skill Name'; take this file "
        "from the original LinkedIn export (found: 'Endorsement Date', 'Skill', 'Endorser First Name', "
        "'Endorser Last Name')",
        bad_utf16: f"Error: {bad_utf16}/Skills.csv: is not valid utf-16 text; save it again as UTF-8 CSV",
        empty_folder: f"Error: {empty_folder}: holds no LinkedIn export (no zip, no Skills.csv); download your data "
        "from LinkedIn: Settings, Data privacy, Get a copy of your data",
    }
    for path, line in cases.items():
        result = run("audit", path)
        assert (result.exit_code, result.stderr.strip(), result.stdout) == (2, line, ""), path
        assert "Traceback" not in result.stderr


def test_a_folder_of_downloads_names_the_export_it_audited(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """The summary, the report and export.path name the subfolder the export was extracted to, and why."""
    downloads = tmp_path / "Downloads"
    extracted = factory.write_folder(factory.demo_spec(), downloads / "old" / "Basic_LinkedInDataExport_03-18-2024")
    result = run("audit", downloads, "--json", "audit.json", "--no-state")
    assert result.exit_code == 1, result.stderr
    assert result.stdout.splitlines()[:2] == [
        "endorse-audit: Basic_LinkedInDataExport_03-18-2024 (exported 2024-03-18)",
        f"  note: chose {extracted}: the extracted export found in {downloads}",
    ]
    assert result.json()["export"]["path"] == str(extracted)
    assert result.json()["export"]["date"] == "2024-03-18"
    report = (result.folder / "endorse-audit-report.html").read_text(encoding="utf-8")
    assert re.search(r"Export of 18 Mar 2024\s+· <bdi>Basic_LinkedInDataExport_03-18-2024</bdi>", report)


def test_a_folder_with_a_zip_that_is_no_export_names_the_one_chosen(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    downloads = tmp_path / "Downloads"
    downloads.mkdir()
    newest = factory.write_zip(factory.demo_spec(), downloads / "Basic_LinkedInDataExport_03-18-2024.zip")
    factory.write_zip(factory.demo_spec(), downloads / "Basic_LinkedInDataExport_01-02-2024.zip")
    with zipfile.ZipFile(downloads / "holiday-photos.zip", "w") as photos:
        photos.writestr("beach.jpg", b"not a photo")
    result = run("audit", downloads, "--no-html", "--no-state")
    assert result.stdout.splitlines()[1] == (
        f"  note: chose {newest}: the newest of 2 exports in {downloads}; not exports: holiday-photos.zip"
    )


def test_an_export_at_the_root_of_its_path_is_named_by_its_path(sample_audit) -> None:  # type: ignore[no-untyped-def]
    """`audit /`: a path with no last part is named in full, never as an empty name."""
    import dataclasses

    from endorse_audit.cli.terminal import quiet_lines
    from endorse_audit.report.view import report_view

    at_root = dataclasses.replace(sample_audit, export=dataclasses.replace(sample_audit.export, path="/"))
    assert at_root.export.name == "/"
    assert quiet_lines(at_root, None)[0].text.endswith(" in /")
    assert report_view(at_root, datetime(2026, 11, 21))["export_name"] == "/"


def test_failed_run_keeps_the_last_good_report(run, demo_zip: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    good = run("audit", demo_zip, "--json", "audit.json")
    report = good.folder / "endorse-audit-report.html"
    before = report.read_bytes(), (good.folder / "audit.json").read_bytes()
    broken = tmp_path / "broken.zip"
    broken.write_bytes(demo_zip.read_bytes()[:200])
    assert run("audit", broken, "--json", "audit.json").exit_code == 2
    assert (report.read_bytes(), (good.folder / "audit.json").read_bytes()) == before
    assert sorted(p.name for p in good.folder.iterdir()) == ["audit.json", "endorse-audit-report.html"]


def test_outputs_are_owner_only(run, demo_zip: Path) -> None:  # type: ignore[no-untyped-def]
    result = run("audit", demo_zip, "--json", "a.json", "--csv", "a.csv")
    for name in ("endorse-audit-report.html", "a.json", "a.csv"):
        assert (result.folder / name).stat().st_mode & 0o777 == 0o600


def test_output_path_equal_to_the_export_is_refused(run, demo_zip: Path) -> None:  # type: ignore[no-untyped-def]
    before = demo_zip.read_bytes()
    result = run("audit", demo_zip, "--html", demo_zip)
    assert result.exit_code == 2
    assert result.stderr.strip() == f"Error: {demo_zip}: is the export itself; choose another output path"
    assert demo_zip.read_bytes() == before


def test_config_allow_and_ignore(run, demo_zip: Path) -> None:  # type: ignore[no-untyped-def]
    (Path.cwd() / "endorse-audit.toml").write_text(
        '[skills]\nallow = ["Web Design"]\n[endorsers]\nignore = ["www.linkedin.com/in/kwame-asante-a81d44"]\n'
    )
    data = run("audit", demo_zip, "--json", "audit.json").json()
    verdicts = {s["name"]: s["verdict"] for s in data["skills"]}
    assert verdicts["Web Design"] == "allowed"
    kwame = [e for e in data["endorsements"] if e["endorser"] == "Kwame Asante"]
    assert kwame and not any(e["hide"] for e in kwame)
    assert all(e["ignored"] for e in kwame)


@pytest.mark.parametrize(
    "text, message",
    [
        ("[matching]\ntreshold = 80\n", "unknown key 'matching.treshold' (known: threshold)"),
        ("[matching]\nthreshold = 180\n", "'matching.threshold' must be a number from 0 to 100"),
        ("colour = 1\n", "unknown key 'colour' (known: aliases, connections, endorsers, limits, matching, skills)"),
        ('[skills]\nallow = "Web Design"\n', "'skills.allow' must be a list of non-empty strings"),
        (
            "[limits]\nmax_members = -1\n",
            "'limits.max_members' is not a whole number from 1 to 1000000000; choose one in that range",
        ),
        ("[skills\n", "is not valid TOML"),
    ],
)
def test_config_errors_name_the_key(run, demo_zip: Path, text: str, message: str) -> None:  # type: ignore[no-untyped-def]
    config = Path.cwd() / "mine.toml"
    config.write_text(text)
    result = run("audit", demo_zip, "--config", config)
    assert result.exit_code == 2
    assert result.stderr.startswith(f"Error: {config}: {message}")
    assert len(result.stderr.strip().splitlines()) == 1


def _commands(command: click.Command, path: tuple[str, ...] = ()) -> Iterator[tuple[tuple[str, ...], click.Command]]:
    """Yield every command reachable from `command` (itself included) with the words that invoke it."""
    yield path, command
    if isinstance(command, click.Group):
        context = click.Context(command)
        for name in command.list_commands(context):
            sub = command.get_command(context, name)
            assert sub is not None, name
            yield from _commands(sub, (*path, name))


COMMANDS = dict(_commands(cli))
COMMAND_IDS = [" ".join(("endorse-audit", *path)) for path in COMMANDS]


def test_every_command_is_found() -> None:
    assert {("audit",), ("history",)} <= set(COMMANDS)


@pytest.mark.parametrize("path", COMMANDS, ids=COMMAND_IDS)
def test_help_of_every_command(run, path: tuple[str, ...]) -> None:  # type: ignore[no-untyped-def]
    long, short = run(*path, "--help"), run(*path, "-h")
    assert (long.exit_code, long.stderr) == (0, ""), long.stderr
    assert (short.exit_code, short.stdout, short.stderr) == (0, long.stdout, "")
    assert long.stdout.startswith(f"Usage: {' '.join(('endorse-audit', *path))} [OPTIONS]")
    docstring = inspect.getdoc(COMMANDS[path].callback)
    assert docstring, f"{path}: no docstring, so no help"
    summary = docstring.splitlines()[0]
    assert " ".join(summary.split()) in " ".join(long.stdout.split())  # click may wrap it


def _doc_pages() -> list[Path]:
    """Return README.md and every page of the docs (docs/*.md), README first, the pages by name."""
    return [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]


@functools.cache
def _docs_option_tables() -> list[tuple[str, dict[str, bool]]]:
    """Return each option table of the docs (README.md and docs/*.md): the header's first cell, and
    {option: takes a value}.

    A table whose first header cell is "`endorse-audit audit` option" lists options of `endorse-audit audit`;
    in its first cells, each `--name VALUE` or `--flag` in backticks is one option.
    """
    tables: list[tuple[str, dict[str, bool]]] = []
    for page in _doc_pages():
        tables += _option_tables(page.read_text(encoding="utf-8").splitlines())
    return tables


def _option_tables(lines: list[str]) -> list[tuple[str, dict[str, bool]]]:
    """Return the option tables in one page's lines, in order."""
    tables: list[tuple[str, dict[str, bool]]] = []
    for number, line in enumerate(lines):
        if not line.startswith("|") or (number and lines[number - 1].startswith("|")):
            continue  # not the header row of a table
        header = line.strip("|").split("|")[0].strip()
        if not header.endswith("option"):
            continue
        options: dict[str, bool] = {}
        for row in lines[number + 2 :]:
            if not row.startswith("|"):
                break
            first_cell = re.split(r"(?<!\\)\|", row)[1]
            for written in re.findall(r"`([^`]+)`", first_cell):
                name, *value = written.split(" ", 1)
                options[name] = bool(value)
        tables.append((header, options))
    return tables


def _click_options(command: click.Command) -> dict[str, bool]:
    """Return {every spelling of every option: takes a value} as click declares them, --help included."""
    options: dict[str, bool] = {}
    for param in command.get_params(click.Context(command)):
        if isinstance(param, click.Option):
            for name in (*param.opts, *param.secondary_opts):
                options[name] = not (param.is_flag or param.count)
    return options


def _table_header(path: tuple[str, ...]) -> str:
    return f"`{' '.join(('endorse-audit', *path))}` option"


@pytest.mark.parametrize("path", COMMANDS, ids=COMMAND_IDS)
def test_docs_option_table_lists_exactly_the_options_of_every_command(path: tuple[str, ...]) -> None:
    """The first table for a command lists all of its options; any later one only options it has."""
    declared = _click_options(COMMANDS[path])
    header = _table_header(path)
    tables = [options for written, options in _docs_option_tables() if written == header]
    assert tables, f"the docs have no table headed {header}"
    assert sorted(set(declared) - set(tables[0])) == [], f"the docs' first {header} table leaves these out"
    for table in tables:
        assert sorted(set(table) - set(declared)) == [], f"a {header} table of the docs lists options it does not have"
        wrong = {
            name: "takes a value" if declared[name] else "is a flag" for name in table if table[name] != declared[name]
        }
        assert wrong == {}, f"a {header} table of the docs writes these options wrongly"


def test_docs_option_tables_each_name_a_command() -> None:
    headers = [header for header, _ in _docs_option_tables()]
    assert headers
    assert set(headers) <= {_table_header(path) for path in COMMANDS}, headers


def test_version_and_exit_status_in_help(run) -> None:  # type: ignore[no-untyped-def]
    from endorse_audit.version import __version__

    assert run("--version").stdout.strip() == f"endorse-audit, version {__version__}"
    assert "Exit status: 0 nothing to hide" in run("audit", "--help").stdout


def test_two_outputs_on_one_file_is_a_usage_error(run, demo_zip: Path) -> None:  # type: ignore[no-untyped-def]
    result = run("audit", demo_zip, "--html", "out", "--json", "out")
    assert result.exit_code == 2
    assert "--html, --json, --csv and --connections-csv must name different files." in result.stderr
    assert not (result.folder / "out").exists()


def test_usage_error_exits_2(run) -> None:  # type: ignore[no-untyped-def]
    result = run("audit")
    assert result.exit_code == 2
    assert "Missing argument 'EXPORT'" in result.stderr


def test_start_up_leaves_the_garbage_collector_on(monkeypatch: pytest.MonkeyPatch) -> None:
    """The collector is paused only while a fresh process imports the libraries, even if an import fails;
    the audit itself runs with it on."""
    monkeypatch.delitem(sys.modules, "pandas")  # as in a fresh process
    try:
        with pytest.raises(ImportError), cli_module._start_up():
            assert not gc.isenabled()
            raise ImportError("no pandas")
        assert gc.isenabled()
        assert gc.get_freeze_count() > 0  # what the imports made is never scanned again
    finally:
        gc.unfreeze()


def test_start_up_changes_nothing_where_pandas_is_imported() -> None:
    with cli_module._start_up():
        assert gc.isenabled()
