"""An engine wrapped with the engine-output cache: outputs are looked up first and stored as they come.

`CachedEngine` is itself an `Engine`, so the pipeline's engine stage neither knows nor cares whether
a cache sits in front of the engine. Sentences the cache holds come back without an engine call
(`Translation.cached` set); the others go to the engine in calls of `chunk_size` sentences, each
call's results stored before the next starts, so an interrupted run keeps every finished call and
the next run resumes from there. An engine without a `version` cannot be cached: every sentence
then goes to it in one call (its best batching), as without a cache.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Collection, Sequence

from translate.cache import DEFAULT_CHUNK, TranslationCache, engine_scope
from translate.engines.base import Engine, EngineOptions, Progress, Translation


MARKED_KEY = "\0markup\0"
"""Prefix of the cache key of a sentence sent with light tags: its English holds tags, a plain one's does not."""


@dataclass
class CachedEngine:
    """`engine` behind `cache`; the cache's key also holds `context` (glossary, options) besides the engine."""

    engine: Engine
    cache: TranslationCache
    context: str = ""
    """Fingerprint of what besides the engine changes its output (glossary, options); part of the key."""
    chunk_size: int = DEFAULT_CHUNK

    @property
    def name(self) -> str:
        return self.engine.name

    @property
    def version(self) -> str:
        return self.engine.version

    @property
    def options(self) -> EngineOptions:
        return self.engine.options

    @property
    def carries_markup(self) -> bool:
        """Whether the wrapped engine takes sentences with light tags (translate/markup.py)."""
        return bool(getattr(self.engine, "carries_markup", False))

    def translate(self, sentences: Sequence[str], progress: Progress | None = None,
                  marked: Collection[int] = ()) -> list[Translation]:
        """Cached results first (reported to `progress` at once), then the rest from the engine, chunk by chunk.
        Sentences in `marked` (light tags, for an engine that carries markup) are cached under their own keys."""
        scope = engine_scope(self.engine, self.context)
        if scope is None:
            if marked:
                return self.engine.translate(sentences, progress, marked=marked)  # type: ignore[call-arg]
            return self.engine.translate(sentences, progress)
        results: list[Translation | None] = [None] * len(sentences)
        keys = [MARKED_KEY + s if i in marked else s for i, s in enumerate(sentences)] if marked else sentences
        cached = self.cache.lookup(scope, keys)
        for index, result in cached.items():
            results[index] = replace(result, cached=True)
        if cached and progress is not None:
            progress(len(cached))
        todo = [i for i in range(len(sentences)) if i not in cached]
        size = max(1, self.chunk_size)
        for start in range(0, len(todo), size):
            chunk = todo[start : start + size]
            texts = [sentences[i] for i in chunk]
            if marked:
                inner = {n for n, i in enumerate(chunk) if i in marked}
                outputs = self.engine.translate(texts, progress, marked=inner)  # type: ignore[call-arg]
            else:
                outputs = self.engine.translate(texts, progress)
            if len(outputs) != len(chunk):
                raise RuntimeError(f"engine {self.engine.name} returned {len(outputs)} translations for {len(chunk)} sentences")
            for index, output in zip(chunk, outputs):
                results[index] = output
            self.cache.store(scope, list(zip([keys[i] for i in chunk], outputs)))
        return [r for r in results if r is not None]

    def close(self) -> None:
        """Close the wrapped engine; the cache belongs to whoever opened it."""
        self.engine.close()
