"""The pipeline: components run in order over one Document (segmentation happens before them).

segmentation → glossary protection → engine → glossary verification → QA; writers come after, outside.
Each component is a callable that fills fields of the document in place, like spaCy's components.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Iterable, Iterator, Protocol

from translate.document import Document, Origin, Segment
from translate.engines.base import Engine, Progress, Translation


class Component(Protocol):
    """One stage of the pipeline."""

    name: str

    def __call__(self, document: Document) -> None: ...


@dataclass
class EngineStage:
    """Sends the translatable segments to the engine in one call (best batching) and copies the rest.

    Caching is the engine's own business: a `CachedEngine` (translate/engines/cached.py) in front of
    the engine answers from the cache and stores each chunk it translates, so a run resumes.
    """

    engine: Engine
    progress: Progress | None = None
    on_total: Callable[[int], None] | None = None
    """Told how many segments the document holds, before any work (for a progress bar)."""
    name: str = "engine"

    def __call__(self, document: Document) -> None:
        if self.on_total is not None and len(document):
            self.on_total(len(document))  # every segment: memory matches, copies and cache hits count too
        todo = []
        for segment in document:
            if segment.translated:
                continue  # filled earlier (translation memory)
            if segment.translatable:
                todo.append(segment)
            else:
                segment.target, segment.origin = segment.source, Origin.COPY
        self._advance(len(document) - len(todo))
        if not todo:
            return
        marked = [n for n, s in enumerate(todo) if s.codes] if getattr(self.engine, "carries_markup", False) else []
        if marked:  # the engine moves inline codes itself: those sentences go with light tags, same call
            from translate.markup import tag_sentence

            texts = [s.text_for_engine for s in todo]
            for n in marked:
                texts[n] = tag_sentence(todo[n])
            results = self.engine.translate(texts, self.progress, marked=set(marked))  # type: ignore[call-arg]
        else:
            results = self.engine.translate([s.text_for_engine for s in todo], self.progress)
        if len(results) != len(todo):
            raise RuntimeError(f"engine {self.engine.name} returned {len(results)} translations for {len(todo)} sentences")
        tagged = set(marked)
        for n, (segment, result) in enumerate(zip(todo, results)):
            self._fill(segment, result)
            if n in tagged:
                from translate.markup import fill_from_marked

                fill_from_marked(segment, result.text)
        document.meta.cache_hits = sum(1 for result in results if result.cached)
        document.meta.engine = self.engine.name

    def _advance(self, count: int) -> None:
        if count and self.progress is not None:
            self.progress(count)

    def _fill(self, segment: Segment, result: Translation) -> None:
        segment.target = result.text
        segment.score = result.score
        segment.origin = self.engine.name
        segment.unknown_words = list(result.unknown_words)
        if result.attention is not None:
            segment.attention = result.attention
            segment.target_tokens = result.tokens


@dataclass
class FunctionStage:
    """Wraps an in-place function over the document (glossary protection, verification, QA)."""

    name: str
    function: Callable[[Document], None]

    def __call__(self, document: Document) -> None:
        self.function(document)


@dataclass
class Pipeline:
    """Segments a text and runs the components over it; returns the aligned, translated Document."""

    components: list[Component]
    source_lang: str = "fr"
    target_lang: str = "en"
    timings: dict[str, float] = field(default_factory=dict)

    def __call__(self, text: str, name: str = "") -> Document:
        self.timings.clear()
        return self._run(text, name)

    def stream(self, chunks: Iterable[str], name: str = "") -> Iterator[Document]:
        """Translate a text given in paragraph-aligned chunks (translate/chunks.py), one Document each.

        Segment ids and paragraph indices run on across chunks as in one document, so the chunks'
        outputs written one after the other equal the whole document's. Timings add up over chunks.
        """
        self.timings.clear()
        first_id, first_paragraph = 0, 0
        for chunk in chunks:
            document = self._run(chunk, name, first_id, first_paragraph)
            first_id += len(document)
            first_paragraph += len(document.paragraphs)
            yield document

    def run_document(self, document: Document) -> Document:
        """Run the components over a Document built elsewhere (a structured file's units as paragraphs),
        in place; segmentation is the caller's. Returns the same document."""
        self.timings.clear()
        return self._components(document)

    def _run(self, text: str, name: str, first_id: int = 0, first_paragraph: int = 0) -> Document:
        import time

        from translate.segment import segment_document

        started = time.perf_counter()
        document = segment_document(text, lang=self.source_lang, name=name)
        if first_id or first_paragraph:
            _renumber(document, first_id, first_paragraph)
        self._time("segment", started)
        return self._components(document)

    def _components(self, document: Document) -> Document:
        """Every component over the document in order, timed; engine data dropped once none needs it."""
        import time

        document.target_lang = self.target_lang
        for component in self.components:
            started = time.perf_counter()
            component(document)
            self._time(component.name, started)
        for segment in document:
            segment.drop_engine_data()
        return document

    def _time(self, name: str, started: float) -> None:
        import time

        self.timings[name] = self.timings.get(name, 0.0) + time.perf_counter() - started


def _renumber(document: Document, first_id: int, first_paragraph: int) -> None:
    """Shift a chunk's segment ids and paragraph indices to follow the chunks before it."""
    for paragraph in document.paragraphs:
        paragraph.index += first_paragraph
        for segment in paragraph.segments:
            segment.id += first_id
            segment.paragraph += first_paragraph
