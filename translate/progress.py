"""A progress bar on stderr for long inputs (rich), silent when quiet or when stderr is not a terminal."""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from typing import Any


@dataclass
class ProgressReporter:
    """Counts sentences done; shows a transient bar once a file has enough work to be worth one."""

    enabled: bool = True
    min_sentences: int = 50
    _progress: Any = field(default=None, repr=False)
    _task: Any = field(default=None, repr=False)
    _label: str = ""
    _done: int = 0
    _announced: int = 0
    _share: float = 1.0

    def start(self, label: str, total: int | None = None) -> None:
        self.stop()
        self._label, self._done, self._announced, self._share = label, 0, 0, 1.0
        if total is not None:
            self._open(total)

    def _open(self, total: int | None) -> None:
        if not self.enabled or not sys.stderr.isatty():
            return
        if total is not None and total < self.min_sentences:
            return
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

        self._progress = Progress(
            TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
            console=Console(stderr=True), transient=True,
        )
        self._progress.start()
        self._task = self._progress.add_task(self._label, total=total)

    def set_total(self, total: int) -> None:
        """Called by the pipeline with the number of sentences going to the engine (once per chunk of a
        long input: the numbers add up, and the bar's total is scaled by the share of the input read)."""
        self._announced += total
        if self._progress is None:
            self._open(self._estimate())
        else:
            self._retotal()

    def set_share(self, share: float) -> None:
        """The share of the input (0–1] that the next chunk reaches, told before it is translated.

        The chunks done so far reach the previous share: the estimate is brought up to date with it
        first (a chunk served from the cache announces nothing, so the total shrinks to fit)."""
        self._retotal()
        self._share = min(1.0, max(share, 1e-6))

    def _estimate(self) -> int:
        return max(self._done, round(self._announced / self._share))

    def _retotal(self) -> None:
        if self._progress is not None and self._task is not None:
            self._progress.update(self._task, total=self._estimate())

    def advance(self, count: int) -> None:
        self._done += count
        if self._progress is not None:
            self._progress.update(self._task, advance=count)

    def stop(self) -> None:
        if self._progress is not None:
            self._progress.stop()
        self._progress = self._task = None
