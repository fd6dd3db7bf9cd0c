"""What the wheel ships is product code: every module of `translate/` and `glossary/` is reached from the
console script or the library API, none exists only for the tests (issue 12: test support lived in
`translate/omegat.py`)."""

from __future__ import annotations

import ast
import tomllib

from support import ROOT

PACKAGES = ("translate", "glossary")


def module_name(path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def referenced_modules(tree: ast.AST, package: str) -> set[str]:
    """Modules a file of `package` imports (absolute or relative) or names in a string (`"pkg.mod:attr"`)."""
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(anchor + ([base] if base else []))
            found.add(base)
            found.update(f"{base}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            found.add(node.value.split(":")[0])
    # importing a.b.c runs a/__init__ and a/b/__init__ too
    return found | {name.rsplit(".", depth)[0] for name in found for depth in range(1, name.count(".") + 1)}


def test_every_shipped_module_is_reached_from_the_product():
    modules = {module_name(p): p for package in PACKAGES for p in (ROOT / package).rglob("*.py")}
    scripts = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["scripts"]
    reached = {target.split(":")[0] for target in scripts.values()} | set(PACKAGES)
    edges = {name: referenced_modules(ast.parse(path.read_text(encoding="utf-8")),
                                      name if path.name == "__init__.py" else name.rpartition(".")[0])
             for name, path in modules.items()}
    todo = list(reached)
    while todo:
        for target in edges.get(todo.pop(), ()):
            if target in modules and target not in reached:
                reached.add(target)
                todo.append(target)
    assert sorted(set(modules) - reached) == []
