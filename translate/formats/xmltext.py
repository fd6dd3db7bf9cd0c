"""XML text helpers shared by the XML formats: escaping and removal of characters XML forbids."""

from __future__ import annotations

import re

_NOT_XML = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml_text(text: str) -> str:
    """Escape text for element content or a double-quoted attribute; drop characters XML 1.0 forbids."""
    text = _NOT_XML.sub("", text)
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def strip_non_xml(text: str) -> str:
    """The text without the characters XML 1.0 forbids (control characters), for lxml `.text`/`.tail`."""
    return _NOT_XML.sub("", text)
