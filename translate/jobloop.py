"""One loop for the commands that work through a list of inputs (`run`, `align`).

A `Job` holds the inputs, the function that handles one, and the resources (engines, caches) that
are opened at most once for the whole job and closed once when it ends, whatever happens. A
`UserError` on one input is reported and collected while the others go on; the job's exit code is
the worst of them. Ctrl-C or SIGTERM becomes one `UserError` with the shell's code (130 or 143).
"""

from __future__ import annotations

import sys
import time
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from typing import Callable, Generic, Iterable, Iterator, Protocol, Sequence, TypeVar

from translate.errors import UserError
from translate.interrupt import interrupted_code

Item = TypeVar("Item")
Result = TypeVar("Result")
Thing = TypeVar("Thing")

INTERRUPTED = "interrupted; no partial outputs were written"
"""What an interrupted job says when its outputs are written all or nothing."""


class Closable(Protocol):
    def close(self) -> None: ...


class Resources:
    """What a job opens at most once and closes exactly once at its end, newest first."""

    def __init__(self) -> None:
        self._stack = ExitStack()

    def add(self, thing: Thing) -> Thing:
        """Close `thing` (anything with `close()`) when the job ends; returns it."""
        self._stack.callback(thing.close)  # type: ignore[attr-defined]
        return thing

    def lazy(self, make: Callable[[], Thing | None]) -> Callable[[], Thing | None]:
        """A getter that calls `make` on first use only (so bad input fails before a slow load) and closes its result."""
        made: list[Thing | None] = []

        def get() -> Thing | None:
            if not made:
                thing = make()
                made.append(None if thing is None else self.add(thing))
            return made[0]

        return get

    def close(self) -> None:
        """Close everything added so far (each once; later calls do nothing)."""
        self._stack.close()


@dataclass
class Outcome(Generic[Item, Result]):
    """What a finished job did: the results in input order, the inputs that failed and why, its duration."""

    items: Sequence[Item]
    results: list[tuple[Item, Result]] = field(default_factory=list)
    failures: list[tuple[Item, UserError]] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def code(self) -> int:
        """The exit code: 0 when every input succeeded, else the worst failure's code."""
        return worst_code(err.code for _, err in self.failures)


def _print_error(item: object, err: UserError) -> None:
    print(f"error: {err}", file=sys.stderr)


def _nothing(*args: object) -> None:
    pass


def _never(err: UserError) -> bool:
    return False


@dataclass
class Job(Generic[Item, Result]):
    """Inputs, what to do with each and how to report it; `run()` does them in order."""

    items: Sequence[Item]
    work: Callable[[Item], Result]
    """Handles one input; raises UserError when that input cannot be done."""
    report: Callable[[Item, Result], None] = _nothing
    """Told each success as it happens (warnings, a per-input line)."""
    failed: Callable[[Item, UserError], None] = _print_error
    """Told each failure that the job goes on after (default: `error: …` on stderr)."""
    summary: Callable[[Outcome[Item, Result]], None] = _nothing
    """Told the outcome once every input was tried."""
    fatal: Callable[[UserError], bool] = _never
    """True for an error that the other inputs would meet too (no engine at all): it stops the job."""
    interrupted: str = INTERRUPTED
    """The error line for Ctrl-C/SIGTERM."""
    resources: Resources = field(default_factory=Resources)

    def run(self) -> int:
        """Do every input; the exit code (0 or the worst failure's). A lone input's error, a fatal one
        and an interrupt are raised as UserError, after the resources are closed."""
        outcome: Outcome[Item, Result] = Outcome(self.items)
        started = time.perf_counter()
        try:
            with interrupts_as(self.interrupted):
                for item in self.items:
                    try:
                        result = self.work(item)
                    except UserError as err:
                        if len(self.items) == 1 or self.fatal(err):
                            raise
                        outcome.failures.append((item, err))
                        self.failed(item, err)
                        continue
                    outcome.results.append((item, result))
                    self.report(item, result)
        finally:
            self.resources.close()
        outcome.seconds = time.perf_counter() - started
        self.summary(outcome)
        return outcome.code


def worst_code(codes: Iterable[int]) -> int:
    """The exit code of several attempts: the highest of their codes, 0 when there are none."""
    return max(codes, default=0)


@contextmanager
def interrupts_as(message: str) -> Iterator[None]:
    """Turn Ctrl-C (130) or SIGTERM (143) inside the block into a UserError saying `message`."""
    try:
        yield
    except KeyboardInterrupt as stop:
        raise UserError(message, interrupted_code(stop)) from None
