"""Resource bombs inside the default limits, each audited by a real process under a CPU limit.

Small zips whose content costs far more than its size: a name of many "(y)" groups, a long headline
against long names, one field of 50 MiB, thousands of listed skills. Each must finish in seconds of
CPU and a few hundred MiB, with a note for what was cut.
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import hostile_corpus
import pytest
from conftest import child_env

pytestmark = pytest.mark.slow  # each audits a bomb in a real process

CPU_SECONDS = 30  # the child is killed past this; before the fixes these took 10 s to minutes
MAX_RSS_MIB = 600  # before the fixes: up to 4.6 GiB


def _audit_in_a_process(export: Path, work: Path) -> tuple[int, str, float, float]:
    """Run `python -m endorse_audit audit EXPORT` with a CPU limit; return status, stdout, CPU s, peak MiB."""

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_CPU, (CPU_SECONDS, CPU_SECONDS))

    work.mkdir(exist_ok=True)
    command = [sys.executable, "-m", "endorse_audit", "audit", str(export), "--no-state", "--json", "a.json"]
    with open(work / "out.txt", "w+") as out:
        child = subprocess.Popen(
            command, cwd=work, env=child_env(work), stdout=out, stderr=subprocess.STDOUT, preexec_fn=limit
        )
        _, status, usage = os.wait4(child.pid, 0)
        child.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        text = out.read()
    return child.returncode, text, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


def _many_listed_skills(folder: Path) -> Path:
    rows = [
        ["Name"],
        *(
            [f"{word} {number}"]
            for number in range(1_000)
            for word in ("Python", "Data Analysis", "SQL", "Excel", "Go")
        ),
    ]
    return hostile_corpus._demo_zip(folder, replace={hostile_corpus.SKILLS: hostile_corpus.csv_bytes(rows)})


def _similar_listed_skills(folder: Path, name: Callable[[int], str] = "Skill Number {} of Many".format) -> Path:
    rows = [["Name"], *([name(number)] for number in range(3_000))]
    return hostile_corpus._demo_zip(folder, replace={hostile_corpus.SKILLS: hostile_corpus.csv_bytes(rows)})


BOMBS = [
    pytest.param("many-parenthesised-parts", id="parens"),
    pytest.param("long-headline-long-names", id="headline"),
    pytest.param("field-of-50-mib", id="field-of-50-mib", marks=pytest.mark.slow),
    pytest.param("header-of-30000-columns", id="header-of-30000-columns"),
    pytest.param("header-of-300000-columns", id="header-of-300000-columns"),
    pytest.param("rows-padded-with-10000-cells", id="rows-padded"),
]


@pytest.mark.skipif(not hasattr(os, "wait4"), reason="reads the child's peak memory from wait4")
@pytest.mark.parametrize("name", BOMBS)
def test_a_bomb_costs_seconds_and_little_memory(tmp_path: Path, name: str) -> None:
    case = next(case for case in hostile_corpus.CASES if case.name == name)
    export = hostile_corpus.build(case, tmp_path / "case")
    status, output, cpu, rss = _audit_in_a_process(export, tmp_path / "work")
    assert status == case.exit_code, output[-2000:]
    for text in case.stdout_has:
        assert text in output
    assert cpu < CPU_SECONDS, cpu  # the quadratic way took minutes; a bound, not a benchmark
    assert rss < MAX_RSS_MIB, rss
    if case.stderr:  # refused: one line, before the work it would cost
        assert output == case.expected_stderr(export, tmp_path / "case")
    else:
        assert (tmp_path / "work" / "endorse-audit-report.html").stat().st_size < 5 * 1024**2


@pytest.mark.skipif(not hasattr(os, "wait4"), reason="reads the child's peak memory from wait4")
def test_five_thousand_listed_skills(tmp_path: Path) -> None:
    status, output, cpu, rss = _audit_in_a_process(_many_listed_skills(tmp_path), tmp_path / "work")
    assert status == 1, output[-2000:]
    assert "5000 listed skills" in output.replace(",", "")
    assert cpu < CPU_SECONDS, cpu  # the quadratic way took minutes; a bound, not a benchmark
    assert rss < MAX_RSS_MIB, rss


READ_MULTIPLE = 4  # the docs' "Limits": reading a CSV takes at most this many times its size in memory


@pytest.mark.skipif(not hasattr(os, "wait4"), reason="reads the child's peak memory from wait4")
@pytest.mark.parametrize("padded", ["rows-padded-with-10000-cells", "messages-padded"])
def test_rows_padded_with_empty_cells_cost_a_bounded_multiple_of_their_size(tmp_path: Path, padded: str) -> None:
    if padded == "messages-padded":
        export, status_wanted = hostile_corpus.messages_padded(tmp_path / "case"), 1
        size = (export / "messages.csv").stat().st_size
    else:
        case = next(case for case in hostile_corpus.CASES if case.name == padded)
        export, status_wanted = hostile_corpus.build(case, tmp_path / "case"), 2
        size = (export / hostile_corpus.RECEIVED).stat().st_size
    demo = hostile_corpus.write_tree(tmp_path / "demo", hostile_corpus.demo_files())
    *_, baseline = _audit_in_a_process(demo, tmp_path / "demo-work")  # the program itself, for the same export
    status, output, cpu, rss = _audit_in_a_process(export, tmp_path / "work")
    assert cpu < CPU_SECONDS, cpu
    assert status == status_wanted, output[-2000:]
    assert size > 15 * 1024**2  # large enough that the multiple, not the noise, decides
    assert rss - baseline < READ_MULTIPLE * size / 1024**2, (rss, baseline, size / 1024**2)


@pytest.mark.skipif(not hasattr(os, "wait4"), reason="reads the child's peak memory from wait4")
def test_three_thousand_similar_listed_skills(tmp_path: Path) -> None:
    """Each alike enough to every other to be asked about: the duplicate check judged them one at a time."""
    status, output, cpu, rss = _audit_in_a_process(_similar_listed_skills(tmp_path), tmp_path / "work")
    assert status == 1, output[-2000:]
    assert "3000 listed skills" in output.replace(",", "")
    assert cpu < CPU_SECONDS, cpu  # 78 s before the matcher's index was built once for all of them
    assert rss < MAX_RSS_MIB, rss


@pytest.mark.skipif(not hasattr(os, "wait4"), reason="reads the child's peak memory from wait4")
def test_three_thousand_listed_skills_one_letter_apart(tmp_path: Path) -> None:
    """Every pair one edit apart, and no pair a spelling variant (the letter that differs is a word of its
    own): the spelling test ran on all nine million pairs."""
    export = _similar_listed_skills(tmp_path, lambda number: f"Skill Number {chr(0x4E00 + number)} of Many")
    status, output, cpu, rss = _audit_in_a_process(export, tmp_path / "work")
    assert status == 1, output[-2000:]
    assert "3000 listed skills" in output.replace(",", "")
    assert cpu < CPU_SECONDS, cpu
    assert rss < MAX_RSS_MIB, rss
