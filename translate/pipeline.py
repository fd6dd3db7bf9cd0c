"""The pipeline: components run in order over one Document (segmentation happens before them).

segmentation → glossary protection → engine → glossary verification → QA; writers come after, outside.
Each component is a callable that fills fields of the document in place, like spaCy's components.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Iterable, Iterator, Protocol

from translate.cache import DEFAULT_CHUNK, TranslationCache, engine_scope
from translate.document import Document, Segment
from translate.engine import Engine, Progress, Translation


class Component(Protocol):
    """One stage of the pipeline."""

    name: str

    def __call__(self, document: Document) -> None: ...


@dataclass
class EngineStage:
    """Sends the translatable segments to the engine and copies the rest; reuses and fills a cache.

    Without a cache the whole document goes to the engine in one call (best batching). With one,
    cached segments are filled first and the rest go in calls of `chunk_size` sentences, each
    call's results stored before the next: an interrupted run keeps every finished call.
    """

    engine: Engine
    progress: Progress | None = None
    on_total: Callable[[int], None] | None = None
    """Told how many sentences go to the engine, before it starts (for a progress bar)."""
    name: str = "engine"
    # --- engine-output cache (translate/cache.py) ---
    cache: TranslationCache | None = None
    cache_context: str = ""
    """Fingerprint of what besides the engine changes its output (glossary, options); part of the key."""
    chunk_size: int = DEFAULT_CHUNK

    def __call__(self, document: Document) -> None:
        todo = []
        for segment in document:
            if segment.target and segment.origin:
                continue  # filled earlier (translation memory)
            if segment.translatable:
                todo.append(segment)
            else:
                segment.target, segment.origin = segment.source, "copy"
        if not todo:
            return
        scope = engine_scope(self.engine, self.cache_context) if self.cache is not None else None
        if self.cache is not None and scope is not None:
            cached = self.cache.lookup(scope, [s.text_for_engine for s in todo])
            for index, result in cached.items():
                self._fill(todo[index], result)
            document.meta["cache_hits"] = len(cached)
            todo = [s for i, s in enumerate(todo) if i not in cached]
        if todo and self.on_total is not None:
            self.on_total(len(todo))
        size = max(1, self.chunk_size if scope is not None else len(todo))
        for start in range(0, len(todo), size):
            chunk = todo[start : start + size]
            texts = [s.text_for_engine for s in chunk]
            results = self.engine.translate(texts, self.progress)
            if len(results) != len(chunk):
                raise RuntimeError(f"engine {self.engine.name} returned {len(results)} translations for {len(chunk)} sentences")
            for segment, result in zip(chunk, results):
                self._fill(segment, result)
            if self.cache is not None and scope is not None:
                self.cache.store(scope, list(zip(texts, results)))
        document.meta["engine"] = self.engine.name

    def _fill(self, segment: Segment, result: Translation) -> None:
        segment.target = result.text
        segment.score = result.score
        segment.origin = self.engine.name
        segment.unknown_words = list(result.unknown_words)
        if result.attention is not None:
            segment.extra["_attention"] = result.attention
            segment.extra["_target_tokens"] = result.tokens


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

    def _run(self, text: str, name: str, first_id: int = 0, first_paragraph: int = 0) -> Document:
        import time

        from translate.segment import segment_document

        started = time.perf_counter()
        document = segment_document(text, lang=self.source_lang, name=name)
        document.target_lang = self.target_lang
        if first_id or first_paragraph:
            _renumber(document, first_id, first_paragraph)
        self._time("segment", started)
        for component in self.components:
            started = time.perf_counter()
            component(document)
            self._time(component.name, started)
        for segment in document:
            segment.extra.pop("_attention", None)
            segment.extra.pop("_target_tokens", None)
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
