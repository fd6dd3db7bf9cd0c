"""The library API under the CLI: build a pipeline around an engine, translate a text to a Document."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from translate.document import Document
from translate.engine import Engine, Progress
from translate.pipeline import Component, EngineStage, FunctionStage, Pipeline


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
    extra_components: tuple[Component, ...] = field(default=())
    """Components run before glossary protection (e.g. translation-memory lookup)."""


def build_pipeline(
    engine: Engine,
    options: PipelineOptions = PipelineOptions(),
    progress: Progress | None = None,
    on_total: Callable[[int], None] | None = None,
) -> Pipeline:
    """Segmentation → [memory] → glossary protection → engine → glossary verification → typography → QA."""
    from glossary.entry import Glossary
    from glossary.load import load_glossaries

    glossary = Glossary([], name="none")
    if options.glossaries or options.default_glossary:
        glossary = load_glossaries(list(options.glossaries), use_builtin=options.default_glossary)
    components: list[Component] = list(options.extra_components)
    enforce = options.enforce_glossary and len(glossary) > 0
    if enforce:
        from glossary.enforce import protect

        components.append(FunctionStage("glossary-protect", lambda d: protect(d, glossary)))
    components.append(EngineStage(engine, progress=progress, on_total=on_total))
    if enforce:
        from glossary.enforce import verify

        components.append(FunctionStage("glossary-verify", lambda d: verify(d, glossary)))
    if options.typography:
        from translate.localise import localise

        components.append(FunctionStage("typography", localise))
    if options.qa:
        from glossary.qa import qa

        components.append(FunctionStage("qa", lambda d: qa(d, glossary)))
    return Pipeline(components)


def translate_text(
    text: str,
    *,
    engine: str | Engine = "auto",
    model: str | Path | None = None,
    engine_options: Any = None,
    options: PipelineOptions = PipelineOptions(),
) -> Document:
    """Translate French text; returns the Document with every segment's source and target aligned.

    `engine` is "auto", "argos", "apertium" or an Engine instance; `model` a CTranslate2 model directory.
    """
    if isinstance(engine, str):
        from translate.argos import EngineOptions
        from translate.registry import select_engine

        chosen = select_engine(engine, Path(model) if model else None, engine_options or EngineOptions())
        try:
            return build_pipeline(chosen, options)(text)
        finally:
            chosen.close()
    return build_pipeline(engine, options)(text)
