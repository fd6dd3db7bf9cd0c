"""The engine a run uses, chosen once on the driver and rebuilt identically inside each actor.

The driver resolves `--engine/--model/--packages-dir` to a concrete engine (a model path, or
Apertium) without loading it, so bad choices fail before any worker starts and every actor
loads the same model.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Callable

from translate.errors import NoModelError, UserError


@dataclass(frozen=True)
class EngineRecipe:
    """Everything an actor needs to build its engine and pipeline: picklable, loaded nothing yet."""

    kind: str
    """"argos" or "apertium"."""
    model: Path | None
    """The CTranslate2 model directory for "argos"."""
    options: Any
    """translate.argos.EngineOptions."""
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
            from translate.apertium import ApertiumEngine

            return ApertiumEngine()
        from translate.argos import CTranslate2Engine

        options = self.options
        if options.intra_threads == 0 and options.inter_threads == 0:
            # the node's cores are shared with other actors and the reading tasks: use our share only
            options = replace(options, intra_threads=max(1, int(self.actor_cpus)), inter_threads=1)
        return CTranslate2Engine(self.model, options)


def resolve(choice: str, model: Path | None, options: Any, packages_dir: Path | None,
            warn: Callable[[str], None]) -> tuple[str, Path | None]:
    """(kind, model path) by the same rules as `translate.registry.select_engine`, loading nothing."""
    from translate.registry import (ENGINE_CHOICES, NO_ENGINE_MESSAGE, apertium_choice, engine_choices,
                                    neural_choice)

    if choice not in ENGINE_CHOICES:
        raise UserError(f"unknown engine {choice!r}; choose one of {', '.join(ENGINE_CHOICES)}")
    if model is not None and choice == "apertium":
        raise UserError("--model selects a neural model; it cannot be combined with --engine apertium")
    if choice == "argos" or model is not None:
        neural = neural_choice(model, options, packages_dir)
        if not neural.available:
            raise NoModelError(NO_ENGINE_MESSAGE)
        return "argos", _model_path(model, packages_dir)
    if choice == "apertium":
        rule = apertium_choice()
        if not rule.available:
            raise UserError(f"Apertium is not usable: {rule.detail}")
        return "apertium", None
    for option in engine_choices(None, options, packages_dir):
        if option.available:
            if option.name == "apertium":
                warn("no neural model installed: using Apertium (rule-based, lower quality); "
                     "`translate models install fr en` gets a neural model")
                return "apertium", None
            return "argos", _model_path(None, packages_dir)
    raise NoModelError(NO_ENGINE_MESSAGE)


def _model_path(model: Path | None, packages_dir: Path | None) -> Path:
    """An absolute model directory: workers run elsewhere (other cwd, maybe other nodes)."""
    from translate import models
    from translate.argos import find_model_files

    if model is not None:
        path = model.resolve()
    else:
        found = models.best_model("fr", "en", packages_dir=packages_dir)
        assert found is not None  # checked available just before
        path = Path(found.path).resolve()
    find_model_files(path)  # a missing file is reported here, as without Ray, not by every actor
    return path
