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
    cached: bool = False
    """Served from the engine-output cache instead of computed by this call (see engines/cached.py)."""


@dataclass(frozen=True)
class EngineOptions:
    """How an engine loads and decodes: the neural engine's settings, each with a safe CPU default (Apertium has none)."""

    device: str = "cpu"
    """"cpu", "cuda" or "auto"."""
    compute_type: str = "int8"
    """CTranslate2 compute type; falls back to the model's own type when the device lacks it."""
    beam_size: int = 2
    inter_threads: int = 0
    """Batches translated in parallel (each with `intra_threads` threads); 0 = two when there are
    two cores or more. On 2 cores, 2 × 1 beat 1 × 2 by about 40% in bench/speed.py."""
    intra_threads: int = 0
    """Threads per batch; 0 = the cores shared out between the parallel batches."""
    max_batch_tokens: int = 2048
    """Source tokens per batch (CTranslate2 batch_type="tokens")."""
    max_input_length: int = 256
    """Longer inputs are cut into chunks of at most this many tokens and the outputs rejoined."""
    max_decoding_length: int = 512
    """Most tokens generated for one chunk."""
    return_attention: bool = False
    """Fill Translation.attention/tokens (target × source weights) for glossary repair."""


@runtime_checkable
class Engine(Protocol):
    """A translator from one language to another behind one call."""

    name: str
    """Short name recorded in outputs (e.g. "argos:translate-fr_en-1_9", "apertium")."""
    version: str
    """Everything that changes this engine's outputs (model files, decoding options, data packages):
    the engine-output cache keys entries by it. Empty: the outputs cannot be versioned and are not cached."""
    options: EngineOptions
    """How the engine loads and decodes; an engine reads the fields that apply to it. The cache keys
    entries by `return_attention` too, since it changes what a stored result holds."""

    def translate(self, sentences: Sequence[str], progress: Progress | None = None) -> list[Translation]:
        """Translate every sentence; the result has the same length and order as the input."""
        ...

    def close(self) -> None:
        """Release processes or memory held by the engine."""
        ...


class EngineError(Exception):
    """An engine failed to translate (model unreadable, subprocess died, …)."""
