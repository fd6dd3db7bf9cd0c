"""Helpers shared by test modules: the real command in a child process, one fake engine, skip-or-fail."""

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


def run_cli(*args: str, env: dict | None = None, timeout: float = 300) -> subprocess.CompletedProcess:
    """`python -m translate.cli ARGS` as a user runs it; `env` adds to (or overrides) this environment."""
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
