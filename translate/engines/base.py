"""The small interface every translation engine implements, and nothing engine-specific.

An engine takes a batch of sentences and returns exactly one `Translation` per sentence, in order.
The pipeline sends it the whole document at once so that each engine can batch as it likes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Protocol, Sequence, runtime_checkable

Progress = Callable[[int], None]
"""Called with the number of sentences just finished, so callers can drive a progress bar."""


@dataclass
class Translation:
    """One engine output for one input sentence."""

    text: str
    score: float | None = None
    """Mean log-probability per token for neural engines; None when the engine gives none."""
    unknown_words: list[str] = field(default_factory=list)
    """Source words the engine did not know (rule-based engines mark them)."""
    attention: list[list[float]] | None = None
    """Target-token × source-token attention when asked for (glossary repair uses it)."""
    tokens: list[str] | None = None
    """Target tokens matching the attention rows, when attention is given."""


@runtime_checkable
class Engine(Protocol):
    """A translator from one language to another behind one call."""

    name: str
    """Short name recorded in outputs (e.g. "argos:translate-fr_en-1_9", "apertium")."""

    def translate(self, sentences: Sequence[str], progress: Progress | None = None) -> list[Translation]:
        """Translate every sentence; the result has the same length and order as the input."""
        ...

    def close(self) -> None:
        """Release processes or memory held by the engine."""
        ...


class EngineError(Exception):
    """An engine failed to translate (model unreadable, subprocess died, …)."""
