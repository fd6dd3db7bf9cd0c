"""A small, offline language check: is this text French? Function words decide.

Running a French→English engine on English or Spanish text gives garbage that looks like a result, so
`translate run` refuses such input unless `--force`. Frequent function words are a reliable signal
for a paragraph or more of running text; short texts are not judged.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

FUNCTION_WORDS: dict[str, frozenset[str]] = {
    "French": frozenset("le la les des du de et est un une que qui dans pour pas sur au aux ce cette ces sont avec "
                        "il elle nous vous ils elles ont été mais ou donc ne se sa son ses leur leurs par plus".split()),
    "English": frozenset("the of and to in is that for it was on are with as be by this have from at not but "
                         "they his her which were has been will would their an or".split()),
    "Spanish": frozenset("el los las del que y en un una por con para es se no su al lo como más pero sus le ha "
                         "este esta fue son muy también".split()),
    "German": frozenset("der die das und ist nicht ein eine zu den mit sich des auf für von dem im auch es sie "
                        "wird werden hat sind war".split()),
    "Italian": frozenset("il lo gli della che di un una per non con del sono nel alla anche come più ma le dei "
                         "delle questo è".split()),
    "Portuguese": frozenset("o os da do que em um uma para com não no na dos das se por mais como mas ao foi "
                            "são seu sua".split()),
    "Dutch": frozenset("de het een en van is dat op te in niet zijn met voor er aan ook als bij door om maar "
                       "wordt werd".split()),
}

_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")
MIN_WORDS = 12
"""Below this many words the guess is not trusted and the text passes."""


@dataclass(frozen=True)
class Guess:
    language: str
    """The most likely language, or "" when the text is too short or has no function words."""
    share: float
    """Share of the words that are function words of that language."""
    french_share: float
    english_share: float = 0.0


def guess_language(text: str, sample_chars: int = 20_000) -> Guess:
    """The language whose function words cover most of the text (looks at the first `sample_chars`)."""
    words = [w.lower() for w in _WORD.findall(text[:sample_chars])]
    # French elisions (l’, d’, qu’) are French evidence in themselves.
    elided = sum(1 for w in words if re.match(r"^(l|d|qu|n|s|j|c)['’]", w))
    words = [re.sub(r"^(l|d|qu|n|s|j|c)['’]", "", w) for w in words]
    if len(words) < MIN_WORDS:
        return Guess("", 0.0, 0.0)
    counts = Counter(words)
    shares = {lang: sum(counts[w] for w in vocab) / len(words) for lang, vocab in FUNCTION_WORDS.items()}
    shares["French"] += elided / len(words)
    best = max(shares, key=shares.__getitem__)
    if shares[best] < 0.05:
        return Guess("", shares[best], shares["French"], shares["English"])
    return Guess(best, shares[best], shares["French"], shares["English"])


def looks_french(text: str) -> tuple[bool, Guess]:
    """False only when another language clearly dominates (French has under two thirds its share)."""
    guess = guess_language(text)
    if not guess.language or guess.language == "French":
        return True, guess
    return guess.french_share >= guess.share * 2 / 3, guess


def looks_english(text: str) -> tuple[bool, Guess]:
    """False only when another language clearly dominates (English has under two thirds its share)."""
    guess = guess_language(text)
    if not guess.language or guess.language == "English":
        return True, guess
    return guess.english_share >= guess.share * 2 / 3, guess


_SHORT_MIN_WORDS = 4
_AMBIGUOUS_ENGLISH = frozenset({"on", "as", "an", "or", "be"})
"""English function words that are also French words (on, as, an, or) or too weak alone."""
_FRENCH_LETTERS = re.compile(r"[éèêëàâçùûôîïœÉÈÊÀÇ]")


def english_passage(text: str) -> bool:
    """True when a paragraph is clearly English, short ones included ("Built on top of the same library").

    Long texts go by the function-word shares (English well ahead of French) and hardly any word with a
    French accent (a half-French line is not English); from 4 words, by at least two unambiguous English
    function words and none that is French, and no French accented letter.
    """
    words = [w.lower() for w in _WORD.findall(text)]
    if len(words) >= MIN_WORDS:
        guess = guess_language(text)
        accented = sum(1 for w in words if _FRENCH_LETTERS.search(w))
        return (guess.language == "English" and guess.french_share * 3 < guess.english_share
                and accented <= max(1, len(words) // 30))  # a few accented names, not French words
    if len(words) < _SHORT_MIN_WORDS or _FRENCH_LETTERS.search(text):
        return False
    english = sum(1 for w in words if w in FUNCTION_WORDS["English"] and w not in _AMBIGUOUS_ENGLISH)
    french = sum(1 for w in words if w in FUNCTION_WORDS["French"] or re.match(r"(l|d|qu|n|s|j|c)['’]", w))
    return english >= 2 and french == 0
