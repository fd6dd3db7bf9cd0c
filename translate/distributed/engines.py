"""The engine a run uses, chosen once on the driver and rebuilt identically inside each actor.

The driver resolves `--engine/--model/--packages-dir` to a concrete engine (a model path, or
Apertium) without loading it, so bad choices fail before any worker starts and every actor
loads the same model.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Callable



@dataclass(frozen=True)
class EngineRecipe:
    """Everything an actor needs to build its engine and pipeline: picklable, loaded nothing yet."""

    kind: str
    """"argos" or "apertium"."""
    model: Path | None
    """The CTranslate2 model directory for "argos"."""
    options: Any
    """translate.engines.base.EngineOptions."""
    stages: Any
    """translate.api.PipelineOptions without a cache (each actor opens its own node's cache)."""
    use_cache: bool = True
    actor_cpus: float = 1.0
    """CPUs Ray reserves per actor: the engine's threads when --threads/--inter-threads were left at 0."""

    def build_pipeline(self) -> Any:
        """The engine loaded and wrapped in the same pipeline `translate run` builds."""
        from translate.api import build_pipeline
        from translate.cache import TranslationCache

        engine = self.make_engine()
        cache = TranslationCache.in_directory() if self.use_cache else None
        return build_pipeline(engine, replace(self.stages, cache=cache))

    def make_engine(self) -> Any:
        if self.kind == "apertium":
            from translate.engines.apertium import ApertiumEngine

            return ApertiumEngine()
        from translate.engines.argos import CTranslate2Engine

        options = self.options
        if options.intra_threads == 0 and options.inter_threads == 0:
            # the node's cores are shared with other actors and the reading tasks: use our share only
            options = replace(options, intra_threads=max(1, int(self.actor_cpus)), inter_threads=1)
        return CTranslate2Engine(self.model, options)


def resolve(choice: str, model: Path | None, options: Any, packages_dir: Path | None,
            warn: Callable[[str], None]) -> tuple[str, Path | None]:
    """(kind, absolute model path) by `translate.engines.registry.choose_engine`'s rules, loading nothing."""
    from translate.engines.argos import find_model_files
    from translate.engines.registry import choose_engine

    chosen = choose_engine(choice, model, options, packages_dir, warn)
    if chosen.name != "argos":
        return chosen.name, None
    assert chosen.model_path is not None
    path = chosen.model_path.resolve()  # workers run elsewhere (other cwd, maybe other nodes)
    find_model_files(path)  # a missing file is reported here, as without Ray, not by every actor
    return "argos", path
