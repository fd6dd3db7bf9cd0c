"""Errors that reach the user as one line and an exit code (see README, "Exit codes")."""

from __future__ import annotations

from contextlib import contextmanager
from typing import Iterator

EXIT_FAILURE = 1
"""Something went wrong while working (an engine crashed, a write failed)."""
EXIT_USAGE = 2
"""Bad usage or bad input: the user can fix it and run again."""


class UserError(Exception):
    """A problem the user can act on; the CLI prints the message alone and exits with `code`."""

    def __init__(self, message: str, code: int = EXIT_USAGE) -> None:
        super().__init__(message)
        self.code = code


class NoModelError(UserError):
    """No engine can translate: says exactly how to get one."""


@contextmanager
def glossary_errors() -> Iterator[None]:
    """Let the glossary library's errors reach the user as translate's own: same message, exit 2."""
    from glossary.errors import GlossaryError  # here, so that importing translate.errors loads no glossary code

    try:
        yield
    except GlossaryError as err:
        raise UserError(str(err)) from err
