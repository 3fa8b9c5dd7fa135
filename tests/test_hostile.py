"""Broken and hostile exports through the CLI: a clear answer for each, nothing run, nothing lost.

The corpus (tests/hostile_corpus.py) names each case's exit status and exact stderr line; every run
also checks that the export is byte for byte what it was and that no temporary file is left.
"""

from __future__ import annotations

import csv
import errno
import hashlib
import io
import json
import os
import re
import signal
import subprocess
import sys
import time
import unicodedata
from pathlib import Path
from typing import ClassVar

import hostile_corpus
import pytest
from conftest import FORMULA_PREFIXES, PageText, child_env
from hostile_corpus import CASES, Case

from endorse_audit.cli import commands as cli_module
from endorse_audit.names.people import PROFILE_BASE
from endorse_audit.report import outputs as report

ROOT = Path(__file__).resolve().parent.parent
ERROR_CASES = [case for case in CASES if case.exit_code == 2]
CASE_PARAMS = [pytest.param(case, id=case.name, marks=[pytest.mark.slow] if case.slow else []) for case in CASES]


def fingerprint(path: Path) -> str:
    """Hash everything about an export a run could change: bytes, modes, times, links (never followed)."""
    digest = hashlib.sha256()

    def add(item: Path, name: str) -> None:
        info = item.lstat()
        digest.update(f"{name}\0{info.st_mode}\0{info.st_size}\0{info.st_mtime_ns}\0".encode())
        if item.is_symlink():
            digest.update(os.readlink(item).encode())
        elif item.is_file():
            digest.update(item.read_bytes())

    add(path, ".")
    if path.is_dir() and not path.is_symlink():
        for folder, dirs, files in os.walk(path):
            for name in sorted(dirs) + sorted(files):
                add(Path(folder) / name, os.path.relpath(Path(folder) / name, path))
    return digest.hexdigest()


def leftovers(*folders: Path) -> list[str]:
    """Return temporary files an interrupted or failed write would leave (".<name>.<random>.tmp")."""
    return [str(p) for folder in folders for p in folder.rglob(".*.tmp")]


@pytest.mark.parametrize("case", CASE_PARAMS)
def test_corpus_case(run, tmp_path: Path, case: Case) -> None:  # type: ignore[no-untyped-def]
    folder = tmp_path / "case"
    export = hostile_corpus.build(case, folder)
    before = fingerprint(export)
    result = run(*case.argv(export, folder))
    assert "Traceback" not in result.stderr + result.stdout
    assert (result.exit_code, result.stderr) == (case.exit_code, case.expected_stderr(export, folder)), result.stdout
    for text in case.stdout_has:
        assert text in result.stdout
    if case.exit_code == 2:
        assert result.stdout == ""
    assert fingerprint(export) == before, "the export changed"
    assert leftovers(result.folder, folder) == []


# Words that tell the user what to do next; every error in the corpus must use one after naming the file.
ACTIONS = (
    "download",
    "take this file",
    "give",
    "save it",
    "raise [limits]",
    "choose",
    "create it",
    "copy the real file",
    "keep only one",
    "export your data",
)


@pytest.mark.parametrize("case", ERROR_CASES, ids=[case.name for case in ERROR_CASES])
def test_every_error_names_the_file_and_says_what_to_do(case: Case) -> None:
    line = case.stderr
    assert line.startswith(("{export}", "{folder}")), "the message must start with the file it is about"
    _, _, advice = line.partition("; ")
    assert advice, "the message must say what to do after what is wrong"
    assert any(action in advice for action in ACTIONS), advice
    assert "\n" not in line


def test_corpus_script_writes_every_case(tmp_path: Path) -> None:
    """`python tests/hostile_corpus.py OUTDIR` is how to get the corpus outside the tests."""
    result = subprocess.run(
        [sys.executable, str(ROOT / "tests" / "hostile_corpus.py"), str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    manifest = json.loads((tmp_path / "cases.json").read_text(encoding="utf-8"))
    assert [entry["name"] for entry in manifest] == [case.name for case in CASES]
    assert all(entry["exit_code"] in (0, 1, 2) for entry in manifest)


# --- Injection: literal text in every output ---------------------------------------------------------


def _template_vocabulary() -> tuple[set[str], set[str], int]:
    """Return the tags and attribute names the templates write, and how many <script> they hold."""
    sources = "".join(p.read_text(encoding="utf-8") for p in sorted((ROOT / "templates").glob("*.html")))
    template = PageText(sources)
    tags = set(template.tags) | {t.lower() for t in re.findall(r"<([a-zA-Z][a-zA-Z0-9]*)", sources)}
    attributes = {name for name, _ in template.attributes}
    attributes |= {a.lower() for a in re.findall(r"\s([a-zA-Z][a-zA-Z0-9_:-]*)=", sources)}
    return tags, attributes, sources.count("<script")


def _unsafe_for_terminal(text: str) -> list[str]:
    return [c for c in text if c != "\n" and not c.isprintable() and unicodedata.category(c) != "Zs"]


def test_hostile_text_is_literal_in_every_output(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    export = hostile_corpus.hostile_export(tmp_path)
    result = run("audit", export, "--json", "a.json", "--csv", "a.csv")
    assert result.exit_code == 1, result.stderr

    # JSON: every name exactly as the export spells it (the endorser's name is stripped at its ends).
    data = result.json("a.json")
    skills = {e["skill"] for e in data["endorsements"]}
    endorsers = {e["endorser"] for e in data["endorsements"]}
    assert set(hostile_corpus.HOSTILE_SKILLS) <= skills
    assert {f"{first.strip()} {last.strip()}".strip() for first, last in hostile_corpus.HOSTILE_PEOPLE} <= endorsers
    assert hostile_corpus.HOSTILE_STATUS in {e["linkedin_status"] for e in data["endorsements"]}
    # No URL from the export is ever used: links are rebuilt from a validated slug, or left out.
    assert {e["profile_url"] for e in data["endorsements"]} == {None, PROFILE_BASE + "plain-person"}

    # CSV: literal text, with a quote in front of anything a spreadsheet would run.
    rows = list(csv.reader(io.StringIO((result.folder / "a.csv").read_bytes().decode("utf-8"), newline="")))
    cells = {cell for row in rows[1:] for cell in row}
    for name in hostile_corpus.HOSTILE_SKILLS:
        assert (("'" + name) if name.startswith(FORMULA_PREFIXES) else name) in cells
    assert not [cell for cell in cells if cell.startswith(FORMULA_PREFIXES)]

    # HTML: names are text; no tag, attribute or script the templates do not write; links rebuilt.
    page = PageText((result.folder / "endorse-audit-report.html").read_bytes().decode("utf-8"))
    text = page.text
    for name in hostile_corpus.HOSTILE_SKILLS:
        assert name in text, name
    tags, attributes, scripts = _template_vocabulary()
    assert set(page.tags) <= tags
    assert {name for name, _ in page.attributes} <= attributes
    assert page.tags.count("script") == scripts
    links = [value for name, value in page.attributes if name in ("href", "src", "action", "formaction")]
    assert all(link.startswith(("#", PROFILE_BASE)) for link in links), links
    assert not [link for link in links if "script" in link or '"' in link]

    # Terminal: escapes instead of the characters, so nothing can recolour, clear or reorder it.
    assert _unsafe_for_terminal(result.stdout) == []
    assert "most to hide: \\x1b[31mRed\\x1b[0m \\x1b[2J (6), Evil\\u202eexe.txt (5)" in result.stdout
    assert "\\x1b[2JWIPED" in result.stdout


def test_terminal_errors_escape_names_from_the_export(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """A member path or a column name quoted in an error cannot reach the terminal raw either."""
    files = hostile_corpus.demo_files()
    files = {f"wrap\x1b[2J\u202e/{name}": data for name, data in files.items()}
    files["wrap\x1b[2J\u202e/Endorsement_Received_Info.csv"] = b"Endorsement Date,\x1b]0;x\x07Skill\n"
    export = hostile_corpus.write_zip(tmp_path / "x.zip", files)
    result = run("audit", export)
    assert result.exit_code == 2
    assert _unsafe_for_terminal(result.stderr) == []
    assert result.stderr == (
        f"Error: {export}/wrap\\x1b[2J\\u202e/Endorsement_Received_Info.csv: has no column 'Skill Name'; take this "
        "file from the original LinkedIn export (found: 'Endorsement Date', '\\x1b]0;x\\x07Skill')\n"
    )


# --- The file system ---------------------------------------------------------------------------------


def _previous_outputs(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


def test_disk_full_mid_write_keeps_earlier_outputs(run, demo_zip: Path, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    good = run("audit", demo_zip, "--json", "a.json", "--csv", "a.csv")
    assert good.exit_code == 1
    before = _previous_outputs(good.folder)
    real_fdopen = os.fdopen

    class FillsUp(io.BufferedWriter):
        """A file on a disk that has room for the first output and half of the second."""

        room: ClassVar[list[int]] = [len(before["endorse-audit-report.html"]) + 100]

        def write(self, data: bytes) -> int:  # type: ignore[override]
            if len(data) > self.room[0]:
                super().write(data[: self.room[0]])
                self.flush()
                self.room[0] = 0
                raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
            self.room[0] -= len(data)
            return super().write(data)

    def fdopen(fd: int, mode: str = "r", **options: object) -> io.BufferedWriter:
        if mode != "wb":
            return real_fdopen(fd, mode, **options)  # type: ignore[call-overload,no-any-return]
        return FillsUp(io.FileIO(fd, "wb"))

    monkeypatch.setattr(report.os, "fdopen", fdopen)
    result = run("audit", demo_zip, "--json", "a.json", "--csv", "a.csv")
    assert result.exit_code == 2
    assert result.stderr == (
        "Error: a.json: cannot be written (No space left on device); "
        "free some disk space or write to another disk; earlier outputs were kept\n"
    )
    assert _previous_outputs(good.folder) == before
    assert leftovers(good.folder) == []


def test_output_folder_not_writable(run, demo_zip: Path, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    def refuse(*args: object, **options: object) -> tuple[int, str]:
        raise PermissionError(errno.EACCES, os.strerror(errno.EACCES))

    monkeypatch.setattr(report.tempfile, "mkstemp", refuse)
    result = run("audit", demo_zip, "--html", "r.html")
    assert (result.exit_code, result.stderr) == (
        2,
        "Error: r.html: cannot be written (Permission denied); choose a folder you can write to; "
        "earlier outputs were kept\n",
    )


@pytest.fixture
def small_disk(tmp_path: Path):  # type: ignore[no-untyped-def]
    """Mount a 256 KiB tmpfs (as root, where allowed): a real disk that fills up, a real read-only one."""
    mounts: list[Path] = []

    def mount(name: str, *options: str) -> Path:
        point = tmp_path / name
        point.mkdir()
        done = subprocess.run(
            ["mount", "-t", "tmpfs", "-o", ",".join(("size=256k", *options)), "tmpfs", str(point)],
            capture_output=True,
            check=False,
        )
        if os.geteuid() != 0 or done.returncode != 0:
            pytest.skip("needs root and tmpfs mounts")
        mounts.append(point)
        return point

    yield mount
    for point in mounts:
        subprocess.run(["umount", str(point)], check=False)


def test_a_real_disk_that_fills_up(run, tmp_path: Path, demo_zip: Path, small_disk) -> None:  # type: ignore[no-untyped-def]
    disk = small_disk("disk")
    good = run("audit", demo_zip, "--html", disk / "r.html", "--json", disk / "a.json")
    assert good.exit_code == 1, good.stderr
    before = _previous_outputs(disk)
    big = tmp_path / "big.zip"
    hostile_corpus.large_export(big, 5_000)
    result = run("audit", big, "--html", disk / "r.html", "--json", disk / "a.json")
    assert result.exit_code == 2
    assert re.fullmatch(
        rf"Error: {re.escape(str(disk))}/(r\.html|a\.json): cannot be written \(No space left on device\); "
        r"free some disk space or write to another disk; earlier outputs were kept\n",
        result.stderr,
    ), result.stderr
    assert _previous_outputs(disk) == before
    assert leftovers(disk) == []


def test_a_real_read_only_folder(run, demo_zip: Path, small_disk) -> None:  # type: ignore[no-untyped-def]
    disk = small_disk("read-only", "ro")
    result = run("audit", demo_zip, "--html", disk / "r.html")
    assert (result.exit_code, result.stderr) == (
        2,
        f"Error: {disk}/r.html: cannot be written (Read-only file system); choose a folder you can write to; "
        "earlier outputs were kept\n",
    )


# --- Interrupts --------------------------------------------------------------------------------------


def test_ctrl_c_while_writing_leaves_no_partial_file(
    tmp_path: Path, demo_zip: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A real SIGINT between writing the first output and the second, through the real main()."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "a.json").write_text("previous run\n")
    real_stage = report._stage

    def stage_then_interrupt(path: Path, text: str) -> str:
        temporary = real_stage(path, text)
        os.kill(os.getpid(), signal.SIGINT)
        return temporary

    monkeypatch.setattr(report, "_stage", stage_then_interrupt)
    monkeypatch.setattr(sys, "argv", ["endorse-audit", "audit", str(demo_zip), "--json", "a.json", "--csv", "a.csv"])
    with pytest.raises(SystemExit) as done:
        cli_module.main()
    assert done.value.code == 130
    assert capsys.readouterr().err == "Interrupted; nothing was written.\n"
    assert sorted(p.name for p in tmp_path.iterdir() if p.is_file()) == [
        "Basic_LinkedInDataExport_03-18-2024.zip",
        "a.json",
    ]
    assert (tmp_path / "a.json").read_text() == "previous run\n"
    assert leftovers(tmp_path) == []
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler


def test_running_out_of_memory_is_one_line_and_status_2(
    demo_zip: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from endorse_audit.reading import export

    def exhausted(*args: object, **options: object) -> None:
        raise MemoryError

    monkeypatch.setattr(export, "load", exhausted)
    monkeypatch.setattr(sys, "argv", ["endorse-audit", "audit", str(demo_zip), "--no-html"])
    with pytest.raises(SystemExit) as done:
        cli_module.main()
    assert done.value.code == 2
    assert capsys.readouterr().err == "Error: out of memory; lower the [limits] in the config, or free some memory\n"


def _cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


@pytest.mark.slow
@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads the child's CPU time from /proc")
def test_ctrl_c_in_a_real_process(tmp_path: Path) -> None:
    """SIGINT to `python -m endorse_audit` busy on a large export: one line, 130, nothing written."""
    export = tmp_path / "big.zip"
    hostile_corpus.large_export(export, 300_000)
    work = tmp_path / "work"
    work.mkdir()
    (work / "endorse-audit-report.html").write_text("previous report\n")
    before = fingerprint(export)
    child = subprocess.Popen(
        [sys.executable, "-m", "endorse_audit", "audit", str(export), "--json", "a.json", "--csv", "a.csv"],
        cwd=work,
        env=child_env(tmp_path),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    # Wait until it is past start-up and working on the export (imports take well under 2 s of CPU).
    while child.poll() is None and _cpu_seconds(child.pid) < 2.0:
        time.sleep(0.05)
    assert child.poll() is None, "the run ended before it could be interrupted: make the export larger"
    child.send_signal(signal.SIGINT)
    stdout, stderr = child.communicate(timeout=60)
    assert (child.returncode, stderr, stdout) == (130, "Interrupted; nothing was written.\n", "")
    assert sorted(p.name for p in work.iterdir()) == ["endorse-audit-report.html"]
    assert (work / "endorse-audit-report.html").read_text() == "previous report\n"
    assert fingerprint(export) == before
