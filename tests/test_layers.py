"""The package's layers (README, Architecture): each module imports only from the layers under it."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from conftest import ROOT

PACKAGE = ROOT / "endorse_audit"
# Bottom up. A module may import any module of a lower layer, and within its own layer only one
# listed before it.
ORDER = [
    ("errors", 1), ("model", 1), ("columns", 1),
    ("config", 2),
    ("normalize", 3), ("aliases", 3), ("match", 3), ("people", 3),
    ("archive", 4), ("csvtext", 4), ("csvfile", 4), ("csvcolumns", 4), ("export", 4),
    ("network", 5), ("skill_profile", 5), ("context", 5), ("audit", 5), ("progress", 5),
    ("history_db", 6), ("history", 6),
    ("outputs", 7), ("report_dates", 7), ("report_context", 7), ("report_history", 7), ("report_view", 7), ("report_json", 7), ("schema", 7),
    ("report_csv", 7), ("report", 7),
    ("run", 8), ("batch", 8), ("schedule", 8),
    ("terminal", 9), ("cli_setup", 9), ("cli", 9), ("__main__", 9),
]  # fmt: skip
LAYERS = dict(ORDER)
POSITION = {module: index for index, (module, _) in enumerate(ORDER)}
READER = {"archive", "csvtext", "csvfile", "csvcolumns", "export"}


def _imports(path: Path) -> set[str]:
    """Return the package modules a file imports (at any depth, type-checking imports included)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            if node.module == "endorse_audit":
                found |= {alias.name for alias in node.names if alias.name in LAYERS}
            elif node.module.startswith("endorse_audit."):
                found.add(node.module.split(".")[1])
        elif isinstance(node, ast.Import):
            found |= {a.name.split(".")[1] for a in node.names if a.name.startswith("endorse_audit.")}
    return found


def _modules() -> list[str]:
    return sorted(p.stem for p in PACKAGE.glob("*.py") if p.stem != "__init__")


def test_every_module_has_a_layer() -> None:
    assert set(_modules()) == set(LAYERS)


@pytest.mark.parametrize("module", _modules())
def test_no_import_runs_upward(module: str) -> None:
    for imported in _imports(PACKAGE / f"{module}.py"):
        assert LAYERS[imported] <= LAYERS[module], f"{module} (layer {LAYERS[module]}) imports {imported}"
        assert POSITION[imported] < POSITION[module], f"{module} imports {imported}, listed after it in its layer"


@pytest.mark.parametrize(
    "module", ["history", "report", "report_context", "report_view", "report_json", "report_csv", "outputs"]
)
def test_the_report_and_the_history_never_import_the_reader(module: str) -> None:
    assert not _imports(PACKAGE / f"{module}.py") & READER


@pytest.mark.parametrize("module", _modules())
def test_no_module_over_500_lines(module: str) -> None:
    lines = (PACKAGE / f"{module}.py").read_text(encoding="utf-8").count("\n")
    assert lines <= 500, f"{module}.py has {lines} lines"


def test_the_cli_holds_no_pipeline() -> None:
    source = (PACKAGE / "cli.py").read_text(encoding="utf-8")
    for step in ("read_export", "match_skills", "open_store", "write_outputs", "render_html"):
        assert not re.search(rf"\b{step}\b", source), step


def test_the_readme_architecture_names_every_module_in_its_layer() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("### Architecture") : readme.index("### Tests and tools")]
    rows = {int(m.group(1)): m.group(0) for m in re.finditer(r"^\| (\d) [^|]*\|[^\n]*$", section, re.M)}
    for module, layer in LAYERS.items():
        if module != "__main__":
            assert f"`{module}.py`" in rows[layer], f"README's layer {layer} row does not name {module}.py"
