"""Make the English around an inserted glossary term grammatical: articles, French leftovers, capitals.

Engines translate "l'OTAN" as "the NATO" and "la Chine" as "the China" once the name is hidden
behind a placeholder; rule-free copies leave "l'NATO". `fit_term` fixes the words right before and
after one term, using the entry's article rule and whether the French had a definite article.
`english_plural` gives a term's plural; `term_pattern` finds a term as a whole word in English text.
"""

from __future__ import annotations

import re

DETERMINERS = frozenset(
    "the a an its their his her our your my this that these those whose any each every no another some".split()
)
FUNCTION_WORDS = frozenset(
    """and or but nor of in on at to for with by from as than that which who whom whose about against over
    under into onto since after before during between among through without within also itself not is are
    was were be been has have had will would can could should may might must does did do says said
    announced warned added stated remains remained""".split()
)
"""Words after a term showing it is not used attributively ("NATO has…" vs "the NATO summit")."""
PREPOSITIONS = frozenset("of in on at to for with by from into onto about against over under among between".split())
_SENTENCE_START = re.compile(r"(?:^|[.!?:]\s+|[.!?]\s*[»”\"')]\s+)[\s«“\"'(\[]*$")
_FRENCH_ELISION = re.compile(r"(?<![\w])([lLdD]|[Tt]he)['’]\s*$")
_THE_BEFORE = re.compile(r"(?<![\w'’-])([Tt]he)\s+$")
_LAST_WORD = re.compile(r"(?<![\w'’-])([\w'’]+)\s+$")
_NEXT_WORD = re.compile(r"^\s+([A-Za-z]+)\b")
_SPURIOUS_PRONOUN = re.compile(r"^(\s+)(?:it|they)\s+(?=[a-z])")
FRENCH_PRONOUNS = frozenset("il elle ils elles on le la les l lui leur eux y en".split())


def at_sentence_start(before: str) -> bool:
    """Whether text continuing `before` begins a sentence."""
    return bool(_SENTENCE_START.search(before))


def _attributive(after: str) -> bool:
    """The term modifies the next word (the NATO summit), so a "the" before it belongs to that noun."""
    found = _NEXT_WORD.match(after)
    if not found:
        return False
    word = found.group(1)
    return word.islower() and word not in FUNCTION_WORDS and not word.endswith("ed")


def _drop_french_elision(before: str) -> str:
    """"l'NATO" → "NATO", "d'NATO" → "of NATO", "the' NATO" → "the NATO"."""
    elided = _FRENCH_ELISION.search(before)
    if not elided:
        return before
    word = elided.group(1).lower()
    return before[: elided.start()] + {"d": "of ", "the": "the "}.get(word, "")


def _owned_by_noun(before_the: str, after: str, determiner: str) -> bool:
    """Whether a "the" before the term belongs to a following noun: "le sommet de l'OTAN" → "the NATO
    summit". Only possible when the French term was a "de" complement and "the" follows no preposition."""
    if not determiner.startswith(("de", "du", "des", "d'")) or not _attributive(after):
        return False
    last = _LAST_WORD.search(before_the)
    return not (last and last.group(1).lower() in PREPOSITIONS)


def _fix_article(before: str, term: str, after: str, article: str, determiner: str) -> str:
    """Drop "the" before article-less names, add it before names that take it, never "the the"."""
    the = _THE_BEFORE.search(before)
    named_the = term.lower().startswith("the ")
    if the and (named_the or (article == "none" and not _owned_by_noun(before[: the.start()], after, determiner))):
        return before[: the.start()]
    definite = bool(determiner) and determiner not in ("de", "d'")
    if article == "the" and definite and not the and not named_the:
        last = _LAST_WORD.search(before)
        word = last.group(1).lower() if last else ""
        if word not in DETERMINERS and not word.endswith(("'s", "’s")):
            return before + "the "
    return re.sub(r"(?<![\w-])([Tt]he)\s+the\s+$", r"\1 ", before)


def _fix_est(after: str, french_next: str) -> str:
    """Apertium reads "est" after a numeral placeholder as "this"/"east" instead of "is"."""
    if french_next != "est":
        return after
    return re.sub(r"^(\s+)(?:this|east)\b", r"\1is", after, count=1)


def _drop_pronoun(after: str, french_next: str) -> str:
    """Apertium's Spanish stage adds a subject pronoun after a bare subject ("Moscow it considers");
    French puts no subject pronoun right after a noun, so "it"/"they" there is dropped."""
    if french_next.lower() in FRENCH_PRONOUNS:
        return after
    return _SPURIOUS_PRONOUN.sub(r"\1", after, count=1)


_A_AN_BEFORE = re.compile(r"(?<![\w'’-])([Aa]n?)\s+$")
_VOWEL_LETTER_NAMES = "AEFHILMNORSX"
"""Capital letters whose spoken name starts with a vowel sound: an NGO, an FBI agent, an MP."""


def _an_sound(term: str) -> bool:
    """Whether English writes "an" before the term (an NGO, an organization; a union, a US agency)."""
    first_word = term.split(" ", 1)[0].split("-", 1)[0]
    letters = [c for c in first_word if c.isalpha()]
    if len(letters) >= 2 and all(c.isupper() for c in letters):
        return first_word[0] in _VOWEL_LETTER_NAMES
    lower = first_word.lower()
    if lower.startswith(("uni", "use", "usu", "eu", "one", "once")):
        return False
    return lower[:1] in ("a", "e", "i", "o", "u") or lower.startswith(("hour", "honest", "honou"))


def _fix_a_an(before: str, term: str) -> str:
    """"a NGO" → "an NGO", "an think tank" → "a think tank"."""
    found = _A_AN_BEFORE.search(before)
    if not found:
        return before
    wanted = "an" if _an_sound(term) else "a"
    word = found.group(1)
    if word.lower() == wanted:
        return before
    replacement = wanted.capitalize() if word[0].isupper() else wanted
    return before[: found.start(1)] + replacement + before[found.end(1) :]


def fit_term(
    text: str, start: int, end: int, article: str, determiner: str, compound: bool, french_next: str = ""
) -> tuple[str, int]:
    """Fix the context of the term at text[start:end]; returns the new text and the term's new start.

    `determiner` is the French article before the source term (l', du…); `french_next` is the French
    word after it: a lower-case one means an engine's capital on the next English word is undone."""
    before, term, after = _drop_french_elision(text[:start]), text[start:end], text[end:]
    lower_next = french_next[:1].islower()
    if lower_next and not compound:
        after = _fix_est(_drop_pronoun(after, french_next), french_next)
    if not compound:
        before = _fix_a_an(_fix_article(before, term, after, article, determiner), term)
    the = _THE_BEFORE.search(before)
    opens = at_sentence_start(before[: the.start()] if the else before)
    if opens and the:
        before = before[: the.start()] + "The "
    elif opens and term[:1].islower():
        term = term[:1].upper() + term[1:]
    follower = _NEXT_WORD.match(after)
    if opens and follower and follower.group(1).istitle() and len(follower.group(1)) > 1 and (
        lower_next or follower.group(1).lower() in FUNCTION_WORDS
    ):
        i = follower.start(1)
        after = after[:i] + after[i].lower() + after[i + 1 :]
    return before + term + after, len(before)


_IRREGULAR = {"man": "men", "woman": "women", "child": "children", "person": "people", "staff": "staff"}


def _plural_word(word: str) -> str:
    """Regular English plural of one word; acronyms take a bare s (NGOs), words already in -s stay."""
    if not word or not word[-1].isalpha():
        return word
    letters = [c for c in word if c.isalpha()]
    if len(letters) >= 2 and all(c.isupper() for c in letters):
        return word + "s"
    lower = word.lower()
    for singular, plural in _IRREGULAR.items():
        if lower.endswith(singular) and (lower == singular or singular == "man" and len(lower) > 5):
            return word[: len(word) - len(singular)] + (plural.capitalize() if word[-len(singular)].isupper() else plural)
    if lower.endswith("is") and len(lower) > 4:
        return word[:-2] + "es"  # crisis → crises
    if lower.endswith("s") and not lower.endswith(("ss", "us", "is")):
        return word  # already plural: human rights, Baltic states
    if lower.endswith(("s", "x", "z", "ch", "sh")):
        return word + "es"
    if lower.endswith("y") and len(lower) > 1 and lower[-2] not in "aeiou":
        return word[:-1] + "ies"
    return word + "s"


def english_plural(term: str) -> str:
    """Plural of an English term: its head noun changes (think tanks, rules of law, NGOs)."""
    head_end = term.find(" of ")
    head_end = len(term) if head_end < 0 else head_end
    head, tail = term[:head_end], term[head_end:]
    cut = head.rfind(" ")
    return head[: cut + 1] + _plural_word(head[cut + 1 :]) + tail


def term_pattern(term: str) -> re.Pattern[str]:
    """The term as a whole word, allowing only its first letter to change case (sentence start)."""
    first = term[:1]
    head = f"[{re.escape(first.upper())}{re.escape(first.lower())}]" if first.isalpha() else re.escape(first)
    return re.compile(r"(?<!\w)" + head + re.escape(term[1:]) + r"(?!\w)")
