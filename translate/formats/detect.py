"""Which reader an input needs: plain text, one of the structured formats, or a one-line refusal.

The file name's suffix chooses (`x.fr.html` → HTML), the first bytes confirm (an `x.html` that is a PDF
is refused, never parsed or translated as text). Format modules (`translate/formats/html.py`, …) are
imported only when a file needs them, so a plain-text run loads no XML or Word library; a module
that is not installed is simply not registered, and its files are refused.

Extra formats (tests, plug-ins) are registered through `$TRANSLATE_FORMAT_MODULES`: a comma-separated
list of importable modules, each exposing `FORMAT` (a `StructuredFormat`); they win over the built-in
ones for the suffixes they claim.
"""

from __future__ import annotations

import importlib
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Mapping

from translate.errors import UserError
from translate.formats.structured import StructuredFormat
from translate.textio import binary_kind

FORMATS_ENV = "TRANSLATE_FORMAT_MODULES"
"""Modules (comma-separated) whose `FORMAT` is registered before the built-in formats."""

BUILTIN: dict[str, tuple[str, ...]] = {
    "translate.formats.xliff_in": (".xlf", ".xliff", ".sdlxliff", ".mqxliff", ".mxliff"),
    "translate.formats.html": (".html", ".htm", ".xhtml", ".xht"),
    "translate.formats.docx": (".docx",),
    "translate.formats.markdown": (".md", ".markdown"),
    "translate.formats.srt": (".srt",),
    "translate.formats.vtt": (".vtt",),
}
"""Built-in format modules and the suffixes they are expected to claim (only to know which module to
import for a file; the module's own `FORMAT.suffixes` decides)."""

TEXT_SUFFIXES = (".txt", ".text")
"""Suffixes read as plain text; a file with a suffix nobody claims or refuses is read as text too."""

REFUSED: dict[str, str] = {
    ".pdf": "a PDF document; export it as text (.txt), HTML or DOCX first",
    ".odt": "an OpenDocument text; save it as .docx first",
    ".ott": "an OpenDocument template; save it as .docx first",
    ".ods": "an OpenDocument spreadsheet, which this tool does not translate",
    ".odp": "an OpenDocument presentation, which this tool does not translate",
    ".odg": "an OpenDocument drawing, which this tool does not translate",
    ".doc": "a legacy Word document; save it as .docx first",
    ".dot": "a legacy Word template; save it as .docx first",
    ".docm": "a Word document with macros; save it as .docx first",
    ".dotx": "a Word template; save it as .docx first",
    ".rtf": "an RTF document; save it as .docx first",
    ".mht": "a web archive; save the page as .html first",
    ".mhtml": "a web archive; save the page as .html first",
    ".ass": "an ASS/SSA subtitle file; convert it to .srt or .vtt first",
    ".ssa": "an ASS/SSA subtitle file; convert it to .srt or .vtt first",
    ".sbv": "a YouTube subtitle file; convert it to .srt or .vtt first",
    ".tex": "a LaTeX source, which this tool does not translate (its commands would be translated too)",
    ".xls": "a spreadsheet, which this tool does not translate",
    ".xlsx": "a spreadsheet, which this tool does not translate",
    ".ppt": "a presentation, which this tool does not translate",
    ".pptx": "a presentation, which this tool does not translate",
    ".epub": "an e-book, which this tool does not translate; convert it to HTML first",
    ".tmx": "a translation memory; give it with --tm",
    ".tbx": "a termbase; give it with --glossary",
    ".po": "a gettext catalogue, which this tool does not translate",
    ".pot": "a gettext template, which this tool does not translate",
    ".json": "JSON data, which this tool does not translate",
    ".xml": "XML that no format of this tool handles (DocBook and other XML are not supported)",
    ".dbk": "DocBook XML, which this tool does not translate",
    ".svg": "an SVG image, which this tool does not translate",
    ".zip": "a ZIP archive; unpack it first",
}
"""Suffixes of what users point at and this tool does not translate, with the reason said in the refusal.
`.xml` is refused only when no registered format recognises the content."""

READ_BY_CONTENT: dict[str, str] = {"srt": "vtt", "vtt": "srt"}
"""A format whose files are often named as another's, and which its content tells apart for sure (a WebVTT
file starts with `WEBVTT`, an SRT one with a numbered cue): such a file is read as what it holds, and its
reader says, in a warning, what it is and what to rename it to. The English keeps the input's name."""

_MARKUP_START = re.compile(rb"(?:\xef\xbb\xbf)?\s*(?:<\?xml|<!doctype|<html|<xliff|<tmx|<w:document)", re.IGNORECASE)
"""The start of a markup file: a "text" file that begins like this is a page or an XML export."""
_ROOT = re.compile(rb"<([A-Za-z_][\w.:-]*)[\s/>]")
HEAD_BYTES = 64 * 1024
"""Bytes a format's `sniff` sees."""


@dataclass(frozen=True)
class Detected:
    """How one input is read: `format` is None for plain text."""

    path: Path
    format: StructuredFormat | None = None
    suffix: str = ""
    """The suffix the translated document keeps (`.html`, `.xlf`, …); empty for text."""

    @property
    def structured(self) -> bool:
        return self.format is not None


def suffix_of(path: Path) -> str:
    """The last suffix of a file name, lower case (`.html`), empty when there is none."""
    return path.suffix.lower()


def _extra_modules(env: Mapping[str, str] | None) -> list[str]:
    value = (os.environ if env is None else env).get(FORMATS_ENV, "")
    return [m.strip() for m in value.split(",") if m.strip()]


def _load(module_name: str, required: bool) -> StructuredFormat | None:
    """The module's FORMAT; None when a built-in module is not installed."""
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError as err:
        if not required and err.name == module_name:
            return None  # that format's module is not part of this installation
        raise UserError(f"format module {module_name} cannot be loaded: {err}") from None
    found = getattr(module, "FORMAT", None)
    if found is None:
        raise UserError(f"format module {module_name} has no FORMAT")
    return found


@dataclass
class FormatRegistry:
    """The structured formats available to a run, loaded on demand (plug-ins first, then built-ins)."""

    env: Mapping[str, str] | None = None
    extra: tuple[StructuredFormat, ...] = ()
    """Formats given in code (tests, library users); they win over every other."""

    def __post_init__(self) -> None:
        self._loaded: dict[str, StructuredFormat | None] = {}

    def _module(self, name: str, required: bool) -> StructuredFormat | None:
        if name not in self._loaded:
            self._loaded[name] = _load(name, required)
        return self._loaded[name]

    def plugins(self) -> list[StructuredFormat]:
        found = list(self.extra)
        for name in _extra_modules(self.env):
            fmt = self._module(name, required=True)
            if fmt is not None:
                found.append(fmt)
        return found

    def for_suffix(self, suffix: str) -> StructuredFormat | None:
        """The format claiming `suffix` (plug-ins first), importing only the built-in module expected to."""
        for fmt in self.plugins():
            if suffix in fmt.suffixes:
                return fmt
        for name in [m for m, suffixes in BUILTIN.items() if suffix in suffixes]:
            fmt = self._module(name, required=False)
            if fmt is not None and suffix in fmt.suffixes:
                return fmt
        return None

    def all(self) -> list[StructuredFormat]:
        """Every available format (imports every built-in module)."""
        found = self.plugins()
        for name in BUILTIN:
            fmt = self._module(name, required=False)
            if fmt is not None and fmt not in found:
                found.append(fmt)
        return found

    def installed(self, module_name: str) -> bool:
        """Whether a built-in format module is part of this installation."""
        return self._module(module_name, required=False) is not None

    def claimed(self, suffix: str) -> bool:
        """Whether some format would handle files with this suffix (without sniffing)."""
        return self.for_suffix(suffix) is not None


def _what_it_looks_like(head: bytes) -> str:
    kind = binary_kind(head)  # the names textio's refusals use
    if kind:
        return kind
    if _MARKUP_START.match(head):
        root = _root_element(head)
        return f"XML with root <{root}>" if root and not root.lower().startswith("html") else "HTML or XML"
    return "something else"


def _root_element(head: bytes) -> str | None:
    """The first element name after the prolog (comments, declarations, processing instructions)."""
    text = re.sub(rb"<\?.*?\?>|<!--.*?-->|<!(?:[^\[>]|\[[^\]]*\])*>", b"", head, flags=re.DOTALL)
    found = _ROOT.search(text)
    return found.group(1).decode("ascii", "replace") if found else None


def _head(path: Path) -> bytes:
    try:
        with open(path, "rb") as handle:
            return handle.read(HEAD_BYTES)
    except FileNotFoundError:
        raise UserError(f"no such file: {path}") from None
    except IsADirectoryError:
        raise UserError(f"{path} is a directory") from None
    except OSError as err:
        raise UserError(f"cannot read {path}: {err.strerror}") from None


def detect_by_name(path: Path, registry: FormatRegistry) -> Detected:
    """The reading chosen from the name alone (for output names); refusals by suffix are raised here."""
    suffix = suffix_of(path)
    if not suffix or suffix in TEXT_SUFFIXES:
        return Detected(path)
    fmt = registry.for_suffix(suffix)
    if fmt is not None:
        return Detected(path, fmt, suffix)
    if suffix == ".xml":
        return Detected(path, None, suffix)  # decided on the content by `detect`
    if suffix in REFUSED:
        raise UserError(f"{path} is {REFUSED[suffix]}")
    expected = [m for m, suffixes in BUILTIN.items() if suffix in suffixes]
    if expected:
        if registry.installed(expected[0]):
            raise UserError(f"{path}: this tool does not translate {suffix} files")
        raise UserError(f"{path}: {suffix} files cannot be translated here: the reader for them "
                        "is not part of this installation")
    return Detected(path)


def detect(path: Path, registry: FormatRegistry | None = None) -> Detected:
    """How to read `path`: by its suffix, confirmed by its first bytes; UserError (exit 2) for what is refused.

    Only a regular file is sniffed here (a pipe cannot be read twice); `confirm` takes the bytes then."""
    registry = FormatRegistry() if registry is None else registry
    found = detect_by_name(path, registry)
    if not path.is_file():
        return found  # missing, a directory, a pipe: said by the reader, as for any input
    return confirm(found, _head(path), registry)


def confirm(found: Detected, head: bytes, registry: FormatRegistry) -> Detected:
    """Check the name's verdict against the first bytes of the file.

    A structured format must recognise its file; `.xml` goes to the format that recognises it or is
    refused; a file read as text whose content starts like markup (an XML declaration, a doctype,
    `<html>`) is refused too, since it would come out as translated tags."""
    path = found.path
    if found.format is not None:
        if not head.strip():
            raise UserError(f"{path} is empty" if not head else f"{path} holds only whitespace")
        if not found.format.sniff(head):
            kin = READ_BY_CONTENT.get(found.format.name)
            other = next((f for f in registry.all() if f.name == kin), None) if kin else None
            if other is not None and other.sniff(head):
                return Detected(path, other, found.suffix)
            raise UserError(f"{path} is named like {found.format.name} but does not look like it "
                            f"(it looks like {_what_it_looks_like(head)}); rename it or check its content")
        return found
    if found.suffix == ".xml":
        for fmt in registry.all():
            if fmt.sniff(head):
                return Detected(path, fmt, found.suffix)
        root = _root_element(head)
        what = f"XML with root <{root}>" if root else "XML"
        raise UserError(f"{path} is {what}, which no format of this tool handles (DocBook and other XML "
                        "are not supported)")
    if _MARKUP_START.match(head):
        for fmt in registry.all():
            if fmt.sniff(head):
                raise UserError(f"{path} looks like {fmt.name}, not plain text; name it *{fmt.suffixes[0]} "
                                "to translate it as such")
        raise UserError(f"{path} looks like {_what_it_looks_like(head)}, not plain text; "
                        "this tool does not translate it")
    return found
