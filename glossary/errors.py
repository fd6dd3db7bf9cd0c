"""The glossary library's one error: a glossary file or flag the user can fix, named by file and line."""

from __future__ import annotations


class GlossaryError(Exception):
    """A bad glossary (missing, unreadable, malformed, conflicting) or a bad glossary option.

    The message is complete and meant for the user as it is (`file:line: what`); an application
    shows it alone (the `translate` CLI: one line, exit code 2)."""
