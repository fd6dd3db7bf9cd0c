"""Issue 12 (items 2 and 4): package boundaries — `glossary` is a library that never imports
`translate`, glossary errors keep their one-line message and exit code, and the engines package
declares everything the cache reads from an engine."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
import typing
from pathlib import Path

import pytest

from support import run_cli

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("translate", "glossary")




# ------------------------------------------------------------------ import graph


def _module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _modules() -> dict[str, Path]:
    return {_module_name(p): p for package in PACKAGES for p in (ROOT / package).rglob("*.py")}


def _imports(name: str, path: Path, known: set[str]) -> set[str]:
    """Every module of ours that `path` imports anywhere (top level, functions, TYPE_CHECKING blocks)."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(anchor + ([base] if base else []))
            targets = [f"{base}.{alias.name}" for alias in node.names] + [base]
        else:
            continue
        for target in targets:
            while target and target not in known:
                target = target.rpartition(".")[0]  # `from pkg.mod import name` → pkg.mod
            if target and target != name:
                found.add(target)
    return found


def _graph() -> dict[str, set[str]]:
    modules = _modules()
    return {name: _imports(name, path, set(modules)) for name, path in modules.items()}


def _cycles(graph: dict[str, set[str]]) -> list[set[str]]:
    """Strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[set[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(graph.get(node, ())):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = set()
            while True:
                top = stack.pop()
                on_stack.discard(top)
                component.add(top)
                if top == node:
                    break
            if len(component) > 1:
                found.append(component)

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_the_graph_sees_imports_made_inside_functions():
    graph = _graph()
    assert "translate.engines.argos" in graph["translate.engines.registry"]  # imported inside a function
    assert "glossary.load" in graph["translate.api"]  # imported inside build_pipeline


def test_no_glossary_module_imports_translate():
    offenders = {name: sorted(i for i in imports if i.split(".")[0] == "translate")
                 for name, imports in _graph().items() if name.split(".")[0] == "glossary"}
    assert {k: v for k, v in offenders.items() if v} == {}


def test_no_import_cycle_between_translate_and_glossary():
    graph = _graph()
    packages: dict[str, set[str]] = {}
    for name, imports in graph.items():
        packages.setdefault(name.split(".")[0], set()).update(i.split(".")[0] for i in imports)
    assert "glossary" in packages["translate"]  # translate uses the library …
    assert _cycles({p: deps - {p} for p, deps in packages.items()}) == []  # … and never the other way
    mixed = [sorted(c) for c in _cycles(graph) if len({m.split(".")[0] for m in c}) > 1]
    assert mixed == []


def test_glossary_modules_import_each_other_without_cycles():
    graph = _graph()
    glossary = {name: {i for i in imports if i.startswith("glossary")}
                for name, imports in graph.items() if name.startswith("glossary")}
    assert [sorted(c) for c in _cycles(glossary)] == []


def test_translate_errors_loads_no_glossary_code():
    code = "import sys, translate.errors, translate.engines.base; print(sorted(m for m in sys.modules if m.startswith('glossary')))"
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert out.stdout.strip() == "[]", out.stderr


# ------------------------------------------------------------------ glossary errors through the CLI


@pytest.fixture
def workdir(tmp_path: Path) -> Path:
    (tmp_path / "badflag.tsv").write_text("OTAN\tNATO\t\tcase=loud\n", encoding="utf-8")
    (tmp_path / "a.fr.txt").write_text("Le sommet de l’OTAN.\n", encoding="utf-8")
    (tmp_path / "b.fr.txt").write_text("Le sommet de l’OTAN.\n", encoding="utf-8")
    return tmp_path


BAD_FLAG = ("error: badflag.tsv:1: unknown flag 'case=loud' (expected case=auto|sensitive|insensitive; "
            "accents=strict|fold; article=keep|the|none; plural=English plural)")


@pytest.mark.parametrize(("args", "stderr"), [
    (("glossary", "check", "missing.tsv"), "error: missing.tsv: no such file\n"),
    (("glossary", "export", "out.xyz"), "error: out.xyz: unknown glossary extension '.xyz'; use .tsv, .csv or .tbx\n"),
    (("glossary", "extract", "-g", "badflag.tsv", "a.fr.txt"), BAD_FLAG + "\n"),
])
def test_glossary_commands_report_glossary_errors_in_one_line_with_exit_2(workdir: Path, args, stderr):
    result = run_cli(*args, cwd=workdir)
    assert (result.returncode, result.stderr, result.stdout) == (2, stderr, "")


def test_run_reports_a_bad_glossary_in_one_line_with_exit_2(workdir: Path, synthetic_package: Path):
    model = ("--model", str(synthetic_package), "--no-cache", "-o", "out")
    result = run_cli("run", "a.fr.txt", "-g", "missing.tsv", *model, cwd=workdir)
    assert (result.returncode, result.stderr) == (2, "error: missing.tsv: no such file\n")
    # several inputs: each file reports the error as a per-file failure, as before the split
    result = run_cli("run", "a.fr.txt", "b.fr.txt", "-g", "badflag.tsv", *model, cwd=workdir)
    lines = result.stderr.splitlines()
    assert result.returncode == 2 and lines[:2] == [BAD_FLAG, BAD_FLAG]
    assert re.fullmatch(r"0 of 2 files translated, 0 sentences in .*", lines[2]) and len(lines) == 3
    assert not (workdir / "out").exists() or not any((workdir / "out").iterdir())


# ------------------------------------------------------------------ engines


def test_engine_protocol_declares_what_the_cache_reads():
    from translate.engines.base import Engine, EngineOptions

    hints = typing.get_type_hints(Engine)
    assert hints["name"] is str and hints["version"] is str and hints["options"] is EngineOptions


def test_registry_types_engine_options():
    from translate.engines import registry
    from translate.engines.base import EngineOptions

    for function in (registry.neural_choice, registry.engine_choices, registry.choose_engine, registry.select_engine):
        assert typing.get_type_hints(function)["options"] is EngineOptions, function.__name__


def test_both_engines_carry_version_and_options(synthetic_package: Path):
    from translate.engines.apertium import ApertiumEngine
    from translate.engines.argos import CTranslate2Engine
    from translate.engines.base import Engine, EngineOptions

    rule = ApertiumEngine()
    assert isinstance(rule, Engine) and rule.options == EngineOptions() and rule.version
    neural = CTranslate2Engine(synthetic_package, EngineOptions(beam_size=1))
    try:
        assert isinstance(neural, Engine) and neural.options.beam_size == 1 and neural.version
    finally:
        neural.close()


# ------------------------------------------------------------------ the cache as an engine wrapper


class _Recorder:
    """A fake engine that records the sentences of each call and can stop on a chosen call."""

    name = "recorder"

    def __init__(self, version: str = "1", stop_on_call: int | None = None, drop: bool = False) -> None:
        from translate.engines.base import EngineOptions

        self.version, self.options = version, EngineOptions()
        self.stop_on_call, self.drop = stop_on_call, drop
        self.calls: list[list[str]] = []

    def translate(self, sentences, progress=None):
        from translate.engines.base import Translation

        if self.stop_on_call == len(self.calls) + 1:
            raise KeyboardInterrupt
        self.calls.append(list(sentences))
        if progress is not None:
            progress(len(sentences))
        return [Translation(s.upper(), -0.5) for s in sentences][: -1 if self.drop else None]

    def close(self) -> None:
        pass


def _cached(engine: _Recorder, path: Path, chunk: int = 2):
    from translate.cache import TranslationCache
    from translate.engines.cached import CachedEngine

    return CachedEngine(engine, TranslationCache(path / "cache.sqlite"), "ctx", chunk)


def test_cached_engine_is_an_engine_answering_from_the_cache_first(tmp_path: Path):
    from translate.engines.base import Engine

    first = _Recorder()
    wrapped = _cached(first, tmp_path)
    assert isinstance(wrapped, Engine)
    assert (wrapped.name, wrapped.version, wrapped.options) == ("recorder", "1", first.options)
    done: list[int] = []
    out = wrapped.translate(["un", "deux", "trois"], done.append)
    assert first.calls == [["un", "deux"], ["trois"]] and done == [2, 1]
    assert [(t.text, t.cached) for t in out] == [("UN", False), ("DEUX", False), ("TROIS", False)]
    again = _Recorder()
    done.clear()
    out = _cached(again, tmp_path).translate(["un", "quatre", "trois"], done.append)
    assert again.calls == [["quatre"]] and done == [2, 1]  # cache hits reported first, as one step
    assert [(t.text, t.score, t.cached) for t in out] == [("UN", -0.5, True), ("QUATRE", -0.5, False),
                                                          ("TROIS", -0.5, True)]


def test_cached_engine_keeps_finished_chunks_when_interrupted(tmp_path: Path):
    sentences = ["un", "deux", "trois", "quatre", "cinq"]
    with pytest.raises(KeyboardInterrupt):
        _cached(_Recorder(stop_on_call=2), tmp_path).translate(sentences)
    resumed = _Recorder()
    out = _cached(resumed, tmp_path).translate(sentences)
    assert resumed.calls == [["trois", "quatre"], ["cinq"]]
    assert [t.text for t in out] == [s.upper() for s in sentences]


def test_cached_engine_passes_an_unversioned_engine_through_in_one_call(tmp_path: Path):
    engine = _Recorder(version="")
    wrapped = _cached(engine, tmp_path, chunk=1)
    wrapped.translate(["un", "deux", "trois"])
    assert engine.calls == [["un", "deux", "trois"]] and wrapped.cache.stored == 0


def test_cached_engine_stores_nothing_from_an_engine_that_loses_sentences(tmp_path: Path):
    wrapped = _cached(_Recorder(drop=True), tmp_path)
    with pytest.raises(RuntimeError, match="engine recorder returned 1 translations for 2 sentences"):
        wrapped.translate(["un", "deux"])
    assert wrapped.cache.stored == 0
