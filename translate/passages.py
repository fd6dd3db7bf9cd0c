"""English paragraphs and command or code lines inside a French document are copied, not translated.

An fr→en engine mangles them ("$ dpkg --get-selections >liste-pkg" → ">Ready-pkg"), so this stage,
run before the engine, marks such segments as not translatable (the engine stage then copies them with
origin "copy") and adds a QA finding so a reviser sees that they were left as they stand.
"""

from __future__ import annotations

import re

from translate.document import Document, QaFinding, Segment
from translate.langid import FUNCTION_WORDS, english_passage

QA_CHECK = "copied-not-french"
_PROMPT = re.compile(r"^\s*(?:\$|%|>>>)\s+\S|^\s*#\s+[a-z][\w.+-]*(?:\s|$)")
"""A shell or Python prompt: "$ ls", "% make", ">>> import os", "# apt install x" (root)."""
_CODE_SIGNALS = (
    re.compile(r"(?<!\S)--?[a-zA-Z][\w-]*"),  # options: --get-selections, -y
    re.compile(r"(?<![\w:])/(?:[\w.-]+/)+[\w.-]*"),  # paths: /etc/apt/sources.list
    re.compile(r"(?:^|\s)(?:[<>|]|>>|2>|&&)\s*\S"),  # redirections and pipes
    re.compile(r"\w=\S"),  # assignments: KEY=value
    re.compile(r"[{}]\s*$|(?<=\S);\s*$|^\s*[{}]"),  # braces, or a final semicolon glued to code (not " ;")
    re.compile(r"\$\{?\w|\w\(\)|::|\\\w"),  # variables, calls, scopes, escapes
    re.compile(r"^[a-z][a-z0-9.+_-]*(?:\s|$)"),  # starts with a lowercase command name: apt-get, ls
)
_WORD = re.compile(r"[^\W\d_]+")
_FRENCH_SIGNS = re.compile(r"[éèêàçùœ]|(?<![\w-])(?:[dlnsjcm]|qu)['’][^\W\d_]", re.IGNORECASE)
"""An accented French letter or an elision (d’, l’, qu’): French prose, not code."""


def code_line(text: str) -> bool:
    """True for a command or code line: a prompt, or two kinds of code signs and no French word."""
    if _PROMPT.match(text):
        return True
    signals = sum(1 for pattern in _CODE_SIGNALS if pattern.search(text))
    if signals < 2:
        return False
    french = FUNCTION_WORDS["French"]
    if _FRENCH_SIGNS.search(text) or any(w.lower() in french for w in _WORD.findall(text)):
        return False
    return not text.rstrip().endswith((".", "!", "?"))


def copy_foreign_passages(document: Document) -> None:
    """Mark English paragraphs and code lines as copied verbatim, each with a QA finding."""
    for paragraph in document.paragraphs:
        todo = [s for s in paragraph.segments if s.translatable and not s.translated]
        if not todo:
            continue
        if english_passage(paragraph.source):
            for segment in todo:
                _copy(segment, "the paragraph looks English: copied as it stands, not translated")
            continue
        for segment in todo:
            if code_line(segment.text_for_engine):
                _copy(segment, "a command or code line: copied as it stands, not translated")


def _copy(segment: Segment, message: str) -> None:
    segment.translatable = False
    segment.qa.append(QaFinding(QA_CHECK, message))
