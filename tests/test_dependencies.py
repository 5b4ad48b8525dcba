"""Every module archlint imports at run time comes from a dependency pyproject.toml
declares: nothing works only because the machine happens to have it installed."""

from __future__ import annotations

import ast
import re
import sys
from importlib.metadata import packages_distributions
from pathlib import Path

if sys.version_info >= (3, 11):
    import tomllib
else:
    import tomli as tomllib

REPO = Path(__file__).resolve().parent.parent
RUNTIME_FOLDERS = ("specs", "linter", "rules", "render")


def _normalized(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def declared_distributions() -> set[str]:
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    return {_normalized(re.split(r"[\s;<>=!~\[]", requirement, maxsplit=1)[0]) for requirement in project["dependencies"]}


def imported_top_level_modules() -> dict[str, str]:
    """Top-level module name -> one file importing it, for every import in the runtime
    code, those inside functions (the lazy ones) included."""
    found = {}
    for folder in RUNTIME_FOLDERS:
        for path in sorted((REPO / folder).rglob("*.py")):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.Import):
                    names = [alias.name for alias in node.names]
                elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                    names = [node.module]
                else:
                    continue
                for name in names:
                    found.setdefault(name.split(".")[0], str(path.relative_to(REPO)))
    return found


def test_every_third_party_import_is_a_declared_dependency():
    distributions = packages_distributions()
    declared = declared_distributions()
    undeclared = {}
    for module, where in imported_top_level_modules().items():
        if module in sys.stdlib_module_names or module == "archlint" or module == "tomllib":
            continue
        providers = {_normalized(name) for name in distributions.get(module, [module])}
        if not providers & declared:
            undeclared[module] = where
    assert undeclared == {}, f"imported but not in [project] dependencies: {undeclared}"


def test_the_check_sees_the_lazy_imports():
    """Guards the scan: the template reader's imports are inside functions."""
    modules = imported_top_level_modules()
    assert {"yaml", "networkx", "cfnlint", "samtranslator", "boto3", "diagrams"} <= set(modules)
