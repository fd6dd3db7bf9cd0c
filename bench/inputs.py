"""The benchmark's input: distinct French sentences (with their English) and the synthetic model package."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Sequence

OPENERS = (
    ("", ""),
    ("Selon le ministère, ", "According to the ministry, "),
    ("Mardi soir, ", "On Tuesday evening, "),
    ("D'après l'AFP, ", "According to AFP, "),
    ("Par ailleurs, ", "Meanwhile, "),
    ("En outre, ", "In addition, "),
    ("Lundi, ", "On Monday, "),
    ("Dans la région, ", "In the region, "),
    ("Comme prévu, ", "As expected, "),
    ("De son côté, ", "For its part, "),
    ("Jeudi matin, ", "On Thursday morning, "),
    ("Pour sa part, ", "For its part, "),
)
"""Sentence openers that turn the corpus into more distinct sentences (no two inputs are equal,
so no cache can skip work)."""
LOWER_FIRST = {
    "fr": {"Le", "La", "Les", "Un", "Une", "Des", "Ce", "Cette", "Ces", "Ses", "Son", "Sa", "Il", "Elle",
           "Plusieurs", "Trois", "Aucune", "Plus", "Près", "Dans"},
    "en": {"The", "A", "An", "Its", "His", "Her", "This", "These", "Several", "Three", "No", "More", "Nearly", "In"},
}
"""First words that take a small letter after an opener (proper nouns keep their capital)."""
PARAGRAPH_SIZES = (3, 5, 2, 4, 6, 1, 4, 3)
"""Sentences per paragraph, cycled, so the text has a press article's mixed paragraph lengths."""


# --------------------------------------------------------------------------------------------
# Inputs
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class BenchText:
    """The benchmark document: its sentences (French and the matching English) and its text."""

    fr: list[str]
    en: list[str]
    paragraphs: list[int]
    """Paragraph index of each sentence."""

    @property
    def text(self) -> str:
        """French text, one paragraph a line, a blank line between paragraphs."""
        lines: list[list[str]] = []
        for sentence, paragraph in zip(self.fr, self.paragraphs):
            if paragraph == len(lines):
                lines.append([])
            lines[-1].append(sentence)
        return "\n\n".join(" ".join(line) for line in lines) + "\n"


def _with_opener(sentence: str, opener: str, lang: str) -> str:
    if not opener:
        return sentence
    first = sentence.split(" ", 1)[0].split("'", 1)[0]
    if first in LOWER_FIRST[lang] or (lang == "fr" and first == "L"):
        sentence = sentence[0].lower() + sentence[1:]
    return opener + sentence


def bench_text(n: int, pairs: Sequence[tuple[str, str]] | None = None) -> BenchText:
    """`n` distinct French sentences (with their English) recombined from bench/corpus.fr-en.txt.

    Round r over the corpus puts opener r in front of every sentence, so the result is
    deterministic and no sentence repeats.
    """
    if pairs is None:
        pairs = _read_corpus()
    most = len(pairs) * len(OPENERS)
    if n > most:
        raise ValueError(f"at most {most} distinct sentences can be made from {len(pairs)} pairs")
    fr, en, paragraphs = [], [], []
    paragraph, left, sizes = -1, 0, 0
    for k in range(n):
        (fr_open, en_open), (fr_text, en_text) = OPENERS[k // len(pairs)], pairs[k % len(pairs)]
        fr.append(_with_opener(fr_text, fr_open, "fr"))
        en.append(_with_opener(en_text, en_open, "en"))
        if left == 0:
            paragraph += 1
            left = PARAGRAPH_SIZES[sizes % len(PARAGRAPH_SIZES)]
            sizes += 1
        paragraphs.append(paragraph)
        left -= 1
    return BenchText(fr, en, paragraphs)


def _read_corpus() -> list[tuple[str, str]]:
    from bench.synthetic import read_corpus

    return read_corpus()


def ensure_package(results_dir: Path, *, base: bool = True, log: Callable[[str], None] = print) -> Path:
    """The random synthetic package (extracted dir; its .argosmodel beside it), built once and reused.

    A stamp holding the hash of bench/synthetic.py makes a changed builder rebuild the package.
    """
    import hashlib

    from bench import synthetic

    builder_hash = hashlib.sha256(Path(synthetic.__file__).read_bytes()).hexdigest()[:16]
    out_dir = results_dir / "packages"
    name = synthetic.package_name("random", base)
    package_dir = out_dir / name
    stamp = out_dir / f"{name}.stamp"
    if package_dir.is_dir() and synthetic.argosmodel_path(package_dir).is_file() and stamp.is_file() \
            and stamp.read_text().strip() == builder_hash:
        return package_dir
    dims = synthetic.BASE if base else synthetic.TINY
    log(f"building the synthetic {'base' if base else 'tiny'} package in {out_dir} …")
    out_dir.mkdir(parents=True, exist_ok=True)
    synthetic.build_package(
        out_dir, kind="random", vocab_size=dims.vocab_size, d_model=dims.d_model, num_layers=dims.num_layers,
        num_heads=dims.num_heads, ffn=dims.ffn, name=name,
    )
    stamp.write_text(builder_hash + "\n")
    return package_dir


def count_tokens(package_dir: Path, texts: Sequence[str]) -> int:
    """SentencePiece tokens of `texts` under the package's model (checks equal decode lengths)."""
    import sentencepiece as spm

    sp = spm.SentencePieceProcessor(model_file=str(package_dir / "sentencepiece.model"))
    return sum(len(t) for t in sp.encode([t for t in texts if t.strip()], out_type=str))
