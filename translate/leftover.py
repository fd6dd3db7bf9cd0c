"""QA check for words left in the English that are not English: pivot Spanish and French copied through.

Apertium's fr→es→en relay leaves words it cannot translate ("apego", "frecuentado", "contrer",
"gouvernance", "Sra Dupont"), and a neural model may copy French through; neither is an error the
engine reports reliably. Each word of a translated segment is looked up in Debian's English word
lists (`wamerican`, `wbritish`: SCOWL, maintained upstream), with English inflections stripped
(plurals, -ed, -ing, possessives; compounds split on hyphens). A word that is not English is a
finding unless it is a name (capitalised and present in the source), a number, a URL or e-mail, a
glossary term, or a technical token copied unchanged from the source that is no French word
(`dpkg`, `apt-get`). The French (`wfrench`) and Spanish (`wspanish`) lists and the engine's own
unknown-word list only say which language a finding looks like; they never decide alone.
"""

from __future__ import annotations

import os
import re
import sqlite3
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Container, Iterable

from translate.document import Document, Origin, QaFinding, Segment

DICT_DIR = Path("/usr/share/dict")
DICT_DIR_ENV = "TRANSLATE_WORDLIST_DIR"
"""Environment variable naming another directory holding lists named like Debian's (tests, other systems)."""
ENGLISH_LISTS = ("american-english", "british-english")
"""Debian packages wamerican and wbritish (SCOWL size 50): common words with their inflections."""
EXTENDED_LISTS = ("american-english-large", "british-english-large")
"""Debian packages wamerican-large and wbritish-large: rarer words (connectivity, homologous). Those that
are French or Spanish words too (abri, accepter, installer) count as English only when the source does
not hold them: copied through unchanged, they are the leftovers this check looks for."""
FRENCH_LIST = "french"
"""Debian package wfrench: French words with their inflected forms."""
SPANISH_LIST = "spanish"
"""Debian package wspanish: Spanish words (mostly base forms)."""
ALL_LISTS = (*ENGLISH_LISTS, *EXTENDED_LISTS, FRENCH_LIST, SPANISH_LIST)
CHECK = "foreign-word"
"""The `check` name of a finding in `segment.qa` and article.qa.tsv."""

_TOKEN = re.compile(
    r"(?:https?://|www\.)\S+"  # URLs
    r"|[\w.+-]+@[\w-]+(?:\.[\w-]+)+"  # e-mail addresses
    r"|[^\W_](?:[\w'’.-]*[^\W_])?"  # words, with inner apostrophes, hyphens, dots
)
_MARKS = "*#@~"
"""Apertium's unknown-word marks, as they may stand in `segment.unknown_words`."""
_SKIP = re.compile(r"(?:https?://|www\.)|@|\d|_")
_LOAN_PHRASES = re.compile(
    r"(?<!\w)(?:coup d'[ée]tat|a priori|a posteriori|raison d'[êe]tre|vis-[àa]-vis|fait accompli|t[êe]te-[àa]-t[êe]te"
    r"|laissez-faire|de facto|de jure|ad hoc|per se|vice versa|et al|status quo|bona fide|d[ée]j[àa] vu|en route"
    r"|en masse|carte blanche|savoir-faire|force majeure|par excellence|pi[èe]ce de r[ée]sistance)(?!\w)",
    re.IGNORECASE,
)
"""French and Latin phrases English writes as they are; their words alone are in no English list."""
_NAME_PARTICLES = frozenset({"van", "der", "den", "von", "de", "del", "della", "da", "dos", "das", "du", "al", "el",
                             "ben", "bin", "ibn", "le", "la", "ter", "ten", "zu"})
"""Lowercase parts of names (Margot van der Velden, Abdel Fattah al-Burhane) when a capitalised word follows."""
_GENTILE = re.compile(r"(?:ais|aise|aises|ien|iens|ienne|iennes|ois|oise|oises|ain|ains|aine|aines)$")
"""Endings of French names of peoples (Soudanais, Nigériens); with the French list they tell them from names."""
_FRENCH_TITLE = re.compile(r"(?<![\w.])(MM?|Mmes?|Mlles?|Me|Pr)\.?(?=\s+[A-ZÀ-Ý])")
"""French titles before a name (M. Petrossian, Mme Dupont) the engine left in the English."""
_TITLE_ABBREVIATIONS = frozenset({"sra", "sr", "srta", "mme", "mmes", "mlle", "mlles", "mm"})
"""Spanish and French titles before names: the relay's "Sra Dupont" for "Mme Dupont"."""
_FRENCH_ENDING = re.compile(r"(?:eurs?|euses?|ements?|ages?|isations?|iser)$")
"""French word endings (nommage, hyperviseur, spammeurs) of words the French list lacks: no command or
file name in the handbook ends so, and English words that do are in the English lists."""
_ELIDED = re.compile(r"(?<![\w'])(?:[ldjmnstc]|qu|jusqu|lorsqu|puisqu)'(?=\w)", re.IGNORECASE)
"""An elided French article or pronoun glued to the next word (d'OpenSSL, l'APT)."""


@dataclass(frozen=True)
class WordLists:
    """The word lists the check reads; `english` holds every listed form, case kept.

    Only `in` is asked of them: sets in memory, or views on an index file (translate/wordindex.py)."""

    english: Container[str] = field(repr=False)
    french: Container[str] = field(default=frozenset(), repr=False)
    spanish: Container[str] = field(default=frozenset(), repr=False)
    english_folded: Container[str] = field(default=frozenset(), compare=False, repr=False)
    """Case-folded forms of the lowercase English entries (common words, any case in the text)."""
    borrowed: Container[str] = field(default=frozenset(), repr=False)
    """Rarer English words that are French or Spanish words too (installer, abri): English unless the source has them."""

    @classmethod
    def build(cls, english: Iterable[str], french: Iterable[str] = (), spanish: Iterable[str] = (),
              borrowed: Iterable[str] = ()) -> "WordLists":
        """Lists from words as the files hold them (NFC, straight apostrophes; see `_read_words`)."""
        words = frozenset(english)
        return cls(
            english=words,
            french=_folded(french),
            spanish=_folded(spanish),
            english_folded=_folded(w for w in words if w and not w[0].isupper()),
            borrowed=_folded(borrowed),
        )


def _folded(words: Iterable[str]) -> frozenset[str]:
    """Case-folded set, folding the whole text at once (a call per word costs seconds on 500,000 words)."""
    return frozenset("\n".join(words).casefold().split("\n")) - {""}


def _normal(word: str) -> str:
    word = word.strip().replace("’", "'")
    return word if word.isascii() else unicodedata.normalize("NFC", word)


def _read_words(path: Path) -> list[str]:
    """The words of a list file, normalised like the text they are compared with (NFC, ' for ’)."""
    text = path.read_text(encoding="utf-8", errors="replace")
    if not text.isascii():
        text = unicodedata.normalize("NFC", text).replace("’", "'")
    return [w for w in text.split("\n") if w]


def load_word_lists(directory: Path = DICT_DIR, index_dir: Path | None = None) -> tuple[WordLists | None, list[str]]:
    """The lists from `directory` (Debian's /usr/share/dict), or None with a warning when English is missing.

    With `index_dir`, the lists are looked up in an index kept there (translate/wordindex.py), built by
    the first call; without it, or when the index cannot be written, they are read into memory."""
    if not any((directory / name).is_file() for name in ENGLISH_LISTS):
        return None, [
            f"no English word list in {directory} (Debian packages wamerican, wbritish): "
            "the foreign-word QA check is off; run ./setup.sh as root to install them"
        ]
    warnings = [f"no {name} word list in {directory} (Debian package {package}): "
                "foreign-word findings will not name that language"
                for name, package in ((FRENCH_LIST, "wfrench"), (SPANISH_LIST, "wspanish"))
                if not (directory / name).is_file()]
    if index_dir is None:
        return _read_lists(directory), warnings
    from translate import wordindex

    path = index_dir / wordindex.index_name(directory, ALL_LISTS)
    index = wordindex.WordIndex.open(path)
    if index is not None:
        return WordLists(**wordindex.indexed_sets(index)), warnings
    lists = _read_lists(directory)
    try:
        wordindex.write_index(path, {name: getattr(lists, name) for name in wordindex.SETS})
    except (OSError, sqlite3.Error):
        pass  # an unwritable cache: this run uses the lists it has read, the next one reads them again
    return lists, warnings


def _read_lists(directory: Path) -> WordLists:
    """Every list of `directory` read into memory (about half a second and 200 MB for Debian's)."""
    extra = {name: _read_words(directory / name) if (directory / name).is_file() else []
             for name in (FRENCH_LIST, SPANISH_LIST)}
    words = [w for name in ENGLISH_LISTS if (directory / name).is_file() for w in _read_words(directory / name)]
    french, spanish = _folded(extra[FRENCH_LIST]), _folded(extra[SPANISH_LIST])
    foreign = french | spanish
    borrowed: list[str] = []
    for name in EXTENDED_LISTS:
        if (directory / name).is_file():
            large = _read_words(directory / name)
            folded = "\n".join(large).casefold().split("\n")
            borrowed += [w for w, f in zip(large, folded) if f in foreign]
            words += [w for w, f in zip(large, folded) if f not in foreign]
    english_words = frozenset(words)
    return WordLists(english=english_words, french=french, spanish=spanish,
                     english_folded=_folded(w for w in english_words if not w[0].isupper()),
                     borrowed=_folded(borrowed))


def _english_forms(word: str) -> list[str]:
    """Candidate dictionary forms of an English word form: itself and what regular inflections leave.

    The SCOWL lists hold the inflections of the words they list; stripping is for the rest (names'
    possessives and plurals, -ed/-ing of rarer verbs). Stems must keep four letters and a vowel, so
    that a French infinitive (contrer) does not pass through an abbreviation the lists hold (contr)."""
    forms = [word]
    if word.endswith(("'s", "s'")):
        word = word[:-2] if word.endswith("'s") else word[:-1]
        forms.append(word)
    for suffix, replacements in (("ies", ("y",)), ("ied", ("y",)), ("es", ("", "e")), ("s", ("",)),
                                 ("ed", ("", "e")), ("ing", ("", "e"))):
        if word.endswith(suffix):
            stem = word[: -len(suffix)]
            candidates = [stem + r for r in replacements]
            if suffix in ("ed", "ing") and len(stem) >= 3 and stem[-1] == stem[-2]:
                candidates.append(stem[:-1])  # stopped, stopping
            forms += [c for c in candidates if len(c) >= 4 and re.search(r"[aeiouy]", c[1:], re.IGNORECASE)]
    return forms


def _without_accents(word: str) -> str:
    folded = word.replace("œ", "oe").replace("Œ", "Oe").replace("æ", "ae")
    return "".join(c for c in unicodedata.normalize("NFD", folded) if not unicodedata.combining(c))


def is_english(word: str, lists: WordLists) -> bool:
    """True when the word (or every hyphen-separated part of it) is an English word form."""
    word = _normal(word)
    parts = [p for p in word.split("-") if p]
    if len(parts) > 1:
        return word in lists.english or word.casefold() in lists.english_folded or all(
            is_english(p, lists) or p.isdigit() for p in parts)
    plain = _without_accents(word)
    if plain != word and (plain in lists.english or plain.casefold() in lists.english_folded):
        return True  # communiqué, bêta: English spellings of the listed communique, beta (exact forms only:
        # céréales must not pass as cereal+es)
    for form in _english_forms(word):
        if form in lists.english or form.casefold() in lists.english_folded:
            return True
        if form[:1].isupper() and form.casefold() in lists.english_folded:
            return True
        if form.isupper() and form.capitalize() in lists.english:
            return True  # KAZAKHSTAN in a headline
    return False


def _language(word: str, lists: WordLists) -> str:
    """What a non-English word looks like, for the message: "French word", "Spanish word", …"""
    folded = _normal(word).casefold()
    parts = [p for p in folded.split("-") if p]
    if folded in _TITLE_ABBREVIATIONS:
        return "Spanish or French title"
    in_french = folded in lists.french or all(p in lists.french for p in parts)
    in_spanish = folded in lists.spanish or all(p in lists.spanish for p in parts)
    if in_french or in_spanish:
        return {(True, True): "French or Spanish", (True, False): "French", (False, True): "Spanish"}[
            (in_french, in_spanish)] + " word"
    if re.search(r"[àâæçéèêëîïôœùûüÿñáíóú]", folded):
        return "accented word not in the English word list"
    return "not in the English word list"


@dataclass
class _SourceWords:
    """What the source says about a target word: present as is, and where."""

    exact: set[str]
    initial: set[str]
    """Words that stand at the start of a source sentence (capitalised for grammar, not as names)."""
    elided: set[str] = field(default_factory=set)
    """Words after an elided article (OpenSSL of "d'OpenSSL"): the token holds the article."""

    @classmethod
    def of(cls, source: str) -> "_SourceWords":
        words = [m.group(0).replace("’", "'") for m in _TOKEN.finditer(source)]
        # the first word after any heading number or list mark ("6.1. Renseigner …", "– Activer …")
        first = re.match(r"[\W\d_]*([^\W\d_][\w'’-]*)", source)
        elided = {_ELIDED.sub("", w) for w in words if _ELIDED.match(w)}
        return cls(set(words) | {p for w in words for p in w.split("-")},
                   {first.group(1).replace("’", "'")} if first else set(), elided - set(words))


def _glossary_words(segment: Segment) -> set[str]:
    return {w.casefold() for hit in segment.glossary_hits for w in re.findall(r"[\w'’-]+", hit.target)}


def _sentence_initial(target: str, start: int) -> bool:
    before = target[:start].rstrip(" \"“‘«(")
    return not before or before[-1] in ".!?:…"


def _excused(word: str, at: int, segment: Segment, source: _SourceWords, lists: WordLists, unknown: set[str]) -> bool:
    """Whether a non-English word is a name or a technical token rather than a leftover."""
    folded = word.casefold()
    if folded in lists.borrowed and not re.search(rf"(?<![\w'-]){re.escape(word)}(?![\w'-])",
                                                  segment.source.replace("’", "'")):
        return True  # "the installer": English, not the French verb copied through (debian-installer is no copy)
    foreign = _language(word, lists).endswith(" word")
    if folded in _NAME_PARTICLES and word in source.exact:
        following = re.match(r"[\s-]+([^\W\d_])", segment.target[at + len(word):])
        if following and following.group(1).isupper():
            return True
    if word in source.elided and word not in source.exact:
        return not foreign and (word[:1].isupper() or word.isascii() and not _looks_french(folded, lists))
    if word in source.exact:
        if word.isupper() and folded in lists.french:
            return False  # a French word in capitals (EN COULISSES); acronyms stopped earlier
        if word[:1].isupper():  # a name kept as in the source, unless it is a French word opening the sentence
            if _GENTILE.search(folded) and (folded in lists.french or not word.isascii()):
                return False  # Soudanais, Nigériens: French names of peoples
            return not (word in source.initial and (folded in lists.french or _looks_french(folded, lists)))
        # dpkg, apt-get: copied through, no French or Spanish word
        return word.isascii() and not foreign and not _looks_french(folded, lists)
    if word[:1].isupper() and not foreign and word.isascii() and folded not in unknown:
        # a capitalised word the source lacks: a name spelt the engine's way (Erevan → Yerevan), unless it opens
        # the sentence or a quotation (a quoted title: « Mandataire HTTP/FTP » → “Mandator HTTP/FTP”), where any
        # word is capitalised
        return not _sentence_initial(segment.target, at) and not _opens_quotation(segment.target, at)
    return False


def _opens_quotation(target: str, start: int) -> bool:
    """Whether the word at `start` is the first of a quotation (its capital then says nothing of a name)."""
    before = target[:start].rstrip()
    if not before:
        return False
    return before[-1] in "“«‹‘" or (before[-1] == '"' and before[:-1].count('"') % 2 == 0)


def _looks_french(folded: str, lists: WordLists) -> bool:
    """A word the French list lacks that is built like a French one: a French ending, or re- + a French verb."""
    last = folded.rsplit("-", 1)[-1]
    if len(last) >= 6 and _FRENCH_ENDING.search(last):
        # not a compound ending in an English word (buildpackage, dpkg-buildpackage); accents make no English compound
        return not last.isascii() or not any(last[i:] in lists.english_folded for i in range(1, len(last) - 4))
    return folded.startswith("re") and folded.endswith("er") and folded[2:] in lists.french


def foreign_words(segment: Segment, lists: WordLists) -> list[tuple[str, str]]:
    """(word, why) for each distinct word of the target that is not English and not excused."""
    source = _SourceWords.of(segment.source)
    glossary = _glossary_words(segment)
    unknown = {w.strip(_MARKS).replace("’", "'").casefold() for w in segment.unknown_words}
    found: dict[str, str] = {}
    for title in _FRENCH_TITLE.finditer(segment.target):
        if re.search(rf"(?<![\w.]){re.escape(title.group(0))}\s", segment.source) and title.group(0).rstrip(".") != "Me":
            found[title.group(0)] = "French title"
    loans = [m.span() for m in _LOAN_PHRASES.finditer(segment.target.replace("’", "'"))]
    for match in _TOKEN.finditer(segment.target):
        if any(start <= match.start() < end for start, end in loans):
            continue
        word = match.group(0).rstrip(".").replace("’", "'").strip("'")
        if not word or _SKIP.search(word) or word in found:
            continue
        if word.casefold() in glossary or all(p.casefold() in glossary for p in word.split("-") if p):
            continue
        if word.casefold() in _TITLE_ABBREVIATIONS:
            found[word] = _language(word, lists)
            continue
        if len(word) == 1 or (word.isupper() and len(word) <= 6):
            continue  # initials and acronyms
        if is_english(word, lists) or _excused(word, match.start(), segment, source, lists, unknown):
            continue
        why = _language(word, lists)
        found[word] = why + ("; unknown to the engine" if word.casefold() in unknown else "")
    return list(found.items())


@dataclass
class ForeignWordCheck:
    """Pipeline stage adding a `foreign-word` QA finding per non-English word; lists load on first use.

    Memory matches are checked like engine output (as the other QA checks do): a memory may hold leftovers too."""

    directory: Path = field(default_factory=lambda: Path(os.environ.get(DICT_DIR_ENV) or DICT_DIR))
    index_dir: Path | None = None
    """Where the lists' lookup index is kept (translate/wordindex.py); None reads them into memory."""
    name: str = "qa-foreign-words"
    lists: WordLists | None = None
    warnings: list[str] = field(default_factory=list)
    _loaded: bool = False

    def __call__(self, document: Document) -> None:
        if not self._loaded:
            if self.lists is None:
                self.lists, self.warnings = load_word_lists(self.directory, self.index_dir)
            self._loaded = True
        if self.warnings:
            document.meta.warnings.extend(self.warnings)
        if self.lists is None:
            return
        for segment in document:
            if not segment.translatable or not segment.target or segment.origin == Origin.COPY:
                continue
            for word, why in foreign_words(segment, self.lists):
                segment.qa.append(QaFinding(CHECK, f"{word!r} left in the English ({why})", word))


def foreign_word_count(document: Document) -> int:
    """How many foreign-word findings a document holds (for the summary line)."""
    return sum(1 for s in document for f in s.qa if f.check == CHECK)
