"""The installed program, run as a user runs it: a separate process, outside the source tree."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

from conftest import ROOT, SAMPLE_CONFIG, SAMPLE_ZIP, child_env

WHERE = (
    "import endorse_audit, importlib.metadata, json, sysconfig; print(json.dumps([endorse_audit.__file__,"
    " endorse_audit.__version__, importlib.metadata.version('endorse-audit'), sysconfig.get_paths()['purelib']]))"
)


def _run(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, cwd=cwd, env=child_env(cwd), capture_output=True, text=True, timeout=120)


def test_python_dash_m_renders_the_report_from_the_installed_package(tmp_path: Path) -> None:
    """Run from an empty folder, so the installed package (and its shipped templates) is used."""
    result = _run(
        [
            sys.executable,
            "-m",
            "endorse_audit",
            "audit",
            str(SAMPLE_ZIP.parent),
            "--config",
            str(SAMPLE_CONFIG),
            "--json",
            "audit.json",
        ],
        tmp_path,
    )
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    assert "<title>Endorsement audit for" in (tmp_path / "endorse-audit-report.html").read_text(encoding="utf-8")
    assert json.loads((tmp_path / "audit.json").read_text(encoding="utf-8"))["summary"]["to_hide"] == 18

    # The package came from the installation (pip's copy, or the source tree for an editable install),
    # never from the working folder, and it is the version pip installed.
    where = _run([sys.executable, "-c", WHERE], tmp_path)
    assert where.returncode == 0, where.stderr
    module, version, installed_version, purelib = json.loads(where.stdout)
    package = Path(module).parent
    assert package in (Path(purelib) / "endorse_audit", ROOT / "endorse_audit"), package
    assert version == installed_version
    if package != ROOT / "endorse_audit":  # a real install: the wheel ships the templates inside the package
        assert (package / "templates" / "report.html").is_file()


def test_console_script_prints_version(tmp_path: Path) -> None:
    script = shutil.which("endorse-audit", path=str(Path(sys.executable).parent))
    assert script is not None, "the endorse-audit console script is not installed next to this Python"
    result = _run([script, "--version"], tmp_path)
    assert result.returncode == 0
    assert result.stdout.startswith("endorse-audit, version ")


def test_bad_input_in_a_real_process_has_no_traceback(tmp_path: Path) -> None:
    result = _run([sys.executable, "-m", "endorse_audit", "audit", "no-such-export.zip"], tmp_path)
    assert result.returncode == 2
    assert result.stderr == "Error: no-such-export.zip: does not exist; give the LinkedIn export zip or its folder\n"


def test_an_installed_pyarrow_is_never_loaded(tmp_path: Path) -> None:
    """pandas loads pyarrow at start-up when it is installed (0.1 s, 66 MiB) though endorse-audit uses
    none of it: an audit runs the same, and as fast, whether it is installed or not."""
    fake = tmp_path / "site" / "pyarrow"
    fake.mkdir(parents=True)
    marker = tmp_path / "pyarrow-was-imported"
    (fake / "__init__.py").write_text(
        f"open({str(marker)!r}, 'w').close()\nraise ImportError('a stand-in pyarrow')\n", encoding="utf-8"
    )
    out = tmp_path / "out"
    out.mkdir()
    env = {**child_env(out), "PYTHONPATH": str(fake.parent)}
    args = ["audit", str(SAMPLE_ZIP.parent), "--config", str(SAMPLE_CONFIG), "--no-state", "--json", "a.json"]
    result = subprocess.run(
        [sys.executable, "-m", "endorse_audit", *args], cwd=out, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 1, result.stderr
    assert json.loads((out / "a.json").read_text(encoding="utf-8"))["summary"]["to_hide"] == 18
    assert not marker.exists()
    probe = subprocess.run([sys.executable, "-c", "import pandas"], env=env, capture_output=True, timeout=120)
    assert probe.returncode == 0 and marker.exists()  # the stand-in is found where pandas looks
