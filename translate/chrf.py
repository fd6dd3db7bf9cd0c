"""Sentence-level chrF: how much of a machine draft's character n-grams an English sentence shares.

Same definition as sacrebleu's default chrF (character n-grams of order 1..6 with spaces removed,
F-beta with beta = 2 per order, averaged over the orders), for one hypothesis against one reference.
The aligner uses it as Bleualign uses BLEU: a draft of the French close to the English is evidence
of a pair, whatever the embeddings say. `NgramCounts` lets one side's counts be reused across pairs.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

CHRF_ORDER = 6
CHRF_BETA = 2.0


@dataclass(frozen=True)
class NgramCounts:
    """Character n-gram counts of one text (spaces removed), one Counter per order 1..CHRF_ORDER."""

    orders: tuple[Counter[str], ...]
    totals: tuple[int, ...]

    @classmethod
    def of(cls, text: str, order: int = CHRF_ORDER) -> "NgramCounts":
        """Count the n-grams of `text` with whitespace removed."""
        chars = "".join(text.split())
        counts = tuple(Counter(chars[i : i + n] for i in range(len(chars) - n + 1)) for n in range(1, order + 1))
        return cls(counts, tuple(sum(c.values()) for c in counts))


def chrf_counts(hyp: NgramCounts, ref: NgramCounts, beta: float = CHRF_BETA) -> float:
    """chrF in 0..1 of precomputed counts; orders where either side has no n-gram are left out of the mean."""
    factor = beta * beta
    total = 0.0
    order = len(hyp.orders)
    for h, r, h_n, r_n in zip(hyp.orders, ref.orders, hyp.totals, ref.totals):
        if h_n == 0 or r_n == 0:
            continue
        small, big = (h, r) if len(h) <= len(r) else (r, h)
        match = sum(min(c, big[g]) for g, c in small.items() if g in big)
        if match:
            precision, recall = match / h_n, match / r_n
            total += (1 + factor) * precision * recall / (factor * precision + recall)
    return total / order


def chrf(hypothesis: str, reference: str, beta: float = CHRF_BETA) -> float:
    """chrF in 0..1 of one hypothesis against one reference (1.0 when identical, 0.0 when nothing is shared)."""
    return chrf_counts(NgramCounts.of(hypothesis), NgramCounts.of(reference), beta)
