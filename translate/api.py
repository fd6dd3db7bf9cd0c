"""The library API under the CLI: build a pipeline around an engine, translate a text to a Document."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from translate.document import Document
from translate.engine import Engine, Progress
from translate.pipeline import Component, EngineStage, Pipeline


def build_pipeline(engine: Engine, progress: Progress | None = None) -> Pipeline:
    """The standard pipeline around `engine`: segmentation, then the engine stage."""
    components: list[Component] = [EngineStage(engine, progress=progress)]
    return Pipeline(components)


def translate_text(
    text: str,
    *,
    engine: str | Engine = "auto",
    model: str | Path | None = None,
    engine_options: Any = None,
) -> Document:
    """Translate French text; returns the Document with every segment's source and target aligned.

    `engine` is "auto", "argos", "apertium" or an Engine instance; `model` a CTranslate2 model directory.
    """
    if isinstance(engine, str):
        from translate.argos import EngineOptions
        from translate.registry import select_engine

        chosen = select_engine(engine, Path(model) if model else None, engine_options or EngineOptions())
        try:
            return build_pipeline(chosen)(text)
        finally:
            chosen.close()
    return build_pipeline(engine)(text)
