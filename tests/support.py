"""Helpers shared by test modules: the real command (in this process or a child), one fake engine, skip-or-fail."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Sequence

import pytest

from translate.document import TermHit
from translate.engines.base import Translation

ROOT = Path(__file__).resolve().parents[1]
"""The repository root: child processes run here so that `python -m translate.cli` is this checkout."""


def need(available: bool, why: str, module: bool = False) -> None:
    """Skip when a system tool (Apertium, OmegaT) is missing here; fail in CI, which installs them all."""
    if available:
        return
    if os.environ.get("CI"):
        pytest.fail(f"CI must provide this: {why}", pytrace=False)
    pytest.skip(why, allow_module_level=module)


def run_cli(*args: str, env: dict | None = None, timeout: float = 300, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    """`translate ARGS` (run in `cwd`) through the command's entry point, `translate.cli.main`, in this process.

    The same path as `python -m translate.cli ARGS` (argv, SIGTERM handler, one-line errors, exit code,
    a traceback on stderr for what escapes), without a new interpreter and fresh imports per call,
    which were most of the suite's time. `env` adds to (or overrides) the environment for the call.
    Use run_cli_process where the process itself is the point (signals, limits, start-up, imports).
    """
    import contextlib
    import io
    import signal
    import traceback
    import warnings

    from translate.cli import main

    out, err = io.StringIO(), io.StringIO()
    saved_env = {name: os.environ.get(name) for name in env or {}}
    saved_argv, saved_sigterm, saved_cwd = sys.argv, signal.getsignal(signal.SIGTERM), os.getcwd()
    code = 0
    try:
        os.environ.update(env or {})
        sys.argv = [str(ROOT / "translate" / "cli.py"), *args]
        os.chdir(cwd)
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err), warnings.catch_warnings():
            _python_warning_defaults(err)
            try:
                main()
            except SystemExit as done:
                code = _exit_status(done.code, err)
            except BaseException:  # noqa: BLE001 - what the interpreter does with an uncaught exception
                traceback.print_exc(file=err)
                code = 1
    finally:
        for name, value in saved_env.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
        sys.argv = saved_argv
        signal.signal(signal.SIGTERM, saved_sigterm)
        os.chdir(saved_cwd)
    return subprocess.CompletedProcess(["translate", *args], code, out.getvalue(), err.getvalue())


def _exit_status(code: object, err) -> int:
    """The status `sys.exit(code)` gives a process: None is 0, an int itself, anything else printed and 1."""
    if code is None:
        return 0
    if isinstance(code, int):
        return code
    print(code, file=err)
    return 1


def _python_warning_defaults(err) -> None:
    """Python's own warning filters (not pytest's), shown on the command's stderr as a process would show them."""
    import warnings

    warnings.resetwarnings()
    for category in (DeprecationWarning, PendingDeprecationWarning, ImportWarning, ResourceWarning):
        warnings.simplefilter("ignore", category)
    warnings.filterwarnings("default", category=DeprecationWarning, module="__main__")
    warnings.showwarning = lambda message, category, filename, lineno, file=None, line=None: err.write(
        warnings.formatwarning(message, category, filename, lineno, line))


def apertium_english(tmp_path: Path, french: str, *, has: Sequence[str] = (), lacks: Sequence[str] = ()) -> str:
    """`french` through `translate run --engine apertium` (no cache): the English, which must hold every
    string of `has` and none of `lacks`. Skips (fails in CI) where Apertium is not installed."""
    from translate.engines.apertium import apertium_status

    need(*apertium_status())
    source = tmp_path / "depeche.fr.txt"
    source.write_text(french, encoding="utf-8")
    result = run_cli("run", str(source), "--engine", "apertium", "-o", str(tmp_path / "out"), "-f", "txt", "-q",
                     "--no-cache")
    assert result.returncode == 0, result.stderr
    english = (tmp_path / "out" / "depeche.en.txt").read_text(encoding="utf-8")
    for expected in has:
        assert expected in english, (expected, english)
    for wrong in lacks:
        assert wrong not in english, (wrong, english)
    return english


def run_cli_process(*args: str, env: dict | None = None, timeout: float = 300) -> subprocess.CompletedProcess:
    """`python -m translate.cli ARGS` in a child process; `env` adds to (or overrides) this environment."""
    return subprocess.run([sys.executable, "-m", "translate.cli", *args], capture_output=True, text=True,
                          env={**os.environ, **(env or {})}, timeout=timeout, cwd=ROOT)


def run_cli_on_terminal(*args: str, timeout: float = 300) -> tuple[int, str]:
    """`python -m translate.cli ARGS` with stderr on a pseudo-terminal (progress bars show): exit code and screen."""
    import pty
    import threading

    controller, terminal = pty.openpty()
    chunks: list[bytes] = []

    def drain() -> None:
        while True:
            try:
                data = os.read(controller, 65536)
            except OSError:
                return
            if not data:
                return
            chunks.append(data)

    reader = threading.Thread(target=drain, daemon=True)
    reader.start()
    env = {**os.environ, "COLUMNS": "100", "TERM": "xterm"}
    process = subprocess.run([sys.executable, "-m", "translate.cli", *args], stdin=subprocess.DEVNULL,
                             stdout=subprocess.DEVNULL, stderr=terminal, env=env, cwd=ROOT, timeout=timeout)
    os.close(terminal)
    reader.join(timeout=10)
    os.close(controller)
    return process.returncode, b"".join(chunks).decode("utf-8", "replace")


class PlaceholderMangler:
    """An engine that copies its input but breaks glossary placeholders (separator, mark, dropped), so repairs happen."""

    name = "mangler"

    def translate(self, sentences: Sequence[str], progress: object = None) -> list[Translation]:
        import re

        def mangle(m: re.Match[str]) -> str:
            return [m.group(), f"{m.group()[0]},{m.group()[1:]}", f"*{m.group()}", ""][int(m.group()) % 4]

        return [Translation(re.sub(r"\b9\d{3}\b", mangle, s)) for s in sentences]

    def close(self) -> None:
        pass


@dataclass
class EngineOptions:
    """The engine options the cache reads (only whether attention is returned)."""

    return_attention: bool = False


@dataclass
class FakeEngine:
    """A deterministic engine: `render` makes each output; it records every call and can fail on one."""

    render: Callable[[str], Translation] = lambda s: Translation(f"EN {s}")
    name: str = "fake"
    version: str = "1"
    fail_on_call: int | None = None
    """1-based number of the call that raises `error` instead of translating."""
    error: type[BaseException] = RuntimeError
    options: EngineOptions = field(default_factory=EngineOptions)
    calls: list[int] = field(default_factory=list)
    """Sentences sent in each call that translated, in order."""

    def translate(self, sentences: Sequence[str], progress=None) -> list[Translation]:
        if self.fail_on_call is not None and len(self.calls) + 1 == self.fail_on_call:
            raise self.error("engine stopped")
        self.calls.append(len(sentences))
        return [self.render(s) for s in sentences]

    def close(self) -> None:
        pass

    @property
    def sentences(self) -> int:
        """Sentences translated so far, all calls together."""
        return sum(self.calls)


def term_hit(source: str, target: str, **fields: object) -> TermHit:
    """A glossary hit for tests that build segments by hand: only the two terms matter, the rest is neutral."""
    values = {"start": 0, "end": len(source), "entry": "test", "article": "none", "determiner": "",
              "compound": False, "next_word": "", "plural": False, **fields}
    return TermHit(source, target, **values)
