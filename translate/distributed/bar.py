"""One progress bar for a whole collection on the driver: documents and sentences done, rate, ETA."""

from __future__ import annotations

import sys
import time
from dataclasses import dataclass, field
from typing import Any


@dataclass
class CollectionBar:
    """Advanced as documents finish anywhere in the cluster; silent when quiet or not on a terminal."""

    total_docs: int
    enabled: bool = True
    docs: int = 0
    sentences: int = 0
    started: float = field(default_factory=time.perf_counter)
    _progress: Any = field(default=None, repr=False)
    _task: Any = field(default=None, repr=False)

    def __enter__(self) -> "CollectionBar":
        if self.enabled and sys.stderr.isatty():
            from rich.console import Console
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

            self._progress = Progress(
                TextColumn("documents"), BarColumn(), MofNCompleteColumn(),
                TextColumn("{task.fields[sentences]} sentences, {task.fields[rate]} sentences/s"),
                TimeRemainingColumn(), console=Console(stderr=True), transient=True,
            )
            self._progress.start()
            self._task = self._progress.add_task("", total=self.total_docs, sentences=0, rate="0.0")
        return self

    def advance(self, docs: int, sentences: int) -> None:
        self.docs += docs
        self.sentences += sentences
        if self._progress is not None:
            self._progress.update(self._task, advance=docs, sentences=self.sentences, rate=f"{self.rate:.1f}")

    @property
    def seconds(self) -> float:
        return time.perf_counter() - self.started

    @property
    def rate(self) -> float:
        return self.sentences / self.seconds if self.seconds else 0.0

    def __exit__(self, *exc: object) -> None:
        if self._progress is not None:
            self._progress.stop()
            self._progress = None
