"""Packaging: what an installed (not editable) copy needs is declared and shipped."""

from __future__ import annotations

import ast
import fnmatch
import importlib.metadata
import re
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
RUNTIME = ("translate", "glossary")


def _imported_modules() -> set[str]:
    found: set[str] = set()
    for package in RUNTIME:
        for path in (ROOT / package).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.Import):
                    found.update(alias.name.split(".")[0] for alias in node.names)
                elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                    found.add(node.module.split(".")[0])
    return found


def test_every_third_party_import_is_a_declared_dependency():
    declared = {re.split(r"[<>=!\[ ;]", d)[0].lower().replace("_", "-") for d in PROJECT["project"]["dependencies"]}
    distributions = importlib.metadata.packages_distributions()
    third_party = _imported_modules() - set(sys.stdlib_module_names) - set(RUNTIME)
    missing = {}
    for module in third_party:
        owners = {d.lower().replace("_", "-") for d in distributions.get(module, [module])}
        if not owners & declared:
            missing[module] = sorted(owners)
    assert not missing, f"imported at run time but not in [project] dependencies: {missing}"


def test_every_package_directory_is_included():
    patterns = PROJECT["tool"]["setuptools"]["packages"]["find"]["include"]
    for package in RUNTIME:
        for init in (ROOT / package).rglob("__init__.py"):
            name = ".".join(init.parent.relative_to(ROOT).parts)
            assert any(fnmatch.fnmatch(name, p) for p in patterns), name


def test_glossary_data_is_shipped():
    patterns = PROJECT["tool"]["setuptools"]["package-data"]["glossary"]
    data = [p.relative_to(ROOT / "glossary").as_posix() for p in (ROOT / "glossary" / "data").iterdir()]
    assert data and all(any(fnmatch.fnmatch(d, p) for p in patterns) for d in data)
