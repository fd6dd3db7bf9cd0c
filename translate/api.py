"""The library API under the CLI: build a pipeline around an engine, translate a text to a Document."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Mapping

from translate.cache import DEFAULT_CHUNK, TranslationCache, fingerprint, glossary_fingerprint
from translate.document import Document
from translate.engines.base import Engine, EngineOptions, Progress
from translate.engines.cached import CachedEngine
from translate.errors import UserError, glossary_errors
from translate.memory import MEMORY_ORIGIN, MemoryStage, TranslationMemory, load_memories
from translate.pipeline import Component, EngineStage, FunctionStage, Pipeline
from translate.wordindex import default_index_dir

CHUNK_ENV = "TRANSLATE_CACHE_CHUNK"
"""Sentences per cached engine call instead of DEFAULT_CHUNK (the tests interrupt runs of a few hundred)."""


def default_cache_chunk(env: Mapping[str, str] | None = None) -> int:
    """`$TRANSLATE_CACHE_CHUNK` when set (a whole number ≥ 1), else DEFAULT_CHUNK; UserError otherwise."""
    value = (os.environ if env is None else env).get(CHUNK_ENV, "").strip()
    if not value:
        return DEFAULT_CHUNK
    try:
        chunk = int(value)
    except ValueError:
        chunk = 0
    if chunk < 1:
        raise UserError(f"${CHUNK_ENV} must be a whole number of sentences ≥ 1, not {value!r}")
    return chunk


@dataclass(frozen=True)
class PipelineOptions:
    """Which stages run around the engine, and with which glossaries."""

    glossaries: tuple[Path, ...] = ()
    """User glossary files (TSV, CSV, TBX); earlier files win over later ones and over the built-in one."""
    default_glossary: bool = True
    """Use the built-in French→English news glossary (OTSC→CSTO, OTAN→NATO, …)."""
    enforce_glossary: bool = True
    typography: bool = True
    """English typography on the output: 3,5 % → 3.5%, 10 000 → 10,000, « » → “ ”."""
    qa: bool = True
    # --- translation memories and engine cache (translate/memory.py, translate/cache.py) ---
    memories: tuple[Path | TranslationMemory, ...] = ()
    """TMX/TSV memories (paths or loaded); exact matches skip the engine. Earlier memories win."""
    cache: TranslationCache | None = None
    """Where engine outputs are looked up and stored; None runs without a cache."""
    cache_chunk: int = field(default_factory=default_cache_chunk)
    """Sentences per engine call when a cache is used (each call is stored before the next)."""
    wordlist_index: Path | None = field(default_factory=default_index_dir)
    """Where the foreign-word check keeps its word-list index (built on first use); None: lists read each run."""


def build_pipeline(
    engine: Engine,
    options: PipelineOptions | None = None,
    progress: Progress | None = None,
    on_total: Callable[[int], None] | None = None,
) -> Pipeline:
    """Segmentation → [memory] → foreign-passage copy → title protection → glossary protection → engine →
    glossary verification → title restoration → typography → QA."""
    options = PipelineOptions() if options is None else options  # built per call: it reads the environment
    from glossary.collection import Glossary
    from glossary.load import load_glossaries

    glossary = Glossary([], name="none")
    if options.glossaries or options.default_glossary:
        with glossary_errors():
            glossary = load_glossaries(list(options.glossaries), use_builtin=options.default_glossary)
    components: list[Component] = []
    if options.memories:
        components.append(MemoryStage(load_memories(options.memories)))
    from translate.passages import copy_foreign_passages
    from translate.titles import protect_titles, restore_titles

    components.append(FunctionStage("copy-foreign", copy_foreign_passages))
    components.append(FunctionStage("titles-protect", protect_titles))
    enforce = options.enforce_glossary and len(glossary) > 0
    if enforce:
        from translate.terms import protect

        components.append(FunctionStage("glossary-protect", lambda d: protect(d, glossary)))
    context = fingerprint("fr", "en", glossary_fingerprint(glossary) if enforce else "no-glossary")
    if options.cache is not None:
        engine = CachedEngine(engine, options.cache, context, options.cache_chunk)
    components.append(EngineStage(engine, progress=progress, on_total=on_total))
    if enforce:
        from translate.terms import verify

        components.append(FunctionStage("glossary-verify", lambda d: verify(d, glossary)))
    components.append(FunctionStage("titles-restore", restore_titles))
    if options.typography:
        components.append(FunctionStage("typography", _typography_except_memory))
    from translate.codes import project_codes

    components.append(FunctionStage("codes", project_codes))  # inline markup into the English (no-op for text)
    if options.qa:
        from translate.qa import qa

        components.append(FunctionStage("qa", lambda d: qa(d, glossary)))
        from translate.leftover import ForeignWordCheck

        components.append(ForeignWordCheck(index_dir=options.wordlist_index))
    return Pipeline(components)


def _typography_except_memory(document: Document) -> None:
    """English typography on translated segments; a memory's English is the translator's and stays as is."""
    from translate.localise import english_typography

    for segment in document:
        if segment.translatable and segment.target and segment.origin != MEMORY_ORIGIN:
            segment.target = english_typography(segment.target, segment.source)


def translate_text(
    text: str,
    *,
    engine: str | Engine = "auto",
    model: str | Path | None = None,
    engine_options: EngineOptions | None = None,
    options: PipelineOptions | None = None,
) -> Document:
    """Translate French text; returns the Document with every segment's source and target aligned.

    `engine` is "auto", "argos", "apertium" or an Engine instance; `model` a CTranslate2 model directory.
    """
    if isinstance(engine, str):
        from translate.engines.registry import select_engine

        chosen = select_engine(engine, Path(model) if model else None, engine_options or EngineOptions())
        try:
            return build_pipeline(chosen, options)(text)
        finally:
            chosen.close()
    return build_pipeline(engine, options)(text)
