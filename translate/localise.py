"""English typography for what engines copy through from French: numbers, percent signs, quotes.

Engines (Apertium above all) leave `3,5 %`, `10 000` and `« … »` as they were; an English reader
expects `3.5%`, `10,000` and `“…”`. Only the target text changes; the QA stage then compares the French
numbers with the English ones.
"""

from __future__ import annotations

import re

_SPACES = "[ \u00a0\u202f\u2009]"
_THOUSANDS = re.compile(rf"(?<![\d,.])(\d{{1,3}})((?:{_SPACES}\d{{3}})+)(?![\d])")
_DECIMAL = re.compile(r"(?<![\d,.])(\d+),(\d+)(?![\d,]|\.\d)")
_PERCENT = re.compile(rf"(\d){_SPACES}%")
_OPEN_QUOTE = re.compile(r"«[ \u00a0\u202f]*")
_CLOSE_QUOTE = re.compile(r"[ \u00a0\u202f]*»")
_SPACE_BEFORE_MARK = re.compile(r"(?<=[\w”)])[\u00a0\u202f ]+([?!:;.,])(?=[\s”)]|$)")


def _thousands(match: re.Match[str]) -> str:
    groups = re.findall(r"\d{3}", match.group(2))
    return match.group(1) + "".join("," + g for g in groups)


def english_typography(text: str, source: str = "") -> str:
    """`10 000` → `10,000`, `3,5 %` → `3.5%`, `« x »` → `“x”`, no space before `? ! : ; . ,`.

    A comma between digits becomes a point only when the French source has that very number: `3,500`
    may be an English thousand already, `3,5` copied from `3,5` in the French is a decimal.
    """
    french_decimals = set(_DECIMAL.findall(source))
    text = _DECIMAL.sub(lambda m: f"{m[1]}.{m[2]}" if (m[1], m[2]) in french_decimals else m[0], text)
    text = _THOUSANDS.sub(_thousands, text)
    text = _PERCENT.sub(r"\1%", text)
    text = _OPEN_QUOTE.sub("“", text)
    text = _CLOSE_QUOTE.sub("”", text)
    return _SPACE_BEFORE_MARK.sub(r"\1", text)
