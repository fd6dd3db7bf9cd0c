"""The pipeline: components run in order over one Document (segmentation happens before them).

segmentation → glossary protection → engine → glossary verification → QA; writers come after, outside.
Each component is a callable that fills fields of the document in place, like spaCy's components.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Protocol

from translate.document import Document
from translate.engine import Engine, Progress


class Component(Protocol):
    """One stage of the pipeline."""

    name: str

    def __call__(self, document: Document) -> None: ...


@dataclass
class EngineStage:
    """Sends every translatable segment of the document to the engine in one call; copies the rest."""

    engine: Engine
    progress: Progress | None = None
    on_total: Callable[[int], None] | None = None
    """Told how many sentences go to the engine, before it starts (for a progress bar)."""
    name: str = "engine"

    def __call__(self, document: Document) -> None:
        todo = []
        for segment in document:
            if segment.target and segment.origin:
                continue  # filled earlier (translation memory, cache)
            if segment.translatable:
                todo.append(segment)
            else:
                segment.target, segment.origin = segment.source, "copy"
        if not todo:
            return
        if self.on_total is not None:
            self.on_total(len(todo))
        results = self.engine.translate([s.text_for_engine for s in todo], self.progress)
        if len(results) != len(todo):
            raise RuntimeError(f"engine {self.engine.name} returned {len(results)} translations for {len(todo)} sentences")
        for segment, result in zip(todo, results):
            segment.target = result.text
            segment.score = result.score
            segment.origin = self.engine.name
            segment.unknown_words = list(result.unknown_words)
            if result.attention is not None:
                segment.extra["_attention"] = result.attention
                segment.extra["_target_tokens"] = result.tokens
        document.meta["engine"] = self.engine.name


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
        import time

        from translate.segment import segment_document

        started = time.perf_counter()
        document = segment_document(text, lang=self.source_lang, name=name)
        document.target_lang = self.target_lang
        self.timings["segment"] = time.perf_counter() - started
        for component in self.components:
            started = time.perf_counter()
            component(document)
            self.timings[component.name] = time.perf_counter() - started
        for segment in document:
            segment.extra.pop("_attention", None)
            segment.extra.pop("_target_tokens", None)
        return document
