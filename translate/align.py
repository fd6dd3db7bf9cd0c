"""Sentence alignment of a French text and its English translation, offline and in linear space.

Read top to bottom:

1. Each side becomes a `_Side`: embeddings of every run of 1..K consecutive sentences (the run
   is embedded as one text, composed from its sentences' pooled features, or approximated by the
   normalised sum of its sentence vectors), cumulative
   character lengths, and the paragraph breaks when known.
2. A bead (a src sentences starting at s, b tgt sentences starting at t) costs
   (1 - cosine) scaled by its size, plus a Gale–Church length cost, plus a penalty for beads of
   more than two sentences, plus soft paragraph terms (a bead should not straddle a paragraph
   break, and a paragraph should end on both sides at once). Leaving a sentence out costs a
   constant.
3. Dynamic programming over bead types finds the cheapest monotone path. Rows are computed with
   numpy over a band of target positions; insertions (0-1) inside a row are a running minimum.
4. To stay linear, long inputs are first aligned coarsely: blocks of f sentences are averaged
   and aligned with the same DP, and the coarse path (the anchors) gives each fine row a window
   of target positions, widened by `window` sentences. Memory and time are O(n·window).

5. Paragraph terms are switched on only when a first search without them shows the two texts
   paragraphed alike (`paragraph_agreement`); then a second pass lets a sentence left without
   counterpart join the neighbouring bead whose cosine it raises (`absorb_skips`).

6. MT assistance (Bleualign's idea, optional): given machine drafts of the French sentences, the
   chrF between a bead's draft (its French sentences' drafts joined) and its English side lowers
   the bead's cost by `mt_weight` × (chrF − `mt_floor`) when above the floor, once per bead (scaled
   by bead size like the cosine term, it rewarded merges and cost the handbook 1–6 points). chrF is
   computed only for beads starting within `mt_window` sentences of the first search's path (a few
   dozen per row), and the search is run again with it. Bead scores stay cosines.

`gale_church_align` runs the same search with the length model alone, as a baseline.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Callable, Sequence

import numpy as np

from translate.embed import Embedder, normalise_rows
from translate.errors import UserError

if TYPE_CHECKING:
    from translate.document import Document


@dataclass(frozen=True)
class Bead:
    """Sentence indices (0-based, consecutive) matched on each side; one side may be empty.

    `score` is the cosine similarity of the two sides' embeddings (0.0 for 1-0 and 0-1 beads);
    for the length-only baseline it is the Gale–Church probability of the length ratio.
    """

    src: tuple[int, ...]
    tgt: tuple[int, ...]
    score: float


@dataclass(frozen=True)
class AlignOptions:
    """Knobs of the aligner; tuned on the Debian handbook and the Bible dev split (bench/align_eval.py)."""

    max_side: int = 3
    """Most sentences on one side of a bead."""
    max_total: int = 4
    """Most sentences in a bead, both sides together (4 allows 1-3, 3-1 and 2-2)."""
    skip_cost: float = 0.42
    """Cost of leaving one sentence without counterpart (a 1-0 or 0-1 bead)."""
    many_penalty: float = 0.35
    """Added for each sentence of a bead beyond the first pair."""
    length_weight: float = 0.04
    """Weight of the Gale–Church length cost next to the embedding cost."""
    paragraph_penalty: float = 0.0
    """Cost of a bead that ends a paragraph on one side only (off: it pushes a sentence left
    without counterpart at a paragraph end into a merge; see bench/align_eval.py)."""
    cross_paragraph_penalty: float = 0.5
    """Cost of a bead that spans a paragraph break on either side."""
    concat: str = "embed"
    """How runs of sentences are embedded: "embed" the joined text (composed from the single
    sentences' pooled features when the embedder offers `runs`, see translate/embed.py), "exact"
    always embeds each joined text, "sum" adds the sentence vectors."""
    window: int = 24
    """Half-width, in sentences, of the search band around the coarse anchor path."""
    max_full_cells: int = 1_000_000
    """Largest n×m searched without a band; bigger inputs go through the coarse pass first."""
    length_variance: float = 6.8
    """Gale–Church variance of the target length per source character."""
    absorb_gain: float = 0.0
    """A sentence left without counterpart joins an adjacent bead when that raises the bead's cosine
    by at least this much (a split-off sentence whose content is in the neighbour's translation);
    above 1.0: never. Beads may then grow to one sentence more than `max_side`. The gain also
    counts the length fit (`absorb_length_weight`)."""
    absorb_length_weight: float = 0.01
    """Per unit of Gale–Church length cost the merge saves (capped at ±5), added to the cosine gain: a
    short split-off sentence barely moves the embedding but completes the length of its neighbour.
    (A chrF gain with drafts was tried too: no better on Bible dev.)"""
    paragraph_agreement: float = 0.9
    """Paragraph terms are used only when a first pass without them finds the two sides' paragraph
    ends agreeing at least this often (1.0: never use them unless identical; 0.0: always)."""
    mt_weight: float = 2.0
    """With machine drafts: weight of the chrF reward (draft of the French side vs the English side)."""
    mt_floor: float = 0.2
    """chrF (0..1) below which a draft says nothing; unrelated sentences score about 0.1–0.3."""
    mt_window: int = 3
    """Beads whose start lies within this many target sentences of the first path get a chrF."""


# --------------------------------------------------------------------------------------------
# Bead types
# --------------------------------------------------------------------------------------------


def bead_types(options: AlignOptions) -> list[tuple[int, int]]:
    """Every (a, b) a bead may have, 1-1 first; 0-1 is handled inside DP rows, so it is not listed."""
    sizes = range(1, options.max_side + 1)
    many = [(a, b) for a in sizes for b in sizes if (a, b) != (1, 1) and a + b <= options.max_total]
    return [(1, 1), (1, 0), *many]


# --------------------------------------------------------------------------------------------
# One side of the alignment
# --------------------------------------------------------------------------------------------


@dataclass
class _Side:
    """What the cost model needs of one text: run embeddings, lengths, paragraph breaks."""

    runs: list[np.ndarray]
    """runs[k-1][i] = unit vector of sentences i..i+k-1 (zero where the run passes the end)."""
    cum_len: np.ndarray
    """cum_len[i] = characters in sentences 0..i-1."""
    breaks: np.ndarray | None = None
    """breaks[i] = 1 when a paragraph ends after sentence i; None when paragraphs are unknown."""
    cum_breaks: np.ndarray | None = None

    @property
    def size(self) -> int:
        return len(self.cum_len) - 1

    def run_len(self, start: np.ndarray | int, k: int) -> np.ndarray:
        return self.cum_len[np.asarray(start) + k] - self.cum_len[start]


def _run_embeddings(
    sentences: Sequence[str], k_max: int, embedder: Embedder | None, concat: str,
    base: np.ndarray | None = None,
) -> list[np.ndarray]:
    """Embeddings of runs of 1..k_max sentences, embedding joined texts or summing vectors."""
    n = len(sentences) if base is None else len(base)
    if base is None and concat == "embed" and embedder is not None and hasattr(embedder, "runs"):
        composed = embedder.runs(list(sentences), k_max)
        if composed is not None:
            return composed
    if base is None:
        if embedder is None:
            raise UserError("alignment needs a sentence embedder")
        base = normalise_rows(np.asarray(embedder(list(sentences)), dtype=np.float32))
    runs = [base]
    if concat in ("embed", "exact") and base is not None and embedder is not None and sentences:
        for k in range(2, k_max + 1):
            texts = [" ".join(sentences[i : i + k]) for i in range(max(0, n - k + 1))]
            vecs = np.zeros_like(base)
            if texts:
                vecs[: len(texts)] = normalise_rows(np.asarray(embedder(texts), dtype=np.float32))
            runs.append(vecs)
        return runs
    if concat not in ("embed", "exact", "sum"):
        raise UserError(f"unknown concatenation mode {concat!r} (use 'embed', 'exact' or 'sum')")
    cum = np.zeros((n + 1, base.shape[1]), dtype=np.float64)
    np.cumsum(base, axis=0, out=cum[1:])
    for k in range(2, k_max + 1):
        vecs = np.zeros_like(base)
        if n >= k:
            vecs[: n - k + 1] = normalise_rows((cum[k:] - cum[:-k]).astype(np.float32))
        runs.append(vecs)
    return runs


def _make_side(
    runs: list[np.ndarray], lengths: Sequence[int], paragraphs: Sequence[int] | None
) -> _Side:
    cum_len = np.zeros(len(lengths) + 1, dtype=np.float64)
    np.cumsum(np.asarray(lengths, dtype=np.float64), out=cum_len[1:])
    side = _Side(runs=runs, cum_len=cum_len)
    if paragraphs is not None:
        if len(paragraphs) != len(lengths):
            raise UserError("paragraph indices must give one paragraph per sentence")
        para = np.asarray(paragraphs)
        breaks = np.ones(len(para), dtype=np.int32)
        if len(para) > 1:
            breaks[:-1] = para[1:] != para[:-1]
        side.breaks = breaks
        side.cum_breaks = np.concatenate([[0], np.cumsum(breaks)])
    return side


# --------------------------------------------------------------------------------------------
# Cost model
# --------------------------------------------------------------------------------------------


def neg_log_erfc(x: np.ndarray) -> np.ndarray:
    """-log(erfc(x)) for x >= 0, stable for large x (Numerical Recipes' erfc approximation)."""
    t = 1.0 / (1.0 + 0.5 * x)
    poly = -1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (
        -0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (
            -0.82215223 + t * 0.17087277))))))))
    return x * x - poly - np.log(t)


def gale_church_cost(ls: np.ndarray, lt: np.ndarray, ratio: float, variance: float) -> np.ndarray:
    """-log P(|delta|) of Gale & Church (1993): how unlikely lt characters are for ls source ones."""
    mean = (ls + lt / ratio) / 2.0
    delta = (lt - ls * ratio) / np.sqrt(np.maximum(mean, 1.0) * variance)
    return neg_log_erfc(np.abs(delta) / math.sqrt(2.0))


# Gale & Church's prior probabilities of bead types, for the length-only baseline.
_GC_PRIOR = {(1, 1): 0.89, (1, 0): 0.0099 / 2, (0, 1): 0.0099 / 2, (2, 1): 0.089 / 2,
             (1, 2): 0.089 / 2, (2, 2): 0.011}


@dataclass
class _CostModel:
    """Costs of beads starting at a fixed source position over a range of target positions."""

    src: _Side
    tgt: _Side
    options: AlignOptions
    ratio: float
    semantic: bool = True
    """False for the length-only baseline (costs from Gale–Church probabilities alone)."""
    use_paragraphs: bool = False
    mt: "_MtTable | None" = None
    """chrF of candidate beads' drafts against their English side, when drafts were given."""

    def skip(self, side: _Side, start: int | np.ndarray) -> np.ndarray | float:
        if self.semantic:
            return self.options.skip_cost
        lengths = side.run_len(start, 1)
        ratio = self.ratio if side is self.src else 1.0 / self.ratio
        return gale_church_cost(lengths, np.zeros_like(lengths), ratio, self.options.length_variance) \
            - math.log(_GC_PRIOR[(1, 0)])

    def costs(self, a: int, b: int, s: int, t0: int, t1: int) -> np.ndarray:
        """Costs of beads (a src from s, b tgt from t) for t in [t0, t1); a >= 1."""
        t = np.arange(t0, t1)
        if b == 0:
            return np.broadcast_to(np.asarray(self.skip(self.src, s), dtype=np.float64), t.shape).copy()
        ls = self.src.run_len(s, a)
        lt = self.tgt.run_len(t, b)
        length = gale_church_cost(ls, lt, self.ratio, self.options.length_variance)
        if not self.semantic:
            return length - math.log(_GC_PRIOR[(a, b)])
        cos = self.tgt.runs[b - 1][t0:t1] @ self.src.runs[a - 1][s]
        cost = (1.0 - cos) * ((a + b) / 2.0) + self.options.length_weight * length
        cost += self.options.many_penalty * (a + b - 2)
        if self.use_paragraphs:
            cost += self._paragraph_cost(a, b, s, t)
        if self.mt is not None:  # once per bead, not per sentence: scaled by size, it made merges pay
            reward = np.maximum(self.mt.values(a, b, s, t0, t1) - self.options.mt_floor, 0.0)
            cost -= self.options.mt_weight * reward
        return cost

    def _paragraph_cost(self, a: int, b: int, s: int, t: np.ndarray) -> np.ndarray:
        src, tgt, opt = self.src, self.tgt, self.options
        assert src.breaks is not None and tgt.breaks is not None
        assert src.cum_breaks is not None and tgt.cum_breaks is not None
        src_cross = src.cum_breaks[s + a - 1] - src.cum_breaks[s]
        tgt_cross = tgt.cum_breaks[t + b - 1] - tgt.cum_breaks[t]
        crossing = ((src_cross > 0) | (tgt_cross > 0)) * opt.cross_paragraph_penalty
        mismatch = (src.breaks[s + a - 1] != tgt.breaks[t + b - 1]) * opt.paragraph_penalty
        return crossing + mismatch

    def similarity(self, a: int, b: int, s: int, t: int) -> float:
        if a == 0 or b == 0:
            return 0.0
        if not self.semantic:
            ls, lt = self.src.run_len(s, a), self.tgt.run_len(t, b)
            return float(math.exp(-gale_church_cost(ls, lt, self.ratio, self.options.length_variance)))
        return float(self.tgt.runs[b - 1][t] @ self.src.runs[a - 1][s])


# --------------------------------------------------------------------------------------------
# MT assistance: chrF of bead drafts near a first path
# --------------------------------------------------------------------------------------------


@dataclass
class _MtTable:
    """chrF (0..1) of beads (a, b) starting at (s, t) for t in a window per source row; 0 elsewhere."""

    low: np.ndarray
    """low[s] = first target start with a value in row s."""
    table: dict[tuple[int, int], list[np.ndarray]]
    """table[(a, b)][s][t - low[s]] = chrF of that bead (0 where it passes an end)."""

    def values(self, a: int, b: int, s: int, t0: int, t1: int) -> np.ndarray:
        out = np.zeros(t1 - t0)
        rows = self.table.get((a, b))
        if rows is None or s >= len(rows):
            return out
        row, lo = rows[s], int(self.low[s])
        x0, x1 = max(t0, lo), min(t1, lo + len(row))
        if x0 < x1:
            out[x0 - t0 : x1 - t0] = row[x0 - lo : x1 - lo]
        return out


def mt_table(
    path: list[tuple[int, int, int, int]], drafts: Sequence[str], tgt: Sequence[str],
    types: list[tuple[int, int]], window: int,
) -> _MtTable:
    """chrF of every bead type starting within `window` target sentences of where `path` passes each row."""
    from translate.chrf import NgramCounts, chrf_counts

    n, m = len(drafts), len(tgt)
    low = np.full(n + 1, m, dtype=np.int64)
    high = np.zeros(n + 1, dtype=np.int64)
    for s, t, a, b in path:
        low[s : s + a + 1] = np.minimum(low[s : s + a + 1], t)
        high[s : s + a + 1] = np.maximum(high[s : s + a + 1], t + b)
    low = np.maximum(low - window, 0)
    high = np.minimum(high + window, m)
    pair_types = [(a, b) for a, b in types if a and b]
    table: dict[tuple[int, int], list[np.ndarray]] = {ab: [] for ab in pair_types}
    english: dict[tuple[int, int], NgramCounts] = {}
    for s in range(n):
        lo, hi = int(low[s]), int(high[s])
        for key in [k for k in english if k[0] < lo]:
            del english[key]  # rows only move forward: drop what no later row needs
        french = {a: NgramCounts.of(" ".join(drafts[s : s + a])) for a in {a for a, _ in pair_types} if s + a <= n}
        for a, b in pair_types:
            row = np.zeros(max(hi - lo, 0) + 1)
            if a in french:
                for t in range(lo, min(hi, m - b) + 1):
                    counts = english.get((t, b))
                    if counts is None:
                        counts = english[(t, b)] = NgramCounts.of(" ".join(tgt[t : t + b]))
                    row[t - lo] = chrf_counts(french[a], counts)
            table[(a, b)].append(row)
    return _MtTable(low, table)


# --------------------------------------------------------------------------------------------
# Banded dynamic programming
# --------------------------------------------------------------------------------------------


@dataclass
class SearchStats:
    """How much work the search did (the tests check it stays linear)."""

    cells: int = 0
    """DP cells filled at the finest level."""
    coarse_cells: int = 0
    levels: int = 1
    band: list[tuple[int, int]] = field(default_factory=list, repr=False)


def _banded_dp(
    n: int, m: int, lo: np.ndarray, hi: np.ndarray, types: list[tuple[int, int]],
    bead_costs: Callable[[int, int, int, int, int], np.ndarray], insert_cost: Callable[[int, int], np.ndarray],
) -> list[tuple[int, int, int, int]]:
    """Cheapest monotone bead path from (0, 0) to (n, m) with row i restricted to [lo[i], hi[i]].

    Returns beads as (s, t, a, b). Cell (i, j) means i source and j target sentences are used.
    """
    rows: list[np.ndarray] = []
    back: list[np.ndarray] = []
    insert_code = len(types)
    for i in range(n + 1):
        l, h = int(lo[i]), int(hi[i])
        width = h - l + 1
        best = np.full(width, np.inf)
        arg = np.full(width, -1, dtype=np.int8)
        if i == 0:
            if l == 0:
                best[0] = 0.0
        for code, (a, b) in enumerate(types):
            p = i - a
            if p < 0 or a == 0:
                continue
            pl, ph = int(lo[p]), int(hi[p])
            j0, j1 = max(l, pl + b), min(h, ph + b)
            if j0 > j1:
                continue
            cand = rows[p][j0 - b - pl : j1 - b - pl + 1] + bead_costs(a, b, p, j0 - b, j1 - b + 1)
            view = best[j0 - l : j1 - l + 1]
            better = cand < view
            view[better] = cand[better]
            arg[j0 - l : j1 - l + 1][better] = code
        # 0-1 beads: D[i, j] = min(best[j], D[i, j-1] + c(j-1)) as a running minimum.
        if width > 1:
            step = np.concatenate([[0.0], np.cumsum(insert_cost(l, h))])
            shifted = best - step
            running = np.minimum.accumulate(shifted)
            from_left = running < shifted
            best = running + step
            arg[from_left] = insert_code
        rows.append(best)
        back.append(arg)
    if not np.isfinite(rows[n][m - int(lo[n])]):
        raise RuntimeError("alignment band does not connect the two ends")  # a bug, not user input
    path: list[tuple[int, int, int, int]] = []
    i, j = n, m
    while i > 0 or j > 0:
        code = int(back[i][j - int(lo[i])])
        a, b = (0, 1) if code == insert_code else types[code]
        i, j = i - a, j - b
        path.append((i, j, a, b))
    path.reverse()
    return path


def _full_band(n: int, m: int) -> tuple[np.ndarray, np.ndarray]:
    return np.zeros(n + 1, dtype=np.int64), np.full(n + 1, m, dtype=np.int64)


def _band_from_path(
    path: list[tuple[int, int, int, int]], factor_src: int, factor_tgt: int, n: int, m: int, margin: int
) -> tuple[np.ndarray, np.ndarray]:
    """Target window of each fine row: where the coarse path passes, widened by `margin`."""
    low = np.full(n + 1, m, dtype=np.int64)
    high = np.zeros(n + 1, dtype=np.int64)
    for s, t, a, b in path:
        s0, s1 = min(s * factor_src, n), min((s + a) * factor_src, n)
        t0, t1 = min(t * factor_tgt, m), min((t + b) * factor_tgt, m)
        low[s0 : s1 + 1] = np.minimum(low[s0 : s1 + 1], t0)
        high[s0 : s1 + 1] = np.maximum(high[s0 : s1 + 1], t1)
    # Widen: rows within `margin` of i lend their windows, then `margin` more target sentences.
    idx = np.arange(n + 1)
    low = np.maximum(low[np.maximum(idx - margin, 0)] - margin, 0)
    high = np.minimum(high[np.minimum(idx + margin, n)] + margin, m)
    low = np.minimum.accumulate(low[::-1])[::-1]
    high = np.maximum.accumulate(high)
    low[0], high[n] = 0, m
    # Keep consecutive rows overlapping so a path of 1-0 and 0-1 beads always exists.
    low[1:] = np.minimum(low[1:], high[:-1])
    return low, high


def _coarse_side(side: _Side, factor: int) -> _Side:
    """Blocks of `factor` sentences: summed vectors, summed lengths, no paragraphs."""
    n = side.size
    blocks = (n + factor - 1) // factor
    base = side.runs[0]
    dim = base.shape[1]
    padded = np.zeros((blocks * factor, dim), dtype=np.float32)
    padded[:n] = base
    summed = padded.reshape(blocks, factor, dim).sum(axis=1)
    runs = _run_embeddings([], 2, None, "sum", base=normalise_rows(summed))
    edges = np.minimum(np.arange(blocks + 1) * factor, n)
    lengths = np.diff(side.cum_len[edges])
    return _make_side(runs, lengths, None)


def _search(
    model: _CostModel, types: list[tuple[int, int]], stats: SearchStats, depth: int = 0
) -> list[tuple[int, int, int, int]]:
    """Full DP when small, otherwise coarse pass for anchors then banded DP around them."""
    n, m = model.src.size, model.tgt.size
    opt = model.options
    if (n + 1) * (m + 1) <= opt.max_full_cells or n < 4 or m < 4:
        lo, hi = _full_band(n, m)
    else:
        factor = max(2, math.ceil(math.sqrt((n + 1) * (m + 1) / (opt.max_full_cells / 4))))
        coarse = _CostModel(
            src=_coarse_side(model.src, factor), tgt=_coarse_side(model.tgt, factor),
            options=opt, ratio=model.ratio, semantic=model.semantic, use_paragraphs=False,
        )
        coarse_types = [t for t in types if max(t) <= 2 and sum(t) <= 3]
        sub = SearchStats()
        coarse_path = _search(coarse, coarse_types, sub, depth + 1)
        stats.coarse_cells += sub.cells + sub.coarse_cells
        stats.levels = sub.levels + 1
        lo, hi = _band_from_path(coarse_path, factor, factor, n, m, opt.window)
    stats.cells += int(np.sum(hi - lo + 1))
    if depth == 0:
        stats.band = list(zip(lo.tolist(), hi.tolist()))
    tgt = model.tgt

    def insert_cost(l: int, h: int) -> np.ndarray:
        return np.broadcast_to(np.asarray(model.skip(tgt, np.arange(l, h)), dtype=np.float64), (h - l,))

    return _banded_dp(n, m, lo, hi, types, model.costs, insert_cost)


# --------------------------------------------------------------------------------------------
# Public entry points
# --------------------------------------------------------------------------------------------


def _length_ratio(src: Sequence[str], tgt: Sequence[str]) -> float:
    total_src = sum(len(s) for s in src)
    total_tgt = sum(len(t) for t in tgt)
    if total_src == 0 or total_tgt == 0:
        return 1.0
    return min(2.0, max(0.5, total_tgt / total_src))


def _to_beads(model: _CostModel, path: list[tuple[int, int, int, int]]) -> list[Bead]:
    return [
        Bead(tuple(range(s, s + a)), tuple(range(t, t + b)), model.similarity(a, b, s, t))
        for s, t, a, b in path
    ]


def _trivial(n: int, m: int) -> list[Bead] | None:
    """Beads when one side is empty (everything is a 1-0 or 0-1 bead)."""
    if n and m:
        return None
    return [Bead((i,), (), 0.0) for i in range(n)] + [Bead((), (j,), 0.0) for j in range(m)]


def align(
    src: list[str], tgt: list[str], *, src_paragraphs: list[int] | None = None,
    tgt_paragraphs: list[int] | None = None, options: AlignOptions = AlignOptions(),
    embedder: Embedder | None = None, stats: SearchStats | None = None,
    drafts: Sequence[str] | None = None,
) -> list[Bead]:
    """Align two sentence lists; every sentence lands in exactly one bead, in order.

    Paragraph indices (one per sentence) act as soft anchors when both sides give them. Without
    an `embedder` the real USE multilingual model is loaded. `drafts` (machine translations of
    `src`, one per sentence) switch MT assistance on (module docstring, point 6).
    """
    if drafts is not None and len(drafts) != len(src):
        raise ValueError("drafts must give one translation per source sentence")  # a bug, not user input
    trivial = _trivial(len(src), len(tgt))
    if trivial is not None:
        return trivial
    if embedder is None:
        from translate.embed import UseEmbedder

        embedder = UseEmbedder()
    types = bead_types(options)
    k_max = options.max_side + (options.absorb_gain <= 1.0)
    src_side = _make_side(
        _run_embeddings(src, k_max, embedder, options.concat), [len(s) for s in src], src_paragraphs
    )
    tgt_side = _make_side(
        _run_embeddings(tgt, k_max, embedder, options.concat), [len(t) for t in tgt], tgt_paragraphs
    )
    model = _CostModel(src=src_side, tgt=tgt_side, options=options, ratio=_length_ratio(src, tgt))
    stats = stats if stats is not None else SearchStats()
    path = _search(model, types, stats)
    if drafts is not None and options.mt_weight > 0:
        model.mt = mt_table(path, drafts, tgt, types, options.mt_window)
        stats.cells = stats.coarse_cells = 0
        path = _search(model, types, stats)
    if src_paragraphs is not None and tgt_paragraphs is not None and \
            paragraph_agreement(path, src_side, tgt_side) >= options.paragraph_agreement:
        model.use_paragraphs = True
        stats.cells = stats.coarse_cells = 0
        path = _search(model, types, stats)
    if options.absorb_gain <= 1.0:
        path = absorb_skips(path, model, options.absorb_gain)
    return _to_beads(model, path)


def merge_gain(model: _CostModel, before: tuple[int, int, int, int], after: tuple[int, int, int, int]) -> float:
    """How much better bead `after` (s, t, a, b) fits than `before`: cosine gain plus weighted length-fit gain."""
    opt = model.options
    raised = model.similarity(after[2], after[3], after[0], after[1]) - \
        model.similarity(before[2], before[3], before[0], before[1])
    saved = _bead_length_cost(model, before) - _bead_length_cost(model, after)
    return raised + opt.absorb_length_weight * max(-5.0, min(5.0, saved))


def _bead_length_cost(model: _CostModel, bead: tuple[int, int, int, int]) -> float:
    s, t, a, b = bead
    ls, lt = model.src.run_len(s, a), model.tgt.run_len(t, b)
    return float(gale_church_cost(ls, lt, model.ratio, model.options.length_variance))


def absorb_skips(
    path: list[tuple[int, int, int, int]], model: _CostModel, gain: float
) -> list[tuple[int, int, int, int]]:
    """Second pass: merge each 1-0 / 0-1 bead into the neighbouring bead it makes more similar.

    The DP weighs a merge against a skip with fixed costs; here the test is the evidence itself:
    a sentence whose content the neighbour's translation also carries raises that bead's cosine
    (and completes its length), an inserted or untranslated one lowers it.
    """
    beads = list(path)
    limit = min(len(model.src.runs), len(model.tgt.runs))
    k = 0
    while k < len(beads):
        s, t, a, b = beads[k]
        if (a, b) not in ((1, 0), (0, 1)):
            k += 1
            continue
        best: tuple[float, int, tuple[int, int, int, int]] | None = None
        for n in (k - 1, k + 1):
            if not 0 <= n < len(beads):
                continue
            ns, nt, na, nb = beads[n]
            if na == 0 or nb == 0:
                continue
            if a:  # a French sentence joins the neighbour's French side
                merged = (min(s, ns), nt, na + 1, nb)
            else:
                merged = (ns, min(t, nt), na, nb + 1)
            if max(merged[2], merged[3]) > limit or _crosses_paragraph(model, merged):
                continue
            raised = merge_gain(model, (ns, nt, na, nb), merged)
            if raised >= gain and (best is None or raised > best[0]):
                best = (raised, n, merged)
        if best is None:
            k += 1
            continue
        _, n, merged = best
        first = min(k, n)
        beads[first : first + 2] = [merged]
        k = max(first - 1, 0)
    return beads


def _crosses_paragraph(model: _CostModel, bead: tuple[int, int, int, int]) -> bool:
    """True when paragraph terms are on and the bead would straddle a paragraph break on either side."""
    if not model.use_paragraphs:
        return False
    s, t, a, b = bead
    src, tgt = model.src.cum_breaks, model.tgt.cum_breaks
    assert src is not None and tgt is not None
    return bool(src[s + a - 1] - src[s] > 0 or tgt[t + b - 1] - tgt[t] > 0)


def paragraph_agreement(path: list[tuple[int, int, int, int]], src: _Side, tgt: _Side) -> float:
    """Share of paragraph ends, on either side, that the path crosses where the other side ends one too.

    Near 1.0 when the two texts are paragraphed alike (then paragraph breaks are good anchors);
    low when they are not, where paragraph terms would push correct beads apart. Points between
    beads are compared, so a sentence left out at a paragraph end does not count as a mismatch.
    """
    if src.breaks is None or tgt.breaks is None:
        return 0.0
    src_end = {i for i in range(1, src.size + 1) if src.breaks[i - 1]}
    tgt_end = {j for j in range(1, tgt.size + 1) if tgt.breaks[j - 1]}
    matched_src: set[int] = set()
    matched_tgt: set[int] = set()
    for s, t, a, b in path:
        i, j = s + a, t + b
        if i in src_end and j in tgt_end:
            matched_src.add(i)
            matched_tgt.add(j)
    total = len(src_end) + len(tgt_end)
    return (len(matched_src) + len(matched_tgt)) / total if total else 1.0


def gale_church_align(
    src: list[str], tgt: list[str], *, options: AlignOptions = AlignOptions(), stats: SearchStats | None = None
) -> list[Bead]:
    """Length-only baseline (Gale & Church 1993) with the same linear-space search."""
    trivial = _trivial(len(src), len(tgt))
    if trivial is not None:
        return trivial
    types = [(1, 1), (1, 0), (2, 1), (1, 2), (2, 2)]
    dim = 1
    empty = lambda k: [np.zeros((k, dim), dtype=np.float32)] * 2  # noqa: E731 - no vectors needed
    model = _CostModel(
        src=_make_side(empty(len(src)), [len(s) for s in src], None),
        tgt=_make_side(empty(len(tgt)), [len(t) for t in tgt], None),
        options=options, ratio=_length_ratio(src, tgt), semantic=False,
    )
    path = _search(model, types, stats if stats is not None else SearchStats())
    return _to_beads(model, path)


def align_documents(
    fr_doc: Document, en_doc: Document, options: AlignOptions = AlignOptions(),
    embedder: Embedder | None = None, drafts: Sequence[str] | None = None,
) -> list[Bead]:
    """Align two segmented documents; bead indices are positions in `doc.segments` (0-based)."""
    fr = fr_doc.segments
    en = en_doc.segments
    return align(
        [s.source for s in fr], [s.source for s in en],
        src_paragraphs=[s.paragraph for s in fr], tgt_paragraphs=[s.paragraph for s in en],
        options=options, embedder=embedder, drafts=drafts,
    )
