"""Corpus BLEU and chrF, written out here so the benchmarks need no extra package.

Both follow the definitions sacrebleu uses by default (BLEU-4 on 13a-style tokens with the brevity
penalty; chrF with character n-grams up to 6, β = 2, spaces removed), one reference per sentence.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from typing import Sequence

_PUNCT = re.compile(r"([\{-\~\[-\` -\&\(-\+\:-\@\/])")


def tokenize_13a(text: str) -> list[str]:
    """mteval-v13a tokenisation: punctuation apart, except inside numbers (3.5, 10,000)."""
    text = text.replace("<skipped>", "").replace("-\n", "").replace("\n", " ")
    text = _PUNCT.sub(r" \1 ", f" {text} ")
    text = re.sub(r"([^0-9])([\.,])", r"\1 \2 ", text)
    text = re.sub(r"([\.,])([^0-9])", r" \1 \2", text)
    text = re.sub(r"([0-9])(-)", r"\1 \2 ", text)
    return text.split()


def _ngrams(tokens: Sequence[str], n: int) -> Counter[tuple[str, ...]]:
    return Counter(tuple(tokens[i : i + n]) for i in range(len(tokens) - n + 1))


def corpus_bleu(hypotheses: Sequence[str], references: Sequence[str], max_order: int = 4) -> float:
    """Corpus BLEU (0–100): clipped n-gram precisions summed over the corpus, geometric mean, brevity penalty."""
    matches, totals = [0] * max_order, [0] * max_order
    hyp_len = ref_len = 0
    for hyp, ref in zip(hypotheses, references, strict=True):
        h, r = tokenize_13a(hyp), tokenize_13a(ref)
        hyp_len, ref_len = hyp_len + len(h), ref_len + len(r)
        for n in range(1, max_order + 1):
            hn, rn = _ngrams(h, n), _ngrams(r, n)
            matches[n - 1] += sum(min(c, rn[g]) for g, c in hn.items())
            totals[n - 1] += max(0, len(h) - n + 1)
    if hyp_len == 0 or min(matches) == 0:
        return 0.0
    log_precision = sum(math.log(m / t) for m, t in zip(matches, totals)) / max_order
    brevity = 1.0 if hyp_len > ref_len else math.exp(1 - ref_len / hyp_len)
    return 100 * brevity * math.exp(log_precision)


def corpus_chrf(hypotheses: Sequence[str], references: Sequence[str], order: int = 6, beta: float = 2.0) -> float:
    """Corpus chrF (0–100): character n-gram counts summed over the corpus, F-β per order, averaged."""
    hyp_total, ref_total, match_total = [0] * order, [0] * order, [0] * order
    for hyp, ref in zip(hypotheses, references, strict=True):
        h, r = "".join(hyp.split()), "".join(ref.split())
        for n in range(1, order + 1):
            hn, rn = _ngrams(h, n), _ngrams(r, n)  # type: ignore[arg-type]
            hyp_total[n - 1] += sum(hn.values())
            ref_total[n - 1] += sum(rn.values())
            match_total[n - 1] += sum(min(c, rn[g]) for g, c in hn.items())
    factor, scores = beta**2, []
    for hyp_n, ref_n, match_n in zip(hyp_total, ref_total, match_total):
        if hyp_n == 0 or ref_n == 0:
            continue
        precision, recall = match_n / hyp_n, match_n / ref_n
        denominator = factor * precision + recall
        scores.append((1 + factor) * precision * recall / denominator if denominator else 0.0)
    return 100 * sum(scores) / order if scores else 0.0
