"""The package's layers (docs/architecture.md): each module imports only from the layers under it.

A module's layer is its folder's (`reading/`, `names/`, ...) where it has one, else its own entry in
TOP_LEVEL. Within a layer a module may import only one listed before it in ORDER.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from conftest import ROOT

PACKAGE = ROOT / "endorse_audit"
# Bottom up: the folders, each one layer, and the modules at the top with a layer of their own.
FOLDERS = {"names": 3, "reading": 4, "checks": 5, "history": 6, "report": 7, "cli": 9}
TOP_LEVEL = {
    "version": 1, "errors": 1, "export_records": 1, "model": 1, "columns": 1, "files": 1,
    "language": 2, "config": 2,
    "audit": 5,  # the one pipeline, on top of the checks
    "run": 8, "workers": 8, "batch": 8, "schedule": 8,
    "__main__": 9,
}  # fmt: skip
# Within one layer, the order in which a module may import another (earlier ones only).
ORDER = [
    "version", "errors", "export_records", "model", "columns", "files",
    "language", "config",
    "names.normalize", "names.aliases", "names.match", "names.people", "names.scripts",
    "reading.archive", "reading.csvtext", "reading.csvfile", "reading.csvcolumns", "reading.messages", "reading.export",
    "checks.network", "checks.skill_profile", "checks.suggestions", "checks.context", "checks.progress",
    "audit",
    "history.database", "history.store",
    "report.outputs", "report.dates", "report.bounded", "report.words", "report.context", "report.history", "report.view", "report.json",
    "report.schema", "report.csv", "report.render",
    "run", "workers", "batch", "schedule",
    "cli.terminal", "cli.setup_commands", "cli.commands",
]  # fmt: skip
POSITION = {module: index for index, module in enumerate(ORDER)}
READER_FOLDER = "reading"


def _modules() -> list[str]:
    """Every module of the package as a dotted name below it ("report.json"), the package's own __init__ left out."""
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE).with_suffix("").parts
        if parts != ("__init__",):
            found.append(".".join(parts))
    return found


MODULES = _modules()
FOLDER_INITS = [f"{folder}.__init__" for folder in FOLDERS]


def layer(module: str) -> int:
    folder, _, name = module.partition(".")
    return FOLDERS[folder] if name else TOP_LEVEL[module]


def _path(module: str) -> Path:
    return PACKAGE.joinpath(*module.split(".")).with_suffix(".py")


def _imports(module: str) -> set[str]:
    """Return the package modules a module imports, as dotted names (type-checking and lazy imports too).

    `from endorse_audit import x` names module x if there is one, else the package's __init__ ("__init__");
    `from endorse_audit.report import x` likewise names report.x, or the folder's "report.__init__".
    """
    found: set[str] = set()
    for node in ast.walk(ast.parse(_path(module).read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] == "endorse_audit":
            below = node.module.removeprefix("endorse_audit").lstrip(".")
            for alias in node.names:
                candidate = f"{below}.{alias.name}" if below else alias.name
                if candidate in MODULES:
                    found.add(candidate)
                elif below in MODULES:
                    found.add(below)
                else:
                    found.add(f"{below}.__init__" if below else "__init__")
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith("endorse_audit."):
                    found.add(alias.name.removeprefix("endorse_audit."))
                elif alias.name == "endorse_audit":
                    found.add("__init__")
    return found


def test_every_module_has_a_layer_and_a_place_in_the_order() -> None:
    for module in MODULES:
        if module.endswith(".__init__"):
            assert module in FOLDER_INITS, f"{module}: a folder that is no layer"
            continue
        assert layer(module)
        assert module in POSITION or module == "__main__", f"{module} is not in ORDER"
    assert set(ORDER) <= set(MODULES), set(ORDER) - set(MODULES)


def test_no_top_level_module_keeps_a_folder_prefix() -> None:
    for module in MODULES:
        if "." not in module:
            assert not re.match(r"(report_|csv|history_|cli_)", module), module


@pytest.mark.parametrize("module", [m for m in MODULES if not m.endswith("__init__")])
def test_no_import_runs_upward(module: str) -> None:
    for imported in _imports(module):
        assert imported not in ("__init__", *FOLDER_INITS), f"{module} imports the package's {imported}"
        assert layer(imported) <= layer(module), f"{module} (layer {layer(module)}) imports {imported}"
        if layer(imported) == layer(module) and module != "__main__":  # __main__ only calls cli.commands
            assert POSITION[imported] < POSITION[module], f"{module} imports {imported}, listed after it in ORDER"


@pytest.mark.parametrize("folder", FOLDERS)
def test_each_folder_says_what_belongs_in_it_and_hands_nothing_on(folder: str) -> None:
    tree = ast.parse((PACKAGE / folder / "__init__.py").read_text(encoding="utf-8"))
    assert len(ast.get_docstring(tree) or "") > 40, f"{folder}/__init__.py has no docstring saying what is in it"
    assert all(isinstance(node, ast.Expr) for node in tree.body), f"{folder}/__init__.py does more than say"


def test_the_package_init_only_hands_names_on() -> None:
    """It may import what it hands on; nothing below it imports it (test_no_import_runs_upward)."""
    source = (PACKAGE / "__init__.py").read_text(encoding="utf-8")
    assert re.search(r"^__version__ = ", source, re.M) is None, "the version lives in version.py"


@pytest.mark.parametrize(
    "module", ["history.store", "history.database", *(m for m in MODULES if m.startswith("report."))]
)
def test_the_report_and_the_history_never_import_the_reader(module: str) -> None:
    assert not {m for m in _imports(module) if m.startswith(f"{READER_FOLDER}.")}


@pytest.mark.parametrize("module", MODULES)
def test_no_module_over_500_lines(module: str) -> None:
    lines = _path(module).read_text(encoding="utf-8").count("\n")
    assert lines <= 500, f"{module} has {lines} lines"


def test_the_cli_holds_no_pipeline() -> None:
    for path in (PACKAGE / "cli").glob("*.py"):
        source = path.read_text(encoding="utf-8")
        for step in ("read_export", "match_skills", "open_store", "write_outputs", "render_html"):
            assert not re.search(rf"\b{step}\b", source), f"{path.name}: {step}"


def test_the_architecture_page_names_every_module_in_its_layer() -> None:
    page = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    rows = {int(m.group(1)): m.group(0) for m in re.finditer(r"^\| (\d+) [^|]*\|[^\n]*$", page, re.M)}
    for module in MODULES:
        if module.endswith("__init__") or module == "__main__":
            continue
        name = module.rpartition(".")[2]
        assert f"`{name}.py`" in rows[layer(module)], (
            f"docs/architecture.md's layer {layer(module)} row does not name {name}.py"
        )
