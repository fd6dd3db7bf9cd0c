"""Sub-apps that `translate --help` lists by name and help text but imports only when they are invoked.

`translate --help` and `translate run` then pay nothing for the `models` and `glossary` commands
(rich tables, the model manager, the glossary readers and lxml). The placeholder group stands in the
root group's command table, so listings, usage errors and "Did you mean …?" suggestions are unchanged;
when the root group hands it the command line, it builds the real group exactly as `add_typer` would.
"""

from __future__ import annotations

import importlib
from typing import Any, ClassVar

import typer
from typer.core import TyperGroup


class LazySubApp(TyperGroup):
    """Placeholder for a sub-app: holds where the real Typer app lives; builds it on first use."""

    target: ClassVar[str] = ""
    """`module:attribute` of the real `typer.Typer` sub-app (set by `lazy_typer`)."""

    def load(self) -> TyperGroup:
        """Import the real sub-app and build its group with this placeholder's name and help."""
        module, _, attribute = self.target.partition(":")
        real = getattr(importlib.import_module(module), attribute)
        holder = typer.Typer()
        holder.add_typer(real, name=self.name, help=self.help)
        return typer.main.get_group(holder).commands[self.name]

    def make_context(self, info_name: str | None, args: list[str], parent: Any = None, **extra: Any) -> Any:
        """The root group asks for a context just before invoking: hand it the real group's."""
        return self.load().make_context(info_name, args, parent=parent, **extra)


def lazy_typer(target: str) -> typer.Typer:
    """An empty Typer app to mount with `add_typer(..., name=, help=)` in place of the app at `target`."""
    placeholder = type(f"LazySubApp[{target}]", (LazySubApp,), {"target": target})
    return typer.Typer(cls=placeholder)
