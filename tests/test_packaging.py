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
OPTIONAL = {"translate/distributed": "ray"}
"""Packages imported only behind a flag, and the extra that declares their third-party imports."""


def _imported_modules(packages: tuple[str, ...] = RUNTIME, skip: tuple[str, ...] = tuple(OPTIONAL)) -> set[str]:
    found: set[str] = set()
    for package in packages:
        for path in (ROOT / package).rglob("*.py"):
            if any(path.is_relative_to(ROOT / s) for s in skip):
                continue
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


def test_optional_packages_import_only_what_their_extra_declares():
    distributions = importlib.metadata.packages_distributions()
    for package, extra in OPTIONAL.items():
        declared = {re.split(r"[<>=!\[ ;]", d)[0].lower().replace("_", "-")
                    for d in PROJECT["project"]["dependencies"] + PROJECT["project"]["optional-dependencies"][extra]}
        third_party = _imported_modules((package,), skip=()) - set(sys.stdlib_module_names) - set(RUNTIME)
        missing = {m: sorted(distributions.get(m, [m])) for m in third_party
                   if not {d.lower().replace("_", "-") for d in distributions.get(m, [m])} & declared}
        assert not missing, f"{package} imports what the {extra} extra does not declare: {missing}"


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
