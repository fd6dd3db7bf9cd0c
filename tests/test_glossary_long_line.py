"""Issue 14.1: glossary work on one long unpunctuated line grows linearly with its length.

Instead of timing, the test counts the characters handed to every regular-expression scan and to
`fit_term` inside the glossary modules: the old code searched the whole sentence for every term
(quadratic), the new one scans once and fits each term within a bounded window.
"""

from __future__ import annotations

import re
from typing import Any

import pytest

import glossary.english
import glossary.match
import translate.terms
from bench.long_line import long_line
from glossary.builtin import builtin_glossary
from translate.document import Document, Paragraph, Segment
from translate.terms import protect, verify

_SCANS = ("search", "match", "fullmatch", "finditer", "findall", "sub", "subn", "split")


class _Counter:
    """Characters scanned so far."""

    def __init__(self) -> None:
        self.chars = 0

    def scanned(self, string: Any, pos: int = 0, endpos: int | None = None) -> None:
        if isinstance(string, str):
            self.chars += max(0, (len(string) if endpos is None else min(endpos, len(string))) - pos)


class _CountingPattern:
    """A compiled pattern that reports how much text each scan covers."""

    def __init__(self, pattern: re.Pattern[str], counter: _Counter) -> None:
        self._pattern, self._counter = pattern, counter

    def __getattr__(self, name: str) -> Any:
        attr = getattr(self._pattern, name)
        if name not in _SCANS:
            return attr

        def scan(*args: Any, **kwargs: Any) -> Any:
            result = attr(*args, **kwargs)
            if name in ("match", "fullmatch"):  # anchored: the work is what it consumes
                self._counter.chars += 1 + (result.end() - result.start() if result else 0)
                return result
            text_at = 1 if name in ("sub", "subn") else 0
            string = args[text_at] if len(args) > text_at else kwargs.get("string")
            rest = args[text_at + 1 :]
            self._counter.scanned(string, *rest[:2])
            return result

        return scan


class _CountingRe:
    """Stands in for the `re` module inside the glossary modules."""

    def __init__(self, counter: _Counter) -> None:
        self._counter = counter

    def __getattr__(self, name: str) -> Any:
        attr = getattr(re, name)
        if name == "compile":
            return lambda *a, **k: _CountingPattern(re.compile(*a, **k), self._counter)
        if name in _SCANS:
            def scan(pattern: Any, *args: Any, **kwargs: Any) -> Any:
                text_at = 1 if name in ("sub", "subn") else 0
                self._counter.scanned(args[text_at] if len(args) > text_at else kwargs.get("string"))  # slices too
                return attr(pattern, *args, **kwargs)
            return scan
        return attr


def _drop_every_fourth(text: str) -> str:
    """An engine that loses every fourth placeholder, so verify must repair them."""
    return re.sub(r"\b9\d{3,4}\b", lambda m: "" if int(m.group()) % 4 == 3 else m.group(), text)


def _work(monkeypatch: pytest.MonkeyPatch, kilobytes: int, engine: Any = str) -> tuple[int, int]:
    """(characters scanned by protect → engine → verify, terms) for a line of `kilobytes` KB."""
    counter = _Counter()
    with monkeypatch.context() as patch:
        for module in (translate.terms, glossary.english, glossary.match):
            patch.setattr(module, "re", _CountingRe(counter))
            for name, value in list(vars(module).items()):
                if isinstance(value, re.Pattern):
                    patch.setattr(module, name, _CountingPattern(value, counter))
        real_fit = glossary.english.fit_term

        def counting_fit(text: str, *args: Any, **kwargs: Any) -> Any:
            counter.scanned(text)
            return real_fit(text, *args, **kwargs)

        patch.setattr(translate.terms, "fit_term", counting_fit)
        document = Document([Paragraph(0, [Segment(1, 0, long_line(kilobytes))])])
        glossary_ = builtin_glossary()
        protect(document, glossary_)
        segment = document.segments[0]
        segment.target = engine(segment.text_for_engine)
        verify(document, glossary_)
        return counter.chars, len(segment.glossary_hits)


@pytest.mark.parametrize("engine", [str, _drop_every_fourth], ids=["placeholders-kept", "placeholders-lost"])
def test_work_on_a_long_line_is_linear(monkeypatch: pytest.MonkeyPatch, engine: Any) -> None:
    small, small_terms = _work(monkeypatch, 8, engine)
    large, large_terms = _work(monkeypatch, 32, engine)
    assert small_terms > 200 and large_terms > 4 * small_terms * 0.9
    # 4× the text: linear work is ~4× (quadratic was ~16×); allow generous slack
    assert large < 6 * small, (small, large)


def test_long_line_terms_all_restored() -> None:
    document = Document([Paragraph(0, [Segment(1, 0, long_line(30))])])
    glossary_ = builtin_glossary()
    protect(document, glossary_)
    segment = document.segments[0]
    assert len(segment.glossary_hits) > 999  # past the four-digit placeholders
    segment.target = segment.text_for_engine
    verify(document, glossary_)
    assert not re.search(r"\d", segment.target)
    assert not segment.glossary_repairs
    assert segment.target.count("NATO") == segment.source.count("OTAN")
