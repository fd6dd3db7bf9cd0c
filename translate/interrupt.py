"""Stopping on Ctrl-C or SIGTERM the same way: temporaries removed, one line, the shell's exit code."""

from __future__ import annotations

import signal

EXIT_INTERRUPTED = 130
"""Ctrl-C: the shell convention (128 + SIGINT)."""
EXIT_TERMINATED = 143
"""SIGTERM: the shell convention (128 + SIGTERM)."""


class Terminated(KeyboardInterrupt):
    """SIGTERM, raised wherever the program is, so every `except KeyboardInterrupt`/`finally` cleans up."""


def interrupted_code(stop: BaseException) -> int:
    """130 for Ctrl-C, 143 for SIGTERM."""
    return EXIT_TERMINATED if isinstance(stop, Terminated) else EXIT_INTERRUPTED


def _raise_terminated(signum: int, frame: object) -> None:
    raise Terminated()


def stop_on_sigterm() -> None:
    """Make SIGTERM stop the program like Ctrl-C (by default it dies at once and leaves its temporaries)."""
    try:
        signal.signal(signal.SIGTERM, _raise_terminated)
    except ValueError:  # not the main thread (embedded use): keep the default
        pass
